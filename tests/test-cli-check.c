/* test-cli-check.c: the built `bytegpt-monitor --check`, run as a child
 * process with a controlled environment against an in-process simulator.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* posix_openpt(), grantpt(), unlockpt(), ptsname() */
#define _GNU_SOURCE

#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <json-glib/json-glib.h>

#include "bgpt-simulator.h"
#include "bgpt-test-utils.h"

#define TEST_KEY   "sk-proj-CliKey0123456789abcdefXYZ"
#define TEST_TOKEN "kommo-CliToken0123456789abcdef"
#define TEST_ADMIN_KEY "sk-admin-CliAdmin0123456789abcdef"

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
  gboolean       err_to_terminal;  /* stderr a pseudo-terminal, as for a person */
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
  const char *inherited[] = { "PATH", "GSETTINGS_SCHEMA_DIR", "BGPT_LOCALEDIR", "HOME", "LOCPATH" };
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
  /* The tests' own pt_BR.UTF-8 locale (LOCPATH): there gettext follows
   * LANGUAGE, which glibc 2.35 and later ignore under C.UTF-8. */
  setenv_child (fixture, "LANG", "pt_BR.UTF-8");
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
assert_no_fragment (const char *text)
{
  /* The admin key's public prefix "sk-admin-" may be named, not the rest. */
  const char * const secrets[] = { TEST_KEY, TEST_TOKEN, TEST_ADMIN_KEY + strlen ("sk-admin-"), NULL };

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
  int terminal_master = -1;
  int terminal;
  gint64 started;

  g_assert_nonnull (build_root);
  g_ptr_array_add (argv, g_build_filename (build_root, "src", "bytegpt-monitor", NULL));
  for (guint i = 0; i < fixture->args->len; i++)
    g_ptr_array_add (argv, g_strdup (g_ptr_array_index (fixture->args, i)));
  g_ptr_array_add (argv, NULL);

  for (guint i = 0; i < fixture->env->len; i++)
    g_ptr_array_add (envp, g_ptr_array_index (fixture->env, i));
  g_ptr_array_add (envp, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        (fixture->err_to_terminal ? 0 : G_SUBPROCESS_FLAGS_STDERR_PIPE));
  g_subprocess_launcher_set_environ (launcher, (char **) envp->pdata);
  if (fixture->err_to_terminal)
    {
      terminal_master = posix_openpt (O_RDWR | O_NOCTTY | O_NONBLOCK);
      g_assert_cmpint (terminal_master, >=, 0);
      g_assert_cmpint (grantpt (terminal_master), ==, 0);
      g_assert_cmpint (unlockpt (terminal_master), ==, 0);
      terminal = open (ptsname (terminal_master), O_RDWR | O_NOCTTY);
      g_assert_cmpint (terminal, >=, 0);
      g_subprocess_launcher_take_stderr_fd (launcher, terminal);
    }

  started = g_get_monotonic_time ();
  subprocess = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  /* The simulator answers from this process's main loop meanwhile. */
  g_subprocess_communicate_utf8_async (subprocess, NULL, NULL, bgpt_test_collect_result, &result);
  bgpt_test_await (&result);

  g_clear_pointer (&fixture->out, g_free);
  g_clear_pointer (&fixture->err, g_free);
  g_subprocess_communicate_utf8_finish (subprocess, result, &fixture->out, &fixture->err, &error);
  g_assert_no_error (error);
  while (!g_subprocess_get_if_exited (subprocess) && !g_subprocess_get_if_signaled (subprocess))
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_subprocess_get_if_exited (subprocess));
  if (fixture->err_to_terminal)
    {
      GString *err = g_string_new (NULL);
      char buffer[4096];
      gssize n;

      /* The child is gone: what it wrote waits in the terminal. */
      while ((n = read (terminal_master, buffer, sizeof buffer)) > 0)
        g_string_append_len (err, buffer, n);
      close (terminal_master);
      fixture->err = g_string_free (err, FALSE);
    }

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
  /* Only the checks that ran, from 0 to the timeout (the stored 20 s). */
  assert_first_line (fixture,
                     "^BYTEGPT OK - 3 checks passed \\| 'kommo\\.account'=[0-9]+\\.[0-9]{3}s;;;0;20 "
                     "'openai\\.key'=[0-9]+\\.[0-9]{3}s;;;0;20 "
                     /* The headroom openai.key saw: left, warning below 10 %, 0 to the limit. */
                     "'openai\\.key\\.remaining_requests'=4980;500:;;0;5000 "
                     "'openai\\.key\\.remaining_tokens'=1900000;200000:;;0;2000000 "
                     "'openai\\.assistant'=[0-9]+\\.[0-9]{3}s;;;0;20$");
  /* One line per check follows, skipped ones included. */
  g_assert_nonnull (strstr (fixture->out, "\nkommo.account: "));
  g_assert_nonnull (strstr (fixture->out, "\nopenai.model: "));
  g_assert_nonnull (strstr (fixture->out, "\nopenai.quota: "));
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, NULL), ==, 3);
  g_assert_cmpstr (fixture->err, ==, "");
}

