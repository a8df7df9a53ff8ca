/* test-notifications.c: the desktop notifications the monitor raises, as a
 * notification server on a private session bus receives them.
 *
 * A private bus (GTestDBus, a real dbus-daemon), a stand-in
 * org.freedesktop.Notifications (notification-server.py) that logs every
 * call, GNOTIFICATION_BACKEND=freedesktop, and a plain GApplication.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "bgpt-i18n.h"
#include "bgpt-incident-store.h"
#include "bgpt-monitor.h"
#include "ui/bgpt-notifier.h"
#include "bgpt-simulator.h"
#include "bgpt-static-network-monitor.h"
#include "bgpt-test-utils.h"

#define KEY "sk-test-notify-0123456789abcdef"
#define TOKEN "kommo-test-token-notify-0123456789"

static GTestDBus    *bus;
static BgptTestNotificationServer server;
static GApplication *application;

/* ---- the server's log ---- */

typedef struct
{
  char   *call;
  guint   id;
  guint   replaces_id;
  char   *summary;
  char   *body;
  GStrv   actions;
} Call;

static void
call_free (Call *call)
{
  g_free (call->call);
  g_free (call->summary);
  g_free (call->body);
  g_strfreev (call->actions);
  g_free (call);
}

static GPtrArray *
read_calls (void)
{
  GPtrArray *calls = g_ptr_array_new_with_free_func ((GDestroyNotify) call_free);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (server.log_path, &text, NULL, NULL))
    return calls;

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *object;
      Call *call;

      if (*lines[i] == '\0')
        continue;
      json_parser_load_from_data (parser, lines[i], -1, &error);
      g_assert_no_error (error);
      object = json_node_get_object (json_parser_get_root (parser));

      call = g_new0 (Call, 1);
      call->call = g_strdup (json_object_get_string_member (object, "call"));
      call->id = json_object_get_int_member (object, "id");
      if (g_str_equal (call->call, "Notify"))
        {
          JsonArray *actions = json_object_get_array_member (object, "actions");
          GStrvBuilder *builder = g_strv_builder_new ();

          call->replaces_id = json_object_get_int_member (object, "replaces_id");
          call->summary = g_strdup (json_object_get_string_member (object, "summary"));
          call->body = g_strdup (json_object_get_string_member (object, "body"));
          for (guint j = 0; j < json_array_get_length (actions); j++)
            g_strv_builder_add (builder, json_array_get_string_element (actions, j));
          call->actions = g_strv_builder_end (builder);
          g_strv_builder_unref (builder);
        }
      g_ptr_array_add (calls, call);
    }
  return calls;
}

static guint
count_calls (const char *name)
{
  g_autoptr(GPtrArray) calls = read_calls ();
  guint n = 0;

  for (guint i = 0; i < calls->len; i++)
    if (g_str_equal (((Call *) g_ptr_array_index (calls, i))->call, name))
      n++;
  return n;
}

static void
clear_log (void)
{
  g_assert_true (g_file_set_contents (server.log_path, "", 0, NULL));
}


/* ---- fixture ---- */

typedef struct
{
  BgptTestMonitorSetup  setup;
  BgptNotifier         *notifier;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(BgptCheckConfig) config = NULL;

  bgpt_test_monitor_setup_init (&fixture->setup, "test-notifications", 2, 1);
  g_settings_set_uint (fixture->setup.settings, "reminder-interval", 0);

  fixture->notifier = bgpt_notifier_new (application, fixture->setup.monitor, fixture->setup.settings);
  bgpt_notifier_set_gather_delay (fixture->notifier, 300);

  config = bgpt_test_simulator_config (fixture->setup.simulator, "default", KEY, TOKEN);
  config->display_name = g_strdup ("Loja Centro");
  config->model = g_strdup ("gpt-4.1-mini");
  bgpt_monitor_set_account (fixture->setup.monitor, config);

  clear_log ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  bgpt_monitor_stop (fixture->setup.monitor);
  bgpt_notifier_withdraw_all (fixture->notifier);
  bgpt_test_settle_notifications ();
  g_assert_finalize_object (fixture->notifier);
  bgpt_test_monitor_setup_clear (&fixture->setup);
}

/* ---- waiting ---- */

/* Runs the main loop until the server has seen @n calls named @name, and
 * until the application has read the server's answers to them. GLib's
 * freedesktop backend learns a notification's id only from the answer to
 * Notify, and drops a withdrawal that comes before it: a test that resolves
 * an incident right after its Notify was logged would otherwise race that
 * answer (seen once in ten runs on Debian 13). */
static void
wait_for_calls (const char *name,
                guint       n)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) bgpt_test_wait_bound_ms () * 1000;

  while (count_calls (name) < n)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %u %s call(s); saw %u", n, name, count_calls (name));
      bgpt_test_run_for (50);
    }
  bgpt_test_settle_notifications ();
}

