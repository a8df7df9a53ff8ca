/* test-cli-secrets.c: the built `bytegpt-monitor --store-secret` and
 * `--forget-account` as child processes, against a real gnome-keyring and
 * real keyfile settings.
 *
 * Runs inside tests/keyring-session.sh --keyfile-settings; with
 * --no-keyring, inside keyring-session.sh --no-keyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* posix_openpt(), grantpt(), unlockpt(), ptsname() */
#define _GNU_SOURCE

#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>

#include "bgpt-secret-store.h"
#include "bgpt-simulator.h"
#include "bgpt-test-secrets.h"
#include "bgpt-test-utils.h"

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static char *
binary_path (void)
{
  const char *build_root = g_getenv ("BGPT_BUILD_ROOT");

  g_assert_nonnull (build_root);
  return g_build_filename (build_root, "src", "bytegpt-monitor", NULL);
}

/* --check reads these; only a test that sets one on purpose has it. */
static const char * const override_variables[] = {
  "OPENAI_API_KEY", "OPENAI_BASE_URL", "BYTEGPT_ASSISTANT_ID", "BYTEGPT_MODEL",
  "KOMMO_SUBDOMAIN", "KOMMO_TOKEN", "KOMMO_BASE_URL", "OPENAI_ADMIN_KEY",
  "BYTEGPT_MONTHLY_BUDGET_USD",
};

/* NULL, or a variable name and its value for the next command. */
static const char * const *override_value;

static GSubprocessLauncher *
launcher_new (const char *language)
{
  GSubprocessLauncher *launcher;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* The tests' own pt_BR.UTF-8 locale (LOCPATH), where gettext follows
   * LANGUAGE; under C.UTF-8 glibc 2.35 and later ignore it. */
  g_subprocess_launcher_setenv (launcher, "LANG", "pt_BR.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LC_ALL");
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", language, TRUE);
  /* The command must never need a display. */
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  for (guint i = 0; i < G_N_ELEMENTS (override_variables); i++)
    {
      if (override_value != NULL && g_str_equal (override_variables[i], override_value[0]))
        g_subprocess_launcher_setenv (launcher, override_value[0], override_value[1], TRUE);
      else
        g_subprocess_launcher_unsetenv (launcher, override_variables[i]);
    }
  return launcher;
}

/* Whatever the command prints, no test secret may be in it. */
static void
assert_no_secret (const char *text)
{
  g_assert_nonnull (text);
  g_assert_null (strstr (text, TEST_SECRET_MARKER));
}

/* Empty output is "", not NULL; a NUL byte in it would end the text early
 * and hide what follows, so it fails the test. */
static char *
bytes_to_string (GBytes *bytes)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  if (size == 0)
    return g_strdup ("");
  g_assert_null (memchr (data, '\0', size));
  return g_strndup (data, size);
}

/* The built command in @language with the arguments @args; its
 * arguments joined, for a message, in @arguments. */
static GSubprocess *
spawn_cli (const char  *language,
           va_list      args,
           char       **arguments)
{
  g_autoptr(GSubprocessLauncher) launcher = launcher_new (language);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;
  const char *arg;

  g_ptr_array_add (argv, binary_path ());
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, g_strdup (arg));
  g_ptr_array_add (argv, NULL);
  *arguments = g_strjoinv (" ", (char **) argv->pdata + 1);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

/* Writes @input to @process, waits for it to end and keeps what it said
 * and its exit status in @run; @arguments name it in a message. */
static void
communicate (GSubprocess *process,
             GBytes      *input,
             const char  *arguments,
             Run         *run)
{
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  /* The main context runs meanwhile: --check talks to the simulator,
   * which lives in this process. */
  g_subprocess_communicate_async (process, input, NULL, bgpt_test_collect_result, &slot);
  result = bgpt_test_wait_for_result (&slot);
  g_subprocess_communicate_finish (process, result, &out, &err, &error);
  g_assert_no_error (error);

  run->out = bytes_to_string (out);
  run->err = bytes_to_string (err);
  if (!g_subprocess_get_if_exited (process))
    g_error ("%s died:\n%s", arguments, run->err);
  run->status = g_subprocess_get_exit_status (process);
}

