/* test-setup-wizard.c: the account setup wizard in a real window under
 * Xvfb, with the checks going over loopback to the in-process simulator
 * and the secrets to a real gnome-keyring (run by keyring-session.sh).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <signal.h>
#include <string.h>
#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "bgpt-account-store.h"
#include "bgpt-catalog.h"
#include "bgpt-i18n.h"
#include "bgpt-resources.h"
#include "bgpt-secret-store.h"
#include "ui/bgpt-setup-wizard.h"
#include "ui/bgpt-spending-page.h"
#include "bgpt-simulator.h"
#include "ui/bgpt-wizard-check-view.h"
#include "bgpt-test-utils.h"
#include "bgpt-test-widgets.h"

#define WIZARD_OPENAI_KEY   "sk-proj-bgptLEAKCHECKwizard7e1c4a9f2b5d"
#define WIZARD_OPENAI_KEY_2 "sk-proj-bgptLEAKCHECKwizardnew3b8d1f6a"
#define WIZARD_KOMMO_TOKEN  "eyJbgptLEAKCHECKwizardkommo.4a7c.e91b"
#define WIZARD_ADMIN_KEY    "sk-admin-bgptLEAKCHECKwizardadmin5c2e8a"
#define WIZARD_ADMIN_KEY_2  "sk-admin-bgptLEAKCHECKwizardadmin2new9d"

static gboolean no_keyring;

typedef struct
{
  BgptSimulator    *simulator;
  BgptAccountStore *accounts;
  BgptSecretStore  *secrets;
  BgptSetupWizard  *wizard;
  char             *finished_id;
} Fixture;

/* Waiting */

/* Whether @condition came to hold within the tests' one bound. */
#define wait_for(fixture, condition) \
  bgpt_test_wait_until ((BgptTestCondition) (condition), (fixture))

/* Template children */

static GtkWidget *
child (Fixture    *fixture,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (fixture->wizard), BGPT_TYPE_SETUP_WIZARD, name);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

static BgptWizardCheckView *
view (Fixture    *fixture,
      const char *name)
{
  return BGPT_WIZARD_CHECK_VIEW (child (fixture, name));
}

static void
type_into (Fixture    *fixture,
           const char *row,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (fixture, row)), text);
}

static gboolean
is_enabled (Fixture    *fixture,
            const char *button)
{
  GtkWidget *widget = child (fixture, button);

  return gtk_widget_get_visible (widget) && gtk_widget_is_sensitive (widget);
}

static void
click (Fixture    *fixture,
       const char *button)
{
  g_assert_true (is_enabled (fixture, button));
  g_signal_emit_by_name (child (fixture, button), "clicked");
}

static void
assert_step (Fixture    *fixture,
             const char *step)
{
  g_assert_cmpstr (bgpt_setup_wizard_get_step (fixture->wizard), ==, step);
}

static gboolean
views_settled (Fixture            *fixture,
               const char * const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (bgpt_wizard_check_view_get_state (view (fixture, names[i])) == BGPT_WIZARD_CHECK_RUNNING)
      return FALSE;
  return TRUE;
}

static gboolean
kommo_settled (Fixture *fixture)
{
  static const char * const names[] = { "kommo_view", NULL };

  return views_settled (fixture, names);
}

static gboolean
openai_settled (Fixture *fixture)
{
  static const char * const names[] = { "openai_view", NULL };

  return views_settled (fixture, names);
}

static gboolean
assistant_settled (Fixture *fixture)
{
  static const char * const names[] = { "assistant_view", "model_view", NULL };

  return views_settled (fixture, names);
}

static gboolean
summary_settled (Fixture *fixture)
{
  static const char * const names[] = {
    "summary_kommo_view", "summary_openai_view", "summary_assistant_view", "summary_model_view", NULL
  };

  return views_settled (fixture, names);
}

static gboolean
wizard_gone (Fixture *fixture)
{
  return fixture->wizard == NULL;
}

static gboolean
finished (Fixture *fixture)
{
  return fixture->finished_id != NULL;
}

static void
assert_view (Fixture              *fixture,
             const char           *name,
             BgptWizardCheckState  state)
{
  g_assert_cmpint (bgpt_wizard_check_view_get_state (view (fixture, name)), ==, state);
}

/* Keyring and settings */

/* Clicks @button, a step's Test, and waits until @settled holds. */
static void
click_and_wait (Fixture    *fixture,
                const char *button,
                gboolean  (*settled) (Fixture *fixture))
{
  click (fixture, button);
  g_assert_true (wait_for (fixture, settled));
}

/* Every secret of the schema, whatever the account (a search needs an
 * attribute, so it asks for each account id a test uses). */
static guint
count_stored_secrets (void)
{
  const char *ids[] = { "default", "account-2", "account-3", NULL };
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GError) service_error = NULL;
  guint n_items = 0;

  /* secret_service_search_sync(), not secret_password_search_sync(): in
   * libsecret 0.20.5 the latter leaks a few bytes inside each item it loads
   * (LeakSanitizer: GIO allocations under secret_item_new_for_dbus_path(),
   * with every returned item freed), the former does not. */
  service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &service_error);
  g_assert_no_error (service_error);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GError) error = NULL;
      GList *items;

      g_hash_table_insert (attributes, (gpointer) "account", (gpointer) ids[i]);
      items = secret_service_search_sync (service, bgpt_secret_store_get_schema (), attributes,
                                          SECRET_SEARCH_ALL, NULL, &error);
      g_assert_no_error (error);
      n_items += g_list_length (items);
      g_list_free_full (items, g_object_unref);
    }
  return n_items;
}

static void
clear_keyring (void)
{
  const char *ids[] = { "default", "account-2", NULL };

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      secret_password_clear_sync (bgpt_secret_store_get_schema (), NULL, &error, "account", ids[i], NULL);
      g_assert_no_error (error);
    }
}

static void
reset_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BGPT_SETTINGS_SCHEMA_ID);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;
  const char *ids[] = { "default", "account-2", NULL };

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(BgptAccount) account = bgpt_account_new (ids[i]);

      bgpt_account_reset (account);
    }
  g_settings_sync ();
}

static void
assert_nothing_stored (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BGPT_SETTINGS_SCHEMA_ID);
  g_autoptr(BgptAccount) account = bgpt_account_new ("default");
  g_auto(GStrv) accounts = g_settings_get_strv (settings, "accounts");
  g_autofree char *subdomain = bgpt_account_dup_kommo_subdomain (account);
  g_autofree char *model = bgpt_account_dup_model (account);

  g_assert_cmpuint (g_strv_length (accounts), ==, 0);
  g_assert_cmpstr (subdomain, ==, "");
  g_assert_cmpstr (model, ==, "");
  g_assert_cmpfloat (g_settings_get_double (bgpt_account_get_settings (account), "monthly-budget-usd"), ==, 0);
  g_assert_cmpuint (g_settings_get_uint (settings, "check-interval"), ==, 300);
  g_assert_false (g_settings_get_boolean (settings, "deep-check"));
  g_assert_false (g_settings_get_boolean (settings, "start-at-login"));
  if (!no_keyring)
    g_assert_cmpuint (count_stored_secrets (), ==, 0);
}

static void
assert_account (BgptAccount  *account,
                char        *(*getter) (BgptAccount *),
                const char   *expected)
{
  g_autofree char *value = getter (account);

  g_assert_cmpstr (value, ==, expected);
}