/* The call at @index of @calls withdrew the notification @id. */
static void
assert_close_call (GPtrArray *calls,
                   guint      index,
                   guint      id)
{
  Call *call = g_ptr_array_index (calls, index);

  g_assert_cmpstr (call->call, ==, "CloseNotification");
  g_assert_cmpuint (call->id, ==, id);
}

/* The OpenAI key is refused from the first round on: runs until the
 * incident's notification is sent. */
static void
start_key_refused (Fixture *fixture)
{
  bgpt_simulator_set_scenario (fixture->setup.simulator, "openai.key", BGPT_SCENARIO_INVALID_KEY);
  bgpt_monitor_start (fixture->setup.monitor);
  wait_for_calls ("Notify", 1);
}

static gboolean
strv_has (GStrv        strv,
          const char  *prefix)
{
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    if (g_str_has_prefix (strv[i], prefix))
      return TRUE;
  return FALSE;
}

/* ---- tests ---- */

static void
test_one_problem_one_notification (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(GPtrArray) calls = NULL;
  Call *notify;
  guint notify_id;
  BgptIncident *incident;

  /* Down after 2 failures, about a second in; then it persists for five
   * more rounds. */
  start_key_refused (fixture);
  bgpt_test_run_for (5000);

  calls = read_calls ();
  g_assert_cmpuint (calls->len, ==, 1);
  notify = g_ptr_array_index (calls, 0);
  g_assert_cmpstr (notify->call, ==, "Notify");
  g_assert_cmpuint (notify->replaces_id, ==, 0);
  /* The seed title, in pt_BR, and the account. */
  g_assert_cmpstr (notify->summary, ==, "Falha na Autenticação da API");
  g_assert_nonnull (strstr (notify->body, "Loja Centro"));
  /* Buttons: open the incident, retry, and the first step's fix. */
  g_assert_true (strv_has (notify->actions, "app.show-incident"));
  g_assert_true (strv_has (notify->actions, "app.check-now"));
  g_assert_true (strv_has (notify->actions, "app.edit-secret"));
  notify_id = notify->id;

  incident = bgpt_incident_store_find_open (fixture->setup.incidents, "default", "openai.key");
  g_assert_nonnull (incident);
  g_assert_cmpuint (bgpt_incident_get_count (incident), >=, 4);

  /* Recovery withdraws it, and a short "resolved" notice follows. */
  bgpt_simulator_set_scenario (fixture->setup.simulator, "openai.key", BGPT_SCENARIO_OK);
  wait_for_calls ("CloseNotification", 1);
  wait_for_calls ("Notify", 2);
  bgpt_test_run_for (1500);
  g_clear_pointer (&calls, g_ptr_array_unref);
  calls = read_calls ();
  g_assert_cmpuint (calls->len, ==, 3);
  assert_close_call (calls, 1, notify_id);
  notify = g_ptr_array_index (calls, 2);
  g_assert_cmpstr (notify->call, ==, "Notify");
  g_assert_cmpstr (notify->summary, ==, "Resolvido: Falha na Autenticação da API");
  g_assert_false (bgpt_incident_is_open (incident));
}

/* The body gives the first step of the reason OpenAI gave, and a new
 * reason for the same error updates the notification in place. */
static void
test_reason_first_step (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) calls = NULL;
  Call *first, *second;

  bgpt_simulator_set_scenario (fixture->setup.simulator, "openai.key", BGPT_SCENARIO_IP_NOT_AUTHORIZED);
  bgpt_monitor_start (fixture->setup.monitor);
  wait_for_calls ("Notify", 1);

  bgpt_simulator_set_scenario (fixture->setup.simulator, "openai.key", BGPT_SCENARIO_ACCOUNT_DEACTIVATED);
  wait_for_calls ("Notify", 2);

  calls = read_calls ();
  first = g_ptr_array_index (calls, 0);
  second = g_ptr_array_index (calls, 1);
  g_assert_cmpstr (first->summary, ==, "Falha na Autenticação da API");
  g_assert_nonnull (strstr (first->body, "Adicione o IP público deste computador"));
  g_assert_false (strv_has (first->actions, "app.edit-secret"));
  g_assert_cmpstr (second->call, ==, "Notify");
  g_assert_cmpuint (second->replaces_id, ==, first->id);
  g_assert_cmpstr (second->summary, ==, "Falha na Autenticação da API");
  g_assert_nonnull (strstr (second->body, "Entre em contato com o suporte da OpenAI"));
}

static BgptMonitorState
check_state (Fixture    *fixture,
             const char *check)
{
  return bgpt_monitor_check_get_state (bgpt_monitor_lookup (fixture->setup.monitor, "default", check));
}

