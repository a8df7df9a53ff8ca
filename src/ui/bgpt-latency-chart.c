/* bgpt-latency-chart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-latency-chart"

#include "config.h"

#include <langinfo.h>
#include <math.h>

#include <glib/gi18n.h>

#include "bgpt-format.h"
#include "bgpt-latency-chart.h"
#include "bgpt-widget-size.h"

#define AXIS_WIDTH 52
#define LABEL_HEIGHT 20
#define BAND_HEIGHT 12
#define BAND_GAP 6
#define FLOOR_MS 10
#define N_TIME_LABELS 4
#define MIN_PLOT_HEIGHT 120

struct _BgptLatencyChart
{
  GtkWidget  parent_instance;

  GArray    *buckets;   /* BgptUptime */
  GArray    *periods;   /* BgptFailurePeriod */
  gint64     since;
  gint64     width;     /* seconds per bucket */
};

G_DEFINE_FINAL_TYPE (BgptLatencyChart, bgpt_latency_chart, GTK_TYPE_WIDGET)

char *
bgpt_format_chart_time (gint64   time,
                        gboolean with_date)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time);
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  if (local == NULL)
    return g_strdup ("");
  if (with_date)
    /* Translators: a short day on a chart's time axis, as in g_date_time_format(), e.g. "%d/%m" */
    return g_date_time_format (local, _("%m/%d"));
  /* The locale's clock: 24 hours unless it names an AM and a PM (GLib's
   * %p would give English ones where the locale has none). */
  if (nl_langinfo (AM_STR)[0] != '\0')
    return g_date_time_format (local, "%l:%M %p");
  return g_date_time_format (local, "%H:%M");
}

GdkRGBA
bgpt_style_color (GtkWidget  *widget,
                  const char *name,
                  const char *fallback)
{
  GdkRGBA color;

  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), name, &color))
    gdk_rgba_parse (&color, fallback);
  return color;
}

/* 1, 2 or 5 times a power of ten, at least @value. */
static guint32
nice_ceiling (guint32 value)
{
  guint32 step = 1;

  while (step * 10 <= value)
    step *= 10;
  if (value <= step)
    return step;
  if (value <= 2 * step)
    return 2 * step;
  if (value <= 5 * step)
    return 5 * step;
  return 10 * step;
}

/* Logarithmic from FLOOR_MS: a 20 s timeout and a 200 ms median both
 * stay readable on one chart. 0 to 1. */
static float
scale (guint32 value,
       guint32 top)
{
  if (value <= FLOOR_MS)
    return 0.0f;
  return (float) MIN (1.0, log10 ((double) value / FLOOR_MS) / log10 ((double) top / FLOOR_MS));
}

static void
append_text (GtkWidget   *widget,
             GtkSnapshot *snapshot,
             const char  *text,
             float        x,
             float        y,
             float        align,
             const GdkRGBA *color)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  int text_width, text_height;

  pango_layout_get_pixel_size (layout, &text_width, &text_height);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x - align * text_width, y - text_height / 2.0f));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

/* Diagonal stripes: a failure band reads as a pattern, not only a hue. */
static void
append_hatched (GtkSnapshot           *snapshot,
                const graphene_rect_t *rect,
                const GdkRGBA         *color)
{
  GdkRGBA light = *color;

  light.alpha *= 0.35f;
  gtk_snapshot_append_color (snapshot, &light, rect);
  gtk_snapshot_push_clip (snapshot, rect);
  for (float x = rect->origin.x - rect->size.height; x < rect->origin.x + rect->size.width; x += 6)
    {
      /* A stripe is a thin rotated rectangle. */
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, rect->origin.y + rect->size.height));
      gtk_snapshot_rotate (snapshot, -45);
      gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (0, 0, rect->size.height * 1.5f, 2));
      gtk_snapshot_restore (snapshot);
    }
  gtk_snapshot_pop (snapshot);
}

