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
#include "bgpt-simulator.h"
#include "bgpt-test-utils.h"

#define KEY "sk-test-monitor-0123456789abcdef"
#define TOKEN "kommo-test-token-0123456789"

/* ---- a network monitor the test switches off and on ---- */

#define TEST_TYPE_NETWORK (test_network_get_type ())
G_DECLARE_FINAL_TYPE (TestNetwork, test_network, TEST, NETWORK, GObject)

struct _TestNetwork
{
  GObject  parent_instance;
  gboolean available;
};

enum { NET_PROP_0, NET_PROP_AVAILABLE, NET_PROP_METERED, NET_PROP_CONNECTIVITY };

static gboolean
test_network_initable_init (GInitable     *initable,
                            GCancellable  *cancellable,
                            GError       **error)
{
  return TRUE;
}

static void
test_network_initable_iface_init (GInitableIface *iface)
{
  iface->init = test_network_initable_init;
}

static gboolean
test_network_can_reach (GNetworkMonitor     *monitor,
                        GSocketConnectable  *connectable,
                        GCancellable        *cancellable,
                        GError             **error)
{
  return TEST_NETWORK (monitor)->available;
}

static void
test_network_monitor_iface_init (GNetworkMonitorInterface *iface)
{
  iface->can_reach = test_network_can_reach;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestNetwork, test_network, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      test_network_initable_iface_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR,
                                                      test_network_monitor_iface_init))

