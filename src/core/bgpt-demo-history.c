/* bgpt-demo-history.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-demo"

#include "config.h"

#include "bgpt-demo-history.h"
#include "bgpt-diagnosis.h"
#include "bgpt-history-recorder.h"

#define STEP_S 300
#define DAY_S (24 * 3600)

static const char * const demo_checks[] = {
  BGPT_CHECK_KOMMO_ACCOUNT,
  BGPT_CHECK_OPENAI_KEY,
  BGPT_CHECK_OPENAI_MODEL,
  BGPT_CHECK_OPENAI_ASSISTANT,
};

/* What happened to @check at @ago seconds before now: the same day every
 * time, so that the demo and its screenshots tell one story. */
static BgptHistoryResult
demo_result (guint  check,
             gint64 time,
             gint64 ago)
{
  gboolean openai = check > 0;
  BgptHistoryResult result = { time, 0, BGPT_OUTCOME_OK, NULL };
  /* A steady jitter, 0 to 96. */
  guint32 jitter = (guint32) ((time / STEP_S * 37 + check * 11) % 97);

  result.elapsed_ms = (openai ? 180 : 90) + jitter * (openai ? 3 : 1);

  /* Offline for 25 minutes in the early hours: no failure, just a gap. */
  if (ago > 19 * 3600 && ago <= 19 * 3600 + 25 * 60)
    {
      result.outcome = BGPT_OUTCOME_UNKNOWN;
      result.elapsed_ms = 0;
      return result;
    }

  /* A slow morning at OpenAI, with two timeouts. */
  if (openai && ago > 6 * 3600 && ago <= 8 * 3600)
    {
      result.elapsed_ms = 2500 + jitter * 90;
      if (check == 1 && (ago / STEP_S) % 11 == 0)
        {
          result.outcome = BGPT_OUTCOME_FAILED;
          result.error_id = "openai.timeout";
          result.elapsed_ms = 20000;
        }
    }

  /* The key refused for 20 minutes: its dependents wait, not fail. */
  if (openai && ago > 3 * 3600 && ago <= 3 * 3600 + 20 * 60)
    {
      if (check == 1)
        {
          result.outcome = BGPT_OUTCOME_FAILED;
          result.error_id = "openai.auth";
          result.elapsed_ms = 150 + jitter;
        }
      else
        {
          result.outcome = BGPT_OUTCOME_BLOCKED;
          result.elapsed_ms = 0;
        }
    }
  return result;
}

void
bgpt_demo_history_generate_day (BgptHistory *history,
                                const char  *account_id,
                                gint64       now)
{
  g_autoptr(GArray) results = g_array_new (FALSE, FALSE, sizeof (BgptHistoryResult));

  g_return_if_fail (BGPT_IS_HISTORY (history));

  for (guint check = 0; check < G_N_ELEMENTS (demo_checks); check++)
    {
      g_array_set_size (results, 0);
      for (gint64 time = now - DAY_S + STEP_S; time < now; time += STEP_S)
        {
          BgptHistoryResult result = demo_result (check, time, now - time);

          if (result.error_id != NULL)
            result.error_id = g_intern_static_string (result.error_id);
          g_array_append_val (results, result);
        }
      bgpt_history_set_check (history, account_id, demo_checks[check], NULL, results);
    }
}

void
bgpt_demo_history_generate (BgptHistory *history,
                            const char  *account_id,
                            gint64       now,
                            guint        n_days)
{
  g_autoptr(GArray) hours = g_array_new (FALSE, FALSE, sizeof (BgptHistoryHour));
  g_autoptr(GArray) results = g_array_new (FALSE, FALSE, sizeof (BgptHistoryResult));
  gint64 first_raw = now - BGPT_HISTORY_FULL_RESOLUTION_S;

  g_return_if_fail (BGPT_IS_HISTORY (history));

  for (guint check = 0; check < G_N_ELEMENTS (demo_checks); check++)
    {
      g_array_set_size (hours, 0);
      g_array_set_size (results, 0);
      /* Older than the full resolution: an hour of 12 results each, the
       * day's story told hour by hour. */
      for (gint64 hour = (now - (gint64) n_days * DAY_S) / 3600 * 3600 + 3600; hour + 3600 <= first_raw; hour += 3600)
        {
          BgptHistoryHour aggregate = { .hour = hour };
          guint32 worst = 0;

          for (gint64 time = hour; time < hour + 3600; time += STEP_S)
            {
              BgptHistoryResult result = demo_result (check, time, (now - time) % DAY_S);

              aggregate.counts[result.outcome]++;
              worst = MAX (worst, result.elapsed_ms);
              if (result.error_id != NULL)
                aggregate.error_id = g_intern_static_string (result.error_id);
              if (time == hour + 1800)
                aggregate.median_ms = result.elapsed_ms;
            }
          aggregate.worst_ms = worst;
          g_array_append_val (hours, aggregate);
        }
      for (gint64 time = first_raw + STEP_S; time < now; time += STEP_S)
        {
          BgptHistoryResult result = demo_result (check, time, (now - time) % DAY_S);

          if (result.error_id != NULL)
            result.error_id = g_intern_static_string (result.error_id);
          g_array_append_val (results, result);
        }
      bgpt_history_set_check (history, account_id, demo_checks[check], hours, results);
    }
}

BgptHistory *
bgpt_demo_history_new (BgptMonitor *monitor,
                       const char  *directory,
                       const char  *account_id)
{
  BgptHistory *history;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (BGPT_IS_MONITOR (monitor), NULL);
  g_return_val_if_fail (directory != NULL, NULL);

  history = bgpt_history_new (directory);
  /* A fresh temporary directory: nothing to read, at once. */
  if (!bgpt_history_load (history, &error)
      || (bgpt_demo_history_generate_day (history, account_id, g_get_real_time () / G_USEC_PER_SEC),
          !bgpt_history_save (history, account_id, &error)))
    g_warning ("Demo history not written: %s", error->message);
  bgpt_history_follow_monitor (history, monitor);
  return history;
}
