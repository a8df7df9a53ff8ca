/* bgpt-incident-store.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "bgpt-diagnosis.h"
#include "bgpt-incident.h"

G_BEGIN_DECLS

#define BGPT_INCIDENT_STORE_ERROR (bgpt_incident_store_error_quark ())

typedef enum
{
  /* The file was not valid incident history; it was moved aside. */
  BGPT_INCIDENT_STORE_ERROR_CORRUPT,
  /* The file was over the size limit; it was moved aside. */
  BGPT_INCIDENT_STORE_ERROR_TOO_LARGE,
  /* The file was written by a newer version; it was moved aside. */
  BGPT_INCIDENT_STORE_ERROR_NEWER_VERSION,
  /* The file could not be read nor moved aside: the store keeps working in
   * memory but does not write, so the file is not overwritten. */
  BGPT_INCIDENT_STORE_ERROR_UNREADABLE,
  /* Writing the file failed. */
  BGPT_INCIDENT_STORE_ERROR_WRITE,
} BgptIncidentStoreError;

/* Default cap on stored incidents. */
#define BGPT_INCIDENT_STORE_DEFAULT_MAX_INCIDENTS 500
/* Files larger than this are not read (moved aside instead). */
#define BGPT_INCIDENT_STORE_MAX_FILE_SIZE (8 * 1024 * 1024)

#define BGPT_TYPE_INCIDENT_STORE (bgpt_incident_store_get_type ())

G_DECLARE_FINAL_TYPE (BgptIncidentStore, bgpt_incident_store, BGPT, INCIDENT_STORE, GObject)

/* A GListModel of BgptIncident, newest first (by first-seen). A repeat of an
 * open incident updates it in place and emits ::items-changed for its
 * position (1 removed, 1 added, same object); it does not move.
 *
 * Persisted as {"version":1,"incidents":[…]} in @path, by default
 * $XDG_STATE_HOME/bytegpt-monitor/incidents.json. Changes are saved
 * automatically a moment later, atomically, from a worker thread; the
 * store never writes before load_async() has finished, so an early report
 * cannot overwrite the history. Use on the main thread only. */

GQuark             bgpt_incident_store_error_quark      (void);

char              *bgpt_incident_store_get_default_path (void);

/* @path: NULL for the default path. */
BgptIncidentStore *bgpt_incident_store_new              (const char         *path);
const char        *bgpt_incident_store_get_path         (BgptIncidentStore  *self);

/* Reads the file off the main loop and adds its incidents. A missing file is
 * an empty history, not an error. A bad file (not JSON, wrong shape or
 * types, invalid UTF-8, empty, a directory, over the size limit, a newer
 * version) is renamed to "<path>.corrupt-<YYYYMMDD-HHMMSS>", the store
 * starts empty, and load_finish() fails with a BGPT_INCIDENT_STORE_ERROR
 * whose translated message names the backup; the same message is in
 * ::load-error. Single bad entries in a good file are skipped, counted in
 * ::n-skipped, the original file is kept aside the same way, and
 * ::load-error says so, but load_finish() succeeds. */
void               bgpt_incident_store_load_async       (BgptIncidentStore  *self,
                                                         GCancellable       *cancellable,
                                                         GAsyncReadyCallback callback,
                                                         gpointer            user_data);
gboolean           bgpt_incident_store_load_finish      (BgptIncidentStore  *self,
                                                         GAsyncResult       *result,
                                                         GError            **error);
gboolean           bgpt_incident_store_is_loaded        (BgptIncidentStore  *self);
/* The translated message of the last load problem, or NULL. */
const char        *bgpt_incident_store_get_load_error   (BgptIncidentStore  *self);
guint              bgpt_incident_store_get_n_skipped    (BgptIncidentStore  *self);

/* Writes pending changes now, blocking the caller: for quitting and tests.
 * Returns TRUE when nothing was pending. Does nothing before a load. */
gboolean           bgpt_incident_store_flush            (BgptIncidentStore  *self,
                                                         GError            **error);
/* How long after a change the store saves, in milliseconds (default 500). */
void               bgpt_incident_store_set_save_delay   (BgptIncidentStore  *self,
                                                         guint               delay_ms);

/* When over the cap, the oldest resolved incidents are dropped first; open
 * ones only when every stored incident is open (then the oldest). */
guint              bgpt_incident_store_get_max_incidents (BgptIncidentStore *self);
void               bgpt_incident_store_set_max_incidents (BgptIncidentStore *self,
                                                          guint              max_incidents);

/* A failing @diagnosis (error_id not NULL, already scrubbed) of a check of
 * @account_id. An open incident of the same account, check and error id is
 * updated (count, last seen, details); otherwise a new unread incident is
 * added, and an open one of the same account and check with another error id
 * is resolved first. Returns the open incident (transfer none). */
BgptIncident      *bgpt_incident_store_report           (BgptIncidentStore   *self,
                                                         const char          *account_id,
                                                         const BgptDiagnosis *diagnosis);
/* Resolves the open incident of @account_id and @check. Returns it
 * (transfer none), or NULL when none was open. */
BgptIncident      *bgpt_incident_store_resolve          (BgptIncidentStore  *self,
                                                         const char         *account_id,
                                                         const char         *check);
/* The open incident of @account_id and @check, or NULL (transfer none). */
BgptIncident      *bgpt_incident_store_find_open        (BgptIncidentStore  *self,
                                                         const char         *account_id,
                                                         const char         *check);
/* By BgptIncident:id, or NULL (transfer none). */
BgptIncident      *bgpt_incident_store_lookup           (BgptIncidentStore  *self,
                                                         const char         *id);

void               bgpt_incident_store_mark_read        (BgptIncidentStore  *self,
                                                         BgptIncident       *incident);
void               bgpt_incident_store_mark_all_read    (BgptIncidentStore  *self);
/* @until: Unix time in microseconds, BGPT_INCIDENT_SILENCE_UNTIL_RESOLVED,
 * or BGPT_INCIDENT_SILENCE_NONE to lift the silence. */
void               bgpt_incident_store_silence          (BgptIncidentStore  *self,
                                                         BgptIncident       *incident,
                                                         gint64              until);
/* Return how many incidents were removed. */
guint              bgpt_incident_store_clear_resolved   (BgptIncidentStore  *self);
guint              bgpt_incident_store_remove_account   (BgptIncidentStore  *self,
                                                         const char         *account_id);

guint              bgpt_incident_store_get_n_unread     (BgptIncidentStore  *self);
guint              bgpt_incident_store_get_n_open       (BgptIncidentStore  *self);

G_END_DECLS
