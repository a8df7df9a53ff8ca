/* test-incident-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-incident-store"

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "core/bgpt-i18n.h"
#include "core/bgpt-incident-store.h"

#include "bgpt-test-utils.h"

/* Fixtures */

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("bgpt-incidents-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "state", "bytegpt-monitor", "incidents.json", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  bgpt_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

/* Helpers */

static void
on_load (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GError **error = user_data;
  GError *local_error = NULL;
  gboolean ok = bgpt_incident_store_load_finish (BGPT_INCIDENT_STORE (object), result, &local_error);

  g_assert_true (ok == (local_error == NULL));
  if (error != NULL)
    *error = local_error;
  else
    g_clear_error (&local_error);
  /* Marks completion for the loop in load_store(). */
  g_object_set_data (object, "test-loaded", GINT_TO_POINTER (TRUE));
}

static gboolean
load_store (BgptIncidentStore  *store,
            GError            **error)
{
  GError *local_error = NULL;
  gboolean ok;

  g_object_set_data (G_OBJECT (store), "test-loaded", NULL);
  bgpt_incident_store_load_async (store, NULL, on_load, &local_error);
  while (g_object_get_data (G_OBJECT (store), "test-loaded") == NULL)
    g_main_context_iteration (NULL, TRUE);

  ok = local_error == NULL;
  if (error != NULL)
    *error = local_error;
  else
    g_clear_error (&local_error);
  return ok;
}

static BgptIncidentStore *
new_loaded_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  BgptIncidentStore *store = bgpt_incident_store_new (path);

  load_store (store, &error);
  g_assert_no_error (error);
  g_assert_null (bgpt_incident_store_get_load_error (store));
  return store;
}

static BgptDiagnosis *
make_diagnosis (const char *check,
                const char *error_id,
                const char *request_id)
{
  BgptDiagnosis *diagnosis = bgpt_diagnosis_new (check, error_id);

  diagnosis->http_status = 401;
  diagnosis->api_type = g_strdup ("invalid_request_error");
  diagnosis->api_code = g_strdup ("invalid_api_key");
  diagnosis->api_message = g_strdup ("Incorrect API key provided: sk-…[hidden]. ✓ ação");
  diagnosis->request_id = g_strdup (request_id);
  diagnosis->retry_after_s = 7;
  diagnosis->elapsed_ms = 41;
  diagnosis->detail = g_strdup ("HTTP 401 from /v1/models");
  return diagnosis;
}

static BgptIncident *
report (BgptIncidentStore *store,
        const char        *account_id,
        const char        *check,
        const char        *error_id)
{
  g_autoptr(BgptDiagnosis) diagnosis = make_diagnosis (check, error_id, "req_1");

  return bgpt_incident_store_report (store, account_id, diagnosis);
}

static BgptIncident *
item (BgptIncidentStore *store,
      guint              position)
{
  g_autoptr(BgptIncident) incident = g_list_model_get_item (G_LIST_MODEL (store), position);

  g_assert_nonnull (incident);
  /* The store keeps its own reference. */
  return incident;
}

static guint
n_items (BgptIncidentStore *store)
{
  return g_list_model_get_n_items (G_LIST_MODEL (store));
}

static gboolean
file_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static void
finish_store (BgptIncidentStore **store)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bgpt_incident_store_flush (*store, &error));
  g_assert_no_error (error);
  /* A save still running in a thread drops its reference when it is done. */
  bgpt_test_assert_finalized_soon (g_steal_pointer (store));
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static void
write_bytes (const char *path,
             const char *contents,
             gssize      length)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
}

/* Names of "<basename>.corrupt-…" files beside @path. */
static GPtrArray *
list_backups (const char *path)
{
  g_autofree char *dirname = g_path_get_dirname (path);
  g_autofree char *basename = g_path_get_basename (path);
  g_autofree char *prefix = g_strconcat (basename, ".corrupt-", NULL);
  GPtrArray *backups = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = g_dir_open (dirname, 0, NULL);
  const char *name;

  if (dir == NULL)
    return backups;

  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, prefix))
      g_ptr_array_add (backups, g_build_filename (dirname, name, NULL));

  return backups;
}

/* Tests */

