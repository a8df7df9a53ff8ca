/* bgpt-spending-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-spending-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-account.h"
#include "bgpt-catalog.h"
#include "bgpt-monitor-accounts.h"
#include "bgpt-secret-store.h"
#include "bgpt-spending-dialog.h"
#include "bgpt-validation.h"

typedef struct
{
  GtkWidget     *window;       /* unowned: the data lives as long as it */
  BgptMonitor   *monitor;
  char          *account_id;
  GSettings     *settings;
  GtkEditable   *key_row;
  GtkEditable   *project_row;
  GtkSpinButton *budget;
  GtkSpinButton *warning;
  GtkSpinButton *critical;
  GtkLabel      *status;
  GtkWidget     *save;
  GCancellable  *cancellable;
  char          *key;          /* the typed key while it is tested and stored */
} Dialog;

static void
dialog_free (Dialog *dialog)
{
  g_cancellable_cancel (dialog->cancellable);
  g_clear_object (&dialog->cancellable);
  g_clear_object (&dialog->monitor);
  g_clear_object (&dialog->settings);
  g_clear_pointer (&dialog->key, bgpt_secret_free);
  g_free (dialog->account_id);
  g_free (dialog);
}

static void
show_status (Dialog     *dialog,
             const char *text)
{
  gtk_label_set_label (dialog->status, text);
  gtk_widget_set_visible (GTK_WIDGET (dialog->status), text != NULL);
  gtk_widget_set_sensitive (dialog->save, TRUE);
}

/* The settings, then the monitor reads the account again (and its costs). */
static void
save_settings_and_close (Dialog *dialog)
{
  guint32 thresholds[2] = {
    (guint32) gtk_spin_button_get_value_as_int (dialog->warning),
    (guint32) gtk_spin_button_get_value_as_int (dialog->critical),
  };
  g_autofree char *project = g_strdup (gtk_editable_get_text (dialog->project_row));

  g_strstrip (project);
  g_settings_set_string (dialog->settings, "openai-project-id", project);
  g_settings_set_double (dialog->settings, "monthly-budget-usd", gtk_spin_button_get_value (dialog->budget));
  g_settings_set_value (dialog->settings, "budget-thresholds",
                        g_variant_new_fixed_array (G_VARIANT_TYPE_UINT32, thresholds,
                                                   G_N_ELEMENTS (thresholds), sizeof (guint32)));
  bgpt_monitor_reload_accounts (dialog->monitor);
  gtk_window_destroy (GTK_WINDOW (dialog->window));
}