static void
test_network_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TestNetwork *self = TEST_NETWORK (object);

  switch (prop_id)
    {
    case NET_PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case NET_PROP_METERED:
      g_value_set_boolean (value, FALSE);
      break;
    case NET_PROP_CONNECTIVITY:
      g_value_set_enum (value, self->available ? G_NETWORK_CONNECTIVITY_FULL
                                               : G_NETWORK_CONNECTIVITY_LOCAL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_network_class_init (TestNetworkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_network_get_property;
  g_object_class_override_property (object_class, NET_PROP_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, NET_PROP_METERED, "network-metered");
  g_object_class_override_property (object_class, NET_PROP_CONNECTIVITY, "connectivity");
}

static void
test_network_init (TestNetwork *self)
{
  self->available = TRUE;
}

static void
test_network_set_available (TestNetwork *self,
                            gboolean     available)
{
  self->available = available;
  g_object_notify (G_OBJECT (self), "network-available");
  g_signal_emit_by_name (self, "network-changed", available);
}

/* The store saves from a worker thread that holds it for a moment. */
static void
assert_store_finalized (BgptIncidentStore *incidents)
{
  gpointer weak = incidents;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  g_object_add_weak_pointer (G_OBJECT (incidents), &weak);
  bgpt_incident_store_flush (incidents, NULL);
  g_object_unref (incidents);
  while (weak != NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (weak);
}

/* ---- fixture ---- */

typedef struct
{
  BgptSimulator     *simulator;
  GSettings         *settings;
  BgptIncidentStore *incidents;
  TestNetwork       *network;
  BgptMonitor       *monitor;
  char              *directory;
  char              *openai_base_url;
  guint              started;
  guint              finished;
  guint              max_in_flight;
  guint              raised;
  guint              resolved;
  GPtrArray         *resolved_checks; /* check names, in order */
  gboolean           resolved_closed; /* every incident told resolved was closed */
  GArray            *key_started_at;  /* gint64, monotonic, openai.key only */
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

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (bgpt_incident_store_load_finish (BGPT_INCIDENT_STORE (source), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static BgptCheckConfig *
make_config (Fixture    *fixture,
             const char *account_id)
{
  BgptCheckConfig *config = bgpt_check_config_new (account_id);

  config->display_name = g_strdup ("Loja Teste");
  config->kommo_base_url = g_strdup (bgpt_simulator_get_base_url (fixture->simulator));
  config->kommo_token = g_strdup (TOKEN);
  config->openai_base_url = g_strdup (fixture->openai_base_url);
  config->openai_api_key = g_strdup (KEY);
  return config;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BgptCheckConfig) config = NULL;
  g_autofree char *path = NULL;
  gboolean loaded = FALSE;

  fixture->simulator = bgpt_simulator_new (&error);
  g_assert_no_error (error);
  fixture->openai_base_url = bgpt_simulator_dup_openai_base_url (fixture->simulator);

  fixture->settings = g_settings_new (APPLICATION_ID);
  g_settings_set_uint (fixture->settings, "check-interval", 1);
  g_settings_set_uint (fixture->settings, "retry-interval", 1);
  g_settings_set_uint (fixture->settings, "failure-threshold", 3);
  g_settings_set_uint (fixture->settings, "success-threshold", 2);
  g_settings_set_uint (fixture->settings, "timeout", 5);

  fixture->directory = g_dir_make_tmp ("bgpt-test-monitor-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->directory, "incidents.json", NULL);
  fixture->incidents = bgpt_incident_store_new (path);
  bgpt_incident_store_load_async (fixture->incidents, NULL, on_loaded, &loaded);
  while (!loaded)
    g_main_context_iteration (NULL, TRUE);

  fixture->network = g_object_new (TEST_TYPE_NETWORK, NULL);
  fixture->key_started_at = g_array_new (FALSE, FALSE, sizeof (gint64));
  fixture->resolved_checks = g_ptr_array_new_with_free_func (g_free);
  fixture->resolved_closed = TRUE;

  fixture->monitor = bgpt_monitor_new (fixture->settings, fixture->incidents);
  bgpt_monitor_set_network_monitor (fixture->monitor, G_NETWORK_MONITOR (fixture->network));
  g_signal_connect (fixture->monitor, "check-started", G_CALLBACK (on_check_started), fixture);
  g_signal_connect (fixture->monitor, "check-finished", G_CALLBACK (on_check_finished), fixture);
  g_signal_connect (fixture->monitor, "incident-raised", G_CALLBACK (on_raised), fixture);
  g_signal_connect (fixture->monitor, "incident-resolved", G_CALLBACK (on_resolved), fixture);

  config = make_config (fixture, "default");
  bgpt_monitor_set_account (fixture->monitor, config);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  const char * const keys[] = { "check-interval", "retry-interval", "failure-threshold",
                                "success-threshold", "timeout", "deep-check" };
  g_autofree char *path = g_build_filename (fixture->directory, "incidents.json", NULL);

  bgpt_monitor_stop (fixture->monitor);
  /* Let the cancelled requests wind down. */
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_finalize_object (fixture->monitor);
  g_assert_finalize_object (fixture->network);
  assert_store_finalized (fixture->incidents);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_settings_reset (fixture->settings, keys[i]);
  g_clear_object (&fixture->settings);
  g_clear_object (&fixture->simulator);
  g_array_unref (fixture->key_started_at);
  g_ptr_array_unref (fixture->resolved_checks);
  g_remove (path);
  g_rmdir (fixture->directory);
  g_free (fixture->directory);
  g_free (fixture->openai_base_url);
}

/* ---- waiting ---- */

static gboolean
on_deadline (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop for @ms milliseconds. */
static void
run_for (guint ms)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add (ms, on_deadline, &expired);

  while (!expired)
    g_main_context_iteration (NULL, TRUE);
  (void) id;
}

typedef gboolean (*Condition) (Fixture *fixture);

/* Runs the main loop until @condition holds; fails after the tests' one
 * generous bound (bgpt-test-utils.h). */
static void
wait_until (Fixture    *fixture,
            Condition   condition,
            const char *what)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add (bgpt_test_wait_bound_ms (), on_deadline, &expired);

  while (!condition (fixture) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  if (!condition (fixture))
    g_error ("Timed out after %u ms waiting for: %s", bgpt_test_wait_bound_ms (), what);
}

static gboolean
kommo_is_ok (Fixture *fixture)
{
  return bgpt_monitor_check_get_state (bgpt_monitor_lookup (fixture->monitor, "default", "kommo.account")) ==
         BGPT_MONITOR_STATE_OK;
}

static BgptMonitorCheck *
key_check (Fixture *fixture)
{
  return bgpt_monitor_lookup (fixture->monitor, "default", "openai.key");
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

/* ---- tests ---- */

static void
test_watches_the_configured_checks (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(BgptCheckConfig) config = make_config (fixture, "second");
  g_autoptr(BgptMonitorCheck) first = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->monitor)), ==, 2);
  first = g_list_model_get_item (G_LIST_MODEL (fixture->monitor), 0);
  g_assert_cmpstr (bgpt_monitor_check_get_check (first), ==, "kommo.account");
  g_assert_cmpint (bgpt_monitor_check_get_state (first), ==, BGPT_MONITOR_STATE_UNKNOWN);

  config->model = g_strdup ("gpt-4.1-mini");
  config->assistant_id = g_strdup ("asst_abc123DEF456ghi789JKL0");
  bgpt_monitor_set_account (fixture->monitor, config);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->monitor)), ==, 6);
  g_assert_nonnull (bgpt_monitor_lookup (fixture->monitor, "second", "openai.assistant"));
  g_assert_null (bgpt_monitor_lookup (fixture->monitor, "second", "openai.quota"));

  /* Deep check on: every account gains the quota check, live. */
  g_settings_set_boolean (fixture->settings, "deep-check", TRUE);
  g_assert_nonnull (bgpt_monitor_lookup (fixture->monitor, "second", "openai.quota"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->monitor)), ==, 8);

  bgpt_monitor_remove_account (fixture->monitor, "second");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->monitor)), ==, 3);
  g_assert_null (bgpt_monitor_lookup (fixture->monitor, "second", "openai.key"));

  /* Nothing runs before start. */
  run_for (1500);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, NULL), ==, 0);
}

