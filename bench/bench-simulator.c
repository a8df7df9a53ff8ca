/* bench-simulator.c: runs the OpenAI/Kommo simulator as its own process
 * for the benchmarks, and prints its base URL on the first line.
 *
 *   bench-simulator [--delay=MS] [--rate-limit=normal|near|malformed|absent]
 *                   [SCENARIO | ENDPOINT=SCENARIO]…
 *   bench-simulator --list     prints every scenario's name, one a line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib-unix.h>

#include "bgpt-simulator.h"

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BgptSimulator) simulator = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;

  if (argc == 2 && g_str_equal (argv[1], "--list"))
    {
      /* The scenarios are numbered from 0 without a gap. */
      for (BgptScenario scenario = 0; bgpt_scenario_to_string (scenario) != NULL; scenario++)
        g_print ("%s\n", bgpt_scenario_to_string (scenario));
      return 0;
    }

  simulator = bgpt_simulator_new (&error);
  if (simulator == NULL)
    {
      g_printerr ("bench-simulator: %s\n", error->message);
      return 1;
    }

  for (int i = 1; i < argc; i++)
    {
      g_auto(GStrv) parts = NULL;
      BgptScenario scenario;

      if (g_str_has_prefix (argv[i], "--delay="))
        {
          bgpt_simulator_set_delay (simulator, NULL, (guint) g_ascii_strtoull (argv[i] + 8, NULL, 10));
          continue;
        }

      if (g_str_has_prefix (argv[i], "--rate-limit="))
        {
          static const char * const modes[] = { "normal", "near", "malformed", "absent", NULL };
          const char *mode = argv[i] + strlen ("--rate-limit=");
          guint index;

          /* In the order of BgptRateLimitHeaders. */
          for (index = 0; modes[index] != NULL && !g_str_equal (modes[index], mode); index++)
            ;
          if (modes[index] == NULL)
            {
              g_printerr ("bench-simulator: unknown rate-limit headers %s\n", mode);
              return 1;
            }
          bgpt_simulator_set_rate_limit_headers (simulator, (BgptRateLimitHeaders) index);
          continue;
        }

      parts = g_strsplit (argv[i], "=", 2);
      if (!bgpt_scenario_from_string (parts[1] != NULL ? parts[1] : parts[0], &scenario))
        {
          g_printerr ("bench-simulator: unknown scenario %s\n", argv[i]);
          return 1;
        }
      bgpt_simulator_set_scenario (simulator, parts[1] != NULL ? parts[0] : NULL, scenario);
    }

  g_print ("%s\n", bgpt_simulator_get_base_url (simulator));
  fflush (stdout);

  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_main_loop_run (loop);
  return 0;
}
