/* bgpt-monitor-check-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A watched check's fields, for the monitor that schedules it
 * (bgpt-monitor.c); everyone else reads it through bgpt-monitor-check.h.
 */

#pragma once

#include "bgpt-checks.h"
#include "bgpt-monitor-check.h"

G_BEGIN_DECLS

/* The monitor's record of one account (bgpt-monitor.c). */
typedef struct _BgptMonitorAccount BgptMonitorAccount;

struct _BgptMonitorCheck
{
  GObject             parent_instance;

  char               *account_id;
  char               *check;
  BgptMonitorState    state;
  BgptDiagnosis      *diagnosis;
  gint64              checked_at;
  guint               failures;
  guint               successes;
  char               *incident_id;
  char               *blocked_by;

  /* Scheduling, owned by the monitor; times are monotonic. */
  BgptMonitorAccount *account;        /* borrowed back pointer */
  const BgptCheck    *info;           /* its row of the table of checks */
  GCancellable       *cancellable;    /* non-NULL while in flight */
  /* Its answer, kept until the checks it depends on have answered too. */
  BgptDiagnosis      *held;
  gint64              due;
  gint64              not_before;     /* Retry-After and rate-limit back-off */
  gint64              last_started;
  gint64              last_finished;
  gint64              last_not_passed;  /* its latest failed or blocked result */
  guint               rate_limited;   /* consecutive rate-limit answers */
  gboolean            wait_overridden; /* the user went past not_before once */
  gboolean            confirm;        /* the user asked: the next result is definitive */
  gboolean            quiet;          /* its incident is not announced yet (bgpt-monitor-rules.h) */
};

BgptMonitorCheck *bgpt_monitor_check_new             (BgptMonitorAccount  *account,
                                                      const char          *account_id,
                                                      const char          *check);

/* Each emits ::notify for what changed. */
void              bgpt_monitor_check_set_state       (BgptMonitorCheck    *self,
                                                      BgptMonitorState     state);
void              bgpt_monitor_check_set_counts      (BgptMonitorCheck    *self,
                                                      guint                failures,
                                                      guint                successes);
/* NULL also ends the quiet spell of the incident. */
void              bgpt_monitor_check_set_incident_id (BgptMonitorCheck    *self,
                                                      const char          *incident_id);
void              bgpt_monitor_check_set_blocked_by  (BgptMonitorCheck    *self,
                                                      const char          *blocked_by);
/* @diagnosis is copied; @checked_at is Unix time in microseconds. */
void              bgpt_monitor_check_set_result      (BgptMonitorCheck    *self,
                                                      const BgptDiagnosis *diagnosis,
                                                      gint64               checked_at);

G_END_DECLS
