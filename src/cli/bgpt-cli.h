/* bgpt-cli.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Exit statuses of the headless commands (docs/architecture.md, The
 * `--check` contract). */
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
  guint       verbosity;   /* how many -v: 1 adds each problem's cause and steps */
  guint       timeout_s;   /* 0: the stored `timeout` setting */
  const char *account_id;  /* NULL: every stored account */
} BgptCliCheckOptions;

/* Adds --check, --json, --timeout, --deep, --account, --store-secret and
 * --forget-account to @application's command line. */
void bgpt_cli_add_main_options (GApplication *application);

/* Runs the headless command the options ask for, with no display and no GTK.
 * Returns its exit status, or -1 when the options ask for none. */
int  bgpt_cli_handle_options   (GVariantDict *options);

/* When @argv asks for --check: parses the command line as a monitoring
 * plugin does (-t, -v, -V, -h; any usage error exits 3 with one line on
 * standard output), runs the checks and returns the exit status. Called
 * before the application exists, so that --check never starts GTK.
 * Returns -1 when @argv does not ask for --check. */
int  bgpt_cli_check_main       (int           argc,
                                char        **argv);

/* bgpt-cli-check.c: runs the checks once and prints the result. */
int  bgpt_cli_check            (const BgptCliCheckOptions *options);
/* One UNKNOWN line with @message on standard output; returns exit status 3. */
int  bgpt_cli_check_usage_error (const char               *message);
/* --check --help on standard output; returns exit status 3, as the
 * standard plugins do. */
int  bgpt_cli_check_print_help (const char                *help);

/* bgpt-cli-secrets.c: headless provisioning. The secret is read from
 * standard input, never from argv or the environment. */
int  bgpt_cli_store_secret     (const char *kind,
                                const char *account_id);
int  bgpt_cli_forget_account   (const char *account_id);

G_END_DECLS
