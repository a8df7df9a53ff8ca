/* bgpt-spending-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-spending-page"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-catalog.h"
#include "bgpt-check-config.h"
#include "bgpt-costs.h"
#include "bgpt-secret-store.h"
#include "bgpt-spending-page.h"
#include "bgpt-spinner.h"
#include "bgpt-validation.h"

/* Where an organization owner creates admin keys (docs/providers.md). */
#define URI_OPENAI_ADMIN_KEYS "https://platform.openai.com/settings/organization/admin-keys"

struct _BgptSpendingPage
{
  AdwBin          parent_instance;

  AdwPreferencesPage *page;
  AdwActionRow   *stored_row;
  GtkWidget      *remove_button;
  GtkEditable    *key_row;
  GtkLabel       *key_hint;
  GtkWidget      *testing_box;
  GtkEditable    *project_row;
  GtkSpinButton  *budget;
  GtkSpinButton  *warning;
  GtkSpinButton  *critical;
  GtkWidget      *skip_group;
  GtkWidget      *skip_button;

  gboolean        has_stored_key;
  gboolean        remove_key;
  gboolean        testing;
  char           *tested_key;   /* the typed key that read the costs */
};

G_DEFINE_FINAL_TYPE (BgptSpendingPage, bgpt_spending_page, ADW_TYPE_BIN)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The typed key, trimmed, or NULL. Free it with bgpt_secret_free(). */
static char *
dup_typed_key (BgptSpendingPage *self)
{
  char *key = g_strstrip (g_strdup (gtk_editable_get_text (self->key_row)));

  if (*key == '\0')
    {
      g_free (key);
      return NULL;
    }
  return key;
}

/* @text under the key field: an error, a success or a plain hint. */
static void
set_hint (BgptSpendingPage *self,
          const char       *text,
          const char       *style)
{
  const char *styles[] = { "error", "success", "dim-label" };

  gtk_label_set_text (self->key_hint, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->key_hint), text != NULL);
  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->key_hint), styles[i]);
  if (style != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->key_hint), style);
  if (g_strcmp0 (style, "error") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->key_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->key_row), "error");
}

static void
update_stored_row (BgptSpendingPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->stored_row), self->has_stored_key);
  if (self->remove_key)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->stored_row),
                                     _("The admin key will be removed when you save"));
      adw_action_row_set_subtitle (self->stored_row, _("The spending is then no longer read."));
      gtk_button_set_label (GTK_BUTTON (self->remove_button), _("_Keep"));
      gtk_widget_remove_css_class (self->remove_button, "error");
    }
  else
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->stored_row), _("Admin key saved"));
      adw_action_row_set_subtitle (self->stored_row, _("Type a new one below to replace it."));
      gtk_button_set_label (GTK_BUTTON (self->remove_button), _("_Remove"));
      gtk_widget_add_css_class (self->remove_button, "error");
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->key_row),
                                 self->has_stored_key ? _("New admin key") : _("Admin key"));
}

/* The local check, as the key is typed: no request for a key that cannot
 * be one. */
static gboolean
check_typed_key (BgptSpendingPage *self,
                 gboolean          show)
{
  g_autoptr(GError) error = NULL;
  char *typed = dup_typed_key (self);
  gboolean valid;

  if (typed == NULL)
    {
      if (show)
        set_hint (self, NULL, NULL);
      return TRUE;
    }

  valid = bgpt_validate_admin_key (typed, &error);
  if (show)
    {
      if (!valid)
        set_hint (self, error->message, "error");
      else if (g_strcmp0 (typed, self->tested_key) != 0)
        set_hint (self, _("The key is tested with one costs request before it is saved."), "dim-label");
    }
  bgpt_secret_free (typed);
  return valid;
}

