/* bgpt-incident-file.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-incident-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "bgpt-incident-file.h"
#include "bgpt-incident-private.h"
#include "bgpt-incident-store.h"
#include "bgpt-json.h"

#define FILE_VERSION 1
/* Enough to find last week's damaged file, not a pile of them. */
#define MAX_CORRUPT_COPIES 3

/* Shared with the worker threads, so that a write finishing after the store
 * is gone is harmless and writes land in order: a write of an older
 * generation never replaces a newer one. */
struct _BgptIncidentFile
{
  gatomicrefcount  ref_count;
  GMutex           mutex;
  char            *path;
  guint64          written_generation;

  /* What this process removed, so that merging another writer's file
   * does not bring it back. Under forget_mutex: the main thread adds to it
   * while a write may wait for the other writer. */
  GMutex           forget_mutex;
  GHashTable      *forgotten_ids;
  GHashTable      *forgotten_accounts;
  gint64           cleared_before;  /* resolved before this: cleared */

  /* A digest of the file as this store last read or wrote it, when it held
   * only what the store has in memory: while the file still matches, nobody
   * else wrote it and there is nothing to merge. Under mutex. */
  char            *written_digest;
};

BgptIncidentFile *
bgpt_incident_file_new (const char *path)
{
  BgptIncidentFile *writer = g_new0 (BgptIncidentFile, 1);

  g_atomic_ref_count_init (&writer->ref_count);
  g_mutex_init (&writer->mutex);
  g_mutex_init (&writer->forget_mutex);
  writer->path = g_strdup (path);
  writer->forgotten_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  writer->forgotten_accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return writer;
}

BgptIncidentFile *
bgpt_incident_file_ref (BgptIncidentFile *writer)
{
  g_atomic_ref_count_inc (&writer->ref_count);
  return writer;
}

void
bgpt_incident_file_unref (BgptIncidentFile *writer)
{
  if (g_atomic_ref_count_dec (&writer->ref_count))
    {
      g_mutex_clear (&writer->mutex);
      g_mutex_clear (&writer->forget_mutex);
      g_hash_table_unref (writer->forgotten_ids);
      g_hash_table_unref (writer->forgotten_accounts);
      g_free (writer->written_digest);
      g_free (writer->path);
      g_free (writer);
    }
}

static void
forget (BgptIncidentFile *writer,
        GHashTable       *table,
        const char       *key)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&writer->forget_mutex);

  g_hash_table_add (table, g_strdup (key));
}

void
bgpt_incident_file_forget_id (BgptIncidentFile *self,
                              const char       *id)
{
  forget (self, self->forgotten_ids, id);
}

void
bgpt_incident_file_forget_account (BgptIncidentFile *self,
                                   const char       *account_id)
{
  forget (self, self->forgotten_accounts, account_id);
}

void
bgpt_incident_file_forget_resolved (BgptIncidentFile *writer,
                                    gint64            before)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&writer->forget_mutex);

  writer->cleared_before = MAX (writer->cleared_before, before);
}

/* An advisory lock on the state directory, for as long as the returned
 * descriptor is open: another instance (another session bus, another
 * login) reads, merges and writes the history in turn. -1 when the
 * directory cannot be opened; then going on unlocked beats not saving. */
static int
lock_directory (const char *directory)
{
  int fd = g_open (directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd < 0)
    return -1;

  while (flock (fd, LOCK_EX) != 0)
    {
      if (errno != EINTR)
        {
          g_debug ("Could not lock %s: %s", directory, g_strerror (errno));
          break;
        }
    }
  return fd;
}

static void
unlock_directory (int fd)
{
  if (fd >= 0)
    g_close (fd, NULL);
}

/* Whether an incident found only in the file on disk, written there by
 * another instance, stays: not when this one removed it. */