/* Fixture */

static void
on_finished (BgptSetupWizard *wizard,
             const char      *account_id,
             Fixture         *fixture)
{
  g_assert_null (fixture->finished_id);
  fixture->finished_id = g_strdup (account_id);
}

static void
present_wizard (Fixture    *fixture,
                const char *account_id)
{
  fixture->wizard = bgpt_setup_wizard_new (fixture->accounts, fixture->secrets, account_id);
  g_object_add_weak_pointer (G_OBJECT (fixture->wizard), (gpointer *) &fixture->wizard);
  g_signal_connect (fixture->wizard, "finished", G_CALLBACK (on_finished), fixture);
  gtk_window_present (GTK_WINDOW (fixture->wizard));
}

static gboolean
keyring_answered (Fixture *fixture)
{
  return !bgpt_setup_wizard_is_looking_up (fixture->wizard);
}

/* The wizard, once the keyring has answered what it asks on opening: what
 * a test then sees of the keyring (a banner or none) is what it will show. */
static void
open_wizard (Fixture    *fixture,
             const char *account_id)
{
  present_wizard (fixture, account_id);
  g_assert_true (wait_for (fixture, keyring_answered));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  reset_settings ();
  if (!no_keyring)
    clear_keyring ();

  fixture->simulator = bgpt_simulator_new (&error);
  g_assert_no_error (error);
  fixture->accounts = bgpt_account_store_new ();
  fixture->secrets = bgpt_secret_store_new ();
  bgpt_secret_store_set_timeout (fixture->secrets, bgpt_test_wait_bound_ms () / 1000);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->wizard != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->wizard));
  /* Nothing may keep the wizard alive once it is closed: no check, no
   * keyring call still running. */
  g_assert_true (wait_for (fixture, wizard_gone));

  g_clear_object (&fixture->accounts);
  g_clear_object (&fixture->secrets);
  g_clear_object (&fixture->simulator);
  g_clear_pointer (&fixture->finished_id, g_free);
  reset_settings ();
}

/* The steps, as a user walks them */

static void
fill_kommo (Fixture    *fixture,
            const char *subdomain)
{
  type_into (fixture, "subdomain_row", subdomain);
  type_into (fixture, "kommo_token_row", WIZARD_KOMMO_TOKEN);
  type_into (fixture, "kommo_base_url_row", bgpt_simulator_get_base_url (fixture->simulator));
}

static void
fill_openai (Fixture    *fixture,
             const char *key)
{
  g_autofree char *openai_url = bgpt_simulator_dup_openai_base_url (fixture->simulator);

  type_into (fixture, "openai_key_row", key);
  type_into (fixture, "openai_base_url_row", openai_url);
}

/* "Acompanhar gastos" */

static BgptSpendingPage *
spending_page (Fixture *fixture)
{
  return BGPT_SPENDING_PAGE (child (fixture, "spending_page"));
}

static GtkEditable *
admin_key_row (Fixture *fixture)
{
  GtkWidget *row = bgpt_test_find_widget (child (fixture, "spending_page"), bgpt_test_is_of_type,
                                          GSIZE_TO_POINTER (ADW_TYPE_PASSWORD_ENTRY_ROW));

  g_assert_nonnull (row);
  return GTK_EDITABLE (row);
}

typedef struct
{
  guint index;
  guint seen;
} NthSpin;

static gboolean
is_nth_spin (GtkWidget     *widget,
             gconstpointer  data)
{
  NthSpin *nth = (NthSpin *) data;

  return GTK_IS_SPIN_BUTTON (widget) && nth->seen++ == nth->index;
}

/* The page's spin buttons, in order: budget, warning, critical. */
static GtkSpinButton *
spending_spin (Fixture *fixture,
               guint    index)
{
  NthSpin nth = { index, 0 };
  GtkWidget *spin = bgpt_test_find_widget (child (fixture, "spending_page"), is_nth_spin, &nth);

  g_assert_nonnull (spin);
  return GTK_SPIN_BUTTON (spin);
}

static GtkWidget *
spending_button (Fixture    *fixture,
                 const char *label)
{
  GtkWidget *button = bgpt_test_find_widget (child (fixture, "spending_page"), bgpt_test_is_button_labelled, label);

  g_assert_nonnull (button);
  return button;
}

static void
fill_spending (Fixture    *fixture,
               const char *admin_key,
               double      budget,
               guint       warning)
{
  gtk_editable_set_text (admin_key_row (fixture), admin_key);
  gtk_spin_button_set_value (spending_spin (fixture, 0), budget);
  gtk_spin_button_set_value (spending_spin (fixture, 1), warning);
}

static gboolean
stack_settled (Fixture *fixture)
{
  return !gtk_stack_get_transition_running (GTK_STACK (child (fixture, "stack")));
}

/* The step as it looks, light and dark, full width and 360 px wide, when
 * BGPT_SHOTS_DIR is set. */