static void
assert_same_incident (BgptIncident *a,
                      BgptIncident *b)
{
  g_assert_cmpstr (bgpt_incident_get_id (a), ==, bgpt_incident_get_id (b));
  g_assert_cmpstr (bgpt_incident_get_account_id (a), ==, bgpt_incident_get_account_id (b));
  g_assert_cmpstr (bgpt_incident_get_check (a), ==, bgpt_incident_get_check (b));
  g_assert_cmpstr (bgpt_incident_get_error_id (a), ==, bgpt_incident_get_error_id (b));
  g_assert_cmpint (bgpt_incident_get_state (a), ==, bgpt_incident_get_state (b));
  g_assert_cmpint (bgpt_incident_get_first_seen (a), ==, bgpt_incident_get_first_seen (b));
  g_assert_cmpint (bgpt_incident_get_last_seen (a), ==, bgpt_incident_get_last_seen (b));
  g_assert_cmpint (bgpt_incident_get_resolved_at (a), ==, bgpt_incident_get_resolved_at (b));
  g_assert_cmpuint (bgpt_incident_get_count (a), ==, bgpt_incident_get_count (b));
  g_assert_cmpint (bgpt_incident_get_read (a), ==, bgpt_incident_get_read (b));
  g_assert_cmpint (bgpt_incident_get_silenced_until (a), ==, bgpt_incident_get_silenced_until (b));
  g_assert_cmpuint (bgpt_incident_get_http_status (a), ==, bgpt_incident_get_http_status (b));
  g_assert_cmpstr (bgpt_incident_get_api_type (a), ==, bgpt_incident_get_api_type (b));
  g_assert_cmpstr (bgpt_incident_get_api_code (a), ==, bgpt_incident_get_api_code (b));
  g_assert_cmpstr (bgpt_incident_get_api_message (a), ==, bgpt_incident_get_api_message (b));
  g_assert_cmpstr (bgpt_incident_get_request_id (a), ==, bgpt_incident_get_request_id (b));
  g_assert_cmpint (bgpt_incident_get_retry_after (a), ==, bgpt_incident_get_retry_after (b));
  g_assert_cmpstr (bgpt_incident_get_detail (a), ==, bgpt_incident_get_detail (b));
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(BgptIncidentStore) store = new_loaded_store (fixture->path);
  g_autoptr(BgptIncidentStore) reloaded = NULL;
  g_autoptr(BgptDiagnosis) sparse = bgpt_diagnosis_new (BGPT_CHECK_KOMMO_ACCOUNT, "kommo.connection");
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  BgptIncident *auth;
  BgptIncident *quota;
  BgptIncident *kommo;
  struct stat st;

  auth = report (store, "default", BGPT_CHECK_OPENAI_KEY, "openai.auth");
  report (store, "default", BGPT_CHECK_OPENAI_KEY, "openai.auth");
  quota = report (store, "second", BGPT_CHECK_OPENAI_QUOTA, "openai.quota");
  kommo = bgpt_incident_store_report (store, "default", sparse);
  bgpt_incident_store_resolve (store, "second", BGPT_CHECK_OPENAI_QUOTA);
  bgpt_incident_store_mark_read (store, quota);
  bgpt_incident_store_silence (store, auth, BGPT_INCIDENT_SILENCE_UNTIL_RESOLVED);
  bgpt_incident_store_silence (store, kommo, g_get_real_time () + (gint64) G_USEC_PER_SEC * 3600);
  g_assert_cmpuint (n_items (store), ==, 3);

  /* Nothing is written before the delay or a flush. */
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
  finish_store (&store);

  g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  /* The store is gone; compare with what the second one reads. */
  store = bgpt_incident_store_new (fixture->path);
  g_assert_true (load_store (store, NULL));
  reloaded = new_loaded_store (fixture->path);
  g_assert_cmpuint (n_items (reloaded), ==, 3);
  g_assert_cmpuint (bgpt_incident_store_get_n_unread (reloaded), ==, 2);
  g_assert_cmpuint (bgpt_incident_store_get_n_open (reloaded), ==, 2);

  for (guint i = 0; i < 3; i++)
    assert_same_incident (item (store, i), item (reloaded, i));

  /* Newest first. */
  kommo = item (reloaded, 0);
  quota = item (reloaded, 1);
  auth = item (reloaded, 2);
  g_assert_cmpstr (bgpt_incident_get_error_id (kommo), ==, "kommo.connection");
  g_assert_cmpstr (bgpt_incident_get_error_id (quota), ==, "openai.quota");
  g_assert_cmpstr (bgpt_incident_get_error_id (auth), ==, "openai.auth");

  g_assert_cmpuint (bgpt_incident_get_count (auth), ==, 2);
  g_assert_cmpuint (bgpt_incident_get_http_status (auth), ==, 401);
  g_assert_cmpstr (bgpt_incident_get_api_message (auth), ==, "Incorrect API key provided: sk-…[hidden]. ✓ ação");
  g_assert_cmpstr (bgpt_incident_get_request_id (auth), ==, "req_1");
  g_assert_cmpint (bgpt_incident_get_retry_after (auth), ==, 7);
  g_assert_cmpint (bgpt_incident_get_silenced_until (auth), ==, BGPT_INCIDENT_SILENCE_UNTIL_RESOLVED);
  g_assert_true (bgpt_incident_is_silenced (auth, g_get_real_time ()));

  g_assert_false (bgpt_incident_is_open (quota));
  g_assert_cmpint (bgpt_incident_get_resolved_at (quota), >=, bgpt_incident_get_last_seen (quota));
  g_assert_true (bgpt_incident_get_read (quota));

  g_assert_null (bgpt_incident_get_api_type (kommo));
  g_assert_null (bgpt_incident_get_request_id (kommo));
  g_assert_cmpint (bgpt_incident_get_retry_after (kommo), ==, -1);
  g_assert_cmpuint (bgpt_incident_get_http_status (kommo), ==, 0);
  g_assert_true (bgpt_incident_get_catalog_entry (kommo) == bgpt_catalog_lookup ("kommo.connection"));
  g_assert_cmpint (bgpt_incident_get_service (kommo), ==, BGPT_SERVICE_KOMMO);

  g_assert_true (bgpt_incident_store_lookup (reloaded, bgpt_incident_get_id (auth)) == auth);
  g_assert_true (bgpt_incident_store_find_open (reloaded, "default", BGPT_CHECK_OPENAI_KEY) == auth);

  finish_store (&store);
  finish_store (&reloaded);
}

static void
test_dedup (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(BgptIncidentStore) store = new_loaded_store (fixture->path);
  g_autoptr(BgptDiagnosis) again = make_diagnosis (BGPT_CHECK_OPENAI_KEY, "openai.auth", "req_2");
  BgptTestItemsChanged changed = { 0 };
  BgptIncident *first;
  BgptIncident *other;
  gint64 first_seen;
  guint count_notifies = 0;

  g_signal_connect (store, "items-changed", G_CALLBACK (bgpt_test_record_items_changed), &changed);

  other = report (store, "default", BGPT_CHECK_OPENAI_MODEL, "openai.model");
  first = report (store, "default", BGPT_CHECK_OPENAI_KEY, "openai.auth");
  g_assert_cmpuint (changed.count, ==, 2);
  g_assert_cmpuint (changed.position, ==, 0);
  g_assert_cmpuint (changed.removed, ==, 0);
  g_assert_cmpuint (changed.added, ==, 1);
  g_assert_true (item (store, 0) == first);
  g_assert_true (item (store, 1) == other);

  first_seen = bgpt_incident_get_first_seen (first);
  g_signal_connect (first, "notify::count", G_CALLBACK (bgpt_test_count_notify), &count_notifies);

  /* A repeat of the older row: updated in place, not moved. */
  bgpt_test_run_for (2);
  g_assert_true (bgpt_incident_store_report (store, "default", again) == first);
  g_assert_cmpuint (changed.position, ==, 0);
  g_assert_true (report (store, "default", BGPT_CHECK_OPENAI_MODEL, "openai.model") == other);
  g_assert_cmpuint (changed.position, ==, 1);
  g_assert_cmpuint (changed.removed, ==, 1);
  g_assert_cmpuint (changed.added, ==, 1);
  g_assert_true (item (store, 1) == other);

  g_assert_cmpuint (n_items (store), ==, 2);
  g_assert_cmpuint (bgpt_incident_get_count (first), ==, 2);
  g_assert_cmpuint (count_notifies, ==, 1);
  g_assert_cmpint (bgpt_incident_get_first_seen (first), ==, first_seen);
  g_assert_cmpint (bgpt_incident_get_last_seen (first), >, first_seen);
  g_assert_cmpstr (bgpt_incident_get_request_id (first), ==, "req_2");
  g_assert_cmpuint (bgpt_incident_get_count (other), ==, 2);

  /* A different account is a different incident. */
  g_assert_true (report (store, "second", BGPT_CHECK_OPENAI_KEY, "openai.auth") != first);
  g_assert_cmpuint (n_items (store), ==, 3);
  g_assert_true (bgpt_incident_is_open (first));

  finish_store (&store);
}

static void
test_different_error (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(BgptIncidentStore) store = new_loaded_store (fixture->path);
  BgptIncident *auth;
  BgptIncident *quota;
  BgptIncident *kommo;

  kommo = report (store, "default", BGPT_CHECK_KOMMO_ACCOUNT, "kommo.auth");
  auth = report (store, "default", BGPT_CHECK_OPENAI_KEY, "openai.auth");
  quota = report (store, "default", BGPT_CHECK_OPENAI_KEY, "openai.quota");

  g_assert_true (quota != auth);
  g_assert_cmpuint (n_items (store), ==, 3);
  g_assert_true (item (store, 0) == quota);
  g_assert_false (bgpt_incident_is_open (auth));
  g_assert_cmpint (bgpt_incident_get_resolved_at (auth), >, 0);
  g_assert_true (bgpt_incident_is_open (quota));
  g_assert_true (bgpt_incident_is_open (kommo));
  g_assert_true (bgpt_incident_store_find_open (store, "default", BGPT_CHECK_OPENAI_KEY) == quota);
  g_assert_cmpuint (bgpt_incident_store_get_n_open (store), ==, 2);

  /* Resolving, then failing the same way again: a new incident. */
  g_assert_true (bgpt_incident_store_resolve (store, "default", BGPT_CHECK_OPENAI_KEY) == quota);
  g_assert_null (bgpt_incident_store_resolve (store, "default", BGPT_CHECK_OPENAI_KEY));
  g_assert_null (bgpt_incident_store_find_open (store, "default", BGPT_CHECK_OPENAI_KEY));
  g_assert_false (bgpt_incident_is_open (quota));
  g_assert_true (report (store, "default", BGPT_CHECK_OPENAI_KEY, "openai.quota") != quota);
  g_assert_cmpuint (n_items (store), ==, 4);
  g_assert_cmpuint (bgpt_incident_get_count (item (store, 0)), ==, 1);

  finish_store (&store);
}