static gboolean
keeps_foreign (BgptIncidentFile *writer,
               JsonObject       *incident)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&writer->forget_mutex);
  const char *id = bgpt_json_object_get_string (incident, "id");
  const char *account = bgpt_json_object_get_string (incident, "account");
  const char *state = bgpt_json_object_get_string (incident, "state");
  JsonNode *resolved = json_object_get_member (incident, "resolved_at");
  gint64 resolved_at = 0;

  if (resolved != NULL && JSON_NODE_HOLDS_VALUE (resolved) &&
      json_node_get_value_type (resolved) == G_TYPE_INT64)
    resolved_at = json_node_get_int (resolved);

  if (id == NULL || g_hash_table_contains (writer->forgotten_ids, id))
    return FALSE;
  if (account != NULL && g_hash_table_contains (writer->forgotten_accounts, account))
    return FALSE;
  if (g_strcmp0 (state, "resolved") == 0 && resolved_at < writer->cleared_before)
    return FALSE;
  return TRUE;
}

static JsonArray *
incidents_of (JsonNode *root)
{
  JsonNode *incidents;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  incidents = json_object_get_member (json_node_get_object (root), "incidents");
  if (incidents == NULL || !JSON_NODE_HOLDS_ARRAY (incidents))
    return NULL;
  return json_node_get_array (incidents);
}

/* @contents with the incidents that another instance saved to the file
 * since this one read it. NULL when there is nothing to add: no file, a
 * file this version cannot read (the load moved it aside or will), or no
 * incident of another instance. */
static char *
merge_with_file (BgptIncidentFile *writer,
                 const char       *on_disk,
                 gsize             on_disk_length,
                 const char       *contents,
                 gsize             length,
                 gsize            *merged_length)
{
  g_autoptr(JsonNode) theirs = NULL;
  g_autoptr(JsonNode) ours = NULL;
  g_autoptr(GHashTable) our_ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonArray) merged = NULL;
  g_autoptr(JsonObject) document = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *their_incidents;
  JsonArray *our_incidents;
  guint added = 0;

  theirs = bgpt_json_parse (on_disk, on_disk_length, NULL);
  their_incidents = incidents_of (theirs);
  if (their_incidents == NULL ||
      json_object_get_int_member_with_default (json_node_get_object (theirs), "version", 0) != FILE_VERSION)
    return NULL;

  ours = bgpt_json_parse (contents, length, NULL);
  our_incidents = incidents_of (ours);
  g_return_val_if_fail (our_incidents != NULL, NULL);

  /* Parsed nodes are immutable: the merge is a new array. */
  merged = json_array_sized_new (json_array_get_length (our_incidents));
  for (guint i = 0; i < json_array_get_length (our_incidents); i++)
    {
      JsonNode *element = json_array_get_element (our_incidents, i);

      g_hash_table_add (our_ids, (gpointer) bgpt_json_object_get_string (json_node_get_object (element), "id"));
      json_array_add_element (merged, json_node_copy (element));
    }

  for (guint i = 0; i < json_array_get_length (their_incidents); i++)
    {
      JsonNode *element = json_array_get_element (their_incidents, i);
      const char *id;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      id = bgpt_json_object_get_string (json_node_get_object (element), "id");
      if (id == NULL || g_hash_table_contains (our_ids, id) ||
          !keeps_foreign (writer, json_node_get_object (element)))
        continue;

      json_array_add_element (merged, json_node_copy (element));
      added++;
    }

  if (added == 0)
    return NULL;

  document = json_object_new ();
  json_object_set_int_member (document, "version", FILE_VERSION);
  json_object_set_array_member (document, "incidents", g_steal_pointer (&merged));
  root = json_node_init_object (json_node_alloc (), document);

  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, merged_length);
}

/* Temporary file, fsync, rename: a crash leaves either the old or the new
 * history, never a mix. 0600 set explicitly: error messages from the APIs
 * may name the customer's organization, and an older file's mode must not
 * carry over (GLib ≥ 2.84 keeps it in g_file_set_contents_full()). */
