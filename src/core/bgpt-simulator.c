/* bgpt-simulator.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-simulator"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "bgpt-checks.h"
#include "bgpt-simulator.h"

#define HUGE_CHUNK_SIZE (64 * 1024)
#define STALL_BODY_LENGTH 4096
/* Above the monitor's burst: 64 accounts in flight, 4 connections each. */
#define LISTEN_BACKLOG 512

static const struct
{
  BgptScenario  scenario;
  const char   *name;
} scenario_names[] = {
  { BGPT_SCENARIO_OK, "ok" },
  { BGPT_SCENARIO_INVALID_KEY, "invalid-key" },
  { BGPT_SCENARIO_MISSING_SCOPE, "missing-scope" },
  { BGPT_SCENARIO_MISMATCHED_ORGANIZATION, "mismatched-organization" },
  { BGPT_SCENARIO_IP_NOT_AUTHORIZED, "ip-not-authorized" },
  { BGPT_SCENARIO_ACCOUNT_DEACTIVATED, "account-deactivated" },
  { BGPT_SCENARIO_FORBIDDEN, "forbidden" },
  { BGPT_SCENARIO_MODEL_NO_ACCESS, "model-no-access" },
  { BGPT_SCENARIO_NOT_FOUND, "not-found" },
  { BGPT_SCENARIO_ASSISTANTS_SHUT_DOWN, "assistants-shut-down" },
  { BGPT_SCENARIO_MISSING_BETA_HEADER, "missing-beta-header" },
  { BGPT_SCENARIO_RATE_LIMITED, "rate-limited" },
  { BGPT_SCENARIO_QUOTA_EXCEEDED, "quota-exceeded" },
  { BGPT_SCENARIO_QUOTA_EXCEEDED_LEGACY, "quota-exceeded-legacy" },
  { BGPT_SCENARIO_CREDIT_EXHAUSTED, "credit-exhausted" },
  { BGPT_SCENARIO_SPEND_LIMIT, "spend-limit" },
  { BGPT_SCENARIO_BILLING_NOT_ACTIVE, "billing-not-active" },
  { BGPT_SCENARIO_PAYMENT_REQUIRED, "payment-required" },
  { BGPT_SCENARIO_REQUEST_TIMEOUT, "request-timeout" },
  { BGPT_SCENARIO_SERVER_ERROR, "server-error" },
  { BGPT_SCENARIO_BAD_GATEWAY, "bad-gateway" },
  { BGPT_SCENARIO_OVERLOADED, "overloaded" },
  { BGPT_SCENARIO_SLOW_DOWN, "slow-down" },
  { BGPT_SCENARIO_SLOW_DOWN_LEGACY, "slow-down-legacy" },
  { BGPT_SCENARIO_SERVICE_UNAVAILABLE_HTML, "service-unavailable-html" },
  { BGPT_SCENARIO_CLOUDFLARE_TIMEOUT, "cloudflare-timeout" },
  { BGPT_SCENARIO_CLOUDFLARE_UNKNOWN, "cloudflare-unknown" },
  { BGPT_SCENARIO_MODEL_RETIRING, "model-retiring" },
  { BGPT_SCENARIO_UNKNOWN_SUBDOMAIN, "unknown-subdomain" },
  { BGPT_SCENARIO_GATEWAY_TIMEOUT, "gateway-timeout" },
  { BGPT_SCENARIO_MALFORMED_JSON, "malformed-json" },
  { BGPT_SCENARIO_WRONG_SHAPE, "wrong-shape" },
  { BGPT_SCENARIO_ECHO_SECRET, "echo-secret" },
  { BGPT_SCENARIO_REDIRECT, "redirect" },
  { BGPT_SCENARIO_STALL_HEADERS, "stall-headers" },
  { BGPT_SCENARIO_STALL_BODY, "stall-body" },
  { BGPT_SCENARIO_HUGE_BODY, "huge-body" },
  { BGPT_SCENARIO_CLOSE, "close" },
  { BGPT_SCENARIO_RESET, "reset" },
  { BGPT_SCENARIO_HOSTILE_TEXT, "hostile-text" },
  { BGPT_SCENARIO_ADMIN_KEY_REQUIRED, "admin-key-required" },
};

/* One endpoint per check, named like it, then the costs. */
#define COSTS_ENDPOINT BGPT_N_CHECKS
#define N_ENDPOINTS    (BGPT_N_CHECKS + 1)

static const char *
endpoint_name (guint index)
{
  if (index == COSTS_ENDPOINT)
    return BGPT_CHECK_OPENAI_COSTS;
  return bgpt_checks_get (NULL)[index].id;
}

typedef struct
{
  BgptScenario  scenario;
  guint         delay_ms;
  gboolean      raw;
  guint         raw_status;
  GStrv         raw_headers;
  char         *raw_body;
} EndpointScript;

struct _BgptSimulator
{
  GObject         parent_instance;

  SoupServer     *server;
  char           *base_url;
  guint           port;
  char           *redirect_target;
  char           *refused_credential;
  char           *status_indicator;
  char           *status_description;
  gint64          costs_today;  /* day number of the last cost, -1: the current day */
  GArray         *costs;        /* double, the daily costs up to costs_today */
  guint           costs_page_size;
  EndpointScript  scripts[N_ENDPOINTS];
  BgptRateLimitHeaders rate_limit_headers;
  gint64          requests_remaining;
  gint64          tokens_remaining;
  GPtrArray      *requests;
  /* Messages held back (delays, stalls); released on dispose. */
  GPtrArray      *held;
  guint           n_answered;
};

G_DEFINE_FINAL_TYPE (BgptSimulator, bgpt_simulator, G_TYPE_OBJECT)

const char *
bgpt_scenario_to_string (BgptScenario scenario)
{
  for (guint i = 0; i < G_N_ELEMENTS (scenario_names); i++)
    if (scenario_names[i].scenario == scenario)
      return scenario_names[i].name;
  return NULL;
}

gboolean
bgpt_scenario_from_string (const char   *name,
                           BgptScenario *scenario)
{
  for (guint i = 0; i < G_N_ELEMENTS (scenario_names); i++)
    if (g_strcmp0 (scenario_names[i].name, name) == 0)
      {
        *scenario = scenario_names[i].scenario;
        return TRUE;
      }
  return FALSE;
}

static void
simulator_request_free (BgptSimulatorRequest *request)
{
  g_free (request->method);
  g_free (request->path);
  g_free (request->endpoint);
  g_free (request->openai_beta);
  g_free (request->user_agent);
  g_free (request->body);
  g_free (request);
}

static int
endpoint_index (const char *endpoint)
{
  for (guint i = 0; i < N_ENDPOINTS; i++)
    if (g_strcmp0 (endpoint_name (i), endpoint) == 0)
      return (int) i;
  return -1;
}

static void
script_clear (EndpointScript *script)
{
  g_clear_pointer (&script->raw_headers, g_strfreev);
  g_clear_pointer (&script->raw_body, g_free);
  script->raw = FALSE;
  script->raw_status = 0;
  script->scenario = BGPT_SCENARIO_OK;
  script->delay_ms = 0;
}

static char *
json_quote (const char *text)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), text);

  return json_to_string (node, FALSE);
}

static char *
openai_error_body (const char *message,
                   const char *type,
                   const char *code)
{
  g_autofree char *quoted_message = json_quote (message);
  g_autofree char *quoted_type = type != NULL ? json_quote (type) : g_strdup ("null");
  g_autofree char *quoted_code = code != NULL ? json_quote (code) : g_strdup ("null");

  return g_strdup_printf ("{\n  \"error\": {\n    \"message\": %s,\n    \"type\": %s,\n"
                          "    \"param\": null,\n    \"code\": %s\n  }\n}\n",
                          quoted_message, quoted_type, quoted_code);
}