static void
test_warning (Fixture       *fixture,
              gconstpointer  user_data)
{
  bgpt_simulator_set_scenario (fixture->simulator, "openai.key", BGPT_SCENARIO_RATE_LIMITED);
  run (fixture);
  g_assert_cmpint (fixture->exit_status, ==, 1);
  assert_first_line (fixture, "^BYTEGPT WARNING - 1 problem \\(1 blocked\\): OpenAI Rate Limit Reached \\| .*'openai\\.key'=");
  g_assert_nonnull (strstr (fixture->out, "\nopenai.key: ERROR — OpenAI API key: OpenAI Rate Limit Reached (HTTP 429"));
}

/* Under 10 % of the organization's tokens left: a warning (exit 1) on
 * the key's check only, the assistant still checked; the JSON gives the
 * headroom of every OpenAI check that saw the headers. */
static void
test_rate_limit_near_json (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object, *key, *assistant, *ratelimit, *part;

  bgpt_simulator_set_rate_limit_headers (fixture->simulator, BGPT_RATE_LIMIT_HEADERS_NEAR);
  g_ptr_array_add (fixture->args, "--json");
  run (fixture);
  g_assert_cmpint (fixture->exit_status, ==, 1);
  object = parse_json (fixture, parser);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "warning");

  key = find_check (object, "openai.key");
  g_assert_cmpstr (json_object_get_string_member (key, "status"), ==, "error");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (key, "error"), "id"),
                   ==, "openai.rate-limit-near");
  ratelimit = json_object_get_object_member (key, "ratelimit");
  g_assert_nonnull (ratelimit);
  part = json_object_get_object_member (ratelimit, "requests");
  g_assert_cmpint (json_object_get_int_member (part, "limit"), ==, 5000);
  g_assert_cmpint (json_object_get_int_member (part, "remaining"), ==, 4980);
  /* "12ms" */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (part, "reset_s"), 0.012, 1e-9);
  part = json_object_get_object_member (ratelimit, "tokens");
  g_assert_cmpint (json_object_get_int_member (part, "limit"), ==, 2000000);
  g_assert_cmpint (json_object_get_int_member (part, "remaining"), ==, 150000);
  /* "6m0s" */
  g_assert_cmpint (json_object_get_int_member (part, "reset_s"), ==, 360);

  assistant = find_check (object, "openai.assistant");
  g_assert_cmpstr (json_object_get_string_member (assistant, "status"), ==, "ok");
  g_assert_true (json_object_get_null_member (assistant, "error"));
  part = json_object_get_object_member (json_object_get_object_member (assistant, "ratelimit"), "tokens");
  g_assert_cmpint (json_object_get_int_member (part, "remaining"), ==, 150000);

  /* Kommo sends none of these. */
  g_assert_false (json_object_has_member (find_check (object, "kommo.account"), "ratelimit"));
}

/* Text output: the warning on the first line, the counts in the perfdata. */
static void
test_rate_limit_near_text (Fixture       *fixture,
                           gconstpointer  user_data)
{
  bgpt_simulator_set_rate_limit_headers (fixture->simulator, BGPT_RATE_LIMIT_HEADERS_NEAR);
  run (fixture);
  g_assert_cmpint (fixture->exit_status, ==, 1);
  assert_first_line (fixture, "^BYTEGPT WARNING - 1 problem: OpenAI Rate Limit Almost Reached \\| .*"
                              "'openai\\.key\\.remaining_tokens'=150000;200000:;;0;2000000 ");
  g_assert_nonnull (strstr (fixture->out, "\nopenai.key: ERROR — OpenAI API key: OpenAI Rate Limit Almost "
                                          "Reached (HTTP 200) — Only 150 k of 2 M tokens are left."));
  g_assert_nonnull (strstr (fixture->out, "\nopenai.assistant: OK"));
}

