/* test-monitor.c: the alert state machine with 1-second intervals against
 * the loopback simulator, whose behaviour each test flips.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "bgpt-history-recorder.h"
#include "bgpt-incident-store.h"
#include "bgpt-monitor.h"
#include "bgpt-monitor-rules.h"
#include "bgpt-simulator.h"
#include "bgpt-static-network-monitor.h"
#include "bgpt-test-utils.h"

#define KEY "sk-test-monitor-0123456789abcdef"
#define TOKEN "kommo-test-token-0123456789"

/* ---- fixture ---- */

typedef struct
{
  BgptTestMonitorSetup      setup;
  BgptStaticNetworkMonitor *network;
  guint                     started;
  guint                     finished;
  guint                     max_in_flight;
  guint                     raised;
  guint                     resolved;
  GPtrArray                *resolved_checks; /* check names, in order */
  gboolean                  resolved_closed; /* every incident told resolved was closed */
  GArray                   *key_started_at;  /* gint64, monotonic, openai.key only */
} Fixture;

static void
on_check_started (BgptMonitor      *monitor,
                  BgptMonitorCheck *check,
                  Fixture          *fixture)
{
  fixture->started++;
  fixture->max_in_flight = MAX (fixture->max_in_flight, fixture->started - fixture->finished);
  if (g_str_equal (bgpt_monitor_check_get_check (check), "openai.key"))
    {
      gint64 now = g_get_monotonic_time ();

      g_array_append_val (fixture->key_started_at, now);
    }
}

static void
on_check_finished (BgptMonitor      *monitor,
                   BgptMonitorCheck *check,
                   Fixture          *fixture)
{
  fixture->finished++;
}

static void
on_raised (BgptMonitor *monitor, BgptMonitorCheck *check, BgptIncident *incident, Fixture *fixture)
{
  fixture->raised++;
}

static void
on_resolved (BgptMonitor *monitor, BgptMonitorCheck *check, BgptIncident *incident, Fixture *fixture)
{
  fixture->resolved++;
  g_ptr_array_add (fixture->resolved_checks, g_strdup (bgpt_monitor_check_get_check (check)));
  if (incident == NULL || bgpt_incident_is_open (incident))
    fixture->resolved_closed = FALSE;
}

static BgptCheckConfig *
make_config (Fixture    *fixture,
             const char *account_id)
{
  BgptCheckConfig *config = bgpt_test_simulator_config (fixture->setup.simulator, account_id, KEY, TOKEN);

  config->display_name = g_strdup ("Loja Teste");
  return config;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(BgptCheckConfig) config = NULL;

  bgpt_test_monitor_setup_init (&fixture->setup, "test-monitor", 3, 2);

  fixture->network = BGPT_STATIC_NETWORK_MONITOR (bgpt_static_network_monitor_new (TRUE));
  fixture->key_started_at = g_array_new (FALSE, FALSE, sizeof (gint64));
  fixture->resolved_checks = g_ptr_array_new_with_free_func (g_free);
  fixture->resolved_closed = TRUE;

  bgpt_monitor_set_network_monitor (fixture->setup.monitor, G_NETWORK_MONITOR (fixture->network));
  g_signal_connect (fixture->setup.monitor, "check-started", G_CALLBACK (on_check_started), fixture);
  g_signal_connect (fixture->setup.monitor, "check-finished", G_CALLBACK (on_check_finished), fixture);
  g_signal_connect (fixture->setup.monitor, "incident-raised", G_CALLBACK (on_raised), fixture);
  g_signal_connect (fixture->setup.monitor, "incident-resolved", G_CALLBACK (on_resolved), fixture);

  config = make_config (fixture, "default");
  bgpt_monitor_set_account (fixture->setup.monitor, config);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  bgpt_monitor_stop (fixture->setup.monitor);
  /* Let the cancelled requests wind down. */
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  bgpt_test_monitor_setup_clear (&fixture->setup);
  g_assert_finalize_object (fixture->network);
  g_array_unref (fixture->key_started_at);
  g_ptr_array_unref (fixture->resolved_checks);
}

/* ---- waiting ---- */

/* Runs the main loop until @condition holds; fails after the tests' one
 * generous bound (bgpt-test-utils.h). */
#define wait_until(fixture, condition, what) \
  bgpt_test_assert_until ((BgptTestCondition) (condition), (fixture), (what))

static gboolean
kommo_is_ok (Fixture *fixture)
{
  return bgpt_monitor_check_get_state (bgpt_monitor_lookup (fixture->setup.monitor, "default", "kommo.account")) ==
         BGPT_MONITOR_STATE_OK;
}

static BgptMonitorCheck *
key_check (Fixture *fixture)
{
  return bgpt_monitor_lookup (fixture->setup.monitor, "default", "openai.key");
}

static guint
key_failures (Fixture *fixture)
{
  return bgpt_monitor_check_get_failures (key_check (fixture));
}

static BgptMonitorState
key_state (Fixture *fixture)
{
  return bgpt_monitor_check_get_state (key_check (fixture));
}

static gboolean
key_failed_once (Fixture *fixture)
{
  return key_failures (fixture) >= 1;
}

static gboolean
key_failed_twice (Fixture *fixture)
{
  return key_failures (fixture) >= 2;
}

static gboolean
key_is_down (Fixture *fixture)
{
  return key_state (fixture) == BGPT_MONITOR_STATE_DOWN;
}

static gboolean
key_is_ok (Fixture *fixture)
{
  return key_state (fixture) == BGPT_MONITOR_STATE_OK;
}

static gboolean
key_succeeded_once (Fixture *fixture)
{
  return bgpt_monitor_check_get_successes (key_check (fixture)) >= 1;
}

static gboolean
key_succeeded_once_while_down (Fixture *fixture)
{
  return bgpt_monitor_check_get_successes (key_check (fixture)) >= 1 &&
         bgpt_monitor_check_get_incident_id (key_check (fixture)) != NULL;
}

static gboolean
key_has_result (Fixture *fixture)
{
  return bgpt_monitor_check_get_checked_at (key_check (fixture)) != 0 &&
         key_state (fixture) != BGPT_MONITOR_STATE_CHECKING;
}

static gboolean
two_key_runs (Fixture *fixture)
{
  return fixture->key_started_at->len >= 2;
}

/* The key refused from the first check on. */
static void
start_with_invalid_key (Fixture *fixture)
{
  bgpt_simulator_set_scenario (fixture->setup.simulator, "openai.key", BGPT_SCENARIO_INVALID_KEY);
  bgpt_monitor_start (fixture->setup.monitor);
}

/* A "check now" sends nothing to @check (NULL: to any check). Gives the
 * count of requests to it, the same before and after. */
static guint
assert_check_now_sends_nothing (Fixture    *fixture,
                                const char *check)
{
  guint requests = bgpt_simulator_count_requests (fixture->setup.simulator, check);

  bgpt_monitor_check_now (fixture->setup.monitor, NULL);
  bgpt_test_run_for (1500);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->setup.simulator, check), ==, requests);
  return requests;
}

/* Under a failure threshold of 5, the key's check answered with @status,
 * a Retry-After of @retry_after and @body; returns after that first answer. */
static void
start_failing_with_retry_after (Fixture    *fixture,
                                guint       status,
                                const char *retry_after,
                                const char *body)
{
  const char * const headers[] = { "Content-Type", "application/json", "Retry-After", retry_after, NULL };

  g_settings_set_uint (fixture->setup.settings, "failure-threshold", 5);
  bgpt_simulator_set_response (fixture->setup.simulator, "openai.key", status, headers, body);
  bgpt_monitor_start (fixture->setup.monitor);
  wait_until (fixture, key_failed_once, "the first answer");
}

/* ---- tests ---- */

