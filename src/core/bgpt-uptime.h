/* bgpt-uptime.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bgpt-history.h"

G_BEGIN_DECLS

/* The figures of one check over a span of time, from its history. Pure
 * functions: the same history gives the same figures. */
typedef struct
{
  gint64      start;       /* Unix seconds; the span is [start, start + width) */
  guint32     counts[BGPT_N_OUTCOMES];
  guint32     median_ms;   /* of the answered results (ok or failed); 0 without */
  guint32     worst_ms;
  const char *error_id;    /* interned catalog id of the last failure, or NULL */
} BgptUptime;

/* One stretch of failures with the same catalog id. */
typedef struct
{
  gint64      start;
  gint64      end;         /* the first result past it, or its last failure while it goes on */
  const char *error_id;
  guint32     n_failed;
  gboolean    ongoing;     /* no result came after it yet */
} BgptFailurePeriod;

/* Over [@since, @until): results by their time, hours by their start. */
void      bgpt_uptime_compute         (GArray     *results,
                                       GArray     *hours,
                                       gint64      since,
                                       gint64      until,
                                       BgptUptime *out);

/* The share of answered checks that passed, 0 to 1: offline (unknown) and
 * blocked checks count neither way. Negative when nothing was answered. */
double    bgpt_uptime_get_ratio       (const BgptUptime *uptime);
guint32   bgpt_uptime_get_failures    (const BgptUptime *uptime);

/* @n_buckets spans of @width seconds from @since, as BgptUptime. An hour
 * goes whole into the bucket its start falls in. */
GArray   *bgpt_uptime_buckets         (GArray     *results,
                                       GArray     *hours,
                                       gint64      since,
                                       gint64      width,
                                       guint       n_buckets);

/* The failure periods that overlap [@since, @until), oldest first, as
 * BgptFailurePeriod. Offline and blocked results end a period. */
GArray   *bgpt_uptime_failure_periods (GArray     *results,
                                       GArray     *hours,
                                       gint64      since,
                                       gint64      until);

G_END_DECLS
