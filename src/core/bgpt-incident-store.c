/* bgpt-incident-store.c
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

#include "bgpt-incident-private.h"
#include "bgpt-incident-store.h"
#include "bgpt-json.h"

#define FILE_VERSION 1
#define DEFAULT_SAVE_DELAY_MS 500
/* Enough to find last week's damaged file, not a pile of them. */
#define MAX_CORRUPT_COPIES 3

/* Shared with the worker threads, so that a write finishing after the store
 * is gone is harmless and writes land in order: a write of an older
 * generation never replaces a newer one. */
typedef struct
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
} Writer;

struct _BgptIncidentStore
{
  GObject       parent_instance;

  GPtrArray    *incidents;        /* BgptIncident, newest first */
  GHashTable   *by_id;            /* id -> BgptIncident, borrowed */

  Writer       *writer;
  guint         save_delay_ms;
  guint         save_source;
  guint64       generation;       /* bumped on every change */
  guint64       saved_generation; /* the newest generation handed to a write */
  gboolean      write_in_flight;

  guint         max_incidents;
  guint         n_unread;
  guint         n_open;

  gboolean      loading;
  gboolean      loaded;
  gboolean      read_only;
  char         *load_error;
  guint         n_skipped;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BgptIncidentStore, bgpt_incident_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

G_DEFINE_QUARK (bgpt-incident-store-error-quark, bgpt_incident_store_error)

enum {
  PROP_0,
  PROP_PATH,
  PROP_LOADED,
  PROP_LOAD_ERROR,
  PROP_N_SKIPPED,
  PROP_MAX_INCIDENTS,
  PROP_N_UNREAD,
  PROP_N_OPEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Writer */

static Writer *
writer_new (const char *path)
{
  Writer *writer = g_new0 (Writer, 1);

  g_atomic_ref_count_init (&writer->ref_count);
  g_mutex_init (&writer->mutex);
  g_mutex_init (&writer->forget_mutex);
  writer->path = g_strdup (path);
  writer->forgotten_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  writer->forgotten_accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return writer;
}

static Writer *
writer_ref (Writer *writer)
{
  g_atomic_ref_count_inc (&writer->ref_count);
  return writer;
}

static void
writer_unref (Writer *writer)
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
writer_forget (Writer     *writer,
               GHashTable *table,
               const char *key)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&writer->forget_mutex);

  g_hash_table_add (table, g_strdup (key));
}

static void
writer_forget_resolved (Writer *writer,
                        gint64  before)
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
keeps_foreign (Writer     *writer,
               JsonObject *incident)
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
merge_with_file (Writer     *writer,
                 const char *on_disk,
                 gsize       on_disk_length,
                 const char *contents,
                 gsize       length,
                 gsize      *merged_length)
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

static gboolean
writer_write (Writer      *writer,
              const char  *contents,
              gsize        length,
              guint64      generation,
              GError     **error)
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

/* GListModel */

static GType
bgpt_incident_store_get_item_type (GListModel *model)
{
  return BGPT_TYPE_INCIDENT;
}

static guint
bgpt_incident_store_get_n_items (GListModel *model)
{
  BgptIncidentStore *self = BGPT_INCIDENT_STORE (model);

  return self->incidents->len;
}

static gpointer
bgpt_incident_store_get_item (GListModel *model,
                              guint       position)
{
  BgptIncidentStore *self = BGPT_INCIDENT_STORE (model);

  if (position >= self->incidents->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->incidents, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = bgpt_incident_store_get_item_type;
  iface->get_n_items = bgpt_incident_store_get_n_items;
  iface->get_item = bgpt_incident_store_get_item;
}

/* Saving */

static char *
serialize (BgptIncidentStore *self,
           gsize             *length)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, FILE_VERSION);
  json_builder_set_member_name (builder, "incidents");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->incidents->len; i++)
    bgpt_incident_to_json (g_ptr_array_index (self->incidents, i), builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, length);
}

typedef struct
{
  Writer  *writer;
  char    *contents;
  gsize    length;
  guint64  generation;
} WriteJob;