static void
test_watches_the_configured_checks (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(BgptCheckConfig) config = make_config (fixture, "second");
  g_autoptr(BgptMonitorCheck) first = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->setup.monitor)), ==, 2);
  first = g_list_model_get_item (G_LIST_MODEL (fixture->setup.monitor), 0);
  g_assert_cmpstr (bgpt_monitor_check_get_check (first), ==, "kommo.account");
  g_assert_cmpint (bgpt_monitor_check_get_state (first), ==, BGPT_MONITOR_STATE_UNKNOWN);

  config->model = g_strdup ("gpt-4.1-mini");
  config->assistant_id = g_strdup ("asst_abc123DEF456ghi789JKL0");
  bgpt_monitor_set_account (fixture->setup.monitor, config);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->setup.monitor)), ==, 6);
  g_assert_nonnull (bgpt_monitor_lookup (fixture->setup.monitor, "second", "openai.assistant"));
  g_assert_null (bgpt_monitor_lookup (fixture->setup.monitor, "second", "openai.quota"));

  /* Deep check on: every account gains the quota check, live. */
  g_settings_set_boolean (fixture->setup.settings, "deep-check", TRUE);
  g_assert_nonnull (bgpt_monitor_lookup (fixture->setup.monitor, "second", "openai.quota"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->setup.monitor)), ==, 8);

  bgpt_monitor_remove_account (fixture->setup.monitor, "second");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->setup.monitor)), ==, 3);
  g_assert_null (bgpt_monitor_lookup (fixture->setup.monitor, "second", "openai.key"));

  /* Nothing runs before start. */
  bgpt_test_run_for (1500);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->setup.simulator, NULL), ==, 0);
}

static void
test_confirmation_after_threshold (Fixture       *fixture,
                                   gconstpointer  data)
{
  BgptIncident *incident;

  start_with_invalid_key (fixture);

  wait_until (fixture, key_failed_once, "a first failure");
  g_assert_cmpint (key_state (fixture), ==, BGPT_MONITOR_STATE_FAILING);
  g_assert_cmpstr (bgpt_monitor_check_get_diagnosis (key_check (fixture))->error_id, ==, "openai.auth");
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->setup.incidents), ==, 0);

  wait_until (fixture, key_failed_twice, "a second failure");
  g_assert_cmpint (key_state (fixture), ==, BGPT_MONITOR_STATE_FAILING);
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->setup.incidents), ==, 0);
  g_assert_cmpuint (fixture->raised, ==, 0);

  wait_until (fixture, key_is_down, "the third failure");
  g_assert_cmpuint (key_failures (fixture), ==, 3);
  g_assert_cmpuint (fixture->raised, ==, 1);
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->setup.incidents), ==, 1);
  incident = bgpt_incident_store_find_open (fixture->setup.incidents, "default", "openai.key");
  g_assert_nonnull (incident);
  g_assert_cmpstr (bgpt_incident_get_error_id (incident), ==, "openai.auth");
  g_assert_cmpstr (bgpt_monitor_check_get_incident_id (key_check (fixture)), ==,
                   bgpt_incident_get_id (incident));
  g_assert_cmpuint (bgpt_monitor_count_down (fixture->setup.monitor), ==, 1);

  /* The healthy Kommo check is untouched (between its own rounds, when no
   * request of it is in flight). */
  wait_until (fixture, kommo_is_ok, "the Kommo check to be fine");

  /* Failing on: the same incident counts the repeats, no new one. */
  bgpt_test_run_for (2500);
  g_assert_cmpuint (key_failures (fixture), >=, 4);
  g_assert_cmpuint (fixture->raised, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->setup.incidents)), ==, 1);
  g_assert_cmpuint (bgpt_incident_get_count (incident), >=, 2);
}

static void
test_resolution_after_threshold (Fixture       *fixture,
                                 gconstpointer  data)
{
  BgptIncident *incident;

  g_settings_set_uint (fixture->setup.settings, "failure-threshold", 1);
  start_with_invalid_key (fixture);

  wait_until (fixture, key_is_down, "the incident");
  incident = bgpt_incident_store_find_open (fixture->setup.incidents, "default", "openai.key");
  g_assert_nonnull (incident);
  g_object_ref (incident);

  bgpt_simulator_set_scenario (fixture->setup.simulator, "openai.key", BGPT_SCENARIO_OK);
  wait_until (fixture, key_succeeded_once_while_down, "a first success");
  /* One success is not enough (success-threshold 2). */
  g_assert_cmpint (key_state (fixture), ==, BGPT_MONITOR_STATE_DOWN);
  g_assert_true (bgpt_incident_is_open (incident));
  g_assert_cmpuint (fixture->resolved, ==, 0);

  wait_until (fixture, key_is_ok, "the second success");
  g_assert_cmpuint (bgpt_monitor_check_get_successes (key_check (fixture)), ==, 2);
  g_assert_false (bgpt_incident_is_open (incident));
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->setup.incidents), ==, 0);
  g_assert_cmpuint (fixture->resolved, ==, 1);
  g_assert_null (bgpt_monitor_check_get_incident_id (key_check (fixture)));
  g_object_unref (incident);
}

/* A check the user asked for is definitive: its failure is an incident at
 * once and its success resolves it; background checks keep the thresholds,
 * and only the threshold announces the incident to listeners (the desktop
 * notifier). */
static void
test_user_check_confirms_at_once (Fixture       *fixture,
                                  gconstpointer  data)
{
  BgptIncident *incident;

  start_with_invalid_key (fixture);

  /* In the background, a first failure is not an incident (threshold 3). */
  wait_until (fixture, key_failed_once, "a first background failure");
  g_assert_cmpint (key_state (fixture), ==, BGPT_MONITOR_STATE_FAILING);
  g_assert_null (bgpt_monitor_check_get_incident_id (key_check (fixture)));
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->setup.incidents), ==, 0);

  /* The user asks: the very next failure is the incident. */
  bgpt_monitor_confirm_now (fixture->setup.monitor, NULL);
  wait_until (fixture, key_failed_twice, "the user's check");
  g_assert_cmpuint (key_failures (fixture), ==, 2);
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->setup.incidents), ==, 1);
  incident = bgpt_incident_store_find_open (fixture->setup.incidents, "default", "openai.key");
  g_assert_nonnull (incident);
  g_object_ref (incident);
  g_assert_cmpstr (bgpt_incident_get_error_id (incident), ==, "openai.auth");
  g_assert_cmpstr (bgpt_monitor_check_get_incident_id (key_check (fixture)), ==,
                   bgpt_incident_get_id (incident));
  /* Not announced yet: the healthy Kommo check was asked too and is not. */
  g_assert_cmpuint (fixture->raised, ==, 0);
  g_assert_null (bgpt_monitor_check_get_incident_id (bgpt_monitor_lookup (fixture->setup.monitor, "default",
                                                                          "kommo.account")));

  /* The background checks go on to the threshold: the same incident is
   * announced, no new one. */
  wait_until (fixture, key_is_down, "the third failure");
  g_assert_cmpuint (fixture->raised, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->setup.incidents)), ==, 1);
  g_assert_true (bgpt_incident_is_open (incident));
  g_assert_cmpuint (bgpt_incident_get_count (incident), ==, 2);

  /* Fixed, and the user checks: resolved at the first success
   * (success-threshold 2 would need two in the background). */
  bgpt_simulator_set_scenario (fixture->setup.simulator, "openai.key", BGPT_SCENARIO_OK);
  bgpt_monitor_confirm_now (fixture->setup.monitor, NULL);
  wait_until (fixture, key_succeeded_once, "the user's check after the fix");
  g_assert_cmpuint (bgpt_monitor_check_get_successes (key_check (fixture)), ==, 1);
  g_assert_cmpint (key_state (fixture), ==, BGPT_MONITOR_STATE_OK);
  g_assert_false (bgpt_incident_is_open (incident));
  g_assert_null (bgpt_monitor_check_get_incident_id (key_check (fixture)));
  g_assert_cmpuint (fixture->resolved, ==, 1);
  g_object_unref (incident);
}

/* A user's failure raised quietly is announced when a threshold lowered
 * live is reached, without another failure. */
