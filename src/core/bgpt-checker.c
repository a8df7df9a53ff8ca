/* bgpt-checker.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-checker"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-catalog.h"
#include "bgpt-checker.h"

struct _BgptChecker
{
  GObject   parent_instance;

  BgptHttp *http;
};

G_DEFINE_FINAL_TYPE (BgptChecker, bgpt_checker, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (BgptCheckResult, bgpt_check_result,
                     bgpt_check_result_copy, bgpt_check_result_free)

BgptCheckResult *
bgpt_check_result_copy (const BgptCheckResult *result)
{
  BgptCheckResult *copy = g_new0 (BgptCheckResult, 1);

  copy->account_id = g_strdup (result->account_id);
  copy->check = g_strdup (result->check);
  copy->status = result->status;
  copy->diagnosis = result->diagnosis != NULL ? bgpt_diagnosis_copy (result->diagnosis) : NULL;
  copy->blocked_by = g_strdup (result->blocked_by);
  return copy;
}

void
bgpt_check_result_free (BgptCheckResult *result)
{
  if (result == NULL)
    return;

  g_free (result->account_id);
  g_free (result->check);
  g_clear_pointer (&result->diagnosis, bgpt_diagnosis_free);
  g_free (result->blocked_by);
  g_free (result);
}

const char *
bgpt_overall_status_to_string (BgptOverallStatus status)
{
  switch (status)
    {
    case BGPT_OVERALL_OK:
      return "ok";
    case BGPT_OVERALL_WARNING:
      return "warning";
    case BGPT_OVERALL_CRITICAL:
      return "critical";
    case BGPT_OVERALL_UNKNOWN:
    default:
      return "unknown";
    }
}

static int
overall_rank (BgptOverallStatus status)
{
  switch (status)
    {
    case BGPT_OVERALL_OK:
      return 0;
    case BGPT_OVERALL_WARNING:
      return 1;
    case BGPT_OVERALL_UNKNOWN:
      return 2;
    case BGPT_OVERALL_CRITICAL:
    default:
      return 3;
    }
}

BgptOverallStatus
bgpt_check_results_overall (GPtrArray *results)
{
  BgptOverallStatus overall = BGPT_OVERALL_OK;
  gboolean any_ran = FALSE;

  g_return_val_if_fail (results != NULL, BGPT_OVERALL_UNKNOWN);

  for (guint i = 0; i < results->len; i++)
    {
      const BgptCheckResult *result = g_ptr_array_index (results, i);
      BgptSeverity severity;
      BgptOverallStatus status;

      if (result->status == BGPT_CHECK_STATUS_SKIPPED)
        continue;

      any_ran = TRUE;
      if (result->status != BGPT_CHECK_STATUS_ERROR)
        continue;

      severity = bgpt_catalog_severity (result->diagnosis->error_id, result->diagnosis->reason);
      if (severity == BGPT_SEVERITY_CRITICAL)
        status = BGPT_OVERALL_CRITICAL;
      else if (severity == BGPT_SEVERITY_WARNING)
        status = BGPT_OVERALL_WARNING;
      else
        status = BGPT_OVERALL_UNKNOWN;

      if (overall_rank (status) > overall_rank (overall))
        overall = status;
    }

  return any_ran ? overall : BGPT_OVERALL_UNKNOWN;
}

typedef struct
{
  GPtrArray *results;
  guint      pending;
} RunData;

static void
run_data_free (RunData *data)
{
  g_clear_pointer (&data->results, g_ptr_array_unref);
  g_free (data);
}

typedef struct
{
  GTask *task;
  guint  index;
} CheckOp;

/* The dependency judgement, made on the results: the checks ran together
 * for speed, and a check whose dependency failed tells nothing of its own. */
static void
apply_dependencies (GPtrArray *results)
{
  g_autofree BgptCheckStatus *statuses = g_new (BgptCheckStatus, results->len);
  g_autofree const char **blocked_by = g_new0 (const char *, results->len);

  for (guint i = 0; i < results->len; i++)
    {
      const BgptCheckResult *result = g_ptr_array_index (results, i);

      statuses[i] = result->status;
      /* A warning about a request that worked blocks nothing. */
      if (result->status == BGPT_CHECK_STATUS_ERROR && bgpt_diagnosis_passes (result->diagnosis))
        statuses[i] = BGPT_CHECK_STATUS_OK;
    }

  bgpt_checks_apply_dependencies (statuses, blocked_by);

  for (guint i = 0; i < results->len; i++)
    {
      BgptCheckResult *result = g_ptr_array_index (results, i);

      if (statuses[i] != BGPT_CHECK_STATUS_BLOCKED)
        continue;
      result->status = BGPT_CHECK_STATUS_BLOCKED;
      result->blocked_by = g_strdup (blocked_by[i]);
      g_clear_pointer (&result->diagnosis, bgpt_diagnosis_free);
    }
}

