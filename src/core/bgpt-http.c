/* bgpt-http.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-http"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "bgpt-http.h"
#include "bgpt-validation.h"

#define READ_CHUNK_SIZE (64 * 1024)
/* A request waiting for a connection slot gives up after this many
 * timeouts: the requests before it are bounded, so this never fires unless
 * libsoup stalls. */
#define QUEUE_TIMEOUT_FACTOR 4
/* How long libsoup gets to finish a request once it is cancelled. */
#define ABANDON_AFTER_MS 1000

struct _BgptHttp
{
  GObject      parent_instance;

  SoupSession *session;
  guint        timeout_s;
};

G_DEFINE_FINAL_TYPE (BgptHttp, bgpt_http, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (BgptHttpResponse, bgpt_http_response,
                     bgpt_http_response_copy, bgpt_http_response_free)

enum {
  PROP_0,
  PROP_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- loopback never through a proxy ---- */

/* The system's proxy resolver for every host but loopback, which is always
 * direct: a proxy cannot reach our own machine's ports (the simulator, the
 * demo), and http_proxy without no_proxy would send them there. */
#define BGPT_TYPE_LOOPBACK_DIRECT (bgpt_loopback_direct_get_type ())
G_DECLARE_FINAL_TYPE (BgptLoopbackDirect, bgpt_loopback_direct, BGPT, LOOPBACK_DIRECT, GObject)

struct _BgptLoopbackDirect
{
  GObject         parent_instance;
  GProxyResolver *system;
};

static void bgpt_loopback_direct_iface_init (GProxyResolverInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BgptLoopbackDirect, bgpt_loopback_direct, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_PROXY_RESOLVER,
                                                      bgpt_loopback_direct_iface_init))

static gboolean
is_loopback_uri (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GInetAddress) address = NULL;
  const char *host = parsed != NULL ? g_uri_get_host (parsed) : NULL;

  if (host == NULL)
    return FALSE;
  /* RFC 6761: localhost names are loopback, without asking a resolver. */
  if (g_ascii_strcasecmp (host, "localhost") == 0 ||
      (strlen (host) > 10 && g_ascii_strcasecmp (host + strlen (host) - 10, ".localhost") == 0))
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static char **
direct (void)
{
  char **proxies = g_new0 (char *, 2);

  proxies[0] = g_strdup ("direct://");
  return proxies;
}

static gboolean
bgpt_loopback_direct_is_supported (GProxyResolver *resolver)
{
  return TRUE;
}

static char **
bgpt_loopback_direct_lookup (GProxyResolver  *resolver,
                             const char      *uri,
                             GCancellable    *cancellable,
                             GError         **error)
{
  BgptLoopbackDirect *self = BGPT_LOOPBACK_DIRECT (resolver);

  if (is_loopback_uri (uri))
    return direct ();
  return g_proxy_resolver_lookup (self->system, uri, cancellable, error);
}

static void
on_system_lookup (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char **proxies = g_proxy_resolver_lookup_finish (G_PROXY_RESOLVER (source), result, &error);

  if (proxies == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, proxies, (GDestroyNotify) g_strfreev);
}

static void
bgpt_loopback_direct_lookup_async (GProxyResolver      *resolver,
                                   const char          *uri,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  BgptLoopbackDirect *self = BGPT_LOOPBACK_DIRECT (resolver);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, bgpt_loopback_direct_lookup_async);
  if (is_loopback_uri (uri))
    g_task_return_pointer (task, direct (), (GDestroyNotify) g_strfreev);
  else
    g_proxy_resolver_lookup_async (self->system, uri, cancellable, on_system_lookup,
                                   g_steal_pointer (&task));
}

static char **
bgpt_loopback_direct_lookup_finish (GProxyResolver  *resolver,
                                    GAsyncResult    *result,
                                    GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, resolver), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
