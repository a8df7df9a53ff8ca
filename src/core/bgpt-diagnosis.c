/* bgpt-diagnosis.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-diagnosis"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "bgpt-diagnosis.h"
#include "bgpt-json.h"

/* Same cap as bgpt-http: anything larger is a diagnosis, never parsed. */
#define BODY_CAP             (1024 * 1024)
#define MAX_MESSAGE_CHARS    300
#define MAX_SNIPPET_CHARS    200
#define MAX_FIELD_CHARS      200
#define MAX_RETRY_AFTER_S    86400
#define HIDDEN               "[hidden]"
/* No 8 characters in a row of a secret are ever shown. */
#define SECRET_PREFIX_MIN    8

G_DEFINE_BOXED_TYPE (BgptDiagnosis, bgpt_diagnosis,
                     bgpt_diagnosis_copy, bgpt_diagnosis_free)

BgptDiagnosis *
bgpt_diagnosis_new (const char *check,
                    const char *error_id)
{
  BgptDiagnosis *diagnosis = g_new0 (BgptDiagnosis, 1);

  diagnosis->check = g_strdup (check);
  diagnosis->error_id = g_strdup (error_id);
  diagnosis->retry_after_s = -1;
  return diagnosis;
}

BgptDiagnosis *
bgpt_diagnosis_copy (const BgptDiagnosis *diagnosis)
{
  BgptDiagnosis *copy;

  g_return_val_if_fail (diagnosis != NULL, NULL);

  copy = bgpt_diagnosis_new (diagnosis->check, diagnosis->error_id);
  copy->http_status = diagnosis->http_status;
  copy->api_type = g_strdup (diagnosis->api_type);
  copy->api_code = g_strdup (diagnosis->api_code);
  copy->reason = g_strdup (diagnosis->reason);
  copy->api_message = g_strdup (diagnosis->api_message);
  copy->request_id = g_strdup (diagnosis->request_id);
  copy->retry_after_s = diagnosis->retry_after_s;
  copy->elapsed_ms = diagnosis->elapsed_ms;
  copy->detail = g_strdup (diagnosis->detail);
  copy->subject = g_strdup (diagnosis->subject);
  copy->items = g_strdupv (diagnosis->items);
  copy->current_items = g_strdupv (diagnosis->current_items);
  copy->rate_limit = diagnosis->rate_limit;
  return copy;
}

void
bgpt_diagnosis_free (BgptDiagnosis *diagnosis)
{
  if (diagnosis == NULL)
    return;

  g_free (diagnosis->check);
  g_free (diagnosis->error_id);
  g_free (diagnosis->api_type);
  g_free (diagnosis->api_code);
  g_free (diagnosis->reason);
  g_free (diagnosis->api_message);
  g_free (diagnosis->request_id);
  g_free (diagnosis->detail);
  g_free (diagnosis->subject);
  g_strfreev (diagnosis->items);
  g_strfreev (diagnosis->current_items);
  g_free (diagnosis);
}

gboolean
bgpt_diagnosis_is_ok (const BgptDiagnosis *diagnosis)
{
  return diagnosis != NULL && diagnosis->error_id == NULL;
}

gboolean
bgpt_diagnosis_passes (const BgptDiagnosis *diagnosis)
{
  return bgpt_diagnosis_is_ok (diagnosis) ||
         (diagnosis != NULL && bgpt_catalog_has_flags (diagnosis->error_id, BGPT_CATALOG_FLAGS_PASSES));
}

static int
compare_longest_first (gconstpointer a,
                       gconstpointer b)
{
  gsize len_a = strlen (*(const char * const *) a);
  gsize len_b = strlen (*(const char * const *) b);

  return (len_a < len_b) - (len_a > len_b);
}

/* OpenAI echoes a wrong key as "sk-ab***wxyz": shown the way the app
 * masks a key, with its last four characters only. */
static gboolean
mask_echo (const GMatchInfo *match_info,
           GString          *result,
           gpointer          user_data)
{
  g_autofree char *token = g_match_info_fetch (match_info, 0);
  g_autofree char *tail = g_match_info_fetch (match_info, 1);

  if (g_str_has_prefix (token, "sk-"))
    g_string_append (result, "sk-");
  g_string_append (result, "…");
  g_string_append (result, tail);
  return FALSE;
}

static char *
mask_echoes (const char *text)
{
  static GRegex *masked_key;
  static gsize initialized;
  char *masked;

  if (g_once_init_enter (&initialized))
    {
      /* RAW: the pattern is ASCII, and in UTF-8 mode PCRE checks the whole
       * text again at every match, quadratic on a page of masks. No JIT
       * (G_REGEX_OPTIMIZE): valgrind cannot follow its generated code. */
      masked_key = g_regex_new ("(?<![A-Za-z0-9_-])[A-Za-z0-9_-]*\\*{3,}"
                                "([A-Za-z0-9_-]{1,4})(?![A-Za-z0-9_-])",
                                G_REGEX_RAW, 0, NULL);
      g_once_init_leave (&initialized, 1);
    }

  masked = g_regex_replace_eval (masked_key, text, -1, 0, 0, mask_echo, NULL, NULL);
  /* Only a regex engine limit gets here: the text had no mask to replace
   * that could be found. */
  return masked != NULL ? masked : g_strdup (text);
}

