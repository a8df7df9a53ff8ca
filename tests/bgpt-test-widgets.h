/* bgpt-test-widgets.h: looking through a widget tree, for the tests that
 * show a window (header only: the test-support library itself does not
 * link GTK).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <string.h>

#include <gtk/gtk.h>

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

G_END_DECLS
