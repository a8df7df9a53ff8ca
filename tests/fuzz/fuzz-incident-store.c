/* fuzz-incident-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the incident store's loader. The input is the
 * contents of incidents.json as a crash, a disk error or a hand edit could
 * leave it; the store loads it the way the app does (load_async on a worker
 * thread, the main loop waiting). Asserted: loading ends with success or a
 * BGPT_INCIDENT_STORE_ERROR; a rejected file is never lost (its bytes are
 * in the backup beside it); what was loaded keeps the cap and only names
 * catalog errors; and it survives a save and a second load unchanged.
 */

#define G_LOG_DOMAIN "bgpt-fuzz"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgpt-catalog.h"
#include "bgpt-diagnosis.h"
#include "bgpt-incident-store.h"
#include "fuzz-common.h"

static char *state_dir;
static char *store_path;

static void
remove_files (void)
{
  g_autoptr(GDir) dir = g_dir_open (state_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (state_dir, name, NULL);

      if (g_remove (path) != 0)
        g_error ("cannot remove %s: %s", path, g_strerror (errno));
    }
}

/* The one file beside incidents.json whose name says it was moved aside. */
static char *
find_backup (void)
{
  g_autoptr(GDir) dir = g_dir_open (state_dir, 0, NULL);
  g_autofree char *prefix = g_strdup ("incidents.json.corrupt-");
  char *found = NULL;
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, prefix))
      {
        if (found != NULL)
          g_error ("two backups of one file: %s and %s", found, name);
        found = g_build_filename (state_dir, name, NULL);
      }
  return found;
}

static void
load_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GError **error = user_data;

  if (!bgpt_incident_store_load_finish (BGPT_INCIDENT_STORE (object), result, error) &&
      *error == NULL)
    g_error ("load_finish failed without an error");
  g_main_context_wakeup (NULL);
}

static gboolean
load (BgptIncidentStore  *store,
      GError            **error)
{
  bgpt_incident_store_load_async (store, NULL, load_done, error);
  while (!bgpt_incident_store_is_loaded (store) && *error == NULL)
    g_main_context_iteration (NULL, TRUE);
  /* load_done may still be queued after is_loaded turned TRUE. */
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  return *error == NULL;
}

static void
assert_backup_holds (const guint8 *data,
                     size_t        size)
{
  g_autofree char *backup = find_backup ();
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (backup == NULL)
    g_error ("the rejected file was not kept aside");
  if (!g_file_get_contents (backup, &contents, &length, NULL))
    g_error ("cannot read the backup %s", backup);
  if (length != size || memcmp (contents, data, size) != 0)
    g_error ("the backup differs from the rejected file");
}

static void
assert_sane (BgptIncidentStore *store)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));

  if (n > bgpt_incident_store_get_max_incidents (store))
    g_error ("%u incidents loaded over a cap of %u", n,
             bgpt_incident_store_get_max_incidents (store));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BgptIncident) incident = g_list_model_get_item (G_LIST_MODEL (store), i);
      g_autofree char *details = NULL;

      if (incident == NULL || bgpt_incident_get_id (incident) == NULL)
        g_error ("incident %u has no id", i);
      if (bgpt_catalog_lookup (bgpt_incident_get_error_id (incident)) == NULL)
        g_error ("incident %u names an unknown error", i);
      if (bgpt_incident_store_lookup (store, bgpt_incident_get_id (incident)) == NULL)
        g_error ("incident %u cannot be looked up by its id", i);
      /* What the window and "copy details" show. */
      details = bgpt_incident_format_details (incident);
      if (details == NULL || !g_utf8_validate (details, -1, NULL))
        g_error ("incident %u formats to invalid text", i);
    }
}

static void
assert_same (BgptIncidentStore *a,
             BgptIncidentStore *b)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (a));

  if (n != g_list_model_get_n_items (G_LIST_MODEL (b)))
    g_error ("%u incidents saved, %u loaded back", n,
             g_list_model_get_n_items (G_LIST_MODEL (b)));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BgptIncident) x = g_list_model_get_item (G_LIST_MODEL (a), i);
      g_autoptr(BgptIncident) y = g_list_model_get_item (G_LIST_MODEL (b), i);

      if (g_strcmp0 (bgpt_incident_get_id (x), bgpt_incident_get_id (y)) != 0 ||
          g_strcmp0 (bgpt_incident_get_error_id (x), bgpt_incident_get_error_id (y)) != 0 ||
          g_strcmp0 (bgpt_incident_get_api_message (x), bgpt_incident_get_api_message (y)) != 0 ||
          g_strcmp0 (bgpt_incident_get_detail (x), bgpt_incident_get_detail (y)) != 0 ||
          bgpt_incident_get_state (x) != bgpt_incident_get_state (y) ||
          bgpt_incident_get_count (x) != bgpt_incident_get_count (y) ||
          bgpt_incident_get_first_seen (x) != bgpt_incident_get_first_seen (y) ||
          bgpt_incident_get_last_seen (x) != bgpt_incident_get_last_seen (y))
        g_error ("incident %u changed between a save and a load", i);
    }
}

static void
remove_state_dir (void)
{
  remove_files ();
  g_rmdir (state_dir);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;

  bgpt_fuzz_init ();
  state_dir = g_dir_make_tmp ("bgpt-fuzz-incidents-XXXXXX", &error);
  if (state_dir == NULL)
    g_error ("%s", error->message);
  store_path = g_build_filename (state_dir, "incidents.json", NULL);
  atexit (remove_state_dir);
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(BgptIncidentStore) store = NULL;
  g_autoptr(BgptIncidentStore) reloaded = NULL;
  g_autoptr(BgptDiagnosis) diagnosis = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) reload_error = NULL;
  g_autoptr(GError) flush_error = NULL;

  remove_files ();
  if (!g_file_set_contents (store_path, (const char *) data, size, &error))
    g_error ("%s", error->message);

  store = bgpt_incident_store_new (store_path);
  if (!load (store, &error))
    {
      if (error->domain != BGPT_INCIDENT_STORE_ERROR)
        g_error ("load failed outside the store's error domain: %s", error->message);
      if (error->code != BGPT_INCIDENT_STORE_ERROR_UNREADABLE)
        {
          if (g_file_test (store_path, G_FILE_TEST_EXISTS))
            g_error ("a rejected file stayed in place");
          assert_backup_holds (data, size);
        }
      if (g_list_model_get_n_items (G_LIST_MODEL (store)) != 0)
        g_error ("a rejected file left incidents behind");
      return 0;
    }

  assert_sane (store);
  if (bgpt_incident_store_get_n_skipped (store) > 0)
    assert_backup_holds (data, size);

  /* One more failure, saved at once, then everything read back. */
  diagnosis = bgpt_diagnosis_new (BGPT_CHECK_OPENAI_KEY, "openai.auth");
  diagnosis->http_status = 401;
  diagnosis->api_message = g_strdup ("Incorrect API key provided.");
  if (bgpt_incident_store_report (store, "default", diagnosis) == NULL)
    g_error ("report returned no incident");
  assert_sane (store);
  if (!bgpt_incident_store_flush (store, &flush_error))
    g_error ("saving failed: %s", flush_error != NULL ? flush_error->message : "no error");

  reloaded = bgpt_incident_store_new (store_path);
  if (!load (reloaded, &reload_error))
    g_error ("the store cannot read what it wrote: %s", reload_error->message);
  if (bgpt_incident_store_get_n_skipped (reloaded) != 0)
    g_error ("the store skips entries it wrote itself");
  assert_same (store, reloaded);

  return 0;
}
