/* bench-soak.c: the monitor against the simulator on loopback for many
 * check cycles with faults injected (stalls past the timeout, resets,
 * closed connections, garbage bodies, 5xx, 429 with Retry-After: 0), in
 * runs between runs of successes; failure and success thresholds are 1, so
 * each run raises an incident, updates it on every repeat, and resolves it.
 * Each cycle is a real HTTP request; the next one starts as soon as the last
 * has finished.
 *
 * It fails (exit status 1) when an incident the monitor raised or updated is
 * not in the store with its repeat count, when the store written to disk and
 * loaded again differs, when a cycle's outcome is not what was injected, or
 * when RSS grows by 2 MiB or more from cycle 1,000 to the end.
 *
 *   bench-soak [--cycles=10000] [--max-incidents=N]
 *
 * A cap below the incidents raised makes the store drop the oldest, which
 * fails the comparison; it tells the history's growth from a leak.
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

/* Blocks of cycles: a run of one fault, then successes. Long runs keep the
 * incidents few (one per block, about 3 KiB each in the store), so that RSS
 * measures leaks rather than the history's legitimate growth. */
#define BLOCK_CYCLES 100
#define FAULT_RUN 50
#define STALL_RUN 2
#define RSS_FROM_CYCLE 1000
#define RSS_MAX_GROWTH_KIB 2048
#define STUCK_SECONDS 30

static int n_cycles = 10000;
static int max_incidents = 0;

static GOptionEntry entries[] = {
  { "cycles", 0, 0, G_OPTION_ARG_INT, &n_cycles, "Check cycles", "N" },
  { "max-incidents", 0, 0, G_OPTION_ARG_INT, &max_incidents, "The store's cap (0: its default)", "N" },
  { NULL }
};

typedef enum
{
  FAULT_RESET,
  FAULT_CLOSE,
  FAULT_STALL_HEADERS,
  FAULT_GARBAGE,
  FAULT_MALFORMED_JSON,
  FAULT_SERVER_ERROR,
  FAULT_STALL_BODY,
  FAULT_BAD_GATEWAY,
  FAULT_QUOTA_RETRY_AFTER_0,
  FAULT_WRONG_SHAPE,
  N_FAULTS
} Fault;

static const char * const fault_names[N_FAULTS] = {
  "connection reset", "connection closed", "stall before headers (> timeout)",
  "garbage body", "cut-off JSON", "500", "stall in the body (> timeout)",
  "502 HTML page", "429 with Retry-After: 0", "JSON of the wrong shape",
};

typedef struct
{
  BgptSimulator     *simulator;
  BgptMonitor       *monitor;
  BgptIncidentStore *incidents;
  GRand             *rand;
  guint              done;
  guint              last_done;       /* for the watchdog */
  int                current_fault;   /* what the cycle in flight was given, -1: none */
  guint              mismatches;
  guint              faults[N_FAULTS];
  char              *error_ids[N_FAULTS];
  gsize              rss_from;
  gsize              heap_from;
  guint              fds_from;
  GHashTable        *reports;         /* incident id -> reports seen (guint) */
  GPtrArray         *ids;             /* incident ids, in order of creation */
  guint              raised;
  guint              updated;
  guint              resolved;
} Soak;

static gsize
heap_kib (void)
{
  struct mallinfo2 info = mallinfo2 ();

  return (info.uordblks + info.hblkhd) / 1024;
}

static guint
open_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

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

/* Cycle @index injects a fault, or -1 for a success. The stalls take a
 * timeout each, so their runs are short. */
static int
fault_for_cycle (guint index)
{
  guint block = index / BLOCK_CYCLES;
  guint position = index % BLOCK_CYCLES;
  Fault fault = block % N_FAULTS;
  guint run = fault == FAULT_STALL_HEADERS || fault == FAULT_STALL_BODY ? STALL_RUN : FAULT_RUN;

  return position < run ? (int) fault : -1;
}

