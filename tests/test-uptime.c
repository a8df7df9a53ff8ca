/* test-uptime.c: uptime, latency and failure periods from a known history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bgpt-test-utils.h"
#include "bgpt-uptime.h"

#define NOW ((gint64) 1796126400)

/* A check's history: its results and its hours, empty at the start. */
typedef struct
{
  GArray *results;
  GArray *hours;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->results = g_array_new (FALSE, FALSE, sizeof (BgptHistoryResult));
  fixture->hours = g_array_new (FALSE, FALSE, sizeof (BgptHistoryHour));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_array_unref (fixture->results);
  g_array_unref (fixture->hours);
}

/* 24 hours every 5 minutes: 286 ok, 2 failed, an offline stretch and the
 * blocked results of a dependent check in between. */
static void
test_day (Fixture       *fixture,
          gconstpointer  data)
{
  BgptUptime uptime;
  guint i = 0;

  for (gint64 t = NOW - 24 * 3600; t < NOW; t += 300, i++)
    {
      if (i == 100 || i == 101)
        bgpt_test_add_history_result (fixture->results, t, BGPT_OUTCOME_FAILED, "openai.timeout", 20000);
      else if (i >= 200 && i < 230)
        bgpt_test_add_history_result (fixture->results, t, BGPT_OUTCOME_UNKNOWN, NULL, 0);   /* offline for 2.5 h */
      else if (i >= 250 && i < 260)
        bgpt_test_add_history_result (fixture->results, t, BGPT_OUTCOME_BLOCKED, NULL, 0);
      else
        bgpt_test_add_history_result (fixture->results, t, BGPT_OUTCOME_OK, NULL, 100 + i % 3 * 100);
    }
  /* A result before and one after the span count nowhere. */
  g_array_prepend_val (fixture->results, ((BgptHistoryResult) { NOW - 24 * 3600 - 1, 5, BGPT_OUTCOME_FAILED, NULL }));
  bgpt_test_add_history_result (fixture->results, NOW, BGPT_OUTCOME_FAILED, "openai.auth", 5);

  bgpt_uptime_compute (fixture->results, fixture->hours, NOW - 24 * 3600, NOW, &uptime);
  g_assert_cmpuint (uptime.counts[BGPT_OUTCOME_OK], ==, 288 - 2 - 30 - 10);
  g_assert_cmpuint (bgpt_uptime_get_failures (&uptime), ==, 2);
  g_assert_cmpuint (uptime.counts[BGPT_OUTCOME_UNKNOWN], ==, 30);
  g_assert_cmpuint (uptime.counts[BGPT_OUTCOME_BLOCKED], ==, 10);
  /* Offline and blocked count neither way: 246 of 248. */
  g_assert_cmpfloat_with_epsilon (bgpt_uptime_get_ratio (&uptime), 246.0 / 248.0, 1e-9);
  g_assert_cmpuint (uptime.worst_ms, ==, 20000);
  g_assert_cmpuint (uptime.median_ms, ==, 200);
  g_assert_cmpstr (uptime.error_id, ==, "openai.timeout");
}

static void
test_median (Fixture       *fixture,
             gconstpointer  data)
{
  BgptUptime uptime;

  bgpt_uptime_compute (fixture->results, fixture->hours, NOW - 10, NOW, &uptime);
  g_assert_cmpfloat (bgpt_uptime_get_ratio (&uptime), <, 0.0);
  g_assert_cmpuint (uptime.median_ms, ==, 0);

  bgpt_test_add_history_result (fixture->results, NOW - 4, BGPT_OUTCOME_OK, NULL, 100);
  bgpt_test_add_history_result (fixture->results, NOW - 3, BGPT_OUTCOME_OK, NULL, 400);
  bgpt_test_add_history_result (fixture->results, NOW - 2, BGPT_OUTCOME_FAILED, "openai.connection", 300);
  bgpt_test_add_history_result (fixture->results, NOW - 1, BGPT_OUTCOME_OK, NULL, 200);
  bgpt_uptime_compute (fixture->results, fixture->hours, NOW - 10, NOW, &uptime);
  g_assert_cmpuint (uptime.median_ms, ==, 250);
  g_assert_cmpfloat_with_epsilon (bgpt_uptime_get_ratio (&uptime), 0.75, 1e-9);
}

