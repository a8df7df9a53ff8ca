/* test-account-store.c: accounts in GSettings (a real keyfile backend) and
 * their secrets in a real gnome-keyring.
 *
 * Runs inside tests/keyring-session.sh --keyfile-settings; with
 * --no-keyring, inside keyring-session.sh --no-keyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "bgpt-account-store.h"
#include "bgpt-diagnosis.h"
#include "bgpt-history.h"
#include "bgpt-test-secrets.h"

/* Each test starts with no account at all. */
static void
reset_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BGPT_SETTINGS_SCHEMA_ID);

  g_settings_reset (settings, "accounts");
  g_settings_sync ();
}

static void
store_secret (BgptSecretStore *secrets,
              const char      *account_id,
              BgptSecretKind   kind,
              const char      *secret)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (BGPT_TEST_SYNC (bgpt_secret_store_store_async (secrets, account_id, kind, secret, NULL, bgpt_test_collect_result, &slot),
                                 bgpt_secret_store_store_finish (secrets, result, &error)));
  g_assert_no_error (error);
}

static gboolean
remove_account (BgptAccountStore *store, const char *account_id, BgptSecretStore *secrets, GError **error)
{
  return BGPT_TEST_SYNC (bgpt_account_store_remove_async (store, account_id, secrets, NULL, bgpt_test_collect_result, &slot),
                         bgpt_account_store_remove_finish (store, result, error));
}

static BgptCheckConfig *
load_check_config (BgptAccountStore *store, const char *account_id, BgptSecretStore *secrets, GError **error)
{
  return BGPT_TEST_SYNC (bgpt_account_store_load_check_config_async (store, account_id, secrets, NULL, bgpt_test_collect_result, &slot),
                         bgpt_account_store_load_check_config_finish (store, result, error));
}

static GSettings *
account_settings (const char *account_id)
{
  g_autofree char *path = g_strconcat (BGPT_ACCOUNT_PATH_PREFIX, account_id, "/", NULL);

  return g_settings_new_with_path (BGPT_ACCOUNT_SCHEMA_ID, path);
}

static void
assert_settings_at_defaults (const char *account_id)
{
  g_autoptr(GSettings) settings = account_settings (account_id);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  g_assert_cmpuint (g_strv_length (keys), ==, 9);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_user_value (settings, keys[i]);

      if (value != NULL)
        g_error ("%s of account %s is still set", keys[i], account_id);
    }
}

static void
test_id_validation (void)
{
  const char *valid[] = { "default", "acme", "a", "loja-2", "0", "abcdefghijklmnopqrstuvwxyz012345" };
  /* "demo" is the demo's own account. */
  const char *invalid[] = { "", "Default", "acme_1", "acme.com", "a b", "-acme", "a/b",
                            "abcdefghijklmnopqrstuvwxyz0123456", "açai", "demo" };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    g_assert_true (bgpt_account_id_is_valid (valid[i]));
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    g_assert_false (bgpt_account_id_is_valid (invalid[i]));
  g_assert_false (bgpt_account_id_is_valid (NULL));
}

