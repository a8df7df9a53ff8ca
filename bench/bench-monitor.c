/* bench-monitor.c: the monitor at scale and over many cycles, against the
 * simulator on loopback.
 *
 *   bench-monitor scale  [--accounts=100] [--delay=100] [--concurrent=N]
 *       one full round of N accounts against one account's round, and the
 *       memory each watched account takes
 *   bench-monitor cycles [--cycles=10000]
 *       check after check, alternating failure and success (an incident
 *       raised and resolved each time): RSS growth from the first tenth on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <malloc.h>
#include <stdio.h>

#include <glib/gstdio.h>

#include "bgpt-incident-store.h"
#include "bgpt-monitor.h"
#include "bgpt-simulator.h"

static int n_accounts = 100;
static int delay_ms = 100;
static int concurrent = 0;
static int n_cycles = 10000;

static GOptionEntry entries[] = {
  { "accounts", 0, 0, G_OPTION_ARG_INT, &n_accounts, "Accounts (scale)", "N" },
  { "delay", 0, 0, G_OPTION_ARG_INT, &delay_ms, "Simulator delay per answer in ms (scale)", "MS" },
  { "concurrent", 0, 0, G_OPTION_ARG_INT, &concurrent, "Accounts in flight (0: the default)", "N" },
  { "cycles", 0, 0, G_OPTION_ARG_INT, &n_cycles, "Check cycles (cycles)", "N" },
  { NULL }
};

static gsize
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmRSS:");
  return line != NULL ? g_ascii_strtoull (line + 6, NULL, 10) : 0;
}

static gsize
heap_in_use (void)
{
  struct mallinfo2 info = mallinfo2 ();

  return info.uordblks + info.hblkhd;
}

static BgptCheckConfig *
make_config (BgptSimulator *simulator,
             guint          index)
{
  g_autofree char *id = g_strdup_printf ("account-%03u", index);
  BgptCheckConfig *config = bgpt_check_config_new (id);

  config->display_name = g_strdup_printf ("Loja %u", index);
  config->kommo_base_url = g_strdup (bgpt_simulator_get_base_url (simulator));
  config->kommo_token = g_strdup_printf ("kommo-bench-token-%08u", index);
  config->openai_base_url = bgpt_simulator_dup_openai_base_url (simulator);
  config->openai_api_key = g_strdup_printf ("sk-bench-%08u-abcdefghijklmnop", index);
  config->model = g_strdup ("gpt-4.1-mini");
  config->assistant_id = g_strdup ("asst_abc123DEF456ghi789JKL0");
  return config;
}

typedef struct
{
  guint started;
  guint finished;
  guint in_flight_accounts_max;
} Counters;

static void
on_started (BgptMonitor *monitor, BgptMonitorCheck *check, Counters *counters)
{
  counters->started++;
}

static void
on_finished (BgptMonitor *monitor, BgptMonitorCheck *check, Counters *counters)
{
  counters->finished++;
}

static GSettings *
bench_settings (void)
{
  GSettings *settings = g_settings_new (APPLICATION_ID);

  g_settings_set_uint (settings, "check-interval", 3600);
  g_settings_set_uint (settings, "retry-interval", 3600);
  g_settings_set_uint (settings, "timeout", 30);
  return settings;
}

static void
run_round (BgptMonitor *monitor,
           Counters    *counters)
{
  guint expected = counters->finished + g_list_model_get_n_items (G_LIST_MODEL (monitor));

  if (!bgpt_monitor_is_running (monitor))
    bgpt_monitor_start (monitor);
  else
    bgpt_monitor_check_now (monitor, NULL);
  while (counters->finished < expected)
    g_main_context_iteration (NULL, TRUE);
}

/* Seconds for one round of every check of @n accounts, once connections
 * are open: the first round opens them all at once, which measures the
 * simulator's listen backlog more than the monitor. */
static double
timed_round (BgptSimulator *simulator,
             GSettings     *settings,
             guint          n,
             double        *first_round)
{
  g_autoptr(BgptMonitor) monitor = bgpt_monitor_new (settings, NULL);
  Counters counters = { 0 };
  gint64 start;

  if (concurrent > 0)
    bgpt_monitor_set_max_concurrent (monitor, concurrent);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BgptCheckConfig) config = make_config (simulator, i);

      bgpt_monitor_set_account (monitor, config);
    }
  g_signal_connect (monitor, "check-started", G_CALLBACK (on_started), &counters);
  g_signal_connect (monitor, "check-finished", G_CALLBACK (on_finished), &counters);

  start = g_get_monotonic_time ();
  run_round (monitor, &counters);
  if (first_round != NULL)
    *first_round = (g_get_monotonic_time () - start) / 1e6;

  start = g_get_monotonic_time ();
  run_round (monitor, &counters);
  bgpt_monitor_stop (monitor);
  return (g_get_monotonic_time () - start) / 1e6;
}