static gboolean
replace_file (const char  *path,
              const char  *contents,
              gsize        length,
              GError     **error)
{
  g_autofree char *temporary = g_strconcat (path, ".XXXXXX", NULL);
  int saved_errno = 0;
  gsize written = 0;
  int fd;

  fd = g_mkstemp_full (temporary, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      saved_errno = errno;
      goto failed;
    }

  if (fchmod (fd, 0600) != 0)
    saved_errno = errno;

  while (saved_errno == 0 && written < length)
    {
      gssize n = write (fd, contents + written, length - written);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        saved_errno = errno;
      else
        written += n;
    }

  if (saved_errno == 0 && fsync (fd) != 0)
    saved_errno = errno;
  if (!g_close (fd, NULL) && saved_errno == 0)
    saved_errno = EIO;
  if (saved_errno == 0 && g_rename (temporary, path) != 0)
    saved_errno = errno;
  if (saved_errno == 0)
    return TRUE;

  g_unlink (temporary);

failed:
  g_set_error (error, BGPT_INCIDENT_STORE_ERROR, BGPT_INCIDENT_STORE_ERROR_WRITE,
               _("Could not save the incident history to “%s”: %s"),
               path, g_strerror (saved_errno));
  return FALSE;
}

gboolean
bgpt_incident_file_write (BgptIncidentFile  *writer,
                          const char        *contents,
                          gsize              length,
                          guint64            generation,
                          GError           **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&writer->mutex);
  g_autofree char *directory = NULL;
  g_autofree char *merged = NULL;
  g_autofree char *on_disk = NULL;
  gsize merged_length = 0;
  gsize on_disk_length = 0;
  gboolean written;
  int lock;

  if (generation <= writer->written_generation)
    return TRUE;

  directory = g_path_get_dirname (writer->path);
  if (g_mkdir_with_parents (directory, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, BGPT_INCIDENT_STORE_ERROR, BGPT_INCIDENT_STORE_ERROR_WRITE,
                   _("Could not save the incident history to “%s”: %s"),
                   writer->path, g_strerror (saved_errno));
      return FALSE;
    }

  /* Read, merge and write under the lock: what another instance saved
   * in between is kept, not overwritten. */
  lock = lock_directory (directory);
  if (g_file_get_contents (writer->path, &on_disk, &on_disk_length, NULL) &&
      on_disk_length <= BGPT_INCIDENT_STORE_MAX_FILE_SIZE)
    {
      g_autofree char *digest = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                                             (const guchar *) on_disk, on_disk_length);

      if (g_strcmp0 (digest, writer->written_digest) != 0)
        merged = merge_with_file (writer, on_disk, on_disk_length, contents, length, &merged_length);
    }
  if (merged != NULL)
    written = replace_file (writer->path, merged, merged_length, error);
  else
    written = replace_file (writer->path, contents, length, error);
  /* Only a file of this store's own incidents can be skipped next time:
   * one with another's merged in must be merged again, or the next save,
   * made from memory, would drop them. */
  g_clear_pointer (&writer->written_digest, g_free);
  if (written && merged == NULL)
    writer->written_digest = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                                          (const guchar *) contents, length);
  unlock_directory (lock);

  if (written)
    writer->written_generation = generation;
  return written;
}

const char *
bgpt_incident_file_get_path (BgptIncidentFile *self)
{
  return self->path;
}

char *
bgpt_incident_file_serialize (GPtrArray *incidents,
                              gsize     *length)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, FILE_VERSION);
  json_builder_set_member_name (builder, "incidents");
  json_builder_begin_array (builder);
  for (guint i = 0; i < incidents->len; i++)
    bgpt_incident_to_json (g_ptr_array_index (incidents, i), builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, length);
}

/* Loading */

typedef struct
{
  char       *path;
  GPtrArray  *incidents;   /* BgptIncident */
  guint       n_skipped;
  char       *backup_path;
  GError     *error;       /* the whole file was bad */
  gboolean    read_only;
} LoadResult;

static void
load_result_free (LoadResult *result)
{
  g_free (result->path);
  g_clear_pointer (&result->incidents, g_ptr_array_unref);
  g_free (result->backup_path);
  g_clear_error (&result->error);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoadResult, load_result_free)

/* Renames the file to <path>.corrupt-<UTC time>, never over another backup. */
static char *
move_aside (const char  *path,
            int         *saved_errno)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");

  for (guint attempt = 0; attempt < 100; attempt++)
    {
      g_autofree char *backup = NULL;

      if (attempt == 0)
        backup = g_strdup_printf ("%s.corrupt-%s", path, stamp);
      else
        backup = g_strdup_printf ("%s.corrupt-%s-%u", path, stamp, attempt);

      if (g_file_test (backup, G_FILE_TEST_EXISTS))
        continue;

      if (g_rename (path, backup) == 0)
        return g_steal_pointer (&backup);

      *saved_errno = errno;
      return NULL;
    }

  *saved_errno = EEXIST;
  return NULL;
}