static void
test_user_incident_announced_at_threshold (Fixture       *fixture,
                                           gconstpointer  data)
{
  g_settings_set_uint (fixture->setup.settings, "failure-threshold", 10);
  start_with_invalid_key (fixture);
  bgpt_monitor_confirm_now (fixture->setup.monitor, NULL);

  wait_until (fixture, key_failed_twice, "two failures");
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->setup.incidents), ==, 1);
  g_assert_cmpuint (fixture->raised, ==, 0);
  g_assert_cmpint (key_state (fixture), ==, BGPT_MONITOR_STATE_FAILING);

  g_settings_set_uint (fixture->setup.settings, "failure-threshold", 2);
  g_assert_cmpuint (fixture->raised, ==, 1);
  g_assert_cmpint (key_state (fixture), ==, BGPT_MONITOR_STATE_DOWN);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->setup.incidents)), ==, 1);
}

static void
test_offline_suppresses_checks (Fixture       *fixture,
                                gconstpointer  data)
{
  gint64 back;

  g_settings_set_uint (fixture->setup.settings, "failure-threshold", 1);
  bgpt_simulator_set_scenario (fixture->setup.simulator, "openai.key", BGPT_SCENARIO_INVALID_KEY);

  /* Offline from the start: nothing is checked, nothing raised. */
  bgpt_static_network_monitor_set_available (fixture->network, FALSE);
  bgpt_monitor_start (fixture->setup.monitor);
  g_assert_false (bgpt_monitor_get_online (fixture->setup.monitor));
  bgpt_test_run_for (3000);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->setup.simulator, NULL), ==, 0);
  g_assert_cmpint (key_state (fixture), ==, BGPT_MONITOR_STATE_UNKNOWN);
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->setup.incidents), ==, 0);
  g_assert_cmpuint (fixture->raised, ==, 0);

  /* Back with an hour's interval: the return itself triggers a check. */
  g_settings_set_uint (fixture->setup.settings, "check-interval", 3600);
  g_settings_set_uint (fixture->setup.settings, "retry-interval", 3600);
  back = g_get_monotonic_time ();
  bgpt_static_network_monitor_set_available (fixture->network, TRUE);
  wait_until (fixture, key_has_result, "a check once the network is back");
  g_assert_cmpint (g_get_monotonic_time () - back, <, 3 * G_USEC_PER_SEC);
  g_assert_cmpint (key_state (fixture), ==, BGPT_MONITOR_STATE_DOWN);
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->setup.incidents), ==, 1);

  /* Offline again: unknown, and still no requests. */
  bgpt_static_network_monitor_set_available (fixture->network, FALSE);
  g_assert_cmpint (key_state (fixture), ==, BGPT_MONITOR_STATE_UNKNOWN);
  assert_check_now_sends_nothing (fixture, NULL);
}

static void
test_network_flap_is_debounced (Fixture       *fixture,
                                gconstpointer  data)
{
  g_settings_set_uint (fixture->setup.settings, "check-interval", 3600);
  bgpt_monitor_start (fixture->setup.monitor);
  wait_until (fixture, key_has_result, "the first round");
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->setup.simulator, "openai.key"), ==, 1);

  /* Five quick drops and returns give one round, not five. */
  for (guint i = 0; i < 5; i++)
    {
      bgpt_static_network_monitor_set_available (fixture->network, FALSE);
      bgpt_static_network_monitor_set_available (fixture->network, TRUE);
      bgpt_test_run_for (100);
    }
  bgpt_test_run_for (2500);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->setup.simulator, "openai.key"), ==, 2);
}

static void
test_retry_after_is_honoured (Fixture       *fixture,
                              gconstpointer  data)
{
  gint64 gap;

  start_failing_with_retry_after (fixture, 503, "3",
                                  "{\"error\":{\"message\":\"The server is overloaded or not ready yet.\","
                                  "\"type\":\"server_error\",\"param\":null,\"code\":null}}");
  g_assert_cmpint (bgpt_monitor_check_get_diagnosis (key_check (fixture))->retry_after_s, ==, 3);

  /* retry-interval is 1 s, but the server asked for 3. */
  wait_until (fixture, two_key_runs, "the retry");
  gap = g_array_index (fixture->key_started_at, gint64, 1) -
        g_array_index (fixture->key_started_at, gint64, 0);
  g_assert_cmpint (gap, >=, 3 * G_USEC_PER_SEC);
  g_assert_cmpint (gap, <, 5 * G_USEC_PER_SEC);

  /* Neither does "check now" go past it. */
  wait_until (fixture, key_has_result, "the retry's answer");
  assert_check_now_sends_nothing (fixture, "openai.key");
}

/* A Retry-After on a failure that is not "come back later" is not obeyed. */
static void
test_retry_after_only_when_asked (Fixture       *fixture,
                                  gconstpointer  data)
{
  start_failing_with_retry_after (fixture, 500, "86400",
                                  "{\"error\":{\"message\":\"The server had an error.\","
                                  "\"type\":\"server_error\",\"param\":null,\"code\":null}}");
  g_assert_cmpint (bgpt_monitor_check_get_diagnosis (key_check (fixture))->retry_after_s, ==, 86400);
  g_assert_cmpint (bgpt_monitor_check_get_not_before (key_check (fixture)), <=, g_get_monotonic_time ());

  /* retry-interval is 1 s: the retry comes then, not a day later. */
  wait_until (fixture, two_key_runs, "the retry");
}

/* A 429's Retry-After is capped at an hour; "check now" goes past it once. */
static void
test_retry_after_capped_and_overridden_once (Fixture       *fixture,
                                             gconstpointer  data)
{
  gint64 wait;
  guint requests;

  start_failing_with_retry_after (fixture, 429, "86400",
                                  "{\"error\":{\"message\":\"Rate limit reached.\",\"type\":\"requests\","
                                  "\"param\":null,\"code\":\"rate_limit_exceeded\"}}");
  wait = bgpt_monitor_check_get_not_before (key_check (fixture)) - g_get_monotonic_time ();
  g_assert_cmpint (wait, >, (gint64) 3000 * G_USEC_PER_SEC);
  g_assert_cmpint (wait, <=, (gint64) 3600 * G_USEC_PER_SEC);

  /* The background "check now" waits; the user's goes through, once. */
  requests = assert_check_now_sends_nothing (fixture, "openai.key");

  bgpt_monitor_confirm_now (fixture->setup.monitor, NULL);
  wait_until (fixture, two_key_runs, "the user's check");
  wait_until (fixture, key_has_result, "the user's check's answer");
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->setup.simulator, "openai.key"), ==, requests + 1);

  /* Asked again while the server still says wait: a loop of clicks is not
   * a loop of requests. */
  for (guint i = 0; i < 5; i++)
    bgpt_monitor_confirm_now (fixture->setup.monitor, NULL);
  bgpt_test_run_for (1500);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->setup.simulator, "openai.key"), ==, requests + 1);
}

/* Money problems are not retried at the retry interval: retrying does
 * not add credit. */
static void
test_quota_waits_a_round (Fixture       *fixture,
                          gconstpointer  data)
{
  gint64 gap;

  g_settings_set_uint (fixture->setup.settings, "check-interval", 3);
  bgpt_simulator_set_scenario (fixture->setup.simulator, "openai.key", BGPT_SCENARIO_BILLING_NOT_ACTIVE);
  bgpt_monitor_start (fixture->setup.monitor);

  wait_until (fixture, key_failed_once, "the first answer");
  g_assert_cmpstr (bgpt_monitor_check_get_diagnosis (key_check (fixture))->error_id, ==, "openai.quota");
  g_assert_cmpstr (bgpt_monitor_check_get_diagnosis (key_check (fixture))->reason, ==, "billing_not_active");

  /* retry-interval is 1 s; the check interval, 3 s, decides. */
  wait_until (fixture, two_key_runs, "the next round");
  gap = g_array_index (fixture->key_started_at, gint64, 1) -
        g_array_index (fixture->key_started_at, gint64, 0);
  g_assert_cmpint (gap, >=, 3 * G_USEC_PER_SEC);
}

