/* test-validation.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "bgpt-validation.h"

static void
assert_error_message (const GError *error,
                      int           code,
                      const char   *must_not_contain)
{
  g_assert_error (error, BGPT_VALIDATION_ERROR, code);
  g_assert_nonnull (error->message);
  g_assert_cmpstr (error->message, !=, "");
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  if (must_not_contain != NULL && *must_not_contain != '\0')
    g_assert_null (strstr (error->message, must_not_contain));
}

static const struct {
  const char *input;
  const char *subdomain;  /* NULL: rejected */
} subdomain_cases[] = {
  { "foo", "foo" },
  { "FOO", "foo" },
  { "  foo \n", "foo" },
  { "\tmy-company2", "my-company2" },
  { "https://foo.kommo.com/leads/123", "foo" },
  { "https://FOO.Kommo.com/leads/pipeline/1?x=1#top", "foo" },
  { "foo.kommo.com", "foo" },
  { "foo.kommo.com/leads", "foo" },
  { "http://foo.amocrm.ru", "foo.amocrm.ru" },
  { "https://foo.amocrm.ru/leads", "foo.amocrm.ru" },
  { "Foo.AmoCRM.ru", "foo.amocrm.ru" },
  { "foo.amocrm.com", "foo.amocrm.com" },
  { "https://foo.amocrm.com/", "foo.amocrm.com" },
  { "https://foo.amocrm.com/leads/pipeline/7", "foo.amocrm.com" },
  { "foo.amocrm.ru.evil.com", NULL },
  { "amocrm.ru", NULL },
  { "123", "123" },
  { "a", "a" },
  { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", /* 63 */
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" },
  { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", NULL }, /* 64 */
  { "", NULL },
  { "   ", NULL },
  { "foo.example.com", NULL },
  { "https://foo.example.com/leads", NULL },
  { "foo.kommo.com.evil.com", NULL },
  { "kommo.com", NULL },
  { ".kommo.com", NULL },
  { "a.b.kommo.com", NULL },
  { "-foo", NULL },
  { "foo-", NULL },
  { "foo_bar", NULL },
  { "foo bar", NULL },
  { "foo\r\nbar", NULL },
  { "fóo", NULL },
  { "ftp://foo.kommo.com", NULL },
  { "javascript:alert(1)", NULL },
  { "https://user:pass@foo.kommo.com", NULL },
  { "foo.kommo.com:8080", NULL },
  { "https://", NULL },
};

static void
test_validation_subdomain (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (subdomain_cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *subdomain = bgpt_normalize_kommo_subdomain (subdomain_cases[i].input, &error);

      g_autofree char *host = bgpt_kommo_account_host (subdomain_cases[i].input, NULL);

      g_test_message ("subdomain %s", subdomain_cases[i].input);
      g_assert_cmpstr (subdomain, ==, subdomain_cases[i].subdomain);
      if (subdomain_cases[i].subdomain != NULL)
        {
          g_autofree char *again = bgpt_normalize_kommo_subdomain (subdomain, NULL);
          g_autofree char *stored_host = bgpt_kommo_account_host (subdomain, NULL);
          g_autofree char *expected_host = strchr (subdomain, '.') != NULL
                                           ? g_strdup (subdomain)
                                           : g_strconcat (subdomain, ".kommo.com", NULL);

          g_assert_no_error (error);
          /* What is stored reads back the same, and checks the same host. */
          g_assert_cmpstr (again, ==, subdomain);
          g_assert_cmpstr (host, ==, expected_host);
          g_assert_cmpstr (stored_host, ==, expected_host);
        }
      else
        {
          assert_error_message (error, BGPT_VALIDATION_ERROR_SUBDOMAIN, NULL);
          g_assert_null (host);
        }
    }

  /* A pasted amoCRM address checks that host, not foo.kommo.com. */
  {
    g_autofree char *ru = bgpt_kommo_account_host ("https://foo.amocrm.ru/leads", NULL);
    g_autofree char *com = bgpt_kommo_account_host ("https://foo.amocrm.com/leads", NULL);
    g_autofree char *kommo = bgpt_kommo_account_host ("https://foo.kommo.com/leads", NULL);
    g_autofree char *bare = bgpt_kommo_account_host ("foo", NULL);

    g_assert_cmpstr (ru, ==, "foo.amocrm.ru");
    g_assert_cmpstr (com, ==, "foo.amocrm.com");
    g_assert_cmpstr (kommo, ==, "foo.kommo.com");
    g_assert_cmpstr (bare, ==, "foo.kommo.com");
  }

  {
    g_autoptr(GError) error = NULL;

    g_assert_null (bgpt_normalize_kommo_subdomain (NULL, &error));
    assert_error_message (error, BGPT_VALIDATION_ERROR_SUBDOMAIN, NULL);
    /* The message says what is expected. */
    g_assert_nonnull (strstr (error->message, "kommo.com"));
  }
}

static void
test_validation_secret (void)
{
  static const struct {
    const char *secret;
    gboolean valid;
  } cases[] = {
    { "sk-proj-abcDEF0123456789_-", TRUE },
    { "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.c2ln", TRUE },
    { "!\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~", TRUE },
    { "x", TRUE },
    { "", FALSE },
    { "sk-proj-abc def", FALSE },
    { " sk-proj-abcdef", FALSE },
    { "sk-proj-abcdef\n", FALSE },
    { "sk-proj-abcdef\r\n", FALSE },
    { "sk-proj\tabcdef", FALSE },
    { "sk-proj-\x01" "abcdef", FALSE },
    { "sk-proj-\x1b[31mabcdef", FALSE },
    { "sk-proj-\x7f" "abcdef", FALSE },
    { "sk-proj-çãõ-abcdef", FALSE },
    { "sk-proj-\xe2\x80\x8b" "abcdef", FALSE },  /* zero-width space */
    { "sk-proj-\xff" "abcdef", FALSE },
  };
  g_autofree char *long_secret = g_strnfill (600, 'k');
  g_autofree char *max_secret = g_strnfill (512, 'k');
  g_autoptr(GError) long_error = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean valid = bgpt_validate_secret (cases[i].secret, &error);

      g_test_message ("secret case %" G_GSIZE_FORMAT, i);
      g_assert_true (valid == cases[i].valid);
      if (valid)
        g_assert_no_error (error);
      else
        assert_error_message (error, BGPT_VALIDATION_ERROR_SECRET, cases[i].secret);
    }

  g_assert_true (bgpt_validate_secret (max_secret, NULL));
  g_assert_false (bgpt_validate_secret (long_secret, &long_error));
  assert_error_message (long_error, BGPT_VALIDATION_ERROR_SECRET, long_secret);
  /* Not even a recognisable piece of the secret. */
  g_assert_null (strstr (long_error->message, "kkkk"));

  {
    g_autoptr(GError) error = NULL;

    g_assert_false (bgpt_validate_secret (NULL, &error));
    assert_error_message (error, BGPT_VALIDATION_ERROR_SECRET, NULL);
  }
}

static void
test_validation_assistant_id (void)
{
  static const struct {
    const char *id;
    gboolean valid;
  } cases[] = {
    { "asst_abc123DEF456ghi789", TRUE },
    { "asst_12345678", TRUE },
    { "asst_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", TRUE }, /* 64 */
    { "asst_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", FALSE }, /* 65 */
    { "asst_", FALSE },
    { "asst_1234567", FALSE },
    { "", FALSE },
    { "ASST_abc123DEF456", FALSE },
    { "asst-abc123DEF456", FALSE },
    { "asst_abc123_DEF456", FALSE },
    { "asst_abc123DEF456 ", FALSE },
    { " asst_abc123DEF456", FALSE },
    { "asst_abc123DEF456\n", FALSE },
    { "asst_abc123DEF45é", FALSE },
    { "pmpt_abc123DEF456", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean valid = bgpt_validate_assistant_id (cases[i].id, &error);

      g_test_message ("assistant id %s", cases[i].id);
      g_assert_true (valid == cases[i].valid);
      if (valid)
        g_assert_no_error (error);
      else
        {
          assert_error_message (error, BGPT_VALIDATION_ERROR_ASSISTANT_ID, NULL);
          g_assert_nonnull (strstr (error->message, "asst_"));
        }
    }

  g_assert_false (bgpt_validate_assistant_id (NULL, NULL));
}

static void
test_validation_model (void)
{
  static const struct {
    const char *model;
    gboolean valid;
  } cases[] = {
    { "gpt-4o", TRUE },
    { "gpt-4o-mini-2024-07-18", TRUE },
    { "ft:gpt-4o-mini:my-org:custom_suffix:id123", TRUE },
    { "o1.preview", TRUE },
    { "", FALSE },
    { "gpt 4o", FALSE },
    { "gpt-4o\n", FALSE },
    { "gpt/4o", FALSE },
    { "gpt-4o?x=1", FALSE },
    { "modelo-ç", FALSE },
  };
  g_autofree char *max_model = g_strnfill (128, 'm');
  g_autofree char *long_model = g_strnfill (129, 'm');

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean valid = bgpt_validate_model (cases[i].model, &error);

      g_test_message ("model %s", cases[i].model);
      g_assert_true (valid == cases[i].valid);
      if (valid)
        g_assert_no_error (error);
      else
        assert_error_message (error, BGPT_VALIDATION_ERROR_MODEL, NULL);
    }

  g_assert_true (bgpt_validate_model (max_model, NULL));
  g_assert_false (bgpt_validate_model (long_model, NULL));
  g_assert_false (bgpt_validate_model (NULL, NULL));
}

static void
test_validation_base_url (void)
{
  static const struct {
    const char *url;
    gboolean valid;
  } cases[] = {
    { "https://api.openai.com/v1", TRUE },
    { "https://api.openai.com/v1/", TRUE },
    { "https://lojaexemplo.kommo.com", TRUE },
    { "https://proxy.example.com:8443/openai/v1", TRUE },
    { "HTTPS://api.openai.com/v1", TRUE },
    { "http://localhost:8080/v1", TRUE },
    { "http://LOCALHOST/v1", TRUE },
    { "http://127.0.0.1:1234", TRUE },
    { "http://127.0.0.5", TRUE },
    { "http://[::1]:8080", TRUE },
    { "http://api.openai.com/v1", FALSE },
    { "http://192.168.0.10/v1", FALSE },
    { "http://128.0.0.1/v1", FALSE },
    { "http://127.0.0.1.example.com/v1", FALSE },
    { "http://localhost.example.com/v1", FALSE },
    { "http://[::2]:8080", FALSE },
    { "javascript:alert(1)", FALSE },
    { "javascript://api.openai.com/%0aalert(1)", FALSE },
    { "file:///etc/passwd", FALSE },
    { "ftp://api.openai.com/v1", FALSE },
    { "https://user:sk-proj-SECRET123456@api.openai.com/v1", FALSE },
    { "https://sk-proj-SECRET123456@api.openai.com/v1", FALSE },
    { "https://api.openai.com/v1?key=1", FALSE },
    { "https://api.openai.com/v1#frag", FALSE },
    { "api.openai.com/v1", FALSE },
    { "https://", FALSE },
    { "https:///v1", FALSE },
    { "", FALSE },
    { "https://api.openai.com/v1 ", FALSE },
    { "https://api.openai.com/v1\r\n", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean valid = bgpt_validate_base_url (cases[i].url, &error);

      g_test_message ("base url %s", cases[i].url);
      g_assert_true (valid == cases[i].valid);
      if (valid)
        {
          g_assert_no_error (error);
        }
      else
        {
          assert_error_message (error, BGPT_VALIDATION_ERROR_BASE_URL, NULL);
          g_assert_null (strstr (error->message, "SECRET123456"));
        }
    }

  g_assert_false (bgpt_validate_base_url (NULL, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/validation/subdomain", test_validation_subdomain);
  g_test_add_func ("/validation/secret", test_validation_secret);
  g_test_add_func ("/validation/assistant-id", test_validation_assistant_id);
  g_test_add_func ("/validation/model", test_validation_model);
  g_test_add_func ("/validation/base-url", test_validation_base_url);

  return g_test_run ();
}
