/* bgpt-cli.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-cli.h"

void
bgpt_cli_add_main_options (GApplication *application)
{
}

int
bgpt_cli_handle_options (GVariantDict *options)
{
  return -1;
}
