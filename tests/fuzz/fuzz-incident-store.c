/* fuzz-incident-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the incident file (bgpt-incident-file.h), called
 * directly: the input is the contents of incidents.json as a crash, a disk
 * error or a hand edit could leave it. Asserted: loading ends with
 * incidents or a BGPT_INCIDENT_STORE_ERROR; a rejected file is never lost
 * (its bytes are in the backup beside it); what was loaded has unique ids
 * and only names catalog errors; and it survives a save and a second load
 * unchanged. (The cap on stored incidents is the store's, tested in
 * test-incident-store.)
 */

#define G_LOG_DOMAIN "bgpt-fuzz"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgpt-catalog.h"
#include "bgpt-incident-file.h"
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
assert_sane (GPtrArray *incidents)
{
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < incidents->len; i++)
    {
      BgptIncident *incident = g_ptr_array_index (incidents, i);
      g_autofree char *details = NULL;

      if (incident == NULL || bgpt_incident_get_id (incident) == NULL)
        g_error ("incident %u has no id", i);
      if (bgpt_catalog_lookup (bgpt_incident_get_error_id (incident)) == NULL)
        g_error ("incident %u names an unknown error", i);
      if (!g_hash_table_add (ids, (gpointer) bgpt_incident_get_id (incident)))
        g_error ("incident %u has the id of another", i);
      /* What the window and "copy details" show. */
      details = bgpt_incident_format_details (incident);
      if (details == NULL || !g_utf8_validate (details, -1, NULL))
        g_error ("incident %u formats to invalid text", i);
    }
}

static void
assert_same (GPtrArray *a,
             GPtrArray *b)
{
  if (a->len != b->len)
    g_error ("%u incidents saved, %u loaded back", a->len, b->len);

  for (guint i = 0; i < a->len; i++)
    {
      BgptIncident *x = g_ptr_array_index (a, i);
      BgptIncident *y = g_ptr_array_index (b, i);

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
  g_autoptr(BgptIncidentFile) file = NULL;
  g_autoptr(BgptIncidentFile) again = NULL;
  g_autoptr(BgptIncidentFileContents) loaded = NULL;
  g_autoptr(BgptIncidentFileContents) reloaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;
  gsize saved_length = 0;

  remove_files ();
  if (!g_file_set_contents (store_path, (const char *) data, size, &error))
    g_error ("%s", error->message);

  file = bgpt_incident_file_new (store_path);
  loaded = bgpt_incident_file_load (file);
  if (loaded->error != NULL)
    {
      if (loaded->error->domain != BGPT_INCIDENT_STORE_ERROR)
        g_error ("load failed outside the store's error domain: %s", loaded->error->message);
      if (loaded->error->code != BGPT_INCIDENT_STORE_ERROR_UNREADABLE)
        {
          if (g_file_test (store_path, G_FILE_TEST_EXISTS))
            g_error ("a rejected file stayed in place");
          assert_backup_holds (data, size);
        }
      if (loaded->incidents->len != 0)
        g_error ("a rejected file left incidents behind");
      return 0;
    }

  assert_sane (loaded->incidents);
  if (loaded->n_skipped > 0)
    assert_backup_holds (data, size);

  /* Saved, then read back by another reader of the file. */
  saved = bgpt_incident_file_serialize (loaded->incidents, &saved_length);
  if (!bgpt_incident_file_write (file, saved, saved_length, 1, &error))
    g_error ("saving failed: %s", error->message);

  again = bgpt_incident_file_new (store_path);
  reloaded = bgpt_incident_file_load (again);
  if (reloaded->error != NULL)
    g_error ("the file cannot be read as written: %s", reloaded->error->message);
  if (reloaded->n_skipped != 0)
    g_error ("entries written are skipped when read");
  assert_same (loaded->incidents, reloaded->incidents);

  return 0;
}
