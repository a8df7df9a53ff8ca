/* bgpt-test-utils.h: what every test program may share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

/* How many times slower than a plain build this one runs:
 * BGPT_TEST_TIME_SCALE, which build-aux/dev test --sanitize sets, 1 when
 * unset. Only for the upper bound of a time a test measures on purpose
 * (checks that must run side by side, a timeout that must hold); waiting for
 * something polls for it with a generous bound instead. */
static inline double
bgpt_test_time_scale (void)
{
  const char *value = g_getenv ("BGPT_TEST_TIME_SCALE");
  double scale = value != NULL ? g_ascii_strtod (value, NULL) : 1.0;

  return scale > 1.0 ? scale : 1.0;
}

/* A measured time's upper bound of MS milliseconds, scaled. */
static inline gint64
bgpt_test_scaled_ms (gint64 ms)
{
  return (gint64) (ms * bgpt_test_time_scale ());
}