static void
write_job_free (WriteJob *job)
{
  writer_unref (job->writer);
  g_free (job->contents);
  g_free (job);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WriteJob *job = task_data;
  GError *error = NULL;

  if (writer_write (job->writer, job->contents, job->length, job->generation, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void schedule_save (BgptIncidentStore *self);

static void
write_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  BgptIncidentStore *self = BGPT_INCIDENT_STORE (object);
  g_autoptr(GError) error = NULL;

  self->write_in_flight = FALSE;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_warning ("%s", error->message);

  if (self->generation > self->saved_generation)
    schedule_save (self);
}

static void
start_write (BgptIncidentStore *self)
{
  g_autoptr(GTask) task = NULL;
  WriteJob *job = g_new0 (WriteJob, 1);

  job->writer = writer_ref (self->writer);
  job->contents = serialize (self, &job->length);
  job->generation = self->generation;
  self->saved_generation = self->generation;
  self->write_in_flight = TRUE;

  task = g_task_new (self, NULL, write_done, NULL);
  g_task_set_source_tag (task, start_write);
  g_task_set_task_data (task, job, (GDestroyNotify) write_job_free);
  g_task_run_in_thread (task, write_thread);
}

static gboolean
save_timeout_cb (gpointer user_data)
{
  BgptIncidentStore *self = user_data;

  self->save_source = 0;
  start_write (self);
  return G_SOURCE_REMOVE;
}

static gboolean
can_write (BgptIncidentStore *self)
{
  return self->loaded && !self->read_only;
}

/* Coalesces changes: one write per delay, and one write in flight at most. */
static void
schedule_save (BgptIncidentStore *self)
{
  if (!can_write (self) || self->save_source != 0 || self->write_in_flight)
    return;

  if (self->generation <= self->saved_generation)
    return;

  self->save_source = g_timeout_add (self->save_delay_ms, save_timeout_cb, self);
  g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->save_source),
                            "[bgpt] save incidents");
}

gboolean
bgpt_incident_store_flush (BgptIncidentStore  *self,
                           GError            **error)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_return_val_if_fail (BGPT_IS_INCIDENT_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_clear_handle_id (&self->save_source, g_source_remove);

  if (!can_write (self))
    return TRUE;

  /* A write in flight may hold an older generation; writing the current one
   * here wins over it whichever finishes first. */
  if (self->generation <= self->saved_generation && !self->write_in_flight)
    return TRUE;

  contents = serialize (self, &length);
  self->saved_generation = self->generation;
  return writer_write (self->writer, contents, length, self->generation, error);
}

void
bgpt_incident_store_set_save_delay (BgptIncidentStore *self,
                                    guint              delay_ms)
{
  g_return_if_fail (BGPT_IS_INCIDENT_STORE (self));

  self->save_delay_ms = delay_ms;
}

/* Changes */

static void
update_counts (BgptIncidentStore *self)
{
  guint n_unread = 0;
  guint n_open = 0;

  for (guint i = 0; i < self->incidents->len; i++)
    {
      BgptIncident *incident = g_ptr_array_index (self->incidents, i);

      if (!bgpt_incident_get_read (incident))
        n_unread++;
      if (bgpt_incident_is_open (incident))
        n_open++;
    }

  if (n_unread != self->n_unread)
    {
      self->n_unread = n_unread;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_UNREAD]);
    }

  if (n_open != self->n_open)
    {
      self->n_open = n_open;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_OPEN]);
    }
}

static void
changed (BgptIncidentStore *self)
{
  self->generation++;
  update_counts (self);
  schedule_save (self);
}

static gboolean
find_position (BgptIncidentStore *self,
               BgptIncident      *incident,
               guint             *position)
{
  return g_ptr_array_find (self->incidents, incident, position);
}

static void
emit_changed_item (BgptIncidentStore *self,
                   BgptIncident      *incident)
{
  guint position;

  if (find_position (self, incident, &position))
    g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
}