/* Absent or unreadable headers: no "ratelimit", no counts, no warning. */
static void
test_rate_limit_unreadable (Fixture       *fixture,
                            gconstpointer  user_data)
{
  const BgptRateLimitHeaders modes[] = { BGPT_RATE_LIMIT_HEADERS_ABSENT, BGPT_RATE_LIMIT_HEADERS_MALFORMED };

  for (gsize i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *object;

      bgpt_simulator_set_rate_limit_headers (fixture->simulator, modes[i]);
      g_ptr_array_set_size (fixture->args, 1);
      run (fixture);
      g_assert_cmpint (fixture->exit_status, ==, 0);
      g_assert_null (strstr (fixture->out, "remaining_"));

      g_ptr_array_add (fixture->args, "--json");
      run (fixture);
      g_assert_cmpint (fixture->exit_status, ==, 0);
      object = parse_json (fixture, parser);
      g_assert_false (json_object_has_member (find_check (object, "openai.key"), "ratelimit"));
      g_assert_false (json_object_has_member (find_check (object, "openai.assistant"), "ratelimit"));
    }
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

/* Each case the simulator plays, and what `--check --json` says of it. */
typedef struct
{
  const char   *name;
  const char   *endpoint;
  BgptScenario  scenario;
  const char   *error_id;
  const char   *reason;     /* NULL: "reason" is null */
  int           exit_status;
  gboolean      deep;
  const char   *model;      /* BYTEGPT_MODEL, or NULL */
} ReasonCase;

static const ReasonCase reason_cases[] = {
  { "invalid-key", "openai.key", BGPT_SCENARIO_INVALID_KEY, "openai.auth", "invalid_api_key", 2 },
  { "missing-scope", "openai.key", BGPT_SCENARIO_MISSING_SCOPE, "openai.auth", "missing_scopes", 2 },
  { "ip-not-authorized", "openai.key", BGPT_SCENARIO_IP_NOT_AUTHORIZED, "openai.auth", "ip_not_authorized", 2 },
  { "account-deactivated", "openai.key", BGPT_SCENARIO_ACCOUNT_DEACTIVATED, "openai.auth", "account_deactivated", 2 },
  { "mismatched-organization", "openai.key", BGPT_SCENARIO_MISMATCHED_ORGANIZATION, "openai.auth", "organization", 2 },
  { "quota-exceeded", "openai.quota", BGPT_SCENARIO_QUOTA_EXCEEDED, "openai.quota", "insufficient_quota", 2, TRUE },
  { "credit-exhausted", "openai.quota", BGPT_SCENARIO_CREDIT_EXHAUSTED, "openai.quota", "credit_balance_exhausted", 2, TRUE },
  { "billing-not-active", "openai.quota", BGPT_SCENARIO_BILLING_NOT_ACTIVE, "openai.quota", "billing_not_active", 2, TRUE },
  { "spend-limit", "openai.quota", BGPT_SCENARIO_SPEND_LIMIT, "openai.quota", "organization_spend_limit_exceeded", 2, TRUE },
  { "slow-down", "openai.quota", BGPT_SCENARIO_SLOW_DOWN, "openai.rate-limit", "slow_down", 1, TRUE },
  { "slow-down-legacy", "openai.key", BGPT_SCENARIO_SLOW_DOWN_LEGACY, "openai.rate-limit", "slow_down", 1 },
  { "overloaded", "openai.key", BGPT_SCENARIO_OVERLOADED, "openai.timeout", "server_is_overloaded", 2 },
  { "cloudflare-timeout", "openai.key", BGPT_SCENARIO_CLOUDFLARE_TIMEOUT, "openai.timeout", NULL, 2 },
  { "service-unavailable-html", "openai.key", BGPT_SCENARIO_SERVICE_UNAVAILABLE_HTML, "openai.unexpected", NULL, 2 },
  { "assistants-shut-down", "openai.assistant", BGPT_SCENARIO_ASSISTANTS_SHUT_DOWN, "openai.assistant", "assistants_api_shut_down", 2 },
  { "assistant-not-found", "openai.assistant", BGPT_SCENARIO_NOT_FOUND, "openai.assistant", "not_found", 2 },
  { "model-retiring", "openai.model", BGPT_SCENARIO_MODEL_RETIRING, "openai.model-retiring", NULL, 1, FALSE, "gpt-4o-mini" },
  { "kommo-unknown-subdomain", "kommo.account", BGPT_SCENARIO_UNKNOWN_SUBDOMAIN, "kommo.not-found", NULL, 2 },
};

static void
test_reason_json (Fixture       *fixture,
                  gconstpointer  user_data)
{
  const ReasonCase *c = user_data;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object, *check, *error;

  bgpt_simulator_set_scenario (fixture->simulator, c->endpoint, c->scenario);
  if (c->model != NULL)
    setenv_child (fixture, "BYTEGPT_MODEL", c->model);
  g_ptr_array_add (fixture->args, "--json");
  if (c->deep)
    g_ptr_array_add (fixture->args, "--deep");
  run (fixture);
  g_assert_cmpint (fixture->exit_status, ==, c->exit_status);

  object = parse_json (fixture, parser);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==,
                   c->exit_status == 1 ? "warning" : "critical");
  check = find_check (object, c->endpoint);
  g_assert_cmpstr (json_object_get_string_member (check, "status"), ==, "error");
  error = json_object_get_object_member (check, "error");
  g_assert_cmpstr (json_object_get_string_member (error, "id"), ==, c->error_id);
  g_assert_true (json_object_has_member (error, "reason"));
  if (c->reason != NULL)
    g_assert_cmpstr (json_object_get_string_member (error, "reason"), ==, c->reason);
  else
    g_assert_true (json_object_get_null_member (error, "reason"));
}

