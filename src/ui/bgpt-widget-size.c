/* bgpt-widget-size.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bgpt-widget-size.h"

void
bgpt_widget_size_measure (GtkOrientation  orientation,
                          int             minimum_width,
                          int             natural_width,
                          int             minimum_height,
                          int             natural_height,
                          int            *minimum,
                          int            *natural)
{
  gboolean across = orientation == GTK_ORIENTATION_HORIZONTAL;

  *minimum = across ? minimum_width : minimum_height;
  *natural = across ? natural_width : natural_height;
}