static void
test_confirmation_after_threshold (Fixture       *fixture,
                                   gconstpointer  data)
{
  BgptIncident *incident;

  bgpt_simulator_set_scenario (fixture->simulator, "openai.key", BGPT_SCENARIO_INVALID_KEY);
  bgpt_monitor_start (fixture->monitor);

  wait_until (fixture, key_failed_once, "a first failure");
  g_assert_cmpint (key_state (fixture), ==, BGPT_MONITOR_STATE_FAILING);
  g_assert_cmpstr (bgpt_monitor_check_get_diagnosis (key_check (fixture))->error_id, ==, "openai.auth");
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->incidents), ==, 0);

  wait_until (fixture, key_failed_twice, "a second failure");
  g_assert_cmpint (key_state (fixture), ==, BGPT_MONITOR_STATE_FAILING);
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->incidents), ==, 0);
  g_assert_cmpuint (fixture->raised, ==, 0);

  wait_until (fixture, key_is_down, "the third failure");
  g_assert_cmpuint (key_failures (fixture), ==, 3);
  g_assert_cmpuint (fixture->raised, ==, 1);
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->incidents), ==, 1);
  incident = bgpt_incident_store_find_open (fixture->incidents, "default", "openai.key");
  g_assert_nonnull (incident);
  g_assert_cmpstr (bgpt_incident_get_error_id (incident), ==, "openai.auth");
  g_assert_cmpstr (bgpt_monitor_check_get_incident_id (key_check (fixture)), ==,
                   bgpt_incident_get_id (incident));
  g_assert_cmpuint (bgpt_monitor_count_down (fixture->monitor), ==, 1);

  /* The healthy Kommo check is untouched (between its own rounds, when no
   * request of it is in flight). */
  wait_until (fixture, kommo_is_ok, "the Kommo check to be fine");

  /* Failing on: the same incident counts the repeats, no new one. */
  run_for (2500);
  g_assert_cmpuint (key_failures (fixture), >=, 4);
  g_assert_cmpuint (fixture->raised, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->incidents)), ==, 1);
  g_assert_cmpuint (bgpt_incident_get_count (incident), >=, 2);
}