static void
test_pt_br_titles (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object, *error;

  setenv_child (fixture, "LANGUAGE", "pt_BR");
  bgpt_simulator_set_scenario (fixture->simulator, "openai.key", BGPT_SCENARIO_INVALID_KEY);
  bgpt_simulator_set_scenario (fixture->simulator, "openai.assistant", BGPT_SCENARIO_ASSISTANTS_SHUT_DOWN);

  run (fixture);
  g_assert_cmpint (fixture->exit_status, ==, 2);
  /* One root cause: the assistant waits for the key. */
  assert_first_line (fixture, "^BYTEGPT CRITICAL - 1 problema \\(1 bloqueada\\): "
                              "Falha na Autenticação da API \\| ");
  g_assert_nonnull (strstr (fixture->out, "\nopenai.assistant: BLOQUEADA — Assistente da OpenAI: "
                                          "Aguardando a chave de API (openai.key)\n"));
  g_assert_null (strstr (fixture->out, "Assistant ID Inválido"));

  g_ptr_array_add (fixture->args, "--json");
  run (fixture);
  object = parse_json (fixture, parser);
  error = json_object_get_object_member (find_check (object, "openai.key"), "error");
  g_assert_cmpstr (json_object_get_string_member (error, "title"), ==, "Falha na Autenticação da API");
  /* Ids and statuses never change with the locale. */
  g_assert_cmpstr (json_object_get_string_member (error, "id"), ==, "openai.auth");
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "critical");
  g_assert_cmpstr (json_object_get_string_member (find_check (object, "openai.assistant"), "status"), ==,
                   "blocked");

  /* With the key accepted, the assistant speaks for itself. */
  bgpt_simulator_set_scenario (fixture->simulator, "openai.key", BGPT_SCENARIO_OK);
  g_ptr_array_remove (fixture->args, "--json");
  run (fixture);
  g_assert_cmpint (fixture->exit_status, ==, 2);
  g_assert_nonnull (strstr (fixture->out, "Assistant ID Inválido"));
}

static guint
count_occurrences (const char *text,
                   const char *needle)
{
  guint n = 0;

  for (const char *at = strstr (text, needle); at != NULL; at = strstr (at + 1, needle))
    n++;
  return n;
}

/* Runs --check twice, as text then as JSON; returns the JSON's checks. */
static JsonObject *
run_text_and_json (Fixture    *fixture,
                   JsonParser *parser,
                   char      **text)
{
  run (fixture);
  *text = g_strdup (fixture->out);
  g_ptr_array_add (fixture->args, "--json");
  run (fixture);
  g_ptr_array_remove (fixture->args, "--json");
  return parse_json (fixture, parser);
}

static void
assert_blocked (JsonObject *object,
                const char *check,
                const char *blocked_by)
{
  JsonObject *item = find_check (object, check);

  g_assert_cmpstr (json_object_get_string_member (item, "status"), ==, "blocked");
  g_assert_cmpstr (json_object_get_string_member (item, "blocked_by"), ==, blocked_by);
  g_assert_true (json_object_has_member (item, "error"));
  g_assert_true (json_object_get_null_member (item, "error"));
}

static void
assert_status (JsonObject *object,
               const char *check,
               const char *status)
{
  JsonObject *item = find_check (object, check);

  g_assert_cmpstr (json_object_get_string_member (item, "status"), ==, status);
  g_assert_false (json_object_has_member (item, "blocked_by"));
}

static const char *
error_id (JsonObject *object,
          const char *check)
{
  return json_object_get_string_member (json_object_get_object_member (find_check (object, check), "error"),
                                        "id");
}

static void
test_refused_key_blocks (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;
  JsonObject *object;

  setenv_child (fixture, "BYTEGPT_MODEL", "gpt-cli-test");
  bgpt_simulator_set_scenario (fixture->simulator, NULL, BGPT_SCENARIO_INVALID_KEY);
  bgpt_simulator_set_scenario (fixture->simulator, "kommo.account", BGPT_SCENARIO_OK);
  object = run_text_and_json (fixture, parser, &text);

  g_assert_cmpint (fixture->exit_status, ==, 2);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "critical");
  assert_status (object, "kommo.account", "ok");
  assert_status (object, "openai.key", "error");
  g_assert_cmpstr (error_id (object, "openai.key"), ==, "openai.auth");
  assert_blocked (object, "openai.model", "openai.key");
  assert_blocked (object, "openai.assistant", "openai.key");
  assert_status (object, "openai.quota", "skipped");

  g_assert_true (g_regex_match_simple ("^BYTEGPT CRITICAL - 1 problem \\(2 blocked\\): "
                                       "OpenAI API Authentication Failed \\| "
                                       "'kommo\\.account'=[0-9.]+s;;;0;[0-9]+ 'openai\\.key'=[0-9.]+s;;;0;[0-9]+\n",
                                       text, 0, 0));
  g_assert_nonnull (strstr (text, "\nopenai.model: BLOCKED — OpenAI model: Waiting for the API key (openai.key)\n"));
  g_assert_nonnull (strstr (text, "\nopenai.assistant: BLOCKED — "));
  /* The blocked checks' own answers say nothing, and are not shown. */
  g_assert_cmpuint (count_occurrences (text, "API Authentication Failed"), ==, 2);
}