static void
test_rate_limit_backs_off (Fixture       *fixture,
                           gconstpointer  data)
{
  bgpt_simulator_set_scenario (fixture->setup.simulator, "kommo.account", BGPT_SCENARIO_RATE_LIMITED);
  bgpt_monitor_start (fixture->setup.monitor);

  /* With 1-second intervals the OpenAI check runs every second, while Kommo,
   * which blocks the IP of clients that keep going after a 429, waits. */
  bgpt_test_run_for (4500);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->setup.simulator, "kommo.account"), ==, 1);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->setup.simulator, "openai.key"), >=, 3);
  g_assert_cmpstr (bgpt_monitor_check_get_diagnosis (bgpt_monitor_lookup (fixture->setup.monitor, "default",
                                                                          "kommo.account"))->error_id,
                   ==, "kommo.rate-limit");
}

static void
test_one_check_in_flight (Fixture       *fixture,
                          gconstpointer  data)
{
  /* Each answer takes longer than the interval. */
  bgpt_simulator_set_delay (fixture->setup.simulator, "openai.key", 2200);
  bgpt_monitor_start (fixture->setup.monitor);
  bgpt_test_run_for (5000);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->setup.simulator, "openai.key"), <=, 3);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->setup.simulator, "openai.key"), >=, 2);
  /* Two checks of one account: never more than those two at once. */
  g_assert_cmpuint (fixture->max_in_flight, <=, 2);
}

static void
test_deep_check_hourly (Fixture       *fixture,
                        gconstpointer  data)
{
  g_settings_set_boolean (fixture->setup.settings, "deep-check", TRUE);
  bgpt_monitor_start (fixture->setup.monitor);
  bgpt_test_run_for (3500);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->setup.simulator, "openai.key"), >=, 3);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->setup.simulator, "openai.quota"), ==, 1);

  /* Even asked, it waits for its hour. */
  bgpt_monitor_check_now (fixture->setup.monitor, NULL);
  bgpt_test_run_for (1000);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->setup.simulator, "openai.quota"), ==, 1);
}

static void
test_silenced_incident_is_still_checked (Fixture       *fixture,
                                         gconstpointer  data)
{
  BgptIncident *incident;
  guint count;

  g_settings_set_uint (fixture->setup.settings, "failure-threshold", 1);
  bgpt_simulator_set_scenario (fixture->setup.simulator, "openai.key", BGPT_SCENARIO_QUOTA_EXCEEDED);
  bgpt_monitor_start (fixture->setup.monitor);
  wait_until (fixture, key_is_down, "the incident");

  incident = bgpt_incident_store_find_open (fixture->setup.incidents, "default", "openai.key");
  bgpt_incident_store_silence (fixture->setup.incidents, incident, BGPT_INCIDENT_SILENCE_UNTIL_RESOLVED);
  count = bgpt_incident_get_count (incident);

  /* Down checks are re-checked at check-interval (1 s here). */
  bgpt_test_run_for (2500);
  g_assert_cmpuint (bgpt_incident_get_count (incident), >, count);
  g_assert_true (bgpt_incident_is_silenced (incident, g_get_real_time ()));

  bgpt_simulator_set_scenario (fixture->setup.simulator, "openai.key", BGPT_SCENARIO_OK);
  wait_until (fixture, key_is_ok, "the recovery");
  g_assert_false (bgpt_incident_is_open (incident));
}

static gboolean
three_checks_down (Fixture *fixture)
{
  const char * const names[] = { "kommo.account", "openai.assistant", "openai.quota" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      BgptMonitorCheck *check = bgpt_monitor_lookup (fixture->setup.monitor, "default", names[i]);

      if (check == NULL || bgpt_monitor_check_get_state (check) != BGPT_MONITOR_STATE_DOWN)
        return FALSE;
    }
  return TRUE;
}

/* A check that goes away while down (deep check off, assistant cleared,
 * account removed) resolves its incident, and says so: the notifier
 * withdraws on incident-resolved only. Three root causes, none waiting for
 * another. */
static void
test_unwatched_check_resolves (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(BgptCheckConfig) config = make_config (fixture, "default");

  g_settings_set_uint (fixture->setup.settings, "failure-threshold", 1);
  g_settings_set_boolean (fixture->setup.settings, "deep-check", TRUE);
  config->assistant_id = g_strdup ("asst_MonitorUnwatched42");
  bgpt_monitor_set_account (fixture->setup.monitor, config);
  bgpt_simulator_set_scenario (fixture->setup.simulator, "kommo.account", BGPT_SCENARIO_SERVER_ERROR);
  bgpt_simulator_set_scenario (fixture->setup.simulator, "openai.assistant", BGPT_SCENARIO_SERVER_ERROR);
  bgpt_simulator_set_scenario (fixture->setup.simulator, "openai.quota", BGPT_SCENARIO_SERVER_ERROR);
  bgpt_monitor_start (fixture->setup.monitor);

  wait_until (fixture, three_checks_down, "three incidents");
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->setup.incidents), ==, 3);
  g_assert_cmpuint (fixture->resolved, ==, 0);

  g_settings_set_boolean (fixture->setup.settings, "deep-check", FALSE);
  g_assert_null (bgpt_monitor_lookup (fixture->setup.monitor, "default", "openai.quota"));
  g_assert_cmpuint (fixture->resolved, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->resolved_checks, 0), ==, "openai.quota");
  g_assert_null (bgpt_incident_store_find_open (fixture->setup.incidents, "default", "openai.quota"));
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->setup.incidents), ==, 2);

  g_clear_pointer (&config->assistant_id, g_free);
  bgpt_monitor_set_account (fixture->setup.monitor, config);
  g_assert_null (bgpt_monitor_lookup (fixture->setup.monitor, "default", "openai.assistant"));
  g_assert_cmpuint (fixture->resolved, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (fixture->resolved_checks, 1), ==, "openai.assistant");
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->setup.incidents), ==, 1);

  bgpt_monitor_remove_account (fixture->setup.monitor, "default");
  g_assert_cmpuint (fixture->resolved, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (fixture->resolved_checks, 2), ==, "kommo.account");
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->setup.incidents), ==, 0);
  g_assert_true (fixture->resolved_closed);
  g_assert_cmpuint (bgpt_monitor_count_down (fixture->setup.monitor), ==, 0);
}

static BgptMonitorState
state_of (Fixture    *fixture,
          const char *check)
{
  return bgpt_monitor_check_get_state (bgpt_monitor_lookup (fixture->setup.monitor, "default", check));
}

static gboolean
model_is_blocked (Fixture *fixture)
{
  return state_of (fixture, "openai.model") == BGPT_MONITOR_STATE_BLOCKED &&
         state_of (fixture, "openai.key") == BGPT_MONITOR_STATE_DOWN;
}

static gboolean
model_is_down_key_ok (Fixture *fixture)
{
  return state_of (fixture, "openai.model") == BGPT_MONITOR_STATE_DOWN &&
         state_of (fixture, "openai.key") == BGPT_MONITOR_STATE_OK;
}

/* A refused key is one root cause: what depends on it is blocked, raises
 * nothing and is not sent again, even when its own refusal arrives before
 * the key's. Fixed, the key lets the model speak: a wrong model is then a
 * new incident of its own. */
