/* bgpt-spending-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Acompanhar gastos" on its own (app.edit-spending, the Uso page's
 * button, app.edit-secret::openai-admin-key): the shared page
 * (bgpt-spending-page.c) in a window, saved without the rest of the
 * account.
 */

#define G_LOG_DOMAIN "bgpt-spending-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-account.h"
#include "bgpt-account-store.h"
#include "bgpt-monitor-accounts.h"
#include "bgpt-secret-store.h"
#include "bgpt-spending-dialog.h"
#include "bgpt-spending-page.h"

typedef struct
{
  GtkWidget        *window;       /* unowned: the data lives as long as it */
  BgptMonitor      *monitor;
  BgptAccount      *account;
  BgptSecretStore  *secrets;
  BgptHttp         *http;
  BgptSpendingPage *page;
  GtkWidget        *save;
  GCancellable     *cancellable;
  gboolean          removing;     /* the key being saved is a removal */
} Dialog;

static void
dialog_free (Dialog *dialog)
{
  g_cancellable_cancel (dialog->cancellable);
  g_clear_object (&dialog->cancellable);
  g_clear_object (&dialog->monitor);
  g_clear_object (&dialog->account);
  g_clear_object (&dialog->secrets);
  g_clear_object (&dialog->http);
  g_free (dialog);
}

static void
set_busy (Dialog   *dialog,
          gboolean  busy)
{
  gtk_widget_set_sensitive (dialog->save, !busy);
}

/* The settings, then the monitor reads the account again (and its costs). */
static void
save_settings_and_close (Dialog *dialog)
{
  g_autofree char *project = bgpt_spending_page_dup_project_id (dialog->page);
  guint warning, critical;

  bgpt_spending_page_get_thresholds (dialog->page, &warning, &critical);
  bgpt_account_set_spending (dialog->account, project, bgpt_spending_page_get_budget (dialog->page),
                             warning, critical);
  if (dialog->monitor != NULL)
    bgpt_monitor_reload_accounts (dialog->monitor);
  gtk_window_destroy (GTK_WINDOW (dialog->window));
}

static void
on_key_saved (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Dialog *dialog = user_data;
  g_autoptr(GError) error = NULL;
  gboolean saved;

  if (dialog->removing)
    saved = bgpt_secret_store_clear_finish (BGPT_SECRET_STORE (source), result, &error);
  else
    saved = bgpt_secret_store_store_finish (BGPT_SECRET_STORE (source), result, &error);
  if (!saved)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* The message is translated and never holds the key. */
          bgpt_spending_page_show_error (dialog->page, error->message);
          set_busy (dialog, FALSE);
        }
      return;
    }
  save_settings_and_close (dialog);
}

static void
on_tested (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Dialog *dialog = user_data;
  g_autoptr(GError) error = NULL;
  const char *account_id = bgpt_account_get_id (dialog->account);
  char *key;

  if (!bgpt_spending_page_test_finish (BGPT_SPENDING_PAGE (source), result, &error))
    {
      /* Refused: the page says why; cancelled: the dialog is gone. */
      if (error == NULL)
        set_busy (dialog, FALSE);
      return;
    }

  key = bgpt_spending_page_dup_tested_key (dialog->page);
  dialog->removing = key == NULL && bgpt_spending_page_get_remove_key (dialog->page);
  if (key != NULL)
    bgpt_secret_store_store_async (dialog->secrets, account_id, BGPT_SECRET_KIND_OPENAI_ADMIN_KEY, key,
                                   dialog->cancellable, on_key_saved, dialog);
  else if (dialog->removing)
    bgpt_secret_store_clear_async (dialog->secrets, account_id, BGPT_SECRET_KIND_OPENAI_ADMIN_KEY,
                                   dialog->cancellable, on_key_saved, dialog);
  else
    save_settings_and_close (dialog);
  bgpt_secret_free (key);
}

static void
on_save (Dialog *dialog)
{
  g_autofree char *base_url = bgpt_account_dup_openai_base_url (dialog->account);

  /* Only a key that reads the costs is kept. */
  set_busy (dialog, TRUE);
  bgpt_spending_page_test_async (dialog->page, dialog->http, bgpt_account_get_id (dialog->account), base_url,
                                 dialog->cancellable, on_tested, dialog);
}

static void
on_stored_key_looked_up (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  Dialog *dialog = user_data;
  g_autoptr(GError) error = NULL;
  char *key;

  /* Only whether there is one: it is never shown. */
  key = bgpt_secret_store_lookup_finish (BGPT_SECRET_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  bgpt_spending_page_set_has_stored_key (dialog->page, key != NULL);
  bgpt_secret_free (key);
}

static void
on_page_changed (Dialog *dialog)
{
  gtk_widget_set_sensitive (dialog->save, bgpt_spending_page_is_valid (dialog->page));
}

GtkWidget *
bgpt_spending_dialog_present (GtkWindow   *parent,
                              BgptMonitor *monitor,
                              const char  *account_id)
{
  Dialog *dialog;
  GtkWidget *window, *box, *header, *cancel;

  g_return_val_if_fail (monitor == NULL || BGPT_IS_MONITOR (monitor), NULL);
  g_return_val_if_fail (bgpt_account_id_is_valid (account_id), NULL);

  dialog = g_new0 (Dialog, 1);
  dialog->monitor = monitor != NULL ? g_object_ref (monitor) : NULL;
  dialog->account = bgpt_account_new (account_id);
  dialog->cancellable = g_cancellable_new ();
  dialog->secrets = bgpt_secret_store_new ();
  dialog->http = bgpt_http_new ();

  window = adw_window_new ();
  dialog->window = window;
  gtk_window_set_title (GTK_WINDOW (window), _("Track Spending"));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  gtk_window_set_default_size (GTK_WINDOW (window), 560, 720);
  gtk_widget_set_size_request (window, 360, 360);
  g_object_set_data_full (G_OBJECT (window), "spending-dialog", dialog, (GDestroyNotify) dialog_free);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  dialog->save = gtk_button_new_with_mnemonic (_("_Test and Save"));
  gtk_widget_add_css_class (dialog->save, "suggested-action");
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), dialog->save);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), window);
  g_signal_connect_swapped (dialog->save, "clicked", G_CALLBACK (on_save), dialog);
  gtk_box_append (GTK_BOX (box), header);

  dialog->page = BGPT_SPENDING_PAGE (bgpt_spending_page_new ());
  bgpt_spending_page_load_settings (dialog->page, bgpt_account_get_settings (dialog->account));
  g_signal_connect_swapped (dialog->page, "changed", G_CALLBACK (on_page_changed), dialog);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (dialog->page));

  bgpt_secret_store_lookup_async (dialog->secrets, account_id, BGPT_SECRET_KIND_OPENAI_ADMIN_KEY,
                                  dialog->cancellable, on_stored_key_looked_up, dialog);

  adw_window_set_content (ADW_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}