static void
inject (Soak *soak,
        int   fault)
{
  BgptSimulator *simulator = soak->simulator;

  switch (fault)
    {
    case FAULT_RESET:
      bgpt_simulator_set_scenario (simulator, "openai.key", BGPT_SCENARIO_RESET);
      break;
    case FAULT_CLOSE:
      bgpt_simulator_set_scenario (simulator, "openai.key", BGPT_SCENARIO_CLOSE);
      break;
    case FAULT_STALL_HEADERS:
      bgpt_simulator_set_scenario (simulator, "openai.key", BGPT_SCENARIO_STALL_HEADERS);
      break;
    case FAULT_GARBAGE:
      {
        const char * const headers[] = { "Content-Type", "application/json", NULL };
        char body[512];

        /* Random bytes, never NUL: the simulator takes a string. */
        for (gsize i = 0; i < sizeof body - 1; i++)
          body[i] = (char) g_rand_int_range (soak->rand, 1, 256);
        body[sizeof body - 1] = '\0';
        bgpt_simulator_set_response (simulator, "openai.key", 200, headers, body);
      }
      break;
    case FAULT_MALFORMED_JSON:
      bgpt_simulator_set_scenario (simulator, "openai.key", BGPT_SCENARIO_MALFORMED_JSON);
      break;
    case FAULT_SERVER_ERROR:
      bgpt_simulator_set_scenario (simulator, "openai.key", BGPT_SCENARIO_SERVER_ERROR);
      break;
    case FAULT_STALL_BODY:
      bgpt_simulator_set_scenario (simulator, "openai.key", BGPT_SCENARIO_STALL_BODY);
      break;
    case FAULT_BAD_GATEWAY:
      bgpt_simulator_set_scenario (simulator, "openai.key", BGPT_SCENARIO_BAD_GATEWAY);
      break;
    case FAULT_QUOTA_RETRY_AFTER_0:
      {
        const char * const headers[] = { "Content-Type", "application/json",
                                         "Retry-After", "0", NULL };

        /* Not a rate limit: those back off a minute or more by design. */
        bgpt_simulator_set_response (simulator, "openai.key", 429, headers,
                                     "{\"error\": {\"message\": \"You exceeded your current quota, "
                                     "please check your plan and billing details.\", "
                                     "\"type\": \"insufficient_quota\", \"param\": null, "
                                     "\"code\": \"insufficient_quota\"}}");
      }
      break;
    case FAULT_WRONG_SHAPE:
      bgpt_simulator_set_scenario (simulator, "openai.key", BGPT_SCENARIO_WRONG_SHAPE);
      break;
    default:
      bgpt_simulator_set_scenario (simulator, "openai.key", BGPT_SCENARIO_OK);
    }
}

static gboolean
next_cycle (gpointer user_data)
{
  Soak *soak = user_data;
  int fault = fault_for_cycle (soak->done);

  soak->current_fault = fault;
  inject (soak, fault);
  /* The simulator keeps every request it saw. */
  bgpt_simulator_clear_requests (soak->simulator);
  bgpt_monitor_check_now (soak->monitor, NULL);
  return G_SOURCE_REMOVE;
}

static void
on_finished (BgptMonitor      *monitor,
             BgptMonitorCheck *check,
             Soak             *soak)
{
  const BgptDiagnosis *diagnosis = bgpt_monitor_check_get_diagnosis (check);
  gboolean ok = diagnosis != NULL && bgpt_diagnosis_is_ok (diagnosis);
  int fault = soak->current_fault;

  if (fault >= 0)
    {
      soak->faults[fault]++;
      if (ok)
        soak->mismatches++;
      else if (soak->error_ids[fault] == NULL)
        soak->error_ids[fault] = g_strdup (diagnosis->error_id);
      else if (!g_str_equal (soak->error_ids[fault], diagnosis->error_id))
        soak->mismatches++;
    }
  else if (!ok)
    {
      soak->mismatches++;
    }

  soak->done++;
  if (soak->done == RSS_FROM_CYCLE)
    {
      malloc_trim (0);
      soak->rss_from = rss_kib ();
      soak->heap_from = heap_kib ();
      soak->fds_from = open_fds ();
    }
  if (soak->done < (guint) n_cycles)
    g_idle_add (next_cycle, soak);
}

static void
count_report (Soak         *soak,
              BgptIncident *incident)
{
  const char *id;
  gpointer reports;

  if (incident == NULL)
    return;
  id = bgpt_incident_get_id (incident);
  if (!g_hash_table_lookup_extended (soak->reports, id, NULL, &reports))
    {
      g_ptr_array_add (soak->ids, g_strdup (id));
      reports = GUINT_TO_POINTER (0);
    }
  g_hash_table_insert (soak->reports, g_strdup (id), GUINT_TO_POINTER (GPOINTER_TO_UINT (reports) + 1));
}

static void
on_raised (BgptMonitor *monitor, BgptMonitorCheck *check, BgptIncident *incident, Soak *soak)
{
  soak->raised++;
  count_report (soak, incident);
}

