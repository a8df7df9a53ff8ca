/* test-cli-check.c: the built `bytegpt-monitor --check`, run as a child
 * process with a controlled environment against an in-process simulator.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "bgpt-simulator.h"
#include "bgpt-test-utils.h"

#define TEST_KEY   "sk-proj-CliKey0123456789abcdefXYZ"
#define TEST_TOKEN "kommo-CliToken0123456789abcdef"

typedef struct
{
  BgptSimulator *simulator;
  GPtrArray     *env;      /* NAME=VALUE, for the child */
  GPtrArray     *args;
  /* After run(): */
  int            exit_status;
  char          *out;
  char          *err;
  gint64         elapsed_ms;
} Fixture;

static void
setenv_child (Fixture    *fixture,
              const char *name,
              const char *value)
{
  g_autofree char *prefix = g_strconcat (name, "=", NULL);

  for (guint i = 0; i < fixture->env->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (fixture->env, i), prefix))
      {
        g_ptr_array_remove_index (fixture->env, i);
        break;
      }
  if (value != NULL)
    g_ptr_array_add (fixture->env, g_strconcat (name, "=", value, NULL));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  const char *inherited[] = { "PATH", "GSETTINGS_SCHEMA_DIR", "BGPT_LOCALEDIR", "HOME" };
  g_autoptr(GError) error = NULL;
  g_autofree char *openai = NULL;

  fixture->simulator = bgpt_simulator_new (&error);
  g_assert_no_error (error);

  /* Nothing from the test's own environment leaks in: no display, no
   * session bus, no locale but the one a test asks for. */
  fixture->env = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < G_N_ELEMENTS (inherited); i++)
    if (g_getenv (inherited[i]) != NULL)
      setenv_child (fixture, inherited[i], g_getenv (inherited[i]));
  setenv_child (fixture, "GSETTINGS_BACKEND", "memory");
  setenv_child (fixture, "LANG", "C.UTF-8");
  setenv_child (fixture, "LANGUAGE", "en");

  openai = bgpt_simulator_dup_openai_base_url (fixture->simulator);
  setenv_child (fixture, "OPENAI_API_KEY", TEST_KEY);
  setenv_child (fixture, "OPENAI_BASE_URL", openai);
  setenv_child (fixture, "BYTEGPT_ASSISTANT_ID", "asst_CliAssistant42");
  setenv_child (fixture, "KOMMO_SUBDOMAIN", "acme");
  setenv_child (fixture, "KOMMO_TOKEN", TEST_TOKEN);
  setenv_child (fixture, "KOMMO_BASE_URL", bgpt_simulator_get_base_url (fixture->simulator));

  fixture->args = g_ptr_array_new ();
  g_ptr_array_add (fixture->args, "--check");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_ptr_array_unref (fixture->env);
  g_ptr_array_unref (fixture->args);
  g_free (fixture->out);
  g_free (fixture->err);
  g_assert_finalize_object (fixture->simulator);
}

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
assert_no_fragment (const char *text)
{
  const char * const secrets[] = { TEST_KEY, TEST_TOKEN, NULL };

  for (guint i = 0; secrets[i] != NULL; i++)
    for (const char *p = secrets[i]; strlen (p) >= 8; p++)
      {
        g_autofree char *fragment = g_strndup (p, 8);

        if (strstr (text, fragment) != NULL)
          g_error ("the output shows “%s” of a secret", fragment);
      }
}

