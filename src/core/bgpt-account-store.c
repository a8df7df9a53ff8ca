/* bgpt-account-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-account-store"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-account-store.h"
#include "bgpt-history.h"

struct _BgptAccountStore
{
  GObject    parent_instance;

  GSettings *settings;
  GPtrArray *accounts;
};

static void bgpt_account_store_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BgptAccountStore, bgpt_account_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      bgpt_account_store_list_model_init))

G_DEFINE_QUARK (bgpt-account-store-error-quark, bgpt_account_store_error)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GType
bgpt_account_store_get_item_type (GListModel *model)
{
  return BGPT_TYPE_ACCOUNT;
}

static guint
bgpt_account_store_get_n_items (GListModel *model)
{
  return BGPT_ACCOUNT_STORE (model)->accounts->len;
}

static gpointer
bgpt_account_store_get_item (GListModel *model,
                             guint       position)
{
  BgptAccountStore *self = BGPT_ACCOUNT_STORE (model);

  if (position >= self->accounts->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->accounts, position));
}

static void
bgpt_account_store_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = bgpt_account_store_get_item_type;
  iface->get_n_items = bgpt_account_store_get_n_items;
  iface->get_item = bgpt_account_store_get_item;
}

static void
on_account_notify (BgptAccountStore *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static BgptAccount *
find_account (GPtrArray  *accounts,
              const char *account_id)
{
  for (guint i = 0; i < accounts->len; i++)
    {
      BgptAccount *account = g_ptr_array_index (accounts, i);

      if (g_strcmp0 (bgpt_account_get_id (account), account_id) == 0)
        return account;
    }

  return NULL;
}

/* Brings the model in line with the `accounts` setting, keeping the
 * BgptAccount of every id that stays, and tells what changed. */
static void
sync_accounts (BgptAccountStore *self)
{
  g_auto(GStrv) ids = g_settings_get_strv (self->settings, "accounts");
  g_autoptr(GPtrArray) old_accounts = self->accounts;
  GPtrArray *accounts = g_ptr_array_new_with_free_func (g_object_unref);
  guint prefix = 0;
  guint suffix = 0;

  for (guint i = 0; ids[i] != NULL; i++)
    {
      BgptAccount *account;

      if (!bgpt_account_id_is_valid (ids[i]))
        {
          g_warning ("Ignoring the invalid account id “%s” in the settings", ids[i]);
          continue;
        }
      if (find_account (accounts, ids[i]) != NULL)
        continue;

      account = find_account (old_accounts, ids[i]);
      if (account != NULL)
        {
          g_ptr_array_add (accounts, g_object_ref (account));
        }
      else
        {
          account = bgpt_account_new (ids[i]);
          g_signal_connect_object (account, "notify",
                                   G_CALLBACK (on_account_notify), self, G_CONNECT_SWAPPED);
          g_ptr_array_add (accounts, account);
        }
    }

  for (guint i = 0; i < old_accounts->len; i++)
    {
      BgptAccount *account = g_ptr_array_index (old_accounts, i);

      if (find_account (accounts, bgpt_account_get_id (account)) == NULL)
        g_signal_handlers_disconnect_by_data (account, self);
    }

  self->accounts = accounts;

  while (prefix < old_accounts->len && prefix < accounts->len &&
         g_ptr_array_index (old_accounts, prefix) == g_ptr_array_index (accounts, prefix))
    prefix++;
  while (suffix < old_accounts->len - prefix && suffix < accounts->len - prefix &&
         g_ptr_array_index (old_accounts, old_accounts->len - 1 - suffix) ==
         g_ptr_array_index (accounts, accounts->len - 1 - suffix))
    suffix++;

  if (prefix == old_accounts->len && prefix == accounts->len)
    return;

  g_list_model_items_changed (G_LIST_MODEL (self), prefix,
                              old_accounts->len - prefix - suffix,
                              accounts->len - prefix - suffix);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_accounts_changed (GSettings        *settings,
                     const char       *key,
                     BgptAccountStore *self)
{
  sync_accounts (self);
}

static void
bgpt_account_store_dispose (GObject *object)
{
  BgptAccountStore *self = BGPT_ACCOUNT_STORE (object);

  if (self->accounts != NULL)
    {
      for (guint i = 0; i < self->accounts->len; i++)
        g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->accounts, i), self);
    }
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (bgpt_account_store_parent_class)->dispose (object);
}

