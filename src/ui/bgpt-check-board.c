/* bgpt-check-board.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-check-board"

#include "config.h"

#include <string.h>

#include "bgpt-check-board.h"
#include "bgpt-history-recorder.h"

/* g_set_str() is newer than GLib 2.74. */
static gboolean
set_string (char       **target,
            const char  *value)
{
  if (g_strcmp0 (*target, value) == 0)
    return FALSE;
  g_free (*target);
  *target = g_strdup (value);
  return TRUE;
}

/* BgptCheckItem */

struct _BgptCheckItem
{
  GObject             parent_instance;

  char               *account_id;
  char               *account_name;
  char               *check;
  BgptCheckItemState  state;
  char               *subject;
  BgptDiagnosis      *diagnosis;
  GDateTime          *checked_at;
  char               *incident_id;
  char               *blocked_by;
  BgptCheckNeeds      missing;
  gboolean            offline;
  BgptCheckBoard     *board;  /* weak: for the result history */
};

G_DEFINE_FINAL_TYPE (BgptCheckItem, bgpt_check_item, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (BgptCheckItemState, bgpt_check_item_state,
  G_DEFINE_ENUM_VALUE (BGPT_CHECK_ITEM_NOT_CONFIGURED, "not-configured"),
  G_DEFINE_ENUM_VALUE (BGPT_CHECK_ITEM_CHECKING, "checking"),
  G_DEFINE_ENUM_VALUE (BGPT_CHECK_ITEM_OK, "ok"),
  G_DEFINE_ENUM_VALUE (BGPT_CHECK_ITEM_PROBLEM, "problem"),
  G_DEFINE_ENUM_VALUE (BGPT_CHECK_ITEM_UNKNOWN, "unknown"),
  G_DEFINE_ENUM_VALUE (BGPT_CHECK_ITEM_BLOCKED, "blocked"))

/* Every change is announced at once through "changed" rather than property
 * by property, so a row repaints once per result. */
enum {
  ITEM_CHANGED,
  N_ITEM_SIGNALS
};

static guint item_signals[N_ITEM_SIGNALS];

static void
bgpt_check_item_finalize (GObject *object)
{
  BgptCheckItem *self = BGPT_CHECK_ITEM (object);

  g_free (self->account_id);
  g_free (self->account_name);
  g_free (self->check);
  g_free (self->subject);
  g_clear_pointer (&self->diagnosis, bgpt_diagnosis_free);
  g_clear_pointer (&self->checked_at, g_date_time_unref);
  g_free (self->incident_id);
  g_free (self->blocked_by);
  g_clear_weak_pointer (&self->board);

  G_OBJECT_CLASS (bgpt_check_item_parent_class)->finalize (object);
}

static void
bgpt_check_item_class_init (BgptCheckItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bgpt_check_item_finalize;

  item_signals[ITEM_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
bgpt_check_item_init (BgptCheckItem *self)
{
}

static BgptCheckItem *
bgpt_check_item_new (const char *account_id,
                     const char *check)
{
  BgptCheckItem *self = g_object_new (BGPT_TYPE_CHECK_ITEM, NULL);

  self->account_id = g_strdup (account_id);
  self->check = g_strdup (check);
  self->state = BGPT_CHECK_ITEM_UNKNOWN;
  return self;
}

static void
bgpt_check_item_changed (BgptCheckItem *self)
{
  g_signal_emit (self, item_signals[ITEM_CHANGED], 0);
}

const char *
bgpt_check_item_get_account_id (BgptCheckItem *self)
{
  g_return_val_if_fail (BGPT_IS_CHECK_ITEM (self), NULL);
  return self->account_id;
}

const char *
bgpt_check_item_get_account_name (BgptCheckItem *self)
{
  g_return_val_if_fail (BGPT_IS_CHECK_ITEM (self), NULL);
  return self->account_name != NULL ? self->account_name : self->account_id;
}

const char *
bgpt_check_item_get_check (BgptCheckItem *self)
{
  g_return_val_if_fail (BGPT_IS_CHECK_ITEM (self), NULL);
  return self->check;
}

BgptCheckItemState
bgpt_check_item_get_state (BgptCheckItem *self)
{
  g_return_val_if_fail (BGPT_IS_CHECK_ITEM (self), BGPT_CHECK_ITEM_UNKNOWN);
  return self->state;
}

const char *
bgpt_check_item_get_subject (BgptCheckItem *self)
{
  g_return_val_if_fail (BGPT_IS_CHECK_ITEM (self), NULL);
  return self->subject;
}

const BgptDiagnosis *
bgpt_check_item_get_diagnosis (BgptCheckItem *self)
{
  g_return_val_if_fail (BGPT_IS_CHECK_ITEM (self), NULL);
  return self->diagnosis;
}

GDateTime *
bgpt_check_item_get_checked_at (BgptCheckItem *self)
{
  g_return_val_if_fail (BGPT_IS_CHECK_ITEM (self), NULL);
  return self->checked_at;
}

const char *
bgpt_check_item_get_incident_id (BgptCheckItem *self)
{
  g_return_val_if_fail (BGPT_IS_CHECK_ITEM (self), NULL);
  return self->incident_id;
}

const char *
bgpt_check_item_get_blocked_by (BgptCheckItem *self)
{
  g_return_val_if_fail (BGPT_IS_CHECK_ITEM (self), NULL);
  return self->blocked_by;
}

BgptCheckNeeds
bgpt_check_item_get_missing (BgptCheckItem *self)
{
  g_return_val_if_fail (BGPT_IS_CHECK_ITEM (self), 0);
  return self->missing;
}

gboolean
bgpt_check_item_get_offline (BgptCheckItem *self)
{
  g_return_val_if_fail (BGPT_IS_CHECK_ITEM (self), FALSE);
  return self->offline;
}

/* Result history: that of the monitor the board follows. */
BgptHistory *
bgpt_check_item_get_history (BgptCheckItem *self)
{
  BgptMonitor *monitor;

  g_return_val_if_fail (BGPT_IS_CHECK_ITEM (self), NULL);

  monitor = self->board != NULL ? bgpt_check_board_get_monitor (self->board) : NULL;
  return monitor != NULL ? bgpt_history_for_monitor (monitor) : NULL;
}

/* BgptCheckBoard */

struct _BgptCheckBoard
{
  GObject      parent_instance;

  GPtrArray   *items;
  gboolean     offline;
  BgptMonitor *monitor;
  GStrv        account_ids;
};

static void sync_all (BgptCheckBoard *self);

static void bgpt_check_board_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BgptCheckBoard, bgpt_check_board, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      bgpt_check_board_list_model_init))

static GType
bgpt_check_board_get_item_type (GListModel *model)
{
  return BGPT_TYPE_CHECK_ITEM;
}

static guint
bgpt_check_board_get_n_items (GListModel *model)
{
  return BGPT_CHECK_BOARD (model)->items->len;
}

static gpointer
bgpt_check_board_get_item (GListModel *model,
                           guint       position)
{
  BgptCheckBoard *self = BGPT_CHECK_BOARD (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
bgpt_check_board_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = bgpt_check_board_get_item_type;
  iface->get_n_items = bgpt_check_board_get_n_items;
  iface->get_item = bgpt_check_board_get_item;
}

static void
bgpt_check_board_finalize (GObject *object)
{
  BgptCheckBoard *self = BGPT_CHECK_BOARD (object);

  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->account_ids, g_strfreev);

  G_OBJECT_CLASS (bgpt_check_board_parent_class)->finalize (object);
}

static void
bgpt_check_board_class_init (BgptCheckBoardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bgpt_check_board_finalize;
}

static void
bgpt_check_board_init (BgptCheckBoard *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

BgptCheckBoard *
bgpt_check_board_new (void)
{
  return g_object_new (BGPT_TYPE_CHECK_BOARD, NULL);
}

/* The costs check has a row only where the monitor watches it: on an
 * account with an admin key. */
static gboolean
watches_costs (BgptCheckBoard *self,
               const char     *account_id)
{
  return self->monitor != NULL &&
         bgpt_monitor_lookup (self->monitor, account_id, BGPT_CHECK_OPENAI_COSTS) != NULL;
}

static void
add_item (BgptCheckBoard *self,
          GPtrArray      *items,
          const char     *account_id,
          const char     *check)
{
  BgptCheckItem *item = bgpt_check_board_lookup (self, account_id, check);

  if (item == NULL)
    {
      item = bgpt_check_item_new (account_id, check);
      g_set_weak_pointer (&item->board, self);
    }
  else
    {
      g_object_ref (item);
    }
  g_ptr_array_add (items, item);
}

void
bgpt_check_board_set_accounts (BgptCheckBoard     *self,
                               const char * const *account_ids)
{
  g_auto(GStrv) ids = g_strdupv ((char **) account_ids);
  g_autoptr(GPtrArray) items = NULL;
  guint old_len;
  gsize n_checks;
  const BgptCheck *checks = bgpt_checks_get (&n_checks);

  g_return_if_fail (BGPT_IS_CHECK_BOARD (self));

  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; account_ids != NULL && account_ids[i] != NULL; i++)
    {
      for (gsize j = 0; j < n_checks; j++)
        {
          /* The deep check runs an hour apart at most: the Status view
           * shows what is watched all the time. */
          if (!checks[j].billable)
            add_item (self, items, account_ids[i], checks[j].id);
        }
      if (watches_costs (self, account_ids[i]))
        add_item (self, items, account_ids[i], BGPT_CHECK_OPENAI_COSTS);
    }

  g_strfreev (self->account_ids);
  self->account_ids = g_steal_pointer (&ids);
  old_len = self->items->len;
  g_ptr_array_unref (self->items);
  self->items = g_steal_pointer (&items);
  sync_all (self);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, self->items->len);
}