static char *
kommo_problem_body (guint       status,
                    const char *title,
                    const char *detail)
{
  g_autofree char *quoted_title = json_quote (title);
  g_autofree char *quoted_detail = json_quote (detail);

  return g_strdup_printf ("{\"title\":%s,\"type\":\"https://httpstatus.es/%u\","
                          "\"status\":%u,\"detail\":%s}",
                          quoted_title, status, status, quoted_detail);
}

static const char bad_gateway_html[] =
  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
  "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
  "</body>\r\n</html>\r\n";

static const char service_unavailable_html[] =
  "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n"
  "<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n"
  "</body>\r\n</html>\r\n";

/* The shape of Cloudflare's own error pages for 52x (the host is the one
 * a client asked for; the real page carries more styling). */
static char *
cloudflare_html (guint       status,
                 const char *what)
{
  return g_strdup_printf ("<!DOCTYPE html>\n"
                          "<!--[if lt IE 7]> <html class=\"no-js ie6 oldie\" lang=\"en-US\"> <![endif]-->\n"
                          "<head>\n<title>api.openai.com | %u: %s</title>\n<meta charset=\"UTF-8\" />\n"
                          "<link rel=\"stylesheet\" id=\"cf_styles-css\" href=\"/cdn-cgi/styles/cf.errors.css\" />\n"
                          "</head>\n<body>\n<div id=\"cf-wrapper\">\n<div id=\"cf-error-details\" class=\"p-0\">\n"
                          "<h1><span class=\"inline-block\">%s</span>\n"
                          "<span class=\"code-label\">Error code %u</span></h1>\n"
                          "<p class=\"text-13\">Cloudflare Ray ID: <strong class=\"font-semibold\">8e3f2a1b9c0d4e5f</strong></p>\n"
                          "</div>\n</div>\n</body>\n</html>\n",
                          status, what, what, status);
}

static const char gateway_timeout_html[] =
  "<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n"
  "<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx</center>\r\n"
  "</body>\r\n</html>\r\n";

/* Cloudflare titles its error pages "<host> | 502: Bad gateway"; the rest
 * forges performance data and carries bytes no text should. */
static const char hostile_html[] =
  "<!DOCTYPE html>\r\n<html><head><title>acme.kommo.com | 502: Bad gateway</title></head>\r\n"
  "<body><h1>Bad gateway</h1>\n<p>Error code 502 | 'forged'=1;2;3;0;9 \"quoted\" a=b</p>\r\n"
  "<p>tab\there, bell\a, escape\x1b[31mred\x1b[0m, invalid \xff\xfe\xc3( UTF-8</p>\n"
  "</body></html>\n";

/* The same tricks inside a JSON error, where they arrive escaped. */
static const char hostile_message[] =
  "Bad | request: 'quoted' \"double\" a=b\nsecond line\r\n| 'forged'=1s;;;0;1\x01\x1b[0m\xe2\x80\xa8" "end";

static void
set_body (SoupServerMessage *message,
          guint              status,
          const char        *content_type,
          const char        *body)
{
  soup_server_message_set_status (message, status, NULL);
  soup_server_message_set_response (message, content_type, SOUP_MEMORY_COPY,
                                    body, strlen (body));
}

static void
set_json (SoupServerMessage *message,
          guint              status,
          char              *body)
{
  set_body (message, status, "application/json", body);
  g_free (body);
}

static void
set_problem (SoupServerMessage *message,
             guint              status,
             const char        *title,
             const char        *detail)
{
  g_autofree char *body = kommo_problem_body (status, title, detail);

  set_body (message, status, "application/problem+json", body);
}

/* Statuspage's component state for an overall indicator. */
static const char *
component_status (const char *indicator)
{
  static const char * const states[][2] = {
    { "minor", "degraded_performance" },
    { "major", "partial_outage" },
    { "critical", "major_outage" },
    { "maintenance", "under_maintenance" },
  };

  for (gsize i = 0; indicator != NULL && i < G_N_ELEMENTS (states); i++)
    {
      if (g_str_equal (indicator, states[i][0]))
        return states[i][1];
    }
  return "operational";
}

/* What status.openai.com's summary.json looks like: the API's components
 * in a group of their own, beside ChatGPT's; the API's follow the set
 * indicator. */
static char *
status_summary (BgptSimulator *self)
{
  const char *api = component_status (self->status_indicator);
  g_autofree char *indicator = json_quote (self->status_indicator != NULL ? self->status_indicator : "none");
  g_autofree char *description = json_quote (self->status_description != NULL
                                             ? self->status_description : "All Systems Operational");

  return g_strdup_printf ("{\"page\":{\"id\":\"sim\",\"name\":\"OpenAI\",\"url\":\"https://status.openai.com\"},"
                          "\"components\":["
                          "{\"id\":\"grp-api\",\"name\":\"APIs\",\"status\":\"%s\",\"group\":true,\"group_id\":null,"
                          "\"components\":[\"api-responses\",\"api-chat\"]},"
                          "{\"id\":\"api-responses\",\"name\":\"Responses\",\"status\":\"%s\",\"group\":false,\"group_id\":\"grp-api\"},"
                          "{\"id\":\"api-chat\",\"name\":\"Chat Completions\",\"status\":\"%s\",\"group\":false,\"group_id\":\"grp-api\"},"
                          "{\"id\":\"grp-chatgpt\",\"name\":\"ChatGPT\",\"status\":\"operational\",\"group\":true,\"group_id\":null,"
                          "\"components\":[\"chatgpt-login\"]},"
                          "{\"id\":\"chatgpt-login\",\"name\":\"Login\",\"status\":\"operational\",\"group\":false,\"group_id\":\"grp-chatgpt\"}],"
                          "\"incidents\":[],\"scheduled_maintenances\":[],"
                          "\"status\":{\"indicator\":%s,\"description\":%s}}",
                          api, api, api, indicator, description);
}

#define SECONDS_PER_DAY 86400

/* The line items of a day's cost: name, project, share. */
static const struct
{
  const char *line_item;
  const char *project;
  double      share;
} costs_split[] = {
  { "gpt-4o-mini, input", BGPT_SIMULATOR_COSTS_PROJECT, 0.5 },
  { "gpt-4o-mini, output", BGPT_SIMULATOR_COSTS_PROJECT, BGPT_SIMULATOR_COSTS_PROJECT_SHARE - 0.5 },
  { "web search tool calls", "proj_other", 1.0 - BGPT_SIMULATOR_COSTS_PROJECT_SHARE },
};

typedef struct
{
  gint64     start_time;
  gint64     end_time;     /* 0: none */
  guint      limit;
  guint      offset;       /* from the page cursor */
  GPtrArray *project_ids;
  gboolean   by_line_item;
  gboolean   by_project;
} CostsQuery;

/* The raw query, where "name[]" repeats (GLib's parsed table keeps one). */
static void
parse_costs_query (const char *query,
                   CostsQuery *parsed)
{
  g_auto(GStrv) pairs = g_strsplit (query != NULL ? query : "", "&", -1);

  parsed->limit = 7;
  parsed->project_ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (pairs[i], "=", 2);
      g_autofree char *name = g_uri_unescape_string (pair[0], NULL);
      g_autofree char *value = pair[1] != NULL ? g_uri_unescape_string (pair[1], NULL) : NULL;

      if (name == NULL || value == NULL)
        continue;
      if (g_str_has_suffix (name, "[]"))
        name[strlen (name) - 2] = '\0';

      if (g_str_equal (name, "start_time"))
        parsed->start_time = g_ascii_strtoll (value, NULL, 10);
      else if (g_str_equal (name, "end_time"))
        parsed->end_time = g_ascii_strtoll (value, NULL, 10);
      else if (g_str_equal (name, "limit"))
        parsed->limit = CLAMP (g_ascii_strtoull (value, NULL, 10), 1, 180);
      else if (g_str_equal (name, "page") && g_str_has_prefix (value, "page_"))
        parsed->offset = g_ascii_strtoull (value + strlen ("page_"), NULL, 10);
      else if (g_str_equal (name, "project_ids"))
        g_ptr_array_add (parsed->project_ids, g_steal_pointer (&value));
      else if (g_str_equal (name, "group_by"))
        {
          parsed->by_line_item |= g_str_equal (value, "line_item");
          parsed->by_project |= g_str_equal (value, "project_id");
        }
    }
}