static gboolean
key_down_kommo_ok (gpointer data)
{
  Fixture *fixture = data;

  return check_state (fixture, "openai.key") == BGPT_MONITOR_STATE_DOWN &&
         check_state (fixture, "kommo.account") == BGPT_MONITOR_STATE_OK;
}

/* A refused key fails every OpenAI request: one root cause, one incident,
 * one notification; what depends on the key waits, unsent, until the key
 * passes again. */
static void
test_refused_key_one_notification (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(BgptCheckConfig) config = NULL;
  Call *notify;
  guint notify_id;
  guint key_requests;
  gint64 deadline;
  BgptIncident *incident;

  config = bgpt_check_config_copy (bgpt_monitor_get_account_config (fixture->setup.monitor, "default"));
  config->assistant_id = g_strdup ("asst_NotifyRefused42");
  bgpt_monitor_set_account (fixture->setup.monitor, config);
  g_settings_set_boolean (fixture->setup.settings, "notify-resolved", FALSE);
  bgpt_simulator_set_refused_credential (fixture->setup.simulator, KEY);
  bgpt_monitor_start (fixture->setup.monitor);

  /* Down after 2 failures, about a second in; then many more rounds. */
  wait_for_calls ("Notify", 1);
  key_requests = bgpt_simulator_count_requests (fixture->setup.simulator, "openai.key");
  deadline = g_get_monotonic_time () + (gint64) bgpt_test_wait_bound_ms () * 1000;
  while (bgpt_simulator_count_requests (fixture->setup.simulator, "openai.key") < key_requests + 5)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      bgpt_test_run_for (200);
    }

  calls = read_calls ();
  g_assert_cmpuint (calls->len, ==, 1);
  notify = g_ptr_array_index (calls, 0);
  g_assert_cmpstr (notify->summary, ==, "Falha na Autenticação da API");
  notify_id = notify->id;

  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->setup.incidents), ==, 1);
  g_assert_cmpuint (bgpt_monitor_count_down (fixture->setup.monitor), ==, 1);
  incident = bgpt_incident_store_find_open (fixture->setup.incidents, "default", "openai.key");
  g_assert_nonnull (incident);
  /* Both are checked again and again: between two requests, the key is
   * down and Kommo fine (a request in flight shows as checking). */
  g_assert_true (bgpt_test_wait_until (key_down_kommo_ok, fixture));
  for (guint i = 0; i < 2; i++)
    {
      const char *dependent = i == 0 ? "openai.model" : "openai.assistant";
      BgptMonitorCheck *check = bgpt_monitor_lookup (fixture->setup.monitor, "default", dependent);

      g_assert_cmpint (bgpt_monitor_check_get_state (check), ==, BGPT_MONITOR_STATE_BLOCKED);
      g_assert_cmpstr (bgpt_monitor_check_get_blocked_by (check), ==, "openai.key");
      g_assert_null (bgpt_monitor_check_get_incident_id (check));
      /* Sent with the key in the first round only. */
      g_assert_cmpuint (bgpt_simulator_count_requests (fixture->setup.simulator, dependent), ==, 1);
    }

  /* The key is replaced: resolved, withdrawn, and the rest checked again. */
  bgpt_simulator_set_refused_credential (fixture->setup.simulator, NULL);
  wait_for_calls ("CloseNotification", 1);
  deadline = g_get_monotonic_time () + (gint64) bgpt_test_wait_bound_ms () * 1000;
  while (check_state (fixture, "openai.model") != BGPT_MONITOR_STATE_OK ||
         check_state (fixture, "openai.assistant") != BGPT_MONITOR_STATE_OK)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      bgpt_test_run_for (100);
    }
  bgpt_test_run_for (1000);

  g_clear_pointer (&calls, g_ptr_array_unref);
  calls = read_calls ();
  g_assert_cmpuint (calls->len, ==, 2);
  assert_close_call (calls, 1, notify_id);
  g_assert_false (bgpt_incident_is_open (incident));
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->setup.incidents), ==, 0);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->setup.simulator, "openai.model"), >, 1);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->setup.simulator, "openai.assistant"), >, 1);
  g_assert_null (bgpt_monitor_check_get_blocked_by (bgpt_monitor_lookup (fixture->setup.monitor, "default",
                                                                          "openai.model")));
}

