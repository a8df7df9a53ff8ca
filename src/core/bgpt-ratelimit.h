/* bgpt-ratelimit.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Under this share of a limit left, the headroom is near its end and
 * openai.rate-limit-near is raised: 10 %. */
#define BGPT_RATE_LIMIT_NEAR_PERCENT 10

/* One of OpenAI's two limits as one answer stated it: x-ratelimit-limit-*,
 * x-ratelimit-remaining-* and x-ratelimit-reset-* (docs/providers.md). */
typedef struct
{
  gboolean present;    /* both the limit and the remaining count were readable */
  gint64   limit;      /* > 0 when present */
  gint64   remaining;  /* >= 0 when present */
  gint64   reset_ms;   /* until the limit is whole again; -1 when not readable */
} BgptRateLimitPart;

/* The headroom an OpenAI answer showed; a part is absent when its headers
 * were absent or not readable. */
typedef struct
{
  BgptRateLimitPart requests;
  BgptRateLimitPart tokens;
} BgptRateLimit;

/* A count as the headers write it: decimal digits only, no sign, no
 * space, at most G_MAXINT64. */
gboolean bgpt_rate_limit_parse_count    (const char              *text,
                                         gint64                  *count);
/* A duration as Go writes it ("6m0s", "1s", "12ms", "1m3s", "6.2s"):
 * numbers, each with a unit of h, m, s, ms, us, µs or ns; rounded up to
 * whole milliseconds. */
gboolean bgpt_rate_limit_parse_duration (const char              *text,
                                         gint64                  *milliseconds);

/* Reads the six headers of @headers (NULL: none) into @rate_limit. Never
 * fails: what is missing or malformed leaves its part absent (or its reset
 * unknown). */
void     bgpt_rate_limit_read           (SoupMessageHeaders      *headers,
                                         BgptRateLimit           *rate_limit);

gboolean bgpt_rate_limit_is_known       (const BgptRateLimit     *rate_limit);
/* The fewest left that is not near: BGPT_RATE_LIMIT_NEAR_PERCENT of the
 * limit, rounded up (0 when @part is absent). */
gint64   bgpt_rate_limit_part_near_below (const BgptRateLimitPart *part);
/* Less than BGPT_RATE_LIMIT_NEAR_PERCENT of the limit is left. */
gboolean bgpt_rate_limit_part_is_near   (const BgptRateLimitPart *part);
gboolean bgpt_rate_limit_is_near        (const BgptRateLimit     *rate_limit);
/* The share of the limit left, from 0 to 1 (more than 1 when a server
 * says more is left than its limit); 1 when @part is absent. */
double   bgpt_rate_limit_part_fraction  (const BgptRateLimitPart *part);
/* The part with the smaller share left, or NULL when both are absent. */
const BgptRateLimitPart *bgpt_rate_limit_tightest (const BgptRateLimit *rate_limit);

/* "4,980", "450 k", "1.9 M" in the user's language and locale. */
char    *bgpt_rate_limit_format_count    (gint64                   count);
/* "4,980 of 5,000 requests, 1.9 M of 2 M tokens": what is left of the
 * parts present; NULL when none is. */
char    *bgpt_rate_limit_format_headroom (const BgptRateLimit     *rate_limit);

G_END_DECLS
