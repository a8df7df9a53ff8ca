/* bgpt-costs-watch.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-costs-watch"

#include "config.h"

#include "bgpt-costs-watch.h"

/* How often the watch looks for a reading that is due. */
#define TICK_S 60

typedef struct
{
  BgptCheckConfig *config;
  BgptCosts       *costs;
  BgptSpend        spend;
  BgptDiagnosis   *diagnosis;
  gint64           read_at;      /* monotonic µs of the last reading, 0: never */
  GCancellable    *cancellable;  /* while a reading is in flight */
} Entry;

struct _BgptCostsWatch
{
  GObject     parent_instance;

  BgptHttp   *http;
  GHashTable *entries;  /* account id -> Entry */
  GDateTime  *now;
  guint       tick_id;
};

G_DEFINE_FINAL_TYPE (BgptCostsWatch, bgpt_costs_watch, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
entry_free (Entry *entry)
{
  if (entry->cancellable != NULL)
    g_cancellable_cancel (entry->cancellable);
  g_clear_object (&entry->cancellable);
  g_clear_pointer (&entry->config, bgpt_check_config_free);
  g_clear_pointer (&entry->costs, bgpt_costs_free);
  g_clear_pointer (&entry->diagnosis, bgpt_diagnosis_free);
  g_free (entry);
}

typedef struct
{
  BgptCostsWatch *self;    /* NULL once the entry went away */
  char           *account_id;
  GCancellable   *cancellable;
} Reading;

static void
reading_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Reading *reading = user_data;
  g_autoptr(BgptCostsWatch) self = reading->self;
  g_autoptr(GCancellable) cancellable = reading->cancellable;
  g_autofree char *account_id = reading->account_id;
  g_autoptr(BgptCosts) costs = NULL;
  g_autoptr(GDateTime) now = NULL;
  BgptDiagnosis *diagnosis;
  Entry *entry;

  g_free (reading);
  diagnosis = bgpt_costs_fetch_finish (BGPT_HTTP (object), result, &costs, NULL);
  entry = self->entries != NULL ? g_hash_table_lookup (self->entries, account_id) : NULL;
  /* Cancelled, or the account went away or changed meanwhile. */
  if (diagnosis == NULL || entry == NULL || entry->cancellable != cancellable)
    {
      g_clear_pointer (&diagnosis, bgpt_diagnosis_free);
      return;
    }

  g_clear_object (&entry->cancellable);
  g_clear_pointer (&entry->costs, bgpt_costs_free);
  g_clear_pointer (&entry->diagnosis, bgpt_diagnosis_free);
  entry->read_at = g_get_monotonic_time ();

  if (costs != NULL)
    {
      BgptDiagnosis *judged;

      now = self->now != NULL ? g_date_time_ref (self->now) : g_date_time_new_now_utc ();
      judged = bgpt_costs_judge (costs, entry->config, now, &entry->spend);
      judged->elapsed_ms = diagnosis->elapsed_ms;
      bgpt_diagnosis_free (diagnosis);
      diagnosis = judged;
      entry->costs = g_steal_pointer (&costs);
    }
  entry->diagnosis = diagnosis;

  g_signal_emit (self, signals[CHANGED], 0, account_id);
}

static void
read_entry (BgptCostsWatch *self,
            Entry          *entry)
{
  g_autoptr(GDateTime) now = NULL;
  Reading *reading;

  if (entry->cancellable != NULL)
    return;

  now = self->now != NULL ? g_date_time_ref (self->now) : g_date_time_new_now_utc ();
  entry->cancellable = g_cancellable_new ();
  reading = g_new0 (Reading, 1);
  reading->self = g_object_ref (self);
  reading->account_id = g_strdup (entry->config->account_id);
  reading->cancellable = g_object_ref (entry->cancellable);
  bgpt_costs_fetch_async (self->http, entry->config, now, entry->cancellable, reading_cb, reading);
}

static gboolean
is_due (const Entry *entry)
{
  return entry->read_at == 0 ||
         g_get_monotonic_time () - entry->read_at >= (gint64) BGPT_COSTS_WATCH_INTERVAL_S * G_USEC_PER_SEC;
}

static gboolean
tick_cb (gpointer user_data)
{
  BgptCostsWatch *self = user_data;
  GHashTableIter iter;
  Entry *entry;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    if (is_due (entry))
      read_entry (self, entry);
  return G_SOURCE_CONTINUE;
}

static gboolean
same_inputs (const BgptCheckConfig *a,
             const BgptCheckConfig *b)
{
  return g_strcmp0 (a->openai_admin_key, b->openai_admin_key) == 0 &&
         g_strcmp0 (a->openai_base_url, b->openai_base_url) == 0 &&
         g_strcmp0 (a->openai_project_id, b->openai_project_id) == 0;
}

static gboolean
same_budget (const BgptCheckConfig *a,
             const BgptCheckConfig *b)
{
  return a->monthly_budget_usd == b->monthly_budget_usd &&
         a->budget_warning_percent == b->budget_warning_percent &&
         a->budget_critical_percent == b->budget_critical_percent;
}

