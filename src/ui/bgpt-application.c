/* bgpt-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-application"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-application.h"
#include "bgpt-background.h"
#include "bgpt-monitor-accounts.h"
#include "bgpt-demo-mode.h"
#include "bgpt-account-store.h"
#include "bgpt-i18n.h"
#include "bgpt-preferences.h"
#include "bgpt-process.h"
#include "bgpt-remediation.h"
#include "bgpt-resources.h"
#include "bgpt-secret-dialog.h"
#include "bgpt-secret-store.h"
#include "bgpt-setup-wizard.h"
#include "bgpt-spending-dialog.h"
#include "bgpt-window.h"
#include "cli/bgpt-cli.h"

struct _BgptApplication
{
  AdwApplication     parent_instance;

  GSettings         *settings;
  BgptAccountStore  *accounts;
  BgptCheckBoard    *board;
  BgptIncidentStore *incidents;
  BgptSecretStore   *secrets;
  BgptBackground    *background;
  GNetworkMonitor   *network;
  gboolean           recheck_when_active;

  /* app.check-now, which any program of the user can call: one round per
   * CHECK_NOW_MIN_INTERVAL_S, the calls in between folded into one. */
  gint64             last_check_now;
  guint              check_now_source;

  /* While the demo plays: its session, and the user's own settings and
   * history, put back when it ends. */
  BgptDemoMode      *demo_mode;
  GSettings         *user_settings;
  BgptIncidentStore *user_incidents;
  gboolean           demo_requested;
};

/* A round of checks the user asked for costs a request per check to
 * OpenAI and Kommo (which blocks an IP that keeps asking): a loop of
 * app.check-now calls must not become a loop of requests. */
#define CHECK_NOW_MIN_INTERVAL_S 10

G_DEFINE_FINAL_TYPE (BgptApplication, bgpt_application, ADW_TYPE_APPLICATION)

static int
bgpt_application_handle_local_options (GApplication *application,
                                       GVariantDict *options)
{
  int status;

  if (bgpt_demo_mode_is_requested (options))
    {
      BGPT_APPLICATION (application)->demo_requested = TRUE;
      /* A demo never takes over a running monitor: it is a process of its own. */
      g_application_set_flags (application,
                               g_application_get_flags (application) | G_APPLICATION_NON_UNIQUE);
    }

  status = bgpt_background_handle_local_options (application, options);
  if (status >= 0)
    return status;

  /* -1 lets GApplication go on: register, then activate the window. */
  return bgpt_cli_handle_options (options);
}

static void present_setup_wizard (BgptApplication *self,
                                  const char      *account_id);
static void ensure_background    (BgptApplication *self);
static void start_demo           (BgptApplication *self);

