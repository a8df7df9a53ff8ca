/* bgpt-heartbeat-bar.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-heartbeat-bar"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-heartbeat-bar.h"
#include "bgpt-latency-chart.h"

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
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = MIN_BEATS * (BEAT_WIDTH + BEAT_GAP) - BEAT_GAP;
      /* Room for the row's title: more beats only where it is spare. */
      *natural = NATURAL_BEATS * (BEAT_WIDTH + BEAT_GAP) - BEAT_GAP;
    }
  else
    {
      *minimum = *natural = BEAT_HEIGHT;
    }
}

static void
append_rounded (GtkSnapshot           *snapshot,
                const graphene_rect_t *rect,
                const GdkRGBA         *color)
{
  GskRoundedRect rounded;
  float radius = MIN (rect->size.width, rect->size.height) / 2.0f;

  gsk_rounded_rect_init_from_rect (&rounded, rect, radius);
  gtk_snapshot_push_rounded_clip (snapshot, &rounded);
  gtk_snapshot_append_color (snapshot, color, rect);
  gtk_snapshot_pop (snapshot);
}

static void
bgpt_heartbeat_bar_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  BgptHeartbeatBar *self = BGPT_HEARTBEAT_BAR (widget);
  int width = gtk_widget_get_width (widget);
  float height = gtk_widget_get_height (widget);
  guint n_slots = beats_that_fit (width);
  GdkRGBA ok = bgpt_style_color (widget, "success_color", "#26a269");
  GdkRGBA failed = bgpt_style_color (widget, "error_color", "#c01c28");
  GdkRGBA grey;
  GdkRGBA empty;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &grey);
  empty = grey;
  grey.alpha *= 0.45f;
  empty.alpha *= 0.1f;

  /* Right-aligned, newest last: empty slots on the left until filled. */
  for (guint slot = 0; slot < n_slots; slot++)
    {
      float x = width - (float) (slot + 1) * (BEAT_WIDTH + BEAT_GAP) + BEAT_GAP;
      graphene_rect_t rect = GRAPHENE_RECT_INIT (x, 0, BEAT_WIDTH, height);

      if (slot >= self->n_beats)
        {
          append_rounded (snapshot, &rect, &empty);
          continue;
        }

      switch ((BgptOutcome) self->beats[self->n_beats - 1 - slot])
        {
        case BGPT_OUTCOME_OK:
          append_rounded (snapshot, &rect, &ok);
          break;

        case BGPT_OUTCOME_FAILED:
          {
            /* Broken in the middle: a failure reads as a gap, not a hue. */
            float piece = height * 0.36f;
            graphene_rect_t top = GRAPHENE_RECT_INIT (x, 0, BEAT_WIDTH, piece);
            graphene_rect_t bottom = GRAPHENE_RECT_INIT (x, height - piece, BEAT_WIDTH, piece);

            append_rounded (snapshot, &top, &failed);
            append_rounded (snapshot, &bottom, &failed);
          }
          break;

        case BGPT_OUTCOME_BLOCKED:
          {
            GskRoundedRect rounded;
            const float widths[4] = { 1, 1, 1, 1 };
            const GdkRGBA colors[4] = { grey, grey, grey, grey };

            gsk_rounded_rect_init_from_rect (&rounded, &rect, BEAT_WIDTH / 2.0f);
            gtk_snapshot_append_border (snapshot, &rounded, widths, colors);
          }
          break;

        case BGPT_OUTCOME_UNKNOWN:
        case BGPT_N_OUTCOMES:
        default:
          {
            graphene_rect_t dot = GRAPHENE_RECT_INIT (x, (height - BEAT_WIDTH) / 2.0f, BEAT_WIDTH, BEAT_WIDTH);

            append_rounded (snapshot, &dot, &grey);
          }
          break;
        }
    }
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