/* The file is bad as a whole: keep it aside, start empty, say where it went. */
static void
reject_file (LoadResult             *result,
             BgptIncidentStoreError  code,
             const char             *reason)
{
  int saved_errno = 0;

  g_debug ("Incident history %s rejected: %s", result->path, reason);

  g_clear_pointer (&result->incidents, g_ptr_array_unref);
  result->incidents = g_ptr_array_new_with_free_func (g_object_unref);
  result->n_skipped = 0;

  result->backup_path = move_aside (result->path, &saved_errno);
  if (result->backup_path == NULL)
    {
      result->read_only = TRUE;
      g_set_error (&result->error, BGPT_INCIDENT_STORE_ERROR,
                   BGPT_INCIDENT_STORE_ERROR_UNREADABLE,
                   _("The incident history “%s” could not be read (%s) nor moved aside (%s). "
                     "It will not be changed; new incidents are kept only until ByteGPT Monitor closes."),
                   result->path, reason, g_strerror (saved_errno));
      return;
    }

  switch (code)
    {
    case BGPT_INCIDENT_STORE_ERROR_TOO_LARGE:
      g_set_error (&result->error, BGPT_INCIDENT_STORE_ERROR, code,
                   _("The incident history was too large to read and was moved to “%s”. "
                     "A new, empty history was started."),
                   result->backup_path);
      break;

    case BGPT_INCIDENT_STORE_ERROR_NEWER_VERSION:
      g_set_error (&result->error, BGPT_INCIDENT_STORE_ERROR, code,
                   _("The incident history was written by a newer version of ByteGPT Monitor "
                     "and was moved to “%s”. A new, empty history was started."),
                   result->backup_path);
      break;

    case BGPT_INCIDENT_STORE_ERROR_CORRUPT:
    case BGPT_INCIDENT_STORE_ERROR_UNREADABLE:
    case BGPT_INCIDENT_STORE_ERROR_WRITE:
    default:
      g_set_error (&result->error, BGPT_INCIDENT_STORE_ERROR,
                   BGPT_INCIDENT_STORE_ERROR_CORRUPT,
                   _("The incident history was damaged and was moved to “%s”. "
                     "A new, empty history was started."),
                   result->backup_path);
      break;
    }
}

/* Reads at most BGPT_INCIDENT_STORE_MAX_FILE_SIZE bytes; FALSE when the file
 * is not a regular file, unreadable or larger. */
static gboolean
read_bounded (const char              *path,
              GByteArray             **out,
              BgptIncidentStoreError  *code,
              const char             **reason,
              gboolean                *missing)
{
  g_autoptr(GByteArray) bytes = NULL;
  struct stat st;
  int fd;

  *missing = FALSE;
  *out = NULL;

  /* O_NONBLOCK: a FIFO in place of the file must not hang the thread. */
  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      if (saved_errno == ENOENT)
        {
          *missing = TRUE;
          return TRUE;
        }

      *code = BGPT_INCIDENT_STORE_ERROR_CORRUPT;
      *reason = g_strerror (saved_errno);
      return FALSE;
    }

  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_close (fd, NULL);
      *code = BGPT_INCIDENT_STORE_ERROR_CORRUPT;
      *reason = "not a regular file";
      return FALSE;
    }

  if (st.st_size > BGPT_INCIDENT_STORE_MAX_FILE_SIZE)
    {
      g_close (fd, NULL);
      *code = BGPT_INCIDENT_STORE_ERROR_TOO_LARGE;
      *reason = "over the size limit";
      return FALSE;
    }

  bytes = g_byte_array_sized_new (st.st_size + 1);
  for (;;)
    {
      guint8 buffer[16384];
      gssize n = read (fd, buffer, sizeof buffer);

      if (n < 0 && errno == EINTR)
        continue;

      if (n < 0)
        {
          int saved_errno = errno;

          g_close (fd, NULL);
          *code = BGPT_INCIDENT_STORE_ERROR_CORRUPT;
          *reason = g_strerror (saved_errno);
          return FALSE;
        }

      if (n == 0)
        break;

      /* The file may have grown since fstat(). */
      if (bytes->len + n > BGPT_INCIDENT_STORE_MAX_FILE_SIZE)
        {
          g_close (fd, NULL);
          *code = BGPT_INCIDENT_STORE_ERROR_TOO_LARGE;
          *reason = "over the size limit";
          return FALSE;
        }

      g_byte_array_append (bytes, buffer, n);
    }

  g_close (fd, NULL);
  *out = g_steal_pointer (&bytes);
  return TRUE;
}