static void
bgpt_application_activate (GApplication *application)
{
  BgptApplication *self = BGPT_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (self->demo_requested)
    {
      self->demo_requested = FALSE;
      start_demo (self);
      return;
    }

  /* --background: monitoring only, the window comes when launched again. */
  if (bgpt_background_take_hidden_start (application))
    {
      ensure_background (self);
      return;
    }

  if (window == NULL)
    window = GTK_WINDOW (bgpt_window_new (self));

  gtk_window_present (window);

  /* A first run has nothing to watch yet: set up the first account. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->accounts)) == 0)
    present_setup_wizard (self, NULL);
}

static BgptWindow *
get_window (BgptApplication *self)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  for (GList *l = windows; l != NULL; l = l->next)
    if (BGPT_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

static BgptWindow *
ensure_window (BgptApplication *self)
{
  BgptWindow *window = get_window (self);

  if (window == NULL)
    window = bgpt_window_new (self);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
show_toast (BgptApplication *self,
            const char      *text)
{
  BgptWindow *window = get_window (self);

  if (window != NULL)
    bgpt_window_show_toast (window, text);
  else
    g_message ("%s", text);
}

/* Checking: the monitor of the stored accounts runs every check; the
 * application only asks it. */

static BgptMonitor *
get_monitor (BgptApplication *self)
{
  return self->background != NULL ? bgpt_background_get_monitor (self->background) : NULL;
}

/* The monitor of the stored accounts, with its notifications; never in a
 * demo process, which watches nothing real. The Status board shows what it
 * knows. */
static void
ensure_background (BgptApplication *self)
{
  BgptMonitor *monitor;

  if (self->background != NULL || self->demo_mode != NULL || self->demo_requested)
    return;

  self->background = bgpt_background_new (G_APPLICATION (self), self->settings, self->accounts,
                                          self->secrets, self->incidents);
  monitor = bgpt_background_get_monitor (self->background);
  bgpt_monitor_set_network_monitor (monitor, self->network);
  bgpt_check_board_follow_monitor (self->board, monitor);
}

void
bgpt_application_check_now (BgptApplication *self)
{
  BgptMonitor *monitor;

  g_return_if_fail (BGPT_IS_APPLICATION (self));

  /* The demo checks only its own account, and never reads the keyring. */
  if (self->demo_mode != NULL)
    {
      bgpt_demo_mode_check_now (self->demo_mode);
      return;
    }

  ensure_background (self);
  monitor = get_monitor (self);
  if (monitor == NULL)
    return;

  /* With the secrets as they are now (a fix may have replaced one), and
   * as the user's own check: a failure is an incident at once. */
  bgpt_monitor_reload_accounts (monitor);
}

void
bgpt_application_set_network_monitor (BgptApplication *self,
                                      GNetworkMonitor *network_monitor)
{
  g_return_if_fail (BGPT_IS_APPLICATION (self));
  g_return_if_fail (network_monitor == NULL || G_IS_NETWORK_MONITOR (network_monitor));

  if (network_monitor == NULL)
    network_monitor = g_network_monitor_get_default ();

  g_set_object (&self->network, network_monitor);
  if (self->background != NULL)
    bgpt_monitor_set_network_monitor (get_monitor (self), network_monitor);
}

static void
on_accounts_changed (BgptApplication *self)
{
  g_auto(GStrv) account_ids = g_settings_get_strv (self->settings, "accounts");

  bgpt_check_board_set_accounts (self->board, (const char * const *) account_ids);
}

/* Actions */

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
      show_toast (self, _("Could not open the link: no web browser answered"));
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
  BgptWindow *window = get_window (self);

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
  BgptWindow *window = ensure_window (self);
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
    incident = bgpt_incident_store_lookup (self->incidents, incident_id);
  if (incident == NULL)
    {
      show_toast (self, _("There are no details to copy"));
      return;
    }

  details = bgpt_incident_format_details (incident);
  gdk_clipboard_set_text (gdk_display_get_clipboard (gdk_display_get_default ()), details);
  show_toast (self, _("Details copied: paste them in your message to support"));
}

/* The actions take account ids from any program of the user: only one
 * that is stored counts. */
static gboolean
account_exists (BgptApplication *self,
                const char      *account_id)
{
  return account_id != NULL && self->accounts != NULL &&
         bgpt_account_store_lookup (self->accounts, account_id) != NULL;
}

static void
edit_secret_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  BgptApplication *self = user_data;
  g_autofree char *kind_name = NULL;
  g_autofree char *account_id = NULL;
  BgptSecretKind kind;

  if (!bgpt_remediation_parse_secret_target (g_variant_get_string (parameter, NULL), &kind_name, &account_id) ||
      !bgpt_secret_kind_from_string (kind_name, &kind))
    {
      g_message ("Refusing app.edit-secret for an unknown kind of secret");
      return;
    }

  if (self->demo_mode != NULL)
    {
      bgpt_demo_mode_edit_secret (self->demo_mode, GTK_WINDOW (ensure_window (self)), kind);
      return;
    }

  if (account_id == NULL)
    {
      g_auto(GStrv) account_ids = g_settings_get_strv (self->settings, "accounts");

      account_id = g_strdup (account_ids[0] != NULL ? account_ids[0] : "default");
    }

  if (!account_exists (self, account_id))
    {
      g_message ("Refusing app.edit-secret for an account that does not exist");
      return;
    }

  bgpt_secret_dialog_present (GTK_WINDOW (ensure_window (self)), self, account_id, kind);
}

static void
on_setup_wizard_finished (BgptApplication *self,
                          const char      *account_id)
{
  bgpt_window_set_view (ensure_window (self), "status");
  bgpt_application_check_now (self);
}