static void
run_cli_full (Run        *run,
              const char *language,
              const char *stdin_text,
              gssize      stdin_length,
              ...)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) input = NULL;
  g_autofree char *arguments = NULL;
  va_list args;

  va_start (args, stdin_length);
  process = spawn_cli (language, args, &arguments);
  va_end (args);

  if (stdin_text == NULL)
    stdin_text = "";
  if (stdin_length < 0)
    stdin_length = strlen (stdin_text);
  input = g_bytes_new_static (stdin_text, stdin_length);
  communicate (process, input, arguments, run);
  assert_no_secret (run->out);
  assert_no_secret (run->err);
}

/* With the input as a string: its length is strlen(). */
/* The exit status, with what the command said when it is not the one
 * expected. */
#define assert_status(run, expected) \
  G_STMT_START { \
    if ((run)->status != (expected)) \
      g_error ("exit status %d, expected %d\nstdout:\n%s\nstderr:\n%s", \
               (run)->status, (expected), (run)->out, (run)->err); \
  } G_STMT_END

#define run_cli(run, stdin_text, ...) \
  run_cli_full (run, "en", stdin_text, -1, __VA_ARGS__, NULL)

/* `secret-tool lookup`, the way docs/architecture.md (Keyring) tells an
 * administrator to check. */
static char *
secret_tool_lookup (const char *account_id,
                    const char *kind)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *output = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              "secret-tool", "lookup", "account", account_id, "kind", kind, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &output, NULL, &error);
  g_assert_no_error (error);
  return output;
}

/* Read by another process: the command must have written them out. */
static char **
stored_accounts (void)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autoptr(GVariant) value = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                              "gsettings", "get", "io.github.bytegpt.Monitor", "accounts", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &output, NULL, &error);
  g_assert_no_error (error);
  value = g_variant_parse (G_VARIANT_TYPE_STRING_ARRAY, output, NULL, NULL, &error);
  g_assert_no_error (error);
  return g_variant_dup_strv (value, NULL);
}

static void
gsettings_set (const char *schema,
               const char *key,
               const char *value)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error,
                              "gsettings", "set", schema, key, value, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);
}

static void
set_stored_accounts (const char *value)
{
  gsettings_set ("io.github.bytegpt.Monitor", "accounts", value);
}

static void
set_account_setting (const char *account_id,
                     const char *key,
                     const char *value)
{
  g_autofree char *schema = g_strdup_printf ("io.github.bytegpt.Monitor.Account:"
                                             "/io/github/bytegpt/Monitor/accounts/%s/", account_id);

  gsettings_set (schema, key, value);
}

/* --store-secret=@kind with @input on standard input, for @account_id
 * (no --account when NULL: the default account): the command names what it
 * stored and the account, another client finds @secret in the keyring, and
 * the account is listed. */
static void
assert_stores (const char *input,
               const char *kind,
               const char *kind_name,
               const char *account_id,
               const char *secret)
{
  g_auto(Run) run = { 0 };
  g_auto(GStrv) accounts = NULL;
  g_autofree char *kind_option = g_strdup_printf ("--store-secret=%s", kind);
  g_autofree char *account_option = g_strdup_printf ("--account=%s", account_id);
  g_autofree char *quoted_account = NULL;
  g_autofree char *stored = NULL;

  if (account_id == NULL)
    run_cli (&run, input, kind_option);
  else
    run_cli (&run, input, kind_option, account_option);
  account_id = account_id != NULL ? account_id : "default";
  quoted_account = g_strdup_printf ("“%s”", account_id);
  assert_status (&run, 0);
  g_assert_nonnull (strstr (run.out, kind_name));
  g_assert_nonnull (strstr (run.out, quoted_account));

  stored = secret_tool_lookup (account_id, kind);
  g_assert_true (g_strcmp0 (stored, secret) == 0);
  accounts = stored_accounts ();
  g_assert_true (g_strv_contains ((const char * const *) accounts, account_id));
}

