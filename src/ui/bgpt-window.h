/* bgpt-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bgpt-application.h"
#include "bgpt-incidents-view.h"
#include "bgpt-usage-view.h"

G_BEGIN_DECLS

#define BGPT_TYPE_WINDOW (bgpt_window_get_type ())

G_DECLARE_FINAL_TYPE (BgptWindow, bgpt_window, BGPT, WINDOW, AdwApplicationWindow)

BgptWindow        *bgpt_window_new                 (BgptApplication *application);
void               bgpt_window_show_toast          (BgptWindow      *self,
                                                    const char      *text);
/* Switches to Notificações and opens the incident's row. */
gboolean           bgpt_window_show_incident       (BgptWindow      *self,
                                                    const char      *incident_id);
/* "status" or "incidents". */
void               bgpt_window_set_view            (BgptWindow      *self,
                                                    const char      *name);
BgptIncidentsView *bgpt_window_get_incidents_view  (BgptWindow      *self);
/* The BgptCheckList of the Status page: a heading per account and the
 * rows of its checks, those on screen. */
GtkWidget         *bgpt_window_get_accounts_box    (BgptWindow      *self);
BgptUsageView     *bgpt_window_get_usage_view      (BgptWindow      *self);

G_END_DECLS
