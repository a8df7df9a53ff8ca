/* test-secret-store.c: BgptSecretStore against a real gnome-keyring.
 *
 * Runs inside tests/keyring-session.sh:
 *   (no option)     an unlocked keyring
 *   --locked        the same, but the test locks the default collection and
 *                   the unlock prompt is dismissed at once
 *   --locked-hung   the same, with a prompt nobody answers
 *                   (keyring-session.sh --hung-prompter)
 *   --no-keyring    no Secret Service on the bus (keyring-session.sh --no-keyring)
 *   --file-backend  libsecret's file backend, as inside the Flatpak, and no
 *                   Secret Service on the bus (keyring-session.sh --file-backend)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "bgpt-secret-store.h"
#include "bgpt-validation.h"
#include "bgpt-test-secrets.h"

/* Sync wrappers: the store is async only, the tests read better in line. */

static gboolean
store_secret (BgptSecretStore *store, const char *account_id, BgptSecretKind kind, const char *secret, GError **error)
{
  return BGPT_TEST_SYNC (bgpt_secret_store_store_async (store, account_id, kind, secret, NULL, bgpt_test_collect_result, &slot),
                         bgpt_secret_store_store_finish (store, result, error));
}

static char *
lookup_secret (BgptSecretStore *store, const char *account_id, BgptSecretKind kind, GCancellable *cancellable, GError **error)
{
  return BGPT_TEST_SYNC (bgpt_secret_store_lookup_async (store, account_id, kind, cancellable, bgpt_test_collect_result, &slot),
                         bgpt_secret_store_lookup_finish (store, result, error));
}

static gboolean
clear_secret (BgptSecretStore *store, const char *account_id, BgptSecretKind kind, GError **error)
{
  return BGPT_TEST_SYNC (bgpt_secret_store_clear_async (store, account_id, kind, NULL, bgpt_test_collect_result, &slot),
                         bgpt_secret_store_clear_finish (store, result, error));
}

static gboolean
clear_account (BgptSecretStore *store, const char *account_id, GError **error)
{
  return BGPT_TEST_SYNC (bgpt_secret_store_clear_account_async (store, account_id, NULL, bgpt_test_collect_result, &slot),
                         bgpt_secret_store_clear_account_finish (store, result, error));
}

/* What the keyring holds, asked without our code: libsecret directly,
 * through whichever backend it uses (the Secret Service, or its file). */
static GList *
search_items (const char *account_id,
              const char *kind)
{
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  GList *items;

  g_hash_table_insert (attributes, (gpointer) "account", (gpointer) account_id);
  if (kind != NULL)
    g_hash_table_insert (attributes, (gpointer) "kind", (gpointer) kind);
  items = secret_password_searchv_sync (bgpt_secret_store_get_schema (), attributes,
                                        SECRET_SEARCH_ALL, NULL, &error);
  g_assert_no_error (error);
  return items;
}

static char *
run_secret_tool (const char *stdin_text,
                 int        *exit_status,
                 ...)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL;
  va_list args;

  va_start (args, exit_status);
  process = bgpt_test_subprocess_new_va (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                         &error, "secret-tool", args);
  va_end (args);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, stdin_text, NULL, &stdout_text, NULL, &error);
  g_assert_no_error (error);
  *exit_status = g_subprocess_get_exit_status (process);
  return g_steal_pointer (&stdout_text);
}

static void
test_kind_names (void)
{
  BgptSecretKind kind = BGPT_SECRET_KIND_KOMMO_TOKEN;

  g_assert_cmpstr (bgpt_secret_kind_to_string (BGPT_SECRET_KIND_OPENAI_API_KEY), ==, "openai-api-key");
  g_assert_cmpstr (bgpt_secret_kind_to_string (BGPT_SECRET_KIND_KOMMO_TOKEN), ==, "kommo-token");
  g_assert_true (bgpt_secret_kind_from_string ("openai-api-key", &kind));
  g_assert_cmpint (kind, ==, BGPT_SECRET_KIND_OPENAI_API_KEY);
  g_assert_true (bgpt_secret_kind_from_string ("kommo-token", &kind));
  g_assert_cmpint (kind, ==, BGPT_SECRET_KIND_KOMMO_TOKEN);
  g_assert_cmpstr (bgpt_secret_kind_to_string (BGPT_SECRET_KIND_OPENAI_ADMIN_KEY), ==, "openai-admin-key");
  g_assert_true (bgpt_secret_kind_from_string ("openai-admin-key", &kind));
  g_assert_cmpint (kind, ==, BGPT_SECRET_KIND_OPENAI_ADMIN_KEY);
  g_assert_false (bgpt_secret_kind_from_string ("openai", NULL));
  g_assert_false (bgpt_secret_kind_from_string ("", NULL));
  g_assert_false (bgpt_secret_kind_from_string (NULL, NULL));

  g_assert_cmpstr (bgpt_secret_store_get_schema ()->name, ==, "io.github.bytegpt.Monitor");
  g_assert_true (bgpt_secret_store_get_schema ()->flags & SECRET_SCHEMA_DONT_MATCH_NAME);
}

