/* test-history.c: the result history on disk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>

#include "bgpt-demo-history.h"
#include "bgpt-history.h"
#include "bgpt-test-utils.h"

/* "Now", on the hour: loading thins by the real clock, so the tests'
 * times follow it. */
static gint64 now_on_the_hour;
#define NOW now_on_the_hour

typedef struct
{
  char *directory;
} Fixture;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *base = g_dir_make_tmp ("bgpt-history-XXXXXX", NULL);

  g_assert_nonnull (base);
  fixture->directory = g_build_filename (base, "history", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *base = g_path_get_dirname (fixture->directory);

  remove_tree (base);
  g_free (fixture->directory);
}

static BgptHistory *
load_history (const char *directory)
{
  BgptHistory *history = bgpt_history_new (directory);
  g_autoptr(GError) error = NULL;

  g_assert_true (bgpt_history_load (history, &error));
  g_assert_no_error (error);
  return history;
}

static void
append (BgptHistory *history,
        const char  *account_id,
        const char  *check,
        gint64       time,
        BgptOutcome  outcome,
        const char  *error_id,
        guint32      elapsed_ms)
{
  BgptHistoryResult result = { time, elapsed_ms, outcome, error_id };
  g_autoptr(GError) error = NULL;

  g_assert_true (bgpt_history_append (history, account_id, check, &result, &error));
  g_assert_no_error (error);
}

static void
assert_result (GArray      *results,
               guint        index,
               gint64       time,
               BgptOutcome  outcome,
               const char  *error_id,
               guint32      elapsed_ms)
{
  const BgptHistoryResult *result;

  g_assert_cmpuint (index, <, results->len);
  result = &g_array_index (results, BgptHistoryResult, index);
  g_assert_cmpint (result->time, ==, time);
  g_assert_cmpint (result->outcome, ==, outcome);
  g_assert_cmpstr (result->error_id, ==, error_id);
  g_assert_cmpuint (result->elapsed_ms, ==, elapsed_ms);
}