static void
remove_at (BgptIncidentStore *self,
           guint              position)
{
  BgptIncident *incident = g_ptr_array_index (self->incidents, position);

  writer_forget (self->writer, self->writer->forgotten_ids, bgpt_incident_get_id (incident));
  g_hash_table_remove (self->by_id, bgpt_incident_get_id (incident));
  g_ptr_array_remove_index (self->incidents, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

static void
enforce_cap (BgptIncidentStore *self)
{
  while (self->incidents->len > self->max_incidents)
    {
      guint victim = self->incidents->len - 1;

      for (guint i = self->incidents->len; i > 0; i--)
        {
          if (!bgpt_incident_is_open (g_ptr_array_index (self->incidents, i - 1)))
            {
              victim = i - 1;
              break;
            }
        }

      remove_at (self, victim);
    }
}

/* Newest first; a new incident goes before older ones and before others of
 * the same time. */
static guint
insertion_position (BgptIncidentStore *self,
                    gint64             first_seen)
{
  guint position = 0;

  while (position < self->incidents->len &&
         bgpt_incident_get_first_seen (g_ptr_array_index (self->incidents, position)) > first_seen)
    position++;

  return position;
}

static void
insert (BgptIncidentStore *self,
        BgptIncident      *incident)
{
  guint position = insertion_position (self, bgpt_incident_get_first_seen (incident));

  g_ptr_array_insert (self->incidents, position, g_object_ref (incident));
  g_hash_table_insert (self->by_id, (gpointer) bgpt_incident_get_id (incident), incident);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
}

BgptIncident *
bgpt_incident_store_find_open (BgptIncidentStore *self,
                               const char        *account_id,
                               const char        *check)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT_STORE (self), NULL);
  g_return_val_if_fail (account_id != NULL, NULL);
  g_return_val_if_fail (check != NULL, NULL);

  for (guint i = 0; i < self->incidents->len; i++)
    {
      BgptIncident *incident = g_ptr_array_index (self->incidents, i);

      if (bgpt_incident_is_open (incident) &&
          g_str_equal (bgpt_incident_get_account_id (incident), account_id) &&
          g_str_equal (bgpt_incident_get_check (incident), check))
        return incident;
    }

  return NULL;
}

BgptIncident *
bgpt_incident_store_lookup (BgptIncidentStore *self,
                            const char        *id)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return g_hash_table_lookup (self->by_id, id);
}

BgptIncident *
bgpt_incident_store_report (BgptIncidentStore   *self,
                            const char          *account_id,
                            const BgptDiagnosis *diagnosis)
{
  g_autoptr(BgptIncident) incident = NULL;
  BgptIncident *open;
  gint64 now;

  g_return_val_if_fail (BGPT_IS_INCIDENT_STORE (self), NULL);
  g_return_val_if_fail (account_id != NULL && *account_id != '\0', NULL);
  g_return_val_if_fail (diagnosis != NULL, NULL);
  g_return_val_if_fail (diagnosis->check != NULL && *diagnosis->check != '\0', NULL);
  g_return_val_if_fail (diagnosis->error_id != NULL, NULL);
  /* The file keeps catalog ids only; anything else would be dropped on load. */
  g_return_val_if_fail (bgpt_catalog_lookup (diagnosis->error_id) != NULL, NULL);

  now = g_get_real_time ();
  open = bgpt_incident_store_find_open (self, account_id, diagnosis->check);

  if (open != NULL && g_str_equal (bgpt_incident_get_error_id (open), diagnosis->error_id))
    {
      bgpt_incident_repeat (open, diagnosis, now);
      emit_changed_item (self, open);
      changed (self);
      return open;
    }

  if (open != NULL)
    {
      bgpt_incident_resolve (open, now);
      emit_changed_item (self, open);
    }

  incident = bgpt_incident_new (account_id, diagnosis, now);
  insert (self, incident);
  enforce_cap (self);
  changed (self);

  return incident;
}

BgptIncident *
bgpt_incident_store_resolve (BgptIncidentStore *self,
                             const char        *account_id,
                             const char        *check)
{
  BgptIncident *open;

  g_return_val_if_fail (BGPT_IS_INCIDENT_STORE (self), NULL);
  g_return_val_if_fail (account_id != NULL, NULL);
  g_return_val_if_fail (check != NULL, NULL);

  open = bgpt_incident_store_find_open (self, account_id, check);
  if (open == NULL)
    return NULL;

  bgpt_incident_resolve (open, g_get_real_time ());
  emit_changed_item (self, open);
  changed (self);

  return open;
}

static gboolean
is_ours (BgptIncidentStore *self,
         BgptIncident      *incident)
{
  return g_hash_table_lookup (self->by_id, bgpt_incident_get_id (incident)) == incident;
}

void
bgpt_incident_store_mark_read (BgptIncidentStore *self,
                               BgptIncident      *incident)
{
  g_return_if_fail (BGPT_IS_INCIDENT_STORE (self));
  g_return_if_fail (BGPT_IS_INCIDENT (incident));
  g_return_if_fail (is_ours (self, incident));

  if (bgpt_incident_get_read (incident))
    return;

  bgpt_incident_set_read (incident, TRUE);
  emit_changed_item (self, incident);
  changed (self);
}

