/* test-status-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-status-page"

#include "config.h"

#include <locale.h>
#include <string.h>

#include <libsoup/soup.h>

#include "core/bgpt-i18n.h"
#include "core/bgpt-status-page.h"
#include "bgpt-test-utils.h"

/* A Statuspage stand-in on loopback */

typedef struct
{
  SoupServer     *server;
  char           *base_url;
  BgptStatusPage *page;        /* on base_url */
  guint           status;      /* 0: hold the request without answering */
  const char     *body;
  const char     *location;
  guint           n_requests;
  GPtrArray      *held;        /* SoupServerMessage */
} Fixture;

static void
held_finished_cb (SoupServerMessage *message,
                  Fixture           *fixture)
{
  g_ptr_array_remove (fixture->held, message);
}

static void
handle_status (SoupServer        *server,
               SoupServerMessage *message,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  Fixture *fixture = user_data;

  fixture->n_requests++;

  if (fixture->status == 0)
    {
      g_ptr_array_add (fixture->held, g_object_ref (message));
      g_signal_connect (message, "finished", G_CALLBACK (held_finished_cb), fixture);
      soup_server_message_pause (message);
      return;
    }

  soup_server_message_set_status (message, fixture->status, NULL);
  if (fixture->location != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                  "Location", fixture->location);
  if (fixture->body != NULL)
    soup_server_message_set_response (message, "application/json", SOUP_MEMORY_STATIC,
                                      fixture->body, strlen (fixture->body));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;
  g_autofree char *uri = NULL;

  fixture->server = soup_server_new (NULL, NULL);
  fixture->held = g_ptr_array_new_with_free_func (g_object_unref);
  soup_server_add_handler (fixture->server, "/api/v2/summary.json", handle_status, fixture, NULL);
  soup_server_listen_local (fixture->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (fixture->server);
  g_assert_nonnull (uris);
  uri = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  /* "http://127.0.0.1:PORT/": the page must cope with the slash. */
  fixture->base_url = g_steal_pointer (&uri);
  fixture->status = 200;
  fixture->page = bgpt_status_page_new (fixture->base_url);
}

static void
release_page (BgptStatusPage **page)
{
  /* Requests in flight keep a reference until they come back. */
  bgpt_test_assert_finalized_soon (g_steal_pointer (page));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  release_page (&fixture->page);

  /* Let held requests go before the server does. */
  while (fixture->held->len > 0)
    {
      SoupServerMessage *message = g_object_ref (g_ptr_array_index (fixture->held, 0));

      g_signal_handlers_disconnect_by_data (message, fixture);
      g_ptr_array_remove_index (fixture->held, 0);
      soup_server_message_set_status (message, 503, NULL);
      soup_server_message_unpause (message);
      g_object_unref (message);
    }
  bgpt_test_run_for (50);

  soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  g_clear_pointer (&fixture->held, g_ptr_array_unref);
  g_free (fixture->base_url);
}

/* Helpers */

typedef struct
{
  BgptStatusReport *report;
  GError           *error;
  gboolean          done;
} Result;

static void
on_status (GObject      *object,
           GAsyncResult *res,
           gpointer      user_data)
{
  Result *result = user_data;

  result->report = bgpt_status_page_get_status_finish (BGPT_STATUS_PAGE (object), res, &result->error);
  g_assert_true ((result->report == NULL) != (result->error == NULL));
  result->done = TRUE;
}

static void
wait_for (Result *result)
{
  bgpt_test_wait_for_flag (&result->done);
}

static BgptStatusReport *
get_status (BgptStatusPage *page)
{
  Result result = { 0 };

  bgpt_status_page_get_status_async (page, NULL, on_status, &result);
  wait_for (&result);
  g_assert_no_error (result.error);
  return result.report;
}

/* Tests */

typedef struct
{
  const char          *body;
  BgptStatusIndicator  indicator;
  const char          *server_description;
  const char          *pt_br;
} IndicatorCase;

/* status.openai.com's summary.json: the API's components in a group of
 * their own, beside ChatGPT's and Sora's (docs/providers.md). */
#define SUMMARY(api_group, responses, chat, chatgpt, indicator) \
  "{\"page\":{\"id\":\"01JMYBRZ\",\"name\":\"OpenAI\",\"url\":\"https://status.openai.com\"}," \
  "\"components\":[" \
  "{\"id\":\"01A\",\"name\":\"APIs\",\"status\":\"" api_group "\",\"group\":true,\"group_id\":null,\"components\":[\"01B\",\"01C\"]}," \
  "{\"id\":\"01B\",\"name\":\"Responses\",\"status\":\"" responses "\",\"group\":false,\"group_id\":\"01A\"}," \
  "{\"id\":\"01C\",\"name\":\"Chat Completions\",\"status\":\"" chat "\",\"group\":false,\"group_id\":\"01A\"}," \
  "{\"id\":\"01D\",\"name\":\"ChatGPT\",\"status\":\"" chatgpt "\",\"group\":true,\"group_id\":null,\"components\":[\"01E\"]}," \
  "{\"id\":\"01E\",\"name\":\"Conversations\",\"status\":\"" chatgpt "\",\"group\":false,\"group_id\":\"01D\"}," \
  "{\"id\":\"01F\",\"name\":\"Sora\",\"status\":\"" chatgpt "\",\"group\":false,\"group_id\":null}]," \
  "\"incidents\":[],\"scheduled_maintenances\":[]," \
  "\"status\":{\"indicator\":\"" indicator "\",\"description\":\"Partial System Outage\"}}"

static const IndicatorCase indicator_cases[] = {
  /* ChatGPT and Sora down, the API fine: the API is what counts. */
  { SUMMARY ("operational", "operational", "operational", "major_outage", "major"),
    BGPT_STATUS_INDICATOR_NONE, NULL, "Todos os sistemas operacionais" },
  { SUMMARY ("degraded_performance", "operational", "degraded_performance", "operational", "minor"),
    BGPT_STATUS_INDICATOR_MINOR, "APIs, Chat Completions", "Instabilidade leve em parte dos serviços" },
  { SUMMARY ("partial_outage", "partial_outage", "degraded_performance", "operational", "major"),
    BGPT_STATUS_INDICATOR_MAJOR, "APIs, Responses, Chat Completions", "Falha grave em parte dos serviços" },
  { SUMMARY ("major_outage", "major_outage", "operational", "operational", "critical"),
    BGPT_STATUS_INDICATOR_CRITICAL, "APIs, Responses", "Falha crítica nos serviços" },
  { SUMMARY ("under_maintenance", "under_maintenance", "operational", "operational", "maintenance"),
    BGPT_STATUS_INDICATOR_MAINTENANCE, "APIs, Responses", "Manutenção em andamento" },
  /* A page with one API component of its own name. */
  { "{\"components\":[{\"id\":\"x\",\"name\":\"OpenAI API\",\"status\":\"degraded_performance\"},"
    "{\"id\":\"y\",\"name\":\"ChatGPT\",\"status\":\"major_outage\"}]}",
    BGPT_STATUS_INDICATOR_MINOR, "OpenAI API", "Instabilidade leve em parte dos serviços" },
};

static void
test_indicator (Fixture       *fixture,
                gconstpointer  data)
{
  const IndicatorCase *test = data;
  g_autoptr(BgptStatusReport) report = NULL;
  gint64 before = g_get_real_time ();

  fixture->body = test->body;
  report = get_status (fixture->page);

  g_assert_cmpint (report->indicator, ==, test->indicator);
  g_assert_cmpstr (report->server_description, ==, test->server_description);
  g_assert_cmpint (report->checked_at, >=, before);
  /* Translated from the indicator, not from the server's English. */
  g_assert_cmpstr (bgpt_status_indicator_describe (report->indicator), ==, test->pt_br);
  g_assert_cmpuint (fixture->n_requests, ==, 1);

  g_assert_nonnull (bgpt_status_page_get_report (fixture->page));
  g_assert_cmpint (bgpt_status_page_get_report (fixture->page)->indicator, ==, test->indicator);
}

typedef struct
{
  const char *name;
  guint       status;
  const char *body;
  const char *location;
  const char *server_description;
} FailureCase;

static const FailureCase failure_cases[] = {
  { "http-500", 500, SUMMARY ("operational", "operational", "operational", "operational", "none"), NULL, NULL },
  { "http-404", 404, "<html>Not found</html>", NULL, NULL },
  { "redirect", 302, NULL, "https://example.com/api/v2/summary.json", NULL },
  { "malformed", 200, "{\"components\":[{\"id\":\"x\",", NULL, NULL },
  { "html", 200, "<!DOCTYPE html><title>Status</title>", NULL, NULL },
  { "empty", 200, "", NULL, NULL },
  /* The overall indicator alone says nothing about the API. */
  { "status-only", 200, "{\"status\":{\"indicator\":\"none\",\"description\":\"All Systems Operational\"}}",
    NULL, NULL },
  { "wrong-type", 200, "{\"components\":{\"name\":\"APIs\"}}", NULL, NULL },
  { "no-api-component", 200, "{\"components\":[{\"id\":\"y\",\"name\":\"ChatGPT\",\"status\":\"operational\"},3]}",
    NULL, NULL },
  { "no-status", 200, "[1,2,3]", NULL, NULL },
  /* A state Statuspage may add one day: unknown, but the component is named. */
  { "new-state", 200, "{\"components\":[{\"id\":\"x\",\"name\":\"API\\nNew \",\"status\":\"degraded\"}]}",
    NULL, "API New" },
};

/* A lenient JSON reader reads '"' inside a comment or a single-quoted
 * string as the start of a string; a strict one refuses the body first. */
static const char * const hidden_nesting_prefixes[] = {
  "{\"components\":/*\"*/",
  "{\"components\":// \"\n",
  "{\"components\":'\"',\"x\":",
  "{\"components\":",
  "",
};

static void
test_hidden_nesting (Fixture       *fixture,
                     gconstpointer  data)
{
  for (gsize i = 0; i < G_N_ELEMENTS (hidden_nesting_prefixes); i++)
    {
      g_autoptr(BgptStatusPage) page = bgpt_status_page_new (fixture->base_url);
      g_autoptr(BgptStatusReport) report = NULL;
      g_autoptr(GString) text = g_string_new (hidden_nesting_prefixes[i]);

      /* Just under the 1 MiB the reader accepts. */
      while (text->len < 1000 * 1000)
        g_string_append_c (text, '[');
      fixture->body = text->str;
      report = get_status (page);
      g_assert_cmpint (report->indicator, ==, BGPT_STATUS_INDICATOR_UNKNOWN);
      release_page (&page);
      fixture->body = NULL;
    }

  /* Lenient extras in an otherwise good answer are not JSON either. */
  {
    g_autoptr(BgptStatusPage) page = bgpt_status_page_new (fixture->base_url);
    g_autoptr(BgptStatusReport) report = NULL;

    fixture->body = "{\"components\":[{\"id\":\"x\",\"name\":\"OpenAI API\",/* ok */"
                    "\"status\":'degraded_performance'}]}";
    report = get_status (page);
    g_assert_cmpint (report->indicator, ==, BGPT_STATUS_INDICATOR_UNKNOWN);
    release_page (&page);
  }
}

static void
test_failure (Fixture       *fixture,
              gconstpointer  data)
{
  const FailureCase *test = data;
  g_autoptr(BgptStatusReport) report = NULL;

  fixture->status = test->status;
  fixture->body = test->body;
  fixture->location = test->location;
  report = get_status (fixture->page);

  g_assert_cmpint (report->indicator, ==, BGPT_STATUS_INDICATOR_UNKNOWN);
  g_assert_cmpstr (report->server_description, ==, test->server_description);
  g_assert_cmpstr (bgpt_status_indicator_describe (report->indicator), ==,
                   "Não foi possível consultar a página de status da OpenAI");
  g_assert_cmpuint (fixture->n_requests, ==, 1);
}

static void
test_refused (void)
{
  g_autoptr(BgptStatusPage) page = NULL;
  g_autoptr(BgptStatusReport) report = NULL;
  g_autofree char *url = NULL;

  /* A port that was free a moment ago: nothing listens there. */
  url = g_strdup_printf ("http://127.0.0.1:%u", bgpt_test_closed_port ());

  page = bgpt_status_page_new (url);
  report = get_status (page);
  g_assert_cmpint (report->indicator, ==, BGPT_STATUS_INDICATOR_UNKNOWN);
  release_page (&page);
}

static void
test_plain_http_refused (void)
{
  g_autoptr(BgptStatusPage) page = bgpt_status_page_new ("http://status.openai.com/");
  g_autoptr(BgptStatusReport) report = NULL;

  /* Not loopback: never sent in clear text. */
  report = get_status (page);
  g_assert_cmpint (report->indicator, ==, BGPT_STATUS_INDICATOR_UNKNOWN);
  g_assert_cmpstr (bgpt_status_page_get_base_url (page), ==, "http://status.openai.com");
  release_page (&page);
}

static void
test_stall (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(BgptStatusReport) report = NULL;
  gint64 start;
  gint64 elapsed;

  fixture->status = 0;
  bgpt_status_page_set_timeout (fixture->page, 1);

  start = g_get_monotonic_time ();
  report = get_status (fixture->page);
  elapsed = g_get_monotonic_time () - start;

  g_assert_cmpint (report->indicator, ==, BGPT_STATUS_INDICATOR_UNKNOWN);
  g_assert_cmpint (elapsed, >=, 900 * 1000);
  g_assert_cmpint (elapsed, <, 2500 * 1000);
  g_assert_cmpuint (fixture->n_requests, ==, 1);
}

/* The page's next reading, which must be @indicator, with the stand-in
 * asked @n_requests times in all. */
static BgptStatusReport *
assert_reading (Fixture             *fixture,
                BgptStatusIndicator  indicator,
                guint                n_requests)
{
  BgptStatusReport *report = get_status (fixture->page);

  g_assert_cmpint (report->indicator, ==, indicator);
  g_assert_cmpuint (fixture->n_requests, ==, n_requests);
  return report;
}

/* The same once the stand-in answers the first summary again. */
static void
assert_next_reading (Fixture             *fixture,
                     BgptStatusIndicator  indicator,
                     guint                n_requests)
{
  fixture->status = 200;
  fixture->body = indicator_cases[0].body;
  bgpt_status_report_free (assert_reading (fixture, indicator, n_requests));
}

static void
test_cache (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(BgptStatusReport) first = NULL;
  g_autoptr(BgptStatusReport) second = NULL;
  guint notifies = 0;

  g_signal_connect (fixture->page, "notify::report", G_CALLBACK (bgpt_test_count_notify), &notifies);

  fixture->body = indicator_cases[0].body;
  first = assert_reading (fixture, BGPT_STATUS_INDICATOR_NONE, 1);
  g_assert_cmpuint (notifies, ==, 1);

  /* Within the TTL: no request, the same reading. */
  fixture->body = indicator_cases[3].body;
  second = assert_reading (fixture, BGPT_STATUS_INDICATOR_NONE, 1);
  g_assert_cmpint (second->checked_at, ==, first->checked_at);
  g_assert_cmpuint (notifies, ==, 1);

  /* Past the TTL: read again. */
  bgpt_status_page_set_cache_ttl (fixture->page, 1, 1);
  bgpt_test_run_for (1100);
  bgpt_status_report_free (assert_reading (fixture, BGPT_STATUS_INDICATOR_CRITICAL, 2));
  g_assert_cmpuint (notifies, ==, 2);
  /* The page outlives this frame: tear-down releases it. */
  g_signal_handlers_disconnect_by_data (fixture->page, &notifies);
}

static void
test_failure_cached (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(BgptStatusReport) first = NULL;

  fixture->status = 503;
  first = get_status (fixture->page);
  g_assert_cmpint (first->indicator, ==, BGPT_STATUS_INDICATOR_UNKNOWN);

  /* A failing page is not asked on every call either. */
  assert_next_reading (fixture, BGPT_STATUS_INDICATOR_UNKNOWN, 1);
}

static void
test_shared_request (Fixture       *fixture,
                     gconstpointer  data)
{
  Result results[3] = { { 0 }, };

  fixture->body = indicator_cases[1].body;

  /* Three rows open at once: one request. */
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    bgpt_status_page_get_status_async (fixture->page, NULL, on_status, &results[i]);
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      wait_for (&results[i]);
      g_assert_no_error (results[i].error);
      g_assert_cmpint (results[i].report->indicator, ==, BGPT_STATUS_INDICATOR_MINOR);
      bgpt_status_report_free (results[i].report);
    }
  g_assert_cmpuint (fixture->n_requests, ==, 1);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  Result stays = { 0 };
  Result leaves = { 0 };
  Result early = { 0 };
  /* The other caller's request times out in a second (more on a machine
   * the tests are told is slow); the one that leaves must not wait for it. */
  guint timeout_s = (guint) (bgpt_test_scaled_ms (1000) / 1000);
  gint64 start;

  fixture->status = 0;
  bgpt_status_page_set_timeout (fixture->page, timeout_s);

  /* Cancelled before the call: at once. */
  g_cancellable_cancel (cancelled);
  bgpt_status_page_get_status_async (fixture->page, cancelled, on_status, &early);
  wait_for (&early);
  g_assert_error (early.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&early.error);
  g_assert_cmpuint (fixture->n_requests, ==, 0);

  /* One caller leaves; the other still gets its answer. */
  bgpt_status_page_get_status_async (fixture->page, cancellable, on_status, &leaves);
  bgpt_status_page_get_status_async (fixture->page, NULL, on_status, &stays);
  bgpt_test_run_for (100);
  start = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  wait_for (&leaves);
  g_assert_cmpint (g_get_monotonic_time () - start, <, bgpt_test_scaled_ms (200) * 1000);
  g_assert_error (leaves.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&leaves.error);
  g_assert_false (stays.done);
  wait_for (&stays);
  g_assert_no_error (stays.error);
  g_assert_cmpint (stays.report->indicator, ==, BGPT_STATUS_INDICATOR_UNKNOWN);
  bgpt_status_report_free (stays.report);

  /* The only caller leaves: the request is dropped, the fixture->page works on. */
  bgpt_status_page_set_cache_ttl (fixture->page, 0, 0);
  g_cancellable_reset (cancellable);
  memset (&leaves, 0, sizeof leaves);
  bgpt_status_page_get_status_async (fixture->page, cancellable, on_status, &leaves);
  bgpt_test_run_for (100);
  g_cancellable_cancel (cancellable);
  wait_for (&leaves);
  g_assert_error (leaves.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&leaves.error);

  assert_next_reading (fixture, BGPT_STATUS_INDICATOR_NONE, 3);
}

