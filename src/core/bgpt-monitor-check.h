/* bgpt-monitor-check.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "bgpt-diagnosis.h"

G_BEGIN_DECLS

/* Where one check of one account stands (docs/architecture.md, The
 * monitor's state machine). */
typedef enum
{
  BGPT_MONITOR_STATE_UNKNOWN,   /* not checked yet, or offline */
  BGPT_MONITOR_STATE_CHECKING,  /* a request is in flight */
  BGPT_MONITOR_STATE_OK,
  BGPT_MONITOR_STATE_FAILING,   /* failed, not yet confirmed: re-checked soon */
  BGPT_MONITOR_STATE_DOWN,      /* confirmed: an incident is open */
  /* A check it depends on did not pass: not sent, no incident of its own. */
  BGPT_MONITOR_STATE_BLOCKED,
} BgptMonitorState;

#define BGPT_TYPE_MONITOR_STATE (bgpt_monitor_state_get_type ())
GType bgpt_monitor_state_get_type (void) G_GNUC_CONST;

#define BGPT_TYPE_MONITOR_CHECK (bgpt_monitor_check_get_type ())
G_DECLARE_FINAL_TYPE (BgptMonitorCheck, bgpt_monitor_check, BGPT, MONITOR_CHECK, GObject)

/* One watched check of one account, as the window shows it. Read-only to
 * everyone but the monitor; every property emits ::notify when it changes. */
const char          *bgpt_monitor_check_get_account_id   (BgptMonitorCheck *self);
const char          *bgpt_monitor_check_get_check        (BgptMonitorCheck *self);
BgptMonitorState     bgpt_monitor_check_get_state        (BgptMonitorCheck *self);
/* The latest diagnosis (scrubbed), or NULL before the first result. */
const BgptDiagnosis *bgpt_monitor_check_get_diagnosis    (BgptMonitorCheck *self);
/* Unix time in microseconds of the latest result; 0 before the first. */
gint64               bgpt_monitor_check_get_checked_at   (BgptMonitorCheck *self);
/* Consecutive failures, consecutive successes. */
/* Monotonic time before which a server asked not to be called again
 * (Retry-After on a 429 or 503) or a rate limit backs off; 0 when none. */
gint64               bgpt_monitor_check_get_not_before   (BgptMonitorCheck *self);
guint                bgpt_monitor_check_get_failures     (BgptMonitorCheck *self);
guint                bgpt_monitor_check_get_successes    (BgptMonitorCheck *self);
/* The id of the open incident this check raised, or NULL. */
const char          *bgpt_monitor_check_get_incident_id  (BgptMonitorCheck *self);
/* While BLOCKED: the check it waits for (BGPT_CHECK_*); else NULL. */
const char          *bgpt_monitor_check_get_blocked_by   (BgptMonitorCheck *self);

G_END_DECLS