static void
parse_document (LoadResult *result,
                GByteArray *bytes)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) seen_ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  JsonObject *document;
  JsonNode *version;
  JsonNode *incidents;
  JsonArray *array;

  if (bytes->len == 0)
    {
      reject_file (result, BGPT_INCIDENT_STORE_ERROR_CORRUPT, "empty file");
      return;
    }

  if (!g_utf8_validate ((const char *) bytes->data, bytes->len, NULL))
    {
      reject_file (result, BGPT_INCIDENT_STORE_ERROR_CORRUPT, "invalid UTF-8");
      return;
    }

  root = bgpt_json_parse ((const char *) bytes->data, bytes->len, &error);
  if (root == NULL)
    {
      reject_file (result, BGPT_INCIDENT_STORE_ERROR_CORRUPT, error->message);
      return;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      reject_file (result, BGPT_INCIDENT_STORE_ERROR_CORRUPT, "not a JSON object");
      return;
    }

  document = json_node_get_object (root);
  version = json_object_get_member (document, "version");
  if (version == NULL || !JSON_NODE_HOLDS_VALUE (version) ||
      json_node_get_value_type (version) != G_TYPE_INT64 ||
      json_node_get_int (version) < 1)
    {
      reject_file (result, BGPT_INCIDENT_STORE_ERROR_CORRUPT, "bad version");
      return;
    }

  if (json_node_get_int (version) > FILE_VERSION)
    {
      reject_file (result, BGPT_INCIDENT_STORE_ERROR_NEWER_VERSION, "newer version");
      return;
    }

  incidents = json_object_get_member (document, "incidents");
  if (incidents == NULL || !JSON_NODE_HOLDS_ARRAY (incidents))
    {
      reject_file (result, BGPT_INCIDENT_STORE_ERROR_CORRUPT, "no incidents array");
      return;
    }

  array = json_node_get_array (incidents);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autoptr(BgptIncident) incident = NULL;
      const char *reason = "not an object";

      if (JSON_NODE_HOLDS_OBJECT (element))
        incident = bgpt_incident_new_from_json (json_node_get_object (element), &reason);

      if (incident != NULL && g_hash_table_contains (seen_ids, bgpt_incident_get_id (incident)))
        {
          g_clear_object (&incident);
          reason = "duplicate id";
        }

      if (incident == NULL)
        {
          g_debug ("Skipping incident %u of %s: %s", i, result->path, reason);
          result->n_skipped++;
          continue;
        }

      g_hash_table_add (seen_ids, (gpointer) bgpt_incident_get_id (incident));
      g_ptr_array_add (result->incidents, g_steal_pointer (&incident));
    }

  if (result->n_skipped > 0)
    {
      int saved_errno = 0;

      /* The next save drops the skipped entries: keep the original. */
      result->backup_path = move_aside (result->path, &saved_errno);
      if (result->backup_path == NULL)
        {
          g_autoptr(GPtrArray) kept = g_steal_pointer (&result->incidents);

          reject_file (result, BGPT_INCIDENT_STORE_ERROR_CORRUPT, g_strerror (saved_errno));
          g_clear_pointer (&result->incidents, g_ptr_array_unref);
          result->incidents = g_steal_pointer (&kept);
        }
    }
}