static void
emit_changed (BgptSpendingPage *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_key_changed (BgptSpendingPage *self)
{
  char *typed = dup_typed_key (self);

  if (g_strcmp0 (typed, self->tested_key) != 0)
    g_clear_pointer (&self->tested_key, bgpt_secret_free);
  bgpt_secret_free (typed);
  check_typed_key (self, TRUE);
  emit_changed (self);
}

static void
on_remove_clicked (BgptSpendingPage *self)
{
  self->remove_key = !self->remove_key;
  update_stored_row (self);
  emit_changed (self);
}

/* The live test */

/* A refused key is not kept, not even in the field; what the page says
 * about it stays, and the field stays marked until something is typed. */
static void
empty_key_field (BgptSpendingPage *self)
{
  g_clear_pointer (&self->tested_key, bgpt_secret_free);
  g_signal_handlers_block_by_func (self->key_row, on_key_changed, self);
  gtk_editable_set_text (self->key_row, "");
  g_signal_handlers_unblock_by_func (self->key_row, on_key_changed, self);
  emit_changed (self);
}

static void
on_costs_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BgptSpendingPage *self = g_task_get_source_object (task);
  g_autoptr(BgptDiagnosis) diagnosis = NULL;
  g_autofree char *text = NULL;
  GError *error = NULL;

  diagnosis = bgpt_costs_fetch_finish (BGPT_HTTP (source), result, NULL, &error);
  self->testing = FALSE;
  gtk_widget_set_visible (self->testing_box, FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->page), TRUE);
  if (diagnosis == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (!bgpt_diagnosis_is_ok (diagnosis))
    {
      /* Translators: the problem's title, then what it means */
      text = g_strdup_printf (_("The key was not saved. %s: %s"), bgpt_catalog_title (diagnosis->error_id),
                              bgpt_catalog_entry_cause_for (bgpt_catalog_lookup (diagnosis->error_id),
                                                            diagnosis->reason));
      empty_key_field (self);
      set_hint (self, text, "error");
      g_task_return_boolean (task, FALSE);
      return;
    }

  self->tested_key = g_task_get_task_data (task) != NULL ? g_strdup (g_task_get_task_data (task)) : NULL;
  set_hint (self, _("OpenAI showed the costs to this admin key."), "success");
  emit_changed (self);
  g_task_return_boolean (task, TRUE);
}

void
bgpt_spending_page_test_async (BgptSpendingPage     *self,
                               BgptHttp             *http,
                               const char           *account_id,
                               const char           *openai_base_url,
                               GCancellable         *cancellable,
                               GAsyncReadyCallback   callback,
                               gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(BgptCheckConfig) config = NULL;
  g_autoptr(GDateTime) now = NULL;
  char *key;

  g_return_if_fail (BGPT_IS_SPENDING_PAGE (self));
  g_return_if_fail (BGPT_IS_HTTP (http));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bgpt_spending_page_test_async);

  key = dup_typed_key (self);
  if (key == NULL || g_strcmp0 (key, self->tested_key) == 0)
    {
      bgpt_secret_free (key);
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (!check_typed_key (self, TRUE))
    {
      /* Refused without a request; the field is emptied, the reason stays. */
      bgpt_secret_free (key);
      empty_key_field (self);
      g_task_return_boolean (task, FALSE);
      return;
    }
  g_task_set_task_data (task, key, (GDestroyNotify) bgpt_secret_free);

  config = bgpt_check_config_new (account_id);
  config->openai_base_url = openai_base_url != NULL && *openai_base_url != '\0' ? g_strdup (openai_base_url) : NULL;
  config->openai_admin_key = g_strdup (key);
  config->openai_project_id = bgpt_spending_page_dup_project_id (self);
  if (*config->openai_project_id == '\0')
    g_clear_pointer (&config->openai_project_id, g_free);

  self->testing = TRUE;
  set_hint (self, NULL, NULL);
  gtk_widget_set_visible (self->testing_box, TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->page), FALSE);
  now = g_date_time_new_now_utc ();
  bgpt_costs_fetch_async (http, config, now, cancellable, on_costs_read, g_steal_pointer (&task));
}

