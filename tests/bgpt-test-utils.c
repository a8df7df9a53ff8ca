/* bgpt-test-utils.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-test"

#include "config.h"

#include <locale.h>
#include <signal.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "bgpt-account-store.h"
#include "bgpt-secret-store.h"

#include "bgpt-test-utils.h"

double
bgpt_test_time_scale (void)
{
  const char *value = g_getenv ("BGPT_TEST_TIME_SCALE");
  double scale = value != NULL ? g_ascii_strtod (value, NULL) : 1.0;

  return scale > 1.0 ? scale : 1.0;
}

gint64
bgpt_test_scaled_ms (gint64 ms)
{
  return (gint64) (ms * bgpt_test_time_scale ());
}

guint
bgpt_test_wait_bound_ms (void)
{
  return (guint) bgpt_test_scaled_ms (BGPT_TEST_WAIT_MS);
}

static gboolean
on_expired (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static BgptTestHook wait_hook;

void
bgpt_test_set_wait_hook (BgptTestHook hook)
{
  wait_hook = hook;
}

static gboolean
wait_until_within (BgptTestCondition condition,
                   gpointer          data,
                   guint             bound_ms)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add (bound_ms, on_expired, &expired);

  while ((wait_hook != NULL ? wait_hook () : (void) 0), !condition (data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  return condition (data);
}

gboolean
bgpt_test_wait_until (BgptTestCondition condition,
                      gpointer          data)
{
  return wait_until_within (condition, data, bgpt_test_wait_bound_ms ());
}

void
bgpt_test_assert_within (BgptTestCondition  condition,
                         gpointer           data,
                         guint              promised_ms,
                         const char        *what)
{
  guint bound_ms = MAX (promised_ms, bgpt_test_wait_bound_ms ());

  if (!wait_until_within (condition, data, bound_ms))
    g_error ("Timed out after %u ms waiting for: %s", bound_ms, what);
}

void
bgpt_test_assert_until (BgptTestCondition  condition,
                        gpointer           data,
                        const char        *what)
{
  bgpt_test_assert_within (condition, data, 0, what);
}

static gboolean
flag_is_set (gpointer data)
{
  return *(const gboolean *) data;
}

void
bgpt_test_wait_for_flag (const gboolean *flag)
{
  bgpt_test_assert_until (flag_is_set, (gpointer) flag, "an async call to finish");
}

typedef struct
{
  const guint *count;
  guint        target;
} CountTarget;

static gboolean
count_reached (gpointer data)
{
  CountTarget *wait = data;

  return *wait->count >= wait->target;
}

void
bgpt_test_wait_for_count (const guint *count,
                          guint        target)
{
  CountTarget wait = { count, target };

  bgpt_test_assert_until (count_reached, &wait, "a count to reach its target");
}

void
bgpt_test_run_for (guint ms)
{
  gboolean expired = FALSE;

  g_timeout_add (ms, on_expired, &expired);
  while (!expired)
    g_main_context_iteration (NULL, TRUE);
}

void
bgpt_test_collect_result (GObject      *source,
                          GAsyncResult *result,
                          gpointer      slot)
{
  *(GAsyncResult **) slot = g_object_ref (result);
}

static gboolean
slot_is_filled (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

GAsyncResult *
bgpt_test_await (GAsyncResult **slot)
{
  bgpt_test_assert_until (slot_is_filled, slot, "an async result");
  return *slot;
}

GAsyncResult *
bgpt_test_wait_for_result (GAsyncResult **slot)
{
  bgpt_test_await (slot);
  return g_steal_pointer (slot);
}

GSubprocess *
bgpt_test_subprocess_new_va (GSubprocessFlags   flags,
                             GError           **error,
                             const char        *program,
                             va_list            args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *arg;

  g_ptr_array_add (argv, (gpointer) program);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  g_ptr_array_add (argv, NULL);
  return g_subprocess_newv ((const char * const *) argv->pdata, flags, error);
}

BgptIncidentStore *
bgpt_test_incident_store_new_loaded (const char *path)
{
  BgptIncidentStore *incidents = bgpt_incident_store_new (path);
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  bgpt_incident_store_load_async (incidents, NULL, bgpt_test_collect_result, &slot);
  result = bgpt_test_wait_for_result (&slot);
  g_assert_true (bgpt_incident_store_load_finish (incidents, result, &error));
  g_assert_no_error (error);
  return incidents;
}

void
bgpt_test_assert_finalized_soon (gpointer object)
{
  gpointer weak = object;
  gint64 deadline = g_get_monotonic_time () + (gint64) bgpt_test_wait_bound_ms () * 1000;

  g_assert_true (G_IS_OBJECT (object));
  g_object_add_weak_pointer (object, &weak);
  g_object_unref (object);
  /* Polled: the last reference may go in another thread, which does not
   * wake the main context up. */
  while (weak != NULL && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_null (weak);
}