bgpt_loopback_direct_iface_init (GProxyResolverInterface *iface)
{
  iface->is_supported = bgpt_loopback_direct_is_supported;
  iface->lookup = bgpt_loopback_direct_lookup;
  iface->lookup_async = bgpt_loopback_direct_lookup_async;
  iface->lookup_finish = bgpt_loopback_direct_lookup_finish;
}

static void
bgpt_loopback_direct_finalize (GObject *object)
{
  BgptLoopbackDirect *self = BGPT_LOOPBACK_DIRECT (object);

  g_clear_object (&self->system);
  G_OBJECT_CLASS (bgpt_loopback_direct_parent_class)->finalize (object);
}

static void
bgpt_loopback_direct_class_init (BgptLoopbackDirectClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bgpt_loopback_direct_finalize;
}

static void
bgpt_loopback_direct_init (BgptLoopbackDirect *self)
{
  self->system = g_object_ref (g_proxy_resolver_get_default ());
}

/* ---- responses ---- */

BgptHttpResponse *
bgpt_http_response_copy (const BgptHttpResponse *response)
{
  BgptHttpResponse *copy = g_new0 (BgptHttpResponse, 1);

  copy->error = response->error != NULL ? g_error_copy (response->error) : NULL;
  copy->tls_errors = response->tls_errors;
  copy->status = response->status;
  copy->headers = response->headers != NULL ? soup_message_headers_ref (response->headers) : NULL;
  copy->body = response->body != NULL ? g_bytes_ref (response->body) : NULL;
  copy->body_over_cap = response->body_over_cap;
  copy->elapsed_ms = response->elapsed_ms;
  return copy;
}

void
bgpt_http_response_free (BgptHttpResponse *response)
{
  if (response == NULL)
    return;

  g_clear_error (&response->error);
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response);
}

void
bgpt_http_response_to_exchange (const BgptHttpResponse *response,
                                BgptExchange           *exchange)
{
  exchange->transport_error = response->error;
  exchange->tls_errors = response->tls_errors;
  exchange->status = response->status;
  exchange->headers = response->headers;
  exchange->body = response->body;
  exchange->body_over_cap = response->body_over_cap;
  exchange->elapsed_ms = response->elapsed_ms;
}

char **
bgpt_http_copy_secrets (const char * const *secrets)
{
  return g_strdupv ((char **) secrets);
}

void
bgpt_http_free_secrets (char **secrets)
{
  if (secrets == NULL)
    return;

  for (guint i = 0; secrets[i] != NULL; i++)
    explicit_bzero (secrets[i], strlen (secrets[i]));
  g_strfreev (secrets);
}

/* One exchange in flight. */
typedef struct
{
  GTask            *task;           /* borrowed: held by the pending libsoup call */
  gboolean          completed;      /* the task has returned; late libsoup answers are dropped */
  SoupMessage      *message;
  /* Ours, tripped by the caller's cancellable, by the timer and by the
   * body cap, so that every pending read stops at once. */
  GCancellable     *cancellable;
  GCancellable     *caller_cancellable;
  gulong            caller_cancelled_id;
  gulong            accept_certificate_id;
  gulong            network_event_id;
  gulong            starting_id;
  GSource          *timeout_source;
  GSource          *abandon_source;
  gboolean          timed_out;
  guint             timeout_s;
  GInputStream     *stream;
  GByteArray       *body;
  gint64            started_us;     /* when the exchange began, not the queueing */
  gboolean          exchange_started;
  GMainContext     *context;        /* the task's, borrowed */
  BgptHttpResponse *response;
} SendData;

static void
clear_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static void
send_data_free (SendData *data)
{
  clear_source (&data->timeout_source);
  clear_source (&data->abandon_source);
  if (data->caller_cancelled_id != 0)
    g_cancellable_disconnect (data->caller_cancellable, data->caller_cancelled_id);
  if (data->accept_certificate_id != 0)
    g_signal_handler_disconnect (data->message, data->accept_certificate_id);
  if (data->network_event_id != 0)
    g_signal_handler_disconnect (data->message, data->network_event_id);
  if (data->starting_id != 0)
    g_signal_handler_disconnect (data->message, data->starting_id);
  g_clear_object (&data->message);
  g_clear_object (&data->cancellable);
  g_clear_object (&data->caller_cancellable);
  g_clear_object (&data->stream);
  g_clear_pointer (&data->body, g_byte_array_unref);
  g_clear_pointer (&data->response, bgpt_http_response_free);
  g_free (data);
}