static void
run (Fixture *fixture)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) subprocess = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) envp = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *build_root = g_getenv ("BGPT_BUILD_ROOT");
  gint64 started;

  g_assert_nonnull (build_root);
  g_ptr_array_add (argv, g_build_filename (build_root, "src", "bytegpt-monitor", NULL));
  for (guint i = 0; i < fixture->args->len; i++)
    g_ptr_array_add (argv, g_strdup (g_ptr_array_index (fixture->args, i)));
  g_ptr_array_add (argv, NULL);

  for (guint i = 0; i < fixture->env->len; i++)
    g_ptr_array_add (envp, g_ptr_array_index (fixture->env, i));
  g_ptr_array_add (envp, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_environ (launcher, (char **) envp->pdata);

  started = g_get_monotonic_time ();
  subprocess = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  /* The simulator answers from this process's main loop meanwhile. */
  g_subprocess_communicate_utf8_async (subprocess, NULL, NULL, communicate_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_clear_pointer (&fixture->out, g_free);
  g_clear_pointer (&fixture->err, g_free);
  g_subprocess_communicate_utf8_finish (subprocess, result, &fixture->out, &fixture->err, &error);
  g_assert_no_error (error);
  while (!g_subprocess_get_if_exited (subprocess) && !g_subprocess_get_if_signaled (subprocess))
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_subprocess_get_if_exited (subprocess));

  fixture->elapsed_ms = (g_get_monotonic_time () - started) / 1000;
  fixture->exit_status = g_subprocess_get_exit_status (subprocess);
  g_test_message ("exit %d after %" G_GINT64_FORMAT " ms\nstdout:\n%s\nstderr:\n%s",
                  fixture->exit_status, fixture->elapsed_ms, fixture->out, fixture->err);

  /* Never, whatever happened: not even 8 characters in a row of either. */
  assert_no_fragment (fixture->out);
  assert_no_fragment (fixture->err);
}

static char *
first_line (const char *text)
{
  const char *end = strchr (text, '\n');

  return end != NULL ? g_strndup (text, end - text) : g_strdup (text);
}

static void
assert_first_line (Fixture    *fixture,
                   const char *pattern)
{
  g_autofree char *line = first_line (fixture->out);

  if (!g_regex_match_simple (pattern, line, 0, 0))
    g_error ("first line “%s” does not match “%s”", line, pattern);
}

static JsonObject *
parse_json (Fixture     *fixture,
            JsonParser  *parser)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, fixture->out, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_node_get_object (root);
}

static JsonObject *
find_check (JsonObject *object,
            const char *check)
{
  JsonArray *checks = json_object_get_array_member (object, "checks");

  for (guint i = 0; i < json_array_get_length (checks); i++)
    {
      JsonObject *item = json_array_get_object_element (checks, i);

      if (g_strcmp0 (json_object_get_string_member (item, "check"), check) == 0)
        return item;
    }
  g_error ("no check %s in the JSON output", check);
}

static void
test_ok (Fixture       *fixture,
         gconstpointer  user_data)
{
  run (fixture);
  g_assert_cmpint (fixture->exit_status, ==, 0);
  assert_first_line (fixture,
                     "^BYTEGPT OK - .* \\| 'kommo\\.account'=[0-9]+\\.[0-9]{3}s "
                     "'openai\\.key'=[0-9]+\\.[0-9]{3}s 'openai\\.assistant'=[0-9]+\\.[0-9]{3}s$");
  /* One line per check follows, skipped ones included. */
  g_assert_nonnull (strstr (fixture->out, "\nkommo.account: "));
  g_assert_nonnull (strstr (fixture->out, "\nopenai.model: "));
  g_assert_nonnull (strstr (fixture->out, "\nopenai.quota: "));
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, NULL), ==, 3);
  /* Nothing on standard error but the warnings about the simulator's
   * plain http:// (test-unencrypted-warning). */
  {
    g_auto(GStrv) lines = g_strsplit (fixture->err, "\n", -1);

    for (guint i = 0; lines[i] != NULL; i++)
      g_assert_true (*lines[i] == '\0' || strstr (lines[i], " goes unencrypted to http://127.0.0.1") != NULL);
  }
}

static void
test_warning (Fixture       *fixture,
              gconstpointer  user_data)
{
  bgpt_simulator_set_scenario (fixture->simulator, "openai.key", BGPT_SCENARIO_RATE_LIMITED);
  run (fixture);
  g_assert_cmpint (fixture->exit_status, ==, 1);
  assert_first_line (fixture, "^BYTEGPT WARNING - .*openai\\.key.* \\| .*'openai\\.key'=");
}

