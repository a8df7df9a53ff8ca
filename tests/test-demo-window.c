/* test-demo-window.c: the app in demo mode, as a person sees it.
 *
 * The real application runs with --demo under Xvfb, inside
 * tests/keyring-session.sh --no-keyring --keyfile-settings (a throwaway
 * home, no Secret Service, no network needed), with a stand-in desktop
 * notification server on the private bus. The script plays at twenty times
 * the pace until every seed title is in the window's panel, in pt_BR; then a
 * failure notifies and resolves on its own, the "replace the key" fix is
 * used, and the demo is left. The user's files must come out unchanged.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ui/bgpt-application.h"
#include "ui/bgpt-demo-session.h"
#include "ui/bgpt-secret-alert.h"
#include "ui/bgpt-window.h"
#include "core/bgpt-catalog.h"
#include "bgpt-test-utils.h"

static BgptTestNotificationServer server;

/* Helpers */

/* @timeout_s is what the demo promises; no wait is shorter than the
 * tests' one bound, so a loaded machine only makes it slower. */
#define wait_for(condition, data, timeout_s, what) \
  bgpt_test_assert_within ((condition), (data), (timeout_s) * 1000, (what))

static void
collect_labels (GtkWidget *widget,
                GPtrArray *labels)
{
  if (GTK_IS_LABEL (widget))
    g_ptr_array_add (labels, (gpointer) gtk_label_get_label (GTK_LABEL (widget)));
  else if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
    g_ptr_array_add (labels, (gpointer) gtk_button_get_label (GTK_BUTTON (widget)));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, labels);
}

static gboolean
has_label (GtkWidget  *root,
           const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect_labels (root, labels);
  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (g_ptr_array_index (labels, i), text) == 0)
      return TRUE;
  return FALSE;
}

