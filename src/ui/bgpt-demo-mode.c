/* bgpt-demo-mode.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-demo-mode"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-demo-mode.h"
#include "bgpt-notifier.h"
#include "bgpt-secret-alert.h"
#include "bgpt-window.h"

struct _BgptDemoMode
{
  GObject         parent_instance;

  GApplication   *application;  /* weak */
  BgptCheckBoard *board;
  BgptDemo       *demo;
  BgptNotifier   *notifier;
};

G_DEFINE_FINAL_TYPE (BgptDemoMode, bgpt_demo_mode, G_TYPE_OBJECT)

static const GOptionEntry demo_entries[] = {
  { "demo", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Try the app with a simulated account: no network, keyring or settings needed"), NULL },
  { NULL }
};

void
bgpt_demo_mode_add_option (GApplication *application)
{
  g_return_if_fail (G_IS_APPLICATION (application));

  g_application_add_main_option_entries (application, demo_entries);
}

gboolean
bgpt_demo_mode_is_requested (GVariantDict *options)
{
  return g_variant_dict_contains (options, "demo");
}

static void
toast (BgptDemoMode *self,
       const char   *text)
{
  GtkWindow *window = NULL;

  if (self->application != NULL)
    window = gtk_application_get_active_window (GTK_APPLICATION (self->application));
  if (BGPT_IS_WINDOW (window))
    bgpt_window_show_toast (BGPT_WINDOW (window), text);
}

void
bgpt_demo_mode_check_now (BgptDemoMode *self)
{
  g_return_if_fail (BGPT_IS_DEMO_MODE (self));

  bgpt_monitor_check_now (bgpt_demo_get_monitor (self->demo), NULL);
}

BgptDemo *
bgpt_demo_mode_get_demo (BgptDemoMode *self)
{
  g_return_val_if_fail (BGPT_IS_DEMO_MODE (self), NULL);

  return self->demo;
}

/* Replacing a secret */

typedef struct
{
  BgptDemoMode   *self;
  BgptSecretKind  kind;
} SecretEdit;

static void
on_secret_response (GtkWidget   *dialog,
                    const char  *response,
                    GtkEditable *entry)
{
  SecretEdit *edit = g_object_get_data (G_OBJECT (dialog), "demo-secret-edit");
  BgptDemoMode *self = edit->self;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "save") == 0)
    {
      if (!bgpt_demo_set_secret (self->demo, edit->kind, gtk_editable_get_text (entry), &error))
        {
          toast (self, error->message);
        }
      else
        {
          toast (self, edit->kind != BGPT_SECRET_KIND_KOMMO_TOKEN
                       ? _("Demo key replaced. Checking again…")
                       : _("Demo token replaced. Checking again…"));
        }
    }

  gtk_editable_set_text (entry, "");
}

static void
secret_edit_free (SecretEdit *edit)
{
  g_clear_object (&edit->self);
  g_free (edit);
}

static char *
suggest_secret (BgptSecretKind kind)
{
  g_autofree char *suffix = g_strdup_printf ("%08x%08x", g_random_int (), g_random_int ());

  const char *prefix = kind == BGPT_SECRET_KIND_OPENAI_API_KEY ? "sk-demo-new-"
                       : kind == BGPT_SECRET_KIND_OPENAI_ADMIN_KEY ? "sk-admin-demo-new-"
                       : "kommo-demo-new-";

  return g_strconcat (prefix, suffix, NULL);
}

