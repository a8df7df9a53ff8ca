/* bgpt-simulator.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What the simulator does on one endpoint. The canned answers encode what
 * OpenAI and Kommo really send (docs/providers.md). */
typedef enum
{
  BGPT_SCENARIO_OK,
  BGPT_SCENARIO_INVALID_KEY,             /* 401 invalid_api_key; Kommo: 401 problem+json */
  BGPT_SCENARIO_MISSING_SCOPE,           /* 401, restricted key lacks a permission */
  BGPT_SCENARIO_MISMATCHED_ORGANIZATION, /* 401 mismatched_organization */
  BGPT_SCENARIO_IP_NOT_AUTHORIZED,       /* 401 ip_not_authorized: not on the organization's IP allowlist */
  BGPT_SCENARIO_ACCOUNT_DEACTIVATED,     /* 401 account_deactivated */
  BGPT_SCENARIO_FORBIDDEN,               /* 403 region not supported; Kommo: bare "Forbidden" (IP blocked) */
  BGPT_SCENARIO_MODEL_NO_ACCESS,         /* 403 model_not_found: the project lacks the model */
  BGPT_SCENARIO_NOT_FOUND,               /* 404: unknown model, no such assistant; Kommo: wrong subdomain */
  BGPT_SCENARIO_ASSISTANTS_SHUT_DOWN,    /* 404 "Invalid URL" on /assistants, as after 2026-08-26 */
  BGPT_SCENARIO_MISSING_BETA_HEADER,     /* 400 invalid_beta */
  BGPT_SCENARIO_RATE_LIMITED,            /* 429 rate_limit_exceeded, Retry-After: 20; Kommo: retry_after 2 */
  BGPT_SCENARIO_QUOTA_EXCEEDED,          /* 429 insufficient_quota */
  BGPT_SCENARIO_QUOTA_EXCEEDED_LEGACY,   /* 429 insufficient_quota with code null */
  BGPT_SCENARIO_CREDIT_EXHAUSTED,        /* 429 credit_balance_exhausted */
  BGPT_SCENARIO_SPEND_LIMIT,             /* 429 organization_spend_limit_exceeded */
  BGPT_SCENARIO_BILLING_NOT_ACTIVE,      /* 429 billing_not_active */
  BGPT_SCENARIO_PAYMENT_REQUIRED,        /* 402, Kommo's ended trial or paid period */
  BGPT_SCENARIO_REQUEST_TIMEOUT,         /* 408 */
  BGPT_SCENARIO_SERVER_ERROR,            /* 500 server_error; Kommo: with a trace_id */
  BGPT_SCENARIO_BAD_GATEWAY,             /* 502 with a proxy's HTML page */
  BGPT_SCENARIO_OVERLOADED,              /* 503 server_is_overloaded */
  BGPT_SCENARIO_SLOW_DOWN,               /* 429 rate_limit_error / slow_down */
  BGPT_SCENARIO_SLOW_DOWN_LEGACY,        /* 503 slow_down, as older deployments sent it */
  BGPT_SCENARIO_SERVICE_UNAVAILABLE_HTML,/* 503 with a proxy's HTML page */
  BGPT_SCENARIO_CLOUDFLARE_TIMEOUT,      /* 524 with Cloudflare's HTML page */
  BGPT_SCENARIO_CLOUDFLARE_UNKNOWN,      /* 520 with Cloudflare's HTML page */
  BGPT_SCENARIO_MODEL_RETIRING,          /* 200 whose model has a shutdown_date 30 days ahead */
  BGPT_SCENARIO_UNKNOWN_SUBDOMAIN,       /* Kommo: 302 to its main site (unconfirmed, docs/providers.md) */
  BGPT_SCENARIO_GATEWAY_TIMEOUT,         /* 504 with a proxy's HTML page */
  BGPT_SCENARIO_MALFORMED_JSON,          /* 200 with a cut-off JSON body */
  BGPT_SCENARIO_WRONG_SHAPE,             /* 200 with JSON of the wrong shape */
  BGPT_SCENARIO_ECHO_SECRET,             /* 401 whose message repeats the whole credential */
  BGPT_SCENARIO_REDIRECT,                /* 302 to the redirect target, same path */
  BGPT_SCENARIO_STALL_HEADERS,           /* never answers */
  BGPT_SCENARIO_STALL_BODY,              /* headers and the start of the body, then nothing */
  BGPT_SCENARIO_HUGE_BODY,               /* 200 with BGPT_SIMULATOR_HUGE_BODY_SIZE bytes, streamed */
  BGPT_SCENARIO_CLOSE,                   /* closes the connection without answering */
  BGPT_SCENARIO_RESET,                   /* resets the connection without answering */
  BGPT_SCENARIO_HOSTILE_TEXT,            /* text made to break a plugin's output: '|', quotes, '=',
                                          * line breaks, control characters, invalid UTF-8; a
                                          * proxy's 502 page (Kommo) or a 400 error (OpenAI) */
  BGPT_SCENARIO_ADMIN_KEY_REQUIRED,      /* costs: 401 for a key that is not an admin key (body unconfirmed) */
} BgptScenario;

