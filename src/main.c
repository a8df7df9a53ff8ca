/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cli/bgpt-cli.h"
#include "ui/bgpt-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BgptApplication) app = NULL;
  /* --check runs before the application exists: a monitoring plugin
   * never starts GTK. */
  int status = bgpt_cli_check_main (argc, argv);

  if (status >= 0)
    return status;

  app = bgpt_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