static void
on_updated (BgptMonitor *monitor, BgptMonitorCheck *check, BgptIncident *incident, Soak *soak)
{
  soak->updated++;
  count_report (soak, incident);
}

static void
on_resolved (BgptMonitor *monitor, BgptMonitorCheck *check, BgptIncident *incident, Soak *soak)
{
  soak->resolved++;
}

static gboolean
on_watchdog (gpointer user_data)
{
  Soak *soak = user_data;

  if (soak->done == soak->last_done)
    g_error ("No check finished in %d s, at cycle %u (%s)", STUCK_SECONDS, soak->done,
             soak->current_fault >= 0 ? fault_names[soak->current_fault] : "success");
  soak->last_done = soak->done;
  return G_SOURCE_CONTINUE;
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  if (!bgpt_incident_store_load_finish (BGPT_INCIDENT_STORE (source), result, &error))
    g_error ("Loading the incident store: %s", error->message);
  *done = TRUE;
}

static BgptIncidentStore *
load_store (const char *path)
{
  BgptIncidentStore *incidents = bgpt_incident_store_new (path);
  gboolean loaded = FALSE;

  bgpt_incident_store_load_async (incidents, NULL, on_loaded, &loaded);
  while (!loaded)
    g_main_context_iteration (NULL, TRUE);
  return incidents;
}

/* Every incident reported is in @incidents with as many repeats as reports,
 * and resolved; returns how many differ. */
