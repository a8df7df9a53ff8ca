/* bgpt-monitor-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bgpt-monitor.h"

G_BEGIN_DECLS

/* How the monitor runs one check. The default goes through BgptChecker;
 * benchmarks may count or time the runs by wrapping it. */
typedef void           (*BgptMonitorRunFunc)       (const BgptCheckConfig *config,
                                                    const char            *check,
                                                    guint                  timeout_s,
                                                    GCancellable          *cancellable,
                                                    GAsyncReadyCallback    callback,
                                                    gpointer               user_data,
                                                    gpointer               run_data);
typedef BgptDiagnosis *(*BgptMonitorRunFinishFunc) (GAsyncResult          *result,
                                                    gpointer               run_data,
                                                    GError               **error);

/* NULL restores the default. */
void bgpt_monitor_set_runner (BgptMonitor              *self,
                              BgptMonitorRunFunc        run,
                              BgptMonitorRunFinishFunc  run_finish,
                              gpointer                  run_data);

G_END_DECLS