static void
test_cap (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(BgptIncidentStore) store = new_loaded_store (fixture->path);
  g_autoptr(BgptIncidentStore) reloaded = NULL;
  g_auto(GStrv) ids = g_new0 (char *, 9);
  char account[16];

  bgpt_incident_store_set_max_incidents (store, 5);

  for (guint i = 0; i < 5; i++)
    {
      g_snprintf (account, sizeof account, "a%u", i);
      ids[i] = g_strdup (bgpt_incident_get_id (report (store, account, BGPT_CHECK_OPENAI_KEY, "openai.auth")));
      bgpt_test_run_for (1);
    }
  bgpt_incident_store_resolve (store, "a1", BGPT_CHECK_OPENAI_KEY);
  bgpt_incident_store_resolve (store, "a3", BGPT_CHECK_OPENAI_KEY);

  /* Over the cap: the oldest resolved one goes, the older open a0 stays. */
  ids[5] = g_strdup (bgpt_incident_get_id (report (store, "a5", BGPT_CHECK_OPENAI_KEY, "openai.auth")));
  g_assert_cmpuint (n_items (store), ==, 5);
  g_assert_nonnull (bgpt_incident_store_lookup (store, ids[0]));
  g_assert_null (bgpt_incident_store_lookup (store, ids[1]));
  g_assert_nonnull (bgpt_incident_store_lookup (store, ids[3]));

  ids[6] = g_strdup (bgpt_incident_get_id (report (store, "a6", BGPT_CHECK_OPENAI_KEY, "openai.auth")));
  g_assert_null (bgpt_incident_store_lookup (store, ids[3]));
  g_assert_nonnull (bgpt_incident_store_lookup (store, ids[0]));

  /* All open: the oldest goes. */
  ids[7] = g_strdup (bgpt_incident_get_id (report (store, "a7", BGPT_CHECK_OPENAI_KEY, "openai.auth")));
  g_assert_cmpuint (n_items (store), ==, 5);
  g_assert_null (bgpt_incident_store_lookup (store, ids[0]));
  for (guint i = 2; i < 8; i++)
    if (i != 3)
      g_assert_nonnull (bgpt_incident_store_lookup (store, ids[i]));
  g_assert_cmpuint (bgpt_incident_store_get_n_open (store), ==, 5);

  /* The cap also applies to what is loaded: resolved first. */
  bgpt_incident_store_resolve (store, "a7", BGPT_CHECK_OPENAI_KEY);
  finish_store (&store);

  reloaded = bgpt_incident_store_new (fixture->path);
  bgpt_incident_store_set_max_incidents (reloaded, 4);
  g_assert_true (load_store (reloaded, NULL));
  g_assert_cmpuint (n_items (reloaded), ==, 4);
  g_assert_null (bgpt_incident_store_lookup (reloaded, ids[7]));
  g_assert_cmpuint (bgpt_incident_store_get_n_open (reloaded), ==, 4);

  finish_store (&reloaded);
}

static void
test_read (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(BgptIncidentStore) store = new_loaded_store (fixture->path);
  BgptIncident *auth;
  BgptIncident *model;
  guint notifies = 0;

  g_signal_connect (store, "notify::n-unread", G_CALLBACK (bgpt_test_count_notify), &notifies);

  g_assert_cmpuint (bgpt_incident_store_get_n_unread (store), ==, 0);
  auth = report (store, "default", BGPT_CHECK_OPENAI_KEY, "openai.auth");
  model = report (store, "default", BGPT_CHECK_OPENAI_MODEL, "openai.model");
  report (store, "default", BGPT_CHECK_KOMMO_ACCOUNT, "kommo.timeout");
  g_assert_cmpuint (bgpt_incident_store_get_n_unread (store), ==, 3);
  g_assert_cmpuint (notifies, ==, 3);
  g_assert_false (bgpt_incident_get_read (auth));

  bgpt_incident_store_mark_read (store, auth);
  g_assert_true (bgpt_incident_get_read (auth));
  g_assert_cmpuint (bgpt_incident_store_get_n_unread (store), ==, 2);
  g_assert_cmpuint (notifies, ==, 4);

  /* A repeat does not bring back what was read. */
  report (store, "default", BGPT_CHECK_OPENAI_KEY, "openai.auth");
  g_assert_true (bgpt_incident_get_read (auth));
  g_assert_cmpuint (bgpt_incident_store_get_n_unread (store), ==, 2);

  bgpt_incident_store_mark_all_read (store);
  g_assert_true (bgpt_incident_get_read (model));
  g_assert_cmpuint (bgpt_incident_store_get_n_unread (store), ==, 0);
  g_assert_cmpuint (notifies, ==, 5);

  /* A new problem on a read check is news. */
  report (store, "default", BGPT_CHECK_OPENAI_KEY, "openai.quota");
  g_assert_cmpuint (bgpt_incident_store_get_n_unread (store), ==, 1);

  finish_store (&store);
}

static void
test_clear_resolved (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(BgptIncidentStore) store = new_loaded_store (fixture->path);
  g_autoptr(BgptIncidentStore) reloaded = NULL;
  BgptIncident *open;

  report (store, "default", BGPT_CHECK_OPENAI_KEY, "openai.auth");
  report (store, "default", BGPT_CHECK_OPENAI_KEY, "openai.quota");
  open = report (store, "default", BGPT_CHECK_KOMMO_ACCOUNT, "kommo.auth");
  report (store, "other", BGPT_CHECK_KOMMO_ACCOUNT, "kommo.auth");
  bgpt_incident_store_resolve (store, "other", BGPT_CHECK_KOMMO_ACCOUNT);
  g_assert_cmpuint (n_items (store), ==, 4);

  g_assert_cmpuint (bgpt_incident_store_clear_resolved (store), ==, 2);
  g_assert_cmpuint (n_items (store), ==, 2);
  g_assert_true (item (store, 0) == open);
  g_assert_cmpuint (bgpt_incident_store_clear_resolved (store), ==, 0);
  finish_store (&store);

  reloaded = new_loaded_store (fixture->path);
  g_assert_cmpuint (n_items (reloaded), ==, 2);
  g_assert_cmpuint (bgpt_incident_store_get_n_open (reloaded), ==, 2);
  finish_store (&reloaded);
}