BgptCheckItem *
bgpt_check_board_lookup (BgptCheckBoard *self,
                         const char     *account_id,
                         const char     *check)
{
  g_return_val_if_fail (BGPT_IS_CHECK_BOARD (self), NULL);

  for (guint i = 0; i < self->items->len; i++)
    {
      BgptCheckItem *item = g_ptr_array_index (self->items, i);

      if (g_strcmp0 (item->account_id, account_id) == 0 &&
          g_strcmp0 (item->check, check) == 0)
        return item;
    }
  return NULL;
}

static gboolean
is_set (const char *text)
{
  return text != NULL && *text != '\0';
}

/* Following a monitor */

/* Sets the item's account name, subject and missing inputs from the
 * account's inputs. */
static void
item_apply_config (BgptCheckItem         *item,
                   const BgptCheckConfig *config,
                   const BgptDiagnosis   *diagnosis)
{
  const BgptCheck *check = bgpt_check_lookup (item->check);
  const char *subject = NULL;
  g_autofree char *masked = NULL;
  g_autofree char *costs_subject = NULL;

  switch (check->subject)
    {
    case BGPT_CHECK_NEEDS_KOMMO_ADDRESS:
      /* The name Kommo returned last, else the subdomain. */
      subject = diagnosis != NULL && bgpt_diagnosis_is_ok (diagnosis) && is_set (diagnosis->subject)
                ? diagnosis->subject : config->kommo_subdomain;
      break;
    case BGPT_CHECK_NEEDS_OPENAI_KEY:
      subject = masked = bgpt_mask_secret (config->openai_api_key);
      break;
    case BGPT_CHECK_NEEDS_MODEL:
      subject = config->model;
      break;
    case BGPT_CHECK_NEEDS_ASSISTANT_ID:
      subject = config->assistant_id;
      break;
    case BGPT_CHECK_NEEDS_OPENAI_ADMIN_KEY:
      subject = costs_subject = bgpt_costs_dup_scope (config);
      break;
    case BGPT_CHECK_NEEDS_KOMMO_TOKEN:
    default:
      break;
    }

  item->missing = bgpt_check_missing (check, config);
  set_string (&item->account_name, is_set (config->display_name) ? config->display_name : NULL);
  set_string (&item->subject, is_set (subject) ? subject : NULL);
}

