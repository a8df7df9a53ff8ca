/* test-no-secret-leak.c: runs the keyring tests one after the other in one
 * throwaway home, the way a user's home would see them, then reads every
 * file left there: settings keyfile, state, cache, logs, the keyring
 * itself. No test secret may be in any of them in plain text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "bgpt-test-secrets.h"

/* gnome-keyring's file format: this magic, then major and minor version,
 * then the cipher (0 = AES-128) and the hash (0 = MD5 key derivation).
 * A plain-text keyring would be an ini file instead. */
static const char keyring_magic[] = "GnomeKeyring\n\r\0\n";
#define KEYRING_MAGIC_LENGTH 16
#define KEYRING_CIPHER_OFFSET 18

static char *test_home;

typedef struct
{
  const char *program;
  const char *mode;        /* the test program's own option, or NULL */
  gboolean    no_keyring;
  /* keyring-session.sh --locking, as in tests/meson.build: the program
   * locks the collection (test-account-store's rollback does too). */
  gboolean    locking;
} SuiteStep;

static const SuiteStep suite[] = {
  { "test-secret-store", NULL, FALSE, FALSE },
  { "test-secret-store", "--locked", FALSE, TRUE },
  { "test-account-store", NULL, FALSE, TRUE },
  { "test-cli-secrets", NULL, FALSE, FALSE },
  { "test-secret-store", "--no-keyring", TRUE, FALSE },
  { "test-account-store", "--no-keyring", TRUE, FALSE },
  { "test-cli-secrets", "--no-keyring", TRUE, FALSE },
};

static void
assert_no_test_secret (const char *where,
                       const char *data,
                       gsize       length)
{
  for (guint i = 0; test_secrets[i] != NULL; i++)
    if (test_bytes_contain (data, length, test_secrets[i]))
      g_error ("%s holds a test secret in plain text", where);

  if (test_bytes_contain (data, length, TEST_SECRET_MARKER))
    g_error ("%s holds part of a test secret in plain text", where);
}

static char *
harness_path (void)
{
  const char *source_root = g_getenv ("BGPT_SOURCE_ROOT");

  g_assert_nonnull (source_root);
  return g_build_filename (source_root, "tests", "keyring-session.sh", NULL);
}

static int
run_in_session (gboolean     no_keyring,
                gboolean     locking,
                char       **out,
                char       **err,
                const char  *first_arg,
                ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  va_list args;
  const char *arg;

  g_ptr_array_add (argv, harness_path ());
  if (no_keyring)
    g_ptr_array_add (argv, g_strdup ("--no-keyring"));
  if (locking)
    g_ptr_array_add (argv, g_strdup ("--locking"));
  g_ptr_array_add (argv, g_strdup ("--keyfile-settings"));
  g_ptr_array_add (argv, g_strdup ("--keep-home"));
  g_ptr_array_add (argv, g_strdup (test_home));
  g_ptr_array_add (argv, g_strdup ("--"));
  va_start (args, first_arg);
  for (arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

static void
test_run_suite (void)
{
  const char *build_root = g_getenv ("BGPT_BUILD_ROOT");
  g_autofree char *stored = NULL;
  g_autofree char *err = NULL;

  g_assert_nonnull (build_root);

  for (guint i = 0; i < G_N_ELEMENTS (suite); i++)
    {
      g_autofree char *program = g_build_filename (build_root, "tests", suite[i].program, NULL);
      g_autofree char *out = NULL;
      g_autofree char *step_err = NULL;
      int status;

      g_test_message ("running %s %s", suite[i].program, suite[i].mode != NULL ? suite[i].mode : "");
      status = run_in_session (suite[i].no_keyring, suite[i].locking,
                               &out, &step_err, program, suite[i].mode, NULL);
      if (status != 0)
        g_error ("%s %s failed (%d):\n%s\n%s", suite[i].program,
                 suite[i].mode != NULL ? suite[i].mode : "", status, out, step_err);

      /* What the tests themselves print is a log too. */
      assert_no_test_secret ("the tests' output", out, strlen (out));
      assert_no_test_secret ("the tests' error output", step_err, strlen (step_err));
    }

  /* The scan below only means something if secrets were really stored:
   * one is still in the keyring, and a new session still finds it. */
  g_assert_cmpint (run_in_session (FALSE, FALSE, &stored, &err, "secret-tool", "lookup",
                                   "account", "stays", "kind", "kommo-token", NULL), ==, 0);
  g_assert_true (g_strcmp0 (stored, TEST_CLI_KOMMO_TOKEN) == 0);
}

typedef struct
{
  guint files;
  guint keyrings;
  guint bytes;
  gboolean settings_keyfile;
} ScanCounts;

static void
scan_directory (const char *path,
                ScanCounts *counts)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;

  dir = g_dir_open (path, 0, &error);
  g_assert_no_error (error);

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        {
          scan_directory (child, counts);
          continue;
        }
      if (!g_file_test (child, G_FILE_TEST_IS_REGULAR))
        continue;

      g_file_get_contents (child, &contents, &length, &error);
      g_assert_no_error (error);
      g_test_message ("scanned %s (%" G_GSIZE_FORMAT " bytes)", child + strlen (test_home), length);
      assert_no_test_secret (child, contents, length);
      counts->files++;
      counts->bytes += length;

      if (g_str_has_suffix (child, "/.config/glib-2.0/settings/keyfile"))
        {
          /* The settings really went here, and only the account ids did. */
          g_assert_nonnull (strstr (contents, "accounts="));
          counts->settings_keyfile = TRUE;
        }

      if (g_str_has_suffix (child, ".keyring") && strstr (child, "/.local/share/keyrings/") != NULL)
        {
          g_assert_cmpuint (length, >, KEYRING_CIPHER_OFFSET);
          g_assert_cmpmem (contents, KEYRING_MAGIC_LENGTH, keyring_magic, KEYRING_MAGIC_LENGTH);
          g_assert_cmpint (contents[KEYRING_CIPHER_OFFSET], ==, 0);
          counts->keyrings++;
        }
    }
}

static void
test_scan_home (void)
{
  ScanCounts counts = { 0 };
  const char sample[] = "key=" TEST_KOMMO_TOKEN "\0tail";

  /* The scanner sees a secret, also past a NUL byte. */
  g_assert_true (test_bytes_contain (sample, sizeof sample, TEST_KOMMO_TOKEN));
  g_assert_false (test_bytes_contain (sample, sizeof sample, TEST_OPENAI_KEY));

  scan_directory (test_home, &counts);

  g_test_message ("%u files, %u bytes scanned", counts.files, counts.bytes);
  g_assert_true (counts.settings_keyfile);
  g_assert_cmpuint (counts.keyrings, >=, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  test_home = g_dir_make_tmp ("bgpt-leak-home-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/no-secret-leak/run-keyring-suite", test_run_suite);
  g_test_add_func ("/no-secret-leak/scan-home", test_scan_home);

  status = g_test_run ();

  bgpt_test_remove_tree (test_home);
  g_free (test_home);
  return status;
}
