/* bgpt-cli.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Exit statuses of the headless commands (DESIGN.md, Command line). */
typedef enum
{
  BGPT_CLI_EXIT_OK       = 0,
  BGPT_CLI_EXIT_WARNING  = 1,
  BGPT_CLI_EXIT_CRITICAL = 2,
  BGPT_CLI_EXIT_UNKNOWN  = 3,
} BgptCliExit;

typedef struct
{
  gboolean    json;
  gboolean    deep;
  guint       timeout_s;   /* 0: the stored `timeout` setting */
  const char *account_id;  /* NULL: every stored account */
} BgptCliCheckOptions;

/* Adds --check, --json, --timeout, --deep, --account, --store-secret and
 * --forget-account to @application's command line. */
void bgpt_cli_add_main_options (GApplication *application);

/* Runs the headless command the options ask for, with no display and no GTK.
 * Returns its exit status, or -1 when the options ask for none. */
int  bgpt_cli_handle_options   (GVariantDict *options);

/* bgpt-cli-check.c: runs the checks once and prints the result. */
int  bgpt_cli_check            (const BgptCliCheckOptions *options);

/* bgpt-cli-secrets.c: headless provisioning. The secret is read from
 * standard input, never from argv or the environment. */
int  bgpt_cli_store_secret     (const char *kind,
                                const char *account_id);
int  bgpt_cli_forget_account   (const char *account_id);

G_END_DECLS