void
bgpt_test_assert_store_finalized (BgptIncidentStore *incidents)
{
  bgpt_incident_store_flush (incidents, NULL);
  bgpt_test_assert_finalized_soon (incidents);
}

void
bgpt_test_http_fixture_set_up (BgptTestHttpFixture *fixture,
                               gconstpointer        data)
{
  g_autoptr(GError) error = NULL;

  fixture->simulator = bgpt_simulator_new (&error);
  g_assert_no_error (error);
  fixture->http = bgpt_http_new ();
  fixture->config = NULL;
}

void
bgpt_test_http_fixture_tear_down (BgptTestHttpFixture *fixture,
                                  gconstpointer        data)
{
  g_clear_pointer (&fixture->config, bgpt_check_config_free);
  g_assert_finalize_object (fixture->http);
  g_assert_finalize_object (fixture->simulator);
}

void
bgpt_test_monitor_setup_init (BgptTestMonitorSetup *setup,
                              const char           *name,
                              guint                 failure_threshold,
                              guint                 success_threshold)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *template = g_strdup_printf ("bgpt-%s-XXXXXX", name);
  g_autofree char *path = NULL;

  setup->simulator = bgpt_simulator_new (&error);
  g_assert_no_error (error);

  setup->settings = g_settings_new (APPLICATION_ID);
  g_settings_set_uint (setup->settings, "check-interval", 1);
  g_settings_set_uint (setup->settings, "retry-interval", 1);
  g_settings_set_uint (setup->settings, "failure-threshold", failure_threshold);
  g_settings_set_uint (setup->settings, "success-threshold", success_threshold);
  g_settings_set_uint (setup->settings, "timeout", 5);

  setup->directory = g_dir_make_tmp (template, &error);
  g_assert_no_error (error);
  path = g_build_filename (setup->directory, "incidents.json", NULL);
  setup->incidents = bgpt_test_incident_store_new_loaded (path);

  setup->monitor = bgpt_monitor_new (setup->settings, setup->incidents);
}

void
bgpt_test_monitor_setup_clear (BgptTestMonitorSetup *setup)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;
  g_autofree char *path = g_build_filename (setup->directory, "incidents.json", NULL);

  g_assert_finalize_object (g_steal_pointer (&setup->monitor));
  bgpt_test_assert_store_finalized (g_steal_pointer (&setup->incidents));

  g_object_get (setup->settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (setup->settings, keys[i]);
  g_clear_object (&setup->settings);
  g_clear_object (&setup->simulator);

  g_remove (path);
  g_rmdir (setup->directory);
  g_clear_pointer (&setup->directory, g_free);
}

void
bgpt_test_record_items_changed (GListModel           *model,
                                guint                 position,
                                guint                 removed,
                                guint                 added,
                                BgptTestItemsChanged *changed)
{
  changed->position = position;
  changed->removed = removed;
  changed->added = added;
  changed->count++;
}

void
bgpt_test_count_emission (gpointer  instance,
                          guint    *count)
{
  (*count)++;
}

void
bgpt_test_count_notify (GObject    *object,
                        GParamSpec *pspec,
                        guint      *count)
{
  (*count)++;
}

static void
snapshot_directory (GHashTable *files,
                    const char *root,
                    const char *relative,
                    const char *skip)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child_relative = g_build_filename (relative, name, NULL);
      g_autofree char *child = g_build_filename (root, child_relative, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_SYMLINK) || g_strcmp0 (child_relative, skip) == 0)
        continue;
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        {
          snapshot_directory (files, root, child_relative, skip);
        }
      else if (g_file_test (child, G_FILE_TEST_IS_REGULAR))
        {
          g_autofree char *contents = NULL;
          gsize length = 0;
          g_autoptr(GError) error = NULL;

          g_file_get_contents (child, &contents, &length, &error);
          g_assert_no_error (error);
          g_hash_table_insert (files, g_steal_pointer (&child_relative),
                               g_bytes_new_take (g_steal_pointer (&contents), length));
        }
    }
}

GHashTable *
bgpt_test_snapshot_home (const char *skip)
{
  GHashTable *files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_bytes_unref);

  g_assert_nonnull (g_getenv ("BGPT_TEST_HOME"));
  snapshot_directory (files, g_getenv ("BGPT_TEST_HOME"), "", skip);
  return files;
}