static void
test_store_lookup_replace_clear (void)
{
  g_autoptr(BgptSecretStore) store = bgpt_secret_store_new ();
  g_autoptr(GError) error = NULL;
  GList *items;
  char *secret;

  g_assert_true (store_secret (store, "default", BGPT_SECRET_KIND_OPENAI_API_KEY, TEST_OPENAI_KEY, &error));
  g_assert_no_error (error);
  secret = lookup_secret (store, "default", BGPT_SECRET_KIND_OPENAI_API_KEY, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_strcmp0 (secret, TEST_OPENAI_KEY) == 0);
  bgpt_secret_free (secret);

  /* Storing again replaces: one item, the new value. */
  g_assert_true (store_secret (store, "default", BGPT_SECRET_KIND_OPENAI_API_KEY, TEST_OPENAI_KEY_REPLACED, &error));
  g_assert_no_error (error);
  secret = lookup_secret (store, "default", BGPT_SECRET_KIND_OPENAI_API_KEY, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_strcmp0 (secret, TEST_OPENAI_KEY_REPLACED) == 0);
  bgpt_secret_free (secret);
  items = search_items ("default", "openai-api-key");
  g_assert_cmpuint (g_list_length (items), ==, 1);
  g_list_free_full (items, g_object_unref);

  g_assert_true (clear_secret (store, "default", BGPT_SECRET_KIND_OPENAI_API_KEY, &error));
  g_assert_no_error (error);
  secret = lookup_secret (store, "default", BGPT_SECRET_KIND_OPENAI_API_KEY, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (secret);

  /* Clearing what is not there is fine. */
  g_assert_true (clear_secret (store, "default", BGPT_SECRET_KIND_OPENAI_API_KEY, &error));
  g_assert_no_error (error);
}

static void
test_not_set (void)
{
  g_autoptr(BgptSecretStore) store = bgpt_secret_store_new ();
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = lookup_secret (store, "never-stored", BGPT_SECRET_KIND_KOMMO_TOKEN, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (secret);
}

static void
test_label (void)
{
  g_autoptr(BgptSecretStore) store = bgpt_secret_store_new ();
  g_autoptr(GError) error = NULL;
  GList *items;
  char *label;

  g_assert_true (store_secret (store, "label-test", BGPT_SECRET_KIND_KOMMO_TOKEN, TEST_KOMMO_TOKEN, &error));
  g_assert_no_error (error);
  g_assert_true (store_secret (store, "label-test", BGPT_SECRET_KIND_OPENAI_API_KEY, TEST_OPENAI_KEY, &error));
  g_assert_no_error (error);

  items = search_items ("label-test", "kommo-token");
  g_assert_cmpuint (g_list_length (items), ==, 1);
  /* secret_retrievable_get_label() hands back a copy. */
  label = secret_retrievable_get_label (items->data);
  g_assert_cmpstr (label, ==, "ByteGPT Monitor: Kommo token (label-test)");
  g_free (label);
  g_list_free_full (items, g_object_unref);

  items = search_items ("label-test", "openai-api-key");
  g_assert_cmpuint (g_list_length (items), ==, 1);
  /* secret_retrievable_get_label() hands back a copy. */
  label = secret_retrievable_get_label (items->data);
  g_assert_cmpstr (label, ==, "ByteGPT Monitor: OpenAI API key (label-test)");
  g_free (label);
  g_list_free_full (items, g_object_unref);

  g_assert_true (clear_account (store, "label-test", &error));
  g_assert_no_error (error);
}

static void
test_several_accounts (void)
{
  g_autoptr(BgptSecretStore) store = bgpt_secret_store_new ();
  g_autoptr(GError) error = NULL;
  const struct {
    const char     *account_id;
    BgptSecretKind  kind;
    const char     *secret;
  } table[] = {
    { "side-a", BGPT_SECRET_KIND_OPENAI_API_KEY, TEST_OPENAI_KEY },
    { "side-a", BGPT_SECRET_KIND_KOMMO_TOKEN, TEST_KOMMO_TOKEN },
    { "side-b", BGPT_SECRET_KIND_OPENAI_API_KEY, TEST_ACME_OPENAI_KEY },
    { "side-b", BGPT_SECRET_KIND_KOMMO_TOKEN, TEST_ACME_KOMMO_TOKEN },
  };
  GList *items;

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_assert_true (store_secret (store, table[i].account_id, table[i].kind, table[i].secret, &error));
      g_assert_no_error (error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      char *secret = lookup_secret (store, table[i].account_id, table[i].kind, NULL, &error);

      g_assert_no_error (error);
      g_assert_true (g_strcmp0 (secret, table[i].secret) == 0);
      bgpt_secret_free (secret);
    }

  /* Forgetting one account leaves the other alone. */
  g_assert_true (clear_account (store, "side-b", &error));
  g_assert_no_error (error);
  items = search_items ("side-b", NULL);
  g_assert_null (items);
  items = search_items ("side-a", NULL);
  g_assert_cmpuint (g_list_length (items), ==, 2);
  g_list_free_full (items, g_object_unref);

  g_assert_true (clear_account (store, "side-a", &error));
  g_assert_no_error (error);
  g_assert_null (search_items ("side-a", NULL));
}

static void
test_invalid_secret_not_stored (void)
{
  g_autoptr(BgptSecretStore) store = bgpt_secret_store_new ();
  const char *invalid[] = {
    "",
    "sk-" TEST_REFUSED_FRAGMENT " spaced",
    "sk-" TEST_REFUSED_FRAGMENT "\nsecond-line",
    "sk-" TEST_REFUSED_FRAGMENT "\x01",
    "sk-" TEST_REFUSED_FRAGMENT "\t",
  };

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (store_secret (store, "invalid", BGPT_SECRET_KIND_OPENAI_API_KEY, invalid[i], &error));
      g_assert_error (error, BGPT_VALIDATION_ERROR, BGPT_VALIDATION_ERROR_SECRET);
      g_assert_null (strstr (error->message, TEST_REFUSED_FRAGMENT));
    }

  /* An admin key must look like one: a project key in its place is refused. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (store_secret (store, "invalid", BGPT_SECRET_KIND_OPENAI_ADMIN_KEY,
                                  "sk-proj-" TEST_REFUSED_FRAGMENT, &error));
    g_assert_error (error, BGPT_VALIDATION_ERROR, BGPT_VALIDATION_ERROR_SECRET);
    g_assert_nonnull (strstr (error->message, "sk-admin-"));
    g_assert_null (strstr (error->message, TEST_REFUSED_FRAGMENT));
    g_clear_error (&error);
    g_assert_false (store_secret (store, "invalid", BGPT_SECRET_KIND_OPENAI_ADMIN_KEY,
                                  "sk-admin-" TEST_REFUSED_FRAGMENT " x", &error));
    g_assert_error (error, BGPT_VALIDATION_ERROR, BGPT_VALIDATION_ERROR_SECRET);
  }

  g_assert_null (search_items ("invalid", NULL));
}

static void
test_secret_tool_reads_ours (void)
{
  g_autoptr(BgptSecretStore) store = bgpt_secret_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  int status = -1;

  g_assert_true (store_secret (store, "default", BGPT_SECRET_KIND_OPENAI_API_KEY, TEST_OPENAI_KEY, &error));
  g_assert_no_error (error);

  /* docs/architecture.md (Keyring) promises exactly this command line. */
  output = run_secret_tool (NULL, &status, "lookup", "account", "default", "kind", "openai-api-key", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_strcmp0 (output, TEST_OPENAI_KEY) == 0);

  g_assert_true (clear_secret (store, "default", BGPT_SECRET_KIND_OPENAI_API_KEY, &error));
  g_assert_no_error (error);
}

static void
test_we_read_secret_tool (void)
{
  g_autoptr(BgptSecretStore) store = bgpt_secret_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  int status = -1;
  char *secret;

  output = run_secret_tool (TEST_INTEROP_TOKEN, &status,
                            "store", "--label=x", "account", "default", "kind", "kommo-token", NULL);
  g_assert_cmpint (status, ==, 0);

  secret = lookup_secret (store, "default", BGPT_SECRET_KIND_KOMMO_TOKEN, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_strcmp0 (secret, TEST_INTEROP_TOKEN) == 0);
  bgpt_secret_free (secret);

  g_assert_true (clear_secret (store, "default", BGPT_SECRET_KIND_KOMMO_TOKEN, &error));
  g_assert_no_error (error);
}

static void
test_cancelled (void)
{
  g_autoptr(BgptSecretStore) store = bgpt_secret_store_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  char *secret;

  g_cancellable_cancel (cancellable);
  secret = lookup_secret (store, "default", BGPT_SECRET_KIND_KOMMO_TOKEN, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (secret);
}

static void
test_finalize (void)
{
  BgptSecretStore *store = bgpt_secret_store_new ();
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = lookup_secret (store, "default", BGPT_SECRET_KIND_KOMMO_TOKEN, NULL, &error);
  g_assert_no_error (error);
  bgpt_secret_free (secret);
  g_assert_finalize_object (store);
}

/* The error every failure of the keyring must come out as: the right
 * code, a message, and no secret in it. */
static void
assert_unavailable (GError  *error,
                    gint64   started)
{
  g_assert_error (error, BGPT_SECRET_STORE_ERROR, BGPT_SECRET_STORE_ERROR_UNAVAILABLE);
  g_assert_cmpstr (error->message, !=, "");
  g_assert_null (strstr (error->message, TEST_SECRET_MARKER));
  /* Fast: well under the test's own wait bound. */
  g_assert_cmpint (g_get_monotonic_time () - started, <, 10 * G_USEC_PER_SEC);
}

static void
lock_default_collection (void)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GError) error = NULL;
  GList *objects;
  int n_locked;

  service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (collection);

  objects = g_list_prepend (NULL, collection);
  n_locked = secret_service_lock_sync (service, objects, NULL, NULL, &error);
  g_list_free (objects);
  g_assert_no_error (error);
  g_assert_cmpint (n_locked, ==, 1);
  g_assert_true (secret_collection_get_locked (collection));
}