static void
test_silence (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(BgptIncidentStore) store = new_loaded_store (fixture->path);
  BgptIncident *auth;
  BgptIncident *kommo;
  gint64 now = g_get_real_time ();
  gint64 hour = (gint64) G_USEC_PER_SEC * 3600;

  auth = report (store, "default", BGPT_CHECK_OPENAI_KEY, "openai.auth");
  kommo = report (store, "default", BGPT_CHECK_KOMMO_ACCOUNT, "kommo.auth");
  g_assert_false (bgpt_incident_is_silenced (auth, now));

  bgpt_incident_store_silence (store, auth, BGPT_INCIDENT_SILENCE_UNTIL_RESOLVED);
  bgpt_incident_store_silence (store, kommo, now + hour);
  g_assert_true (bgpt_incident_is_silenced (auth, now + 1000 * hour));
  g_assert_true (bgpt_incident_is_silenced (kommo, now));
  g_assert_false (bgpt_incident_is_silenced (kommo, now + 2 * hour));

  /* Repeats keep the silence; resolving ends "until resolved". */
  report (store, "default", BGPT_CHECK_OPENAI_KEY, "openai.auth");
  g_assert_true (bgpt_incident_is_silenced (auth, now));
  bgpt_incident_store_resolve (store, "default", BGPT_CHECK_OPENAI_KEY);
  g_assert_false (bgpt_incident_is_silenced (auth, now));

  bgpt_incident_store_silence (store, kommo, BGPT_INCIDENT_SILENCE_NONE);
  g_assert_false (bgpt_incident_is_silenced (kommo, now));

  finish_store (&store);
}

static void
test_remove_account (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(BgptIncidentStore) store = new_loaded_store (fixture->path);
  g_autoptr(BgptIncidentStore) reloaded = NULL;

  report (store, "gone", BGPT_CHECK_OPENAI_KEY, "openai.auth");
  report (store, "kept", BGPT_CHECK_OPENAI_KEY, "openai.auth");
  report (store, "gone", BGPT_CHECK_KOMMO_ACCOUNT, "kommo.auth");
  report (store, "gone", BGPT_CHECK_OPENAI_KEY, "openai.quota");
  g_assert_cmpuint (n_items (store), ==, 4);
  g_assert_cmpuint (bgpt_incident_store_get_n_unread (store), ==, 4);

  g_assert_cmpuint (bgpt_incident_store_remove_account (store, "gone"), ==, 3);
  g_assert_cmpuint (n_items (store), ==, 1);
  g_assert_cmpstr (bgpt_incident_get_account_id (item (store, 0)), ==, "kept");
  g_assert_cmpuint (bgpt_incident_store_get_n_unread (store), ==, 1);
  g_assert_null (bgpt_incident_store_find_open (store, "gone", BGPT_CHECK_OPENAI_KEY));
  g_assert_cmpuint (bgpt_incident_store_remove_account (store, "gone"), ==, 0);
  finish_store (&store);

  reloaded = new_loaded_store (fixture->path);
  g_assert_cmpuint (n_items (reloaded), ==, 1);
  finish_store (&reloaded);
}

static void
test_save_coalesced (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(BgptIncidentStore) store = new_loaded_store (fixture->path);
  g_autoptr(BgptIncidentStore) reloaded = NULL;

  bgpt_incident_store_set_save_delay (store, 100);
  for (guint i = 0; i < 50; i++)
    report (store, "default", BGPT_CHECK_OPENAI_KEY, i % 2 ? "openai.auth" : "openai.quota");

  /* Nothing is written while reporting; the one save comes from the main
   * loop once the delay has passed, however long the reports took. */
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
  g_assert_true (bgpt_test_wait_until (file_exists, fixture->path));

  /* Saved on its own, without a flush. */
  reloaded = new_loaded_store (fixture->path);
  g_assert_cmpuint (n_items (reloaded), ==, 50);
  finish_store (&reloaded);

  /* The store saves what is left when it goes away. */
  bgpt_incident_store_set_save_delay (store, 60000);
  bgpt_incident_store_clear_resolved (store);
  g_assert_finalize_object (g_steal_pointer (&store));
  reloaded = new_loaded_store (fixture->path);
  g_assert_cmpuint (n_items (reloaded), ==, 1);
  finish_store (&reloaded);
}

static void
test_report_before_load (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(BgptIncidentStore) store = new_loaded_store (fixture->path);
  g_autoptr(BgptIncidentStore) early = NULL;
  g_autoptr(BgptIncidentStore) reloaded = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  BgptIncident *old_open;
  g_autofree char *old_open_id = NULL;

  old_open = report (store, "default", BGPT_CHECK_OPENAI_KEY, "openai.auth");
  old_open_id = g_strdup (bgpt_incident_get_id (old_open));
  report (store, "default", BGPT_CHECK_KOMMO_ACCOUNT, "kommo.auth");
  bgpt_incident_store_resolve (store, "default", BGPT_CHECK_KOMMO_ACCOUNT);
  finish_store (&store);
  before = read_bytes (fixture->path);

  early = bgpt_incident_store_new (fixture->path);
  bgpt_incident_store_set_save_delay (early, 0);
  report (early, "default", BGPT_CHECK_OPENAI_KEY, "openai.timeout");
  bgpt_test_run_for (50);
  after = read_bytes (fixture->path);
  /* Never written over before the history was read. */
  g_assert_true (g_bytes_equal (before, after));
  g_assert_true (bgpt_incident_store_flush (early, NULL));
  g_clear_pointer (&after, g_bytes_unref);
  after = read_bytes (fixture->path);
  g_assert_true (g_bytes_equal (before, after));

  g_assert_true (load_store (early, NULL));
  g_assert_cmpuint (n_items (early), ==, 3);
  g_assert_cmpstr (bgpt_incident_get_error_id (item (early, 0)), ==, "openai.timeout");
  /* The reload's open incident was replaced by the newer report. */
  g_assert_false (bgpt_incident_is_open (bgpt_incident_store_lookup (early, old_open_id)));
  g_assert_cmpuint (bgpt_incident_store_get_n_open (early), ==, 1);
  finish_store (&early);

  reloaded = new_loaded_store (fixture->path);
  g_assert_cmpuint (n_items (reloaded), ==, 3);
  finish_store (&reloaded);
}

static void
test_default_path (void)
{
  g_autofree char *path = bgpt_incident_store_get_default_path ();
  g_autofree char *expected = g_build_filename (g_getenv ("XDG_STATE_HOME"),
                                                "bytegpt-monitor", "incidents.json", NULL);
  g_autoptr(BgptIncidentStore) store = bgpt_incident_store_new (NULL);

  g_assert_cmpstr (path, ==, expected);
  g_assert_cmpstr (bgpt_incident_store_get_path (store), ==, expected);
}

