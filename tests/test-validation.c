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

typedef enum
{
  SECRET,
  ASSISTANT_ID,
  MODEL,
  BASE_URL,
} Input;

/* How each input is checked, and what its error says. */
static const struct
{
  gboolean (*validate) (const char  *input,
                        GError     **error);
  int         code;
  gboolean    is_secret;   /* the message never repeats it, nor does the log */
  const char *never_says;
  const char *says;        /* NULL: not asserted */
} inputs[] = {
  [SECRET] = { bgpt_validate_secret, BGPT_VALIDATION_ERROR_SECRET, TRUE, NULL, NULL },
  [ASSISTANT_ID] = { bgpt_validate_assistant_id, BGPT_VALIDATION_ERROR_ASSISTANT_ID, FALSE, NULL, "asst_" },
  [MODEL] = { bgpt_validate_model, BGPT_VALIDATION_ERROR_MODEL, FALSE, NULL, NULL },
  [BASE_URL] = { bgpt_validate_base_url, BGPT_VALIDATION_ERROR_BASE_URL, FALSE, "SECRET123456", NULL },
};

static const struct
{
  Input       kind;
  const char *input;
  gboolean    valid;
} validity_cases[] = {
  { SECRET, "sk-proj-abcDEF0123456789_-", TRUE },
  { SECRET, "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.c2ln", TRUE },
  { SECRET, "!\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~", TRUE },
  { SECRET, "x", TRUE },
  { SECRET, "", FALSE },
  { SECRET, "sk-proj-abc def", FALSE },
  { SECRET, " sk-proj-abcdef", FALSE },
  { SECRET, "sk-proj-abcdef\n", FALSE },
  { SECRET, "sk-proj-abcdef\r\n", FALSE },
  { SECRET, "sk-proj\tabcdef", FALSE },
  { SECRET, "sk-proj-\x01" "abcdef", FALSE },
  { SECRET, "sk-proj-\x1b[31mabcdef", FALSE },
  { SECRET, "sk-proj-\x7f" "abcdef", FALSE },
  { SECRET, "sk-proj-çãõ-abcdef", FALSE },
  { SECRET, "sk-proj-\xe2\x80\x8b" "abcdef", FALSE },  /* zero-width space */
  { SECRET, "sk-proj-\xff" "abcdef", FALSE },

  { ASSISTANT_ID, "asst_abc123DEF456ghi789", TRUE },
  { ASSISTANT_ID, "asst_12345678", TRUE },
  { ASSISTANT_ID, "asst_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", TRUE }, /* 64 */
  { ASSISTANT_ID, "asst_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", FALSE }, /* 65 */
  { ASSISTANT_ID, "asst_", FALSE },
  { ASSISTANT_ID, "asst_1234567", FALSE },
  { ASSISTANT_ID, "", FALSE },
  { ASSISTANT_ID, "ASST_abc123DEF456", FALSE },
  { ASSISTANT_ID, "asst-abc123DEF456", FALSE },
  { ASSISTANT_ID, "asst_abc123_DEF456", FALSE },
  { ASSISTANT_ID, "asst_abc123DEF456 ", FALSE },
  { ASSISTANT_ID, " asst_abc123DEF456", FALSE },
  { ASSISTANT_ID, "asst_abc123DEF456\n", FALSE },
  { ASSISTANT_ID, "asst_abc123DEF45é", FALSE },
  { ASSISTANT_ID, "pmpt_abc123DEF456", FALSE },

  { MODEL, "gpt-4o", TRUE },
  { MODEL, "gpt-4o-mini-2024-07-18", TRUE },
  { MODEL, "ft:gpt-4o-mini:my-org:custom_suffix:id123", TRUE },
  { MODEL, "o1.preview", TRUE },
  { MODEL, "", FALSE },
  { MODEL, "gpt 4o", FALSE },
  { MODEL, "gpt-4o\n", FALSE },
  { MODEL, "gpt/4o", FALSE },
  { MODEL, "gpt-4o?x=1", FALSE },
  { MODEL, "modelo-ç", FALSE },

  { BASE_URL, "https://api.openai.com/v1", TRUE },
  { BASE_URL, "https://api.openai.com/v1/", TRUE },
  { BASE_URL, "https://lojaexemplo.kommo.com", TRUE },
  { BASE_URL, "https://proxy.example.com:8443/openai/v1", TRUE },
  { BASE_URL, "HTTPS://api.openai.com/v1", TRUE },
  { BASE_URL, "http://localhost:8080/v1", TRUE },
  { BASE_URL, "http://LOCALHOST/v1", TRUE },
  { BASE_URL, "http://127.0.0.1:1234", TRUE },
  { BASE_URL, "http://127.0.0.5", TRUE },
  { BASE_URL, "http://[::1]:8080", TRUE },
  { BASE_URL, "http://api.openai.com/v1", FALSE },
  { BASE_URL, "http://192.168.0.10/v1", FALSE },
  { BASE_URL, "http://128.0.0.1/v1", FALSE },
  { BASE_URL, "http://127.0.0.1.example.com/v1", FALSE },
  { BASE_URL, "http://localhost.example.com/v1", FALSE },
  { BASE_URL, "http://[::2]:8080", FALSE },
  { BASE_URL, "javascript:alert(1)", FALSE },
  { BASE_URL, "javascript://api.openai.com/%0aalert(1)", FALSE },
  { BASE_URL, "file:///etc/passwd", FALSE },
  { BASE_URL, "ftp://api.openai.com/v1", FALSE },
  { BASE_URL, "https://user:sk-proj-SECRET123456@api.openai.com/v1", FALSE },
  { BASE_URL, "https://sk-proj-SECRET123456@api.openai.com/v1", FALSE },
  { BASE_URL, "https://api.openai.com/v1?key=1", FALSE },
  { BASE_URL, "https://api.openai.com/v1#frag", FALSE },
  { BASE_URL, "api.openai.com/v1", FALSE },
  { BASE_URL, "https://", FALSE },
  { BASE_URL, "https:///v1", FALSE },
  { BASE_URL, "", FALSE },
  { BASE_URL, "https://api.openai.com/v1 ", FALSE },
  { BASE_URL, "https://api.openai.com/v1\r\n", FALSE },
};

