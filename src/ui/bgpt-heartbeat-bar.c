/* bgpt-heartbeat-bar.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-heartbeat-bar"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-heartbeat-bar.h"
#include "bgpt-latency-chart.h"
#include "bgpt-widget-size.h"

#define BEAT_WIDTH 5
#define BEAT_GAP 2
#define BEAT_HEIGHT 18
#define MIN_BEATS 8
#define NATURAL_BEATS 30

struct _BgptHeartbeatBar
{
  GtkWidget   parent_instance;

  guint8      beats[BGPT_HEARTBEAT_MAX_BEATS];  /* BgptOutcome, oldest first */
  guint       n_beats;
};

G_DEFINE_FINAL_TYPE (BgptHeartbeatBar, bgpt_heartbeat_bar, GTK_TYPE_WIDGET)

static guint
beats_that_fit (int width)
{
  return (guint) MAX (0, (width + BEAT_GAP) / (BEAT_WIDTH + BEAT_GAP));
}

guint
bgpt_heartbeat_bar_get_n_shown (BgptHeartbeatBar *self)
{
  g_return_val_if_fail (BGPT_IS_HEARTBEAT_BAR (self), 0);
  return MIN (self->n_beats, beats_that_fit (gtk_widget_get_width (GTK_WIDGET (self))));
}

static void
bgpt_heartbeat_bar_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  /* Room for the row's title: more beats only where it is spare. */
  bgpt_widget_size_measure (orientation,
                            MIN_BEATS * (BEAT_WIDTH + BEAT_GAP) - BEAT_GAP,
                            NATURAL_BEATS * (BEAT_WIDTH + BEAT_GAP) - BEAT_GAP,
                            BEAT_HEIGHT, BEAT_HEIGHT,
                            minimum, natural);
}

static void
rounded_rectangle (cairo_t *cr,
                   double   x,
                   double   y,
                   double   width,
                   double   height)
{
  double radius = MIN (width, height) / 2.0;

  cairo_new_sub_path (cr);
  cairo_arc (cr, x + width - radius, y + radius, radius, -G_PI / 2, 0);
  cairo_arc (cr, x + width - radius, y + height - radius, radius, 0, G_PI / 2);
  cairo_arc (cr, x + radius, y + height - radius, radius, G_PI / 2, G_PI);
  cairo_arc (cr, x + radius, y + radius, radius, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

/* One cairo node per bar rather than a node per beat: the cairo renderer
 * draws every node of every row of the Status page each frame while it
 * scrolls, and a cairo node's recording replays only what is visible. */
static void
bgpt_heartbeat_bar_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  BgptHeartbeatBar *self = BGPT_HEARTBEAT_BAR (widget);
  int width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  guint n_slots = beats_that_fit (width);
  GdkRGBA ok = bgpt_style_color (widget, "success_color", "#26a269");
  GdkRGBA failed = bgpt_style_color (widget, "error_color", "#c01c28");
  GdkRGBA grey;
  GdkRGBA empty;
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &grey);
  empty = grey;
  grey.alpha *= 0.45f;
  empty.alpha *= 0.1f;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  /* Right-aligned, newest last: empty slots on the left until filled. */
  for (guint slot = 0; slot < n_slots; slot++)
    {
      double x = width - (double) (slot + 1) * (BEAT_WIDTH + BEAT_GAP) + BEAT_GAP;
      BgptOutcome outcome = slot < self->n_beats ? self->beats[self->n_beats - 1 - slot] : BGPT_N_OUTCOMES;

      switch (outcome)
        {
        case BGPT_OUTCOME_OK:
          gdk_cairo_set_source_rgba (cr, &ok);
          rounded_rectangle (cr, x, 0, BEAT_WIDTH, height);
          cairo_fill (cr);
          break;

        case BGPT_OUTCOME_FAILED:
          /* Broken in the middle: a failure reads as a gap, not a hue. */
          gdk_cairo_set_source_rgba (cr, &failed);
          rounded_rectangle (cr, x, 0, BEAT_WIDTH, height * 0.36);
          rounded_rectangle (cr, x, height * 0.64, BEAT_WIDTH, height * 0.36);
          cairo_fill (cr);
          break;

        case BGPT_OUTCOME_BLOCKED:
          /* Hollow: it waited, it did not fail. */
          gdk_cairo_set_source_rgba (cr, &grey);
          cairo_set_line_width (cr, 1.0);
          rounded_rectangle (cr, x + 0.5, 0.5, BEAT_WIDTH - 1, height - 1);
          cairo_stroke (cr);
          break;

        case BGPT_OUTCOME_UNKNOWN:
          /* A dot: nothing was learnt while offline. */
          gdk_cairo_set_source_rgba (cr, &grey);
          rounded_rectangle (cr, x, (height - BEAT_WIDTH) / 2.0, BEAT_WIDTH, BEAT_WIDTH);
          cairo_fill (cr);
          break;

        case BGPT_N_OUTCOMES:
        default:
          gdk_cairo_set_source_rgba (cr, &empty);
          rounded_rectangle (cr, x, 0, BEAT_WIDTH, height);
          cairo_fill (cr);
          break;
        }
    }
  cairo_destroy (cr);
}

void
bgpt_heartbeat_bar_set_results (BgptHeartbeatBar *self,
                                GArray           *results)
{
  guint first;

  g_return_if_fail (BGPT_IS_HEARTBEAT_BAR (self));
  g_return_if_fail (results != NULL);

  first = results->len > BGPT_HEARTBEAT_MAX_BEATS ? results->len - BGPT_HEARTBEAT_MAX_BEATS : 0;
  self->n_beats = results->len - first;
  for (guint i = 0; i < self->n_beats; i++)
    self->beats[i] = (guint8) g_array_index (results, BgptHistoryResult, first + i).outcome;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
bgpt_heartbeat_bar_get_n_beats (BgptHeartbeatBar *self)
{
  g_return_val_if_fail (BGPT_IS_HEARTBEAT_BAR (self), 0);
  return self->n_beats;
}

static void
bgpt_heartbeat_bar_class_init (BgptHeartbeatBarClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->measure = bgpt_heartbeat_bar_measure;
  widget_class->snapshot = bgpt_heartbeat_bar_snapshot;
  gtk_widget_class_set_css_name (widget_class, "heartbeat-bar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
bgpt_heartbeat_bar_init (BgptHeartbeatBar *self)
{
}

GtkWidget *
bgpt_heartbeat_bar_new (void)
{
  return g_object_new (BGPT_TYPE_HEARTBEAT_BAR, NULL);
}
