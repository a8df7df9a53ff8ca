/* bgpt-costs.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bgpt-budget.h"
#include "bgpt-check-config.h"
#include "bgpt-diagnosis.h"
#include "bgpt-http.h"

G_BEGIN_DECLS

/* How many days of costs are read: the chart's 30, which also hold the
 * month and the week before today. */
#define BGPT_COSTS_DAYS 30
/* Daily buckets asked for per page (the API takes 1 to 180). */
#define BGPT_COSTS_PAGE_LIMIT 31
/* A server that keeps saying has_more is not followed further. */
#define BGPT_COSTS_MAX_PAGES 8
/* No one result of a day is believed above this. */
#define BGPT_COSTS_MAX_AMOUNT_USD 1e9

#define BGPT_COSTS_ERROR (bgpt_costs_error_quark ())

typedef enum
{
  BGPT_COSTS_ERROR_SHAPE,     /* not a costs page */
  BGPT_COSTS_ERROR_CURRENCY,  /* an amount not in US dollars */
  BGPT_COSTS_ERROR_AMOUNT,    /* negative, not a number, or implausibly large */
} BgptCostsError;

typedef struct
{
  char   *name;  /* the API's line_item, or "" when it named none */
  double  usd;
} BgptCostsLineItem;

#define BGPT_TYPE_COSTS (bgpt_costs_get_type ())

/* What the costs API said, summed per day and per line item. */
typedef struct
{
  GArray    *days;        /* BgptCostsDay, one per bucket, by start_time */
  GPtrArray *line_items;  /* BgptCostsLineItem, over all the days, largest first */
} BgptCosts;

GQuark         bgpt_costs_error_quark   (void);
GType          bgpt_costs_get_type      (void) G_GNUC_CONST;
BgptCosts     *bgpt_costs_new           (void);
BgptCosts     *bgpt_costs_copy          (const BgptCosts *costs);
void           bgpt_costs_free          (BgptCosts       *costs);

/* Adds one page of GET /organization/costs (@length bytes of @text, read
 * with the bounded JSON reader) to @costs. @next_page is set to the
 * cursor of the next page, or NULL when there is none. On error @costs
 * may hold part of the page. */
gboolean       bgpt_costs_add_page      (BgptCosts       *costs,
                                         const char      *text,
                                         gssize           length,
                                         char           **next_page,
                                         GError         **error);

/* The start of the period read as of @now: 00:00 UTC of the earlier of
 * the month's first day and BGPT_COSTS_DAYS - 1 days before today. */
gint64         bgpt_costs_start_time    (GDateTime       *now);

/* Reads the costs since bgpt_costs_start_time (@now) with @config's admin
 * key, grouped by line item, only @config's project when it names one,
 * page by page under the HTTP policy. Finishes with the diagnosis of
 * BGPT_CHECK_OPENAI_COSTS (a passing one when all was read) and, then,
 * @costs; fails only when cancelled. */
void           bgpt_costs_fetch_async   (BgptHttp              *http,
                                         const BgptCheckConfig *config,
                                         GDateTime             *now,
                                         GCancellable          *cancellable,
                                         GAsyncReadyCallback    callback,
                                         gpointer               user_data);
BgptDiagnosis *bgpt_costs_fetch_finish  (BgptHttp              *http,
                                         GAsyncResult          *result,
                                         BgptCosts            **costs,
                                         GError               **error);

/* What the costs are read for, in words: the organization's, or the
 * project's that @config names. */
char          *bgpt_costs_dup_scope     (const BgptCheckConfig *config);

/* Judges @costs as of @now against @config's budget: fills @spend and
 * returns the diagnosis (openai.budget, or passing) of the costs check. */
BgptDiagnosis *bgpt_costs_judge         (const BgptCosts       *costs,
                                         const BgptCheckConfig *config,
                                         GDateTime             *now,
                                         BgptSpend             *spend);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BgptCosts, bgpt_costs_free)

G_END_DECLS
