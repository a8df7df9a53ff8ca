/* bgpt-session.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-session"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-session.h"

typedef struct
{
  GApplication   *application;  /* weak */
  BgptCheckBoard *board;
} BgptSessionPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (BgptSession, bgpt_session, G_TYPE_OBJECT)

G_DEFINE_QUARK (bgpt-session-error-quark, bgpt_session_error)

enum {
  PROP_0,
  PROP_APPLICATION,
  N_PROPS
};

enum {
  ACCOUNTS_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static char *
bgpt_session_real_dup_account_name (BgptSession *self,
                                    const char  *account_id)
{
  return g_strdup (account_id);
}

static gboolean
bgpt_session_real_check_accounts_editable (BgptSession  *self,
                                           GError      **error)
{
  return TRUE;
}

static char *
bgpt_session_real_suggest_secret (BgptSession    *self,
                                  BgptSecretKind  kind)
{
  return NULL;
}

/* Both sessions answer store_secret_async() with a boolean GTask. */
static gboolean
bgpt_session_real_store_secret_finish (BgptSession   *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static GtkWidget *
bgpt_session_real_create_bar (BgptSession *self)
{
  return NULL;
}

static const char *
bgpt_session_real_get_status_page_url (BgptSession *self)
{
  return NULL;
}

static void
bgpt_session_dispose (GObject *object)
{
  BgptSession *self = BGPT_SESSION (object);
  BgptSessionPrivate *priv = bgpt_session_get_instance_private (self);

  if (priv->board != NULL)
    bgpt_session_hide_from_board (self);
  g_clear_weak_pointer (&priv->application);

  G_OBJECT_CLASS (bgpt_session_parent_class)->dispose (object);
}

static void
bgpt_session_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  BgptSessionPrivate *priv = bgpt_session_get_instance_private (BGPT_SESSION (object));

  switch (prop_id)
    {
    case PROP_APPLICATION:
      g_value_set_object (value, priv->application);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bgpt_session_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  BgptSessionPrivate *priv = bgpt_session_get_instance_private (BGPT_SESSION (object));

  switch (prop_id)
    {
    case PROP_APPLICATION:
      g_set_weak_pointer (&priv->application, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bgpt_session_class_init (BgptSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bgpt_session_dispose;
  object_class->get_property = bgpt_session_get_property;
  object_class->set_property = bgpt_session_set_property;

  klass->dup_account_name = bgpt_session_real_dup_account_name;
  klass->check_accounts_editable = bgpt_session_real_check_accounts_editable;
  klass->suggest_secret = bgpt_session_real_suggest_secret;
  klass->store_secret_finish = bgpt_session_real_store_secret_finish;
  klass->create_bar = bgpt_session_real_create_bar;
  klass->get_status_page_url = bgpt_session_real_get_status_page_url;

  properties[PROP_APPLICATION] =
    g_param_spec_object ("application", NULL, NULL, G_TYPE_APPLICATION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The list of accounts, or what one of them is called, changed. */
  signals[ACCOUNTS_CHANGED] =
    g_signal_new ("accounts-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
bgpt_session_init (BgptSession *self)
{
}

GApplication *
bgpt_session_get_application (BgptSession *self)
{
  BgptSessionPrivate *priv = bgpt_session_get_instance_private (self);

  g_return_val_if_fail (BGPT_IS_SESSION (self), NULL);
  return priv->application;
}

GSettings *
bgpt_session_get_settings (BgptSession *self)
{
  g_return_val_if_fail (BGPT_IS_SESSION (self), NULL);
  return BGPT_SESSION_GET_CLASS (self)->get_settings (self);
}

BgptIncidentStore *
bgpt_session_get_incident_store (BgptSession *self)
{
  g_return_val_if_fail (BGPT_IS_SESSION (self), NULL);
  return BGPT_SESSION_GET_CLASS (self)->get_incident_store (self);
}

BgptMonitor *
bgpt_session_get_monitor (BgptSession *self)
{
  g_return_val_if_fail (BGPT_IS_SESSION (self), NULL);
  return BGPT_SESSION_GET_CLASS (self)->get_monitor (self);
}

void
bgpt_session_start (BgptSession *self)
{
  g_return_if_fail (BGPT_IS_SESSION (self));
  BGPT_SESSION_GET_CLASS (self)->start (self);
  bgpt_session_monitor_changed (self);
}

void
bgpt_session_stop (BgptSession *self)
{
  g_return_if_fail (BGPT_IS_SESSION (self));
  BGPT_SESSION_GET_CLASS (self)->stop (self);
}

void
bgpt_session_check_now (BgptSession *self)
{
  g_return_if_fail (BGPT_IS_SESSION (self));
  BGPT_SESSION_GET_CLASS (self)->check_now (self);
}

char *
bgpt_session_dup_account_name (BgptSession *self,
                               const char  *account_id)
{
  g_return_val_if_fail (BGPT_IS_SESSION (self), NULL);
  g_return_val_if_fail (account_id != NULL, NULL);
  return BGPT_SESSION_GET_CLASS (self)->dup_account_name (self, account_id);
}

gboolean
bgpt_session_check_accounts_editable (BgptSession  *self,
                                      GError      **error)
{
  g_return_val_if_fail (BGPT_IS_SESSION (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  return BGPT_SESSION_GET_CLASS (self)->check_accounts_editable (self, error);
}

const char *
bgpt_session_describe_secret_edit (BgptSession    *self,
                                   BgptSecretKind  kind)
{
  g_return_val_if_fail (BGPT_IS_SESSION (self), NULL);
  return BGPT_SESSION_GET_CLASS (self)->describe_secret_edit (self, kind);
}

char *
bgpt_session_suggest_secret (BgptSession    *self,
                             BgptSecretKind  kind)
{
  g_return_val_if_fail (BGPT_IS_SESSION (self), NULL);
  return BGPT_SESSION_GET_CLASS (self)->suggest_secret (self, kind);
}

void
bgpt_session_store_secret_async (BgptSession         *self,
                                 const char          *account_id,
                                 BgptSecretKind       kind,
                                 const char          *secret,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (BGPT_IS_SESSION (self));
  g_return_if_fail (account_id != NULL);
  g_return_if_fail (secret != NULL);
  BGPT_SESSION_GET_CLASS (self)->store_secret_async (self, account_id, kind, secret, cancellable,
                                                     callback, user_data);
}

gboolean
bgpt_session_store_secret_finish (BgptSession   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (BGPT_IS_SESSION (self), FALSE);
  return BGPT_SESSION_GET_CLASS (self)->store_secret_finish (self, result, error);
}

const char *
bgpt_session_describe_secret_stored (BgptSession    *self,
                                     BgptSecretKind  kind)
{
  g_return_val_if_fail (BGPT_IS_SESSION (self), NULL);
  return BGPT_SESSION_GET_CLASS (self)->describe_secret_stored (self, kind);
}

void
bgpt_session_send_test_notification (BgptSession *self)
{
  g_return_if_fail (BGPT_IS_SESSION (self));
  BGPT_SESSION_GET_CLASS (self)->send_test_notification (self);
}

GtkWidget *
bgpt_session_create_bar (BgptSession *self)
{
  g_return_val_if_fail (BGPT_IS_SESSION (self), NULL);
  return BGPT_SESSION_GET_CLASS (self)->create_bar (self);
}

const char *
bgpt_session_get_status_page_url (BgptSession *self)
{
  g_return_val_if_fail (BGPT_IS_SESSION (self), NULL);
  return BGPT_SESSION_GET_CLASS (self)->get_status_page_url (self);
}

/* The board */

static void
update_board_accounts (BgptSession *self)
{
  BgptSessionPrivate *priv = bgpt_session_get_instance_private (self);
  g_auto(GStrv) account_ids = g_settings_get_strv (bgpt_session_get_settings (self), "accounts");

  bgpt_check_board_set_accounts (priv->board, (const char * const *) account_ids);
}

void
bgpt_session_show_on_board (BgptSession    *self,
                            BgptCheckBoard *board)
{
  BgptSessionPrivate *priv = bgpt_session_get_instance_private (self);

  g_return_if_fail (BGPT_IS_SESSION (self));
  g_return_if_fail (BGPT_IS_CHECK_BOARD (board));

  if (priv->board == board)
    return;
  if (priv->board != NULL)
    bgpt_session_hide_from_board (self);

  priv->board = g_object_ref (board);
  g_signal_connect_object (bgpt_session_get_settings (self), "changed::accounts",
                           G_CALLBACK (update_board_accounts), self, G_CONNECT_SWAPPED);
  update_board_accounts (self);
  bgpt_session_monitor_changed (self);
}

void
bgpt_session_hide_from_board (BgptSession *self)
{
  BgptSessionPrivate *priv = bgpt_session_get_instance_private (self);
  static const char * const none[] = { NULL };
  BgptMonitor *monitor;
  GSettings *settings;

  g_return_if_fail (BGPT_IS_SESSION (self));

  if (priv->board == NULL)
    return;

  settings = bgpt_session_get_settings (self);
  if (settings != NULL)
    g_signal_handlers_disconnect_by_func (settings, update_board_accounts, self);
  monitor = bgpt_session_get_monitor (self);
  if (monitor != NULL && bgpt_check_board_get_monitor (priv->board) == monitor)
    bgpt_check_board_follow_monitor (priv->board, NULL);
  bgpt_check_board_set_accounts (priv->board, none);
  g_clear_object (&priv->board);
}

void
bgpt_session_monitor_changed (BgptSession *self)
{
  BgptSessionPrivate *priv = bgpt_session_get_instance_private (self);
  BgptMonitor *monitor;

  g_return_if_fail (BGPT_IS_SESSION (self));

  monitor = bgpt_session_get_monitor (self);
  if (priv->board != NULL && monitor != NULL)
    bgpt_check_board_follow_monitor (priv->board, monitor);
}

void
bgpt_session_emit_accounts_changed (BgptSession *self)
{
  g_return_if_fail (BGPT_IS_SESSION (self));
  g_signal_emit (self, signals[ACCOUNTS_CHANGED], 0);
}