static goffset
file_size (const char *path)
{
  GStatBuf info;

  if (g_stat (path, &info) != 0)
    return -1;
  return info.st_size;
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(BgptHistory) history = load_history (fixture->directory);
  g_autoptr(BgptHistory) again = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) accounts = NULL;
  GStatBuf info;
  gsize length;

  append (history, "default", "openai.key", NOW - 30, BGPT_OUTCOME_OK, NULL, 120);
  append (history, "default", "openai.key", NOW - 20, BGPT_OUTCOME_FAILED, "openai.auth", 80);
  append (history, "default", "openai.model", NOW - 20, BGPT_OUTCOME_BLOCKED, NULL, 0);
  append (history, "default", "openai.key", NOW - 10, BGPT_OUTCOME_UNKNOWN, NULL, 0);
  /* Not in the catalog (here, a secret a caller mixed up): kept as a
   * failure without an id, and never written. */
  append (history, "second", "kommo.account", NOW, BGPT_OUTCOME_FAILED, "sk-proj-leaked", 7);

  again = load_history (fixture->directory);
  accounts = bgpt_history_dup_account_ids (again);
  g_assert_cmpuint (g_strv_length (accounts), ==, 2);
  g_assert_cmpstr (accounts[0], ==, "default");
  g_assert_cmpstr (accounts[1], ==, "second");
  assert_result (bgpt_history_get_results (again, "default", "openai.key"), 0, NOW - 30, BGPT_OUTCOME_OK, NULL, 120);
  assert_result (bgpt_history_get_results (again, "default", "openai.key"), 1, NOW - 20, BGPT_OUTCOME_FAILED, "openai.auth", 80);
  assert_result (bgpt_history_get_results (again, "default", "openai.key"), 2, NOW - 10, BGPT_OUTCOME_UNKNOWN, NULL, 0);
  assert_result (bgpt_history_get_results (again, "default", "openai.model"), 0, NOW - 20, BGPT_OUTCOME_BLOCKED, NULL, 0);
  assert_result (bgpt_history_get_results (again, "second", "kommo.account"), 0, NOW, BGPT_OUTCOME_FAILED, NULL, 7);
  g_assert_cmpuint (bgpt_history_get_results (again, "default", "openai.quota")->len, ==, 0);
  g_assert_cmpuint (bgpt_history_get_results (again, "nobody", "openai.key")->len, ==, 0);

  path = bgpt_history_dup_account_path (again, "second");
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_null (g_strstr_len (contents, length, "sk-proj"));
  g_assert_cmpint (g_stat (path, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);
  g_assert_cmpint (bgpt_history_get_file_size (again, "second"), ==, info.st_size);

  /* What cannot be kept is refused, not written somewhere odd. */
  {
    BgptHistoryResult result = { NOW, 1, BGPT_OUTCOME_OK, NULL };
    g_autoptr(GError) error = NULL;

    g_assert_false (bgpt_history_append (history, "../escape", "openai.key", &result, &error));
    g_assert_error (error, BGPT_HISTORY_ERROR, BGPT_HISTORY_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_false (bgpt_history_append (history, "default", "no.such-check", &result, &error));
    g_assert_error (error, BGPT_HISTORY_ERROR, BGPT_HISTORY_ERROR_INVALID);
  }
}

/* Each append is one small record at the end of the file. */
static void
test_append_is_small (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(BgptHistory) history = load_history (fixture->directory);
  g_autofree char *path = NULL;
  goffset before, after;

  append (history, "default", "openai.key", NOW, BGPT_OUTCOME_OK, NULL, 100);
  path = bgpt_history_dup_account_path (history, "default");
  before = file_size (path);
  append (history, "default", "openai.key", NOW + 1, BGPT_OUTCOME_FAILED, "openai.timeout", 20000);
  after = file_size (path);
  g_assert_cmpint (after - before, >, 0);
  g_assert_cmpint (after - before, <=, 40);
}

/* Cut the file anywhere inside its last record: that record goes, every
 * one before it stays, and the next append follows the last whole record. */
static void
test_torn_last_record (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autofree char *whole = NULL;
  gsize whole_length;
  goffset before_last;

  {
    g_autoptr(BgptHistory) history = load_history (fixture->directory);

    for (guint i = 0; i < 20; i++)
      append (history, "default", "openai.key", NOW + i, i % 3 == 0 ? BGPT_OUTCOME_FAILED : BGPT_OUTCOME_OK,
              i % 3 == 0 ? "openai.connection" : NULL, 100 + i);
    path = bgpt_history_dup_account_path (history, "default");
    before_last = file_size (path);
    append (history, "default", "openai.key", NOW + 20, BGPT_OUTCOME_FAILED, "openai.quota", 999);
  }
  g_assert_true (g_file_get_contents (path, &whole, &whole_length, NULL));

  for (goffset cut = before_last; cut < (goffset) whole_length; cut++)
    {
      g_autoptr(BgptHistory) history = NULL;
      g_autoptr(BgptHistory) again = NULL;
      GArray *results;

      g_assert_true (g_file_set_contents (path, whole, cut, NULL));
      history = load_history (fixture->directory);
      results = bgpt_history_get_results (history, "default", "openai.key");
      g_assert_cmpuint (results->len, ==, 20);
      assert_result (results, 19, NOW + 19, BGPT_OUTCOME_OK, NULL, 119);
      g_assert_cmpint (file_size (path), ==, before_last);

      append (history, "default", "openai.key", NOW + 30, BGPT_OUTCOME_OK, NULL, 5);
      again = load_history (fixture->directory);
      results = bgpt_history_get_results (again, "default", "openai.key");
      g_assert_cmpuint (results->len, ==, 21);
      assert_result (results, 20, NOW + 30, BGPT_OUTCOME_OK, NULL, 5);
    }

  /* Zeros after the last record (what a crash may leave on some file
   * systems) are no record either. */
  {
    g_autoptr(GString) padded = g_string_new_len (whole, whole_length);
    g_autoptr(BgptHistory) history = NULL;

    g_string_append_len (padded, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 24);
    g_assert_true (g_file_set_contents (path, padded->str, padded->len, NULL));
    history = load_history (fixture->directory);
    g_assert_cmpuint (bgpt_history_get_results (history, "default", "openai.key")->len, ==, 21);
    g_assert_cmpint (file_size (path), ==, whole_length);
  }

  /* A damaged record in the middle is skipped, the ones after it stay. */
  {
    g_autoptr(BgptHistory) history = NULL;
    g_autofree char *damaged = g_memdup2 (whole, whole_length);

    damaged[before_last - 3] ^= 0x55;
    g_assert_true (g_file_set_contents (path, damaged, whole_length, NULL));
    history = load_history (fixture->directory);
    g_assert_cmpuint (bgpt_history_get_results (history, "default", "openai.key")->len, ==, 20);
    assert_result (bgpt_history_get_results (history, "default", "openai.key"), 19,
                   NOW + 20, BGPT_OUTCOME_FAILED, "openai.quota", 999);
  }

  /* An empty file (created, then a crash): an empty history, no warning. */
  {
    g_autoptr(BgptHistory) history = NULL;

    g_assert_true (g_file_set_contents (path, "", 0, NULL));
    history = load_history (fixture->directory);
    g_assert_cmpuint (bgpt_history_get_results (history, "default", "openai.key")->len, ==, 0);
    append (history, "default", "openai.key", NOW, BGPT_OUTCOME_OK, NULL, 5);
    g_clear_object (&history);
    history = load_history (fixture->directory);
    g_assert_cmpuint (bgpt_history_get_results (history, "default", "openai.key")->len, ==, 1);
  }

  /* Not a history file at all: moved aside, started again. */
  {
    g_autoptr(BgptHistory) history = NULL;
    g_autofree char *aside = g_strconcat (path, ".unreadable", NULL);

    g_assert_true (g_file_set_contents (path, "{\"not\": \"ours\"}", -1, NULL));
    g_test_expect_message ("bgpt-history", G_LOG_LEVEL_WARNING, "*not readable*");
    history = load_history (fixture->directory);
    g_test_assert_expected_messages ();
    g_assert_cmpuint (bgpt_history_get_results (history, "default", "openai.key")->len, ==, 0);
    g_assert_true (g_file_test (aside, G_FILE_TEST_EXISTS));
    append (history, "default", "openai.key", NOW, BGPT_OUTCOME_OK, NULL, 5);
    g_clear_object (&history);
    history = load_history (fixture->directory);
    g_assert_cmpuint (bgpt_history_get_results (history, "default", "openai.key")->len, ==, 1);
  }
}

/* A writer killed at random moments */

#define WRITER_ARG "--history-writer"

/* Each round writes an account of its own, so that no file reaches the
 * size bound (which would drop the oldest on purpose). */
static int
run_writer (const char *directory,
            const char *account_id)
{
  g_autoptr(BgptHistory) history = load_history (directory);
  g_autofree char *base = g_path_get_dirname (directory);
  g_autofree char *ack_path = g_build_filename (base, "acknowledged", NULL);
  int ack_fd = g_open (ack_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

  g_assert_cmpint (ack_fd, >=, 0);

  for (gint64 i = 0; ; i++)
    {
      append (history, account_id, i % 2 ? "openai.key" : "kommo.account", NOW + i,
              i % 5 == 0 ? BGPT_OUTCOME_FAILED : BGPT_OUTCOME_OK,
              i % 5 == 0 ? "openai.timeout" : NULL, (guint32) i);
      /* Acknowledged: the write returned. A pipe would fill and stop the
       * writer; a count overwritten in place survives the kill. */
      if (pwrite (ack_fd, &i, sizeof i, 0) != sizeof i)
        g_error ("Could not acknowledge");
      /* Paced, so that a round stays far below the size bound. */
      g_usleep (20);
    }
  return 0;
}

static void
test_killed_writer (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GRand) rand = g_rand_new ();
  guint grew = 0;

  for (guint round = 0; round < 10; round++)
    {
      g_autofree char *account = g_strdup_printf ("round-%u", round);
      const char *argv[] = { WRITER_ARG, fixture->directory, account, NULL };
      g_autoptr(BgptHistory) history = NULL;
      g_autofree char *base = g_path_get_dirname (fixture->directory);
      g_autofree char *ack_path = g_build_filename (base, "acknowledged", NULL);
      g_autofree char *ack = NULL;
      gsize ack_length = 0;
      gint64 acknowledged = -1;
      guint64 total;

      g_unlink (ack_path);
      bgpt_test_run_self_killed (argv, rand, 20, 200, NULL);

      if (g_file_get_contents (ack_path, &ack, &ack_length, NULL) && ack_length == sizeof acknowledged)
        memcpy (&acknowledged, ack, sizeof acknowledged);

      history = load_history (fixture->directory);
      total = bgpt_history_get_results (history, account, "openai.key")->len
              + bgpt_history_get_results (history, account, "kommo.account")->len;
      /* Every acknowledged result is there, in order, and at most the one
       * whose write was under way besides. */
      g_assert_cmpuint (total, >=, (guint64) (acknowledged + 1));
      g_assert_cmpuint (total, <=, (guint64) (acknowledged + 2));
      for (guint c = 0; c < 2; c++)
        {
          GArray *results = bgpt_history_get_results (history, account, c ? "openai.key" : "kommo.account");

          for (guint i = 0; i < results->len; i++)
            {
              gint64 n = (gint64) i * 2 + c;

              assert_result (results, i, NOW + n, n % 5 == 0 ? BGPT_OUTCOME_FAILED : BGPT_OUTCOME_OK,
                             n % 5 == 0 ? "openai.timeout" : NULL, (guint32) n);
            }
        }
      if (total > 0)
        grew++;
      g_test_message ("round %u: %" G_GUINT64_FORMAT " results, %" G_GINT64_FORMAT " acknowledged",
                      round, total, acknowledged + 1);
    }
  g_assert_cmpuint (grew, >=, 5);
}

/* Thinning */

static void
test_thin_boundary (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(BgptHistory) history = load_history (fixture->directory);
  g_autoptr(BgptHistory) again = NULL;
  gint64 since = NOW - 60 * 3600;
  guint n_old = 0, n_old_failed = 0;
  guint32 worst_old = 0;
  GArray *results;
  GArray *hours;
  guint64 counted = 0;
  gint64 boundary = NOW - BGPT_HISTORY_FULL_RESOLUTION_S;

  /* Every 5 minutes for 60 hours, and one a second either side of the
   * boundary; every seventh fails. */
  for (gint64 t = since, i = 0; t < NOW; t += (t >= boundary - 3 && t < boundary + 3) ? 1 : 300, i++)
    {
      gboolean failed = i % 7 == 0;

      append (history, "default", "openai.key", t, failed ? BGPT_OUTCOME_FAILED : BGPT_OUTCOME_OK,
              failed ? "openai.timeout" : NULL, (guint32) (100 + i % 50));
      if (t < boundary)
        {
          n_old++;
          n_old_failed += failed;
          worst_old = MAX (worst_old, (guint32) (100 + i % 50));
        }
    }
  append (history, "default", "openai.model", NOW - 59 * 3600, BGPT_OUTCOME_BLOCKED, NULL, 0);
  append (history, "default", "openai.model", NOW - 1, BGPT_OUTCOME_BLOCKED, NULL, 0);

  /* Not due a few hours early: nothing is rewritten. */
  {
    g_autofree char *path = bgpt_history_dup_account_path (history, "default");
    goffset before = file_size (path);

    g_assert_true (bgpt_history_thin (history, since + BGPT_HISTORY_FULL_RESOLUTION_S + 3600, NULL));
    g_assert_cmpuint (bgpt_history_get_hours (history, "default", "openai.key")->len, ==, 0);
    g_assert_cmpint (file_size (path), ==, before);
  }

  g_assert_true (bgpt_history_thin (history, NOW, NULL));

  for (guint pass = 0; pass < 2; pass++)
    {
      BgptHistory *current = pass == 0 ? history : (again = load_history (fixture->directory));
      guint32 worst = 0;
      guint32 failed = 0;

      counted = 0;
      results = bgpt_history_get_results (current, "default", "openai.key");
      hours = bgpt_history_get_hours (current, "default", "openai.key");
      g_assert_cmpuint (results->len, >, 0);
      /* Full resolution from the boundary on, to the second. */
      g_assert_cmpint (g_array_index (results, BgptHistoryResult, 0).time, ==, boundary);
      g_assert_cmpuint (hours->len, ==, 12);
      for (guint i = 0; i < hours->len; i++)
        {
          const BgptHistoryHour *hour = &g_array_index (hours, BgptHistoryHour, i);

          g_assert_cmpint (hour->hour % 3600, ==, 0);
          g_assert_cmpint (hour->hour, <, boundary);
          counted += hour->counts[BGPT_OUTCOME_OK] + hour->counts[BGPT_OUTCOME_FAILED];
          failed += hour->counts[BGPT_OUTCOME_FAILED];
          worst = MAX (worst, hour->worst_ms);
          g_assert_cmpuint (hour->median_ms, >=, 100);
          g_assert_cmpuint (hour->median_ms, <=, 149);
          if (hour->counts[BGPT_OUTCOME_FAILED] > 0)
            g_assert_cmpstr (hour->error_id, ==, "openai.timeout");
        }
      g_assert_cmpuint (counted, ==, n_old);
      g_assert_cmpuint (failed, ==, n_old_failed);
      g_assert_cmpuint (worst, ==, worst_old);
      /* The blocked one is counted as blocked, not failed. */
      g_assert_cmpuint (bgpt_history_get_hours (current, "default", "openai.model")->len, ==, 1);
      g_assert_cmpuint (g_array_index (bgpt_history_get_hours (current, "default", "openai.model"),
                                       BgptHistoryHour, 0).counts[BGPT_OUTCOME_BLOCKED], ==, 1);
      g_assert_cmpuint (bgpt_history_get_results (current, "default", "openai.model")->len, ==, 1);
    }

  /* 90 days on, the hours go too. */
  g_assert_true (bgpt_history_thin (again, NOW + BGPT_HISTORY_KEPT_S + BGPT_HISTORY_THIN_SLACK_S, NULL));
  g_assert_cmpuint (bgpt_history_get_results (again, "default", "openai.key")->len, ==, 0);
  g_assert_cmpuint (bgpt_history_get_hours (again, "default", "openai.key")->len, ==, 0);
}

static void
test_size_bound (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(BgptHistory) history = load_history (fixture->directory);
  g_autoptr(BgptHistory) again = NULL;
  guint64 total = 0;
  g_auto(GStrv) accounts = NULL;

  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *account = g_strdup_printf ("account-%03u", i);
      g_autoptr(GError) error = NULL;

      bgpt_demo_history_generate (history, account, NOW - i, 90);
      g_assert_true (bgpt_history_save (history, account, &error));
      g_assert_no_error (error);
    }

  /* A day of appends (one account's checks every 30 s, failing) and a
   * thinning: every file stays within its bound. */
  for (gint64 t = NOW; t < NOW + 24 * 3600; t += 30)
    append (history, "account-000", "openai.key", t, BGPT_OUTCOME_FAILED, "openai.timeout", 20000);
  g_assert_true (bgpt_history_thin (history, NOW + 24 * 3600 + BGPT_HISTORY_THIN_SLACK_S, NULL));

  again = load_history (fixture->directory);
  accounts = bgpt_history_dup_account_ids (again);
  g_assert_cmpuint (g_strv_length (accounts), ==, 100);
  for (guint i = 0; accounts[i] != NULL; i++)
    {
      g_autofree char *path = bgpt_history_dup_account_path (again, accounts[i]);
      goffset size = file_size (path);

      g_assert_cmpint (size, <=, BGPT_HISTORY_MAX_ACCOUNT_BYTES);
      total += size;
    }
  g_test_message ("100 accounts x 90 days: %" G_GUINT64_FORMAT " bytes", total);
  g_assert_cmpuint (total, <=, 100 * (guint64) BGPT_HISTORY_MAX_ACCOUNT_BYTES);
  /* 90 days of hours are all still there (a third of the bound). */
  g_assert_cmpuint (bgpt_history_get_hours (again, "account-042", "openai.key")->len, >=, 88 * 24 - 2);

  /* One account appending far more than usual (every second for two days)
   * is cut to its bound, the oldest first. */
  for (gint64 t = NOW; t < NOW + 2 * 24 * 3600; t += 1)
    {
      BgptHistoryResult result = { t, 20000, BGPT_OUTCOME_FAILED, "openai.timeout" };

      g_assert_true (bgpt_history_append (again, "account-001", "openai.quota", &result, NULL));
    }
  g_assert_true (bgpt_history_thin (again, NOW + 2 * 24 * 3600, NULL));
  {
    g_autofree char *path = bgpt_history_dup_account_path (again, "account-001");

    g_assert_cmpint (file_size (path), <=, BGPT_HISTORY_MAX_ACCOUNT_BYTES);
    /* The newest results are the ones kept. */
    g_assert_cmpint (g_array_index (bgpt_history_get_results (again, "account-001", "openai.quota"),
                                    BgptHistoryResult,
                                    bgpt_history_get_results (again, "account-001", "openai.quota")->len - 1).time,
                     ==, NOW + 2 * 24 * 3600 - 1);
  }
}

