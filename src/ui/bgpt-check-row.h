/* bgpt-check-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bgpt-check-board.h"
#include "bgpt-uptime-summary.h"

G_BEGIN_DECLS

#define BGPT_TYPE_CHECK_ROW (bgpt_check_row_get_type ())

G_DECLARE_FINAL_TYPE (BgptCheckRow, bgpt_check_row, BGPT, CHECK_ROW, AdwPreferencesRow)

/* @item may be NULL: a row the Status list binds to items as they scroll
 * into view. */
GtkWidget     *bgpt_check_row_new      (BgptCheckItem *item);
/* Shows @item from now on (NULL: nothing, and follows nothing). */
void           bgpt_check_row_set_item (BgptCheckRow  *self,
                                        BgptCheckItem *item);
BgptCheckItem *bgpt_check_row_get_item (BgptCheckRow  *self);
/* The second line, as Pango markup: what the check found, when, and how
 * it has fared (NULL before an item is shown). */
const char    *bgpt_check_row_get_subtitle (BgptCheckRow *self);
/* The heartbeat bar and figures of the check's result history. */
BgptUptimeSummary *bgpt_check_row_get_uptime_summary (BgptCheckRow *self);
/* Repaints the row, e.g. so that "há 2 minutos" stays true. */
void           bgpt_check_row_update   (BgptCheckRow  *self);

G_END_DECLS