static void
test_wrong_model (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;
  JsonObject *object;

  setenv_child (fixture, "BYTEGPT_MODEL", "gpt-no-such-model");
  bgpt_simulator_set_scenario (fixture->simulator, "openai.model", BGPT_SCENARIO_NOT_FOUND);
  g_ptr_array_add (fixture->args, "--deep");
  object = run_text_and_json (fixture, parser, &text);

  g_assert_cmpint (fixture->exit_status, ==, 2);
  assert_status (object, "openai.key", "ok");
  assert_status (object, "openai.model", "error");
  g_assert_cmpstr (error_id (object, "openai.model"), ==, "openai.model");
  assert_status (object, "openai.assistant", "ok");
  /* The deep check sends the model: it waits for it. */
  assert_blocked (object, "openai.quota", "openai.model");
  g_assert_true (g_regex_match_simple ("^BYTEGPT CRITICAL - 1 problem \\(1 blocked\\): "
                                       "[^|]+ \\| ", text, 0, 0));
  g_assert_nonnull (strstr (text, "\nopenai.quota: BLOCKED — OpenAI quota (deep check): "
                                  "Waiting for the model (openai.model)\n"));
}

static void
test_unreachable_openai (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/v1", bgpt_test_closed_port ());
  JsonObject *object;

  setenv_child (fixture, "OPENAI_BASE_URL", url);
  setenv_child (fixture, "BYTEGPT_MODEL", "gpt-cli-test");
  object = run_text_and_json (fixture, parser, &text);

  g_assert_cmpint (fixture->exit_status, ==, 2);
  assert_status (object, "kommo.account", "ok");
  g_assert_cmpstr (error_id (object, "openai.key"), ==, "openai.connection");
  assert_blocked (object, "openai.model", "openai.key");
  assert_blocked (object, "openai.assistant", "openai.key");
  g_assert_true (g_regex_match_simple ("^BYTEGPT CRITICAL - 1 problem \\(2 blocked\\): "
                                       "OpenAI Connection Error \\| ", text, 0, 0));
}

static void
test_kommo_down (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;
  JsonObject *object;

  setenv_child (fixture, "BYTEGPT_MODEL", "gpt-cli-test");
  bgpt_simulator_set_scenario (fixture->simulator, "kommo.account", BGPT_SCENARIO_SERVER_ERROR);
  object = run_text_and_json (fixture, parser, &text);

  g_assert_cmpint (fixture->exit_status, ==, 2);
  g_assert_cmpstr (error_id (object, "kommo.account"), ==, "kommo.unexpected");
  /* Nothing of OpenAI depends on Kommo. */
  assert_status (object, "openai.key", "ok");
  assert_status (object, "openai.model", "ok");
  assert_status (object, "openai.assistant", "ok");
  g_assert_true (g_regex_match_simple ("^BYTEGPT CRITICAL - 1 problem: "
                                       "[^|(]+ \\| 'kommo\\.account'=", text, 0, 0));
  g_assert_null (strstr (text, "BLOCKED"));
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

/* A real key to plain http:// on loopback works, and the person at the
 * terminal is told; a monitoring system's streams stay as they were. */
static void
test_unencrypted_warning (Fixture       *fixture,
                          gconstpointer  user_data)
{
  run (fixture);
  g_assert_cmpstr (fixture->err, ==, "");

  fixture->err_to_terminal = TRUE;
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

/* Several problems in pt_BR: the first line stays short, the details
 * follow it. */
static void
test_short_first_line (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autofree char *line = NULL;
  const char *bar;

  setenv_child (fixture, "LANGUAGE", "pt_BR");
  bgpt_simulator_set_scenario (fixture->simulator, NULL, BGPT_SCENARIO_GATEWAY_TIMEOUT);
  run (fixture);
  g_assert_cmpint (fixture->exit_status, ==, 2);
  line = first_line (fixture->out);
  bar = strchr (line, '|');
  g_assert_nonnull (bar);
  g_assert_cmpint (g_utf8_strlen (line, bar - line), <, 80);
  assert_first_line (fixture, "^BYTEGPT CRITICAL - 2 problemas \\(1 bloqueada\\), o primeiro: ");
  g_assert_nonnull (strstr (fixture->out, "\nopenai.key: ERRO — "));
}

/* -v adds each problem's cause and steps, in the long output. */
static void
test_verbose (Fixture       *fixture,
              gconstpointer  user_data)
{
  bgpt_simulator_set_scenario (fixture->simulator, "openai.key", BGPT_SCENARIO_INVALID_KEY);
  run (fixture);
  g_assert_null (strstr (fixture->out, "\n  1. "));

  g_ptr_array_add (fixture->args, "-v");
  run (fixture);
  g_assert_cmpint (fixture->exit_status, ==, 2);
  g_assert_nonnull (strstr (fixture->out, "\nopenai.key: ERROR — "));
  g_assert_nonnull (strstr (fixture->out, "\n  1. "));
}

/* Under LC_ALL=C (negate's, and many daemons'), nothing turns into '?':
 * the whole output is ASCII, the English punctuation transliterated. */
static void
test_c_locale (Fixture       *fixture,
               gconstpointer  user_data)
{
  bgpt_simulator_set_scenario (fixture->simulator, "openai.key", BGPT_SCENARIO_INVALID_KEY);
  setenv_child (fixture, "LC_ALL", "C");
  g_ptr_array_add (fixture->args, "-v");
  run (fixture);
  g_assert_cmpint (fixture->exit_status, ==, 2);
  for (const char *p = fixture->out; *p != '\0'; p++)
    g_assert_cmpint ((guchar) *p, <, 0x80);
  g_assert_null (strchr (fixture->out, '?'));
  g_assert_nonnull (strstr (fixture->out, "\nopenai.key: ERROR - OpenAI API key: "));

  /* Translated prose under an ASCII charset is transliterated, and JSON
   * stays UTF-8 whatever the locale. */
  setenv_child (fixture, "LC_ALL", NULL);
  setenv_child (fixture, "LC_CTYPE", "C");
  setenv_child (fixture, "LANGUAGE", "pt_BR");
  run (fixture);
  for (const char *p = fixture->out; *p != '\0'; p++)
    g_assert_cmpint ((guchar) *p, <, 0x80);
  g_assert_null (strchr (fixture->out, '?'));
  g_assert_nonnull (strstr (fixture->out, "Falha na Autenticacao da API"));

  g_ptr_array_add (fixture->args, "--json");
  run (fixture);
  g_assert_nonnull (strstr (fixture->out, "\"Falha na Autenticação da API\""));
}

/* A locale the C library lacks: GTK would warn on standard error, and
 * --check never starts GTK. */
static void
test_no_gtk (Fixture       *fixture,
             gconstpointer  user_data)
{
  setenv_child (fixture, "LANG", "xx_XX.UTF-8");
  setenv_child (fixture, "LC_ALL", "xx_XX.UTF-8");
  run (fixture);
  g_assert_cmpint (fixture->exit_status, ==, 0);
  g_assert_cmpstr (fixture->err, ==, "");
}

static const char * const usage_errors[] = {
  "--bogus",
  "-x",
  "-t",
  "--timeout=abc",
  "--timeout=0",
  "-t 601",
  "extra",
  "--store-secret=openai-api-key",
  "--forget-account=default",
  "-h",
  "--help",
  "-V",
  "--version",
};

/* Bad usage, --help and --version: exit 3 (UNKNOWN), as the standard
 * plugins do, with nothing sent; a usage error is one line on standard
 * output. */
static void
test_usage_error (Fixture       *fixture,
                  gconstpointer  user_data)
{
  const char *words = user_data;
  g_auto(GStrv) argv = g_strsplit (words, " ", -1);
  gboolean informative = g_str_has_prefix (words, "-h") || g_str_has_prefix (words, "--help") ||
                         g_str_has_prefix (words, "-V") || g_str_has_prefix (words, "--version");

  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (fixture->args, argv[i]);
  run (fixture);
  g_assert_cmpint (fixture->exit_status, ==, 3);
  g_assert_cmpstr (fixture->err, ==, "");
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, NULL), ==, 0);
  if (informative)
    {
      g_assert_null (strstr (fixture->out, "BYTEGPT"));
      return;
    }
  assert_first_line (fixture, "^BYTEGPT UNKNOWN - [^|]+$");
  g_assert_true (g_str_has_suffix (fixture->out, "\n"));
  g_assert_true (strchr (fixture->out, '\n') == fixture->out + strlen (fixture->out) - 1);
}