static gboolean prompt_hangs;

static void
test_locked (void)
{
  g_autoptr(BgptSecretStore) store = bgpt_secret_store_new ();
  g_autoptr(GError) error = NULL;
  gint64 started;
  char *secret;
  GList *items;

  g_assert_true (store_secret (store, "locked", BGPT_SECRET_KIND_KOMMO_TOKEN, TEST_KOMMO_TOKEN, &error));
  g_assert_no_error (error);

  lock_default_collection ();
  /* A dismissed prompt answers at once; one nobody answers ends with the
   * timeout. Both are unavailable. */
  bgpt_secret_store_set_timeout (store, 2);

  /* A locked item is not a missing one. */
  started = g_get_monotonic_time ();
  secret = lookup_secret (store, "locked", BGPT_SECRET_KIND_KOMMO_TOKEN, NULL, &error);
  g_assert_null (secret);
  assert_unavailable (error, started);
  if (prompt_hangs)
    g_assert_cmpint (g_get_monotonic_time () - started, >=, 2 * G_USEC_PER_SEC - G_USEC_PER_SEC / 10);
  else
    g_assert_cmpint (g_get_monotonic_time () - started, <, 2 * G_USEC_PER_SEC);
  g_clear_error (&error);

  started = g_get_monotonic_time ();
  g_assert_false (store_secret (store, "locked", BGPT_SECRET_KIND_OPENAI_API_KEY, TEST_OPENAI_KEY, &error));
  assert_unavailable (error, started);
  g_clear_error (&error);

  started = g_get_monotonic_time ();
  g_assert_false (clear_account (store, "locked", &error));
  assert_unavailable (error, started);
  g_clear_error (&error);

  /* Nothing was stored or removed behind the refusals. */
  items = search_items ("locked", NULL);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  g_assert_true (secret_item_get_locked (SECRET_ITEM (items->data)));
  g_list_free_full (items, g_object_unref);
}

