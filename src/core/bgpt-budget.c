/* bgpt-budget.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-budget"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-budget.h"

#define SECONDS_PER_DAY 86400

/* Days since 1970-01-01, UTC; floor division, so before 1970 too. */
static gint64
day_number (gint64 unix_seconds)
{
  gint64 day = unix_seconds / SECONDS_PER_DAY;

  if (unix_seconds % SECONDS_PER_DAY < 0)
    day--;
  return day;
}

static void
date_of_day (gint64  day,
             GDate  *date)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (day * SECONDS_PER_DAY);

  g_date_clear (date, 1);
  g_date_set_dmy (date, g_date_time_get_day_of_month (time),
                  g_date_time_get_month (time), g_date_time_get_year (time));
}

/* The cost of each day from @first to @last, both included. */
static double *
costs_by_day (const BgptCostsDay *days,
              gsize               n_days,
              gint64              first,
              gint64              last)
{
  double *by_day = g_new0 (double, last - first + 1);

  for (gsize i = 0; i < n_days; i++)
    {
      gint64 day = day_number (days[i].start_time);

      if (day >= first && day <= last)
        by_day[day - first] += days[i].usd;
    }
  return by_day;
}

void
bgpt_spend_compute (const BgptCostsDay *days,
                    gsize               n_days,
                    GDateTime          *now,
                    double              budget_usd,
                    BgptSpend          *spend)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) month_start = NULL;
  g_autofree double *by_day = NULL;
  gint64 today, first_of_month, first;
  guint days_in_month;
  double week = 0.0;

  g_return_if_fail (days != NULL || n_days == 0);
  g_return_if_fail (now != NULL);
  g_return_if_fail (spend != NULL);

  utc = g_date_time_to_utc (now);
  month_start = g_date_time_new_utc (g_date_time_get_year (utc), g_date_time_get_month (utc), 1, 0, 0, 0);
  today = day_number (g_date_time_to_unix (utc));
  first_of_month = day_number (g_date_time_to_unix (month_start));
  first = MIN (first_of_month, today - BGPT_BUDGET_PACE_DAYS);
  days_in_month = g_date_get_days_in_month (g_date_time_get_month (utc), g_date_time_get_year (utc));

  by_day = costs_by_day (days, n_days, first, today);

  *spend = (BgptSpend) { 0 };
  g_date_clear (&spend->reached_on, 1);
  spend->budget_usd = budget_usd > 0.0 ? budget_usd : 0.0;

  for (gint64 day = first_of_month; day <= today; day++)
    spend->month_to_date_usd += by_day[day - first];
  for (gint64 day = today - BGPT_BUDGET_PACE_DAYS; day < today; day++)
    week += by_day[day - first];
  spend->daily_average_usd = week / BGPT_BUDGET_PACE_DAYS;
  spend->days_left = days_in_month - g_date_time_get_day_of_month (utc);
  spend->projected_usd = spend->month_to_date_usd + spend->daily_average_usd * spend->days_left;

  if (spend->budget_usd <= 0.0)
    return;

  if (spend->month_to_date_usd >= spend->budget_usd)
    {
      double total = 0.0;

      for (gint64 day = first_of_month; day <= today; day++)
        {
          total += by_day[day - first];
          if (total >= spend->budget_usd)
            {
              date_of_day (day, &spend->reached_on);
              return;
            }
        }
      return;
    }

  if (spend->daily_average_usd > 0.0)
    {
      /* The first whole day after today by whose end the pace gets there;
       * the tolerance keeps an exact hit from rounding up a day. */
      double needed = (spend->budget_usd - spend->month_to_date_usd) / spend->daily_average_usd;
      gint64 whole_days = (gint64) needed;

      if (needed - whole_days > 1e-9)
        whole_days++;

      if (whole_days < 1)
        whole_days = 1;
      if (whole_days <= (gint64) spend->days_left)
        date_of_day (today + whole_days, &spend->reached_on);
    }
}

/* @spend's reached_on in @format (strftime), or NULL when there is none. */
static char *
format_reached_on (const BgptSpend *spend,
                   const char      *format)
{
  char text[64];

  if (!g_date_valid (&spend->reached_on) ||
      g_date_strftime (text, sizeof text, format, &spend->reached_on) == 0)
    return NULL;
  return g_strdup (text);
}

char *
bgpt_spend_dup_reached_on (const BgptSpend *spend)
{
  g_return_val_if_fail (spend != NULL, NULL);

  return format_reached_on (spend, "%Y-%m-%d");
}

BgptDiagnosis *
bgpt_budget_diagnose (const BgptSpend *spend,
                      const char      *check,
                      guint            warning_percent,
                      guint            critical_percent)
{
  g_autoptr(BgptDiagnosis) diagnosis = NULL;
  g_autofree char *reached_on = NULL;
  double budget;

  g_return_val_if_fail (spend != NULL, NULL);

  budget = spend->budget_usd;
  if (budget <= 0.0 ||
      (spend->month_to_date_usd < budget * critical_percent / 100.0 &&
       spend->projected_usd < budget * warning_percent / 100.0))
    {
      diagnosis = bgpt_diagnosis_new (check, NULL);
      /* Translators: amounts in US dollars */
      diagnosis->subject = g_strdup_printf (_("US$ %.2f this month, US$ %.2f projected"),
                                            spend->month_to_date_usd, spend->projected_usd);
      return g_steal_pointer (&diagnosis);
    }

  if (spend->month_to_date_usd >= budget * critical_percent / 100.0)
    {
      diagnosis = bgpt_diagnosis_new (check, BGPT_DIAGNOSIS_OPENAI_BUDGET);
      diagnosis->reason = g_strdup ("spent");
    }
  else
    {
      diagnosis = bgpt_diagnosis_new (check, BGPT_DIAGNOSIS_OPENAI_BUDGET);
      diagnosis->reason = g_strdup ("projected");
    }

  /* People read the date the way their locale writes it. */
  reached_on = format_reached_on (spend, "%x");
  if (reached_on != NULL)
    /* Translators: amounts in US dollars, then a date in the locale's format */
    diagnosis->detail = g_strdup_printf (_("US$ %.2f spent this month of a US$ %.2f budget; "
                                           "US$ %.2f projected by the end of the month; "
                                           "the budget is reached on %s."),
                                         spend->month_to_date_usd, budget,
                                         spend->projected_usd, reached_on);
  else
    /* Translators: amounts in US dollars */
    diagnosis->detail = g_strdup_printf (_("US$ %.2f spent this month of a US$ %.2f budget; "
                                           "US$ %.2f projected by the end of the month."),
                                         spend->month_to_date_usd, budget, spend->projected_usd);
  return g_steal_pointer (&diagnosis);
}
