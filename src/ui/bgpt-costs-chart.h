/* bgpt-costs-chart.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "bgpt-costs.h"

G_BEGIN_DECLS

#define BGPT_TYPE_COSTS_CHART (bgpt_costs_chart_get_type ())

G_DECLARE_FINAL_TYPE (BgptCostsChart, bgpt_costs_chart, BGPT, COSTS_CHART, GtkWidget)

/* The daily cost of the last BGPT_COSTS_DAYS days up to today as bars,
 * drawn with GtkSnapshot, and the budget spread over the month's days as a
 * line. An image to assistive technologies: its description is set by
 * whoever shows it, with the same figures in words. */
GtkWidget *bgpt_costs_chart_new      (void);
/* @costs NULL: no bars. @daily_budget_usd 0: no line. */
void       bgpt_costs_chart_set_data (BgptCostsChart  *self,
                                      const BgptCosts *costs,
                                      GDateTime       *now,
                                      double           daily_budget_usd);
/* The bar of each day, oldest first (BGPT_COSTS_DAYS of them). */
const double *bgpt_costs_chart_get_days (BgptCostsChart *self);

G_END_DECLS