static void
save_spending_shots (Fixture    *fixture,
                     const char *name)
{
  static const struct { const char *suffix; gboolean dark; int width; } looks[] = {
    { "", FALSE, 600 }, { "-dark", TRUE, 600 }, { "-narrow", FALSE, 360 }, { "-narrow-dark", TRUE, 360 },
  };

  if (g_getenv ("BGPT_SHOTS_DIR") == NULL)
    return;
  /* The step, not the slide to it. */
  g_assert_true (wait_for (fixture, stack_settled));

  for (guint i = 0; i < G_N_ELEMENTS (looks); i++)
    {
      g_autofree char *file = g_strconcat (name, looks[i].suffix, ".png", NULL);

      bgpt_test_save_shot (GTK_WIDGET (fixture->wizard), file, looks[i].dark, looks[i].width, 1000);
    }
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

/* The live test of the admin key answered. */
static gboolean
spending_settled (Fixture *fixture)
{
  return !bgpt_spending_page_is_testing (spending_page (fixture));
}

static gboolean
spending_left (Fixture *fixture)
{
  return g_strcmp0 (bgpt_setup_wizard_get_step (fixture->wizard), "spending") != 0;
}

static void
assert_spending_settings (const char *account_id,
                          double      budget,
                          guint       warning,
                          guint       critical)
{
  g_autoptr(BgptAccount) account = bgpt_account_new (account_id);
  g_autoptr(GVariant) thresholds = g_settings_get_value (bgpt_account_get_settings (account), "budget-thresholds");
  const guint32 *percents;
  gsize n = 0;

  g_assert_cmpfloat (g_settings_get_double (bgpt_account_get_settings (account), "monthly-budget-usd"), ==, budget);
  percents = g_variant_get_fixed_array (thresholds, &n, sizeof (guint32));
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (percents[0], ==, warning);
  g_assert_cmpuint (percents[1], ==, critical);
}

/* Tests */

/* Finish, for the account "default": the wizard reports it, closes, and the
 * keyring holds exactly @token and @key, nothing else. */
static void
finish_storing_default_with_admin_key (Fixture    *fixture,
                                      const char *token,
                                      const char *key,
                                      const char *admin_key)
{
  g_autofree char *stored_token = NULL;
  g_autofree char *stored_key = NULL;
  g_autofree char *stored_admin_key = NULL;

  click (fixture, "finish_button");
  g_assert_true (wait_for (fixture, finished));
  g_assert_cmpstr (fixture->finished_id, ==, "default");
  g_assert_true (wait_for (fixture, wizard_gone));

  stored_token = bgpt_test_keyring_peek ("default", "kommo-token");
  stored_key = bgpt_test_keyring_peek ("default", "openai-api-key");
  stored_admin_key = bgpt_test_keyring_peek ("default", "openai-admin-key");
  g_assert_cmpstr (stored_token, ==, token);
  g_assert_cmpstr (stored_key, ==, key);
  g_assert_true (g_strcmp0 (stored_admin_key, admin_key) == 0);
  g_assert_cmpuint (count_stored_secrets (), ==, admin_key != NULL ? 3 : 2);
}

static void
finish_storing_default (Fixture    *fixture,
                        const char *token,
                        const char *key)
{
  finish_storing_default_with_admin_key (fixture, token, key, NULL);
}

static void
test_happy_path (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(BgptAccount) account = NULL;
  g_auto(GStrv) accounts = NULL;
  g_autofree char *openai_url = bgpt_simulator_dup_openai_base_url (fixture->simulator);
  GtkDropDown *models;

  open_wizard (fixture, NULL);
  g_assert_true (bgpt_setup_wizard_is_new_account (fixture->wizard));
  g_assert_cmpstr (bgpt_setup_wizard_get_account_id (fixture->wizard), ==, "default");
  assert_step (fixture, "welcome");
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (child (fixture, "keyring_revealer"))));

  /* Kommo: a pasted address is normalised, the test names the account. */
  click (fixture, "next_button");
  assert_step (fixture, "kommo");
  g_assert_false (is_enabled (fixture, "next_button"));
  g_assert_false (is_enabled (fixture, "test_kommo_button"));
  fill_kommo (fixture, "https://MinhaEmpresa.kommo.com/leads/pipeline/1");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (fixture, "subdomain_hint"))), ==,
                   "Conta do Kommo: minhaempresa.kommo.com");
  click (fixture, "test_kommo_button");
  assert_view (fixture, "kommo_view", BGPT_WIZARD_CHECK_RUNNING);
  g_assert_true (wait_for (fixture, kommo_settled));
  assert_view (fixture, "kommo_view", BGPT_WIZARD_CHECK_OK);
  g_assert_cmpstr (bgpt_wizard_check_view_get_title (view (fixture, "kommo_view")), ==,
                   "Conectado à conta do Kommo “Acme Atendimento”");
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, "kommo.account"), ==, 1);
  g_assert_true (bgpt_simulator_get_request (fixture->simulator, 0)->has_authorization);
  click (fixture, "next_button");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (fixture, "subdomain_row"))), ==, "minhaempresa");

  /* OpenAI: the key is trimmed, the test offers the key's models. */
  assert_step (fixture, "openai");
  g_assert_false (is_enabled (fixture, "next_button"));
  fill_openai (fixture, "  " WIZARD_OPENAI_KEY "\n");
  click_and_wait (fixture, "test_openai_button", openai_settled);
  assert_view (fixture, "openai_view", BGPT_WIZARD_CHECK_OK);
  g_assert_true (gtk_widget_get_visible (child (fixture, "models_row")));
  models = GTK_DROP_DOWN (child (fixture, "models_dropdown"));
  /* "Choose…" first, then the simulator's five models. */
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (models)), ==, 6);
  click (fixture, "next_button");

  /* Assistant: a model picked from the list, checked together with the ID. */
  assert_step (fixture, "assistant");
  g_assert_false (is_enabled (fixture, "next_button"));
  type_into (fixture, "assistant_row", "asst_abc123DEF456ghi789");
  gtk_drop_down_set_selected (models, 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (fixture, "model_row"))), ==, "gpt-4.1-mini");
  g_assert_cmpuint (gtk_drop_down_get_selected (models), ==, 0);
  click_and_wait (fixture, "test_assistant_button", assistant_settled);
  assert_view (fixture, "assistant_view", BGPT_WIZARD_CHECK_OK);
  assert_view (fixture, "model_view", BGPT_WIZARD_CHECK_OK);
  g_assert_false (gtk_widget_get_visible (child (fixture, "shutdown_group")));
  click (fixture, "next_button");

  /* Track spending: an admin key, tested live before the wizard moves on,
   * and a budget with its thresholds. */
  assert_step (fixture, "spending");
  g_assert_true (bgpt_test_has_label_containing (child (fixture, "spending_page"), "pode gerenciar toda a organização"));
  g_assert_true (bgpt_test_has_label_containing (child (fixture, "spending_page"), "só lê os gastos"));
  save_spending_shots (fixture, "wizard-spending-empty");
  fill_spending (fixture, WIZARD_ADMIN_KEY, 500, 70);
  save_spending_shots (fixture, "wizard-spending");
  click (fixture, "next_button");
  g_assert_true (wait_for (fixture, spending_left));
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, "openai.costs"), ==, 1);

  /* Monitoring: every 10 minutes, with the deep check. */
  assert_step (fixture, "monitoring");
  gtk_adjustment_set_value (GTK_ADJUSTMENT (gtk_widget_get_template_child (GTK_WIDGET (fixture->wizard),
                                                                           BGPT_TYPE_SETUP_WIZARD,
                                                                           "interval_adjustment")), 10);
  gtk_switch_set_active (GTK_SWITCH (child (fixture, "deep_switch")), TRUE);
  gtk_switch_set_active (GTK_SWITCH (child (fixture, "notifications_switch")), FALSE);
  gtk_switch_set_active (GTK_SWITCH (child (fixture, "login_switch")), TRUE);
  click (fixture, "next_button");

  /* Summary: every check again, then Finish. */
  assert_step (fixture, "summary");
  g_assert_true (wait_for (fixture, summary_settled));
  assert_view (fixture, "summary_kommo_view", BGPT_WIZARD_CHECK_OK);
  assert_view (fixture, "summary_openai_view", BGPT_WIZARD_CHECK_OK);
  assert_view (fixture, "summary_assistant_view", BGPT_WIZARD_CHECK_OK);
  assert_view (fixture, "summary_model_view", BGPT_WIZARD_CHECK_OK);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (fixture, "name_row"))), ==, "Acme Atendimento");
  /* Nothing is stored before Finish. */
  assert_nothing_stored ();

  g_assert_true (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (child (fixture, "summary_spending_row"))),
                         "nova chave de administrador, testada") != NULL);

  /* Exactly the three secrets, trimmed, under the documented attributes. */
  finish_storing_default_with_admin_key (fixture, WIZARD_KOMMO_TOKEN, WIZARD_OPENAI_KEY, WIZARD_ADMIN_KEY);
  assert_spending_settings ("default", 500, 70, 100);

  settings = g_settings_new (BGPT_SETTINGS_SCHEMA_ID);
  accounts = g_settings_get_strv (settings, "accounts");
  g_assert_cmpuint (g_strv_length (accounts), ==, 1);
  g_assert_cmpstr (accounts[0], ==, "default");
  g_assert_cmpuint (g_settings_get_uint (settings, "check-interval"), ==, 600);
  g_assert_true (g_settings_get_boolean (settings, "deep-check"));
  g_assert_false (g_settings_get_boolean (settings, "notifications"));
  g_assert_true (g_settings_get_boolean (settings, "start-at-login"));

  account = bgpt_account_new ("default");
  assert_account (account, bgpt_account_dup_kommo_subdomain, "minhaempresa");
  assert_account (account, bgpt_account_dup_kommo_base_url, bgpt_simulator_get_base_url (fixture->simulator));
  assert_account (account, bgpt_account_dup_openai_base_url, openai_url);
  assert_account (account, bgpt_account_dup_assistant_id, "asst_abc123DEF456ghi789");
  assert_account (account, bgpt_account_dup_model, "gpt-4.1-mini");
  assert_account (account, bgpt_account_dup_display_name, "Acme Atendimento");
}