/* The standard short option for the timeout works. */
static void
test_short_timeout (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_ptr_array_add (fixture->args, "-t");
  g_ptr_array_add (fixture->args, "7");
  run (fixture);
  g_assert_cmpint (fixture->exit_status, ==, 0);
  assert_first_line (fixture, "^BYTEGPT OK - .*'openai\\.key'=[0-9.]+s;;;0;7 ");
}

/* Every day of the last thirty cost US$ 2, today's included, so the month
 * to date is 2 × the day of the month and the projection 2 × its length. */
static void
spend_two_dollars_a_day (Fixture *fixture,
                         guint   *day_of_month,
                         guint   *days_in_month)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  double usd[30];

  for (guint i = 0; i < G_N_ELEMENTS (usd); i++)
    usd[i] = 2.0;
  bgpt_simulator_set_costs (fixture->simulator, now, usd, G_N_ELEMENTS (usd));
  *day_of_month = g_date_time_get_day_of_month (now);
  *days_in_month = g_date_get_days_in_month (g_date_time_get_month (now), g_date_time_get_year (now));
  setenv_child (fixture, "OPENAI_ADMIN_KEY", TEST_ADMIN_KEY);
}

static JsonObject *
run_spend_json (Fixture *fixture,
                JsonParser *parser,
                int      expected_exit)
{
  g_ptr_array_add (fixture->args, "--json");
  run (fixture);
  g_assert_cmpint (fixture->exit_status, ==, expected_exit);
  assert_no_fragment (fixture->out);
  assert_no_fragment (fixture->err);
  return parse_json (fixture, parser);
}

