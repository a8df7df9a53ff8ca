/* bgpt-row-box.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define BGPT_TYPE_ROW_BOX (bgpt_row_box_get_type ())

G_DECLARE_FINAL_TYPE (BgptRowBox, bgpt_row_box, BGPT, ROW_BOX, GtkBox)

/* A GtkBox whose CSS node is "rowbox", not "box", for the rows of the
 * Status list. In GTK 4.18, each time a list view moves one of its list
 * items, the style of every "box" node in every list item it keeps (up to
 * 200) is matched against the style sheet again: the theme makes a box's
 * style depend on its ancestors' places. A node of another name keeps its
 * style. Style it by its classes. */
GtkWidget *bgpt_row_box_new (GtkOrientation orientation,
                             int            spacing);

G_END_DECLS
