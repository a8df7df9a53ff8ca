/* bgpt-setup-wizard-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by bgpt-setup-wizard.c (the steps, the fields, saving) and
 * bgpt-setup-wizard-checks.c (the live checks).
 */

#pragma once

#include "bgpt-check-config.h"
#include "bgpt-setup-wizard.h"
#include "bgpt-spending-page.h"
#include "bgpt-wizard-check-view.h"

G_BEGIN_DECLS

struct _BgptSetupWizard
{
  AdwWindow             parent_instance;

  BgptAccountStore     *accounts;
  BgptSecretStore      *secrets;
  /* The main schema, delayed: Finish applies it, anything else reverts. */
  GSettings            *settings;
  BgptHttp             *http;
  GCancellable         *cancellable;
  char                 *account_id;
  gboolean              is_new;
  /* Read from the keyring when editing: used by the checks, never shown,
   * and stored again only when the user types a new one. */
  char                 *stored_kommo_token;
  char                 *stored_openai_key;
  char                 *stored_admin_key;
  gboolean              keyring_unavailable;
  guint                 n_lookups;  /* keyring lookups not answered yet */
  gboolean              name_edited;
  gboolean              filling_name;
  gboolean              filling_models;
  gboolean              saving;
  GtkStringList        *models;

  GtkWidget            *content_box;
  AdwWindowTitle       *window_title;
  GtkWidget            *cancel_button;
  GtkWidget            *back_button;
  GtkWidget            *next_button;
  GtkWidget            *finish_button;
  GtkRevealer          *keyring_revealer;
  GtkLabel             *keyring_label;
  GtkStack             *stack;

  AdwEntryRow          *subdomain_row;
  GtkLabel             *subdomain_hint;
  AdwEntryRow          *kommo_token_row;
  GtkLabel             *kommo_token_hint;
  AdwEntryRow          *kommo_base_url_row;
  GtkLabel             *kommo_base_url_hint;
  AdwExpanderRow       *kommo_advanced_row;
  GtkWidget            *test_kommo_button;
  BgptWizardCheckView  *kommo_view;

  AdwEntryRow          *openai_key_row;
  GtkLabel             *openai_key_hint;
  AdwEntryRow          *openai_base_url_row;
  GtkLabel             *openai_base_url_hint;
  AdwExpanderRow       *openai_advanced_row;
  GtkWidget            *test_openai_button;
  BgptWizardCheckView  *openai_view;

  AdwEntryRow          *assistant_row;
  AdwEntryRow          *model_row;
  GtkWidget            *models_row;
  GtkDropDown          *models_dropdown;
  GtkLabel             *assistant_hint;
  GtkWidget            *shutdown_group;
  GtkWidget            *test_assistant_button;
  BgptWizardCheckView  *assistant_view;
  BgptWizardCheckView  *model_view;

  BgptSpendingPage     *spending_page;

  GtkWidget            *interval_spin;
  GtkAdjustment        *interval_adjustment;
  AdwActionRow         *deep_row;
  GtkSwitch            *deep_switch;
  GtkSwitch            *notifications_switch;
  GtkSwitch            *background_switch;
  GtkSwitch            *login_switch;

  AdwEntryRow          *name_row;
  AdwActionRow         *summary_kommo_row;
  AdwActionRow         *summary_openai_row;
  AdwActionRow         *summary_assistant_row;
  BgptWizardCheckView  *summary_kommo_view;
  BgptWizardCheckView  *summary_openai_view;
  BgptWizardCheckView  *summary_assistant_view;
  BgptWizardCheckView  *summary_model_view;
  AdwActionRow         *summary_spending_row;
  GtkLabel             *save_error_label;
  GtkWidget            *saving_box;
};

/* bgpt-setup-wizard.c */

/* What the fields say, with the stored secrets where none was typed. */
BgptCheckConfig *_bgpt_setup_wizard_build_config       (BgptSetupWizard    *self);
/* Fills the account name field; not counted as the user's edit. */
void             _bgpt_setup_wizard_set_name           (BgptSetupWizard    *self,
                                                        const char         *name);

/* bgpt-setup-wizard-checks.c */

/* The wizard.test-* actions. */
void             _bgpt_setup_wizard_class_init_checks  (GtkWidgetClass     *widget_class);
/* The summary's checks, all at once. */
void             _bgpt_setup_wizard_check_all          (BgptSetupWizard    *self);
/* The models the key may use, for the model field's list (NULL: none). */
void             _bgpt_setup_wizard_fill_models        (BgptSetupWizard    *self,
                                                        const char * const *model_ids);

G_END_DECLS
