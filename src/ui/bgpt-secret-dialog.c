/* bgpt-secret-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-secret-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-secret-alert.h"
#include "bgpt-secret-dialog.h"
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
on_response (GtkWidget   *dialog,
             const char  *response,
             GtkEditable *entry)
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
  bgpt_secret_alert_unfocus (dialog);
}

GtkWidget *
bgpt_secret_dialog_present (GtkWindow       *parent,
                            BgptApplication *application,
                            const char      *account_id,
                            BgptSecretKind   kind)
{
  GtkWidget *dialog;
  GtkWidget *entry;
  SecretEdit *edit;
  const char *heading;
  const char *body;

  g_return_val_if_fail (BGPT_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (account_id != NULL, NULL);

  if (kind == BGPT_SECRET_KIND_OPENAI_API_KEY)
    {
      heading = _("Replace the OpenAI API Key");
      body = _("Paste a key from platform.openai.com/api-keys. It is kept encrypted in the keyring, never in plain text.");
    }
  else if (kind == BGPT_SECRET_KIND_OPENAI_ADMIN_KEY)
    {
      heading = _("Track Spending");
      body = _("Paste an admin key (“sk-admin-…”) from the OpenAI admin keys page. An admin key can manage the whole organization; this app only reads the costs with it. It is kept encrypted in the keyring and never shown.");
    }
  else
    {
      heading = _("Replace the Kommo Token");
      body = _("Paste a long-lived token from Kommo: Settings → Integrations → your private integration → Keys and scopes. It is kept encrypted in the keyring, never in plain text.");
    }

  entry = gtk_password_entry_new ();
  gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (entry), TRUE);
  dialog = bgpt_secret_alert_new (heading, body, entry);

  edit = g_new0 (SecretEdit, 1);
  edit->application = g_object_ref (application);
  edit->account_id = g_strdup (account_id);
  edit->kind = kind;
  g_object_set_data_full (G_OBJECT (dialog), "secret-edit", edit, (GDestroyNotify) secret_edit_free);

  g_signal_connect (dialog, "response", G_CALLBACK (on_response), entry);

  bgpt_secret_alert_present (dialog, parent);
  return dialog;
}
