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

G_END_DECLS