/* Replaces every run of text that starts like @secret, for at least
 * SECRET_PREFIX_MIN characters: a server that cuts an echo short, or a
 * snippet that ends inside one, leaves a prefix that is still most of it. */
static void
hide_prefixes (GString    *text,
               const char *secret)
{
  gsize secret_len = strlen (secret);
  g_autofree char *prefix = NULL;
  g_autoptr(GString) hidden = NULL;
  const char *p;

  if (secret_len < SECRET_PREFIX_MIN)
    return;

  /* One pass into a copy: replacing in place would move the rest of the
   * text at every hit. */
  prefix = g_strndup (secret, SECRET_PREFIX_MIN);
  hidden = g_string_sized_new (text->len);
  p = text->str;
  /* g_strstr_len(): with a length, no strlen() of the rest at every hit. */
  for (const char *hit; (hit = g_strstr_len (p, text->str + text->len - p, prefix)) != NULL; )
    {
      gsize matched = SECRET_PREFIX_MIN;

      while (matched < secret_len && hit[matched] == secret[matched])
        matched++;
      g_string_append_len (hidden, p, hit - p);
      g_string_append (hidden, HIDDEN);
      p = hit + matched;
    }
  g_string_append (hidden, p);
  g_string_assign (text, hidden->str);
}

char *
bgpt_scrub (const char         *text,
            const char * const *secrets)
{
  g_autoptr(GPtrArray) sorted = NULL;
  g_autofree char *valid = NULL;
  GString *scrubbed;

  if (text == NULL)
    return NULL;

  valid = g_utf8_make_valid (text, -1);
  if (secrets == NULL)
    return mask_echoes (valid);

  scrubbed = g_string_new (valid);

  /* Longest first, so a secret that contains another is hidden whole. */
  sorted = g_ptr_array_new ();
  for (gsize i = 0; secrets[i] != NULL; i++)
    {
      if (strlen (secrets[i]) >= 4)
        g_ptr_array_add (sorted, (gpointer) secrets[i]);
    }
  g_ptr_array_sort (sorted, compare_longest_first);

  for (guint i = 0; i < sorted->len; i++)
    g_string_replace (scrubbed, g_ptr_array_index (sorted, i), HIDDEN, 0);

  /* The API's mask first: "sk-proj-***" starts like every project key. */
  g_free (valid);
  valid = mask_echoes (scrubbed->str);
  g_string_assign (scrubbed, valid);
  for (guint i = 0; i < sorted->len; i++)
    hide_prefixes (scrubbed, g_ptr_array_index (sorted, i));

  return g_string_free (scrubbed, FALSE);
}

/* Valid UTF-8, control characters and runs of white space folded into one
 * space, scrubbed, then cut to @max_chars. Scrubbing comes before the cut so
 * a secret is never left half visible. NULL when nothing is left. */
static char *
clean_text (const char         *text,
            gssize              length,
            gsize               max_chars,
            const char * const *secrets)
{
  g_autofree char *valid = NULL;
  g_autofree char *scrubbed = NULL;
  g_autoptr(GString) folded = NULL;
  gboolean pending_space = FALSE;
  const char *end;

  if (text == NULL)
    return NULL;

  valid = g_utf8_make_valid (text, length);
  folded = g_string_new (NULL);
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || g_unichar_isspace (c))
        {
          pending_space = folded->len > 0;
          continue;
        }
      /* Invisible formatting (bidi overrides, zero-width marks) could make
       * a message shown in the UI or a terminal read differently. */
      if (g_unichar_type (c) == G_UNICODE_FORMAT)
        continue;
      if (pending_space)
        g_string_append_c (folded, ' ');
      pending_space = FALSE;
      g_string_append_unichar (folded, c);
    }

  if (folded->len == 0)
    return NULL;

  scrubbed = bgpt_scrub (folded->str, secrets);
  if ((gsize) g_utf8_strlen (scrubbed, -1) <= max_chars)
    return g_steal_pointer (&scrubbed);

  end = g_utf8_offset_to_pointer (scrubbed, max_chars);
  scrubbed[end - scrubbed] = '\0';
  return g_strconcat (scrubbed, "…", NULL);
}

static const struct {
  const char *name;
  const char *text;
} html_entities[] = {
  { "amp;", "&" }, { "lt;", "<" }, { "gt;", ">" }, { "quot;", "\"" },
  { "#39;", "'" }, { "apos;", "'" }, { "nbsp;", " " },
};

/* The readable text of an error page from a proxy: tags, scripts and styles
 * dropped, the common entities decoded, every secret hidden. */
