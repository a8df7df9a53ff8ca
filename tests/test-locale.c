/* test-locale.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include "bgpt-catalog.h"
#include "bgpt-diagnosis.h"
#include "bgpt-i18n.h"
#include "bgpt-validation.h"
#include "bgpt-test-utils.h"

/* The six titles of the vendor's article, in its order. */
static const char * const seed_ids[] = {
  "openai.timeout",
  "openai.auth",
  "openai.assistant",
  "openai.quota",
  "openai.connection",
  "openai.unexpected",
};

#define SEED_PREFIX "Mensagem de Erro: “"
#define SEED_SUFFIX "”"

static void
use_language (const char *language)
{
  g_setenv ("LANGUAGE", language, TRUE);
  /* A change of locale drops gettext's cache of earlier lookups. Under
   * pt_BR.UTF-8 (not C or C.UTF-8), gettext follows LANGUAGE. */
  g_assert_nonnull (setlocale (LC_ALL, "C"));
  g_assert_nonnull (setlocale (LC_ALL, "pt_BR.UTF-8"));
}

/* The titles as the seed article writes them, or NULL without the file. */
static GStrv
read_seed_titles (void)
{
  const char *source_root = g_getenv ("BGPT_SOURCE_ROOT");
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GStrvBuilder) titles = g_strv_builder_new ();

  if (source_root == NULL)
    return NULL;

  path = g_build_filename (source_root, "..", "shared", "seed", "bytegpt-erros-comuns.txt", NULL);
  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (g_str_has_prefix (line, SEED_PREFIX) && g_str_has_suffix (line, SEED_SUFFIX))
        {
          g_autofree char *title = g_strndup (line + strlen (SEED_PREFIX),
                                              strlen (line) - strlen (SEED_PREFIX) - strlen (SEED_SUFFIX));

          g_strv_builder_add (titles, title);
        }
    }

  return g_strv_builder_end (titles);
}

static void
test_locale_seed_titles (void)
{
  g_auto(GStrv) from_file = read_seed_titles ();

  if (from_file != NULL)
    {
      g_assert_cmpuint (g_strv_length (from_file), ==, G_N_ELEMENTS (bgpt_test_seed_titles));
      for (gsize i = 0; i < G_N_ELEMENTS (bgpt_test_seed_titles); i++)
        g_assert_cmpstr (from_file[i], ==, bgpt_test_seed_titles[i]);
    }
  else
    {
      g_test_message ("Seed article not found; comparing with the titles in this test");
    }

  use_language ("pt_BR");
  for (gsize i = 0; i < G_N_ELEMENTS (seed_ids); i++)
    {
      const char *expected = from_file != NULL ? from_file[i] : bgpt_test_seed_titles[i];
      const char *title = bgpt_catalog_title (seed_ids[i]);

      g_assert_cmpstr (title, ==, expected);
      /* Byte for byte, not just equal after some normalisation. */
      g_assert_cmpmem (title, strlen (title), expected, strlen (expected));
    }
}

static void
test_locale_english (void)
{
  use_language ("C");
  for (gsize i = 0; i < G_N_ELEMENTS (seed_ids); i++)
    {
      const BgptCatalogEntry *entry = bgpt_catalog_lookup (seed_ids[i]);

      g_assert_cmpstr (bgpt_catalog_title (seed_ids[i]), ==, entry->title);
      g_assert_cmpstr (bgpt_catalog_title (seed_ids[i]), !=, bgpt_test_seed_titles[i]);
    }
  use_language ("pt_BR");
}

/* Every text of the catalog has a pt_BR translation. */
static void
test_locale_catalog_translated (void)
{
  gsize n_entries = 0;
  const BgptCatalogEntry *entries = bgpt_catalog_get_entries (&n_entries);

  use_language ("pt_BR");
  for (gsize i = 0; i < n_entries; i++)
    {
      const BgptCatalogEntry *entry = &entries[i];

      g_test_message ("%s", entry->id);
      g_assert_cmpstr (bgpt_catalog_entry_title (entry), !=, entry->title);
      g_assert_cmpstr (bgpt_catalog_entry_cause (entry), !=, entry->cause);
      for (guint s = 0; s < bgpt_catalog_entry_n_steps (entry); s++)
        {
          g_assert_cmpstr (bgpt_catalog_step_text (&entry->steps[s]), !=, entry->steps[s].text);
          g_assert_cmpstr (bgpt_catalog_step_label (&entry->steps[s]), !=, entry->steps[s].button_label);
        }
    }
}

static void
test_locale_messages_translated (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) tls_error = g_error_new_literal (G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
                                                     "Unacceptable TLS certificate");
  g_autoptr(BgptDiagnosis) diagnosis = NULL;
  BgptExchange exchange = {
    .service = BGPT_SERVICE_OPENAI,
    .check = BGPT_CHECK_OPENAI_KEY,
    .transport_error = tls_error,
    .tls_errors = G_TLS_CERTIFICATE_EXPIRED,
  };

  use_language ("pt_BR");

  g_assert_false (bgpt_validate_base_url ("http://api.openai.com/v1", &error));
  g_assert_nonnull (strstr (error->message, "localhost"));
  g_assert_null (strstr (error->message, "is allowed only"));
  g_clear_error (&error);

  g_assert_false (bgpt_validate_secret ("a b", &error));
  g_assert_null (strstr (error->message, "The key or token"));
  g_clear_error (&error);

  diagnosis = bgpt_diagnose (&exchange);
  g_assert_cmpstr (diagnosis->error_id, ==, "openai.connection");
  g_assert_cmpstr (diagnosis->detail, ==, "O certificado expirou.");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  bgpt_test_use_pt_br ();
  bgpt_i18n_init ();

  g_test_add_func ("/locale/seed-titles", test_locale_seed_titles);
  g_test_add_func ("/locale/english", test_locale_english);
  g_test_add_func ("/locale/catalog-translated", test_locale_catalog_translated);
  g_test_add_func ("/locale/messages-translated", test_locale_messages_translated);

  return g_test_run ();
}