static double
cost_of_day (BgptSimulator *self,
             gint64         day,
             gint64         today)
{
  gint64 first = today - (gint64) (self->costs != NULL ? self->costs->len : 0) + 1;

  if (self->costs == NULL || day < first || day > today)
    return 0.0;
  return g_array_index (self->costs, double, day - first);
}

static void
append_costs_result (GString    *json,
                     gboolean    first,
                     double      usd,
                     const char *line_item,
                     const char *project)
{
  char value[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *quoted_item = line_item != NULL ? json_quote (line_item) : g_strdup ("null");
  g_autofree char *quoted_project = project != NULL ? json_quote (project) : g_strdup ("null");

  g_string_append_printf (json, "%s{\"object\": \"organization.costs.result\", "
                          "\"amount\": {\"value\": %s, \"currency\": \"usd\"}, "
                          "\"line_item\": %s, \"project_id\": %s, \"api_key_id\": null, "
                          "\"quantity\": null, \"quantity_unit\": null}",
                          first ? "" : ", ",
                          g_ascii_formatd (value, sizeof value, "%.6f", usd),
                          quoted_item, quoted_project);
}

/* One page of daily buckets, as GET /v1/organization/costs answers
 * (docs/providers.md): every day of the range, an empty one included,
 * up to the current day. */
static char *
costs_page (BgptSimulator *self,
            const char    *query)
{
  g_autoptr(GString) json = g_string_new ("{\"object\": \"page\", \"data\": [");
  CostsQuery parsed = { 0 };
  gint64 today = self->costs_today >= 0 ? self->costs_today
                                        : g_get_real_time () / G_USEC_PER_SEC / SECONDS_PER_DAY;
  gint64 first, last, day;

  parse_costs_query (query, &parsed);
  if (self->costs_page_size > 0)
    parsed.limit = MIN (parsed.limit, self->costs_page_size);
  first = parsed.start_time / SECONDS_PER_DAY + parsed.offset;
  last = today;
  if (parsed.end_time > 0)
    last = MIN (last, (parsed.end_time - 1) / SECONDS_PER_DAY);

  for (day = first; day <= last && day < first + parsed.limit; day++)
    {
      double usd = cost_of_day (self, day, today);
      gboolean first_result = TRUE;
      double total = 0.0;

      g_string_append_printf (json, "%s{\"object\": \"bucket\", \"start_time\": %" G_GINT64_FORMAT
                              ", \"end_time\": %" G_GINT64_FORMAT ", \"results\": [",
                              day == first ? "" : ", ", day * SECONDS_PER_DAY, (day + 1) * SECONDS_PER_DAY);
      for (gsize i = 0; usd > 0.0 && i < G_N_ELEMENTS (costs_split); i++)
        {
          if (parsed.project_ids->len > 0 &&
              !g_ptr_array_find_with_equal_func (parsed.project_ids, costs_split[i].project, g_str_equal, NULL))
            continue;
          if (parsed.by_line_item || parsed.by_project)
            {
              append_costs_result (json, first_result, usd * costs_split[i].share,
                                   parsed.by_line_item ? costs_split[i].line_item : NULL,
                                   parsed.by_project ? costs_split[i].project : NULL);
              first_result = FALSE;
            }
          else
            total += usd * costs_split[i].share;
        }
      if (total > 0.0)
        append_costs_result (json, TRUE, total, NULL, NULL);
      g_string_append (json, "]}");
    }

  if (day <= last)
    g_string_append_printf (json, "], \"has_more\": true, \"next_page\": \"page_%" G_GINT64_FORMAT "\"}",
                            day - parsed.start_time / SECONDS_PER_DAY);
  else
    g_string_append (json, "], \"has_more\": false, \"next_page\": null}");

  g_ptr_array_unref (parsed.project_ids);
  return g_string_free (g_steal_pointer (&json), FALSE);
}

static void
set_ok (BgptSimulator     *self,
        SoupServerMessage *message,
        int                endpoint,
        const char        *subject)
{
  g_autofree char *quoted = json_quote (subject != NULL ? subject : "");

  switch (endpoint)
    {
    case COSTS_ENDPOINT:
      set_json (message, SOUP_STATUS_OK, costs_page (self, subject));
      break;

    case 0:
      set_body (message, SOUP_STATUS_OK, "application/hal+json",
                "{\"id\":30123456,\"name\":\"Acme Atendimento\",\"subdomain\":\"acme\","
                "\"current_user_id\":8123456,\"country\":\"BR\",\"currency\":\"BRL\","
                "\"currency_symbol\":\"R$\",\"customers_mode\":\"disabled\","
                "\"is_unsorted_on\":true,\"is_loss_reason_enabled\":true,"
                "\"is_helpbot_enabled\":false,\"is_technical_account\":false,"
                "\"contact_name_display_order\":1,"
                "\"_links\":{\"self\":{\"href\":\"https://acme.kommo.com/api/v4/account\"}}}");
      break;

    case 1:
      set_json (message, SOUP_STATUS_OK,
                /* Retiring models carry their shutdown date (docs/providers.md). */
                g_strdup ("{\n  \"object\": \"list\",\n  \"data\": [\n"
                          "    {\"id\": \"gpt-4.1-mini\", \"object\": \"model\", \"created\": 1744316542, \"owned_by\": \"system\", \"shutdown_date\": \"2027-01-14\"},\n"
                          "    {\"id\": \"gpt-4o\", \"object\": \"model\", \"created\": 1715367049, \"owned_by\": \"system\", \"shutdown_date\": \"2027-01-14\"},\n"
                          "    {\"id\": \"text-embedding-3-small\", \"object\": \"model\", \"created\": 1705948997, \"owned_by\": \"system\"},\n"
                          "    {\"id\": \"gpt-6-luna\", \"object\": \"model\", \"created\": 1790985600, \"owned_by\": \"system\"},\n"
                          "    {\"id\": \"gpt-4o-mini\", \"object\": \"model\", \"created\": 1721172741, \"owned_by\": \"system\", \"shutdown_date\": \"2027-01-14\"}\n"
                          "  ]\n}\n"));
      break;

    case 2:
      set_json (message, SOUP_STATUS_OK,
                g_strdup_printf ("{\"id\": %s, \"object\": \"model\", \"created\": 1744316542, "
                                 "\"owned_by\": \"system\"}", quoted));
      break;

    case 3:
      set_json (message, SOUP_STATUS_OK,
                g_strdup_printf ("{\"id\": %s, \"object\": \"assistant\", \"created_at\": 1735689600, "
                                 "\"name\": \"ByteGPT\", \"description\": null, \"model\": \"gpt-4o\", "
                                 "\"instructions\": \"Atenda os clientes com cordialidade.\", "
                                 "\"tools\": [], \"metadata\": {}, \"temperature\": 1.0, "
                                 "\"top_p\": 1.0, \"response_format\": \"auto\"}", quoted));
      break;

    case 4:
    default:
      set_json (message, SOUP_STATUS_OK,
                g_strdup ("{\"id\": \"resp_sim\", \"object\": \"response\", \"created_at\": 1764320000, "
                          "\"status\": \"completed\", \"model\": \"gpt-6-luna\", "
                          "\"output\": [{\"type\": \"message\", \"id\": \"msg_sim\", \"status\": \"completed\", "
                          "\"role\": \"assistant\", \"content\": [{\"type\": \"output_text\", "
                          "\"text\": \"pong\", \"annotations\": []}]}], "
                          "\"usage\": {\"input_tokens\": 8, \"output_tokens\": 2, \"total_tokens\": 10}}"));
      break;
    }
}

#define NORMAL_REQUESTS_REMAINING 4980
#define NORMAL_TOKENS_REMAINING   1900000
#define NEAR_TOKENS_REMAINING     150000

/* What OpenAI states on its answers (docs/providers.md); the resets are
 * Go durations, as OpenAI writes them. */
static void
add_rate_limit_headers (BgptSimulator      *self,
                        SoupMessageHeaders *headers)
{
  g_autofree char *requests_limit = NULL;
  g_autofree char *requests = NULL;
  g_autofree char *tokens_limit = NULL;
  g_autofree char *tokens = NULL;

  switch (self->rate_limit_headers)
    {
    case BGPT_RATE_LIMIT_HEADERS_ABSENT:
      return;

    case BGPT_RATE_LIMIT_HEADERS_MALFORMED:
      soup_message_headers_replace (headers, "x-ratelimit-limit-requests", "5000 requests");
      soup_message_headers_replace (headers, "x-ratelimit-remaining-requests", "-12");
      soup_message_headers_replace (headers, "x-ratelimit-reset-requests", "soon");
      soup_message_headers_replace (headers, "x-ratelimit-limit-tokens", "99999999999999999999999");
      soup_message_headers_replace (headers, "x-ratelimit-remaining-tokens", "1.5e6");
      soup_message_headers_replace (headers, "x-ratelimit-reset-tokens", "-6m0s");
      return;

    case BGPT_RATE_LIMIT_HEADERS_NEAR:
    case BGPT_RATE_LIMIT_HEADERS_NORMAL:
    default:
      break;
    }

  requests_limit = g_strdup_printf ("%d", BGPT_SIMULATOR_RATE_LIMIT_REQUESTS);
  requests = g_strdup_printf ("%" G_GINT64_FORMAT, self->requests_remaining);
  tokens_limit = g_strdup_printf ("%d", BGPT_SIMULATOR_RATE_LIMIT_TOKENS);
  tokens = g_strdup_printf ("%" G_GINT64_FORMAT, self->rate_limit_headers == BGPT_RATE_LIMIT_HEADERS_NEAR
                                                 ? NEAR_TOKENS_REMAINING : self->tokens_remaining);
  soup_message_headers_replace (headers, "x-ratelimit-limit-requests", requests_limit);
  soup_message_headers_replace (headers, "x-ratelimit-remaining-requests", requests);
  soup_message_headers_replace (headers, "x-ratelimit-reset-requests", "12ms");
  soup_message_headers_replace (headers, "x-ratelimit-limit-tokens", tokens_limit);
  soup_message_headers_replace (headers, "x-ratelimit-remaining-tokens", tokens);
  soup_message_headers_replace (headers, "x-ratelimit-reset-tokens", "6m0s");
}

typedef struct
{
  BgptSimulator     *self;      /* unowned: a hold never outlives the simulator */
  SoupServerMessage *message;
  int                endpoint;
  BgptScenario       scenario;
  char              *subject;
  char              *credential;
  guint              source_id;
  gsize              remaining;  /* huge body: bytes still to queue */
  gboolean           finished;
} Hold;

static void
hold_free (Hold *hold)
{
  g_clear_handle_id (&hold->source_id, g_source_remove);
  if (hold->message != NULL)
    g_signal_handlers_disconnect_by_data (hold->message, hold);
  g_clear_object (&hold->message);
  g_free (hold->subject);
  if (hold->credential != NULL)
    explicit_bzero (hold->credential, strlen (hold->credential));
  g_free (hold->credential);
  g_free (hold);
}

static void
release_hold (Hold *hold)
{
  g_ptr_array_remove (hold->self->held, hold);
}

static void
hold_finished_cb (SoupServerMessage *message,
                  Hold              *hold)
{
  hold->finished = TRUE;
  g_clear_handle_id (&hold->source_id, g_source_remove);
  release_hold (hold);
}

static void
unpause (SoupServerMessage *message)
{
  soup_server_message_unpause (message);
}

static char huge_chunk[HUGE_CHUNK_SIZE];

static void
queue_huge_chunk (Hold *hold)
{
  SoupMessageBody *body = soup_server_message_get_response_body (hold->message);
  gsize size = MIN (hold->remaining, sizeof huge_chunk);

  if (size == 0)
    return;

  soup_message_body_append (body, SOUP_MEMORY_STATIC, huge_chunk, size);
  hold->remaining -= size;
}

static void
huge_wrote_chunk_cb (SoupServerMessage *message,
                     Hold              *hold)
{
  queue_huge_chunk (hold);
}

static gboolean
drop_connection_cb (gpointer user_data)
{
  Hold *hold = user_data;
  g_autoptr(GIOStream) stream = NULL;
  GSocket *socket;

  hold->source_id = 0;

  socket = soup_server_message_get_socket (hold->message);
  if (socket != NULL && hold->scenario == BGPT_SCENARIO_RESET)
    {
      /* A zero linger time turns the close into a TCP reset. */
      struct linger linger = { .l_onoff = 1, .l_linger = 0 };

      setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
    }

  /* Stealing the connection finishes the message: forget it first. */
  g_signal_handlers_disconnect_by_data (hold->message, hold);
  stream = soup_server_message_steal_connection (hold->message);
  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);

  release_hold (hold);
  return G_SOURCE_REMOVE;
}