static char *
snippet_from_body (const char         *text,
                   const char * const *secrets)
{
  g_autoptr(GString) plain = g_string_new (NULL);
  /* The whole body, before reading stops anywhere: the limit below could
   * otherwise fall inside an echoed secret and leave most of it. */
  g_autofree char *scrubbed = bgpt_scrub (text, secrets);
  const char *p = scrubbed;

  while (*p != '\0' && plain->len < 8 * MAX_SNIPPET_CHARS)
    {
      if (*p == '<')
        {
          const char *skip_to = NULL;
          const char *close;

          if (g_ascii_strncasecmp (p, "<script", 7) == 0)
            skip_to = "</script";
          else if (g_ascii_strncasecmp (p, "<style", 6) == 0)
            skip_to = "</style";

          if (skip_to != NULL)
            {
              const char *q = p + 1;

              while (*q != '\0' && g_ascii_strncasecmp (q, skip_to, strlen (skip_to)) != 0)
                q++;
              p = q;
              if (*p == '\0')
                break;
            }

          close = strchr (p, '>');
          if (close == NULL)
            break;
          g_string_append_c (plain, ' ');
          p = close + 1;
          continue;
        }

      if (*p == '&')
        {
          gboolean decoded = FALSE;

          for (gsize i = 0; i < G_N_ELEMENTS (html_entities); i++)
            {
              gsize len = strlen (html_entities[i].name);

              if (strncmp (p + 1, html_entities[i].name, len) == 0)
                {
                  g_string_append (plain, html_entities[i].text);
                  p += 1 + len;
                  decoded = TRUE;
                  break;
                }
            }
          if (decoded)
            continue;
        }

      g_string_append_c (plain, *p);
      p++;
    }

  return clean_text (plain->str, plain->len, MAX_SNIPPET_CHARS, secrets);
}

/* The body as a JSON object, or NULL for anything else. */
static JsonObject *
parse_json_object (const char *text)
{
  g_autoptr(JsonNode) root = NULL;
  const char *start = text;

  while (g_ascii_isspace (*start))
    start++;
  if (*start != '{')
    return NULL;

  root = bgpt_json_parse (start, -1, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  return json_object_ref (json_node_get_object (root));
}

static JsonNode *
get_member (JsonObject *object,
            const char *name)
{
  if (object == NULL)
    return NULL;
  return json_object_get_member (object, name);
}

/* A string member, or an integer one as text (some APIs send numeric codes). */
static const char *
get_string (JsonObject *object,
            const char *name,
            char       *number_buffer)
{
  JsonNode *node = get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);

  if (number_buffer != NULL && json_node_get_value_type (node) == G_TYPE_INT64)
    {
      g_snprintf (number_buffer, 32, "%" G_GINT64_FORMAT, json_node_get_int (node));
      return number_buffer;
    }

  return NULL;
}

static JsonObject *
get_object (JsonObject *object,
            const char *name)
{
  JsonNode *node = get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

/* A 429 about money, not pace: retrying does not help. The codes are the
 * error-codes guide's (docs/providers.md); the substrings catch new ones. */
static gboolean
is_quota_term (const char *term)
{
  g_autofree char *lower = NULL;

  if (term == NULL)
    return FALSE;

  lower = g_ascii_strdown (term, -1);
  return g_str_equal (lower, "insufficient_quota") ||
         g_str_equal (lower, "credit_balance_exhausted") ||
         g_str_equal (lower, "billing_hard_limit_reached") ||
         g_str_has_suffix (lower, "_spend_limit_exceeded") ||
         g_str_has_suffix (lower, "_usage_limit_exceeded") ||
         strstr (lower, "quota") != NULL ||
         strstr (lower, "billing") != NULL ||
         strstr (lower, "credit") != NULL;
}

static gboolean
contains_ascii_caseless (const char *haystack,
                         const char *needle)
{
  g_autofree char *lower = NULL;

  if (haystack == NULL)
    return FALSE;

  lower = g_ascii_strdown (haystack, -1);
  return strstr (lower, needle) != NULL;
}

/* A delay in seconds, rounded up and clamped, or -1 when @value is no number. */
static gint64
parse_delay (const char *value,
             double      units_per_second)
{
  char *end = NULL;
  double number;

  if (value == NULL)
    return -1;

  while (g_ascii_isspace (*value))
    value++;
  if (!g_ascii_isdigit (*value))
    return -1;

  number = g_ascii_strtod (value, &end);
  while (end != NULL && g_ascii_isspace (*end))
    end++;
  if (end == NULL || *end != '\0' || !isfinite (number) || number < 0)
    return -1;

  number = ceil (number / units_per_second);
  return (gint64) CLAMP (number, 0, MAX_RETRY_AFTER_S);
}

static gint64
parse_retry_after (SoupMessageHeaders *headers,
                   JsonObject         *kommo_body)
{
  const char *value;
  gint64 delay;

  if (headers != NULL)
    {
      value = soup_message_headers_get_one (headers, "Retry-After");
      delay = parse_delay (value, 1);
      if (delay >= 0)
        return delay;

      if (value != NULL)
        {
          g_autoptr(GDateTime) when = soup_date_time_new_from_http_string (value);

          if (when != NULL)
            {
              g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
              GTimeSpan span = g_date_time_difference (when, now);
              double seconds = ceil ((double) span / G_TIME_SPAN_SECOND);

              return (gint64) CLAMP (seconds, 0, MAX_RETRY_AFTER_S);
            }
        }

      delay = parse_delay (soup_message_headers_get_one (headers, "Retry-After-Ms"), 1000);
      if (delay >= 0)
        return delay;
    }

  if (kommo_body != NULL)
    {
      JsonNode *node = get_member (kommo_body, "retry_after");

      if (node != NULL && JSON_NODE_HOLDS_VALUE (node))
        {
          GType type = json_node_get_value_type (node);

          if (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE)
            {
              double seconds = ceil (json_node_get_double (node));

              if (isfinite (seconds) && seconds >= 0)
                return (gint64) CLAMP (seconds, 0, MAX_RETRY_AFTER_S);
            }
          else if (type == G_TYPE_STRING)
            {
              return parse_delay (json_node_get_string (node), 1);
            }
        }
    }

  return -1;
}

static char *
describe_tls_errors (GTlsCertificateFlags flags)
{
  static const struct {
    GTlsCertificateFlags flag;
    const char *text;
  } words[] = {
    { G_TLS_CERTIFICATE_UNKNOWN_CA,
      N_("The certificate is signed by an unknown authority or is self-signed.") },
    { G_TLS_CERTIFICATE_BAD_IDENTITY,
      N_("The certificate does not match the host name.") },
    { G_TLS_CERTIFICATE_NOT_ACTIVATED,
      N_("The certificate is not valid yet.") },
    { G_TLS_CERTIFICATE_EXPIRED,
      N_("The certificate has expired.") },
    { G_TLS_CERTIFICATE_REVOKED,
      N_("The certificate has been revoked.") },
    { G_TLS_CERTIFICATE_INSECURE,
      N_("The certificate uses an insecure algorithm.") },
    { G_TLS_CERTIFICATE_GENERIC_ERROR,
      N_("The certificate could not be verified.") },
  };
  g_autoptr(GString) text = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (words); i++)
    {
      if ((flags & words[i].flag) == 0)
        continue;
      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, _(words[i].text));
    }

  if (text->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&text), FALSE);
}


