/* bgpt-cli-check.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-cli.h"

int
bgpt_cli_check (const BgptCliCheckOptions *options)
{
  g_printerr ("%s\n", _("Nothing to check yet."));
  return BGPT_CLI_EXIT_UNKNOWN;
}
