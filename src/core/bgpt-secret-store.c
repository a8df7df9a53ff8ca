/* bgpt-secret-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-secret-store"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "bgpt-secret-store.h"
#include "bgpt-validation.h"

struct _BgptSecretStore
{
  GObject parent_instance;

  guint   timeout_s;
};

G_DEFINE_FINAL_TYPE (BgptSecretStore, bgpt_secret_store, G_TYPE_OBJECT)

/* The timer counts milliseconds in a guint. */
#define MAX_TIMEOUT_S (G_MAXUINT / 1000)

G_DEFINE_QUARK (bgpt-secret-store-error-quark, bgpt_secret_store_error)

enum {
  PROP_0,
  PROP_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const kind_names[] = {
  [BGPT_SECRET_KIND_OPENAI_API_KEY] = "openai-api-key",
  [BGPT_SECRET_KIND_KOMMO_TOKEN] = "kommo-token",
  [BGPT_SECRET_KIND_OPENAI_ADMIN_KEY] = "openai-admin-key",
};

const char *
bgpt_secret_kind_to_string (BgptSecretKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (kind_names), NULL);

  return kind_names[kind];
}

gboolean
bgpt_secret_kind_from_string (const char     *text,
                              BgptSecretKind *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    {
      if (g_strcmp0 (text, kind_names[i]) == 0)
        {
          if (kind != NULL)
            *kind = i;
          return TRUE;
        }
    }

  return FALSE;
}