#define BGPT_SIMULATOR_HUGE_BODY_SIZE ((gsize) 64 * 1024 * 1024)

/* The x-ratelimit-* headers on every successful OpenAI answer (docs/providers.md),
 * of a limit of BGPT_SIMULATOR_RATE_LIMIT_REQUESTS requests and
 * BGPT_SIMULATOR_RATE_LIMIT_TOKENS tokens. */
typedef enum
{
  BGPT_RATE_LIMIT_HEADERS_NORMAL,     /* most of both left (4,980 requests, 1.9 M tokens): the default */
  BGPT_RATE_LIMIT_HEADERS_NEAR,       /* under 10 % of the tokens left (150 k) */
  BGPT_RATE_LIMIT_HEADERS_MALFORMED,  /* every value unreadable: a sign, a word, past int64 */
  BGPT_RATE_LIMIT_HEADERS_ABSENT,
} BgptRateLimitHeaders;

#define BGPT_SIMULATOR_RATE_LIMIT_REQUESTS 5000
#define BGPT_SIMULATOR_RATE_LIMIT_TOKENS   2000000

/* Endpoints are named by the checks that call them: "kommo.account",
 * "openai.key", "openai.model", "openai.assistant", "openai.quota", and
 * "openai.costs" for GET /v1/organization/costs. */

/* The costs endpoint's project: it has this share of every day's cost,
 * split into two line items; the rest is another project's. */
#define BGPT_SIMULATOR_COSTS_PROJECT       "proj_bytegpt"
#define BGPT_SIMULATOR_COSTS_PROJECT_SHARE 0.8

typedef struct
{
  char     *method;
  char     *path;
  char     *endpoint;           /* the check name, or NULL for another path */
  gboolean  has_authorization;  /* never its value */
  char     *openai_beta;        /* the OpenAI-Beta header, or NULL */
  char     *user_agent;
  char     *body;               /* the request body as text, or NULL */
} BgptSimulatorRequest;

const char *bgpt_scenario_to_string   (BgptScenario  scenario);
gboolean    bgpt_scenario_from_string (const char   *name,
                                       BgptScenario *scenario);

#define BGPT_TYPE_SIMULATOR (bgpt_simulator_get_type ())

G_DECLARE_FINAL_TYPE (BgptSimulator, bgpt_simulator, BGPT, SIMULATOR, GObject)

/* Listens on 127.0.0.1, on a free port, in the thread-default main context. */
BgptSimulator              *bgpt_simulator_new                  (GError             **error);
/* The same over HTTPS with @certificate (for the bad-certificate tests). */
BgptSimulator              *bgpt_simulator_new_tls              (GTlsCertificate     *certificate,
                                                                 GError             **error);