static void
test_store_openai_key (void)
{
  /* The first secret makes the default account. */
  set_stored_accounts ("@as []");
  assert_stores (TEST_CLI_OPENAI_KEY "\n", "openai-api-key", "OpenAI API key", NULL, TEST_CLI_OPENAI_KEY);
}

static void
test_store_kommo_token_crlf (void)
{
  /* Pasted on Windows, or from a file that ends with CRLF. */
  assert_stores (TEST_CLI_KOMMO_TOKEN "\r\n", "kommo-token", "Kommo token", "acme", TEST_CLI_KOMMO_TOKEN);
}

static void
test_no_final_newline (void)
{
  g_auto(Run) run = { 0 };
  char *stored;

  run_cli (&run, TEST_CLI_OPENAI_KEY, "--store-secret=openai-api-key", "--account=bare");
  assert_status (&run, 0);
  stored = bgpt_test_keyring_peek ("bare", "openai-api-key");
  g_assert_true (g_strcmp0 (stored, TEST_CLI_OPENAI_KEY) == 0);
  secret_password_free (stored);
}

static void
test_refused_inputs (void)
{
  g_autofree char *too_long = NULL;
  const struct {
    const char *name;
    const char *input;
    const char *why;
  } table[] = {
    { "empty", "", "Nothing was read" },
    { "only a newline", "\n", "Nothing was read" },
    { "only CRLF", "\r\n", "Nothing was read" },
    { "two lines", "sk-" TEST_REFUSED_FRAGMENT "-one\nsk-" TEST_REFUSED_FRAGMENT "-two\n", "more than one line" },
    { "a blank line first", "\nsk-" TEST_REFUSED_FRAGMENT "\n", "more than one line" },
    { "a space", "sk-" TEST_REFUSED_FRAGMENT " x\n", "spaces" },
    { "a tab", "sk-" TEST_REFUSED_FRAGMENT "\tx\n", "spaces" },
    { "a control character", "sk-" TEST_REFUSED_FRAGMENT "\001x\n", "spaces" },
    { "an escape sequence", "\033[31msk-" TEST_REFUSED_FRAGMENT "\n", "spaces" },
    { "a carriage return inside", "sk-" TEST_REFUSED_FRAGMENT "\rx\n", "spaces" },
    { "too long", NULL, "too long" },
  };

  too_long = g_strnfill (5000, 'k');
  memcpy (too_long, TEST_REFUSED_FRAGMENT, strlen (TEST_REFUSED_FRAGMENT));

  set_stored_accounts ("@as []");
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_auto(Run) run = { 0 };
      g_auto(GStrv) accounts = NULL;
      const char *input = table[i].input != NULL ? table[i].input : too_long;

      g_test_message ("input: %s", table[i].name);
      run_cli (&run, input, "--store-secret=openai-api-key", "--account=refused");
      assert_status (&run, 3);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_nonnull (strstr (run.err, table[i].why));
      g_assert_nonnull (strstr (run.err, "stored"));

      /* Nothing reached the keyring or the settings. */
      g_assert_null (bgpt_test_keyring_peek ("refused", "openai-api-key"));
      accounts = stored_accounts ();
      g_assert_cmpuint (g_strv_length (accounts), ==, 0);
    }
}

static void
test_usage (void)
{
  g_auto(Run) run = { 0 };

  /* A secret typed where the kind goes is not printed back. */
  run_cli (&run, "", "--store-secret=sk-proj-" TEST_REFUSED_FRAGMENT "XYZ");
  assert_status (&run, 3);
  g_assert_nonnull (strstr (run.err, "openai-api-key, kommo-token or openai-admin-key"));
  run_clear (&run);

  run_cli (&run, TEST_CLI_OPENAI_KEY "\n", "--store-secret=openai-api-key", "--account=Not_Valid");
  assert_status (&run, 3);
  g_assert_nonnull (strstr (run.err, "account id"));
  g_assert_null (strstr (run.err, "Not_Valid"));
  run_clear (&run);

  /* The demo's account id is never one of the user's. */
  run_cli (&run, TEST_CLI_OPENAI_KEY "\n", "--store-secret=openai-api-key", "--account=demo");
  assert_status (&run, 3);
  g_assert_nonnull (strstr (run.err, "kept for the demo"));
  run_clear (&run);

  run_cli (&run, "", "--store-secret=openai-api-key", "--forget-account=acme");
  assert_status (&run, 3);
}