static BgptCheckItemState
state_from_monitor (BgptMonitorCheck *check)
{
  const BgptDiagnosis *diagnosis = bgpt_monitor_check_get_diagnosis (check);

  switch (bgpt_monitor_check_get_state (check))
    {
    case BGPT_MONITOR_STATE_CHECKING:
      return BGPT_CHECK_ITEM_CHECKING;
    case BGPT_MONITOR_STATE_BLOCKED:
      return BGPT_CHECK_ITEM_BLOCKED;
    case BGPT_MONITOR_STATE_OK:
    case BGPT_MONITOR_STATE_FAILING:
    case BGPT_MONITOR_STATE_DOWN:
      /* The latest answer, confirmed or not: down but answering again is a
       * recovery on its way. */
      if (diagnosis != NULL)
        return bgpt_diagnosis_is_ok (diagnosis) ? BGPT_CHECK_ITEM_OK : BGPT_CHECK_ITEM_PROBLEM;
      return BGPT_CHECK_ITEM_UNKNOWN;
    case BGPT_MONITOR_STATE_UNKNOWN:
    default:
      return BGPT_CHECK_ITEM_UNKNOWN;
    }
}

/* The item as the monitor sees its check. */
static void
sync_item (BgptCheckBoard *self,
           BgptCheckItem  *item)
{
  const BgptCheckConfig *config = bgpt_monitor_get_account_config (self->monitor, item->account_id);
  BgptMonitorCheck *check;
  const BgptDiagnosis *diagnosis;
  gint64 checked_at;

  /* Its inputs are still being read: nothing is known yet. */
  if (config == NULL)
    return;

  check = bgpt_monitor_lookup (self->monitor, item->account_id, item->check);
  diagnosis = check != NULL ? bgpt_monitor_check_get_diagnosis (check) : NULL;

  item_apply_config (item, config, diagnosis);
  if (check == NULL)
    {
      /* Skipped: an input is missing. */
      item->state = BGPT_CHECK_ITEM_NOT_CONFIGURED;
      item->offline = FALSE;
      g_clear_pointer (&item->diagnosis, bgpt_diagnosis_free);
      g_clear_pointer (&item->checked_at, g_date_time_unref);
      g_clear_pointer (&item->incident_id, g_free);
      g_clear_pointer (&item->blocked_by, g_free);
      bgpt_check_item_changed (item);
      return;
    }

  item->state = state_from_monitor (check);
  item->offline = item->state == BGPT_CHECK_ITEM_UNKNOWN && !bgpt_monitor_get_online (self->monitor);
  if (diagnosis != NULL && diagnosis != item->diagnosis)
    {
      g_clear_pointer (&item->diagnosis, bgpt_diagnosis_free);
      item->diagnosis = bgpt_diagnosis_copy (diagnosis);
    }
  checked_at = bgpt_monitor_check_get_checked_at (check);
  g_clear_pointer (&item->checked_at, g_date_time_unref);
  if (checked_at != 0)
    item->checked_at = g_date_time_new_from_unix_local (checked_at / G_USEC_PER_SEC);
  set_string (&item->incident_id, bgpt_monitor_check_get_incident_id (check));
  set_string (&item->blocked_by, item->state == BGPT_CHECK_ITEM_BLOCKED
                                 ? bgpt_monitor_check_get_blocked_by (check) : NULL);
  bgpt_check_item_changed (item);
}