static void
test_three_problems_one_summary (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GPtrArray) calls = NULL;
  Call *notify;
  guint summary_id;

  g_autoptr(BgptCheckConfig) config = NULL;

  /* Three root causes, none waiting for another. */
  config = bgpt_check_config_copy (bgpt_monitor_get_account_config (fixture->setup.monitor, "default"));
  config->assistant_id = g_strdup ("asst_NotifySummary42");
  bgpt_monitor_set_account (fixture->setup.monitor, config);
  g_settings_set_boolean (fixture->setup.settings, "notify-resolved", FALSE);
  bgpt_simulator_set_scenario (fixture->setup.simulator, "kommo.account", BGPT_SCENARIO_INVALID_KEY);
  bgpt_simulator_set_scenario (fixture->setup.simulator, "openai.assistant", BGPT_SCENARIO_QUOTA_EXCEEDED);
  bgpt_simulator_set_scenario (fixture->setup.simulator, "openai.model", BGPT_SCENARIO_NOT_FOUND);
  bgpt_monitor_start (fixture->setup.monitor);

  wait_for_calls ("Notify", 1);
  bgpt_test_run_for (4000);
  g_assert_cmpuint (bgpt_monitor_count_down (fixture->setup.monitor), ==, 3);
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->setup.incidents), ==, 3);

  calls = read_calls ();
  g_assert_cmpuint (calls->len, ==, 1);
  notify = g_ptr_array_index (calls, 0);
  g_assert_cmpstr (notify->summary, ==, "3 conexões do ByteGPT com problemas");
  g_assert_nonnull (strstr (notify->body, "Limite de Quota Excedido (Loja Centro)"));
  summary_id = notify->id;

  /* Everything recovers: the summary is withdrawn and nothing else sent. */
  bgpt_simulator_reset (fixture->setup.simulator);
  wait_for_calls ("CloseNotification", 1);
  bgpt_test_run_for (2000);
  g_clear_pointer (&calls, g_ptr_array_unref);
  calls = read_calls ();
  g_assert_cmpuint (calls->len, ==, 2);
  g_assert_cmpuint (((Call *) g_ptr_array_index (calls, 1))->id, ==, summary_id);
  g_assert_cmpuint (bgpt_monitor_count_down (fixture->setup.monitor), ==, 0);
}

static void
test_silenced_incident_is_quiet (Fixture       *fixture,
                                 gconstpointer  data)
{
  BgptIncident *incident;
  guint count;

  bgpt_simulator_set_scenario (fixture->setup.simulator, "openai.key", BGPT_SCENARIO_SERVER_ERROR);
  bgpt_monitor_start (fixture->setup.monitor);
  wait_for_calls ("Notify", 1);

  /* Silenced for an hour: the notification goes away and stays away while
   * the checks go on. */
  incident = bgpt_incident_store_find_open (fixture->setup.incidents, "default", "openai.key");
  bgpt_incident_store_silence (fixture->setup.incidents, incident,
                               g_get_real_time () + (gint64) 3600 * G_USEC_PER_SEC);
  wait_for_calls ("CloseNotification", 1);
  count = bgpt_incident_get_count (incident);
  bgpt_test_run_for (3000);
  g_assert_cmpuint (bgpt_incident_get_count (incident), >, count);
  g_assert_cmpuint (count_calls ("Notify"), ==, 1);

  /* Lifting the silence brings it back. */
  bgpt_incident_store_silence (fixture->setup.incidents, incident, BGPT_INCIDENT_SILENCE_NONE);
  wait_for_calls ("Notify", 2);
}

static void
test_silenced_until_resolved (Fixture       *fixture,
                              gconstpointer  data)
{
  BgptIncident *incident;

  start_key_refused (fixture);

  incident = bgpt_incident_store_find_open (fixture->setup.incidents, "default", "openai.key");
  bgpt_incident_store_silence (fixture->setup.incidents, incident, BGPT_INCIDENT_SILENCE_UNTIL_RESOLVED);
  wait_for_calls ("CloseNotification", 1);

  /* Fixed: whoever silenced it hears nothing, not even "resolved". */
  bgpt_simulator_set_scenario (fixture->setup.simulator, "openai.key", BGPT_SCENARIO_OK);
  g_object_ref (incident);
  while (bgpt_incident_is_open (incident))
    bgpt_test_run_for (100);
  bgpt_test_run_for (1500);
  g_assert_cmpuint (count_calls ("Notify"), ==, 1);
  g_object_unref (incident);
}

static void
test_disabled_sends_nothing (Fixture       *fixture,
                             gconstpointer  data)
{
  g_settings_set_boolean (fixture->setup.settings, "notifications", FALSE);
  bgpt_simulator_set_scenario (fixture->setup.simulator, "openai.key", BGPT_SCENARIO_INVALID_KEY);
  bgpt_monitor_start (fixture->setup.monitor);
  bgpt_test_run_for (4000);

  /* The store still records everything. */
  g_assert_cmpuint (bgpt_incident_store_get_n_open (fixture->setup.incidents), ==, 1);
  g_assert_cmpuint (count_calls ("Notify"), ==, 0);

  /* Turned on with a problem open: it is shown. */
  g_settings_set_boolean (fixture->setup.settings, "notifications", TRUE);
  wait_for_calls ("Notify", 1);
}

