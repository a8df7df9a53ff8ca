/* bgpt-tooltip.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Gives @widget a tooltip of @text (none when NULL), read only when the
 * tooltip is about to show. For widgets bound again and again while a list
 * scrolls: gtk_widget_set_tooltip_text() asks the display where the pointer
 * is at every call, a round trip to the X server each. */
void        bgpt_tooltip_set_text (GtkWidget  *widget,
                                   const char *text);
const char *bgpt_tooltip_get_text (GtkWidget  *widget);

G_END_DECLS
