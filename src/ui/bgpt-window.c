/* bgpt-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-window"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-window.h"

struct _BgptWindow
{
  AdwApplicationWindow parent_instance;

  AdwStatusPage *empty_page;
};

G_DEFINE_FINAL_TYPE (BgptWindow, bgpt_window, ADW_TYPE_APPLICATION_WINDOW)

static void
bgpt_window_class_init (BgptWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/ui/bgpt-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BgptWindow, empty_page);
}

static void
bgpt_window_init (BgptWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

BgptWindow *
bgpt_window_new (BgptApplication *application)
{
  return g_object_new (BGPT_TYPE_WINDOW, "application", application, NULL);
}