static void
sync_all (BgptCheckBoard *self)
{
  if (self->monitor == NULL)
    return;

  for (guint i = 0; i < self->items->len; i++)
    sync_item (self, g_ptr_array_index (self->items, i));
}

static void
on_monitor_check (BgptCheckBoard   *self,
                  BgptMonitorCheck *check)
{
  BgptCheckItem *item = bgpt_check_board_lookup (self, bgpt_monitor_check_get_account_id (check),
                                                 bgpt_monitor_check_get_check (check));

  if (item != NULL)
    sync_item (self, item);
}

static void
on_monitor_check_signal (BgptMonitor      *monitor,
                         BgptMonitorCheck *check,
                         BgptCheckBoard   *self)
{
  on_monitor_check (self, check);
}

static void
on_monitor_incident_signal (BgptMonitor      *monitor,
                            BgptMonitorCheck *check,
                            BgptIncident     *incident,
                            BgptCheckBoard   *self)
{
  on_monitor_check (self, check);
}

/* An admin key came or went: the costs row with it. */
static gboolean
costs_rows_stale (BgptCheckBoard *self)
{
  for (guint i = 0; self->account_ids != NULL && self->account_ids[i] != NULL; i++)
    if (watches_costs (self, self->account_ids[i]) !=
        (bgpt_check_board_lookup (self, self->account_ids[i], BGPT_CHECK_OPENAI_COSTS) != NULL))
      return TRUE;
  return FALSE;
}