/* Within the budget: "spend" beside the costs check, exit 0. */
static void
test_spend_ok (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *costs, *spend;
  guint day, days;

  spend_two_dollars_a_day (fixture, &day, &days);
  setenv_child (fixture, "BYTEGPT_MONTHLY_BUDGET_USD", "100000");
  costs = find_check (run_spend_json (fixture, parser, 0), "openai.costs");
  g_assert_cmpstr (json_object_get_string_member (costs, "status"), ==, "ok");
  g_assert_true (json_object_get_null_member (costs, "error"));
  spend = json_object_get_object_member (costs, "spend");
  g_assert_nonnull (spend);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (spend, "month_to_date_usd"), 2.0 * day, 1e-6);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (spend, "projected_usd"), 2.0 * days, 1e-6);
  g_assert_cmpfloat (json_object_get_double_member (spend, "budget_usd"), ==, 100000);
  g_assert_true (json_object_get_null_member (spend, "budget_reached_on"));
  /* The costs came with the admin key, and only the costs did. */
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, "openai.costs"), ==, 1);
}

/* The projection over 80 %: a warning, exit 1; perfdata has the spend with
 * the budget as its maximum. */
static void
test_spend_warning (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autofree char *budget = NULL;
  g_autofree char *pattern = NULL;
  guint day, days;

  spend_two_dollars_a_day (fixture, &day, &days);
  budget = g_strdup_printf ("%u", 2 * days + 1);
  setenv_child (fixture, "BYTEGPT_MONTHLY_BUDGET_USD", budget);
  run (fixture);
  g_assert_cmpint (fixture->exit_status, ==, 1);
  pattern = g_strdup_printf ("^BYTEGPT WARNING - 1 problem: OpenAI Budget Running Out \\| .*"
                             "'openai\\.costs'=[0-9.]+s;;;0;[0-9]+ 'openai\\.spend'=%u\\.00;;;0;%u\\.00$",
                             2 * day, 2 * days + 1);
  assert_first_line (fixture, pattern);
  g_assert_nonnull (strstr (fixture->out, "openai.costs: ERROR — OpenAI spending: OpenAI Budget Running Out"));
}

/* The perfdata's labels in order, each followed by a space. */
static char *
perfdata_labels (Fixture *fixture)
{
  g_autofree char *line = first_line (fixture->out);
  const char *bar = strstr (line, " | ");
  g_auto(GStrv) parts = NULL;
  GString *labels = g_string_new (NULL);

  g_assert_nonnull (bar);
  parts = g_strsplit (bar + strlen (" | "), " ", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_string_append_len (labels, parts[i], (gssize) strcspn (parts[i], "="));
      g_string_append_c (labels, ' ');
    }
  return g_string_free (labels, FALSE);
}

/* The report lists the checks in one order whichever answer came first:
 * the costs, run beside the checker, once first and once last. */
static void
test_spend_order (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autofree char *costs_answered_first = NULL;
  g_autofree char *costs_answered_last = NULL;
  guint day, days;

  spend_two_dollars_a_day (fixture, &day, &days);
  bgpt_simulator_set_delay (fixture->simulator, NULL, 300);
  bgpt_simulator_set_delay (fixture->simulator, BGPT_CHECK_OPENAI_COSTS, 0);
  run (fixture);
  g_assert_cmpint (fixture->exit_status, ==, 0);
  costs_answered_first = perfdata_labels (fixture);

  bgpt_simulator_set_delay (fixture->simulator, NULL, 0);
  bgpt_simulator_set_delay (fixture->simulator, BGPT_CHECK_OPENAI_COSTS, 300);
  run (fixture);
  costs_answered_last = perfdata_labels (fixture);

  g_assert_cmpstr (costs_answered_first, ==, costs_answered_last);
  g_assert_true (g_str_has_prefix (costs_answered_last, "'kommo.account' 'openai.key' "));
  g_assert_true (g_str_has_suffix (costs_answered_last, " 'openai.costs' 'openai.spend' "));
}

/* Spent over the budget: critical, exit 2, with the day it was reached. */
static void
test_spend_critical_json (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *first_day = g_date_time_format (now, "%Y-%m-01");
  JsonObject *object, *costs, *spend, *error;
  guint day, days;

  spend_two_dollars_a_day (fixture, &day, &days);
  setenv_child (fixture, "BYTEGPT_MONTHLY_BUDGET_USD", "1.50");
  object = run_spend_json (fixture, parser, 2);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "critical");
  costs = find_check (object, "openai.costs");
  error = json_object_get_object_member (costs, "error");
  g_assert_cmpstr (json_object_get_string_member (error, "id"), ==, "openai.budget");
  g_assert_cmpstr (json_object_get_string_member (error, "reason"), ==, "spent");
  spend = json_object_get_object_member (costs, "spend");
  g_assert_cmpfloat (json_object_get_double_member (spend, "budget_usd"), ==, 1.5);
  g_assert_cmpstr (json_object_get_string_member (spend, "budget_reached_on"), ==, first_day);
}

/* No budget: the figures, "budget_usd": null, nothing to judge. */
static void
test_spend_no_budget (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *costs, *spend;
  guint day, days;

  spend_two_dollars_a_day (fixture, &day, &days);
  costs = find_check (run_spend_json (fixture, parser, 0), "openai.costs");
  spend = json_object_get_object_member (costs, "spend");
  g_assert_true (json_object_get_null_member (spend, "budget_usd"));
  g_assert_true (json_object_get_null_member (spend, "budget_reached_on"));
}