void
bgpt_test_assert_same_files (GHashTable *before,
                             GHashTable *after)
{
  GHashTableIter iter;
  gpointer path, bytes;

  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &path, &bytes))
    {
      GBytes *now = g_hash_table_lookup (after, path);

      g_test_message ("%s", (const char *) path);
      g_assert_nonnull (now);
      g_assert_true (g_bytes_equal (bytes, now));
    }
  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, &path, NULL))
    if (!g_hash_table_contains (before, path))
      g_error ("The demo left %s in the user's home", (const char *) path);
}

void
bgpt_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        bgpt_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

const char * const bgpt_test_seed_titles[6] = {
  "ERRO OpenAi Limite de tempo atingido. OpenAI está com lentidão",
  "Falha na Autenticação da API",
  "Assistant ID Inválido",
  "Limite de Quota Excedido",
  "Erro de Conexão",
  "Resposta Inesperada da OpenAI",
};

static gboolean
bus_name_has_owner (GDBusConnection *connection,
                    const char      *name)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

void
bgpt_test_notification_server_start (BgptTestNotificationServer *server)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) connection = NULL;
  g_autofree char *script = g_build_filename (g_getenv ("BGPT_SOURCE_ROOT"), "tests",
                                              "notification-server.py", NULL);
  gint64 deadline = g_get_monotonic_time () + (gint64) bgpt_test_wait_bound_ms () * 1000;

  server->directory = g_dir_make_tmp ("bgpt-notification-log-XXXXXX", &error);
  g_assert_no_error (error);
  server->log_path = g_build_filename (server->directory, "calls.jsonl", NULL);
  server->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE, &error,
                                      "/usr/bin/python3", script, server->log_path, NULL);
  g_assert_no_error (error);

  connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  while (!bus_name_has_owner (connection, "org.freedesktop.Notifications"))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (50 * 1000);
    }
}

void
bgpt_test_notification_server_stop (BgptTestNotificationServer *server)
{
  g_output_stream_close (g_subprocess_get_stdin_pipe (server->process), NULL, NULL);
  g_subprocess_wait (server->process, NULL, NULL);
  g_clear_object (&server->process);
  g_remove (server->log_path);
  g_rmdir (server->directory);
  g_clear_pointer (&server->log_path, g_free);
  g_clear_pointer (&server->directory, g_free);
}

gboolean
bgpt_test_notification_calls_close (JsonArray *calls,
                                    guint      from,
                                    gint64     id)
{
  for (guint i = from; i < json_array_get_length (calls); i++)
    {
      JsonObject *call = json_array_get_object_element (calls, i);

      if (g_str_equal (json_object_get_string_member (call, "call"), "CloseNotification") &&
          json_object_get_int_member (call, "id") == id)
        return TRUE;
    }
  return FALSE;
}

JsonArray *
bgpt_test_notification_server_read_calls (BgptTestNotificationServer *server)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  JsonArray *calls = json_array_new ();

  if (!g_file_get_contents (server->log_path, &contents, NULL, NULL))
    return calls;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = NULL;

      if (*lines[i] == '\0')
        continue;
      node = json_from_string (lines[i], NULL);
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        json_array_add_object_element (calls, json_object_ref (json_node_get_object (node)));
    }
  return calls;
}

void
bgpt_test_settle_notifications (void)
{
  g_autoptr(GDBusConnection) connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;

  g_assert_nonnull (connection);
  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.Notifications",
                                       "/org/freedesktop/Notifications",
                                       "org.freedesktop.Notifications", "GetServerInformation",
                                       NULL, NULL, G_DBUS_CALL_FLAGS_NONE, 5000, NULL, NULL);
  g_assert_nonnull (reply);
  bgpt_test_run_for (100);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
store_secret (BgptSecretStore *secrets,
              BgptSecretKind   kind,
              const char      *secret)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  bgpt_secret_store_store_async (secrets, BGPT_ACCOUNT_DEFAULT_ID, kind, secret, NULL,
                                 bgpt_test_collect_result, &result);
  bgpt_test_await (&result);
  g_assert_true (bgpt_secret_store_store_finish (secrets, result, &error));
  g_assert_no_error (error);
}