/* Thirty days: hours past the full resolution, results since. */
static void
test_month (Fixture       *fixture,
            gconstpointer  data)
{
  gint64 since = NOW - 30 * 24 * 3600;
  BgptUptime uptime;

  for (gint64 h = since - 24 * 3600; h < NOW - 48 * 3600; h += 3600)
    {
      BgptHistoryHour hour = { h, { 12, 0, 0, 0 }, 150, 300, NULL };

      if (h == NOW - 10 * 24 * 3600)
        {
          hour.counts[BGPT_OUTCOME_OK] = 0;
          hour.counts[BGPT_OUTCOME_FAILED] = 12;
          hour.error_id = g_intern_static_string ("kommo.auth");
          hour.worst_ms = 5000;
        }
      if (h == NOW - 9 * 24 * 3600)
        {
          hour.counts[BGPT_OUTCOME_OK] = 0;
          hour.counts[BGPT_OUTCOME_UNKNOWN] = 1;
        }
      g_array_append_val (fixture->hours, hour);
    }
  for (gint64 t = NOW - 48 * 3600; t < NOW; t += 300)
    bgpt_test_add_history_result (fixture->results, t, BGPT_OUTCOME_OK, NULL, 90);

  bgpt_uptime_compute (fixture->results, fixture->hours, since, NOW, &uptime);
  /* 28 days of hours (one failed, one offline) and 2 days of results. */
  g_assert_cmpuint (uptime.counts[BGPT_OUTCOME_FAILED], ==, 12);
  g_assert_cmpuint (uptime.counts[BGPT_OUTCOME_OK], ==, (28 * 24 - 2) * 12 + 2 * 288);
  g_assert_cmpuint (uptime.counts[BGPT_OUTCOME_UNKNOWN], ==, 1);
  g_assert_cmpfloat_with_epsilon (bgpt_uptime_get_ratio (&uptime),
                                  ((28 * 24 - 2) * 12 + 2 * 288) / ((28 * 24 - 2) * 12 + 2 * 288 + 12.0), 1e-9);
  /* Weighted by answers: hours of 150 ms outweigh two days of 90 ms. */
  g_assert_cmpuint (uptime.median_ms, ==, 150);
  g_assert_cmpuint (uptime.worst_ms, ==, 5000);
  g_assert_cmpstr (uptime.error_id, ==, "kommo.auth");

  /* Buckets of six hours: the failed hour lands in one of them. */
  {
    g_autoptr(GArray) buckets = bgpt_uptime_buckets (fixture->results, fixture->hours, since, 6 * 3600, 120);
    guint with_failures = 0;

    g_assert_cmpuint (buckets->len, ==, 120);
    for (guint i = 0; i < buckets->len; i++)
      {
        BgptUptime *bucket = &g_array_index (buckets, BgptUptime, i);

        g_assert_cmpint (bucket->start, ==, since + (gint64) i * 6 * 3600);
        if (bucket->counts[BGPT_OUTCOME_FAILED] > 0)
          {
            with_failures++;
            g_assert_cmpint (bucket->start, <=, NOW - 10 * 24 * 3600);
            g_assert_cmpint (bucket->start + 6 * 3600, >, NOW - 10 * 24 * 3600);
            g_assert_cmpuint (bucket->worst_ms, ==, 5000);
          }
      }
    g_assert_cmpuint (with_failures, ==, 1);
  }

  {
    g_autoptr(GArray) periods = bgpt_uptime_failure_periods (fixture->results, fixture->hours, since, NOW);
    BgptFailurePeriod *period;

    g_assert_cmpuint (periods->len, ==, 1);
    period = &g_array_index (periods, BgptFailurePeriod, 0);
    g_assert_cmpint (period->start, ==, NOW - 10 * 24 * 3600);
    g_assert_cmpint (period->end, ==, NOW - 10 * 24 * 3600 + 3600);
    g_assert_cmpstr (period->error_id, ==, "kommo.auth");
    g_assert_false (period->ongoing);
  }
}

static void
test_failure_periods (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GArray) periods = NULL;
  BgptFailurePeriod *period;

  bgpt_test_add_history_result (fixture->results, NOW - 100, BGPT_OUTCOME_OK, NULL, 1);
  bgpt_test_add_history_result (fixture->results, NOW - 90, BGPT_OUTCOME_FAILED, "openai.timeout", 1);
  bgpt_test_add_history_result (fixture->results, NOW - 80, BGPT_OUTCOME_FAILED, "openai.timeout", 1);
  bgpt_test_add_history_result (fixture->results, NOW - 70, BGPT_OUTCOME_FAILED, "openai.connection", 1);
  bgpt_test_add_history_result (fixture->results, NOW - 60, BGPT_OUTCOME_UNKNOWN, NULL, 0);      /* offline ends it */
  bgpt_test_add_history_result (fixture->results, NOW - 50, BGPT_OUTCOME_OK, NULL, 1);
  bgpt_test_add_history_result (fixture->results, NOW - 40, BGPT_OUTCOME_FAILED, "openai.auth", 1);
  bgpt_test_add_history_result (fixture->results, NOW - 30, BGPT_OUTCOME_FAILED, "openai.auth", 1);

  periods = bgpt_uptime_failure_periods (fixture->results, fixture->hours, NOW - 1000, NOW);
  g_assert_cmpuint (periods->len, ==, 3);
  period = &g_array_index (periods, BgptFailurePeriod, 0);
  g_assert_cmpint (period->start, ==, NOW - 90);
  g_assert_cmpint (period->end, ==, NOW - 70);
  g_assert_cmpuint (period->n_failed, ==, 2);
  g_assert_cmpstr (period->error_id, ==, "openai.timeout");
  period = &g_array_index (periods, BgptFailurePeriod, 1);
  g_assert_cmpint (period->start, ==, NOW - 70);
  g_assert_cmpint (period->end, ==, NOW - 60);
  g_assert_cmpstr (period->error_id, ==, "openai.connection");
  g_assert_false (period->ongoing);
  period = &g_array_index (periods, BgptFailurePeriod, 2);
  g_assert_cmpint (period->start, ==, NOW - 40);
  g_assert_cmpint (period->end, ==, NOW - 30);
  g_assert_true (period->ongoing);

  /* Only what overlaps the span. */
  g_clear_pointer (&periods, g_array_unref);
  periods = bgpt_uptime_failure_periods (fixture->results, fixture->hours, NOW - 65, NOW - 45);
  g_assert_cmpuint (periods->len, ==, 1);
  g_assert_cmpstr (g_array_index (periods, BgptFailurePeriod, 0).error_id, ==, "openai.connection");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/uptime/day", Fixture, NULL, fixture_set_up, test_day, fixture_tear_down);
  g_test_add ("/uptime/median", Fixture, NULL, fixture_set_up, test_median, fixture_tear_down);
  g_test_add ("/uptime/month", Fixture, NULL, fixture_set_up, test_month, fixture_tear_down);
  g_test_add ("/uptime/failure-periods", Fixture, NULL, fixture_set_up, test_failure_periods, fixture_tear_down);

  return g_test_run ();
}
