/* bgpt-demo-history.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bgpt-history.h"
#include "bgpt-monitor.h"

G_BEGIN_DECLS

/* A result history in @directory with a day of generated results for
 * @account_id (a slow morning at OpenAI, a short outage of the key check
 * with its dependents waiting, a stretch offline), following @monitor from
 * now on, so that the demo's rows show their heartbeat at once. */
BgptHistory *bgpt_demo_history_new (BgptMonitor *monitor,
                                    const char  *directory,
                                    const char  *account_id);

/* The same day, for any history and any time (benchmarks, tests). */
void         bgpt_demo_history_generate_day (BgptHistory *history,
                                             const char  *account_id,
                                             gint64       now);

/* That day again and again: results for the last 48 hours, hours before
 * them back to @n_days days (benchmarks, the size bound's test). */
void         bgpt_demo_history_generate     (BgptHistory *history,
                                             const char  *account_id,
                                             gint64       now,
                                             guint        n_days);

G_END_DECLS
