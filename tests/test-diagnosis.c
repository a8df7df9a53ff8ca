/* test-diagnosis.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "bgpt-diagnosis.h"
#include "bgpt-incident-private.h"
#include "bgpt-test-utils.h"

#define KEY   "sk-proj-TESTKEY0123456789abcdef"
#define TOKEN "kommo-TOKEN-0123456789abcdef"

static const char * const test_secrets[] = { KEY, TOKEN, NULL };

/* One HTTP exchange and what the classifier must make of it. Strings that
 * are NULL in the expectation must be NULL in the diagnosis, except
 * message/detail/subject which are only checked when given. */
typedef struct
{
  const char           *name;
  BgptService           service;
  const char           *check;
  const char           *expected_id;
  GQuark              (*error_domain) (void);
  int                   error_code;
  GTlsCertificateFlags  tls_errors;
  guint                 status;
  const char           *headers;      /* "name: value\n…" */
  const char           *body;
  gssize                body_length;  /* 0: strlen (body) */
  gboolean              body_over_cap;

  const char           *error_id;     /* NULL: the check passes */
  const char           *api_code;
  const char           *request_id;
  gint64                retry_after;  /* RETRY_NONE when not given */
  const char           *message_has;
  const char           *detail_has;
  const char           *subject;
  int                   n_items;      /* -1: items must be NULL */
  const char           *reason;       /* NULL: the diagnosis has none */
  gboolean              warning;      /* the catalog calls error_id a warning */
  const char           *now;          /* "YYYY-MM-DD" (UTC) for dates in the body */
} DiagnosisCase;

/* Fields left out of a case are 0, so "no Retry-After" needs a real value. */
#define RETRY_NONE G_MININT64

#define OPENAI_ERROR(type, code, message) \
  "{\"error\":{\"message\":\"" message "\",\"type\":" type ",\"param\":null,\"code\":" code "}}"

static const char kommo_401[] =
  "{\"title\":\"Unauthorized\",\"type\":\"https://httpstatus.es/401\","
  "\"status\":401,\"detail\":\"Invalid user name or password\"}";

static const char kommo_account[] =
  "{\"id\":29876543,\"name\":\"Loja Exemplo\",\"subdomain\":\"lojaexemplo\","
  "\"current_user_id\":1234,\"country\":\"BR\",\"currency\":\"BRL\","
  "\"_links\":{\"self\":{\"href\":\"https://lojaexemplo.kommo.com/api/v4/account\"}}}";

static const char proxy_502[] =
  "<html>\r\n<head><title>502 Bad Gateway</title>"
  "<style>body { color: red; }</style><script>var x = '<b>';</script></head>\r\n"
  "<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n"
  "<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n";

/* What Cloudflare, in front of api.openai.com, answers when the origin
 * fails: an HTML page, never JSON (docs/providers.md). */
#define CLOUDFLARE_HEADERS "content-type: text/html; charset=UTF-8\nserver: cloudflare\ncf-ray: 8e3f2a1b9c0d4e5f-GRU"
#define CLOUDFLARE_PAGE(code, what) \
  "<!DOCTYPE html>\n<!--[if lt IE 7]> <html class=\"no-js ie6 oldie\" lang=\"en-US\"> <![endif]-->\n" \
  "<head>\n<title>api.openai.com | " code ": " what "</title>\n<meta charset=\"UTF-8\" />\n" \
  "<link rel=\"stylesheet\" id=\"cf_styles-css\" href=\"/cdn-cgi/styles/cf.errors.css\" />\n" \
  "<script>if (!navigator.cookieEnabled) { window.addEventListener('DOMContentLoaded', function () {}); }</script>\n" \
  "</head>\n<body>\n<div id=\"cf-wrapper\">\n<div id=\"cf-error-details\" class=\"p-0\">\n" \
  "<header class=\"mx-auto pt-10 lg:pt-6 lg:px-8 w-240 lg:w-full mb-8\">\n" \
  "<h1 class=\"inline-block sm:block sm:mb-2 font-light text-60 lg:text-4xl text-black-dark leading-tight mr-2\">\n" \
  "<span class=\"inline-block\">" what "</span>\n<span class=\"code-label\">Error code " code "</span>\n</h1>\n" \
  "</header>\n<div class=\"cf-error-footer cf-wrapper w-240 lg:w-full py-10 sm:py-4 sm:px-8 mx-auto text-center sm:text-left border-solid border-0 border-t border-gray-300\">\n" \
  "<p class=\"text-13\"><span class=\"cf-footer-item sm:block sm:mb-1\">Cloudflare Ray ID: <strong class=\"font-semibold\">8e3f2a1b9c0d4e5f</strong></span>\n" \
  "<span class=\"cf-footer-separator sm:hidden\">&bull;</span></p>\n</div>\n</div>\n</div>\n</body>\n</html>\n"

static const char nginx_503[] =
  "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n"
  "<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n"
  "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

static const char invalid_utf8[] = "{\"error\":{\"message\":\"bad \xff\xfe bytes\x00 and \xc3\",\"code\":\"x\"";

