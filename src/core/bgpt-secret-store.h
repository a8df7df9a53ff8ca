/* bgpt-secret-store.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

#define BGPT_SECRET_STORE_ERROR (bgpt_secret_store_error_quark ())

typedef enum
{
  /* No Secret Service, a locked collection that was not unlocked, a
   * dismissed prompt or a keyring that did not answer in time. The
   * catalog id for it is keyring.unavailable. */
  BGPT_SECRET_STORE_ERROR_UNAVAILABLE,
} BgptSecretStoreError;

typedef enum
{
  BGPT_SECRET_KIND_OPENAI_API_KEY,
  BGPT_SECRET_KIND_KOMMO_TOKEN,
  /* Optional: reads the organization's costs (it could manage it). */
  BGPT_SECRET_KIND_OPENAI_ADMIN_KEY,
} BgptSecretKind;

#define BGPT_TYPE_SECRET_STORE (bgpt_secret_store_get_type ())

G_DECLARE_FINAL_TYPE (BgptSecretStore, bgpt_secret_store, BGPT, SECRET_STORE, GObject)

GQuark              bgpt_secret_store_error_quark      (void);

/* "openai-api-key", "kommo-token" and "openai-admin-key", the values of the `kind` attribute. */
const char         *bgpt_secret_kind_to_string         (BgptSecretKind      kind);
gboolean            bgpt_secret_kind_from_string       (const char         *text,
                                                        BgptSecretKind     *kind);

/* The libsecret schema "io.github.bytegpt.Monitor" with the attributes
 * `account` and `kind`. */
const SecretSchema *bgpt_secret_store_get_schema       (void);

/* Zeroes @secret before freeing it. NULL is fine. */
void                bgpt_secret_free                   (char               *secret);

/* How long the app's windows wait for the keyring (a locked keyring after
 * an automatic login, a prompt nobody answers) before they say so. */
#define BGPT_SECRET_STORE_UI_TIMEOUT_S 60

BgptSecretStore    *bgpt_secret_store_new              (void);
/* Seconds an operation may take before it fails as unavailable (a prompt
 * nobody answers, a keyring that hangs); 0, the default, waits forever. */
guint               bgpt_secret_store_get_timeout      (BgptSecretStore    *self);
void                bgpt_secret_store_set_timeout      (BgptSecretStore    *self,
                                                        guint               timeout_s);

/* Validates @secret with bgpt_validate_secret() (an admin key with
 * bgpt_validate_admin_key()) and stores it in the
 * default collection, replacing the one stored before. @secret is copied
 * before this returns. */
void                bgpt_secret_store_store_async      (BgptSecretStore    *self,
                                                        const char         *account_id,
                                                        BgptSecretKind      kind,
                                                        const char         *secret,
                                                        GCancellable       *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer            user_data);
gboolean            bgpt_secret_store_store_finish     (BgptSecretStore    *self,
                                                        GAsyncResult       *result,
                                                        GError            **error);

/* Returns the secret (free it with bgpt_secret_free()), or NULL without
 * an error when none is stored. */
void                bgpt_secret_store_lookup_async     (BgptSecretStore    *self,
                                                        const char         *account_id,
                                                        BgptSecretKind      kind,
                                                        GCancellable       *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer            user_data);
char               *bgpt_secret_store_lookup_finish    (BgptSecretStore    *self,
                                                        GAsyncResult       *result,
                                                        GError            **error);

/* Removes the secret; nothing stored is a success. A secret that stays
 * behind because its collection is locked is an error. */
void                bgpt_secret_store_clear_async      (BgptSecretStore    *self,
                                                        const char         *account_id,
                                                        BgptSecretKind      kind,
                                                        GCancellable       *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer            user_data);
gboolean            bgpt_secret_store_clear_finish     (BgptSecretStore    *self,
                                                        GAsyncResult       *result,
                                                        GError            **error);

/* Removes every secret of @account_id, whatever its kind. */
void                bgpt_secret_store_clear_account_async  (BgptSecretStore    *self,
                                                            const char         *account_id,
                                                            GCancellable       *cancellable,
                                                            GAsyncReadyCallback callback,
                                                            gpointer            user_data);
gboolean            bgpt_secret_store_clear_account_finish (BgptSecretStore    *self,
                                                            GAsyncResult       *result,
                                                            GError            **error);

G_END_DECLS
