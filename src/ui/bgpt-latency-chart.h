/* bgpt-latency-chart.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "bgpt-uptime.h"

G_BEGIN_DECLS

#define BGPT_TYPE_LATENCY_CHART (bgpt_latency_chart_get_type ())

G_DECLARE_FINAL_TYPE (BgptLatencyChart, bgpt_latency_chart, BGPT, LATENCY_CHART, GtkWidget)

/* Latency over time, drawn with GtkSnapshot: per bucket a bar up to the
 * worst and a tick at the median (a logarithmic scale); under it, on the same time axis, a band
 * with the failure periods (hatched, not only red). Follows the light and
 * dark styles; the time labels follow the locale. */
GtkWidget *bgpt_latency_chart_new      (void);
/* @buckets of BgptUptime, each @width seconds from @since; @periods of
 * BgptFailurePeriod. Both are copied. */
void       bgpt_latency_chart_set_data (BgptLatencyChart *self,
                                        GArray           *buckets,
                                        GArray           *periods,
                                        gint64            since,
                                        gint64            width);

/* A time label in the locale's format: the hour for a span of a day, the
 * date beyond. */
char      *bgpt_format_chart_time      (gint64            time,
                                        gboolean          with_date);

/* A colour the style names (libadwaita's "success_color", …), so that
 * drawings follow the light and dark styles; @fallback when it has none. */
GdkRGBA    bgpt_style_color            (GtkWidget        *widget,
                                        const char       *name,
                                        const char       *fallback);

G_END_DECLS
