/* bgpt-incident-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-incident-store"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-incident-file.h"
#include "bgpt-incident-private.h"
#include "bgpt-incident-store.h"
#include "bgpt-json.h"

#define DEFAULT_SAVE_DELAY_MS 500

struct _BgptIncidentStore
{
  GObject       parent_instance;

  GPtrArray    *incidents;        /* BgptIncident, newest first */
  GHashTable   *by_id;            /* id -> BgptIncident, borrowed */

  /* Shared with the worker threads: a write finishing after the store is
   * gone is harmless. */
  BgptIncidentFile *file;
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

typedef struct
{
  BgptIncidentFile *file;
  char             *contents;
  gsize             length;
  guint64           generation;
} WriteJob;

static void
write_job_free (WriteJob *job)
{
  bgpt_incident_file_unref (job->file);
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

  if (bgpt_incident_file_write (job->file, job->contents, job->length, job->generation, &error))
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

  job->file = bgpt_incident_file_ref (self->file);
  job->contents = bgpt_incident_file_serialize (self->incidents, &job->length);
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

  contents = bgpt_incident_file_serialize (self->incidents, &length);
  self->saved_generation = self->generation;
  return bgpt_incident_file_write (self->file, contents, length, self->generation, error);
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

  bgpt_incident_file_forget_id (self->file, bgpt_incident_get_id (incident));
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

static gboolean
is_resolved (BgptIncident  *incident,
             gconstpointer  unused)
{
  return !bgpt_incident_is_open (incident);
}

static gboolean
is_of_account (BgptIncident  *incident,
               gconstpointer  account_id)
{
  return g_str_equal (bgpt_incident_get_account_id (incident), account_id);
}

/* Removes every incident @matches, newest first; listeners hear of it once.
 * Returns how many went. */
static guint
remove_matching (BgptIncidentStore *self,
                 gboolean         (*matches) (BgptIncident *, gconstpointer),
                 gconstpointer      data)
{
  guint removed = 0;

  for (guint i = self->incidents->len; i > 0; i--)
    {
      if (matches (g_ptr_array_index (self->incidents, i - 1), data))
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
bgpt_incident_store_clear_resolved (BgptIncidentStore *self)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT_STORE (self), 0);

  bgpt_incident_file_forget_resolved (self->file, g_get_real_time () + 1);
  return remove_matching (self, is_resolved, NULL);
}

guint
bgpt_incident_store_remove_account (BgptIncidentStore *self,
                                    const char        *account_id)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT_STORE (self), 0);
  g_return_val_if_fail (account_id != NULL, 0);

  bgpt_incident_file_forget_account (self->file, account_id);
  return remove_matching (self, is_of_account, account_id);
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

/* Loading */

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  BgptIncidentFile *file = task_data;

  /* Once the file may be moved aside, finish, so that the move is reported. */
  if (g_cancellable_is_cancelled (cancellable))
    {
      GError *error = NULL;

      g_cancellable_set_error_if_cancelled (cancellable, &error);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, bgpt_incident_file_load (file),
                         (GDestroyNotify) bgpt_incident_file_contents_free);
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
  g_autoptr(BgptIncidentFileContents) result = NULL;
  g_autoptr(GError) error = NULL;
  guint64 generation = self->generation;

  self->loading = FALSE;

  result = g_task_propagate_pointer (G_TASK (res), &error);
  if (result == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_object_freeze_notify (G_OBJECT (self));

  merge_loaded (self, result->incidents);
  enforce_cap (self);

  self->loaded = TRUE;
  self->read_only = result->read_only;
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

  worker = g_task_new (self, cancellable, load_done, g_steal_pointer (&task));
  g_task_set_source_tag (worker, load_thread);
  g_task_set_task_data (worker, bgpt_incident_file_ref (self->file),
                        (GDestroyNotify) bgpt_incident_file_unref);
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
  return bgpt_incident_file_get_path (self->file);
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
  g_clear_pointer (&self->file, bgpt_incident_file_unref);
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
      g_value_set_string (value, bgpt_incident_file_get_path (self->file));
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
        self->file = bgpt_incident_file_new (path);
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