gboolean
bgpt_spending_page_test_finish (BgptSpendingPage  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The fields */

gboolean
bgpt_spending_page_is_valid (BgptSpendingPage *self)
{
  g_return_val_if_fail (BGPT_IS_SPENDING_PAGE (self), FALSE);
  return !self->testing && check_typed_key (self, FALSE);
}

gboolean
bgpt_spending_page_is_testing (BgptSpendingPage *self)
{
  g_return_val_if_fail (BGPT_IS_SPENDING_PAGE (self), FALSE);
  return self->testing;
}

gboolean
bgpt_spending_page_needs_test (BgptSpendingPage *self)
{
  char *typed;
  gboolean needs;

  g_return_val_if_fail (BGPT_IS_SPENDING_PAGE (self), FALSE);

  typed = dup_typed_key (self);
  needs = typed != NULL && g_strcmp0 (typed, self->tested_key) != 0;
  bgpt_secret_free (typed);
  return needs;
}

char *
bgpt_spending_page_dup_tested_key (BgptSpendingPage *self)
{
  g_return_val_if_fail (BGPT_IS_SPENDING_PAGE (self), NULL);
  return bgpt_spending_page_needs_test (self) ? NULL : g_strdup (self->tested_key);
}

gboolean
bgpt_spending_page_get_remove_key (BgptSpendingPage *self)
{
  char *typed;
  gboolean remove;

  g_return_val_if_fail (BGPT_IS_SPENDING_PAGE (self), FALSE);

  typed = dup_typed_key (self);
  remove = self->has_stored_key && self->remove_key && typed == NULL;
  bgpt_secret_free (typed);
  return remove;
}

void
bgpt_spending_page_clear_key (BgptSpendingPage *self)
{
  g_return_if_fail (BGPT_IS_SPENDING_PAGE (self));

  self->remove_key = FALSE;
  g_clear_pointer (&self->tested_key, bgpt_secret_free);
  gtk_editable_set_text (self->key_row, "");
  update_stored_row (self);
  set_hint (self, NULL, NULL);
  emit_changed (self);
}

char *
bgpt_spending_page_dup_project_id (BgptSpendingPage *self)
{
  g_return_val_if_fail (BGPT_IS_SPENDING_PAGE (self), NULL);
  return g_strstrip (g_strdup (gtk_editable_get_text (self->project_row)));
}

double
bgpt_spending_page_get_budget (BgptSpendingPage *self)
{
  g_return_val_if_fail (BGPT_IS_SPENDING_PAGE (self), 0);
  return gtk_spin_button_get_value (self->budget);
}

void
bgpt_spending_page_get_thresholds (BgptSpendingPage *self,
                                   guint            *warning_percent,
                                   guint            *critical_percent)
{
  g_return_if_fail (BGPT_IS_SPENDING_PAGE (self));

  *warning_percent = (guint) gtk_spin_button_get_value_as_int (self->warning);
  *critical_percent = (guint) gtk_spin_button_get_value_as_int (self->critical);
}

void
bgpt_spending_page_show_error (BgptSpendingPage *self,
                               const char       *text)
{
  g_return_if_fail (BGPT_IS_SPENDING_PAGE (self));
  set_hint (self, text, "error");
}

void
bgpt_spending_page_load_settings (BgptSpendingPage *self,
                                  GSettings        *account_settings)
{
  g_autofree char *project = NULL;
  g_autoptr(GVariant) thresholds = NULL;
  const guint32 *percents;
  gsize n_percents = 0;

  g_return_if_fail (BGPT_IS_SPENDING_PAGE (self));
  g_return_if_fail (G_IS_SETTINGS (account_settings));

  project = g_settings_get_string (account_settings, "openai-project-id");
  gtk_editable_set_text (self->project_row, project);
  gtk_spin_button_set_value (self->budget, g_settings_get_double (account_settings, "monthly-budget-usd"));
  thresholds = g_settings_get_value (account_settings, "budget-thresholds");
  percents = g_variant_get_fixed_array (thresholds, &n_percents, sizeof (guint32));
  if (n_percents > 0)
    {
      gtk_spin_button_set_value (self->warning, percents[0]);
      gtk_spin_button_set_value (self->critical, percents[n_percents - 1]);
    }
}

void
bgpt_spending_page_set_has_stored_key (BgptSpendingPage *self,
                                       gboolean          has_stored_key)
{
  g_return_if_fail (BGPT_IS_SPENDING_PAGE (self));

  self->has_stored_key = has_stored_key;
  if (!has_stored_key)
    self->remove_key = FALSE;
  update_stored_row (self);
  emit_changed (self);
}

void
bgpt_spending_page_set_skip_action (BgptSpendingPage *self,
                                    const char       *action_name)
{
  g_return_if_fail (BGPT_IS_SPENDING_PAGE (self));

  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->skip_button), action_name);
  gtk_widget_set_visible (self->skip_group, action_name != NULL);
}

/* Building the page */

static GtkSpinButton *
add_spin_row (AdwPreferencesGroup *group,
              const char          *title,
              const char          *subtitle,
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
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_preferences_group_add (group, row);
  return GTK_SPIN_BUTTON (spin);
}

static GtkWidget *
caption_label (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_add_css_class (label, "caption");
  return label;
}

/* What an admin key can do, said before anyone pastes one. */
static GtkWidget *
create_warning (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  GtkWidget *label = gtk_label_new (_("An admin key can manage the whole OpenAI organization: its members, "
                                      "projects, keys and limits. This app only reads the costs with it."));

  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_add_css_class (icon, "warning");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Warning"), -1);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  return box;
}