static void
test_resolution_after_threshold (Fixture       *fixture,
                                 gconstpointer  data)
{
  BgptIncident *incident;

  g_settings_set_uint (fixture->settings, "failure-threshold", 1);
  bgpt_simulator_set_scenario (fixture->simulator, "openai.key", BGPT_SCENARIO_INVALID_KEY);
  bgpt_monitor_start (fixture->monitor);

  wait_until (fixture, key_is_down, "the incident");
  incident = bgpt_incident_store_find_open (fixture->incidents, "default", "openai.key");
  g_assert_nonnull (incident);
  g_object_ref (incident);

  bgpt_simulator_set_scenario (fixture->simulator, "openai.key", BGPT_SCENARIO_OK);
  wait_until (fixture, key_succeeded_once_while_down, "a first success");
  /* One success is not enough (success-threshold 2). */
  g_assert_cmpint (key_state (fixture), ==, BGPT_MONITOR_STATE_DOWN);
  g_assert_true (bgpt_incident_is_open (incident));
  g_assert_cmpuint (fixture->resolved, ==, 0);

  wait_until (fixture, key_is_ok, "the second success");
  g_assert_cmpuint (bgpt_monitor_check_get_successes (key_check (fixture)), ==, 2);
  g_assert_false (bgpt_incident_is_open (incident));
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->incidents), ==, 0);
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

  bgpt_simulator_set_scenario (fixture->simulator, "openai.key", BGPT_SCENARIO_INVALID_KEY);
  bgpt_monitor_start (fixture->monitor);

  /* In the background, a first failure is not an incident (threshold 3). */
  wait_until (fixture, key_failed_once, "a first background failure");
  g_assert_cmpint (key_state (fixture), ==, BGPT_MONITOR_STATE_FAILING);
  g_assert_null (bgpt_monitor_check_get_incident_id (key_check (fixture)));
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->incidents), ==, 0);

  /* The user asks: the very next failure is the incident. */
  bgpt_monitor_confirm_now (fixture->monitor, NULL);
  wait_until (fixture, key_failed_twice, "the user's check");
  g_assert_cmpuint (key_failures (fixture), ==, 2);
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->incidents), ==, 1);
  incident = bgpt_incident_store_find_open (fixture->incidents, "default", "openai.key");
  g_assert_nonnull (incident);
  g_object_ref (incident);
  g_assert_cmpstr (bgpt_incident_get_error_id (incident), ==, "openai.auth");
  g_assert_cmpstr (bgpt_monitor_check_get_incident_id (key_check (fixture)), ==,
                   bgpt_incident_get_id (incident));
  /* Not announced yet: the healthy Kommo check was asked too and is not. */
  g_assert_cmpuint (fixture->raised, ==, 0);
  g_assert_null (bgpt_monitor_check_get_incident_id (bgpt_monitor_lookup (fixture->monitor, "default",
                                                                          "kommo.account")));

  /* The background checks go on to the threshold: the same incident is
   * announced, no new one. */
  wait_until (fixture, key_is_down, "the third failure");
  g_assert_cmpuint (fixture->raised, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->incidents)), ==, 1);
  g_assert_true (bgpt_incident_is_open (incident));
  g_assert_cmpuint (bgpt_incident_get_count (incident), ==, 2);

  /* Fixed, and the user checks: resolved at the first success
   * (success-threshold 2 would need two in the background). */
  bgpt_simulator_set_scenario (fixture->simulator, "openai.key", BGPT_SCENARIO_OK);
  bgpt_monitor_confirm_now (fixture->monitor, NULL);
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
  g_settings_set_uint (fixture->settings, "failure-threshold", 10);
  bgpt_simulator_set_scenario (fixture->simulator, "openai.key", BGPT_SCENARIO_INVALID_KEY);
  bgpt_monitor_start (fixture->monitor);
  bgpt_monitor_confirm_now (fixture->monitor, NULL);

  wait_until (fixture, key_failed_twice, "two failures");
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->incidents), ==, 1);
  g_assert_cmpuint (fixture->raised, ==, 0);
  g_assert_cmpint (key_state (fixture), ==, BGPT_MONITOR_STATE_FAILING);

  g_settings_set_uint (fixture->settings, "failure-threshold", 2);
  g_assert_cmpuint (fixture->raised, ==, 1);
  g_assert_cmpint (key_state (fixture), ==, BGPT_MONITOR_STATE_DOWN);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->incidents)), ==, 1);
}

static void
test_offline_suppresses_checks (Fixture       *fixture,
                                gconstpointer  data)
{
  gint64 back;
  guint requests;

  g_settings_set_uint (fixture->settings, "failure-threshold", 1);
  bgpt_simulator_set_scenario (fixture->simulator, "openai.key", BGPT_SCENARIO_INVALID_KEY);

  /* Offline from the start: nothing is checked, nothing raised. */
  test_network_set_available (fixture->network, FALSE);
  bgpt_monitor_start (fixture->monitor);
  g_assert_false (bgpt_monitor_get_online (fixture->monitor));
  run_for (3000);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, NULL), ==, 0);
  g_assert_cmpint (key_state (fixture), ==, BGPT_MONITOR_STATE_UNKNOWN);
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->incidents), ==, 0);
  g_assert_cmpuint (fixture->raised, ==, 0);

  /* Back with an hour's interval: the return itself triggers a check. */
  g_settings_set_uint (fixture->settings, "check-interval", 3600);
  g_settings_set_uint (fixture->settings, "retry-interval", 3600);
  back = g_get_monotonic_time ();
  test_network_set_available (fixture->network, TRUE);
  wait_until (fixture, key_has_result, "a check once the network is back");
  g_assert_cmpint (g_get_monotonic_time () - back, <, 3 * G_USEC_PER_SEC);
  g_assert_cmpint (key_state (fixture), ==, BGPT_MONITOR_STATE_DOWN);
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->incidents), ==, 1);

  /* Offline again: unknown, and still no requests. */
  test_network_set_available (fixture->network, FALSE);
  g_assert_cmpint (key_state (fixture), ==, BGPT_MONITOR_STATE_UNKNOWN);
  requests = bgpt_simulator_count_requests (fixture->simulator, NULL);
  bgpt_monitor_check_now (fixture->monitor, NULL);
  run_for (1500);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, NULL), ==, requests);
}