/* Inside the Flatpak, libsecret keeps secrets in a file of the app's own,
 * encrypted with a key from the Secret portal; here SECRET_FILE_TEST_PATH
 * and SECRET_FILE_TEST_PASSWORD stand in for the portal. */
static void
test_file_backend_file (void)
{
  g_autoptr(BgptSecretStore) store = bgpt_secret_store_new ();
  g_autoptr(GError) error = NULL;
  const char *path = g_getenv ("SECRET_FILE_TEST_PATH");
  g_autofree char *contents = NULL;
  gsize length = 0;
  GStatBuf st;

  g_assert_cmpstr (g_getenv ("SECRET_BACKEND"), ==, "file");
  g_assert_nonnull (path);

  g_assert_true (store_secret (store, "file", BGPT_SECRET_KIND_OPENAI_API_KEY, TEST_OPENAI_KEY, &error));
  g_assert_no_error (error);

  /* The secret went to the file, readable by the user alone, and not in
   * plain text. */
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 0);
  g_assert_null (g_strstr_len (contents, (gssize) length, TEST_OPENAI_KEY));
  g_assert_null (g_strstr_len (contents, (gssize) length, TEST_SECRET_MARKER));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);

  g_assert_true (clear_account (store, "file", &error));
  g_assert_no_error (error);
  g_assert_null (search_items ("file", NULL));
}