void
bgpt_incident_store_mark_all_read (BgptIncidentStore *self)
{
  gboolean any = FALSE;

  g_return_if_fail (BGPT_IS_INCIDENT_STORE (self));

  for (guint i = 0; i < self->incidents->len; i++)
    {
      BgptIncident *incident = g_ptr_array_index (self->incidents, i);

      if (!bgpt_incident_get_read (incident))
        {
          bgpt_incident_set_read (incident, TRUE);
          g_list_model_items_changed (G_LIST_MODEL (self), i, 1, 1);
          any = TRUE;
        }
    }

  if (any)
    changed (self);
}

void
bgpt_incident_store_silence (BgptIncidentStore *self,
                             BgptIncident      *incident,
                             gint64             until)
{
  g_return_if_fail (BGPT_IS_INCIDENT_STORE (self));
  g_return_if_fail (BGPT_IS_INCIDENT (incident));
  g_return_if_fail (is_ours (self, incident));

  if (bgpt_incident_get_silenced_until (incident) == MAX (until, 0))
    return;

  bgpt_incident_set_silenced_until (incident, until);
  emit_changed_item (self, incident);
  changed (self);
}

guint
bgpt_incident_store_clear_resolved (BgptIncidentStore *self)
{
  guint removed = 0;

  g_return_val_if_fail (BGPT_IS_INCIDENT_STORE (self), 0);

  writer_forget_resolved (self->writer, g_get_real_time () + 1);
  for (guint i = self->incidents->len; i > 0; i--)
    {
      if (!bgpt_incident_is_open (g_ptr_array_index (self->incidents, i - 1)))
        {
          remove_at (self, i - 1);
          removed++;
        }
    }

  if (removed > 0)
    changed (self);

  return removed;
}

guint
bgpt_incident_store_remove_account (BgptIncidentStore *self,
                                    const char        *account_id)
{
  guint removed = 0;

  g_return_val_if_fail (BGPT_IS_INCIDENT_STORE (self), 0);
  g_return_val_if_fail (account_id != NULL, 0);

  writer_forget (self->writer, self->writer->forgotten_accounts, account_id);
  for (guint i = self->incidents->len; i > 0; i--)
    {
      BgptIncident *incident = g_ptr_array_index (self->incidents, i - 1);

      if (g_str_equal (bgpt_incident_get_account_id (incident), account_id))
        {
          remove_at (self, i - 1);
          removed++;
        }
    }

  if (removed > 0)
    changed (self);

  return removed;
}

guint
bgpt_incident_store_get_n_unread (BgptIncidentStore *self)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT_STORE (self), 0);
  return self->n_unread;
}

guint
bgpt_incident_store_get_n_open (BgptIncidentStore *self)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT_STORE (self), 0);
  return self->n_open;
}

guint
bgpt_incident_store_get_max_incidents (BgptIncidentStore *self)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT_STORE (self), 0);
  return self->max_incidents;
}

void
bgpt_incident_store_set_max_incidents (BgptIncidentStore *self,
                                       guint              max_incidents)
{
  guint before;

  g_return_if_fail (BGPT_IS_INCIDENT_STORE (self));
  g_return_if_fail (max_incidents > 0);

  if (self->max_incidents == max_incidents)
    return;

  self->max_incidents = max_incidents;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_INCIDENTS]);

  before = self->incidents->len;
  enforce_cap (self);
  if (self->incidents->len != before)
    changed (self);
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
  char       *loaded_digest; /* of the file read, when it was read whole */
} LoadResult;

static void
load_result_free (LoadResult *result)
{
  g_free (result->path);
  g_clear_pointer (&result->incidents, g_ptr_array_unref);
  g_free (result->backup_path);
  g_free (result->loaded_digest);
  g_clear_error (&result->error);
  g_free (result);
}

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

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadResult *result = task_data;
  g_autoptr(GByteArray) bytes = NULL;
  g_autofree char *directory = NULL;
  BgptIncidentStoreError code = BGPT_INCIDENT_STORE_ERROR_CORRUPT;
  const char *reason = NULL;
  gboolean missing;
  int lock;

  /* Once the file may be moved aside, finish, so that the move is reported. */
  if (g_cancellable_is_cancelled (cancellable))
    {
      GError *error = NULL;

      g_cancellable_set_error_if_cancelled (cancellable, &error);
      g_task_return_error (task, error);
      return;
    }

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
    prune_corrupt_copies (result->path);
  else if (!missing && result->error == NULL)
    result->loaded_digest = g_compute_checksum_for_data (G_CHECKSUM_SHA256, bytes->data, bytes->len);
  unlock_directory (lock);

  g_task_return_boolean (task, TRUE);
}