static const DiagnosisCase cases[] = {
  /* OpenAI authentication */
  { .name = "openai/401-invalid-api-key", .check = BGPT_CHECK_OPENAI_KEY, .status = 401,
    .headers = "x-request-id: req_401a\ncontent-type: application/json",
    .body = OPENAI_ERROR ("\"invalid_request_error\"", "\"invalid_api_key\"",
                          "Incorrect API key provided: sk-ab***wxyz. You can find your API key at https://platform.openai.com/account/api-keys."),
    .error_id = "openai.auth", .api_code = "invalid_api_key", .request_id = "req_401a",
    .retry_after = RETRY_NONE, .message_has = "Incorrect API key provided", .n_items = -1, .reason = "invalid_api_key" },
  { .name = "openai/401-no-key", .check = BGPT_CHECK_OPENAI_KEY, .status = 401,
    .body = OPENAI_ERROR ("\"invalid_request_error\"", "null",
                          "You didn't provide an API key. You need to provide your API key in an Authorization header."),
    .error_id = "openai.auth", .retry_after = RETRY_NONE,
    .message_has = "didn't provide an API key", .n_items = -1 },
  { .name = "openai/401-missing-scopes", .check = BGPT_CHECK_OPENAI_MODEL, .expected_id = "gpt-4o",
    .status = 401, .headers = "X-Request-ID: req_scopes",
    .body = OPENAI_ERROR ("\"invalid_request_error\"", "null",
                          "You have insufficient permissions for this operation. Missing scopes: api.model.read."),
    .error_id = "openai.auth", .request_id = "req_scopes", .retry_after = RETRY_NONE,
    .message_has = "Missing scopes", .n_items = -1, .reason = "missing_scopes" },
  /* The costs take an admin key only; the refusal's body is unconfirmed. */
  { .name = "openai/costs-401-not-admin-key", .check = BGPT_CHECK_OPENAI_COSTS, .status = 401,
    .body = OPENAI_ERROR ("\"invalid_request_error\"", "null",
                          "You have insufficient permissions for this operation. Missing scopes: api.usage.read."),
    .error_id = "openai.auth", .retry_after = RETRY_NONE,
    .message_has = "Missing scopes", .n_items = -1, .reason = "admin_key_required" },
  { .name = "openai/costs-403-not-admin-key", .check = BGPT_CHECK_OPENAI_COSTS, .status = 403,
    .body = OPENAI_ERROR ("\"invalid_request_error\"", "null", "Forbidden"),
    .error_id = "openai.auth", .retry_after = RETRY_NONE,
    .message_has = "Forbidden", .n_items = -1, .reason = "admin_key_required" },
  { .name = "openai/costs-401-revoked-admin-key", .check = BGPT_CHECK_OPENAI_COSTS, .status = 401,
    .body = OPENAI_ERROR ("\"invalid_request_error\"", "\"invalid_api_key\"",
                          "Incorrect API key provided: sk-admin***wxyz."),
    .error_id = "openai.auth", .api_code = "invalid_api_key", .retry_after = RETRY_NONE,
    .message_has = "Incorrect API key", .n_items = -1, .reason = "invalid_api_key" },
  { .name = "openai/401-mismatched-organization", .check = BGPT_CHECK_OPENAI_KEY, .status = 401,
    .body = OPENAI_ERROR ("\"invalid_request_error\"", "\"mismatched_organization\"",
                          "OpenAI-Organization header should match organization for API key"),
    .error_id = "openai.auth", .api_code = "mismatched_organization", .retry_after = RETRY_NONE,
    .n_items = -1, .reason = "organization" },
  { .name = "openai/401-missing-scopes-responses", .check = BGPT_CHECK_OPENAI_QUOTA, .status = 401,
    .headers = "x-request-id: req_scopes2\ncontent-type: application/json",
    .body = OPENAI_ERROR ("\"invalid_request_error\"", "null",
                          "You have insufficient permissions for this operation. Missing scopes: api.responses.write. "
                          "Check that you have the correct role in your organization (Reader, Writer, Owner) and "
                          "project (Member, Owner), and if you're using a restricted API key, that it has the necessary scopes."),
    .error_id = "openai.auth", .request_id = "req_scopes2", .retry_after = RETRY_NONE,
    .detail_has = "api.responses.write", .n_items = -1, .reason = "missing_scopes" },
  { .name = "openai/401-ip-not-authorized", .check = BGPT_CHECK_OPENAI_KEY, .status = 401,
    .headers = "x-request-id: req_ip\ncontent-type: application/json",
    .body = OPENAI_ERROR ("\"invalid_request_error\"", "\"ip_not_authorized\"",
                          "Your request IP is not authorized for this project or organization."),
    .error_id = "openai.auth", .api_code = "ip_not_authorized", .request_id = "req_ip",
    .retry_after = RETRY_NONE, .n_items = -1, .reason = "ip_not_authorized" },
  { .name = "openai/401-ip-message-only", .check = BGPT_CHECK_OPENAI_MODEL, .expected_id = "gpt-4o",
    .status = 401,
    .body = OPENAI_ERROR ("\"invalid_request_error\"", "null",
                          "Your IP is not authorized to access this organization."),
    .error_id = "openai.auth", .retry_after = RETRY_NONE, .n_items = -1,
    .reason = "ip_not_authorized" },
  { .name = "openai/401-membership-not-ip", .check = BGPT_CHECK_OPENAI_KEY, .status = 401,
    .body = OPENAI_ERROR ("\"invalid_request_error\"", "null",
                          "Project membership not authorized for this operation."),
    .error_id = "openai.auth", .retry_after = RETRY_NONE, .n_items = -1 },
  { .name = "openai/401-account-deactivated", .check = BGPT_CHECK_OPENAI_KEY, .status = 401,
    .headers = "x-request-id: req_deact\ncontent-type: application/json",
    .body = OPENAI_ERROR ("\"invalid_request_error\"", "\"account_deactivated\"",
                          "The OpenAI account associated with this API key has been deactivated. If you are the "
                          "developer for this OpenAI app, please check your email for more information."),
    .error_id = "openai.auth", .api_code = "account_deactivated", .request_id = "req_deact",
    .retry_after = RETRY_NONE, .message_has = "deactivated", .n_items = -1,
    .reason = "account_deactivated" },
  { .name = "openai/401-no-organization", .check = BGPT_CHECK_OPENAI_KEY, .status = 401,
    .body = OPENAI_ERROR ("\"invalid_request_error\"", "\"no_organization\"",
                          "You must be a member of an organization to use the API. Please contact us through our help center at help.openai.com."),
    .error_id = "openai.auth", .api_code = "no_organization", .retry_after = RETRY_NONE,
    .n_items = -1, .reason = "organization" },
  { .name = "openai/401-json-array-body", .check = BGPT_CHECK_OPENAI_KEY, .status = 401,
    .body = "[{\"error\":{\"code\":\"invalid_api_key\"}}]",
    .error_id = "openai.auth", .retry_after = RETRY_NONE, .n_items = -1 },

  /* OpenAI access */
  { .name = "openai/403-region", .check = BGPT_CHECK_OPENAI_KEY, .status = 403,
    .body = OPENAI_ERROR ("\"request_forbidden\"", "\"unsupported_country_region_territory\"",
                          "Country, region, or territory not supported"),
    .error_id = "openai.forbidden", .api_code = "unsupported_country_region_territory",
    .retry_after = RETRY_NONE, .message_has = "territory not supported", .n_items = -1 },
  { .name = "openai/403-model-access", .check = BGPT_CHECK_OPENAI_MODEL, .expected_id = "gpt-4o",
    .status = 403,
    .body = OPENAI_ERROR ("\"invalid_request_error\"", "\"model_not_found\"",
                          "Project `proj_abc` does not have access to model `gpt-4o`"),
    .error_id = "openai.forbidden", .api_code = "model_not_found", .retry_after = RETRY_NONE,
    .n_items = -1 },

  /* OpenAI not found and bad requests */
  { .name = "openai/404-model-not-found", .check = BGPT_CHECK_OPENAI_MODEL, .expected_id = "gpt-5x",
    .status = 404,
    .body = OPENAI_ERROR ("\"invalid_request_error\"", "\"model_not_found\"",
                          "The model `gpt-5x` does not exist or you do not have access to it."),
    .error_id = "openai.model", .api_code = "model_not_found", .retry_after = RETRY_NONE,
    .message_has = "does not exist", .n_items = -1 },
  { .name = "openai/404-model-on-quota", .check = BGPT_CHECK_OPENAI_QUOTA, .status = 404,
    .body = OPENAI_ERROR ("\"invalid_request_error\"", "\"model_not_found\"",
                          "The model `gpt-5x` does not exist or you do not have access to it."),
    .error_id = "openai.model", .api_code = "model_not_found", .retry_after = RETRY_NONE,
    .n_items = -1 },
  { .name = "openai/404-no-assistant", .check = BGPT_CHECK_OPENAI_ASSISTANT,
    .expected_id = "asst_abc123DEF456", .status = 404, .headers = "x-request-id: req_asst",
    .body = OPENAI_ERROR ("\"invalid_request_error\"", "null",
                          "No assistant found with id 'asst_abc123DEF456'."),
    .error_id = "openai.assistant", .request_id = "req_asst", .retry_after = RETRY_NONE,
    .message_has = "No assistant found", .n_items = -1, .reason = "not_found" },
  { .name = "openai/404-assistants-shut-down", .check = BGPT_CHECK_OPENAI_ASSISTANT,
    .expected_id = "asst_abc123DEF456", .status = 404, .body = "",
    .error_id = "openai.assistant", .retry_after = RETRY_NONE, .detail_has = "empty",
    .n_items = -1, .reason = "assistants_api_shut_down" },
  { .name = "openai/404-assistants-invalid-url", .check = BGPT_CHECK_OPENAI_ASSISTANT,
    .expected_id = "asst_abc123DEF456", .status = 404, .headers = "x-request-id: req_gone",
    .body = OPENAI_ERROR ("\"invalid_request_error\"", "null",
                          "Invalid URL (GET /v1/assistants/asst_abc123DEF456)"),
    .error_id = "openai.assistant", .request_id = "req_gone", .retry_after = RETRY_NONE,
    .n_items = -1, .reason = "assistants_api_shut_down" },
  { .name = "openai/400-assistants-deprecated", .check = BGPT_CHECK_OPENAI_ASSISTANT,
    .expected_id = "asst_abc123DEF456", .status = 400,
    .body = OPENAI_ERROR ("\"invalid_request_error\"", "null",
                          "The Assistants API has been shut down. Please use the Responses API."),
    .error_id = "openai.assistant", .retry_after = RETRY_NONE, .n_items = -1,
    .reason = "assistants_api_shut_down" },
  { .name = "openai/400-invalid-beta", .check = BGPT_CHECK_OPENAI_ASSISTANT,
    .expected_id = "asst_abc123DEF456", .status = 400,
    .body = OPENAI_ERROR ("\"invalid_request_error\"", "\"invalid_beta\"",
                          "You must provide the 'OpenAI-Beta' header to access the Assistants API."),
    .error_id = "openai.assistant", .api_code = "invalid_beta", .retry_after = RETRY_NONE,
    .n_items = -1 },
  { .name = "openai/400-on-key", .check = BGPT_CHECK_OPENAI_KEY, .status = 400,
    .body = OPENAI_ERROR ("\"invalid_request_error\"", "\"invalid_value\"", "Bad request"),
    .error_id = "openai.unexpected", .api_code = "invalid_value", .retry_after = RETRY_NONE,
    .n_items = -1 },
  { .name = "openai/404-on-key", .check = BGPT_CHECK_OPENAI_KEY, .status = 404,
    .body = "Not Found", .error_id = "openai.unexpected", .retry_after = RETRY_NONE,
    .detail_has = "Not Found", .n_items = -1 },

  /* OpenAI rate limits and quota */
  { .name = "openai/429-rate-limit", .check = BGPT_CHECK_OPENAI_QUOTA, .status = 429,
    .headers = "retry-after: 20\nx-request-id: req_rl\nx-ratelimit-remaining-requests: 0",
    .body = OPENAI_ERROR ("\"requests\"", "\"rate_limit_exceeded\"",
                          "Rate limit reached for gpt-4o on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s."),
    .error_id = "openai.rate-limit", .api_code = "rate_limit_exceeded", .request_id = "req_rl",
    .retry_after = 20, .message_has = "Rate limit reached", .n_items = -1, .warning = TRUE },
  { .name = "openai/429-retry-after-ms", .check = BGPT_CHECK_OPENAI_QUOTA, .status = 429,
    .headers = "retry-after-ms: 1500",
    .body = OPENAI_ERROR ("\"tokens\"", "\"rate_limit_exceeded\"", "Rate limit reached"),
    .error_id = "openai.rate-limit", .api_code = "rate_limit_exceeded", .retry_after = 2,
    .n_items = -1, .warning = TRUE },
  { .name = "openai/429-retry-after-clamped", .check = BGPT_CHECK_OPENAI_QUOTA, .status = 429,
    .headers = "Retry-After: 99999999999999999999",
    .body = OPENAI_ERROR ("\"requests\"", "\"rate_limit_exceeded\"", "Slow"),
    .error_id = "openai.rate-limit", .api_code = "rate_limit_exceeded", .retry_after = 86400,
    .n_items = -1, .warning = TRUE },
  { .name = "openai/429-retry-after-garbage", .check = BGPT_CHECK_OPENAI_QUOTA, .status = 429,
    .headers = "Retry-After: soon\nRetry-After-Ms: -5",
    .body = OPENAI_ERROR ("\"requests\"", "\"rate_limit_exceeded\"", "Slow"),
    .error_id = "openai.rate-limit", .api_code = "rate_limit_exceeded", .retry_after = RETRY_NONE,
    .n_items = -1, .warning = TRUE },
  { .name = "openai/429-insufficient-quota", .check = BGPT_CHECK_OPENAI_QUOTA, .status = 429,
    .body = OPENAI_ERROR ("\"insufficient_quota\"", "\"insufficient_quota\"",
                          "You exceeded your current quota, please check your plan and billing details."),
    .error_id = "openai.quota", .api_code = "insufficient_quota", .retry_after = RETRY_NONE,
    .message_has = "exceeded your current quota", .n_items = -1, .reason = "insufficient_quota" },
  { .name = "openai/429-quota-type-only", .check = BGPT_CHECK_OPENAI_QUOTA, .status = 429,
    .body = OPENAI_ERROR ("\"insufficient_quota\"", "null",
                          "You exceeded your current quota, please check your plan and billing details."),
    .error_id = "openai.quota", .retry_after = RETRY_NONE, .n_items = -1, .reason = "insufficient_quota" },
  { .name = "openai/429-credit-balance", .check = BGPT_CHECK_OPENAI_QUOTA, .status = 429,
    .body = OPENAI_ERROR ("\"invalid_request_error\"", "\"credit_balance_exhausted\"",
                          "Your credit balance is exhausted."),
    .error_id = "openai.quota", .api_code = "credit_balance_exhausted", .retry_after = RETRY_NONE,
    .n_items = -1, .reason = "credit_balance_exhausted" },
  { .name = "openai/429-org-spend-limit", .check = BGPT_CHECK_OPENAI_QUOTA, .status = 429,
    .body = OPENAI_ERROR ("null", "\"organization_spend_limit_exceeded\"", "Spend limit reached."),
    .error_id = "openai.quota", .api_code = "organization_spend_limit_exceeded",
    .retry_after = RETRY_NONE, .n_items = -1, .reason = "organization_spend_limit_exceeded" },
  { .name = "openai/429-project-spend-limit", .check = BGPT_CHECK_OPENAI_QUOTA, .status = 429,
    .headers = "retry-after: 3",
    .body = OPENAI_ERROR ("\"invalid_request_error\"", "\"project_spend_limit_exceeded\"",
                          "Project spend limit reached."),
    .error_id = "openai.quota", .api_code = "project_spend_limit_exceeded", .retry_after = 3,
    .n_items = -1, .reason = "project_spend_limit_exceeded" },
  { .name = "openai/429-org-usage-limit", .check = BGPT_CHECK_OPENAI_QUOTA, .status = 429,
    .body = OPENAI_ERROR ("\"invalid_request_error\"", "\"organization_usage_limit_exceeded\"",
                          "Usage limit reached."),
    .error_id = "openai.quota", .api_code = "organization_usage_limit_exceeded",
    .retry_after = RETRY_NONE, .n_items = -1, .reason = "organization_usage_limit_exceeded" },
  { .name = "openai/429-billing-hard-limit", .check = BGPT_CHECK_OPENAI_QUOTA, .status = 429,
    .body = OPENAI_ERROR ("\"billing_hard_limit_reached\"", "null", "Billing hard limit has been reached"),
    .error_id = "openai.quota", .retry_after = RETRY_NONE, .n_items = -1 },
  { .name = "openai/429-slow-down", .check = BGPT_CHECK_OPENAI_QUOTA, .status = 429,
    .headers = "x-request-id: req_slow\nretry-after: 2",
    .body = OPENAI_ERROR ("\"rate_limit_error\"", "\"slow_down\"", "Please reduce your request rate."),
    .error_id = "openai.rate-limit", .api_code = "slow_down", .request_id = "req_slow",
    .retry_after = 2, .n_items = -1, .reason = "slow_down", .warning = TRUE },
  { .name = "openai/429-billing-not-active", .check = BGPT_CHECK_OPENAI_QUOTA, .status = 429,
    .headers = "x-request-id: req_bill",
    .body = OPENAI_ERROR ("\"billing_not_active\"", "\"billing_not_active\"",
                          "Your account is not active, please check your billing details on our website."),
    .error_id = "openai.quota", .api_code = "billing_not_active", .request_id = "req_bill",
    .retry_after = RETRY_NONE, .message_has = "not active", .n_items = -1,
    .reason = "billing_not_active" },
  { .name = "openai/429-truncated-json", .check = BGPT_CHECK_OPENAI_QUOTA, .status = 429,
    .body = "{\"error\":{\"message\":\"You exceeded your current quota\",\"type\":\"insuff",
    .error_id = "openai.rate-limit", .retry_after = RETRY_NONE, .detail_has = "exceeded",
    .n_items = -1, .warning = TRUE },

  /* OpenAI server side */
  { .name = "openai/500-server-error", .check = BGPT_CHECK_OPENAI_KEY, .status = 500,
    .headers = "x-request-id: req_500",
    .body = OPENAI_ERROR ("\"server_error\"", "null",
                          "The server had an error while processing your request. Sorry about that!"),
    .error_id = "openai.unexpected", .request_id = "req_500", .retry_after = RETRY_NONE,
    .message_has = "server had an error", .n_items = -1 },
  { .name = "openai/502-html", .check = BGPT_CHECK_OPENAI_KEY, .status = 502,
    .headers = "content-type: text/html", .body = proxy_502,
    .error_id = "openai.unexpected", .retry_after = RETRY_NONE,
    .detail_has = "502 Bad Gateway 502 Bad Gateway cloudflare", .n_items = -1 },
  { .name = "openai/503-overloaded-code", .check = BGPT_CHECK_OPENAI_QUOTA, .status = 503,
    .body = OPENAI_ERROR ("\"service_unavailable_error\"", "\"server_is_overloaded\"",
                          "Service is busy."),
    .error_id = "openai.timeout", .api_code = "server_is_overloaded", .retry_after = RETRY_NONE,
    .n_items = -1, .reason = "server_is_overloaded" },
  { .name = "openai/503-slow-down", .check = BGPT_CHECK_OPENAI_QUOTA, .status = 503,
    .body = OPENAI_ERROR ("\"service_unavailable_error\"", "\"slow_down\"", "Please reduce your request rate."),
    .error_id = "openai.rate-limit", .api_code = "slow_down", .retry_after = RETRY_NONE,
    .n_items = -1, .reason = "slow_down", .warning = TRUE },
  { .name = "openai/503-overloaded-message", .check = BGPT_CHECK_OPENAI_QUOTA, .status = 503,
    .body = OPENAI_ERROR ("\"server_error\"", "null",
                          "That model is currently Overloaded with other requests. You can retry your request."),
    .error_id = "openai.timeout", .retry_after = RETRY_NONE, .n_items = -1, .reason = "server_is_overloaded" },
  { .name = "openai/503-html", .check = BGPT_CHECK_OPENAI_KEY, .status = 503,
    .headers = "content-type: text/html", .body = nginx_503,
    .error_id = "openai.unexpected", .retry_after = RETRY_NONE,
    .detail_has = "503 Service Temporarily Unavailable", .n_items = -1 },
  { .name = "openai/520-cloudflare", .check = BGPT_CHECK_OPENAI_KEY, .status = 520,
    .headers = CLOUDFLARE_HEADERS, .body = CLOUDFLARE_PAGE ("520", "Web server is returning an unknown error"),
    .error_id = "openai.unexpected", .retry_after = RETRY_NONE,
    .detail_has = "520: Web server is returning an unknown error", .n_items = -1 },
  { .name = "openai/521-cloudflare", .check = BGPT_CHECK_OPENAI_MODEL, .expected_id = "gpt-4o",
    .status = 521, .headers = CLOUDFLARE_HEADERS, .body = CLOUDFLARE_PAGE ("521", "Web server is down"),
    .error_id = "openai.timeout", .retry_after = RETRY_NONE, .detail_has = "Web server is down",
    .n_items = -1 },
  { .name = "openai/522-cloudflare", .check = BGPT_CHECK_OPENAI_KEY, .status = 522,
    .headers = CLOUDFLARE_HEADERS, .body = CLOUDFLARE_PAGE ("522", "Connection timed out"),
    .error_id = "openai.timeout", .retry_after = RETRY_NONE, .detail_has = "Connection timed out",
    .n_items = -1 },
  { .name = "openai/523-cloudflare", .check = BGPT_CHECK_OPENAI_KEY, .status = 523,
    .headers = CLOUDFLARE_HEADERS, .body = CLOUDFLARE_PAGE ("523", "Origin is unreachable"),
    .error_id = "openai.timeout", .retry_after = RETRY_NONE, .detail_has = "Origin is unreachable",
    .n_items = -1 },
  { .name = "openai/524-cloudflare", .check = BGPT_CHECK_OPENAI_QUOTA, .status = 524,
    .headers = CLOUDFLARE_HEADERS, .body = CLOUDFLARE_PAGE ("524", "A timeout occurred"),
    .error_id = "openai.timeout", .retry_after = RETRY_NONE, .detail_has = "524: A timeout occurred",
    .n_items = -1 },
  { .name = "openai/503-plain", .check = BGPT_CHECK_OPENAI_KEY, .status = 503,
    .body = "Service Unavailable", .error_id = "openai.unexpected", .retry_after = RETRY_NONE,
    .detail_has = "Service Unavailable", .n_items = -1 },
  { .name = "openai/503-unavailable-type-only", .check = BGPT_CHECK_OPENAI_KEY, .status = 503,
    .body = OPENAI_ERROR ("\"service_unavailable_error\"", "null", "The service is unavailable."),
    .error_id = "openai.unexpected", .retry_after = RETRY_NONE, .n_items = -1 },
  { .name = "openai/504", .check = BGPT_CHECK_OPENAI_KEY, .status = 504,
    .body = "<html><body>Gateway Timeout</body></html>",
    .error_id = "openai.timeout", .retry_after = RETRY_NONE, .detail_has = "Gateway Timeout",
    .n_items = -1 },
  { .name = "openai/408", .check = BGPT_CHECK_OPENAI_MODEL, .expected_id = "gpt-4o", .status = 408,
    .error_id = "openai.timeout", .retry_after = RETRY_NONE, .n_items = -1 },
  { .name = "openai/418-other-4xx", .check = BGPT_CHECK_OPENAI_KEY, .status = 418,
    .body = "{}", .error_id = "openai.unexpected", .retry_after = RETRY_NONE, .n_items = -1 },
  { .name = "openai/100-informational", .check = BGPT_CHECK_OPENAI_KEY, .status = 100,
    .error_id = "openai.unexpected", .retry_after = RETRY_NONE, .n_items = -1 },
  { .name = "openai/status-zero", .check = BGPT_CHECK_OPENAI_KEY, .status = 0,
    .error_id = "openai.unexpected", .retry_after = RETRY_NONE, .n_items = -1 },
  { .name = "openai/301-location-origin-only", .check = BGPT_CHECK_OPENAI_KEY, .status = 301,
    .headers = "Location: https://evil.example.com:8443/collect?token=abc#frag",
    .error_id = "openai.unexpected", .retry_after = RETRY_NONE,
    .detail_has = "https://evil.example.com:8443", .n_items = -1 },
  { .name = "openai/302-no-location", .check = BGPT_CHECK_OPENAI_KEY, .status = 302,
    .error_id = "openai.unexpected", .retry_after = RETRY_NONE, .detail_has = "redirect",
    .n_items = -1 },

  /* OpenAI successes and wrong shapes */
  { .name = "openai/200-key-ok", .check = BGPT_CHECK_OPENAI_KEY, .status = 200,
    .headers = "x-request-id: req_ok",
    .body = "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4o\",\"object\":\"model\",\"created\":1,"
            "\"owned_by\":\"system\"},{\"id\":\"gpt-4o-mini\",\"object\":\"model\"},42,"
            "{\"id\":7}]}",
    .request_id = "req_ok", .retry_after = RETRY_NONE, .n_items = 2 },
  /* Rate-limit headroom (docs/providers.md): judged on openai.key's answer only. */
  { .name = "openai/200-key-rate-limit-near-tokens", .check = BGPT_CHECK_OPENAI_KEY, .status = 200,
    .headers = "x-ratelimit-limit-requests: 5000\nx-ratelimit-remaining-requests: 4980\n"
               "x-ratelimit-reset-requests: 12ms\nx-ratelimit-limit-tokens: 2000000\n"
               "x-ratelimit-remaining-tokens: 150000\nx-ratelimit-reset-tokens: 6m0s",
    .body = "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4o\"}]}",
    .error_id = "openai.rate-limit-near", .retry_after = RETRY_NONE, .n_items = 1,
    .detail_has = "tokens", .warning = TRUE },
  { .name = "openai/200-key-rate-limit-near-requests", .check = BGPT_CHECK_OPENAI_KEY, .status = 200,
    .headers = "x-ratelimit-limit-requests: 5000\nx-ratelimit-remaining-requests: 499",
    .body = "{\"object\":\"list\",\"data\":[]}",
    .error_id = "openai.rate-limit-near", .retry_after = RETRY_NONE, .n_items = 0,
    .detail_has = "499", .warning = TRUE },
  { .name = "openai/200-key-rate-limit-ten-percent", .check = BGPT_CHECK_OPENAI_KEY, .status = 200,
    .headers = "x-ratelimit-limit-requests: 5000\nx-ratelimit-remaining-requests: 500",
    .body = "{\"object\":\"list\",\"data\":[]}",
    .retry_after = RETRY_NONE, .n_items = 0 },
  { .name = "openai/200-key-rate-limit-malformed", .check = BGPT_CHECK_OPENAI_KEY, .status = 200,
    .headers = "x-ratelimit-limit-requests: 5000\nx-ratelimit-remaining-requests: -1\n"
               "x-ratelimit-limit-tokens: 99999999999999999999\nx-ratelimit-remaining-tokens: 0",
    .body = "{\"object\":\"list\",\"data\":[]}",
    .retry_after = RETRY_NONE, .n_items = 0 },
  /* Another check that sees the same shared limit raises nothing of its own. */
  { .name = "openai/200-model-rate-limit-near-not-owner", .check = BGPT_CHECK_OPENAI_MODEL,
    .expected_id = "gpt-4o", .status = 200,
    .headers = "x-ratelimit-limit-requests: 5000\nx-ratelimit-remaining-requests: 1",
    .body = "{\"id\":\"gpt-4o\",\"object\":\"model\"}",
    .retry_after = RETRY_NONE, .subject = "gpt-4o", .n_items = -1 },
  /* Once the 429 has come, it is that problem, not the one before it. */
  { .name = "openai/429-rate-limit-with-headroom-headers", .check = BGPT_CHECK_OPENAI_KEY, .status = 429,
    .headers = "retry-after: 20\nx-ratelimit-limit-requests: 3\nx-ratelimit-remaining-requests: 0",
    .body = "{\"error\":{\"message\":\"Rate limit reached for requests\",\"type\":\"requests\","
            "\"param\":null,\"code\":\"rate_limit_exceeded\"}}",
    .error_id = "openai.rate-limit", .api_code = "rate_limit_exceeded", .retry_after = 20,
    .n_items = -1, .warning = TRUE },
  { .name = "openai/200-key-wrong-shape", .check = BGPT_CHECK_OPENAI_KEY, .status = 200,
    .body = "{\"object\":\"list\",\"data\":{}}",
    .error_id = "openai.unexpected", .retry_after = RETRY_NONE, .detail_has = "expects",
    .n_items = -1 },
  { .name = "openai/200-key-not-json", .check = BGPT_CHECK_OPENAI_KEY, .status = 200,
    .body = "<html><body>Welcome to the captive portal</body></html>",
    .error_id = "openai.unexpected", .retry_after = RETRY_NONE, .detail_has = "captive portal",
    .n_items = -1 },
  { .name = "openai/200-key-empty", .check = BGPT_CHECK_OPENAI_KEY, .status = 200, .body = "",
    .error_id = "openai.unexpected", .retry_after = RETRY_NONE, .detail_has = "empty",
    .n_items = -1 },
  { .name = "openai/200-key-number", .check = BGPT_CHECK_OPENAI_KEY, .status = 200, .body = "42",
    .error_id = "openai.unexpected", .retry_after = RETRY_NONE, .n_items = -1 },
  { .name = "openai/200-key-invalid-utf8", .check = BGPT_CHECK_OPENAI_KEY, .status = 200,
    .body = invalid_utf8, .body_length = sizeof invalid_utf8 - 1,
    .error_id = "openai.unexpected", .retry_after = RETRY_NONE, .n_items = -1 },
  { .name = "openai/200-model-ok", .check = BGPT_CHECK_OPENAI_MODEL, .expected_id = "gpt-4o",
    .status = 200, .body = "{\"id\":\"gpt-4o\",\"object\":\"model\",\"owned_by\":\"system\"}",
    .retry_after = RETRY_NONE, .subject = "gpt-4o", .n_items = -1 },
  { .name = "openai/200-model-retiring", .check = BGPT_CHECK_OPENAI_MODEL,
    .expected_id = "gpt-4o-mini", .status = 200, .now = "2026-12-03",
    .body = "{\"id\":\"gpt-4o-mini\",\"object\":\"model\",\"created\":1721172741,"
            "\"owned_by\":\"system\",\"shutdown_date\":\"2027-01-14\"}",
    .error_id = "openai.model-retiring", .retry_after = RETRY_NONE, .subject = "gpt-4o-mini",
    .detail_has = "“gpt-4o-mini” on 2027-01-14", .n_items = -1, .warning = TRUE },
  { .name = "openai/200-model-retiring-later", .check = BGPT_CHECK_OPENAI_MODEL,
    .expected_id = "gpt-4o-mini", .status = 200, .now = "2026-10-15",
    .body = "{\"id\":\"gpt-4o-mini\",\"object\":\"model\",\"shutdown_date\":\"2027-01-14\"}",
    .retry_after = RETRY_NONE, .subject = "gpt-4o-mini", .n_items = -1 },
  { .name = "openai/200-model-shutdown-null", .check = BGPT_CHECK_OPENAI_MODEL,
    .expected_id = "gpt-6-luna", .status = 200, .now = "2026-12-03",
    .body = "{\"id\":\"gpt-6-luna\",\"object\":\"model\",\"shutdown_date\":null}",
    .retry_after = RETRY_NONE, .subject = "gpt-6-luna", .n_items = -1 },
  { .name = "openai/200-model-shutdown-malformed", .check = BGPT_CHECK_OPENAI_MODEL,
    .expected_id = "gpt-6-luna", .status = 200, .now = "2026-12-03",
    .body = "{\"id\":\"gpt-6-luna\",\"object\":\"model\",\"shutdown_date\":\"2027-02-30\"}",
    .retry_after = RETRY_NONE, .subject = "gpt-6-luna", .n_items = -1 },
  { .name = "openai/200-model-other-id", .check = BGPT_CHECK_OPENAI_MODEL, .expected_id = "gpt-4o",
    .status = 200, .body = "{\"id\":\"gpt-3.5-turbo\",\"object\":\"model\"}",
    .error_id = "openai.unexpected", .retry_after = RETRY_NONE, .n_items = -1 },
  { .name = "openai/200-model-not-json", .check = BGPT_CHECK_OPENAI_MODEL, .expected_id = "gpt-4o",
    .status = 200, .body = "gpt-4o", .error_id = "openai.unexpected", .retry_after = RETRY_NONE,
    .detail_has = "gpt-4o", .n_items = -1 },
  { .name = "openai/200-assistant-ok", .check = BGPT_CHECK_OPENAI_ASSISTANT,
    .expected_id = "asst_abc123DEF456", .status = 200,
    .body = "{\"id\":\"asst_abc123DEF456\",\"object\":\"assistant\",\"name\":\"Atendente Loja\","
            "\"model\":\"gpt-4o\",\"instructions\":\"Be nice\",\"tools\":[]}",
    .retry_after = RETRY_NONE, .subject = "Atendente Loja", .n_items = -1 },
  { .name = "openai/200-assistant-no-name", .check = BGPT_CHECK_OPENAI_ASSISTANT,
    .expected_id = "asst_abc123DEF456", .status = 200,
    .body = "{\"id\":\"asst_abc123DEF456\",\"object\":\"assistant\",\"name\":null}",
    .retry_after = RETRY_NONE, .subject = "asst_abc123DEF456", .n_items = -1 },
  { .name = "openai/200-assistant-other-id", .check = BGPT_CHECK_OPENAI_ASSISTANT,
    .expected_id = "asst_abc123DEF456", .status = 200,
    .body = "{\"id\":\"asst_zzz\",\"object\":\"assistant\"}",
    .error_id = "openai.unexpected", .retry_after = RETRY_NONE, .n_items = -1 },
  { .name = "openai/200-assistant-not-json", .check = BGPT_CHECK_OPENAI_ASSISTANT,
    .expected_id = "asst_abc123DEF456", .status = 200, .body = "OK",
    .error_id = "openai.unexpected", .retry_after = RETRY_NONE, .n_items = -1 },
  { .name = "openai/200-quota-ok", .check = BGPT_CHECK_OPENAI_QUOTA, .status = 200,
    .body = "{\"id\":\"resp_1\",\"object\":\"response\",\"model\":\"gpt-4o-mini-2024-07-18\","
            "\"output\":[]}",
    .retry_after = RETRY_NONE, .subject = "gpt-4o-mini-2024-07-18", .n_items = -1 },
  { .name = "openai/200-quota-array", .check = BGPT_CHECK_OPENAI_QUOTA, .status = 200,
    .body = "[{\"id\":\"resp_1\"}]", .error_id = "openai.unexpected", .retry_after = RETRY_NONE,
    .n_items = -1 },
  { .name = "openai/200-quota-not-json", .check = BGPT_CHECK_OPENAI_QUOTA, .status = 200,
    .body = "pong", .error_id = "openai.unexpected", .retry_after = RETRY_NONE, .n_items = -1 },
  { .name = "openai/500-invalid-utf8", .check = BGPT_CHECK_OPENAI_KEY, .status = 500,
    .body = invalid_utf8, .body_length = sizeof invalid_utf8 - 1,
    .error_id = "openai.unexpected", .retry_after = RETRY_NONE, .detail_has = "bad",
    .n_items = -1 },
  { .name = "openai/200-over-cap", .check = BGPT_CHECK_OPENAI_KEY, .status = 200,
    .body = "{\"object\":\"list\",\"data\":[", .body_over_cap = TRUE,
    .headers = "x-request-id: req_big",
    .error_id = "openai.unexpected", .request_id = "req_big", .retry_after = RETRY_NONE,
    .detail_has = "1 MiB", .n_items = -1 },

  /* Transport failures */
  { .name = "openai/transport-timed-out", .check = BGPT_CHECK_OPENAI_KEY,
    .error_domain = g_io_error_quark, .error_code = G_IO_ERROR_TIMED_OUT,
    .error_id = "openai.timeout", .retry_after = RETRY_NONE, .detail_has = "timed out",
    .n_items = -1 },
  { .name = "openai/transport-cancelled", .check = BGPT_CHECK_OPENAI_KEY,
    .error_domain = g_io_error_quark, .error_code = G_IO_ERROR_CANCELLED,
    .error_id = "openai.timeout", .retry_after = RETRY_NONE, .n_items = -1 },
  { .name = "openai/transport-refused", .check = BGPT_CHECK_OPENAI_MODEL,
    .error_domain = g_io_error_quark, .error_code = G_IO_ERROR_CONNECTION_REFUSED,
    .error_id = "openai.connection", .retry_after = RETRY_NONE, .n_items = -1 },
  { .name = "openai/transport-resolver", .check = BGPT_CHECK_OPENAI_KEY,
    .error_domain = g_resolver_error_quark, .error_code = G_RESOLVER_ERROR_NOT_FOUND,
    .error_id = "openai.connection", .retry_after = RETRY_NONE, .n_items = -1 },
  { .name = "openai/transport-proxy", .check = BGPT_CHECK_OPENAI_KEY,
    .error_domain = g_io_error_quark, .error_code = G_IO_ERROR_PROXY_FAILED,
    .error_id = "openai.connection", .retry_after = RETRY_NONE, .n_items = -1 },
  { .name = "openai/transport-closed", .check = BGPT_CHECK_OPENAI_KEY,
    .error_domain = g_io_error_quark, .error_code = G_IO_ERROR_CONNECTION_CLOSED,
    .error_id = "openai.connection", .retry_after = RETRY_NONE, .n_items = -1 },
  { .name = "openai/transport-tls-unknown-ca-expired", .check = BGPT_CHECK_OPENAI_KEY,
    .error_domain = g_tls_error_quark, .error_code = G_TLS_ERROR_BAD_CERTIFICATE,
    .tls_errors = G_TLS_CERTIFICATE_UNKNOWN_CA | G_TLS_CERTIFICATE_EXPIRED,
    .error_id = "openai.connection", .retry_after = RETRY_NONE,
    .detail_has = "unknown authority or is self-signed. The certificate has expired.",
    .n_items = -1 },
  { .name = "openai/transport-tls-host-name", .check = BGPT_CHECK_OPENAI_KEY,
    .error_domain = g_tls_error_quark, .error_code = G_TLS_ERROR_BAD_CERTIFICATE,
    .tls_errors = G_TLS_CERTIFICATE_BAD_IDENTITY,
    .error_id = "openai.connection", .retry_after = RETRY_NONE, .detail_has = "host name",
    .n_items = -1 },
  { .name = "openai/transport-tls-handshake", .check = BGPT_CHECK_OPENAI_KEY,
    .error_domain = g_tls_error_quark, .error_code = G_TLS_ERROR_HANDSHAKE,
    .error_id = "openai.connection", .retry_after = RETRY_NONE, .detail_has = "transport",
    .n_items = -1 },

  /* Kommo */
  { .name = "kommo/401-problem-json", .service = BGPT_SERVICE_KOMMO,
    .check = BGPT_CHECK_KOMMO_ACCOUNT, .status = 401,
    .headers = "Content-Type: application/problem+json\nX-Request-Id: 5f1c2d3e",
    .body = kommo_401, .error_id = "kommo.auth", .request_id = "5f1c2d3e",
    .retry_after = RETRY_NONE, .message_has = "Invalid user name or password", .n_items = -1 },
  { .name = "kommo/402", .service = BGPT_SERVICE_KOMMO, .check = BGPT_CHECK_KOMMO_ACCOUNT,
    .status = 402,
    .body = "{\"title\":\"Payment Required\",\"type\":\"https://httpstatus.es/402\",\"status\":402}",
    .error_id = "kommo.payment", .retry_after = RETRY_NONE, .message_has = "Payment Required",
    .n_items = -1 },
  { .name = "kommo/403-bare-text", .service = BGPT_SERVICE_KOMMO,
    .check = BGPT_CHECK_KOMMO_ACCOUNT, .status = 403, .body = "Forbidden",
    .error_id = "kommo.forbidden", .retry_after = RETRY_NONE, .message_has = "Forbidden",
    .n_items = -1 },
  { .name = "kommo/404", .service = BGPT_SERVICE_KOMMO, .check = BGPT_CHECK_KOMMO_ACCOUNT,
    .status = 404, .headers = "x-request-id: k404",
    .body = "{\"title\":\"Not Found\",\"type\":\"https://httpstatus.es/404\",\"status\":404,"
            "\"detail\":\"Account not found\"}",
    .error_id = "kommo.not-found", .request_id = "k404", .retry_after = RETRY_NONE,
    .message_has = "Account not found", .n_items = -1 },
  { .name = "kommo/429-body-retry-after", .service = BGPT_SERVICE_KOMMO,
    .check = BGPT_CHECK_KOMMO_ACCOUNT, .status = 429,
    .body = "{\"title\":\"Too Many Requests\",\"status\":429,\"retry_after\":3}",
    .error_id = "kommo.rate-limit", .retry_after = 3, .n_items = -1, .warning = TRUE },
  { .name = "kommo/429-header-retry-after", .service = BGPT_SERVICE_KOMMO,
    .check = BGPT_CHECK_KOMMO_ACCOUNT, .status = 429, .headers = "Retry-After: 5",
    .body = "Too Many Requests", .error_id = "kommo.rate-limit", .retry_after = 5,
    .message_has = "Too Many Requests", .n_items = -1, .warning = TRUE },
  { .name = "kommo/500-trace-id", .service = BGPT_SERVICE_KOMMO,
    .check = BGPT_CHECK_KOMMO_ACCOUNT, .status = 500,
    .body = "{\"title\":\"Internal Server Error\",\"status\":500,\"trace_id\":\"a1b2c3d4e5\"}",
    .error_id = "kommo.unexpected", .retry_after = RETRY_NONE, .detail_has = "a1b2c3d4e5",
    .message_has = "Internal Server Error", .n_items = -1 },
  { .name = "kommo/502-html", .service = BGPT_SERVICE_KOMMO, .check = BGPT_CHECK_KOMMO_ACCOUNT,
    .status = 502, .headers = "content-type: text/html", .body = proxy_502,
    .error_id = "kommo.unexpected", .retry_after = RETRY_NONE,
    .detail_has = "502 Bad Gateway", .n_items = -1 },
  { .name = "kommo/504", .service = BGPT_SERVICE_KOMMO, .check = BGPT_CHECK_KOMMO_ACCOUNT,
    .status = 504, .body = "", .error_id = "kommo.timeout", .retry_after = RETRY_NONE,
    .n_items = -1 },
  { .name = "kommo/408", .service = BGPT_SERVICE_KOMMO, .check = BGPT_CHECK_KOMMO_ACCOUNT,
    .status = 408, .error_id = "kommo.timeout", .retry_after = RETRY_NONE, .n_items = -1 },
  { .name = "kommo/400", .service = BGPT_SERVICE_KOMMO, .check = BGPT_CHECK_KOMMO_ACCOUNT,
    .status = 400, .body = "{\"title\":\"Bad Request\",\"status\":400}",
    .error_id = "kommo.unexpected", .retry_after = RETRY_NONE, .n_items = -1 },
  { .name = "kommo/302-redirect", .service = BGPT_SERVICE_KOMMO,
    .check = BGPT_CHECK_KOMMO_ACCOUNT, .status = 302,
    .headers = "Location: https://www.kommo.com/login/?redirect=secret",
    .error_id = "kommo.not-found", .retry_after = RETRY_NONE,
    .detail_has = "https://www.kommo.com", .n_items = -1 },
  { .name = "kommo/301-redirect-elsewhere", .service = BGPT_SERVICE_KOMMO,
    .check = BGPT_CHECK_KOMMO_ACCOUNT, .status = 301,
    .headers = "Location: https://login.example.net/",
    .error_id = "kommo.unexpected", .retry_after = RETRY_NONE,
    .detail_has = "https://login.example.net", .n_items = -1 },
  { .name = "kommo/302-redirect-amocrm", .service = BGPT_SERVICE_KOMMO,
    .check = BGPT_CHECK_KOMMO_ACCOUNT, .status = 302,
    .headers = "Location: https://www.amocrm.ru/",
    .error_id = "kommo.not-found", .retry_after = RETRY_NONE, .n_items = -1 },
  { .name = "kommo/524-cloudflare", .service = BGPT_SERVICE_KOMMO,
    .check = BGPT_CHECK_KOMMO_ACCOUNT, .status = 524,
    .headers = CLOUDFLARE_HEADERS, .body = CLOUDFLARE_PAGE ("524", "A timeout occurred"),
    .error_id = "kommo.timeout", .retry_after = RETRY_NONE, .detail_has = "A timeout occurred",
    .n_items = -1 },
  { .name = "kommo/200-account", .service = BGPT_SERVICE_KOMMO,
    .check = BGPT_CHECK_KOMMO_ACCOUNT, .status = 200,
    .headers = "Content-Type: application/hal+json\nX-Request-Id: kok",
    .body = kommo_account, .request_id = "kok", .retry_after = RETRY_NONE,
    .subject = "Loja Exemplo", .n_items = -1 },
  { .name = "kommo/200-account-no-name", .service = BGPT_SERVICE_KOMMO,
    .check = BGPT_CHECK_KOMMO_ACCOUNT, .status = 200,
    .body = "{\"id\":1,\"subdomain\":\"lojaexemplo\"}",
    .retry_after = RETRY_NONE, .subject = "lojaexemplo", .n_items = -1 },
  { .name = "kommo/200-missing-subdomain", .service = BGPT_SERVICE_KOMMO,
    .check = BGPT_CHECK_KOMMO_ACCOUNT, .status = 200,
    .body = "{\"id\":1,\"name\":\"Loja\"}", .error_id = "kommo.unexpected",
    .retry_after = RETRY_NONE, .n_items = -1 },
  { .name = "kommo/200-not-json", .service = BGPT_SERVICE_KOMMO,
    .check = BGPT_CHECK_KOMMO_ACCOUNT, .status = 200, .body = "<html>Login</html>",
    .error_id = "kommo.unexpected", .retry_after = RETRY_NONE, .detail_has = "Login",
    .n_items = -1 },
  { .name = "kommo/transport-timed-out", .service = BGPT_SERVICE_KOMMO,
    .check = BGPT_CHECK_KOMMO_ACCOUNT,
    .error_domain = g_io_error_quark, .error_code = G_IO_ERROR_TIMED_OUT,
    .error_id = "kommo.timeout", .retry_after = RETRY_NONE, .n_items = -1 },
  { .name = "kommo/transport-resolver", .service = BGPT_SERVICE_KOMMO,
    .check = BGPT_CHECK_KOMMO_ACCOUNT,
    .error_domain = g_resolver_error_quark, .error_code = G_RESOLVER_ERROR_NOT_FOUND,
    .error_id = "kommo.connection", .retry_after = RETRY_NONE, .n_items = -1 },
  { .name = "kommo/transport-tls-self-signed", .service = BGPT_SERVICE_KOMMO,
    .check = BGPT_CHECK_KOMMO_ACCOUNT,
    .error_domain = g_tls_error_quark, .error_code = G_TLS_ERROR_BAD_CERTIFICATE,
    .tls_errors = G_TLS_CERTIFICATE_UNKNOWN_CA | G_TLS_CERTIFICATE_NOT_ACTIVATED |
                  G_TLS_CERTIFICATE_REVOKED | G_TLS_CERTIFICATE_INSECURE,
    .error_id = "kommo.connection", .retry_after = RETRY_NONE,
    .detail_has = "not valid yet. The certificate has been revoked. The certificate uses an insecure algorithm.",
    .n_items = -1 },
};