/* Walks to @step, filling each step on the way; the monitoring step
 * changes settings, so that a cancel after it has something to drop. */
static void
walk_to (Fixture    *fixture,
         const char *step)
{
  static const char * const order[] = {
    "welcome", "kommo", "openai", "assistant", "spending", "monitoring", "summary"
  };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      assert_step (fixture, order[i]);
      if (g_str_equal (order[i], "kommo"))
        fill_kommo (fixture, "minhaempresa");
      else if (g_str_equal (order[i], "openai"))
        fill_openai (fixture, WIZARD_OPENAI_KEY);
      else if (g_str_equal (order[i], "assistant"))
        type_into (fixture, "model_row", "gpt-4.1-mini");
      else if (g_str_equal (order[i], "monitoring"))
        {
          gtk_switch_set_active (GTK_SWITCH (child (fixture, "deep_switch")), TRUE);
          gtk_switch_set_active (GTK_SWITCH (child (fixture, "login_switch")), TRUE);
          gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (fixture, "interval_spin")), 15);
        }

      if (g_str_equal (order[i], step))
        return;
      click (fixture, "next_button");
    }
}

/* From the assistant step past the spending and monitoring steps as they
 * are, to the summary, once its checks have answered. */
static void
walk_to_summary_from_assistant (Fixture *fixture)
{
  click (fixture, "next_button");
  assert_step (fixture, "spending");
  click (fixture, "next_button");
  click (fixture, "next_button");
  assert_step (fixture, "summary");
  g_assert_true (wait_for (fixture, summary_settled));
}

static void
cancel_with_button (Fixture *fixture)
{
  click (fixture, "cancel_button");
  g_assert_true (wait_for (fixture, wizard_gone));
  g_assert_null (fixture->finished_id);
  assert_nothing_stored ();
}

static void
test_cancel_at_step (Fixture       *fixture,
                     gconstpointer  data)
{
  const char *step = data;

  open_wizard (fixture, NULL);
  walk_to (fixture, step);
  if (g_str_equal (step, "summary"))
    g_assert_true (wait_for (fixture, summary_settled));
  cancel_with_button (fixture);
}

static gboolean
kommo_request_received (Fixture *fixture)
{
  return bgpt_simulator_count_requests (fixture->simulator, "kommo.account") > 0;
}

static void
test_cancel_during_kommo_test (Fixture       *fixture,
                               gconstpointer  data)
{
  /* Longer than any wait: only a cancelled request lets the wizard go. */
  bgpt_simulator_set_delay (fixture->simulator, "kommo.account", 600 * 1000);

  open_wizard (fixture, NULL);
  walk_to (fixture, "kommo");
  click (fixture, "test_kommo_button");
  assert_view (fixture, "kommo_view", BGPT_WIZARD_CHECK_RUNNING);
  /* Cancelled only once the simulator holds the request, however slow the
   * build: cancelling before it was sent proves nothing. */
  g_assert_true (wait_for (fixture, kommo_request_received));
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, "kommo.account"), ==, 1);

  /* Closing the window, like the title bar's button or Escape. */
  gtk_window_close (GTK_WINDOW (fixture->wizard));
  g_assert_true (wait_for (fixture, wizard_gone));
  assert_nothing_stored ();
}

static void
test_cancel_during_summary (Fixture       *fixture,
                            gconstpointer  data)
{
  bgpt_simulator_set_delay (fixture->simulator, NULL, 600 * 1000);

  open_wizard (fixture, NULL);
  walk_to (fixture, "summary");
  assert_view (fixture, "summary_kommo_view", BGPT_WIZARD_CHECK_RUNNING);
  assert_view (fixture, "summary_openai_view", BGPT_WIZARD_CHECK_RUNNING);
  assert_view (fixture, "summary_model_view", BGPT_WIZARD_CHECK_RUNNING);
  assert_view (fixture, "summary_assistant_view", BGPT_WIZARD_CHECK_SKIPPED);
  g_assert_true (is_enabled (fixture, "finish_button"));
  cancel_with_button (fixture);
}

/* Types @text into @row; Next is then enabled or not, as @open says. */
static void
type_and_expect_next (Fixture    *fixture,
                      const char *row,
                      const char *text,
                      gboolean    open)
{
  type_into (fixture, row, text);
  g_assert_cmpint (is_enabled (fixture, "next_button"), ==, open);
}

static void
assert_next_blocked (Fixture    *fixture,
                     const char *row,
                     const char *text)
{
  type_into (fixture, row, text);
  g_assert_false (is_enabled (fixture, "next_button"));
  g_assert_true (gtk_widget_has_css_class (child (fixture, row), "error"));
}

static void
test_invalid_inputs (Fixture       *fixture,
                     gconstpointer  data)
{
  open_wizard (fixture, NULL);
  click (fixture, "next_button");

  /* Kommo: each field on its own keeps the step closed. */
  fill_kommo (fixture, "minhaempresa");
  g_assert_true (is_enabled (fixture, "next_button"));
  assert_next_blocked (fixture, "subdomain_row", "minha empresa!");
  g_assert_true (gtk_widget_has_css_class (child (fixture, "subdomain_hint"), "error"));
  g_assert_false (is_enabled (fixture, "test_kommo_button"));
  assert_next_blocked (fixture, "subdomain_row", "https://-x-.kommo.com");
  type_and_expect_next (fixture, "subdomain_row", "minhaempresa", TRUE);
  assert_next_blocked (fixture, "kommo_token_row", "token com espaço");
  assert_next_blocked (fixture, "kommo_token_row", "abc\001def");
  type_and_expect_next (fixture, "kommo_token_row", "", FALSE);
  type_into (fixture, "kommo_token_row", WIZARD_KOMMO_TOKEN);
  /* Plain http only to loopback: a key must not cross the network in clear. */
  assert_next_blocked (fixture, "kommo_base_url_row", "http://kommo.example.com");
  assert_next_blocked (fixture, "kommo_base_url_row", "ftp://127.0.0.1");
  /* Allowed to loopback, with a warning: the token would go in clear. */
  type_and_expect_next (fixture, "kommo_base_url_row", "http://127.0.0.1:8080", TRUE);
  g_assert_true (gtk_widget_get_visible (child (fixture, "kommo_base_url_hint")));
  g_assert_true (gtk_widget_has_css_class (child (fixture, "kommo_base_url_hint"), "warning"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (child (fixture, "kommo_base_url_hint"))),
                            "Sem criptografia"));
  type_into (fixture, "kommo_base_url_row", "");
  g_assert_false (gtk_widget_get_visible (child (fixture, "kommo_base_url_hint")));
  g_assert_true (is_enabled (fixture, "next_button"));
  click (fixture, "next_button");

  /* OpenAI */
  g_assert_false (is_enabled (fixture, "next_button"));
  g_assert_false (is_enabled (fixture, "test_openai_button"));
  assert_next_blocked (fixture, "openai_key_row", "sk-proj abc");
  assert_next_blocked (fixture, "openai_key_row", "sk-\303\251");
  type_into (fixture, "openai_key_row", WIZARD_OPENAI_KEY);
  assert_next_blocked (fixture, "openai_base_url_row", "api.openai.com/v1");
  type_and_expect_next (fixture, "openai_base_url_row", "https://proxy.example.com/v1", TRUE);
  click (fixture, "next_button");

  /* Assistant: one of the two, each well-formed. */
  g_assert_false (is_enabled (fixture, "next_button"));
  g_assert_false (is_enabled (fixture, "test_assistant_button"));
  assert_next_blocked (fixture, "assistant_row", "asst-abc");
  assert_next_blocked (fixture, "assistant_row", "abc123");
  type_and_expect_next (fixture, "assistant_row", "asst_abc123DEF456ghi789", TRUE);
  assert_next_blocked (fixture, "model_row", "gpt 4");
  type_and_expect_next (fixture, "model_row", "gpt-4o", TRUE);
  type_and_expect_next (fixture, "assistant_row", "", TRUE);
  type_and_expect_next (fixture, "model_row", "", FALSE);

  /* No request was ever made for a refused input. */
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, NULL), ==, 0);
}

