/* test-ratelimit.c: OpenAI's rate-limit headers read into headroom, with
 * missing, malformed, negative and huge values, and the 10 % line.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bgpt-ratelimit.h"

static void
test_counts (void)
{
  static const struct { const char *text; gboolean ok; gint64 value; } cases[] = {
    { "0", TRUE, 0 },
    { "5000", TRUE, 5000 },
    { "007", TRUE, 7 },
    { "9223372036854775807", TRUE, G_MAXINT64 },
    { "9223372036854775808", FALSE, 0 },          /* one past int64 */
    { "99999999999999999999999999", FALSE, 0 },
    { "-1", FALSE, 0 },
    { "+5", FALSE, 0 },
    { " 5", FALSE, 0 },
    { "5 ", FALSE, 0 },
    { "5.0", FALSE, 0 },
    { "1e3", FALSE, 0 },
    { "0x10", FALSE, 0 },
    { "", FALSE, 0 },
    { "five", FALSE, 0 },
    { "\xd9\xa5", FALSE, 0 },                     /* an Arabic-Indic five */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 value = -42;
      gboolean ok = bgpt_rate_limit_parse_count (cases[i].text, &value);

      g_test_message ("count %s", cases[i].text);
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (ok)
        g_assert_cmpint (value, ==, cases[i].value);
      else
        g_assert_cmpint (value, ==, -42);
    }
  g_assert_false (bgpt_rate_limit_parse_count (NULL, NULL));
}