/* Every case of one kind of input: a valid input sets no error; an invalid
 * one sets the kind's error (assert_error_message). NULL is no input. */
static void
test_validity (gconstpointer data)
{
  Input kind = GPOINTER_TO_INT (data);
  g_autoptr(GError) null_error = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (validity_cases); i++)
    {
      const char *input = validity_cases[i].input;
      g_autoptr(GError) error = NULL;
      gboolean valid;

      if (validity_cases[i].kind != kind)
        continue;
      if (inputs[kind].is_secret)
        g_test_message ("case %" G_GSIZE_FORMAT, i);
      else
        g_test_message ("case %s", input);
      valid = inputs[kind].validate (input, &error);
      g_assert_true (valid == validity_cases[i].valid);
      if (valid)
        {
          g_assert_no_error (error);
          continue;
        }
      assert_error_message (error, inputs[kind].code, inputs[kind].is_secret ? input : inputs[kind].never_says);
      if (inputs[kind].says != NULL)
        g_assert_nonnull (strstr (error->message, inputs[kind].says));
    }

  g_assert_false (inputs[kind].validate (NULL, &null_error));
  assert_error_message (null_error, inputs[kind].code, NULL);
}

static void
test_validation_secret_length (void)
{
  g_autofree char *long_secret = g_strnfill (600, 'k');
  g_autofree char *max_secret = g_strnfill (512, 'k');
  g_autoptr(GError) long_error = NULL;

  g_assert_true (bgpt_validate_secret (max_secret, NULL));
  g_assert_false (bgpt_validate_secret (long_secret, &long_error));
  assert_error_message (long_error, BGPT_VALIDATION_ERROR_SECRET, long_secret);
  /* Not even a recognisable piece of the secret. */
  g_assert_null (strstr (long_error->message, "kkkk"));
}

static void
test_validation_model_length (void)
{
  g_autofree char *max_model = g_strnfill (128, 'm');
  g_autofree char *long_model = g_strnfill (129, 'm');

  g_assert_true (bgpt_validate_model (max_model, NULL));
  g_assert_false (bgpt_validate_model (long_model, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/validation/subdomain", test_validation_subdomain);
  g_test_add_data_func ("/validation/secret", GINT_TO_POINTER (SECRET), test_validity);
  g_test_add_func ("/validation/secret-length", test_validation_secret_length);
  g_test_add_data_func ("/validation/assistant-id", GINT_TO_POINTER (ASSISTANT_ID), test_validity);
  g_test_add_data_func ("/validation/model", GINT_TO_POINTER (MODEL), test_validity);
  g_test_add_func ("/validation/model-length", test_validation_model_length);
  g_test_add_data_func ("/validation/base-url", GINT_TO_POINTER (BASE_URL), test_validity);

  return g_test_run ();
}