/* A stalled client that gave up closes its end; the paused message never
 * notices, so the connection (and its descriptor) would stay until the
 * simulator goes. */
static gboolean
stalled_client_cb (GSocket      *socket,
                   GIOCondition  condition,
                   gpointer      user_data)
{
  Hold *hold = user_data;
  char byte;
  gssize n = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);

  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
    return G_SOURCE_CONTINUE;
  if (n > 0)
    {
      /* Another request on a connection whose answer is pending: not
       * expected from an HTTP/1.1 client; stop watching rather than spin. */
      hold->source_id = 0;
      return G_SOURCE_REMOVE;
    }
  return drop_connection_cb (hold);
}

static void
watch_stalled_client (Hold *hold)
{
  GSocket *socket = soup_server_message_get_socket (hold->message);
  g_autoptr(GSource) source = NULL;

  if (socket == NULL)
    return;
  source = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (source, G_SOURCE_FUNC (stalled_client_cb), hold, NULL);
  g_clear_handle_id (&hold->source_id, g_source_remove);
  hold->source_id = g_source_attach (source, NULL);
}

static void answer (Hold *hold);

static gboolean
delay_done_cb (gpointer user_data)
{
  Hold *hold = user_data;

  hold->source_id = 0;
  answer (hold);
  return G_SOURCE_REMOVE;
}