static void
test_not_in_argv_or_environment (void)
{
  g_autoptr(GSubprocessLauncher) launcher = launcher_new ("en");
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = binary_path ();
  g_autofree char *cmdline_path = NULL;
  g_autofree char *environ_path = NULL;
  g_autofree char *cmdline = NULL;
  g_autofree char *environ = NULL;
  gsize cmdline_length, environ_length;
  GOutputStream *input;

  process = g_subprocess_launcher_spawn (launcher, &error, path,
                                         "--store-secret=kommo-token", "--account=proc", NULL);
  g_assert_no_error (error);

  /* The process holds the secret and waits for the end of its input. */
  input = g_subprocess_get_stdin_pipe (process);
  g_output_stream_write_all (input, TEST_CLI_KOMMO_TOKEN "\n", strlen (TEST_CLI_KOMMO_TOKEN) + 1,
                             NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_flush (input, NULL, &error);
  g_assert_no_error (error);
  g_usleep (G_USEC_PER_SEC / 5);

  cmdline_path = g_strdup_printf ("/proc/%s/cmdline", g_subprocess_get_identifier (process));
  environ_path = g_strdup_printf ("/proc/%s/environ", g_subprocess_get_identifier (process));
  g_file_get_contents (cmdline_path, &cmdline, &cmdline_length, &error);
  g_assert_no_error (error);
  g_file_get_contents (environ_path, &environ, &environ_length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cmdline_length, >, 0);
  g_assert_false (test_bytes_contain (cmdline, cmdline_length, TEST_SECRET_MARKER));
  g_assert_false (test_bytes_contain (environ, environ_length, TEST_SECRET_MARKER));

  g_output_stream_close (input, NULL, &error);
  g_assert_no_error (error);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

static void
test_forget_account (void)
{
  g_auto(Run) run = { 0 };
  g_auto(GStrv) accounts = NULL;
  char *stored;

  run_cli (&run, TEST_CLI_OPENAI_KEY "\n", "--store-secret=openai-api-key", "--account=gone");
  assert_status (&run, 0);
  run_clear (&run);
  run_cli (&run, TEST_CLI_KOMMO_TOKEN "\n", "--store-secret=kommo-token", "--account=gone");
  assert_status (&run, 0);
  run_clear (&run);
  run_cli (&run, TEST_CLI_KOMMO_TOKEN "\n", "--store-secret=kommo-token", "--account=stays");
  assert_status (&run, 0);
  run_clear (&run);

  run_cli (&run, NULL, "--forget-account=gone");
  assert_status (&run, 0);
  g_assert_nonnull (strstr (run.out, "“gone”"));
  run_clear (&run);

  g_assert_null (bgpt_test_keyring_peek ("gone", "openai-api-key"));
  g_assert_null (bgpt_test_keyring_peek ("gone", "kommo-token"));
  stored = bgpt_test_keyring_peek ("stays", "kommo-token");
  g_assert_true (g_strcmp0 (stored, TEST_CLI_KOMMO_TOKEN) == 0);
  secret_password_free (stored);
  accounts = stored_accounts ();
  g_assert_false (g_strv_contains ((const char * const *) accounts, "gone"));
  g_assert_true (g_strv_contains ((const char * const *) accounts, "stays"));

  run_cli (&run, NULL, "--forget-account=gone");
  assert_status (&run, 3);
  g_assert_nonnull (strstr (run.err, "There is no account “gone”"));
  run_clear (&run);

  run_cli (&run, NULL, "--forget-account=../etc");
  assert_status (&run, 3);
  g_assert_nonnull (strstr (run.err, "account id"));
}

static void
test_pt_br (void)
{
  g_auto(Run) run = { 0 };

  run_cli_full (&run, "pt_BR", "", 0, "--store-secret=kommo-token", NULL);
  assert_status (&run, 3);
  g_assert_nonnull (strstr (run.err, "Nada foi lido da entrada padrão"));
  run_clear (&run);

  run_cli_full (&run, "pt_BR", TEST_CLI_KOMMO_TOKEN "\n", strlen (TEST_CLI_KOMMO_TOKEN) + 1,
                "--store-secret=kommo-token", "--account=ptbr", NULL);
  assert_status (&run, 0);
  g_assert_nonnull (strstr (run.out, "O token do Kommo da conta “ptbr”"));
}

/* The "checks" of --check --json, and the one of @account_id and @check. */
static JsonObject *
find_check (JsonNode   *root,
            const char *account_id,
            const char *check)
{
  JsonArray *checks = json_object_get_array_member (json_node_get_object (root), "checks");

  for (guint i = 0; i < json_array_get_length (checks); i++)
    {
      JsonObject *object = json_array_get_object_element (checks, i);

      if (g_strcmp0 (json_object_get_string_member (object, "account"), account_id) == 0 &&
          g_strcmp0 (json_object_get_string_member (object, "check"), check) == 0)
        return object;
    }
  return NULL;
}

static const char *
error_id (JsonObject *check)
{
  g_assert_nonnull (check);
  if (json_object_get_null_member (check, "error"))
    return NULL;
  return json_object_get_string_member (json_object_get_object_member (check, "error"), "id");
}

static guint
count_checks_of (JsonNode   *root,
                 const char *account_id)
{
  JsonArray *checks = json_object_get_array_member (json_node_get_object (root), "checks");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (checks); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (checks, i), "account"),
                   account_id) == 0)
      n++;
  return n;
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (root);
  return root;
}

