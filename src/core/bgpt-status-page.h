/* bgpt-status-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The page people open to see it for themselves. */
#define BGPT_STATUS_PAGE_DEFAULT_BASE_URL "https://status.openai.com"

/* How long a reading is reused, in seconds. */
#define BGPT_STATUS_PAGE_DEFAULT_CACHE_TTL_S   300
/* A failed reading is retried sooner, but not on every call. */
#define BGPT_STATUS_PAGE_DEFAULT_FAILURE_TTL_S 60
/* The status page is a hint: don't wait on it as long as on a check. */
#define BGPT_STATUS_PAGE_DEFAULT_TIMEOUT_S     10

/* How the API's components stand, in the terms of Statuspage's
 * "status.indicator": the worst of them decides. */
typedef enum
{
  BGPT_STATUS_INDICATOR_UNKNOWN,      /* could not be read */
  BGPT_STATUS_INDICATOR_NONE,         /* all systems operational */
  BGPT_STATUS_INDICATOR_MINOR,
  BGPT_STATUS_INDICATOR_MAJOR,
  BGPT_STATUS_INDICATOR_CRITICAL,
  BGPT_STATUS_INDICATOR_MAINTENANCE,
} BgptStatusIndicator;

#define BGPT_TYPE_STATUS_INDICATOR (bgpt_status_indicator_get_type ())
GType       bgpt_status_indicator_get_type (void) G_GNUC_CONST;

/* The translated sentence for the UI, from the indicator alone
 * ("Todos os sistemas operacionais"). */
const char *bgpt_status_indicator_describe (BgptStatusIndicator indicator);

#define BGPT_TYPE_STATUS_REPORT (bgpt_status_report_get_type ())

typedef struct
{
  BgptStatusIndicator  indicator;
  /* The names of the API components that are not operational, in the
   * page's English ("Chat Completions, Batch"), for a detail line; NULL
   * when there are none or the page could not be read. */
  char                *server_description;
  /* Unix time in microseconds of the reading (or of the failure). */
  gint64               checked_at;
} BgptStatusReport;

GType             bgpt_status_report_get_type (void) G_GNUC_CONST;
BgptStatusReport *bgpt_status_report_copy     (const BgptStatusReport *report);
void              bgpt_status_report_free     (BgptStatusReport       *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BgptStatusReport, bgpt_status_report_free)

#define BGPT_TYPE_STATUS_PAGE (bgpt_status_page_get_type ())

G_DECLARE_FINAL_TYPE (BgptStatusPage, bgpt_status_page, BGPT, STATUS_PAGE, GObject)

/* Reads {base-url}/api/v2/summary.json through the HTTP policy of bgpt-http
 * (no redirects, body cap, https:// or loopback http:// only) and reports on
 * the components of the API only: the page's overall indicator also covers
 * ChatGPT and Sora. Readings are cached; calls made while a request is in
 * flight share it. A failure of any kind (timeout, transport, non-200, bad
 * JSON, no API component) is an UNKNOWN report, never an error. Use on the
 * main thread. */

/* @base_url: NULL for BGPT_STATUS_PAGE_DEFAULT_BASE_URL. */
BgptStatusPage   *bgpt_status_page_new            (const char          *base_url);
const char       *bgpt_status_page_get_base_url   (BgptStatusPage      *self);
void              bgpt_status_page_set_timeout    (BgptStatusPage      *self,
                                                   guint                timeout_s);
void              bgpt_status_page_set_cache_ttl  (BgptStatusPage      *self,
                                                   guint                ttl_s,
                                                   guint                failure_ttl_s);

/* Finishes with the cached report while it is fresh, else after one request
 * (bounded by the timeout). */
void              bgpt_status_page_get_status_async  (BgptStatusPage      *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
/* Never NULL, except with G_IO_ERROR_CANCELLED when @cancellable was
 * cancelled. */
BgptStatusReport *bgpt_status_page_get_status_finish (BgptStatusPage      *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* The latest report, fresh or not, or NULL before the first one. It is also
 * the ::report property, notified on each new reading. */
const BgptStatusReport *bgpt_status_page_get_report  (BgptStatusPage     *self);

G_END_DECLS
