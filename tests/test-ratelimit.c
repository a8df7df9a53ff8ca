/* test-ratelimit.c: OpenAI's rate-limit headers read into headroom, with
 * missing, malformed, negative and huge values, and the 10 % line.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bgpt-ratelimit.h"

typedef enum
{
  COUNT,
  DURATION,
} Reading;

static gboolean (* const parsers[]) (const char *text,
                                     gint64     *value) = {
  [COUNT] = bgpt_rate_limit_parse_count,
  [DURATION] = bgpt_rate_limit_parse_duration,
};

/* Header values read as a count, or as a duration in milliseconds. */
static const struct
{
  Reading     reading;
  const char *text;
  gboolean    ok;
  gint64      value;
} parse_cases[] = {
  { COUNT, "0", TRUE, 0 },
  { COUNT, "5000", TRUE, 5000 },
  { COUNT, "007", TRUE, 7 },
  { COUNT, "9223372036854775807", TRUE, G_MAXINT64 },
  { COUNT, "9223372036854775808", FALSE, 0 },        /* one past int64 */
  { COUNT, "99999999999999999999999999", FALSE, 0 },
  { COUNT, "-1", FALSE, 0 },
  { COUNT, "+5", FALSE, 0 },
  { COUNT, " 5", FALSE, 0 },
  { COUNT, "5 ", FALSE, 0 },
  { COUNT, "5.0", FALSE, 0 },
  { COUNT, "1e3", FALSE, 0 },
  { COUNT, "0x10", FALSE, 0 },
  { COUNT, "", FALSE, 0 },
  { COUNT, "five", FALSE, 0 },
  { COUNT, "\xd9\xa5", FALSE, 0 },                   /* an Arabic-Indic five */
  /* The forms OpenAI's rate-limit guide shows (docs/providers.md). */
  { DURATION, "6m0s", TRUE, 360000 },
  { DURATION, "1s", TRUE, 1000 },
  { DURATION, "12ms", TRUE, 12 },
  { DURATION, "1m3s", TRUE, 63000 },
  { DURATION, "6.2s", TRUE, 6200 },
  { DURATION, "1h2m3.5s", TRUE, 3723500 },
  { DURATION, "0s", TRUE, 0 },
  { DURATION, "0", TRUE, 0 },
  { DURATION, "250us", TRUE, 1 },                    /* rounded up: a reset is never earlier than said */
  { DURATION, "500ns", TRUE, 1 },
  { DURATION, "1\302\265s", TRUE, 1 },
  { DURATION, ".5s", TRUE, 500 },
  { DURATION, "20", FALSE, 0 },                      /* no unit */
  { DURATION, "-1s", FALSE, 0 },
  { DURATION, "1 s", FALSE, 0 },
  { DURATION, "1d", FALSE, 0 },
  { DURATION, "s", FALSE, 0 },
  { DURATION, ".s", FALSE, 0 },
  { DURATION, "1..2s", FALSE, 0 },
  { DURATION, "1e3s", FALSE, 0 },
  { DURATION, "", FALSE, 0 },
  { DURATION, "9999999999999999999999h", FALSE, 0 },
  { DURATION, "10000h", FALSE, 0 },                  /* over a year */
  { DURATION, "Thu, 01 Dec 2026 10:00:00 GMT", FALSE, 0 },
};

/* Every case of one reading; a value it refuses leaves the result as it
 * was. */
static void
test_parse (gconstpointer data)
{
  Reading reading = GPOINTER_TO_INT (data);

  for (gsize i = 0; i < G_N_ELEMENTS (parse_cases); i++)
    {
      gint64 value = -42;
      gboolean ok;

      if (parse_cases[i].reading != reading)
        continue;
      g_test_message ("%s", parse_cases[i].text);
      ok = parsers[reading] (parse_cases[i].text, &value);
      g_assert_cmpint (ok, ==, parse_cases[i].ok);
      if (ok)
        g_assert_cmpint (value, ==, parse_cases[i].value);
      else
        g_assert_cmpint (value, ==, -42);
    }
  g_assert_false (parsers[reading] (NULL, NULL));
}

