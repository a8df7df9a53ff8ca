/* bgpt-account-store.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "bgpt-account.h"
#include "bgpt-check-config.h"
#include "bgpt-secret-store.h"

G_BEGIN_DECLS

#define BGPT_SETTINGS_SCHEMA_ID "io.github.bytegpt.Monitor"

#define BGPT_ACCOUNT_STORE_ERROR (bgpt_account_store_error_quark ())

typedef enum
{
  BGPT_ACCOUNT_STORE_ERROR_INVALID_ID,
  BGPT_ACCOUNT_STORE_ERROR_EXISTS,
  BGPT_ACCOUNT_STORE_ERROR_NOT_FOUND,
} BgptAccountStoreError;

#define BGPT_TYPE_ACCOUNT_STORE (bgpt_account_store_get_type ())

/* The accounts of the `accounts` setting, in its order, as a GListModel of
 * BgptAccount. The model follows the setting, also when another process
 * changes it; "changed" is emitted when the list or any account's settings
 * change. */
G_DECLARE_FINAL_TYPE (BgptAccountStore, bgpt_account_store, BGPT, ACCOUNT_STORE, GObject)

GQuark            bgpt_account_store_error_quark  (void);

BgptAccountStore *bgpt_account_store_new          (void);
GSettings        *bgpt_account_store_get_settings (BgptAccountStore  *self);

/* The account with @account_id, or NULL. Transfer none. */
BgptAccount      *bgpt_account_store_lookup       (BgptAccountStore  *self,
                                                   const char        *account_id);

/* Adds a new account at the end of `accounts`; returns it (transfer none). */
BgptAccount      *bgpt_account_store_add          (BgptAccountStore  *self,
                                                   const char        *account_id,
                                                   const char        *display_name,
                                                   GError           **error);
/* Returns the account, adding it first when it does not exist yet. */
BgptAccount      *bgpt_account_store_ensure       (BgptAccountStore  *self,
                                                   const char        *account_id,
                                                   GError           **error);
gboolean          bgpt_account_store_rename       (BgptAccountStore  *self,
                                                   const char        *account_id,
                                                   const char        *display_name,
                                                   GError           **error);

/* Clears the account's secrets from the keyring, then resets its settings
 * and drops it from `accounts`. When the keyring cannot be used nothing is
 * changed and the error is BGPT_SECRET_STORE_ERROR_UNAVAILABLE. */
void              bgpt_account_store_remove_async  (BgptAccountStore    *self,
                                                    const char          *account_id,
                                                    BgptSecretStore     *secret_store,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean          bgpt_account_store_remove_finish (BgptAccountStore    *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* What the checks of one account need: its settings, and its two secrets
 * read from the keyring concurrently. A keyring that cannot be used is not
 * an error: the config has keyring_unavailable set and no secrets. Empty
 * settings are NULL. Fails only for an unknown account or cancellation. */
void              bgpt_account_store_load_check_config_async  (BgptAccountStore    *self,
                                                               const char          *account_id,
                                                               BgptSecretStore     *secret_store,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
BgptCheckConfig  *bgpt_account_store_load_check_config_finish (BgptAccountStore    *self,
                                                               GAsyncResult        *result,
                                                               GError             **error);

/* The same for every account, in the order of `accounts`: a GPtrArray of
 * BgptCheckConfig that frees its elements (empty when there is none). */
void              bgpt_account_store_load_all_check_configs_async  (BgptAccountStore    *self,
                                                                    BgptSecretStore     *secret_store,
                                                                    GCancellable        *cancellable,
                                                                    GAsyncReadyCallback  callback,
                                                                    gpointer             user_data);
GPtrArray        *bgpt_account_store_load_all_check_configs_finish (BgptAccountStore    *self,
                                                                    GAsyncResult        *result,
                                                                    GError             **error);

/* An account and its secrets as the user typed them, saved as one
 * (bgpt_account_store_save_draft_async()). Settings left empty are "". */
typedef struct
{
  char *account_id;
  char *display_name;
  char *kommo_subdomain;
  char *kommo_base_url;
  char *openai_base_url;
  char *assistant_id;
  char *model;
  /* Secrets to store, or NULL to keep what the keyring holds. */
  char *kommo_token;
  char *openai_api_key;
  /* The stored secrets they replace (NULL: none), put back when the save
   * fails. */
  char *previous_kommo_token;
  char *previous_openai_api_key;
  /* "Acompanhar gastos", written only when has_spending is set: the admin
   * key to store (NULL: keep what the keyring holds), the stored one it
   * replaces, whether to remove the stored one instead, and the settings
   * of bgpt_account_set_spending(). */
  gboolean  has_spending;
  char     *openai_admin_key;
  char     *previous_openai_admin_key;
  gboolean  remove_openai_admin_key;
  char     *openai_project_id;
  double    monthly_budget_usd;
  guint     budget_warning_percent;
  guint     budget_critical_percent;
} BgptAccountDraft;

BgptAccountDraft *bgpt_account_draft_new  (const char       *account_id);
/* Zeroes the secrets before freeing them. */
void              bgpt_account_draft_free (BgptAccountDraft *draft);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BgptAccountDraft, bgpt_account_draft_free)

/* Saves @draft (copied): its secrets to the keyring one after the other
 * (clearing the admin key it removes), then the account's settings, adding the account when it does not exist
 * yet. When a step fails nothing is left half done: the secrets stored so
 * far are cleared (a new account) or the ones they replaced put back (an
 * edit), the settings are not touched, and the error is the step's
 * (BGPT_SECRET_STORE_ERROR_UNAVAILABLE when the keyring could not be used).
 * Cancelling stops between steps and rolls nothing back. */
void              bgpt_account_store_save_draft_async  (BgptAccountStore       *self,
                                                        const BgptAccountDraft *draft,
                                                        BgptSecretStore        *secret_store,
                                                        GCancellable           *cancellable,
                                                        GAsyncReadyCallback     callback,
                                                        gpointer                user_data);
gboolean          bgpt_account_store_save_draft_finish (BgptAccountStore       *self,
                                                        GAsyncResult           *result,
                                                        GError                **error);

G_END_DECLS