static void
bgpt_account_store_class_init (BgptAccountStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bgpt_account_store_dispose;

  /* The list of accounts or the settings of one of them changed. */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
bgpt_account_store_init (BgptAccountStore *self)
{
  self->accounts = g_ptr_array_new_with_free_func (g_object_unref);
  self->settings = g_settings_new (BGPT_SETTINGS_SCHEMA_ID);
  g_signal_connect_object (self->settings, "changed::accounts",
                           G_CALLBACK (on_accounts_changed), self, 0);
  sync_accounts (self);
}

BgptAccountStore *
bgpt_account_store_new (void)
{
  return g_object_new (BGPT_TYPE_ACCOUNT_STORE, NULL);
}

GSettings *
bgpt_account_store_get_settings (BgptAccountStore *self)
{
  g_return_val_if_fail (BGPT_IS_ACCOUNT_STORE (self), NULL);

  return self->settings;
}

BgptAccount *
bgpt_account_store_lookup (BgptAccountStore *self,
                           const char       *account_id)
{
  g_return_val_if_fail (BGPT_IS_ACCOUNT_STORE (self), NULL);

  return find_account (self->accounts, account_id);
}

static BgptAccount *
lookup_or_error (BgptAccountStore  *self,
                 const char        *account_id,
                 GError           **error)
{
  BgptAccount *account;

  if (!bgpt_account_id_is_valid (account_id))
    {
      /* The rejected text is not repeated: it may be a secret pasted into
       * the wrong place. */
      g_set_error_literal (error, BGPT_ACCOUNT_STORE_ERROR, BGPT_ACCOUNT_STORE_ERROR_INVALID_ID,
                           bgpt_account_id_explain_invalid (account_id));
      return NULL;
    }

  account = find_account (self->accounts, account_id);
  if (account == NULL)
    g_set_error (error, BGPT_ACCOUNT_STORE_ERROR, BGPT_ACCOUNT_STORE_ERROR_NOT_FOUND,
                 _("There is no account “%s”."), account_id);
  return account;
}

/* A task for an operation on @account_id; when there is no such account the
 * task has already returned its error and NULL is stored in @account. */
static GTask *
new_account_task (BgptAccountStore     *self,
                  const char           *account_id,
                  gpointer              source_tag,
                  GCancellable         *cancellable,
                  GAsyncReadyCallback   callback,
                  gpointer              user_data,
                  BgptAccount         **account)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, source_tag);
  *account = lookup_or_error (self, account_id, &error);
  if (*account == NULL)
    g_task_return_error (task, error);
  return task;
}