/* Reads @rate_limit from response headers of these names and values,
 * NULL-terminated. */
static void
read_headers (BgptRateLimit *rate_limit,
              const char    *first_name,
              ...)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  const char *name = first_name;
  va_list args;

  va_start (args, first_name);
  while (name != NULL)
    {
      soup_message_headers_append (headers, name, va_arg (args, const char *));
      name = va_arg (args, const char *);
    }
  va_end (args);
  bgpt_rate_limit_read (headers, rate_limit);
}

static void
test_read_all (void)
{
  BgptRateLimit rate_limit;

  read_headers (&rate_limit,
                "x-ratelimit-limit-requests", "5000",
                "X-RateLimit-Remaining-Requests", "4980",   /* names are case-insensitive */
                "x-ratelimit-reset-requests", "12ms",
                "x-ratelimit-limit-tokens", "2000000",
                "x-ratelimit-remaining-tokens", "1900000",
                "x-ratelimit-reset-tokens", "6m0s",
                NULL);
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

  read_headers (&rate_limit, "x-request-id", "req_1", NULL);
  g_assert_false (bgpt_rate_limit_is_known (&rate_limit));

  /* Only the tokens are readable: the requests part is absent. */
  read_headers (&rate_limit,
                "x-ratelimit-limit-requests", "5000",
                "x-ratelimit-remaining-requests", "lots",
                "x-ratelimit-limit-tokens", "2000000",
                "x-ratelimit-remaining-tokens", "100",
                "x-ratelimit-reset-tokens", "soon",
                NULL);
  g_assert_false (rate_limit.requests.present);
  g_assert_true (rate_limit.tokens.present);
  g_assert_cmpint (rate_limit.tokens.reset_ms, ==, -1);
  g_assert_true (bgpt_rate_limit_is_near (&rate_limit));
  g_assert_true (bgpt_rate_limit_tightest (&rate_limit) == &rate_limit.tokens);

  /* Negative, huge (past int64), a zero limit, a remaining count without a
   * limit: nothing to judge. */
  read_headers (&rate_limit,
                "x-ratelimit-limit-requests", "5000",
                "x-ratelimit-remaining-requests", "-3",
                "x-ratelimit-limit-tokens", "18446744073709551616",
                "x-ratelimit-remaining-tokens", "1",
                NULL);
  g_assert_false (bgpt_rate_limit_is_known (&rate_limit));

  read_headers (&rate_limit,
                "x-ratelimit-limit-requests", "0",
                "x-ratelimit-remaining-requests", "0",
                "x-ratelimit-remaining-tokens", "1",
                NULL);
  g_assert_false (bgpt_rate_limit_is_known (&rate_limit));
  g_assert_false (bgpt_rate_limit_is_near (&rate_limit));

  /* The largest readable values work without overflowing. */
  read_headers (&rate_limit,
                "x-ratelimit-limit-tokens", "9223372036854775807",
                "x-ratelimit-remaining-tokens", "922337203685477580",
                NULL);
  g_assert_true (rate_limit.tokens.present);
  /* 922337203685477580 < 10 % of G_MAXINT64 (…580.7) */
  g_assert_true (bgpt_rate_limit_is_near (&rate_limit));
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

  g_test_add_data_func ("/ratelimit/counts", GINT_TO_POINTER (COUNT), test_parse);
  g_test_add_data_func ("/ratelimit/durations", GINT_TO_POINTER (DURATION), test_parse);
  g_test_add_func ("/ratelimit/read-all", test_read_all);
  g_test_add_func ("/ratelimit/read-missing-and-malformed", test_read_missing_and_malformed);
  g_test_add_func ("/ratelimit/near-line", test_near_line);

  return g_test_run ();
}