static void
diagnose_transport (const BgptExchange *exchange,
                    BgptDiagnosis      *diagnosis)
{
  const GError *error = exchange->transport_error;
  g_autofree char *tls_words = NULL;
  gboolean kommo = exchange->service == BGPT_SERVICE_KOMMO;

  if (error->domain == G_IO_ERROR &&
      (error->code == G_IO_ERROR_TIMED_OUT || error->code == G_IO_ERROR_CANCELLED))
    diagnosis->error_id = g_strdup (kommo ? BGPT_DIAGNOSIS_KOMMO_TIMEOUT : BGPT_DIAGNOSIS_OPENAI_TIMEOUT);
  else
    diagnosis->error_id = g_strdup (kommo ? BGPT_DIAGNOSIS_KOMMO_CONNECTION : BGPT_DIAGNOSIS_OPENAI_CONNECTION);

  if (exchange->tls_errors != 0)
    tls_words = describe_tls_errors (exchange->tls_errors);

  if (tls_words != NULL)
    diagnosis->detail = clean_text (tls_words, -1, MAX_MESSAGE_CHARS, exchange->secrets);
  else
    diagnosis->detail = clean_text (error->message, -1, MAX_MESSAGE_CHARS, exchange->secrets);
}

static char *
describe_redirect (const BgptExchange *exchange)
{
  const char *location = NULL;
  g_autoptr(GUri) uri = NULL;

  if (exchange->headers != NULL)
    location = soup_message_headers_get_one (exchange->headers, "Location");
  if (location != NULL)
    uri = g_uri_parse (location, G_URI_FLAGS_NONE, NULL);

  if (uri != NULL && g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0')
    {
      g_autofree char *origin = NULL;
      g_autofree char *clean_origin = NULL;

      /* Only the origin: a path or query may carry tokens. */
      origin = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL,
                           g_uri_get_host (uri), g_uri_get_port (uri), "",
                           NULL, NULL);
      clean_origin = clean_text (origin, -1, MAX_FIELD_CHARS, exchange->secrets);
      if (clean_origin != NULL)
        return g_strdup_printf (_("The server redirected to %s; redirects are not followed."),
                                clean_origin);
    }

  return g_strdup (_("The server answered with a redirect; redirects are not followed."));
}

static gboolean
api_says (const BgptDiagnosis *diagnosis,
          const char          *term)
{
  return g_strcmp0 (diagnosis->api_code, term) == 0 ||
         g_strcmp0 (diagnosis->api_type, term) == 0;
}

/* "… Missing scopes: api.model.read. …" -> "api.model.read" */
static char *
missing_scopes_from (const char *message)
{
  const char *start;
  const char *end;

  start = message != NULL ? strstr (message, "Missing scopes:") : NULL;
  if (start == NULL)
    return NULL;

  start += strlen ("Missing scopes:");
  while (*start == ' ')
    start++;
  end = start;
  while (*end != '\0' && !(*end == '.' && (end[1] == ' ' || end[1] == '\0')))
    end++;
  if (end == start)
    return NULL;

  return g_strndup (start, end - start);
}

/* Which of the documented 401s this is; NULL for none of them. Codes and
 * messages, and which of them are unconfirmed: docs/providers.md. */
static const char *
openai_auth_reason (BgptDiagnosis *diagnosis)
{
  const char *message = diagnosis->api_message;

  if (api_says (diagnosis, "invalid_api_key") ||
      contains_ascii_caseless (message, "incorrect api key"))
    return "invalid_api_key";
  if (api_says (diagnosis, "account_deactivated") ||
      contains_ascii_caseless (message, "has been deactivated"))
    return "account_deactivated";
  if (api_says (diagnosis, "ip_not_authorized") ||
      (contains_ascii_caseless (message, " ip ") &&
       contains_ascii_caseless (message, "not authorized")))
    return "ip_not_authorized";
  if (api_says (diagnosis, "no_organization") ||
      api_says (diagnosis, "mismatched_organization") ||
      api_says (diagnosis, "invalid_organization") ||
      contains_ascii_caseless (message, "member of an organization"))
    return "organization";
  if (contains_ascii_caseless (message, "missing scopes") ||
      contains_ascii_caseless (message, "insufficient permissions"))
    {
      g_autofree char *scopes = missing_scopes_from (message);

      if (scopes != NULL && diagnosis->detail == NULL)
        diagnosis->detail = g_strdup_printf (_("Missing permission: %s"), scopes);
      return "missing_scopes";
    }

  return NULL;
}