static void
test_dependents_wait_for_the_key (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(BgptCheckConfig) config = make_config (fixture, "default");
  BgptMonitorCheck *model;
  g_autofree char *key_incident = NULL;
  guint key_requests;
  gint64 deadline;

  config->model = g_strdup ("gpt-monitor-test");
  bgpt_monitor_set_account (fixture->setup.monitor, config);
  model = bgpt_monitor_lookup (fixture->setup.monitor, "default", "openai.model");
  /* One failure raises: a refusal judged before the key's would show. */
  g_settings_set_uint (fixture->setup.settings, "failure-threshold", 1);
  bgpt_simulator_set_delay (fixture->setup.simulator, "openai.key", 300);
  bgpt_simulator_set_refused_credential (fixture->setup.simulator, KEY);
  bgpt_monitor_start (fixture->setup.monitor);

  wait_until (fixture, model_is_blocked, "the key down, the model blocked");
  g_assert_cmpstr (bgpt_monitor_check_get_blocked_by (model), ==, "openai.key");
  key_requests = bgpt_simulator_count_requests (fixture->setup.simulator, "openai.key");
  deadline = g_get_monotonic_time () + bgpt_test_scaled_ms (15000) * 1000;
  while (bgpt_simulator_count_requests (fixture->setup.simulator, "openai.key") < key_requests + 4)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      bgpt_test_run_for (200);
    }

  g_assert_cmpint (state_of (fixture, "openai.model"), ==, BGPT_MONITOR_STATE_BLOCKED);
  g_assert_null (bgpt_monitor_check_get_incident_id (model));
  g_assert_cmpuint (bgpt_monitor_check_get_failures (model), ==, 0);
  g_assert_cmpuint (fixture->raised, ==, 1);
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->setup.incidents), ==, 1);
  g_assert_cmpuint (bgpt_monitor_count_down (fixture->setup.monitor), ==, 1);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->setup.simulator, "openai.model"), ==, 1);
  key_incident = g_strdup (bgpt_monitor_check_get_incident_id (key_check (fixture)));
  g_assert_nonnull (key_incident);

  bgpt_simulator_set_refused_credential (fixture->setup.simulator, NULL);
  bgpt_simulator_set_scenario (fixture->setup.simulator, "openai.model", BGPT_SCENARIO_NOT_FOUND);
  wait_until (fixture, model_is_down_key_ok, "the key ok, the model down");

  g_assert_null (bgpt_monitor_check_get_blocked_by (model));
  g_assert_cmpuint (fixture->raised, ==, 2);
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->setup.incidents), ==, 1);
  g_assert_false (bgpt_incident_is_open (bgpt_incident_store_lookup (fixture->setup.incidents, key_incident)));
  g_assert_cmpstr (bgpt_incident_get_error_id (bgpt_incident_store_find_open (fixture->setup.incidents, "default",
                                                                              "openai.model")),
                   ==, "openai.model");
  g_assert_cmpstr (bgpt_monitor_check_get_incident_id (model), !=, key_incident);
}

static gboolean
key_is_near_limit (Fixture *fixture)
{
  const BgptDiagnosis *diagnosis = bgpt_monitor_check_get_diagnosis (key_check (fixture));

  return key_is_down (fixture) && diagnosis != NULL &&
         g_strcmp0 (diagnosis->error_id, "openai.rate-limit-near") == 0;
}

static gboolean
key_is_rate_limited (Fixture *fixture)
{
  const BgptDiagnosis *diagnosis = bgpt_monitor_check_get_diagnosis (key_check (fixture));

  return diagnosis != NULL && g_strcmp0 (diagnosis->error_id, "openai.rate-limit") == 0 &&
         bgpt_incident_store_find_open (fixture->setup.incidents, "default", "openai.key") != NULL;
}

static gboolean
key_and_model_ok (Fixture *fixture)
{
  return key_is_ok (fixture) && state_of (fixture, "openai.model") == BGPT_MONITOR_STATE_OK;
}

/* The organization's headroom under 10 %: one warning, on the key's check,
 * through the thresholds like any failure; the model check (which sees the
 * same headers) is still sent and raises nothing. Back at 10 % it resolves
 * by itself; the 429 that may follow replaces it instead of adding one. */
typedef struct
{
  Fixture      *fixture;
  BgptIncident *near;
  guint         target;
} ModelWhileNear;

/* The warning's incident stays open (the key's state may read "checking"
 * while a re-check is in flight) until the model has been sent @target
 * times in all. */
static gboolean
model_sent_while_near (gpointer data)
{
  ModelWhileNear *wait = data;

  g_assert_true (bgpt_incident_is_open (wait->near));
  return bgpt_simulator_count_requests (wait->fixture->setup.simulator, "openai.model") >= wait->target;
}

static void
test_rate_limit_near (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(BgptCheckConfig) config = make_config (fixture, "default");
  g_autoptr(BgptIncident) near = NULL;
  const BgptDiagnosis *diagnosis;

  config->model = g_strdup ("gpt-monitor-test");
  bgpt_monitor_set_account (fixture->setup.monitor, config);
  bgpt_monitor_start (fixture->setup.monitor);
  wait_until (fixture, key_and_model_ok, "the key and the model fine");
  diagnosis = bgpt_monitor_check_get_diagnosis (key_check (fixture));
  g_assert_cmpint (diagnosis->rate_limit.requests.limit, ==, BGPT_SIMULATOR_RATE_LIMIT_REQUESTS);
  g_assert_cmpint (diagnosis->rate_limit.tokens.remaining, ==, 1900000);

  /* One token under a tenth of the limit. */
  bgpt_simulator_set_rate_limit_remaining (fixture->setup.simulator, 4980,
                                           BGPT_SIMULATOR_RATE_LIMIT_TOKENS / 10 - 1);
  wait_until (fixture, key_is_near_limit, "the near-limit warning");
  g_assert_cmpuint (key_failures (fixture), ==, 3);
  g_assert_cmpuint (fixture->raised, ==, 1);
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->setup.incidents), ==, 1);
  near = g_object_ref (bgpt_incident_store_find_open (fixture->setup.incidents, "default", "openai.key"));
  g_assert_cmpstr (bgpt_incident_get_error_id (near), ==, "openai.rate-limit-near");
  diagnosis = bgpt_monitor_check_get_diagnosis (key_check (fixture));
  g_assert_cmpint (diagnosis->rate_limit.tokens.remaining, ==, 199999);

  /* The dependent is not blocked: it is still sent and passes. */
  {
    ModelWhileNear wait = { fixture, near, 0 };

    wait.target = bgpt_simulator_count_requests (fixture->setup.simulator, "openai.model") + 2;
    bgpt_test_assert_until (model_sent_while_near, &wait, "two more model checks while the warning is open");
  }
  g_assert_null (bgpt_monitor_check_get_blocked_by (bgpt_monitor_lookup (fixture->setup.monitor, "default",
                                                                          "openai.model")));
  g_assert_true (bgpt_diagnosis_is_ok (bgpt_monitor_check_get_diagnosis (
    bgpt_monitor_lookup (fixture->setup.monitor, "default", "openai.model"))));
  g_assert_cmpuint (fixture->raised, ==, 1);

  /* Exactly a tenth left is no longer under it. */
  bgpt_simulator_set_rate_limit_remaining (fixture->setup.simulator, 4980,
                                           BGPT_SIMULATOR_RATE_LIMIT_TOKENS / 10);
  wait_until (fixture, key_is_ok, "the warning resolved");
  g_assert_false (bgpt_incident_is_open (near));
  g_assert_cmpuint (fixture->resolved, ==, 1);
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->setup.incidents), ==, 0);

  /* Near again, then the 429: still one open incident, now the 429's. */
  g_clear_object (&near);
  bgpt_simulator_set_rate_limit_headers (fixture->setup.simulator, BGPT_RATE_LIMIT_HEADERS_NEAR);
  wait_until (fixture, key_is_near_limit, "the near-limit warning again");
  near = g_object_ref (bgpt_incident_store_find_open (fixture->setup.incidents, "default", "openai.key"));
  bgpt_simulator_set_scenario (fixture->setup.simulator, "openai.key", BGPT_SCENARIO_RATE_LIMITED);
  wait_until (fixture, key_is_rate_limited, "the 429");
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->setup.incidents), ==, 1);
  g_assert_false (bgpt_incident_is_open (near));
  g_assert_cmpuint (bgpt_monitor_count_down (fixture->setup.monitor), ==, 1);
}

