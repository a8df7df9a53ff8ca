/* bgpt-monitor-rules.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bgpt-monitor-rules.h"

BgptMonitorStep
bgpt_monitor_rules_reconsider (const BgptMonitorTally      *tally,
                               const BgptMonitorThresholds *thresholds)
{
  gboolean confirmed_failure;

  g_return_val_if_fail (tally != NULL && thresholds != NULL, BGPT_MONITOR_STEP_NONE);

  confirmed_failure = tally->latest_failed && tally->failures > 0 &&
                      tally->failures >= thresholds->failure_threshold;

  if (tally->incident_open && tally->quiet && confirmed_failure)
    return BGPT_MONITOR_STEP_ANNOUNCE;
  if (!tally->incident_open && confirmed_failure)
    return BGPT_MONITOR_STEP_RAISE;
  if (tally->incident_open && tally->successes > 0 &&
      tally->successes >= thresholds->success_threshold)
    return BGPT_MONITOR_STEP_RESOLVE;
  return BGPT_MONITOR_STEP_NONE;
}

/* What @step leaves of the incident in @tally, and the state it means. */
static void
apply_step (BgptMonitorVerdict *verdict,
            BgptMonitorStep     step,
            BgptMonitorState    otherwise)
{
  verdict->step = step;
  switch (step)
    {
    case BGPT_MONITOR_STEP_RAISE:
    case BGPT_MONITOR_STEP_ANNOUNCE:
    case BGPT_MONITOR_STEP_UPDATE:
      verdict->tally.incident_open = TRUE;
      verdict->tally.quiet = FALSE;
      verdict->state = BGPT_MONITOR_STATE_DOWN;
      break;
    case BGPT_MONITOR_STEP_RAISE_QUIET:
      verdict->tally.incident_open = TRUE;
      verdict->tally.quiet = TRUE;
      verdict->state = BGPT_MONITOR_STATE_FAILING;
      break;
    case BGPT_MONITOR_STEP_RESOLVE:
      verdict->tally.incident_open = FALSE;
      verdict->tally.quiet = FALSE;
      verdict->state = BGPT_MONITOR_STATE_OK;
      break;
    case BGPT_MONITOR_STEP_NONE:
    default:
      verdict->state = otherwise;
      break;
    }
}

BgptMonitorVerdict
bgpt_monitor_rules_judge (const BgptMonitorTally      *before,
                          gboolean                     passed,
                          gboolean                     confirm,
                          const BgptMonitorThresholds *thresholds)
{
  BgptMonitorVerdict verdict = { BGPT_MONITOR_STEP_NONE, BGPT_MONITOR_STATE_UNKNOWN, *before };
  BgptMonitorTally *after = &verdict.tally;

  g_return_val_if_fail (before != NULL && thresholds != NULL, verdict);

  if (passed)
    {
      after->failures = 0;
      after->successes = before->successes + 1;
      after->latest_failed = FALSE;
      /* The user's own check is definitive; a background one counts
       * towards the success threshold. */
      if (before->incident_open && confirm)
        apply_step (&verdict, BGPT_MONITOR_STEP_RESOLVE, BGPT_MONITOR_STATE_OK);
      else if (before->incident_open)
        apply_step (&verdict, bgpt_monitor_rules_reconsider (after, thresholds),
                    BGPT_MONITOR_STATE_DOWN);
      else
        apply_step (&verdict, BGPT_MONITOR_STEP_NONE, BGPT_MONITOR_STATE_OK);
      return verdict;
    }

  after->failures = before->failures + 1;
  after->successes = 0;
  after->latest_failed = TRUE;
  if ((!before->incident_open && confirm && after->failures < thresholds->failure_threshold) ||
      (before->incident_open && before->quiet))
    {
      /* The user asked and is looking: the incident is shown at once,
       * while the desktop is told only once the threshold confirms it, as
       * for a background check. */
      apply_step (&verdict,
                  after->failures >= thresholds->failure_threshold
                  ? BGPT_MONITOR_STEP_ANNOUNCE : BGPT_MONITOR_STEP_RAISE_QUIET,
                  BGPT_MONITOR_STATE_FAILING);
    }
  else if (before->incident_open)
    {
      apply_step (&verdict, BGPT_MONITOR_STEP_UPDATE, BGPT_MONITOR_STATE_DOWN);
    }
  else
    {
      apply_step (&verdict, bgpt_monitor_rules_reconsider (after, thresholds),
                  BGPT_MONITOR_STATE_FAILING);
    }
  return verdict;
}
