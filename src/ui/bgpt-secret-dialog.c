/* bgpt-secret-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-secret-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-secret-alert.h"
#include "bgpt-secret-dialog.h"

typedef struct
{
  BgptApplication *application;
  BgptSession     *session;
  GtkWidget       *parent;       /* weak: where to say how it went */
  char            *account_id;
  BgptSecretKind   kind;
} SecretEdit;

static void
secret_edit_free (SecretEdit *edit)
{
  g_clear_object (&edit->application);
  g_clear_object (&edit->session);
  g_clear_weak_pointer (&edit->parent);
  g_free (edit->account_id);
  g_free (edit);
}

static SecretEdit *
secret_edit_copy (SecretEdit *edit)
{
  SecretEdit *copy = g_new0 (SecretEdit, 1);

  copy->application = g_object_ref (edit->application);
  copy->session = g_object_ref (edit->session);
  g_set_weak_pointer (&copy->parent, edit->parent);
  copy->account_id = g_strdup (edit->account_id);
  copy->kind = edit->kind;
  return copy;
}

static void
toast (SecretEdit *edit,
       const char *text)
{
  if (edit->parent != NULL)
    gtk_widget_activate_action (edit->parent, "win.show-toast", "s", text);
}

static void
on_stored (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  SecretEdit *edit = user_data;
  g_autoptr(GError) error = NULL;

  if (!bgpt_session_store_secret_finish (BGPT_SESSION (source), result, &error))
    {
      /* The message is translated and never holds the secret. */
      toast (edit, error->message);
    }
  else
    {
      toast (edit, bgpt_session_describe_secret_stored (edit->session, edit->kind));
      /* A fix deserves an answer now, not at the next round. */
      bgpt_application_check_now (edit->application);
    }

  secret_edit_free (edit);
}

static void
on_response (GtkWidget   *dialog,
             const char  *response,
             GtkEditable *entry)
{
  SecretEdit *edit = g_object_get_data (G_OBJECT (dialog), "secret-edit");

  /* The session copies the secret before it returns. */
  if (g_strcmp0 (response, "save") == 0)
    bgpt_session_store_secret_async (edit->session, edit->account_id, edit->kind,
                                     gtk_editable_get_text (entry), NULL,
                                     on_stored, secret_edit_copy (edit));

  /* Don't leave the secret in the entry's buffer. */
  gtk_editable_set_text (entry, "");
  /* GTK 4.8's password entry mishandles losing the focus while its window
   * is being destroyed: let it go first. */
  bgpt_secret_alert_unfocus (dialog);
}

GtkWidget *
bgpt_secret_dialog_present (GtkWindow       *parent,
                            BgptApplication *application,
                            BgptSession     *session,
                            const char      *account_id,
                            BgptSecretKind   kind)
{
  g_autofree char *suggestion = NULL;
  GtkWidget *dialog;
  GtkWidget *entry;
  SecretEdit *edit;
  const char *heading;

  g_return_val_if_fail (BGPT_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (BGPT_IS_SESSION (session), NULL);
  g_return_val_if_fail (account_id != NULL, NULL);

  heading = kind == BGPT_SECRET_KIND_OPENAI_API_KEY ? _("Replace the OpenAI API Key")
            : kind == BGPT_SECRET_KIND_OPENAI_ADMIN_KEY ? _("Track Spending")
            : _("Replace the Kommo Token");

  /* A secret the session offers (the demo's, which is no secret) is shown
   * as it is; one the user pastes is masked. */
  suggestion = bgpt_session_suggest_secret (session, kind);
  if (suggestion != NULL)
    {
      entry = gtk_entry_new ();
      gtk_editable_set_text (GTK_EDITABLE (entry), suggestion);
    }
  else
    {
      entry = gtk_password_entry_new ();
      gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (entry), TRUE);
    }
  dialog = bgpt_secret_alert_new (heading, bgpt_session_describe_secret_edit (session, kind), entry);

  edit = g_new0 (SecretEdit, 1);
  edit->application = g_object_ref (application);
  edit->session = g_object_ref (session);
  g_set_weak_pointer (&edit->parent, GTK_WIDGET (parent));
  edit->account_id = g_strdup (account_id);
  edit->kind = kind;
  g_object_set_data_full (G_OBJECT (dialog), "secret-edit", edit, (GDestroyNotify) secret_edit_free);

  g_signal_connect (dialog, "response", G_CALLBACK (on_response), entry);

  bgpt_secret_alert_present (dialog, parent);
  return dialog;
}