static void
test_threshold_changed_mid_run (Fixture       *fixture,
                                gconstpointer  data)
{
  g_settings_set_uint (fixture->setup.settings, "failure-threshold", 10);
  bgpt_simulator_set_scenario (fixture->setup.simulator, "openai.key", BGPT_SCENARIO_SERVER_ERROR);
  bgpt_monitor_start (fixture->setup.monitor);

  wait_until (fixture, key_failed_twice, "two failures");
  g_assert_cmpint (key_state (fixture), ==, BGPT_MONITOR_STATE_FAILING);

  /* Lowered to what has already happened: raised at once. */
  g_settings_set_uint (fixture->setup.settings, "failure-threshold", 2);
  g_assert_cmpint (key_state (fixture), ==, BGPT_MONITOR_STATE_DOWN);
  g_assert_cmpuint (fixture->raised, ==, 1);
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->setup.incidents), ==, 1);

  /* Success threshold raised while recovering: it takes effect too. */
  g_settings_set_uint (fixture->setup.settings, "success-threshold", 3);
  bgpt_simulator_set_scenario (fixture->setup.simulator, "openai.key", BGPT_SCENARIO_OK);
  wait_until (fixture, key_succeeded_once, "a success");
  bgpt_test_run_for (1200);
  g_assert_cmpuint (bgpt_monitor_check_get_successes (key_check (fixture)), <, 3);
  g_assert_cmpint (key_state (fixture), ==, BGPT_MONITOR_STATE_DOWN);
  wait_until (fixture, key_is_ok, "the third success");
  g_assert_cmpuint (bgpt_monitor_check_get_successes (key_check (fixture)), ==, 3);
}

static void
test_interval_changed_mid_run (Fixture       *fixture,
                               gconstpointer  data)
{
  guint requests;

  g_settings_set_uint (fixture->setup.settings, "check-interval", 3600);
  bgpt_monitor_start (fixture->setup.monitor);
  wait_until (fixture, key_has_result, "the first round");
  bgpt_test_run_for (2000);
  requests = bgpt_simulator_count_requests (fixture->setup.simulator, "openai.key");
  g_assert_cmpuint (requests, ==, 1);

  g_settings_set_uint (fixture->setup.settings, "check-interval", 1);
  bgpt_test_run_for (2500);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->setup.simulator, "openai.key"), >=, requests + 2);
}

static void
test_concurrency_is_bounded (Fixture       *fixture,
                             gconstpointer  data)
{
  bgpt_monitor_remove_account (fixture->setup.monitor, "default");
  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *id = g_strdup_printf ("account-%u", i);
      g_autoptr(BgptCheckConfig) config = make_config (fixture, id);

      g_clear_pointer (&config->kommo_base_url, g_free);
      bgpt_monitor_set_account (fixture->setup.monitor, config);
    }
  g_settings_set_uint (fixture->setup.settings, "check-interval", 3600);
  bgpt_monitor_set_max_concurrent (fixture->setup.monitor, 4);
  bgpt_simulator_set_delay (fixture->setup.simulator, NULL, 300);
  bgpt_monitor_start (fixture->setup.monitor);

  bgpt_test_run_for (2500);
  /* 12 accounts, 4 at a time, 300 ms each: all done in about 0.9 s. */
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->setup.simulator, "openai.key"), ==, 12);
  g_assert_cmpuint (fixture->max_in_flight, <=, 4);
  g_assert_cmpuint (fixture->max_in_flight, >=, 2);
}

/* ---- the rules, result by result, without timers ---- */

/* One result and what the rules must make of it. */
typedef struct
{
  char             result;     /* 'F' failed, 'P' passed, 'f'/'p' asked by the user */
  BgptMonitorStep  step;
  BgptMonitorState state;
} Turn;

/* Feeds @turns to the rules from a check that has not answered yet. */
static BgptMonitorTally
walk (guint       failure_threshold,
      guint       success_threshold,
      const Turn *turns,
      gsize       n_turns)
{
  BgptMonitorThresholds limits = { failure_threshold, success_threshold };
  BgptMonitorTally tally = { 0 };

  for (gsize i = 0; i < n_turns; i++)
    {
      gboolean passed = turns[i].result == 'P' || turns[i].result == 'p';
      gboolean confirm = g_ascii_islower (turns[i].result);
      BgptMonitorVerdict verdict = bgpt_monitor_rules_judge (&tally, passed, confirm, &limits);

      if (verdict.step != turns[i].step || verdict.state != turns[i].state)
        g_error ("result %zu (%c): step %d, state %d; expected step %d, state %d", i,
                 turns[i].result, verdict.step, verdict.state, turns[i].step, turns[i].state);
      tally = verdict.tally;
    }
  return tally;
}

static void
test_rules_failures_in_a_row (void)
{
  const Turn turns[] = {
    { 'F', BGPT_MONITOR_STEP_NONE, BGPT_MONITOR_STATE_FAILING },
    { 'F', BGPT_MONITOR_STEP_NONE, BGPT_MONITOR_STATE_FAILING },
    /* A success in between starts the count again. */
    { 'P', BGPT_MONITOR_STEP_NONE, BGPT_MONITOR_STATE_OK },
    { 'F', BGPT_MONITOR_STEP_NONE, BGPT_MONITOR_STATE_FAILING },
    { 'F', BGPT_MONITOR_STEP_NONE, BGPT_MONITOR_STATE_FAILING },
    { 'F', BGPT_MONITOR_STEP_RAISE, BGPT_MONITOR_STATE_DOWN },
    { 'F', BGPT_MONITOR_STEP_UPDATE, BGPT_MONITOR_STATE_DOWN },
    /* Successes in a row resolve it; a failure in between counts again. */
    { 'P', BGPT_MONITOR_STEP_NONE, BGPT_MONITOR_STATE_DOWN },
    { 'F', BGPT_MONITOR_STEP_UPDATE, BGPT_MONITOR_STATE_DOWN },
    { 'P', BGPT_MONITOR_STEP_NONE, BGPT_MONITOR_STATE_DOWN },
    { 'P', BGPT_MONITOR_STEP_RESOLVE, BGPT_MONITOR_STATE_OK },
    { 'P', BGPT_MONITOR_STEP_NONE, BGPT_MONITOR_STATE_OK },
  };
  BgptMonitorTally tally = walk (3, 2, turns, G_N_ELEMENTS (turns));

  g_assert_false (tally.incident_open);
  g_assert_cmpuint (tally.failures, ==, 0);
  g_assert_cmpuint (tally.successes, ==, 3);
}

static void
test_rules_threshold_of_one (void)
{
  const Turn turns[] = {
    { 'F', BGPT_MONITOR_STEP_RAISE, BGPT_MONITOR_STATE_DOWN },
    { 'P', BGPT_MONITOR_STEP_RESOLVE, BGPT_MONITOR_STATE_OK },
    /* The user's check is no different at a threshold of one. */
    { 'f', BGPT_MONITOR_STEP_RAISE, BGPT_MONITOR_STATE_DOWN },
  };
  BgptMonitorTally tally = walk (1, 1, turns, G_N_ELEMENTS (turns));

  g_assert_true (tally.incident_open);
  g_assert_false (tally.quiet);
}

static void
test_rules_user_check (void)
{
  const Turn turns[] = {
    /* Shown at once, announced only at the threshold. */
    { 'f', BGPT_MONITOR_STEP_RAISE_QUIET, BGPT_MONITOR_STATE_FAILING },
    { 'F', BGPT_MONITOR_STEP_RAISE_QUIET, BGPT_MONITOR_STATE_FAILING },
    { 'F', BGPT_MONITOR_STEP_ANNOUNCE, BGPT_MONITOR_STATE_DOWN },
    { 'F', BGPT_MONITOR_STEP_UPDATE, BGPT_MONITOR_STATE_DOWN },
    /* The user's success resolves at once, whatever the threshold. */
    { 'p', BGPT_MONITOR_STEP_RESOLVE, BGPT_MONITOR_STATE_OK },
    /* A quiet incident that recovers resolves quietly too. */
    { 'f', BGPT_MONITOR_STEP_RAISE_QUIET, BGPT_MONITOR_STATE_FAILING },
    { 'P', BGPT_MONITOR_STEP_NONE, BGPT_MONITOR_STATE_DOWN },
    { 'P', BGPT_MONITOR_STEP_RESOLVE, BGPT_MONITOR_STATE_OK },
  };
  BgptMonitorTally tally = walk (3, 2, turns, G_N_ELEMENTS (turns));

  g_assert_false (tally.incident_open);
  g_assert_false (tally.quiet);
}

