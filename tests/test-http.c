/* test-http.c: the HTTP policy against a real server on loopback.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "bgpt-http.h"
#include "bgpt-simulator.h"
#include "bgpt-test-utils.h"
#include "bgpt-validation.h"

typedef BgptTestHttpFixture Fixture;

/* Sends GET @url and waits for the response. */
static BgptHttpResponse *
send_get (BgptHttp   *http,
          const char *url)
{
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  BgptHttpResponse *response;

  g_assert_nonnull (message);
  soup_message_headers_replace (soup_message_get_request_headers (message),
                                "Authorization", "Bearer sk-test-http-0123456789");
  bgpt_http_send_async (http, message, NULL, bgpt_test_collect_result, &result);
  response = bgpt_http_send_finish (http, bgpt_test_await (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (response);
  return response;
}

static BgptDiagnosis *
diagnose_get (BgptHttp   *http,
              const char *url)
{
  static const char *secrets[] = { "sk-test-http-0123456789", NULL };
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  BgptDiagnosis *diagnosis;

  soup_message_headers_replace (soup_message_get_request_headers (message),
                                "Authorization", "Bearer sk-test-http-0123456789");
  bgpt_http_diagnose_async (http, message, BGPT_SERVICE_OPENAI, BGPT_CHECK_OPENAI_KEY,
                            NULL, secrets, NULL, bgpt_test_collect_result, &result);
  diagnosis = bgpt_http_diagnose_finish (http, bgpt_test_await (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (diagnosis);
  return diagnosis;
}

static char *
models_url (BgptSimulator *simulator)
{
  return g_strconcat (bgpt_simulator_get_base_url (simulator), "/v1/models", NULL);
}

/* The same, where the simulator now answers in @scenario. */
static char *
models_url_answering (BgptSimulator *simulator,
                      BgptScenario   scenario)
{
  bgpt_simulator_set_scenario (simulator, "openai.key", scenario);
  return models_url (simulator);
}

static void
test_success (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autofree char *url = models_url (fixture->simulator);
  g_autoptr(BgptHttpResponse) response = send_get (fixture->http, url);
  const BgptSimulatorRequest *request;

  g_assert_no_error (response->error);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_nonnull (response->body);
  g_assert_cmpuint (g_bytes_get_size (response->body), >, 0);
  g_assert_false (response->body_over_cap);
  g_assert_cmpint (response->elapsed_ms, >=, 0);
  g_assert_cmpint (response->elapsed_ms, <, bgpt_test_scaled_ms (5000));
  g_assert_cmpstr (soup_message_headers_get_one (response->headers, "x-request-id"), !=, NULL);

  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, "openai.key"), ==, 1);
  request = bgpt_simulator_get_request (fixture->simulator, 0);
  g_assert_cmpstr (request->method, ==, "GET");
  g_assert_cmpstr (request->user_agent, ==, "ByteGPT-Monitor/" PACKAGE_VERSION);
  g_assert_true (request->has_authorization);
}

static void
test_redirect_not_followed (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(BgptSimulator) elsewhere = bgpt_simulator_new (NULL);
  g_autofree char *url = models_url (fixture->simulator);
  g_autoptr(BgptHttpResponse) response = NULL;
  g_autoptr(BgptDiagnosis) diagnosis = NULL;

  g_assert_nonnull (elsewhere);
  g_assert_cmpuint (bgpt_simulator_get_port (elsewhere), !=, bgpt_simulator_get_port (fixture->simulator));
  bgpt_simulator_set_redirect_target (fixture->simulator, bgpt_simulator_get_base_url (elsewhere));
  bgpt_simulator_set_scenario (fixture->simulator, NULL, BGPT_SCENARIO_REDIRECT);

  response = send_get (fixture->http, url);
  g_assert_no_error (response->error);
  g_assert_cmpuint (response->status, ==, 302);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_one (response->headers, "Location"),
                                   bgpt_simulator_get_base_url (elsewhere)));

  diagnosis = diagnose_get (fixture->http, url);
  g_assert_cmpstr (diagnosis->error_id, ==, "openai.unexpected");
  g_assert_cmpuint (diagnosis->http_status, ==, 302);

  /* Let a followed redirect arrive, if the policy were broken. */
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);

  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, NULL), ==, 2);
  g_assert_cmpuint (bgpt_simulator_count_requests (elsewhere, NULL), ==, 0);
}

