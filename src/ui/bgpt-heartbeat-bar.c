/* bgpt-heartbeat-bar.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-heartbeat-bar"

#include "config.h"

#include <string.h>

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
  /* The beats as drawn last, and what they were drawn for. */
  GdkTexture *texture;
  GdkRGBA     texture_colors[3];
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

/* The path of a beat of @outcome at @x: its shape tells the outcomes
 * apart without colour. */
static void
beat_path (cairo_t     *cr,
           BgptOutcome  outcome,
           double       x,
           double       height)
{
  switch (outcome)
    {
    case BGPT_OUTCOME_FAILED:
      /* Broken in the middle: a failure reads as a gap, not a hue. */
      rounded_rectangle (cr, x, 0, BEAT_WIDTH, height * 0.36);
      rounded_rectangle (cr, x, height * 0.64, BEAT_WIDTH, height * 0.36);
      break;

    case BGPT_OUTCOME_BLOCKED:
      /* Hollow (stroked): it waited, it did not fail. */
      rounded_rectangle (cr, x + 0.5, 0.5, BEAT_WIDTH - 1, height - 1);
      break;

    case BGPT_OUTCOME_UNKNOWN:
      /* A dot: nothing was learnt while offline. */
      rounded_rectangle (cr, x, (height - BEAT_WIDTH) / 2.0, BEAT_WIDTH, BEAT_WIDTH);
      break;

    case BGPT_OUTCOME_OK:
    case BGPT_N_OUTCOMES:  /* an empty slot */
    default:
      rounded_rectangle (cr, x, 0, BEAT_WIDTH, height);
      break;
    }
}

/* The beats of one outcome at a time, as one path filled (or stroked)
 * once: most slots share their outcome. */
static void
draw_beats (BgptHeartbeatBar *self,
            cairo_t          *cr,
            int               width,
            double            height,
            const GdkRGBA    *colors)
{
  guint n_slots = beats_that_fit (width);
  GdkRGBA grey = colors[2];
  GdkRGBA empty = colors[2];
  const GdkRGBA *outcome_colors[BGPT_N_OUTCOMES + 1];

  grey.alpha *= 0.45f;
  empty.alpha *= 0.1f;
  outcome_colors[BGPT_OUTCOME_OK] = &colors[0];
  outcome_colors[BGPT_OUTCOME_FAILED] = &colors[1];
  outcome_colors[BGPT_OUTCOME_BLOCKED] = &grey;
  outcome_colors[BGPT_OUTCOME_UNKNOWN] = &grey;
  outcome_colors[BGPT_N_OUTCOMES] = &empty;

  cairo_set_line_width (cr, 1.0);
  for (guint outcome = 0; outcome <= BGPT_N_OUTCOMES; outcome++)
    {
      gboolean any = FALSE;

      /* Right-aligned, newest last: empty slots on the left until filled. */
      for (guint slot = 0; slot < n_slots; slot++)
        {
          guint beat = slot < self->n_beats ? self->beats[self->n_beats - 1 - slot] : BGPT_N_OUTCOMES;

          if (MIN (beat, BGPT_N_OUTCOMES) != outcome)
            continue;
          beat_path (cr, outcome, width - (double) (slot + 1) * (BEAT_WIDTH + BEAT_GAP) + BEAT_GAP, height);
          any = TRUE;
        }
      if (!any)
        continue;
      gdk_cairo_set_source_rgba (cr, outcome_colors[outcome]);
      if (outcome == BGPT_OUTCOME_BLOCKED)
        cairo_stroke (cr);
      else
        cairo_fill (cr);
    }
}

/* The beats drawn once into an image, kept until they, the size or the
 * colours change: the cairo renderer draws every row of the Status page
 * again each frame while it scrolls, and an image is far cheaper to draw
 * than its rounded beats. */
static GdkTexture *
render_texture (BgptHeartbeatBar *self,
                int               width,
                int               height,
                int               scale,
                const GdkRGBA    *colors)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width * scale, height * scale);
  g_autoptr(GBytes) bytes = NULL;
  cairo_t *cr;
  GdkTexture *texture;

  cairo_surface_set_device_scale (surface, scale, scale);
  cr = cairo_create (surface);
  draw_beats (self, cr, width, height, colors);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  bytes = g_bytes_new (cairo_image_surface_get_data (surface),
                       (gsize) cairo_image_surface_get_stride (surface) * height * scale);
  /* CAIRO_FORMAT_ARGB32 is GDK_MEMORY_DEFAULT. */
  texture = gdk_memory_texture_new (width * scale, height * scale, GDK_MEMORY_DEFAULT, bytes,
                                    cairo_image_surface_get_stride (surface));
  cairo_surface_destroy (surface);
  return texture;
}

static void
bgpt_heartbeat_bar_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  BgptHeartbeatBar *self = BGPT_HEARTBEAT_BAR (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int scale = gtk_widget_get_scale_factor (widget);
  GdkRGBA colors[3];

  if (width <= 0 || height <= 0)
    return;

  colors[0] = bgpt_style_color (widget, "success_color", "#26a269");
  colors[1] = bgpt_style_color (widget, "error_color", "#c01c28");
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &colors[2]);

  if (self->texture == NULL
      || gdk_texture_get_width (self->texture) != width * scale
      || gdk_texture_get_height (self->texture) != height * scale
      || memcmp (colors, self->texture_colors, sizeof colors) != 0)
    {
      g_clear_object (&self->texture);
      self->texture = render_texture (self, width, height, scale, colors);
      memcpy (self->texture_colors, colors, sizeof colors);
    }
  gtk_snapshot_append_texture (snapshot, self->texture, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

void
bgpt_heartbeat_bar_set_results (BgptHeartbeatBar *self,
                                GArray           *results)
{
  guint8 beats[BGPT_HEARTBEAT_MAX_BEATS];
  guint n_beats;
  guint first;

  g_return_if_fail (BGPT_IS_HEARTBEAT_BAR (self));
  g_return_if_fail (results != NULL);

  first = results->len > BGPT_HEARTBEAT_MAX_BEATS ? results->len - BGPT_HEARTBEAT_MAX_BEATS : 0;
  n_beats = results->len - first;
  for (guint i = 0; i < n_beats; i++)
    beats[i] = (guint8) g_array_index (results, BgptHistoryResult, first + i).outcome;
  /* The same beats (a row of the Status list bound to another check with
   * the same recent results, most often all good) keep their drawing. */
  if (n_beats == self->n_beats && memcmp (beats, self->beats, n_beats) == 0)
    return;
  self->n_beats = n_beats;
  memcpy (self->beats, beats, n_beats);
  g_clear_object (&self->texture);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
bgpt_heartbeat_bar_get_n_beats (BgptHeartbeatBar *self)
{
  g_return_val_if_fail (BGPT_IS_HEARTBEAT_BAR (self), 0);
  return self->n_beats;
}

static void
bgpt_heartbeat_bar_finalize (GObject *object)
{
  g_clear_object (&BGPT_HEARTBEAT_BAR (object)->texture);

  G_OBJECT_CLASS (bgpt_heartbeat_bar_parent_class)->finalize (object);
}

static void
bgpt_heartbeat_bar_class_init (BgptHeartbeatBarClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = bgpt_heartbeat_bar_finalize;
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
