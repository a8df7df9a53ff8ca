/* bgpt-application-actions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-application"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-application-private.h"
#include "bgpt-preferences.h"
#include "bgpt-process.h"
#include "bgpt-remediation.h"
#include "bgpt-secret-dialog.h"
#include "bgpt-setup-wizard.h"
#include "bgpt-spending-dialog.h"

/* A round of checks the user asked for costs a request per check to
 * OpenAI and Kommo (which blocks an IP that keeps asking): a loop of
 * app.check-now calls must not become a loop of requests. */
#define CHECK_NOW_MIN_INTERVAL_S 10

static gboolean
on_check_now_due (gpointer user_data)
{
  BgptApplication *self = user_data;

  self->check_now_source = 0;
  self->last_check_now = g_get_monotonic_time ();
  bgpt_application_check_now (self);
  return G_SOURCE_REMOVE;
}

static void
check_now_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  BgptApplication *self = user_data;
  gint64 next = self->last_check_now + CHECK_NOW_MIN_INTERVAL_S * G_USEC_PER_SEC;
  gint64 now = g_get_monotonic_time ();

  if (self->check_now_source != 0)
    return;

  if (self->last_check_now == 0 || now >= next)
    {
      on_check_now_due (self);
      return;
    }

  self->check_now_source = g_timeout_add ((guint) ((next - now + 999) / 1000), on_check_now_due, self);
  g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->check_now_source),
                            "[bgpt] check now");
}

static void
on_window_active (BgptApplication *self,
                  GParamSpec      *pspec,
                  GtkWindow       *window)
{
  /* Back from the browser, where the user may have fixed the problem. */
  if (gtk_window_is_active (window) && self->recheck_when_active)
    {
      self->recheck_when_active = FALSE;
      bgpt_application_check_now (self);
    }
}

static void
on_uri_launched (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(BgptApplication) self = user_data;
  g_autoptr(GError) error = NULL;

#if GTK_CHECK_VERSION (4, 10, 0)
  if (!gtk_uri_launcher_launch_finish (GTK_URI_LAUNCHER (source), result, &error))
#else
  if (!g_app_info_launch_default_for_uri_finish (result, &error))
#endif
    {
      g_warning ("Could not open a link: %s", error->message);
      _bgpt_application_show_toast (self, _("Could not open the link: no web browser answered"));
      return;
    }

  self->recheck_when_active = TRUE;
}

static void
open_uri_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  BgptApplication *self = user_data;
  const char *uri = g_variant_get_string (parameter, NULL);
#if GTK_CHECK_VERSION (4, 10, 0)
  g_autoptr(GtkUriLauncher) launcher = NULL;
#else
  g_autoptr(GAppLaunchContext) context = NULL;
#endif
  BgptWindow *window = _bgpt_application_get_window (self);

  /* Only the pages the app links to: never a file, another scheme or
   * whatever address another program of the user passes over D-Bus. */
  if (!bgpt_remediation_uri_is_known (uri))
    {
      g_message ("Refusing to open a link the app does not show");
      return;
    }

  if (window != NULL)
    {
#if !GTK_CHECK_VERSION (4, 10, 0)
      context = G_APP_LAUNCH_CONTEXT (gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (window))));
#endif
      /* Once per window, however many links it opens. */
      g_signal_handlers_disconnect_by_func (window, on_window_active, self);
      g_signal_connect_object (window, "notify::is-active", G_CALLBACK (on_window_active), self,
                               G_CONNECT_SWAPPED);
    }

#if GTK_CHECK_VERSION (4, 10, 0)
  /* Through the OpenURI portal inside a sandbox, with the window as parent. */
  launcher = gtk_uri_launcher_new (uri);
  gtk_uri_launcher_launch (launcher, window != NULL ? GTK_WINDOW (window) : NULL, NULL,
                           on_uri_launched, g_object_ref (self));
#else
  /* The browser does not inherit a key given to --check in the environment. */
  if (context == NULL)
    context = g_app_launch_context_new ();
  bgpt_process_clean_launch_context (context);

  g_app_info_launch_default_for_uri_async (uri, context, NULL, on_uri_launched, g_object_ref (self));