/* Whether a label under @widget contains @text. */
static void
test_failed_checks (Fixture       *fixture,
                    gconstpointer  data)
{
  const BgptCatalogEntry *not_found = bgpt_catalog_lookup ("kommo.not-found");

  bgpt_simulator_set_scenario (fixture->simulator, "kommo.account", BGPT_SCENARIO_NOT_FOUND);
  bgpt_simulator_set_scenario (fixture->simulator, "openai.key", BGPT_SCENARIO_INVALID_KEY);
  bgpt_simulator_set_scenario (fixture->simulator, "openai.assistant", BGPT_SCENARIO_ASSISTANTS_SHUT_DOWN);

  open_wizard (fixture, NULL);
  walk_to (fixture, "kommo");
  click_and_wait (fixture, "test_kommo_button", kommo_settled);
  assert_view (fixture, "kommo_view", BGPT_WIZARD_CHECK_FAILED);
  /* The catalog's title, in pt_BR (not the English msgid). */
  g_assert_cmpstr (bgpt_wizard_check_view_get_title (view (fixture, "kommo_view")), ==,
                   bgpt_catalog_entry_title (not_found));
  g_assert_cmpstr (bgpt_catalog_entry_title (not_found), !=, not_found->title);
  /* The user's settings are wrong, and nothing says otherwise. */
  g_assert_false (bgpt_test_has_label_containing (GTK_WIDGET (view (fixture, "kommo_view")), "do lado do Kommo"));
  /* Kommo failing on its side is not the user's mistake: the catalog says so. */
  bgpt_simulator_set_scenario (fixture->simulator, "kommo.account", BGPT_SCENARIO_SERVER_ERROR);
  click_and_wait (fixture, "test_kommo_button", kommo_settled);
  g_assert_cmpstr (bgpt_wizard_check_view_get_diagnosis (view (fixture, "kommo_view"))->error_id, ==,
                   "kommo.unexpected");
  g_assert_true (bgpt_test_has_label_containing (GTK_WIDGET (view (fixture, "kommo_view")),
                                                 "O problema está do lado do Kommo"));
  bgpt_simulator_set_scenario (fixture->simulator, "kommo.account", BGPT_SCENARIO_NOT_FOUND);
  click_and_wait (fixture, "test_kommo_button", kommo_settled);
  /* A failed test does not hold the user back. */
  g_assert_true (is_enabled (fixture, "next_button"));
  click (fixture, "next_button");

  fill_openai (fixture, WIZARD_OPENAI_KEY);
  click_and_wait (fixture, "test_openai_button", openai_settled);
  assert_view (fixture, "openai_view", BGPT_WIZARD_CHECK_FAILED);
  /* The seed article's words, character for character. */
  g_assert_cmpstr (bgpt_wizard_check_view_get_title (view (fixture, "openai_view")), ==,
                   "Falha na Autenticação da API");
  g_assert_cmpstr (bgpt_wizard_check_view_get_diagnosis (view (fixture, "openai_view"))->error_id, ==,
                   "openai.auth");
  g_assert_false (gtk_widget_get_visible (child (fixture, "models_row")));
  click (fixture, "next_button");

  /* The Assistants API is gone: the wizard says so and lets a model do. */
  type_into (fixture, "assistant_row", "asst_abc123DEF456ghi789");
  bgpt_simulator_set_scenario (fixture->simulator, "openai.key", BGPT_SCENARIO_OK);
  click_and_wait (fixture, "test_assistant_button", assistant_settled);
  assert_view (fixture, "assistant_view", BGPT_WIZARD_CHECK_FAILED);
  g_assert_cmpstr (bgpt_wizard_check_view_get_title (view (fixture, "assistant_view")), ==,
                   "Assistant ID Inválido");
  g_assert_true (gtk_widget_get_visible (child (fixture, "shutdown_group")));
  type_into (fixture, "assistant_row", "");
  type_and_expect_next (fixture, "model_row", "gpt-4o", TRUE);

  /* The summary shows the failure that is left. */
  walk_to_summary_from_assistant (fixture);
  assert_view (fixture, "summary_kommo_view", BGPT_WIZARD_CHECK_FAILED);
  g_assert_cmpstr (bgpt_wizard_check_view_get_title (view (fixture, "summary_kommo_view")), ==,
                   bgpt_catalog_entry_title (not_found));
  assert_view (fixture, "summary_openai_view", BGPT_WIZARD_CHECK_OK);
  assert_view (fixture, "summary_assistant_view", BGPT_WIZARD_CHECK_SKIPPED);
  assert_view (fixture, "summary_model_view", BGPT_WIZARD_CHECK_OK);
  g_assert_true (is_enabled (fixture, "finish_button"));
}

/* The summary tests everything at once: with the key refused, the model
 * waits for the key instead of failing with the same title. */
static void
test_summary_refused_key (Fixture       *fixture,
                          gconstpointer  data)
{
  bgpt_simulator_set_scenario (fixture->simulator, "openai.key", BGPT_SCENARIO_INVALID_KEY);
  bgpt_simulator_set_scenario (fixture->simulator, "openai.model", BGPT_SCENARIO_INVALID_KEY);
  /* The model's refusal comes back first. */
  bgpt_simulator_set_delay (fixture->simulator, "openai.key", 300);

  open_wizard (fixture, NULL);
  walk_to (fixture, "summary");
  g_assert_true (wait_for (fixture, summary_settled));
  assert_view (fixture, "summary_kommo_view", BGPT_WIZARD_CHECK_OK);
  assert_view (fixture, "summary_openai_view", BGPT_WIZARD_CHECK_FAILED);
  g_assert_cmpstr (bgpt_wizard_check_view_get_title (view (fixture, "summary_openai_view")), ==,
                   "Falha na Autenticação da API");
  assert_view (fixture, "summary_model_view", BGPT_WIZARD_CHECK_SKIPPED);
  g_assert_cmpstr (bgpt_wizard_check_view_get_title (view (fixture, "summary_model_view")), ==,
                   "Aguardando a chave de API");
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, "openai.model"), ==, 1);
}

static void
store_secret (const char *kind,
              const char *secret)
{
  g_autoptr(GError) error = NULL;

  secret_password_store_sync (bgpt_secret_store_get_schema (), SECRET_COLLECTION_DEFAULT, "test", secret,
                              NULL, &error, "account", "default", "kind", kind, NULL);
  g_assert_no_error (error);
}