BgptAccount *
bgpt_account_store_add (BgptAccountStore  *self,
                        const char        *account_id,
                        const char        *display_name,
                        GError           **error)
{
  g_autoptr(BgptAccount) account = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) ids = NULL;
  g_auto(GStrv) new_ids = NULL;

  g_return_val_if_fail (BGPT_IS_ACCOUNT_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!bgpt_account_id_is_valid (account_id))
    {
      g_set_error_literal (error, BGPT_ACCOUNT_STORE_ERROR, BGPT_ACCOUNT_STORE_ERROR_INVALID_ID,
                           bgpt_account_id_explain_invalid (account_id));
      return NULL;
    }

  if (find_account (self->accounts, account_id) != NULL)
    {
      g_set_error (error, BGPT_ACCOUNT_STORE_ERROR, BGPT_ACCOUNT_STORE_ERROR_EXISTS,
                   _("There is already an account “%s”."), account_id);
      return NULL;
    }

  /* Settings first, so that whoever follows `accounts` finds them set. */
  account = bgpt_account_new (account_id);
  bgpt_account_reset (account);
  if (display_name != NULL)
    bgpt_account_set_display_name (account, display_name);

  ids = g_settings_get_strv (self->settings, "accounts");
  builder = g_strv_builder_new ();
  /* The default account comes first (docs/architecture.md, Settings). */
  if (g_str_equal (account_id, BGPT_ACCOUNT_DEFAULT_ID))
    g_strv_builder_add (builder, account_id);
  g_strv_builder_addv (builder, (const char **) ids);
  if (!g_str_equal (account_id, BGPT_ACCOUNT_DEFAULT_ID))
    g_strv_builder_add (builder, account_id);
  new_ids = g_strv_builder_end (builder);

  g_settings_set_strv (self->settings, "accounts", (const char * const *) new_ids);
  sync_accounts (self);

  return find_account (self->accounts, account_id);
}

BgptAccount *
bgpt_account_store_ensure (BgptAccountStore  *self,
                           const char        *account_id,
                           GError           **error)
{
  BgptAccount *account;

  g_return_val_if_fail (BGPT_IS_ACCOUNT_STORE (self), NULL);

  account = find_account (self->accounts, account_id);
  if (account != NULL)
    return account;
  return bgpt_account_store_add (self, account_id, NULL, error);
}

gboolean
bgpt_account_store_rename (BgptAccountStore  *self,
                           const char        *account_id,
                           const char        *display_name,
                           GError           **error)
{
  BgptAccount *account;

  g_return_val_if_fail (BGPT_IS_ACCOUNT_STORE (self), FALSE);

  account = lookup_or_error (self, account_id, error);
  if (account == NULL)
    return FALSE;

  bgpt_account_set_display_name (account, display_name);
  return TRUE;
}

static void
on_account_secrets_cleared (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BgptAccountStore *self = g_task_get_source_object (task);
  BgptAccount *account = g_task_get_task_data (task);
  g_auto(GStrv) ids = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) new_ids = NULL;
  GError *error = NULL;

  if (!bgpt_secret_store_clear_account_finish (BGPT_SECRET_STORE (source), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  bgpt_account_reset (account);

  /* Result history: the account's file goes with it. */
  {
    g_autoptr(GError) history_error = NULL;

    if (!bgpt_history_remove_account_file (NULL, bgpt_account_get_id (account), &history_error))
      g_warning ("%s", history_error->message);
  }

  ids = g_settings_get_strv (self->settings, "accounts");
  builder = g_strv_builder_new ();
  for (guint i = 0; ids[i] != NULL; i++)
    {
      if (!g_str_equal (ids[i], bgpt_account_get_id (account)))
        g_strv_builder_add (builder, ids[i]);
    }
  new_ids = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "accounts", (const char * const *) new_ids);
  sync_accounts (self);

  g_task_return_boolean (task, TRUE);
}

void
bgpt_account_store_remove_async (BgptAccountStore    *self,
                                 const char          *account_id,
                                 BgptSecretStore     *secret_store,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  BgptAccount *account;

  g_return_if_fail (BGPT_IS_ACCOUNT_STORE (self));
  g_return_if_fail (BGPT_IS_SECRET_STORE (secret_store));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = new_account_task (self, account_id, bgpt_account_store_remove_async,
                           cancellable, callback, user_data, &account);
  if (account == NULL)
    return;

  /* Secrets first: when the keyring cannot be used the account stays, so
   * that it can be forgotten for good later instead of leaving secrets
   * nobody can see behind. */
  g_task_set_task_data (task, g_object_ref (account), g_object_unref);
  bgpt_secret_store_clear_account_async (secret_store, account_id, cancellable,
                                         on_account_secrets_cleared, g_steal_pointer (&task));
}