#endif
}

static void
show_incident_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  BgptApplication *self = user_data;
  BgptWindow *window = _bgpt_application_ensure_window (self);
  const char *incident_id = g_variant_get_string (parameter, NULL);

  if (*incident_id == '\0')
    bgpt_window_set_view (window, "incidents");
  else
    bgpt_window_show_incident (window, incident_id);
}

static void
copy_details_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  BgptApplication *self = user_data;
  const char *incident_id = g_variant_get_string (parameter, NULL);
  BgptIncident *incident = NULL;
  g_autofree char *details = NULL;

  /* Only a named incident that exists: the caller may be any program. */
  if (*incident_id != '\0')
    incident = bgpt_incident_store_lookup (bgpt_session_get_incident_store (_bgpt_application_get_session (self)), incident_id);
  if (incident == NULL)
    {
      _bgpt_application_show_toast (self, _("There are no details to copy"));
      return;
    }

  details = bgpt_incident_format_details (incident);
  gdk_clipboard_set_text (gdk_display_get_clipboard (gdk_display_get_default ()), details);
  _bgpt_application_show_toast (self, _("Details copied: paste them in your message to support"));
}

static void
edit_secret_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  BgptApplication *self = user_data;
  BgptSession *session = _bgpt_application_get_session (self);
  g_autofree char *kind_name = NULL;
  g_autofree char *account_id = NULL;
  g_auto(GStrv) account_ids = NULL;
  BgptSecretKind kind;

  if (!bgpt_remediation_parse_secret_target (g_variant_get_string (parameter, NULL), &kind_name, &account_id) ||
      !bgpt_secret_kind_from_string (kind_name, &kind))
    {
      g_message ("Refusing app.edit-secret for an unknown kind of secret");
      return;
    }

  /* The account id may come from any program of the user: only one of the
   * session's counts. Without one, the first. */
  account_ids = g_settings_get_strv (bgpt_session_get_settings (session), "accounts");
  if (account_id == NULL)
    account_id = g_strdup (account_ids[0]);
  if (account_id == NULL || !g_strv_contains ((const char * const *) account_ids, account_id))
    {
      g_message ("Refusing app.edit-secret for an account that does not exist");
      return;
    }

  /* An admin key is tested live before it is kept: the user's goes through
   * "Acompanhar gastos", like every other way to enter one. (The demo keeps
   * its own in memory, with no keyring and nothing to test it against.) */
  if (kind == BGPT_SECRET_KIND_OPENAI_ADMIN_KEY && bgpt_session_check_accounts_editable (session, NULL))
    {
      bgpt_spending_dialog_present (GTK_WINDOW (_bgpt_application_ensure_window (self)),
                                    bgpt_application_get_monitor (self), account_id);
      return;
    }

  bgpt_secret_dialog_present (GTK_WINDOW (_bgpt_application_ensure_window (self)), self, session,
                              account_id, kind);
}

static void
start_demo_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  _bgpt_application_start_demo (BGPT_APPLICATION (user_data));
}

static void
stop_demo_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  _bgpt_application_stop_demo (BGPT_APPLICATION (user_data));
}

static void
on_wizard_finished (BgptApplication *self,
                    const char      *account_id)
{
  /* A new or changed account deserves an answer now. */
  bgpt_application_check_now (self);
}

static void
present_wizard (BgptApplication *self,
                const char      *account_id)
{
  BgptSetupWizard *wizard;

  wizard = bgpt_setup_wizard_new (bgpt_application_get_account_store (self),
                                  bgpt_application_get_secret_store (self), account_id);
  gtk_window_set_transient_for (GTK_WINDOW (wizard), GTK_WINDOW (_bgpt_application_ensure_window (self)));
  gtk_window_set_modal (GTK_WINDOW (wizard), TRUE);
  g_signal_connect_object (wizard, "finished", G_CALLBACK (on_wizard_finished), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (wizard));
}