static void
set_scenario_response (BgptSimulator     *self,
                       SoupServerMessage *message,
                       int                endpoint,
                       BgptScenario       scenario,
                       const char        *subject,
                       const char        *credential)
{
  gboolean kommo = endpoint == 0;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (message);

  switch (scenario)
    {
    case BGPT_SCENARIO_OK:
      set_ok (self, message, endpoint, subject);
      break;

    case BGPT_SCENARIO_INVALID_KEY:
    case BGPT_SCENARIO_MISSING_SCOPE:
    case BGPT_SCENARIO_MISMATCHED_ORGANIZATION:
      if (kommo)
        set_problem (message, 401, "Unauthorized", "Invalid user name or password");
      else if (scenario == BGPT_SCENARIO_INVALID_KEY)
        set_json (message, 401,
                  openai_error_body ("Incorrect API key provided: sk-ab***wxyz. You can find your API key "
                                     "at https://platform.openai.com/account/api-keys.",
                                     "invalid_request_error", "invalid_api_key"));
      else if (scenario == BGPT_SCENARIO_MISSING_SCOPE)
        set_json (message, 401,
                  openai_error_body ("You have insufficient permissions for this operation. Missing scopes: "
                                     "api.model.read. Check that you have the correct role in your "
                                     "organization (Reader, Writer, Owner) and project (Member, Owner), "
                                     "and if you're using a restricted API key, that it has the necessary scopes.",
                                     "invalid_request_error", NULL));
      else
        set_json (message, 401,
                  openai_error_body ("OpenAI-Organization header should match organization for API key",
                                     "invalid_request_error", "mismatched_organization"));
      break;

    /* The body is not documented; the error-codes guide names the code. */
    /* Unconfirmed (docs/providers.md): only the status is reported, and
     * the message is OpenAI's usual one for a key without a scope. */
    case BGPT_SCENARIO_ADMIN_KEY_REQUIRED:
      set_json (message, 401,
                openai_error_body ("You have insufficient permissions for this operation. Missing scopes: "
                                   "api.usage.read. Check that you have the correct role in your "
                                   "organization (Owner) and that you are using an admin key.",
                                   "invalid_request_error", NULL));
      break;

    case BGPT_SCENARIO_IP_NOT_AUTHORIZED:
      set_json (message, 401,
                openai_error_body ("Your request IP is not authorized for this project or organization.",
                                   "invalid_request_error", "ip_not_authorized"));
      break;

    case BGPT_SCENARIO_ACCOUNT_DEACTIVATED:
      set_json (message, 401,
                openai_error_body ("The OpenAI account associated with this API key has been deactivated. "
                                   "If you are the developer for this OpenAI app, please check your email "
                                   "for more information.",
                                   "invalid_request_error", "account_deactivated"));
      break;

    case BGPT_SCENARIO_FORBIDDEN:
      if (kommo)
        set_body (message, 403, "text/plain", "Forbidden");
      else
        set_json (message, 403,
                  openai_error_body ("Country, region, or territory not supported",
                                     "request_forbidden", "unsupported_country_region_territory"));
      break;

    case BGPT_SCENARIO_MODEL_NO_ACCESS:
      if (kommo)
        set_body (message, 403, "text/plain", "Forbidden");
      else
        {
          g_autofree char *text = g_strdup_printf ("Project `proj_sim1234` does not have access to model `%s`",
                                                   subject != NULL ? subject : "gpt-4o");
          set_json (message, 403, openai_error_body (text, "invalid_request_error", "model_not_found"));
        }
      break;

    case BGPT_SCENARIO_NOT_FOUND:
      if (kommo)
        set_problem (message, 404, "Not Found", "Account not found");
      else if (endpoint == 3)
        {
          g_autofree char *text = g_strdup_printf ("No assistant found with id '%s'.", subject);
          set_json (message, 404, openai_error_body (text, "invalid_request_error", NULL));
        }
      else if (endpoint == 1)
        set_json (message, 404,
                  openai_error_body ("Invalid URL (GET /v1/models)", "invalid_request_error", NULL));
      else
        {
          g_autofree char *text = g_strdup_printf ("The model `%s` does not exist or you do not have access to it.",
                                                   subject != NULL ? subject : "gpt-9");
          set_json (message, 404, openai_error_body (text, "invalid_request_error", "model_not_found"));
        }
      break;

    case BGPT_SCENARIO_ASSISTANTS_SHUT_DOWN:
      {
        g_autofree char *text = g_strdup_printf ("Invalid URL (GET %s)",
                                                 g_uri_get_path (soup_server_message_get_uri (message)));

        set_json (message, 404, openai_error_body (text, "invalid_request_error", NULL));
      }
      break;

    case BGPT_SCENARIO_MISSING_BETA_HEADER:
      set_json (message, 400,
                openai_error_body ("You must provide the 'OpenAI-Beta' header to access the Assistants API. "
                                   "Please try again by setting the header 'OpenAI-Beta: assistants=v2'.",
                                   "invalid_request_error", "invalid_beta"));
      break;

    case BGPT_SCENARIO_RATE_LIMITED:
      if (kommo)
        set_body (message, 429, "application/json", "{\"retry_after\":2}");
      else
        {
          soup_message_headers_replace (headers, "retry-after", "20");
          soup_message_headers_replace (headers, "x-ratelimit-limit-requests", "3");
          soup_message_headers_replace (headers, "x-ratelimit-remaining-requests", "0");
          soup_message_headers_replace (headers, "x-ratelimit-reset-requests", "20s");
          set_json (message, 429,
                    openai_error_body ("Rate limit reached for gpt-4.1-mini in organization org-sim1234 on "
                                       "requests per min (RPM): Limit 3, Used 3, Requested 1. Please try "
                                       "again in 20s. Visit https://platform.openai.com/account/rate-limits "
                                       "to learn more.",
                                       "requests", "rate_limit_exceeded"));
        }
      break;

    case BGPT_SCENARIO_QUOTA_EXCEEDED:
    case BGPT_SCENARIO_QUOTA_EXCEEDED_LEGACY:
      set_json (message, 429,
                openai_error_body ("You exceeded your current quota, please check your plan and billing "
                                   "details. For more information on this error, read the docs: "
                                   "https://platform.openai.com/docs/guides/error-codes/api-errors.",
                                   "insufficient_quota",
                                   scenario == BGPT_SCENARIO_QUOTA_EXCEEDED ? "insufficient_quota" : NULL));
      break;

    case BGPT_SCENARIO_CREDIT_EXHAUSTED:
      set_json (message, 429,
                openai_error_body ("Your credit balance is too low to access the API. Please go to Plans "
                                   "& Billing to purchase credits.",
                                   "invalid_request_error", "credit_balance_exhausted"));
      break;

    case BGPT_SCENARIO_SPEND_LIMIT:
      set_json (message, 429,
                openai_error_body ("Your organization has reached its monthly spend limit.",
                                   "invalid_request_error", "organization_spend_limit_exceeded"));
      break;

    case BGPT_SCENARIO_BILLING_NOT_ACTIVE:
      set_json (message, 429,
                openai_error_body ("Your account is not active, please check your billing details on our website.",
                                   "billing_not_active", "billing_not_active"));
      break;

    case BGPT_SCENARIO_PAYMENT_REQUIRED:
      set_problem (message, 402, "Payment Required", "Your subscription has expired");
      break;

    case BGPT_SCENARIO_REQUEST_TIMEOUT:
      set_body (message, 408, "text/plain", "Request Timeout");
      break;

    case BGPT_SCENARIO_SERVER_ERROR:
      if (kommo)
        set_body (message, 500, "application/problem+json",
                  "{\"title\":\"Internal Server Error\",\"type\":\"https://httpstatus.es/500\","
                  "\"status\":500,\"detail\":\"Internal error\",\"trace_id\":\"c0ffee1234\"}");
      else
        set_json (message, 500,
                  openai_error_body ("The server had an error while processing your request. Sorry about that!",
                                     "server_error", NULL));
      break;

    case BGPT_SCENARIO_BAD_GATEWAY:
      set_body (message, 502, "text/html", bad_gateway_html);
      break;

    case BGPT_SCENARIO_OVERLOADED:
      set_json (message, 503,
                openai_error_body ("That model is currently overloaded with other requests. You can retry "
                                   "your request, or contact us through our help center at help.openai.com "
                                   "if the error persists.",
                                   "service_unavailable_error", "server_is_overloaded"));
      break;

    case BGPT_SCENARIO_SLOW_DOWN:
      set_json (message, 429,
                openai_error_body ("Please reduce your request rate.", "rate_limit_error", "slow_down"));
      break;

    case BGPT_SCENARIO_SLOW_DOWN_LEGACY:
      set_json (message, 503,
                openai_error_body ("Please reduce your request rate and slowly ramp up your traffic.",
                                   "service_unavailable_error", "slow_down"));
      break;

    case BGPT_SCENARIO_SERVICE_UNAVAILABLE_HTML:
      set_body (message, 503, "text/html", service_unavailable_html);
      break;

    case BGPT_SCENARIO_CLOUDFLARE_TIMEOUT:
    case BGPT_SCENARIO_CLOUDFLARE_UNKNOWN:
      {
        gboolean timeout = scenario == BGPT_SCENARIO_CLOUDFLARE_TIMEOUT;
        g_autofree char *html = cloudflare_html (timeout ? 524 : 520,
                                                 timeout ? "A timeout occurred"
                                                         : "Web server is returning an unknown error");

        soup_message_headers_replace (headers, "server", "cloudflare");
        soup_message_headers_replace (headers, "cf-ray", "8e3f2a1b9c0d4e5f-GRU");
        set_body (message, timeout ? 524 : 520, "text/html; charset=UTF-8", html);
      }
      break;

    case BGPT_SCENARIO_MODEL_RETIRING:
      if (endpoint == 2)
        {
          g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
          g_autoptr(GDateTime) shutdown = g_date_time_add_days (now, 30);
          g_autofree char *date = g_date_time_format (shutdown, "%Y-%m-%d");
          g_autofree char *quoted = json_quote (subject != NULL ? subject : "");

          set_json (message, SOUP_STATUS_OK,
                    g_strdup_printf ("{\"id\": %s, \"object\": \"model\", \"created\": 1721172741, "
                                     "\"owned_by\": \"system\", \"shutdown_date\": \"%s\"}", quoted, date));
        }
      else
        set_ok (self, message, endpoint, subject);
      break;

    case BGPT_SCENARIO_UNKNOWN_SUBDOMAIN:
      soup_server_message_set_redirect (message, SOUP_STATUS_FOUND, "https://www.kommo.com/");
      break;

    case BGPT_SCENARIO_GATEWAY_TIMEOUT:
      set_body (message, 504, "text/html", gateway_timeout_html);
      break;

    case BGPT_SCENARIO_MALFORMED_JSON:
      set_body (message, 200, "application/json", "{\"object\": \"list\", \"data\": [{\"id\": \"gpt-4");
      break;

    case BGPT_SCENARIO_WRONG_SHAPE:
      set_body (message, 200, "application/json", "{\"object\": \"unexpected\", \"items\": [1, 2, 3]}");
      break;

    case BGPT_SCENARIO_ECHO_SECRET:
      {
        g_autofree char *text = g_strdup_printf ("Incorrect API key provided: %s. You can find your API "
                                                 "key at https://platform.openai.com/account/api-keys.",
                                                 credential != NULL ? credential : "");
        if (kommo)
          set_problem (message, 401, "Unauthorized", text);
        else
          set_json (message, 401, openai_error_body (text, "invalid_request_error", "invalid_api_key"));
        explicit_bzero (text, strlen (text));
      }
      break;

    case BGPT_SCENARIO_REDIRECT:
      {
        const char *path = g_uri_get_path (soup_server_message_get_uri (message));
        g_autofree char *location = g_strconcat (self->redirect_target != NULL ? self->redirect_target
                                                                                : "http://127.0.0.1:9",
                                                 path, NULL);

        soup_server_message_set_redirect (message, SOUP_STATUS_FOUND, location);
      }
      break;

    case BGPT_SCENARIO_HOSTILE_TEXT:
      soup_message_headers_replace (headers, kommo ? "X-Request-Id" : "x-request-id",
                                    "req_|'x'=1;\"q\"");
      if (kommo)
        set_body (message, 502, "text/html", hostile_html);
      else
        set_json (message, 400, openai_error_body (hostile_message, "invalid_request_error",
                                                   "hostile|code='x'=1"));
      break;

    case BGPT_SCENARIO_STALL_HEADERS:
    case BGPT_SCENARIO_STALL_BODY:
    case BGPT_SCENARIO_HUGE_BODY:
    case BGPT_SCENARIO_CLOSE:
    case BGPT_SCENARIO_RESET:
    default:
      g_assert_not_reached ();
    }
}

