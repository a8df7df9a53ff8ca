/* bgpt-setup-wizard.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-setup-wizard"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "bgpt-http.h"
#include "bgpt-kommo-client.h"
#include "bgpt-openai-client.h"
#include "bgpt-setup-wizard-private.h"
#include "bgpt-spinner.h"
#include "bgpt-validation.h"
#include "bgpt-wizard-check-view.h"

static const char * const steps[] = {
  "welcome", "kommo", "openai", "assistant", "spending", "monitoring", "summary",
};

G_DEFINE_FINAL_TYPE (BgptSetupWizard, bgpt_setup_wizard, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_ACCOUNT_STORE,
  PROP_SECRET_STORE,
  PROP_ACCOUNT_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Reading the fields */

static char *
dup_trimmed (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static gboolean
row_is_empty (AdwEntryRow *row)
{
  g_autofree char *text = dup_trimmed (row);

  return *text == '\0';
}

/* A typed secret, trimmed, or NULL when the field is empty. Free it with
 * bgpt_secret_free(). */
static char *
dup_typed_secret (AdwEntryRow *row)
{
  char *secret = dup_trimmed (row);

  if (*secret == '\0')
    {
      g_free (secret);
      return NULL;
    }
  return secret;
}

/* The secret the checks use: the typed one, else the stored one. */
static char *
dup_effective_secret (AdwEntryRow *row,
                      const char  *stored)
{
  char *typed = dup_typed_secret (row);

  return typed != NULL ? typed : g_strdup (stored);
}

static char *
dup_subdomain (BgptSetupWizard *self)
{
  g_autofree char *text = dup_trimmed (self->subdomain_row);

  return bgpt_normalize_kommo_subdomain (text, NULL);
}

static char *
dup_optional (AdwEntryRow *row)
{
  char *text = dup_trimmed (row);

  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

/* Validation */

static gboolean
secret_row_is_valid (AdwEntryRow *row,
                     const char  *stored,
                     GError     **error)
{
  char *typed = dup_typed_secret (row);
  gboolean valid;

  if (typed == NULL)
    return stored != NULL;

  valid = bgpt_validate_secret (typed, error);
  bgpt_secret_free (typed);
  return valid;
}

static gboolean
optional_row_is_valid (AdwEntryRow  *row,
                       gboolean    (*validate) (const char *, GError **),
                       GError      **error)
{
  g_autofree char *text = dup_trimmed (row);

  return *text == '\0' || validate (text, error);
}

static gboolean
kommo_is_valid (BgptSetupWizard *self)
{
  g_autofree char *subdomain = dup_subdomain (self);

  return subdomain != NULL &&
         secret_row_is_valid (self->kommo_token_row, self->stored_kommo_token, NULL) &&
         optional_row_is_valid (self->kommo_base_url_row, bgpt_validate_base_url, NULL);
}

static gboolean
openai_is_valid (BgptSetupWizard *self)
{
  return secret_row_is_valid (self->openai_key_row, self->stored_openai_key, NULL) &&
         optional_row_is_valid (self->openai_base_url_row, bgpt_validate_base_url, NULL);
}

static gboolean
assistant_is_valid (BgptSetupWizard *self)
{
  if (row_is_empty (self->assistant_row) && row_is_empty (self->model_row))
    return FALSE;

  return optional_row_is_valid (self->assistant_row, bgpt_validate_assistant_id, NULL) &&
         optional_row_is_valid (self->model_row, bgpt_validate_model, NULL);
}

static gboolean
step_is_valid (BgptSetupWizard *self,
               const char      *step)
{
  if (g_str_equal (step, "kommo"))
    return kommo_is_valid (self);
  if (g_str_equal (step, "openai"))
    return openai_is_valid (self);
  if (g_str_equal (step, "assistant"))
    return assistant_is_valid (self);
  if (g_str_equal (step, "spending"))
    return bgpt_spending_page_is_valid (self->spending_page);
  return TRUE;
}

static guint
current_index (BgptSetupWizard *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->stack);

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (g_strcmp0 (steps[i], name) == 0)
      return i;
  return 0;
}

static void
update_actions (BgptSetupWizard *self)
{
  guint index = current_index (self);
  gboolean all_valid = kommo_is_valid (self) && openai_is_valid (self) && assistant_is_valid (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.next",
                                 !self->saving && index + 1 < G_N_ELEMENTS (steps) &&
                                 step_is_valid (self, steps[index]));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.back", !self->saving && index > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.finish",
                                 !self->saving && all_valid && bgpt_spending_page_is_valid (self->spending_page));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.test-kommo", kommo_is_valid (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.test-openai", openai_is_valid (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.test-assistant",
                                 openai_is_valid (self) && assistant_is_valid (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.test-all", !self->saving && all_valid);
}

/* Shows @text under a field, as an error or as a plain hint. */
static void
set_hint (GtkLabel    *hint,
          AdwEntryRow *row,
          const char  *text,
          gboolean     is_error)
{
  gtk_label_set_text (hint, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (hint), text != NULL && *text != '\0');
  gtk_widget_remove_css_class (GTK_WIDGET (hint), "warning");
  if (is_error)
    {
      gtk_widget_add_css_class (GTK_WIDGET (hint), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (hint), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (hint), "error");
      gtk_widget_add_css_class (GTK_WIDGET (hint), "dim-label");
    }

  if (row != NULL)
    {
      if (is_error)
        gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
    }
}

static void
update_subdomain_hint (BgptSetupWizard *self)
{
  g_autofree char *text = dup_trimmed (self->subdomain_row);
  g_autofree char *subdomain = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;

  if (*text == '\0')
    {
      set_hint (self->subdomain_hint, self->subdomain_row,
                _("For example: mycompany, or https://mycompany.kommo.com/leads"), FALSE);
      return;
    }

  subdomain = bgpt_normalize_kommo_subdomain (text, &error);
  if (subdomain == NULL)
    {
      set_hint (self->subdomain_hint, self->subdomain_row, error->message, TRUE);
      return;
    }

  /* Translators: %s is the Kommo subdomain taken from what was typed */
  message = g_strdup_printf (_("Kommo account: %s.kommo.com"), subdomain);
  set_hint (self->subdomain_hint, self->subdomain_row, message, FALSE);
}

static void
update_secret_hint (AdwEntryRow *row,
                    GtkLabel    *hint,
                    const char  *stored,
                    const char  *stored_text)
{
  g_autoptr(GError) error = NULL;
  char *typed = dup_typed_secret (row);

  if (typed == NULL)
    {
      set_hint (hint, row, stored != NULL ? stored_text : NULL, FALSE);
      return;
    }

  if (!bgpt_validate_secret (typed, &error))
    set_hint (hint, row, error->message, TRUE);
  else
    set_hint (hint, row, NULL, FALSE);
  bgpt_secret_free (typed);
}

static void
update_base_url_hint (AdwEntryRow *row,
                      GtkLabel    *hint)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  if (!optional_row_is_valid (row, bgpt_validate_base_url, &error))
    {
      set_hint (hint, row, error->message, TRUE);
    }
  else if (bgpt_base_url_is_unencrypted (url))
    {
      /* Allowed for tests and local proxies, but the key then travels in
       * clear to whatever listens on that port first. */
      set_hint (hint, row,
                _("Not encrypted: the key or token goes in clear text to whatever program "
                  "listens on this port, possibly another user’s. Use plain http:// only "
                  "for tests and local proxies."),
                FALSE);
      gtk_widget_remove_css_class (GTK_WIDGET (hint), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (hint), "warning");
    }
  else
    {
      set_hint (hint, row, NULL, FALSE);
    }
}

static void
update_assistant_hint (BgptSetupWizard *self)
{
  g_autoptr(GError) assistant_error = NULL;
  g_autoptr(GError) model_error = NULL;
  gboolean assistant_ok = optional_row_is_valid (self->assistant_row, bgpt_validate_assistant_id,
                                                 &assistant_error);
  gboolean model_ok = optional_row_is_valid (self->model_row, bgpt_validate_model, &model_error);

  set_hint (self->assistant_hint, NULL, NULL, FALSE);
  if (assistant_ok)
    gtk_widget_remove_css_class (GTK_WIDGET (self->assistant_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->assistant_row), "error");
  if (model_ok)
    gtk_widget_remove_css_class (GTK_WIDGET (self->model_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->model_row), "error");

  if (!assistant_ok)
    set_hint (self->assistant_hint, NULL, assistant_error->message, TRUE);
  else if (!model_ok)
    set_hint (self->assistant_hint, NULL, model_error->message, TRUE);
  else if (row_is_empty (self->assistant_row) && row_is_empty (self->model_row))
    set_hint (self->assistant_hint, NULL,
              _("Fill in the Assistant ID, the model, or both."), FALSE);
}

static void
update_hints (BgptSetupWizard *self)
{
  update_subdomain_hint (self);
  update_secret_hint (self->kommo_token_row, self->kommo_token_hint, self->stored_kommo_token,
                      _("Stored in the keyring. Type a new token only to replace it."));
  update_secret_hint (self->openai_key_row, self->openai_key_hint, self->stored_openai_key,
                      _("Stored in the keyring. Type a new key only to replace it."));
  update_base_url_hint (self->kommo_base_url_row, self->kommo_base_url_hint);
  update_base_url_hint (self->openai_base_url_row, self->openai_base_url_hint);
  update_assistant_hint (self);
}

/* A changed field makes the results shown for it stale. */
static void
on_kommo_changed (BgptSetupWizard *self)
{
  bgpt_wizard_check_view_reset (self->kommo_view);
  update_hints (self);
  update_actions (self);
}

static void
on_openai_changed (BgptSetupWizard *self)
{
  /* Another key may use other models. */
  _bgpt_setup_wizard_fill_models (self, NULL);
  bgpt_wizard_check_view_reset (self->openai_view);
  bgpt_wizard_check_view_reset (self->assistant_view);
  bgpt_wizard_check_view_reset (self->model_view);
  update_hints (self);
  update_actions (self);
}

static void
on_assistant_changed (BgptSetupWizard *self)
{
  bgpt_wizard_check_view_reset (self->assistant_view);
  bgpt_wizard_check_view_reset (self->model_view);
  update_hints (self);
  update_actions (self);
}

static void
on_name_changed (BgptSetupWizard *self)
{
  if (!self->filling_name)
    self->name_edited = TRUE;
}

void
_bgpt_setup_wizard_set_name (BgptSetupWizard *self,
                             const char      *name)
{
  self->filling_name = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
  self->filling_name = FALSE;
}

/* The inputs of the checks (bgpt-setup-wizard-checks.c) */

BgptCheckConfig *
_bgpt_setup_wizard_build_config (BgptSetupWizard *self)
{
  BgptCheckConfig *config = bgpt_check_config_new (self->account_id);

  config->kommo_subdomain = dup_subdomain (self);
  config->kommo_base_url = dup_optional (self->kommo_base_url_row);
  config->kommo_token = dup_effective_secret (self->kommo_token_row, self->stored_kommo_token);
  config->openai_base_url = dup_optional (self->openai_base_url_row);
  config->openai_api_key = dup_effective_secret (self->openai_key_row, self->stored_openai_key);
  config->assistant_id = dup_optional (self->assistant_row);
  config->model = dup_optional (self->model_row);
  return config;
}

static void
on_model_chosen (BgptSetupWizard *self)
{
  guint selected = gtk_drop_down_get_selected (self->models_dropdown);

  if (self->filling_models || selected == 0 || selected == GTK_INVALID_LIST_POSITION)
    return;

  gtk_editable_set_text (GTK_EDITABLE (self->model_row),
                         gtk_string_list_get_string (self->models, selected));

  /* The list only fills the field: showing "Choose…" again keeps a long
   * model name from widening the row past a narrow window. */
  self->filling_models = TRUE;
  gtk_drop_down_set_selected (self->models_dropdown, 0);
  self->filling_models = FALSE;
}

/* Moving between steps */

/* "Acompanhar gastos" in a line: the admin key and the budget. */
static void
fill_summary_spending (BgptSetupWizard *self)
{
  g_autofree char *budget = NULL;
  g_autofree char *text = NULL;
  char *tested_key = bgpt_spending_page_dup_tested_key (self->spending_page);
  double usd = bgpt_spending_page_get_budget (self->spending_page);
  const char *key_text;

  if (tested_key != NULL)
    key_text = _("new admin key, tested");
  else if (bgpt_spending_page_get_remove_key (self->spending_page))
    key_text = _("admin key removed");
  else if (self->stored_admin_key != NULL)
    key_text = _("admin key stored in the keyring");
  else
    key_text = _("not tracked: no admin key");
  bgpt_secret_free (tested_key);

  if (usd <= 0)
    {
      adw_action_row_set_subtitle (self->summary_spending_row, key_text);
      return;
    }
  /* Translators: a monthly budget in US dollars */
  budget = g_strdup_printf (_("budget US$ %.2f a month"), usd);
  text = g_strdup_printf (_("%s · %s"), key_text, budget);
  adw_action_row_set_subtitle (self->summary_spending_row, text);
}

static void
fill_summary (BgptSetupWizard *self)
{
  g_autoptr(BgptCheckConfig) config = _bgpt_setup_wizard_build_config (self);
  g_autofree char *kommo_base_url = bgpt_kommo_base_url (config, NULL);
  g_autofree char *openai_base_url = bgpt_openai_base_url (config);
  g_autofree char *kommo_text = NULL;
  g_autofree char *openai_text = NULL;
  g_autofree char *typed_token = dup_typed_secret (self->kommo_token_row);
  g_autofree char *typed_key = dup_typed_secret (self->openai_key_row);
  g_autoptr(GPtrArray) assistant_parts = g_ptr_array_new ();
  g_autofree char *assistant_text = NULL;

  /* Translators: "%s · %s" is an address and whether the secret is new or kept */
  kommo_text = g_strdup_printf (_("%s · %s"), kommo_base_url != NULL ? kommo_base_url : "",
                                typed_token != NULL ? _("new token") : _("token stored in the keyring"));
  openai_text = g_strdup_printf (_("%s · %s"), openai_base_url,
                                 typed_key != NULL ? _("new key") : _("key stored in the keyring"));
  adw_action_row_set_subtitle (self->summary_kommo_row, kommo_text);
  adw_action_row_set_subtitle (self->summary_openai_row, openai_text);

  if (config->assistant_id != NULL)
    g_ptr_array_add (assistant_parts, config->assistant_id);
  if (config->model != NULL)
    g_ptr_array_add (assistant_parts, config->model);
  g_ptr_array_add (assistant_parts, NULL);
  assistant_text = g_strjoinv (" · ", (char **) assistant_parts->pdata);
  adw_action_row_set_subtitle (self->summary_assistant_row, assistant_text);

  fill_summary_spending (self);

  if (!self->name_edited && row_is_empty (self->name_row) && config->kommo_subdomain != NULL)
    _bgpt_setup_wizard_set_name (self, config->kommo_subdomain);

  if (typed_token != NULL)
    explicit_bzero (typed_token, strlen (typed_token));
  if (typed_key != NULL)
    explicit_bzero (typed_key, strlen (typed_key));
}

static GtkWidget *
first_field (BgptSetupWizard *self,
             const char      *step)
{
  if (g_str_equal (step, "kommo"))
    return GTK_WIDGET (self->subdomain_row);
  if (g_str_equal (step, "openai"))
    return GTK_WIDGET (self->openai_key_row);
  if (g_str_equal (step, "assistant"))
    return GTK_WIDGET (self->assistant_row);
  if (g_str_equal (step, "summary"))
    return self->finish_button;
  return self->next_button;
}

static void
show_step (BgptSetupWizard *self,
           guint            index)
{
  const char *step = steps[index];
  GtkStackPage *page;
  g_autofree char *subtitle = NULL;

  gtk_stack_set_visible_child_name (self->stack, step);
  page = gtk_stack_get_page (self->stack, gtk_stack_get_visible_child (self->stack));

  adw_window_title_set_title (self->window_title, gtk_stack_page_get_title (page));
  /* Translators: the wizard's progress, e.g. "Step 2 of 6" */
  subtitle = g_strdup_printf (_("Step %u of %u"), index + 1, (guint) G_N_ELEMENTS (steps));
  adw_window_title_set_subtitle (self->window_title, subtitle);

  gtk_widget_set_visible (self->back_button, index > 0);
  gtk_widget_set_visible (self->next_button, index + 1 < G_N_ELEMENTS (steps));
  gtk_widget_set_visible (self->finish_button, index + 1 == G_N_ELEMENTS (steps));

  if (g_str_equal (step, "summary"))
    {
      fill_summary (self);
      _bgpt_setup_wizard_check_all (self);
    }

  update_actions (self);
  gtk_widget_grab_focus (first_field (self, step));
}

static void
normalize_subdomain_field (BgptSetupWizard *self)
{
  g_autofree char *subdomain = dup_subdomain (self);

  if (subdomain != NULL &&
      g_strcmp0 (subdomain, gtk_editable_get_text (GTK_EDITABLE (self->subdomain_row))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->subdomain_row), subdomain);
}

static void
on_spending_tested (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(BgptSetupWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean passed = bgpt_spending_page_test_finish (BGPT_SPENDING_PAGE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  update_actions (self);
  /* Refused: the page says why, and nothing of it will be stored. */
  if (passed && g_str_equal (steps[current_index (self)], "spending"))
    show_step (self, current_index (self) + 1);
}

/* One costs request with the typed admin key, where this account's OpenAI is. */
static void
test_spending (BgptSetupWizard *self)
{
  g_autofree char *base_url = dup_optional (self->openai_base_url_row);

  bgpt_http_set_timeout (self->http, g_settings_get_uint (self->settings, "timeout"));
  bgpt_spending_page_test_async (self->spending_page, self->http, self->account_id, base_url,
                                 self->cancellable, on_spending_tested, g_object_ref (self));
  update_actions (self);
}

/* "Not now": no admin key typed or removed; the stored one stays. */
static void
skip_spending_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  BgptSetupWizard *self = BGPT_SETUP_WIZARD (widget);

  if (self->saving || !g_str_equal (steps[current_index (self)], "spending"))
    return;
  bgpt_spending_page_clear_key (self->spending_page);
  show_step (self, current_index (self) + 1);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BgptSetupWizard *self = BGPT_SETUP_WIZARD (widget);
  guint index = current_index (self);

  if (index + 1 >= G_N_ELEMENTS (steps) || !step_is_valid (self, steps[index]))
    return;

  /* A typed admin key is tested live before the wizard moves on. */
  if (g_str_equal (steps[index], "spending") && bgpt_spending_page_needs_test (self->spending_page))
    {
      test_spending (self);
      return;
    }

  /* A pasted address becomes the plain subdomain once the user moves on;
   * the test result stays, since the account is the same. */
  if (g_str_equal (steps[index], "kommo"))
    {
      g_signal_handlers_block_by_func (self->subdomain_row, on_kommo_changed, self);
      normalize_subdomain_field (self);
      g_signal_handlers_unblock_by_func (self->subdomain_row, on_kommo_changed, self);
      update_hints (self);
    }

  show_step (self, index + 1);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BgptSetupWizard *self = BGPT_SETUP_WIZARD (widget);
  guint index = current_index (self);

  if (index > 0)
    show_step (self, index - 1);
}

static void
on_entry_activated (BgptSetupWizard *self)
{
  /* Enter in a field moves on when the step is complete. */
  gtk_widget_activate_action (GTK_WIDGET (self), "wizard.next", NULL);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

/* Cancelling */

static void
cancel_everything (BgptSetupWizard *self)
{
  BgptWizardCheckView *views[] = {
    self->kommo_view, self->openai_view, self->assistant_view, self->model_view,
    self->summary_kommo_view, self->summary_openai_view, self->summary_assistant_view,
    self->summary_model_view,
  };

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    if (views[i] != NULL)
      bgpt_wizard_check_view_reset (views[i]);
  if (self->settings != NULL)
    g_settings_revert (self->settings);
}

static gboolean
bgpt_setup_wizard_close_request (GtkWindow *window)
{
  BgptSetupWizard *self = BGPT_SETUP_WIZARD (window);

  /* Half-way through saving, closing would leave half an account behind. */
  if (self->saving)
    return TRUE;

  cancel_everything (self);
  return GTK_WINDOW_CLASS (bgpt_setup_wizard_parent_class)->close_request (window);
}

/* Finishing */

static void
set_saving (BgptSetupWizard *self,
            gboolean         saving)
{
  self->saving = saving;
  gtk_widget_set_visible (self->saving_box, saving);
  gtk_widget_set_sensitive (GTK_WIDGET (self->stack), !saving);
  gtk_widget_set_sensitive (self->cancel_button, !saving);
  gtk_window_set_deletable (GTK_WINDOW (self), !saving);
  update_actions (self);
}

static void
show_keyring_unavailable (BgptSetupWizard *self)
{
  self->keyring_unavailable = TRUE;
  gtk_revealer_set_reveal_child (self->keyring_revealer, TRUE);
}

static void
save_failed (BgptSetupWizard *self,
             const GError    *error)
{
  g_autofree char *message = NULL;

  set_saving (self, FALSE);

  if (g_error_matches (error, BGPT_SECRET_STORE_ERROR, BGPT_SECRET_STORE_ERROR_UNAVAILABLE))
    {
      show_keyring_unavailable (self);
      /* Translators: %s says why the keyring could not be used */
      message = g_strdup_printf (_("Nothing was saved: the system keyring is not available (%s). "
                                   "Unlock it, or install one such as GNOME Keyring, then press Finish again."),
                                 error->message);
    }
  else
    {
      /* Translators: %s says what went wrong */
      message = g_strdup_printf (_("Nothing was saved: %s"), error->message);
    }

  gtk_label_set_text (self->save_error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->save_error_label), TRUE);
}

/* The account as the fields say, with the secrets typed (the stored ones
 * stay when none was) and the stored ones they replace. */
static BgptAccountDraft *
build_draft (BgptSetupWizard *self)
{
  BgptAccountDraft *draft = bgpt_account_draft_new (self->account_id);

  draft->display_name = dup_trimmed (self->name_row);
  draft->kommo_subdomain = dup_subdomain (self);
  draft->kommo_base_url = dup_trimmed (self->kommo_base_url_row);
  draft->openai_base_url = dup_trimmed (self->openai_base_url_row);
  draft->assistant_id = dup_trimmed (self->assistant_row);
  draft->model = dup_trimmed (self->model_row);
  draft->kommo_token = dup_typed_secret (self->kommo_token_row);
  draft->openai_api_key = dup_typed_secret (self->openai_key_row);
  draft->previous_kommo_token = g_strdup (self->stored_kommo_token);
  draft->previous_openai_api_key = g_strdup (self->stored_openai_key);
  /* The admin key in the same draft: a failed save takes it back too. */
  draft->has_spending = TRUE;
  draft->openai_admin_key = bgpt_spending_page_dup_tested_key (self->spending_page);
  draft->previous_openai_admin_key = g_strdup (self->stored_admin_key);
  draft->remove_openai_admin_key = bgpt_spending_page_get_remove_key (self->spending_page);
  draft->openai_project_id = bgpt_spending_page_dup_project_id (self->spending_page);
  draft->monthly_budget_usd = bgpt_spending_page_get_budget (self->spending_page);
  bgpt_spending_page_get_thresholds (self->spending_page, &draft->budget_warning_percent,
                                     &draft->budget_critical_percent);
  return draft;
}

static void
on_draft_saved (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BgptSetupWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *account_id = NULL;

  if (!bgpt_account_store_save_draft_finish (BGPT_ACCOUNT_STORE (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        save_failed (self, error);
      return;
    }

  g_settings_apply (self->settings);

  account_id = g_strdup (self->account_id);
  self->saving = FALSE;
  g_signal_emit (self, signals[FINISHED], 0, account_id);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
finish_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BgptSetupWizard *self = BGPT_SETUP_WIZARD (widget);
  g_autoptr(BgptAccountDraft) draft = NULL;

  if (self->saving ||
      !kommo_is_valid (self) || !openai_is_valid (self) || !assistant_is_valid (self))
    return;

  /* Only a tested admin key goes into the draft: an untested one is
   * tested on its step first. */
  if (bgpt_spending_page_needs_test (self->spending_page))
    {
      for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
        if (g_str_equal (steps[i], "spending"))
          show_step (self, i);
      test_spending (self);
      return;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->save_error_label), FALSE);
  set_saving (self, TRUE);
  draft = build_draft (self);
  bgpt_account_store_save_draft_async (self->accounts, draft, self->secrets, self->cancellable,
                                       on_draft_saved, g_object_ref (self));
}

/* Monitoring settings */

static gboolean
seconds_to_minutes (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  g_value_set_double (value, MAX (1, g_variant_get_uint32 (variant) / 60));
  return TRUE;
}

static GVariant *
minutes_to_seconds (const GValue       *value,
                    const GVariantType *expected_type,
                    gpointer            user_data)
{
  return g_variant_new_uint32 ((guint32) (g_value_get_double (value) * 60));
}

static void
update_deep_subtitle (BgptSetupWizard *self)
{
  guint minutes = MAX (1, (guint) gtk_adjustment_get_value (self->interval_adjustment));
  guint per_day = (24 * 60 + minutes - 1) / minutes;
  g_autofree char *subtitle = NULL;

  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Also sends OpenAI one tiny paid request per check, to notice a used-up quota before your customers do. "
                                           "It costs money: at this interval that is about %u request a day, billed to your OpenAI account "
                                           "(with a small model, well under US$ 1 a month).",
                                           "Also sends OpenAI one tiny paid request per check, to notice a used-up quota before your customers do. "
                                           "It costs money: at this interval that is about %u requests a day, billed to your OpenAI account "
                                           "(with a small model, well under US$ 1 a month).",
                                           per_day),
                              per_day);
  adw_action_row_set_subtitle (self->deep_row, subtitle);
}

/* Loading what is stored */

typedef struct
{
  BgptSetupWizard *self;
  BgptSecretKind   kind;
} LookupOp;

static void
on_secret_looked_up (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autofree LookupOp *op = user_data;
  g_autoptr(BgptSetupWizard) self = op->self;
  g_autoptr(GError) error = NULL;
  char *secret;

  self->n_lookups--;
  secret = bgpt_secret_store_lookup_finish (BGPT_SECRET_STORE (source), result, &error);
  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_keyring_unavailable (self);
      return;
    }

  /* A new account uses no leftover secret: the lookup only probes the keyring. */
  if (self->is_new)
    {
      bgpt_secret_free (secret);
      return;
    }

  if (op->kind == BGPT_SECRET_KIND_KOMMO_TOKEN)
    {
      bgpt_secret_free (self->stored_kommo_token);
      self->stored_kommo_token = secret;
    }
  else if (op->kind == BGPT_SECRET_KIND_OPENAI_ADMIN_KEY)
    {
      /* Kept to put it back if the save fails; the page only says it is there. */
      bgpt_secret_free (self->stored_admin_key);
      self->stored_admin_key = secret;
      bgpt_spending_page_set_has_stored_key (self->spending_page, secret != NULL);
      /* A slow keyring may answer after the summary is shown. */
      fill_summary_spending (self);
    }
  else
    {
      bgpt_secret_free (self->stored_openai_key);
      self->stored_openai_key = secret;
    }

  update_hints (self);
  update_actions (self);
}