static void
on_monitor_items_changed (BgptCheckBoard *self)
{
  if (costs_rows_stale (self))
    bgpt_check_board_set_accounts (self, (const char * const *) self->account_ids);
  else
    sync_all (self);
}

static void
on_monitor_online (BgptCheckBoard *self)
{
  self->offline = !bgpt_monitor_get_online (self->monitor);
  sync_all (self);
}

void
bgpt_check_board_follow_monitor (BgptCheckBoard *self,
                                 BgptMonitor    *monitor)
{
  g_return_if_fail (BGPT_IS_CHECK_BOARD (self));
  g_return_if_fail (monitor == NULL || BGPT_IS_MONITOR (monitor));

  if (self->monitor == monitor)
    return;

  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_set_object (&self->monitor, monitor);
  self->offline = FALSE;
  if (monitor == NULL)
    return;

  g_signal_connect_object (monitor, "check-started", G_CALLBACK (on_monitor_check_signal), self, 0);
  g_signal_connect_object (monitor, "check-finished", G_CALLBACK (on_monitor_check_signal), self, 0);
  g_signal_connect_object (monitor, "incident-raised", G_CALLBACK (on_monitor_incident_signal), self, 0);
  g_signal_connect_object (monitor, "incident-updated", G_CALLBACK (on_monitor_incident_signal), self, 0);
  g_signal_connect_object (monitor, "incident-resolved", G_CALLBACK (on_monitor_incident_signal), self, 0);
  g_signal_connect_object (monitor, "items-changed", G_CALLBACK (on_monitor_items_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (monitor, "notify::online", G_CALLBACK (on_monitor_online), self,
                           G_CONNECT_SWAPPED);
  on_monitor_online (self);
  if (costs_rows_stale (self))
    bgpt_check_board_set_accounts (self, (const char * const *) self->account_ids);
}

BgptMonitor *
bgpt_check_board_get_monitor (BgptCheckBoard *self)
{
  g_return_val_if_fail (BGPT_IS_CHECK_BOARD (self), NULL);
  return self->monitor;
}

gboolean
bgpt_check_board_get_offline (BgptCheckBoard *self)
{
  g_return_val_if_fail (BGPT_IS_CHECK_BOARD (self), FALSE);
  return self->offline;
}

guint
bgpt_check_board_count_state (BgptCheckBoard     *self,
                              BgptCheckItemState  state)
{
  guint n = 0;

  g_return_val_if_fail (BGPT_IS_CHECK_BOARD (self), 0);

  for (guint i = 0; i < self->items->len; i++)
    {
      BgptCheckItem *item = g_ptr_array_index (self->items, i);

      if (item->state == state)
        n++;
    }
  return n;
}

char *
bgpt_mask_secret (const char *key)
{
  gsize len;

  if (key == NULL || *key == '\0')
    return NULL;

  len = strlen (key);
  /* A short secret would be given away by its last four characters. */
  if (len < 12)
    return g_strdup ("…");

  if (g_str_has_prefix (key, "sk-"))
    return g_strdup_printf ("sk-…%s", key + len - 4);
  return g_strdup_printf ("…%s", key + len - 4);
}