static void complete (GTask *task, GError *error, gboolean at_end);

static gboolean
abandon_cb (gpointer user_data)
{
  SendData *data = user_data;

  g_clear_pointer (&data->abandon_source, g_source_unref);
  g_debug ("%s %s: libsoup did not finish the request within %u ms of its cancel; it is abandoned",
           soup_message_get_method (data->message), g_uri_get_path (soup_message_get_uri (data->message)),
           ABANDON_AFTER_MS);
  complete (data->task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled"), FALSE);
  return G_SOURCE_REMOVE;
}

/* Trips libsoup's cancellable. libsoup then finishes the request, but not
 * always: a lookup that never answers (GSocketClient waits for it whatever
 * the cancellable says), or libsoup 3.2.3 closing a connection under a
 * request (bgpt_http_init()). The task returns anyway a little later, so
 * that a check never stays in flight for good. */
static void
stop_exchange (SendData *data)
{
  g_cancellable_cancel (data->cancellable);
  if (data->completed || data->abandon_source != NULL)
    return;
  data->abandon_source = g_timeout_source_new (ABANDON_AFTER_MS);
  g_source_set_callback (data->abandon_source, abandon_cb, data, NULL);
  g_source_set_static_name (data->abandon_source, "[bgpt] http abandon");
  g_source_attach (data->abandon_source, data->context);
}

static void
caller_cancelled_cb (GCancellable *caller_cancellable,
                     SendData     *data)
{
  stop_exchange (data);
}

static gboolean
timeout_cb (gpointer user_data)
{
  SendData *data = user_data;

  data->timed_out = TRUE;
  g_clear_pointer (&data->timeout_source, g_source_unref);
  stop_exchange (data);
  return G_SOURCE_REMOVE;
}

static void
start_timer (SendData     *data,
             guint         timeout_ms,
             GMainContext *context)
{
  clear_source (&data->timeout_source);
  data->timeout_source = g_timeout_source_new (timeout_ms);
  g_source_set_callback (data->timeout_source, timeout_cb, data, NULL);
  g_source_set_static_name (data->timeout_source, "[bgpt] http timeout");
  g_source_attach (data->timeout_source, context);
}

/* The message left libsoup's queue: a connection is being made for it
 * (network-event) or an open one takes it (starting). From here on the
 * time is the exchange's own, not that of the requests before it. */
static void
exchange_started_cb (SoupMessage *message,
                     SendData    *data)
{
  if (data->exchange_started)
    return;

  data->exchange_started = TRUE;
  data->started_us = g_get_monotonic_time ();
  start_timer (data, data->timeout_s * 1000, data->context);
}

static void
network_event_cb (SoupMessage        *message,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  SendData           *data)
{
  exchange_started_cb (message, data);
}

static gboolean
accept_certificate_cb (SoupMessage          *message,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       SendData             *data)
{
  /* Only remember what was wrong: a bad certificate is never accepted. */
  data->response->tls_errors = errors;
  return FALSE;
}

static void
close_stream (SendData *data,
              gboolean  at_end)
{
  if (data->stream == NULL)
    return;

  /* Closing a libsoup body stream reads the rest of the body first; with
   * the cancellable tripped it drops the connection instead. */
  if (!at_end)
    g_cancellable_cancel (data->cancellable);
  g_input_stream_close_async (data->stream, G_PRIORITY_DEFAULT,
                              data->cancellable, NULL, NULL);
  g_clear_object (&data->stream);
}

static void
complete (GTask    *task,
          GError   *error,
          gboolean  at_end)
{
  SendData *data = g_task_get_task_data (task);
  BgptHttpResponse *response = data->response;

  g_assert (!data->completed);
  data->completed = TRUE;
  response->elapsed_ms = (g_get_monotonic_time () - data->started_us) / 1000;

  clear_source (&data->timeout_source);
  clear_source (&data->abandon_source);

  close_stream (data, at_end);

  if (error != NULL)
    {
      if (g_cancellable_is_cancelled (data->caller_cancellable))
        {
          g_error_free (error);
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                   "%s", _("The check was cancelled"));
          return;
        }

      if (data->timed_out && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_error_free (error);
          error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               g_dngettext (GETTEXT_PACKAGE,
                                            "No complete answer within %u second",
                                            "No complete answer within %u seconds",
                                            data->timeout_s),
                               data->timeout_s);
        }

      if (response->tls_errors == 0 && data->message != NULL)
        response->tls_errors = soup_message_get_tls_peer_certificate_errors (data->message);
      response->error = error;
    }

  if (data->body != NULL)
    response->body = g_byte_array_free_to_bytes (g_steal_pointer (&data->body));

  g_task_return_pointer (task, g_steal_pointer (&data->response),
                         (GDestroyNotify) bgpt_http_response_free);
}