static void
bgpt_latency_chart_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  BgptLatencyChart *self = BGPT_LATENCY_CHART (widget);
  float width = gtk_widget_get_width (widget);
  float height = gtk_widget_get_height (widget);
  float plot_x = AXIS_WIDTH;
  float plot_width = MAX (1.0f, width - AXIS_WIDTH - 4);
  float plot_y = LABEL_HEIGHT / 2.0f;
  float plot_height = MAX (1.0f, height - plot_y - BAND_GAP - BAND_HEIGHT - LABEL_HEIGHT - 4);
  float band_y = plot_y + plot_height + BAND_GAP;
  gint64 span = self->width * (gint64) (self->buckets != NULL ? self->buckets->len : 0);
  GdkRGBA fg, grid, accent, worst, failed;
  guint32 top_ms = 0;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  grid = fg;
  grid.alpha *= 0.15f;
  accent = bgpt_style_color (widget, "accent_color", "#1c71d8");
  worst = accent;
  worst.alpha *= 0.3f;
  failed = bgpt_style_color (widget, "error_color", "#c01c28");

  if (self->buckets == NULL || self->buckets->len == 0 || span <= 0)
    return;

  for (guint i = 0; i < self->buckets->len; i++)
    top_ms = MAX (top_ms, g_array_index (self->buckets, BgptUptime, i).worst_ms);
  top_ms = nice_ceiling (MAX (top_ms, 100));

  /* Grid lines at each power of ten, and their latencies. */
  for (guint32 value = FLOOR_MS; value <= top_ms; value *= 10)
    {
      float y = plot_y + plot_height - plot_height * scale (value, top_ms);
      g_autofree char *label = bgpt_format_latency (value);

      gtk_snapshot_append_color (snapshot, &grid, &GRAPHENE_RECT_INIT (plot_x, y, plot_width, 1));
      append_text (widget, snapshot, label, plot_x - 6, y, 1.0f, &fg);
    }

  /* Per bucket: worst as a bar, median as a tick across it. */
  for (guint i = 0; i < self->buckets->len; i++)
    {
      const BgptUptime *bucket = &g_array_index (self->buckets, BgptUptime, i);
      float slot = plot_width / self->buckets->len;
      float x = plot_x + slot * i;
      float bar = MAX (1.0f, slot - MAX (1.0f, slot * 0.2f));
      float worst_height, median_y;

      if (bucket->counts[BGPT_OUTCOME_OK] + bucket->counts[BGPT_OUTCOME_FAILED] == 0)
        continue;
      worst_height = plot_height * scale (bucket->worst_ms, top_ms);
      median_y = plot_y + plot_height - plot_height * scale (bucket->median_ms, top_ms);
      gtk_snapshot_append_color (snapshot, &worst,
                                 &GRAPHENE_RECT_INIT (x, plot_y + plot_height - worst_height, bar, worst_height));
      gtk_snapshot_append_color (snapshot, &accent,
                                 &GRAPHENE_RECT_INIT (x, median_y - 1.5f, bar, 3));
    }

  /* The failure band on the same axis. */
  gtk_snapshot_append_color (snapshot, &grid, &GRAPHENE_RECT_INIT (plot_x, band_y, plot_width, BAND_HEIGHT));
  for (guint i = 0; self->periods != NULL && i < self->periods->len; i++)
    {
      const BgptFailurePeriod *period = &g_array_index (self->periods, BgptFailurePeriod, i);
      gint64 start = MAX (period->start, self->since);
      gint64 end = MIN (MAX (period->end, period->start + self->width / 4), self->since + span);
      float x = plot_x + plot_width * (float) (start - self->since) / span;
      float w = MAX (3.0f, plot_width * (float) (end - start) / span);

      append_hatched (snapshot, &GRAPHENE_RECT_INIT (x, band_y, w, BAND_HEIGHT), &failed);
    }

  /* Time labels. */
  for (guint i = 0; i <= N_TIME_LABELS; i++)
    {
      gint64 time = self->since + span * i / N_TIME_LABELS;
      g_autofree char *label = bgpt_format_chart_time (time, span > 2 * 24 * 3600);
      float x = plot_x + plot_width * i / N_TIME_LABELS;

      append_text (widget, snapshot, label, x, band_y + BAND_HEIGHT + LABEL_HEIGHT / 2.0f + 2,
                   i == 0 ? 0.0f : i == N_TIME_LABELS ? 1.0f : 0.5f, &fg);
    }
}

static void
bgpt_latency_chart_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  int height = LABEL_HEIGHT / 2 + MIN_PLOT_HEIGHT + BAND_GAP + BAND_HEIGHT + LABEL_HEIGHT + 4;

  bgpt_widget_size_measure (orientation, AXIS_WIDTH + 120, AXIS_WIDTH + 480, height, height,
                            minimum, natural);
}

void
bgpt_latency_chart_set_data (BgptLatencyChart *self,
                             GArray           *buckets,
                             GArray           *periods,
                             gint64            since,
                             gint64            width)
{
  g_return_if_fail (BGPT_IS_LATENCY_CHART (self));

  g_clear_pointer (&self->buckets, g_array_unref);
  g_clear_pointer (&self->periods, g_array_unref);
  self->buckets = buckets != NULL ? g_array_copy (buckets) : NULL;
  self->periods = periods != NULL ? g_array_copy (periods) : NULL;
  self->since = since;
  self->width = width;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
bgpt_latency_chart_finalize (GObject *object)
{
  BgptLatencyChart *self = BGPT_LATENCY_CHART (object);

  g_clear_pointer (&self->buckets, g_array_unref);
  g_clear_pointer (&self->periods, g_array_unref);

  G_OBJECT_CLASS (bgpt_latency_chart_parent_class)->finalize (object);
}

static void
bgpt_latency_chart_class_init (BgptLatencyChartClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = bgpt_latency_chart_finalize;
  widget_class->snapshot = bgpt_latency_chart_snapshot;
  widget_class->measure = bgpt_latency_chart_measure;
  gtk_widget_class_set_css_name (widget_class, "latency-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
bgpt_latency_chart_init (BgptLatencyChart *self)
{
}

GtkWidget *
bgpt_latency_chart_new (void)
{
  return g_object_new (BGPT_TYPE_LATENCY_CHART, NULL);
}