static gboolean
stored_secrets_loaded (Fixture *fixture)
{
  return gtk_widget_get_visible (child (fixture, "kommo_token_hint")) &&
         gtk_widget_get_visible (child (fixture, "openai_key_hint"));
}

/* "Loja Centro", stored as "default" with its token and key, for the
 * editor. */
static BgptAccount *
add_stored_account (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *openai_url = bgpt_simulator_dup_openai_base_url (fixture->simulator);
  BgptAccount *account;

  account = bgpt_account_store_add (fixture->accounts, "default", "Loja Centro", &error);
  g_assert_no_error (error);
  bgpt_account_set_kommo_subdomain (account, "lojacentro");
  bgpt_account_set_kommo_base_url (account, bgpt_simulator_get_base_url (fixture->simulator));
  bgpt_account_set_openai_base_url (account, openai_url);
  bgpt_account_set_model (account, "gpt-4o");
  store_secret ("kommo-token", WIZARD_KOMMO_TOKEN);
  store_secret ("openai-api-key", WIZARD_OPENAI_KEY);
  return account;
}

static void
test_edit_account (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (BGPT_SETTINGS_SCHEMA_ID);
  g_auto(GStrv) accounts = NULL;
  BgptAccount *account = add_stored_account (fixture);

  open_wizard (fixture, "default");
  g_assert_false (bgpt_setup_wizard_is_new_account (fixture->wizard));
  assert_step (fixture, "kommo");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (fixture, "subdomain_row"))), ==, "lojacentro");
  g_assert_true (wait_for (fixture, stored_secrets_loaded));
  /* The stored secrets are never shown, only said to be there. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (fixture, "kommo_token_row"))), ==, "");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (fixture, "kommo_token_hint"))), ==,
                   "Guardado no chaveiro. Digite um novo token só se quiser substituí-lo.");
  g_assert_true (is_enabled (fixture, "next_button"));

  /* The test uses the stored token. */
  click_and_wait (fixture, "test_kommo_button", kommo_settled);
  assert_view (fixture, "kommo_view", BGPT_WIZARD_CHECK_OK);
  click (fixture, "next_button");

  /* A new key replaces the stored one; the token stays. */
  type_into (fixture, "openai_key_row", WIZARD_OPENAI_KEY_2);
  click (fixture, "next_button");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (fixture, "model_row"))), ==, "gpt-4o");
  click (fixture, "next_button");
  assert_step (fixture, "spending");
  click (fixture, "next_button");
  click (fixture, "next_button");
  assert_step (fixture, "summary");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (fixture, "name_row"))), ==, "Loja Centro");
  g_assert_true (wait_for (fixture, summary_settled));
  assert_view (fixture, "summary_openai_view", BGPT_WIZARD_CHECK_OK);

  finish_storing_default (fixture, WIZARD_KOMMO_TOKEN, WIZARD_OPENAI_KEY_2);
  accounts = g_settings_get_strv (settings, "accounts");
  g_assert_cmpuint (g_strv_length (accounts), ==, 1);
  assert_account (account, bgpt_account_dup_display_name, "Loja Centro");
  assert_account (account, bgpt_account_dup_model, "gpt-4o");
}

static void
test_second_account (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *old_key = NULL;
  g_autoptr(GSettings) settings = g_settings_new (BGPT_SETTINGS_SCHEMA_ID);
  g_auto(GStrv) accounts = NULL;

  bgpt_account_store_add (fixture->accounts, "default", "Loja Centro", &error);
  g_assert_no_error (error);
  store_secret ("openai-api-key", WIZARD_OPENAI_KEY);

  open_wizard (fixture, NULL);
  g_assert_cmpstr (bgpt_setup_wizard_get_account_id (fixture->wizard), ==, "account-2");
  walk_to (fixture, "summary");
  /* Typed again on the way back: the last text counts. */
  fill_openai (fixture, WIZARD_OPENAI_KEY_2);
  click (fixture, "finish_button");
  g_assert_true (wait_for (fixture, finished));
  g_assert_cmpstr (fixture->finished_id, ==, "account-2");

  accounts = g_settings_get_strv (settings, "accounts");
  g_assert_cmpuint (g_strv_length (accounts), ==, 2);
  g_assert_cmpstr (accounts[1], ==, "account-2");
  old_key = bgpt_test_keyring_peek ("default", "openai-api-key");
  g_assert_cmpstr (old_key, ==, WIZARD_OPENAI_KEY);
  key = bgpt_test_keyring_peek ("account-2", "openai-api-key");
  g_assert_cmpstr (key, ==, WIZARD_OPENAI_KEY_2);
  g_assert_cmpuint (count_stored_secrets (), ==, 3);
}

static GtkWidget *
focused (Fixture *fixture)
{
  return gtk_root_get_focus (GTK_ROOT (fixture->wizard));
}

static gboolean
focus_is_in (Fixture    *fixture,
             const char *name)
{
  GtkWidget *focus = focused (fixture);

  return focus != NULL && gtk_widget_is_ancestor (focus, child (fixture, name));
}

/* Enter in the row's text, as the keyboard does it. */
static void
press_enter_in (Fixture    *fixture,
                const char *name)
{
  GtkWidget *focus = focused (fixture);

  g_assert_true (focus_is_in (fixture, name));
  g_assert_true (GTK_IS_TEXT (focus));
  g_signal_emit_by_name (focus, "activate");
}

static void
test_keyboard (Fixture       *fixture,
               gconstpointer  data)
{
  open_wizard (fixture, NULL);
  /* The wizard's focus widget, not X input focus: another test's window on
   * the same display may be the active one. */
  g_assert_true (focused (fixture) == child (fixture, "next_button"));
  click (fixture, "next_button");

  /* Each step puts the cursor in its first field; Enter moves on only
   * once the step is complete. */
  g_assert_true (focus_is_in (fixture, "subdomain_row"));
  press_enter_in (fixture, "subdomain_row");
  assert_step (fixture, "kommo");
  fill_kommo (fixture, "minhaempresa");
  press_enter_in (fixture, "subdomain_row");
  assert_step (fixture, "openai");
  g_assert_true (focus_is_in (fixture, "openai_key_row"));
  fill_openai (fixture, WIZARD_OPENAI_KEY);
  press_enter_in (fixture, "openai_key_row");
  assert_step (fixture, "assistant");
  g_assert_true (focus_is_in (fixture, "assistant_row"));
  press_enter_in (fixture, "assistant_row");
  assert_step (fixture, "assistant");
}

static gboolean
keyring_banner_shown (Fixture *fixture)
{
  return gtk_revealer_get_reveal_child (GTK_REVEALER (child (fixture, "keyring_revealer")));
}

static gboolean
save_error_shown (Fixture *fixture)
{
  return gtk_widget_get_visible (child (fixture, "save_error_label"));
}