static void
answer (Hold *hold)
{
  BgptSimulator *self = hold->self;
  SoupServerMessage *message = hold->message;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (message);
  EndpointScript *script = hold->endpoint >= 0 ? &self->scripts[hold->endpoint] : NULL;
  g_autofree char *request_id = g_strdup_printf ("req_sim%06u", ++self->n_answered);

  soup_message_headers_replace (headers, hold->endpoint == 0 ? "X-Request-Id" : "x-request-id",
                                request_id);
  if (hold->endpoint > 0)
    soup_message_headers_replace (headers, "openai-processing-ms", "12");

  switch (hold->scenario)
    {
    case BGPT_SCENARIO_STALL_HEADERS:
      /* Held until the client gives up or the simulator goes away. */
      watch_stalled_client (hold);
      return;

    case BGPT_SCENARIO_STALL_BODY:
      soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
      soup_message_headers_set_content_type (headers, "application/json", NULL);
      soup_message_headers_set_content_length (headers, STALL_BODY_LENGTH);
      soup_message_body_append (soup_server_message_get_response_body (message), SOUP_MEMORY_STATIC,
                                "{\"object\": \"list\", \"data\": [", strlen ("{\"object\": \"list\", \"data\": ["));
      unpause (message);
      watch_stalled_client (hold);
      return;

    case BGPT_SCENARIO_HUGE_BODY:
      soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
      soup_message_headers_set_content_type (headers, "application/json", NULL);
      soup_message_headers_set_content_length (headers, BGPT_SIMULATOR_HUGE_BODY_SIZE);
      /* Written chunks are dropped, so the body never sits in memory. */
      soup_message_body_set_accumulate (soup_server_message_get_response_body (message), FALSE);
      hold->remaining = BGPT_SIMULATOR_HUGE_BODY_SIZE;
      memset (huge_chunk, ' ', sizeof huge_chunk);
      g_signal_connect (message, "wrote-chunk", G_CALLBACK (huge_wrote_chunk_cb), hold);
      queue_huge_chunk (hold);
      unpause (message);
      return;

    case BGPT_SCENARIO_CLOSE:
    case BGPT_SCENARIO_RESET:
      /* At the default priority, not idle: a window redrawing without a
       * pause (slow frames on a busy machine) runs above idle priority and
       * would hold the drop back until the client's time limit. */
      hold->source_id = g_idle_add_full (G_PRIORITY_DEFAULT, drop_connection_cb, hold, NULL);
      return;

    default:
      break;
    }

  if (script != NULL && script->raw)
    {
      const char *content_type = "application/json";

      for (guint i = 0; script->raw_headers != NULL && script->raw_headers[i] != NULL &&
                        script->raw_headers[i + 1] != NULL; i += 2)
        {
          if (g_ascii_strcasecmp (script->raw_headers[i], "Content-Type") == 0)
            content_type = script->raw_headers[i + 1];
          else
            soup_message_headers_replace (headers, script->raw_headers[i], script->raw_headers[i + 1]);
        }
      set_body (message, script->raw_status, content_type,
                script->raw_body != NULL ? script->raw_body : "");
    }
  else
    {
      set_scenario_response (self, message, hold->endpoint, hold->scenario,
                             hold->subject, hold->credential);
      /* On the answers that got through to the organization's limits
       * (the 429 states its own). */
      if (hold->endpoint > 0 && SOUP_STATUS_IS_SUCCESSFUL (soup_server_message_get_status (message)))
        add_rate_limit_headers (self, headers);
    }

  unpause (message);
  release_hold (hold);
}