void
bgpt_test_store_simulator_account (BgptSimulator *simulator,
                                   const char    *key,
                                   const char    *token)
{
  g_autoptr(BgptAccountStore) accounts = bgpt_account_store_new ();
  g_autoptr(BgptSecretStore) secrets = bgpt_secret_store_new ();
  g_autofree char *openai_base_url = bgpt_simulator_dup_openai_base_url (simulator);
  g_autoptr(GError) error = NULL;
  BgptAccount *account;

  account = bgpt_account_store_add (accounts, BGPT_ACCOUNT_DEFAULT_ID, "Loja Teste", &error);
  g_assert_no_error (error);
  bgpt_account_set_kommo_subdomain (account, "lojateste");
  bgpt_account_set_kommo_base_url (account, bgpt_simulator_get_base_url (simulator));
  bgpt_account_set_openai_base_url (account, openai_base_url);
  bgpt_account_set_model (account, "gpt-4.1-mini");

  store_secret (secrets, BGPT_SECRET_KIND_OPENAI_API_KEY, key);
  store_secret (secrets, BGPT_SECRET_KIND_KOMMO_TOKEN, token);
  g_settings_sync ();
}

BgptCheckConfig *
bgpt_test_simulator_config (BgptSimulator *simulator,
                            const char    *account_id,
                            const char    *key,
                            const char    *token)
{
  BgptCheckConfig *config = bgpt_check_config_new (account_id);

  config->openai_base_url = bgpt_simulator_dup_openai_base_url (simulator);
  config->openai_api_key = g_strdup (key);
  config->kommo_base_url = g_strdup (bgpt_simulator_get_base_url (simulator));
  config->kommo_token = g_strdup (token);
  return config;
}

char *
bgpt_test_keyring_peek (const char *account_id,
                        const char *kind)
{
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = secret_password_lookup_sync (bgpt_secret_store_get_schema (), NULL, &error,
                                        "account", account_id, "kind", kind, NULL);
  g_assert_no_error (error);
  return secret;
}

guint16
bgpt_test_closed_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);
  return port;
}

void
bgpt_test_use_pt_br (void)
{
  /* Not C.UTF-8 with LANGUAGE=pt_BR: glibc 2.35 and later (Debian 13)
   * treat C.UTF-8 as C, where gettext ignores LANGUAGE. Messages, dates and
   * numbers in pt_BR; characters as in C.UTF-8 (the same UTF-8 text). GTK
   * 4.8's input method thread leaks the paths of the X11 Compose files it
   * reads for the character locale (LeakSanitizer, only GTK and GLib
   * frames), and pt_BR.UTF-8's includes en_US.UTF-8's. */
  g_unsetenv ("LANGUAGE");
  g_unsetenv ("LC_ALL");
  g_setenv ("LANG", "pt_BR.UTF-8", TRUE);
  g_setenv ("LC_CTYPE", "C.UTF-8", TRUE);
  if (setlocale (LC_ALL, "") == NULL || !g_str_equal (setlocale (LC_MESSAGES, NULL), "pt_BR.UTF-8"))
    g_error ("No pt_BR.UTF-8 locale under LOCPATH=%s: run the test through meson test",
             g_getenv ("LOCPATH") != NULL ? g_getenv ("LOCPATH") : "(unset)");
}


static gboolean
take_flag (int          *argc,
           char       ***argv,
           const char   *flag)
{
  if (*argc < 2 || !g_str_equal ((*argv)[1], flag))
    return FALSE;
  (*argv)[1] = (*argv)[0];
  (*argv)++;
  (*argc)--;
  return TRUE;
}

gboolean
bgpt_test_init_keyfile_session (int    *argc,
                                char ***argv)
{
  gboolean no_keyring = take_flag (argc, argv, "--no-keyring");

  g_test_init (argc, argv, NULL);
  g_assert_cmpstr (g_getenv ("GSETTINGS_BACKEND"), ==, "keyfile");
  g_assert_nonnull (g_getenv ("BGPT_TEST_HOME"));
  return no_keyring;
}

void
bgpt_test_add_history_result (GArray      *results,
                              gint64       time,
                              BgptOutcome  outcome,
                              const char  *error_id,
                              guint32      elapsed_ms)
{
  BgptHistoryResult result = { time, elapsed_ms, outcome, error_id != NULL ? g_intern_string (error_id) : NULL };

  g_array_append_val (results, result);
}

GPid
bgpt_test_run_self_killed (const char * const *args,
                           GRand              *rand,
                           guint               min_ms,
                           guint               max_ms,
                           int                *out_fd)
{
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GPid pid;
  int status;

  g_assert_nonnull (self_exe);
  g_ptr_array_add (argv, self_exe);
  for (gsize i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_async_with_pipes (NULL, (char **) argv->pdata, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                            NULL, NULL, &pid, NULL, out_fd, NULL, &error);
  g_assert_no_error (error);
  g_usleep (g_rand_int_range (rand, min_ms, max_ms) * 1000 * bgpt_test_time_scale ());
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));
  g_spawn_close_pid (pid);
  return pid;
}