static void
test_add_rename_remove (void)
{
  g_autoptr(BgptAccountStore) store = NULL;
  g_autoptr(BgptSecretStore) secrets = bgpt_secret_store_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BgptAccount) acme = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_auto(GStrv) ids = NULL;
  g_autofree char *title = NULL;
  BgptTestItemsChanged changed = { 0 };
  guint store_changed = 0;
  guint title_notified = 0;
  BgptAccount *account;
  char *secret;

  reset_settings ();
  store = bgpt_account_store_new ();
  g_signal_connect (store, "items-changed", G_CALLBACK (bgpt_test_record_items_changed), &changed);
  g_signal_connect (store, "changed", G_CALLBACK (bgpt_test_count_emission), &store_changed);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (store)) == BGPT_TYPE_ACCOUNT);

  account = bgpt_account_store_add (store, "default", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (account);
  g_assert_cmpuint (changed.count, ==, 1);
  g_assert_cmpuint (changed.position, ==, 0);
  g_assert_cmpuint (changed.removed, ==, 0);
  g_assert_cmpuint (changed.added, ==, 1);
  g_assert_cmpuint (store_changed, >=, 1);
  title = bgpt_account_dup_title (account);
  g_assert_cmpstr (title, ==, "default");

  account = bgpt_account_store_add (store, "acme", "ACME", &error);
  g_assert_no_error (error);
  acme = g_object_ref (account);
  g_assert_cmpuint (changed.count, ==, 2);
  g_assert_cmpuint (changed.position, ==, 1);
  g_assert_cmpuint (changed.added, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
  g_assert_true (bgpt_account_store_lookup (store, "acme") == acme);
  g_assert_null (bgpt_account_store_lookup (store, "nobody"));

  settings = g_settings_new (BGPT_SETTINGS_SCHEMA_ID);
  ids = g_settings_get_strv (settings, "accounts");
  g_assert_cmpuint (g_strv_length (ids), ==, 2);
  g_assert_cmpstr (ids[0], ==, "default");
  g_assert_cmpstr (ids[1], ==, "acme");

  g_assert_null (bgpt_account_store_add (store, "acme", NULL, &error));
  g_assert_error (error, BGPT_ACCOUNT_STORE_ERROR, BGPT_ACCOUNT_STORE_ERROR_EXISTS);
  g_clear_error (&error);

  g_assert_null (bgpt_account_store_add (store, "sk-" TEST_REFUSED_FRAGMENT "_X", NULL, &error));
  g_assert_error (error, BGPT_ACCOUNT_STORE_ERROR, BGPT_ACCOUNT_STORE_ERROR_INVALID_ID);
  /* What was refused may be a secret pasted in the wrong place. */
  g_assert_null (strstr (error->message, TEST_REFUSED_FRAGMENT));
  g_clear_error (&error);
  /* The demo's account id is never one of the user's. */
  g_assert_null (bgpt_account_store_add (store, BGPT_ACCOUNT_RESERVED_ID, NULL, &error));
  g_assert_error (error, BGPT_ACCOUNT_STORE_ERROR, BGPT_ACCOUNT_STORE_ERROR_INVALID_ID);
  g_assert_cmpstr (error->message, ==, bgpt_account_id_explain_invalid (BGPT_ACCOUNT_RESERVED_ID));
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);

  g_signal_connect (acme, "notify::title", G_CALLBACK (bgpt_test_count_notify), &title_notified);
  g_assert_true (bgpt_account_store_rename (store, "acme", "ACME Ltda", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (title_notified, ==, 1);
  g_clear_pointer (&title, g_free);
  title = bgpt_account_dup_title (acme);
  g_assert_cmpstr (title, ==, "ACME Ltda");

  g_assert_false (bgpt_account_store_rename (store, "nobody", "X", &error));
  g_assert_error (error, BGPT_ACCOUNT_STORE_ERROR, BGPT_ACCOUNT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  bgpt_account_set_kommo_subdomain (acme, "acme");
  bgpt_account_set_model (acme, "gpt-4o-mini");
  g_object_set (acme, "assistant-id", "asst_abc123", NULL);
  store_secret (secrets, "acme", BGPT_SECRET_KIND_OPENAI_API_KEY, TEST_ACME_OPENAI_KEY);
  store_secret (secrets, "acme", BGPT_SECRET_KIND_KOMMO_TOKEN, TEST_ACME_KOMMO_TOKEN);
  store_secret (secrets, "default", BGPT_SECRET_KIND_OPENAI_API_KEY, TEST_OPENAI_KEY);

  /* A result history of both accounts. */
  {
    g_autoptr(BgptHistory) history = bgpt_history_new (NULL);
    BgptHistoryResult result = { g_get_real_time () / G_USEC_PER_SEC, 100, BGPT_OUTCOME_OK, NULL };

    g_assert_true (bgpt_history_load (history, &error));
    g_assert_true (bgpt_history_append (history, "acme", BGPT_CHECK_OPENAI_KEY, &result, &error));
    g_assert_true (bgpt_history_append (history, "default", BGPT_CHECK_OPENAI_KEY, &result, &error));
    g_assert_no_error (error);
  }

  changed.count = 0;
  g_assert_true (remove_account (store, "acme", secrets, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed.count, ==, 1);
  g_assert_cmpuint (changed.position, ==, 1);
  g_assert_cmpuint (changed.removed, ==, 1);
  g_assert_cmpuint (changed.added, ==, 0);
  g_assert_null (bgpt_account_store_lookup (store, "acme"));

  /* Its secrets and its settings are gone; the other account's stay. */
  g_assert_null (bgpt_test_keyring_peek ("acme", "openai-api-key"));
  g_assert_null (bgpt_test_keyring_peek ("acme", "kommo-token"));
  secret = bgpt_test_keyring_peek ("default", "openai-api-key");
  g_assert_true (g_strcmp0 (secret, TEST_OPENAI_KEY) == 0);
  secret_password_free (secret);
  assert_settings_at_defaults ("acme");
  /* And so is its result history. */
  {
    g_autoptr(BgptHistory) history = bgpt_history_new (NULL);

    g_assert_true (bgpt_history_load (history, &error));
    g_assert_cmpuint (bgpt_history_get_results (history, "acme", BGPT_CHECK_OPENAI_KEY)->len, ==, 0);
    g_assert_cmpuint (bgpt_history_get_results (history, "default", BGPT_CHECK_OPENAI_KEY)->len, ==, 1);
  }
  g_clear_pointer (&ids, g_strfreev);
  ids = g_settings_get_strv (settings, "accounts");
  g_assert_cmpuint (g_strv_length (ids), ==, 1);
  g_assert_cmpstr (ids[0], ==, "default");

  g_assert_false (remove_account (store, "acme", secrets, &error));
  g_assert_error (error, BGPT_ACCOUNT_STORE_ERROR, BGPT_ACCOUNT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (remove_account (store, "default", secrets, &error));
  g_assert_no_error (error);
  g_assert_null (bgpt_test_keyring_peek ("default", "openai-api-key"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);

  g_clear_object (&acme);
  g_assert_finalize_object (g_steal_pointer (&store));
}

static void
test_default_comes_first (void)
{
  g_autoptr(BgptAccountStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BgptAccount) first = NULL;

  reset_settings ();
  store = bgpt_account_store_new ();
  g_assert_nonnull (bgpt_account_store_add (store, "acme", NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (bgpt_account_store_ensure (store, "default", &error));
  g_assert_no_error (error);
  g_assert_nonnull (bgpt_account_store_ensure (store, "default", &error));
  g_assert_no_error (error);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
  first = g_list_model_get_item (G_LIST_MODEL (store), 0);
  g_assert_cmpstr (bgpt_account_get_id (first), ==, "default");
}

static gboolean
has_two_accounts (gpointer store)
{
  return g_list_model_get_n_items (G_LIST_MODEL (store)) >= 2;
}

static gboolean
counted (gpointer count)
{
  return *(guint *) count > 0;
}

static void
test_other_instance (void)
{
  g_autoptr(BgptAccountStore) store = NULL;
  g_autoptr(GSettings) other = g_settings_new (BGPT_SETTINGS_SCHEMA_ID);
  g_autoptr(GSettings) other_account = NULL;
  const char *ids[] = { "default", "shop", NULL };
  BgptTestItemsChanged changed = { 0 };
  guint notified = 0;
  BgptAccount *shop;
  g_autofree char *name = NULL;

  reset_settings ();
  store = bgpt_account_store_new ();
  g_signal_connect (store, "items-changed", G_CALLBACK (bgpt_test_record_items_changed), &changed);

  g_settings_set_strv (other, "accounts", ids);
  bgpt_test_wait_for_count (&changed.count, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
  shop = bgpt_account_store_lookup (store, "shop");
  g_assert_nonnull (shop);

  g_signal_connect (shop, "notify::display-name", G_CALLBACK (bgpt_test_count_notify), &notified);
  other_account = account_settings ("shop");
  g_settings_set_string (other_account, "display-name", "Loja");
  bgpt_test_wait_for_count (&notified, 1);
  name = bgpt_account_dup_display_name (shop);
  g_assert_cmpstr (name, ==, "Loja");
}

static gboolean
gsettings_tool (GError **error,
                ...)
{
  g_autoptr(GSubprocess) process = NULL;
  va_list args;

  va_start (args, error);
  process = bgpt_test_subprocess_new_va (G_SUBPROCESS_FLAGS_NONE, error, "gsettings", args);
  va_end (args);
  if (process == NULL)
    return FALSE;
  return g_subprocess_wait_check (process, NULL, error);
}

static void
test_other_process (void)
{
  g_autoptr(BgptAccountStore) store = NULL;
  g_autoptr(GError) error = NULL;
  BgptTestItemsChanged changed = { 0 };
  guint notified = 0;
  BgptAccount *remote;
  g_autofree char *name = NULL;

  reset_settings ();
  store = bgpt_account_store_new ();
  g_signal_connect (store, "items-changed", G_CALLBACK (bgpt_test_record_items_changed), &changed);

  /* What `gsettings set` does in a terminal reaches a running app. */
  gsettings_tool (&error, "set", BGPT_SETTINGS_SCHEMA_ID, "accounts", "['default', 'remote']", NULL);
  g_assert_no_error (error);
  g_assert_true (bgpt_test_wait_until (has_two_accounts, store));
  remote = bgpt_account_store_lookup (store, "remote");
  g_assert_nonnull (remote);

  g_signal_connect (remote, "notify::display-name", G_CALLBACK (bgpt_test_count_notify), &notified);
  gsettings_tool (&error, "set", BGPT_ACCOUNT_SCHEMA_ID ":" BGPT_ACCOUNT_PATH_PREFIX "remote/",
                  "display-name", "Filial", NULL);
  g_assert_no_error (error);
  g_assert_true (bgpt_test_wait_until (counted, &notified));
  name = bgpt_account_dup_display_name (remote);
  g_assert_cmpstr (name, ==, "Filial");
}

static void
test_persists (void)
{
  g_autoptr(BgptAccountStore) store = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *keyfile = NULL;

  reset_settings ();
  store = bgpt_account_store_new ();
  bgpt_account_store_add (store, "kept", "Kept", &error);
  g_assert_no_error (error);
  g_settings_sync ();

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                              "gsettings", "get", BGPT_SETTINGS_SCHEMA_ID, "accounts", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &output, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (output, ==, "['kept']\n");

  /* Really in the keyfile of the test home, not in memory. */
  keyfile = g_build_filename (g_get_user_config_dir (), "glib-2.0", "settings", "keyfile", NULL);
  g_assert_true (g_file_test (keyfile, G_FILE_TEST_IS_REGULAR));
}

static void
test_load_check_config (void)
{
  g_autoptr(BgptAccountStore) store = NULL;
  g_autoptr(BgptSecretStore) secrets = bgpt_secret_store_new ();
  g_autoptr(BgptCheckConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  BgptAccount *account;

  reset_settings ();
  store = bgpt_account_store_new ();
  account = bgpt_account_store_add (store, "loaded", "Loja Loaded", &error);
  g_assert_no_error (error);
  bgpt_account_set_kommo_subdomain (account, "lojaloaded");
  bgpt_account_set_openai_base_url (account, "http://127.0.0.1:8080/v1");
  bgpt_account_set_model (account, "gpt-4o-mini");
  store_secret (secrets, "loaded", BGPT_SECRET_KIND_OPENAI_API_KEY, TEST_OPENAI_KEY);

  config = load_check_config (store, "loaded", secrets, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->account_id, ==, "loaded");
  g_assert_cmpstr (config->display_name, ==, "Loja Loaded");
  g_assert_cmpstr (config->kommo_subdomain, ==, "lojaloaded");
  g_assert_null (config->kommo_base_url);
  g_assert_cmpstr (config->openai_base_url, ==, "http://127.0.0.1:8080/v1");
  g_assert_null (config->assistant_id);
  g_assert_cmpstr (config->model, ==, "gpt-4o-mini");
  g_assert_true (g_strcmp0 (config->openai_api_key, TEST_OPENAI_KEY) == 0);
  g_assert_null (config->kommo_token);
  g_assert_false (config->keyring_unavailable);
  g_clear_pointer (&config, bgpt_check_config_free);

  store_secret (secrets, "loaded", BGPT_SECRET_KIND_KOMMO_TOKEN, TEST_KOMMO_TOKEN);
  config = load_check_config (store, "loaded", secrets, &error);
  g_assert_no_error (error);
  g_assert_true (g_strcmp0 (config->kommo_token, TEST_KOMMO_TOKEN) == 0);
  /* No admin key, no budget: the defaults. */
  g_assert_null (config->openai_admin_key);
  g_assert_null (config->openai_project_id);
  g_assert_cmpfloat (config->monthly_budget_usd, ==, 0.0);
  g_assert_cmpuint (config->budget_warning_percent, ==, 80);
  g_assert_cmpuint (config->budget_critical_percent, ==, 100);
  g_clear_pointer (&config, bgpt_check_config_free);

  /* The admin key and the budget, read like every other field. */
  store_secret (secrets, "loaded", BGPT_SECRET_KIND_OPENAI_ADMIN_KEY, TEST_ADMIN_KEY);
  {
    g_autoptr(GSettings) settings = account_settings ("loaded");
    guint32 thresholds[] = { 100, 0, 75, 110 };

    g_settings_set_double (settings, "monthly-budget-usd", 250.5);
    g_settings_set_string (settings, "openai-project-id", "proj_loaded");
    g_settings_set_value (settings, "budget-thresholds",
                          g_variant_new_fixed_array (G_VARIANT_TYPE_UINT32, thresholds,
                                                     G_N_ELEMENTS (thresholds), sizeof (guint32)));
    g_settings_sync ();
  }
  config = load_check_config (store, "loaded", secrets, &error);
  g_assert_no_error (error);
  g_assert_true (g_strcmp0 (config->openai_admin_key, TEST_ADMIN_KEY) == 0);
  g_assert_cmpstr (config->openai_project_id, ==, "proj_loaded");
  g_assert_cmpfloat (config->monthly_budget_usd, ==, 250.5);
  g_assert_cmpuint (config->budget_warning_percent, ==, 75);
  g_assert_cmpuint (config->budget_critical_percent, ==, 110);
  /* Scrubbed from every text like the other secrets. */
  {
    g_autofree const char **config_secrets = bgpt_check_config_secrets (config);

    g_assert_true (g_strv_contains (config_secrets, TEST_ADMIN_KEY));
  }
  g_clear_pointer (&config, bgpt_check_config_free);

  config = load_check_config (store, "nobody", secrets, &error);
  g_assert_error (error, BGPT_ACCOUNT_STORE_ERROR, BGPT_ACCOUNT_STORE_ERROR_NOT_FOUND);
  g_assert_null (config);
  g_clear_error (&error);

  g_assert_true (remove_account (store, "loaded", secrets, &error));
  g_assert_no_error (error);
  /* Forgetting the account forgot its admin key too. */
  {
    g_autofree char *left = bgpt_test_keyring_peek ("loaded", "openai-admin-key");

    g_assert_null (left);
  }
}

static void
test_load_all_check_configs (void)
{
  g_autoptr(BgptAccountStore) store = NULL;
  g_autoptr(BgptSecretStore) secrets = bgpt_secret_store_new ();
  g_autoptr(GPtrArray) configs = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  BgptCheckConfig *config;

  reset_settings ();
  store = bgpt_account_store_new ();

  bgpt_account_store_load_all_check_configs_async (store, secrets, NULL, bgpt_test_collect_result, &slot);
  result = bgpt_test_wait_for_result (&slot);
  configs = bgpt_account_store_load_all_check_configs_finish (store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (configs->len, ==, 0);
  g_clear_pointer (&configs, g_ptr_array_unref);
  g_clear_object (&result);

  bgpt_account_store_add (store, "default", NULL, &error);
  g_assert_no_error (error);
  bgpt_account_store_add (store, "acme", NULL, &error);
  g_assert_no_error (error);
  store_secret (secrets, "default", BGPT_SECRET_KIND_KOMMO_TOKEN, TEST_KOMMO_TOKEN);
  store_secret (secrets, "acme", BGPT_SECRET_KIND_KOMMO_TOKEN, TEST_ACME_KOMMO_TOKEN);
  store_secret (secrets, "acme", BGPT_SECRET_KIND_OPENAI_API_KEY, TEST_ACME_OPENAI_KEY);

  bgpt_account_store_load_all_check_configs_async (store, secrets, NULL, bgpt_test_collect_result, &slot);
  result = bgpt_test_wait_for_result (&slot);
  configs = bgpt_account_store_load_all_check_configs_finish (store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (configs->len, ==, 2);

  config = g_ptr_array_index (configs, 0);
  g_assert_cmpstr (config->account_id, ==, "default");
  g_assert_true (g_strcmp0 (config->kommo_token, TEST_KOMMO_TOKEN) == 0);
  g_assert_null (config->openai_api_key);
  config = g_ptr_array_index (configs, 1);
  g_assert_cmpstr (config->account_id, ==, "acme");
  g_assert_true (g_strcmp0 (config->kommo_token, TEST_ACME_KOMMO_TOKEN) == 0);
  g_assert_true (g_strcmp0 (config->openai_api_key, TEST_ACME_OPENAI_KEY) == 0);

  g_assert_true (remove_account (store, "default", secrets, &error));
  g_assert_no_error (error);
  g_assert_true (remove_account (store, "acme", secrets, &error));
  g_assert_no_error (error);
}

static gboolean save_draft (BgptAccountStore *store, const BgptAccountDraft *draft,
                            BgptSecretStore *secrets, GError **error);
static BgptAccountDraft *make_draft (const char *account_id);

static void
test_no_keyring (void)
{
  g_autoptr(BgptAccountStore) store = NULL;
  g_autoptr(BgptSecretStore) secrets = bgpt_secret_store_new ();
  g_autoptr(BgptCheckConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *subdomain = NULL;
  g_autoptr(BgptAccountDraft) draft = NULL;
  BgptAccount *account;
  gint64 started;

  reset_settings ();
  store = bgpt_account_store_new ();
  account = bgpt_account_store_add (store, "default", NULL, &error);
  g_assert_no_error (error);
  bgpt_account_set_kommo_subdomain (account, "semchave");

  /* Loading works and says why there are no secrets. */
  started = g_get_monotonic_time ();
  config = load_check_config (store, "default", secrets, &error);
  g_assert_no_error (error);
  g_assert_true (config->keyring_unavailable);
  g_assert_null (config->openai_api_key);
  g_assert_null (config->kommo_token);
  g_assert_cmpstr (config->kommo_subdomain, ==, "semchave");
  g_assert_cmpint (g_get_monotonic_time () - started, <, 10 * G_USEC_PER_SEC);

  /* Forgetting needs the keyring: nothing is half done. */
  g_assert_false (remove_account (store, "default", secrets, &error));
  g_assert_error (error, BGPT_SECRET_STORE_ERROR, BGPT_SECRET_STORE_ERROR_UNAVAILABLE);
  g_assert_nonnull (bgpt_account_store_lookup (store, "default"));
  subdomain = bgpt_account_dup_kommo_subdomain (account);
  g_assert_cmpstr (subdomain, ==, "semchave");
  g_clear_error (&error);

  /* Saving a new account needs it too: nothing of it is kept. */
  draft = make_draft ("semchave");
  g_assert_false (save_draft (store, draft, secrets, &error));
  g_assert_error (error, BGPT_SECRET_STORE_ERROR, BGPT_SECRET_STORE_ERROR_UNAVAILABLE);
  g_assert_null (bgpt_account_store_lookup (store, "semchave"));
}

static gboolean
save_draft (BgptAccountStore *store, const BgptAccountDraft *draft, BgptSecretStore *secrets, GError **error)
{
  return BGPT_TEST_SYNC (bgpt_account_store_save_draft_async (store, draft, secrets, NULL, bgpt_test_collect_result, &slot),
                         bgpt_account_store_save_draft_finish (store, result, error));
}

static BgptAccountDraft *
make_draft (const char *account_id)
{
  BgptAccountDraft *draft = bgpt_account_draft_new (account_id);

  draft->display_name = g_strdup ("Loja Rascunho");
  draft->kommo_subdomain = g_strdup ("lojarascunho");
  draft->kommo_base_url = g_strdup ("");
  draft->openai_base_url = g_strdup ("http://127.0.0.1:8080/v1");
  draft->assistant_id = g_strdup ("");
  draft->model = g_strdup ("gpt-4o-mini");
  draft->kommo_token = g_strdup (TEST_KOMMO_TOKEN);
  draft->openai_api_key = g_strdup (TEST_OPENAI_KEY);
  return draft;
}

static void
assert_keyring_holds (const char *account_id,
                      const char *kind,
                      const char *expected)
{
  g_autofree char *secret = bgpt_test_keyring_peek (account_id, kind);

  g_assert_true (g_strcmp0 (secret, expected) == 0);
}

/* A new account saved whole, then edited: a secret left out stays. */
static void
test_save_draft (void)
{
  g_autoptr(BgptAccountStore) store = NULL;
  g_autoptr(BgptSecretStore) secrets = bgpt_secret_store_new ();
  g_autoptr(BgptAccountDraft) draft = make_draft ("drafted");
  g_autoptr(BgptCheckConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  reset_settings ();
  store = bgpt_account_store_new ();

  g_assert_true (save_draft (store, draft, secrets, &error));
  g_assert_no_error (error);
  config = load_check_config (store, "drafted", secrets, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->display_name, ==, "Loja Rascunho");
  g_assert_cmpstr (config->kommo_subdomain, ==, "lojarascunho");
  g_assert_null (config->kommo_base_url);
  g_assert_cmpstr (config->openai_base_url, ==, "http://127.0.0.1:8080/v1");
  g_assert_cmpstr (config->model, ==, "gpt-4o-mini");
  assert_keyring_holds ("drafted", "kommo-token", TEST_KOMMO_TOKEN);
  assert_keyring_holds ("drafted", "openai-api-key", TEST_OPENAI_KEY);
  g_clear_pointer (&config, bgpt_check_config_free);

  /* The edit: a new key, the token as it was. */
  g_clear_pointer (&draft->kommo_token, bgpt_secret_free);
  g_clear_pointer (&draft->openai_api_key, bgpt_secret_free);
  draft->openai_api_key = g_strdup (TEST_OPENAI_KEY_REPLACED);
  draft->previous_kommo_token = g_strdup (TEST_KOMMO_TOKEN);
  draft->previous_openai_api_key = g_strdup (TEST_OPENAI_KEY);
  g_free (draft->model);
  draft->model = g_strdup ("gpt-4.1-mini");
  g_assert_true (save_draft (store, draft, secrets, &error));
  g_assert_no_error (error);
  config = load_check_config (store, "drafted", secrets, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->model, ==, "gpt-4.1-mini");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  assert_keyring_holds ("drafted", "kommo-token", TEST_KOMMO_TOKEN);
  assert_keyring_holds ("drafted", "openai-api-key", TEST_OPENAI_KEY_REPLACED);

  g_assert_true (remove_account (store, "drafted", secrets, &error));
  g_assert_no_error (error);
}

/* "Acompanhar gastos" in the same draft: the admin key and the budget saved
 * with the account, the key removed by an edit, and taken back with the
 * other secrets when the save fails after them. */
static void
test_save_draft_spending (void)
{
  g_autoptr(BgptAccountStore) store = NULL;
  g_autoptr(BgptSecretStore) secrets = bgpt_secret_store_new ();
  g_autoptr(BgptAccountDraft) draft = make_draft ("gastos");
  g_autoptr(BgptAccountDraft) invalid = make_draft ("Sem_Gastos");
  g_autoptr(BgptCheckConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  reset_settings ();
  store = bgpt_account_store_new ();

  draft->has_spending = TRUE;
  draft->openai_admin_key = g_strdup (TEST_ADMIN_KEY);
  draft->openai_project_id = g_strdup ("proj_abc123");
  draft->monthly_budget_usd = 250;
  draft->budget_warning_percent = 70;
  draft->budget_critical_percent = 100;
  g_assert_true (save_draft (store, draft, secrets, &error));
  g_assert_no_error (error);
  config = load_check_config (store, "gastos", secrets, &error);
  g_assert_no_error (error);
  g_assert_true (g_strcmp0 (config->openai_admin_key, TEST_ADMIN_KEY) == 0);
  g_assert_cmpstr (config->openai_project_id, ==, "proj_abc123");
  g_assert_cmpfloat (config->monthly_budget_usd, ==, 250);
  g_assert_cmpuint (config->budget_warning_percent, ==, 70);
  g_assert_cmpuint (config->budget_critical_percent, ==, 100);
  g_clear_pointer (&config, bgpt_check_config_free);

  /* The edit removes the admin key; the other secrets stay. */
  g_clear_pointer (&draft->kommo_token, bgpt_secret_free);
  g_clear_pointer (&draft->openai_api_key, bgpt_secret_free);
  g_clear_pointer (&draft->openai_admin_key, bgpt_secret_free);
  draft->previous_kommo_token = g_strdup (TEST_KOMMO_TOKEN);
  draft->previous_openai_api_key = g_strdup (TEST_OPENAI_KEY);
  draft->previous_openai_admin_key = g_strdup (TEST_ADMIN_KEY);
  draft->remove_openai_admin_key = TRUE;
  g_assert_true (save_draft (store, draft, secrets, &error));
  g_assert_no_error (error);
  assert_keyring_holds ("gastos", "openai-admin-key", NULL);
  assert_keyring_holds ("gastos", "kommo-token", TEST_KOMMO_TOKEN);
  assert_keyring_holds ("gastos", "openai-api-key", TEST_OPENAI_KEY);
  g_assert_true (remove_account (store, "gastos", secrets, &error));
  g_assert_no_error (error);

  /* The keyring takes the id, the settings do not: the save fails after
   * the three secrets, and all three are taken back. */
  invalid->has_spending = TRUE;
  invalid->openai_admin_key = g_strdup (TEST_ADMIN_KEY);
  g_assert_false (save_draft (store, invalid, secrets, &error));
  g_assert_error (error, BGPT_ACCOUNT_STORE_ERROR, BGPT_ACCOUNT_STORE_ERROR_INVALID_ID);
  assert_keyring_holds ("Sem_Gastos", "kommo-token", NULL);
  assert_keyring_holds ("Sem_Gastos", "openai-api-key", NULL);
  assert_keyring_holds ("Sem_Gastos", "openai-admin-key", NULL);
  g_assert_null (bgpt_account_store_lookup (store, "Sem_Gastos"));
}

/* Cancels @user_data (a GCancellable) when the keyring says an item was
 * written: the first secret of a save is in, the next one not yet. */
static void
cancel_on_item_written (GDBusConnection *connection,
                        const char      *sender,
                        const char      *object_path,
                        const char      *interface,
                        const char      *signal,
                        GVariant        *parameters,
                        gpointer         user_data)
{
  if (g_str_equal (signal, "ItemCreated") || g_str_equal (signal, "ItemChanged"))
    g_cancellable_cancel (user_data);
}

/* Saves @draft and cancels it as soon as its first secret is written. */
static gboolean
save_draft_cancelled_halfway (BgptAccountStore       *store,
                              const BgptAccountDraft *draft,
                              BgptSecretStore        *secrets,
                              GError                **error)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gboolean saved;
  guint subscription;

  g_assert_nonnull (bus);
  subscription = g_dbus_connection_signal_subscribe (bus, NULL, "org.freedesktop.Secret.Collection",
                                                     NULL, NULL, NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                                     cancel_on_item_written, cancellable, NULL);
  saved = BGPT_TEST_SYNC (bgpt_account_store_save_draft_async (store, draft, secrets, cancellable,
                                                               bgpt_test_collect_result, &slot),
                          bgpt_account_store_save_draft_finish (store, result, error));
  g_dbus_connection_signal_unsubscribe (bus, subscription);
  g_assert_true (g_cancellable_is_cancelled (cancellable));
  return saved;
}

/* A save cancelled between its two secrets (the wizard closed, say)
 * leaves the keyring as it found it: a new account's first secret goes,
 * an edit's replaced secrets come back. */
static void
test_save_draft_cancelled (void)
{
  g_autoptr(BgptAccountStore) store = NULL;
  g_autoptr(BgptSecretStore) secrets = bgpt_secret_store_new ();
  g_autoptr(BgptAccountDraft) draft = make_draft ("cancelado");
  g_autoptr(GError) error = NULL;

  reset_settings ();
  store = bgpt_account_store_new ();

  g_assert_false (save_draft_cancelled_halfway (store, draft, secrets, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_null (bgpt_account_store_lookup (store, "cancelado"));
  assert_keyring_holds ("cancelado", "kommo-token", NULL);
  assert_keyring_holds ("cancelado", "openai-api-key", NULL);

  /* The account as it was before the edit. */
  g_assert_true (save_draft (store, draft, secrets, &error));
  g_assert_no_error (error);

  g_clear_pointer (&draft->kommo_token, bgpt_secret_free);
  g_clear_pointer (&draft->openai_api_key, bgpt_secret_free);
  draft->kommo_token = g_strdup (TEST_ACME_KOMMO_TOKEN);
  draft->openai_api_key = g_strdup (TEST_OPENAI_KEY_REPLACED);
  draft->previous_kommo_token = g_strdup (TEST_KOMMO_TOKEN);
  draft->previous_openai_api_key = g_strdup (TEST_OPENAI_KEY);
  g_free (draft->model);
  draft->model = g_strdup ("gpt-4.1-mini");
  g_assert_false (save_draft_cancelled_halfway (store, draft, secrets, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_keyring_holds ("cancelado", "kommo-token", TEST_KOMMO_TOKEN);
  assert_keyring_holds ("cancelado", "openai-api-key", TEST_OPENAI_KEY);
  g_clear_error (&error);

  g_assert_true (remove_account (store, "cancelado", secrets, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  gboolean no_keyring = bgpt_test_init_keyfile_session (&argc, &argv);

  if (no_keyring)
    {
      g_test_add_func ("/account-store/no-keyring", test_no_keyring);
    }
  else
    {
      g_test_add_func ("/account-store/id-validation", test_id_validation);
      g_test_add_func ("/account-store/add-rename-remove", test_add_rename_remove);
      g_test_add_func ("/account-store/default-comes-first", test_default_comes_first);
      g_test_add_func ("/account-store/other-instance", test_other_instance);
      g_test_add_func ("/account-store/other-process", test_other_process);
      g_test_add_func ("/account-store/persists", test_persists);
      g_test_add_func ("/account-store/load-check-config", test_load_check_config);
      g_test_add_func ("/account-store/load-all-check-configs", test_load_all_check_configs);
      g_test_add_func ("/account-store/save-draft", test_save_draft);
      g_test_add_func ("/account-store/save-draft-cancelled", test_save_draft_cancelled);
      g_test_add_func ("/account-store/save-draft-spending", test_save_draft_spending);
    }

  return g_test_run ();
}
