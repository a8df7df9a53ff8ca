/* bgpt-incident-file.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The incident history on disk: {"version":1,"incidents":[…]}, read with a
 * size bound, written atomically, merged with what another instance wrote,
 * and a bad file moved aside rather than lost. Plain blocking functions,
 * safe to call from a worker thread; the store (bgpt-incident-store.c)
 * keeps the incidents in memory and decides when to save.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The file at one path, shared by the store and its worker threads:
 * writes land in order, and what the store removed is not merged back
 * from another instance's file. Reference counted, thread safe. */
typedef struct _BgptIncidentFile BgptIncidentFile;

BgptIncidentFile *bgpt_incident_file_new              (const char        *path);
BgptIncidentFile *bgpt_incident_file_ref              (BgptIncidentFile  *self);
void              bgpt_incident_file_unref            (BgptIncidentFile  *self);
const char       *bgpt_incident_file_get_path         (BgptIncidentFile  *self);

/* What one load found. */
typedef struct
{
  GPtrArray *incidents;    /* BgptIncident, in the file's order */
  guint      n_skipped;    /* bad single entries left out */
  char      *backup_path;  /* where the file was moved aside, or NULL */
  /* The file was bad as a whole (a BGPT_INCIDENT_STORE_ERROR, translated,
   * naming the backup); incidents is then empty. */
  GError    *error;
  /* It could not even be moved aside: it must not be overwritten. */
  gboolean   read_only;
} BgptIncidentFileContents;

void              bgpt_incident_file_contents_free    (BgptIncidentFileContents *contents);

/* Reads the file under the directory lock, bounded by
 * BGPT_INCIDENT_STORE_MAX_FILE_SIZE: removes the temporaries of killed
 * writes, moves a bad file aside (see bgpt_incident_store_load_async()) and
 * keeps only the newest few backups. A missing file is an empty history. */
BgptIncidentFileContents *bgpt_incident_file_load     (BgptIncidentFile  *self);

/* The document for @incidents (BgptIncident, newest first). */
char             *bgpt_incident_file_serialize        (GPtrArray         *incidents,
                                                       gsize             *length);
/* Replaces the file with @contents (temporary file, fsync, rename; mode
 * 0600), merged under the directory lock with the incidents another
 * instance saved since. A write of an older @generation than one already
 * written does nothing. */
gboolean          bgpt_incident_file_write            (BgptIncidentFile  *self,
                                                       const char        *contents,
                                                       gsize              length,
                                                       guint64            generation,
                                                       GError           **error);

/* What the store removed, so that a merge does not bring it back. */
void              bgpt_incident_file_forget_id        (BgptIncidentFile  *self,
                                                       const char        *id);
void              bgpt_incident_file_forget_account   (BgptIncidentFile  *self,
                                                       const char        *account_id);
/* Resolved incidents resolved before @before (Unix time, microseconds). */
void              bgpt_incident_file_forget_resolved  (BgptIncidentFile  *self,
                                                       gint64             before);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BgptIncidentFile, bgpt_incident_file_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BgptIncidentFileContents, bgpt_incident_file_contents_free)

G_END_DECLS