gboolean
bgpt_account_store_remove_finish (BgptAccountStore  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bgpt_account_store_remove_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  BgptCheckConfig *config;
  GError          *cancelled;
  guint            pending;
} LoadConfig;

static void
load_config_free (gpointer data)
{
  LoadConfig *load = data;

  g_clear_pointer (&load->config, bgpt_check_config_free);
  g_clear_error (&load->cancelled);
  g_free (load);
}

static char *
dup_setting_or_null (GSettings  *settings,
                     const char *key)
{
  g_autofree char *value = g_settings_get_string (settings, key);

  g_strstrip (value);
  if (*value == '\0')
    return NULL;
  return g_steal_pointer (&value);
}

static void
load_config_secret_done (GTask          *task,
                         BgptSecretKind  kind,
                         char           *secret,
                         GError         *error)
{
  LoadConfig *load = g_task_get_task_data (task);

  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          if (load->cancelled == NULL)
            load->cancelled = g_steal_pointer (&error);
        }
      else
        {
          g_debug ("Reading the %s of account %s: %s", bgpt_secret_kind_to_string (kind),
                   load->config->account_id, error->message);
          load->config->keyring_unavailable = TRUE;
        }
      g_clear_error (&error);
    }
  else if (kind == BGPT_SECRET_KIND_OPENAI_API_KEY)
    {
      load->config->openai_api_key = secret;
    }
  else if (kind == BGPT_SECRET_KIND_OPENAI_ADMIN_KEY)
    {
      load->config->openai_admin_key = secret;
    }
  else
    {
      load->config->kommo_token = secret;
    }

  if (--load->pending > 0)
    return;

  if (load->cancelled != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&load->cancelled));
      return;
    }

  /* Half a set of secrets would make one check run and the other report
   * the keyring: report it for both. */
  if (load->config->keyring_unavailable)
    {
      g_clear_pointer (&load->config->openai_api_key, bgpt_secret_free);
      g_clear_pointer (&load->config->kommo_token, bgpt_secret_free);
      g_clear_pointer (&load->config->openai_admin_key, bgpt_secret_free);
    }

  g_task_return_pointer (task, g_steal_pointer (&load->config),
                         (GDestroyNotify) bgpt_check_config_free);
}

typedef struct
{
  GTask          *task;
  BgptSecretKind  kind;
} SecretLookup;

static void
on_secret_looked_up (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  SecretLookup *lookup = user_data;
  g_autoptr(GTask) task = lookup->task;
  BgptSecretKind kind = lookup->kind;
  GError *error = NULL;
  char *secret;

  g_free (lookup);
  secret = bgpt_secret_store_lookup_finish (BGPT_SECRET_STORE (source), result, &error);
  load_config_secret_done (task, kind, secret, error);
}

static void
look_up_secret (BgptSecretStore *secret_store,
                GTask           *task,
                const char      *account_id,
                BgptSecretKind   kind)
{
  SecretLookup *lookup = g_new0 (SecretLookup, 1);

  lookup->task = g_object_ref (task);
  lookup->kind = kind;
  bgpt_secret_store_lookup_async (secret_store, account_id, kind, g_task_get_cancellable (task),
                                  on_secret_looked_up, lookup);
}

/* The budget and its thresholds: the lowest threshold warns of the
 * projection, the highest one is critical for the spend. */
static void
load_budget (GSettings       *settings,
             BgptCheckConfig *config)
{
  g_autoptr(GVariant) thresholds = g_settings_get_value (settings, "budget-thresholds");
  gsize n = 0;
  const guint32 *percents = g_variant_get_fixed_array (thresholds, &n, sizeof (guint32));
  gboolean first = TRUE;

  config->openai_project_id = dup_setting_or_null (settings, "openai-project-id");
  config->monthly_budget_usd = g_settings_get_double (settings, "monthly-budget-usd");

  for (gsize i = 0; i < n; i++)
    {
      if (percents[i] == 0)
        continue;
      if (first || percents[i] < config->budget_warning_percent)
        config->budget_warning_percent = percents[i];
      if (first || percents[i] > config->budget_critical_percent)
        config->budget_critical_percent = percents[i];
      first = FALSE;
    }
}

