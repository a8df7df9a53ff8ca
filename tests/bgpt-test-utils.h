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

/* The one bound on anything a test waits for (a signal, a bus name, a file,
 * a frame), in milliseconds, scaled. Generous on purpose: a wait ends as
 * soon as its condition holds, so only a test that is failing anyway waits
 * this long, and a loaded machine never makes a passing test fail. */
#define BGPT_TEST_WAIT_MS 60000

static inline guint
bgpt_test_wait_bound_ms (void)
{
  return (guint) bgpt_test_scaled_ms (BGPT_TEST_WAIT_MS);
}

typedef gboolean (*BgptTestCondition) (gpointer data);

static inline gboolean
bgpt_test_wait_expired (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the default main context until @condition holds or the bound
 * passes; gives whether it holds. */
static inline gboolean
bgpt_test_wait_until (BgptTestCondition condition,
                      gpointer          data)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add (bgpt_test_wait_bound_ms (), bgpt_test_wait_expired, &expired);

  while (!condition (data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  return condition (data);
}
