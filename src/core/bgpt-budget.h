/* bgpt-budget.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "bgpt-diagnosis.h"

G_BEGIN_DECLS

/* The cost of one UTC day, as the costs API's daily buckets give it. */
typedef struct
{
  gint64 start_time;  /* Unix seconds, 00:00 UTC of the day */
  double usd;
} BgptCostsDay;

/* How many complete days the pace is the average of. */
#define BGPT_BUDGET_PACE_DAYS 7

/* The month's spend and where it is heading, all in US dollars. Pure
 * arithmetic over the daily costs: a day missing from them cost nothing. */
typedef struct
{
  double month_to_date_usd;  /* the UTC calendar month, today's partial day included */
  double daily_average_usd;  /* over the BGPT_BUDGET_PACE_DAYS complete days before today */
  guint  days_left;          /* whole days of the month after today */
  double projected_usd;      /* month to date + daily average × days left */
  double budget_usd;         /* 0: no budget */
  /* The day the month's spend reaches the budget: the past day it did, or
   * the day it will at the current pace; invalid when it will not this
   * month, or there is no budget. */
  GDate  reached_on;
} BgptSpend;

/* Fills @spend from @n_days daily costs (any order, duplicates add up)
 * as of @now, which is taken in UTC. */
void           bgpt_spend_compute     (const BgptCostsDay *days,
                                       gsize               n_days,
                                       GDateTime          *now,
                                       double              budget_usd,
                                       BgptSpend          *spend);

/* "YYYY-MM-DD" of spend->reached_on, or NULL when it is invalid. */
char          *bgpt_spend_dup_reached_on (const BgptSpend *spend);

/* openai.budget when there is a budget and the spend is over
 * @critical_percent of it (reason "spent", critical), or the projection is
 * over @warning_percent of it (reason "projected", a warning); a passing
 * diagnosis of @check otherwise. The detail states the figures. */
BgptDiagnosis *bgpt_budget_diagnose   (const BgptSpend    *spend,
                                       const char         *check,
                                       guint               warning_percent,
                                       guint               critical_percent);

G_END_DECLS