static SoupMessageHeaders *
headers_from_text (const char *text)
{
  SoupMessageHeaders *headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_auto(GStrv) lines = NULL;

  if (text == NULL)
    return headers;

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (lines[i], ": ", 2);

      g_assert_nonnull (pair[0]);
      g_assert_nonnull (pair[1]);
      soup_message_headers_append (headers, pair[0], pair[1]);
    }

  return headers;
}

static void
assert_clean_string (const char *text,
                     gsize       max_chars)
{
  if (text == NULL)
    return;

  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_cmpuint (g_utf8_strlen (text, -1), <=, max_chars);
  g_assert_null (strstr (text, KEY));
  g_assert_null (strstr (text, TOKEN));
}

static void
assert_diagnosis_sane (const BgptDiagnosis *diagnosis)
{
  g_assert_nonnull (diagnosis);
  assert_clean_string (diagnosis->api_type, 201);
  assert_clean_string (diagnosis->api_code, 201);
  assert_clean_string (diagnosis->api_message, 301);
  assert_clean_string (diagnosis->request_id, 201);
  assert_clean_string (diagnosis->detail, 400);
  assert_clean_string (diagnosis->subject, 201);
  for (guint i = 0; diagnosis->items != NULL && diagnosis->items[i] != NULL; i++)
    assert_clean_string (diagnosis->items[i], 201);
  g_assert_cmpint (diagnosis->retry_after_s, >=, -1);
  g_assert_cmpint (diagnosis->retry_after_s, <=, 86400);
  if (diagnosis->error_id != NULL)
    g_assert_nonnull (bgpt_catalog_lookup (diagnosis->error_id));
}

