/* bgpt-history-recorder.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-history"

#include "config.h"

#include "bgpt-history-recorder.h"

#define RECORDER_KEY "bgpt-history-recorder"
/* Thinning looks at every account: once an hour is plenty, since each
 * account is only due every few hours. */
#define THIN_EVERY_S 3600

typedef struct
{
  BgptHistory *history;   /* weak */
  BgptMonitor *monitor;   /* weak: the recorder lives in its data */
  GStrv        account_ids;
  gint64       thinned_at;
} Recorder;

static void
recorder_free (gpointer data)
{
  Recorder *recorder = data;

  g_clear_weak_pointer (&recorder->history);
  g_strfreev (recorder->account_ids);
  g_free (recorder);
}

BgptHistoryResult
bgpt_history_result_from_check (BgptMonitorCheck *check,
                                gint64            time)
{
  const BgptDiagnosis *diagnosis = bgpt_monitor_check_get_diagnosis (check);
  BgptHistoryResult result = { .time = time, .outcome = BGPT_OUTCOME_UNKNOWN };

  if (bgpt_monitor_check_get_state (check) == BGPT_MONITOR_STATE_BLOCKED)
    {
      result.outcome = BGPT_OUTCOME_BLOCKED;
      return result;
    }
  if (diagnosis == NULL)
    return result;
  result.elapsed_ms = (guint32) CLAMP (diagnosis->elapsed_ms, 0, G_MAXUINT32);
  if (bgpt_diagnosis_is_ok (diagnosis))
    {
      result.outcome = BGPT_OUTCOME_OK;
    }
  else
    {
      result.outcome = BGPT_OUTCOME_FAILED;
      result.error_id = diagnosis->error_id;
    }
  return result;
}

static void
append (Recorder          *recorder,
        BgptMonitorCheck  *check,
        BgptHistoryResult *result)
{
  g_autoptr(GError) error = NULL;

  if (recorder->history == NULL)
    return;
  if (!bgpt_history_append (recorder->history, bgpt_monitor_check_get_account_id (check),
                            bgpt_monitor_check_get_check (check), result, &error))
    g_warning ("Could not keep a result: %s", error->message);
}

static void
maybe_thin (Recorder *recorder,
            gint64    now)
{
  g_autoptr(GError) error = NULL;

  if (recorder->history == NULL || !bgpt_history_is_loaded (recorder->history)
      || now - recorder->thinned_at < THIN_EVERY_S)
    return;
  recorder->thinned_at = now;
  if (!bgpt_history_thin (recorder->history, now, &error))
    g_warning ("Could not thin the history: %s", error->message);
}

static void
on_check_finished (BgptMonitor      *monitor,
                   BgptMonitorCheck *check,
                   Recorder         *recorder)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  BgptHistoryResult result = bgpt_history_result_from_check (check, now);

  append (recorder, check, &result);
  maybe_thin (recorder, now);
}

static void
on_online_changed (BgptMonitor *monitor,
                   GParamSpec  *pspec,
                   Recorder    *recorder)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint n_items;

  if (bgpt_monitor_get_online (monitor))
    return;
  n_items = g_list_model_get_n_items (G_LIST_MODEL (monitor));
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(BgptMonitorCheck) check = g_list_model_get_item (G_LIST_MODEL (monitor), i);
      BgptHistoryResult result = { .time = now, .outcome = BGPT_OUTCOME_UNKNOWN };

      append (recorder, check, &result);
    }
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Recorder   *recorder)
{
  g_auto(GStrv) account_ids = bgpt_monitor_dup_account_ids (BGPT_MONITOR (model));

  for (guint i = 0; recorder->account_ids[i] != NULL; i++)
    {
      g_autofree char *path = NULL;

      if (g_strv_contains ((const char * const *) account_ids, recorder->account_ids[i])
          || recorder->history == NULL)
        continue;
      /* Forgotten (its file is gone), not only unwatched for a while. */
      path = bgpt_history_dup_account_path (recorder->history, recorder->account_ids[i]);
      if (path != NULL && !g_file_test (path, G_FILE_TEST_EXISTS))
        bgpt_history_forget_account (recorder->history, recorder->account_ids[i], NULL);
    }
  g_strfreev (recorder->account_ids);
  recorder->account_ids = g_steal_pointer (&account_ids);
}

BgptHistory *
bgpt_history_for_monitor (BgptMonitor *monitor)
{
  Recorder *recorder;

  g_return_val_if_fail (BGPT_IS_MONITOR (monitor), NULL);

  recorder = g_object_get_data (G_OBJECT (monitor), RECORDER_KEY);
  return recorder != NULL ? recorder->history : NULL;
}

void
bgpt_history_follow_monitor (BgptHistory *history,
                             BgptMonitor *monitor)
{
  Recorder *recorder;

  g_return_if_fail (BGPT_IS_HISTORY (history));
  g_return_if_fail (BGPT_IS_MONITOR (monitor));

  recorder = g_new0 (Recorder, 1);
  g_set_weak_pointer (&recorder->history, history);
  recorder->monitor = monitor;
  recorder->account_ids = bgpt_monitor_dup_account_ids (monitor);
  recorder->thinned_at = g_get_real_time () / G_USEC_PER_SEC;
  g_object_set_data_full (G_OBJECT (monitor), RECORDER_KEY, recorder, recorder_free);

  g_signal_connect (monitor, "check-finished", G_CALLBACK (on_check_finished), recorder);
  g_signal_connect (monitor, "notify::online", G_CALLBACK (on_online_changed), recorder);
  g_signal_connect (monitor, "items-changed", G_CALLBACK (on_items_changed), recorder);
}

static void
on_history_loaded (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!bgpt_history_load_finish (BGPT_HISTORY (source), result, &error))
    g_warning ("Could not read the result history: %s", error->message);
}

BgptHistory *
bgpt_history_new_for_monitor (BgptMonitor *monitor,
                              const char  *directory)
{
  BgptHistory *history;

  g_return_val_if_fail (BGPT_IS_MONITOR (monitor), NULL);

  history = bgpt_history_new (directory);
  bgpt_history_load_async (history, NULL, on_history_loaded, NULL);
  bgpt_history_follow_monitor (history, monitor);
  return history;
}
