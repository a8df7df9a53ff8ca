/* bgpt-costs-chart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-costs-chart"

#include "config.h"

#include <string.h>

#include "bgpt-costs-chart.h"
#include "bgpt-widget-size.h"

#define SECONDS_PER_DAY 86400
#define BAR_GAP         2.0f
#define LINE_WIDTH      2.0f

struct _BgptCostsChart
{
  GtkWidget parent_instance;

  double    days[BGPT_COSTS_DAYS];  /* oldest first, today last */
  double    daily_budget_usd;
};

G_DEFINE_FINAL_TYPE (BgptCostsChart, bgpt_costs_chart, GTK_TYPE_WIDGET)

/* The theme's foreground, for the budget line and the empty chart's base. */
static void
foreground (GtkWidget *widget,
            GdkRGBA   *color)
{
#if GTK_CHECK_VERSION (4, 10, 0)
  gtk_widget_get_color (widget, color);
#else
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), color);
#endif
}

static void
bgpt_costs_chart_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  BgptCostsChart *self = BGPT_COSTS_CHART (widget);
  float width = gtk_widget_get_width (widget);
  float height = gtk_widget_get_height (widget);
  /* Adwaita's blue, and its orange for the days over the budget's pace. */
  const GdkRGBA bar = { 0.21f, 0.52f, 0.89f, 1.0f };
  const GdkRGBA over = { 0.90f, 0.38f, 0.0f, 1.0f };
  GdkRGBA line;
  float bar_width = width / BGPT_COSTS_DAYS;
  double top = self->daily_budget_usd * 1.15;

  for (guint i = 0; i < BGPT_COSTS_DAYS; i++)
    top = MAX (top, self->days[i] * 1.05);

  foreground (widget, &line);
  /* The base line, so that an empty month is still a chart. */
  line.alpha *= 0.3f;
  gtk_snapshot_append_color (snapshot, &line, &GRAPHENE_RECT_INIT (0, height - 1, width, 1));

  if (top <= 0.0)
    return;

  for (guint i = 0; i < BGPT_COSTS_DAYS; i++)
    {
      float bar_height = (float) (self->days[i] / top) * height;
      gboolean over_pace = self->daily_budget_usd > 0.0 && self->days[i] > self->daily_budget_usd;

      if (bar_height <= 0.0f)
        continue;
      gtk_snapshot_append_color (snapshot, over_pace ? &over : &bar,
                                 &GRAPHENE_RECT_INIT (i * bar_width + BAR_GAP / 2, height - bar_height,
                                                      MAX (bar_width - BAR_GAP, 1.0f), bar_height));
    }

  if (self->daily_budget_usd > 0.0)
    {
      float y = height - (float) (self->daily_budget_usd / top) * height;

      foreground (widget, &line);
      gtk_snapshot_append_color (snapshot, &line,
                                 &GRAPHENE_RECT_INIT (0, y - LINE_WIDTH / 2, width, LINE_WIDTH));
    }
}

static void
bgpt_costs_chart_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  bgpt_widget_size_measure (orientation, BGPT_COSTS_DAYS * 4, BGPT_COSTS_DAYS * 16, 80, 160,
                            minimum, natural);
}

static void
bgpt_costs_chart_class_init (BgptCostsChartClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->snapshot = bgpt_costs_chart_snapshot;
  widget_class->measure = bgpt_costs_chart_measure;
  gtk_widget_class_set_css_name (widget_class, "costs-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
bgpt_costs_chart_init (BgptCostsChart *self)
{
}

GtkWidget *
bgpt_costs_chart_new (void)
{
  return g_object_new (BGPT_TYPE_COSTS_CHART, NULL);
}

void
bgpt_costs_chart_set_data (BgptCostsChart  *self,
                           const BgptCosts *costs,
                           GDateTime       *now,
                           double           daily_budget_usd)
{
  gint64 today;

  g_return_if_fail (BGPT_IS_COSTS_CHART (self));
  g_return_if_fail (now != NULL);

  memset (self->days, 0, sizeof self->days);
  today = g_date_time_to_unix (now) / SECONDS_PER_DAY;
  for (guint i = 0; costs != NULL && i < costs->days->len; i++)
    {
      const BgptCostsDay *day = &g_array_index (costs->days, BgptCostsDay, i);
      gint64 back = today - day->start_time / SECONDS_PER_DAY;

      if (back >= 0 && back < BGPT_COSTS_DAYS)
        self->days[BGPT_COSTS_DAYS - 1 - back] += day->usd;
    }
  self->daily_budget_usd = MAX (daily_budget_usd, 0.0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const double *
bgpt_costs_chart_get_days (BgptCostsChart *self)
{
  g_return_val_if_fail (BGPT_IS_COSTS_CHART (self), NULL);

  return self->days;
}
