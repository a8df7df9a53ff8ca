/* bgpt-history.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-history"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "bgpt-catalog.h"
#include "bgpt-diagnosis.h"
#include "bgpt-history.h"

/* The file format (docs/history.md): a header, then records appended one
 * write each. A record is MAGIC, the payload's length, the payload, and a
 * checksum of length and payload: a record cut short by a crash, or the
 * zeros some file systems leave after one, fails the check and is dropped.
 * The payload holds numbers, a check's index and a catalog id only, so that
 * no text a server sent (let alone a secret) can reach the file. */
#define FILE_HEADER "BGPTHIS1"
#define FILE_HEADER_LENGTH 8
#define FILE_SUFFIX ".history"
#define RECORD_MAGIC 0xB7
#define RECORD_KIND_RESULT 'R'
#define RECORD_KIND_HOUR 'H'
/* kind, check, outcome, time, elapsed */
#define RESULT_FIXED_LENGTH (1 + 1 + 1 + 4 + 4)
/* kind, check, hour, four counts, median, worst */
#define HOUR_FIXED_LENGTH (1 + 1 + 4 + 4 * 2 + 4 + 4)
#define RECORD_OVERHEAD (1 + 1 + 4)
#define MAX_ERROR_ID_LENGTH 64
#define MAX_RECORD_LENGTH (RECORD_OVERHEAD + HOUR_FIXED_LENGTH + MAX_ERROR_ID_LENGTH)

/* The index of a check in the file: this order is part of the format, a
 * new check goes at the end. */
static const char * const known_checks[] = {
  BGPT_CHECK_KOMMO_ACCOUNT,
  BGPT_CHECK_OPENAI_KEY,
  BGPT_CHECK_OPENAI_MODEL,
  BGPT_CHECK_OPENAI_ASSISTANT,
  BGPT_CHECK_OPENAI_QUOTA,
  BGPT_CHECK_OPENAI_COSTS,
};
#define N_KNOWN_CHECKS G_N_ELEMENTS (known_checks)

typedef struct
{
  GArray *results;  /* BgptHistoryResult, oldest first */
  GArray *hours;    /* BgptHistoryHour, oldest first */
} CheckHistory;

typedef struct
{
  char         *account_id;
  char         *path;
  int           fd;      /* -1 until the next append opens it */
  goffset       size;    /* of the file, as this store wrote or read it */
  CheckHistory  checks[N_KNOWN_CHECKS];
} AccountHistory;

typedef struct
{
  char              *account_id;
  guint              check_index;
  BgptHistoryResult  result;
} PendingAppend;

struct _BgptHistory
{
  GObject     parent_instance;

  char       *directory;
  GHashTable *accounts;   /* account id -> AccountHistory */
  gboolean    loaded;
  gboolean    loading;
  /* Appends while a worker thread loads (and may rewrite) the files. */
  GArray     *pending;    /* PendingAppend */
  GPtrArray  *forgotten;  /* account ids forgotten while a thread loads */
  /* What a check with no history reads. */
  GArray     *no_results;
  GArray     *no_hours;
};

G_DEFINE_FINAL_TYPE (BgptHistory, bgpt_history, G_TYPE_OBJECT)
G_DEFINE_QUARK (bgpt-history-error-quark, bgpt_history_error)

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Accounts and checks */

static AccountHistory *
account_history_new (const char *directory,
                     const char *account_id)
{
  AccountHistory *account = g_new0 (AccountHistory, 1);
  g_autofree char *name = g_strconcat (account_id, FILE_SUFFIX, NULL);

  account->account_id = g_strdup (account_id);
  account->path = g_build_filename (directory, name, NULL);
  account->fd = -1;
  for (guint i = 0; i < N_KNOWN_CHECKS; i++)
    {
      account->checks[i].results = g_array_new (FALSE, FALSE, sizeof (BgptHistoryResult));
      account->checks[i].hours = g_array_new (FALSE, FALSE, sizeof (BgptHistoryHour));
    }
  return account;
}

static void
account_history_free (gpointer data)
{
  AccountHistory *account = data;

  if (account->fd >= 0)
    close (account->fd);
  for (guint i = 0; i < N_KNOWN_CHECKS; i++)
    {
      g_array_unref (account->checks[i].results);
      g_array_unref (account->checks[i].hours);
    }
  g_free (account->account_id);
  g_free (account->path);
  g_free (account);
}

static int
check_index (const char *check)
{
  for (guint i = 0; i < N_KNOWN_CHECKS; i++)
    if (g_strcmp0 (known_checks[i], check) == 0)
      return (int) i;
  return -1;
}

/* An account id is a file name here: the account ids of the settings
 * (lower-case letters, digits, "-") and nothing that could leave the
 * directory. */
static gboolean
account_id_is_file_name (const char *account_id)
{
  gsize length = account_id != NULL ? strlen (account_id) : 0;

  if (length == 0 || length > 64 || account_id[0] == '-' || account_id[0] == '.')
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!(g_ascii_islower (account_id[i]) || g_ascii_isdigit (account_id[i])
          || account_id[i] == '-' || account_id[i] == '_'))
      return FALSE;
  return TRUE;
}

/* A catalog id: lower-case words with "." and "-". */
static gboolean
error_id_is_valid (const char *error_id,
                   gsize       length)
{
  if (length == 0 || length > MAX_ERROR_ID_LENGTH)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!(g_ascii_islower (error_id[i]) || g_ascii_isdigit (error_id[i])
          || error_id[i] == '.' || error_id[i] == '-' || error_id[i] == '_'))
      return FALSE;
  return TRUE;
}

/* Records */

