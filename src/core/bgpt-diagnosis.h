/* bgpt-diagnosis.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "bgpt-catalog.h"
#include "bgpt-ratelimit.h"

G_BEGIN_DECLS

/* Check names, stable like the catalog ids (docs/architecture.md, The check
 * table). */
#define BGPT_CHECK_KOMMO_ACCOUNT   "kommo.account"
#define BGPT_CHECK_OPENAI_KEY      "openai.key"
#define BGPT_CHECK_OPENAI_MODEL    "openai.model"
#define BGPT_CHECK_OPENAI_ASSISTANT "openai.assistant"
#define BGPT_CHECK_OPENAI_QUOTA    "openai.quota"
/* Not a row of the checks table: it runs at most hourly, with the admin
 * key (src/core/bgpt-costs.h). */
#define BGPT_CHECK_OPENAI_COSTS    "openai.costs"

/* What came back from one request, as bgpt-http hands it over. */
typedef struct
{
  BgptService          service;
  const char          *check;            /* BGPT_CHECK_* */
  const GError        *transport_error;  /* NULL when a response arrived */
  GTlsCertificateFlags tls_errors;       /* with a TLS transport error */
  guint                status;           /* HTTP status, 0 without a response */
  SoupMessageHeaders  *headers;          /* response headers, or NULL */
  GBytes              *body;             /* at most the cap, or NULL */
  gboolean             body_over_cap;    /* the server sent more than the cap */
  gint64               elapsed_ms;
  const char          *expected_id;      /* model or assistant id the 2xx must name */
  const char * const  *secrets;          /* NULL-terminated; scrubbed from all text */
  GDateTime           *now;              /* for dates in the body; NULL: the current time */
} BgptExchange;

/* The check whose own answer judges the headroom (openai.rate-limit-near):
 * the limits are the organization's, the same on every OpenAI answer, so
 * one check owns the problem; openai.key runs whenever OpenAI is set up. */
#define BGPT_RATE_LIMIT_CHECK BGPT_CHECK_OPENAI_KEY

/* How long before a model's shutdown_date openai.model-retiring is raised. */
#define BGPT_MODEL_RETIRING_NOTICE_DAYS 90

#define BGPT_TYPE_DIAGNOSIS (bgpt_diagnosis_get_type ())

typedef struct
{
  char   *check;          /* BGPT_CHECK_* */
  char   *error_id;       /* catalog id, NULL when the check passed */
  guint   http_status;    /* 0 without a response */
  char   *api_type;       /* the API's own error type, or NULL */
  char   *api_code;       /* the API's own error code, or NULL */
  char   *reason;         /* selects a catalog reason (BgptCatalogReason), or NULL */
  char   *api_message;    /* the API's own message, scrubbed, or NULL */
  char   *request_id;     /* x-request-id / X-Request-Id, or NULL */
  gint64  retry_after_s;  /* -1 when not given */
  gint64  elapsed_ms;
  char   *detail;         /* short technical detail in English words, scrubbed, or NULL */
  char   *subject;        /* on success: Kommo account name, model or assistant id */
  GStrv   items;          /* on openai.key success: the model ids; else NULL */
  GStrv   current_items;  /* on openai.key success: the ids without a shutdown_date */
  BgptRateLimit rate_limit; /* an OpenAI answer's x-ratelimit-* headers, whatever its status */
} BgptDiagnosis;

GType          bgpt_diagnosis_get_type (void) G_GNUC_CONST;
BgptDiagnosis *bgpt_diagnosis_new      (const char          *check,
                                        const char          *error_id);
BgptDiagnosis *bgpt_diagnosis_copy     (const BgptDiagnosis *diagnosis);
void           bgpt_diagnosis_free     (BgptDiagnosis       *diagnosis);
gboolean       bgpt_diagnosis_is_ok    (const BgptDiagnosis *diagnosis);
/* OK, or a diagnosis whose catalog entry says the request itself worked
 * (BGPT_CATALOG_FLAGS_PASSES): the checks that depend on it still run. */
gboolean       bgpt_diagnosis_passes   (const BgptDiagnosis *diagnosis);

/* The classifier: pure, never fails, never blocks. */
BgptDiagnosis *bgpt_diagnose           (const BgptExchange  *exchange);

/* Returns a copy of @text where every secret of @secrets (of 4 or more
 * characters) is replaced by "[hidden]". NULL in, NULL out. */
char          *bgpt_scrub              (const char          *text,
                                        const char * const  *secrets);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BgptDiagnosis, bgpt_diagnosis_free)

G_END_DECLS