/* Runs --check --json, for every account or only @account_id, asserts
 * its exit status and gives the report it printed. */
static JsonNode *
check_json (Run        *run,
            const char *account_id,
            int         expected_status)
{
  g_autofree char *account_option = NULL;

  if (account_id == NULL)
    {
      run_cli (run, NULL, "--check", "--json");
    }
  else
    {
      account_option = g_strdup_printf ("--account=%s", account_id);
      run_cli (run, NULL, "--check", "--json", account_option);
    }
  assert_status (run, expected_status);
  return parse_json (run->out);
}

/* Two stored accounts whose endpoints are the simulator's, and whose
 * secrets went in through --store-secret; the simulator refuses
 * @refused_credential. */
static BgptSimulator *
set_up_two_accounts (const char *refused_credential)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *openai = NULL;
  g_autofree char *quoted_openai = NULL;
  g_autofree char *quoted_kommo = NULL;
  BgptSimulator *simulator;
  const char *ids[] = { "default", "acme" };
  const char *keys[] = { TEST_OPENAI_KEY, TEST_ACME_OPENAI_KEY };
  const char *tokens[] = { TEST_KOMMO_TOKEN, TEST_ACME_KOMMO_TOKEN };

  simulator = bgpt_simulator_new (&error);
  g_assert_no_error (error);
  openai = bgpt_simulator_dup_openai_base_url (simulator);
  quoted_openai = g_strdup_printf ("'%s'", openai);
  quoted_kommo = g_strdup_printf ("'%s'", bgpt_simulator_get_base_url (simulator));

  set_stored_accounts ("@as []");
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_auto(Run) run = { 0 };
      g_autofree char *account = g_strdup_printf ("--account=%s", ids[i]);
      g_autofree char *key = g_strconcat (keys[i], "\n", NULL);
      g_autofree char *token = g_strconcat (tokens[i], "\n", NULL);

      run_cli (&run, key, "--store-secret=openai-api-key", account);
      assert_status (&run, 0);
      run_clear (&run);
      run_cli (&run, token, "--store-secret=kommo-token", account);
      assert_status (&run, 0);

      set_account_setting (ids[i], "openai-base-url", quoted_openai);
      set_account_setting (ids[i], "kommo-base-url", quoted_kommo);
      set_account_setting (ids[i], "kommo-subdomain", ids[i]);
    }

  bgpt_simulator_set_refused_credential (simulator, refused_credential);
  return simulator;
}