static void
look_up_secret (BgptSetupWizard *self,
                BgptSecretKind   kind)
{
  LookupOp *op = g_new0 (LookupOp, 1);

  op->self = g_object_ref (self);
  op->kind = kind;
  self->n_lookups++;
  bgpt_secret_store_lookup_async (self->secrets, self->account_id, kind, self->cancellable,
                                  on_secret_looked_up, op);
}

static void
set_row_text (AdwEntryRow *row,
              const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
}

static void
prefill (BgptSetupWizard *self,
         BgptAccount     *account)
{
  g_autofree char *name = bgpt_account_dup_display_name (account);
  g_autofree char *subdomain = bgpt_account_dup_kommo_subdomain (account);
  g_autofree char *kommo_base_url = bgpt_account_dup_kommo_base_url (account);
  g_autofree char *openai_base_url = bgpt_account_dup_openai_base_url (account);
  g_autofree char *assistant_id = bgpt_account_dup_assistant_id (account);
  g_autofree char *model = bgpt_account_dup_model (account);

  _bgpt_setup_wizard_set_name (self, name);
  self->name_edited = name != NULL && *name != '\0';
  set_row_text (self->subdomain_row, subdomain);
  set_row_text (self->kommo_base_url_row, kommo_base_url);
  set_row_text (self->openai_base_url_row, openai_base_url);
  set_row_text (self->assistant_row, assistant_id);
  set_row_text (self->model_row, model);
  adw_expander_row_set_expanded (self->kommo_advanced_row, kommo_base_url != NULL && *kommo_base_url != '\0');
  adw_expander_row_set_expanded (self->openai_advanced_row, openai_base_url != NULL && *openai_base_url != '\0');
}