static void
test_tls_self_signed (void)
{
  g_autofree char *directory = g_dir_make_tmp ("bgpt-test-tls-XXXXXX", NULL);
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(BgptSimulator) simulator = NULL;
  g_autoptr(BgptHttp) http = bgpt_http_new ();
  g_autoptr(BgptHttpResponse) response = NULL;
  g_autoptr(BgptDiagnosis) diagnosis = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;

  g_assert_nonnull (directory);
  certificate = bgpt_simulator_create_test_certificate (directory, &error);
  g_assert_no_error (error);
  simulator = bgpt_simulator_new_tls (certificate, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (bgpt_simulator_get_base_url (simulator), "https://"));

  url = models_url (simulator);
  response = send_get (http, url);
  g_assert_nonnull (response->error);
  g_assert_cmpuint (response->status, ==, 0);
  g_assert_true (response->tls_errors & G_TLS_CERTIFICATE_UNKNOWN_CA);

  diagnosis = diagnose_get (http, url);
  g_assert_cmpstr (diagnosis->error_id, ==, "openai.connection");
  /* The certificate problem in words, not libsoup's generic message. */
  g_assert_nonnull (diagnosis->detail);
  g_assert_nonnull (strstr (diagnosis->detail, "certificate"));
  g_assert_nonnull (strstr (diagnosis->detail, "self-signed"));

  /* Nothing was sent over the untrusted connection. */
  g_assert_cmpuint (bgpt_simulator_count_requests (simulator, NULL), ==, 0);

  cert_path = g_build_filename (directory, "test-only-cert.pem", NULL);
  key_path = g_build_filename (directory, "test-only-key.pem", NULL);
  g_unlink (cert_path);
  g_unlink (key_path);
  g_rmdir (directory);
}

static void
test_closed_port (void)
{
  g_autoptr(BgptHttp) http = bgpt_http_new ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/v1/models", bgpt_test_closed_port ());
  g_autoptr(BgptHttpResponse) response = send_get (http, url);
  g_autoptr(BgptDiagnosis) diagnosis = NULL;

  g_assert_error (response->error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_assert_cmpuint (response->status, ==, 0);

  diagnosis = diagnose_get (http, url);
  g_assert_cmpstr (diagnosis->error_id, ==, "openai.connection");
}

static void
test_unresolvable_host (void)
{
  g_autoptr(BgptHttp) http = bgpt_http_new ();
  g_autoptr(BgptDiagnosis) diagnosis = NULL;
  gint64 started = g_get_monotonic_time ();

  /* .invalid never resolves (RFC 6761), online or not. */
  diagnosis = diagnose_get (http, "https://api.bytegpt-monitor-test.invalid/v1/models");
  g_assert_cmpstr (diagnosis->error_id, ==, "openai.connection");
  g_assert_cmpuint (diagnosis->http_status, ==, 0);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 10 * G_USEC_PER_SEC);
}

static void
test_remote_plain_http_refused (Fixture       *fixture,
                                gconstpointer  user_data)
{
  g_autoptr(BgptHttpResponse) response = NULL;

  response = send_get (fixture->http, "http://api.openai.com/v1/models");
  g_assert_error (response->error, BGPT_VALIDATION_ERROR, BGPT_VALIDATION_ERROR_BASE_URL);
  g_assert_cmpuint (response->status, ==, 0);
  g_assert_cmpint (response->elapsed_ms, <, bgpt_test_scaled_ms (100));
}