static void
test_check_every_account (void)
{
  /* Each account must use its own key: only acme's is refused. */
  g_autoptr(BgptSimulator) simulator = set_up_two_accounts (TEST_ACME_OPENAI_KEY);
  g_autoptr(JsonNode) root = NULL;
  g_auto(Run) run = { 0 };

  root = check_json (&run, NULL, 2);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "status"), ==, "critical");
  g_assert_null (error_id (find_check (root, "default", "openai.key")));
  g_assert_null (error_id (find_check (root, "default", "kommo.account")));
  g_assert_cmpstr (error_id (find_check (root, "acme", "openai.key")), ==, "openai.auth");
  g_assert_null (error_id (find_check (root, "acme", "kommo.account")));
  g_assert_cmpstr (json_object_get_string_member (find_check (root, "default", "openai.key"), "status"), ==, "ok");
}

static void
test_check_one_account (void)
{
  g_autoptr(BgptSimulator) simulator = set_up_two_accounts (TEST_ACME_KOMMO_TOKEN);
  g_autoptr(JsonNode) root = NULL;
  g_auto(Run) run = { 0 };

  root = check_json (&run, "default", 0);
  g_assert_cmpuint (count_checks_of (root, "acme"), ==, 0);
  g_assert_cmpuint (count_checks_of (root, "default"), >=, 2);
  g_clear_pointer (&root, json_node_unref);
  run_clear (&run);

  root = check_json (&run, "acme", 2);
  g_assert_cmpuint (count_checks_of (root, "default"), ==, 0);
  g_assert_cmpstr (error_id (find_check (root, "acme", "kommo.account")), ==, "kommo.auth");
  g_clear_pointer (&root, json_node_unref);
  run_clear (&run);

  run_cli (&run, NULL, "--check", "--account=nobody");
  assert_status (&run, 3);
  g_assert_nonnull (strstr (run.out, "There is no account “nobody”"));
}

static void
test_check_environment_overrides (void)
{
  /* The stored key is refused; the one from the environment wins, and the
   * stored token and URLs still apply. */
  g_autoptr(BgptSimulator) simulator = set_up_two_accounts (TEST_ACME_OPENAI_KEY);
  g_autoptr(JsonNode) root = NULL;
  g_auto(Run) run = { 0 };
  const char * const key_override[] = { "OPENAI_API_KEY", TEST_OPENAI_KEY_REPLACED };

  override_value = key_override;
  root = check_json (&run, "acme", 0);
  override_value = NULL;
  g_assert_cmpstr (json_object_get_string_member (find_check (root, "acme", "openai.key"), "status"), ==, "ok");
  g_assert_cmpstr (json_object_get_string_member (find_check (root, "acme", "kommo.account"), "status"), ==, "ok");
}

static void
test_no_keyring (void)
{
  g_auto(Run) run = { 0 };
  g_auto(GStrv) accounts = NULL;
  g_autoptr(JsonNode) root = NULL;
  gint64 started;

  set_stored_accounts ("@as []");
  started = g_get_monotonic_time ();
  run_cli (&run, TEST_CLI_OPENAI_KEY "\n", "--store-secret=openai-api-key");
  assert_status (&run, 3);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 10 * G_USEC_PER_SEC);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "keyring is not available"));
  g_assert_nonnull (strstr (run.err, "Nothing was stored"));
  run_clear (&run);

  /* No account either: nothing half done. */
  accounts = stored_accounts ();
  g_assert_cmpuint (g_strv_length (accounts), ==, 0);
  g_clear_pointer (&accounts, g_strfreev);

  /* Forgetting needs the keyring too, and then leaves the account be. */
  set_stored_accounts ("['default']");
  run_cli (&run, NULL, "--forget-account=default");
  assert_status (&run, 3);
  g_assert_nonnull (strstr (run.err, "keyring is not available"));
  g_assert_nonnull (strstr (run.err, "Nothing was removed"));
  accounts = stored_accounts ();
  g_assert_true (g_strv_contains ((const char * const *) accounts, "default"));
  run_clear (&run);

  /* --check says why it cannot check, in the JSON and the exit status. */
  set_account_setting ("default", "kommo-subdomain", "'acme'");
  root = check_json (&run, NULL, 3);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "status"), ==, "unknown");
  g_assert_cmpstr (error_id (find_check (root, "default", "openai.key")), ==, "keyring.unavailable");
  g_assert_cmpstr (error_id (find_check (root, "default", "kommo.account")), ==, "keyring.unavailable");
}

