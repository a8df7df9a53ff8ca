/* bgpt-http.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "bgpt-check-config.h"
#include "bgpt-diagnosis.h"

G_BEGIN_DECLS

#define BGPT_HTTP_DEFAULT_TIMEOUT_S 20
#define BGPT_HTTP_BODY_CAP          (1024 * 1024)

#define BGPT_TYPE_HTTP_RESPONSE (bgpt_http_response_get_type ())

/* One finished exchange. A transport failure (refused, DNS, TLS, reset,
 * timeout) is @error, not a failed call: the elapsed time and the
 * certificate problem still matter to the diagnosis. */
typedef struct
{
  GError              *error;          /* NULL when a complete response arrived */
  GTlsCertificateFlags tls_errors;     /* why the peer's certificate was refused */
  guint                status;         /* 0 without response headers */
  SoupMessageHeaders  *headers;        /* response headers, or NULL */
  GBytes              *body;           /* at most BGPT_HTTP_BODY_CAP bytes, or NULL */
  gboolean             body_over_cap;  /* more arrived; the rest was not read */
  gint64               elapsed_ms;
} BgptHttpResponse;

GType             bgpt_http_response_get_type (void) G_GNUC_CONST;
BgptHttpResponse *bgpt_http_response_copy     (const BgptHttpResponse *response);
void              bgpt_http_response_free     (BgptHttpResponse       *response);

/* Fills the transport part of @exchange from @response (borrowed
 * pointers); the caller sets service, check, expected_id and secrets. */
void              bgpt_http_response_to_exchange (const BgptHttpResponse *response,
                                                  BgptExchange           *exchange);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BgptHttpResponse, bgpt_http_response_free)

#define BGPT_TYPE_HTTP (bgpt_http_get_type ())

G_DECLARE_FINAL_TYPE (BgptHttp, bgpt_http, BGPT, HTTP, GObject)

BgptHttp         *bgpt_http_new            (void);
guint             bgpt_http_get_timeout    (BgptHttp            *self);
void              bgpt_http_set_timeout    (BgptHttp            *self,
                                            guint                timeout_s);

/* Sends @message under the policy and reads its body. Finishes with a
 * response even on transport failures; it fails (G_IO_ERROR_CANCELLED)
 * only when @cancellable was cancelled. */
void              bgpt_http_send_async     (BgptHttp            *self,
                                            SoupMessage         *message,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
BgptHttpResponse *bgpt_http_send_finish    (BgptHttp            *self,
                                            GAsyncResult        *result,
                                            GError             **error);

/* Sends @message and classifies what came back with bgpt_diagnose(). */
void              bgpt_http_diagnose_async  (BgptHttp            *self,
                                             SoupMessage         *message,
                                             BgptService          service,
                                             const char          *check,
                                             const char          *expected_id,
                                             const char * const  *secrets,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
BgptDiagnosis    *bgpt_http_diagnose_finish (BgptHttp            *self,
                                             GAsyncResult        *result,
                                             GError             **error);

/* Helpers for the clients. */
char            **bgpt_http_copy_secrets   (const char * const  *secrets);
void              bgpt_http_free_secrets   (char               **secrets);
char             *bgpt_http_trim_base_url  (const char          *base_url);
/* Completes @task with a diagnosis made without any request (invalid or
 * missing input); @detail is scrubbed of @config's secrets. */
void              bgpt_http_task_return_local (GTask                 *task,
                                               const char            *check,
                                               const char            *error_id,
                                               const char            *detail,
                                               const BgptCheckConfig *config);
/* Sends @message with "Authorization: Bearer @token" and completes @task,
 * with its cancellable, with the diagnosis of the exchange. */
void              bgpt_http_task_send_check   (GTask                 *task,
                                               BgptHttp              *http,
                                               SoupMessage           *message,
                                               const char            *token,
                                               BgptService            service,
                                               const char            *check,
                                               const char            *expected_id,
                                               const BgptCheckConfig *config);

G_END_DECLS
