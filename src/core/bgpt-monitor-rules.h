/* bgpt-monitor-rules.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The monitor's rules: when a check's result opens, updates or resolves an
 * incident. Pure functions of where a check stands and its new result, with
 * no timers and no stores, so that tests can walk them result by result.
 */

#pragma once

#include <glib.h>

#include "bgpt-monitor-check.h"

G_BEGIN_DECLS

/* The settings failure-threshold and success-threshold (at least 1). */
typedef struct
{
  guint failure_threshold;
  guint success_threshold;
} BgptMonitorThresholds;

/* Where a check stands before a result. */
typedef struct
{
  guint    failures;       /* failed results in a row */
  guint    successes;      /* passed results in a row */
  gboolean incident_open;  /* it raised an incident that is still open */
  /* That incident was raised by a check the user asked for and is not
   * announced yet: the window shows it, the desktop waits for the
   * failure threshold. */
  gboolean quiet;
  gboolean latest_failed;  /* its latest result did not pass */
} BgptMonitorTally;

typedef enum
{
  BGPT_MONITOR_STEP_NONE,       /* no incident to report */
  BGPT_MONITOR_STEP_RAISE,      /* raise an incident and announce it */
  /* Report the incident (raise or update it) for the window only: the
   * user asked, the threshold is not reached yet. */
  BGPT_MONITOR_STEP_RAISE_QUIET,
  /* The quiet incident reached the threshold: announce it. */
  BGPT_MONITOR_STEP_ANNOUNCE,
  BGPT_MONITOR_STEP_UPDATE,     /* the open incident failed again */
  BGPT_MONITOR_STEP_RESOLVE,    /* the open incident is over */
} BgptMonitorStep;

typedef struct
{
  BgptMonitorStep  step;
  BgptMonitorState state;   /* where the check stands after it */
  BgptMonitorTally tally;   /* its counts after it */
} BgptMonitorVerdict;

/* A new result of a check: @passed, and @confirm when the user asked for
 * it (bgpt_monitor_confirm_now(): a failure is shown at once, a success
 * resolves at once). */
BgptMonitorVerdict bgpt_monitor_rules_judge       (const BgptMonitorTally      *before,
                                                   gboolean                     passed,
                                                   gboolean                     confirm,
                                                   const BgptMonitorThresholds *thresholds);
/* No new result, changed thresholds: what they call for now
 * (BGPT_MONITOR_STEP_NONE, _RAISE, _ANNOUNCE or _RESOLVE). */
BgptMonitorStep    bgpt_monitor_rules_reconsider  (const BgptMonitorTally      *tally,
                                                   const BgptMonitorThresholds *thresholds);

G_END_DECLS