GtkWidget *
bgpt_demo_mode_edit_secret (BgptDemoMode   *self,
                            GtkWindow      *parent,
                            BgptSecretKind  kind)
{
  g_autofree char *suggestion = suggest_secret (kind);
  GtkWidget *dialog;
  GtkWidget *entry;
  SecretEdit *edit;
  const char *heading;

  g_return_val_if_fail (BGPT_IS_DEMO_MODE (self), NULL);

  heading = kind == BGPT_SECRET_KIND_OPENAI_API_KEY ? _("Replace the OpenAI API Key")
            : kind == BGPT_SECRET_KIND_OPENAI_ADMIN_KEY ? _("Replace the OpenAI Admin Key")
            : _("Replace the Kommo Token");
  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), suggestion);
  dialog = bgpt_secret_alert_new (heading,
                                  _("This is the demo: the new one offered below works, and so does any other. It is kept in memory only and forgotten when the demo ends."),
                                  entry);

  edit = g_new0 (SecretEdit, 1);
  edit->self = g_object_ref (self);
  edit->kind = kind;
  g_object_set_data_full (G_OBJECT (dialog), "demo-secret-edit", edit, (GDestroyNotify) secret_edit_free);

  g_signal_connect (dialog, "response", G_CALLBACK (on_secret_response), entry);

  bgpt_secret_alert_present (dialog, parent);
  return dialog;
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

GtkWidget *
bgpt_demo_mode_create_bar (BgptDemoMode *self)
{
  GtkWidget *bar;
  GtkWidget *texts;
  GtkWidget *title;
  GtkWidget *description;
  GtkWidget *button;

  g_return_val_if_fail (BGPT_IS_DEMO_MODE (self), NULL);

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

/* Life cycle */

BgptDemoMode *
bgpt_demo_mode_new (GApplication    *application,
                    BgptCheckBoard  *board,
                    GError         **error)
{
  g_autoptr(BgptDemoMode) self = NULL;
  static const char * const accounts[] = { BGPT_DEMO_ACCOUNT_ID, NULL };
  BgptDemo *demo;
  const char *start_at;
  gint index;

  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (BGPT_IS_CHECK_BOARD (board), NULL);

  demo = bgpt_demo_new (error);
  if (demo == NULL)
    return NULL;

  self = g_object_new (BGPT_TYPE_DEMO_MODE, NULL);
  self->demo = demo;
  g_set_weak_pointer (&self->application, application);
  self->board = g_object_ref (board);

  bgpt_check_board_set_accounts (board, accounts);
  bgpt_check_board_follow_monitor (board, bgpt_demo_get_monitor (demo));

  self->notifier = bgpt_notifier_new (application, bgpt_demo_get_monitor (demo),
                                      bgpt_demo_get_settings (demo));

  start_at = g_getenv (BGPT_DEMO_PHASE_ENV);
  index = start_at != NULL ? bgpt_demo_find_phase (start_at) : -1;
  if (start_at != NULL && index < 0)
    g_warning ("Ignoring %s=%s: no such step", BGPT_DEMO_PHASE_ENV, start_at);
  bgpt_demo_start_at (demo, MAX (index, 0));
  return g_steal_pointer (&self);
}

static void
bgpt_demo_mode_dispose (GObject *object)
{
  BgptDemoMode *self = BGPT_DEMO_MODE (object);

  if (self->demo != NULL)
    bgpt_demo_stop (self->demo);

  /* The demo's problems are over: its notifications go with it. */
  if (self->notifier != NULL && self->application != NULL)
    {
      g_auto(GStrv) ids = bgpt_notifier_dup_shown_ids (self->notifier);

      for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
        g_application_withdraw_notification (self->application, ids[i]);
    }
  g_clear_object (&self->notifier);

  if (self->board != NULL)
    {
      static const char * const none[] = { NULL };

      if (self->demo != NULL &&
          bgpt_check_board_get_monitor (self->board) == bgpt_demo_get_monitor (self->demo))
        bgpt_check_board_follow_monitor (self->board, NULL);
      bgpt_check_board_set_accounts (self->board, none);
    }
  g_clear_object (&self->board);
  g_clear_object (&self->demo);
  g_clear_weak_pointer (&self->application);

  G_OBJECT_CLASS (bgpt_demo_mode_parent_class)->dispose (object);
}

static void
bgpt_demo_mode_class_init (BgptDemoModeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bgpt_demo_mode_dispose;
}

static void
bgpt_demo_mode_init (BgptDemoMode *self)
{
}