static gint
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  gint64 first_a = bgpt_incident_get_first_seen (*(BgptIncident **) a);
  gint64 first_b = bgpt_incident_get_first_seen (*(BgptIncident **) b);

  return (first_a < first_b) - (first_a > first_b);
}

/* Incidents reported while the file was being read stay; a loaded open
 * incident that one of them replaces is resolved. */
static void
merge_loaded (BgptIncidentStore *self,
              GPtrArray         *loaded)
{
  guint before = self->incidents->len;
  gint64 now = g_get_real_time ();

  for (guint i = 0; i < loaded->len; i++)
    {
      BgptIncident *incident = g_ptr_array_index (loaded, i);

      if (g_hash_table_contains (self->by_id, bgpt_incident_get_id (incident)))
        continue;

      if (bgpt_incident_is_open (incident))
        {
          BgptIncident *open = bgpt_incident_store_find_open (self,
                                                              bgpt_incident_get_account_id (incident),
                                                              bgpt_incident_get_check (incident));
          if (open != NULL)
            bgpt_incident_resolve (incident, now);
        }

      g_ptr_array_add (self->incidents, g_object_ref (incident));
      g_hash_table_insert (self->by_id, (gpointer) bgpt_incident_get_id (incident), incident);
    }

  g_ptr_array_sort (self->incidents, compare_newest_first);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, before, self->incidents->len);
}

static void
load_done (GObject      *object,
           GAsyncResult *res,
           gpointer      user_data)
{
  BgptIncidentStore *self = BGPT_INCIDENT_STORE (object);
  g_autoptr(GTask) task = user_data;
  LoadResult *result = g_task_get_task_data (G_TASK (res));
  g_autoptr(GError) error = NULL;
  guint64 generation = self->generation;

  self->loading = FALSE;

  if (!g_task_propagate_boolean (G_TASK (res), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_object_freeze_notify (G_OBJECT (self));

  merge_loaded (self, result->incidents);
  enforce_cap (self);

  self->loaded = TRUE;
  self->read_only = result->read_only;
  /* What was read is all in memory: until someone else writes the file,
   * a save has nothing to merge. */
  g_mutex_lock (&self->writer->mutex);
  if (self->writer->written_digest == NULL)
    self->writer->written_digest = g_steal_pointer (&result->loaded_digest);
  g_mutex_unlock (&self->writer->mutex);
  self->n_skipped = result->n_skipped;

  g_clear_pointer (&self->load_error, g_free);
  if (result->error != NULL)
    self->load_error = g_strdup (result->error->message);
  else if (result->n_skipped > 0)
    self->load_error = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                     "%u incident in the history could not be read and was left out. "
                                                     "The original file was kept at “%s”.",
                                                     "%u incidents in the history could not be read and were left out. "
                                                     "The original file was kept at “%s”.",
                                                     result->n_skipped),
                                        result->n_skipped, result->backup_path);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOAD_ERROR]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SKIPPED]);

  /* Save when the file on disk is not what we hold now: early reports,
   * entries left out, or a trimmed history. */
  if (generation > 0 || result->n_skipped > 0 ||
      self->incidents->len != result->incidents->len)
    changed (self);
  else
    update_counts (self);

  g_object_thaw_notify (G_OBJECT (self));

  if (result->error != NULL)
    g_task_return_error (task, g_error_copy (result->error));
  else
    g_task_return_boolean (task, TRUE);
}

void
bgpt_incident_store_load_async (BgptIncidentStore   *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;
  LoadResult *result;

  g_return_if_fail (BGPT_IS_INCIDENT_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bgpt_incident_store_load_async);

  if (self->loading || self->loaded)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("The incident history is already loaded"));
      return;
    }

  self->loading = TRUE;

  result = g_new0 (LoadResult, 1);
  result->path = g_strdup (self->writer->path);

  worker = g_task_new (self, cancellable, load_done, g_steal_pointer (&task));
  g_task_set_source_tag (worker, load_thread);
  g_task_set_task_data (worker, result, (GDestroyNotify) load_result_free);
  /* Cancellation is checked in the thread before it starts; after that,
   * the result must arrive so that a moved-aside file is reported. */
  g_task_set_check_cancellable (worker, FALSE);
  g_task_run_in_thread (worker, load_thread);
}

