/* bgpt-uptime-summary.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "bgpt-uptime.h"

G_BEGIN_DECLS

#define BGPT_TYPE_UPTIME_SUMMARY (bgpt_uptime_summary_get_type ())

G_DECLARE_FINAL_TYPE (BgptUptimeSummary, bgpt_uptime_summary, BGPT, UPTIME_SUMMARY, GtkWidget)

/* A check's recent history on its Status row: the heartbeat bar, and as
 * a caption for the row's subtitle the uptime over 24 hours and 30 days
 * and the median latency; the same facts in words are its accessible
 * name. Hidden while the check has no history. ::changed follows every
 * update. */
GtkWidget  *bgpt_uptime_summary_new          (void);
/* Follows the history of @check of @account_id in @history (NULL: none)
 * from now on. */
void        bgpt_uptime_summary_set_check    (BgptUptimeSummary *self,
                                              BgptHistory       *history,
                                              const char        *account_id,
                                              const char        *check);
/* Recomputes the figures (they depend on the time as well). */
void        bgpt_uptime_summary_update       (BgptUptimeSummary *self);
GtkWidget  *bgpt_uptime_summary_get_bar      (BgptUptimeSummary *self);
/* "24 h: 99,3 % · 30 d: 99,8 % · 142 ms", or NULL without a history. */
const char *bgpt_uptime_summary_get_caption  (BgptUptimeSummary *self);
/* The words of its accessible name. */
const char *bgpt_uptime_summary_get_description (BgptUptimeSummary *self);

/* "99,3": one decimal, rounded down so that failures never read as 100;
 * NULL when nothing was answered. */
char       *bgpt_format_uptime_percent       (const BgptUptime  *uptime);
/* "Disponível 99,3 % nas últimas 24 horas, 2 falhas; 99,8 % nos últimos
 * 30 dias; latência mediana 142 ms" */
char       *bgpt_format_uptime_sentence      (const BgptUptime  *day,
                                              const BgptUptime  *month);

G_END_DECLS
