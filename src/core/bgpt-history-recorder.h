/* bgpt-history-recorder.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bgpt-history.h"
#include "bgpt-monitor.h"

G_BEGIN_DECLS

/* Keeps every result of @monitor in @history from now on: each check's
 * outcome and elapsed time, UNKNOWN for every check when the network goes,
 * and thins the history now and then. An account the monitor no longer
 * watches and whose file was removed (it was forgotten) leaves @history's
 * memory too. Ends with either object. */
void     bgpt_history_follow_monitor (BgptHistory *history,
                                      BgptMonitor *monitor);

/* A history in @directory (NULL: the default), loaded in a worker thread
 * (results that come before are kept), following @monitor. */
BgptHistory *bgpt_history_new_for_monitor (BgptMonitor *monitor,
                                           const char  *directory);

/* The history that follows @monitor, or NULL. */
BgptHistory *bgpt_history_for_monitor (BgptMonitor *monitor);

/* What a finished check of the monitor comes to in the history. */
BgptHistoryResult bgpt_history_result_from_check (BgptMonitorCheck *check,
                                                  gint64            time);

G_END_DECLS