static void
test_keyring_unavailable (Fixture       *fixture,
                          gconstpointer  data)
{
  const char *message;

  open_wizard (fixture, NULL);
  g_assert_true (wait_for (fixture, keyring_banner_shown));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (fixture, "keyring_label"))), ==,
                   "O chaveiro do sistema não está disponível, então a chave e o token não podem ser "
                   "guardados. Desbloqueie o chaveiro ou instale um, como o GNOME Keyring, e tente de novo. "
                   "Nada é salvo enquanto isso não funcionar.");

  walk_to (fixture, "summary");
  click (fixture, "finish_button");
  g_assert_true (wait_for (fixture, save_error_shown));
  message = gtk_label_get_text (GTK_LABEL (child (fixture, "save_error_label")));
  g_assert_true (g_str_has_prefix (message, "Nada foi salvo: o chaveiro do sistema não está disponível"));
  g_assert_null (strstr (message, "bgptLEAKCHECK"));

  /* Still open, nothing pretended: no account, no settings. */
  g_assert_nonnull (fixture->wizard);
  g_assert_null (fixture->finished_id);
  g_assert_true (is_enabled (fixture, "finish_button"));
  assert_nothing_stored ();
}

/* "Agora não": the typed key is dropped, nothing of it stored or sent. */
static void
test_spending_skipped (Fixture       *fixture,
                       gconstpointer  data)
{
  open_wizard (fixture, NULL);
  walk_to (fixture, "spending");
  gtk_editable_set_text (admin_key_row (fixture), WIZARD_ADMIN_KEY);
  g_signal_emit_by_name (spending_button (fixture, "_Agora não"), "clicked");
  assert_step (fixture, "monitoring");
  g_assert_cmpstr (gtk_editable_get_text (admin_key_row (fixture)), ==, "");
  click (fixture, "next_button");
  assert_step (fixture, "summary");
  g_assert_true (wait_for (fixture, summary_settled));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (child (fixture, "summary_spending_row"))), ==,
                   "não acompanhados: sem chave de administrador");

  finish_storing_default (fixture, WIZARD_KOMMO_TOKEN, WIZARD_OPENAI_KEY);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, "openai.costs"), ==, 0);
  assert_spending_settings ("default", 0, 80, 100);
}

/* A key that cannot be an admin key is refused as it is typed, without a
 * request; one OpenAI refuses is refused with the catalog's words, and
 * nothing at all is stored. */
static void
test_spending_refused (Fixture       *fixture,
                       gconstpointer  data)
{
  const char * const malformed[] = {
    "sk-proj-bgptLEAKCHECKwizardproject1a2b3c",   /* a project key */
    "sk-admin-bgptLEAKCHECK wizard",               /* a space */
    "sk-admin-bgptLEAKCHECKwizard\xc3\xa7\xc3\xa3o",     /* not ASCII */
    "admin-bgptLEAKCHECKwizard",                   /* no prefix */
  };
  g_autofree char *reason = NULL;

  open_wizard (fixture, NULL);
  walk_to (fixture, "spending");

  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      gtk_editable_set_text (admin_key_row (fixture), malformed[i]);
      g_assert_false (is_enabled (fixture, "next_button"));
      g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (admin_key_row (fixture)), "error"));
      gtk_widget_activate_action (GTK_WIDGET (fixture->wizard), "wizard.next", NULL);
      gtk_widget_activate_action (GTK_WIDGET (fixture->wizard), "wizard.finish", NULL);
      assert_step (fixture, "spending");
    }
  g_assert_true (bgpt_test_has_label_containing (child (fixture, "spending_page"), "começam com “sk-admin-”"));
  save_spending_shots (fixture, "wizard-spending-malformed");
  bgpt_test_run_for (100);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, "openai.costs"), ==, 0);

  /* An admin key the organization refuses (deleted, or without the scope). */
  bgpt_simulator_set_scenario (fixture->simulator, "openai.costs", BGPT_SCENARIO_ADMIN_KEY_REQUIRED);
  gtk_editable_set_text (admin_key_row (fixture), WIZARD_ADMIN_KEY);
  g_assert_true (is_enabled (fixture, "next_button"));
  click (fixture, "next_button");
  g_assert_true (wait_for (fixture, spending_settled));
  assert_step (fixture, "spending");
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, "openai.costs"), ==, 1);
  g_assert_cmpstr (gtk_editable_get_text (admin_key_row (fixture)), ==, "");
  reason = g_strdup_printf ("A chave não foi salva. %s: %s", bgpt_catalog_title (BGPT_DIAGNOSIS_OPENAI_AUTH),
                            bgpt_catalog_entry_cause_for (bgpt_catalog_lookup (BGPT_DIAGNOSIS_OPENAI_AUTH),
                                                          "admin_key_required"));
  g_assert_true (bgpt_test_has_label_containing (child (fixture, "spending_page"), reason));
  g_assert_nonnull (strstr (reason, "A OpenAI se recusou a mostrar os gastos"));
  save_spending_shots (fixture, "wizard-spending-refused");
  assert_nothing_stored ();

  /* Finishing anyway stores the rest, without the refused key. */
  bgpt_simulator_set_scenario (fixture->simulator, "openai.costs", BGPT_SCENARIO_OK);
  click (fixture, "next_button");
  assert_step (fixture, "monitoring");
  click (fixture, "next_button");
  g_assert_true (wait_for (fixture, summary_settled));
  finish_storing_default (fixture, WIZARD_KOMMO_TOKEN, WIZARD_OPENAI_KEY);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, "openai.costs"), ==, 1);
}

/* The row that says an admin key is stored is built with the page, hidden:
 * only showing it means the keyring has answered. */
static gboolean
stored_admin_key_shown (Fixture *fixture)
{
  GtkWidget *label = bgpt_test_find_widget (child (fixture, "spending_page"), bgpt_test_is_label_containing,
                                            "Chave de administrador guardada");

  return label != NULL && gtk_widget_is_visible (label);
}

/* Opens the editor of "default" at its spending step, once the stored
 * admin key is known. */
static void
edit_spending (Fixture *fixture)
{
  open_wizard (fixture, "default");
  g_assert_true (wait_for (fixture, stored_secrets_loaded));
  g_assert_true (wait_for (fixture, stored_admin_key_shown));
  click (fixture, "next_button");
  click (fixture, "next_button");
  click (fixture, "next_button");
  assert_step (fixture, "spending");
}

/* The account editor: the stored admin key is only said to be there; a new
 * one replaces it once tested, and it can be removed. */
static void
test_spending_edit (Fixture       *fixture,
                    gconstpointer  data)
{
  BgptAccount *account = add_stored_account (fixture);

  bgpt_account_set_spending (account, "", 200, 75, 100);
  store_secret ("openai-admin-key", WIZARD_ADMIN_KEY);

  /* Replacing: the new key is tested, then saved over the old one. */
  edit_spending (fixture);
  g_assert_cmpstr (gtk_editable_get_text (admin_key_row (fixture)), ==, "");
  g_assert_false (bgpt_test_has_label_containing (GTK_WIDGET (fixture->wizard), WIZARD_ADMIN_KEY));
  g_assert_cmpfloat (gtk_spin_button_get_value (spending_spin (fixture, 0)), ==, 200);
  g_assert_cmpfloat (gtk_spin_button_get_value (spending_spin (fixture, 1)), ==, 75);
  save_spending_shots (fixture, "wizard-spending-stored");
  gtk_editable_set_text (admin_key_row (fixture), WIZARD_ADMIN_KEY_2);
  gtk_spin_button_set_value (spending_spin (fixture, 0), 300);
  click (fixture, "next_button");
  g_assert_true (wait_for (fixture, spending_left));
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, "openai.costs"), ==, 1);
  click (fixture, "next_button");
  g_assert_true (wait_for (fixture, summary_settled));
  finish_storing_default_with_admin_key (fixture, WIZARD_KOMMO_TOKEN, WIZARD_OPENAI_KEY, WIZARD_ADMIN_KEY_2);
  assert_spending_settings ("default", 300, 75, 100);
  g_clear_pointer (&fixture->finished_id, g_free);

  /* Removing: undone once, then done; the other secrets stay. */
  edit_spending (fixture);
  g_signal_emit_by_name (spending_button (fixture, "_Remover"), "clicked");
  g_assert_true (bgpt_test_has_label_containing (child (fixture, "spending_page"), "será removida ao salvar"));
  g_signal_emit_by_name (spending_button (fixture, "_Manter"), "clicked");
  g_assert_true (stored_admin_key_shown (fixture));
  g_signal_emit_by_name (spending_button (fixture, "_Remover"), "clicked");
  click (fixture, "next_button");
  assert_step (fixture, "monitoring");
  click (fixture, "next_button");
  g_assert_true (wait_for (fixture, summary_settled));
  g_assert_true (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (child (fixture, "summary_spending_row"))),
                         "chave de administrador removida") != NULL);
  finish_storing_default (fixture, WIZARD_KOMMO_TOKEN, WIZARD_OPENAI_KEY);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, "openai.costs"), ==, 1);
}

