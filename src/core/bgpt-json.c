/* bgpt-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-json"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "bgpt-json.h"

G_DEFINE_QUARK (bgpt-json-error-quark, bgpt_json_error)

/* A strict RFC 8259 validator. It recurses once per nesting level, and
 * refuses before BGPT_JSON_MAX_DEPTH, so its own stack stays small. */
typedef struct
{
  const char *p;
  const char *end;
  gboolean    too_deep;
} Scanner;

static void
skip_space (Scanner *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static gboolean
scan_literal (Scanner    *s,
              const char *word)
{
  gsize len = strlen (word);

  if ((gsize) (s->end - s->p) < len || memcmp (s->p, word, len) != 0)
    return FALSE;
  s->p += len;
  return TRUE;
}

static gboolean
scan_digits (Scanner *s)
{
  const char *start = s->p;

  while (s->p < s->end && g_ascii_isdigit (*s->p))
    s->p++;
  return s->p > start;
}

static gboolean
scan_number (Scanner *s)
{
  if (s->p < s->end && *s->p == '-')
    s->p++;
  if (s->p < s->end && *s->p == '0')
    s->p++;
  else if (!scan_digits (s))
    return FALSE;

  if (s->p < s->end && *s->p == '.')
    {
      s->p++;
      if (!scan_digits (s))
        return FALSE;
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      s->p++;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (!scan_digits (s))
        return FALSE;
    }
  return TRUE;
}

static gboolean
scan_string (Scanner *s)
{
  const char *start;

  if (s->p >= s->end || *s->p != '"')
    return FALSE;
  start = ++s->p;

  while (s->p < s->end)
    {
      guchar c = (guchar) *s->p;

      if (c == '"')
        {
          const char *invalid;

          if (!g_utf8_validate_len (start, s->p - start, &invalid))
            return FALSE;
          s->p++;
          return TRUE;
        }
      if (c < 0x20)
        return FALSE;
      if (c == '\\')
        {
          s->p++;
          if (s->p >= s->end)
            return FALSE;
          switch (*s->p)
            {
            case '"': case '\\': case '/': case 'b':
            case 'f': case 'n': case 'r': case 't':
              s->p++;
              break;
            case 'u':
              s->p++;
              for (int i = 0; i < 4; i++, s->p++)
                if (s->p >= s->end || !g_ascii_isxdigit (*s->p))
                  return FALSE;
              break;
            default:
              return FALSE;
            }
          continue;
        }
      s->p++;
    }
  return FALSE;
}

static gboolean scan_value (Scanner *s, guint depth);

static gboolean
scan_container (Scanner *s,
                guint    depth,
                char     close)
{
  if (depth >= BGPT_JSON_MAX_DEPTH)
    {
      s->too_deep = TRUE;
      return FALSE;
    }

  s->p++;
  skip_space (s);
  if (s->p < s->end && *s->p == close)
    {
      s->p++;
      return TRUE;
    }

  for (;;)
    {
      if (close == '}')
        {
          if (!scan_string (s))
            return FALSE;
          skip_space (s);
          if (s->p >= s->end || *s->p != ':')
            return FALSE;
          s->p++;
          skip_space (s);
        }
      if (!scan_value (s, depth + 1))
        return FALSE;
      skip_space (s);
      if (s->p >= s->end)
        return FALSE;
      if (*s->p == close)
        {
          s->p++;
          return TRUE;
        }
      if (*s->p != ',')
        return FALSE;
      s->p++;
      skip_space (s);
    }
}

static gboolean
scan_value (Scanner *s,
            guint    depth)
{
  if (s->p >= s->end)
    return FALSE;

  switch (*s->p)
    {
    case '{':
      return scan_container (s, depth, '}');
    case '[':
      return scan_container (s, depth, ']');
    case '"':
      return scan_string (s);
    case 't':
      return scan_literal (s, "true");
    case 'f':
      return scan_literal (s, "false");
    case 'n':
      return scan_literal (s, "null");
    default:
      return scan_number (s);
    }
}

JsonNode *
bgpt_json_parse (const char  *text,
                 gssize       length,
                 GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  Scanner scanner;

  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 0)
    length = strlen (text);

  scanner.p = text;
  scanner.end = text + length;
  scanner.too_deep = FALSE;

  skip_space (&scanner);
  if (!scan_value (&scanner, 0) || (skip_space (&scanner), scanner.p != scanner.end))
    {
      if (scanner.too_deep)
        g_set_error (error, BGPT_JSON_ERROR, BGPT_JSON_ERROR_TOO_DEEP,
                     "JSON nested deeper than %d levels", BGPT_JSON_MAX_DEPTH);
      else
        g_set_error (error, BGPT_JSON_ERROR, BGPT_JSON_ERROR_INVALID,
                     "not valid JSON at byte %" G_GSIZE_FORMAT,
                     (gsize) (scanner.p - text));
      return NULL;
    }

  parser = json_parser_new_immutable ();
#if JSON_CHECK_VERSION (1, 10, 0)
  json_parser_set_strict (parser, TRUE);
#endif
  if (!json_parser_load_from_data (parser, text, length, &local_error))
    {
      g_set_error (error, BGPT_JSON_ERROR, BGPT_JSON_ERROR_INVALID,
                   "%s", local_error->message);
      return NULL;
    }

  return json_parser_steal_root (parser);
}

const char *
bgpt_json_object_get_string (JsonObject *object,
                             const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

void
bgpt_json_builder_add_string_or_null (JsonBuilder *builder,
                                      const char  *name,
                                      const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}
