/* bgpt-checker.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bgpt-check-config.h"
#include "bgpt-checks.h"
#include "bgpt-diagnosis.h"
#include "bgpt-http.h"

G_BEGIN_DECLS

/* The values are the exit statuses of `--check` (docs/architecture.md, The
 * `--check` contract). */
typedef enum
{
  BGPT_OVERALL_OK       = 0,
  BGPT_OVERALL_WARNING  = 1,
  BGPT_OVERALL_CRITICAL = 2,
  BGPT_OVERALL_UNKNOWN  = 3,
} BgptOverallStatus;

typedef enum
{
  BGPT_CHECKER_FLAGS_NONE = 0,
  /* Also run openai.quota: one minimal billable request. */
  BGPT_CHECKER_FLAGS_DEEP = 1 << 0,
} BgptCheckerFlags;

#define BGPT_TYPE_CHECK_RESULT (bgpt_check_result_get_type ())

typedef struct
{
  char            *account_id;
  char            *check;      /* BGPT_CHECK_* */
  BgptCheckStatus  status;
  BgptDiagnosis   *diagnosis;  /* NULL when skipped or blocked */
  char            *blocked_by; /* when blocked: the check it waits for */
} BgptCheckResult;

GType            bgpt_check_result_get_type (void) G_GNUC_CONST;
BgptCheckResult *bgpt_check_result_copy     (const BgptCheckResult *result);
void             bgpt_check_result_free     (BgptCheckResult       *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BgptCheckResult, bgpt_check_result_free)

/* From the root causes only (a blocked check counts for nothing): rate
 * limits alone give WARNING; any other failure CRITICAL, which wins over
 * UNKNOWN (config.invalid, keyring.unavailable): a known failure is the
 * more useful answer. Nothing that ran gives UNKNOWN. */
BgptOverallStatus bgpt_check_results_overall     (GPtrArray          *results);
/* "ok", "warning", "critical", "unknown" (stable, for JSON). */
const char       *bgpt_overall_status_to_string  (BgptOverallStatus   status);

#define BGPT_TYPE_CHECKER (bgpt_checker_get_type ())

G_DECLARE_FINAL_TYPE (BgptChecker, bgpt_checker, BGPT, CHECKER, GObject)

/* @http: the shared HTTP policy, or NULL for a new one. */
BgptChecker *bgpt_checker_new         (BgptHttp               *http);
BgptHttp    *bgpt_checker_get_http    (BgptChecker            *self);
guint        bgpt_checker_get_timeout (BgptChecker            *self);
void         bgpt_checker_set_timeout (BgptChecker            *self,
                                       guint                   timeout_s);

/* Runs every check of @config at once, then judges the results by the
 * checks' dependencies: a check whose dependency did not pass is BLOCKED
 * (its own answer is dropped). Finishes with a GPtrArray of
 * BgptCheckResult, one per check in the order of bgpt_checks_get(),
 * skipped ones included; fails only when cancelled. */
void         bgpt_checker_run_async   (BgptChecker            *self,
                                       const BgptCheckConfig  *config,
                                       BgptCheckerFlags        flags,
                                       GCancellable           *cancellable,
                                       GAsyncReadyCallback     callback,
                                       gpointer                user_data);
GPtrArray   *bgpt_checker_run_finish  (BgptChecker            *self,
                                       GAsyncResult           *result,
                                       GError                **error);

G_END_DECLS
