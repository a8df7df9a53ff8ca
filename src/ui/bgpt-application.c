/* bgpt-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-application"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-application-private.h"
#include "bgpt-background.h"
#include "bgpt-i18n.h"
#include "bgpt-process.h"
#include "bgpt-resources.h"
#include "bgpt-setup-wizard.h"
#include "cli/bgpt-cli.h"

G_DEFINE_FINAL_TYPE (BgptApplication, bgpt_application, ADW_TYPE_APPLICATION)

static int
bgpt_application_handle_local_options (GApplication *application,
                                       GVariantDict *options)
{
  BgptApplication *self = BGPT_APPLICATION (application);
  int status;

  self->demo_requested = bgpt_demo_session_handle_local_options (application, options);

  status = bgpt_background_handle_local_options (application, options, &self->hidden_start);
  if (status >= 0)
    return status;

  /* -1 lets GApplication go on: register, then activate the window. */
  return bgpt_cli_handle_options (options);
}

static void
bgpt_application_activate (GApplication *application)
{
  BgptApplication *self = BGPT_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (self->demo_requested)
    {
      self->demo_requested = FALSE;
      _bgpt_application_start_demo (self);
      return;
    }

  /* --background: monitoring only, the window comes when launched again. */
  if (self->hidden_start)
    {
      self->hidden_start = FALSE;
      _bgpt_application_ensure_monitoring (self);
      return;
    }

  if (window == NULL)
    window = GTK_WINDOW (bgpt_window_new (self));

  gtk_window_present (window);

  /* A first run has nothing to watch yet: set up the first account. */
  if (g_list_model_get_n_items (G_LIST_MODEL (bgpt_application_get_account_store (self))) == 0)
    _bgpt_application_present_setup_wizard (self, NULL);
}

BgptSession *
_bgpt_application_get_session (BgptApplication *self)
{
  if (self->demo_session != NULL)
    return BGPT_SESSION (self->demo_session);
  return BGPT_SESSION (self->user_session);
}