static char *
new_account_id (BgptAccountStore *accounts)
{
  g_auto(GStrv) account_ids = g_settings_get_strv (bgpt_account_store_get_settings (accounts), "accounts");

  if (!g_strv_contains ((const char * const *) account_ids, BGPT_ACCOUNT_DEFAULT_ID))
    return g_strdup (BGPT_ACCOUNT_DEFAULT_ID);

  for (guint n = 2; ; n++)
    {
      g_autofree char *id = g_strdup_printf ("account-%u", n);

      if (!g_strv_contains ((const char * const *) account_ids, id))
        return g_steal_pointer (&id);
    }
}

/* GObject */

static void
bgpt_setup_wizard_constructed (GObject *object)
{
  BgptSetupWizard *self = BGPT_SETUP_WIZARD (object);
  BgptAccount *account = NULL;

  G_OBJECT_CLASS (bgpt_setup_wizard_parent_class)->constructed (object);

  if (self->accounts == NULL)
    self->accounts = bgpt_account_store_new ();
  if (self->secrets == NULL)
    {
      self->secrets = bgpt_secret_store_new ();
      bgpt_secret_store_set_timeout (self->secrets, BGPT_SECRET_STORE_UI_TIMEOUT_S);
    }

  /* A settings object of our own, so that delaying it keeps every write
   * pending here until Finish while the rest of the app reads the old values. */
  self->settings = g_settings_new (BGPT_SETTINGS_SCHEMA_ID);
  g_settings_delay (self->settings);
  g_settings_bind_with_mapping (self->settings, "check-interval", self->interval_adjustment, "value",
                                G_SETTINGS_BIND_DEFAULT, seconds_to_minutes, minutes_to_seconds,
                                NULL, NULL);
  g_settings_bind (self->settings, "deep-check", self->deep_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "notifications", self->notifications_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "run-in-background", self->background_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  /* The app's autostart helper follows this key once Finish applies it. */
  g_settings_bind (self->settings, "start-at-login", self->login_switch, "active", G_SETTINGS_BIND_DEFAULT);
  update_deep_subtitle (self);

  if (self->account_id != NULL)
    account = bgpt_account_store_lookup (self->accounts, self->account_id);
  self->is_new = account == NULL;
  if (self->account_id == NULL)
    self->account_id = new_account_id (self->accounts);

  gtk_window_set_title (GTK_WINDOW (self), self->is_new ? _("Set Up an Account") : _("Edit Account"));
  /* A new account may leave spending for later; the editor just moves on. */
  if (self->is_new)
    bgpt_spending_page_set_skip_action (self->spending_page, "wizard.skip-spending");

  if (account != NULL)
    {
      prefill (self, account);
      bgpt_spending_page_load_settings (self->spending_page, bgpt_account_get_settings (account));
    }

  look_up_secret (self, BGPT_SECRET_KIND_KOMMO_TOKEN);
  if (!self->is_new)
    {
      look_up_secret (self, BGPT_SECRET_KIND_OPENAI_API_KEY);
      look_up_secret (self, BGPT_SECRET_KIND_OPENAI_ADMIN_KEY);
    }

  update_hints (self);
  show_step (self, self->is_new ? 0 : 1);
}

static void
bgpt_setup_wizard_dispose (GObject *object)
{
  BgptSetupWizard *self = BGPT_SETUP_WIZARD (object);

  cancel_everything (self);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->accounts);
  g_clear_object (&self->secrets);
  g_clear_object (&self->http);
  g_clear_object (&self->models);
  g_clear_pointer (&self->stored_kommo_token, bgpt_secret_free);
  g_clear_pointer (&self->stored_openai_key, bgpt_secret_free);
  g_clear_pointer (&self->stored_admin_key, bgpt_secret_free);

  G_OBJECT_CLASS (bgpt_setup_wizard_parent_class)->dispose (object);
}