static guint
compare_store (Soak              *soak,
               BgptIncidentStore *incidents,
               const char        *which)
{
  guint wrong = 0;
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (incidents));

  if (n_items != soak->ids->len)
    {
      printf ("FAIL: %s holds %u incidents, %u were reported\n", which, n_items, soak->ids->len);
      wrong++;
    }
  for (guint i = 0; i < soak->ids->len; i++)
    {
      const char *id = g_ptr_array_index (soak->ids, i);
      guint reports = GPOINTER_TO_UINT (g_hash_table_lookup (soak->reports, id));
      BgptIncident *incident = bgpt_incident_store_lookup (incidents, id);

      if (incident == NULL)
        {
          if (wrong++ < 5)
            printf ("FAIL: %s lacks incident %s\n", which, id);
        }
      else if (bgpt_incident_get_count (incident) != reports || bgpt_incident_is_open (incident))
        {
          if (wrong++ < 5)
            printf ("FAIL: %s: incident %s seen %u times, %s; reported %u times, resolved\n",
                    which, id, bgpt_incident_get_count (incident),
                    bgpt_incident_is_open (incident) ? "open" : "resolved", reports);
        }
    }
  return wrong;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BgptSimulator) simulator = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(BgptIncidentStore) incidents = NULL;
  g_autoptr(BgptIncidentStore) reloaded = NULL;
  g_autoptr(BgptMonitor) monitor = NULL;
  g_autoptr(BgptCheckConfig) config = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *path = NULL;
  Soak soak = { 0 };
  gint64 start;
  double seconds;
  gsize rss_end;
  long growth;
  guint watchdog;
  int status = 0;

  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 1 ||
      n_cycles <= RSS_FROM_CYCLE)
    {
      g_printerr ("%s\n", error != NULL ? error->message
                                        : "usage: bench-soak [--cycles=N], N > 1000");
      return 2;
    }

  simulator = bgpt_simulator_new (&error);
  g_assert_no_error (error);
  directory = g_dir_make_tmp ("bgpt-bench-soak-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (directory, "incidents.json", NULL);
  incidents = load_store (path);
  if (max_incidents > 0)
    bgpt_incident_store_set_max_incidents (incidents, max_incidents);

  settings = g_settings_new (APPLICATION_ID);
  g_settings_set_uint (settings, "check-interval", 3600);
  g_settings_set_uint (settings, "retry-interval", 3600);
  g_settings_set_uint (settings, "failure-threshold", 1);
  g_settings_set_uint (settings, "success-threshold", 1);
  g_settings_set_uint (settings, "timeout", 1);

  monitor = bgpt_monitor_new (settings, incidents);
  config = bgpt_check_config_new ("soak");
  config->display_name = g_strdup ("Loja Soak");
  config->openai_base_url = bgpt_simulator_dup_openai_base_url (simulator);
  config->openai_api_key = g_strdup ("sk-soak-00000000-abcdefghijklmnop");
  bgpt_monitor_set_account (monitor, config);

  soak.simulator = simulator;
  soak.monitor = monitor;
  soak.incidents = incidents;
  soak.rand = g_rand_new_with_seed (8);
  soak.reports = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  soak.ids = g_ptr_array_new_with_free_func (g_free);
  soak.current_fault = fault_for_cycle (0);
  inject (&soak, soak.current_fault);
  g_signal_connect (monitor, "check-finished", G_CALLBACK (on_finished), &soak);
  g_signal_connect (monitor, "incident-raised", G_CALLBACK (on_raised), &soak);
  g_signal_connect (monitor, "incident-updated", G_CALLBACK (on_updated), &soak);
  g_signal_connect (monitor, "incident-resolved", G_CALLBACK (on_resolved), &soak);
  watchdog = g_timeout_add_seconds (STUCK_SECONDS, on_watchdog, &soak);

  start = g_get_monotonic_time ();
  bgpt_monitor_start (monitor);
  while (soak.done < (guint) n_cycles)
    g_main_context_iteration (NULL, TRUE);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  bgpt_monitor_stop (monitor);
  g_source_remove (watchdog);
  malloc_trim (0);
  rss_end = rss_kib ();
  growth = (long) rss_end - (long) soak.rss_from;

  printf ("cycles: %d in %.1f s, one check each (real HTTP on loopback, timeout 1 s)\n",
          n_cycles, seconds);
  for (guint i = 0; i < N_FAULTS; i++)
    printf ("  %-34s %5u cycles -> %s\n", fault_names[i], soak.faults[i],
            soak.error_ids[i] != NULL ? soak.error_ids[i] : "(none)");
  printf ("outcomes other than injected: %u\n", soak.mismatches);
  printf ("incidents: %u raised, %u updated, %u resolved; %u distinct, store holds %u (cap %u)\n",
          soak.raised, soak.updated, soak.resolved, soak.ids->len,
          g_list_model_get_n_items (G_LIST_MODEL (incidents)),
          bgpt_incident_store_get_max_incidents (incidents));
  printf ("RSS at cycle %d: %zu KiB, at the end: %zu KiB, growth %+ld KiB (limit %d)\n",
          RSS_FROM_CYCLE, soak.rss_from, rss_end, growth, RSS_MAX_GROWTH_KIB);
  printf ("heap in use at cycle %d: %zu KiB, at the end: %zu KiB; open files: %u, then %u\n",
          RSS_FROM_CYCLE, soak.heap_from, heap_kib (), soak.fds_from, open_fds ());

  if (soak.mismatches > 0)
    {
      printf ("FAIL: %u cycles did not end as injected\n", soak.mismatches);
      status = 1;
    }
  if (soak.ids->len > bgpt_incident_store_get_max_incidents (incidents))
    {
      printf ("FAIL: more incidents than the store keeps; shorten the run\n");
      status = 1;
    }
  if (compare_store (&soak, incidents, "the store") > 0)
    status = 1;

  if (!bgpt_incident_store_flush (incidents, &error))
    {
      printf ("FAIL: flushing the store: %s\n", error->message);
      g_clear_error (&error);
      status = 1;
    }
  reloaded = load_store (path);
  if (bgpt_incident_store_get_load_error (reloaded) != NULL ||
      bgpt_incident_store_get_n_skipped (reloaded) > 0)
    {
      printf ("FAIL: reloading: %s, %u skipped\n",
              bgpt_incident_store_get_load_error (reloaded), bgpt_incident_store_get_n_skipped (reloaded));
      status = 1;
    }
  if (compare_store (&soak, reloaded, "the store loaded again") > 0)
    status = 1;
  else
    printf ("store written and loaded again: %u incidents, ids and counts equal\n",
            g_list_model_get_n_items (G_LIST_MODEL (reloaded)));

  if (growth >= RSS_MAX_GROWTH_KIB)
    {
      printf ("FAIL: RSS grew by %ld KiB\n", growth);
      status = 1;
    }

  g_clear_object (&monitor);
  g_clear_object (&incidents);
  g_clear_object (&reloaded);
  /* Let the simulator see the connections close before it goes. */
  for (gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC / 5; g_get_monotonic_time () < end;)
    g_main_context_iteration (NULL, FALSE);
  g_clear_object (&simulator);
  g_remove (path);
  g_rmdir (directory);
  g_hash_table_unref (soak.reports);
  g_ptr_array_unref (soak.ids);
  g_rand_free (soak.rand);
  for (guint i = 0; i < N_FAULTS; i++)
    g_free (soak.error_ids[i]);

  printf ("%s\n", status == 0 ? "PASS" : "FAIL");
  return status;
}