static void
test_default_url (void)
{
  g_autoptr(BgptStatusPage) page = bgpt_status_page_new (NULL);
  g_autoptr(BgptStatusPage) slashed = bgpt_status_page_new ("https://status.example.com//");

  g_assert_cmpstr (bgpt_status_page_get_base_url (page), ==, "https://status.openai.com");
  g_assert_cmpstr (bgpt_status_page_get_base_url (slashed), ==, "https://status.example.com");
  g_assert_null (bgpt_status_page_get_report (page));
  g_assert_cmpstr (bgpt_status_indicator_describe (BGPT_STATUS_INDICATOR_NONE), ==,
                   "Todos os sistemas operacionais");
}

int
main (int   argc,
      char *argv[])
{
  bgpt_test_use_pt_br ();

  g_test_init (&argc, &argv, NULL);
  bgpt_i18n_init ();

  for (guint i = 0; i < G_N_ELEMENTS (indicator_cases); i++)
    {
      g_autoptr(GEnumClass) enum_class = g_type_class_ref (BGPT_TYPE_STATUS_INDICATOR);
      g_autofree char *name = NULL;

      name = g_strdup_printf ("/status-page/api-components/%u-%s", i,
                              g_enum_get_value (enum_class, indicator_cases[i].indicator)->value_nick);
      g_test_add (name, Fixture, &indicator_cases[i], fixture_set_up, test_indicator, fixture_tear_down);
    }

  for (guint i = 0; i < G_N_ELEMENTS (failure_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/status-page/unknown/%s", failure_cases[i].name);

      g_test_add (name, Fixture, &failure_cases[i], fixture_set_up, test_failure, fixture_tear_down);
    }

  g_test_add ("/status-page/unknown/hidden-nesting", Fixture, NULL, fixture_set_up, test_hidden_nesting, fixture_tear_down);
  g_test_add ("/status-page/unknown/stall", Fixture, NULL, fixture_set_up, test_stall, fixture_tear_down);
  g_test_add_func ("/status-page/unknown/refused", test_refused);
  g_test_add_func ("/status-page/unknown/plain-http", test_plain_http_refused);
  g_test_add ("/status-page/cache", Fixture, NULL, fixture_set_up, test_cache, fixture_tear_down);
  g_test_add ("/status-page/failure-cached", Fixture, NULL, fixture_set_up, test_failure_cached, fixture_tear_down);
  g_test_add ("/status-page/shared-request", Fixture, NULL, fixture_set_up, test_shared_request, fixture_tear_down);
  g_test_add ("/status-page/cancel", Fixture, NULL, fixture_set_up, test_cancel, fixture_tear_down);
  g_test_add_func ("/status-page/default-url", test_default_url);

  return g_test_run ();
}
