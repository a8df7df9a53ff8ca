/* fuzz-diagnosis.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the classifier. The input is a raw HTTP response
 * (status line, headers, blank line, body) as a server could send it; libsoup's
 * own parser turns it into a status and headers, exactly as on the wire. A
 * response that does not parse stands for a transport failure instead. Every
 * input is classified for every check, and the classifier's promises are
 * asserted: it returns a diagnosis, names only catalog errors, passes only on
 * 2xx, and never lets a configured secret through.
 */

#define G_LOG_DOMAIN "bgpt-fuzz"

#include "config.h"

#include <string.h>

#include "bgpt-catalog.h"
#include "bgpt-diagnosis.h"
#include "fuzz-common.h"

/* The server may echo these back anywhere: in a header, in a message. */
static const char * const secrets[] = {
  "sk-proj-FUZZsecret0123456789",
  "kommo-FUZZ-token-abcdef",
  NULL
};

static const struct
{
  BgptService  service;
  const char  *check;
  const char  *expected_id;
} checks[] = {
  { BGPT_SERVICE_KOMMO,  BGPT_CHECK_KOMMO_ACCOUNT,   NULL },
  { BGPT_SERVICE_OPENAI, BGPT_CHECK_OPENAI_KEY,      NULL },
  { BGPT_SERVICE_OPENAI, BGPT_CHECK_OPENAI_MODEL,    "gpt-4o-mini" },
  { BGPT_SERVICE_OPENAI, BGPT_CHECK_OPENAI_ASSISTANT, "asst_abc123" },
  { BGPT_SERVICE_OPENAI, BGPT_CHECK_OPENAI_QUOTA,    NULL },
};

/* What a transport failure can look like, picked by the input's first byte. */
static const struct
{
  int                  code;
  GTlsCertificateFlags tls_errors;
} transport_errors[] = {
  { G_IO_ERROR_TIMED_OUT, 0 },
  { G_IO_ERROR_CONNECTION_REFUSED, 0 },
  { G_IO_ERROR_CONNECTION_CLOSED, 0 },
  { G_IO_ERROR_HOST_NOT_FOUND, 0 },
  { G_IO_ERROR_NETWORK_UNREACHABLE, 0 },
  { G_IO_ERROR_PROXY_FAILED, 0 },
  { G_IO_ERROR_CANCELLED, 0 },
  { G_IO_ERROR_FAILED, G_TLS_CERTIFICATE_UNKNOWN_CA },
  { G_IO_ERROR_FAILED, G_TLS_CERTIFICATE_BAD_IDENTITY | G_TLS_CERTIFICATE_EXPIRED },
};

static void
assert_no_secret (const char *field,
                  const char *text)
{
  if (text == NULL)
    return;

  for (guint i = 0; secrets[i] != NULL; i++)
    if (strstr (text, secrets[i]) != NULL)
      g_error ("secret %u leaked into %s: %s", i, field, text);
}

