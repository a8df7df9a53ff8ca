/* bgpt-history.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What one check came to. Offline (UNKNOWN) is not a failure, and BLOCKED
 * (a check it depends on did not pass) is not the dependent's failure. */
typedef enum
{
  BGPT_OUTCOME_OK,
  BGPT_OUTCOME_FAILED,   /* with the catalog id of its diagnosis */
  BGPT_OUTCOME_BLOCKED,
  BGPT_OUTCOME_UNKNOWN,  /* the network was gone: nothing was learnt */
  BGPT_N_OUTCOMES,
} BgptOutcome;

/* One result, at full resolution. */
typedef struct
{
  gint64      time;        /* Unix time, seconds */
  guint32     elapsed_ms;
  BgptOutcome outcome;
  const char *error_id;    /* interned catalog id when FAILED, else NULL */
} BgptHistoryResult;

/* One hour of results, once they are older than the full resolution keeps. */
typedef struct
{
  gint64      hour;        /* Unix time, seconds, of the hour's start */
  guint16     counts[BGPT_N_OUTCOMES];  /* as the file keeps them: 65535 at most */
  guint32     median_ms;   /* of the results that were answered (ok or failed) */
  guint32     worst_ms;
  const char *error_id;    /* interned catalog id of the hour's last failure, or NULL */
} BgptHistoryHour;

/* Full resolution for at least this long, hourly aggregates up to the
 * other: enough for "this morning" and "this month". */
#define BGPT_HISTORY_FULL_RESOLUTION_S (48 * 3600)
#define BGPT_HISTORY_KEPT_S            (90 * 24 * 3600)
/* Past the full resolution, raw results wait this long to be folded, so
 * that each account's file is rewritten at most every few hours. */
#define BGPT_HISTORY_THIN_SLACK_S      (6 * 3600)
/* One account's file never grows past this (5 checks every 5 minutes for
 * 90 days take about a third of it); the oldest hours go first. */
#define BGPT_HISTORY_MAX_ACCOUNT_BYTES (1024 * 1024)

#define BGPT_HISTORY_ERROR (bgpt_history_error_quark ())

typedef enum
{
  BGPT_HISTORY_ERROR_INVALID,  /* an account id or check this store cannot keep */
} BgptHistoryError;

GQuark bgpt_history_error_quark (void);

#define BGPT_TYPE_HISTORY (bgpt_history_get_type ())
G_DECLARE_FINAL_TYPE (BgptHistory, bgpt_history, BGPT, HISTORY, GObject)

/* $XDG_STATE_HOME/bytegpt-monitor/history */
char          *bgpt_history_get_default_directory (void);

/* One append-only file per account in @directory (NULL: the default). */
BgptHistory   *bgpt_history_new                   (const char          *directory);
const char    *bgpt_history_get_directory         (BgptHistory         *self);

/* Reads every account's file (a torn last record is dropped and cut off,
 * so that appends follow the last whole record), and thins what is due.
 * Results appended before the load are kept. */
gboolean       bgpt_history_load                  (BgptHistory         *self,
                                                   GError             **error);
/* The same in a worker thread; the store must not be used until it
 * finishes. */
void           bgpt_history_load_async            (BgptHistory         *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean       bgpt_history_load_finish           (BgptHistory         *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
gboolean       bgpt_history_is_loaded             (BgptHistory         *self);

/* One small write at the end of the account's file. @result->time must not
 * go back in time; ::changed follows. */
gboolean       bgpt_history_append                (BgptHistory         *self,
                                                   const char          *account_id,
                                                   const char          *check,
                                                   const BgptHistoryResult *result,
                                                   GError             **error);

/* Folds the results older than the full resolution (measured from @now,
 * Unix seconds) into hours, drops hours past 90 days and, when a file is
 * still over its bound, its oldest hours; rewrites only the files that
 * change. Only accounts with results a few hours past the full resolution
 * (or hours past 90 days, or a file over its bound) are due. */
gboolean       bgpt_history_thin                  (BgptHistory         *self,
                                                   gint64               now,
                                                   GError             **error);

/* Replaces what is known of a check (a generated history: the demo, tests,
 * benchmarks; error ids interned), in memory only, until
 * bgpt_history_save() rewrites the account's file. */
void           bgpt_history_set_check             (BgptHistory         *self,
                                                   const char          *account_id,
                                                   const char          *check,
                                                   GArray              *hours,
                                                   GArray              *results);
gboolean       bgpt_history_save                  (BgptHistory         *self,
                                                   const char          *account_id,
                                                   GError             **error);

/* Removes the account's file and what is in memory. */
gboolean       bgpt_history_forget_account        (BgptHistory         *self,
                                                   const char          *account_id,
                                                   GError             **error);
/* The same for a store that may not be open: the file only. */
gboolean       bgpt_history_remove_account_file   (const char          *directory,
                                                   const char          *account_id,
                                                   GError             **error);

/* Oldest first; arrays of BgptHistoryResult and BgptHistoryHour owned by
 * the store, empty (never NULL) for a check with no history. */
GArray        *bgpt_history_get_results           (BgptHistory         *self,
                                                   const char          *account_id,
                                                   const char          *check);
GArray        *bgpt_history_get_hours             (BgptHistory         *self,
                                                   const char          *account_id,
                                                   const char          *check);
/* The accounts with a history, sorted; free with g_strfreev(). */
char         **bgpt_history_dup_account_ids       (BgptHistory         *self);
/* Where the account's history is kept. */
char          *bgpt_history_dup_account_path      (BgptHistory         *self,
                                                   const char          *account_id);
/* The size of the account's file in bytes, 0 when it has none. */
goffset        bgpt_history_get_file_size         (BgptHistory         *self,
                                                   const char          *account_id);

G_END_DECLS
