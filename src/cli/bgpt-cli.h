/* bgpt-cli.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Adds --check, --json, --timeout, --deep, --account, --store-secret and
 * --forget-account to @application's command line. */
void bgpt_cli_add_main_options (GApplication *application);

/* Runs the headless command the options ask for, with no display and no GTK.
 * Returns its exit status, or -1 when the options ask for none. */
int  bgpt_cli_handle_options   (GVariantDict *options);

G_END_DECLS