static void read_next_chunk (GTask *task);

static void
read_bytes_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  GError *error = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (data->completed)
    {
      /* Abandoned meanwhile (stop_exchange). */
      g_clear_error (&error);
      return;
    }
  if (chunk == NULL)
    {
      complete (task, error, FALSE);
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      complete (task, NULL, TRUE);
      return;
    }

  g_byte_array_append (data->body,
                       g_bytes_get_data (chunk, NULL),
                       g_bytes_get_size (chunk));

  if (data->body->len > BGPT_HTTP_BODY_CAP)
    {
      /* No check needs more than 1 MiB: a larger body is a diagnosis,
       * and reading it all would let a server fill our memory. */
      g_byte_array_set_size (data->body, BGPT_HTTP_BODY_CAP);
      data->response->body_over_cap = TRUE;
      complete (task, NULL, FALSE);
      return;
    }

  read_next_chunk (g_steal_pointer (&task));
}

static void
read_next_chunk (GTask *task)
{
  SendData *data = g_task_get_task_data (task);
  /* One byte past the cap is enough to know the body is too big. */
  gsize wanted = MIN (READ_CHUNK_SIZE, BGPT_HTTP_BODY_CAP + 1 - data->body->len);

  g_input_stream_read_bytes_async (data->stream, wanted, G_PRIORITY_DEFAULT,
                                   data->cancellable, read_bytes_cb, task);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);
  GInputStream *stream;
  GError *error = NULL;

  stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (data->completed)
    {
      /* Abandoned meanwhile (stop_exchange): the connection goes with it. */
      g_clear_error (&error);
      if (stream != NULL)
        g_input_stream_close_async (stream, G_PRIORITY_DEFAULT, data->cancellable, NULL, NULL);
      g_clear_object (&stream);
      return;
    }
  data->stream = stream;
  if (data->stream == NULL)
    {
      complete (task, error, FALSE);
      return;
    }

  data->response->status = soup_message_get_status (data->message);
  data->response->headers = soup_message_headers_ref (soup_message_get_response_headers (data->message));
  data->body = g_byte_array_new ();
  read_next_chunk (g_steal_pointer (&task));
}

