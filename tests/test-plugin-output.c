/* test-plugin-output.c: what the monitoring plugin output lets through,
 * table-driven (bgpt-plugin-output.c, pure functions).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cli/bgpt-plugin-output.h"

typedef struct
{
  const char *in;
  const char *utf8;   /* bgpt_plugin_prose (in, FALSE) */
  const char *ascii;  /* bgpt_plugin_prose (in, TRUE) */
} ProseCase;

static const ProseCase prose_cases[] = {
  { "plain text", "plain text", "plain text" },
  /* Cloudflare's page title: the separator becomes a look-alike. */
  { "api.openai.com | 502: Bad gateway", "api.openai.com ¦ 502: Bad gateway", "api.openai.com / 502: Bad gateway" },
  { "a | 'forged'=1;2;3;0;9", "a ¦ 'forged'=1;2;3;0;9", "a / 'forged'=1;2;3;0;9" },
  /* Line breaks and control characters, C0 and C1, become spaces. */
  { "one\ntwo\r\nthree\tfour", "one two  three four", "one two  three four" },
  { "bell\a esc\x1b[31m del\x7f", "bell  esc [31m del ", "bell  esc [31m del " },
  { "c1\xc2\x85next line\xe2\x80\xa8sep", "c1 next line sep", "c1 next line sep" },
  /* Invalid UTF-8 is replaced, never passed on. */
  { "bad \xff\xfe bytes", "bad \xef\xbf\xbd\xef\xbf\xbd bytes", "bad [U+FFFD][U+FFFD] bytes" },
  /* Our own punctuation and Portuguese letters have ASCII forms. */
  { "ERROR — “x” ‘y’ …", "ERROR — “x” ‘y’ …", "ERROR - \"x\" 'y' ..." },
  { "Falha na Autenticação da API", "Falha na Autenticação da API", "Falha na Autenticacao da API" },
  /* What has none keeps its code point rather than a '?'. */
  { "中文", "中文", "[U+4E2D][U+6587]" },
  { "", "", "" },
};

static void
test_prose (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (prose_cases); i++)
    {
      g_autofree char *utf8 = bgpt_plugin_prose (prose_cases[i].in, FALSE);
      g_autofree char *ascii = bgpt_plugin_prose (prose_cases[i].in, TRUE);

      g_assert_cmpstr (utf8, ==, prose_cases[i].utf8);
      g_assert_true (g_utf8_validate (utf8, -1, NULL));
      g_assert_cmpstr (ascii, ==, prose_cases[i].ascii);
      for (const char *p = ascii; *p != '\0'; p++)
        g_assert_true (*p >= 0x20 && *p <= 0x7e);
    }
  g_assert_null (bgpt_plugin_prose (NULL, FALSE));
}

/* Every byte from 1 to 255, alone: never a '|', a control character or
 * invalid UTF-8 out. */
static void
test_every_byte (void)
{
  for (guint byte = 1; byte < 256; byte++)
    {
      char in[2] = { (char) byte, '\0' };
      g_autofree char *utf8 = bgpt_plugin_prose (in, FALSE);
      g_autofree char *ascii = bgpt_plugin_prose (in, TRUE);

      g_assert_true (g_utf8_validate (utf8, -1, NULL));
      g_assert_null (strchr (utf8, '|'));
      g_assert_null (strchr (ascii, '|'));
      for (const char *p = utf8; *p != '\0'; p++)
        g_assert_true ((guchar) *p >= 0x20 && *p != 0x7f);
      for (const char *p = ascii; *p != '\0'; p++)
        g_assert_true (*p >= 0x20 && *p <= 0x7e);
    }
}

/* Random byte strings: the same promises, and a look-alike for every '|'. */
static void
test_random_bytes (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());

  for (guint round = 0; round < 20000; round++)
    {
      char in[33];
      guint length = g_rand_int_range (rand, 0, sizeof in);
      gint pipes = 0;
      g_autofree char *utf8 = NULL;
      g_autofree char *ascii = NULL;

      for (guint i = 0; i < length; i++)
        {
          /* Often a '|', never a NUL, and no '?' of its own: any in
           * the output would be a lost character. */
          in[i] = g_rand_boolean (rand) && g_rand_boolean (rand) ? '|' : (char) g_rand_int_range (rand, 1, 256);
          if (in[i] == '?')
            in[i] = 'x';
          pipes += in[i] == '|';
        }
      in[length] = '\0';

      utf8 = bgpt_plugin_prose (in, FALSE);
      ascii = bgpt_plugin_prose (in, TRUE);
      g_assert_true (g_utf8_validate (utf8, -1, NULL));
      g_assert_null (strchr (utf8, '|'));
      g_assert_null (strchr (ascii, '|'));
      g_assert_null (strchr (ascii, '?'));
      for (const char *p = ascii; *p != '\0'; p++)
        g_assert_true (*p >= 0x20 && *p <= 0x7e);
      for (const char *p = utf8; *p != '\0'; p = g_utf8_next_char (p))
        {
          gunichar character = g_utf8_get_char (p);

          g_assert_true (character >= 0x20 && character != 0x7f && !(character >= 0x80 && character < 0xa0));
          pipes -= character == 0xa6;
        }
      g_assert_cmpint (pipes, <=, 0);
    }
}

static void
test_shorten (void)
{
  g_autofree char *short_text = bgpt_plugin_shorten ("fits", 10, FALSE);
  g_autofree char *exact = bgpt_plugin_shorten ("0123456789", 10, FALSE);
  g_autofree char *cut = bgpt_plugin_shorten ("Autenticação da API falhou", 15, FALSE);
  g_autofree char *cut_ascii = bgpt_plugin_shorten ("Autenticacao da API falhou", 15, TRUE);
  g_autofree char *cut_space = bgpt_plugin_shorten ("word and more", 6, FALSE);
  g_autofree char *long_word = bgpt_plugin_shorten ("a 012345678901234567890123456789", 29, FALSE);

  g_assert_cmpstr (short_text, ==, "fits");
  g_assert_cmpstr (exact, ==, "0123456789");
  /* Between words, when one ends near enough. */
  g_assert_cmpstr (cut, ==, "Autenticação…");
  g_assert_cmpstr (long_word, ==, "a 01234567890123456789012345…");
  g_assert_cmpstr (cut_ascii, ==, "Autenticacao...");
  /* No space left before the ellipsis. */
  g_assert_cmpstr (cut_space, ==, "word…");
}

static void
test_label (void)
{
  g_autofree char *plain = bgpt_plugin_label ("default/openai.key");
  g_autofree char *hostile = bgpt_plugin_label ("a'b=c|d\ne\xc3\xa7");

  g_assert_cmpstr (plain, ==, "default/openai.key");
  g_assert_cmpstr (hostile, ==, "a_b_c_d_e__");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/plugin-output/prose", test_prose);
  g_test_add_func ("/plugin-output/every-byte", test_every_byte);
  g_test_add_func ("/plugin-output/random-bytes", test_random_bytes);
  g_test_add_func ("/plugin-output/shorten", test_shorten);
  g_test_add_func ("/plugin-output/label", test_label);

  return g_test_run ();
}
