/* bgpt-user-session.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-user-session"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-background.h"
#include "bgpt-monitor-accounts.h"
#include "bgpt-user-session.h"

struct _BgptUserSession
{
  BgptSession        parent_instance;

  BgptAccountStore  *accounts;
  BgptSecretStore   *secrets;
  BgptIncidentStore *incidents;
  GNetworkMonitor   *network;
  BgptBackground    *background;
};

G_DEFINE_FINAL_TYPE (BgptUserSession, bgpt_user_session, BGPT_TYPE_SESSION)

static GSettings *
bgpt_user_session_get_settings (BgptSession *session)
{
  BgptUserSession *self = BGPT_USER_SESSION (session);

  return self->accounts != NULL ? bgpt_account_store_get_settings (self->accounts) : NULL;
}

static BgptIncidentStore *
bgpt_user_session_get_incident_store (BgptSession *session)
{
  return BGPT_USER_SESSION (session)->incidents;
}

static BgptMonitor *
bgpt_user_session_get_monitor (BgptSession *session)
{
  BgptUserSession *self = BGPT_USER_SESSION (session);

  return self->background != NULL ? bgpt_background_get_monitor (self->background) : NULL;
}

static void
bgpt_user_session_start (BgptSession *session)
{
  BgptUserSession *self = BGPT_USER_SESSION (session);
  GApplication *application = bgpt_session_get_application (session);

  if (self->background != NULL || application == NULL)
    return;

  self->background = bgpt_background_new (application, bgpt_user_session_get_settings (session),
                                          self->accounts, self->secrets, self->incidents);
  bgpt_monitor_set_network_monitor (bgpt_background_get_monitor (self->background), self->network);
}

static void
bgpt_user_session_stop (BgptSession *session)
{
  BgptUserSession *self = BGPT_USER_SESSION (session);

  if (self->background != NULL)
    bgpt_background_stop (self->background);
}

static void
bgpt_user_session_check_now (BgptSession *session)
{
  BgptMonitor *monitor = bgpt_user_session_get_monitor (session);

  /* With the secrets as they are now (a fix may have replaced one), and
   * as the user's own check: a failure is an incident at once. */
  if (monitor != NULL)
    bgpt_monitor_reload_accounts (monitor);
}

static char *
bgpt_user_session_dup_account_name (BgptSession *session,
                                    const char  *account_id)
{
  BgptUserSession *self = BGPT_USER_SESSION (session);
  BgptAccount *account = self->accounts != NULL ? bgpt_account_store_lookup (self->accounts, account_id) : NULL;

  if (account == NULL)
    return g_strdup (account_id);
  return bgpt_account_dup_title (account);
}

static const char *
bgpt_user_session_describe_secret_edit (BgptSession    *session,
                                        BgptSecretKind  kind)
{
  if (kind == BGPT_SECRET_KIND_OPENAI_API_KEY)
    return _("Paste a key from platform.openai.com/api-keys. It is kept encrypted in the keyring, never in plain text.");
  if (kind == BGPT_SECRET_KIND_OPENAI_ADMIN_KEY)
    return _("Paste an admin key (“sk-admin-…”) from the OpenAI admin keys page. An admin key can manage the whole organization; this app only reads the costs with it. It is kept encrypted in the keyring and never shown.");
  return _("Paste a long-lived token from Kommo: Settings → Integrations → your private integration → Keys and scopes. It is kept encrypted in the keyring, never in plain text.");
}