static BgptWindow *
find_window (GApplication *application)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (application)); l != NULL; l = l->next)
    if (BGPT_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

/* The titles of the incident rows in the Notificações panel. */
static GPtrArray *
panel_titles (BgptWindow *window)
{
  GtkListBox *list_box = bgpt_incidents_view_get_list_box (bgpt_window_get_incidents_view (window));
  GPtrArray *titles = g_ptr_array_new ();

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (list_box)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_PREFERENCES_ROW (row))
      g_ptr_array_add (titles, (gpointer) adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
  return titles;
}

typedef struct
{
  GApplication *application;
} Run;

static gboolean
panel_has_every_seed_title (gpointer data)
{
  BgptWindow *window = find_window (((Run *) data)->application);
  g_autoptr(GPtrArray) titles = NULL;

  if (window == NULL)
    return FALSE;
  titles = panel_titles (window);
  for (guint i = 0; i < G_N_ELEMENTS (bgpt_test_seed_titles); i++)
    if (!g_ptr_array_find_with_equal_func (titles, bgpt_test_seed_titles[i], g_str_equal, NULL))
      return FALSE;
  return TRUE;
}

/* The stand-in notification server's log: one JSON object per call. */
static JsonArray *
read_notifications (void)
{
  return bgpt_test_notification_server_read_calls (&server);
}

/* How many calls the server has logged so far: later checks look only at
 * what came after. */
static guint calls_seen;

static guint
count_notification_calls (void)
{
  g_autoptr(JsonArray) calls = read_notifications ();

  return json_array_get_length (calls);
}

/* The id of the last notification titled @summary since calls_seen, or 0. */
static gint64
notified (const char *summary)
{
  g_autoptr(JsonArray) calls = read_notifications ();
  gint64 id = 0;

  for (guint i = calls_seen; i < json_array_get_length (calls); i++)
    {
      JsonObject *call = json_array_get_object_element (calls, i);

      if (g_str_equal (json_object_get_string_member (call, "call"), "Notify") &&
          g_strcmp0 (json_object_get_string_member (call, "summary"), summary) == 0)
        id = json_object_get_int_member (call, "id");
    }
  return id;
}

static gboolean
closed (gint64 id)
{
  g_autoptr(JsonArray) calls = read_notifications ();

  return bgpt_test_notification_calls_close (calls, calls_seen, id);
}

static gboolean
healthy_now (gpointer data)
{
  BgptDemo *demo = data;

  return bgpt_demo_get_phase (bgpt_demo_get_phase_index (demo))->error_id == NULL &&
         bgpt_monitor_count_down (bgpt_demo_get_monitor (demo)) == 0;
}

/* Holds the demo in a healthy step until every incident has resolved. At a
 * person's pace a healthy step ends after about 20 s even with incidents
 * open (a Kommo rate limit holds the account back a minute), and the next
 * step opens another: on a slow machine (the sanitizers beside other
 * work) the two may never coincide. */
static gboolean
held_healthy_now (gpointer data)
{
  BgptDemo *demo = data;

  if (bgpt_demo_get_phase (bgpt_demo_get_phase_index (demo))->error_id != NULL)
    bgpt_demo_start_at (demo, (guint) bgpt_demo_find_phase ("healthy"));
  return healthy_now (demo);
}

/* The same two clocks while the assistant fails: its step ends after
 * about 20 s whether or not a check has run (a Kommo rate limit may hold
 * the account back longer), so the wait keeps the demo in it. */
static gboolean
held_assistant_notified (gpointer data)
{
  BgptDemo *demo = data;
  guint step = (guint) bgpt_demo_find_phase ("openai.assistant");

  if (bgpt_demo_get_phase_index (demo) != step)
    bgpt_demo_start_at (demo, step);
  return notified (bgpt_test_seed_titles[2]) != 0;
}

/* The budget's pt_BR title. */
#define BUDGET_TITLE "Orçamento da OpenAI se esgotando"

static gboolean
budget_notified (gpointer data)
{
  return notified (BUDGET_TITLE) != 0;
}

static gboolean
panel_has_budget (gpointer data)
{
  BgptWindow *window = find_window (((Run *) data)->application);
  g_autoptr(GPtrArray) titles = window != NULL ? panel_titles (window) : NULL;

  return titles != NULL && g_ptr_array_find_with_equal_func (titles, BUDGET_TITLE, g_str_equal, NULL);
}

/* And in the healthy step after it, until the incident resolves. */
static gboolean
held_assistant_withdrawn (gpointer data)
{
  BgptDemo *demo = data;
  guint step = (guint) bgpt_demo_find_phase ("openai.assistant");
  gint64 id = notified (bgpt_test_seed_titles[2]);

  if (bgpt_demo_get_phase_index (demo) != step && bgpt_demo_get_phase_index (demo) != step + 1)
    bgpt_demo_start_at (demo, step + 1);
  return id != 0 && closed (id);
}

typedef struct
{
  BgptCheckBoard     *board;
  const char         *check;
  BgptCheckItemState  state;
  const char         *error_id;
} ItemWait;

static gboolean
item_reached (gpointer data)
{
  ItemWait *wait = data;
  BgptCheckItem *item = bgpt_check_board_lookup (wait->board, BGPT_DEMO_ACCOUNT_ID, wait->check);
  const BgptDiagnosis *diagnosis;

  if (item == NULL || bgpt_check_item_get_state (item) != wait->state)
    return FALSE;
  diagnosis = bgpt_check_item_get_diagnosis (item);
  return wait->error_id == NULL ||
         (diagnosis != NULL && g_strcmp0 (diagnosis->error_id, wait->error_id) == 0);
}

/* The scenario, run from inside the application's main loop */

static gboolean
play (gpointer user_data)
{
  Run *run = user_data;
  BgptApplication *application = BGPT_APPLICATION (run->application);
  BgptCheckBoard *board = bgpt_application_get_check_board (application);
  g_autofree char *user_history = bgpt_incident_store_get_default_path ();
  BgptDemoSession *demo_session;
  BgptDemo *demo;
  BgptWindow *window;
  GtkWidget *dialog;
  g_autofree char *old_key = NULL;
  gint64 started = g_get_monotonic_time ();

  /* --demo: straight into the demo, as a process of its own. */
  demo_session = bgpt_application_get_demo_session (application);
  g_assert_nonnull (demo_session);
  demo = bgpt_demo_session_get_demo (demo_session);
  g_assert_true (bgpt_demo_is_running (demo));
  g_assert_true (g_application_get_flags (run->application) & G_APPLICATION_NON_UNIQUE);
  /* Its notifications and actions never reach the user's own instance. */
  g_assert_cmpstr (g_application_get_application_id (run->application), ==, BGPT_DEMO_APPLICATION_ID);
  g_assert_cmpstr (bgpt_incident_store_get_path (bgpt_application_get_incident_store (application)), !=,
                   user_history);

  window = find_window (run->application);
  g_assert_nonnull (window);
  g_assert_true (has_label (GTK_WIDGET (window), "Modo demonstração"));
  g_assert_true (has_label (GTK_WIDGET (window), "Sair da _demonstração"));
  g_assert_true (has_label (GTK_WIDGET (window), "Conta de demonstração"));

  /* Every seed title reaches the panel, in pt_BR. */
  bgpt_window_set_view (window, "incidents");
  wait_for (panel_has_every_seed_title, run, (guint) (bgpt_test_scaled_ms (90000) / 1000),
            "every seed title in the panel");
  g_test_message ("every seed title in the panel after %.1f s", (g_get_monotonic_time () - started) / 1e6);

  /* At a person's pace: one failure notifies and then resolves on its own. */
  bgpt_demo_set_speed (demo, 1.0);
  bgpt_demo_set_loop (demo, TRUE);
  /* A Kommo rate limit may still hold the account back for a minute. */
  wait_for (held_healthy_now, demo, 120, "the end of the last failure");
  calls_seen = count_notification_calls ();
  bgpt_demo_start_at (demo, (guint) bgpt_demo_find_phase ("openai.assistant"));
  g_test_message ("healthy after %.1f s", (g_get_monotonic_time () - started) / 1e6);
  /* The step after it is healthy: held_assistant_withdrawn() keeps it. */
  g_assert_null (bgpt_demo_get_phase ((guint) bgpt_demo_find_phase ("openai.assistant") + 1)->error_id);
  wait_for (held_assistant_notified, demo, 60, "the assistant notification");
  g_test_message ("notified after %.1f s", (g_get_monotonic_time () - started) / 1e6);
  wait_for (held_assistant_withdrawn, demo, (guint) (bgpt_test_scaled_ms (90000) / 1000),
            "the assistant notification to be withdrawn");
  g_test_message ("withdrawn after %.1f s", (g_get_monotonic_time () - started) / 1e6);
  /* Withdrawn because the healthy period after it resolved the incident. */
  g_assert_null (bgpt_incident_store_find_open (bgpt_application_get_incident_store (application),
                                                BGPT_DEMO_ACCOUNT_ID, "openai.assistant"));

  /* The budget step: the costs check's own row, an incident in the panel
   * and a notification, like any other failure. */
  {
    ItemWait budget = { board, "openai.costs", BGPT_CHECK_ITEM_PROBLEM, "openai.budget" };

    calls_seen = count_notification_calls ();
    bgpt_demo_start_at (demo, (guint) bgpt_demo_find_phase ("openai.budget"));
    wait_for (item_reached, &budget, 30, "the budget warning on the board");
    g_assert_cmpstr (bgpt_check_item_get_subject (bgpt_check_board_lookup (board, BGPT_DEMO_ACCOUNT_ID,
                                                                           "openai.costs")),
                     ==, "Gastos da organização");
    g_assert_nonnull (bgpt_incident_store_find_open (bgpt_application_get_incident_store (application),
                                                     BGPT_DEMO_ACCOUNT_ID, "openai.costs"));
    wait_for (panel_has_budget, run, 30, "the budget in the panel");
    wait_for (budget_notified, NULL, 30, "the budget notification");
  }

  /* The one-click fix: replace the key, inside the demo. */
  {
    ItemWait down = { board, "openai.key", BGPT_CHECK_ITEM_PROBLEM, "openai.auth" };
    ItemWait ok = { board, "openai.key", BGPT_CHECK_ITEM_OK, NULL };

    /* So slow that the script cannot move on while the key is replaced:
     * only the fix can make the check pass. */
    bgpt_demo_set_speed (demo, 0.05);
    bgpt_demo_start_at (demo, (guint) bgpt_demo_find_phase ("openai.auth"));
    wait_for (item_reached, &down, 30, "the refused key on the board");
    old_key = g_strdup (bgpt_demo_get_config (demo)->openai_api_key);

    g_action_group_activate_action (G_ACTION_GROUP (application), "edit-secret",
                                    g_variant_new_string ("openai-api-key"));
    dialog = bgpt_secret_alert_find (GTK_WINDOW (window));
    g_assert_nonnull (dialog);
    /* The offered demo key is valid as it stands. */
    g_assert_true (bgpt_secret_alert_get_save_enabled (dialog));
    bgpt_secret_alert_save (dialog);

    wait_for (item_reached, &ok, 30, "the new key to pass");
    g_assert_cmpstr (bgpt_demo_get_config (demo)->openai_api_key, !=, old_key);
    g_assert_cmpstr (bgpt_demo_get_phase (bgpt_demo_get_phase_index (demo))->name, ==, "openai.auth");
  }

  /* The way out: back to the user's own (empty) setup. */
  g_action_group_activate_action (G_ACTION_GROUP (application), "stop-demo", NULL);
  g_assert_null (bgpt_application_get_demo_session (application));
  g_assert_cmpstr (bgpt_incident_store_get_path (bgpt_application_get_incident_store (application)), ==,
                   user_history);
  window = find_window (run->application);
  g_assert_nonnull (window);
  g_assert_false (has_label (GTK_WIDGET (window), "Modo demonstração"));
  g_assert_null (bgpt_check_board_lookup (board, BGPT_DEMO_ACCOUNT_ID, "openai.key"));
  /* With no account of its own the app offers the demo again. */
  g_assert_true (has_label (GTK_WIDGET (window), "_Experimentar sem conta"));

  g_application_quit (run->application);
  return G_SOURCE_REMOVE;
}

static void
on_activate (GApplication *application,
             Run          *run)
{
  static gboolean once;

  if (!once)
    {
      once = TRUE;
      g_idle_add (play, run);
    }
}

static void
test_demo_window (void)
{
  g_autoptr(GHashTable) before = bgpt_test_snapshot_home (".cache");
  g_autoptr(GHashTable) after = NULL;
  char *argv[] = { (char *) "bytegpt-monitor", (char *) "--demo", NULL };
  BgptApplication *application;
  Run run = { NULL };
  char speed[G_ASCII_DTOSTR_BUF_SIZE];
  int status;

  /* Twenty times a person's pace, slowed like every other wait in the tests
   * on a slow machine (BGPT_TEST_TIME_SCALE): a step's longest time is the
   * demo's own, and under the sanitizers a failure may take longer than a
   * twentieth of it to be confirmed. */
  g_setenv (BGPT_DEMO_SPEED_ENV, g_ascii_dtostr (speed, sizeof speed, 20.0 / bgpt_test_time_scale ()), TRUE);
  application = bgpt_application_new ();
  run.application = G_APPLICATION (application);
  g_signal_connect_after (application, "activate", G_CALLBACK (on_activate), &run);

  status = g_application_run (G_APPLICATION (application), 2, argv);
  g_assert_cmpint (status, ==, 0);
  g_object_unref (application);

  /* The user's home is byte for byte as before. */
  /* The graphics stack's shader cache is nobody's data. */
  after = bgpt_test_snapshot_home (".cache");
  bgpt_test_assert_same_files (before, after);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* GTK sets the locale from the environment when the app starts. */
  bgpt_test_use_pt_br ();
  g_setenv ("GNOTIFICATION_BACKEND", "freedesktop", TRUE);
  /* The private bus has no accessibility bus: the panel is read directly. */
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("BGPT_TEST_HOME") == NULL)
    {
      g_printerr ("Run me inside tests/keyring-session.sh --no-keyring --keyfile-settings\n");
      return 1;
    }

  /* Its log is outside the home, which holds only the user's data. */
  bgpt_test_notification_server_start (&server);

  g_test_add_func ("/demo-window/whole-demo", test_demo_window);
  status = g_test_run ();

  bgpt_test_notification_server_stop (&server);
  return status;
}
