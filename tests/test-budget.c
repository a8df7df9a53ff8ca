/* test-budget.c: the month's spend, the pace and the projection, and the
 * openai.budget diagnosis, as pure arithmetic over daily costs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib.h>

#include "bgpt-budget.h"

static gint64
day_start (int year,
           int month,
           int day)
{
  g_autoptr(GDateTime) time = g_date_time_new_utc (year, month, day, 0, 0, 0);

  return g_date_time_to_unix (time);
}

/* @n daily costs from year-month-day on. */
static GArray *
days_from (int           year,
           int           month,
           int           day,
           const double *usd,
           guint         n)
{
  GArray *days = g_array_new (FALSE, TRUE, sizeof (BgptCostsDay));
  gint64 start = day_start (year, month, day);

  for (guint i = 0; i < n; i++)
    {
      BgptCostsDay cost = { start + (gint64) i * 86400, usd[i] };

      g_array_append_val (days, cost);
    }
  return days;
}

static GDateTime *
utc (int    year,
     int    month,
     int    day,
     int    hour)
{
  return g_date_time_new_utc (year, month, day, hour, 0, 0);
}

static void
assert_reached_on (const BgptSpend *spend,
                   const char      *expected)
{
  g_autofree char *reached_on = bgpt_spend_dup_reached_on (spend);

  g_assert_cmpstr (reached_on, ==, expected);
}

/* The spend of @days as of @now against @budget. */
static void
compute (GArray    *days,
         GDateTime *now,
         double     budget,
         BgptSpend *spend)
{
  bgpt_spend_compute ((BgptCostsDay *) days->data, days->len, now, budget, spend);
}

/* What the month has spent, the pace, the days to come and the month's
 * projected total. */
static void
assert_projection (const BgptSpend *spend,
                   double           month_to_date,
                   double           daily_average,
                   guint            days_left,
                   double           projected)
{
  g_assert_cmpfloat_with_epsilon (spend->month_to_date_usd, month_to_date, 1e-9);
  g_assert_cmpfloat_with_epsilon (spend->daily_average_usd, daily_average, 1e-9);
  g_assert_cmpuint (spend->days_left, ==, days_left);
  g_assert_cmpfloat_with_epsilon (spend->projected_usd, projected, 1e-9);
}

/* The first of the month: yesterday belongs to the pace, not to the month. */
static void
test_first_day (void)
{
  /* 2026-11-23 .. 2026-12-01: 9 days of 10 each, today's partial 4. */
  const double usd[] = { 99, 10, 10, 10, 10, 10, 10, 10, 4 };
  g_autoptr(GArray) days = days_from (2026, 11, 23, usd, G_N_ELEMENTS (usd));
  g_autoptr(GDateTime) now = utc (2026, 12, 1, 10);
  BgptSpend spend;

  compute (days, now, 500, &spend);
  /* Nov 24..30: the 99 of Nov 23 is eight days ago. */
  assert_projection (&spend, 4, 10, 30, 304);
  g_assert_cmpfloat (spend.budget_usd, ==, 500);
  /* 4 + 10 × 50 = 504 on the 50th day: not this month. */
  assert_reached_on (&spend, NULL);

  compute (days, now, 250, &spend);
  /* 4 + 10 × 25 = 254 ≥ 250 by the end of 2026-12-26. */
  assert_reached_on (&spend, "2026-12-26");
}

/* The last day: nothing is left to project. */
static void
test_last_day (void)
{
  const double usd[] = { 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
                         5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 2 };
  g_autoptr(GArray) days = days_from (2026, 12, 1, usd, G_N_ELEMENTS (usd));
  g_autoptr(GDateTime) now = utc (2026, 12, 31, 23);
  BgptSpend spend;

  compute (days, now, 200, &spend);
  assert_projection (&spend, 152, 5, 0, 152);
  assert_reached_on (&spend, NULL);

  /* Already over: the day the month's total passed 100 (5 × 20). */
  compute (days, now, 100, &spend);
  assert_reached_on (&spend, "2026-12-20");
}

