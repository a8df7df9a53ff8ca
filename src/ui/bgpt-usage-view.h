/* bgpt-usage-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bgpt-monitor.h"

G_BEGIN_DECLS

#define BGPT_TYPE_USAGE_VIEW (bgpt_usage_view_get_type ())

G_DECLARE_FINAL_TYPE (BgptUsageView, bgpt_usage_view, BGPT, USAGE_VIEW, AdwBin)

/* The "Uso" page: for each account of @monitor, the OpenAI costs its
 * costs watch read (a chart of the last 30 days, the month to date and
 * the projection in words, the top line items, the budget warning), or,
 * without an admin key, what the page would show and how to add one. */
GtkWidget *bgpt_usage_view_new         (void);
void       bgpt_usage_view_set_monitor (BgptUsageView *self,
                                        BgptMonitor   *monitor);
/* Read-only (the demo): no way to change the admin key or the budget. */
void       bgpt_usage_view_set_read_only (BgptUsageView *self,
                                          gboolean       read_only);
/* The clock the figures are shown for; NULL: the current time. */
void       bgpt_usage_view_set_now     (BgptUsageView *self,
                                        GDateTime     *now);
/* The accessible description of @account_id's chart (the figures in
 * words), or NULL when it has none. */
char      *bgpt_usage_view_dup_description (BgptUsageView *self,
                                            const char    *account_id);

G_END_DECLS