static void
present_setup_wizard (BgptApplication *self,
                      const char      *account_id)
{
  BgptWindow *parent = get_window (self);
  BgptSetupWizard *wizard;

  /* The wizard stores accounts and secrets: not while the demo plays. */
  if (self->demo_mode != NULL)
    {
      show_toast (self, _("The demo account can’t be changed. Leave the demo to set up your own account."));
      return;
    }

  /* One wizard at a time: asking again brings the open one forward. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (BGPT_IS_SETUP_WIZARD (l->data))
      {
        gtk_window_present (l->data);
        return;
      }

  wizard = bgpt_setup_wizard_new (self->accounts, self->secrets, account_id);
  gtk_window_set_application (GTK_WINDOW (wizard), GTK_APPLICATION (self));
  if (parent != NULL)
    {
      gtk_window_set_transient_for (GTK_WINDOW (wizard), GTK_WINDOW (parent));
      gtk_window_set_modal (GTK_WINDOW (wizard), TRUE);
    }
  g_signal_connect_object (wizard, "finished", G_CALLBACK (on_setup_wizard_finished), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (wizard));
}

/* Demo mode */

/* A window shows the board and history it was built with: build a new one
 * before the old ones go, so that the app never runs out of windows. */
static void
replace_windows (BgptApplication *self)
{
  GList *old = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  BgptWindow *window = bgpt_window_new (self);

  gtk_window_present (GTK_WINDOW (window));
  for (GList *l = old; l != NULL; l = l->next)
    if (l->data != (gpointer) window)
      gtk_window_destroy (l->data);
  g_list_free (old);
}

static void
start_demo (BgptApplication *self)
{
  g_autoptr(GError) error = NULL;
  BgptDemoMode *demo_mode;
  BgptDemo *demo;

  if (self->demo_mode != NULL)
    {
      ensure_window (self);
      return;
    }

  demo_mode = bgpt_demo_mode_new (G_APPLICATION (self), self->board, &error);
  if (demo_mode == NULL)
    {
      g_warning ("Could not start the demo: %s", error->message);
      show_toast (self, _("The demo could not start"));
      return;
    }

  self->demo_mode = demo_mode;
  demo = bgpt_demo_mode_get_demo (demo_mode);
  self->user_settings = g_steal_pointer (&self->settings);
  self->settings = g_object_ref (bgpt_demo_get_settings (demo));
  self->user_incidents = g_steal_pointer (&self->incidents);
  self->incidents = g_object_ref (bgpt_demo_get_incident_store (demo));

  replace_windows (self);
}

static void
end_demo (BgptApplication *self)
{
  if (self->demo_mode == NULL)
    return;

  g_clear_object (&self->settings);
  self->settings = g_steal_pointer (&self->user_settings);
  g_clear_object (&self->incidents);
  self->incidents = g_steal_pointer (&self->user_incidents);
  g_clear_object (&self->demo_mode);
  on_accounts_changed (self);
  if (self->background != NULL)
    bgpt_check_board_follow_monitor (self->board, get_monitor (self));
}

static void
start_demo_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  start_demo (BGPT_APPLICATION (user_data));
}

static void
stop_demo_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  BgptApplication *self = user_data;

  if (self->demo_mode == NULL)
    return;

  end_demo (self);
  /* Started with --demo, the app watched nothing real until now. */
  ensure_background (self);
  replace_windows (self);
  if (g_list_model_get_n_items (G_LIST_MODEL (self->accounts)) == 0)
    present_setup_wizard (self, NULL);
}

BgptDemoMode *
bgpt_application_get_demo_mode (BgptApplication *self)
{
  g_return_val_if_fail (BGPT_IS_APPLICATION (self), NULL);
  return self->demo_mode;
}

const char *
bgpt_application_get_status_page_url (BgptApplication *self)
{
  g_return_val_if_fail (BGPT_IS_APPLICATION (self), NULL);

  if (self->demo_mode == NULL)
    return NULL;
  return bgpt_demo_get_status_page_url (bgpt_demo_mode_get_demo (self->demo_mode));
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

  wizard = bgpt_setup_wizard_new (self->accounts, self->secrets, account_id);
  gtk_window_set_transient_for (GTK_WINDOW (wizard), GTK_WINDOW (ensure_window (self)));
  gtk_window_set_modal (GTK_WINDOW (wizard), TRUE);
  g_signal_connect_object (wizard, "finished", G_CALLBACK (on_wizard_finished), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (wizard));
}