static guint32
checksum (const guint8 *data,
          gsize         length)
{
  /* Fletcher-like: two additions per byte, fast enough to check 90 days
   * of 100 accounts in a few milliseconds, and any cut or zeroed tail
   * changes it. */
  guint32 a = 1, b = 0;

  for (gsize i = 0; i < length; i++)
    {
      a += data[i];
      b += a;
    }
  return a ^ (b * 2654435761u);
}

static inline void
put_u16 (guint8  *out,
         guint32  value)
{
  value = MIN (value, G_MAXUINT16);
  out[0] = value & 0xff;
  out[1] = (value >> 8) & 0xff;
}

static inline void
put_u32 (guint8  *out,
         guint32  value)
{
  out[0] = value & 0xff;
  out[1] = (value >> 8) & 0xff;
  out[2] = (value >> 16) & 0xff;
  out[3] = (value >> 24) & 0xff;
}

static inline guint32
get_u16 (const guint8 *in)
{
  return (guint32) in[0] | ((guint32) in[1] << 8);
}

static inline guint32
get_u32 (const guint8 *in)
{
  return (guint32) in[0] | ((guint32) in[1] << 8) | ((guint32) in[2] << 16) | ((guint32) in[3] << 24);
}

static inline guint32
clamp_time (gint64 time)
{
  return (guint32) CLAMP (time, 0, (gint64) G_MAXUINT32);
}

/* Frames @payload_length bytes at @record + 2; gives the record's length. */
static gsize
frame_record (guint8 *record,
              gsize   payload_length)
{
  record[0] = RECORD_MAGIC;
  record[1] = (guint8) payload_length;
  put_u32 (record + 2 + payload_length, checksum (record + 1, payload_length + 1));
  return payload_length + RECORD_OVERHEAD;
}

static gsize
encode_result (guint8                  *record,
               guint                    index,
               const BgptHistoryResult *result)
{
  guint8 *payload = record + 2;
  gsize id_length = result->outcome == BGPT_OUTCOME_FAILED && result->error_id != NULL
                    ? strlen (result->error_id) : 0;

  payload[0] = RECORD_KIND_RESULT;
  payload[1] = (guint8) index;
  payload[2] = (guint8) result->outcome;
  put_u32 (payload + 3, clamp_time (result->time));
  put_u32 (payload + 7, result->elapsed_ms);
  if (id_length > 0)
    memcpy (payload + RESULT_FIXED_LENGTH, result->error_id, id_length);
  return frame_record (record, RESULT_FIXED_LENGTH + id_length);
}

static gsize
encode_hour (guint8                *record,
             guint                  index,
             const BgptHistoryHour *hour)
{
  guint8 *payload = record + 2;
  gsize id_length = hour->error_id != NULL ? strlen (hour->error_id) : 0;

  payload[0] = RECORD_KIND_HOUR;
  payload[1] = (guint8) index;
  put_u32 (payload + 2, clamp_time (hour->hour));
  for (guint i = 0; i < BGPT_N_OUTCOMES; i++)
    put_u16 (payload + 6 + 2 * i, hour->counts[i]);
  put_u32 (payload + 14, hour->median_ms);
  put_u32 (payload + 18, hour->worst_ms);
  if (id_length > 0)
    memcpy (payload + HOUR_FIXED_LENGTH, hour->error_id, id_length);
  return frame_record (record, HOUR_FIXED_LENGTH + id_length);
}

/* The last id interned: a file repeats the same few ids, and
 * g_intern_string() takes a lock. */
typedef struct
{
  gsize       length;
  guint8      bytes[MAX_ERROR_ID_LENGTH];
  const char *interned;
} LastId;

static const char *
intern_error_id (LastId       *last,
                 const guint8 *bytes,
                 gsize         length)
{
  char id[MAX_ERROR_ID_LENGTH + 1];

  if (length == 0)
    return NULL;
  if (last->interned != NULL && last->length == length && memcmp (last->bytes, bytes, length) == 0)
    return last->interned;
  if (!error_id_is_valid ((const char *) bytes, length))
    return NULL;
  memcpy (id, bytes, length);
  id[length] = '\0';
  last->length = length;
  memcpy (last->bytes, bytes, length);
  last->interned = g_intern_string (id);
  return last->interned;
}

/* Takes one whole record's payload into @account's arrays, which have
 * room for it; FALSE when it makes no sense (a valid frame around nonsense
 * is skipped, not trusted). */
typedef struct
{
  LastId last;
  guint  n_results[N_KNOWN_CHECKS];  /* decoded so far: the arrays' lengths are room */
  guint  n_hours[N_KNOWN_CHECKS];
} Decoder;

static gboolean
decode_payload (AccountHistory *account,
                Decoder        *decoder,
                const guint8   *payload,
                gsize           length)
{
  guint index;

  if (length < 2)
    return FALSE;
  index = payload[1];
  if (index >= N_KNOWN_CHECKS)
    return FALSE;

  if (payload[0] == RECORD_KIND_RESULT && length >= RESULT_FIXED_LENGTH && payload[2] < BGPT_N_OUTCOMES)
    {
      GArray *results = account->checks[index].results;
      BgptHistoryResult *result;

      if (decoder->n_results[index] == results->len)
        g_array_set_size (results, results->len + 1);
      result = &g_array_index (results, BgptHistoryResult, decoder->n_results[index]++);
      result->outcome = payload[2];
      result->time = get_u32 (payload + 3);
      result->elapsed_ms = get_u32 (payload + 7);
      result->error_id = result->outcome == BGPT_OUTCOME_FAILED
                         ? intern_error_id (&decoder->last, payload + RESULT_FIXED_LENGTH, length - RESULT_FIXED_LENGTH)
                         : NULL;
      return TRUE;
    }
  if (payload[0] == RECORD_KIND_HOUR && length >= HOUR_FIXED_LENGTH)
    {
      GArray *hours = account->checks[index].hours;
      BgptHistoryHour *hour;

      if (decoder->n_hours[index] == hours->len)
        g_array_set_size (hours, hours->len + 1);
      hour = &g_array_index (hours, BgptHistoryHour, decoder->n_hours[index]++);
      hour->hour = get_u32 (payload + 2);
      for (guint i = 0; i < BGPT_N_OUTCOMES; i++)
        hour->counts[i] = get_u16 (payload + 6 + 2 * i);
      hour->median_ms = get_u32 (payload + 14);
      hour->worst_ms = get_u32 (payload + 18);
      hour->error_id = intern_error_id (&decoder->last, payload + HOUR_FIXED_LENGTH, length - HOUR_FIXED_LENGTH);
      return TRUE;
    }
  return FALSE;
}