static void
test_network_flap_is_debounced (Fixture       *fixture,
                                gconstpointer  data)
{
  g_settings_set_uint (fixture->settings, "check-interval", 3600);
  bgpt_monitor_start (fixture->monitor);
  wait_until (fixture, key_has_result, "the first round");
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, "openai.key"), ==, 1);

  /* Five quick drops and returns give one round, not five. */
  for (guint i = 0; i < 5; i++)
    {
      test_network_set_available (fixture->network, FALSE);
      test_network_set_available (fixture->network, TRUE);
      run_for (100);
    }
  run_for (2500);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, "openai.key"), ==, 2);
}

static void
test_retry_after_is_honoured (Fixture       *fixture,
                              gconstpointer  data)
{
  const char * const headers[] = { "Content-Type", "application/json", "Retry-After", "3", NULL };
  guint requests;
  gint64 gap;

  g_settings_set_uint (fixture->settings, "failure-threshold", 5);
  bgpt_simulator_set_response (fixture->simulator, "openai.key", 503, headers,
                               "{\"error\":{\"message\":\"The server is overloaded or not ready yet.\","
                               "\"type\":\"server_error\",\"param\":null,\"code\":null}}");
  bgpt_monitor_start (fixture->monitor);

  wait_until (fixture, key_failed_once, "the first answer");
  g_assert_cmpint (bgpt_monitor_check_get_diagnosis (key_check (fixture))->retry_after_s, ==, 3);

  /* retry-interval is 1 s, but the server asked for 3. */
  wait_until (fixture, two_key_runs, "the retry");
  gap = g_array_index (fixture->key_started_at, gint64, 1) -
        g_array_index (fixture->key_started_at, gint64, 0);
  g_assert_cmpint (gap, >=, 3 * G_USEC_PER_SEC);
  g_assert_cmpint (gap, <, 5 * G_USEC_PER_SEC);

  /* Neither does "check now" go past it. */
  wait_until (fixture, key_has_result, "the retry's answer");
  requests = bgpt_simulator_count_requests (fixture->simulator, "openai.key");
  bgpt_monitor_check_now (fixture->monitor, NULL);
  run_for (1500);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, "openai.key"), ==, requests);
}

/* A Retry-After on a failure that is not "come back later" is not obeyed. */
static void
test_retry_after_only_when_asked (Fixture       *fixture,
                                  gconstpointer  data)
{
  const char * const headers[] = { "Content-Type", "application/json", "Retry-After", "86400", NULL };

  g_settings_set_uint (fixture->settings, "failure-threshold", 5);
  bgpt_simulator_set_response (fixture->simulator, "openai.key", 500, headers,
                               "{\"error\":{\"message\":\"The server had an error.\","
                               "\"type\":\"server_error\",\"param\":null,\"code\":null}}");
  bgpt_monitor_start (fixture->monitor);

  wait_until (fixture, key_failed_once, "the first answer");
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
  const char * const headers[] = { "Content-Type", "application/json", "Retry-After", "86400", NULL };
  gint64 wait;
  guint requests;

  g_settings_set_uint (fixture->settings, "failure-threshold", 5);
  bgpt_simulator_set_response (fixture->simulator, "openai.key", 429, headers,
                               "{\"error\":{\"message\":\"Rate limit reached.\",\"type\":\"requests\","
                               "\"param\":null,\"code\":\"rate_limit_exceeded\"}}");
  bgpt_monitor_start (fixture->monitor);

  wait_until (fixture, key_failed_once, "the first answer");
  wait = bgpt_monitor_check_get_not_before (key_check (fixture)) - g_get_monotonic_time ();
  g_assert_cmpint (wait, >, (gint64) 3000 * G_USEC_PER_SEC);
  g_assert_cmpint (wait, <=, (gint64) 3600 * G_USEC_PER_SEC);

  /* The background "check now" waits; the user's goes through, once. */
  requests = bgpt_simulator_count_requests (fixture->simulator, "openai.key");
  bgpt_monitor_check_now (fixture->monitor, NULL);
  run_for (1500);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, "openai.key"), ==, requests);

  bgpt_monitor_confirm_now (fixture->monitor, NULL);
  wait_until (fixture, two_key_runs, "the user's check");
  wait_until (fixture, key_has_result, "the user's check's answer");
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, "openai.key"), ==, requests + 1);

  /* Asked again while the server still says wait: a loop of clicks is not
   * a loop of requests. */
  for (guint i = 0; i < 5; i++)
    bgpt_monitor_confirm_now (fixture->monitor, NULL);
  run_for (1500);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, "openai.key"), ==, requests + 1);
}