static void
test_reminders (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) calls = NULL;

  g_settings_set_uint (fixture->setup.settings, "reminder-interval", 3);
  start_key_refused (fixture);

  /* Over 7.5 s with a 3-second reminder: two reminders, each replacing the
   * notification in place. */
  bgpt_test_run_for (7500);
  calls = read_calls ();
  g_assert_cmpuint (calls->len, ==, 3);
  for (guint i = 1; i < calls->len; i++)
    {
      Call *call = g_ptr_array_index (calls, i);

      g_assert_cmpstr (call->call, ==, "Notify");
      g_assert_cmpuint (call->replaces_id, ==, ((Call *) g_ptr_array_index (calls, 0))->id);
      g_assert_cmpuint (call->id, ==, ((Call *) g_ptr_array_index (calls, 0))->id);
    }
}

static void
test_send_test_notification (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GPtrArray) calls = NULL;

  g_settings_set_boolean (fixture->setup.settings, "notifications", FALSE);
  bgpt_notifier_send_test (fixture->notifier);
  wait_for_calls ("Notify", 1);
  calls = read_calls ();
  g_assert_cmpstr (((Call *) g_ptr_array_index (calls, 0))->summary, ==, "Notificação de teste");
}

/* A second notifier of the same application (the demo's) with ids of its
 * own, for the same account and check: neither replaces nor withdraws the
 * other's notification. */
static void
test_id_prefix_keeps_notifiers_apart (Fixture       *fixture,
                                      gconstpointer  data)
{
  g_autoptr(BgptMonitor) other_monitor = bgpt_monitor_new (fixture->setup.settings, NULL);
  g_autoptr(BgptNotifier) other = bgpt_notifier_new (application, other_monitor, fixture->setup.settings);
  g_autoptr(BgptCheckConfig) config = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  guint other_id = 0;
  guint own_id = 0;

  bgpt_notifier_set_id_prefix (other, "demo-");
  bgpt_notifier_set_gather_delay (other, 300);
  config = bgpt_check_config_copy (bgpt_monitor_get_account_config (fixture->setup.monitor, "default"));
  g_free (config->display_name);
  config->display_name = g_strdup ("Outra Loja");
  bgpt_monitor_set_account (other_monitor, config);
  start_key_refused (fixture);
  /* The first one's server id is known when the second is sent. */
  bgpt_test_settle_notifications ();
  bgpt_monitor_start (other_monitor);
  wait_for_calls ("Notify", 2);

  calls = read_calls ();
  for (guint i = 0; i < calls->len; i++)
    {
      Call *call = g_ptr_array_index (calls, i);

      g_assert_cmpstr (call->call, ==, "Notify");
      /* Two notifications side by side, neither replacing the other. */
      g_assert_cmpuint (call->replaces_id, ==, 0);
      if (strstr (call->body, "Outra Loja") != NULL)
        other_id = call->id;
      else
        own_id = call->id;
    }
  g_assert_cmpuint (other_id, !=, 0);
  g_assert_cmpuint (own_id, !=, 0);
  g_assert_cmpuint (own_id, !=, other_id);

  /* The other one goes: only its own notification with it. */
  bgpt_monitor_stop (other_monitor);
  bgpt_test_settle_notifications ();
  bgpt_notifier_withdraw_all (other);
  wait_for_calls ("CloseNotification", 1);
  bgpt_test_run_for (500);
  g_clear_pointer (&calls, g_ptr_array_unref);
  calls = read_calls ();
  for (guint i = 0; i < calls->len; i++)
    {
      Call *call = g_ptr_array_index (calls, i);

      if (g_str_equal (call->call, "CloseNotification"))
        g_assert_cmpuint (call->id, ==, other_id);
    }
  bgpt_test_settle_notifications ();
}

/* ---- the costs ---- */

#define ADMIN_KEY "sk-admin-NotifyCosts0123456789abcdef"

/* 2026-12-15 13:00 UTC: a month whose costs the simulator knows. */
static GDateTime *
costs_now (void)
{
  return g_date_time_new_utc (2026, 12, 15, 13, 0, 0);
}

/* Nov 16 to Dec 14 at US$ 1, then 2 a day, times @factor: with a budget of
 * US$ 100, at 1 the month has spent 30 and heads for 62; at 2 it has spent
 * 60 and heads for 124, reaching the budget on Dec 25; at 4 it has spent
 * 120. */