static void
test_existing_mode (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(BgptIncidentStore) store = NULL;
  struct stat st;

  write_bytes (fixture->path, "{\"version\":1,\"incidents\":[]}", -1);
  g_assert_cmpint (g_chmod (fixture->path, 0644), ==, 0);

  store = new_loaded_store (fixture->path);
  report (store, "default", BGPT_CHECK_OPENAI_KEY, "openai.auth");
  finish_store (&store);

  g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
test_title (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(BgptIncidentStore) store = new_loaded_store (fixture->path);
  g_autofree char *title = NULL;
  g_autofree char *details = NULL;
  BgptIncident *auth;

  const char *expected = bgpt_catalog_entry_title (bgpt_catalog_lookup ("openai.auth"));
  g_autofree char *first_line = NULL;

  auth = report (store, "default", BGPT_CHECK_OPENAI_KEY, "openai.auth");
  /* The catalog's translated title (test-locale checks its words). */
  g_assert_cmpstr (bgpt_incident_get_title (auth), ==, expected);
  g_object_get (auth, "title", &title, NULL);
  g_assert_cmpstr (title, ==, expected);

  details = bgpt_incident_format_details (auth);
  first_line = g_strconcat (expected, "\n", NULL);
  g_assert_true (g_str_has_prefix (details, first_line));
  g_assert_nonnull (strstr (details, "\nConta: default\n"));
  g_assert_nonnull (strstr (details, "\nErro: openai.auth\n"));
  g_assert_nonnull (strstr (details, "\nStatus HTTP: 401\n"));
  g_assert_nonnull (strstr (details, "\nID da requisição: req_1\n"));
  g_assert_nonnull (strstr (details, "\nOcorrências: 1\n"));

  finish_store (&store);
}

static void
test_odd_texts (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(BgptIncidentStore) store = new_loaded_store (fixture->path);
  g_autoptr(BgptIncidentStore) reloaded = NULL;
  g_autoptr(GString) nasty = g_string_new (NULL);
  GStatBuf st;

  /* Everything that grows when written as JSON, and invalid UTF-8. */
  while (nasty->len < 64 * 1024)
    g_string_append (nasty, "\"\\\x01\x1f\n\xff\xc3ç✓");

  for (guint i = 0; i < BGPT_INCIDENT_STORE_DEFAULT_MAX_INCIDENTS; i++)
    {
      g_autoptr(BgptDiagnosis) diagnosis = bgpt_diagnosis_new (BGPT_CHECK_OPENAI_KEY, "openai.unexpected");
      g_autofree char *account = g_strdup_printf ("account-%u", i);

      diagnosis->api_type = g_strdup (nasty->str);
      diagnosis->api_code = g_strdup (nasty->str);
      diagnosis->api_message = g_strdup (nasty->str);
      diagnosis->request_id = g_strdup (nasty->str);
      diagnosis->detail = g_strdup (nasty->str);
      bgpt_incident_store_report (store, account, diagnosis);
    }

  g_assert_true (g_utf8_validate (bgpt_incident_get_api_message (item (store, 0)), -1, NULL));
  g_assert_null (strchr (bgpt_incident_get_api_message (item (store, 0)), '\x01'));
  g_assert_true (g_str_has_suffix (bgpt_incident_get_api_message (item (store, 0)), "…"));
  finish_store (&store);

  /* A full history of the worst texts still loads. */
  g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
  g_test_message ("worst-case file: %" G_GINT64_FORMAT " bytes", (gint64) st.st_size);
  g_assert_cmpint (st.st_size, <, BGPT_INCIDENT_STORE_MAX_FILE_SIZE);
  reloaded = new_loaded_store (fixture->path);
  g_assert_cmpuint (n_items (reloaded), ==, BGPT_INCIDENT_STORE_DEFAULT_MAX_INCIDENTS);
  g_assert_cmpuint (bgpt_incident_store_get_n_skipped (reloaded), ==, 0);
  finish_store (&reloaded);
}

/* Corrupt files */

typedef struct
{
  const char *name;
  const char *contents;
  gssize      length;
  int         code;
} CorruptCase;

static const CorruptCase corrupt_cases[] = {
  { "garbage", "\x7f" "ELF\x01\x02 not json at all", -1, BGPT_INCIDENT_STORE_ERROR_CORRUPT },
  { "truncated", "{\"version\":1,\"incidents\":[{\"id\":\"a\",\"account\":\"def", -1, BGPT_INCIDENT_STORE_ERROR_CORRUPT },
  { "wrong-types", "{\"version\":\"1\",\"incidents\":{}}", -1, BGPT_INCIDENT_STORE_ERROR_CORRUPT },
  { "wrong-shape", "[{\"version\":1}]", -1, BGPT_INCIDENT_STORE_ERROR_CORRUPT },
  { "no-incidents", "{\"version\":1,\"incidents\":null}", -1, BGPT_INCIDENT_STORE_ERROR_CORRUPT },
  { "invalid-utf8", "{\"version\":1,\"incidents\":[],\"x\":\"\xc3\x28\xff\"}", -1, BGPT_INCIDENT_STORE_ERROR_CORRUPT },
  { "nul-byte", "{\"version\":1,\"incidents\":[]}\0garbage", 36, BGPT_INCIDENT_STORE_ERROR_CORRUPT },
  { "empty", "", 0, BGPT_INCIDENT_STORE_ERROR_CORRUPT },
  { "newer-version", "{\"version\":2,\"incidents\":[]}", -1, BGPT_INCIDENT_STORE_ERROR_NEWER_VERSION },
};

static void
assert_recovered (Fixture           *fixture,
                  BgptIncidentStore *store,
                  const GError      *error,
                  int                code,
                  GPtrArray         *backups)
{
  g_autoptr(BgptIncidentStore) fresh = NULL;

  g_assert_error (error, BGPT_INCIDENT_STORE_ERROR, code);
  /* In pt_BR, for the person reading it. */
  g_assert_nonnull (strstr (error->message, "foi movido para"));
  g_assert_cmpuint (backups->len, ==, 1);
  /* The message names the backup, for the person who wants it back. */
  g_assert_nonnull (strstr (error->message, g_ptr_array_index (backups, 0)));
  g_assert_cmpstr (bgpt_incident_store_get_load_error (store), ==, error->message);
  g_assert_true (bgpt_incident_store_is_loaded (store));
  g_assert_cmpuint (n_items (store), ==, 0);
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));

  /* The store works on, and the next save starts a good file. */
  report (store, "default", BGPT_CHECK_OPENAI_KEY, "openai.auth");
  g_assert_true (bgpt_incident_store_flush (store, NULL));
  fresh = new_loaded_store (fixture->path);
  g_assert_cmpuint (n_items (fresh), ==, 1);
  finish_store (&fresh);
}

static void
test_corrupt (Fixture       *fixture,
              gconstpointer  data)
{
  const CorruptCase *test = data;
  g_autoptr(BgptIncidentStore) store = bgpt_incident_store_new (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) backups = NULL;
  g_autoptr(GBytes) original = NULL;
  g_autoptr(GBytes) kept = NULL;

  write_bytes (fixture->path, test->contents, test->length);
  original = read_bytes (fixture->path);

  g_assert_false (load_store (store, &error));
  backups = list_backups (fixture->path);
  assert_recovered (fixture, store, error, test->code, backups);

  kept = read_bytes (g_ptr_array_index (backups, 0));
  g_assert_true (g_bytes_equal (original, kept));

  finish_store (&store);
}