/* What the diagnosis makes of @status, @headers and @body from the service
 * of @check, with the test's secrets configured. */
static BgptDiagnosis *
diagnose (const char         *check,
          guint               status,
          SoupMessageHeaders *headers,
          GBytes             *body)
{
  BgptExchange exchange = {
    .service = g_str_has_prefix (check, "kommo.") ? BGPT_SERVICE_KOMMO : BGPT_SERVICE_OPENAI,
    .check = check,
    .status = status,
    .headers = headers,
    .body = body,
    .secrets = test_secrets,
  };

  return bgpt_diagnose (&exchange);
}

static BgptDiagnosis *
diagnose_case (const DiagnosisCase *c)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GDateTime) now = NULL;
  BgptExchange exchange = { 0 };

  if (c->now != NULL)
    {
      g_autofree char *iso = g_strconcat (c->now, "T12:00:00Z", NULL);

      now = g_date_time_new_from_iso8601 (iso, NULL);
      g_assert_nonnull (now);
    }

  if (c->error_domain != NULL)
    error = g_error_new (c->error_domain (), c->error_code, "%s transport failure (%s)",
                         c->error_code == G_IO_ERROR_TIMED_OUT ? "Socket I/O timed out:" : "Test",
                         c->name);
  else
    headers = headers_from_text (c->headers);

  if (c->body != NULL)
    body = g_bytes_new_static (c->body, c->body_length > 0 ? (gsize) c->body_length : strlen (c->body));

  exchange.service = c->service;
  exchange.check = c->check;
  exchange.transport_error = error;
  exchange.tls_errors = c->tls_errors;
  exchange.status = c->error_domain != NULL ? 0 : c->status;
  exchange.headers = headers;
  exchange.body = body;
  exchange.body_over_cap = c->body_over_cap;
  exchange.elapsed_ms = 1234;
  exchange.expected_id = c->expected_id;
  exchange.secrets = test_secrets;
  exchange.now = now;

  return bgpt_diagnose (&exchange);
}