/* A server that stalls in the way the test data names (a BgptScenario). */
static void
test_stall (Fixture       *fixture,
            gconstpointer  user_data)
{
  BgptScenario scenario = GPOINTER_TO_INT (user_data);
  g_autofree char *url = models_url_answering (fixture->simulator, scenario);
  g_autoptr(BgptHttpResponse) response = NULL;
  g_autoptr(BgptDiagnosis) diagnosis = NULL;
  gint64 started, elapsed_ms;

  bgpt_http_set_timeout (fixture->http, 1);

  started = g_get_monotonic_time ();
  response = send_get (fixture->http, url);
  elapsed_ms = (g_get_monotonic_time () - started) / 1000;

  g_assert_error (response->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (elapsed_ms, >=, 1000);
  g_assert_cmpint (elapsed_ms, <, bgpt_test_scaled_ms (1500));
  g_assert_cmpint (response->elapsed_ms, >=, 1000);

  started = g_get_monotonic_time ();
  diagnosis = diagnose_get (fixture->http, url);
  elapsed_ms = (g_get_monotonic_time () - started) / 1000;
  g_assert_cmpstr (diagnosis->error_id, ==, "openai.timeout");
  g_assert_cmpint (elapsed_ms, <, bgpt_test_scaled_ms (1500));
}

/* More requests than connections to one host: those that wait for a slot
 * are timed from when they are sent, not from when they were queued. */
static void
test_queued_requests_timed_from_sending (Fixture       *fixture,
                                         gconstpointer  user_data)
{
  g_autofree char *url = models_url (fixture->simulator);
  GAsyncResult *results[16] = { NULL };
  guint n_waited = 0;

  bgpt_simulator_set_delay (fixture->simulator, "openai.key", 2000);
  bgpt_http_set_timeout (fixture->http, 3);

  /* The session opens 8 connections per host: the second 8 wait about
   * 2 s, then take 2 s of their own. */
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_autoptr(SoupMessage) message = soup_message_new ("GET", url);

      soup_message_headers_replace (soup_message_get_request_headers (message),
                                    "Authorization", "Bearer sk-test-http-0123456789");
      bgpt_http_send_async (fixture->http, message, NULL, bgpt_test_collect_result, &results[i]);
    }

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_autoptr(BgptHttpResponse) response = NULL;
      g_autoptr(GError) error = NULL;

      response = bgpt_http_send_finish (fixture->http, bgpt_test_await (&results[i]), &error);
      g_assert_no_error (error);
      g_assert_no_error (response->error);
      g_assert_cmpuint (response->status, ==, 200);
      g_assert_cmpint (response->elapsed_ms, <, 3000);
      if (response->elapsed_ms >= 1900)
        n_waited++;
      g_clear_object (&results[i]);
    }
  g_assert_cmpuint (n_waited, ==, G_N_ELEMENTS (results));
}

static gint64
peak_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "VmHWM:");
  g_assert_nonnull (line);
  return g_ascii_strtoll (line + strlen ("VmHWM:"), NULL, 10);
}

static void
test_huge_body (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autofree char *url = models_url_answering (fixture->simulator, BGPT_SCENARIO_HUGE_BODY);
  g_autoptr(BgptHttpResponse) response = NULL;
  g_autoptr(BgptDiagnosis) diagnosis = NULL;
  gint64 before_kib, after_kib;

  before_kib = peak_rss_kib ();

  response = send_get (fixture->http, url);
  g_assert_no_error (response->error);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_true (response->body_over_cap);
  g_assert_cmpuint (g_bytes_get_size (response->body), ==, BGPT_HTTP_BODY_CAP);

  diagnosis = diagnose_get (fixture->http, url);
  g_assert_cmpstr (diagnosis->error_id, ==, "openai.unexpected");

  after_kib = peak_rss_kib ();
  g_test_message ("peak RSS before %" G_GINT64_FORMAT " KiB, after %" G_GINT64_FORMAT " KiB",
                  before_kib, after_kib);
  g_assert_cmpint (after_kib - before_kib, <, 16 * 1024);
}

static void
test_dropped_connection (Fixture       *fixture,
                         gconstpointer  user_data)
{
  BgptScenario scenario = GPOINTER_TO_INT (user_data);
  g_autofree char *url = models_url_answering (fixture->simulator, scenario);
  g_autoptr(BgptHttpResponse) response = NULL;
  g_autoptr(BgptDiagnosis) diagnosis = NULL;

  response = send_get (fixture->http, url);
  g_assert_nonnull (response->error);
  g_assert_cmpuint (response->status, ==, 0);

  diagnosis = diagnose_get (fixture->http, url);
  g_assert_cmpstr (diagnosis->error_id, ==, "openai.connection");
}

static gboolean
redraw_busily (gpointer user_data)
{
  g_usleep (2000);
  return G_SOURCE_CONTINUE;
}

/* A window that redraws without a pause (slow frames, an animation) keeps
 * every idle-priority source waiting: the drop must still reach the
 * client as a dropped connection, not as a time-out. */