/* Nesting that a lenient JSON reader would follow down to a stack
 * overflow: hidden behind a comment or a single-quoted string, or plain. */
static const char * const deep_prefixes[] = {
  "{\"version\":1,\"incidents\":/*\"*/",
  "{\"version\":1,\"incidents\":// \"\n",
  "{\"version\":1,\"x\":'\"',\"incidents\":",
  "{\"version\":1,\"incidents\":",
  "",
};

static void
test_corrupt_deep (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *prefix = data;
  g_autoptr(BgptIncidentStore) store = bgpt_incident_store_new (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) backups = NULL;
  g_autoptr(GString) contents = g_string_new (prefix);
  g_autoptr(GBytes) kept = NULL;

  /* 1 MiB, within the size the store reads. */
  while (contents->len < 1024 * 1024)
    g_string_append_c (contents, '[');
  write_bytes (fixture->path, contents->str, contents->len);

  g_assert_false (load_store (store, &error));
  backups = list_backups (fixture->path);
  assert_recovered (fixture, store, error, BGPT_INCIDENT_STORE_ERROR_CORRUPT, backups);

  kept = read_bytes (g_ptr_array_index (backups, 0));
  g_assert_cmpmem (g_bytes_get_data (kept, NULL), g_bytes_get_size (kept), contents->str, contents->len);

  finish_store (&store);
}

static void
test_corrupt_directory (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(BgptIncidentStore) store = bgpt_incident_store_new (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) backups = NULL;
  g_autofree char *inside = g_build_filename (fixture->path, "note.txt", NULL);
  g_autofree char *moved = NULL;
  g_autoptr(GBytes) kept = NULL;

  write_bytes (inside, "keep me", -1);

  g_assert_false (load_store (store, &error));
  backups = list_backups (fixture->path);
  assert_recovered (fixture, store, error, BGPT_INCIDENT_STORE_ERROR_CORRUPT, backups);

  g_assert_true (g_file_test (g_ptr_array_index (backups, 0), G_FILE_TEST_IS_DIR));
  moved = g_build_filename (g_ptr_array_index (backups, 0), "note.txt", NULL);
  kept = read_bytes (moved);
  g_assert_cmpmem (g_bytes_get_data (kept, NULL), g_bytes_get_size (kept), "keep me", 7);

  finish_store (&store);
}