static void
test_diagnosis_case (gconstpointer data)
{
  const DiagnosisCase *c = data;
  g_autoptr(BgptDiagnosis) diagnosis = diagnose_case (c);

  assert_diagnosis_sane (diagnosis);
  g_assert_cmpstr (diagnosis->check, ==, c->check);
  g_assert_cmpstr (diagnosis->error_id, ==, c->error_id);
  g_assert_true (bgpt_diagnosis_is_ok (diagnosis) == (c->error_id == NULL));
  g_assert_cmpuint (diagnosis->http_status, ==, c->error_domain != NULL ? 0 : c->status);
  g_assert_cmpstr (diagnosis->api_code, ==, c->api_code);
  g_assert_cmpstr (diagnosis->request_id, ==, c->request_id);
  g_assert_cmpint (diagnosis->retry_after_s, ==, c->retry_after == RETRY_NONE ? -1 : c->retry_after);
  g_assert_cmpint (diagnosis->elapsed_ms, ==, 1234);

  if (c->message_has != NULL)
    {
      g_assert_nonnull (diagnosis->api_message);
      g_assert_nonnull (strstr (diagnosis->api_message, c->message_has));
    }
  if (c->detail_has != NULL)
    {
      g_assert_nonnull (diagnosis->detail);
      g_assert_nonnull (strstr (diagnosis->detail, c->detail_has));
    }
  if (c->subject != NULL)
    g_assert_cmpstr (diagnosis->subject, ==, c->subject);
  else if (c->error_id != NULL)
    g_assert_null (diagnosis->subject);

  g_assert_cmpstr (diagnosis->reason, ==, c->reason);
  if (c->error_id != NULL)
    {
      const BgptCatalogEntry *entry = bgpt_catalog_lookup (c->error_id);

      g_assert_cmpint (entry->severity, ==, c->warning ? BGPT_SEVERITY_WARNING
                                                       : BGPT_SEVERITY_CRITICAL);
    }

  if (c->n_items < 0)
    g_assert_null (diagnosis->items);
  else
    g_assert_cmpuint (g_strv_length (diagnosis->items), ==, (guint) c->n_items);
}