/* The reason of a 429 about money: the API's own code, or the type of
 * older bodies whose code is null. */
static const char *
openai_quota_reason (const BgptDiagnosis *diagnosis)
{
  if (diagnosis->api_code != NULL)
    return diagnosis->api_code;
  if (g_strcmp0 (diagnosis->api_type, "insufficient_quota") == 0)
    return "insufficient_quota";
  return NULL;
}

/* Since 2026-08-26 every /v1/assistants call fails; before, a 404 said
 * "No assistant found with id …". A server that still serves assistants
 * decides: only its own words "not found" keep the old meaning. */
static const char *
openai_assistant_reason (const BgptDiagnosis *diagnosis,
                         guint                status)
{
  const char *message = diagnosis->api_message;

  if (contains_ascii_caseless (message, "shut down") ||
      contains_ascii_caseless (message, "deprecated") ||
      contains_ascii_caseless (message, "no longer"))
    return "assistants_api_shut_down";
  if (status == 400)
    return NULL;
  if (contains_ascii_caseless (message, "no assistant found"))
    return "not_found";
  return "assistants_api_shut_down";
}

/* Kommo's main sites, where a request for an account that does not exist
 * may be sent (unconfirmed: docs/providers.md). */
static const char * const kommo_sites[] = {
  "kommo.com", "www.kommo.com",
  "amocrm.com", "www.amocrm.com",
  "amocrm.ru", "www.amocrm.ru",
};

static gboolean
redirects_to_kommo_site (const BgptExchange *exchange)
{
  g_autoptr(GUri) uri = NULL;
  const char *location;
  const char *host;

  if (exchange->service != BGPT_SERVICE_KOMMO || exchange->headers == NULL)
    return FALSE;

  location = soup_message_headers_get_one (exchange->headers, "Location");
  uri = location != NULL ? g_uri_parse (location, G_URI_FLAGS_NONE, NULL) : NULL;
  host = uri != NULL ? g_uri_get_host (uri) : NULL;
  if (host == NULL)
    return FALSE;

  for (gsize i = 0; i < G_N_ELEMENTS (kommo_sites); i++)
    {
      if (g_ascii_strcasecmp (host, kommo_sites[i]) == 0)
        return TRUE;
    }
  return FALSE;
}

static const char *
classify_openai_error (const BgptExchange *exchange,
                       BgptDiagnosis      *diagnosis)
{
  const char *check = exchange->check != NULL ? exchange->check : "";
  guint status = exchange->status;

  switch (status)
    {
    case 401:
    case 403:
      {
        const char *reason = status == 401 ? openai_auth_reason (diagnosis) : NULL;

        /* The costs refuse any key but an admin key; the body that says so
         * is unconfirmed (docs/providers.md), so only the reasons that
         * name another cause stand. */
        if (g_str_equal (check, BGPT_CHECK_OPENAI_COSTS) &&
            (reason == NULL || g_str_equal (reason, "missing_scopes")))
          reason = "admin_key_required";
        else if (status == 403)
          return BGPT_DIAGNOSIS_OPENAI_FORBIDDEN;
        diagnosis->reason = g_strdup (reason);
        return BGPT_DIAGNOSIS_OPENAI_AUTH;
      }

    case 400:
    case 404:
    case 410:
      if (g_str_equal (check, BGPT_CHECK_OPENAI_ASSISTANT))
        {
          diagnosis->reason = g_strdup (openai_assistant_reason (diagnosis, status));
          return BGPT_DIAGNOSIS_OPENAI_ASSISTANT;
        }
      if (status == 404 &&
          (g_str_equal (check, BGPT_CHECK_OPENAI_MODEL) ||
           g_str_equal (check, BGPT_CHECK_OPENAI_QUOTA)))
        return BGPT_DIAGNOSIS_OPENAI_MODEL;
      return BGPT_DIAGNOSIS_OPENAI_UNEXPECTED;

    case 408:
    case 504:
    /* Cloudflare: origin down (521), unreachable (523), connection or
     * answer timed out (522, 524). 520 says nothing and stays unexpected. */
    case 521:
    case 522:
    case 523:
    case 524:
      return BGPT_DIAGNOSIS_OPENAI_TIMEOUT;

    case 429:
      /* The caller's own traffic grew too fast: pace, not money. */
      if (api_says (diagnosis, "slow_down"))
        {
          diagnosis->reason = g_strdup ("slow_down");
          return BGPT_DIAGNOSIS_OPENAI_RATE_LIMIT;
        }
      if (is_quota_term (diagnosis->api_type) || is_quota_term (diagnosis->api_code))
        {
          diagnosis->reason = g_strdup (openai_quota_reason (diagnosis));
          return BGPT_DIAGNOSIS_OPENAI_QUOTA;
        }
      return BGPT_DIAGNOSIS_OPENAI_RATE_LIMIT;

    case 503:
      /* Older deployments sent slow_down as a 503. */
      if (api_says (diagnosis, "slow_down") ||
          contains_ascii_caseless (diagnosis->api_message, "slow down"))
        {
          diagnosis->reason = g_strdup ("slow_down");
          return BGPT_DIAGNOSIS_OPENAI_RATE_LIMIT;
        }
      if (api_says (diagnosis, "server_is_overloaded") ||
          contains_ascii_caseless (diagnosis->api_message, "overloaded"))
        {
          diagnosis->reason = g_strdup ("server_is_overloaded");
          return BGPT_DIAGNOSIS_OPENAI_TIMEOUT;
        }
      return BGPT_DIAGNOSIS_OPENAI_UNEXPECTED;

    default:
      return BGPT_DIAGNOSIS_OPENAI_UNEXPECTED;
    }
}