/* Names in the directory of @path that start with its name and @infix. */
static GPtrArray *
list_siblings (const char *path,
               const char *infix)
{
  g_autofree char *directory = g_path_get_dirname (path);
  g_autofree char *basename = g_path_get_basename (path);
  g_autofree char *prefix = g_strconcat (basename, infix, NULL);
  g_autoptr(GDir) dir = g_dir_open (directory, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, prefix))
      g_ptr_array_add (names, g_build_filename (directory, name, NULL));

  return names;
}

static void
remove_file (const char *path)
{
  if (g_unlink (path) != 0)
    g_debug ("Could not remove %s: %s", path, g_strerror (errno));
}

/* The temporaries (path.XXXXXX) of writes killed before their rename. */
static void
remove_leftovers (const char *path)
{
  g_autoptr(GPtrArray) siblings = list_siblings (path, ".");
  gsize path_length = strlen (path);

  for (guint i = 0; i < siblings->len; i++)
    {
      const char *sibling = g_ptr_array_index (siblings, i);
      const char *suffix = sibling + path_length + 1;
      struct stat st;
      gboolean temporary = strlen (suffix) == 6;

      for (const char *p = suffix; temporary && *p != '\0'; p++)
        temporary = g_ascii_isalnum (*p);

      if (temporary && g_lstat (sibling, &st) == 0 && S_ISREG (st.st_mode))
        remove_file (sibling);
    }
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The newest few files moved aside stay, older ones go: a file that is
 * damaged at every start must not fill the disk. Their names sort by time. */
static void
prune_corrupt_copies (const char *path)
{
  g_autoptr(GPtrArray) copies = list_siblings (path, ".corrupt-");
  guint n_files = 0;

  g_ptr_array_sort (copies, compare_names);
  for (guint i = copies->len; i > 0; i--)
    {
      const char *copy = g_ptr_array_index (copies, i - 1);
      struct stat st;

      /* A directory moved aside is left to the person who made it. */
      if (g_lstat (copy, &st) != 0 || !S_ISREG (st.st_mode))
        continue;
      if (++n_files > MAX_CORRUPT_COPIES)
        remove_file (copy);
    }
}

BgptIncidentFileContents *
bgpt_incident_file_load (BgptIncidentFile *self)
{
  g_autoptr(LoadResult) result = g_new0 (LoadResult, 1);
  g_autoptr(GByteArray) bytes = NULL;
  g_autofree char *directory = NULL;
  BgptIncidentStoreError code = BGPT_INCIDENT_STORE_ERROR_CORRUPT;
  BgptIncidentFileContents *contents;
  const char *reason = NULL;
  gboolean missing;
  int lock;

  result->path = g_strdup (self->path);
  result->incidents = g_ptr_array_new_with_free_func (g_object_unref);

  /* Under the lock: another instance's write is not a leftover, and the
   * file it is renaming into place is not moved aside half-seen. */
  directory = g_path_get_dirname (result->path);
  lock = lock_directory (directory);
  remove_leftovers (result->path);

  if (!read_bounded (result->path, &bytes, &code, &reason, &missing))
    reject_file (result, code, reason);
  else if (!missing)
    parse_document (result, bytes);

  if (result->backup_path != NULL)
    {
      prune_corrupt_copies (result->path);
    }
  else if (!missing && result->error == NULL)
    {
      g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);

      /* What was read is all the store will hold: until someone else
       * writes the file, a save has nothing to merge. */
      if (self->written_digest == NULL)
        self->written_digest = g_compute_checksum_for_data (G_CHECKSUM_SHA256, bytes->data, bytes->len);
    }
  unlock_directory (lock);

  contents = g_new0 (BgptIncidentFileContents, 1);
  contents->incidents = g_steal_pointer (&result->incidents);
  contents->n_skipped = result->n_skipped;
  contents->backup_path = g_steal_pointer (&result->backup_path);
  contents->error = g_steal_pointer (&result->error);
  contents->read_only = result->read_only;
  return contents;
}

void
bgpt_incident_file_contents_free (BgptIncidentFileContents *contents)
{
  if (contents == NULL)
    return;
  g_clear_pointer (&contents->incidents, g_ptr_array_unref);
  g_free (contents->backup_path);
  g_clear_error (&contents->error);
  g_free (contents);
}