BgptWindow *
_bgpt_application_get_window (BgptApplication *self)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  for (GList *l = windows; l != NULL; l = l->next)
    if (BGPT_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

BgptWindow *
_bgpt_application_ensure_window (BgptApplication *self)
{
  BgptWindow *window = _bgpt_application_get_window (self);

  if (window == NULL)
    window = bgpt_window_new (self);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

void
_bgpt_application_show_toast (BgptApplication *self,
                              const char      *text)
{
  BgptWindow *window = _bgpt_application_get_window (self);

  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-toast", "s", text);
  else
    g_message ("%s", text);
}

/* Checking: the monitor of the session shown runs every check; the
 * application only asks it. */

/* The monitor of the stored accounts, with its notifications; never in a
 * demo process, which watches nothing real, until the demo ends. */
void
_bgpt_application_ensure_monitoring (BgptApplication *self)
{
  BgptSession *session = BGPT_SESSION (self->user_session);

  if (bgpt_session_get_monitor (session) != NULL || self->demo_session != NULL || self->demo_requested)
    return;

  bgpt_session_start (session);
}

void
bgpt_application_check_now (BgptApplication *self)
{
  g_return_if_fail (BGPT_IS_APPLICATION (self));

  _bgpt_application_ensure_monitoring (self);
  bgpt_session_check_now (_bgpt_application_get_session (self));
}

void
bgpt_application_set_network_monitor (BgptApplication *self,
                                      GNetworkMonitor *network_monitor)
{
  g_return_if_fail (BGPT_IS_APPLICATION (self));

  bgpt_user_session_set_network_monitor (self->user_session, network_monitor);
}

static void
on_setup_wizard_finished (BgptApplication *self,
                          const char      *account_id)
{
  bgpt_window_set_view (_bgpt_application_ensure_window (self), "status");
  bgpt_application_check_now (self);
}

/* The wizard stores accounts and secrets: only where the session allows. */
gboolean
_bgpt_application_accounts_editable (BgptApplication *self)
{
  g_autoptr(GError) error = NULL;

  if (bgpt_session_check_accounts_editable (_bgpt_application_get_session (self), &error))
    return TRUE;
  _bgpt_application_show_toast (self, error->message);
  return FALSE;
}

void
_bgpt_application_present_setup_wizard (BgptApplication *self,
                                        const char      *account_id)
{
  BgptWindow *parent = _bgpt_application_get_window (self);
  BgptSetupWizard *wizard;

  if (!_bgpt_application_accounts_editable (self))
    return;

  /* One wizard at a time: asking again brings the open one forward. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (BGPT_IS_SETUP_WIZARD (l->data))
      {
        gtk_window_present (l->data);
        return;
      }

  wizard = bgpt_setup_wizard_new (bgpt_application_get_account_store (self),
                                  bgpt_application_get_secret_store (self), account_id);
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

/* Switching sessions */

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

void
_bgpt_application_start_demo (BgptApplication *self)
{
  g_autoptr(GError) error = NULL;
  BgptDemoSession *demo_session;

  if (self->demo_session != NULL)
    {
      _bgpt_application_ensure_window (self);
      return;
    }

  demo_session = bgpt_demo_session_new (G_APPLICATION (self), &error);
  if (demo_session == NULL)
    {
      g_warning ("Could not start the demo: %s", error->message);
      _bgpt_application_show_toast (self, _("The demo could not start"));
      return;
    }

  self->demo_session = demo_session;
  bgpt_session_hide_from_board (BGPT_SESSION (self->user_session));
  bgpt_session_show_on_board (BGPT_SESSION (demo_session), self->board);
  bgpt_session_start (BGPT_SESSION (demo_session));

  replace_windows (self);
}

/* The demo's session goes with everything it showed; the user's comes back
 * as it was. */
static void
end_demo (BgptApplication *self)
{
  if (self->demo_session == NULL)
    return;

  g_clear_object (&self->demo_session);
  bgpt_session_show_on_board (BGPT_SESSION (self->user_session), self->board);
}

void
_bgpt_application_stop_demo (BgptApplication *self)
{
  if (self->demo_session == NULL)
    return;

  end_demo (self);
  /* Started with --demo, the app watched nothing real until now. */
  _bgpt_application_ensure_monitoring (self);
  replace_windows (self);
  if (g_list_model_get_n_items (G_LIST_MODEL (bgpt_application_get_account_store (self))) == 0)
    _bgpt_application_present_setup_wizard (self, NULL);
}

/* Life cycle */

static void
bgpt_application_startup (GApplication *application)
{
  BgptApplication *self = BGPT_APPLICATION (application);

  G_APPLICATION_CLASS (bgpt_application_parent_class)->startup (application);

  /* The windowed app never reads --check's variables; GtkUriLauncher
   * (GTK ≥ 4.10) launches with a context of its own, so they leave the
   * environment here, before any program is started. */
  bgpt_process_unset_override_variables ();

  _bgpt_application_actions_init (self);

  self->board = bgpt_check_board_new ();
  self->user_session = bgpt_user_session_new (application);
  bgpt_session_show_on_board (BGPT_SESSION (self->user_session), self->board);

  /* The monitor starts once the window's first frame is on screen (its
   * first check, bgpt_application_check_now), or at once for a start without a window
   * (--background): its keyring reads must not delay the first frame. */

  /* Started by D-Bus (--gapplication-service): no activation, no window. */
  if (g_application_get_flags (application) & G_APPLICATION_IS_SERVICE)
    _bgpt_application_ensure_monitoring (self);
}

static void
bgpt_application_shutdown (GApplication *application)
{
  BgptApplication *self = BGPT_APPLICATION (application);
  g_autoptr(GError) error = NULL;

  _bgpt_application_actions_dispose (self);
  end_demo (self);
  if (self->user_session != NULL)
    {
      bgpt_session_stop (BGPT_SESSION (self->user_session));
      if (!bgpt_user_session_flush (self->user_session, &error) && error != NULL)
        g_warning ("%s", error->message);
    }

  G_APPLICATION_CLASS (bgpt_application_parent_class)->shutdown (application);
}

static void
bgpt_application_dispose (GObject *object)
{
  BgptApplication *self = BGPT_APPLICATION (object);

  _bgpt_application_actions_dispose (self);
  g_clear_object (&self->demo_session);
  g_clear_object (&self->user_session);
  g_clear_object (&self->board);

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
  bgpt_demo_session_add_option (G_APPLICATION (self));
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
  return self->user_session != NULL ? bgpt_session_get_settings (_bgpt_application_get_session (self)) : NULL;
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
  return self->user_session != NULL ? bgpt_session_get_monitor (BGPT_SESSION (self->user_session)) : NULL;
}

BgptIncidentStore *
bgpt_application_get_incident_store (BgptApplication *self)
{
  g_return_val_if_fail (BGPT_IS_APPLICATION (self), NULL);
  return self->user_session != NULL ? bgpt_session_get_incident_store (_bgpt_application_get_session (self)) : NULL;
}

BgptSecretStore *
bgpt_application_get_secret_store (BgptApplication *self)
{
  g_return_val_if_fail (BGPT_IS_APPLICATION (self), NULL);
  return self->user_session != NULL ? bgpt_user_session_get_secret_store (self->user_session) : NULL;
}

BgptAccountStore *
bgpt_application_get_account_store (BgptApplication *self)
{
  g_return_val_if_fail (BGPT_IS_APPLICATION (self), NULL);
  return self->user_session != NULL ? bgpt_user_session_get_account_store (self->user_session) : NULL;
}

BgptSession *
bgpt_application_get_session (BgptApplication *self)
{
  g_return_val_if_fail (BGPT_IS_APPLICATION (self), NULL);
  return self->user_session != NULL ? _bgpt_application_get_session (self) : NULL;
}

BgptDemoSession *
bgpt_application_get_demo_session (BgptApplication *self)
{
  g_return_val_if_fail (BGPT_IS_APPLICATION (self), NULL);
  return self->demo_session;
}

const char *
bgpt_application_get_status_page_url (BgptApplication *self)
{
  g_return_val_if_fail (BGPT_IS_APPLICATION (self), NULL);
  return bgpt_session_get_status_page_url (_bgpt_application_get_session (self));
}

char *
bgpt_application_dup_account_name (BgptApplication *self,
                                   const char      *account_id)
{
  g_return_val_if_fail (BGPT_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (account_id != NULL, NULL);

  return bgpt_session_dup_account_name (_bgpt_application_get_session (self), account_id);
}
