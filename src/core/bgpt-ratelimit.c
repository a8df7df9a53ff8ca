/* bgpt-ratelimit.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-ratelimit"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "bgpt-ratelimit.h"

/* A reset further away than a year is no answer a client can use. */
#define MAX_RESET_MS ((double) 366 * 24 * 3600 * 1000)

gboolean
bgpt_rate_limit_parse_count (const char *text,
                             gint64     *count)
{
  guint64 value = 0;

  if (text == NULL || *text == '\0')
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      guint digit;

      if (!g_ascii_isdigit (*p))
        return FALSE;
      digit = (guint) (*p - '0');
      if (value > ((guint64) G_MAXINT64 - digit) / 10)
        return FALSE;
      value = value * 10 + digit;
    }

  *count = (gint64) value;
  return TRUE;
}

typedef struct
{
  const char *name;
  double      milliseconds;
} DurationUnit;

/* Longest names first: "ms" before "m" and "s". */
static const DurationUnit duration_units[] = {
  { "ns", 1e-6 },
  { "us", 1e-3 },
  { "\302\265s", 1e-3 },  /* µs, MICRO SIGN */
  { "\316\274s", 1e-3 },  /* μs, GREEK SMALL LETTER MU */
  { "ms", 1 },
  { "h", 3600e3 },
  { "m", 60e3 },
  { "s", 1e3 },
};

/* Reads "123" or "1.25" at *@p; no sign, no exponent, whatever the locale. */
static gboolean
read_decimal (const char **p,
              double      *value)
{
  const char *start = *p;
  double number = 0, scale = 1;
  gboolean fraction = FALSE;

  for (; **p != '\0'; (*p)++)
    {
      if (g_ascii_isdigit (**p))
        {
          if (fraction)
            {
              scale /= 10;
              number += (**p - '0') * scale;
            }
          else
            number = number * 10 + (**p - '0');
        }
      else if (**p == '.' && !fraction)
        fraction = TRUE;
      else
        break;
    }

  /* At least one digit: "." alone is no number. */
  if (*p == start || (*p - start == 1 && fraction))
    return FALSE;
  *value = number;
  return TRUE;
}

gboolean
bgpt_rate_limit_parse_duration (const char *text,
                                gint64     *milliseconds)
{
  const char *p = text;
  double total = 0;

  if (text == NULL || *text == '\0')
    return FALSE;

  if (g_str_equal (text, "0"))
    {
      *milliseconds = 0;
      return TRUE;
    }

  while (*p != '\0')
    {
      const DurationUnit *unit = NULL;
      double number;

      if (!read_decimal (&p, &number))
        return FALSE;
      for (gsize i = 0; i < G_N_ELEMENTS (duration_units); i++)
        if (g_str_has_prefix (p, duration_units[i].name))
          {
            unit = &duration_units[i];
            break;
          }
      if (unit == NULL)
        return FALSE;
      p += strlen (unit->name);
      total += number * unit->milliseconds;
      if (!(total <= MAX_RESET_MS))
        return FALSE;
    }

  /* Rounded up: a reset is never earlier than the server said. */
  *milliseconds = (gint64) total;
  if ((double) *milliseconds < total)
    (*milliseconds)++;
  return TRUE;
}

static void
read_part (SoupMessageHeaders *headers,
           const char         *kind,
           BgptRateLimitPart  *part)
{
  g_autofree char *limit_name = g_strconcat ("x-ratelimit-limit-", kind, NULL);
  g_autofree char *remaining_name = g_strconcat ("x-ratelimit-remaining-", kind, NULL);
  g_autofree char *reset_name = g_strconcat ("x-ratelimit-reset-", kind, NULL);

  memset (part, 0, sizeof *part);
  part->reset_ms = -1;

  if (headers == NULL ||
      !bgpt_rate_limit_parse_count (soup_message_headers_get_one (headers, limit_name), &part->limit) ||
      !bgpt_rate_limit_parse_count (soup_message_headers_get_one (headers, remaining_name),
                                    &part->remaining) ||
      /* No limit is no headroom to measure. */
      part->limit == 0)
    {
      part->limit = part->remaining = 0;
      return;
    }

  part->present = TRUE;
  if (!bgpt_rate_limit_parse_duration (soup_message_headers_get_one (headers, reset_name),
                                       &part->reset_ms))
    part->reset_ms = -1;
}

void
bgpt_rate_limit_read (SoupMessageHeaders *headers,
                      BgptRateLimit      *rate_limit)
{
  g_return_if_fail (rate_limit != NULL);

  read_part (headers, "requests", &rate_limit->requests);
  read_part (headers, "tokens", &rate_limit->tokens);
}

gboolean
bgpt_rate_limit_is_known (const BgptRateLimit *rate_limit)
{
  return rate_limit != NULL && (rate_limit->requests.present || rate_limit->tokens.present);
}