/* The server refuses the admin key: openai.auth with its own reason, no
 * "spend"; the other checks are untouched. */
static void
test_spend_refused (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object, *costs, *error;
  guint day, days;

  spend_two_dollars_a_day (fixture, &day, &days);
  bgpt_simulator_set_scenario (fixture->simulator, "openai.costs", BGPT_SCENARIO_ADMIN_KEY_REQUIRED);
  object = run_spend_json (fixture, parser, 2);
  costs = find_check (object, "openai.costs");
  error = json_object_get_object_member (costs, "error");
  g_assert_cmpstr (json_object_get_string_member (error, "id"), ==, "openai.auth");
  g_assert_cmpstr (json_object_get_string_member (error, "reason"), ==, "admin_key_required");
  g_assert_false (json_object_has_member (costs, "spend"));
  g_assert_cmpstr (json_object_get_string_member (find_check (object, "openai.key"), "status"), ==, "ok");
}

/* What is not an admin key or an amount is refused before any request. */
static void
test_spend_bad_inputs (Fixture       *fixture,
                       gconstpointer  user_data)
{
  setenv_child (fixture, "OPENAI_ADMIN_KEY", TEST_KEY);
  run (fixture);
  g_assert_cmpint (fixture->exit_status, ==, 3);
  g_assert_nonnull (strstr (fixture->out, "sk-admin-"));
  assert_no_fragment (fixture->out);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, NULL), ==, 0);

  g_clear_pointer (&fixture->out, g_free);
  g_clear_pointer (&fixture->err, g_free);
  setenv_child (fixture, "OPENAI_ADMIN_KEY", TEST_ADMIN_KEY);
  setenv_child (fixture, "BYTEGPT_MONTHLY_BUDGET_USD", "NaN");
  run (fixture);
  g_assert_cmpint (fixture->exit_status, ==, 3);
  g_assert_nonnull (strstr (fixture->out, "BYTEGPT_MONTHLY_BUDGET_USD"));
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, NULL), ==, 0);
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
  ADD ("/cli-check/rate-limit-near-json", test_rate_limit_near_json);
  ADD ("/cli-check/rate-limit-near-text", test_rate_limit_near_text);
  ADD ("/cli-check/rate-limit-unreadable", test_rate_limit_unreadable);
  ADD ("/cli-check/retry-after-json", test_retry_after_json);
  ADD ("/cli-check/pt-br-titles", test_pt_br_titles);
  ADD ("/cli-check/refused-key-blocks", test_refused_key_blocks);
  ADD ("/cli-check/wrong-model", test_wrong_model);
  ADD ("/cli-check/unreachable-openai", test_unreachable_openai);
  ADD ("/cli-check/kommo-down", test_kommo_down);
  ADD ("/cli-check/nothing-to-check", test_nothing_to_check);
  ADD ("/cli-check/invalid-input-pt-br", test_invalid_input_pt_br);
  ADD ("/cli-check/echoed-secrets", test_echoed_secrets);
  ADD ("/cli-check/echo-near-snippet-limit", test_echo_near_snippet_limit);
  ADD ("/cli-check/unencrypted-warning", test_unencrypted_warning);
  ADD ("/cli-check/timeout", test_timeout);
  ADD ("/cli-check/bad-timeout", test_bad_timeout);
  ADD ("/cli-check/help-pt-br", test_help_pt_br);
  ADD ("/cli-check/short-first-line", test_short_first_line);
  ADD ("/cli-check/verbose", test_verbose);
  ADD ("/cli-check/c-locale", test_c_locale);
  ADD ("/cli-check/no-gtk", test_no_gtk);
  ADD ("/cli-check/short-timeout", test_short_timeout);
  ADD ("/cli-check/spend/ok", test_spend_ok);
  ADD ("/cli-check/spend/warning", test_spend_warning);
  ADD ("/cli-check/spend/order", test_spend_order);
  ADD ("/cli-check/spend/critical-json", test_spend_critical_json);
  ADD ("/cli-check/spend/no-budget", test_spend_no_budget);
  ADD ("/cli-check/spend/refused", test_spend_refused);
  ADD ("/cli-check/spend/bad-inputs", test_spend_bad_inputs);
#undef ADD

  for (guint i = 0; i < G_N_ELEMENTS (usage_errors); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cli-check/usage/%s", usage_errors[i]);

      g_test_add (path, Fixture, usage_errors[i], fixture_set_up, test_usage_error, fixture_tear_down);
    }

  for (guint i = 0; i < G_N_ELEMENTS (reason_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cli-check/reason/%s", reason_cases[i].name);

      g_test_add (path, Fixture, &reason_cases[i], fixture_set_up, test_reason_json, fixture_tear_down);
    }

  for (guint i = 0; i < G_N_ELEMENTS (invalid_inputs); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cli-check/invalid-input/%s", invalid_inputs[i].name);

      g_test_add (path, Fixture, &invalid_inputs[i], fixture_set_up, test_invalid_input, fixture_tear_down);
    }

  return g_test_run ();
}
