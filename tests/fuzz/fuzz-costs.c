/* fuzz-costs.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the costs reader. The input is one answer of
 * GET /organization/costs, as a hostile or broken server could send it; it
 * is read the way the app reads it (bgpt_costs_add_page()) and then judged
 * against a budget. Asserted: the page is taken or refused with a
 * BGPT_COSTS_ERROR; what is taken has finite, non-negative, bounded days and
 * line items, in order; and the spend made of it is finite.
 */

#define G_LOG_DOMAIN "bgpt-fuzz"

#include "config.h"

#include <math.h>

#include "bgpt-costs.h"
#include "fuzz-common.h"

BGPT_FUZZ_DEFINE_INITIALIZE ()

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(BgptCosts) costs = bgpt_costs_new ();
  g_autoptr(BgptCheckConfig) config = bgpt_check_config_new ("fuzz");
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 12, 15, 12, 0, 0);
  g_autoptr(BgptDiagnosis) diagnosis = NULL;
  g_autofree char *next_page = NULL;
  g_autoptr(GError) error = NULL;
  BgptSpend spend;

  if (!bgpt_costs_add_page (costs, (const char *) data, size, &next_page, &error))
    {
      g_assert_true (error != NULL && error->domain == BGPT_COSTS_ERROR);
      g_assert_null (next_page);
      return 0;
    }
  g_assert_no_error (error);
  g_assert_true (next_page == NULL || *next_page != '\0');

  for (guint i = 0; i < costs->days->len; i++)
    {
      const BgptCostsDay *day = &g_array_index (costs->days, BgptCostsDay, i);

      g_assert_true (isfinite (day->usd) && day->usd >= 0.0);
      if (i > 0)
        g_assert_cmpint (day->start_time, >, g_array_index (costs->days, BgptCostsDay, i - 1).start_time);
    }
  for (guint i = 0; i < costs->line_items->len; i++)
    {
      const BgptCostsLineItem *item = g_ptr_array_index (costs->line_items, i);

      g_assert_nonnull (item->name);
      g_assert_true (isfinite (item->usd) && item->usd >= 0.0);
    }

  config->monthly_budget_usd = 100;
  diagnosis = bgpt_costs_judge (costs, config, now, &spend);
  g_assert_nonnull (diagnosis);
  g_assert_true (isfinite (spend.month_to_date_usd) && isfinite (spend.projected_usd));
  return 0;
}