static void
check_diagnosis (const BgptExchange  *exchange,
                 const BgptDiagnosis *diagnosis)
{
  g_autoptr(BgptDiagnosis) copy = NULL;

  if (diagnosis == NULL)
    g_error ("no diagnosis for %s", exchange->check);
  if (g_strcmp0 (diagnosis->check, exchange->check) != 0)
    g_error ("diagnosis for %s names check %s", exchange->check, diagnosis->check);
  if (diagnosis->error_id != NULL && bgpt_catalog_lookup (diagnosis->error_id) == NULL)
    g_error ("%s: unknown error id %s", exchange->check, diagnosis->error_id);
  if (bgpt_diagnosis_is_ok (diagnosis) &&
      (exchange->transport_error != NULL || exchange->status < 200 || exchange->status > 299))
    g_error ("%s passed on status %u", exchange->check, exchange->status);
  if (bgpt_diagnosis_is_ok (diagnosis) && exchange->body_over_cap)
    g_error ("%s passed on a body over the cap", exchange->check);

  assert_no_secret ("api_type", diagnosis->api_type);
  assert_no_secret ("api_code", diagnosis->api_code);
  assert_no_secret ("api_message", diagnosis->api_message);
  assert_no_secret ("request_id", diagnosis->request_id);
  assert_no_secret ("detail", diagnosis->detail);
  assert_no_secret ("subject", diagnosis->subject);
  for (guint i = 0; diagnosis->items != NULL && diagnosis->items[i] != NULL; i++)
    assert_no_secret ("items", diagnosis->items[i]);
  for (guint i = 0; diagnosis->current_items != NULL && diagnosis->current_items[i] != NULL; i++)
    assert_no_secret ("current_items", diagnosis->current_items[i]);
  assert_no_secret ("reason", diagnosis->reason);
  if (diagnosis->reason != NULL && diagnosis->error_id == NULL)
    g_error ("%s: a reason (%s) on a diagnosis that passed", exchange->check, diagnosis->reason);

  /* The rate-limit headroom: only sane numbers, only from OpenAI. */
  for (guint i = 0; i < 2; i++)
    {
      const BgptRateLimitPart *part = i == 0 ? &diagnosis->rate_limit.requests : &diagnosis->rate_limit.tokens;

      if (part->present && (part->limit <= 0 || part->remaining < 0 || part->reset_ms < -1))
        g_error ("%s: rate limit %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT ", reset %" G_GINT64_FORMAT,
                 exchange->check, part->remaining, part->limit, part->reset_ms);
    }
  if (bgpt_rate_limit_is_known (&diagnosis->rate_limit) && exchange->service != BGPT_SERVICE_OPENAI)
    g_error ("%s: a rate limit from another service", exchange->check);
  if (g_strcmp0 (diagnosis->error_id, BGPT_DIAGNOSIS_OPENAI_RATE_LIMIT_NEAR) == 0 &&
      (exchange->status < 200 || exchange->status > 299 ||
       !bgpt_rate_limit_is_near (&diagnosis->rate_limit)))
    g_error ("%s: near the rate limit on status %u", exchange->check, exchange->status);

  copy = bgpt_diagnosis_copy (diagnosis);
  if (g_strcmp0 (copy->error_id, diagnosis->error_id) != 0 ||
      g_strcmp0 (copy->detail, diagnosis->detail) != 0 ||
      g_strcmp0 (copy->reason, diagnosis->reason) != 0 ||
      copy->retry_after_s != diagnosis->retry_after_s ||
      memcmp (&copy->rate_limit, &diagnosis->rate_limit, sizeof copy->rate_limit) != 0)
    g_error ("%s: the copy differs from the diagnosis", exchange->check);
}

static void
classify (BgptExchange *exchange)
{
  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      g_autoptr(BgptDiagnosis) diagnosis = NULL;

      exchange->service = checks[i].service;
      exchange->check = checks[i].check;
      exchange->expected_id = checks[i].expected_id;
      diagnosis = bgpt_diagnose (exchange);
      check_diagnosis (exchange, diagnosis);
    }
}

BGPT_FUZZ_DEFINE_INITIALIZE ()

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *head = NULL;
  BgptExchange exchange = { 0, };
  gsize head_size = size;
  gsize body_offset = size;
  guint status = 0;

  /* The head ends at the first blank line, CRLF or bare LF. */
  for (gsize i = 0; i + 1 < size; i++)
    {
      if (data[i] == '\n' && data[i + 1] == '\n')
        {
          head_size = i + 1;
          body_offset = i + 2;
          break;
        }
      if (i + 3 < size && memcmp (data + i, "\r\n\r\n", 4) == 0)
        {
          head_size = i + 2;
          body_offset = i + 4;
          break;
        }
    }

  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  exchange.secrets = secrets;
  exchange.elapsed_ms = 42;

  /* libsoup reads its header buffers as C strings: on the wire they always
   * end with a NUL, so give the parser the same. */
  head = g_malloc (head_size + 1);
  memcpy (head, data, head_size);
  head[head_size] = '\0';

  if (head_size <= G_MAXINT &&
      soup_headers_parse_response (head, (int) head_size, headers,
                                   NULL, &status, &reason))
    {
      /* A copy, so that ASan sees a read past the body's end. */
      body = g_bytes_new (data + body_offset, size - body_offset);
      exchange.status = status;
      exchange.headers = headers;
      exchange.body = body;
      classify (&exchange);

      /* The same response, but more of it than the cap allows. */
      exchange.body_over_cap = TRUE;
      classify (&exchange);
    }
  else
    {
      guint pick = size > 0 ? data[0] % G_N_ELEMENTS (transport_errors) : 0;
      g_autoptr(GError) error = NULL;

      error = g_error_new_literal (G_IO_ERROR, transport_errors[pick].code,
                                   "The connection failed");
      exchange.transport_error = error;
      exchange.tls_errors = transport_errors[pick].tls_errors;
      classify (&exchange);
    }

  return 0;
}