static void
test_dropped_connection_while_redrawing (Fixture       *fixture,
                                         gconstpointer  user_data)
{
  g_autofree char *url = models_url_answering (fixture->simulator, BGPT_SCENARIO_RESET);
  g_autoptr(BgptDiagnosis) diagnosis = NULL;
  guint redraw;

  /* GTK's redraws run at G_PRIORITY_HIGH_IDLE + 20 (GDK_PRIORITY_REDRAW). */
  redraw = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 20, redraw_busily, NULL, NULL);
  diagnosis = diagnose_get (fixture->http, url);
  g_source_remove (redraw);
  g_assert_cmpstr (diagnosis->error_id, ==, "openai.connection");
}

static void
test_echoed_secret (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autofree char *url = models_url_answering (fixture->simulator, BGPT_SCENARIO_ECHO_SECRET);
  g_autoptr(BgptHttpResponse) response = NULL;
  g_autoptr(BgptDiagnosis) diagnosis = NULL;
  g_autofree char *body = NULL;

  /* The server really sends the key back ... */
  response = send_get (fixture->http, url);
  body = g_strndup (g_bytes_get_data (response->body, NULL), g_bytes_get_size (response->body));
  g_assert_nonnull (strstr (body, "sk-test-http-0123456789"));

  /* ... and the diagnosis keeps the message without it. */
  diagnosis = diagnose_get (fixture->http, url);
  g_assert_cmpstr (diagnosis->error_id, ==, "openai.auth");
  g_assert_nonnull (diagnosis->api_message);
  g_assert_nonnull (strstr (diagnosis->api_message, "Incorrect API key provided"));
  g_assert_null (strstr (diagnosis->api_message, "sk-test-http-0123456789"));
  g_assert_true (diagnosis->detail == NULL || strstr (diagnosis->detail, "sk-test-http-0123456789") == NULL);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autofree char *url = models_url_answering (fixture->simulator, BGPT_SCENARIO_STALL_BODY);
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(BgptHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started;

  bgpt_http_send_async (fixture->http, message, cancellable, bgpt_test_collect_result, &result);

  /* Wait until the request is held by the server, then cancel. */
  while (bgpt_simulator_count_requests (fixture->simulator, NULL) == 0)
    g_main_context_iteration (NULL, TRUE);
  started = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);

  response = bgpt_http_send_finish (fixture->http, bgpt_test_await (&result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (response);
  g_assert_cmpint ((g_get_monotonic_time () - started) / 1000, <, bgpt_test_scaled_ms (500));
}

/* A resolver that never answers nor gives up, whatever the cancellable
 * says: GSocketClient, and so libsoup, then never finish a request, even
 * once it is cancelled. Its lookups are answered at the end. */
#define TEST_TYPE_SILENT_RESOLVER (test_silent_resolver_get_type ())
G_DECLARE_FINAL_TYPE (TestSilentResolver, test_silent_resolver, TEST, SILENT_RESOLVER, GResolver)

struct _TestSilentResolver
{
  GResolver  parent_instance;
  GPtrArray *lookups;
};

G_DEFINE_FINAL_TYPE (TestSilentResolver, test_silent_resolver, G_TYPE_RESOLVER)

static void
silent_lookup_async (GResolver                *resolver,
                     const char               *hostname,
                     GResolverNameLookupFlags  flags,
                     GCancellable             *cancellable,
                     GAsyncReadyCallback       callback,
                     gpointer                  user_data)
{
  /* No cancellable: the lookup goes on when its caller gives up. */
  g_ptr_array_add (TEST_SILENT_RESOLVER (resolver)->lookups, g_task_new (resolver, NULL, callback, user_data));
}

static void
silent_lookup_without_flags_async (GResolver           *resolver,
                                   const char          *hostname,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  silent_lookup_async (resolver, hostname, G_RESOLVER_NAME_LOOKUP_FLAGS_DEFAULT, cancellable, callback, user_data);
}

static GList *
silent_lookup_finish (GResolver     *resolver,
                      GAsyncResult  *result,
                      GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_silent_resolver_finalize (GObject *object)
{
  g_ptr_array_unref (TEST_SILENT_RESOLVER (object)->lookups);
  G_OBJECT_CLASS (test_silent_resolver_parent_class)->finalize (object);
}

static void
test_silent_resolver_class_init (TestSilentResolverClass *klass)
{
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = test_silent_resolver_finalize;
  resolver_class->lookup_by_name_async = silent_lookup_without_flags_async;
  resolver_class->lookup_by_name_finish = silent_lookup_finish;
  resolver_class->lookup_by_name_with_flags_async = silent_lookup_async;
  resolver_class->lookup_by_name_with_flags_finish = silent_lookup_finish;
}

static void
test_silent_resolver_init (TestSilentResolver *self)
{
  self->lookups = g_ptr_array_new_with_free_func (g_object_unref);
}

/* libsoup never finishes the request, not even after the cancel at the
 * time limit: the request still ends then, a little later at most, as a
 * timeout. Its late end from libsoup is dropped. */
static void
test_request_libsoup_never_finishes (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(TestSilentResolver) resolver = g_object_new (TEST_TYPE_SILENT_RESOLVER, NULL);
      g_autoptr(BgptHttp) http = NULL;
      g_autoptr(BgptHttpResponse) response = NULL;
      g_autoptr(BgptDiagnosis) diagnosis = NULL;
      gint64 started, elapsed_ms;

      g_resolver_set_default (G_RESOLVER (resolver));
      http = bgpt_http_new ();
      bgpt_http_set_timeout (http, 1);

      started = g_get_monotonic_time ();
      response = send_get (http, "https://api.bytegpt-monitor-test.invalid/v1/models");
      elapsed_ms = (g_get_monotonic_time () - started) / 1000;
      g_assert_cmpuint (resolver->lookups->len, >, 0);
      g_assert_error (response->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
      g_assert_cmpint (elapsed_ms, >=, 1000);
      g_assert_cmpint (elapsed_ms, <, bgpt_test_scaled_ms (3000));

      /* The same through a check: the timeout's diagnosis. */
      diagnosis = diagnose_get (http, "https://api.bytegpt-monitor-test.invalid/v1/models");
      g_assert_cmpstr (diagnosis->error_id, ==, "openai.timeout");

      /* Cancelled by its caller before the time limit: it ends as cancelled. */
      {
        g_autoptr(SoupMessage) message = soup_message_new ("GET", "https://api.bytegpt-monitor-test.invalid/v1/models");
        g_autoptr(GCancellable) cancellable = g_cancellable_new ();
        g_autoptr(GAsyncResult) result = NULL;
        g_autoptr(GError) error = NULL;
        /* A session of its own, whose connection starts with a lookup. */
        g_autoptr(BgptHttp) other = bgpt_http_new ();
        guint n_lookups = resolver->lookups->len;

        bgpt_http_send_async (other, message, cancellable, bgpt_test_collect_result, &result);
        while (resolver->lookups->len == n_lookups)
          g_main_context_iteration (NULL, TRUE);
        started = g_get_monotonic_time ();
        g_cancellable_cancel (cancellable);
        g_assert_null (bgpt_http_send_finish (other, bgpt_test_await (&result), &error));
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
        g_assert_cmpint ((g_get_monotonic_time () - started) / 1000, <, bgpt_test_scaled_ms (3000));
      }

      /* The lookups answer at last: libsoup finishes, and nothing more happens. */
      for (guint i = 0; i < resolver->lookups->len; i++)
        g_task_return_new_error (g_ptr_array_index (resolver->lookups, i), G_RESOLVER_ERROR,
                                 G_RESOLVER_ERROR_NOT_FOUND, "not found");
      g_clear_object (&http);
      for (guint i = 0; i < 20; i++)
        g_main_context_iteration (NULL, FALSE);
      return;
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, 0);
  g_test_trap_assert_passed ();
}

/* What the environment says about proxies, for a fresh process only: GIO's
 * proxy resolver may read it once. */
static void
set_proxy_environment (const char *proxy)
{
  const char * const names[] = { "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
                                 "all_proxy", "ALL_PROXY" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_setenv (names[i], proxy, TRUE);
  g_setenv ("no_proxy", "", TRUE);
  g_setenv ("NO_PROXY", "", TRUE);
}

/* A proxy that would refuse every connection: loopback goes direct. */
static void
test_loopback_bypasses_proxy (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *proxy = g_strdup_printf ("http://127.0.0.1:%u", bgpt_test_closed_port ());
      Fixture fixture;
      BgptHttpResponse *response;
      g_autofree char *url = NULL;
      g_autofree char *localhost_url = NULL;

      /* Before the client is made. */
      set_proxy_environment (proxy);
      bgpt_test_http_fixture_set_up (&fixture, NULL);
      url = models_url (fixture.simulator);
      response = send_get (fixture.http, url);
      g_assert_no_error (response->error);
      g_assert_cmpuint (response->status, ==, 200);
      bgpt_http_response_free (response);

      localhost_url = g_strdup_printf ("http://localhost:%u/v1/models", bgpt_simulator_get_port (fixture.simulator));
      response = send_get (fixture.http, localhost_url);
      g_assert_no_error (response->error);
      g_assert_cmpuint (response->status, ==, 200);
      bgpt_http_response_free (response);
      g_assert_cmpuint (bgpt_simulator_count_requests (fixture.simulator, "openai.key"), ==, 2);
      bgpt_test_http_fixture_tear_down (&fixture, NULL);
      return;
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, 0);
  g_test_trap_assert_passed ();
}

/* Other hosts still go through the proxy the system names: here the
 * simulator, which sees the tunnel asked for. */
static void
test_remote_host_uses_proxy (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BgptSimulator) simulator = bgpt_simulator_new (&error);
      g_autoptr(BgptHttp) http = NULL;
      g_autoptr(BgptHttpResponse) response = NULL;
      const BgptSimulatorRequest *request;

      g_assert_no_error (error);
      set_proxy_environment (bgpt_simulator_get_base_url (simulator));
      http = bgpt_http_new ();
      /* .invalid never resolves: only the proxy can take it further. */
      response = send_get (http, "https://api.bytegpt-monitor-test.invalid/v1/models");
      /* The simulator refuses the tunnel (404), which libsoup reports as
       * the answer: it never reached the host. */
      g_assert_cmpuint (response->status, !=, 200);
      g_assert_cmpuint (bgpt_simulator_count_requests (simulator, NULL), ==, 1);
      request = bgpt_simulator_get_request (simulator, 0);
      g_assert_cmpstr (request->method, ==, "CONNECT");
      g_assert_false (request->has_authorization);
      return;
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, 0);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, data, test) \
  g_test_add (path, Fixture, data, bgpt_test_http_fixture_set_up, test, bgpt_test_http_fixture_tear_down)

  ADD ("/http/success", NULL, test_success);
  ADD ("/http/queued-requests", NULL, test_queued_requests_timed_from_sending);
  ADD ("/http/redirect-not-followed", NULL, test_redirect_not_followed);
  g_test_add_func ("/http/tls-self-signed", test_tls_self_signed);
  g_test_add_func ("/http/closed-port", test_closed_port);
  g_test_add_func ("/http/unresolvable-host", test_unresolvable_host);
  ADD ("/http/remote-plain-http-refused", NULL, test_remote_plain_http_refused);
  ADD ("/http/stall-before-headers", GINT_TO_POINTER (BGPT_SCENARIO_STALL_HEADERS), test_stall);
  ADD ("/http/stall-mid-body", GINT_TO_POINTER (BGPT_SCENARIO_STALL_BODY), test_stall);
  ADD ("/http/huge-body", NULL, test_huge_body);
  ADD ("/http/connection-closed", GINT_TO_POINTER (BGPT_SCENARIO_CLOSE), test_dropped_connection);
  ADD ("/http/connection-reset", GINT_TO_POINTER (BGPT_SCENARIO_RESET), test_dropped_connection);
  ADD ("/http/connection-reset-while-redrawing", NULL, test_dropped_connection_while_redrawing);
  ADD ("/http/echoed-secret", NULL, test_echoed_secret);
  ADD ("/http/cancel", NULL, test_cancel);
  g_test_add_func ("/http/request-libsoup-never-finishes", test_request_libsoup_never_finishes);
  g_test_add_func ("/http/loopback-bypasses-proxy", test_loopback_bypasses_proxy);
  g_test_add_func ("/http/remote-host-uses-proxy", test_remote_host_uses_proxy);

  return g_test_run ();
}