static void
on_secret_stored (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!bgpt_secret_store_store_finish (BGPT_SECRET_STORE (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
bgpt_user_session_store_secret_async (BgptSession         *session,
                                      const char          *account_id,
                                      BgptSecretKind       kind,
                                      const char          *secret,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (session, cancellable, callback, user_data);
  g_autoptr(BgptSecretStore) secrets = bgpt_secret_store_new ();

  g_task_set_source_tag (task, bgpt_user_session_store_secret_async);
  /* A store without the window's time limit: the user is waiting for this
   * one, and a prompt to unlock the keyring may come first. */
  bgpt_secret_store_store_async (secrets, account_id, kind, secret, cancellable,
                                 on_secret_stored, g_steal_pointer (&task));
}

static const char *
bgpt_user_session_describe_secret_stored (BgptSession    *session,
                                          BgptSecretKind  kind)
{
  return _("Saved in the keyring. Checking again…");
}

static void
bgpt_user_session_send_test_notification (BgptSession *session)
{
  BgptUserSession *self = BGPT_USER_SESSION (session);

  bgpt_session_start (session);
  if (self->background != NULL)
    bgpt_background_send_test_notification (self->background);
}

static void
on_incidents_loaded (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* A bad file was moved aside, not lost; the window says so (load-error). */
  if (!bgpt_incident_store_load_finish (BGPT_INCIDENT_STORE (source), result, &error))
    g_message ("%s", error->message);
}

static void
bgpt_user_session_dispose (GObject *object)
{
  BgptUserSession *self = BGPT_USER_SESSION (object);

  bgpt_session_hide_from_board (BGPT_SESSION (self));
  g_clear_object (&self->background);
  g_clear_object (&self->accounts);
  g_clear_object (&self->secrets);
  g_clear_object (&self->incidents);
  g_clear_object (&self->network);

  G_OBJECT_CLASS (bgpt_user_session_parent_class)->dispose (object);
}

static void
bgpt_user_session_class_init (BgptUserSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  BgptSessionClass *session_class = BGPT_SESSION_CLASS (klass);

  object_class->dispose = bgpt_user_session_dispose;

  session_class->get_settings = bgpt_user_session_get_settings;
  session_class->get_incident_store = bgpt_user_session_get_incident_store;
  session_class->get_monitor = bgpt_user_session_get_monitor;
  session_class->start = bgpt_user_session_start;
  session_class->stop = bgpt_user_session_stop;
  session_class->check_now = bgpt_user_session_check_now;
  session_class->dup_account_name = bgpt_user_session_dup_account_name;
  session_class->describe_secret_edit = bgpt_user_session_describe_secret_edit;
  session_class->store_secret_async = bgpt_user_session_store_secret_async;
  session_class->describe_secret_stored = bgpt_user_session_describe_secret_stored;
  session_class->send_test_notification = bgpt_user_session_send_test_notification;
}

static void
bgpt_user_session_init (BgptUserSession *self)
{
}

BgptUserSession *
bgpt_user_session_new (GApplication *application)
{
  BgptUserSession *self;

  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);

  self = g_object_new (BGPT_TYPE_USER_SESSION, "application", application, NULL);
  self->accounts = bgpt_account_store_new ();
  g_signal_connect_object (self->accounts, "changed", G_CALLBACK (bgpt_session_emit_accounts_changed),
                           self, G_CONNECT_SWAPPED);
  self->secrets = bgpt_secret_store_new ();
  /* After an automatic login the keyring may stay locked: the window says
   * so (keyring.unavailable) instead of waiting for ever. */
  bgpt_secret_store_set_timeout (self->secrets, BGPT_SECRET_STORE_UI_TIMEOUT_S);
  bgpt_user_session_set_network_monitor (self, NULL);

  /* Reading the history happens on a worker thread; nothing here touches
   * the network or the keyring. */
  self->incidents = bgpt_incident_store_new (NULL);
  bgpt_incident_store_load_async (self->incidents, NULL, on_incidents_loaded, NULL);
  return self;
}

BgptAccountStore *
bgpt_user_session_get_account_store (BgptUserSession *self)
{
  g_return_val_if_fail (BGPT_IS_USER_SESSION (self), NULL);
  return self->accounts;
}

BgptSecretStore *
bgpt_user_session_get_secret_store (BgptUserSession *self)
{
  g_return_val_if_fail (BGPT_IS_USER_SESSION (self), NULL);
  return self->secrets;
}

void
bgpt_user_session_set_network_monitor (BgptUserSession *self,
                                       GNetworkMonitor *network_monitor)
{
  g_return_if_fail (BGPT_IS_USER_SESSION (self));
  g_return_if_fail (network_monitor == NULL || G_IS_NETWORK_MONITOR (network_monitor));

  if (network_monitor == NULL)
    network_monitor = g_network_monitor_get_default ();

  g_set_object (&self->network, network_monitor);
  if (self->background != NULL)
    bgpt_monitor_set_network_monitor (bgpt_background_get_monitor (self->background), network_monitor);
}

gboolean
bgpt_user_session_flush (BgptUserSession *self,
                         GError         **error)
{
  g_return_val_if_fail (BGPT_IS_USER_SESSION (self), FALSE);

  return self->incidents == NULL || bgpt_incident_store_flush (self->incidents, error);
}