static void
test_critical_json (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object, *key, *error, *kommo;

  bgpt_simulator_set_scenario (fixture->simulator, "openai.key", BGPT_SCENARIO_INVALID_KEY);
  g_ptr_array_add (fixture->args, "--json");
  run (fixture);
  g_assert_cmpint (fixture->exit_status, ==, 2);

  object = parse_json (fixture, parser);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "critical");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "checks")), ==, 5);

  key = find_check (object, "openai.key");
  g_assert_cmpstr (json_object_get_string_member (key, "account"), ==, "default");
  g_assert_cmpstr (json_object_get_string_member (key, "status"), ==, "error");
  g_assert_cmpint (json_object_get_int_member (key, "elapsed_ms"), >=, 0);
  error = json_object_get_object_member (key, "error");
  g_assert_nonnull (error);
  g_assert_cmpstr (json_object_get_string_member (error, "id"), ==, "openai.auth");
  g_assert_cmpstr (json_object_get_string_member (error, "title"), ==, "OpenAI API Authentication Failed");
  g_assert_cmpint (json_object_get_int_member (error, "http_status"), ==, 401);
  g_assert_cmpstr (json_object_get_string_member (error, "api_code"), ==, "invalid_api_key");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (error, "request_id"), "req_"));
  g_assert_true (json_object_has_member (error, "retry_after_s"));
  g_assert_true (json_object_get_null_member (error, "retry_after_s"));

  kommo = find_check (object, "kommo.account");
  g_assert_cmpstr (json_object_get_string_member (kommo, "status"), ==, "ok");
  g_assert_true (json_object_get_null_member (kommo, "error"));

  g_assert_cmpstr (json_object_get_string_member (find_check (object, "openai.model"), "status"), ==, "skipped");
  g_assert_true (json_object_get_null_member (find_check (object, "openai.model"), "elapsed_ms"));
}

static void
test_retry_after_json (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object, *error;

  bgpt_simulator_set_scenario (fixture->simulator, "openai.assistant", BGPT_SCENARIO_RATE_LIMITED);
  g_ptr_array_add (fixture->args, "--json");
  run (fixture);
  g_assert_cmpint (fixture->exit_status, ==, 1);

  object = parse_json (fixture, parser);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "warning");
  error = json_object_get_object_member (find_check (object, "openai.assistant"), "error");
  g_assert_cmpstr (json_object_get_string_member (error, "id"), ==, "openai.rate-limit");
  g_assert_cmpint (json_object_get_int_member (error, "retry_after_s"), ==, 20);
}

static void
test_pt_br_titles (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object, *error;

  setenv_child (fixture, "LANGUAGE", "pt_BR");
  setenv_child (fixture, "LANG", "C.UTF-8");
  bgpt_simulator_set_scenario (fixture->simulator, "openai.key", BGPT_SCENARIO_INVALID_KEY);
  bgpt_simulator_set_scenario (fixture->simulator, "openai.assistant", BGPT_SCENARIO_ASSISTANTS_SHUT_DOWN);

  run (fixture);
  g_assert_cmpint (fixture->exit_status, ==, 2);
  assert_first_line (fixture, "^BYTEGPT CRITICAL - ");
  g_assert_nonnull (strstr (fixture->out, "Falha na Autenticação da API"));
  g_assert_nonnull (strstr (fixture->out, "Assistant ID Inválido"));

  g_ptr_array_add (fixture->args, "--json");
  run (fixture);
  object = parse_json (fixture, parser);
  error = json_object_get_object_member (find_check (object, "openai.key"), "error");
  g_assert_cmpstr (json_object_get_string_member (error, "title"), ==, "Falha na Autenticação da API");
  /* Ids and statuses never change with the locale. */
  g_assert_cmpstr (json_object_get_string_member (error, "id"), ==, "openai.auth");
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "critical");
}