static int
run_scale (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BgptSimulator) simulator = bgpt_simulator_new (&error);
  g_autoptr(GSettings) settings = bench_settings ();
  double single = G_MAXDOUBLE;
  double full;
  double first = 0;
  gsize heap_before, heap_after, rss_before, rss_after;

  g_assert_no_error (error);
  bgpt_simulator_set_delay (simulator, NULL, delay_ms);

  /* The best of five for one account. */
  for (guint i = 0; i < 5; i++)
    single = MIN (single, timed_round (simulator, settings, 1, NULL));
  full = timed_round (simulator, settings, n_accounts, &first);

  printf ("accounts: %d, 4 checks each, simulator delay %d ms, accounts in flight: %s\n",
          n_accounts, delay_ms, concurrent > 0 ? g_strdup_printf ("at most %d", concurrent) : "default");
  printf ("one account's round: %.3f s\n", single);
  printf ("full round:          %.3f s (%.2f x one account); the first, opening every connection: %.3f s\n",
          full, full / single, first);

  /* Memory: 1000 watched accounts, each with one result per check. */
  bgpt_simulator_set_delay (simulator, NULL, 0);
  malloc_trim (0);
  heap_before = heap_in_use ();
  rss_before = rss_kib ();
  {
    g_autoptr(BgptMonitor) monitor = bgpt_monitor_new (settings, NULL);
    Counters counters = { 0 };
    guint expected;

    for (guint i = 0; i < 1000; i++)
      {
        g_autoptr(BgptCheckConfig) config = make_config (simulator, i);

        bgpt_monitor_set_account (monitor, config);
      }
    expected = g_list_model_get_n_items (G_LIST_MODEL (monitor));
    g_signal_connect (monitor, "check-finished", G_CALLBACK (on_finished), &counters);
    bgpt_monitor_start (monitor);
    while (counters.finished < expected)
      g_main_context_iteration (NULL, TRUE);
    bgpt_monitor_stop (monitor);
    for (guint i = 0; i < 50; i++)
      g_main_context_iteration (NULL, FALSE);

    heap_after = heap_in_use ();
    rss_after = rss_kib ();
    printf ("memory per watched account (1000 accounts, after a round): heap %.1f KiB, RSS %.1f KiB\n",
            (double) (heap_after - heap_before) / 1024 / 1000,
            (double) (rss_after - rss_before) / 1000);
  }
  return 0;
}

typedef struct
{
  BgptSimulator *simulator;
  BgptMonitor   *monitor;
  guint          done;
  gsize          rss_at_tenth;
  gboolean       failing;
} Cycles;

static gboolean
next_cycle (gpointer user_data)
{
  Cycles *cycles = user_data;

  cycles->failing = !cycles->failing;
  bgpt_simulator_set_scenario (cycles->simulator, "openai.key",
                               cycles->failing ? BGPT_SCENARIO_INVALID_KEY : BGPT_SCENARIO_OK);
  bgpt_simulator_clear_requests (cycles->simulator);
  bgpt_monitor_check_now (cycles->monitor, NULL);
  return G_SOURCE_REMOVE;
}

static void
on_cycle_finished (BgptMonitor      *monitor,
                   BgptMonitorCheck *check,
                   Cycles           *cycles)
{
  cycles->done++;
  if (cycles->done == (guint) n_cycles / 10)
    {
      malloc_trim (0);
      cycles->rss_at_tenth = rss_kib ();
    }
  if (cycles->done < (guint) n_cycles)
    g_idle_add (next_cycle, cycles);
}

static int
run_cycles (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BgptSimulator) simulator = bgpt_simulator_new (&error);
  g_autoptr(GSettings) settings = bench_settings ();
  g_autofree char *directory = g_dir_make_tmp ("bgpt-bench-monitor-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (directory, "incidents.json", NULL);
  g_autoptr(BgptIncidentStore) incidents = bgpt_incident_store_new (path);
  g_autoptr(BgptMonitor) monitor = NULL;
  g_autoptr(BgptCheckConfig) config = NULL;
  Cycles cycles = { 0 };
  gint64 start;
  gsize rss_end;

  g_assert_no_error (error);
  /* An incident raised and resolved on every other cycle. */
  g_settings_set_uint (settings, "failure-threshold", 1);
  g_settings_set_uint (settings, "success-threshold", 1);

  monitor = bgpt_monitor_new (settings, incidents);
  config = make_config (simulator, 0);
  g_clear_pointer (&config->kommo_base_url, g_free);
  g_clear_pointer (&config->model, g_free);
  g_clear_pointer (&config->assistant_id, g_free);
  bgpt_monitor_set_account (monitor, config);

  cycles.simulator = simulator;
  cycles.monitor = monitor;
  g_signal_connect (monitor, "check-finished", G_CALLBACK (on_cycle_finished), &cycles);

  start = g_get_monotonic_time ();
  bgpt_monitor_start (monitor);
  while (cycles.done < (guint) n_cycles)
    g_main_context_iteration (NULL, TRUE);
  bgpt_monitor_stop (monitor);
  malloc_trim (0);
  rss_end = rss_kib ();

  printf ("cycles: %d in %.1f s; incidents stored: %u (capped)\n", n_cycles,
          (g_get_monotonic_time () - start) / 1e6,
          g_list_model_get_n_items (G_LIST_MODEL (incidents)));
  printf ("RSS at cycle %d: %zu KiB, at the end: %zu KiB, growth %+ld KiB\n",
          n_cycles / 10, cycles.rss_at_tenth, rss_end, (long) rss_end - (long) cycles.rss_at_tenth);

  g_clear_object (&monitor);
  g_clear_object (&incidents);
  /* Let the simulator see the connections close before it goes. */
  for (gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC / 5; g_get_monotonic_time () < end;)
    g_main_context_iteration (NULL, FALSE);
  g_clear_object (&simulator);
  g_remove (path);
  g_rmdir (directory);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("scale|cycles");
  g_autoptr(GError) error = NULL;

  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "usage: bench-monitor scale|cycles");
      return 2;
    }

  if (g_str_equal (argv[1], "scale"))
    return run_scale ();
  if (g_str_equal (argv[1], "cycles"))
    return run_cycles ();
  g_printerr ("usage: bench-monitor scale|cycles\n");
  return 2;
}