static void
bill_costs (Fixture *fixture,
            double   factor)
{
  g_autoptr(GDateTime) now = costs_now ();
  double usd[30];

  for (guint i = 0; i < G_N_ELEMENTS (usd); i++)
    usd[i] = (i < 15 ? 1.0 : 2.0) * factor;
  bgpt_simulator_set_costs (fixture->setup.simulator, now, usd, G_N_ELEMENTS (usd));
}

/* The fixture's account with an admin key and a budget of US$ 100. */
static void
watch_costs (Fixture *fixture)
{
  g_autoptr(BgptCheckConfig) config = NULL;
  g_autoptr(GDateTime) now = costs_now ();

  bgpt_costs_watch_set_now (bgpt_monitor_get_costs_watch (fixture->setup.monitor), now);
  config = bgpt_check_config_copy (bgpt_monitor_get_account_config (fixture->setup.monitor, "default"));
  config->openai_admin_key = g_strdup (ADMIN_KEY);
  config->monthly_budget_usd = 100;
  bgpt_monitor_set_account (fixture->setup.monitor, config);
}

static BgptMonitorCheck *
costs_check (Fixture *fixture)
{
  return bgpt_monitor_lookup (fixture->setup.monitor, "default", "openai.costs");
}

static guint
costs_requests (Fixture *fixture)
{
  return bgpt_simulator_count_requests (fixture->setup.simulator, "openai.costs");
}

/* Runs until the costs check has judged an answer newer than the one it
 * had, after at least @requests costs requests. */
static void
wait_for_costs_answer (Fixture    *fixture,
                       guint       requests,
                       const char *what)
{
  BgptMonitorCheck *check = costs_check (fixture);
  gint64 before = bgpt_monitor_check_get_checked_at (check);
  gint64 deadline = g_get_monotonic_time () + (gint64) bgpt_test_wait_bound_ms () * 1000;

  while (costs_requests (fixture) < requests || bgpt_monitor_check_get_checked_at (check) == before)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);
      bgpt_test_run_for (50);
    }
}

static guint
count_costs_incidents (Fixture *fixture)
{
  GListModel *incidents = G_LIST_MODEL (fixture->setup.incidents);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (incidents); i++)
    {
      g_autoptr(BgptIncident) incident = g_list_model_get_item (incidents, i);

      if (g_str_equal (bgpt_incident_get_check (incident), "openai.costs"))
        n++;
    }
  return n;
}

/* The budget goes through the monitor like any other check: under it
 * nothing; a projection over 80 % one incident and one notification,
 * stating the projection and the day; the spend over 100 % the same
 * incident, critical, its notification replaced; a larger budget resolves
 * it, without another request, and withdraws the notification. */