/* Money problems are not retried at the retry interval: retrying does
 * not add credit. */
static void
test_quota_waits_a_round (Fixture       *fixture,
                          gconstpointer  data)
{
  gint64 gap;

  g_settings_set_uint (fixture->settings, "check-interval", 3);
  bgpt_simulator_set_scenario (fixture->simulator, "openai.key", BGPT_SCENARIO_BILLING_NOT_ACTIVE);
  bgpt_monitor_start (fixture->monitor);

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
  bgpt_simulator_set_scenario (fixture->simulator, "kommo.account", BGPT_SCENARIO_RATE_LIMITED);
  bgpt_monitor_start (fixture->monitor);

  /* With 1-second intervals the OpenAI check runs every second, while Kommo,
   * which blocks the IP of clients that keep going after a 429, waits. */
  run_for (4500);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, "kommo.account"), ==, 1);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, "openai.key"), >=, 3);
  g_assert_cmpstr (bgpt_monitor_check_get_diagnosis (bgpt_monitor_lookup (fixture->monitor, "default",
                                                                          "kommo.account"))->error_id,
                   ==, "kommo.rate-limit");
}

static void
test_one_check_in_flight (Fixture       *fixture,
                          gconstpointer  data)
{
  /* Each answer takes longer than the interval. */
  bgpt_simulator_set_delay (fixture->simulator, "openai.key", 2200);
  bgpt_monitor_start (fixture->monitor);
  run_for (5000);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, "openai.key"), <=, 3);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, "openai.key"), >=, 2);
  /* Two checks of one account: never more than those two at once. */
  g_assert_cmpuint (fixture->max_in_flight, <=, 2);
}

static void
test_deep_check_hourly (Fixture       *fixture,
                        gconstpointer  data)
{
  g_settings_set_boolean (fixture->settings, "deep-check", TRUE);
  bgpt_monitor_start (fixture->monitor);
  run_for (3500);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, "openai.key"), >=, 3);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, "openai.quota"), ==, 1);

  /* Even asked, it waits for its hour. */
  bgpt_monitor_check_now (fixture->monitor, NULL);
  run_for (1000);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, "openai.quota"), ==, 1);
}

static void
test_silenced_incident_is_still_checked (Fixture       *fixture,
                                         gconstpointer  data)
{
  BgptIncident *incident;
  guint count;

  g_settings_set_uint (fixture->settings, "failure-threshold", 1);
  bgpt_simulator_set_scenario (fixture->simulator, "openai.key", BGPT_SCENARIO_QUOTA_EXCEEDED);
  bgpt_monitor_start (fixture->monitor);
  wait_until (fixture, key_is_down, "the incident");

  incident = bgpt_incident_store_find_open (fixture->incidents, "default", "openai.key");
  bgpt_incident_store_silence (fixture->incidents, incident, BGPT_INCIDENT_SILENCE_UNTIL_RESOLVED);
  count = bgpt_incident_get_count (incident);

  /* Down checks are re-checked at check-interval (1 s here). */
  run_for (2500);
  g_assert_cmpuint (bgpt_incident_get_count (incident), >, count);
  g_assert_true (bgpt_incident_is_silenced (incident, g_get_real_time ()));

  bgpt_simulator_set_scenario (fixture->simulator, "openai.key", BGPT_SCENARIO_OK);
  wait_until (fixture, key_is_ok, "the recovery");
  g_assert_false (bgpt_incident_is_open (incident));
}

