/* test-clients.c: every check against the simulator, through the real
 * HTTP stack: success, each documented failure, and the inputs refused
 * before any request.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "bgpt-kommo-client.h"
#include "bgpt-openai-client.h"
#include "bgpt-simulator.h"
#include "bgpt-test-utils.h"

#define TEST_KEY   "sk-proj-TestKey0123456789abcdefXYZ"
#define TEST_TOKEN "kommo-LongLivedToken0123456789abcdef"

typedef BgptTestHttpFixture Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  bgpt_test_http_fixture_set_up (fixture, user_data);
  bgpt_http_set_timeout (fixture->http, 5);

  fixture->config = bgpt_test_simulator_config (fixture->simulator, "default", TEST_KEY, TEST_TOKEN);
  fixture->config->kommo_subdomain = g_strdup ("acme");
  fixture->config->assistant_id = g_strdup ("asst_Abc123XYZ");
  fixture->config->model = g_strdup ("gpt-4.1-mini");
}

static BgptDiagnosis *
run_check (BgptHttp              *http,
           const BgptCheckConfig *config,
           const char            *check)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  BgptDiagnosis *diagnosis;

  if (g_str_equal (check, BGPT_CHECK_KOMMO_ACCOUNT))
    bgpt_kommo_check_account_async (http, config, NULL, bgpt_test_collect_result, &result);
  else if (g_str_equal (check, BGPT_CHECK_OPENAI_KEY))
    bgpt_openai_check_key_async (http, config, NULL, bgpt_test_collect_result, &result);
  else if (g_str_equal (check, BGPT_CHECK_OPENAI_MODEL))
    bgpt_openai_check_model_async (http, config, NULL, bgpt_test_collect_result, &result);
  else if (g_str_equal (check, BGPT_CHECK_OPENAI_ASSISTANT))
    bgpt_openai_check_assistant_async (http, config, NULL, bgpt_test_collect_result, &result);
  else if (g_str_equal (check, BGPT_CHECK_OPENAI_QUOTA))
    bgpt_openai_check_quota_async (http, config, NULL, bgpt_test_collect_result, &result);
  else
    g_assert_not_reached ();

  bgpt_test_await (&result);

  if (g_str_equal (check, BGPT_CHECK_KOMMO_ACCOUNT))
    diagnosis = bgpt_kommo_check_account_finish (http, result, &error);
  else
    diagnosis = bgpt_openai_check_finish (http, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (diagnosis);
  g_assert_cmpstr (diagnosis->check, ==, check);
  return diagnosis;
}

static void
assert_no_secret (const BgptDiagnosis *diagnosis)
{
  const char *texts[] = {
    diagnosis->api_type, diagnosis->api_code, diagnosis->api_message,
    diagnosis->request_id, diagnosis->detail, diagnosis->subject,
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      if (texts[i] == NULL)
        continue;
      g_assert_null (strstr (texts[i], TEST_KEY));
      g_assert_null (strstr (texts[i], TEST_TOKEN));
    }
}

/* What the providers send (docs/providers.md) and the diagnosis the
 * catalog gives it (docs/architecture.md, The error catalog). */
typedef struct
{
  const char   *check;
  BgptScenario  scenario;
  const char   *error_id;     /* NULL: the check passes */
  guint         http_status;
  const char   *api_code;     /* NULL: not asserted */
  gint64        retry_after_s;  /* 0: not asserted */
} Case;

