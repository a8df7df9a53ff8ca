/* test-demo-session.c: the demo, played inside the user's own app, leaves
 * the user's notifications alone.
 *
 * Runs inside tests/keyring-session.sh --keyfile-settings under Xvfb, with
 * a stand-in desktop notification server on the private bus: a stored
 * account whose OpenAI key the in-process simulator refuses gives a real
 * incident and its notification. The demo then starts from the failure of
 * the same kind (its own notification, of the same title), and is left.
 * The real notification must still be up, never replaced nor withdrawn,
 * the real incident still open, and Preferences' test notification must
 * still work. On the way, the demo's account refuses to be edited, in a
 * toast of the window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "bgpt-account-store.h"
#include "bgpt-secret-store.h"
#include "bgpt-simulator.h"
#include "bgpt-test-utils.h"
#include "bgpt-test-widgets.h"
#include "ui/bgpt-application.h"
#include "ui/bgpt-window.h"

#define OLD_KEY    "sk-proj-test2222demo2222key2222abcdWXYZ"
#define TOKEN      "kommo-test-token-demo-session-0123456789"
#define AUTH_TITLE "Falha na Autenticação da API"
#define TEST_TITLE "Notificação de teste"

static BgptTestNotificationServer server;
static BgptSimulator *simulator;

/* The server's id of the first notification titled @summary whose body
 * holds @body_part, or 0. */
static gint64
find_notify (const char *summary,
             const char *body_part)
{
  g_autoptr(JsonArray) calls = bgpt_test_notification_server_read_calls (&server);

  for (guint i = 0; i < json_array_get_length (calls); i++)
    {
      JsonObject *call = json_array_get_object_element (calls, i);

      if (g_str_equal (json_object_get_string_member (call, "call"), "Notify") &&
          g_strcmp0 (json_object_get_string_member (call, "summary"), summary) == 0 &&
          (body_part == NULL ||
           strstr (json_object_get_string_member (call, "body"), body_part) != NULL))
        return json_object_get_int_member (call, "id");
    }
  return 0;
}

/* Whether anything but the first Notify touched the notification @id:
 * another Notify replacing it, or a CloseNotification. */
static gboolean
touched_again (gint64 id)
{
  g_autoptr(JsonArray) calls = bgpt_test_notification_server_read_calls (&server);
  gboolean first = TRUE;

  for (guint i = 0; i < json_array_get_length (calls); i++)
    {
      JsonObject *call = json_array_get_object_element (calls, i);
      const char *name = json_object_get_string_member (call, "call");

      if (json_object_get_int_member (call, "id") != id)
        continue;
      if (g_str_equal (name, "Notify") && first)
        {
          first = FALSE;
          continue;
        }
      return TRUE;
    }
  return FALSE;
}

static gboolean
closed (gint64 id)
{
  g_autoptr(JsonArray) calls = bgpt_test_notification_server_read_calls (&server);

  return bgpt_test_notification_calls_close (calls, 0, id);
}

static gboolean
real_notified (gpointer data)
{
  return find_notify (AUTH_TITLE, "Loja Teste") != 0;
}

static gboolean
demo_notified (gpointer data)
{
  return find_notify (AUTH_TITLE, "Conta de demonstração") != 0;
}

static gboolean
demo_withdrawn (gpointer data)
{
  return closed (find_notify (AUTH_TITLE, "Conta de demonstração"));
}

static gboolean
test_notified (gpointer data)
{
  return find_notify (TEST_TITLE, NULL) != 0;
}

static gboolean
is_label_reading (GtkWidget     *widget,
                  gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0;
}

static gboolean
has_label (GtkWidget  *widget,
           const char *text)
{
  return bgpt_test_find_widget (widget, is_label_reading, text) != NULL;
}

#define READ_ONLY_TOAST "A conta de demonstração não pode ser alterada. Saia da demonstração para " \
                        "configurar a sua própria conta."

static gboolean
read_only_toast_shown (gpointer data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (data));

  return window != NULL && has_label (GTK_WIDGET (window), READ_ONLY_TOAST);
}

/* The first check opens the incident at once; the second failure, a
 * second later, confirms it and notifies. */
static void
set_up_account (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BGPT_SETTINGS_SCHEMA_ID);

  bgpt_test_store_simulator_account (simulator, OLD_KEY, TOKEN);
  g_settings_set_uint (settings, "check-interval", 1);
  g_settings_set_uint (settings, "retry-interval", 1);
  g_settings_set_uint (settings, "failure-threshold", 2);
  g_settings_set_uint (settings, "reminder-interval", 0);
  g_settings_sync ();
}

static void
test_demo_leaves_real_notifications (void)
{
  g_autoptr(GError) error = NULL;
  BgptApplication *app;
  gint64 real_id;

  set_up_account ();

  app = bgpt_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  g_assert_true (bgpt_test_wait_until (bgpt_test_app_window_shown, app));

  /* The checks after the window's first frame find the refused key: a
   * real incident, and its notification. */
  g_assert_true (bgpt_test_wait_until (real_notified, NULL));
  real_id = find_notify (AUTH_TITLE, "Loja Teste");
  g_assert_nonnull (bgpt_incident_store_find_open (bgpt_application_get_incident_store (app),
                                                   "default", "openai.key"));

  /* The demo, from the failure of the same kind: a notification of its
   * own, then gone with the demo. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "start-demo", NULL);
  g_assert_nonnull (bgpt_application_get_demo_session (app));
  g_assert_true (bgpt_test_wait_until (demo_notified, NULL));
  g_assert_cmpint (find_notify (AUTH_TITLE, "Conta de demonstração"), !=, real_id);
  bgpt_test_settle_notifications ();
  /* Its account cannot be changed: the window says so (win.show-toast). */
  g_action_group_activate_action (G_ACTION_GROUP (app), "edit-account", g_variant_new_string ("demo"));
  g_assert_true (bgpt_test_wait_until (read_only_toast_shown, app));
  g_action_group_activate_action (G_ACTION_GROUP (app), "stop-demo", NULL);
  g_assert_null (bgpt_application_get_demo_session (app));
  g_assert_true (bgpt_test_wait_until (demo_withdrawn, NULL));

  /* The user's notification is still up, as it was, its incident open. */
  g_assert_false (touched_again (real_id));
  g_assert_nonnull (bgpt_incident_store_find_open (bgpt_application_get_incident_store (app),
                                                   "default", "openai.key"));

  /* Preferences' button still sends its sample. */
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "test-notification"));
  g_action_group_activate_action (G_ACTION_GROUP (app), "test-notification", NULL);
  g_assert_true (bgpt_test_wait_until (test_notified, NULL));
  g_assert_false (touched_again (real_id));

  /* GLib 2.74's freedesktop backend crashes on replies that arrive after
   * the application is gone: the application stays until the process ends. */
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_setenv ("GNOTIFICATION_BACKEND", "freedesktop", TRUE);
  /* The demo starts from the refused key, at a person's pace: its incident
   * is still open when the demo is left. */
  g_setenv ("BGPT_DEMO_PHASE", "openai.auth", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  bgpt_test_use_pt_br ();

  bgpt_test_notification_server_start (&server);
  simulator = bgpt_simulator_new (&error);
  g_assert_no_error (error);
  bgpt_simulator_set_refused_credential (simulator, OLD_KEY);

  g_test_add_func ("/demo-session/real-notifications-untouched", test_demo_leaves_real_notifications);
  status = g_test_run ();

  bgpt_test_notification_server_stop (&server);
  return status;
}