/* Every id the classifier can give has a case in the table. */
static void
test_diagnosis_table_covers_catalog (void)
{
  gsize n_entries;
  const BgptCatalogEntry *entries = bgpt_catalog_get_entries (&n_entries);

  for (gsize i = 0; i < n_entries; i++)
    {
      gboolean covered = FALSE;

      /* The budget is judged from the costs, not classified (test-budget). */
      if (entries[i].service == BGPT_SERVICE_APP ||
          g_str_equal (entries[i].id, BGPT_DIAGNOSIS_OPENAI_BUDGET))
        continue;
      for (gsize j = 0; j < G_N_ELEMENTS (cases) && !covered; j++)
        covered = g_strcmp0 (cases[j].error_id, entries[i].id) == 0;
      if (!covered)
        g_error ("No diagnosis case gives %s", entries[i].id);
    }
}

/* Every reason the catalog explains comes out of some case. */
static void
test_diagnosis_table_covers_reasons (void)
{
  gsize n_reasons;
  const BgptCatalogReason *reasons = bgpt_catalog_get_reasons (&n_reasons);

  for (gsize i = 0; i < n_reasons; i++)
    {
      gboolean covered = FALSE;

      if (g_str_equal (reasons[i].id, BGPT_DIAGNOSIS_OPENAI_BUDGET))
        continue;
      for (gsize j = 0; j < G_N_ELEMENTS (cases) && !covered; j++)
        covered = g_strcmp0 (cases[j].error_id, reasons[i].id) == 0 &&
                  g_strcmp0 (cases[j].reason, reasons[i].reason) == 0;
      if (!covered)
        g_error ("No diagnosis case gives %s with reason %s", reasons[i].id, reasons[i].reason);
    }
}

/* The deep check picks its model among the ones without a shutdown date. */
static void
test_diagnosis_current_models (void)
{
  static const char body[] =
    "{\"object\":\"list\",\"data\":["
    "{\"id\":\"gpt-4o-mini\",\"object\":\"model\",\"created\":1721172741,\"owned_by\":\"system\",\"shutdown_date\":\"2027-01-14\"},"
    "{\"id\":\"gpt-6-luna\",\"object\":\"model\",\"created\":1790000000,\"owned_by\":\"system\"},"
    "{\"id\":\"gpt-4.1-mini\",\"object\":\"model\",\"created\":1744316542,\"owned_by\":\"system\",\"shutdown_date\":\"2027-01-14\"},"
    "{\"id\":\"text-embedding-3-small\",\"object\":\"model\",\"shutdown_date\":null},"
    "{\"id\":\"davinci-002\",\"object\":\"model\",\"shutdown_date\":\"someday\"}]}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (body, strlen (body));
  g_autoptr(BgptDiagnosis) diagnosis = diagnose (BGPT_CHECK_OPENAI_KEY, 200, NULL, bytes);
  const char * const expected[] = { "gpt-6-luna", "text-embedding-3-small", "davinci-002", NULL };

  g_assert_true (bgpt_diagnosis_is_ok (diagnosis));
  g_assert_cmpuint (g_strv_length (diagnosis->items), ==, 5);
  g_assert_true (g_strv_equal ((const char * const *) diagnosis->current_items, expected));
}

static void
test_diagnosis_model_ids (void)
{
  const DiagnosisCase *c = NULL;
  g_autoptr(BgptDiagnosis) diagnosis = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    if (g_str_equal (cases[i].name, "openai/200-key-ok"))
      c = &cases[i];
  g_assert_nonnull (c);

  diagnosis = diagnose_case (c);
  g_assert_cmpstr (diagnosis->items[0], ==, "gpt-4o");
  g_assert_cmpstr (diagnosis->items[1], ==, "gpt-4o-mini");
  g_assert_null (diagnosis->subject);
}

static void
test_diagnosis_five_megabytes (void)
{
  g_autoptr(GString) text = g_string_new ("{\"object\":\"list\",\"data\":[");
  g_autoptr(GBytes) body = NULL;
  g_autoptr(BgptDiagnosis) diagnosis = NULL;

  while (text->len < 5 * 1024 * 1024)
    g_string_append (text, "{\"id\":\"gpt-4o\",\"object\":\"model\"},");
  g_string_append (text, "{\"id\":\"last\"}]}");
  body = g_bytes_new (text->str, text->len);

  /* Larger than the cap even though bgpt-http did not flag it. */
  diagnosis = diagnose (BGPT_CHECK_OPENAI_KEY, 200, NULL, body);
  assert_diagnosis_sane (diagnosis);
  g_assert_cmpstr (diagnosis->error_id, ==, "openai.unexpected");
  g_assert_nonnull (strstr (diagnosis->detail, "1 MiB"));
  g_assert_null (diagnosis->items);
}

static void
test_diagnosis_deep_nesting (void)
{
  g_autoptr(GString) text = g_string_new ("{\"error\":");
  g_autoptr(GBytes) body = NULL;
  g_autoptr(BgptDiagnosis) diagnosis = NULL;
  g_autoptr(BgptDiagnosis) ok_diagnosis = NULL;
  g_autoptr(GBytes) ok_body = NULL;
  BgptExchange exchange = {
    .service = BGPT_SERVICE_OPENAI,
    .check = BGPT_CHECK_OPENAI_KEY,
    .status = 401,
  };

  for (guint i = 0; i < 500000; i++)
    g_string_append_c (text, '[');
  body = g_bytes_new (text->str, text->len);
  exchange.body = body;

  diagnosis = bgpt_diagnose (&exchange);
  assert_diagnosis_sane (diagnosis);
  g_assert_cmpstr (diagnosis->error_id, ==, "openai.auth");

  /* Brackets inside strings do not count as nesting. */
  g_string_assign (text, "{\"object\":\"list\",\"data\":[{\"id\":\"");
  for (guint i = 0; i < 1000; i++)
    g_string_append (text, "[{");
  g_string_append (text, "\"}]}");
  ok_body = g_bytes_new (text->str, text->len);
  exchange.body = ok_body;
  exchange.status = 200;
  ok_diagnosis = bgpt_diagnose (&exchange);
  g_assert_true (bgpt_diagnosis_is_ok (ok_diagnosis));
  g_assert_cmpuint (g_strv_length (ok_diagnosis->items), ==, 1);
}

/* Nesting a strict reader would refuse but a lenient one reads on: the
 * '"' inside a comment or a single-quoted string must not hide the rest. */
static const char * const hidden_nesting_prefixes[] = {
  "{\"error\":/*\"*/",
  "{\"error\":// \"\n",
  "{\"error\":'\"',\"x\":",
  "{\"error\":",
  "",
};

static void
test_diagnosis_hidden_nesting (void)
{
  static const guint statuses[] = { 200, 401, 502 };

  for (gsize i = 0; i < G_N_ELEMENTS (hidden_nesting_prefixes); i++)
    for (gsize j = 0; j < G_N_ELEMENTS (statuses); j++)
      {
        g_autoptr(GString) text = g_string_new (hidden_nesting_prefixes[i]);
        g_autoptr(GBytes) body = NULL;
        g_autoptr(BgptDiagnosis) diagnosis = NULL;

        /* 1 MiB in all: the largest body bgpt-http hands over. */
        while (text->len < 1024 * 1024)
          g_string_append_c (text, '[');
        g_string_truncate (text, 1024 * 1024);
        body = g_bytes_new (text->str, text->len);

        diagnosis = diagnose (BGPT_CHECK_OPENAI_KEY, statuses[j], NULL, body);
        assert_diagnosis_sane (diagnosis);
        g_assert_nonnull (diagnosis->error_id);
      }
}