static void
test_forget_account (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(BgptHistory) history = load_history (fixture->directory);
  g_autoptr(BgptHistory) again = NULL;
  g_autofree char *path = NULL;
  g_autofree char *other = NULL;
  g_autoptr(GError) error = NULL;

  append (history, "default", "openai.key", NOW, BGPT_OUTCOME_OK, NULL, 1);
  append (history, "shop", "openai.key", NOW, BGPT_OUTCOME_OK, NULL, 2);
  path = bgpt_history_dup_account_path (history, "default");
  other = bgpt_history_dup_account_path (history, "shop");
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));

  g_assert_true (bgpt_history_forget_account (history, "default", &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (other, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (bgpt_history_get_results (history, "default", "openai.key")->len, ==, 0);

  again = load_history (fixture->directory);
  g_assert_cmpuint (bgpt_history_get_results (again, "default", "openai.key")->len, ==, 0);
  g_assert_cmpuint (bgpt_history_get_results (again, "shop", "openai.key")->len, ==, 1);

  /* Without a store: the file only, and no file is no error. */
  g_assert_true (bgpt_history_remove_account_file (fixture->directory, "shop", &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));
  g_assert_true (bgpt_history_remove_account_file (fixture->directory, "shop", &error));
  g_assert_no_error (error);
}

/* A file listed but gone before it is opened (its account forgotten while
 * a thread loads) is no history to read, not a failed load: a dangling
 * link stands for it, listed but never there. */
static void
test_file_gone_after_listing (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(BgptHistory) history = NULL;
  g_autofree char *ghost = NULL;

  {
    g_autoptr(BgptHistory) first = load_history (fixture->directory);

    append (first, "default", "openai.key", NOW, BGPT_OUTCOME_OK, NULL, 1);
    ghost = bgpt_history_dup_account_path (first, "ghost");
  }
  g_assert_cmpint (symlink ("/nonexistent/bgpt-ghost.history", ghost), ==, 0);

  history = load_history (fixture->directory);
  g_assert_cmpuint (bgpt_history_get_results (history, "default", "openai.key")->len, ==, 1);
  g_assert_cmpuint (bgpt_history_get_results (history, "ghost", "openai.key")->len, ==, 0);
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bgpt_history_load_finish (BGPT_HISTORY (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* Results that arrive while a thread loads wait for it, then follow what
 * it read, on disk as in memory. */
static void
test_append_while_loading (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(BgptHistory) history = NULL;
  g_autoptr(BgptHistory) again = NULL;
  gboolean loaded = FALSE;

  {
    g_autoptr(BgptHistory) first = load_history (fixture->directory);

    append (first, "default", "openai.key", NOW, BGPT_OUTCOME_OK, NULL, 1);
    append (first, "gone", "openai.key", NOW, BGPT_OUTCOME_OK, NULL, 3);
  }
  history = bgpt_history_new (fixture->directory);
  bgpt_history_load_async (history, NULL, on_loaded, &loaded);
  append (history, "default", "openai.key", NOW + 1, BGPT_OUTCOME_FAILED, "openai.auth", 2);
  /* Forgotten while a thread loads: it stays forgotten, whether the thread
   * read its file before it went or not. */
  g_assert_true (bgpt_history_forget_account (history, "gone", NULL));
  g_assert_true (bgpt_test_wait_until (is_true, &loaded));
  g_assert_cmpuint (bgpt_history_get_results (history, "gone", "openai.key")->len, ==, 0);
  g_assert_cmpuint (bgpt_history_get_results (history, "default", "openai.key")->len, ==, 2);
  again = load_history (fixture->directory);
  assert_result (bgpt_history_get_results (again, "default", "openai.key"), 0, NOW, BGPT_OUTCOME_OK, NULL, 1);
  assert_result (bgpt_history_get_results (again, "default", "openai.key"), 1, NOW + 1,
                 BGPT_OUTCOME_FAILED, "openai.auth", 2);
}

static void
test_default_directory (void)
{
  g_autofree char *directory = bgpt_history_get_default_directory ();
  g_autofree char *expected = g_build_filename (g_get_user_state_dir (), "bytegpt-monitor", "history", NULL);

  g_assert_cmpstr (directory, ==, expected);
}

int
main (int   argc,
      char *argv[])
{
  now_on_the_hour = g_get_real_time () / G_USEC_PER_SEC / 3600 * 3600;
  if (argc == 4 && g_str_equal (argv[1], WRITER_ARG))
    return run_writer (argv[2], argv[3]);

  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/history/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("round-trip", test_round_trip);
  ADD ("append-is-small", test_append_is_small);
  ADD ("torn-last-record", test_torn_last_record);
  ADD ("killed-writer", test_killed_writer);
  ADD ("thin-boundary", test_thin_boundary);
  ADD ("size-bound", test_size_bound);
  ADD ("forget-account", test_forget_account);
  ADD ("append-while-loading", test_append_while_loading);
  ADD ("file-gone-after-listing", test_file_gone_after_listing);
  g_test_add_func ("/history/default-directory", test_default_directory);

#undef ADD

  return g_test_run ();
}
