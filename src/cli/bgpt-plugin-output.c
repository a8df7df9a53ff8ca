/* bgpt-plugin-output.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-cli"

#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gi18n.h>

#include "bgpt-plugin-output.h"

/* Where '|' stood: the broken bar reads the same and is not the separator. */
#define PIPE_LOOK_ALIKE_UTF8  "\xc2\xa6"
#define PIPE_LOOK_ALIKE_ASCII "/"

/* How much of a word shortening drops to cut between words instead. */
#define MAX_WORD_CUT_CHARS 20

/* Our own strings' punctuation, which glib's transliteration leaves out. */
static const struct
{
  gunichar    character;
  const char *ascii;
} punctuation[] = {
  { 0x00a6, PIPE_LOOK_ALIKE_ASCII },
  { 0x2013, "-" },
  { 0x2014, "-" },
  { 0x2018, "'" },
  { 0x2019, "'" },
  { 0x201c, "\"" },
  { 0x201d, "\"" },
  { 0x2026, "..." },
};

/* The charset of the locale the user chose, before init changes it. */
static int utf8_locale = -1;

void
bgpt_plugin_output_init (void)
{
  utf8_locale = g_get_charset (NULL);
  if (!utf8_locale)
    setlocale (LC_CTYPE, "C.UTF-8");
}

gboolean
bgpt_plugin_output_utf8_locale (void)
{
  if (utf8_locale < 0)
    utf8_locale = g_get_charset (NULL);
  return utf8_locale;
}

static gboolean
breaks_the_line (gunichar character)
{
  switch (g_unichar_type (character))
    {
    case G_UNICODE_CONTROL:
    case G_UNICODE_FORMAT:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
    case G_UNICODE_SURROGATE:
    case G_UNICODE_UNASSIGNED:
    case G_UNICODE_PRIVATE_USE:
      return TRUE;
    default:
      return FALSE;
    }
}

static void
append_ascii (GString  *out,
              gunichar  character)
{
  char utf8[8] = { 0 };
  g_autofree char *ascii = NULL;
  gboolean usable = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (punctuation); i++)
    if (punctuation[i].character == character)
      {
        g_string_append (out, punctuation[i].ascii);
        return;
      }

  g_unichar_to_utf8 (character, utf8);
  ascii = g_str_to_ascii (utf8, "C");
  for (const guchar *p = (const guchar *) ascii; *p != '\0'; p++)
    if (*p < 0x20 || *p > 0x7e || *p == '?' || *p == '|')
      usable = FALSE;

  /* A character with no ASCII form keeps its code point rather than
   * becoming a '?' nobody can read back. */
  if (usable && *ascii != '\0')
    g_string_append (out, ascii);
  else
    g_string_append_printf (out, "[U+%04X]", character);
}

char *
bgpt_plugin_prose (const char *text,
                   gboolean    ascii)
{
  g_autofree char *valid = NULL;
  GString *out;

  if (text == NULL)
    return NULL;

  valid = g_utf8_make_valid (text, -1);
  out = g_string_sized_new (strlen (valid));
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar character = g_utf8_get_char (p);

      if (character == '|')
        g_string_append (out, ascii ? PIPE_LOOK_ALIKE_ASCII : PIPE_LOOK_ALIKE_UTF8);
      else if (breaks_the_line (character))
        g_string_append_c (out, ' ');
      else if (character < 0x80)
        g_string_append_c (out, (char) character);
      else if (ascii)
        append_ascii (out, character);
      else
        g_string_append_unichar (out, character);
    }
  return g_string_free (out, FALSE);
}

char *
bgpt_plugin_shorten (const char *prose,
                     guint       max_chars,
                     gboolean    ascii)
{
  const char *ellipsis = ascii ? "..." : "\xe2\x80\xa6";
  guint ellipsis_chars = ascii ? 3 : 1;
  g_autofree char *head = NULL;

  if ((guint) g_utf8_strlen (prose, -1) <= max_chars)
    return g_strdup (prose);
  if (max_chars <= ellipsis_chars)
    return g_utf8_substring (prose, 0, max_chars);

  head = g_utf8_substring (prose, 0, max_chars - ellipsis_chars);
  /* Cut between words when one ends near enough. */
  if (prose[strlen (head)] != ' ')
    {
      char *space = strrchr (head, ' ');

      if (space != NULL && g_utf8_strlen (space, -1) <= MAX_WORD_CUT_CHARS)
        *space = '\0';
    }
  g_strchomp (head);
  return g_strconcat (head, ellipsis, NULL);
}

char *
bgpt_plugin_label (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (*p < 0x20 || *p > 0x7e || *p == '\'' || *p == '=' || *p == '|')
        g_string_append_c (out, '_');
      else
        g_string_append_c (out, (char) *p);
    }
  return g_string_free (out, FALSE);
}

void
bgpt_plugin_write (FILE       *stream,
                   const char *text)
{
  fwrite (text, 1, strlen (text), stream);
  fflush (stream);
}