gboolean
bgpt_incident_store_load_finish (BgptIncidentStore  *self,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bgpt_incident_store_load_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
bgpt_incident_store_is_loaded (BgptIncidentStore *self)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT_STORE (self), FALSE);
  return self->loaded;
}

const char *
bgpt_incident_store_get_load_error (BgptIncidentStore *self)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT_STORE (self), NULL);
  return self->load_error;
}

guint
bgpt_incident_store_get_n_skipped (BgptIncidentStore *self)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT_STORE (self), 0);
  return self->n_skipped;
}

/* Object */

char *
bgpt_incident_store_get_default_path (void)
{
  return g_build_filename (g_get_user_state_dir (), PACKAGE_NAME, "incidents.json", NULL);
}

BgptIncidentStore *
bgpt_incident_store_new (const char *path)
{
  return g_object_new (BGPT_TYPE_INCIDENT_STORE, "path", path, NULL);
}

const char *
bgpt_incident_store_get_path (BgptIncidentStore *self)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT_STORE (self), NULL);
  return self->writer->path;
}

static void
bgpt_incident_store_dispose (GObject *object)
{
  BgptIncidentStore *self = BGPT_INCIDENT_STORE (object);

  if (self->save_source != 0)
    {
      g_autoptr(GError) error = NULL;

      if (!bgpt_incident_store_flush (self, &error))
        g_warning ("%s", error->message);
    }

  G_OBJECT_CLASS (bgpt_incident_store_parent_class)->dispose (object);
}

static void
bgpt_incident_store_finalize (GObject *object)
{
  BgptIncidentStore *self = BGPT_INCIDENT_STORE (object);

  g_clear_handle_id (&self->save_source, g_source_remove);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->incidents, g_ptr_array_unref);
  g_clear_pointer (&self->writer, writer_unref);
  g_clear_pointer (&self->load_error, g_free);

  G_OBJECT_CLASS (bgpt_incident_store_parent_class)->finalize (object);
}

static void
bgpt_incident_store_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  BgptIncidentStore *self = BGPT_INCIDENT_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->writer->path);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PROP_LOAD_ERROR:
      g_value_set_string (value, self->load_error);
      break;
    case PROP_N_SKIPPED:
      g_value_set_uint (value, self->n_skipped);
      break;
    case PROP_MAX_INCIDENTS:
      g_value_set_uint (value, self->max_incidents);
      break;
    case PROP_N_UNREAD:
      g_value_set_uint (value, self->n_unread);
      break;
    case PROP_N_OPEN:
      g_value_set_uint (value, self->n_open);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bgpt_incident_store_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  BgptIncidentStore *self = BGPT_INCIDENT_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      {
        g_autofree char *path = g_value_dup_string (value);

        if (path == NULL)
          path = bgpt_incident_store_get_default_path ();
        self->writer = writer_new (path);
      }
      break;
    case PROP_MAX_INCIDENTS:
      bgpt_incident_store_set_max_incidents (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bgpt_incident_store_class_init (BgptIncidentStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags read_flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = bgpt_incident_store_dispose;
  object_class->finalize = bgpt_incident_store_finalize;
  object_class->get_property = bgpt_incident_store_get_property;
  object_class->set_property = bgpt_incident_store_set_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE, read_flags);
  properties[PROP_LOAD_ERROR] =
    g_param_spec_string ("load-error", NULL, NULL, NULL, read_flags);
  properties[PROP_N_SKIPPED] =
    g_param_spec_uint ("n-skipped", NULL, NULL, 0, G_MAXUINT, 0, read_flags);
  properties[PROP_MAX_INCIDENTS] =
    g_param_spec_uint ("max-incidents", NULL, NULL,
                       1, G_MAXUINT, BGPT_INCIDENT_STORE_DEFAULT_MAX_INCIDENTS,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_UNREAD] =
    g_param_spec_uint ("n-unread", NULL, NULL, 0, G_MAXUINT, 0, read_flags);
  properties[PROP_N_OPEN] =
    g_param_spec_uint ("n-open", NULL, NULL, 0, G_MAXUINT, 0, read_flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bgpt_incident_store_init (BgptIncidentStore *self)
{
  self->incidents = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->max_incidents = BGPT_INCIDENT_STORE_DEFAULT_MAX_INCIDENTS;
  self->save_delay_ms = DEFAULT_SAVE_DELAY_MS;
}