/* The account an edit action is about: its target, or the first account
 * for ""; FALSE (said in a toast, or logged) while the session's accounts
 * cannot be changed or for an account that does not exist. @account_id is
 * NULL when there is none yet. */
static gboolean
account_to_edit (BgptApplication  *self,
                 GVariant         *parameter,
                 const char       *action_name,
                 char            **account_id)
{
  BgptAccountStore *accounts = bgpt_application_get_account_store (self);
  g_auto(GStrv) account_ids = g_settings_get_strv (bgpt_account_store_get_settings (accounts), "accounts");
  const char *target = g_variant_get_string (parameter, NULL);

  *account_id = NULL;
  if (!_bgpt_application_accounts_editable (self))
    return FALSE;

  if (*target == '\0')
    target = account_ids[0];

  /* The actions take account ids from any program of the user: only one
   * that is stored counts. */
  if (target != NULL && bgpt_account_store_lookup (accounts, target) == NULL)
    {
      g_message ("Refusing %s for an account that does not exist", action_name);
      return FALSE;
    }
  *account_id = g_strdup (target);
  return TRUE;
}

static void
edit_account_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  BgptApplication *self = user_data;
  g_autofree char *account_id = NULL;

  if (!account_to_edit (self, parameter, "app.edit-account", &account_id))
    return;

  present_wizard (self, account_id);
}

/* "Acompanhar gastos": the account's admin key and budget. */
static void
edit_spending_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  BgptApplication *self = user_data;
  g_autofree char *account_id = NULL;

  if (!account_to_edit (self, parameter, "app.edit-spending", &account_id) || account_id == NULL)
    return;

  bgpt_spending_dialog_present (GTK_WINDOW (_bgpt_application_ensure_window (self)),
                                bgpt_application_get_monitor (self), account_id);
}

static void
add_account_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  BgptApplication *self = user_data;

  if (_bgpt_application_accounts_editable (self))
    present_wizard (self, NULL);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  BgptApplication *self = user_data;

  bgpt_preferences_present (GTK_WINDOW (_bgpt_application_ensure_window (self)),
                            bgpt_application_get_settings (self));
}

static void
test_notification_action (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  BgptApplication *self = user_data;

  bgpt_session_send_test_notification (_bgpt_application_get_session (self));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *application = user_data;
  static const char *developers[] = { "ByteGPT Monitor developers", NULL };
  GtkWindow *parent = gtk_application_get_active_window (application);
#if ADW_CHECK_VERSION (1, 5, 0)
  AdwDialog *about;

  about = g_object_new (ADW_TYPE_ABOUT_DIALOG,
#else
  GtkWindow *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
#endif
                        "application-name", _("ByteGPT Monitor"),
                        "application-icon", APPLICATION_ID,
                        "developer-name", _("ByteGPT Monitor developers"),
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        "comments", _("Sets up, tests and watches ByteGPT’s Kommo and OpenAI connections."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: put your name here */
                        "translator-credits", _("translator-credits"),
                        NULL);
#if ADW_CHECK_VERSION (1, 5, 0)
  adw_dialog_present (about, GTK_WIDGET (parent));
#else
  gtk_window_present (about);
#endif
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "check-now", check_now_action },
  { "open-uri", open_uri_action, "s" },
  { "show-incident", show_incident_action, "s" },
  { "copy-details", copy_details_action, "s" },
  { "edit-secret", edit_secret_action, "s" },
  { "edit-account", edit_account_action, "s" },
  { "edit-spending", edit_spending_action, "s" },
  { "add-account", add_account_action },
  { "start-demo", start_demo_action },
  { "stop-demo", stop_demo_action },
  { "preferences", preferences_action },
  { "test-notification", test_notification_action },
  { "about", about_action },
  { "quit", quit_action },
};

void
_bgpt_application_actions_init (BgptApplication *self)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *check_accels[] = { "F5", "<Control>r", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.check-now", check_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
}

void
_bgpt_application_actions_dispose (BgptApplication *self)
{
  g_clear_handle_id (&self->check_now_source, g_source_remove);
}