/* The account an edit action is about: its target, or the first account
 * for ""; FALSE (said in a toast, or logged) for the demo or an account
 * that does not exist. @account_id is NULL when there is none yet. */
static gboolean
account_to_edit (BgptApplication  *self,
                 GVariant         *parameter,
                 const char       *action_name,
                 char            **account_id)
{
  g_auto(GStrv) account_ids = g_settings_get_strv (self->settings, "accounts");
  const char *target = g_variant_get_string (parameter, NULL);

  *account_id = NULL;
  if (self->demo_mode != NULL)
    {
      show_toast (self, _("The demo account can’t be changed. Leave the demo to set up your own account."));
      return FALSE;
    }

  if (*target == '\0')
    target = account_ids[0];

  if (target != NULL && !account_exists (self, target))
    {
      g_message ("Refusing %s for an account that does not exist", action_name);
      return FALSE;
    }
  *account_id = g_strdup (target);
  return TRUE;
}

/* "Acompanhar gastos": the account's admin key and budget. */
static void
edit_spending_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  BgptApplication *self = user_data;
  g_autofree char *account_id = NULL;

  if (!account_to_edit (self, parameter, "app.edit-spending", &account_id) ||
      account_id == NULL || bgpt_application_get_monitor (self) == NULL)
    return;

  bgpt_spending_dialog_present (GTK_WINDOW (ensure_window (self)), bgpt_application_get_monitor (self),
                                account_id);
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

static void
add_account_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  present_wizard (BGPT_APPLICATION (user_data), NULL);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  BgptApplication *self = user_data;

  bgpt_preferences_present (GTK_WINDOW (ensure_window (self)), self->settings);
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
  { "about", about_action },
  { "quit", quit_action },
};