/* No 8 characters in a row of any configured secret. */
static void
assert_no_fragment (const char *text)
{
  if (text == NULL)
    return;

  for (gsize i = 0; test_secrets[i] != NULL; i++)
    for (const char *p = test_secrets[i]; strlen (p) >= 8; p++)
      {
        g_autofree char *fragment = g_strndup (p, 8);

        if (strstr (text, fragment) != NULL)
          g_error ("“%s” shows “%s” of a secret", text, fragment);
      }
}

static void
assert_diagnosis_has_no_fragment (const BgptDiagnosis *diagnosis)
{
  g_autoptr(BgptIncident) incident = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *details = NULL;
  g_autofree char *json = NULL;

  assert_no_fragment (diagnosis->api_type);
  assert_no_fragment (diagnosis->api_code);
  assert_no_fragment (diagnosis->api_message);
  assert_no_fragment (diagnosis->request_id);
  assert_no_fragment (diagnosis->detail);
  assert_no_fragment (diagnosis->subject);

  if (diagnosis->error_id == NULL)
    return;

  /* What goes to the clipboard and to the history file. At a fixed time:
   * the clock's microseconds can read like a run of KEY's digits
   * ("…1212345678" once did). */
  incident = bgpt_incident_new ("default", diagnosis, 1767225600000000);
  details = bgpt_incident_format_details (incident);
  assert_no_fragment (details);
  bgpt_incident_to_json (incident, builder);
  root = json_builder_get_root (builder);
  json = json_to_string (root, FALSE);
  assert_no_fragment (json);
}

/* A secret echoed at every offset around where the snippet stops reading,
 * whole or cut short by the server, in a web page, plain text and JSON. */
static void
test_diagnosis_echo_at_every_offset (void)
{
  /* Before the filler, between it and the echo, after the echo. */
  static const char * const formats[][3] = {
    { "<html><body><p>", "</p><p>Authorization: Bearer ", "</p></body></html>" },
    { "", "Authorization: Bearer ", " and more text" },
    { "{\"error\":{\"message\":\"", " Bearer ", "\",\"code\":\"x\"}}" },
    { "{\"error\":{\"message\":\"", " Bearer ", "" },
  };
  static const guint statuses[] = { 200, 502 };
  static const char * const checks[] = { BGPT_CHECK_OPENAI_KEY, BGPT_CHECK_KOMMO_ACCOUNT };
  guint n = 0;

  for (gsize f = 0; f < G_N_ELEMENTS (formats); f++)
    /* Where the echo straddles the limit of 1600 bytes read, and a little
     * before and after. */
    for (guint offset = 1520; offset <= 1620; offset++)
      for (gsize cut = 0; cut <= 1; cut++)
        for (gsize blank = 0; blank <= 1; blank++)
        {
          /* White space counts towards the limit but folds away, so the
           * echo comes first in what is shown. */
          g_autofree char *filler = g_strnfill (offset, blank ? ' ' : 'a');
          /* A server that cuts the echo keeps a prefix of it. */
          g_autofree char *echo = cut ? g_strndup (test_secrets[offset % 2], 8 + offset % 12)
                                      : g_strdup (test_secrets[offset % 2]);
          g_autofree char *text = NULL;
          g_autoptr(GBytes) body = NULL;
          gsize length;

          for (guint i = 9; i < offset; i += 10)
            filler[i] = ' ';
          text = g_strconcat (formats[f][0], filler, formats[f][1], echo, formats[f][2], NULL);
          length = strlen (text);
          body = g_bytes_new_take (g_steal_pointer (&text), length);

          for (gsize s = 0; s < G_N_ELEMENTS (statuses); s++)
            for (gsize v = 0; v < G_N_ELEMENTS (checks); v++)
              {
                g_autoptr(BgptDiagnosis) diagnosis = diagnose (checks[v], statuses[s], NULL, body);

                assert_diagnosis_sane (diagnosis);
                assert_diagnosis_has_no_fragment (diagnosis);
                n++;
              }
        }
  g_test_message ("%u bodies", n);
}

/* OpenAI's own mask shows the start of the key too: only the last four
 * are shown, the way the app masks a key. */
static void
test_diagnosis_masked_echo (void)
{
  static const struct {
    const char *message;
    const char *expected;
  } masks[] = {
    { "Incorrect API key provided: sk-pr***cdef. You can find your API key at https://platform.openai.com/account/api-keys.",
      "Incorrect API key provided: sk-…cdef. You can find your API key at https://platform.openai.com/account/api-keys." },
    { "Incorrect API key provided: sk-proj-********************************************************cdef.",
      "Incorrect API key provided: sk-…cdef." },
    { "key sk-ab***wxyz and kommo-***wxyz", "key sk-…wxyz and …wxyz" },
    { "no ** mask here, a*b", "no ** mask here, a*b" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (masks); i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"error\":{\"message\":\"%s\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}",
                                               masks[i].message);
      g_autoptr(GBytes) body = g_bytes_new (text, strlen (text));
      g_autoptr(BgptDiagnosis) diagnosis = diagnose (BGPT_CHECK_OPENAI_KEY, 401, NULL, body);
      g_autofree char *scrubbed = bgpt_scrub (masks[i].message, NULL);

      g_assert_cmpstr (diagnosis->api_message, ==, masks[i].expected);
      /* Also without any configured secret (the --check of another key). */
      g_assert_cmpstr (scrubbed, ==, masks[i].expected);
    }
}

static void
test_diagnosis_hostile_bytes (void)
{
  static const guint statuses[] = { 0, 200, 301, 401, 403, 404, 429, 500, 503, 999 };
  static const char * const checks[] = {
    BGPT_CHECK_OPENAI_KEY, BGPT_CHECK_OPENAI_MODEL, BGPT_CHECK_OPENAI_ASSISTANT,
    BGPT_CHECK_OPENAI_QUOTA, BGPT_CHECK_KOMMO_ACCOUNT, "no.such-check", NULL,
  };
  static const char alphabet[] = "{}[]\":,\\ a0-.eE\xff\xc3\x80<>&;tfnul";

  for (guint round = 0; round < 2000; round++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autoptr(GBytes) body = NULL;
      g_autoptr(BgptDiagnosis) diagnosis = NULL;
      g_autoptr(SoupMessageHeaders) headers = headers_from_text ("Retry-After: Wed, 21 Oct 2015 07:28:00 GMT");
      guint length = g_test_rand_int_range (0, 200);
      BgptExchange exchange = {
        .service = round % 2 ? BGPT_SERVICE_KOMMO : BGPT_SERVICE_OPENAI,
        .check = checks[round % G_N_ELEMENTS (checks)],
        .status = statuses[round % G_N_ELEMENTS (statuses)],
        .headers = headers,
        .expected_id = round % 3 ? "gpt-4o" : NULL,
        .secrets = test_secrets,
      };

      if (round % 5 == 0)
        g_string_append (text, "{\"error\":{\"message\":\"");
      for (guint i = 0; i < length; i++)
        {
          if (round % 7 == 0)
            g_string_append_c (text, (char) g_test_rand_int_range (0, 256));
          else
            g_string_append_c (text, alphabet[g_test_rand_int_range (0, sizeof alphabet - 1)]);
        }
      body = g_bytes_new (text->str, text->len);
      exchange.body = body;

      diagnosis = bgpt_diagnose (&exchange);
      assert_diagnosis_sane (diagnosis);
      if (exchange.status == 301 || exchange.status == 999 || exchange.status == 0)
        g_assert_nonnull (diagnosis->error_id);
      /* The Retry-After date lies in the past: retry at once. */
      if (exchange.status != 200)
        g_assert_cmpint (diagnosis->retry_after_s, ==, 0);
    }
}

static void
test_diagnosis_retry_after_date (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 120);
  g_autofree char *date = soup_date_time_to_string (later, SOUP_DATE_HTTP);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(BgptDiagnosis) diagnosis = NULL;
  BgptExchange exchange = {
    .service = BGPT_SERVICE_OPENAI,
    .check = BGPT_CHECK_OPENAI_QUOTA,
    .status = 429,
    .headers = headers,
  };

  soup_message_headers_append (headers, "Retry-After", date);
  diagnosis = bgpt_diagnose (&exchange);
  g_assert_cmpstr (diagnosis->error_id, ==, "openai.rate-limit");
  g_assert_cmpint (diagnosis->retry_after_s, >=, 118);
  g_assert_cmpint (diagnosis->retry_after_s, <=, 121);
}

/* A server that echoes the secrets back must not get them into any field. */
static void
test_diagnosis_scrubs_echoed_secrets (void)
{
  static const char openai_body[] =
    "{\"error\":{\"message\":\"Incorrect API key provided: " KEY ". Bearer " KEY "\","
    "\"type\":\"invalid_request_error " KEY "\",\"param\":null,\"code\":\"" KEY "\"}}";
  static const char html_body[] =
    "<html><head><title>Error " KEY "</title></head><body><p>Authorization: Bearer "
    KEY "</p><!-- " TOKEN " --><p>token=" TOKEN "</p></body></html>";
  static const char kommo_body[] = "Forbidden for token " TOKEN " and key " KEY;
  static const struct {
    BgptService service;
    const char *check;
    guint status;
    const char *body;
    gboolean message_hidden;
    gboolean detail_hidden;
  } echoes[] = {
    { BGPT_SERVICE_OPENAI, BGPT_CHECK_OPENAI_KEY, 401, openai_body, TRUE, FALSE },
    { BGPT_SERVICE_OPENAI, BGPT_CHECK_OPENAI_KEY, 502, html_body, FALSE, TRUE },
    { BGPT_SERVICE_OPENAI, BGPT_CHECK_OPENAI_KEY, 200, html_body, FALSE, TRUE },
    { BGPT_SERVICE_KOMMO, BGPT_CHECK_KOMMO_ACCOUNT, 403, kommo_body, TRUE, FALSE },
    { BGPT_SERVICE_KOMMO, BGPT_CHECK_KOMMO_ACCOUNT, 500, html_body, FALSE, TRUE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (echoes); i++)
    {
      g_autoptr(SoupMessageHeaders) headers =
        headers_from_text ("x-request-id: " KEY "\nLocation: https://" TOKEN ".example.com/");
      g_autoptr(GBytes) body = g_bytes_new_static (echoes[i].body, strlen (echoes[i].body));
      g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                                     "Could not connect with " KEY);
      g_autoptr(BgptDiagnosis) diagnosis = NULL;
      g_autoptr(BgptDiagnosis) transport = NULL;
      BgptExchange exchange = {
        .service = echoes[i].service,
        .check = echoes[i].check,
        .status = echoes[i].status,
        .headers = headers,
        .body = body,
        .secrets = test_secrets,
      };

      diagnosis = bgpt_diagnose (&exchange);
      assert_diagnosis_sane (diagnosis);
      g_assert_cmpstr (diagnosis->request_id, ==, "[hidden]");
      if (echoes[i].message_hidden)
        g_assert_nonnull (strstr (diagnosis->api_message, "[hidden]"));
      if (echoes[i].detail_hidden)
        g_assert_nonnull (strstr (diagnosis->detail, "[hidden]"));
      if (echoes[i].status == 401)
        {
          g_assert_cmpstr (diagnosis->api_code, ==, "[hidden]");
          g_assert_cmpstr (diagnosis->api_type, ==, "invalid_request_error [hidden]");
        }

      exchange.transport_error = error;
      transport = bgpt_diagnose (&exchange);
      assert_diagnosis_sane (transport);
      g_assert_nonnull (strstr (transport->detail, "[hidden]"));
    }
}