static const char *
classify_kommo_error (guint status)
{
  switch (status)
    {
    case 401:
      return BGPT_DIAGNOSIS_KOMMO_AUTH;
    case 402:
      return BGPT_DIAGNOSIS_KOMMO_PAYMENT;
    case 403:
      return BGPT_DIAGNOSIS_KOMMO_FORBIDDEN;
    case 404:
      return BGPT_DIAGNOSIS_KOMMO_NOT_FOUND;
    case 429:
      return BGPT_DIAGNOSIS_KOMMO_RATE_LIMIT;
    case 408:
    case 504:
    case 521:
    case 522:
    case 523:
    case 524:
      return BGPT_DIAGNOSIS_KOMMO_TIMEOUT;
    default:
      return BGPT_DIAGNOSIS_KOMMO_UNEXPECTED;
    }
}

/* Copies what the API said about the error into @diagnosis. */
static void
read_error_body (const BgptExchange *exchange,
                 JsonObject         *body,
                 const char         *text,
                 BgptDiagnosis      *diagnosis)
{
  const char * const *secrets = exchange->secrets;
  char number[32];

  if (body == NULL)
    {
      g_autofree char *snippet = snippet_from_body (text, secrets);
      const char *start = text;

      while (g_ascii_isspace (*start))
        start++;

      /* Kommo answers some errors in plain text: that is its message. A web
       * page comes from a proxy in between and is only a detail. */
      if (exchange->service == BGPT_SERVICE_KOMMO && *start != '<')
        diagnosis->api_message = g_steal_pointer (&snippet);
      else
        diagnosis->detail = g_steal_pointer (&snippet);
      return;
    }

  if (exchange->service == BGPT_SERVICE_KOMMO)
    {
      const char *message = get_string (body, "detail", NULL);
      const char *trace_id = get_string (body, "trace_id", number);

      if (message == NULL || *message == '\0')
        message = get_string (body, "title", NULL);

      diagnosis->api_type = clean_text (get_string (body, "type", NULL), -1,
                                        MAX_FIELD_CHARS, secrets);
      diagnosis->api_message = clean_text (message, -1, MAX_MESSAGE_CHARS, secrets);
      if (trace_id != NULL)
        {
          g_autofree char *clean_trace_id = clean_text (trace_id, -1, MAX_FIELD_CHARS, secrets);

          if (clean_trace_id != NULL)
            diagnosis->detail = g_strdup_printf (_("Kommo trace ID: %s"), clean_trace_id);
        }
    }
  else
    {
      JsonObject *error = get_object (body, "error");
      const char *message;

      if (error != NULL)
        {
          diagnosis->api_type = clean_text (get_string (error, "type", NULL), -1,
                                            MAX_FIELD_CHARS, secrets);
          diagnosis->api_code = clean_text (get_string (error, "code", number), -1,
                                            MAX_FIELD_CHARS, secrets);
          message = get_string (error, "message", NULL);
        }
      else
        {
          message = get_string (body, "error", NULL);
          if (message == NULL)
            message = get_string (body, "message", NULL);
        }

      diagnosis->api_message = clean_text (message, -1, MAX_MESSAGE_CHARS, secrets);
    }
}

static gboolean
id_matches (JsonObject *body,
            const char *expected_id)
{
  const char *id = get_string (body, "id", NULL);

  if (id == NULL || *id == '\0')
    return FALSE;
  return expected_id == NULL || g_str_equal (id, expected_id);
}

/* A model's "shutdown_date" ("YYYY-MM-DD"), as a UTC date; NULL when it
 * is absent, null or malformed (the models endpoint may omit it). */
static GDateTime *
get_shutdown_date (JsonObject *model)
{
  const char *text = get_string (model, "shutdown_date", NULL);
  int year, month, day;
  char end;

  if (text == NULL || strlen (text) != 10 ||
      sscanf (text, "%4d-%2d-%2d%c", &year, &month, &day, &end) != 3 ||
      !g_date_valid_dmy (day, month, year))
    return NULL;

  return g_date_time_new_utc (year, month, day, 0, 0, 0);
}