static const Case cases[] = {
  { "kommo.account", BGPT_SCENARIO_OK, NULL, 200 },
  { "kommo.account", BGPT_SCENARIO_INVALID_KEY, "kommo.auth", 401 },
  { "kommo.account", BGPT_SCENARIO_PAYMENT_REQUIRED, "kommo.payment", 402 },
  { "kommo.account", BGPT_SCENARIO_FORBIDDEN, "kommo.forbidden", 403 },
  { "kommo.account", BGPT_SCENARIO_NOT_FOUND, "kommo.not-found", 404 },
  { "kommo.account", BGPT_SCENARIO_RATE_LIMITED, "kommo.rate-limit", 429, NULL, 2 },
  { "kommo.account", BGPT_SCENARIO_SERVER_ERROR, "kommo.unexpected", 500 },
  { "kommo.account", BGPT_SCENARIO_REQUEST_TIMEOUT, "kommo.timeout", 408 },
  { "kommo.account", BGPT_SCENARIO_GATEWAY_TIMEOUT, "kommo.timeout", 504 },
  { "kommo.account", BGPT_SCENARIO_MALFORMED_JSON, "kommo.unexpected", 200 },
  { "kommo.account", BGPT_SCENARIO_WRONG_SHAPE, "kommo.unexpected", 200 },
  { "kommo.account", BGPT_SCENARIO_CLOSE, "kommo.connection", 0 },
  { "kommo.account", BGPT_SCENARIO_UNKNOWN_SUBDOMAIN, "kommo.not-found", 302 },
  { "kommo.account", BGPT_SCENARIO_CLOUDFLARE_TIMEOUT, "kommo.timeout", 524 },
  { "kommo.account", BGPT_SCENARIO_RESET, "kommo.connection", 0 },

  { "openai.key", BGPT_SCENARIO_OK, NULL, 200 },
  { "openai.key", BGPT_SCENARIO_INVALID_KEY, "openai.auth", 401, "invalid_api_key" },
  { "openai.key", BGPT_SCENARIO_MISSING_SCOPE, "openai.auth", 401 },
  { "openai.key", BGPT_SCENARIO_MISMATCHED_ORGANIZATION, "openai.auth", 401, "mismatched_organization" },
  { "openai.key", BGPT_SCENARIO_FORBIDDEN, "openai.forbidden", 403, "unsupported_country_region_territory" },
  { "openai.key", BGPT_SCENARIO_RATE_LIMITED, "openai.rate-limit", 429, "rate_limit_exceeded", 20 },
  { "openai.key", BGPT_SCENARIO_QUOTA_EXCEEDED, "openai.quota", 429, "insufficient_quota" },
  { "openai.key", BGPT_SCENARIO_QUOTA_EXCEEDED_LEGACY, "openai.quota", 429 },
  { "openai.key", BGPT_SCENARIO_CREDIT_EXHAUSTED, "openai.quota", 429, "credit_balance_exhausted" },
  { "openai.key", BGPT_SCENARIO_SPEND_LIMIT, "openai.quota", 429, "organization_spend_limit_exceeded" },
  { "openai.key", BGPT_SCENARIO_REQUEST_TIMEOUT, "openai.timeout", 408 },
  { "openai.key", BGPT_SCENARIO_SERVER_ERROR, "openai.unexpected", 500 },
  { "openai.key", BGPT_SCENARIO_BAD_GATEWAY, "openai.unexpected", 502 },
  { "openai.key", BGPT_SCENARIO_OVERLOADED, "openai.timeout", 503, "server_is_overloaded" },
  { "openai.key", BGPT_SCENARIO_SLOW_DOWN, "openai.rate-limit", 429, "slow_down" },
  { "openai.key", BGPT_SCENARIO_SLOW_DOWN_LEGACY, "openai.rate-limit", 503, "slow_down" },
  { "openai.key", BGPT_SCENARIO_IP_NOT_AUTHORIZED, "openai.auth", 401, "ip_not_authorized" },
  { "openai.key", BGPT_SCENARIO_ACCOUNT_DEACTIVATED, "openai.auth", 401, "account_deactivated" },
  { "openai.key", BGPT_SCENARIO_BILLING_NOT_ACTIVE, "openai.quota", 429, "billing_not_active" },
  { "openai.key", BGPT_SCENARIO_SERVICE_UNAVAILABLE_HTML, "openai.unexpected", 503 },
  { "openai.key", BGPT_SCENARIO_CLOUDFLARE_TIMEOUT, "openai.timeout", 524 },
  { "openai.key", BGPT_SCENARIO_CLOUDFLARE_UNKNOWN, "openai.unexpected", 520 },
  { "openai.key", BGPT_SCENARIO_GATEWAY_TIMEOUT, "openai.timeout", 504 },
  { "openai.key", BGPT_SCENARIO_MALFORMED_JSON, "openai.unexpected", 200 },
  { "openai.key", BGPT_SCENARIO_WRONG_SHAPE, "openai.unexpected", 200 },
  { "openai.key", BGPT_SCENARIO_CLOSE, "openai.connection", 0 },
  { "openai.key", BGPT_SCENARIO_RESET, "openai.connection", 0 },

  { "openai.model", BGPT_SCENARIO_OK, NULL, 200 },
  { "openai.model", BGPT_SCENARIO_NOT_FOUND, "openai.model", 404, "model_not_found" },
  { "openai.model", BGPT_SCENARIO_MODEL_NO_ACCESS, "openai.forbidden", 403, "model_not_found" },
  { "openai.model", BGPT_SCENARIO_INVALID_KEY, "openai.auth", 401, "invalid_api_key" },
  { "openai.model", BGPT_SCENARIO_WRONG_SHAPE, "openai.unexpected", 200 },
  { "openai.model", BGPT_SCENARIO_MODEL_RETIRING, "openai.model-retiring", 200 },

  { "openai.assistant", BGPT_SCENARIO_OK, NULL, 200 },
  { "openai.assistant", BGPT_SCENARIO_NOT_FOUND, "openai.assistant", 404 },
  { "openai.assistant", BGPT_SCENARIO_ASSISTANTS_SHUT_DOWN, "openai.assistant", 404 },
  { "openai.assistant", BGPT_SCENARIO_MISSING_BETA_HEADER, "openai.assistant", 400, "invalid_beta" },
  { "openai.assistant", BGPT_SCENARIO_INVALID_KEY, "openai.auth", 401 },
  { "openai.assistant", BGPT_SCENARIO_MALFORMED_JSON, "openai.unexpected", 200 },

  { "openai.quota", BGPT_SCENARIO_OK, NULL, 200 },
  { "openai.quota", BGPT_SCENARIO_QUOTA_EXCEEDED, "openai.quota", 429, "insufficient_quota" },
  { "openai.quota", BGPT_SCENARIO_CREDIT_EXHAUSTED, "openai.quota", 429, "credit_balance_exhausted" },
  { "openai.quota", BGPT_SCENARIO_RATE_LIMITED, "openai.rate-limit", 429, "rate_limit_exceeded", 20 },
  { "openai.quota", BGPT_SCENARIO_NOT_FOUND, "openai.model", 404, "model_not_found" },
  { "openai.quota", BGPT_SCENARIO_SERVER_ERROR, "openai.unexpected", 500 },
};