static void
test_diagnosis_redirect_scrubbed (void)
{
  g_autoptr(SoupMessageHeaders) headers =
    headers_from_text ("Location: https://" TOKEN ".example.com/?key=" KEY);
  g_autoptr(BgptDiagnosis) diagnosis = diagnose (BGPT_CHECK_KOMMO_ACCOUNT, 307, headers, NULL);

  assert_diagnosis_sane (diagnosis);
  g_assert_cmpstr (diagnosis->error_id, ==, "kommo.unexpected");
  g_assert_nonnull (strstr (diagnosis->detail, "https://[hidden].example.com"));
  g_assert_null (strstr (diagnosis->detail, "key="));
}

static void
test_diagnosis_invisible_characters (void)
{
  static const char body[] =
    "{\"error\":{\"message\":\"Bad\\u202e key\\u0085 \\u200bhere\\u00a0now\\r\\n\\tsk-proj-TESTKEY\\u200b0123456789abcdef\",\"code\":\"x\"}}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (body, strlen (body));
  g_autoptr(BgptDiagnosis) diagnosis = diagnose (BGPT_CHECK_OPENAI_KEY, 401, NULL, bytes);

  assert_diagnosis_sane (diagnosis);
  g_assert_cmpstr (diagnosis->api_message, ==, "Bad key here now [hidden]");
}

static void
test_scrub (void)
{
  static const char * const secrets[] = { "abcd", "abcdefgh", "xyz", "", NULL };
  g_autofree char *none = bgpt_scrub (NULL, secrets);
  g_autofree char *nested = bgpt_scrub ("k=abcdefgh; short=abcd; xyz stays", secrets);
  g_autofree char *no_secrets = bgpt_scrub ("plain abcd", NULL);
  g_autofree char *invalid = bgpt_scrub ("bad \xff abcd \xc3", secrets);

  g_assert_null (none);
  g_assert_cmpstr (nested, ==, "k=[hidden]; short=[hidden]; xyz stays");
  g_assert_cmpstr (no_secrets, ==, "plain abcd");
  g_assert_true (g_utf8_validate (invalid, -1, NULL));
  g_assert_nonnull (strstr (invalid, "[hidden]"));
  g_assert_null (strstr (invalid, "abcd"));
}

/* A megabyte of one long word, or of would-be masks, is scrubbed whole and
 * in linear time. */
static void
test_scrub_large (void)
{
  static const char * const units[] = { "a", "a*", "sk-ab**", "sk-proj-TESTKE", "***wxyz " };

  for (gsize i = 0; i < G_N_ELEMENTS (units); i++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autofree char *scrubbed = NULL;
      gint64 start, elapsed_ms;

      while (text->len < 1024 * 1024)
        g_string_append (text, units[i]);
      start = g_get_monotonic_time ();
      scrubbed = bgpt_scrub (text->str, test_secrets);
      g_assert_nonnull (scrubbed);
      elapsed_ms = (g_get_monotonic_time () - start) / 1000;
      g_test_message ("%s…: %" G_GINT64_FORMAT " ms", units[i], elapsed_ms);
      /* Quadratic took minutes here. */
      g_assert_cmpint (elapsed_ms, <, bgpt_test_scaled_ms (5000));
      g_assert_null (strstr (scrubbed, "sk-proj-"));
    }
}

/* The headroom is kept with every OpenAI answer, whatever its status, and
 * survives a copy; Kommo's answers keep none. */
static void
test_diagnosis_rate_limit_kept (void)
{
  static const char headers[] =
    "x-ratelimit-limit-requests: 5000\nx-ratelimit-remaining-requests: 4980\n"
    "x-ratelimit-reset-requests: 1m3s\nx-ratelimit-limit-tokens: 2000000\n"
    "x-ratelimit-remaining-tokens: 1900000";
  DiagnosisCase ok = { .check = BGPT_CHECK_OPENAI_ASSISTANT, .expected_id = "asst_1", .status = 200,
                       .headers = headers, .body = "{\"id\":\"asst_1\"}" };
  DiagnosisCase limited = { .check = BGPT_CHECK_OPENAI_QUOTA, .status = 429, .headers = headers,
                            .body = "{\"error\":{\"type\":\"tokens\",\"code\":\"rate_limit_exceeded\"}}" };
  DiagnosisCase kommo = { .service = BGPT_SERVICE_KOMMO, .check = BGPT_CHECK_KOMMO_ACCOUNT,
                          .status = 200, .headers = headers,
                          .body = "{\"id\":1,\"subdomain\":\"loja\"}" };
  g_autoptr(BgptDiagnosis) diagnosis = diagnose_case (&ok);
  g_autoptr(BgptDiagnosis) copy = bgpt_diagnosis_copy (diagnosis);
  g_autoptr(BgptDiagnosis) limited_diagnosis = diagnose_case (&limited);
  g_autoptr(BgptDiagnosis) kommo_diagnosis = diagnose_case (&kommo);

  g_assert_true (bgpt_diagnosis_is_ok (diagnosis));
  g_assert_true (copy->rate_limit.requests.present);
  g_assert_cmpint (copy->rate_limit.requests.limit, ==, 5000);
  g_assert_cmpint (copy->rate_limit.requests.remaining, ==, 4980);
  g_assert_cmpint (copy->rate_limit.requests.reset_ms, ==, 63000);
  g_assert_true (copy->rate_limit.tokens.present);
  g_assert_cmpint (copy->rate_limit.tokens.remaining, ==, 1900000);
  g_assert_cmpint (copy->rate_limit.tokens.reset_ms, ==, -1);

  g_assert_cmpstr (limited_diagnosis->error_id, ==, "openai.rate-limit");
  g_assert_cmpint (limited_diagnosis->rate_limit.requests.remaining, ==, 4980);

  g_assert_true (bgpt_diagnosis_is_ok (kommo_diagnosis));
  g_assert_false (bgpt_rate_limit_is_known (&kommo_diagnosis->rate_limit));
}

/* A warning about a request that worked passes for the checks that depend
 * on it; a rate limit reached does not. */
static void
test_diagnosis_passes (void)
{
  g_autoptr(BgptDiagnosis) ok = bgpt_diagnosis_new (BGPT_CHECK_OPENAI_KEY, NULL);
  g_autoptr(BgptDiagnosis) near = bgpt_diagnosis_new (BGPT_CHECK_OPENAI_KEY, "openai.rate-limit-near");
  g_autoptr(BgptDiagnosis) limited = bgpt_diagnosis_new (BGPT_CHECK_OPENAI_KEY, "openai.rate-limit");
  g_autoptr(BgptDiagnosis) auth = bgpt_diagnosis_new (BGPT_CHECK_OPENAI_KEY, "openai.auth");

  g_assert_true (bgpt_diagnosis_passes (ok));
  g_assert_true (bgpt_diagnosis_passes (near));
  g_assert_false (bgpt_diagnosis_is_ok (near));
  g_assert_false (bgpt_diagnosis_passes (limited));
  g_assert_false (bgpt_diagnosis_passes (auth));
  g_assert_false (bgpt_diagnosis_passes (NULL));
}

static void
test_diagnosis_boxed (void)
{
  g_autoptr(BgptDiagnosis) diagnosis = bgpt_diagnosis_new (BGPT_CHECK_OPENAI_KEY, NULL);
  g_autoptr(BgptDiagnosis) copy = NULL;
  g_autoptr(BgptDiagnosis) failed = bgpt_diagnosis_new (BGPT_CHECK_OPENAI_KEY, "openai.auth");
  const char * const items[] = { "gpt-4o", NULL };

  g_assert_true (bgpt_diagnosis_is_ok (diagnosis));
  g_assert_false (bgpt_diagnosis_is_ok (failed));
  g_assert_false (bgpt_diagnosis_is_ok (NULL));
  g_assert_cmpint (diagnosis->retry_after_s, ==, -1);

  diagnosis->http_status = 200;
  diagnosis->request_id = g_strdup ("req_1");
  diagnosis->items = g_strdupv ((GStrv) items);
  diagnosis->current_items = g_strdupv ((GStrv) items);
  diagnosis->reason = g_strdup ("missing_scopes");
  diagnosis->elapsed_ms = 17;

  copy = g_boxed_copy (BGPT_TYPE_DIAGNOSIS, diagnosis);
  g_assert_true (copy != diagnosis);
  g_assert_cmpstr (copy->check, ==, BGPT_CHECK_OPENAI_KEY);
  g_assert_cmpstr (copy->request_id, ==, "req_1");
  g_assert_cmpuint (copy->http_status, ==, 200);
  g_assert_cmpint (copy->elapsed_ms, ==, 17);
  g_assert_cmpint (copy->retry_after_s, ==, -1);
  g_assert_cmpstrv (copy->items, items);
  g_assert_true (copy->items != diagnosis->items);
  g_assert_cmpstrv (copy->current_items, items);
  g_assert_cmpstr (copy->reason, ==, "missing_scopes");
  g_assert_true (copy->reason != diagnosis->reason);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/diagnosis/case/%s", cases[i].name);

      g_test_add_data_func (path, &cases[i], test_diagnosis_case);
    }

  g_test_add_func ("/diagnosis/table-covers-catalog", test_diagnosis_table_covers_catalog);
  g_test_add_func ("/diagnosis/rate-limit-kept", test_diagnosis_rate_limit_kept);
  g_test_add_func ("/diagnosis/passes", test_diagnosis_passes);
  g_test_add_func ("/diagnosis/table-covers-reasons", test_diagnosis_table_covers_reasons);
  g_test_add_func ("/diagnosis/model-ids", test_diagnosis_model_ids);
  g_test_add_func ("/diagnosis/current-models", test_diagnosis_current_models);
  g_test_add_func ("/diagnosis/five-megabytes", test_diagnosis_five_megabytes);
  g_test_add_func ("/diagnosis/deep-nesting", test_diagnosis_deep_nesting);
  g_test_add_func ("/diagnosis/hidden-nesting", test_diagnosis_hidden_nesting);
  g_test_add_func ("/diagnosis/echo-at-every-offset", test_diagnosis_echo_at_every_offset);
  g_test_add_func ("/diagnosis/masked-echo", test_diagnosis_masked_echo);
  g_test_add_func ("/diagnosis/hostile-bytes", test_diagnosis_hostile_bytes);
  g_test_add_func ("/diagnosis/retry-after-date", test_diagnosis_retry_after_date);
  g_test_add_func ("/diagnosis/scrubs-echoed-secrets", test_diagnosis_scrubs_echoed_secrets);
  g_test_add_func ("/diagnosis/redirect-scrubbed", test_diagnosis_redirect_scrubbed);
  g_test_add_func ("/diagnosis/invisible-characters", test_diagnosis_invisible_characters);
  g_test_add_func ("/diagnosis/scrub", test_scrub);
  g_test_add_func ("/diagnosis/scrub-large", test_scrub_large);
  g_test_add_func ("/diagnosis/boxed", test_diagnosis_boxed);

  return g_test_run ();
}