static void
bgpt_setup_wizard_finalize (GObject *object)
{
  BgptSetupWizard *self = BGPT_SETUP_WIZARD (object);

  g_free (self->account_id);

  G_OBJECT_CLASS (bgpt_setup_wizard_parent_class)->finalize (object);
}

static void
bgpt_setup_wizard_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  BgptSetupWizard *self = BGPT_SETUP_WIZARD (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT_STORE:
      g_value_set_object (value, self->accounts);
      break;
    case PROP_SECRET_STORE:
      g_value_set_object (value, self->secrets);
      break;
    case PROP_ACCOUNT_ID:
      g_value_set_string (value, self->account_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bgpt_setup_wizard_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  BgptSetupWizard *self = BGPT_SETUP_WIZARD (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT_STORE:
      self->accounts = g_value_dup_object (value);
      break;
    case PROP_SECRET_STORE:
      self->secrets = g_value_dup_object (value);
      break;
    case PROP_ACCOUNT_ID:
      self->account_id = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bgpt_setup_wizard_class_init (BgptSetupWizardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = bgpt_setup_wizard_constructed;
  object_class->dispose = bgpt_setup_wizard_dispose;
  object_class->finalize = bgpt_setup_wizard_finalize;
  object_class->get_property = bgpt_setup_wizard_get_property;
  object_class->set_property = bgpt_setup_wizard_set_property;
  window_class->close_request = bgpt_setup_wizard_close_request;

  properties[PROP_ACCOUNT_STORE] =
    g_param_spec_object ("account-store", NULL, NULL, BGPT_TYPE_ACCOUNT_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SECRET_STORE] =
    g_param_spec_object ("secret-store", NULL, NULL, BGPT_TYPE_SECRET_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCOUNT_ID] =
    g_param_spec_string ("account-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted once everything is stored, just before the wizard closes. */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (BGPT_TYPE_WIZARD_CHECK_VIEW);
  g_type_ensure (BGPT_TYPE_SPENDING_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/ui/bgpt-setup-wizard.ui");
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, content_box);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, window_title);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, back_button);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, next_button);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, finish_button);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, keyring_revealer);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, keyring_label);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, stack);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, subdomain_row);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, subdomain_hint);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, kommo_token_row);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, kommo_token_hint);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, kommo_base_url_row);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, kommo_base_url_hint);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, kommo_advanced_row);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, test_kommo_button);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, kommo_view);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, openai_key_row);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, openai_key_hint);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, openai_base_url_row);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, openai_base_url_hint);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, openai_advanced_row);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, test_openai_button);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, openai_view);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, assistant_row);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, model_row);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, models_row);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, models_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, assistant_hint);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, shutdown_group);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, test_assistant_button);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, assistant_view);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, model_view);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, spending_page);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, interval_spin);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, interval_adjustment);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, deep_row);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, deep_switch);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, notifications_switch);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, background_switch);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, login_switch);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, name_row);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, summary_kommo_row);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, summary_openai_row);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, summary_assistant_row);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, summary_kommo_view);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, summary_openai_view);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, summary_assistant_view);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, summary_model_view);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, summary_spending_row);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, save_error_label);
  gtk_widget_class_bind_template_child (widget_class, BgptSetupWizard, saving_box);

  gtk_widget_class_install_action (widget_class, "wizard.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "wizard.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "wizard.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "wizard.finish", NULL, finish_action);
  gtk_widget_class_install_action (widget_class, "wizard.skip-spending", NULL, skip_spending_action);
  _bgpt_setup_wizard_class_init_checks (widget_class);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "wizard.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, GDK_CONTROL_MASK, "wizard.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, GDK_CONTROL_MASK, "wizard.back", NULL);
}