/* Brings in the pages of @array's room in one call (where the kernel
 * can): touched one by one, each page costs a fault of its own, and those
 * faults were a third of loading 90 days of 100 accounts. The pages at
 * either end may hold other allocations too; populating them changes
 * nothing in them. */
static void
populate (GArray *array)
{
#ifdef MADV_POPULATE_WRITE
  guintptr page = (guintptr) sysconf (_SC_PAGESIZE);
  guintptr start = (guintptr) array->data & ~(page - 1);
  guintptr end = (guintptr) array->data + g_array_get_element_size (array) * array->len;

  if (array->len > 0)
    madvise ((void *) start, end - start, MADV_POPULATE_WRITE);
#endif
}

/* Room for the records a file seems to hold (a walk over the frames'
 * lengths only), so that reading it does not grow the arrays record by
 * record: their lengths are the room until decoding ends. */
static void
reserve_arrays (AccountHistory *account,
                const guint8   *data,
                gsize           length)
{
  guint n_results[N_KNOWN_CHECKS] = { 0, };
  guint n_hours[N_KNOWN_CHECKS] = { 0, };

  for (gsize offset = FILE_HEADER_LENGTH; offset + RECORD_OVERHEAD + 2 <= length;
       offset += RECORD_OVERHEAD + data[offset + 1])
    {
      guint index = data[offset + 3];

      if (data[offset] != RECORD_MAGIC || index >= N_KNOWN_CHECKS)
        break;
      if (data[offset + 2] == RECORD_KIND_RESULT)
        n_results[index]++;
      else
        n_hours[index]++;
    }
  for (guint i = 0; i < N_KNOWN_CHECKS; i++)
    {
      g_array_set_size (account->checks[i].results, n_results[i]);
      g_array_set_size (account->checks[i].hours, n_hours[i]);
      populate (account->checks[i].results);
      populate (account->checks[i].hours);
    }
}

static int
compare_results (gconstpointer a,
                 gconstpointer b)
{
  const BgptHistoryResult *x = a, *y = b;

  return (x->time > y->time) - (x->time < y->time);
}

static int
compare_hours (gconstpointer a,
               gconstpointer b)
{
  const BgptHistoryHour *x = a, *y = b;

  return (x->hour > y->hour) - (x->hour < y->hour);
}

static gboolean
results_are_sorted (GArray *results)
{
  const BgptHistoryResult *items = (const BgptHistoryResult *) results->data;

  for (guint i = 1; i < results->len; i++)
    if (items[i - 1].time > items[i].time)
      return FALSE;
  return TRUE;
}

static gboolean
hours_are_sorted (GArray *hours)
{
  const BgptHistoryHour *items = (const BgptHistoryHour *) hours->data;

  for (guint i = 1; i < hours->len; i++)
    if (items[i - 1].hour > items[i].hour)
      return FALSE;
  return TRUE;
}

/* Reads @data into @account; gives the end of the last whole record, where
 * appends must go on (a torn tail lies past it). Damage in the middle is
 * skipped up to the next whole record. */
static gsize
parse_file (AccountHistory *account,
            const guint8   *data,
            gsize           length)
{
  gsize offset = FILE_HEADER_LENGTH;
  gsize good_end = FILE_HEADER_LENGTH;
  Decoder decoder = { { 0, }, };

  reserve_arrays (account, data, length);
  while (offset + RECORD_OVERHEAD <= length)
    {
      gsize payload_length = data[offset + 1];

      if (data[offset] == RECORD_MAGIC && payload_length > 0
          && offset + RECORD_OVERHEAD + payload_length <= length
          && get_u32 (data + offset + 2 + payload_length) == checksum (data + offset + 1, payload_length + 1))
        {
          decode_payload (account, &decoder, data + offset + 2, payload_length);
          offset += RECORD_OVERHEAD + payload_length;
          good_end = offset;
        }
      else
        {
          offset++;
        }
    }

  /* Files are written in order; sorting only matters after a clock jump. */
  for (guint i = 0; i < N_KNOWN_CHECKS; i++)
    {
      g_array_set_size (account->checks[i].results, decoder.n_results[i]);
      g_array_set_size (account->checks[i].hours, decoder.n_hours[i]);
      if (!results_are_sorted (account->checks[i].results))
        g_array_sort (account->checks[i].results, compare_results);
      if (!hours_are_sorted (account->checks[i].hours))
        g_array_sort (account->checks[i].hours, compare_hours);
    }
  return good_end;
}

/* Loading */

/* Reads the file at @path into @buffer, which keeps its room from one file
 * to the next: one copy from the page cache costs far less than faulting
 * in every page of a mapping (about a third of the load's time, mapped). */