/* A 28-day February, and a leap year's 29. */
static void
test_february (void)
{
  const double usd[] = { 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3 };
  g_autoptr(GArray) days = days_from (2027, 2, 1, usd, G_N_ELEMENTS (usd));
  g_autoptr(GArray) leap_days = days_from (2028, 2, 1, usd, G_N_ELEMENTS (usd));
  g_autoptr(GDateTime) now = utc (2027, 2, 14, 12);
  g_autoptr(GDateTime) leap_now = utc (2028, 2, 14, 12);
  BgptSpend spend;

  compute (days, now, 80, &spend);
  g_assert_cmpfloat_with_epsilon (spend.month_to_date_usd, 42, 1e-9);
  g_assert_cmpuint (spend.days_left, ==, 14);
  g_assert_cmpfloat_with_epsilon (spend.projected_usd, 84, 1e-9);
  /* 42 + 3 × 13 = 81 ≥ 80 at the end of the 27th. */
  assert_reached_on (&spend, "2027-02-27");

  compute (leap_days, leap_now, 80, &spend);
  g_assert_cmpuint (spend.days_left, ==, 15);
  g_assert_cmpfloat_with_epsilon (spend.projected_usd, 87, 1e-9);
}

/* No spend at all, and no costs at all: zeros, no date, no diagnosis. */
static void
test_no_spend (void)
{
  const double usd[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
  g_autoptr(GArray) days = days_from (2026, 12, 1, usd, G_N_ELEMENTS (usd));
  g_autoptr(GDateTime) now = utc (2026, 12, 10, 8);
  g_autoptr(BgptDiagnosis) diagnosis = NULL;
  BgptSpend spend;

  compute (days, now, 100, &spend);
  g_assert_cmpfloat (spend.month_to_date_usd, ==, 0);
  g_assert_cmpfloat (spend.daily_average_usd, ==, 0);
  g_assert_cmpfloat (spend.projected_usd, ==, 0);
  assert_reached_on (&spend, NULL);
  diagnosis = bgpt_budget_diagnose (&spend, "openai.costs", 80, 100);
  g_assert_true (bgpt_diagnosis_is_ok (diagnosis));
  g_clear_pointer (&diagnosis, bgpt_diagnosis_free);

  bgpt_spend_compute (NULL, 0, now, 0, &spend);
  g_assert_cmpfloat (spend.month_to_date_usd, ==, 0);
  g_assert_cmpfloat (spend.budget_usd, ==, 0);
  diagnosis = bgpt_budget_diagnose (&spend, "openai.costs", 80, 100);
  g_assert_true (bgpt_diagnosis_is_ok (diagnosis));
}

/* One expensive day inside the week sets the pace for the rest of the
 * month; outside the week it only counts in the month. */
static void
test_one_spike (void)
{
  double usd[15] = { 0 };
  g_autoptr(GArray) days = NULL;
  g_autoptr(GDateTime) now = utc (2026, 12, 15, 9);
  g_autoptr(BgptDiagnosis) diagnosis = NULL;
  BgptSpend spend;
  GDate date;
  char expected[64];

  usd[11] = 70;  /* 2026-12-12 */
  days = days_from (2026, 12, 1, usd, G_N_ELEMENTS (usd));
  compute (days, now, 200, &spend);
  assert_projection (&spend, 70, 10, 16, 230);
  /* 70 + 10 × 13 = 200 exactly at the end of 2026-12-28. */
  assert_reached_on (&spend, "2026-12-28");

  diagnosis = bgpt_budget_diagnose (&spend, "openai.costs", 80, 100);
  g_assert_cmpstr (diagnosis->error_id, ==, "openai.budget");
  g_assert_cmpstr (diagnosis->reason, ==, "projected");
  g_assert_cmpstr (diagnosis->check, ==, "openai.costs");
  /* The date as the locale writes it. */
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 28, G_DATE_DECEMBER, 2026);
  g_date_strftime (expected, sizeof expected, "%x", &date);
  g_assert_nonnull (strstr (diagnosis->detail, expected));
  g_clear_pointer (&diagnosis, bgpt_diagnosis_free);

  /* The same spike two weeks back: the week is quiet again. */
  g_clear_pointer (&days, g_array_unref);
  memset (usd, 0, sizeof usd);
  usd[2] = 70;
  days = days_from (2026, 12, 1, usd, G_N_ELEMENTS (usd));
  compute (days, now, 200, &spend);
  g_assert_cmpfloat_with_epsilon (spend.month_to_date_usd, 70, 1e-9);
  g_assert_cmpfloat (spend.daily_average_usd, ==, 0);
  g_assert_cmpfloat_with_epsilon (spend.projected_usd, 70, 1e-9);
  diagnosis = bgpt_budget_diagnose (&spend, "openai.costs", 80, 100);
  g_assert_true (bgpt_diagnosis_is_ok (diagnosis));
}