gint64
bgpt_rate_limit_part_near_below (const BgptRateLimitPart *part)
{
  gint64 quotient, rest;

  if (part == NULL || !part->present || part->limit <= 0)
    return 0;

  /* limit × 10 / 100, rounded up, without overflowing limit × 10. */
  quotient = part->limit / 100 * BGPT_RATE_LIMIT_NEAR_PERCENT +
             part->limit % 100 * BGPT_RATE_LIMIT_NEAR_PERCENT / 100;
  rest = part->limit % 100 * BGPT_RATE_LIMIT_NEAR_PERCENT % 100;
  return quotient + (rest > 0 ? 1 : 0);
}

gboolean
bgpt_rate_limit_part_is_near (const BgptRateLimitPart *part)
{
  return part != NULL && part->present && part->remaining < bgpt_rate_limit_part_near_below (part);
}

gboolean
bgpt_rate_limit_is_near (const BgptRateLimit *rate_limit)
{
  return rate_limit != NULL &&
         (bgpt_rate_limit_part_is_near (&rate_limit->requests) ||
          bgpt_rate_limit_part_is_near (&rate_limit->tokens));
}

double
bgpt_rate_limit_part_fraction (const BgptRateLimitPart *part)
{
  if (part == NULL || !part->present || part->limit <= 0)
    return 1.0;
  return (double) part->remaining / (double) part->limit;
}

const BgptRateLimitPart *
bgpt_rate_limit_tightest (const BgptRateLimit *rate_limit)
{
  if (rate_limit == NULL)
    return NULL;
  if (!rate_limit->requests.present)
    return rate_limit->tokens.present ? &rate_limit->tokens : NULL;
  if (!rate_limit->tokens.present)
    return &rate_limit->requests;
  return bgpt_rate_limit_part_fraction (&rate_limit->tokens) <
         bgpt_rate_limit_part_fraction (&rate_limit->requests) ? &rate_limit->tokens
                                                               : &rate_limit->requests;
}

/* @count in units of @unit: one decimal below ten units, none above; cut,
 * not rounded, so that what is left never reads as the whole limit. */
static char *
format_scaled (gint64 count,
               gint64 unit)
{
  if (count / unit < 10 && count % unit / (unit / 10) != 0)
    return g_strdup_printf ("%.1f", (double) (count / (unit / 10)) / 10);
  return g_strdup_printf ("%" G_GINT64_FORMAT, count / unit);
}

char *
bgpt_rate_limit_format_count (gint64 count)
{
  g_autofree char *number = NULL;

  if (count < 100000)
    /* The locale's digit grouping: "4.980" under pt_BR. */
    return g_strdup_printf ("%'" G_GINT64_FORMAT, count);

  if (count < 1000000)
    {
      number = format_scaled (count, 1000);
      /* Translators: thousands of requests or tokens, e.g. "450 k";
       * pt_BR: "450 mil" */
      return g_strdup_printf (_("%s k"), number);
    }
  if (count < G_GINT64_CONSTANT (1000000000))
    {
      number = format_scaled (count, 1000000);
      /* Translators: millions of requests or tokens, e.g. "1.9 M" */
      return g_strdup_printf (_("%s M"), number);
    }
  number = format_scaled (count, G_GINT64_CONSTANT (1000000000));
  /* Translators: billions (thousand millions) of tokens, e.g. "2 B";
   * pt_BR: "2 bi" */
  return g_strdup_printf (_("%s B"), number);
}

char *
bgpt_rate_limit_format_headroom (const BgptRateLimit *rate_limit)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  if (!bgpt_rate_limit_is_known (rate_limit))
    return NULL;

  if (rate_limit->requests.present)
    {
      g_autofree char *remaining = bgpt_rate_limit_format_count (rate_limit->requests.remaining);
      g_autofree char *limit = bgpt_rate_limit_format_count (rate_limit->requests.limit);

      /* Translators: the requests left of a rate limit, e.g. "4,980 of 5,000 requests" */
      g_ptr_array_add (parts, g_strdup_printf (_("%s of %s requests"), remaining, limit));
    }
  if (rate_limit->tokens.present)
    {
      g_autofree char *remaining = bgpt_rate_limit_format_count (rate_limit->tokens.remaining);
      g_autofree char *limit = bgpt_rate_limit_format_count (rate_limit->tokens.limit);

      /* Translators: the tokens left of a rate limit, e.g. "1.9 M of 2 M tokens" */
      g_ptr_array_add (parts, g_strdup_printf (_("%s of %s tokens"), remaining, limit));
    }

  g_ptr_array_add (parts, NULL);
  /* Translators: between the requests and the tokens left */
  return g_strjoinv (_(", "), (char **) parts->pdata);
}