static gboolean
three_checks_down (Fixture *fixture)
{
  const char * const names[] = { "kommo.account", "openai.assistant", "openai.quota" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      BgptMonitorCheck *check = bgpt_monitor_lookup (fixture->monitor, "default", names[i]);

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

  g_settings_set_uint (fixture->settings, "failure-threshold", 1);
  g_settings_set_boolean (fixture->settings, "deep-check", TRUE);
  config->assistant_id = g_strdup ("asst_MonitorUnwatched42");
  bgpt_monitor_set_account (fixture->monitor, config);
  bgpt_simulator_set_scenario (fixture->simulator, "kommo.account", BGPT_SCENARIO_SERVER_ERROR);
  bgpt_simulator_set_scenario (fixture->simulator, "openai.assistant", BGPT_SCENARIO_SERVER_ERROR);
  bgpt_simulator_set_scenario (fixture->simulator, "openai.quota", BGPT_SCENARIO_SERVER_ERROR);
  bgpt_monitor_start (fixture->monitor);

  wait_until (fixture, three_checks_down, "three incidents");
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->incidents), ==, 3);
  g_assert_cmpuint (fixture->resolved, ==, 0);

  g_settings_set_boolean (fixture->settings, "deep-check", FALSE);
  g_assert_null (bgpt_monitor_lookup (fixture->monitor, "default", "openai.quota"));
  g_assert_cmpuint (fixture->resolved, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->resolved_checks, 0), ==, "openai.quota");
  g_assert_null (bgpt_incident_store_find_open (fixture->incidents, "default", "openai.quota"));
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->incidents), ==, 2);

  g_clear_pointer (&config->assistant_id, g_free);
  bgpt_monitor_set_account (fixture->monitor, config);
  g_assert_null (bgpt_monitor_lookup (fixture->monitor, "default", "openai.assistant"));
  g_assert_cmpuint (fixture->resolved, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (fixture->resolved_checks, 1), ==, "openai.assistant");
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->incidents), ==, 1);

  bgpt_monitor_remove_account (fixture->monitor, "default");
  g_assert_cmpuint (fixture->resolved, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (fixture->resolved_checks, 2), ==, "kommo.account");
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->incidents), ==, 0);
  g_assert_true (fixture->resolved_closed);
  g_assert_cmpuint (bgpt_monitor_count_down (fixture->monitor), ==, 0);
}

static BgptMonitorState
state_of (Fixture    *fixture,
          const char *check)
{
  return bgpt_monitor_check_get_state (bgpt_monitor_lookup (fixture->monitor, "default", check));
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
  bgpt_monitor_set_account (fixture->monitor, config);
  model = bgpt_monitor_lookup (fixture->monitor, "default", "openai.model");
  /* One failure raises: a refusal judged before the key's would show. */
  g_settings_set_uint (fixture->settings, "failure-threshold", 1);
  bgpt_simulator_set_delay (fixture->simulator, "openai.key", 300);
  bgpt_simulator_set_refused_credential (fixture->simulator, KEY);
  bgpt_monitor_start (fixture->monitor);

  wait_until (fixture, model_is_blocked, "the key down, the model blocked");
  g_assert_cmpstr (bgpt_monitor_check_get_blocked_by (model), ==, "openai.key");
  key_requests = bgpt_simulator_count_requests (fixture->simulator, "openai.key");
  deadline = g_get_monotonic_time () + bgpt_test_scaled_ms (15000) * 1000;
  while (bgpt_simulator_count_requests (fixture->simulator, "openai.key") < key_requests + 4)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      run_for (200);
    }

  g_assert_cmpint (state_of (fixture, "openai.model"), ==, BGPT_MONITOR_STATE_BLOCKED);
  g_assert_null (bgpt_monitor_check_get_incident_id (model));
  g_assert_cmpuint (bgpt_monitor_check_get_failures (model), ==, 0);
  g_assert_cmpuint (fixture->raised, ==, 1);
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->incidents), ==, 1);
  g_assert_cmpuint (bgpt_monitor_count_down (fixture->monitor), ==, 1);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, "openai.model"), ==, 1);
  key_incident = g_strdup (bgpt_monitor_check_get_incident_id (key_check (fixture)));
  g_assert_nonnull (key_incident);

  bgpt_simulator_set_refused_credential (fixture->simulator, NULL);
  bgpt_simulator_set_scenario (fixture->simulator, "openai.model", BGPT_SCENARIO_NOT_FOUND);
  wait_until (fixture, model_is_down_key_ok, "the key ok, the model down");

  g_assert_null (bgpt_monitor_check_get_blocked_by (model));
  g_assert_cmpuint (fixture->raised, ==, 2);
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->incidents), ==, 1);
  g_assert_false (bgpt_incident_is_open (bgpt_incident_store_lookup (fixture->incidents, key_incident)));
  g_assert_cmpstr (bgpt_incident_get_error_id (bgpt_incident_store_find_open (fixture->incidents, "default",
                                                                              "openai.model")),
                   ==, "openai.model");
  g_assert_cmpstr (bgpt_monitor_check_get_incident_id (model), !=, key_incident);
}