void
bgpt_http_send_async (BgptHttp            *self,
                      SoupMessage         *message,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *url = NULL;
  GError *error = NULL;
  SendData *data;

  g_return_if_fail (BGPT_IS_HTTP (self));
  g_return_if_fail (SOUP_IS_MESSAGE (message));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bgpt_http_send_async);

  data = g_new0 (SendData, 1);
  data->task = task;
  data->message = g_object_ref (message);
  data->cancellable = g_cancellable_new ();
  data->caller_cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  data->timeout_s = self->timeout_s;
  data->started_us = g_get_monotonic_time ();
  data->context = g_task_get_context (task);
  data->response = g_new0 (BgptHttpResponse, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);

  /* The clients validate their base URLs; this is the last line of
   * defence against sending credentials in clear text. A request's own
   * query (the costs' parameters) is no part of the base URL. */
  url = g_uri_to_string_partial (soup_message_get_uri (message), G_URI_HIDE_PASSWORD | G_URI_HIDE_QUERY);
  if (!bgpt_validate_base_url (url, &error))
    {
      complete (task, error, FALSE);
      return;
    }

  if (data->caller_cancellable != NULL)
    {
      data->caller_cancelled_id = g_cancellable_connect (data->caller_cancellable,
                                                         G_CALLBACK (caller_cancelled_cb),
                                                         data, NULL);
      if (g_cancellable_is_cancelled (data->caller_cancellable))
        {
          complete (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled"), FALSE);
          return;
        }
    }

  /* Redirects are never followed: a 3xx comes back as the response, so the
   * credentials can never travel to another origin. */
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);

  data->accept_certificate_id = g_signal_connect (message, "accept-certificate",
                                                  G_CALLBACK (accept_certificate_cb), data);

  data->network_event_id = g_signal_connect (message, "network-event",
                                              G_CALLBACK (network_event_cb), data);
  data->starting_id = g_signal_connect (message, "starting",
                                        G_CALLBACK (exchange_started_cb), data);

  /* libsoup's own timeout stops at the headers; ours covers the body and
   * starts with the exchange (exchange_started_cb). Until then a request
   * waits for a connection slot: bounded too, more generously. */
  start_timer (data, QUEUE_TIMEOUT_FACTOR * self->timeout_s * 1000, data->context);

  soup_session_send_async (self->session, message, G_PRIORITY_DEFAULT,
                           data->cancellable, send_cb, g_steal_pointer (&task));
}