/* Thresholds changed between results. */
static void
test_rules_reconsider (void)
{
  BgptMonitorThresholds lowered = { 2, 1 };
  BgptMonitorThresholds kept = { 3, 2 };
  BgptMonitorTally failing = { .failures = 2, .latest_failed = TRUE };
  BgptMonitorTally quiet = { .failures = 2, .incident_open = TRUE, .quiet = TRUE, .latest_failed = TRUE };
  BgptMonitorTally recovering = { .successes = 1, .incident_open = TRUE };
  BgptMonitorTally blocked = { .latest_failed = TRUE };

  g_assert_cmpint (bgpt_monitor_rules_reconsider (&failing, &kept), ==, BGPT_MONITOR_STEP_NONE);
  g_assert_cmpint (bgpt_monitor_rules_reconsider (&failing, &lowered), ==, BGPT_MONITOR_STEP_RAISE);
  g_assert_cmpint (bgpt_monitor_rules_reconsider (&quiet, &kept), ==, BGPT_MONITOR_STEP_NONE);
  g_assert_cmpint (bgpt_monitor_rules_reconsider (&quiet, &lowered), ==, BGPT_MONITOR_STEP_ANNOUNCE);
  g_assert_cmpint (bgpt_monitor_rules_reconsider (&recovering, &kept), ==, BGPT_MONITOR_STEP_NONE);
  g_assert_cmpint (bgpt_monitor_rules_reconsider (&recovering, &lowered), ==, BGPT_MONITOR_STEP_RESOLVE);
  /* No count (a blocked check): nothing to confirm. */
  g_assert_cmpint (bgpt_monitor_rules_reconsider (&blocked, &lowered), ==, BGPT_MONITOR_STEP_NONE);
}

/* ---- busy ---- */

static void
on_busy (BgptMonitor *monitor,
         GParamSpec  *pspec,
         guint       *spells)
{
  if (!bgpt_monitor_get_busy (monitor))
    (*spells)++;
}

static gboolean
round_over (Fixture *fixture)
{
  return fixture->started > 0 && !bgpt_monitor_get_busy (fixture->setup.monitor);
}

/* Busy from the first check sent to the last answer of the round, the
 * dependents that waited for the key included: one spell. */
static void
test_busy_for_a_round (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(BgptCheckConfig) config = make_config (fixture, "default");
  guint spells = 0;

  g_settings_set_uint (fixture->setup.settings, "check-interval", 3600);
  config->model = g_strdup ("gpt-4.1-mini");
  bgpt_monitor_set_account (fixture->setup.monitor, config);
  bgpt_simulator_set_delay (fixture->setup.simulator, NULL, 100);
  g_signal_connect (fixture->setup.monitor, "notify::busy", G_CALLBACK (on_busy), &spells);
  g_assert_false (bgpt_monitor_get_busy (fixture->setup.monitor));

  bgpt_monitor_start (fixture->setup.monitor);
  g_assert_true (bgpt_monitor_get_busy (fixture->setup.monitor));
  wait_until (fixture, round_over, "the round to end");
  g_assert_cmpuint (spells, ==, 1);
  g_assert_cmpuint (fixture->finished, ==, 3);
  g_assert_cmpint (bgpt_monitor_check_get_state (bgpt_monitor_lookup (fixture->setup.monitor, "default", "openai.model")),
                   ==, BGPT_MONITOR_STATE_OK);

  /* Offline: what is in flight is cancelled, and the monitor rests. */
  bgpt_monitor_check_now (fixture->setup.monitor, NULL);
  g_assert_true (bgpt_monitor_get_busy (fixture->setup.monitor));
  bgpt_static_network_monitor_set_available (fixture->network, FALSE);
  wait_until (fixture, round_over, "the cancelled round to end");
  g_assert_cmpuint (spells, ==, 2);
  bgpt_monitor_check_now (fixture->setup.monitor, NULL);
  g_assert_false (bgpt_monitor_get_busy (fixture->setup.monitor));
}

/* ---- result history (bgpt-history-recorder) ---- */

typedef struct
{
  BgptHistory *history;
  guint        n_key;
  guint        n_model;
} HistoryWatch;

static gboolean
history_has_key_failures_and_blocked (gpointer data)
{
  HistoryWatch *watch = data;
  GArray *key = bgpt_history_get_results (watch->history, "default", "openai.key");
  GArray *model = bgpt_history_get_results (watch->history, "default", "openai.model");
  guint failed = 0, blocked = 0;

  for (guint i = 0; i < key->len; i++)
    failed += g_array_index (key, BgptHistoryResult, i).outcome == BGPT_OUTCOME_FAILED;
  for (guint i = 0; i < model->len; i++)
    blocked += g_array_index (model, BgptHistoryResult, i).outcome == BGPT_OUTCOME_BLOCKED;
  return failed >= 2 && blocked >= 1;
}

static gboolean
history_has_more_key_results (gpointer data)
{
  HistoryWatch *watch = data;

  return bgpt_history_get_results (watch->history, "default", "openai.key")->len > watch->n_key;
}

/* Every result goes into the history: ok with its elapsed time, a failure
 * with its catalog id, blocked for the dependent (not a failure of its
 * own), and unknown for every check when the network goes. */
static void
test_results_recorded (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(BgptCheckConfig) config = make_config (fixture, "default");
  g_autofree char *directory = g_build_filename (fixture->setup.directory, "history", NULL);
  g_autoptr(BgptHistory) history = bgpt_history_new (directory);
  g_autoptr(BgptHistory) reread = NULL;
  HistoryWatch watch = { history, 0, 0 };
  GArray *key;
  GArray *model;
  const BgptHistoryResult *last;

  g_assert_true (bgpt_history_load (history, NULL));
  bgpt_history_follow_monitor (history, fixture->setup.monitor);
  config->model = g_strdup ("gpt-monitor-test");
  bgpt_monitor_set_account (fixture->setup.monitor, config);
  bgpt_simulator_set_refused_credential (fixture->setup.simulator, KEY);
  bgpt_monitor_start (fixture->setup.monitor);
  g_assert_true (bgpt_test_wait_until (history_has_key_failures_and_blocked, &watch));

  key = bgpt_history_get_results (history, "default", "openai.key");
  for (guint i = 0; i < key->len; i++)
    {
      const BgptHistoryResult *result = &g_array_index (key, BgptHistoryResult, i);

      g_assert_cmpint (result->outcome, ==, BGPT_OUTCOME_FAILED);
      g_assert_cmpstr (result->error_id, ==, "openai.auth");
    }
  model = bgpt_history_get_results (history, "default", "openai.model");
  for (guint i = 0; i < model->len; i++)
    g_assert_cmpint (g_array_index (model, BgptHistoryResult, i).outcome, !=, BGPT_OUTCOME_FAILED);

  bgpt_simulator_set_refused_credential (fixture->setup.simulator, NULL);
  watch.n_key = key->len;
  while (g_array_index (key, BgptHistoryResult, key->len - 1).outcome != BGPT_OUTCOME_OK)
    {
      watch.n_key = key->len;
      g_assert_true (bgpt_test_wait_until (history_has_more_key_results, &watch));
    }
  last = &g_array_index (key, BgptHistoryResult, key->len - 1);
  g_assert_cmpint (last->time, <=, g_get_real_time () / G_USEC_PER_SEC);
  g_assert_cmpint (last->time, >=, g_get_real_time () / G_USEC_PER_SEC - 60);

  watch.n_key = key->len;
  bgpt_static_network_monitor_set_available (fixture->network, FALSE);
  g_assert_true (bgpt_test_wait_until (history_has_more_key_results, &watch));
  g_assert_cmpint (g_array_index (key, BgptHistoryResult, key->len - 1).outcome, ==, BGPT_OUTCOME_UNKNOWN);

  /* And it is on disk as it is in memory. */
  reread = bgpt_history_new (directory);
  g_assert_true (bgpt_history_load (reread, NULL));
  g_assert_cmpuint (bgpt_history_get_results (reread, "default", "openai.key")->len, ==, key->len);
  bgpt_monitor_stop (fixture->setup.monitor);
  bgpt_history_forget_account (history, "default", NULL);
  g_rmdir (directory);
}

/* ---- end of result history ---- */

typedef struct
{
  Fixture    *fixture;
  const char *endpoint;
  guint       target;
} RequestsWait;