static int
route (const char  *method,
       const char  *path,
       char       **subject)
{
  if (g_str_equal (path, "/api/v4/account"))
    return 0;
  if (g_str_equal (path, "/v1/models"))
    return 1;
  if (g_str_has_prefix (path, "/v1/models/") && path[strlen ("/v1/models/")] != '\0')
    {
      *subject = g_uri_unescape_string (path + strlen ("/v1/models/"), NULL);
      return 2;
    }
  if (g_str_has_prefix (path, "/v1/assistants/") && path[strlen ("/v1/assistants/")] != '\0')
    {
      *subject = g_uri_unescape_string (path + strlen ("/v1/assistants/"), NULL);
      return 3;
    }
  if (g_str_equal (path, "/v1/responses"))
    return 4;
  if (g_str_equal (path, "/v1/organization/costs"))
    return COSTS_ENDPOINT;
  return -1;
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *message,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  BgptSimulator *self = user_data;
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (message);
  SoupMessageBody *request_body = soup_server_message_get_request_body (message);
  const char *authorization = soup_message_headers_get_one (request_headers, "Authorization");
  BgptSimulatorRequest *request = g_new0 (BgptSimulatorRequest, 1);
  g_autofree char *subject = NULL;
  EndpointScript *script;
  Hold *hold;
  int endpoint;

  endpoint = route (soup_server_message_get_method (message), path, &subject);
  if (endpoint == COSTS_ENDPOINT)
    subject = g_strdup (g_uri_get_query (soup_server_message_get_uri (message)));

  request->method = g_strdup (soup_server_message_get_method (message));
  request->path = g_strdup (path);
  request->endpoint = endpoint >= 0 ? g_strdup (endpoint_name (endpoint)) : NULL;
  request->has_authorization = authorization != NULL;
  request->openai_beta = g_strdup (soup_message_headers_get_one (request_headers, "OpenAI-Beta"));
  request->user_agent = g_strdup (soup_message_headers_get_one (request_headers, "User-Agent"));
  if (request_body != NULL && request_body->length > 0)
    request->body = g_strndup (request_body->data, request_body->length);
  g_ptr_array_add (self->requests, request);

  if (endpoint < 0 && g_str_equal (path, "/api/v2/summary.json"))
    {
      set_json (message, SOUP_STATUS_OK, status_summary (self));
      return;
    }

  if (endpoint < 0)
    {
      set_body (message, 404, "text/plain", "Not Found");
      return;
    }

  script = &self->scripts[endpoint];

  hold = g_new0 (Hold, 1);
  hold->self = self;
  hold->message = g_object_ref (message);
  hold->endpoint = endpoint;
  hold->scenario = script->raw ? BGPT_SCENARIO_OK : script->scenario;
  hold->subject = g_steal_pointer (&subject);
  if (authorization != NULL && g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0)
    hold->credential = g_strdup (authorization + 7);
  g_ptr_array_add (self->held, hold);
  g_signal_connect (message, "finished", G_CALLBACK (hold_finished_cb), hold);

  /* What the real services answer whatever else is going on. */
  if (!script->raw && authorization == NULL && hold->scenario != BGPT_SCENARIO_REDIRECT)
    {
      if (endpoint == 0)
        set_problem (message, 401, "Unauthorized", "Invalid user name or password");
      else
        set_json (message, 401,
                  openai_error_body ("You didn't provide an API key. You need to provide your API key in an "
                                     "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                                     "invalid_request_error", NULL));
      release_hold (hold);
      return;
    }
  if (!script->raw && self->refused_credential != NULL && hold->credential != NULL &&
      g_str_equal (hold->credential, self->refused_credential))
    hold->scenario = BGPT_SCENARIO_INVALID_KEY;
  if (!script->raw && endpoint == COSTS_ENDPOINT && hold->scenario == BGPT_SCENARIO_OK &&
      hold->credential != NULL && !g_str_has_prefix (hold->credential, "sk-admin-"))
    hold->scenario = BGPT_SCENARIO_ADMIN_KEY_REQUIRED;
  if (!script->raw && endpoint == 3 && hold->scenario == BGPT_SCENARIO_OK &&
      g_strcmp0 (soup_message_headers_get_one (request_headers, "OpenAI-Beta"), "assistants=v2") != 0)
    hold->scenario = BGPT_SCENARIO_MISSING_BETA_HEADER;

  soup_server_message_pause (message);

  if (script->delay_ms > 0)
    hold->source_id = g_timeout_add (script->delay_ms, delay_done_cb, hold);
  else
    answer (hold);
}

void
bgpt_simulator_set_scenario (BgptSimulator *self,
                             const char    *endpoint,
                             BgptScenario   scenario)
{
  g_return_if_fail (BGPT_IS_SIMULATOR (self));
  g_return_if_fail (endpoint == NULL || endpoint_index (endpoint) >= 0);

  for (guint i = 0; i < N_ENDPOINTS; i++)
    if (endpoint == NULL || g_str_equal (endpoint, endpoint_name (i)))
      {
        EndpointScript *script = &self->scripts[i];
        guint delay_ms = script->delay_ms;

        script_clear (script);
        script->scenario = scenario;
        script->delay_ms = delay_ms;
      }
}

void
bgpt_simulator_set_delay (BgptSimulator *self,
                          const char    *endpoint,
                          guint          delay_ms)
{
  g_return_if_fail (BGPT_IS_SIMULATOR (self));
  g_return_if_fail (endpoint == NULL || endpoint_index (endpoint) >= 0);

  for (guint i = 0; i < N_ENDPOINTS; i++)
    if (endpoint == NULL || g_str_equal (endpoint, endpoint_name (i)))
      self->scripts[i].delay_ms = delay_ms;
}

void
bgpt_simulator_set_response (BgptSimulator      *self,
                             const char         *endpoint,
                             guint               status,
                             const char * const *headers,
                             const char         *body)
{
  EndpointScript *script;
  int index;

  g_return_if_fail (BGPT_IS_SIMULATOR (self));
  index = endpoint_index (endpoint);
  g_return_if_fail (index >= 0);

  script = &self->scripts[index];
  g_clear_pointer (&script->raw_headers, g_strfreev);
  g_clear_pointer (&script->raw_body, g_free);
  script->raw = TRUE;
  script->raw_status = status;
  script->raw_headers = g_strdupv ((char **) headers);
  script->raw_body = g_strdup (body);
}

void
bgpt_simulator_set_redirect_target (BgptSimulator *self,
                                    const char    *base_url)
{
  g_return_if_fail (BGPT_IS_SIMULATOR (self));

  g_free (self->redirect_target);
  self->redirect_target = g_strdup (base_url);
}

void
bgpt_simulator_set_refused_credential (BgptSimulator *self,
                                       const char    *credential)
{
  g_return_if_fail (BGPT_IS_SIMULATOR (self));

  if (self->refused_credential != NULL)
    explicit_bzero (self->refused_credential, strlen (self->refused_credential));
  g_free (self->refused_credential);
  self->refused_credential = g_strdup (credential);
}

void
bgpt_simulator_set_status_page (BgptSimulator *self,
                                const char    *indicator,
                                const char    *description)
{
  g_return_if_fail (BGPT_IS_SIMULATOR (self));

  g_free (self->status_indicator);
  self->status_indicator = g_strdup (indicator);
  g_free (self->status_description);
  self->status_description = g_strdup (description);
}

void
bgpt_simulator_set_costs (BgptSimulator *self,
                          GDateTime     *today,
                          const double  *daily_usd,
                          guint          n_days)
{
  g_return_if_fail (BGPT_IS_SIMULATOR (self));
  g_return_if_fail (today != NULL);
  g_return_if_fail (daily_usd != NULL || n_days == 0);

  g_clear_pointer (&self->costs, g_array_unref);
  self->costs = g_array_sized_new (FALSE, FALSE, sizeof (double), n_days);
  g_array_append_vals (self->costs, daily_usd, n_days);
  self->costs_today = g_date_time_to_unix (today) / SECONDS_PER_DAY;
}

void
bgpt_simulator_set_costs_page_size (BgptSimulator *self,
                                    guint          max_buckets)
{
  g_return_if_fail (BGPT_IS_SIMULATOR (self));

  self->costs_page_size = max_buckets;
}

void
bgpt_simulator_reset (BgptSimulator *self)
{
  g_return_if_fail (BGPT_IS_SIMULATOR (self));

  g_clear_pointer (&self->costs, g_array_unref);
  self->costs_today = -1;
  self->costs_page_size = 0;

  for (guint i = 0; i < N_ENDPOINTS; i++)
    script_clear (&self->scripts[i]);
  g_clear_pointer (&self->redirect_target, g_free);
  bgpt_simulator_set_refused_credential (self, NULL);
  bgpt_simulator_set_status_page (self, NULL, NULL);
  bgpt_simulator_set_rate_limit_headers (self, BGPT_RATE_LIMIT_HEADERS_NORMAL);
  bgpt_simulator_clear_requests (self);
}

void
bgpt_simulator_set_rate_limit_headers (BgptSimulator        *self,
                                       BgptRateLimitHeaders  headers)
{
  g_return_if_fail (BGPT_IS_SIMULATOR (self));

  self->rate_limit_headers = headers;
  self->requests_remaining = NORMAL_REQUESTS_REMAINING;
  self->tokens_remaining = NORMAL_TOKENS_REMAINING;
}

void
bgpt_simulator_set_rate_limit_remaining (BgptSimulator *self,
                                         gint64         requests,
                                         gint64         tokens)
{
  g_return_if_fail (BGPT_IS_SIMULATOR (self));

  self->rate_limit_headers = BGPT_RATE_LIMIT_HEADERS_NORMAL;
  self->requests_remaining = requests;
  self->tokens_remaining = tokens;
}

guint
bgpt_simulator_count_requests (BgptSimulator *self,
                               const char    *endpoint)
{
  guint count = 0;

  g_return_val_if_fail (BGPT_IS_SIMULATOR (self), 0);

  for (guint i = 0; i < self->requests->len; i++)
    {
      const BgptSimulatorRequest *request = g_ptr_array_index (self->requests, i);

      if (endpoint == NULL || g_strcmp0 (request->endpoint, endpoint) == 0)
        count++;
    }
  return count;
}

const BgptSimulatorRequest *
bgpt_simulator_get_request (BgptSimulator *self,
                            guint          index)
{
  g_return_val_if_fail (BGPT_IS_SIMULATOR (self), NULL);
  g_return_val_if_fail (index < self->requests->len, NULL);

  return g_ptr_array_index (self->requests, index);
}

void
bgpt_simulator_clear_requests (BgptSimulator *self)
{
  g_return_if_fail (BGPT_IS_SIMULATOR (self));

  g_ptr_array_set_size (self->requests, 0);
}

guint
bgpt_simulator_get_port (BgptSimulator *self)
{
  g_return_val_if_fail (BGPT_IS_SIMULATOR (self), 0);

  return self->port;
}

const char *
bgpt_simulator_get_base_url (BgptSimulator *self)
{
  g_return_val_if_fail (BGPT_IS_SIMULATOR (self), NULL);

  return self->base_url;
}

char *
bgpt_simulator_dup_openai_base_url (BgptSimulator *self)
{
  g_return_val_if_fail (BGPT_IS_SIMULATOR (self), NULL);

  return g_strconcat (self->base_url, "/v1", NULL);
}

GTlsCertificate *
bgpt_simulator_create_test_certificate (const char  *directory,
                                        GError     **error)
{
  g_autofree char *cert_path = g_build_filename (directory, "test-only-cert.pem", NULL);
  g_autofree char *key_path = g_build_filename (directory, "test-only-key.pem", NULL);
  g_autofree char *standard_error = NULL;
  int wait_status = 0;
  const char *argv[] = {
    "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
    "-nodes", "-days", "1", "-subj", "/CN=localhost",
    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
    "-keyout", key_path, "-out", cert_path, NULL
  };

  if (!g_spawn_sync (NULL, (char **) argv, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &standard_error, &wait_status, error))
    return NULL;

  if (!g_spawn_check_wait_status (wait_status, error))
    {
      g_prefix_error (error, "openssl: %s: ", standard_error);
      return NULL;
    }

  return g_tls_certificate_new_from_files (cert_path, key_path, error);
}

/* libsoup 3.6 (Debian 13) finishes a server-side TLS handshake on a
 * connection that it no longer holds when the server was freed in the
 * meantime (a client that refused the certificate and went away): a use
 * after free. Each request that a TLS connection starts holds its
 * connection, so a TLS simulator keeps them for as long as the process
 * lives; only tests serve TLS, a handful of connections each. */
G_LOCK_DEFINE_STATIC (tls_requests);
static GPtrArray *tls_requests;

static void
tls_request_started_cb (SoupServer        *server,
                        SoupServerMessage *message,
                        gpointer           user_data)
{
  G_LOCK (tls_requests);
  if (tls_requests == NULL)
    tls_requests = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (tls_requests, g_object_ref (message));
  G_UNLOCK (tls_requests);
}

static gboolean
simulator_listen (BgptSimulator    *self,
        GTlsCertificate  *certificate,
        GError          **error)
{
  g_autoslist(GUri) uris = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  SoupServerListenOptions options = 0;

  if (certificate != NULL)
    {
      soup_server_set_tls_certificate (self->server, certificate);
      options |= SOUP_SERVER_LISTEN_HTTPS;
      g_signal_connect (self->server, "request-started", G_CALLBACK (tls_request_started_cb), NULL);
    }

  soup_server_add_handler (self->server, NULL, server_callback, self, NULL);

  /* Our own socket for a deeper listen backlog than GSocketListener's 10:
   * a monitor round opens a few hundred connections in one burst, and
   * connections beyond the backlog wait for the SYN to be retried (1 s). */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  if (!g_socket_bind (socket, address, TRUE, error) ||
      !g_socket_listen (socket, error) ||
      !soup_server_listen_socket (self->server, socket, options, error))
    return FALSE;

  uris = soup_server_get_uris (self->server);
  g_assert (uris != NULL);
  self->port = (guint) g_uri_get_port (uris->data);
  self->base_url = g_strdup_printf ("%s://127.0.0.1:%u",
                                    certificate != NULL ? "https" : "http", self->port);
  return TRUE;
}

BgptSimulator *
bgpt_simulator_new (GError **error)
{
  g_autoptr(BgptSimulator) self = g_object_new (BGPT_TYPE_SIMULATOR, NULL);

  if (!simulator_listen (self, NULL, error))
    return NULL;
  return g_steal_pointer (&self);
}

BgptSimulator *
bgpt_simulator_new_tls (GTlsCertificate  *certificate,
                        GError          **error)
{
  g_autoptr(BgptSimulator) self = NULL;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  self = g_object_new (BGPT_TYPE_SIMULATOR, NULL);
  if (!simulator_listen (self, certificate, error))
    return NULL;
  return g_steal_pointer (&self);
}

static void
bgpt_simulator_dispose (GObject *object)
{
  BgptSimulator *self = BGPT_SIMULATOR (object);

  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_pointer (&self->held, g_ptr_array_unref);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (bgpt_simulator_parent_class)->dispose (object);
}

static void
bgpt_simulator_finalize (GObject *object)
{
  BgptSimulator *self = BGPT_SIMULATOR (object);

  for (guint i = 0; i < N_ENDPOINTS; i++)
    script_clear (&self->scripts[i]);
  g_clear_pointer (&self->requests, g_ptr_array_unref);
  g_free (self->base_url);
  g_free (self->redirect_target);
  bgpt_simulator_set_refused_credential (self, NULL);
  g_free (self->status_indicator);
  g_free (self->status_description);
  g_clear_pointer (&self->costs, g_array_unref);

  G_OBJECT_CLASS (bgpt_simulator_parent_class)->finalize (object);
}

static void
bgpt_simulator_class_init (BgptSimulatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bgpt_simulator_dispose;
  object_class->finalize = bgpt_simulator_finalize;
}

static void
bgpt_simulator_init (BgptSimulator *self)
{
  self->server = soup_server_new ("server-header", "bgpt-simulator", NULL);
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) simulator_request_free);
  self->held = g_ptr_array_new_with_free_func ((GDestroyNotify) hold_free);
  self->costs_today = -1;
  bgpt_simulator_set_rate_limit_headers (self, BGPT_RATE_LIMIT_HEADERS_NORMAL);
}