guint                       bgpt_simulator_get_port             (BgptSimulator       *self);
/* "http://127.0.0.1:PORT" (https with TLS); OpenAI lives under "/v1". */
const char                 *bgpt_simulator_get_base_url         (BgptSimulator       *self);
char                       *bgpt_simulator_dup_openai_base_url  (BgptSimulator       *self);

/* @endpoint NULL: every endpoint. */
void                        bgpt_simulator_set_scenario         (BgptSimulator       *self,
                                                                 const char          *endpoint,
                                                                 BgptScenario         scenario);
/* Waits @delay_ms before the headers, whatever the scenario. */
void                        bgpt_simulator_set_delay            (BgptSimulator       *self,
                                                                 const char          *endpoint,
                                                                 guint                delay_ms);
/* Answers exactly this: @headers is NULL or name, value, …, NULL. */
void                        bgpt_simulator_set_response         (BgptSimulator       *self,
                                                                 const char          *endpoint,
                                                                 guint                status,
                                                                 const char * const  *headers,
                                                                 const char          *body);
/* Where BGPT_SCENARIO_REDIRECT sends the client: a base URL. */
void                        bgpt_simulator_set_redirect_target  (BgptSimulator       *self,
                                                                 const char          *base_url);
/* Requests bearing exactly @credential (a key or token) are refused as a
 * revoked one is, on every endpoint and whatever its scenario; any other
 * credential is answered as scripted. NULL refuses none. */
void                        bgpt_simulator_set_refused_credential (BgptSimulator *self,
                                                                   const char    *credential);
/* What GET /api/v2/summary.json answers, Statuspage-style, like
 * status.openai.com: the API's components in the state of @indicator
 * ("minor": degraded performance, …), ChatGPT's operational, and the page
 * status @indicator, @description. NULL, NULL is "none", "All Systems
 * Operational". */
void                        bgpt_simulator_set_status_page      (BgptSimulator       *self,
                                                                 const char          *indicator,
                                                                 const char          *description);
/* How OpenAI answers state the headroom left; a scripted answer
 * (bgpt_simulator_set_response) carries only its own headers. */
void                        bgpt_simulator_set_rate_limit_headers (BgptSimulator      *self,
                                                                   BgptRateLimitHeaders headers);
/* Normal headers with exactly these counts left (the demo's shrinking
 * headroom). */
void                        bgpt_simulator_set_rate_limit_remaining (BgptSimulator    *self,
                                                                     gint64            requests,
                                                                     gint64            tokens);
/* The daily costs the costs endpoint knows: @n_days of them, the last one
 * (partial) on the UTC day of @today. Any other day cost nothing. Until
 * this is called, nothing cost anything up to the current day. Requests
 * with a key that is not an admin key ("sk-admin-…") get a 401. */
void                        bgpt_simulator_set_costs            (BgptSimulator       *self,
                                                                 GDateTime           *today,
                                                                 const double        *daily_usd,
                                                                 guint                n_days);
/* At most @max_buckets buckets per costs page, whatever limit is asked
 * for (0: the limit); the rest follows with has_more and next_page. */
void                        bgpt_simulator_set_costs_page_size  (BgptSimulator       *self,
                                                                 guint                max_buckets);
/* Every endpoint back to BGPT_SCENARIO_OK without delay, normal rate-limit
 * headers; no costs; requests forgotten. */
void                        bgpt_simulator_reset                (BgptSimulator       *self);

/* @endpoint NULL: every request, also to unknown paths. */
guint                       bgpt_simulator_count_requests       (BgptSimulator       *self,
                                                                 const char          *endpoint);
const BgptSimulatorRequest *bgpt_simulator_get_request          (BgptSimulator       *self,
                                                                 guint                index);
void                        bgpt_simulator_clear_requests       (BgptSimulator       *self);

/* A throwaway self-signed certificate for localhost, made with openssl(1)
 * in @directory. Blocks while openssl runs: for tests and benchmarks. */
GTlsCertificate            *bgpt_simulator_create_test_certificate (const char     *directory,
                                                                    GError        **error);

G_END_DECLS