static void
bgpt_setup_wizard_init (BgptSetupWizard *self)
{
  GtkWidget *spinner;
  GtkWidget *toggle;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The saving box is what is shown and hidden; its spinner always turns. */
  spinner = bgpt_spinner_new ();
  bgpt_spinner_set_active (spinner, TRUE);
  gtk_box_prepend (GTK_BOX (self->saving_box), spinner);

  self->cancellable = g_cancellable_new ();
  self->http = bgpt_http_new ();
  self->models = gtk_string_list_new (NULL);

  gtk_drop_down_set_model (self->models_dropdown, G_LIST_MODEL (self->models));
  g_signal_connect_object (self->models_dropdown, "notify::selected", G_CALLBACK (on_model_chosen), self,
                           G_CONNECT_SWAPPED);
  /* GTK 4.8 names the drop-down's own button after its class; a screen
   * reader reaches that button, so it gets the row's words. */
  toggle = gtk_widget_get_first_child (GTK_WIDGET (self->models_dropdown));
  if (GTK_IS_TOGGLE_BUTTON (toggle))
    gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    _("Models this key can use"), -1);

  g_signal_connect_object (self->subdomain_row, "changed", G_CALLBACK (on_kommo_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->kommo_token_row, "changed", G_CALLBACK (on_kommo_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->kommo_base_url_row, "changed", G_CALLBACK (on_kommo_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->openai_key_row, "changed", G_CALLBACK (on_openai_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->openai_base_url_row, "changed", G_CALLBACK (on_openai_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->assistant_row, "changed", G_CALLBACK (on_assistant_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model_row, "changed", G_CALLBACK (on_assistant_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->name_row, "changed", G_CALLBACK (on_name_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->interval_adjustment, "value-changed", G_CALLBACK (update_deep_subtitle), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->spending_page, "changed", G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);

  {
    AdwEntryRow *rows[] = {
      self->subdomain_row, self->kommo_token_row, self->kommo_base_url_row, self->openai_key_row,
      self->openai_base_url_row, self->assistant_row, self->model_row, self->name_row,
    };

    for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
      g_signal_connect_object (rows[i], "entry-activated", G_CALLBACK (on_entry_activated), self,
                               G_CONNECT_SWAPPED);
  }
}

BgptSetupWizard *
bgpt_setup_wizard_new (BgptAccountStore *accounts,
                       BgptSecretStore  *secrets,
                       const char       *account_id)
{
  g_return_val_if_fail (accounts == NULL || BGPT_IS_ACCOUNT_STORE (accounts), NULL);
  g_return_val_if_fail (secrets == NULL || BGPT_IS_SECRET_STORE (secrets), NULL);

  return g_object_new (BGPT_TYPE_SETUP_WIZARD,
                       "account-store", accounts,
                       "secret-store", secrets,
                       "account-id", account_id,
                       NULL);
}

const char *
bgpt_setup_wizard_get_account_id (BgptSetupWizard *self)
{
  g_return_val_if_fail (BGPT_IS_SETUP_WIZARD (self), NULL);
  return self->account_id;
}

gboolean
bgpt_setup_wizard_is_new_account (BgptSetupWizard *self)
{
  g_return_val_if_fail (BGPT_IS_SETUP_WIZARD (self), FALSE);
  return self->is_new;
}

const char *
bgpt_setup_wizard_get_step (BgptSetupWizard *self)
{
  g_return_val_if_fail (BGPT_IS_SETUP_WIZARD (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

gboolean
bgpt_setup_wizard_is_looking_up (BgptSetupWizard *self)
{
  g_return_val_if_fail (BGPT_IS_SETUP_WIZARD (self), FALSE);
  return self->n_lookups > 0;
}
