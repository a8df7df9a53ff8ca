/* bgpt-cli-secrets.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-cli.h"

int
bgpt_cli_store_secret (const char *kind,
                       const char *account_id)
{
  g_printerr ("%s\n", _("The keyring cannot be used yet."));
  return BGPT_CLI_EXIT_UNKNOWN;
}

int
bgpt_cli_forget_account (const char *account_id)
{
  g_printerr ("%s\n", _("The keyring cannot be used yet."));
  return BGPT_CLI_EXIT_UNKNOWN;
}
