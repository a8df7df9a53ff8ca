/* bgpt-uptime.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-uptime"

#include "config.h"

#include "bgpt-uptime.h"

typedef struct
{
  guint32 value;
  guint32 weight;
} Weighted;

static int
compare_weighted (gconstpointer a,
                  gconstpointer b)
{
  const Weighted *x = a, *y = b;

  return (x->value > y->value) - (x->value < y->value);
}

/* The median of values each counted @weight times; an hour's median stands
 * for each of its answered results. Exact for raw results. */
static guint32
weighted_median (GArray *values)
{
  guint64 total = 0;
  guint64 seen = 0;

  if (values->len == 0)
    return 0;
  g_array_sort (values, compare_weighted);
  for (guint i = 0; i < values->len; i++)
    total += g_array_index (values, Weighted, i).weight;
  for (guint i = 0; i < values->len; i++)
    {
      const Weighted *item = &g_array_index (values, Weighted, i);

      seen += item->weight;
      if (seen * 2 == total && i + 1 < values->len)
        return item->value + (g_array_index (values, Weighted, i + 1).value - item->value) / 2;
      if (seen * 2 >= total)
        return item->value;
    }
  return g_array_index (values, Weighted, values->len - 1).value;
}

static gboolean
is_answered (BgptOutcome outcome)
{
  return outcome == BGPT_OUTCOME_OK || outcome == BGPT_OUTCOME_FAILED;
}

static void
add_result (BgptUptime              *out,
            GArray                  *latencies,
            const BgptHistoryResult *result)
{
  out->counts[result->outcome]++;
  if (is_answered (result->outcome))
    {
      Weighted item = { result->elapsed_ms, 1 };

      g_array_append_val (latencies, item);
      out->worst_ms = MAX (out->worst_ms, result->elapsed_ms);
    }
  if (result->outcome == BGPT_OUTCOME_FAILED && result->error_id != NULL)
    out->error_id = result->error_id;
}

static void
add_hour (BgptUptime            *out,
          GArray                *latencies,
          const BgptHistoryHour *hour)
{
  guint32 answered = hour->counts[BGPT_OUTCOME_OK] + hour->counts[BGPT_OUTCOME_FAILED];

  for (guint i = 0; i < BGPT_N_OUTCOMES; i++)
    out->counts[i] += hour->counts[i];
  if (answered > 0)
    {
      Weighted item = { hour->median_ms, answered };

      g_array_append_val (latencies, item);
      out->worst_ms = MAX (out->worst_ms, hour->worst_ms);
    }
  if (hour->error_id != NULL)
    out->error_id = hour->error_id;
}

/* The first index of a sorted array of BgptHistoryResult or
 * BgptHistoryHour (both start with their time) whose time is at least
 * @time. */
static guint
first_from (GArray *array,
            gint64  time)
{
  guint size = g_array_get_element_size (array);
  guint low = 0, high = array->len;

  G_STATIC_ASSERT (G_STRUCT_OFFSET (BgptHistoryResult, time) == 0);
  G_STATIC_ASSERT (G_STRUCT_OFFSET (BgptHistoryHour, hour) == 0);

  while (low < high)
    {
      guint middle = low + (high - low) / 2;

      if (*(const gint64 *) (array->data + (gsize) middle * size) < time)
        low = middle + 1;
      else
        high = middle;
    }
  return low;
}

void
bgpt_uptime_compute (GArray     *results,
                     GArray     *hours,
                     gint64      since,
                     gint64      until,
                     BgptUptime *out)
{
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (Weighted));

  g_return_if_fail (results != NULL && hours != NULL && out != NULL);

  *out = (BgptUptime) { .start = since };
  /* Hours first: they are older than the results that are still raw. */
  for (guint i = first_from (hours, since);
       i < hours->len && g_array_index (hours, BgptHistoryHour, i).hour < until; i++)
    add_hour (out, latencies, &g_array_index (hours, BgptHistoryHour, i));
  for (guint i = first_from (results, since);
       i < results->len && g_array_index (results, BgptHistoryResult, i).time < until; i++)
    add_result (out, latencies, &g_array_index (results, BgptHistoryResult, i));
  out->median_ms = weighted_median (latencies);
}