static void
test_case (Fixture       *fixture,
           gconstpointer  user_data)
{
  const Case *c = user_data;
  g_autoptr(BgptDiagnosis) diagnosis = NULL;

  bgpt_simulator_set_scenario (fixture->simulator, c->check, c->scenario);
  diagnosis = run_check (fixture->http, fixture->config, c->check);

  g_assert_cmpstr (diagnosis->error_id, ==, c->error_id);
  g_assert_cmpuint (diagnosis->http_status, ==, c->http_status);
  if (c->api_code != NULL)
    g_assert_cmpstr (diagnosis->api_code, ==, c->api_code);
  if (c->retry_after_s != 0)
    g_assert_cmpint (diagnosis->retry_after_s, ==, c->retry_after_s);
  if (c->http_status != 0)
    g_assert_nonnull (diagnosis->request_id);
  g_assert_cmpint (diagnosis->elapsed_ms, >=, 0);
  g_assert_cmpint (diagnosis->elapsed_ms, <, 5000);
  assert_no_secret (diagnosis);

  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, c->check), ==, 1);
  g_assert_true (bgpt_simulator_get_request (fixture->simulator, 0)->has_authorization);
}

static void
test_success_details (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(BgptDiagnosis) key = run_check (fixture->http, fixture->config, "openai.key");
  g_autoptr(BgptDiagnosis) model = run_check (fixture->http, fixture->config, "openai.model");
  g_autoptr(BgptDiagnosis) assistant = run_check (fixture->http, fixture->config, "openai.assistant");
  g_autoptr(BgptDiagnosis) kommo = run_check (fixture->http, fixture->config, "kommo.account");
  const BgptSimulatorRequest *request;

  g_assert_true (bgpt_diagnosis_is_ok (key));
  g_assert_nonnull (key->items);
  g_assert_true (g_strv_contains ((const char * const *) key->items, "gpt-4.1-mini"));
  g_assert_cmpstr (model->subject, ==, "gpt-4.1-mini");
  g_assert_true (bgpt_diagnosis_is_ok (assistant));
  g_assert_nonnull (assistant->subject);
  g_assert_true (bgpt_diagnosis_is_ok (kommo));
  g_assert_nonnull (kommo->subject);

  request = bgpt_simulator_get_request (fixture->simulator, 2);
  g_assert_cmpstr (request->endpoint, ==, "openai.assistant");
  g_assert_cmpstr (request->path, ==, "/v1/assistants/asst_Abc123XYZ");
  g_assert_cmpstr (request->openai_beta, ==, "assistants=v2");

  request = bgpt_simulator_get_request (fixture->simulator, 1);
  g_assert_cmpstr (request->path, ==, "/v1/models/gpt-4.1-mini");
  g_assert_null (request->openai_beta);

  request = bgpt_simulator_get_request (fixture->simulator, 3);
  g_assert_cmpstr (request->path, ==, "/api/v4/account");
  g_assert_cmpstr (request->method, ==, "GET");
}