void
bgpt_account_store_load_check_config_async (BgptAccountStore    *self,
                                            const char          *account_id,
                                            BgptSecretStore     *secret_store,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  BgptAccount *account;
  GSettings *settings;
  LoadConfig *load;

  g_return_if_fail (BGPT_IS_ACCOUNT_STORE (self));
  g_return_if_fail (BGPT_IS_SECRET_STORE (secret_store));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = new_account_task (self, account_id, bgpt_account_store_load_check_config_async,
                           cancellable, callback, user_data, &account);
  if (account == NULL)
    return;

  settings = bgpt_account_get_settings (account);
  load = g_new0 (LoadConfig, 1);
  load->config = bgpt_check_config_new (account_id);
  load->config->display_name = bgpt_account_dup_title (account);
  load->config->kommo_subdomain = dup_setting_or_null (settings, "kommo-subdomain");
  load->config->kommo_base_url = dup_setting_or_null (settings, "kommo-base-url");
  load->config->openai_base_url = dup_setting_or_null (settings, "openai-base-url");
  load->config->assistant_id = dup_setting_or_null (settings, "assistant-id");
  load->config->model = dup_setting_or_null (settings, "model");
  load_budget (settings, load->config);
  load->pending = 3;
  g_task_set_task_data (task, load, load_config_free);

  look_up_secret (secret_store, task, account_id, BGPT_SECRET_KIND_OPENAI_API_KEY);
  look_up_secret (secret_store, task, account_id, BGPT_SECRET_KIND_KOMMO_TOKEN);
  look_up_secret (secret_store, task, account_id, BGPT_SECRET_KIND_OPENAI_ADMIN_KEY);
}

BgptCheckConfig *
bgpt_account_store_load_check_config_finish (BgptAccountStore  *self,
                                             GAsyncResult      *result,
                                             GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bgpt_account_store_load_check_config_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  GPtrArray *configs;   /* NULL where an account went away meanwhile */
  GError    *error;
  guint      pending;
} LoadAll;

static void
load_all_free (gpointer data)
{
  LoadAll *load = data;

  g_clear_pointer (&load->configs, g_ptr_array_unref);
  g_clear_error (&load->error);
  g_free (load);
}

typedef struct
{
  GTask *task;
  guint  index;
} LoadAllItem;

static void
on_one_config_loaded (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  LoadAllItem *item = user_data;
  g_autoptr(GTask) task = item->task;
  LoadAll *load = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  BgptCheckConfig *config;

  config = bgpt_account_store_load_check_config_finish (BGPT_ACCOUNT_STORE (source), result, &error);
  if (config != NULL)
    g_ptr_array_index (load->configs, item->index) = config;
  else if (!g_error_matches (error, BGPT_ACCOUNT_STORE_ERROR, BGPT_ACCOUNT_STORE_ERROR_NOT_FOUND) &&
           load->error == NULL)
    load->error = g_steal_pointer (&error);
  g_free (item);

  if (--load->pending > 0)
    return;

  if (load->error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&load->error));
      return;
    }

  for (guint i = load->configs->len; i > 0; i--)
    {
      if (g_ptr_array_index (load->configs, i - 1) == NULL)
        g_ptr_array_remove_index (load->configs, i - 1);
    }
  g_task_return_pointer (task, g_steal_pointer (&load->configs),
                         (GDestroyNotify) g_ptr_array_unref);
}