static void
test_nothing_to_check (Fixture       *fixture,
                       gconstpointer  user_data)
{
  const char *names[] = { "OPENAI_API_KEY", "BYTEGPT_ASSISTANT_ID", "KOMMO_SUBDOMAIN",
                          "KOMMO_TOKEN", "KOMMO_BASE_URL" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    setenv_child (fixture, names[i], NULL);
  /* An empty variable counts as unset. */
  setenv_child (fixture, "OPENAI_API_KEY", "");

  run (fixture);
  g_assert_cmpint (fixture->exit_status, ==, 3);
  assert_first_line (fixture, "^BYTEGPT UNKNOWN - ");
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, NULL), ==, 0);
}

typedef struct
{
  const char *name;
  const char *value;
} InvalidInput;

static const InvalidInput invalid_inputs[] = {
  { "OPENAI_API_KEY", TEST_KEY "\r\nX-Injected: yes" },
  { "KOMMO_TOKEN", TEST_TOKEN "\n" },
  { "KOMMO_SUBDOMAIN", "acme corp!" },
  { "OPENAI_BASE_URL", "http://api.openai.com/v1" },
  { "KOMMO_BASE_URL", "http://acme.kommo.com" },
  { "BYTEGPT_MODEL", "gpt 4o" },
};

static void
test_invalid_input (Fixture       *fixture,
                    gconstpointer  user_data)
{
  const InvalidInput *input = user_data;

  setenv_child (fixture, input->name, input->value);
  run (fixture);
  g_assert_cmpint (fixture->exit_status, ==, 3);
  assert_first_line (fixture, "^BYTEGPT UNKNOWN - .*“default”");
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, NULL), ==, 0);

  g_ptr_array_add (fixture->args, "--json");
  run (fixture);
  g_assert_cmpint (fixture->exit_status, ==, 3);
  g_assert_nonnull (strstr (fixture->out, "\"unknown\""));
  g_assert_cmpstr (fixture->err, !=, "");
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, NULL), ==, 0);
}

static void
test_invalid_input_pt_br (Fixture       *fixture,
                          gconstpointer  user_data)
{
  setenv_child (fixture, "LANGUAGE", "pt_BR");
  setenv_child (fixture, "OPENAI_API_KEY", TEST_KEY "\r\n");
  run (fixture);
  g_assert_cmpint (fixture->exit_status, ==, 3);
  assert_first_line (fixture, "^BYTEGPT UNKNOWN - Conta “default”: .*OpenAI");
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, NULL), ==, 0);
}

static void
test_echoed_secrets (Fixture       *fixture,
                     gconstpointer  user_data)
{
  bgpt_simulator_set_scenario (fixture->simulator, NULL, BGPT_SCENARIO_ECHO_SECRET);
  setenv_child (fixture, "BYTEGPT_MODEL", "gpt-4.1-mini");

  /* run() asserts that neither secret shows up anywhere. */
  run (fixture);
  g_assert_cmpint (fixture->exit_status, ==, 2);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, NULL), ==, 4);

  g_ptr_array_add (fixture->args, "--json");
  g_ptr_array_add (fixture->args, "--deep");
  run (fixture);
  g_assert_cmpint (fixture->exit_status, ==, 2);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, NULL), ==, 9);
}

/* Echoed after white space that fills the snippet's reading limit, in a
 * proxy's error page: neither the output nor the debug log shows it. */
static void
test_echo_near_snippet_limit (Fixture       *fixture,
                              gconstpointer  user_data)
{
  const char * const headers[] = { "Content-Type", "text/html", NULL };

  setenv_child (fixture, "G_MESSAGES_DEBUG", "all");
  for (guint offset = 1540; offset <= 1575; offset += 5)
    {
      g_autofree char *blanks = g_strnfill (offset, ' ');
      g_autofree char *body = g_strconcat ("<html><body>", blanks, "<p>Authorization: Bearer ", TEST_KEY,
                                           " token ", TEST_TOKEN, "</p></body></html>", NULL);

      bgpt_simulator_set_response (fixture->simulator, "openai.key", 502, headers, body);
      bgpt_simulator_set_response (fixture->simulator, "kommo.account", 502, headers, body);
      /* run() asserts that no fragment of either secret shows up. */
      run (fixture);
      g_assert_cmpint (fixture->exit_status, ==, 2);
    }
}