/* @all gets every model id, @current those without a shutdown date. */
static void
collect_model_ids (JsonArray          *data,
                   const char * const *secrets,
                   GStrv              *all,
                   GStrv              *current)
{
  g_autoptr(GStrvBuilder) all_builder = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) current_builder = g_strv_builder_new ();
  guint n = json_array_get_length (data);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (data, i);
      g_autoptr(GDateTime) shutdown = NULL;
      g_autofree char *id = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      id = clean_text (get_string (json_node_get_object (node), "id", NULL), -1,
                       MAX_FIELD_CHARS, secrets);
      if (id == NULL)
        continue;
      g_strv_builder_add (all_builder, id);
      shutdown = get_shutdown_date (json_node_get_object (node));
      if (shutdown == NULL)
        g_strv_builder_add (current_builder, id);
    }

  *all = g_strv_builder_end (all_builder);
  *current = g_strv_builder_end (current_builder);
}

/* openai.model-retiring when the model leaves the API within the notice
 * period (sources: docs/providers.md, OpenAI deprecations page). */
static void
check_model_retiring (const BgptExchange *exchange,
                      JsonObject         *model,
                      BgptDiagnosis      *diagnosis)
{
  g_autoptr(GDateTime) shutdown = get_shutdown_date (model);
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *date = NULL;

  if (shutdown == NULL)
    return;

  now = exchange->now != NULL ? g_date_time_ref (exchange->now) : g_date_time_new_now_utc ();
  if (g_date_time_difference (shutdown, now) >
      (GTimeSpan) BGPT_MODEL_RETIRING_NOTICE_DAYS * G_TIME_SPAN_DAY)
    return;

  /* Translators: how a date is written, as in g_date_time_format();
   * pt_BR: "%d/%m/%Y" */
  date = g_date_time_format (shutdown, _("%Y-%m-%d"));
  diagnosis->error_id = g_strdup (BGPT_DIAGNOSIS_OPENAI_MODEL_RETIRING);
  diagnosis->detail = g_strdup_printf (_("OpenAI will shut down the model “%s” on %s."),
                                       diagnosis->subject, date);
}

/* "Only 120 of 5,000 requests are left.", or NULL when @part is not near. */
static char *
describe_near_part (const BgptRateLimitPart *part,
                    gboolean                 tokens)
{
  g_autofree char *remaining = NULL;
  g_autofree char *limit = NULL;

  if (!bgpt_rate_limit_part_is_near (part))
    return NULL;
  remaining = bgpt_rate_limit_format_count (part->remaining);
  limit = bgpt_rate_limit_format_count (part->limit);
  if (tokens)
    /* Translators: the tokens left of a rate limit, e.g. "Only 150 k of 2 M tokens are left." */
    return g_strdup_printf (_("Only %s of %s tokens are left."), remaining, limit);
  /* Translators: the requests left of a rate limit, e.g. "Only 120 of 5,000 requests are left." */
  return g_strdup_printf (_("Only %s of %s requests are left."), remaining, limit);
}

/* openai.rate-limit-near when an answer that worked shows less than 10 %
 * of a limit left: the 429 is near, and ByteGPT's own traffic shares the
 * limit. Judged on one check's answer only (BGPT_RATE_LIMIT_CHECK), so the
 * one problem raises one incident. */
static void
check_rate_limit_near (const BgptExchange *exchange,
                       BgptDiagnosis      *diagnosis)
{
  g_autofree char *requests = NULL;
  g_autofree char *tokens = NULL;

  if (exchange->service != BGPT_SERVICE_OPENAI ||
      g_strcmp0 (exchange->check, BGPT_RATE_LIMIT_CHECK) != 0 ||
      diagnosis->error_id != NULL || !bgpt_rate_limit_is_near (&diagnosis->rate_limit))
    return;

  requests = describe_near_part (&diagnosis->rate_limit.requests, FALSE);
  tokens = describe_near_part (&diagnosis->rate_limit.tokens, TRUE);

  diagnosis->error_id = g_strdup (BGPT_DIAGNOSIS_OPENAI_RATE_LIMIT_NEAR);
  if (requests != NULL && tokens != NULL)
    diagnosis->detail = g_strconcat (requests, " ", tokens, NULL);
  else
    diagnosis->detail = g_strdup (requests != NULL ? requests : tokens);
}

/* A 2xx passes only when its body has the shape the check expects. */
static gboolean
read_success_body (const BgptExchange *exchange,
                   JsonObject         *body,
                   BgptDiagnosis      *diagnosis)
{
  const char * const *secrets = exchange->secrets;
  const char *check = exchange->check != NULL ? exchange->check : "";

  if (body == NULL)
    return FALSE;

  if (g_str_equal (check, BGPT_CHECK_OPENAI_KEY))
    {
      JsonNode *data = get_member (body, "data");

      if (g_strcmp0 (get_string (body, "object", NULL), "list") != 0 ||
          data == NULL || !JSON_NODE_HOLDS_ARRAY (data))
        return FALSE;
      collect_model_ids (json_node_get_array (data), secrets,
                         &diagnosis->items, &diagnosis->current_items);
      return TRUE;
    }

  if (g_str_equal (check, BGPT_CHECK_OPENAI_MODEL))
    {
      if (!id_matches (body, exchange->expected_id))
        return FALSE;
      diagnosis->subject = clean_text (get_string (body, "id", NULL), -1,
                                       MAX_FIELD_CHARS, secrets);
      check_model_retiring (exchange, body, diagnosis);
      return TRUE;
    }

  if (g_str_equal (check, BGPT_CHECK_OPENAI_ASSISTANT))
    {
      const char *name = get_string (body, "name", NULL);

      if (!id_matches (body, exchange->expected_id))
        return FALSE;
      diagnosis->subject = clean_text (name, -1, MAX_FIELD_CHARS, secrets);
      if (diagnosis->subject == NULL)
        diagnosis->subject = clean_text (get_string (body, "id", NULL), -1,
                                         MAX_FIELD_CHARS, secrets);
      return TRUE;
    }

  if (g_str_equal (check, BGPT_CHECK_KOMMO_ACCOUNT))
    {
      JsonNode *id = get_member (body, "id");
      const char *subdomain = get_string (body, "subdomain", NULL);

      if (id == NULL || JSON_NODE_HOLDS_NULL (id) || subdomain == NULL || *subdomain == '\0')
        return FALSE;
      diagnosis->subject = clean_text (get_string (body, "name", NULL), -1,
                                       MAX_FIELD_CHARS, secrets);
      if (diagnosis->subject == NULL)
        diagnosis->subject = clean_text (subdomain, -1, MAX_FIELD_CHARS, secrets);
      return TRUE;
    }

  if (g_str_equal (check, BGPT_CHECK_OPENAI_QUOTA))
    diagnosis->subject = clean_text (get_string (body, "model", NULL), -1,
                                     MAX_FIELD_CHARS, secrets);

  return TRUE;
}