static void
assert_quota_request (const BgptSimulatorRequest *request,
                      const char                 *model)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (request->path, ==, "/v1/responses");
  json_parser_load_from_data (parser, request->body, -1, &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "model"), ==, model);
  g_assert_cmpstr (json_object_get_string_member (object, "input"), ==, "ping");
  g_assert_cmpint (json_object_get_int_member (object, "max_output_tokens"), ==, 16);
  /* Nothing of the check is kept at OpenAI. */
  g_assert_true (json_object_has_member (object, "store"));
  g_assert_false (json_object_get_boolean_member (object, "store"));
  g_assert_cmpuint (json_object_get_size (object), ==, 4);
}

static void
test_quota_request (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(BgptDiagnosis) configured = run_check (fixture->http, fixture->config, "openai.quota");
  g_autoptr(BgptDiagnosis) fallback = NULL;

  g_assert_true (bgpt_diagnosis_is_ok (configured));
  assert_quota_request (bgpt_simulator_get_request (fixture->simulator, 0), "gpt-4.1-mini");

  /* No model set: the key's own list decides. The simulator's lists
   * gpt-4.1-mini, gpt-4o and gpt-4o-mini with a shutdown_date, an embedding
   * model, and gpt-6-luna without one. */
  g_clear_pointer (&fixture->config->model, g_free);
  fallback = run_check (fixture->http, fixture->config, "openai.quota");
  g_assert_true (bgpt_diagnosis_is_ok (fallback));
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, NULL), ==, 3);
  g_assert_cmpstr (bgpt_simulator_get_request (fixture->simulator, 1)->method, ==, "GET");
  g_assert_cmpstr (bgpt_simulator_get_request (fixture->simulator, 1)->path, ==, "/v1/models");
  assert_quota_request (bgpt_simulator_get_request (fixture->simulator, 2), "gpt-6-luna");
}

/* A list that cannot be read is the deep check's answer; a list with no
 * current text model asks for the model to be set. */
static void
test_quota_without_model (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(BgptDiagnosis) refused = NULL;
  g_autoptr(BgptDiagnosis) nothing = NULL;

  g_clear_pointer (&fixture->config->model, g_free);
  bgpt_simulator_set_scenario (fixture->simulator, "openai.key", BGPT_SCENARIO_INVALID_KEY);
  refused = run_check (fixture->http, fixture->config, "openai.quota");
  g_assert_cmpstr (refused->check, ==, "openai.quota");
  g_assert_cmpstr (refused->error_id, ==, "openai.auth");
  g_assert_cmpstr (refused->reason, ==, "invalid_api_key");
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, "openai.quota"), ==, 0);

  bgpt_simulator_set_response (fixture->simulator, "openai.key", 200, NULL,
                               "{\"object\":\"list\",\"data\":["
                               "{\"id\":\"gpt-4o-mini\",\"object\":\"model\",\"shutdown_date\":\"2027-01-14\"},"
                               "{\"id\":\"text-embedding-3-large\",\"object\":\"model\"},"
                               "{\"id\":\"gpt-realtime\",\"object\":\"model\"}]}");
  nothing = run_check (fixture->http, fixture->config, "openai.quota");
  g_assert_cmpstr (nothing->error_id, ==, "openai.model");
  g_assert_nonnull (nothing->detail);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, "openai.quota"), ==, 0);
}