static void
test_durations (void)
{
  static const struct { const char *text; gboolean ok; gint64 ms; } cases[] = {
    /* The forms OpenAI's rate-limit guide shows (docs/providers.md). */
    { "6m0s", TRUE, 360000 },
    { "1s", TRUE, 1000 },
    { "12ms", TRUE, 12 },
    { "1m3s", TRUE, 63000 },
    { "6.2s", TRUE, 6200 },
    { "1h2m3.5s", TRUE, 3723500 },
    { "0s", TRUE, 0 },
    { "0", TRUE, 0 },
    { "250us", TRUE, 1 },      /* rounded up: a reset is never earlier than said */
    { "500ns", TRUE, 1 },
    { "1\302\265s", TRUE, 1 },
    { ".5s", TRUE, 500 },
    { "20", FALSE, 0 },        /* no unit */
    { "-1s", FALSE, 0 },
    { "1 s", FALSE, 0 },
    { "1d", FALSE, 0 },
    { "s", FALSE, 0 },
    { ".s", FALSE, 0 },
    { "1..2s", FALSE, 0 },
    { "1e3s", FALSE, 0 },
    { "", FALSE, 0 },
    { "9999999999999999999999h", FALSE, 0 },
    { "10000h", FALSE, 0 },    /* over a year */
    { "Thu, 01 Dec 2026 10:00:00 GMT", FALSE, 0 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 ms = -42;
      gboolean ok = bgpt_rate_limit_parse_duration (cases[i].text, &ms);

      g_test_message ("duration %s", cases[i].text);
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (ok)
        g_assert_cmpint (ms, ==, cases[i].ms);
    }
  g_assert_false (bgpt_rate_limit_parse_duration (NULL, NULL));
}

static SoupMessageHeaders *
headers_new (const char *first_name,
             ...)
{
  SoupMessageHeaders *headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  const char *name = first_name;
  va_list args;

  va_start (args, first_name);
  while (name != NULL)
    {
      soup_message_headers_append (headers, name, va_arg (args, const char *));
      name = va_arg (args, const char *);
    }
  va_end (args);
  return headers;
}

static void
test_read_all (void)
{
  g_autoptr(SoupMessageHeaders) headers =
    headers_new ("x-ratelimit-limit-requests", "5000",
                 "X-RateLimit-Remaining-Requests", "4980",   /* names are case-insensitive */
                 "x-ratelimit-reset-requests", "12ms",
                 "x-ratelimit-limit-tokens", "2000000",
                 "x-ratelimit-remaining-tokens", "1900000",
                 "x-ratelimit-reset-tokens", "6m0s",
                 NULL);
  BgptRateLimit rate_limit;

  bgpt_rate_limit_read (headers, &rate_limit);
  g_assert_true (rate_limit.requests.present);
  g_assert_cmpint (rate_limit.requests.limit, ==, 5000);
  g_assert_cmpint (rate_limit.requests.remaining, ==, 4980);
  g_assert_cmpint (rate_limit.requests.reset_ms, ==, 12);
  g_assert_true (rate_limit.tokens.present);
  g_assert_cmpint (rate_limit.tokens.limit, ==, 2000000);
  g_assert_cmpint (rate_limit.tokens.remaining, ==, 1900000);
  g_assert_cmpint (rate_limit.tokens.reset_ms, ==, 360000);
  g_assert_true (bgpt_rate_limit_is_known (&rate_limit));
  g_assert_false (bgpt_rate_limit_is_near (&rate_limit));
  g_assert_true (bgpt_rate_limit_tightest (&rate_limit) == &rate_limit.tokens);
}

static void
test_read_missing_and_malformed (void)
{
  BgptRateLimit rate_limit;

  /* No headers at all, or none of these. */
  bgpt_rate_limit_read (NULL, &rate_limit);
  g_assert_false (bgpt_rate_limit_is_known (&rate_limit));
  g_assert_null (bgpt_rate_limit_tightest (&rate_limit));
  g_assert_false (bgpt_rate_limit_is_near (&rate_limit));

  {
    g_autoptr(SoupMessageHeaders) headers = headers_new ("x-request-id", "req_1", NULL);

    bgpt_rate_limit_read (headers, &rate_limit);
    g_assert_false (bgpt_rate_limit_is_known (&rate_limit));
  }

  /* Only the tokens are readable: the requests part is absent. */
  {
    g_autoptr(SoupMessageHeaders) headers =
      headers_new ("x-ratelimit-limit-requests", "5000",
                   "x-ratelimit-remaining-requests", "lots",
                   "x-ratelimit-limit-tokens", "2000000",
                   "x-ratelimit-remaining-tokens", "100",
                   "x-ratelimit-reset-tokens", "soon",
                   NULL);

    bgpt_rate_limit_read (headers, &rate_limit);
    g_assert_false (rate_limit.requests.present);
    g_assert_true (rate_limit.tokens.present);
    g_assert_cmpint (rate_limit.tokens.reset_ms, ==, -1);
    g_assert_true (bgpt_rate_limit_is_near (&rate_limit));
    g_assert_true (bgpt_rate_limit_tightest (&rate_limit) == &rate_limit.tokens);
  }

  /* Negative, huge (past int64), a zero limit, a remaining count without a
   * limit: nothing to judge. */
  {
    g_autoptr(SoupMessageHeaders) headers =
      headers_new ("x-ratelimit-limit-requests", "5000",
                   "x-ratelimit-remaining-requests", "-3",
                   "x-ratelimit-limit-tokens", "18446744073709551616",
                   "x-ratelimit-remaining-tokens", "1",
                   NULL);

    bgpt_rate_limit_read (headers, &rate_limit);
    g_assert_false (bgpt_rate_limit_is_known (&rate_limit));
  }
  {
    g_autoptr(SoupMessageHeaders) headers =
      headers_new ("x-ratelimit-limit-requests", "0",
                   "x-ratelimit-remaining-requests", "0",
                   "x-ratelimit-remaining-tokens", "1",
                   NULL);

    bgpt_rate_limit_read (headers, &rate_limit);
    g_assert_false (bgpt_rate_limit_is_known (&rate_limit));
    g_assert_false (bgpt_rate_limit_is_near (&rate_limit));
  }

  /* The largest readable values work without overflowing. */
  {
    g_autoptr(SoupMessageHeaders) headers =
      headers_new ("x-ratelimit-limit-tokens", "9223372036854775807",
                   "x-ratelimit-remaining-tokens", "922337203685477580",
                   NULL);

    bgpt_rate_limit_read (headers, &rate_limit);
    g_assert_true (rate_limit.tokens.present);
    /* 922337203685477580 < 10 % of G_MAXINT64 (…580.7) */
    g_assert_true (bgpt_rate_limit_is_near (&rate_limit));
  }
}

static void
test_near_line (void)
{
  static const struct { gint64 limit, remaining; gboolean near; } cases[] = {
    { 5000, 4980, FALSE },
    { 5000, 500, FALSE },   /* exactly 10 %: not under it */
    { 5000, 499, TRUE },
    { 5000, 0, TRUE },
    { 3, 0, TRUE },
    { 3, 1, FALSE },        /* 33 % */
    { 9, 0, TRUE },
    { 10, 1, FALSE },
    { 11, 1, TRUE },        /* 1 < 1.1 */
    { 2000000, 199999, TRUE },
    { 2000000, 200000, FALSE },
    { 100, 200, FALSE },    /* more left than the limit: a server's oddity, no alarm */
    { G_MAXINT64, G_MAXINT64 / 10, TRUE },
    { G_MAXINT64, G_MAXINT64 / 10 + 1, FALSE },
  };

  g_assert_cmpint (bgpt_rate_limit_part_near_below (&(BgptRateLimitPart) { TRUE, 5000, 0, -1 }), ==, 500);
  g_assert_cmpint (bgpt_rate_limit_part_near_below (&(BgptRateLimitPart) { TRUE, 11, 0, -1 }), ==, 2);
  g_assert_cmpint (bgpt_rate_limit_part_near_below (&(BgptRateLimitPart) { FALSE, 0, 0, -1 }), ==, 0);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      BgptRateLimitPart part = { TRUE, cases[i].limit, cases[i].remaining, -1 };
      BgptRateLimit rate_limit = { { 0 }, part };

      g_test_message ("%" G_GINT64_FORMAT " of %" G_GINT64_FORMAT,
                      cases[i].remaining, cases[i].limit);
      g_assert_cmpint (bgpt_rate_limit_part_is_near (&part), ==, cases[i].near);
      g_assert_cmpint (cases[i].remaining < bgpt_rate_limit_part_near_below (&part), ==, cases[i].near);
      g_assert_cmpint (bgpt_rate_limit_is_near (&rate_limit), ==, cases[i].near);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ratelimit/counts", test_counts);
  g_test_add_func ("/ratelimit/durations", test_durations);
  g_test_add_func ("/ratelimit/read-all", test_read_all);
  g_test_add_func ("/ratelimit/read-missing-and-malformed", test_read_missing_and_malformed);
  g_test_add_func ("/ratelimit/near-line", test_near_line);

  return g_test_run ();
}