static void
maybe_complete (GTask *task)
{
  RunData *data = g_task_get_task_data (task);

  if (data->pending > 0)
    return;

  if (g_task_return_error_if_cancelled (task))
    return;

  apply_dependencies (data->results);

  g_task_return_pointer (task, g_ptr_array_ref (data->results),
                         (GDestroyNotify) g_ptr_array_unref);
}

static void
set_diagnosis (BgptCheckResult *result,
               BgptDiagnosis   *diagnosis)
{
  g_clear_pointer (&result->diagnosis, bgpt_diagnosis_free);
  result->diagnosis = diagnosis;
  result->status = bgpt_diagnosis_is_ok (diagnosis) ? BGPT_CHECK_STATUS_OK
                                                    : BGPT_CHECK_STATUS_ERROR;
}

static void
check_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  CheckOp *op = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&op->task);
  RunData *data = g_task_get_task_data (task);
  BgptCheckResult *check_result = g_ptr_array_index (data->results, op->index);
  BgptDiagnosis *diagnosis;

  /* Only a cancellation fails, and then the whole run reports it. */
  diagnosis = bgpt_checks_get (NULL)[op->index].finish (BGPT_HTTP (object), result, NULL);
  if (diagnosis != NULL)
    set_diagnosis (check_result, diagnosis);

  g_free (op);
  data->pending--;
  maybe_complete (task);
}

void
bgpt_checker_run_async (BgptChecker           *self,
                        const BgptCheckConfig *config,
                        BgptCheckerFlags       flags,
                        GCancellable          *cancellable,
                        GAsyncReadyCallback    callback,
                        gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  const BgptCheck *checks;
  gsize n_checks;
  RunData *data;

  g_return_if_fail (BGPT_IS_CHECKER (self));
  g_return_if_fail (config != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bgpt_checker_run_async);

  data = g_new0 (RunData, 1);
  data->results = g_ptr_array_new_with_free_func ((GDestroyNotify) bgpt_check_result_free);
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);

  checks = bgpt_checks_get (&n_checks);
  for (guint i = 0; i < n_checks; i++)
    {
      BgptCheckResult *result = g_new0 (BgptCheckResult, 1);
      CheckOp *op;

      result->account_id = g_strdup (config->account_id);
      result->check = g_strdup (checks[i].id);
      result->status = BGPT_CHECK_STATUS_SKIPPED;
      g_ptr_array_add (data->results, result);

      switch (bgpt_check_readiness (&checks[i], config, (flags & BGPT_CHECKER_FLAGS_DEEP) != 0))
        {
        case BGPT_CHECK_READINESS_SKIP:
          continue;
        case BGPT_CHECK_READINESS_NO_KEYRING:
          set_diagnosis (result, bgpt_diagnosis_new (checks[i].id, BGPT_DIAGNOSIS_KEYRING_UNAVAILABLE));
          continue;
        case BGPT_CHECK_READINESS_RUN:
        default:
          break;
        }

      op = g_new0 (CheckOp, 1);
      op->task = g_object_ref (task);
      op->index = i;
      data->pending++;
      checks[i].start (self->http, config, cancellable, check_done_cb, op);
    }

  maybe_complete (task);
}

GPtrArray *
bgpt_checker_run_finish (BgptChecker   *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (BGPT_IS_CHECKER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bgpt_checker_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

BgptHttp *
bgpt_checker_get_http (BgptChecker *self)
{
  g_return_val_if_fail (BGPT_IS_CHECKER (self), NULL);

  return self->http;
}

guint
bgpt_checker_get_timeout (BgptChecker *self)
{
  g_return_val_if_fail (BGPT_IS_CHECKER (self), 0);

  return bgpt_http_get_timeout (self->http);
}

void
bgpt_checker_set_timeout (BgptChecker *self,
                          guint        timeout_s)
{
  g_return_if_fail (BGPT_IS_CHECKER (self));

  bgpt_http_set_timeout (self->http, timeout_s);
}

static void
bgpt_checker_dispose (GObject *object)
{
  BgptChecker *self = BGPT_CHECKER (object);

  g_clear_object (&self->http);

  G_OBJECT_CLASS (bgpt_checker_parent_class)->dispose (object);
}

static void
bgpt_checker_class_init (BgptCheckerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bgpt_checker_dispose;
}

static void
bgpt_checker_init (BgptChecker *self)
{
}

BgptChecker *
bgpt_checker_new (BgptHttp *http)
{
  BgptChecker *self = g_object_new (BGPT_TYPE_CHECKER, NULL);

  self->http = http != NULL ? g_object_ref (http) : bgpt_http_new ();
  return self;
}