/* A real key to plain http:// on loopback works, with a warning. */
static void
test_unencrypted_warning (Fixture       *fixture,
                          gconstpointer  user_data)
{
  run (fixture);
  g_assert_nonnull (strstr (fixture->err, "Warning: the OpenAI API key goes unencrypted to http://127.0.0.1"));
  g_assert_nonnull (strstr (fixture->err, "Warning: the Kommo token goes unencrypted to http://127.0.0.1"));
  /* Neither the Nagios line nor the JSON changes. */
  g_assert_true (g_str_has_prefix (fixture->out, "BYTEGPT "));

  /* Without a key there is nothing to warn about. */
  setenv_child (fixture, "OPENAI_API_KEY", NULL);
  run (fixture);
  g_assert_null (strstr (fixture->err, "OpenAI API key goes unencrypted"));
}

static void
test_timeout (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  bgpt_simulator_set_scenario (fixture->simulator, "openai.key", BGPT_SCENARIO_STALL_HEADERS);
  bgpt_simulator_set_scenario (fixture->simulator, "kommo.account", BGPT_SCENARIO_STALL_BODY);
  g_ptr_array_add (fixture->args, "--timeout=1");
  g_ptr_array_add (fixture->args, "--json");
  run (fixture);

  g_assert_cmpint (fixture->exit_status, ==, 2);
  g_assert_cmpint (fixture->elapsed_ms, >=, 1000);
  g_assert_cmpint (fixture->elapsed_ms, <, bgpt_test_scaled_ms (2500));
  object = parse_json (fixture, parser);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (find_check (object, "openai.key"), "error"), "id"),
                   ==, "openai.timeout");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (find_check (object, "kommo.account"), "error"), "id"),
                   ==, "kommo.timeout");
}

static void
test_bad_timeout (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_ptr_array_add (fixture->args, "--timeout=abc");
  run (fixture);
  g_assert_cmpint (fixture->exit_status, ==, 3);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, NULL), ==, 0);
}

static void
test_help_pt_br (Fixture       *fixture,
                 gconstpointer  user_data)
{
  setenv_child (fixture, "LANGUAGE", "pt_BR");
  g_ptr_array_set_size (fixture->args, 0);
  g_ptr_array_add (fixture->args, "--help");
  run (fixture);
  g_assert_cmpint (fixture->exit_status, ==, 0);
  g_assert_nonnull (strstr (fixture->out, "--check"));
  g_assert_nonnull (strstr (fixture->out, "--timeout=SEGUNDOS"));
  g_assert_null (strstr (fixture->out, "Run the connection checks once"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/cli-check/ok", test_ok);
  ADD ("/cli-check/warning", test_warning);
  ADD ("/cli-check/critical-json", test_critical_json);
  ADD ("/cli-check/retry-after-json", test_retry_after_json);
  ADD ("/cli-check/pt-br-titles", test_pt_br_titles);
  ADD ("/cli-check/nothing-to-check", test_nothing_to_check);
  ADD ("/cli-check/invalid-input-pt-br", test_invalid_input_pt_br);
  ADD ("/cli-check/echoed-secrets", test_echoed_secrets);
  ADD ("/cli-check/echo-near-snippet-limit", test_echo_near_snippet_limit);
  ADD ("/cli-check/unencrypted-warning", test_unencrypted_warning);
  ADD ("/cli-check/timeout", test_timeout);
  ADD ("/cli-check/bad-timeout", test_bad_timeout);
  ADD ("/cli-check/help-pt-br", test_help_pt_br);
#undef ADD

  for (guint i = 0; i < G_N_ELEMENTS (invalid_inputs); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cli-check/invalid-input/%s", invalid_inputs[i].name);

      g_test_add (path, Fixture, &invalid_inputs[i], fixture_set_up, test_invalid_input, fixture_tear_down);
    }

  return g_test_run ();
}