static void
test_pick_probe_model (void)
{
  const char * const listed[] = {
    "gpt-4o-realtime-preview", "text-embedding-3-small", "gpt-image-2", "gpt-6-luna",
    "gpt-6-luna-mini-2026-10-01", "gpt-6-luna-mini", "o4-mini", "whisper-1",
    "gpt-6-terra-mini", "gpt-4o-mini-tts", "davinci-002", NULL
  };
  const char * const no_text[] = { "text-embedding-3-small", "tts-1", "o3", NULL };
  const char * const one[] = { "gpt-6-sol", NULL };

  /* Smallest kind, then the alias, then the latest name. */
  g_assert_cmpstr (bgpt_openai_pick_probe_model (listed), ==, "gpt-6-luna-mini");
  g_assert_cmpstr (bgpt_openai_pick_probe_model (one), ==, "gpt-6-sol");
  g_assert_null (bgpt_openai_pick_probe_model (no_text));
  g_assert_null (bgpt_openai_pick_probe_model (NULL));
}

typedef struct
{
  const char *check;
  const char *field;
  const char *value;
  const char *error_id;
} RefusedCase;

/* Inputs refused before any request (docs/architecture.md, From an HTTP
 * response to a notification). */
static const RefusedCase refused_cases[] = {
  { "openai.key", "openai_api_key", "sk-abc\r\nX-Injected: 1", "config.invalid" },
  { "openai.key", "openai_api_key", "sk-abc\ndef", "config.invalid" },
  { "openai.key", "openai_api_key", "sk abc", "config.invalid" },
  { "openai.key", "openai_api_key", "", "openai.auth" },
  { "openai.model", "openai_api_key", "sk-abc\r\n", "config.invalid" },
  { "openai.assistant", "openai_api_key", "sk-abc\x01", "config.invalid" },
  { "openai.quota", "openai_api_key", "sk-abc\r\n", "config.invalid" },
  { "kommo.account", "kommo_token", "tok\r\nen", "config.invalid" },
  { "kommo.account", "kommo_token", "", "kommo.auth" },
  { "openai.key", "openai_base_url", "http://api.openai.com/v1", "config.invalid" },
  { "openai.key", "openai_base_url", "ftp://127.0.0.1/v1", "config.invalid" },
  { "kommo.account", "kommo_base_url", "http://acme.kommo.com", "config.invalid" },
  { "kommo.account", "kommo_subdomain", "not a subdomain!", "config.invalid" },
  { "openai.assistant", "assistant_id", "asst-bad id", "openai.assistant" },
  { "openai.assistant", "assistant_id", "Abc123", "openai.assistant" },
  { "openai.model", "model", "gpt 4o\r\n", "config.invalid" },
};

static void
test_refused (Fixture       *fixture,
              gconstpointer  user_data)
{
  const RefusedCase *c = user_data;
  g_autoptr(BgptDiagnosis) diagnosis = NULL;
  char **field = NULL;

  if (g_str_equal (c->field, "openai_api_key"))
    field = &fixture->config->openai_api_key;
  else if (g_str_equal (c->field, "kommo_token"))
    field = &fixture->config->kommo_token;
  else if (g_str_equal (c->field, "openai_base_url"))
    field = &fixture->config->openai_base_url;
  else if (g_str_equal (c->field, "kommo_base_url"))
    field = &fixture->config->kommo_base_url;
  else if (g_str_equal (c->field, "kommo_subdomain"))
    {
      field = &fixture->config->kommo_subdomain;
      g_clear_pointer (&fixture->config->kommo_base_url, g_free);
    }
  else if (g_str_equal (c->field, "assistant_id"))
    field = &fixture->config->assistant_id;
  else if (g_str_equal (c->field, "model"))
    field = &fixture->config->model;
  g_assert_nonnull (field);

  g_free (*field);
  *field = g_strdup (c->value);

  diagnosis = run_check (fixture->http, fixture->config, c->check);
  g_assert_cmpstr (diagnosis->error_id, ==, c->error_id);
  g_assert_cmpuint (diagnosis->http_status, ==, 0);
  g_assert_cmpint (diagnosis->elapsed_ms, ==, 0);
  if (diagnosis->detail != NULL && strlen (c->value) >= 4 &&
      (g_str_equal (c->field, "openai_api_key") || g_str_equal (c->field, "kommo_token")))
    g_assert_null (strstr (diagnosis->detail, c->value));

  /* Let anything that was sent arrive. */
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, NULL), ==, 0);
}