void
bgpt_account_store_load_all_check_configs_async (BgptAccountStore    *self,
                                                 BgptSecretStore     *secret_store,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadAll *load;
  guint n_accounts;

  g_return_if_fail (BGPT_IS_ACCOUNT_STORE (self));
  g_return_if_fail (BGPT_IS_SECRET_STORE (secret_store));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bgpt_account_store_load_all_check_configs_async);

  n_accounts = self->accounts->len;
  load = g_new0 (LoadAll, 1);
  load->configs = g_ptr_array_new_full (n_accounts, (GDestroyNotify) bgpt_check_config_free);
  g_ptr_array_set_size (load->configs, n_accounts);
  load->pending = n_accounts;
  g_task_set_task_data (task, load, load_all_free);

  if (n_accounts == 0)
    {
      g_task_return_pointer (task, g_steal_pointer (&load->configs),
                             (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  for (guint i = 0; i < n_accounts; i++)
    {
      BgptAccount *account = g_ptr_array_index (self->accounts, i);
      LoadAllItem *item = g_new0 (LoadAllItem, 1);

      item->task = g_object_ref (task);
      item->index = i;
      bgpt_account_store_load_check_config_async (self, bgpt_account_get_id (account),
                                                  secret_store, cancellable,
                                                  on_one_config_loaded, item);
    }
}

GPtrArray *
bgpt_account_store_load_all_check_configs_finish (BgptAccountStore  *self,
                                                  GAsyncResult      *result,
                                                  GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bgpt_account_store_load_all_check_configs_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Saving a draft */

BgptAccountDraft *
bgpt_account_draft_new (const char *account_id)
{
  BgptAccountDraft *draft = g_new0 (BgptAccountDraft, 1);

  draft->account_id = g_strdup (account_id);
  return draft;
}

static BgptAccountDraft *
draft_copy (const BgptAccountDraft *draft)
{
  BgptAccountDraft *copy = bgpt_account_draft_new (draft->account_id);

  copy->display_name = g_strdup (draft->display_name);
  copy->kommo_subdomain = g_strdup (draft->kommo_subdomain);
  copy->kommo_base_url = g_strdup (draft->kommo_base_url);
  copy->openai_base_url = g_strdup (draft->openai_base_url);
  copy->assistant_id = g_strdup (draft->assistant_id);
  copy->model = g_strdup (draft->model);
  copy->kommo_token = g_strdup (draft->kommo_token);
  copy->openai_api_key = g_strdup (draft->openai_api_key);
  copy->previous_kommo_token = g_strdup (draft->previous_kommo_token);
  copy->previous_openai_api_key = g_strdup (draft->previous_openai_api_key);
  copy->has_spending = draft->has_spending;
  copy->openai_admin_key = g_strdup (draft->openai_admin_key);
  copy->previous_openai_admin_key = g_strdup (draft->previous_openai_admin_key);
  copy->remove_openai_admin_key = draft->remove_openai_admin_key;
  copy->openai_project_id = g_strdup (draft->openai_project_id);
  copy->monthly_budget_usd = draft->monthly_budget_usd;
  copy->budget_warning_percent = draft->budget_warning_percent;
  copy->budget_critical_percent = draft->budget_critical_percent;
  return copy;
}

void
bgpt_account_draft_free (BgptAccountDraft *draft)
{
  if (draft == NULL)
    return;

  g_free (draft->account_id);
  g_free (draft->display_name);
  g_free (draft->kommo_subdomain);
  g_free (draft->kommo_base_url);
  g_free (draft->openai_base_url);
  g_free (draft->assistant_id);
  g_free (draft->model);
  bgpt_secret_free (draft->kommo_token);
  bgpt_secret_free (draft->openai_api_key);
  bgpt_secret_free (draft->previous_kommo_token);
  bgpt_secret_free (draft->previous_openai_api_key);
  bgpt_secret_free (draft->openai_admin_key);
  bgpt_secret_free (draft->previous_openai_admin_key);
  g_free (draft->openai_project_id);
  g_free (draft);
}

/* The order the secrets are stored in. */
static const BgptSecretKind draft_kinds[] = {
  BGPT_SECRET_KIND_KOMMO_TOKEN,
  BGPT_SECRET_KIND_OPENAI_API_KEY,
  BGPT_SECRET_KIND_OPENAI_ADMIN_KEY,
};

typedef struct
{
  BgptAccountDraft *draft;
  BgptSecretStore  *secrets;
  gboolean          is_new;
  guint             step;                 /* index into draft_kinds */
  gboolean          stored[G_N_ELEMENTS (draft_kinds)];  /* written, or maybe */
  GError           *error;                /* the failure being rolled back */
  guint             pending;              /* rollback calls still running */
} SaveDraft;

static void
save_draft_free (gpointer data)
{
  SaveDraft *save = data;

  bgpt_account_draft_free (save->draft);
  g_clear_object (&save->secrets);
  g_clear_error (&save->error);
  g_free (save);
}

static const char *
draft_secret (const BgptAccountDraft *draft,
              BgptSecretKind          kind,
              gboolean                previous)
{
  if (kind == BGPT_SECRET_KIND_KOMMO_TOKEN)
    return previous ? draft->previous_kommo_token : draft->kommo_token;
  if (kind == BGPT_SECRET_KIND_OPENAI_ADMIN_KEY)
    {
      if (!draft->has_spending)
        return NULL;
      return previous ? draft->previous_openai_admin_key : draft->openai_admin_key;
    }
  return previous ? draft->previous_openai_api_key : draft->openai_api_key;
}

/* Whether the step of @kind clears the stored secret instead of storing
 * one: the admin key removed in the account editor. */
static gboolean
draft_removes (const BgptAccountDraft *draft,
               BgptSecretKind          kind)
{
  return kind == BGPT_SECRET_KIND_OPENAI_ADMIN_KEY && draft->has_spending &&
         draft->remove_openai_admin_key && draft->openai_admin_key == NULL;
}

static void
roll_back_step_done (GTask *task)
{
  SaveDraft *save = g_task_get_task_data (task);

  if (--save->pending == 0)
    g_task_return_error (task, g_steal_pointer (&save->error));
}

static void
on_secret_cleared (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!bgpt_secret_store_clear_finish (BGPT_SECRET_STORE (source), result, &error))
    g_debug ("Could not take back a secret of the failed save: %s", error->message);
  roll_back_step_done (task);
}

static void
on_secret_restored (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!bgpt_secret_store_store_finish (BGPT_SECRET_STORE (source), result, &error))
    g_debug ("Could not put back a secret of the failed save: %s", error->message);
  roll_back_step_done (task);
}

/* A save that failed or was cancelled half-way leaves the keyring as it
 * found it: what an edit replaced comes back, anything else it stored goes.
 * Then fails with @error. */
static void
roll_back (GTask  *task,
           GError *error)
{
  SaveDraft *save = g_task_get_task_data (task);
  const char *account_id = save->draft->account_id;

  save->error = error;
  save->pending = 1;
  for (guint i = 0; i < G_N_ELEMENTS (draft_kinds); i++)
    {
      const char *previous = draft_secret (save->draft, draft_kinds[i], TRUE);

      if (!save->stored[i])
        continue;
      save->stored[i] = FALSE;

      /* Not the save's cancellable: the rollback must run to its end. */
      save->pending++;
      if (!save->is_new && previous != NULL)
        bgpt_secret_store_store_async (save->secrets, account_id, draft_kinds[i], previous,
                                       NULL, on_secret_restored, g_object_ref (task));
      else
        bgpt_secret_store_clear_async (save->secrets, account_id, draft_kinds[i], NULL,
                                       on_secret_cleared, g_object_ref (task));
    }
  roll_back_step_done (task);
}

static void
save_draft_settings (GTask *task)
{
  BgptAccountStore *self = g_task_get_source_object (task);
  SaveDraft *save = g_task_get_task_data (task);
  const BgptAccountDraft *draft = save->draft;
  GError *error = NULL;
  BgptAccount *account;

  account = bgpt_account_store_lookup (self, draft->account_id);
  if (account == NULL)
    account = bgpt_account_store_add (self, draft->account_id, draft->display_name, &error);
  if (account == NULL)
    {
      roll_back (task, error);
      return;
    }

  bgpt_account_set_display_name (account, draft->display_name);
  bgpt_account_set_kommo_subdomain (account, draft->kommo_subdomain);
  bgpt_account_set_kommo_base_url (account, draft->kommo_base_url);
  bgpt_account_set_openai_base_url (account, draft->openai_base_url);
  bgpt_account_set_assistant_id (account, draft->assistant_id);
  bgpt_account_set_model (account, draft->model);
  if (draft->has_spending)
    bgpt_account_set_spending (account, draft->openai_project_id, draft->monthly_budget_usd,
                               draft->budget_warning_percent, draft->budget_critical_percent);
  g_task_return_boolean (task, TRUE);
}

static void save_draft_next_secret (GTask *task);

static void
on_draft_secret_stored (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SaveDraft *save = g_task_get_task_data (task);
  GError *error = NULL;
  gboolean done;

  /* A step stores a secret, or clears the admin key the user removed.
   * Even a step that failed (cancelled, timed out) may have reached the
   * keyring: it is rolled back with the others. */
  save->stored[save->step] = TRUE;
  if (draft_removes (save->draft, draft_kinds[save->step]))
    done = bgpt_secret_store_clear_finish (BGPT_SECRET_STORE (source), result, &error);
  else
    done = bgpt_secret_store_store_finish (BGPT_SECRET_STORE (source), result, &error);
  if (!done)
    {
      roll_back (task, error);
      return;
    }

  save->step++;
  save_draft_next_secret (task);
}

/* Stores the next secret of the draft; once none is left, the settings. */
static void
save_draft_next_secret (GTask *task)
{
  SaveDraft *save = g_task_get_task_data (task);

  for (; save->step < G_N_ELEMENTS (draft_kinds); save->step++)
    {
      BgptSecretKind kind = draft_kinds[save->step];
      const char *secret = draft_secret (save->draft, kind, FALSE);

      if (draft_removes (save->draft, kind))
        {
          bgpt_secret_store_clear_async (save->secrets, save->draft->account_id, kind,
                                         g_task_get_cancellable (task), on_draft_secret_stored,
                                         g_object_ref (task));
          return;
        }
      if (secret == NULL)
        continue;

      bgpt_secret_store_store_async (save->secrets, save->draft->account_id, kind, secret,
                                     g_task_get_cancellable (task), on_draft_secret_stored,
                                     g_object_ref (task));
      return;
    }

  save_draft_settings (task);
}

void
bgpt_account_store_save_draft_async (BgptAccountStore       *self,
                                     const BgptAccountDraft *draft,
                                     BgptSecretStore        *secret_store,
                                     GCancellable           *cancellable,
                                     GAsyncReadyCallback     callback,
                                     gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  SaveDraft *save;

  g_return_if_fail (BGPT_IS_ACCOUNT_STORE (self));
  g_return_if_fail (draft != NULL && draft->account_id != NULL);
  g_return_if_fail (BGPT_IS_SECRET_STORE (secret_store));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bgpt_account_store_save_draft_async);

  save = g_new0 (SaveDraft, 1);
  save->draft = draft_copy (draft);
  save->secrets = g_object_ref (secret_store);
  save->is_new = bgpt_account_store_lookup (self, draft->account_id) == NULL;
  g_task_set_task_data (task, save, save_draft_free);

  save_draft_next_secret (task);
}

gboolean
bgpt_account_store_save_draft_finish (BgptAccountStore  *self,
                                      GAsyncResult      *result,
                                      GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bgpt_account_store_save_draft_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