static gboolean
read_file_into (const char  *path,
                GByteArray  *buffer,
                GError     **error)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  struct stat info;
  gsize length = 0;
  int saved_errno = 0;

  if (fd < 0 || fstat (fd, &info) != 0)
    saved_errno = errno;
  else
    {
      g_byte_array_set_size (buffer, (guint) MIN ((goffset) info.st_size, G_MAXUINT));
      while (length < buffer->len)
        {
          gssize n = read (fd, buffer->data + length, buffer->len - length);

          if (n < 0 && errno == EINTR)
            continue;
          if (n < 0)
            {
              saved_errno = errno;
              break;
            }
          if (n == 0)
            break;
          length += (gsize) n;
        }
      /* A file cut meanwhile is read as far as it goes. */
      g_byte_array_set_size (buffer, (guint) length);
    }
  if (fd >= 0)
    close (fd);
  if (saved_errno != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not read the history file “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

static AccountHistory *
load_account_file (const char  *directory,
                   const char  *account_id,
                   GByteArray  *buffer,
                   GError     **error)
{
  AccountHistory *account = account_history_new (directory, account_id);
  const char *contents;
  gsize length = 0;
  gsize good_end;

  if (!read_file_into (account->path, buffer, error))
    {
      account_history_free (account);
      return NULL;
    }
  contents = (const char *) buffer->data;
  length = buffer->len;

  /* Created, then nothing written before a crash: an empty history. */
  if (length == 0)
    return account;
  if (length < FILE_HEADER_LENGTH || memcmp (contents, FILE_HEADER, FILE_HEADER_LENGTH) != 0)
    {
      /* Not a history this version wrote, or cut before its header: kept
       * aside for whoever wants to look, and started again. */
      g_autofree char *aside = g_strconcat (account->path, ".unreadable", NULL);

      g_warning ("History file %s is not readable; moved to %s", account->path, aside);
      g_rename (account->path, aside);
      account->size = 0;
      return account;
    }

  good_end = parse_file (account, (const guint8 *) contents, length);
  if (good_end < length)
    {
      g_debug ("%s: %" G_GSIZE_FORMAT " bytes after the last whole record dropped",
               account->path, length - good_end);
      if (truncate (account->path, (off_t) good_end) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Could not repair the history file “%s”: %s"),
                       account->path, g_strerror (saved_errno));
          account_history_free (account);
          return NULL;
        }
    }
  account->size = good_end;
  return account;
}

static gboolean
history_thin_accounts (GHashTable  *accounts,
                       gint64       now,
                       GError     **error);

typedef struct
{
  char       *directory;
  GHashTable *accounts;
  gint64      now;
} LoadJob;

static void
load_job_free (LoadJob *job)
{
  g_free (job->directory);
  g_clear_pointer (&job->accounts, g_hash_table_unref);
  g_free (job);
}

static gboolean
load_job_run (LoadJob  *job,
              GError  **error)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  const char *name;

  job->accounts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, account_history_free);
  dir = g_dir_open (job->directory, 0, &local_error);
  if (dir == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *account_id = NULL;
      AccountHistory *account;

      if (!g_str_has_suffix (name, FILE_SUFFIX))
        continue;
      account_id = g_strndup (name, strlen (name) - strlen (FILE_SUFFIX));
      if (!account_id_is_file_name (account_id))
        continue;
      account = load_account_file (job->directory, account_id, buffer, &local_error);
      if (account == NULL)
        {
          /* Gone since the listing: its account was forgotten meanwhile. */
          if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
            {
              g_clear_error (&local_error);
              continue;
            }
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_hash_table_insert (job->accounts, account->account_id, account);
    }

  return history_thin_accounts (job->accounts, job->now, error);
}