static void
diagnose_response (const BgptExchange *exchange,
                   BgptDiagnosis      *diagnosis)
{
  const char * const *secrets = exchange->secrets;
  const char *unexpected = exchange->service == BGPT_SERVICE_KOMMO ?
                           BGPT_DIAGNOSIS_KOMMO_UNEXPECTED : BGPT_DIAGNOSIS_OPENAI_UNEXPECTED;
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *text = NULL;
  gsize size = 0;
  const char *data = NULL;
  guint status = exchange->status;

  if (exchange->body != NULL)
    data = g_bytes_get_data (exchange->body, &size);

  if (exchange->headers != NULL)
    diagnosis->request_id = clean_text (soup_message_headers_get_one (exchange->headers,
                                                                      "X-Request-Id"),
                                        -1, MAX_FIELD_CHARS, secrets);
  if (exchange->service == BGPT_SERVICE_OPENAI)
    bgpt_rate_limit_read (exchange->headers, &diagnosis->rate_limit);

  if (exchange->body_over_cap || size > BODY_CAP)
    {
      diagnosis->error_id = g_strdup (unexpected);
      diagnosis->detail = g_strdup (_("The response was larger than 1 MiB and was not read."));
      return;
    }

  /* Bodies may hold NUL bytes or broken UTF-8; only a clean copy goes on. */
  text = g_utf8_make_valid (size > 0 ? data : "", size);
  body = parse_json_object (text);

  if (status >= 200 && status < 300)
    {
      if (read_success_body (exchange, body, diagnosis))
        {
          check_rate_limit_near (exchange, diagnosis);
          return;
        }

      diagnosis->error_id = g_strdup (unexpected);
      if (body != NULL)
        diagnosis->detail = g_strdup (_("The response did not contain what the check expects."));
      else if (*text == '\0')
        diagnosis->detail = g_strdup (_("The response was empty."));
      else
        {
          g_autofree char *snippet = snippet_from_body (text, secrets);

          if (snippet != NULL)
            diagnosis->detail = g_strdup_printf (_("The response was not JSON: %s"), snippet);
          else
            diagnosis->detail = g_strdup (_("The response was not JSON."));
        }
      return;
    }

  if (status >= 100)
    read_error_body (exchange, body, text, diagnosis);

  diagnosis->retry_after_s = parse_retry_after (exchange->headers,
                                                exchange->service == BGPT_SERVICE_KOMMO ? body : NULL);

  if (status >= 300 && status < 400)
    {
      diagnosis->error_id = g_strdup (redirects_to_kommo_site (exchange) ? BGPT_DIAGNOSIS_KOMMO_NOT_FOUND
                                                                         : unexpected);
      g_free (diagnosis->detail);
      diagnosis->detail = describe_redirect (exchange);
      return;
    }

  if (status < 100)
    {
      diagnosis->error_id = g_strdup (unexpected);
      diagnosis->detail = g_strdup (_("No valid HTTP response was received."));
      return;
    }

  if (exchange->service == BGPT_SERVICE_KOMMO)
    diagnosis->error_id = g_strdup (classify_kommo_error (status));
  else
    diagnosis->error_id = g_strdup (classify_openai_error (exchange, diagnosis));

  if (diagnosis->detail == NULL && diagnosis->api_message == NULL && *text == '\0')
    diagnosis->detail = g_strdup (_("The response was empty."));
}

BgptDiagnosis *
bgpt_diagnose (const BgptExchange *exchange)
{
  BgptDiagnosis *diagnosis;

  if (exchange == NULL)
    {
      g_critical ("%s: no exchange to diagnose", G_STRFUNC);
      return bgpt_diagnosis_new (NULL, BGPT_DIAGNOSIS_OPENAI_UNEXPECTED);
    }

  diagnosis = bgpt_diagnosis_new (exchange->check, NULL);
  diagnosis->elapsed_ms = exchange->elapsed_ms;

  if (exchange->transport_error != NULL)
    {
      diagnose_transport (exchange, diagnosis);
      return diagnosis;
    }

  diagnosis->http_status = exchange->status;
  diagnose_response (exchange, diagnosis);
  return diagnosis;
}