double
bgpt_uptime_get_ratio (const BgptUptime *uptime)
{
  guint64 answered = (guint64) uptime->counts[BGPT_OUTCOME_OK] + uptime->counts[BGPT_OUTCOME_FAILED];

  if (answered == 0)
    return -1.0;
  return (double) uptime->counts[BGPT_OUTCOME_OK] / (double) answered;
}

guint32
bgpt_uptime_get_failures (const BgptUptime *uptime)
{
  return uptime->counts[BGPT_OUTCOME_FAILED];
}

GArray *
bgpt_uptime_buckets (GArray *results,
                     GArray *hours,
                     gint64  since,
                     gint64  width,
                     guint   n_buckets)
{
  GArray *buckets = g_array_sized_new (FALSE, TRUE, sizeof (BgptUptime), n_buckets);

  g_return_val_if_fail (width > 0, buckets);

  for (guint i = 0; i < n_buckets; i++)
    {
      BgptUptime bucket;
      gint64 start = since + (gint64) i * width;

      bgpt_uptime_compute (results, hours, start, start + width, &bucket);
      g_array_append_val (buckets, bucket);
    }
  return buckets;
}

static void
close_period (GArray            *periods,
              BgptFailurePeriod *open)
{
  if (open->n_failed > 0)
    g_array_append_val (periods, *open);
  *open = (BgptFailurePeriod) { 0, };
}

GArray *
bgpt_uptime_failure_periods (GArray *results,
                             GArray *hours,
                             gint64  since,
                             gint64  until)
{
  GArray *periods = g_array_new (FALSE, TRUE, sizeof (BgptFailurePeriod));
  BgptFailurePeriod open = { 0, };

  g_return_val_if_fail (results != NULL && hours != NULL, periods);

  /* An hour with failures is a period of its own unless the hour before
   * failed the same way. */
  for (guint i = first_from (hours, since - 3600);
       i < hours->len && g_array_index (hours, BgptHistoryHour, i).hour < until; i++)
    {
      const BgptHistoryHour *hour = &g_array_index (hours, BgptHistoryHour, i);
      guint32 failed = hour->counts[BGPT_OUTCOME_FAILED];

      if (hour->hour + 3600 <= since)
        continue;
      if (failed > 0 && open.n_failed > 0 && open.error_id == hour->error_id && open.end == hour->hour)
        {
          open.end = hour->hour + 3600;
          open.n_failed += failed;
          continue;
        }
      close_period (periods, &open);
      if (failed > 0)
        open = (BgptFailurePeriod) { hour->hour, hour->hour + 3600, hour->error_id, failed, FALSE };
    }
  close_period (periods, &open);

  for (guint i = 0; i < results->len; i++)
    {
      const BgptHistoryResult *result = &g_array_index (results, BgptHistoryResult, i);

      if (result->time >= until)
        break;
      if (result->outcome == BGPT_OUTCOME_FAILED && open.n_failed > 0 && open.error_id == result->error_id)
        {
          open.end = result->time;
          open.n_failed++;
          continue;
        }
      if (open.n_failed > 0)
        {
          open.end = result->time;
          open.ongoing = FALSE;
          if (open.end > since)
            close_period (periods, &open);
          else
            open = (BgptFailurePeriod) { 0, };
        }
      if (result->outcome == BGPT_OUTCOME_FAILED)
        open = (BgptFailurePeriod) { result->time, result->time, result->error_id, 1, TRUE };
    }
  if (open.n_failed > 0 && open.end >= since)
    close_period (periods, &open);
  return periods;
}