void
bgpt_costs_watch_set_account (BgptCostsWatch        *self,
                              const BgptCheckConfig *config)
{
  Entry *entry;
  gboolean reread;
  gboolean rejudge;

  g_return_if_fail (BGPT_IS_COSTS_WATCH (self));
  g_return_if_fail (config != NULL && config->account_id != NULL);

  if (config->openai_admin_key == NULL || *config->openai_admin_key == '\0')
    {
      bgpt_costs_watch_remove_account (self, config->account_id);
      return;
    }

  entry = g_hash_table_lookup (self->entries, config->account_id);
  if (entry == NULL)
    {
      entry = g_new0 (Entry, 1);
      g_hash_table_insert (self->entries, g_strdup (config->account_id), entry);
    }
  reread = entry->config == NULL || !same_inputs (entry->config, config);
  /* Each verdict is a result of the costs check (the monitor's): only a
   * new budget gives a new one without a reading. */
  rejudge = !reread && !same_budget (entry->config, config);
  g_clear_pointer (&entry->config, bgpt_check_config_free);
  entry->config = bgpt_check_config_copy (config);

  if (reread)
    {
      if (entry->cancellable != NULL)
        g_cancellable_cancel (entry->cancellable);
      g_clear_object (&entry->cancellable);
      entry->read_at = 0;
      if (self->tick_id != 0)
        read_entry (self, entry);
    }
  else if (rejudge && entry->costs != NULL)
    {
      g_autoptr(GDateTime) now = self->now != NULL ? g_date_time_ref (self->now) : g_date_time_new_now_utc ();
      BgptDiagnosis *judged;

      /* A new budget is judged at once, on the costs already read. */
      judged = bgpt_costs_judge (entry->costs, entry->config, now, &entry->spend);
      judged->elapsed_ms = entry->diagnosis != NULL ? entry->diagnosis->elapsed_ms : 0;
      g_clear_pointer (&entry->diagnosis, bgpt_diagnosis_free);
      entry->diagnosis = judged;
      g_signal_emit (self, signals[CHANGED], 0, config->account_id);
    }
}

void
bgpt_costs_watch_remove_account (BgptCostsWatch *self,
                                 const char     *account_id)
{
  g_return_if_fail (BGPT_IS_COSTS_WATCH (self));

  if (account_id != NULL && g_hash_table_remove (self->entries, account_id))
    g_signal_emit (self, signals[CHANGED], 0, account_id);
}

void
bgpt_costs_watch_start (BgptCostsWatch *self)
{
  g_return_if_fail (BGPT_IS_COSTS_WATCH (self));

  if (self->tick_id != 0)
    return;
  self->tick_id = g_timeout_add_seconds (TICK_S, tick_cb, self);
  tick_cb (self);
}

void
bgpt_costs_watch_stop (BgptCostsWatch *self)
{
  GHashTableIter iter;
  Entry *entry;

  g_return_if_fail (BGPT_IS_COSTS_WATCH (self));

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    {
      if (entry->cancellable != NULL)
        g_cancellable_cancel (entry->cancellable);
      g_clear_object (&entry->cancellable);
    }
}

void
bgpt_costs_watch_refresh (BgptCostsWatch *self,
                          const char     *account_id)
{
  GHashTableIter iter;
  const char *id;
  Entry *entry;

  g_return_if_fail (BGPT_IS_COSTS_WATCH (self));

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, (gpointer *) &entry))
    {
      if (account_id != NULL && !g_str_equal (id, account_id))
        continue;
      /* A reading in flight may have been sent before what was asked
       * about (a new key, credit added): the answer must come after. */
      if (entry->cancellable != NULL)
        g_cancellable_cancel (entry->cancellable);
      g_clear_object (&entry->cancellable);
      read_entry (self, entry);
    }
}

gboolean
bgpt_costs_watch_has_admin_key (BgptCostsWatch *self,
                                const char     *account_id)
{
  g_return_val_if_fail (BGPT_IS_COSTS_WATCH (self), FALSE);

  return account_id != NULL && g_hash_table_contains (self->entries, account_id);
}

const BgptDiagnosis *
bgpt_costs_watch_lookup (BgptCostsWatch   *self,
                         const char       *account_id,
                         const BgptCosts **costs,
                         const BgptSpend  **spend)
{
  Entry *entry;

  g_return_val_if_fail (BGPT_IS_COSTS_WATCH (self), NULL);

  entry = account_id != NULL ? g_hash_table_lookup (self->entries, account_id) : NULL;
  if (costs != NULL)
    *costs = entry != NULL ? entry->costs : NULL;
  if (spend != NULL)
    *spend = entry != NULL && entry->costs != NULL ? &entry->spend : NULL;
  return entry != NULL ? entry->diagnosis : NULL;
}

void
bgpt_costs_watch_set_now (BgptCostsWatch *self,
                          GDateTime      *now)
{
  g_return_if_fail (BGPT_IS_COSTS_WATCH (self));

  g_clear_pointer (&self->now, g_date_time_unref);
  self->now = now != NULL ? g_date_time_ref (now) : NULL;
}

BgptHttp *
bgpt_costs_watch_get_http (BgptCostsWatch *self)
{
  g_return_val_if_fail (BGPT_IS_COSTS_WATCH (self), NULL);

  return self->http;
}

static void
bgpt_costs_watch_dispose (GObject *object)
{
  BgptCostsWatch *self = BGPT_COSTS_WATCH (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_pointer (&self->now, g_date_time_unref);
  g_clear_object (&self->http);

  G_OBJECT_CLASS (bgpt_costs_watch_parent_class)->dispose (object);
}

static void
bgpt_costs_watch_class_init (BgptCostsWatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bgpt_costs_watch_dispose;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
bgpt_costs_watch_init (BgptCostsWatch *self)
{
  self->http = bgpt_http_new ();
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) entry_free);
}

BgptCostsWatch *
bgpt_costs_watch_new (void)
{
  return g_object_new (BGPT_TYPE_COSTS_WATCH, NULL);
}
