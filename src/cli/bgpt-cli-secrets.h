/* bgpt-cli-secrets.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The stored accounts for --check, as BgptCheckConfig with their secrets
 * read from the keyring (keyring_unavailable set where that failed): the
 * one named @account_id, or every account when it is NULL. An unknown
 * @account_id is an error; no stored account (or no installed settings
 * schema) gives an empty array. Runs the main context until done. */
GPtrArray *bgpt_cli_load_stored_configs (const char  *account_id,
                                         GError     **error);

G_END_DECLS