static void
test_threshold_changed_mid_run (Fixture       *fixture,
                                gconstpointer  data)
{
  g_settings_set_uint (fixture->settings, "failure-threshold", 10);
  bgpt_simulator_set_scenario (fixture->simulator, "openai.key", BGPT_SCENARIO_SERVER_ERROR);
  bgpt_monitor_start (fixture->monitor);

  wait_until (fixture, key_failed_twice, "two failures");
  g_assert_cmpint (key_state (fixture), ==, BGPT_MONITOR_STATE_FAILING);

  /* Lowered to what has already happened: raised at once. */
  g_settings_set_uint (fixture->settings, "failure-threshold", 2);
  g_assert_cmpint (key_state (fixture), ==, BGPT_MONITOR_STATE_DOWN);
  g_assert_cmpuint (fixture->raised, ==, 1);
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->incidents), ==, 1);

  /* Success threshold raised while recovering: it takes effect too. */
  g_settings_set_uint (fixture->settings, "success-threshold", 3);
  bgpt_simulator_set_scenario (fixture->simulator, "openai.key", BGPT_SCENARIO_OK);
  wait_until (fixture, key_succeeded_once, "a success");
  run_for (1200);
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

  g_settings_set_uint (fixture->settings, "check-interval", 3600);
  bgpt_monitor_start (fixture->monitor);
  wait_until (fixture, key_has_result, "the first round");
  run_for (2000);
  requests = bgpt_simulator_count_requests (fixture->simulator, "openai.key");
  g_assert_cmpuint (requests, ==, 1);

  g_settings_set_uint (fixture->settings, "check-interval", 1);
  run_for (2500);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, "openai.key"), >=, requests + 2);
}

static void
test_concurrency_is_bounded (Fixture       *fixture,
                             gconstpointer  data)
{
  bgpt_monitor_remove_account (fixture->monitor, "default");
  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *id = g_strdup_printf ("account-%u", i);
      g_autoptr(BgptCheckConfig) config = make_config (fixture, id);

      g_clear_pointer (&config->kommo_base_url, g_free);
      bgpt_monitor_set_account (fixture->monitor, config);
    }
  g_settings_set_uint (fixture->settings, "check-interval", 3600);
  bgpt_monitor_set_max_concurrent (fixture->monitor, 4);
  bgpt_simulator_set_delay (fixture->simulator, NULL, 300);
  bgpt_monitor_start (fixture->monitor);

  run_for (2500);
  /* 12 accounts, 4 at a time, 300 ms each: all done in about 0.9 s. */
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, "openai.key"), ==, 12);
  g_assert_cmpuint (fixture->max_in_flight, <=, 4);
  g_assert_cmpuint (fixture->max_in_flight, >=, 2);
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
  g_autofree char *directory = g_build_filename (fixture->directory, "history", NULL);
  g_autoptr(BgptHistory) history = bgpt_history_new (directory);
  g_autoptr(BgptHistory) reread = NULL;
  HistoryWatch watch = { history, 0, 0 };
  GArray *key;
  GArray *model;
  const BgptHistoryResult *last;

  g_assert_true (bgpt_history_load (history, NULL));
  bgpt_history_follow_monitor (history, fixture->monitor);
  config->model = g_strdup ("gpt-monitor-test");
  bgpt_monitor_set_account (fixture->monitor, config);
  bgpt_simulator_set_refused_credential (fixture->simulator, KEY);
  bgpt_monitor_start (fixture->monitor);
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

  bgpt_simulator_set_refused_credential (fixture->simulator, NULL);
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
  test_network_set_available (fixture->network, FALSE);
  g_assert_true (bgpt_test_wait_until (history_has_more_key_results, &watch));
  g_assert_cmpint (g_array_index (key, BgptHistoryResult, key->len - 1).outcome, ==, BGPT_OUTCOME_UNKNOWN);

  /* And it is on disk as it is in memory. */
  reread = bgpt_history_new (directory);
  g_assert_true (bgpt_history_load (reread, NULL));
  g_assert_cmpuint (bgpt_history_get_results (reread, "default", "openai.key")->len, ==, key->len);
  bgpt_monitor_stop (fixture->monitor);
  bgpt_history_forget_account (history, "default", NULL);
  g_rmdir (directory);
}

/* ---- end of result history ---- */

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
  ADD ("/monitor/threshold-live", test_threshold_changed_mid_run);
  ADD ("/monitor/interval-live", test_interval_changed_mid_run);
  ADD ("/monitor/concurrency", test_concurrency_is_bounded);
  ADD ("/monitor/history", test_results_recorded);

  return g_test_run ();
}