static void
load_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  LoadJob *job = task_data;
  GError *error = NULL;

  if (load_job_run (job, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static gboolean write_record (BgptHistory    *self,
                              AccountHistory *account,
                              const guint8   *record,
                              gsize           length,
                              GError        **error);

static AccountHistory *
lookup_or_add_account (BgptHistory *self,
                       const char  *account_id)
{
  AccountHistory *account = g_hash_table_lookup (self->accounts, account_id);

  if (account == NULL)
    {
      account = account_history_new (self->directory, account_id);
      g_hash_table_insert (self->accounts, account->account_id, account);
    }
  return account;
}

static gboolean
append_now (BgptHistory             *self,
            const char              *account_id,
            guint                    index,
            const BgptHistoryResult *result,
            GError                 **error)
{
  AccountHistory *account = lookup_or_add_account (self, account_id);
  GArray *results = account->checks[index].results;
  guint8 record[MAX_RECORD_LENGTH];
  gsize length = encode_result (record, index, result);

  if (!write_record (self, account, record, length, error))
    return FALSE;

  /* The arrays stay sorted: a clock set back inserts in place. */
  if (results->len > 0 && g_array_index (results, BgptHistoryResult, results->len - 1).time > result->time)
    {
      guint at = results->len;

      while (at > 0 && g_array_index (results, BgptHistoryResult, at - 1).time > result->time)
        at--;
      g_array_insert_val (results, at, *result);
    }
  else
    {
      g_array_append_val (results, *result);
    }
  return TRUE;
}

static void
finish_load (BgptHistory *self,
             LoadJob     *job)
{
  g_clear_pointer (&self->accounts, g_hash_table_unref);
  self->accounts = g_steal_pointer (&job->accounts);
  self->loaded = TRUE;
  self->loading = FALSE;

  /* The thread may have read a file before it was removed. */
  for (guint i = 0; i < self->forgotten->len; i++)
    g_hash_table_remove (self->accounts, g_ptr_array_index (self->forgotten, i));
  g_ptr_array_set_size (self->forgotten, 0);

  for (guint i = 0; i < self->pending->len; i++)
    {
      PendingAppend *pending = &g_array_index (self->pending, PendingAppend, i);
      g_autoptr(GError) error = NULL;

      if (!append_now (self, pending->account_id, pending->check_index, &pending->result, &error))
        g_warning ("%s", error->message);
      g_free (pending->account_id);
    }
  g_array_set_size (self->pending, 0);
  g_signal_emit (self, signals[CHANGED], 0, NULL);
}

gboolean
bgpt_history_load (BgptHistory  *self,
                   GError      **error)
{
  LoadJob *job;
  gboolean ok;

  g_return_val_if_fail (BGPT_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (!self->loading, FALSE);

  job = g_new0 (LoadJob, 1);
  job->directory = g_strdup (self->directory);
  job->now = g_get_real_time () / G_USEC_PER_SEC;
  self->loading = TRUE;
  ok = load_job_run (job, error);
  if (ok)
    finish_load (self, job);
  else
    self->loading = FALSE;
  load_job_free (job);
  return ok;
}

void
bgpt_history_load_async (BgptHistory         *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadJob *job;

  g_return_if_fail (BGPT_IS_HISTORY (self));
  g_return_if_fail (!self->loading);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bgpt_history_load_async);
  job = g_new0 (LoadJob, 1);
  job->directory = g_strdup (self->directory);
  job->now = g_get_real_time () / G_USEC_PER_SEC;
  g_task_set_task_data (task, job, (GDestroyNotify) load_job_free);
  self->loading = TRUE;
  g_task_run_in_thread (task, load_in_thread);
}

gboolean
bgpt_history_load_finish (BgptHistory   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bgpt_history_load_async, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    {
      self->loading = FALSE;
      return FALSE;
    }
  finish_load (self, g_task_get_task_data (G_TASK (result)));
  return TRUE;
}

gboolean
bgpt_history_is_loaded (BgptHistory *self)
{
  g_return_val_if_fail (BGPT_IS_HISTORY (self), FALSE);
  return self->loaded;
}

/* Appending */

static gboolean
set_io_error (GError     **error,
              int          saved_errno,
              const char  *path)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("Could not write the history file “%s”: %s"), path, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
open_for_append (BgptHistory     *self,
                 AccountHistory  *account,
                 GError         **error)
{
  struct stat info;

  if (g_mkdir_with_parents (self->directory, 0700) != 0)
    return set_io_error (error, errno, self->directory);
  account->fd = g_open (account->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (account->fd < 0)
    return set_io_error (error, errno, account->path);
  if (fstat (account->fd, &info) != 0)
    return set_io_error (error, errno, account->path);
  account->size = info.st_size;
  return TRUE;
}

/* One write(2), so that a crash leaves a whole record or a torn one that
 * the next load drops, never a record that seems whole and is not. */
static gboolean
write_record (BgptHistory     *self,
              AccountHistory  *account,
              const guint8    *record,
              gsize            length,
              GError         **error)
{
  guint8 buffer[FILE_HEADER_LENGTH + MAX_RECORD_LENGTH];
  const guint8 *data = record;
  gssize written;

  if (account->fd < 0 && !open_for_append (self, account, error))
    return FALSE;

  if (account->size == 0)
    {
      memcpy (buffer, FILE_HEADER, FILE_HEADER_LENGTH);
      memcpy (buffer + FILE_HEADER_LENGTH, record, length);
      data = buffer;
      length += FILE_HEADER_LENGTH;
    }

  do
    written = write (account->fd, data, length);
  while (written < 0 && errno == EINTR);

  if (written < 0)
    return set_io_error (error, errno, account->path);
  account->size += written;
  if ((gsize) written < length)
    return set_io_error (error, ENOSPC, account->path);
  return TRUE;
}

gboolean
bgpt_history_append (BgptHistory              *self,
                     const char               *account_id,
                     const char               *check,
                     const BgptHistoryResult  *result,
                     GError                  **error)
{
  int index;
  BgptHistoryResult copy;

  g_return_val_if_fail (BGPT_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (result->outcome < BGPT_N_OUTCOMES, FALSE);

  index = check_index (check);
  if (index < 0 || !account_id_is_file_name (account_id))
    {
      g_set_error (error, BGPT_HISTORY_ERROR, BGPT_HISTORY_ERROR_INVALID,
                   "No history for check “%s” of account “%s”", check, account_id);
      return FALSE;
    }

  copy = *result;
  copy.error_id = NULL;
  /* Only the catalog's ids: whatever else a caller holds stays out. */
  if (result->outcome == BGPT_OUTCOME_FAILED && result->error_id != NULL
      && bgpt_catalog_lookup (result->error_id) != NULL)
    copy.error_id = g_intern_string (result->error_id);

  if (self->loading)
    {
      PendingAppend pending = { g_strdup (account_id), (guint) index, copy };

      g_array_append_val (self->pending, pending);
      return TRUE;
    }

  if (!append_now (self, account_id, (guint) index, &copy, error))
    return FALSE;
  g_signal_emit (self, signals[CHANGED], 0, account_id);
  return TRUE;
}

/* Thinning */

static int
compare_u32 (gconstpointer a,
             gconstpointer b)
{
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;

  return (x > y) - (x < y);
}

static void
fold_into_hour (BgptHistoryHour         *hour,
                const BgptHistoryResult *results,
                guint                    n_results,
                GArray                  *scratch)
{
  guint32 previous_answered = hour->counts[BGPT_OUTCOME_OK] + hour->counts[BGPT_OUTCOME_FAILED];

  g_array_set_size (scratch, 0);
  /* An hour folded before counts with its median for each of its results:
   * only an hour across the boundary at two thinnings is approximate. */
  for (guint32 i = 0; i < previous_answered; i++)
    g_array_append_val (scratch, hour->median_ms);

  for (guint i = 0; i < n_results; i++)
    {
      const BgptHistoryResult *result = &results[i];

      hour->counts[result->outcome] = MIN (hour->counts[result->outcome] + 1, G_MAXUINT16);
      if (result->outcome == BGPT_OUTCOME_OK || result->outcome == BGPT_OUTCOME_FAILED)
        {
          g_array_append_val (scratch, result->elapsed_ms);
          hour->worst_ms = MAX (hour->worst_ms, result->elapsed_ms);
        }
      if (result->outcome == BGPT_OUTCOME_FAILED && result->error_id != NULL)
        hour->error_id = result->error_id;
    }

  if (scratch->len > 0)
    {
      guint32 *values = (guint32 *) scratch->data;
      guint32 lower, upper;

      g_array_sort (scratch, compare_u32);
      lower = values[(scratch->len - 1) / 2];
      upper = values[scratch->len / 2];
      hour->median_ms = lower + (upper - lower) / 2;
    }
}

/* Gives whether anything changed. */
static gboolean
thin_check (CheckHistory *check,
            gint64        now,
            GArray       *scratch)
{
  gint64 cutoff = now - BGPT_HISTORY_FULL_RESOLUTION_S;
  gint64 oldest_kept_hour = now - BGPT_HISTORY_KEPT_S;
  GArray *results = check->results;
  g_autoptr(GArray) hours = NULL;
  guint n_old = 0;
  guint n_dropped = 0;
  guint h = 0;

  while (n_old < results->len && g_array_index (results, BgptHistoryResult, n_old).time < cutoff)
    n_old++;
  while (n_dropped < check->hours->len
         && g_array_index (check->hours, BgptHistoryHour, n_dropped).hour + 3600 <= oldest_kept_hour)
    n_dropped++;
  if (n_old == 0 && n_dropped == 0)
    return FALSE;

  hours = g_array_sized_new (FALSE, FALSE, sizeof (BgptHistoryHour), check->hours->len + n_old / 8 + 1);
  h = n_dropped;
  for (guint i = 0; i < n_old; )
    {
      const BgptHistoryResult *first = &g_array_index (results, BgptHistoryResult, i);
      gint64 start = first->time - first->time % 3600;
      guint end = i;
      BgptHistoryHour hour = { 0, };

      while (end < n_old && g_array_index (results, BgptHistoryResult, end).time < start + 3600)
        end++;
      while (h < check->hours->len && g_array_index (check->hours, BgptHistoryHour, h).hour < start)
        g_array_append_val (hours, g_array_index (check->hours, BgptHistoryHour, h++));
      if (h < check->hours->len && g_array_index (check->hours, BgptHistoryHour, h).hour == start)
        hour = g_array_index (check->hours, BgptHistoryHour, h++);
      hour.hour = start;
      fold_into_hour (&hour, first, end - i, scratch);
      if (hour.hour + 3600 > oldest_kept_hour)
        g_array_append_val (hours, hour);
      i = end;
    }
  for (; h < check->hours->len; h++)
    g_array_append_val (hours, g_array_index (check->hours, BgptHistoryHour, h));

  g_array_remove_range (results, 0, n_old);
  g_array_unref (check->hours);
  check->hours = g_steal_pointer (&hours);
  return TRUE;
}

static gsize
record_size_of_hour (const BgptHistoryHour *hour)
{
  return RECORD_OVERHEAD + HOUR_FIXED_LENGTH + (hour->error_id != NULL ? strlen (hour->error_id) : 0);
}

static gsize
record_size_of_result (const BgptHistoryResult *result)
{
  return RECORD_OVERHEAD + RESULT_FIXED_LENGTH
         + (result->outcome == BGPT_OUTCOME_FAILED && result->error_id != NULL ? strlen (result->error_id) : 0);
}

static gsize
account_file_size (AccountHistory *account)
{
  gsize size = FILE_HEADER_LENGTH;

  for (guint i = 0; i < N_KNOWN_CHECKS; i++)
    {
      for (guint j = 0; j < account->checks[i].hours->len; j++)
        size += record_size_of_hour (&g_array_index (account->checks[i].hours, BgptHistoryHour, j));
      for (guint j = 0; j < account->checks[i].results->len; j++)
        size += record_size_of_result (&g_array_index (account->checks[i].results, BgptHistoryResult, j));
    }
  return size;
}

/* Drops the oldest hours of any check (then the oldest results) until the
 * file fits its bound: counted first, then cut once per array. */
static void
bound_account (AccountHistory *account,
               gsize           size)
{
  guint drop_hours[N_KNOWN_CHECKS] = { 0, };
  guint drop_results[N_KNOWN_CHECKS] = { 0, };

  while (size > BGPT_HISTORY_MAX_ACCOUNT_BYTES)
    {
      int oldest = -1;
      gint64 oldest_time = G_MAXINT64;
      gboolean is_hours = FALSE;

      for (guint i = 0; i < N_KNOWN_CHECKS; i++)
        {
          GArray *hours = account->checks[i].hours;

          if (drop_hours[i] < hours->len
              && g_array_index (hours, BgptHistoryHour, drop_hours[i]).hour < oldest_time)
            {
              oldest = (int) i;
              oldest_time = g_array_index (hours, BgptHistoryHour, drop_hours[i]).hour;
              is_hours = TRUE;
            }
        }
      for (guint i = 0; i < N_KNOWN_CHECKS && !is_hours; i++)
        {
          GArray *results = account->checks[i].results;

          if (drop_results[i] < results->len
              && g_array_index (results, BgptHistoryResult, drop_results[i]).time < oldest_time)
            {
              oldest = (int) i;
              oldest_time = g_array_index (results, BgptHistoryResult, drop_results[i]).time;
            }
        }
      if (oldest < 0)
        break;
      if (is_hours)
        size -= record_size_of_hour (&g_array_index (account->checks[oldest].hours, BgptHistoryHour,
                                                     drop_hours[oldest]++));
      else
        size -= record_size_of_result (&g_array_index (account->checks[oldest].results, BgptHistoryResult,
                                                       drop_results[oldest]++));
    }

  for (guint i = 0; i < N_KNOWN_CHECKS; i++)
    {
      g_array_remove_range (account->checks[i].hours, 0, drop_hours[i]);
      g_array_remove_range (account->checks[i].results, 0, drop_results[i]);
    }
}

static gboolean
rewrite_account (AccountHistory  *account,
                 GError         **error)
{
  g_autoptr(GByteArray) contents = g_byte_array_sized_new (account_file_size (account));
  guint8 record[MAX_RECORD_LENGTH];

  g_byte_array_append (contents, (const guint8 *) FILE_HEADER, FILE_HEADER_LENGTH);
  for (guint i = 0; i < N_KNOWN_CHECKS; i++)
    {
      GArray *hours = account->checks[i].hours;
      GArray *results = account->checks[i].results;

      for (guint j = 0; j < hours->len; j++)
        g_byte_array_append (contents, record,
                             encode_hour (record, i, &g_array_index (hours, BgptHistoryHour, j)));
      for (guint j = 0; j < results->len; j++)
        g_byte_array_append (contents, record,
                             encode_result (record, i, &g_array_index (results, BgptHistoryResult, j)));
    }

  /* A new file beside the old one, renamed over it: a crash leaves one or
   * the other. The open descriptor still points at the old one. */
  if (account->fd >= 0)
    close (account->fd);
  account->fd = -1;
  if (!g_file_set_contents_full (account->path, (const char *) contents->data, contents->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return FALSE;
  account->size = contents->len;
  return TRUE;
}

static gboolean
account_needs_thinning (AccountHistory *account,
                        gint64          now)
{
  if (account->size > BGPT_HISTORY_MAX_ACCOUNT_BYTES)
    return TRUE;
  for (guint i = 0; i < N_KNOWN_CHECKS; i++)
    {
      GArray *results = account->checks[i].results;
      GArray *hours = account->checks[i].hours;

      if (results->len > 0
          && g_array_index (results, BgptHistoryResult, 0).time
             < now - BGPT_HISTORY_FULL_RESOLUTION_S - BGPT_HISTORY_THIN_SLACK_S)
        return TRUE;
      if (hours->len > 0
          && g_array_index (hours, BgptHistoryHour, 0).hour + 3600
             <= now - BGPT_HISTORY_KEPT_S - BGPT_HISTORY_THIN_SLACK_S)
        return TRUE;
    }
  return FALSE;
}

static gboolean
thin_account (AccountHistory  *account,
              gint64           now,
              GArray          *scratch,
              GError         **error)
{
  gboolean changed = FALSE;
  gsize size;

  for (guint i = 0; i < N_KNOWN_CHECKS; i++)
    changed |= thin_check (&account->checks[i], now, scratch);
  size = account_file_size (account);
  if (size > BGPT_HISTORY_MAX_ACCOUNT_BYTES)
    {
      bound_account (account, size);
      changed = TRUE;
    }
  if (!changed && account->size <= BGPT_HISTORY_MAX_ACCOUNT_BYTES)
    return TRUE;
  return rewrite_account (account, error);
}

static gboolean
history_thin_accounts (GHashTable  *accounts,
                       gint64       now,
                       GError     **error)
{
  g_autoptr(GArray) scratch = g_array_new (FALSE, FALSE, sizeof (guint32));
  GHashTableIter iter;
  AccountHistory *account;

  g_hash_table_iter_init (&iter, accounts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &account))
    if (account_needs_thinning (account, now) && !thin_account (account, now, scratch, error))
      return FALSE;
  return TRUE;
}

gboolean
bgpt_history_thin (BgptHistory  *self,
                   gint64        now,
                   GError      **error)
{
  g_autoptr(GArray) scratch = g_array_new (FALSE, FALSE, sizeof (guint32));
  GHashTableIter iter;
  AccountHistory *account;
  gboolean ok = TRUE;

  g_return_val_if_fail (BGPT_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (!self->loading, FALSE);

  g_hash_table_iter_init (&iter, self->accounts);
  while (ok && g_hash_table_iter_next (&iter, NULL, (gpointer *) &account))
    if (account_needs_thinning (account, now))
      ok = thin_account (account, now, scratch, error);
  g_signal_emit (self, signals[CHANGED], 0, NULL);
  return ok;
}

/* Generated histories */

void
bgpt_history_set_check (BgptHistory *self,
                        const char  *account_id,
                        const char  *check,
                        GArray      *hours,
                        GArray      *results)
{
  AccountHistory *account;
  int index = check_index (check);

  g_return_if_fail (BGPT_IS_HISTORY (self));
  g_return_if_fail (!self->loading);
  g_return_if_fail (index >= 0 && account_id_is_file_name (account_id));

  account = lookup_or_add_account (self, account_id);
  g_array_set_size (account->checks[index].hours, 0);
  g_array_set_size (account->checks[index].results, 0);
  if (hours != NULL)
    g_array_append_vals (account->checks[index].hours, hours->data, hours->len);
  if (results != NULL)
    g_array_append_vals (account->checks[index].results, results->data, results->len);
  g_array_sort (account->checks[index].hours, compare_hours);
  g_array_sort (account->checks[index].results, compare_results);
}

gboolean
bgpt_history_save (BgptHistory  *self,
                   const char   *account_id,
                   GError      **error)
{
  AccountHistory *account;

  g_return_val_if_fail (BGPT_IS_HISTORY (self), FALSE);

  account = g_hash_table_lookup (self->accounts, account_id);
  if (account == NULL)
    return TRUE;
  if (g_mkdir_with_parents (self->directory, 0700) != 0)
    return set_io_error (error, errno, self->directory);
  if (!rewrite_account (account, error))
    return FALSE;
  g_signal_emit (self, signals[CHANGED], 0, account_id);
  return TRUE;
}

/* Forgetting */

gboolean
bgpt_history_remove_account_file (const char  *directory,
                                  const char  *account_id,
                                  GError     **error)
{
  g_autofree char *default_directory = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (account_id != NULL, FALSE);

  if (!account_id_is_file_name (account_id))
    return TRUE;
  if (directory == NULL)
    directory = default_directory = bgpt_history_get_default_directory ();
  name = g_strconcat (account_id, FILE_SUFFIX, NULL);
  path = g_build_filename (directory, name, NULL);
  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not remove the history file “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

gboolean
bgpt_history_forget_account (BgptHistory  *self,
                             const char   *account_id,
                             GError      **error)
{
  g_return_val_if_fail (BGPT_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (account_id != NULL, FALSE);

  for (guint i = self->pending->len; i > 0; i--)
    {
      PendingAppend *pending = &g_array_index (self->pending, PendingAppend, i - 1);

      if (g_str_equal (pending->account_id, account_id))
        {
          g_free (pending->account_id);
          g_array_remove_index (self->pending, i - 1);
        }
    }
  g_hash_table_remove (self->accounts, account_id);
  if (self->loading)
    g_ptr_array_add (self->forgotten, g_strdup (account_id));
  if (!bgpt_history_remove_account_file (self->directory, account_id, error))
    return FALSE;
  g_signal_emit (self, signals[CHANGED], 0, account_id);
  return TRUE;
}

/* Reading */

static CheckHistory *
lookup_check (BgptHistory *self,
              const char  *account_id,
              const char  *check)
{
  AccountHistory *account = g_hash_table_lookup (self->accounts, account_id);
  int index = check_index (check);

  if (account == NULL || index < 0)
    return NULL;
  return &account->checks[index];
}

GArray *
bgpt_history_get_results (BgptHistory *self,
                          const char  *account_id,
                          const char  *check)
{
  CheckHistory *history;

  g_return_val_if_fail (BGPT_IS_HISTORY (self), NULL);

  history = lookup_check (self, account_id, check);
  return history != NULL ? history->results : self->no_results;
}

GArray *
bgpt_history_get_hours (BgptHistory *self,
                        const char  *account_id,
                        const char  *check)
{
  CheckHistory *history;

  g_return_val_if_fail (BGPT_IS_HISTORY (self), NULL);

  history = lookup_check (self, account_id, check);
  return history != NULL ? history->hours : self->no_hours;
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

char **
bgpt_history_dup_account_ids (BgptHistory *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree const char **keys = NULL;
  guint n_keys = 0;

  g_return_val_if_fail (BGPT_IS_HISTORY (self), NULL);

  keys = (const char **) g_hash_table_get_keys_as_array (self->accounts, &n_keys);
  qsort (keys, n_keys, sizeof (char *), compare_strings);
  for (guint i = 0; i < n_keys; i++)
    g_strv_builder_add (builder, keys[i]);
  return g_strv_builder_end (builder);
}

char *
bgpt_history_dup_account_path (BgptHistory *self,
                               const char  *account_id)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (BGPT_IS_HISTORY (self), NULL);
  g_return_val_if_fail (account_id_is_file_name (account_id), NULL);

  name = g_strconcat (account_id, FILE_SUFFIX, NULL);
  return g_build_filename (self->directory, name, NULL);
}

goffset
bgpt_history_get_file_size (BgptHistory *self,
                            const char  *account_id)
{
  AccountHistory *account;

  g_return_val_if_fail (BGPT_IS_HISTORY (self), 0);

  account = g_hash_table_lookup (self->accounts, account_id);
  return account != NULL ? account->size : 0;
}

/* Object */

char *
bgpt_history_get_default_directory (void)
{
  return g_build_filename (g_get_user_state_dir (), PACKAGE_NAME, "history", NULL);
}

BgptHistory *
bgpt_history_new (const char *directory)
{
  BgptHistory *self = g_object_new (BGPT_TYPE_HISTORY, NULL);

  self->directory = directory != NULL ? g_strdup (directory) : bgpt_history_get_default_directory ();
  return self;
}

const char *
bgpt_history_get_directory (BgptHistory *self)
{
  g_return_val_if_fail (BGPT_IS_HISTORY (self), NULL);
  return self->directory;
}

static void
bgpt_history_finalize (GObject *object)
{
  BgptHistory *self = BGPT_HISTORY (object);

  for (guint i = 0; i < self->pending->len; i++)
    g_free (g_array_index (self->pending, PendingAppend, i).account_id);
  g_array_unref (self->pending);
  g_ptr_array_unref (self->forgotten);
  g_array_unref (self->no_results);
  g_array_unref (self->no_hours);
  g_hash_table_unref (self->accounts);
  g_free (self->directory);

  G_OBJECT_CLASS (bgpt_history_parent_class)->finalize (object);
}

static void
bgpt_history_class_init (BgptHistoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bgpt_history_finalize;

  /* The account whose history changed, or NULL for any. */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
bgpt_history_init (BgptHistory *self)
{
  self->accounts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, account_history_free);
  self->pending = g_array_new (FALSE, FALSE, sizeof (PendingAppend));
  self->forgotten = g_ptr_array_new_with_free_func (g_free);
  self->no_results = g_array_new (FALSE, FALSE, sizeof (BgptHistoryResult));
  self->no_hours = g_array_new (FALSE, FALSE, sizeof (BgptHistoryHour));
}