/* The keyring daemon, held still (SIGSTOP) so that its answers wait: a
 * slow or locked keyring, with the real one. A test that fails meanwhile
 * lets it go on before the process ends. */
static pid_t held_keyring_pid;

static void
on_abort_release_keyring (int signal_number)
{
  if (held_keyring_pid > 0)
    kill (held_keyring_pid, SIGCONT);
}

static void
hold_keyring (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autoptr(GVariant) reply = NULL;
  struct sigaction action = { .sa_handler = on_abort_release_keyring, .sa_flags = SA_RESETHAND };
  guint32 pid;

  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetConnectionUnixProcessID",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"), G_VARIANT_TYPE ("(u)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &pid);
  held_keyring_pid = (pid_t) pid;
  sigaction (SIGABRT, &action, NULL);
  g_assert_cmpint (kill (held_keyring_pid, SIGSTOP), ==, 0);
}

static void
release_keyring (void)
{
  g_assert_cmpint (kill (held_keyring_pid, SIGCONT), ==, 0);
  held_keyring_pid = 0;
  signal (SIGABRT, SIG_DFL);
}

static const char *
summary_spending (Fixture *fixture)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (child (fixture, "summary_spending_row")));
}

static gboolean
summary_says_stored_admin_key (Fixture *fixture)
{
  return strstr (summary_spending (fixture), "chave de administrador guardada no chaveiro") != NULL;
}

/* The editor at its summary before the keyring has said that an admin key
 * is stored: the summary says what the keyring answers when it does. */
static void
test_spending_stored_key_late (Fixture       *fixture,
                               gconstpointer  data)
{
  add_stored_account (fixture);
  store_secret ("openai-admin-key", WIZARD_ADMIN_KEY);

  hold_keyring ();
  present_wizard (fixture, "default");
  /* The secrets typed again: nothing on the way waits for the keyring. */
  type_into (fixture, "kommo_token_row", WIZARD_KOMMO_TOKEN);
  click (fixture, "next_button");
  assert_step (fixture, "openai");
  type_into (fixture, "openai_key_row", WIZARD_OPENAI_KEY);
  click (fixture, "next_button");
  walk_to_summary_from_assistant (fixture);
  /* Nothing known yet: the keyring has not answered. */
  g_assert_false (stored_admin_key_shown (fixture));
  g_assert_nonnull (strstr (summary_spending (fixture), "não acompanhados: sem chave de administrador"));

  g_assert_true (bgpt_setup_wizard_is_looking_up (fixture->wizard));

  release_keyring ();
  g_assert_true (wait_for (fixture, summary_says_stored_admin_key));
  g_assert_true (wait_for (fixture, keyring_answered));
  g_assert_true (stored_admin_key_shown (fixture));
}

static gboolean
costs_request_received (Fixture *fixture)
{
  return bgpt_simulator_count_requests (fixture->simulator, "openai.costs") > 0;
}

/* Closing the wizard while the admin key is tested: the request is
 * cancelled, nothing keeps the wizard alive, nothing is stored. */
static void
test_spending_cancel_during_test (Fixture       *fixture,
                                  gconstpointer  data)
{
  bgpt_simulator_set_delay (fixture->simulator, "openai.costs", 600 * 1000);

  open_wizard (fixture, NULL);
  walk_to (fixture, "spending");
  gtk_editable_set_text (admin_key_row (fixture), WIZARD_ADMIN_KEY);
  click (fixture, "next_button");
  g_assert_true (bgpt_spending_page_is_testing (spending_page (fixture)));
  g_assert_false (is_enabled (fixture, "next_button"));
  g_assert_true (wait_for (fixture, costs_request_received));

  gtk_window_close (GTK_WINDOW (fixture->wizard));
  g_assert_true (wait_for (fixture, wizard_gone));
  assert_nothing_stored ();
}

int
main (int   argc,
      char *argv[])
{
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--no-keyring"))
      no_keyring = TRUE;

  /* The keyring-less session has no accessibility bus to talk to. */
  g_setenv ("GTK_A11Y", "none", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  bgpt_test_use_pt_br ();
  bgpt_i18n_init ();
  bgpt_register_resource ();
  adw_init ();

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  if (no_keyring)
    {
      ADD ("/wizard/keyring-unavailable", test_keyring_unavailable, NULL);
      ADD ("/wizard/no-keyring/cancel-at-summary", test_cancel_at_step, "summary");
    }
  else
    {
      /* Three groups, each run by tests/meson.build in a process of its
       * own: /wizard/steps, /wizard/cancel and /wizard/spending. A test
       * outside them would run in none. */
      ADD ("/wizard/steps/happy-path", test_happy_path, NULL);
      ADD ("/wizard/steps/invalid-inputs", test_invalid_inputs, NULL);
      ADD ("/wizard/steps/failed-checks", test_failed_checks, NULL);
      ADD ("/wizard/steps/summary-refused-key", test_summary_refused_key, NULL);
      ADD ("/wizard/cancel/welcome", test_cancel_at_step, "welcome");
      ADD ("/wizard/cancel/kommo", test_cancel_at_step, "kommo");
      ADD ("/wizard/cancel/openai", test_cancel_at_step, "openai");
      ADD ("/wizard/cancel/monitoring", test_cancel_at_step, "monitoring");
      ADD ("/wizard/cancel/summary", test_cancel_at_step, "summary");
      ADD ("/wizard/cancel/during-kommo-test", test_cancel_during_kommo_test, NULL);
      ADD ("/wizard/cancel/during-summary", test_cancel_during_summary, NULL);
      ADD ("/wizard/steps/edit-account", test_edit_account, NULL);
      ADD ("/wizard/steps/second-account", test_second_account, NULL);
      ADD ("/wizard/steps/keyboard", test_keyboard, NULL);
      ADD ("/wizard/spending/skipped", test_spending_skipped, NULL);
      ADD ("/wizard/spending/refused", test_spending_refused, NULL);
      ADD ("/wizard/spending/edit", test_spending_edit, NULL);
      ADD ("/wizard/spending/stored-key-late", test_spending_stored_key_late, NULL);
      ADD ("/wizard/spending/cancel-during-test", test_spending_cancel_during_test, NULL);
      ADD ("/wizard/cancel/spending", test_cancel_at_step, "spending");
    }

#undef ADD

  return g_test_run ();
}
