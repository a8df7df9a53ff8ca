/* bgpt-row-box.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bgpt-row-box.h"

struct _BgptRowBox
{
  GtkBox parent_instance;
};

G_DEFINE_FINAL_TYPE (BgptRowBox, bgpt_row_box, GTK_TYPE_BOX)

static void
bgpt_row_box_class_init (BgptRowBoxClass *klass)
{
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "rowbox");
}

static void
bgpt_row_box_init (BgptRowBox *self)
{
}

GtkWidget *
bgpt_row_box_new (GtkOrientation orientation,
                  int            spacing)
{
  return g_object_new (BGPT_TYPE_ROW_BOX, "orientation", orientation, "spacing", spacing, NULL);
}