static void
build_key_group (BgptSpendingPage *self)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  GtkWidget *link_row, *link, *spinner, *testing_label;

  adw_preferences_group_set_title (group, _("OpenAI Admin Key"));
  adw_preferences_group_set_description (group,
    _("The costs can only be read with an admin key (“sk-admin-…”). It is tested before it is "
      "saved, kept encrypted in the keyring and never shown."));

  link_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (link_row), _("Admin keys page"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (link_row),
                               _("Where an owner of the organization creates one"));
  link = gtk_button_new_from_icon_name ("adw-external-link-symbolic");
  gtk_widget_set_valign (link, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (link, "flat");
  gtk_widget_set_tooltip_text (link, _("Open the OpenAI admin keys page"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (link), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Open the OpenAI admin keys page"), -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (link), "app.open-uri");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (link), "s", URI_OPENAI_ADMIN_KEYS);
  adw_action_row_add_suffix (ADW_ACTION_ROW (link_row), link);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (link_row), link);
  adw_preferences_group_add (group, link_row);

  self->stored_row = ADW_ACTION_ROW (adw_action_row_new ());
  self->remove_button = gtk_button_new_with_mnemonic (_("_Remove"));
  gtk_widget_set_valign (self->remove_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->remove_button, "flat");
  g_signal_connect_object (self->remove_button, "clicked", G_CALLBACK (on_remove_clicked), self,
                           G_CONNECT_SWAPPED);
  adw_action_row_add_suffix (self->stored_row, self->remove_button);
  adw_preferences_group_add (group, GTK_WIDGET (self->stored_row));

  self->key_row = GTK_EDITABLE (adw_password_entry_row_new ());
  g_signal_connect_object (self->key_row, "changed", G_CALLBACK (on_key_changed), self, G_CONNECT_SWAPPED);
  adw_preferences_group_add (group, GTK_WIDGET (self->key_row));

  self->key_hint = GTK_LABEL (caption_label ());
  gtk_widget_set_visible (GTK_WIDGET (self->key_hint), FALSE);
  adw_preferences_group_add (group, GTK_WIDGET (self->key_hint));

  self->testing_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_margin_top (self->testing_box, 6);
  spinner = bgpt_spinner_new ();
  bgpt_spinner_set_active (spinner, TRUE);
  gtk_box_append (GTK_BOX (self->testing_box), spinner);
  testing_label = caption_label ();
  gtk_widget_set_margin_top (testing_label, 0);
  gtk_label_set_text (GTK_LABEL (testing_label), _("Reading the costs with this key…"));
  gtk_box_append (GTK_BOX (self->testing_box), testing_label);
  gtk_widget_set_visible (self->testing_box, FALSE);
  adw_preferences_group_add (group, self->testing_box);
  adw_preferences_group_add (group, create_warning ());

  adw_preferences_page_add (self->page, group);
}

static void
build_budget_group (BgptSpendingPage *self)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());

  adw_preferences_group_set_title (group, _("Monthly Budget"));
  adw_preferences_group_set_description (group,
    _("A warning when, at the pace of the last seven days, the month will pass the first share; "
      "a critical problem when the spend passes the second. 0 means no budget."));
  self->budget = add_spin_row (group, _("Budget in US dollars"), NULL, 1e7, 10, 2, 0);
  self->warning = add_spin_row (group, _("Warning at"), _("Percent of the budget, projected"),
                                1000, 5, 0, 80);
  self->critical = add_spin_row (group, _("Critical at"), _("Percent of the budget, spent"),
                                 1000, 5, 0, 100);

  self->project_row = GTK_EDITABLE (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->project_row), _("Project ID (optional)"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->project_row),
                               _("Only this project’s costs, such as proj_abc123; empty for the whole organization"));
  adw_preferences_group_add (group, GTK_WIDGET (self->project_row));

  g_signal_connect_object (self->budget, "value-changed", G_CALLBACK (emit_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->warning, "value-changed", G_CALLBACK (emit_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->critical, "value-changed", G_CALLBACK (emit_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->project_row, "changed", G_CALLBACK (emit_changed), self, G_CONNECT_SWAPPED);

  adw_preferences_page_add (self->page, group);
}

static void
build_skip_group (BgptSpendingPage *self)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());

  adw_preferences_group_set_description (group,
    _("Spending can be tracked later too, from the account’s settings or the Usage page."));
  self->skip_button = gtk_button_new_with_mnemonic (_("_Not Now"));
  gtk_widget_set_halign (self->skip_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->skip_button, "pill");
  adw_preferences_group_add (group, self->skip_button);
  self->skip_group = GTK_WIDGET (group);
  gtk_widget_set_visible (self->skip_group, FALSE);
  adw_preferences_page_add (self->page, group);
}

static void
bgpt_spending_page_dispose (GObject *object)
{
  BgptSpendingPage *self = BGPT_SPENDING_PAGE (object);

  g_clear_pointer (&self->tested_key, bgpt_secret_free);

  G_OBJECT_CLASS (bgpt_spending_page_parent_class)->dispose (object);
}

static void
bgpt_spending_page_class_init (BgptSpendingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bgpt_spending_page_dispose;

  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
bgpt_spending_page_init (BgptSpendingPage *self)
{
  self->page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->page), TRUE);
  build_key_group (self);
  build_budget_group (self);
  build_skip_group (self);
  update_stored_row (self);
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->page));
}

GtkWidget *
bgpt_spending_page_new (void)
{
  return g_object_new (BGPT_TYPE_SPENDING_PAGE, NULL);
}
