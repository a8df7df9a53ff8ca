/* bgpt-check-list.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bgpt-check-board.h"

G_BEGIN_DECLS

#define BGPT_TYPE_CHECK_LIST (bgpt_check_list_get_type ())

G_DECLARE_FINAL_TYPE (BgptCheckList, bgpt_check_list, BGPT, CHECK_LIST, GtkWidget)

/* The account's name for its heading, or NULL for the board's own. */
typedef char *(*BgptCheckListNameFunc) (const char *account_id,
                                        gpointer    user_data);

/* The Status rows of a board, scrolled: a heading per account (its name
 * and an "edit" button) above a card of its check rows. Only the rows on
 * screen exist, bound to the board's items as they scroll into view, so a
 * check's figures are computed when its row is shown. ::check-activated
 * gives the item of a row that was clicked or had Enter pressed. */
GtkWidget     *bgpt_check_list_new            (void);
void           bgpt_check_list_set_board      (BgptCheckList         *self,
                                               BgptCheckBoard        *board);
void           bgpt_check_list_set_name_func  (BgptCheckList         *self,
                                               BgptCheckListNameFunc  func,
                                               gpointer               user_data);
/* The accounts' names changed: the headings read them again. */
void           bgpt_check_list_reload_names   (BgptCheckList         *self);
GtkListView   *bgpt_check_list_get_list_view  (BgptCheckList         *self);
/* How many cells wait to be filled in within a screen of the view (for
 * the tests: a frame fills in a few of them at a time). */
guint          bgpt_check_list_count_waiting_near_view (BgptCheckList *self);
GtkAdjustment *bgpt_check_list_get_vadjustment (BgptCheckList        *self);
/* Scrolls until the row of @item is on screen; FALSE if it has none. */
gboolean       bgpt_check_list_scroll_to_item (BgptCheckList         *self,
                                               BgptCheckItem         *item);

G_END_DECLS
