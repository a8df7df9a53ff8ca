/* bgpt-heartbeat-bar.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "bgpt-history.h"

G_BEGIN_DECLS

/* How many of the latest results a bar keeps; it shows as many as fit. */
#define BGPT_HEARTBEAT_MAX_BEATS 48

#define BGPT_TYPE_HEARTBEAT_BAR (bgpt_heartbeat_bar_get_type ())

G_DECLARE_FINAL_TYPE (BgptHeartbeatBar, bgpt_heartbeat_bar, BGPT, HEARTBEAT_BAR, GtkWidget)

/* One beat per result, newest on the right: a full bar when it passed, a
 * broken bar when it failed, a hollow bar when it was blocked and a dot
 * while offline, so that colour is never the only difference. */
GtkWidget *bgpt_heartbeat_bar_new         (void);
/* Keeps the outcomes of the last results of @results (BgptHistoryResult). */
void       bgpt_heartbeat_bar_set_results (BgptHeartbeatBar *self,
                                           GArray           *results);
guint      bgpt_heartbeat_bar_get_n_beats (BgptHeartbeatBar *self);
/* How many beats the current width shows. */
guint      bgpt_heartbeat_bar_get_n_shown (BgptHeartbeatBar *self);

G_END_DECLS