static void
on_stored (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Dialog *dialog = user_data;
  g_autoptr(GError) error = NULL;

  if (!bgpt_secret_store_store_finish (BGPT_SECRET_STORE (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_status (dialog, error->message);
      return;
    }
  g_clear_pointer (&dialog->key, bgpt_secret_free);
  save_settings_and_close (dialog);
}

static void
on_tested (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Dialog *dialog = user_data;
  g_autoptr(BgptDiagnosis) diagnosis = NULL;
  g_autoptr(BgptSecretStore) secrets = NULL;
  g_autofree char *text = NULL;

  diagnosis = bgpt_costs_fetch_finish (BGPT_HTTP (source), result, NULL, NULL);
  if (diagnosis == NULL)
    return;

  if (!bgpt_diagnosis_is_ok (diagnosis))
    {
      /* Translators: the problem's title, then what went wrong */
      text = g_strdup_printf (_("The key was not saved. %s: %s"), bgpt_catalog_title (diagnosis->error_id),
                              diagnosis->detail != NULL ? diagnosis->detail
                              : bgpt_catalog_entry_cause_for (bgpt_catalog_lookup (diagnosis->error_id),
                                                              diagnosis->reason));
      g_clear_pointer (&dialog->key, bgpt_secret_free);
      show_status (dialog, text);
      return;
    }

  secrets = bgpt_secret_store_new ();
  bgpt_secret_store_store_async (secrets, dialog->account_id, BGPT_SECRET_KIND_OPENAI_ADMIN_KEY,
                                 dialog->key, dialog->cancellable, on_stored, dialog);
}

static void
on_save (Dialog *dialog)
{
  g_autoptr(BgptCheckConfig) config = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base_url = NULL;

  if (*gtk_editable_get_text (dialog->key_row) == '\0')
    {
      save_settings_and_close (dialog);
      return;
    }

  g_clear_pointer (&dialog->key, bgpt_secret_free);
  dialog->key = g_strdup (gtk_editable_get_text (dialog->key_row));
  /* Don't leave the key in the entry's buffer. */
  gtk_editable_set_text (dialog->key_row, "");
  if (!bgpt_validate_admin_key (dialog->key, &error))
    {
      g_clear_pointer (&dialog->key, bgpt_secret_free);
      show_status (dialog, error->message);
      return;
    }

  /* Tested live: only a key that reads the costs is kept. */
  config = bgpt_check_config_new (dialog->account_id);
  base_url = g_settings_get_string (dialog->settings, "openai-base-url");
  config->openai_base_url = *base_url != '\0' ? g_steal_pointer (&base_url) : NULL;
  config->openai_admin_key = g_strdup (dialog->key);
  config->openai_project_id = g_strstrip (g_strdup (gtk_editable_get_text (dialog->project_row)));
  now = g_date_time_new_now_utc ();
  gtk_widget_set_sensitive (dialog->save, FALSE);
  gtk_label_set_label (dialog->status, _("Reading the costs with this key…"));
  gtk_widget_set_visible (GTK_WIDGET (dialog->status), TRUE);
  bgpt_costs_fetch_async (bgpt_costs_watch_get_http (bgpt_monitor_get_costs_watch (dialog->monitor)),
                          config, now, dialog->cancellable, on_tested, dialog);
}

static GtkSpinButton *
add_spin_row (AdwPreferencesGroup *group,
              const char          *title,
              double               max,
              double               step,
              guint                digits,
              double               value)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (0, max, step);

  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  adw_preferences_group_add (group, row);
  return GTK_SPIN_BUTTON (spin);
}

GtkWidget *
bgpt_spending_dialog_present (GtkWindow   *parent,
                              BgptMonitor *monitor,
                              const char  *account_id)
{
  g_autofree char *path = NULL;
  g_autofree char *project = NULL;
  g_autoptr(GVariant) thresholds = NULL;
  const guint32 *percents;
  gsize n_percents = 0;
  Dialog *dialog;
  GtkWidget *window, *box, *header, *cancel, *page;
  AdwPreferencesGroup *key_group, *budget_group;

  g_return_val_if_fail (BGPT_IS_MONITOR (monitor), NULL);
  g_return_val_if_fail (bgpt_account_id_is_valid (account_id), NULL);

  dialog = g_new0 (Dialog, 1);
  dialog->monitor = g_object_ref (monitor);
  dialog->account_id = g_strdup (account_id);
  dialog->cancellable = g_cancellable_new ();
  path = g_strconcat (BGPT_ACCOUNT_PATH_PREFIX, account_id, "/", NULL);
  dialog->settings = g_settings_new_with_path (BGPT_ACCOUNT_SCHEMA_ID, path);

  window = adw_window_new ();
  dialog->window = window;
  gtk_window_set_title (GTK_WINDOW (window), _("Track Spending"));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  gtk_window_set_default_size (GTK_WINDOW (window), 520, 640);
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

  page = adw_preferences_page_new ();
  gtk_widget_set_vexpand (page, TRUE);
  key_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (key_group, _("OpenAI Admin Key"));
  adw_preferences_group_set_description (key_group,
    _("The costs can only be read with an admin key (“sk-admin-…”), created by an owner of the "
      "organization on OpenAI’s admin keys page. An admin key can manage the whole organization; "
      "this app only reads the costs with it. It is tested before it is saved, kept encrypted in "
      "the keyring and never shown. Leave it empty to keep the key already saved."));
  dialog->key_row = GTK_EDITABLE (adw_password_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (dialog->key_row), _("Admin key"));
  adw_preferences_group_add (key_group, GTK_WIDGET (dialog->key_row));
  dialog->project_row = GTK_EDITABLE (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (dialog->project_row),
                                 _("Project ID (optional: empty for the whole organization)"));
  project = g_settings_get_string (dialog->settings, "openai-project-id");
  gtk_editable_set_text (dialog->project_row, project);
  adw_preferences_group_add (key_group, GTK_WIDGET (dialog->project_row));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), key_group);

  budget_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (budget_group, _("Monthly Budget"));
  adw_preferences_group_set_description (budget_group,
    _("A warning when, at the pace of the last seven days, the month will pass the first share; "
      "a critical problem when the spend passes the second. 0 means no budget."));
  thresholds = g_settings_get_value (dialog->settings, "budget-thresholds");
  percents = g_variant_get_fixed_array (thresholds, &n_percents, sizeof (guint32));
  dialog->budget = add_spin_row (budget_group, _("Budget in US dollars"), 1e7, 10, 2,
                                 g_settings_get_double (dialog->settings, "monthly-budget-usd"));
  dialog->warning = add_spin_row (budget_group, _("Warning at, in percent of the budget"), 1000, 5, 0,
                                  n_percents > 0 ? percents[0] : 80);
  dialog->critical = add_spin_row (budget_group, _("Critical at, in percent of the budget"), 1000, 5, 0,
                                   n_percents > 0 ? percents[n_percents - 1] : 100);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), budget_group);
  gtk_box_append (GTK_BOX (box), page);

  dialog->status = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (dialog->status, TRUE);
  gtk_widget_set_margin_start (GTK_WIDGET (dialog->status), 18);
  gtk_widget_set_margin_end (GTK_WIDGET (dialog->status), 18);
  gtk_widget_set_margin_bottom (GTK_WIDGET (dialog->status), 18);
  gtk_widget_set_visible (GTK_WIDGET (dialog->status), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (dialog->status));

  adw_window_set_content (ADW_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}