static void
test_costs_budget (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) calls = NULL;
  g_autofree char *projected = NULL;
  g_autoptr(BgptCheckConfig) config = NULL;
  BgptIncident *incident;
  Call *warning, *critical;
  guint warning_id;

  bill_costs (fixture, 1);
  watch_costs (fixture);
  bgpt_monitor_start (fixture->setup.monitor);
  wait_for_costs_answer (fixture, 1, "the first costs reading");
  g_assert_true (bgpt_diagnosis_is_ok (bgpt_monitor_check_get_diagnosis (costs_check (fixture))));
  g_assert_cmpint (bgpt_monitor_check_get_state (costs_check (fixture)), ==, BGPT_MONITOR_STATE_OK);
  g_assert_cmpuint (count_costs_incidents (fixture), ==, 0);

  /* Over 80 %: warned at once, whatever the failure threshold. */
  bill_costs (fixture, 2);
  bgpt_monitor_confirm_now (fixture->setup.monitor, "default");
  wait_for_calls ("Notify", 1);
  g_assert_cmpuint (costs_requests (fixture), ==, 2);
  incident = bgpt_incident_store_find_open (fixture->setup.incidents, "default", "openai.costs");
  g_assert_nonnull (incident);
  g_assert_cmpstr (bgpt_incident_get_error_id (incident), ==, "openai.budget");
  g_assert_cmpstr (bgpt_incident_get_reason (incident), ==, "projected");
  g_assert_cmpint (bgpt_catalog_severity ("openai.budget", "projected"), ==, BGPT_SEVERITY_WARNING);
  g_assert_cmpuint (count_costs_incidents (fixture), ==, 1);
  g_assert_cmpstr (bgpt_monitor_check_get_incident_id (costs_check (fixture)), ==, bgpt_incident_get_id (incident));

  calls = read_calls ();
  g_assert_cmpuint (calls->len, ==, 1);
  warning = g_ptr_array_index (calls, 0);
  g_test_message ("%s\n%s", warning->summary, warning->body);
  g_assert_cmpstr (warning->summary, ==, bgpt_catalog_title ("openai.budget"));
  g_assert_cmpstr (warning->summary, ==, "Orçamento da OpenAI se esgotando");
  g_assert_nonnull (strstr (warning->body, "Loja Centro"));
  /* The projection and the day the budget is reached. */
  projected = g_strdup_printf ("US$ %.2f", 124.0);
  g_assert_nonnull (strstr (warning->body, projected));
  /* In the pt_BR way of writing a date. */
  g_assert_nonnull (strstr (warning->body, "25/12/2026"));
  g_assert_true (strv_has (warning->actions, "app.show-incident"));
  warning_id = warning->id;

  /* Over 100 %: the same incident, critical; the notification replaced. */
  bill_costs (fixture, 4);
  bgpt_monitor_confirm_now (fixture->setup.monitor, "default");
  wait_for_calls ("Notify", 2);
  g_assert_true (bgpt_incident_store_find_open (fixture->setup.incidents, "default", "openai.costs") == incident);
  g_assert_cmpstr (bgpt_incident_get_reason (incident), ==, "spent");
  g_assert_cmpint (bgpt_catalog_severity ("openai.budget", "spent"), ==, BGPT_SEVERITY_CRITICAL);
  g_assert_cmpuint (count_costs_incidents (fixture), ==, 1);
  g_clear_pointer (&calls, g_ptr_array_unref);
  calls = read_calls ();
  g_assert_cmpuint (calls->len, ==, 2);
  critical = g_ptr_array_index (calls, 1);
  g_assert_cmpstr (critical->call, ==, "Notify");
  g_assert_cmpuint (critical->replaces_id, ==, warning_id);
  g_assert_nonnull (strstr (critical->body, "/12/2026"));

  /* A larger budget: judged on the costs already read. */
  config = bgpt_check_config_copy (bgpt_monitor_get_account_config (fixture->setup.monitor, "default"));
  config->monthly_budget_usd = 1000;
  bgpt_monitor_set_account (fixture->setup.monitor, config);
  g_assert_false (bgpt_incident_is_open (incident));
  g_assert_null (bgpt_monitor_check_get_incident_id (costs_check (fixture)));
  wait_for_calls ("CloseNotification", 1);
  g_clear_pointer (&calls, g_ptr_array_unref);
  calls = read_calls ();
  assert_close_call (calls, 2, warning_id);
  g_assert_cmpuint (costs_requests (fixture), ==, 3);
}

/* A project key in place of the admin key: its own reason, confirmed like
 * any failed request; the other checks go on. Removing the admin key
 * resolves it. */
static void
test_costs_admin_key_required (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(BgptCheckConfig) config = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  BgptIncident *incident;
  Call *notify;
  guint notify_id;

  bill_costs (fixture, 1);
  bgpt_simulator_set_scenario (fixture->setup.simulator, "openai.costs", BGPT_SCENARIO_ADMIN_KEY_REQUIRED);
  watch_costs (fixture);
  bgpt_monitor_start (fixture->setup.monitor);

  /* Once: not confirmed yet (the failure threshold is 2). */
  wait_for_costs_answer (fixture, 1, "the first costs reading");
  g_assert_cmpint (bgpt_monitor_check_get_state (costs_check (fixture)), ==, BGPT_MONITOR_STATE_FAILING);
  g_assert_cmpuint (count_costs_incidents (fixture), ==, 0);
  g_assert_cmpuint (count_calls ("Notify"), ==, 0);

  /* Twice: down. */
  bgpt_monitor_confirm_now (fixture->setup.monitor, "default");
  wait_for_calls ("Notify", 1);
  incident = bgpt_incident_store_find_open (fixture->setup.incidents, "default", "openai.costs");
  g_assert_nonnull (incident);
  g_assert_cmpstr (bgpt_incident_get_error_id (incident), ==, "openai.auth");
  g_assert_cmpstr (bgpt_incident_get_reason (incident), ==, "admin_key_required");
  g_assert_cmpint (bgpt_monitor_check_get_state (costs_check (fixture)), ==, BGPT_MONITOR_STATE_DOWN);
  /* The API key's checks are not blocked, and raise nothing. */
  g_assert_null (bgpt_incident_store_find_open (fixture->setup.incidents, "default", "openai.key"));
  g_assert_null (bgpt_monitor_check_get_blocked_by (bgpt_monitor_lookup (fixture->setup.monitor, "default",
                                                                         "openai.key")));
  calls = read_calls ();
  g_assert_cmpuint (calls->len, ==, 1);
  notify = g_ptr_array_index (calls, 0);
  g_assert_cmpstr (notify->summary, ==, "Falha na Autenticação da API");
  g_assert_nonnull (strstr (notify->body, "Gastos da OpenAI"));
  notify_id = notify->id;

  /* The admin key removed: no costs check, no incident. */
  config = bgpt_check_config_copy (bgpt_monitor_get_account_config (fixture->setup.monitor, "default"));
  g_clear_pointer (&config->openai_admin_key, g_free);
  bgpt_monitor_set_account (fixture->setup.monitor, config);
  g_assert_null (costs_check (fixture));
  g_assert_false (bgpt_incident_is_open (incident));
  wait_for_calls ("CloseNotification", 1);
  g_clear_pointer (&calls, g_ptr_array_unref);
  calls = read_calls ();
  assert_close_call (calls, 1, notify_id);
}