static void
test_echoed_secret_is_scrubbed (Fixture       *fixture,
                                gconstpointer  user_data)
{
  const char *checks[] = { "openai.key", "openai.model", "openai.assistant", "kommo.account" };

  bgpt_simulator_set_scenario (fixture->simulator, NULL, BGPT_SCENARIO_ECHO_SECRET);

  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      g_autoptr(BgptDiagnosis) diagnosis = run_check (fixture->http, fixture->config, checks[i]);
      g_autoptr(BgptDiagnosis) copy = bgpt_diagnosis_copy (diagnosis);

      g_assert_cmpstr (diagnosis->error_id, ==,
                       g_str_equal (checks[i], "kommo.account") ? "kommo.auth" : "openai.auth");
      /* The server did echo it: the scrubbed message is still there. */
      if (!g_str_equal (checks[i], "kommo.account"))
        g_assert_nonnull (diagnosis->api_message);
      assert_no_secret (diagnosis);
      assert_no_secret (copy);
    }
}

static void
test_raw_response (Fixture       *fixture,
                   gconstpointer  user_data)
{
  const char *headers[] = { "x-request-id", "req_raw42", "Content-Type", "application/json", NULL };
  g_autoptr(BgptDiagnosis) diagnosis = NULL;

  bgpt_simulator_set_response (fixture->simulator, "openai.key", 401, headers,
                               "{\"error\":{\"message\":\"Your key was revoked.\",\"type\":\"invalid_request_error\","
                               "\"param\":null,\"code\":\"invalid_api_key\"}}");
  diagnosis = run_check (fixture->http, fixture->config, "openai.key");
  g_assert_cmpstr (diagnosis->error_id, ==, "openai.auth");
  g_assert_cmpstr (diagnosis->request_id, ==, "req_raw42");
  g_assert_cmpstr (diagnosis->api_message, ==, "Your key was revoked.");
}

static void
test_kommo_default_base_url (void)
{
  g_autoptr(BgptCheckConfig) config = bgpt_check_config_new ("default");
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *openai = NULL;

  config->kommo_subdomain = g_strdup ("https://Acme.kommo.com/leads");
  url = bgpt_kommo_base_url (config, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (url, ==, "https://acme.kommo.com");

  /* A legacy amoCRM account, stored as its whole host. */
  g_free (config->kommo_subdomain);
  config->kommo_subdomain = g_strdup ("foo.amocrm.ru");
  g_clear_pointer (&url, g_free);
  url = bgpt_kommo_base_url (config, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (url, ==, "https://foo.amocrm.ru");

  openai = bgpt_openai_base_url (config);
  g_assert_cmpstr (openai, ==, "https://api.openai.com/v1");

  config->openai_base_url = g_strdup ("http://127.0.0.1:8080/v1//");
  g_clear_pointer (&openai, g_free);
  openai = bgpt_openai_base_url (config);
  g_assert_cmpstr (openai, ==, "http://127.0.0.1:8080/v1");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/clients/%s/%s", cases[i].check,
                                               bgpt_scenario_to_string (cases[i].scenario));
      g_test_add (path, Fixture, &cases[i], fixture_set_up, test_case, bgpt_test_http_fixture_tear_down);
    }

  for (guint i = 0; i < G_N_ELEMENTS (refused_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/clients/refused/%u-%s-%s", i,
                                               refused_cases[i].check, refused_cases[i].field);
      g_test_add (path, Fixture, &refused_cases[i], fixture_set_up, test_refused, bgpt_test_http_fixture_tear_down);
    }

  g_test_add ("/clients/success-details", Fixture, NULL,
              fixture_set_up, test_success_details, bgpt_test_http_fixture_tear_down);
  g_test_add ("/clients/quota-request", Fixture, NULL,
              fixture_set_up, test_quota_request, bgpt_test_http_fixture_tear_down);
  g_test_add ("/clients/echoed-secret-scrubbed", Fixture, NULL,
              fixture_set_up, test_echoed_secret_is_scrubbed, bgpt_test_http_fixture_tear_down);
  g_test_add ("/clients/raw-response", Fixture, NULL,
              fixture_set_up, test_raw_response, bgpt_test_http_fixture_tear_down);
  g_test_add ("/clients/quota-without-model", Fixture, NULL,
              fixture_set_up, test_quota_without_model, bgpt_test_http_fixture_tear_down);
  g_test_add_func ("/clients/pick-probe-model", test_pick_probe_model);
  g_test_add_func ("/clients/base-urls", test_kommo_default_base_url);

  return g_test_run ();
}