static gboolean
requests_reached (gpointer data)
{
  RequestsWait *wait = data;

  return bgpt_simulator_count_requests (wait->fixture->setup.simulator, wait->endpoint) >= wait->target;
}

static gboolean
costs_ok (Fixture *fixture)
{
  BgptMonitorCheck *costs = bgpt_monitor_lookup (fixture->setup.monitor, "default", "openai.costs");

  return bgpt_monitor_check_get_state (costs) == BGPT_MONITOR_STATE_OK;
}

/* An account with an admin key has an openai.costs check, read once an
 * hour however often the other checks run, and again only when the user
 * asks; nothing depends on it, and without the key it is gone. */
static void
test_costs_hourly (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(BgptCheckConfig) config = make_config (fixture, "default");
  RequestsWait wait = { fixture, "openai.key", 0 };
  BgptMonitorCheck *costs;

  g_assert_null (bgpt_monitor_lookup (fixture->setup.monitor, "default", "openai.costs"));
  config->openai_admin_key = g_strdup ("sk-admin-MonitorCosts0123456789abcdef");
  config->monthly_budget_usd = 100;
  bgpt_monitor_set_account (fixture->setup.monitor, config);
  costs = bgpt_monitor_lookup (fixture->setup.monitor, "default", "openai.costs");
  g_assert_nonnull (costs);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->setup.monitor)), ==, 3);

  bgpt_monitor_start (fixture->setup.monitor);
  wait_until (fixture, costs_ok, "the costs to be read");

  /* Five rounds of the other checks (one a second), the costs read once;
   * "check now" is not a request to read them again. */
  wait.target = 5;
  bgpt_test_assert_until (requests_reached, &wait, "five rounds");
  bgpt_monitor_check_now (fixture->setup.monitor, NULL);
  wait.target = 7;
  bgpt_test_assert_until (requests_reached, &wait, "two more rounds");
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->setup.simulator, "openai.costs"), ==, 1);
  g_assert_cmpint (bgpt_monitor_check_get_state (costs), ==, BGPT_MONITOR_STATE_OK);
  g_assert_null (bgpt_monitor_check_get_incident_id (costs));

  /* The user's own check reads them. */
  bgpt_monitor_confirm_now (fixture->setup.monitor, "default");
  wait.endpoint = "openai.costs";
  wait.target = 2;
  bgpt_test_assert_until (requests_reached, &wait, "the costs read again");

  /* The admin key removed: no costs check. */
  g_clear_pointer (&config->openai_admin_key, g_free);
  bgpt_monitor_set_account (fixture->setup.monitor, config);
  g_assert_null (bgpt_monitor_lookup (fixture->setup.monitor, "default", "openai.costs"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->setup.monitor)), ==, 2);
}

static gboolean
costs_down (Fixture *fixture)
{
  BgptMonitorCheck *costs = bgpt_monitor_lookup (fixture->setup.monitor, "default", "openai.costs");

  return bgpt_monitor_check_get_state (costs) == BGPT_MONITOR_STATE_DOWN;
}

/* Spent past the budget: raised at the first reading (a verdict needs no
 * confirmation), and resolved when the account goes. */
static void
test_costs_account_removed (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(BgptCheckConfig) config = make_config (fixture, "default");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const double usd[] = { 5, 5, 5 };
  BgptIncident *incident;

  bgpt_simulator_set_costs (fixture->setup.simulator, now, usd, G_N_ELEMENTS (usd));
  config->openai_admin_key = g_strdup ("sk-admin-MonitorCosts0123456789abcdef");
  config->monthly_budget_usd = 1;
  bgpt_monitor_set_account (fixture->setup.monitor, config);
  bgpt_monitor_start (fixture->setup.monitor);
  wait_until (fixture, costs_down, "the budget's incident");
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->setup.simulator, "openai.costs"), ==, 1);
  incident = bgpt_incident_store_find_open (fixture->setup.incidents, "default", "openai.costs");
  g_assert_nonnull (incident);
  g_assert_cmpstr (bgpt_incident_get_error_id (incident), ==, "openai.budget");
  g_assert_cmpstr (bgpt_incident_get_reason (incident), ==, "spent");
  g_assert_cmpuint (fixture->raised, ==, 1);

  bgpt_monitor_remove_account (fixture->setup.monitor, "default");
  g_assert_false (bgpt_incident_is_open (incident));
  g_assert_cmpuint (fixture->resolved, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->resolved_checks, 0), ==, "openai.costs");
}


/* The key replaced while its check is in flight with the old one (the user
 * fixing a refused key, say): the old answer counts for nothing, and the
 * new key is checked at once rather than after the retry interval. */
static void
test_settings_changed_mid_run (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(BgptCheckConfig) config = make_config (fixture, "default");
  RequestsWait first = { fixture, "openai.key", 1 };

  g_settings_set_uint (fixture->setup.settings, "failure-threshold", 1);
  /* Long enough that the old key's answer is still to come. */
  bgpt_simulator_set_delay (fixture->setup.simulator, "openai.key", 2000);
  bgpt_simulator_set_refused_credential (fixture->setup.simulator, KEY);
  bgpt_monitor_start (fixture->setup.monitor);
  bgpt_test_assert_until (requests_reached, &first, "the old key's request");

  g_free (config->openai_api_key);
  config->openai_api_key = g_strdup ("sk-test-monitor-replaced-0123456789");
  bgpt_monitor_set_account (fixture->setup.monitor, config);
  wait_until (fixture, key_is_ok, "the new key to pass");

  g_assert_cmpuint (fixture->raised, ==, 0);
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->setup.incidents), ==, 0);
  g_assert_null (bgpt_monitor_check_get_incident_id (key_check (fixture)));
  g_assert_cmpuint (bgpt_monitor_check_get_failures (key_check (fixture)), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/monitor/checks", test_watches_the_configured_checks);
  ADD ("/monitor/confirmation", test_confirmation_after_threshold);
  ADD ("/monitor/resolution", test_resolution_after_threshold);
  ADD ("/monitor/user-check", test_user_check_confirms_at_once);
  ADD ("/monitor/user-incident-announced", test_user_incident_announced_at_threshold);
  ADD ("/monitor/offline", test_offline_suppresses_checks);
  ADD ("/monitor/offline-debounced", test_network_flap_is_debounced);
  ADD ("/monitor/retry-after", test_retry_after_is_honoured);
  ADD ("/monitor/retry-after-scope", test_retry_after_only_when_asked);
  ADD ("/monitor/retry-after-capped", test_retry_after_capped_and_overridden_once);
  ADD ("/monitor/quota-waits-a-round", test_quota_waits_a_round);
  ADD ("/monitor/rate-limit", test_rate_limit_backs_off);
  ADD ("/monitor/one-in-flight", test_one_check_in_flight);
  ADD ("/monitor/deep-check-hourly", test_deep_check_hourly);
  ADD ("/monitor/silenced", test_silenced_incident_is_still_checked);
  ADD ("/monitor/unwatched-resolves", test_unwatched_check_resolves);
  ADD ("/monitor/dependents-wait", test_dependents_wait_for_the_key);
  ADD ("/monitor/rate-limit-near", test_rate_limit_near);
  ADD ("/monitor/threshold-live", test_threshold_changed_mid_run);
  ADD ("/monitor/interval-live", test_interval_changed_mid_run);
  ADD ("/monitor/settings-live", test_settings_changed_mid_run);
  ADD ("/monitor/concurrency", test_concurrency_is_bounded);
  ADD ("/monitor/busy", test_busy_for_a_round);

  g_test_add_func ("/monitor/rules/failures-in-a-row", test_rules_failures_in_a_row);
  g_test_add_func ("/monitor/rules/threshold-of-one", test_rules_threshold_of_one);
  g_test_add_func ("/monitor/rules/user-check", test_rules_user_check);
  g_test_add_func ("/monitor/rules/reconsider", test_rules_reconsider);
  ADD ("/monitor/history", test_results_recorded);
  ADD ("/monitor/costs-hourly", test_costs_hourly);
  ADD ("/monitor/costs-account-removed", test_costs_account_removed);

  return g_test_run ();
}