/* Offline the costs are not read, their check is unknown and nothing is
 * raised; a reading asked for meanwhile goes once the network is back. */
static void
test_costs_offline (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GNetworkMonitor) network = bgpt_static_network_monitor_new (TRUE);

  bgpt_monitor_set_network_monitor (fixture->setup.monitor, network);
  bill_costs (fixture, 2);
  bgpt_simulator_set_scenario (fixture->setup.simulator, "openai.costs", BGPT_SCENARIO_SERVER_ERROR);
  watch_costs (fixture);
  bgpt_monitor_start (fixture->setup.monitor);
  wait_for_costs_answer (fixture, 1, "the first costs reading");
  g_assert_cmpuint (bgpt_monitor_check_get_failures (costs_check (fixture)), ==, 1);

  bgpt_static_network_monitor_set_available (BGPT_STATIC_NETWORK_MONITOR (network), FALSE);
  g_assert_cmpint (bgpt_monitor_check_get_state (costs_check (fixture)), ==, BGPT_MONITOR_STATE_UNKNOWN);
  g_assert_cmpuint (bgpt_monitor_check_get_failures (costs_check (fixture)), ==, 0);
  bgpt_monitor_confirm_now (fixture->setup.monitor, "default");
  g_assert_cmpuint (costs_requests (fixture), ==, 1);
  g_assert_cmpint (bgpt_monitor_check_get_state (costs_check (fixture)), ==, BGPT_MONITOR_STATE_UNKNOWN);
  g_assert_cmpuint (count_costs_incidents (fixture), ==, 0);

  /* Back: the reading asked for goes, and counts from nothing. */
  bgpt_static_network_monitor_set_available (BGPT_STATIC_NETWORK_MONITOR (network), TRUE);
  wait_for_costs_answer (fixture, 2, "the costs reading asked for offline");
  g_assert_cmpuint (costs_requests (fixture), ==, 2);
  g_assert_cmpuint (bgpt_monitor_check_get_failures (costs_check (fixture)), ==, 1);
  g_assert_cmpuint (count_calls ("Notify"), ==, 0);
  bgpt_monitor_set_network_monitor (fixture->setup.monitor, NULL);
}

/* ---- the bus, the server and the application ---- */

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* The titles under test are the pt_BR ones. */
  bgpt_test_use_pt_br ();
  g_setenv ("GNOTIFICATION_BACKEND", "freedesktop", TRUE);
  g_test_init (&argc, &argv, NULL);
  bgpt_i18n_init ();

  /* A private bus of our own, whatever bus the test runs in. */
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);
  bgpt_test_notification_server_start (&server);

  application = g_application_new ("io.github.bytegpt.Monitor.TestNotifications",
                                   G_APPLICATION_DEFAULT_FLAGS);
  g_application_register (application, NULL, &error);
  g_assert_no_error (error);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/notifications/one-problem", test_one_problem_one_notification);
  ADD ("/notifications/reason", test_reason_first_step);
  ADD ("/notifications/refused-key", test_refused_key_one_notification);
  ADD ("/notifications/summary", test_three_problems_one_summary);
  ADD ("/notifications/silenced", test_silenced_incident_is_quiet);
  ADD ("/notifications/silenced-until-resolved", test_silenced_until_resolved);
  ADD ("/notifications/disabled", test_disabled_sends_nothing);
  ADD ("/notifications/reminders", test_reminders);
  ADD ("/notifications/test-button", test_send_test_notification);
  ADD ("/notifications/id-prefix", test_id_prefix_keeps_notifiers_apart);
  ADD ("/notifications/costs/budget", test_costs_budget);
  ADD ("/notifications/costs/admin-key-required", test_costs_admin_key_required);
  ADD ("/notifications/costs/offline", test_costs_offline);

  status = g_test_run ();

  bgpt_test_settle_notifications ();
  bgpt_test_notification_server_stop (&server);
  /* Only the bus daemon is stopped: finalizing the application and the bus
   * connection runs GLib 2.74's freedesktop backend into a crash (see
   * bgpt_test_settle_notifications()); both stay referenced from here until
   * the process ends. */
  g_test_dbus_stop (bus);
  return status;
}