static void
test_corrupt_huge (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(BgptIncidentStore) store = bgpt_incident_store_new (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) backups = NULL;
  g_autoptr(GBytes) kept = NULL;
  gsize size = 20 * 1024 * 1024;
  g_autofree char *contents = g_malloc (size);
  gint64 start;

  /* Valid JSON, so only the size can be the reason. */
  memset (contents, ' ', size);
  memcpy (contents, "{\"version\":1,\"incidents\":[]}", 28);
  write_bytes (fixture->path, contents, size);

  start = g_get_monotonic_time ();
  g_assert_false (load_store (store, &error));
  /* Refused without reading it through. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  backups = list_backups (fixture->path);
  assert_recovered (fixture, store, error, BGPT_INCIDENT_STORE_ERROR_TOO_LARGE, backups);

  kept = read_bytes (g_ptr_array_index (backups, 0));
  g_assert_cmpmem (g_bytes_get_data (kept, NULL), g_bytes_get_size (kept), contents, size);

  finish_store (&store);
}

static void
test_bad_entries (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(BgptIncidentStore) store = bgpt_incident_store_new (fixture->path);
  g_autoptr(BgptIncidentStore) reloaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) backups = NULL;
  g_autoptr(GBytes) original = NULL;
  g_autoptr(GBytes) kept = NULL;
  const char *contents =
    "{\"version\":1,\"incidents\":["
    "{\"id\":\"good\",\"account\":\"default\",\"check\":\"openai.key\",\"error\":\"openai.auth\","
    " \"state\":\"open\",\"first_seen\":1700000000000000,\"last_seen\":1700000000000000,\"count\":1},"
    "{\"id\":5,\"account\":\"default\",\"check\":\"openai.key\",\"error\":\"openai.auth\","
    " \"state\":\"open\",\"first_seen\":1,\"last_seen\":1,\"count\":1},"
    "{\"id\":\"unknown\",\"account\":\"default\",\"check\":\"openai.key\",\"error\":\"openai.nonsense\","
    " \"state\":\"open\",\"first_seen\":1,\"last_seen\":1,\"count\":1},"
    "{\"id\":\"bad-count\",\"account\":\"default\",\"check\":\"openai.key\",\"error\":\"openai.auth\","
    " \"state\":\"resolved\",\"first_seen\":1,\"last_seen\":1,\"count\":0},"
    "{\"id\":\"good\",\"account\":\"x\",\"check\":\"openai.key\",\"error\":\"openai.auth\","
    " \"state\":\"open\",\"first_seen\":1,\"last_seen\":1,\"count\":1},"
    "42]}";

  write_bytes (fixture->path, contents, -1);
  original = read_bytes (fixture->path);

  /* Loads what it can, and says what it left out. */
  g_assert_true (load_store (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_items (store), ==, 1);
  g_assert_cmpstr (bgpt_incident_get_id (item (store, 0)), ==, "good");
  g_assert_cmpuint (bgpt_incident_store_get_n_skipped (store), ==, 5);

  backups = list_backups (fixture->path);
  g_assert_cmpuint (backups->len, ==, 1);
  kept = read_bytes (g_ptr_array_index (backups, 0));
  g_assert_true (g_bytes_equal (original, kept));
  g_assert_nonnull (bgpt_incident_store_get_load_error (store));
  g_assert_nonnull (strstr (bgpt_incident_store_get_load_error (store), g_ptr_array_index (backups, 0)));
  g_assert_nonnull (strstr (bgpt_incident_store_get_load_error (store), "5 incidentes do histórico"));

  finish_store (&store);
  reloaded = new_loaded_store (fixture->path);
  g_assert_cmpuint (n_items (reloaded), ==, 1);
  g_assert_cmpuint (bgpt_incident_store_get_n_skipped (reloaded), ==, 0);
  finish_store (&reloaded);
}

static void
test_cancelled_load (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(BgptIncidentStore) store = bgpt_incident_store_new (fixture->path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_object_set_data (G_OBJECT (store), "test-loaded", NULL);
  bgpt_incident_store_load_async (store, cancellable, on_load, &error);
  while (g_object_get_data (G_OBJECT (store), "test-loaded") == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (bgpt_incident_store_is_loaded (store));
  g_clear_error (&error);

  /* It can be loaded again. */
  g_assert_true (load_store (store, &error));
  g_assert_true (bgpt_incident_store_is_loaded (store));
  finish_store (&store);
}

/* A writer killed at random moments */

#define WRITER_ARG "--incident-writer"

static int
run_writer (const char *path)
{
  g_autoptr(BgptIncidentStore) store = bgpt_incident_store_new (path);
  g_autoptr(GError) error = NULL;

  /* Uncapped, so that every round's file holds more than the last. */
  bgpt_incident_store_set_max_incidents (store, G_MAXUINT);
  bgpt_incident_store_set_save_delay (store, 0);

  if (!load_store (store, &error))
    g_error ("writer could not load: %s", error->message);

  for (guint i = 0; ; i++)
    {
      g_autoptr(BgptDiagnosis) diagnosis = make_diagnosis (BGPT_CHECK_OPENAI_KEY, "openai.auth", "req_1");
      char account[32];

      g_snprintf (account, sizeof account, "account-%u-%u", (guint) getpid (), i);
      bgpt_incident_store_report (store, account, diagnosis);

      /* Alternate the two write paths: the flush and the worker thread. */
      if (i % 2 == 0)
        {
          if (!bgpt_incident_store_flush (store, &error))
            g_error ("%s", error->message);
          /* Everything up to i is on disk now. */
          printf ("%u\n", i);
          fflush (stdout);
        }
      else
        {
          g_main_context_iteration (NULL, FALSE);
        }
    }

  return 0;
}

/* What g_file_set_contents() leaves when killed before its rename. */
static guint
count_temporary_files (const char *path)
{
  g_autofree char *dirname = g_path_get_dirname (path);
  g_autofree char *basename = g_path_get_basename (path);
  g_autofree char *prefix = g_strconcat (basename, ".", NULL);
  g_autoptr(GDir) dir = g_dir_open (dirname, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, prefix) && !g_str_has_prefix (name + strlen (prefix), "corrupt-"))
      n++;

  return n;
}

#define BATCH_ARG "--incident-batch"

/* Reports @count incidents of accounts named after @tag, saving after
 * each: a second instance on another session bus does the same. */
static int
run_batch (const char *path,
           const char *tag,
           guint       count)
{
  g_autoptr(BgptIncidentStore) store = bgpt_incident_store_new (path);
  g_autoptr(GError) error = NULL;

  bgpt_incident_store_set_max_incidents (store, G_MAXUINT);
  bgpt_incident_store_set_save_delay (store, 0);
  if (!load_store (store, &error))
    g_error ("batch could not load: %s", error->message);

  for (guint i = 0; i < count; i++)
    {
      g_autoptr(BgptDiagnosis) diagnosis = make_diagnosis (BGPT_CHECK_OPENAI_KEY, "openai.auth", "req_1");
      char account[64];

      g_snprintf (account, sizeof account, "%s-%u", tag, i);
      bgpt_incident_store_report (store, account, diagnosis);
      if (!bgpt_incident_store_flush (store, &error))
        g_error ("%s", error->message);
    }
  finish_store (&store);
  return 0;
}

static gboolean
has_account (BgptIncidentStore *store,
             const char        *account)
{
  for (guint i = 0; i < n_items (store); i++)
    {
      g_autoptr(BgptIncident) incident = g_list_model_get_item (G_LIST_MODEL (store), i);

      if (g_str_equal (bgpt_incident_get_account_id (incident), account))
        return TRUE;
    }
  return FALSE;
}

static void
test_two_writers (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  const char *tags[] = { "first", "second" };
  GPid pids[G_N_ELEMENTS (tags)];
  g_autoptr(BgptIncidentStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const guint count = 40;

  g_assert_nonnull (self_exe);
  for (gsize i = 0; i < G_N_ELEMENTS (tags); i++)
    {
      g_autofree char *count_text = g_strdup_printf ("%u", count);
      const char *argv[] = { self_exe, BATCH_ARG, fixture->path, tags[i], count_text, NULL };

      g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                     NULL, NULL, &pids[i], &error);
      g_assert_no_error (error);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (tags); i++)
    {
      int status;

      g_assert_cmpint (waitpid (pids[i], &status, 0), ==, pids[i]);
      g_assert_true (WIFEXITED (status));
      g_assert_cmpint (WEXITSTATUS (status), ==, 0);
      g_spawn_close_pid (pids[i]);
    }

  store = bgpt_incident_store_new (fixture->path);
  bgpt_incident_store_set_max_incidents (store, G_MAXUINT);
  g_assert_true (load_store (store, &error));
  g_assert_cmpuint (n_items (store), ==, 2 * count);
  for (gsize i = 0; i < G_N_ELEMENTS (tags); i++)
    for (guint j = 0; j < count; j++)
      {
        g_autofree char *account = g_strdup_printf ("%s-%u", tags[i], j);

        g_assert_true (has_account (store, account));
      }
  finish_store (&store);
}

/* What another instance removed does not come back from this one's file. */
static void
test_two_writers_forget (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(BgptIncidentStore) first = new_loaded_store (fixture->path);
  g_autoptr(BgptIncidentStore) second = NULL;
  g_autoptr(BgptIncidentStore) fresh = NULL;

  report (first, "gone", BGPT_CHECK_OPENAI_KEY, "openai.auth");
  report (first, "kept", BGPT_CHECK_OPENAI_KEY, "openai.auth");
  g_assert_true (bgpt_incident_store_flush (first, NULL));

  second = new_loaded_store (fixture->path);
  report (second, "other", BGPT_CHECK_KOMMO_ACCOUNT, "kommo.auth");
  g_assert_true (bgpt_incident_store_flush (second, NULL));

  g_assert_cmpuint (bgpt_incident_store_remove_account (first, "gone"), ==, 1);
  g_assert_true (bgpt_incident_store_flush (first, NULL));
  g_assert_true (bgpt_incident_store_flush (second, NULL));
  finish_store (&first);
  finish_store (&second);

  fresh = new_loaded_store (fixture->path);
  g_assert_true (has_account (fresh, "kept"));
  g_assert_true (has_account (fresh, "other"));
  g_assert_false (has_account (fresh, "gone"));
  finish_store (&fresh);
}

/* A history from before: OpenAI's mask of a key shows as the app's own. */
static void
test_old_masked_echo (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(BgptIncidentStore) store = NULL;
  g_autoptr(BgptIncident) incident = NULL;

  write_bytes (fixture->path,
               "{\"version\":1,\"incidents\":[{\"id\":\"a\",\"account\":\"default\",\"check\":\"openai.key\","
               "\"error\":\"openai.auth\",\"state\":\"open\",\"first_seen\":1,\"last_seen\":1,\"count\":1,"
               "\"read\":false,\"api_message\":\"Incorrect API key provided: sk-ab***wxyz.\","
               "\"detail\":\"key sk-proj-*****wxyz\"}]}", -1);
  store = new_loaded_store (fixture->path);
  g_assert_cmpuint (n_items (store), ==, 1);
  incident = g_list_model_get_item (G_LIST_MODEL (store), 0);
  g_assert_cmpstr (bgpt_incident_get_api_message (incident), ==, "Incorrect API key provided: sk-…wxyz.");
  g_assert_cmpstr (bgpt_incident_get_detail (incident), ==, "key sk-…wxyz");
  finish_store (&store);
}

/* Temporaries of killed writes go at the next start; other files stay. */
static void
test_leftovers_removed (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *leftover = g_strconcat (fixture->path, ".Ab12Cd", NULL);
  g_autofree char *notes = g_strconcat (fixture->path, ".notes", NULL);
  g_autoptr(BgptIncidentStore) store = NULL;

  write_bytes (fixture->path, "{\"version\":1,\"incidents\":[]}", -1);
  write_bytes (leftover, "{\"version\":1,\"incid", -1);
  write_bytes (notes, "mine", -1);

  store = new_loaded_store (fixture->path);
  g_assert_false (g_file_test (leftover, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (notes, G_FILE_TEST_EXISTS));
  g_assert_null (bgpt_incident_store_get_load_error (store));
  finish_store (&store);
}

/* A file damaged at every start leaves a few copies, not one per start. */
static void
test_corrupt_copies_bounded (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GPtrArray) backups = NULL;
  g_autofree char *oldest = g_strconcat (fixture->path, ".corrupt-20200101-000000", NULL);
  gboolean named;

  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *copy = g_strdup_printf ("%s.corrupt-20200101-00000%u", fixture->path, i);

      write_bytes (copy, "old damage", -1);
    }

  for (guint start = 0; start < 3; start++)
    {
      g_autoptr(BgptIncidentStore) store = bgpt_incident_store_new (fixture->path);
      g_autoptr(GError) error = NULL;

      write_bytes (fixture->path, "{\"version\":1,", -1);
      g_assert_false (load_store (store, &error));
      g_assert_error (error, BGPT_INCIDENT_STORE_ERROR, BGPT_INCIDENT_STORE_ERROR_CORRUPT);
      backups = list_backups (fixture->path);
      g_assert_cmpuint (backups->len, ==, 3);
      /* The copy the message names is one of those kept. */
      named = FALSE;
      for (guint i = 0; i < backups->len; i++)
        named |= strstr (error->message, g_ptr_array_index (backups, i)) != NULL;
      g_assert_true (named);
      g_clear_pointer (&backups, g_ptr_array_unref);
      finish_store (&store);
    }
  g_assert_false (g_file_test (oldest, G_FILE_TEST_EXISTS));
}

static void
test_killed_writer (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GRand) rand = g_rand_new ();
  guint previous = 0;
  guint grew = 0;

  g_test_message ("seed %u", g_rand_int (rand));

  for (guint round = 0; round < 10; round++)
    {
      const char *argv[] = { WRITER_ARG, fixture->path, NULL };
      g_autoptr(GError) error = NULL;
      g_autoptr(BgptIncidentStore) store = NULL;
      g_autoptr(GPtrArray) backups = NULL;
      GPid pid;

      g_autofree char *progress = NULL;
      g_auto(GStrv) lines = NULL;
      int out_fd;
      gint64 last_saved = -1;

      /* Slower under the sanitizers: the writer must get to save at all. */
      pid = bgpt_test_run_self_killed (argv, rand, 30, 300, &out_fd);

      /* The last save the writer saw complete. */
      {
        g_autoptr(GIOChannel) channel = g_io_channel_unix_new (out_fd);

        g_io_channel_set_close_on_unref (channel, TRUE);
        g_io_channel_read_to_end (channel, &progress, NULL, NULL);
      }
      lines = g_strsplit (progress != NULL ? progress : "", "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        if (lines[i][0] != '\0' && lines[i + 1] != NULL)
          last_saved = g_ascii_strtoll (lines[i], NULL, 10);

      if (!g_file_test (fixture->path, G_FILE_TEST_EXISTS))
        {
          g_assert_cmpint (last_saved, ==, -1);
          continue;
        }

      /* Either the previous or a newer whole file, never a partial one. */
      store = bgpt_incident_store_new (fixture->path);
      bgpt_incident_store_set_max_incidents (store, G_MAXUINT);
      g_assert_true (load_store (store, &error));
      g_assert_no_error (error);
      g_assert_null (bgpt_incident_store_get_load_error (store));
      backups = list_backups (fixture->path);
      g_assert_cmpuint (backups->len, ==, 0);
      g_assert_cmpuint (n_items (store), >=, previous);
      /* Every incident of the last completed save is there. */
      for (gint64 i = 0; i <= last_saved; i++)
        {
          g_autofree char *account = g_strdup_printf ("account-%u-%u", (guint) pid, (guint) i);

          g_assert_true (has_account (store, account));
        }
      /* And the temporaries of a write killed before its rename are gone. */
      g_assert_cmpuint (count_temporary_files (fixture->path), ==, 0);
      if (n_items (store) > previous)
        grew++;
      previous = n_items (store);
      g_test_message ("round %u: %u incidents", round, previous);
      finish_store (&store);
    }

  g_assert_cmpuint (grew, >=, 5);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *state_home = NULL;
  int ret;

  if (argc == 3 && g_str_equal (argv[1], WRITER_ARG))
    return run_writer (argv[2]);
  if (argc == 5 && g_str_equal (argv[1], BATCH_ARG))
    return run_batch (argv[2], argv[3], (guint) g_ascii_strtoull (argv[4], NULL, 10));

  state_home = g_dir_make_tmp ("bgpt-state-XXXXXX", NULL);
  g_assert_nonnull (state_home);
  g_setenv ("XDG_STATE_HOME", state_home, TRUE);
  bgpt_test_use_pt_br ();

  g_test_init (&argc, &argv, NULL);
  bgpt_i18n_init ();

#define ADD(name, func) \
  g_test_add ("/incident-store/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("round-trip", test_round_trip);
  ADD ("dedup", test_dedup);
  ADD ("different-error", test_different_error);
  ADD ("cap", test_cap);
  ADD ("read", test_read);
  ADD ("clear-resolved", test_clear_resolved);
  ADD ("silence", test_silence);
  ADD ("remove-account", test_remove_account);
  ADD ("save-coalesced", test_save_coalesced);
  ADD ("report-before-load", test_report_before_load);
  ADD ("existing-mode", test_existing_mode);
  ADD ("title", test_title);
  ADD ("odd-texts", test_odd_texts);
  ADD ("corrupt/directory", test_corrupt_directory);
  ADD ("corrupt/huge", test_corrupt_huge);
  ADD ("bad-entries", test_bad_entries);
  ADD ("cancelled-load", test_cancelled_load);
  ADD ("killed-writer", test_killed_writer);
  ADD ("two-writers", test_two_writers);
  ADD ("two-writers-forget", test_two_writers_forget);
  ADD ("leftovers-removed", test_leftovers_removed);
  ADD ("old-masked-echo", test_old_masked_echo);
  ADD ("corrupt-copies-bounded", test_corrupt_copies_bounded);
  g_test_add_func ("/incident-store/default-path", test_default_path);

  for (guint i = 0; i < G_N_ELEMENTS (corrupt_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/incident-store/corrupt/%s", corrupt_cases[i].name);

      g_test_add (name, Fixture, &corrupt_cases[i], fixture_set_up, test_corrupt, fixture_tear_down);
    }

  for (guint i = 0; i < G_N_ELEMENTS (deep_prefixes); i++)
    {
      g_autofree char *name = g_strdup_printf ("/incident-store/corrupt/deep-%u", i);

      g_test_add (name, Fixture, deep_prefixes[i], fixture_set_up, test_corrupt_deep, fixture_tear_down);
    }

#undef ADD

  ret = g_test_run ();
  bgpt_test_remove_tree (state_home);
  return ret;
}