const SecretSchema *
bgpt_secret_store_get_schema (void)
{
  /* DONT_MATCH_NAME: items stored by `secret-tool store account … kind …`
   * carry no xdg:schema attribute and must still be found. */
  static const SecretSchema schema = {
    "io.github.bytegpt.Monitor", SECRET_SCHEMA_DONT_MATCH_NAME,
    {
      { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

void
bgpt_secret_free (char *secret)
{
  if (secret == NULL)
    return;

  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

static char *
make_label (const char     *account_id,
            BgptSecretKind  kind)
{
  /* The label is what a person sees in Passwords and Keys (Seahorse). */
  if (kind == BGPT_SECRET_KIND_OPENAI_API_KEY)
    /* Translators: a keyring item label; %s is the account id, like “default” */
    return g_strdup_printf (_("ByteGPT Monitor: OpenAI API key (%s)"), account_id);
  else if (kind == BGPT_SECRET_KIND_OPENAI_ADMIN_KEY)
    /* Translators: a keyring item label; %s is the account id, like “default” */
    return g_strdup_printf (_("ByteGPT Monitor: OpenAI admin key (%s)"), account_id);
  else
    /* Translators: a keyring item label; %s is the account id, like “default” */
    return g_strdup_printf (_("ByteGPT Monitor: Kommo token (%s)"), account_id);
}

static GHashTable *
make_attributes (const char     *account_id,
                 BgptSecretKind  kind,
                 gboolean        with_kind)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attributes, (gpointer) "account", g_strdup (account_id));
  if (with_kind)
    g_hash_table_insert (attributes, (gpointer) "kind", g_strdup (bgpt_secret_kind_to_string (kind)));
  return attributes;
}

/* One keyring operation. libsecret gets a cancellable of our own, and the
 * task is returned at most once, by whichever comes first: libsecret's
 * answer, the caller's cancellable or the timeout. libsecret 0.20 does not
 * always complete an operation cancelled while a prompt is up, or one
 * whose prompt nobody answers, so neither the caller nor the timeout waits
 * for it. */
typedef struct
{
  GHashTable   *attributes;
  GCancellable *cancellable;
  GSource      *timeout_source;
  GSource      *cancelled_source;
  gboolean      returned;
} Operation;

static void
operation_stop_sources (Operation *operation)
{
  if (operation->timeout_source != NULL)
    {
      g_source_destroy (operation->timeout_source);
      g_clear_pointer (&operation->timeout_source, g_source_unref);
    }
  if (operation->cancelled_source != NULL)
    {
      g_source_destroy (operation->cancelled_source);
      g_clear_pointer (&operation->cancelled_source, g_source_unref);
    }
}

static void
operation_free (gpointer data)
{
  Operation *operation = data;

  operation_stop_sources (operation);
  g_clear_object (&operation->cancellable);
  g_clear_pointer (&operation->attributes, g_hash_table_unref);
  g_free (operation);
}

static GError *
unavailable_error (const char *message)
{
  return g_error_new_literal (BGPT_SECRET_STORE_ERROR, BGPT_SECRET_STORE_ERROR_UNAVAILABLE, message);
}

static GError *
locked_error (void)
{
  return unavailable_error (_("The system keyring is locked and was not unlocked. "
                              "Unlock it and try again."));
}

/* TRUE when the task was already answered: a late libsecret callback
 * then has nothing left to do. */
static gboolean
operation_returned (GTask *task)
{
  Operation *operation = g_task_get_task_data (task);

  return operation->returned;
}

/* Every answer goes through one of these: the task is answered once. */
static void
operation_mark_returned (GTask *task)
{
  Operation *operation = g_task_get_task_data (task);

  g_assert (!operation->returned);
  operation->returned = TRUE;
  operation_stop_sources (operation);
}

static void
operation_return_error (GTask  *task,
                        GError *error)
{
  operation_mark_returned (task);
  g_task_return_error (task, error);
}

static void
operation_return_success (GTask *task)
{
  operation_mark_returned (task);
  g_task_return_boolean (task, TRUE);
}

static void
operation_return_secret (GTask *task,
                         char  *secret)
{
  operation_mark_returned (task);
  g_task_return_pointer (task, secret, (GDestroyNotify) bgpt_secret_free);
}

/* Turns whatever libsecret or D-Bus said into our error. Their messages
 * name D-Bus errors and object paths, never the secret, so they may go to
 * the debug log. */
static void
operation_return_service_error (GTask  *task,
                                GError *error)
{
  g_autoptr(GError) owned = error;

  g_debug ("Secret Service error: %s", owned->message);

  if (g_error_matches (owned, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    operation_return_error (task, locked_error ());
  else
    operation_return_error (task,
                            unavailable_error (_("The system keyring is not available. Make sure a "
                                                 "Secret Service such as GNOME Keyring is running and "
                                                 "unlocked, then try again.")));
}

static gboolean
on_operation_timeout (gpointer user_data)
{
  GTask *task = user_data;
  Operation *operation = g_task_get_task_data (task);

  g_clear_pointer (&operation->timeout_source, g_source_unref);
  g_debug ("The Secret Service did not answer within the timeout");
  /* Not cancelled: cancelling while a prompt is up makes libsecret 0.20
   * return a NULL error. The prompt stays until it is answered or our
   * connection goes away, and its late result is ignored. */
  operation_return_error (task,
                          unavailable_error (_("The system keyring did not answer in time. "
                                               "If it asks for a password, unlock it and try again.")));
  return G_SOURCE_REMOVE;
}

static gboolean
on_caller_cancelled (GCancellable *cancellable,
                     gpointer      user_data)
{
  GTask *task = user_data;
  Operation *operation = g_task_get_task_data (task);

  g_clear_pointer (&operation->cancelled_source, g_source_unref);
  g_cancellable_cancel (operation->cancellable);
  operation_return_error (task,
                          g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                               _("The keyring operation was cancelled.")));
  return G_SOURCE_REMOVE;
}

static GTask *
operation_task_new (BgptSecretStore     *self,
                    GHashTable          *attributes,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data,
                    gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Operation *operation = g_new0 (Operation, 1);

  g_task_set_source_tag (task, source_tag);
  operation->attributes = attributes;
  operation->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, operation, operation_free);

  /* Sources, not a cancelled handler: they run in the task's context,
   * whatever thread cancels. */
  if (cancellable != NULL)
    {
      operation->cancelled_source = g_cancellable_source_new (cancellable);
      g_task_attach_source (task, operation->cancelled_source, G_SOURCE_FUNC (on_caller_cancelled));
    }

  if (self->timeout_s > 0)
    {
      /* Not g_timeout_source_new_seconds(): that may fire a second early. */
      operation->timeout_source = g_timeout_source_new (self->timeout_s * 1000);
      g_task_attach_source (task, operation->timeout_source, on_operation_timeout);
    }

  return task;
}

/* libsecret returns "nothing found" when a locked item's unlock prompt is
 * dismissed, and clearing leaves locked items alone without an error. A
 * search that neither unlocks nor loads secrets tells a locked item apart
 * from a missing one. */
typedef void (*LockedCheckDone) (GTask    *task,
                                 gboolean  locked_left);

static void
on_locked_check_searched (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LockedCheckDone done = g_object_get_data (G_OBJECT (task), "bgpt-locked-check-done");
  g_autoptr(GError) error = NULL;
  GList *items;
  gboolean locked_left = FALSE;

  items = secret_service_search_finish (SECRET_SERVICE (source), result, &error);
  if (operation_returned (task))
    {
      g_list_free_full (items, g_object_unref);
      return;
    }
  if (error != NULL)
    g_debug ("Could not look for locked items: %s", error->message);

  for (GList *l = items; l != NULL; l = l->next)
    locked_left |= secret_item_get_locked (l->data);
  g_list_free_full (items, g_object_unref);

  done (task, locked_left);
}

static void
on_locked_check_service (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Operation *operation = g_task_get_task_data (task);
  LockedCheckDone done = g_object_get_data (G_OBJECT (task), "bgpt-locked-check-done");
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GError) error = NULL;

  service = secret_service_get_finish (result, &error);
  if (operation_returned (task))
    return;
  if (service == NULL)
    {
      /* The operation itself succeeded; only the extra look failed. */
      g_debug ("Could not look for locked items: %s", error->message);
      done (task, FALSE);
      return;
    }

  secret_service_search (service, bgpt_secret_store_get_schema (), operation->attributes,
                         SECRET_SEARCH_ALL, operation->cancellable,
                         on_locked_check_searched, g_steal_pointer (&task));
}

static void
check_locked_items (GTask           *task,
                    LockedCheckDone  done)
{
  Operation *operation = g_task_get_task_data (task);

  g_object_set_data (G_OBJECT (task), "bgpt-locked-check-done", done);
  secret_service_get (SECRET_SERVICE_NONE, operation->cancellable,
                      on_locked_check_service, g_object_ref (task));
}

static void
on_stored (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gboolean stored;

  stored = secret_password_store_finish (result, &error);
  if (operation_returned (task))
    g_clear_error (&error);
  else if (!stored)
    operation_return_service_error (task, error);
  else
    operation_return_success (task);
}

void
bgpt_secret_store_store_async (BgptSecretStore     *self,
                               const char          *account_id,
                               BgptSecretKind       kind,
                               const char          *secret,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SecretValue) value = NULL;
  g_autofree char *label = NULL;
  Operation *operation;
  GError *error = NULL;

  g_return_if_fail (BGPT_IS_SECRET_STORE (self));
  g_return_if_fail (account_id != NULL);
  g_return_if_fail (kind < G_N_ELEMENTS (kind_names));
  g_return_if_fail (secret != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = operation_task_new (self, make_attributes (account_id, kind, TRUE),
                             cancellable, callback, user_data,
                             bgpt_secret_store_store_async);
  operation = g_task_get_task_data (task);

  if (kind == BGPT_SECRET_KIND_OPENAI_ADMIN_KEY ? !bgpt_validate_admin_key (secret, &error)
                                                : !bgpt_validate_secret (secret, &error))
    {
      operation_return_error (task, error);
      return;
    }

  /* SecretValue keeps its copy in non-swappable memory and wipes it. */
  value = secret_value_new (secret, -1, "text/plain");
  label = make_label (account_id, kind);
  secret_password_storev_binary (bgpt_secret_store_get_schema (), operation->attributes,
                                 SECRET_COLLECTION_DEFAULT, label, value,
                                 operation->cancellable, on_stored, g_object_ref (task));
}

gboolean
bgpt_secret_store_store_finish (BgptSecretStore  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bgpt_secret_store_store_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lookup_done_after_locked_check (GTask    *task,
                                gboolean  locked_left)
{
  if (locked_left)
    operation_return_error (task, locked_error ());
  else
    operation_return_secret (task, NULL);
}

static void
on_looked_up (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(SecretValue) value = NULL;
  GError *error = NULL;
  const char *text;

  value = secret_password_lookup_binary_finish (result, &error);
  if (operation_returned (task))
    {
      g_clear_error (&error);
      return;
    }

  if (error != NULL)
    {
      operation_return_service_error (task, error);
      return;
    }

  if (value == NULL)
    {
      check_locked_items (task, lookup_done_after_locked_check);
      return;
    }

  text = secret_value_get_text (value);
  operation_return_secret (task, g_strdup (text != NULL ? text : ""));
}

void
bgpt_secret_store_lookup_async (BgptSecretStore     *self,
                                const char          *account_id,
                                BgptSecretKind       kind,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Operation *operation;

  g_return_if_fail (BGPT_IS_SECRET_STORE (self));
  g_return_if_fail (account_id != NULL);
  g_return_if_fail (kind < G_N_ELEMENTS (kind_names));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = operation_task_new (self, make_attributes (account_id, kind, TRUE),
                             cancellable, callback, user_data,
                             bgpt_secret_store_lookup_async);
  operation = g_task_get_task_data (task);
  secret_password_lookupv (bgpt_secret_store_get_schema (), operation->attributes,
                           operation->cancellable, on_looked_up, g_object_ref (task));
}

char *
bgpt_secret_store_lookup_finish (BgptSecretStore  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bgpt_secret_store_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
clear_done_after_locked_check (GTask    *task,
                               gboolean  locked_left)
{
  if (locked_left)
    operation_return_error (task, locked_error ());
  else
    operation_return_success (task);
}

static void
on_cleared (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* FALSE without an error only means nothing was removed. */
  secret_password_clear_finish (result, &error);
  if (operation_returned (task))
    {
      g_clear_error (&error);
      return;
    }

  if (error != NULL)
    {
      operation_return_service_error (task, error);
      return;
    }

  check_locked_items (task, clear_done_after_locked_check);
}

static void
start_clear (BgptSecretStore     *self,
             GHashTable          *attributes,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data,
             gpointer             source_tag)
{
  g_autoptr(GTask) task = NULL;
  Operation *operation;

  task = operation_task_new (self, attributes, cancellable, callback, user_data, source_tag);
  operation = g_task_get_task_data (task);
  secret_password_clearv (bgpt_secret_store_get_schema (), operation->attributes,
                          operation->cancellable, on_cleared, g_object_ref (task));
}

void
bgpt_secret_store_clear_async (BgptSecretStore     *self,
                               const char          *account_id,
                               BgptSecretKind       kind,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (BGPT_IS_SECRET_STORE (self));
  g_return_if_fail (account_id != NULL);
  g_return_if_fail (kind < G_N_ELEMENTS (kind_names));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  start_clear (self, make_attributes (account_id, kind, TRUE), cancellable,
               callback, user_data, bgpt_secret_store_clear_async);
}

gboolean
bgpt_secret_store_clear_finish (BgptSecretStore  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bgpt_secret_store_clear_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
bgpt_secret_store_clear_account_async (BgptSecretStore     *self,
                                       const char          *account_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (BGPT_IS_SECRET_STORE (self));
  g_return_if_fail (account_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  /* Without `kind`, the search matches every kind of this account. */
  start_clear (self, make_attributes (account_id, 0, FALSE), cancellable,
               callback, user_data, bgpt_secret_store_clear_account_async);
}

gboolean
bgpt_secret_store_clear_account_finish (BgptSecretStore  *self,
                                        GAsyncResult     *result,
                                        GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bgpt_secret_store_clear_account_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

BgptSecretStore *
bgpt_secret_store_new (void)
{
  return g_object_new (BGPT_TYPE_SECRET_STORE, NULL);
}

guint
bgpt_secret_store_get_timeout (BgptSecretStore *self)
{
  g_return_val_if_fail (BGPT_IS_SECRET_STORE (self), 0);

  return self->timeout_s;
}

void
bgpt_secret_store_set_timeout (BgptSecretStore *self,
                               guint            timeout_s)
{
  g_return_if_fail (BGPT_IS_SECRET_STORE (self));

  timeout_s = MIN (timeout_s, MAX_TIMEOUT_S);
  if (self->timeout_s == timeout_s)
    return;

  self->timeout_s = timeout_s;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

static void
bgpt_secret_store_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  BgptSecretStore *self = BGPT_SECRET_STORE (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout_s);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bgpt_secret_store_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  BgptSecretStore *self = BGPT_SECRET_STORE (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      bgpt_secret_store_set_timeout (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bgpt_secret_store_class_init (BgptSecretStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = bgpt_secret_store_get_property;
  object_class->set_property = bgpt_secret_store_set_property;

  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       0, MAX_TIMEOUT_S, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bgpt_secret_store_init (BgptSecretStore *self)
{
}
