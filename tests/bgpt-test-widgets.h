/* bgpt-test-widgets.h: looking through a widget tree, for the tests that
 * show a window (header only: the test-support library itself does not
 * link GTK).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <string.h>

#include <gtk/gtk.h>
#include <adwaita.h>

#include "bgpt-test-utils.h"

#include "ui/bgpt-window.h"

G_BEGIN_DECLS

/* Whether @widget is the one looked for, as @data describes it. */
typedef gboolean (*BgptTestWidgetMatch) (GtkWidget     *widget,
                                         gconstpointer  data);

/* The first widget, depth first from @widget itself, that @match takes;
 * NULL if none does. */
static inline GtkWidget *
bgpt_test_find_widget (GtkWidget           *widget,
                       BgptTestWidgetMatch  match,
                       gconstpointer        data)
{
  if (match (widget, data))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = bgpt_test_find_widget (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* BgptTestWidgetMatch: a widget of the GType in @type (GSIZE_TO_POINTER). */
static inline gboolean
bgpt_test_is_of_type (GtkWidget     *widget,
                      gconstpointer  type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

/* BgptTestWidgetMatch: a button whose label is @label, mnemonic included. */
static inline gboolean
bgpt_test_is_button_labelled (GtkWidget     *widget,
                              gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

/* Whether a label under @widget (or @widget itself) shows @text within its
 * own. */
static inline gboolean
bgpt_test_is_label_containing (GtkWidget     *widget,
                               gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_label (GTK_LABEL (widget)), text) != NULL;
}

static inline gboolean
bgpt_test_has_label_containing (GtkWidget  *widget,
                                const char *text)
{
  return bgpt_test_find_widget (widget, bgpt_test_is_label_containing, text) != NULL;
}

/* @widget, a window, as it is drawn now, at its size: the drawings of
 * its widgets that GTK kept, and those drawn again. */
static inline GdkTexture *
bgpt_test_render (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  return gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                      &GRAPHENE_RECT_INIT (0, 0, width, height));
}

/* When the environment variable @directory_variable names a folder:
 * renders @widget, a window, at its size as drawn and saves it there as
 * @name, a PNG. */
static inline void
bgpt_test_save_png (GtkWidget  *widget,
                    const char *directory_variable,
                    const char *name)
{
  const char *directory = g_getenv (directory_variable);
  g_autofree char *path = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  if (directory == NULL)
    return;
  texture = bgpt_test_render (widget);
  path = g_build_filename (directory, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("saved %s", path);
}

static inline gboolean
bgpt_test_frame_drawn (gpointer window)
{
  return GPOINTER_TO_INT (g_object_get_data (window, "bgpt-test-drawn"));
}

static inline void
bgpt_test_on_after_paint (GdkFrameClock *clock,
                          GtkWidget     *window)
{
  g_object_set_data (G_OBJECT (window), "bgpt-test-drawn", GINT_TO_POINTER (TRUE));
}

/* When BGPT_SHOTS_DIR names a folder: @window, in the light or @dark
 * style, @width by @height, once it has drawn itself at that size, saved
 * there as @name (a PNG). */
static inline void
bgpt_test_save_shot (GtkWidget  *window,
                     const char *name,
                     gboolean    dark,
                     int         width,
                     int         height)
{
  GdkFrameClock *clock;
  gulong handler;

  if (g_getenv ("BGPT_SHOTS_DIR") == NULL)
    return;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_widget_set_size_request (window, width, height);
  clock = gtk_widget_get_frame_clock (window);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (bgpt_test_on_after_paint), window);
  /* Twice: once resized, once drawn again with everything in place. */
  for (guint i = 0; i < 2; i++)
    {
      g_object_set_data (G_OBJECT (window), "bgpt-test-drawn", GINT_TO_POINTER (FALSE));
      if (i == 0)
        gtk_widget_queue_resize (window);
      else
        gtk_widget_queue_draw (window);
      g_assert_true (bgpt_test_wait_until (bgpt_test_frame_drawn, window));
    }
  g_signal_handler_disconnect (clock, handler);

  bgpt_test_save_png (window, "BGPT_SHOTS_DIR", name);
}

/* A BgptTestCondition: whether the active window of @application, a
 * GtkApplication, is the main window, mapped. */
static inline gboolean
bgpt_test_app_window_shown (gpointer application)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  return BGPT_IS_WINDOW (window) && gtk_widget_get_mapped (GTK_WIDGET (window));
}

G_END_DECLS