BgptHttpResponse *
bgpt_http_send_finish (BgptHttp      *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (BGPT_IS_HTTP (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bgpt_http_send_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  BgptService  service;
  char        *check;
  char        *expected_id;
  char       **secrets;
} DiagnoseData;

static void
diagnose_data_free (DiagnoseData *data)
{
  g_free (data->check);
  g_free (data->expected_id);
  bgpt_http_free_secrets (data->secrets);
  g_free (data);
}

static void
diagnose_send_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DiagnoseData *data = g_task_get_task_data (task);
  g_autoptr(BgptHttpResponse) response = NULL;
  BgptExchange exchange = { 0 };
  GError *error = NULL;

  response = bgpt_http_send_finish (BGPT_HTTP (object), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  bgpt_http_response_to_exchange (response, &exchange);
  exchange.service = data->service;
  exchange.check = data->check;
  exchange.expected_id = data->expected_id;
  exchange.secrets = (const char * const *) data->secrets;

  g_task_return_pointer (task, bgpt_diagnose (&exchange),
                         (GDestroyNotify) bgpt_diagnosis_free);
}

void
bgpt_http_diagnose_async (BgptHttp            *self,
                          SoupMessage         *message,
                          BgptService          service,
                          const char          *check,
                          const char          *expected_id,
                          const char * const  *secrets,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DiagnoseData *data;

  g_return_if_fail (BGPT_IS_HTTP (self));
  g_return_if_fail (check != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bgpt_http_diagnose_async);

  data = g_new0 (DiagnoseData, 1);
  data->service = service;
  data->check = g_strdup (check);
  data->expected_id = g_strdup (expected_id);
  data->secrets = bgpt_http_copy_secrets (secrets);
  g_task_set_task_data (task, data, (GDestroyNotify) diagnose_data_free);

  bgpt_http_send_async (self, message, cancellable, diagnose_send_cb,
                        g_steal_pointer (&task));
}

BgptDiagnosis *
bgpt_http_diagnose_finish (BgptHttp      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (BGPT_IS_HTTP (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bgpt_http_diagnose_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

guint
bgpt_http_get_timeout (BgptHttp *self)
{
  g_return_val_if_fail (BGPT_IS_HTTP (self), 0);

  return self->timeout_s;
}

void
bgpt_http_set_timeout (BgptHttp *self,
                       guint     timeout_s)
{
  g_return_if_fail (BGPT_IS_HTTP (self));
  g_return_if_fail (timeout_s > 0);

  if (self->timeout_s == timeout_s)
    return;

  self->timeout_s = timeout_s;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

static void
bgpt_http_dispose (GObject *object)
{
  BgptHttp *self = BGPT_HTTP (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (bgpt_http_parent_class)->dispose (object);
}

static void
bgpt_http_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  BgptHttp *self = BGPT_HTTP (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout_s);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bgpt_http_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  BgptHttp *self = BGPT_HTTP (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      bgpt_http_set_timeout (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bgpt_http_class_init (BgptHttpClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bgpt_http_dispose;
  object_class->get_property = bgpt_http_get_property;
  object_class->set_property = bgpt_http_set_property;

  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       1, 600, BGPT_HTTP_DEFAULT_TIMEOUT_S,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bgpt_http_init (BgptHttp *self)
{
  g_autoptr(GProxyResolver) proxy_resolver = g_object_new (BGPT_TYPE_LOOPBACK_DIRECT, NULL);

  self->timeout_s = BGPT_HTTP_DEFAULT_TIMEOUT_S;
  /* The checks of one account go to the same host at the same time.
   * No idle timeout: libsoup 3.2.3's fired on a connection that carried a
   * request, and closing it dropped the request without finishing it
   * (docs/testing.md, "A request libsoup never finishes"). Servers close
   * the connections they no longer want, and the session holds at most
   * its max-conns of them. */
  self->session = soup_session_new_with_options ("user-agent", "ByteGPT-Monitor/" PACKAGE_VERSION,
                                                 "max-conns-per-host", 8,
                                                 "idle-timeout", 0,
                                                 "proxy-resolver", proxy_resolver,
                                                 NULL);
}

BgptHttp *
bgpt_http_new (void)
{
  return g_object_new (BGPT_TYPE_HTTP, NULL);
}

char *
bgpt_http_trim_base_url (const char *base_url)
{
  gsize length = strlen (base_url);

  while (length > 0 && base_url[length - 1] == '/')
    length--;
  return g_strndup (base_url, length);
}

void
bgpt_http_task_return_local (GTask                 *task,
                             const char            *check,
                             const char            *error_id,
                             const char            *detail,
                             const BgptCheckConfig *config)
{
  g_autofree const char **secrets = bgpt_check_config_secrets (config);
  BgptDiagnosis *diagnosis = bgpt_diagnosis_new (check, error_id);

  diagnosis->detail = bgpt_scrub (detail, secrets);
  g_task_return_pointer (task, diagnosis, (GDestroyNotify) bgpt_diagnosis_free);
}

static void
task_send_check_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BgptDiagnosis *diagnosis;
  GError *error = NULL;

  diagnosis = bgpt_http_diagnose_finish (BGPT_HTTP (object), result, &error);
  if (diagnosis == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, diagnosis, (GDestroyNotify) bgpt_diagnosis_free);
}

void
bgpt_http_task_send_check (GTask                 *task,
                           BgptHttp              *http,
                           SoupMessage           *message,
                           const char            *token,
                           BgptService            service,
                           const char            *check,
                           const char            *expected_id,
                           const BgptCheckConfig *config)
{
  g_autofree const char **secrets = bgpt_check_config_secrets (config);
  g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);

  soup_message_headers_replace (soup_message_get_request_headers (message),
                                "Authorization", authorization);
  /* The header keeps its own copy: don't leave one more behind in the heap. */
  explicit_bzero (authorization, strlen (authorization));

  bgpt_http_diagnose_async (http, message, service, check, expected_id, secrets,
                            g_task_get_cancellable (task),
                            task_send_check_cb, g_object_ref (task));
}