static void
test_no_secret_service (void)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree const char **names = NULL;
  gboolean has_owner = TRUE;

  /* The harness must really leave the bus without a keyring, and without
   * a way to start one. */
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE,
                                       -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(b)", &has_owner);
  g_assert_false (has_owner);
  g_clear_pointer (&reply, g_variant_unref);

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "ListActivatableNames",
                                       NULL, G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE,
                                       -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(^a&s)", &names);
  g_assert_false (g_strv_contains (names, "org.freedesktop.secrets"));
}

static void
test_unavailable_everywhere (void)
{
  g_autoptr(BgptSecretStore) store = bgpt_secret_store_new ();
  g_autoptr(GError) error = NULL;
  gint64 started;
  char *secret;

  started = g_get_monotonic_time ();
  g_assert_false (store_secret (store, "default", BGPT_SECRET_KIND_OPENAI_API_KEY, TEST_OPENAI_KEY, &error));
  assert_unavailable (error, started);
  g_clear_error (&error);

  started = g_get_monotonic_time ();
  secret = lookup_secret (store, "default", BGPT_SECRET_KIND_OPENAI_API_KEY, NULL, &error);
  g_assert_null (secret);
  assert_unavailable (error, started);
  g_clear_error (&error);

  started = g_get_monotonic_time ();
  g_assert_false (clear_secret (store, "default", BGPT_SECRET_KIND_KOMMO_TOKEN, &error));
  assert_unavailable (error, started);
  g_clear_error (&error);

  started = g_get_monotonic_time ();
  g_assert_false (clear_account (store, "default", &error));
  assert_unavailable (error, started);
  g_clear_error (&error);
}

int
main (int   argc,
      char *argv[])
{
  gboolean locked = FALSE;
  gboolean no_keyring = FALSE;
  gboolean file_backend = FALSE;

  if (argc > 1 && g_str_equal (argv[1], "--locked"))
    locked = TRUE;
  else if (argc > 1 && g_str_equal (argv[1], "--locked-hung"))
    locked = prompt_hangs = TRUE;
  else if (argc > 1 && g_str_equal (argv[1], "--no-keyring"))
    no_keyring = TRUE;
  else if (argc > 1 && g_str_equal (argv[1], "--file-backend"))
    file_backend = TRUE;
  if (locked || no_keyring || file_backend)
    {
      argv[1] = argv[0];
      argv++;
      argc--;
    }

  g_test_init (&argc, &argv, NULL);

  if (no_keyring)
    {
      g_test_add_func ("/secret-store/no-keyring/bus-has-none", test_no_secret_service);
      g_test_add_func ("/secret-store/no-keyring/unavailable", test_unavailable_everywhere);
    }
  else if (locked)
    {
      g_test_add_func ("/secret-store/locked", test_locked);
    }
  else
    {
      if (file_backend)
        {
          /* Nothing reaches a keyring: there is none on the bus. */
          g_test_add_func ("/secret-store/file-backend/bus-has-none", test_no_secret_service);
          g_test_add_func ("/secret-store/file-backend/file", test_file_backend_file);
        }
      g_test_add_func ("/secret-store/kind-names", test_kind_names);
      g_test_add_func ("/secret-store/store-lookup-replace-clear", test_store_lookup_replace_clear);
      g_test_add_func ("/secret-store/not-set", test_not_set);
      g_test_add_func ("/secret-store/label", test_label);
      g_test_add_func ("/secret-store/several-accounts", test_several_accounts);
      g_test_add_func ("/secret-store/invalid-secret-not-stored", test_invalid_secret_not_stored);
      g_test_add_func ("/secret-store/secret-tool-reads-ours", test_secret_tool_reads_ours);
      g_test_add_func ("/secret-store/we-read-secret-tool", test_we_read_secret_tool);
      g_test_add_func ("/secret-store/cancelled", test_cancelled);
      g_test_add_func ("/secret-store/finalize", test_finalize);
    }

  return g_test_run ();
}