/* The thresholds: the projection warns from the first, the spend is
 * critical from the last. */
static void
test_thresholds (void)
{
  BgptSpend spend = { .month_to_date_usd = 50, .projected_usd = 79.99, .budget_usd = 100 };
  g_autoptr(BgptDiagnosis) diagnosis = NULL;

  g_date_clear (&spend.reached_on, 1);
  diagnosis = bgpt_budget_diagnose (&spend, "openai.costs", 80, 100);
  g_assert_true (bgpt_diagnosis_is_ok (diagnosis));
  g_clear_pointer (&diagnosis, bgpt_diagnosis_free);

  spend.projected_usd = 80;
  diagnosis = bgpt_budget_diagnose (&spend, "openai.costs", 80, 100);
  g_assert_cmpstr (diagnosis->reason, ==, "projected");
  g_clear_pointer (&diagnosis, bgpt_diagnosis_free);

  spend.month_to_date_usd = 100;
  spend.projected_usd = 130;
  diagnosis = bgpt_budget_diagnose (&spend, "openai.costs", 80, 100);
  g_assert_cmpstr (diagnosis->error_id, ==, "openai.budget");
  g_assert_cmpstr (diagnosis->reason, ==, "spent");
  g_clear_pointer (&diagnosis, bgpt_diagnosis_free);

  /* A last threshold above the budget leaves room. */
  diagnosis = bgpt_budget_diagnose (&spend, "openai.costs", 80, 120);
  g_assert_cmpstr (diagnosis->reason, ==, "projected");
  g_clear_pointer (&diagnosis, bgpt_diagnosis_free);

  /* Without a budget nothing is judged. */
  spend.budget_usd = 0;
  diagnosis = bgpt_budget_diagnose (&spend, "openai.costs", 80, 100);
  g_assert_true (bgpt_diagnosis_is_ok (diagnosis));
}

/* The month is the UTC one, whatever the clock's zone says. */
static void
test_utc_month (void)
{
  const double usd[] = { 7, 1 };
  g_autoptr(GArray) days = days_from (2026, 11, 30, usd, G_N_ELEMENTS (usd));
  g_autoptr(GTimeZone) sao_paulo = g_time_zone_new_offset (-3 * 3600);
  /* 22:00 on Nov 30 in São Paulo is 01:00 on Dec 1 in UTC. */
  g_autoptr(GDateTime) now = g_date_time_new (sao_paulo, 2026, 11, 30, 22, 0, 0);
  BgptSpend spend;

  compute (days, now, 0, &spend);
  g_assert_cmpfloat_with_epsilon (spend.month_to_date_usd, 1, 1e-9);
  g_assert_cmpfloat_with_epsilon (spend.daily_average_usd, 1, 1e-9);
  g_assert_cmpuint (spend.days_left, ==, 30);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/budget/first-day", test_first_day);
  g_test_add_func ("/budget/last-day", test_last_day);
  g_test_add_func ("/budget/february", test_february);
  g_test_add_func ("/budget/no-spend", test_no_spend);
  g_test_add_func ("/budget/one-spike", test_one_spike);
  g_test_add_func ("/budget/thresholds", test_thresholds);
  g_test_add_func ("/budget/utc-month", test_utc_month);

  return g_test_run ();
}