static void
on_incidents_loaded (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(BgptApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  /* A bad file was moved aside, not lost; the window says so (load-error). */
  if (!bgpt_incident_store_load_finish (BGPT_INCIDENT_STORE (source), result, &error))
    g_message ("%s", error->message);
}

static void
bgpt_application_startup (GApplication *application)
{
  BgptApplication *self = BGPT_APPLICATION (application);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *check_accels[] = { "F5", "<Control>r", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (bgpt_application_parent_class)->startup (application);

  /* The windowed app never reads --check's variables; GtkUriLauncher
   * (GTK ≥ 4.10) launches with a context of its own, so they leave the
   * environment here, before any program is started. */
  bgpt_process_unset_override_variables ();

  g_action_map_add_action_entries (G_ACTION_MAP (application),
                                   app_actions, G_N_ELEMENTS (app_actions),
                                   application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.check-now", check_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.preferences", preferences_accels);

  self->accounts = bgpt_account_store_new ();
  self->settings = g_object_ref (bgpt_account_store_get_settings (self->accounts));
  self->board = bgpt_check_board_new ();
  self->secrets = bgpt_secret_store_new ();
  /* After an automatic login the keyring may stay locked: the window says
   * so (keyring.unavailable) instead of waiting for ever. */
  bgpt_secret_store_set_timeout (self->secrets, BGPT_SECRET_STORE_UI_TIMEOUT_S);
  bgpt_application_set_network_monitor (self, NULL);

  g_signal_connect_object (self->settings, "changed::accounts", G_CALLBACK (on_accounts_changed), self,
                           G_CONNECT_SWAPPED);
  on_accounts_changed (self);

  /* Reading the history happens on a worker thread; nothing here touches
   * the network or the keyring before the window's first frame. */
  self->incidents = bgpt_incident_store_new (NULL);
  bgpt_incident_store_load_async (self->incidents, NULL, on_incidents_loaded, g_object_ref (self));

  /* The monitor starts once the window's first frame is on screen (its
   * first check, bgpt_application_check_now), or at once for a start without a window
   * (--background): its keyring reads must not delay the first frame. */

  /* Started by D-Bus (--gapplication-service): no activation, no window. */
  if (g_application_get_flags (application) & G_APPLICATION_IS_SERVICE)
    ensure_background (self);
}

static void
bgpt_application_shutdown (GApplication *application)
{
  BgptApplication *self = BGPT_APPLICATION (application);
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&self->check_now_source, g_source_remove);
  end_demo (self);
  if (self->background != NULL)
    bgpt_background_stop (self->background);
  if (self->incidents != NULL && !bgpt_incident_store_flush (self->incidents, &error) && error != NULL)
    g_warning ("%s", error->message);

  G_APPLICATION_CLASS (bgpt_application_parent_class)->shutdown (application);
}

static void
bgpt_application_dispose (GObject *object)
{
  BgptApplication *self = BGPT_APPLICATION (object);

  g_clear_handle_id (&self->check_now_source, g_source_remove);
  g_clear_object (&self->background);
  g_clear_object (&self->demo_mode);
  g_clear_object (&self->user_settings);
  g_clear_object (&self->user_incidents);
  g_clear_object (&self->settings);
  g_clear_object (&self->accounts);
  g_clear_object (&self->board);
  g_clear_object (&self->incidents);
  g_clear_object (&self->secrets);
  g_clear_object (&self->network);

  G_OBJECT_CLASS (bgpt_application_parent_class)->dispose (object);
}

static void
bgpt_application_class_init (BgptApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  bgpt_register_resource ();

  object_class->dispose = bgpt_application_dispose;
  app_class->handle_local_options = bgpt_application_handle_local_options;
  app_class->startup = bgpt_application_startup;
  app_class->shutdown = bgpt_application_shutdown;
  app_class->activate = bgpt_application_activate;
}

static void
bgpt_application_init (BgptApplication *self)
{
  bgpt_cli_add_main_options (G_APPLICATION (self));
  bgpt_demo_mode_add_option (G_APPLICATION (self));
  bgpt_background_add_option (G_APPLICATION (self));
}

BgptApplication *
bgpt_application_new (void)
{
  /* Before any secret is read: a core dump would hold it. */
  bgpt_process_forbid_core_dumps ();
  bgpt_i18n_init ();

  return g_object_new (BGPT_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_BASE_PATH,
                       NULL);
}

GSettings *
bgpt_application_get_settings (BgptApplication *self)
{
  g_return_val_if_fail (BGPT_IS_APPLICATION (self), NULL);
  return self->settings;
}

BgptCheckBoard *
bgpt_application_get_check_board (BgptApplication *self)
{
  g_return_val_if_fail (BGPT_IS_APPLICATION (self), NULL);
  return self->board;
}

BgptMonitor *
bgpt_application_get_monitor (BgptApplication *self)
{
  g_return_val_if_fail (BGPT_IS_APPLICATION (self), NULL);
  return self->background != NULL ? bgpt_background_get_monitor (self->background) : NULL;
}

BgptIncidentStore *
bgpt_application_get_incident_store (BgptApplication *self)
{
  g_return_val_if_fail (BGPT_IS_APPLICATION (self), NULL);
  return self->incidents;
}

BgptSecretStore *
bgpt_application_get_secret_store (BgptApplication *self)
{
  g_return_val_if_fail (BGPT_IS_APPLICATION (self), NULL);
  return self->secrets;
}

BgptAccountStore *
bgpt_application_get_account_store (BgptApplication *self)
{
  g_return_val_if_fail (BGPT_IS_APPLICATION (self), NULL);
  return self->accounts;
}

char *
bgpt_application_dup_account_name (BgptApplication *self,
                                   const char      *account_id)
{
  BgptAccount *account;

  g_return_val_if_fail (BGPT_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (account_id != NULL, NULL);

  if (self->demo_mode != NULL && g_str_equal (account_id, BGPT_DEMO_ACCOUNT_ID))
    return g_strdup (bgpt_demo_get_config (bgpt_demo_mode_get_demo (self->demo_mode))->display_name);

  account = self->accounts != NULL ? bgpt_account_store_lookup (self->accounts, account_id) : NULL;
  if (account == NULL)
    return g_strdup (account_id);
  return bgpt_account_dup_title (account);
}
