/* bgpt-secret-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-secret-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-secret-dialog.h"
#include "bgpt-validation.h"
#include "bgpt-window.h"

typedef struct
{
  BgptApplication *application;
  char            *account_id;
  BgptSecretKind   kind;
} SecretEdit;

static void
secret_edit_free (SecretEdit *edit)
{
  g_clear_object (&edit->application);
  g_free (edit->account_id);
  g_free (edit);
}

static void
toast (BgptApplication *application,
       const char      *text)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (BGPT_IS_WINDOW (window))
    bgpt_window_show_toast (BGPT_WINDOW (window), text);
}

static void
on_stored (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  SecretEdit *edit = user_data;
  g_autoptr(GError) error = NULL;

  if (!bgpt_secret_store_store_finish (BGPT_SECRET_STORE (source), result, &error))
    {
      /* The message is translated and never holds the secret. */
      toast (edit->application, error->message);
    }
  else
    {
      toast (edit->application, _("Saved in the keyring. Checking again…"));
      /* A fix deserves an answer now, not at the next round. */
      bgpt_application_check_now (edit->application);
    }

  secret_edit_free (edit);
}

static void
on_entry_changed (GtkEditable *entry,
                  AdwMessageDialog *dialog)
{
  const char *text = gtk_editable_get_text (entry);

  adw_message_dialog_set_response_enabled (dialog, "save", bgpt_validate_secret (text, NULL));
}

static void
on_entry_activate (GtkPasswordEntry *entry,
                   AdwMessageDialog *dialog)
{
  if (adw_message_dialog_get_response_enabled (dialog, "save"))
    {
      adw_message_dialog_response (dialog, "save");
      gtk_window_close (GTK_WINDOW (dialog));
    }
}

static void
on_response (AdwMessageDialog *dialog,
             const char       *response,
             GtkEditable      *entry)
{
  SecretEdit *edit = g_object_get_data (G_OBJECT (dialog), "secret-edit");
  g_autoptr(BgptSecretStore) secrets = NULL;
  SecretEdit *copy;

  if (g_strcmp0 (response, "save") == 0)
    {
      copy = g_new0 (SecretEdit, 1);
      copy->application = g_object_ref (edit->application);
      copy->account_id = g_strdup (edit->account_id);
      copy->kind = edit->kind;

      secrets = bgpt_secret_store_new ();
      /* The store copies the secret before it returns. */
      bgpt_secret_store_store_async (secrets, edit->account_id, edit->kind,
                                     gtk_editable_get_text (entry), NULL,
                                     on_stored, copy);
    }

  /* Don't leave the secret in the entry's buffer. */
  gtk_editable_set_text (entry, "");
  /* GTK 4.8's password entry mishandles losing the focus while its window
   * is being destroyed: let it go first. */
  gtk_window_set_focus (GTK_WINDOW (dialog), NULL);
}

GtkWidget *
bgpt_secret_dialog_present (GtkWindow       *parent,
                            BgptApplication *application,
                            const char      *account_id,
                            BgptSecretKind   kind)
{
  AdwMessageDialog *dialog;
  GtkWidget *entry;
  SecretEdit *edit;
  const char *heading;
  const char *body;

  g_return_val_if_fail (BGPT_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (account_id != NULL, NULL);

  if (kind == BGPT_SECRET_KIND_OPENAI_API_KEY)
    {
      heading = _("Replace the OpenAI API Key");
      body = _("Paste a key from platform.openai.com/api-keys. It is kept in the system keyring, never in a file.");
    }
  else
    {
      heading = _("Replace the Kommo Token");
      body = _("Paste a long-lived token from Kommo: Settings → Integrations → your private integration → Keys and scopes. It is kept in the system keyring, never in a file.");
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, heading, body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (dialog, "save", FALSE);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");

  entry = gtk_password_entry_new ();
  gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, heading,
                                  -1);
  adw_message_dialog_set_extra_child (dialog, entry);

  edit = g_new0 (SecretEdit, 1);
  edit->application = g_object_ref (application);
  edit->account_id = g_strdup (account_id);
  edit->kind = kind;
  g_object_set_data_full (G_OBJECT (dialog), "secret-edit", edit, (GDestroyNotify) secret_edit_free);

  g_signal_connect (entry, "changed", G_CALLBACK (on_entry_changed), dialog);
  g_signal_connect (entry, "activate", G_CALLBACK (on_entry_activate), dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (on_response), entry);

  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
  return GTK_WIDGET (dialog);
}