static gboolean
terminal_echoes (int fd)
{
  struct termios settings;

  g_assert_cmpint (tcgetattr (fd, &settings), ==, 0);
  return (settings.c_lflag & ECHO) != 0;
}

/* Interrupted while it waits for the secret with echo off, the command
 * gives the terminal its echo back. */
static void
test_terminal_echo_restored (void)
{
  const int signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

  for (gsize i = 0; i < G_N_ELEMENTS (signals); i++)
    {
      g_autofree char *binary = binary_path ();
      g_autoptr(GSubprocessLauncher) launcher = launcher_new ("C");
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GError) error = NULL;
      gint64 deadline = g_get_monotonic_time () + bgpt_test_scaled_ms (20000) * 1000;
      int master = posix_openpt (O_RDWR | O_NOCTTY);
      int terminal;

      g_assert_cmpint (master, >=, 0);
      g_assert_cmpint (grantpt (master), ==, 0);
      g_assert_cmpint (unlockpt (master), ==, 0);
      terminal = open (ptsname (master), O_RDWR | O_NOCTTY);
      g_assert_cmpint (terminal, >=, 0);
      g_assert_true (terminal_echoes (terminal));

      g_subprocess_launcher_set_flags (launcher, G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                 G_SUBPROCESS_FLAGS_STDERR_SILENCE);
      g_subprocess_launcher_take_stdin_fd (launcher, dup (terminal));
      process = g_subprocess_launcher_spawn (launcher, &error, binary,
                                             "--store-secret=openai-api-key", NULL);
      g_assert_no_error (error);

      /* Waiting for the secret, not shown. */
      while (terminal_echoes (terminal) && g_get_monotonic_time () < deadline)
        g_usleep (10 * 1000);
      g_assert_false (terminal_echoes (terminal));

      g_subprocess_send_signal (process, signals[i]);
      g_subprocess_wait (process, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_signaled (process));
      g_assert_cmpint (g_subprocess_get_term_sig (process), ==, signals[i]);
      g_assert_true (terminal_echoes (terminal));

      close (terminal);
      close (master);
    }
}

int
main (int   argc,
      char *argv[])
{
  /* The meson.build entry run with no keyring: only what must work there. */
  if (bgpt_test_init_keyfile_session (&argc, &argv))
    {
      g_test_add_func ("/cli-secrets/no-keyring", test_no_keyring);
      return g_test_run ();
    }

  g_test_add_func ("/cli-secrets/store-openai-key", test_store_openai_key);
  g_test_add_func ("/cli-secrets/store-kommo-token-crlf", test_store_kommo_token_crlf);
  g_test_add_func ("/cli-secrets/no-final-newline", test_no_final_newline);
  g_test_add_func ("/cli-secrets/refused-inputs", test_refused_inputs);
  g_test_add_func ("/cli-secrets/usage", test_usage);
  g_test_add_func ("/cli-secrets/terminal-echo-restored", test_terminal_echo_restored);
  g_test_add_func ("/cli-secrets/not-in-argv-or-environment", test_not_in_argv_or_environment);
  g_test_add_func ("/cli-secrets/forget-account", test_forget_account);
  g_test_add_func ("/cli-secrets/pt-BR", test_pt_br);
  g_test_add_func ("/cli-secrets/check-every-account", test_check_every_account);
  g_test_add_func ("/cli-secrets/check-one-account", test_check_one_account);
  g_test_add_func ("/cli-secrets/check-environment-overrides", test_check_environment_overrides);

  return g_test_run ();
}
