/* bgpt-widget-size.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* What a custom widget's GtkWidgetClass.measure answers when its sizes do
 * not depend on for_size: the width pair across, the height pair down. */
void bgpt_widget_size_measure (GtkOrientation  orientation,
                               int             minimum_width,
                               int             natural_width,
                               int             minimum_height,
                               int             natural_height,
                               int            *minimum,
                               int            *natural);

G_END_DECLS
