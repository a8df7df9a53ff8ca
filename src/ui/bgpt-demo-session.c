/* bgpt-demo-session.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-demo-session"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-demo-session.h"
#include "bgpt-notifier.h"

/* Before the id of every notification of the demo: a demo never replaces
 * or withdraws one of the user's. */
#define NOTIFICATION_ID_PREFIX "demo-"

struct _BgptDemoSession
{
  BgptSession   parent_instance;

  BgptDemo     *demo;
  BgptNotifier *notifier;
};

G_DEFINE_FINAL_TYPE (BgptDemoSession, bgpt_demo_session, BGPT_TYPE_SESSION)

static const GOptionEntry demo_entries[] = {
  { "demo", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Try the app with a simulated account: no network, keyring or settings needed"), NULL },
  { NULL }
};

void
bgpt_demo_session_add_option (GApplication *application)
{
  g_return_if_fail (G_IS_APPLICATION (application));

  g_application_add_main_option_entries (application, demo_entries);
}

gboolean
bgpt_demo_session_handle_local_options (GApplication *application,
                                        GVariantDict *options)
{
  g_return_val_if_fail (G_IS_APPLICATION (application), FALSE);

  if (!g_variant_dict_contains (options, "demo"))
    return FALSE;

  /* A demo never takes over a running monitor: it is a process of its own,
   * under an id of its own. */
  g_application_set_application_id (application, BGPT_DEMO_APPLICATION_ID);
  g_application_set_flags (application, g_application_get_flags (application) | G_APPLICATION_NON_UNIQUE);
  return TRUE;
}

BgptDemo *
bgpt_demo_session_get_demo (BgptDemoSession *self)
{
  g_return_val_if_fail (BGPT_IS_DEMO_SESSION (self), NULL);

  return self->demo;
}

/* Replacing a secret: in memory only, and any valid one is accepted. */

static const char *
bgpt_demo_session_describe_secret_edit (BgptSession    *session,
                                        BgptSecretKind  kind)
{
  return _("This is the demo: the new one offered below works, and so does any other. It is kept in memory only and forgotten when the demo ends.");
}

static char *
bgpt_demo_session_suggest_secret (BgptSession    *session,
                                  BgptSecretKind  kind)
{
  g_autofree char *suffix = g_strdup_printf ("%08x%08x", g_random_int (), g_random_int ());

  const char *prefix = kind == BGPT_SECRET_KIND_OPENAI_API_KEY ? "sk-demo-new-"
                       : kind == BGPT_SECRET_KIND_OPENAI_ADMIN_KEY ? "sk-admin-demo-new-"
                       : "kommo-demo-new-";

  return g_strconcat (prefix, suffix, NULL);
}

/* The demo has one account, whatever @account_id says. */
static void
bgpt_demo_session_store_secret_async (BgptSession         *session,
                                      const char          *account_id,
                                      BgptSecretKind       kind,
                                      const char          *secret,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  BgptDemoSession *self = BGPT_DEMO_SESSION (session);
  g_autoptr(GTask) task = g_task_new (session, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, bgpt_demo_session_store_secret_async);
  if (!bgpt_demo_set_secret (self->demo, kind, secret, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static const char *
bgpt_demo_session_describe_secret_stored (BgptSession    *session,
                                          BgptSecretKind  kind)
{
  return kind != BGPT_SECRET_KIND_KOMMO_TOKEN ? _("Demo key replaced. Checking again…")
                                              : _("Demo token replaced. Checking again…");
}

/* The bar */

static void
update_bar (GtkLabel   *label,
            GParamSpec *pspec,
            BgptDemo   *demo)
{
  const BgptDemoPhase *phase = bgpt_demo_get_phase (bgpt_demo_get_phase_index (demo));

  gtk_label_set_label (label, bgpt_demo_phase_describe (phase));
}

/* "Modo demonstração": what the demo plays now, and a button that leaves
 * it (app.stop-demo). */
static GtkWidget *
bgpt_demo_session_create_bar (BgptSession *session)
{
  BgptDemoSession *self = BGPT_DEMO_SESSION (session);
  GtkWidget *bar;
  GtkWidget *texts;
  GtkWidget *title;
  GtkWidget *description;
  GtkWidget *button;

  bar = g_object_new (GTK_TYPE_BOX,
                      "orientation", GTK_ORIENTATION_HORIZONTAL,
                      "spacing", 12,
                      "accessible-role", GTK_ACCESSIBLE_ROLE_STATUS,
                      NULL);
  gtk_widget_add_css_class (bar, "demo-bar");

  texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_widget_set_valign (texts, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (bar), texts);

  title = gtk_label_new (_("Demo Mode"));
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  /* Beside the button, both must fit a 360 px window. */
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_widget_add_css_class (title, "heading");
  gtk_box_append (GTK_BOX (texts), title);

  description = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (description), 0);
  gtk_label_set_wrap (GTK_LABEL (description), TRUE);
  gtk_box_append (GTK_BOX (texts), description);
  g_signal_connect_object (self->demo, "notify::phase-index", G_CALLBACK (update_bar), description,
                           G_CONNECT_SWAPPED);
  update_bar (GTK_LABEL (description), NULL, self->demo);

  button = gtk_button_new_with_mnemonic (_("_Leave Demo"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "app.stop-demo");
  gtk_box_append (GTK_BOX (bar), button);

  return bar;
}

/* The session */

static GSettings *
bgpt_demo_session_get_settings (BgptSession *session)
{
  BgptDemoSession *self = BGPT_DEMO_SESSION (session);

  return self->demo != NULL ? bgpt_demo_get_settings (self->demo) : NULL;
}

static BgptIncidentStore *
bgpt_demo_session_get_incident_store (BgptSession *session)
{
  BgptDemoSession *self = BGPT_DEMO_SESSION (session);

  return self->demo != NULL ? bgpt_demo_get_incident_store (self->demo) : NULL;
}

static BgptMonitor *
bgpt_demo_session_get_monitor (BgptSession *session)
{
  BgptDemoSession *self = BGPT_DEMO_SESSION (session);

  return self->demo != NULL ? bgpt_demo_get_monitor (self->demo) : NULL;
}

static void
bgpt_demo_session_start (BgptSession *session)
{
  BgptDemoSession *self = BGPT_DEMO_SESSION (session);
  const char *start_at;
  gint index;

  if (bgpt_demo_is_running (self->demo))
    return;

  start_at = g_getenv (BGPT_DEMO_PHASE_ENV);
  index = start_at != NULL ? bgpt_demo_find_phase (start_at) : -1;
  if (start_at != NULL && index < 0)
    g_warning ("Ignoring %s=%s: no such step", BGPT_DEMO_PHASE_ENV, start_at);
  bgpt_demo_start_at (self->demo, MAX (index, 0));
}

static void
bgpt_demo_session_stop (BgptSession *session)
{
  BgptDemoSession *self = BGPT_DEMO_SESSION (session);

  if (self->demo != NULL)
    bgpt_demo_stop (self->demo);
  /* The demo's problems are over: its notifications go with it. */
  if (self->notifier != NULL)
    bgpt_notifier_withdraw_all (self->notifier);
}

static void
bgpt_demo_session_check_now (BgptSession *session)
{
  BgptDemoSession *self = BGPT_DEMO_SESSION (session);

  bgpt_monitor_check_now (bgpt_demo_get_monitor (self->demo), NULL);
}

static char *
bgpt_demo_session_dup_account_name (BgptSession *session,
                                    const char  *account_id)
{
  BgptDemoSession *self = BGPT_DEMO_SESSION (session);
  const BgptCheckConfig *config = bgpt_demo_get_config (self->demo);

  if (g_str_equal (account_id, config->account_id))
    return g_strdup (config->display_name);
  return g_strdup (account_id);
}

static gboolean
bgpt_demo_session_check_accounts_editable (BgptSession  *session,
                                           GError      **error)
{
  g_set_error_literal (error, BGPT_SESSION_ERROR, BGPT_SESSION_ERROR_READ_ONLY,
                       _("The demo account can’t be changed. Leave the demo to set up your own account."));
  return FALSE;
}

static void
bgpt_demo_session_send_test_notification (BgptSession *session)
{
  bgpt_notifier_send_test (BGPT_DEMO_SESSION (session)->notifier);
}

static const char *
bgpt_demo_session_get_status_page_url (BgptSession *session)
{
  return bgpt_demo_get_status_page_url (BGPT_DEMO_SESSION (session)->demo);
}

static void
bgpt_demo_session_dispose (GObject *object)
{
  BgptDemoSession *self = BGPT_DEMO_SESSION (object);

  bgpt_demo_session_stop (BGPT_SESSION (self));
  bgpt_session_hide_from_board (BGPT_SESSION (self));
  g_clear_object (&self->notifier);
  g_clear_object (&self->demo);

  G_OBJECT_CLASS (bgpt_demo_session_parent_class)->dispose (object);
}

static void
bgpt_demo_session_class_init (BgptDemoSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  BgptSessionClass *session_class = BGPT_SESSION_CLASS (klass);

  object_class->dispose = bgpt_demo_session_dispose;

  session_class->get_settings = bgpt_demo_session_get_settings;
  session_class->get_incident_store = bgpt_demo_session_get_incident_store;
  session_class->get_monitor = bgpt_demo_session_get_monitor;
  session_class->start = bgpt_demo_session_start;
  session_class->stop = bgpt_demo_session_stop;
  session_class->check_now = bgpt_demo_session_check_now;
  session_class->dup_account_name = bgpt_demo_session_dup_account_name;
  session_class->check_accounts_editable = bgpt_demo_session_check_accounts_editable;
  session_class->describe_secret_edit = bgpt_demo_session_describe_secret_edit;
  session_class->suggest_secret = bgpt_demo_session_suggest_secret;
  session_class->store_secret_async = bgpt_demo_session_store_secret_async;
  session_class->describe_secret_stored = bgpt_demo_session_describe_secret_stored;
  session_class->send_test_notification = bgpt_demo_session_send_test_notification;
  session_class->create_bar = bgpt_demo_session_create_bar;
  session_class->get_status_page_url = bgpt_demo_session_get_status_page_url;
}

static void
bgpt_demo_session_init (BgptDemoSession *self)
{
}

BgptDemoSession *
bgpt_demo_session_new (GApplication  *application,
                       GError       **error)
{
  g_autoptr(BgptDemoSession) self = NULL;
  BgptDemo *demo;

  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);

  demo = bgpt_demo_new (error);
  if (demo == NULL)
    return NULL;

  self = g_object_new (BGPT_TYPE_DEMO_SESSION, "application", application, NULL);
  self->demo = demo;
  self->notifier = bgpt_notifier_new (application, bgpt_demo_get_monitor (demo),
                                      bgpt_demo_get_settings (demo));
  bgpt_notifier_set_id_prefix (self->notifier, NOTIFICATION_ID_PREFIX);
  return g_steal_pointer (&self);
}
