/* bgpt-monitor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-monitor"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-monitor.h"
#include "bgpt-monitor-check-private.h"
#include "bgpt-monitor-rules.h"

#define USEC_PER_SEC G_USEC_PER_SEC
/* The deep check costs money: never more than once an hour. */
#define DEEP_CHECK_MIN_INTERVAL_S 3600
/* Checks due this close together run in the same wake-up. */
#define DUE_SLACK_US (250 * 1000)
/* The network often flaps while it comes back: wait for it to settle. */
#define NETWORK_DEBOUNCE_MS 1000
/* A rate-limited check without Retry-After backs off from this, doubling. */
#define RATE_LIMIT_MIN_BACKOFF_S 60
#define RATE_LIMIT_MAX_BACKOFF_S 3600
/* Longer than an hour is a server's mistake, not a reason to stop
 * watching: rate limits reset by the minute. */
#define RETRY_AFTER_MAX_S 3600
/* Accounts in flight at once: their checks run concurrently on the
 * account's own session, so at most 4 sockets each, 256 in all, well under
 * the usual limit of 1024 descriptors. 64 lets a round of 100 accounts take
 * about twice one account's (bench/bench-monitor.c). */
#define DEFAULT_MAX_CONCURRENT 64

typedef BgptMonitorAccount Account;

/* ------------------------------------------------------------------ */
/* BgptMonitor                                                          */

struct _BgptMonitorAccount
{
  char            *id;
  BgptCheckConfig *config;
  GPtrArray       *checks;     /* BgptMonitorCheck, in check order */
  guint            in_flight;  /* checks running now */
  guint            slot;       /* while in flight: its HTTP session in the pool */
};

struct _BgptMonitor
{
  GObject                  parent_instance;

  GSettings               *settings;
  BgptIncidentStore       *incidents;
  GNetworkMonitor         *network_monitor;
  gulong                   network_handler;
  gboolean                 online;

  GPtrArray               *accounts;        /* Account, in order */
  GHashTable              *account_index;   /* id -> Account */
  guint                    n_items;

  gboolean                 running;
  gboolean                 busy;
  guint                    max_concurrent;
  guint                    accounts_in_flight;
  GSource                 *timer;
  guint                    network_debounce_id;

  guint                    check_interval;
  guint                    retry_interval;
  guint                    failure_threshold;
  guint                    success_threshold;
  guint                    timeout;
  gboolean                 deep_check;

  /* One session per account in flight: libsoup caps the connections of a
   * session, and accounts must not queue behind each other's requests. */
  GPtrArray               *http_pool;       /* BgptHttp or NULL, by slot */
  GArray                  *slot_used;       /* gboolean, by slot */

  /* Costs: their own hourly readings beside the checks (bgpt-costs-watch). */
  BgptCostsWatch          *costs_watch;
};

enum {
  PROP_0,
  PROP_ONLINE,
  PROP_RUNNING,
  PROP_BUSY,
  N_PROPS
};

enum {
  CHECK_STARTED,
  CHECK_FINISHED,
  INCIDENT_RAISED,
  INCIDENT_UPDATED,
  INCIDENT_RESOLVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void bgpt_monitor_list_model_init (GListModelInterface *iface);
static void schedule (BgptMonitor *self);
static void check_done (BgptMonitor *self, BgptMonitorCheck *check);
static void update_dependents (BgptMonitor *self, Account *account);
static void release_held (BgptMonitor *self, Account *account);

G_DEFINE_FINAL_TYPE_WITH_CODE (BgptMonitor, bgpt_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      bgpt_monitor_list_model_init))

static void
unref_if_set (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

static gboolean
is_set (const char *text)
{
  return text != NULL && *text != '\0';
}

/* The inputs of the checks of the table. */
static gboolean
config_equal (const BgptCheckConfig *a,
              const BgptCheckConfig *b)
{
  return g_strcmp0 (a->account_id, b->account_id) == 0 &&
         g_strcmp0 (a->display_name, b->display_name) == 0 &&
         g_strcmp0 (a->kommo_subdomain, b->kommo_subdomain) == 0 &&
         g_strcmp0 (a->kommo_base_url, b->kommo_base_url) == 0 &&
         g_strcmp0 (a->kommo_token, b->kommo_token) == 0 &&
         g_strcmp0 (a->openai_base_url, b->openai_base_url) == 0 &&
         g_strcmp0 (a->openai_api_key, b->openai_api_key) == 0 &&
         g_strcmp0 (a->assistant_id, b->assistant_id) == 0 &&
         g_strcmp0 (a->model, b->model) == 0 &&
         a->keyring_unavailable == b->keyring_unavailable;
}

/* The inputs of the costs check (bgpt-costs-watch.c). */
static gboolean
costs_config_equal (const BgptCheckConfig *a,
                    const BgptCheckConfig *b)
{
  return g_strcmp0 (a->openai_admin_key, b->openai_admin_key) == 0 &&
         g_strcmp0 (a->openai_project_id, b->openai_project_id) == 0 &&
         a->monthly_budget_usd == b->monthly_budget_usd &&
         a->budget_warning_percent == b->budget_warning_percent &&
         a->budget_critical_percent == b->budget_critical_percent;
}

/* Read by the costs watch at its own pace, not scheduled here. */
static gboolean
is_costs_check (BgptMonitorCheck *check)
{
  return check->info == bgpt_check_costs ();
}

static void
account_free (Account *account)
{
  for (guint i = 0; i < account->checks->len; i++)
    {
      BgptMonitorCheck *check = g_ptr_array_index (account->checks, i);

      if (check->cancellable != NULL)
        g_cancellable_cancel (check->cancellable);
      check->account = NULL;
    }
  g_ptr_array_unref (account->checks);
  g_clear_pointer (&account->config, bgpt_check_config_free);
  g_free (account->id);
  g_free (account);
}

static Account *
find_account (BgptMonitor *self,
              const char  *account_id,
              guint       *position)
{
  guint offset = 0;

  for (guint i = 0; i < self->accounts->len; i++)
    {
      Account *account = g_ptr_array_index (self->accounts, i);

      if (g_strcmp0 (account->id, account_id) == 0)
        {
          if (position != NULL)
            *position = offset;
          return account;
        }
      offset += account->checks->len;
    }
  return NULL;
}

/* The checks an account's inputs call for: those BgptChecker would run
 * rather than skip (a missing secret is skipped unless the keyring could not
 * be read, which is then the check's diagnosis). */
static GPtrArray *
wanted_checks (BgptMonitor           *self,
               const BgptCheckConfig *config)
{
  GPtrArray *checks = g_ptr_array_new ();
  gsize n_checks;
  const BgptCheck *table = bgpt_checks_get (&n_checks);

  for (gsize i = 0; i < n_checks; i++)
    if (bgpt_check_readiness (&table[i], config, self->deep_check) != BGPT_CHECK_READINESS_SKIP)
      g_ptr_array_add (checks, (gpointer) table[i].id);
  /* Only an account with an admin key has its costs watched. */
  if (bgpt_check_missing (bgpt_check_costs (), config) == 0)
    g_ptr_array_add (checks, (gpointer) BGPT_CHECK_OPENAI_COSTS);
  return checks;
}

static BgptMonitorCheck *
account_find_check (Account    *account,
                    const char *check)
{
  for (guint i = 0; i < account->checks->len; i++)
    {
      BgptMonitorCheck *item = g_ptr_array_index (account->checks, i);

      if (g_str_equal (item->check, check))
        return item;
    }
  return NULL;
}

/* In flight, or answered and waiting for its dependencies' answers. */
static gboolean
check_is_busy (BgptMonitorCheck *check)
{
  return check->cancellable != NULL || check->held != NULL;
}

/* Where a dependency stands, from its latest answer: one not answered yet
 * blocks nothing. */
static BgptCheckStatus
status_in_account (const char *check_id,
                   gpointer    user_data)
{
  BgptMonitorCheck *dependency = account_find_check (user_data, check_id);

  if (dependency == NULL)
    return BGPT_CHECK_STATUS_SKIPPED;
  if (dependency->blocked_by != NULL)
    return BGPT_CHECK_STATUS_BLOCKED;
  /* A warning about a request that worked (openai.rate-limit-near) blocks nothing. */
  if (dependency->diagnosis == NULL || bgpt_diagnosis_passes (dependency->diagnosis))
    return BGPT_CHECK_STATUS_OK;
  return BGPT_CHECK_STATUS_ERROR;
}

/* The dependency that keeps @check from being sent now, or NULL. */
static const char *
check_blocker (BgptMonitorCheck *check)
{
  if (check->account == NULL)
    return NULL;
  return bgpt_check_find_blocker (check->info, status_in_account, check->account);
}

static gboolean
dependency_in_flight (BgptMonitorCheck *check)
{
  for (guint i = 0; check->info->depends_on[i] != NULL; i++)
    {
      BgptMonitorCheck *dependency = account_find_check (check->account, check->info->depends_on[i]);

      if (dependency != NULL && check_is_busy (dependency))
        return TRUE;
    }
  return FALSE;
}

/* When @check may run next, at the earliest. */
static gint64
effective_due (BgptMonitorCheck *check)
{
  gint64 due = MAX (check->due, check->not_before);

  if (check->info->billable && check->last_started != 0)
    due = MAX (due, check->last_started + (gint64) DEEP_CHECK_MIN_INTERVAL_S * USEC_PER_SEC);
  return due;
}

static guint
interval_after_result (BgptMonitor      *self,
                       BgptMonitorCheck *check)
{
  /* Credit, billing and spend limits do not pass by retrying: no sooner
   * than the next round (the user's "check now" still goes at once). */
  if (check->diagnosis != NULL && g_strcmp0 (check->diagnosis->error_id, BGPT_DIAGNOSIS_OPENAI_QUOTA) == 0)
    return self->check_interval;

  switch (check->state)
    {
    case BGPT_MONITOR_STATE_FAILING:
      return self->retry_interval;
    case BGPT_MONITOR_STATE_DOWN:
      /* Confirm a recovery quickly, but don't hammer a service that is down. */
      return check->successes > 0 ? self->retry_interval : self->check_interval;
    case BGPT_MONITOR_STATE_UNKNOWN:
    case BGPT_MONITOR_STATE_CHECKING:
    case BGPT_MONITOR_STATE_OK:
    default:
      return self->check_interval;
    }
}

/* A check that stops being watched (removed, or no longer wanted) while
 * down: its incident resolves, and listeners hear of it like of any other
 * resolution, or the notifier would keep showing it. */
static void
resolve_unwatched (BgptMonitor      *self,
                   BgptMonitorCheck *check)
{
  g_autoptr(BgptIncident) incident = NULL;

  if (self->incidents != NULL)
    incident = bgpt_incident_store_resolve (self->incidents, check->account_id, check->check);
  if (incident != NULL)
    g_object_ref (incident);
  bgpt_monitor_check_set_incident_id (check, NULL);
  g_debug ("%s %s is no longer watched; its incident is resolved", check->account_id, check->check);
  g_signal_emit (self, signals[INCIDENT_RESOLVED], 0, check, incident);
}

/* Rebuilds an account's checks from its inputs and the deep-check setting,
 * keeping the state of the checks that stay. */
static void
account_sync_checks (BgptMonitor *self,
                     Account     *account,
                     guint        position,
                     gboolean     due_now)
{
  g_autoptr(GPtrArray) wanted = wanted_checks (self, account->config);
  g_autoptr(GPtrArray) old = g_steal_pointer (&account->checks);
  g_autoptr(GPtrArray) unwatched = g_ptr_array_new_with_free_func (g_object_unref);
  guint old_len = old->len;
  gint64 now = g_get_monotonic_time ();
  gboolean same = old_len == wanted->len;

  account->checks = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < wanted->len; i++)
    {
      const char *name = g_ptr_array_index (wanted, i);
      BgptMonitorCheck *check = NULL;

      for (guint j = 0; j < old->len; j++)
        {
          BgptMonitorCheck *candidate = g_ptr_array_index (old, j);

          if (candidate != NULL && g_str_equal (candidate->check, name))
            {
              check = g_steal_pointer (&old->pdata[j]);
              same = same && i == j;
              break;
            }
        }
      if (check == NULL)
        {
          BgptIncident *open = NULL;

          same = FALSE;
          check = bgpt_monitor_check_new (account, account->id, name);
          check->due = now;
          /* Left open by an earlier run: only successes resolve it. */
          if (self->incidents != NULL)
            open = bgpt_incident_store_find_open (self->incidents, account->id, name);
          if (open != NULL)
            check->incident_id = g_strdup (bgpt_incident_get_id (open));
        }
      else if (due_now)
        {
          check->due = now;
          /* A run still in flight was sent with the account's old
           * settings: its answer is about them, not about these (the
           * refused key the user just replaced, say). Cancelled, it counts
           * for nothing and the check runs again at once. */
          if (check->cancellable != NULL)
            g_cancellable_cancel (check->cancellable);
        }
      g_ptr_array_add (account->checks, check);
    }

  /* Checks no longer wanted: stop them; an incident they raised resolves,
   * since nothing watches it any more. */
  for (guint j = 0; j < old->len; j++)
    {
      BgptMonitorCheck *gone = g_ptr_array_index (old, j);

      if (gone == NULL)
        continue;
      if (gone->cancellable != NULL)
        {
          g_cancellable_cancel (gone->cancellable);
          check_done (self, gone);
        }
      gone->account = NULL;
      if (gone->incident_id != NULL)
        g_ptr_array_add (unwatched, g_object_ref (gone));
      g_object_unref (gone);
    }
  old->len = 0;

  self->n_items = self->n_items - old_len + account->checks->len;
  if (!same)
    g_list_model_items_changed (G_LIST_MODEL (self), position, old_len, account->checks->len);

  /* Told once the model holds its new checks, so that listeners see it whole. */
  for (guint j = 0; j < unwatched->len; j++)
    resolve_unwatched (self, g_ptr_array_index (unwatched, j));

  /* A dependency may have come or gone. */
  update_dependents (self, account);
  release_held (self, account);
}

static void
update_settings (BgptMonitor *self)
{
  self->check_interval = MAX (1, g_settings_get_uint (self->settings, "check-interval"));
  self->retry_interval = MAX (1, g_settings_get_uint (self->settings, "retry-interval"));
  self->failure_threshold = MAX (1, g_settings_get_uint (self->settings, "failure-threshold"));
  self->success_threshold = MAX (1, g_settings_get_uint (self->settings, "success-threshold"));
  self->timeout = MAX (1, g_settings_get_uint (self->settings, "timeout"));
  self->deep_check = g_settings_get_boolean (self->settings, "deep-check");
}

static void evaluate_thresholds (BgptMonitor *self, BgptMonitorCheck *check);

static void
on_settings_changed (GSettings   *settings,
                     const char  *key,
                     BgptMonitor *self)
{
  update_settings (self);

  if (g_str_equal (key, "deep-check"))
    {
      guint position = 0;

      for (guint i = 0; i < self->accounts->len; i++)
        {
          Account *account = g_ptr_array_index (self->accounts, i);

          account_sync_checks (self, account, position, FALSE);
          position += account->checks->len;
        }
    }
  else if (g_str_equal (key, "check-interval") || g_str_equal (key, "retry-interval"))
    {
      for (guint i = 0; i < self->accounts->len; i++)
        {
          Account *account = g_ptr_array_index (self->accounts, i);

          for (guint j = 0; j < account->checks->len; j++)
            {
              BgptMonitorCheck *check = g_ptr_array_index (account->checks, j);

              if (check->cancellable == NULL && check->last_finished != 0)
                check->due = check->last_finished +
                             (gint64) interval_after_result (self, check) * USEC_PER_SEC;
            }
        }
    }
  else if (g_str_equal (key, "failure-threshold") || g_str_equal (key, "success-threshold"))
    {
      for (guint i = 0; i < self->accounts->len; i++)
        {
          Account *account = g_ptr_array_index (self->accounts, i);

          for (guint j = 0; j < account->checks->len; j++)
            evaluate_thresholds (self, g_ptr_array_index (account->checks, j));
        }
    }

  schedule (self);
}

/* ---- the state machine ---- */

/* Where @check stands, for the rules. */
static BgptMonitorTally
check_tally (BgptMonitorCheck *check)
{
  return (BgptMonitorTally) {
    .failures = check->failures,
    .successes = check->successes,
    .incident_open = check->incident_id != NULL,
    .quiet = check->quiet,
    .latest_failed = check->diagnosis != NULL && !bgpt_diagnosis_is_ok (check->diagnosis),
  };
}

/* The thresholds that confirm @result of @check (NULL: its latest). A
 * verdict on figures read and judged (the budget's warning) is no flaky
 * answer: it opens its incident at once. The costs are read an hour apart
 * at most, and a reading that worked judged the whole month: one that
 * passed resolves at once. A failed costs request (the network, a 5xx, a
 * refused admin key) is confirmed like any other check's, reading after
 * reading. */
static BgptMonitorThresholds
thresholds (BgptMonitor         *self,
            BgptMonitorCheck    *check,
            const BgptDiagnosis *result)
{
  BgptMonitorThresholds limits = { self->failure_threshold, self->success_threshold };

  if (result == NULL)
    result = check->diagnosis;
  if (result != NULL && bgpt_catalog_has_flags (result->error_id, BGPT_CATALOG_FLAGS_VERDICT))
    limits.failure_threshold = 1;
  if (is_costs_check (check))
    limits.success_threshold = 1;
  return limits;
}

/* Raises or updates the incident of @check with @result; returns it, or
 * NULL without a store. */
static BgptIncident *
report_incident (BgptMonitor         *self,
                 BgptMonitorCheck    *check,
                 const BgptDiagnosis *result)
{
  BgptIncident *incident = NULL;

  if (self->incidents != NULL)
    incident = bgpt_incident_store_report (self->incidents, check->account_id, result);
  bgpt_monitor_check_set_incident_id (check, incident != NULL ? bgpt_incident_get_id (incident) : check->check);
  return incident;
}

static void
resolve_incident (BgptMonitor      *self,
                  BgptMonitorCheck *check)
{
  BgptIncident *incident = NULL;

  if (self->incidents != NULL)
    incident = bgpt_incident_store_resolve (self->incidents, check->account_id, check->check);
  if (incident != NULL)
    g_object_ref (incident);
  bgpt_monitor_check_set_incident_id (check, NULL);
  bgpt_monitor_check_set_state (check, BGPT_MONITOR_STATE_OK);
  g_debug ("%s %s is resolved", check->account_id, check->check);
  g_signal_emit (self, signals[INCIDENT_RESOLVED], 0, check, incident);
  g_clear_object (&incident);
}

/* Carries out what the rules decided (bgpt-monitor-rules.h) about
 * @check: @result is its new result, or NULL when the thresholds changed.
 * Listeners hear of an incident once the check's state says it. */
static void
take_step (BgptMonitor         *self,
           BgptMonitorCheck    *check,
           BgptMonitorStep      step,
           BgptMonitorState     state,
           const BgptDiagnosis *result)
{
  BgptIncident *incident = NULL;

  switch (step)
    {
    case BGPT_MONITOR_STEP_RAISE:
      incident = report_incident (self, check, check->diagnosis);
      check->quiet = FALSE;
      bgpt_monitor_check_set_state (check, BGPT_MONITOR_STATE_DOWN);
      g_debug ("%s %s is down: %s", check->account_id, check->check, check->diagnosis->error_id);
      g_signal_emit (self, signals[INCIDENT_RAISED], 0, check, incident);
      break;

    case BGPT_MONITOR_STEP_RAISE_QUIET:
      /* Shown in the window at once; the desktop is told at the threshold. */
      report_incident (self, check, result);
      check->quiet = TRUE;
      bgpt_monitor_check_set_state (check, state);
      break;

    case BGPT_MONITOR_STEP_ANNOUNCE:
      if (result != NULL)
        incident = report_incident (self, check, result);
      else if (self->incidents != NULL)
        incident = bgpt_incident_store_find_open (self->incidents, check->account_id, check->check);
      check->quiet = FALSE;
      bgpt_monitor_check_set_state (check, BGPT_MONITOR_STATE_DOWN);
      g_debug ("%s %s is down: %s", check->account_id, check->check, check->diagnosis->error_id);
      g_signal_emit (self, signals[INCIDENT_RAISED], 0, check, incident);
      break;

    case BGPT_MONITOR_STEP_UPDATE:
      bgpt_monitor_check_set_state (check, BGPT_MONITOR_STATE_DOWN);
      if (self->incidents != NULL)
        incident = bgpt_incident_store_report (self->incidents, check->account_id, result);
      if (incident != NULL)
        bgpt_monitor_check_set_incident_id (check, bgpt_incident_get_id (incident));
      g_signal_emit (self, signals[INCIDENT_UPDATED], 0, check, incident);
      break;

    case BGPT_MONITOR_STEP_RESOLVE:
      resolve_incident (self, check);
      break;

    case BGPT_MONITOR_STEP_NONE:
    default:
      if (result != NULL)
        bgpt_monitor_check_set_state (check, state);
      break;
    }
}

/* Raises or resolves what a changed threshold now calls for. */
static void
evaluate_thresholds (BgptMonitor      *self,
                     BgptMonitorCheck *check)
{
  BgptMonitorTally tally = check_tally (check);
  BgptMonitorThresholds limits = thresholds (self, check, NULL);

  take_step (self, check, bgpt_monitor_rules_reconsider (&tally, &limits), check->state, NULL);
}

/* Retry-After means "come back later" only on these: on another failure
 * it is a proxy's or a server's noise, and must not stop the watch. */
static gboolean
asks_to_wait (const BgptDiagnosis *diagnosis)
{
  return diagnosis->http_status == 429 || diagnosis->http_status == 503;
}

static void
record_result (BgptMonitor         *self,
               BgptMonitorCheck    *check,
               const BgptDiagnosis *diagnosis)
{
  gint64 now = g_get_monotonic_time ();
  gint64 wait_s = 0;
  BgptMonitorTally before = check_tally (check);
  BgptMonitorThresholds limits = thresholds (self, check, diagnosis);
  /* A check the user asked for is answered at once: no threshold, since
   * someone is looking and the answer is definitive. */
  BgptMonitorVerdict verdict = bgpt_monitor_rules_judge (&before, bgpt_diagnosis_is_ok (diagnosis),
                                                         check->confirm, &limits);

  check->confirm = FALSE;
  check->last_finished = now;
  bgpt_monitor_check_set_result (check, diagnosis, g_get_real_time ());
  bgpt_monitor_check_set_counts (check, verdict.tally.failures, verdict.tally.successes);
  take_step (self, check, verdict.step, verdict.state, diagnosis);

  if (bgpt_diagnosis_is_ok (diagnosis))
    {
      check->rate_limited = 0;
    }
  else
    {
      if (bgpt_catalog_has_flags (diagnosis->error_id, BGPT_CATALOG_FLAGS_SLOW_DOWN))
        {
          /* Kommo blocks the IP after repeated 429s: back off hard. */
          check->rate_limited++;
          wait_s = MIN ((gint64) RATE_LIMIT_MIN_BACKOFF_S << MIN (check->rate_limited - 1, 6),
                        RATE_LIMIT_MAX_BACKOFF_S);
        }
      if (diagnosis->retry_after_s >= 0 && asks_to_wait (diagnosis))
        wait_s = MAX (wait_s, MIN (diagnosis->retry_after_s, RETRY_AFTER_MAX_S));
    }

  /* A wait the user went past is spent once nothing asks to wait again. */
  if (wait_s == 0)
    check->wait_overridden = FALSE;

  check->due = now + (gint64) interval_after_result (self, check) * USEC_PER_SEC;
  check->not_before = now + wait_s * USEC_PER_SEC;

  g_signal_emit (self, signals[CHECK_FINISHED], 0, check);
}

/* A check whose dependency did not pass: its own answer (if any) tells
 * nothing, it raises no incident, and it is not sent again until the
 * dependency passes. An incident it raised before stays as it was. */
static void
record_blocked (BgptMonitor      *self,
                BgptMonitorCheck *check,
                const char       *blocked_by)
{
  check->last_finished = g_get_monotonic_time ();
  check->rate_limited = 0;
  check->not_before = 0;
  bgpt_monitor_check_set_blocked_by (check, blocked_by);
  bgpt_monitor_check_set_counts (check, 0, 0);
  bgpt_monitor_check_set_state (check, BGPT_MONITOR_STATE_BLOCKED);
  check->due = check->last_finished + (gint64) self->check_interval * USEC_PER_SEC;
  g_debug ("%s %s is blocked by %s", check->account_id, check->check, blocked_by);
  g_signal_emit (self, signals[CHECK_FINISHED], 0, check);
}

/* After a result: blocks the dependents that now wait for a failed check,
 * and makes due at once those that waited for one that now passes. Those
 * in flight are judged when they answer. */
static void
update_dependents (BgptMonitor *self,
                   Account     *account)
{
  gint64 now = g_get_monotonic_time ();

  for (guint i = 0; i < account->checks->len; i++)
    {
      BgptMonitorCheck *check = g_ptr_array_index (account->checks, i);
      const char *blocker;

      if (check_is_busy (check) || check->info->depends_on[0] == NULL)
        continue;
      blocker = check_blocker (check);
      if (blocker != NULL && g_strcmp0 (blocker, check->blocked_by) != 0)
        record_blocked (self, check, blocker);
      else if (blocker == NULL && check->blocked_by != NULL)
        check->due = MIN (check->due, now);
    }
}

/* A dependency that did not pass while @check was in flight, though it may
 * pass now: what @check saw then is no answer of its own. */
static const char *
failed_in_flight (BgptMonitorCheck *check)
{
  for (guint i = 0; check->info->depends_on[i] != NULL; i++)
    {
      BgptMonitorCheck *dependency = account_find_check (check->account, check->info->depends_on[i]);

      if (dependency != NULL && dependency->last_not_passed >= check->last_started)
        return dependency->check;
    }
  return NULL;
}

/* Checks keep schedules of their own: a dependent may fail on a dependency
 * that last passed before the dependent was sent. Such a dependency is sent
 * now, and the failure waits for its answer. Not one that a server asked to
 * wait. TRUE when a dependency is sent for. */
static gboolean
refresh_stale_dependencies (BgptMonitorCheck *check)
{
  gint64 now = g_get_monotonic_time ();
  gboolean stale = FALSE;

  for (guint i = 0; check->info->depends_on[i] != NULL; i++)
    {
      BgptMonitorCheck *dependency = account_find_check (check->account, check->info->depends_on[i]);

      if (dependency == NULL || check_is_busy (dependency) ||
          dependency->last_finished >= check->last_started || dependency->not_before > now)
        continue;
      dependency->due = MIN (dependency->due, now);
      stale = TRUE;
    }
  return stale;
}

/* An answer is judged once the checks it depends on have answered in the
 * same round: they start together, and either may come back first. */
static void
judge_result (BgptMonitor      *self,
              BgptMonitorCheck *check,
              BgptDiagnosis    *diagnosis)
{
  Account *account = check->account;
  const char *blocker;

  if (dependency_in_flight (check) ||
      (!bgpt_diagnosis_is_ok (diagnosis) && refresh_stale_dependencies (check)))
    {
      g_clear_pointer (&check->held, bgpt_diagnosis_free);
      check->held = bgpt_diagnosis_copy (diagnosis);
      return;
    }

  blocker = check_blocker (check);
  if (blocker == NULL)
    blocker = failed_in_flight (check);
  if (blocker != NULL)
    {
      record_blocked (self, check, blocker);
    }
  else
    {
      bgpt_monitor_check_set_blocked_by (check, NULL);
      record_result (self, check, diagnosis);
    }
  if (blocker != NULL || !bgpt_diagnosis_passes (diagnosis))
    check->last_not_passed = check->last_finished;
  update_dependents (self, account);
  release_held (self, account);
}

static void
release_held (BgptMonitor *self,
              Account     *account)
{
  for (guint i = 0; i < account->checks->len; i++)
    {
      BgptMonitorCheck *check = g_ptr_array_index (account->checks, i);
      g_autoptr(BgptDiagnosis) held = NULL;

      if (check->held == NULL || dependency_in_flight (check))
        continue;
      held = g_steal_pointer (&check->held);
      judge_result (self, check, held);
    }
}

/* ---- running checks ---- */

typedef struct
{
  BgptMonitor      *monitor;   /* weak: the check's cancellable outlives it */
  BgptMonitorCheck *check;
} RunData;

static void
run_data_free (RunData *data)
{
  g_clear_weak_pointer (&data->monitor);
  g_clear_object (&data->check);
  g_free (data);
}

static void
account_enter_flight (BgptMonitor *self,
                      Account     *account)
{
  guint slot;

  if (account->in_flight++ > 0)
    return;

  self->accounts_in_flight++;
  for (slot = 0; slot < self->slot_used->len; slot++)
    if (!g_array_index (self->slot_used, gboolean, slot))
      break;
  if (slot == self->slot_used->len)
    {
      gboolean used = FALSE;

      g_array_append_val (self->slot_used, used);
      g_ptr_array_add (self->http_pool, NULL);
    }
  g_array_index (self->slot_used, gboolean, slot) = TRUE;
  account->slot = slot;
}

static void
account_leave_flight (BgptMonitor *self,
                      Account     *account,
                      gboolean     all)
{
  g_assert (account->in_flight > 0);

  account->in_flight = all ? 0 : account->in_flight - 1;
  if (account->in_flight > 0)
    return;

  g_assert (self->accounts_in_flight > 0);
  self->accounts_in_flight--;
  g_array_index (self->slot_used, gboolean, account->slot) = FALSE;
}

static void
check_done (BgptMonitor      *self,
            BgptMonitorCheck *check)
{
  g_clear_object (&check->cancellable);
  if (check->account != NULL)
    account_leave_flight (self, check->account, FALSE);
}

static void start_check (BgptMonitor *self, BgptMonitorCheck *check);

/* A dependency's run was cancelled: what waited for its answer counts for
 * nothing either. */
static void
drop_held_dependents (BgptMonitor      *self,
                      BgptMonitorCheck *dependency)
{
  Account *account = dependency->account;

  for (guint i = 0; i < account->checks->len; i++)
    {
      BgptMonitorCheck *check = g_ptr_array_index (account->checks, i);

      if (check->held == NULL || !g_strv_contains (check->info->depends_on, dependency->check))
        continue;
      g_clear_pointer (&check->held, bgpt_diagnosis_free);
      if (check->state == BGPT_MONITOR_STATE_CHECKING)
        bgpt_monitor_check_set_state (check, check->incident_id != NULL && self->online
                                ? BGPT_MONITOR_STATE_DOWN : BGPT_MONITOR_STATE_UNKNOWN);
    }
}

static void
on_check_run (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  RunData *data = user_data;
  BgptMonitor *self = data->monitor;
  BgptMonitorCheck *check = data->check;
  g_autoptr(BgptDiagnosis) diagnosis = NULL;
  g_autoptr(GError) error = NULL;
  gboolean cancelled;

  if (self == NULL)
    {
      run_data_free (data);
      return;
    }

  if (g_async_result_is_tagged (result, start_check))
    diagnosis = g_task_propagate_pointer (G_TASK (result), &error);
  else
    diagnosis = check->info->finish (BGPT_HTTP (source), result, &error);
  cancelled = check->cancellable != NULL && g_cancellable_is_cancelled (check->cancellable);

  if (check->account != NULL)
    check_done (self, check);
  else
    g_clear_object (&check->cancellable);

  /* Only a cancellation gives no diagnosis. */
  if (cancelled || diagnosis == NULL)
    {
      /* Offline, stopped or removed: the result counts for nothing. */
      if (check->state == BGPT_MONITOR_STATE_CHECKING)
        bgpt_monitor_check_set_state (check, check->incident_id != NULL && self->online
                                ? BGPT_MONITOR_STATE_DOWN : BGPT_MONITOR_STATE_UNKNOWN);
      if (check->account != NULL)
        drop_held_dependents (self, check);
    }
  else if (check->account != NULL)
    {
      judge_result (self, check, diagnosis);
    }

  run_data_free (data);
  schedule (self);
}

static void
start_check (BgptMonitor      *self,
             BgptMonitorCheck *check)
{
  Account *account = check->account;
  RunData *data;
  BgptHttp *http;

  g_assert (check->cancellable == NULL);

  account_enter_flight (self, account);
  bgpt_monitor_check_set_blocked_by (check, NULL);

  check->cancellable = g_cancellable_new ();
  check->last_started = g_get_monotonic_time ();
  bgpt_monitor_check_set_state (check, BGPT_MONITOR_STATE_CHECKING);
  g_signal_emit (self, signals[CHECK_STARTED], 0, check);

  data = g_new0 (RunData, 1);
  g_set_weak_pointer (&data->monitor, self);
  data->check = g_object_ref (check);

  if (bgpt_check_secret (check->info, account->config) == NULL)
    {
      /* No source object: a check in flight must not keep the monitor alive. */
      g_autoptr(GTask) task = g_task_new (NULL, check->cancellable, on_check_run, data);

      /* Watched without its secret: the keyring could not be read. */
      g_task_set_source_tag (task, start_check);
      g_task_return_pointer (task, bgpt_diagnosis_new (check->check, BGPT_DIAGNOSIS_KEYRING_UNAVAILABLE),
                             (GDestroyNotify) bgpt_diagnosis_free);
      return;
    }

  http = g_ptr_array_index (self->http_pool, account->slot);
  if (http == NULL)
    {
      http = bgpt_http_new ();
      g_ptr_array_index (self->http_pool, account->slot) = http;
    }
  bgpt_http_set_timeout (http, self->timeout);
  check->info->start (http, account->config, check->cancellable, on_check_run, data);
}

static gint64
account_next_due (Account *account)
{
  gint64 next = G_MAXINT64;

  for (guint i = 0; i < account->checks->len; i++)
    {
      BgptMonitorCheck *check = g_ptr_array_index (account->checks, i);

      /* A blocked check waits for its dependency, not for a time. */
      if (!is_costs_check (check) && !check_is_busy (check) && check_blocker (check) == NULL)
        next = MIN (next, effective_due (check));
    }
  return next;
}

typedef struct
{
  gint64   due;
  Account *account;
} Pending;

static gint
compare_pending (gconstpointer a,
                 gconstpointer b)
{
  gint64 due_a = ((const Pending *) a)->due;
  gint64 due_b = ((const Pending *) b)->due;

  return due_a < due_b ? -1 : due_a > due_b ? 1 : 0;
}

/* Busy while checks are in flight. Told once the monitor has started what
 * is due next, so that the checks a result makes due (a dependent, a stale
 * dependency) belong to the same busy spell. */
static void
update_busy (BgptMonitor *self)
{
  gboolean busy = self->accounts_in_flight > 0;

  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static gboolean
on_timer (gpointer user_data)
{
  BgptMonitor *self = user_data;

  g_clear_pointer (&self->timer, g_source_unref);
  schedule (self);
  return G_SOURCE_REMOVE;
}

/* Starts every check that is due (accounts with the earliest checks first,
 * as many accounts as the concurrency bound allows) and arms one timer for
 * the next one: a single wake-up source however many accounts. */
static void
schedule (BgptMonitor *self)
{
  g_autoptr(GArray) order = NULL;
  gint64 now = g_get_monotonic_time ();
  gint64 next = G_MAXINT64;

  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }

  if (!self->running || !self->online)
    {
      update_busy (self);
      return;
    }

  order = g_array_sized_new (FALSE, FALSE, sizeof (Pending), self->accounts->len);
  for (guint i = 0; i < self->accounts->len; i++)
    {
      Pending pending = { 0, g_ptr_array_index (self->accounts, i) };

      pending.due = account_next_due (pending.account);
      if (pending.due != G_MAXINT64)
        g_array_append_val (order, pending);
    }
  g_array_sort (order, compare_pending);

  for (guint i = 0; i < order->len; i++)
    {
      Pending *pending = &g_array_index (order, Pending, i);
      Account *account = pending->account;
      gboolean may_start = account->in_flight > 0 ||
                           self->accounts_in_flight < self->max_concurrent;

      /* Sorted: nothing after this one is due either. */
      if (pending->due > now + DUE_SLACK_US)
        {
          next = MIN (next, pending->due);
          break;
        }

      for (guint j = 0; j < account->checks->len; j++)
        {
          BgptMonitorCheck *check = g_ptr_array_index (account->checks, j);
          gint64 due;

          if (is_costs_check (check) || check_is_busy (check) || check_blocker (check) != NULL)
            continue;
          due = effective_due (check);
          /* Only the regular schedule may run a little early, never a
           * server's Retry-After nor the deep check's hour. */
          if (may_start && check->due <= now + DUE_SLACK_US && due <= MAX (now, check->due))
            start_check (self, check);
          else if (may_start || due > now)
            next = MIN (next, due);
        }
    }

  if (next != G_MAXINT64)
    {
      gint64 delay_ms = MAX (0, (next - now + 999) / 1000);

      /* Long waits need no millisecond precision: let GLib batch them. */
      if (delay_ms >= 10 * 1000)
        self->timer = g_timeout_source_new_seconds ((guint) MIN (delay_ms / 1000, G_MAXUINT));
      else
        self->timer = g_timeout_source_new ((guint) delay_ms);
      g_source_set_callback (self->timer, on_timer, self, NULL);
      g_source_set_static_name (self->timer, "[bgpt] monitor schedule");
      g_source_attach (self->timer, NULL);
    }
  update_busy (self);
}

/* ---- the network ---- */

static void
forget_results_while_offline (BgptMonitor *self)
{
  for (guint i = 0; i < self->accounts->len; i++)
    {
      Account *account = g_ptr_array_index (self->accounts, i);

      for (guint j = 0; j < account->checks->len; j++)
        {
          BgptMonitorCheck *check = g_ptr_array_index (account->checks, j);

          if (check->cancellable != NULL)
            g_cancellable_cancel (check->cancellable);
          g_clear_pointer (&check->held, bgpt_diagnosis_free);
          /* A failure seen just before the network went away proves nothing;
           * an open incident stays open until real successes resolve it. */
          bgpt_monitor_check_set_counts (check, 0, 0);
          bgpt_monitor_check_set_state (check, BGPT_MONITOR_STATE_UNKNOWN);
        }
    }
}

static gboolean
on_network_settled (gpointer user_data)
{
  BgptMonitor *self = user_data;

  self->network_debounce_id = 0;
  g_debug ("Network is back: checking every account");
  bgpt_monitor_check_now (self, NULL);
  if (self->running)
    {
      /* The costs keep their hourly pace, except those the user asked for meanwhile. */
      bgpt_costs_watch_start (self->costs_watch);
      for (guint i = 0; i < self->accounts->len; i++)
        {
          Account *account = g_ptr_array_index (self->accounts, i);
          BgptMonitorCheck *costs = account_find_check (account, BGPT_CHECK_OPENAI_COSTS);

          if (costs != NULL && costs->confirm)
            bgpt_costs_watch_refresh (self->costs_watch, account->id);
        }
    }
  return G_SOURCE_REMOVE;
}

static void
set_online (BgptMonitor *self,
            gboolean     online)
{
  if (self->online == online)
    return;

  self->online = online;
  g_clear_handle_id (&self->network_debounce_id, g_source_remove);

  if (!online)
    {
      g_debug ("Network is gone: checks pause");
      /* A costs reading failing offline is no failure of the costs either. */
      bgpt_costs_watch_stop (self->costs_watch);
      forget_results_while_offline (self);
      schedule (self);
    }
  else
    {
      self->network_debounce_id = g_timeout_add (NETWORK_DEBOUNCE_MS, on_network_settled, self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);
}

static void
on_network_changed (GNetworkMonitor *network_monitor,
                    gboolean         available,
                    BgptMonitor     *self)
{
  set_online (self, g_network_monitor_get_network_available (network_monitor));
}

/* ---- GListModel ---- */

static GType
bgpt_monitor_get_item_type (GListModel *model)
{
  return BGPT_TYPE_MONITOR_CHECK;
}

static guint
bgpt_monitor_get_n_items (GListModel *model)
{
  return BGPT_MONITOR (model)->n_items;
}

static gpointer
bgpt_monitor_get_item (GListModel *model,
                       guint       position)
{
  BgptMonitor *self = BGPT_MONITOR (model);

  for (guint i = 0; i < self->accounts->len; i++)
    {
      Account *account = g_ptr_array_index (self->accounts, i);

      if (position < account->checks->len)
        return g_object_ref (g_ptr_array_index (account->checks, position));
      position -= account->checks->len;
    }
  return NULL;
}

static void
bgpt_monitor_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = bgpt_monitor_get_item_type;
  iface->get_n_items = bgpt_monitor_get_n_items;
  iface->get_item = bgpt_monitor_get_item;
}

/* ---- GObject ---- */

static void
bgpt_monitor_dispose (GObject *object)
{
  BgptMonitor *self = BGPT_MONITOR (object);

  bgpt_monitor_stop (self);
  g_clear_signal_handler (&self->network_handler, self->network_monitor);
  g_clear_object (&self->network_monitor);
  g_clear_handle_id (&self->network_debounce_id, g_source_remove);
  if (self->account_index != NULL)
    g_hash_table_remove_all (self->account_index);
  if (self->accounts != NULL)
    g_ptr_array_set_size (self->accounts, 0);
  self->n_items = 0;
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_clear_object (&self->incidents);
  if (self->http_pool != NULL)
    g_ptr_array_set_size (self->http_pool, 0);
  if (self->costs_watch != NULL)
    g_signal_handlers_disconnect_by_data (self->costs_watch, self);
  g_clear_object (&self->costs_watch);

  G_OBJECT_CLASS (bgpt_monitor_parent_class)->dispose (object);
}

static void
bgpt_monitor_finalize (GObject *object)
{
  BgptMonitor *self = BGPT_MONITOR (object);

  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_pointer (&self->account_index, g_hash_table_unref);
  g_clear_pointer (&self->http_pool, g_ptr_array_unref);
  g_clear_pointer (&self->slot_used, g_array_unref);

  G_OBJECT_CLASS (bgpt_monitor_parent_class)->finalize (object);
}

static void
bgpt_monitor_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  BgptMonitor *self = BGPT_MONITOR (object);

  switch (prop_id)
    {
    case PROP_ONLINE:
      g_value_set_boolean (value, self->online);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bgpt_monitor_class_init (BgptMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bgpt_monitor_dispose;
  object_class->finalize = bgpt_monitor_finalize;
  object_class->get_property = bgpt_monitor_get_property;

  properties[PROP_ONLINE] =
    g_param_spec_boolean ("online", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Checks are in flight (a round of them, or a single re-check). */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A check began / has a new result (every result, ok or not). */
  signals[CHECK_STARTED] =
    g_signal_new ("check-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, BGPT_TYPE_MONITOR_CHECK);
  signals[CHECK_FINISHED] =
    g_signal_new ("check-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, BGPT_TYPE_MONITOR_CHECK);
  /* A check is confirmed down; the incident may be NULL without a store. */
  signals[INCIDENT_RAISED] =
    g_signal_new ("incident-raised", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                  BGPT_TYPE_MONITOR_CHECK, BGPT_TYPE_INCIDENT);
  /* A check that is down failed again. */
  signals[INCIDENT_UPDATED] =
    g_signal_new ("incident-updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                  BGPT_TYPE_MONITOR_CHECK, BGPT_TYPE_INCIDENT);
  signals[INCIDENT_RESOLVED] =
    g_signal_new ("incident-resolved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                  BGPT_TYPE_MONITOR_CHECK, BGPT_TYPE_INCIDENT);
}

/* A reading of an account's costs, or its budget judged again, is the
 * result of its costs check, judged like any other check's. */
static void
on_costs_changed (BgptCostsWatch *watch,
                  const char     *account_id,
                  BgptMonitor    *self)
{
  Account *account = find_account (self, account_id, NULL);
  BgptMonitorCheck *check = account != NULL ? account_find_check (account, BGPT_CHECK_OPENAI_COSTS) : NULL;
  const BgptDiagnosis *diagnosis = bgpt_costs_watch_lookup (watch, account_id, NULL, NULL);
  g_autoptr(BgptDiagnosis) result = NULL;

  /* Gone, not read yet, or read when nothing may be judged. */
  if (check == NULL || diagnosis == NULL || !self->running || !self->online)
    return;

  result = bgpt_diagnosis_copy (diagnosis);
  check->last_started = g_get_monotonic_time ();
  judge_result (self, check, result);
}

static void
bgpt_monitor_init (BgptMonitor *self)
{
  self->accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) account_free);
  self->account_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->online = TRUE;
  self->max_concurrent = DEFAULT_MAX_CONCURRENT;
  self->http_pool = g_ptr_array_new_with_free_func (unref_if_set);
  self->slot_used = g_array_new (FALSE, TRUE, sizeof (gboolean));
  self->costs_watch = bgpt_costs_watch_new ();
  g_signal_connect (self->costs_watch, "changed", G_CALLBACK (on_costs_changed), self);
}

BgptCostsWatch *
bgpt_monitor_get_costs_watch (BgptMonitor *self)
{
  g_return_val_if_fail (BGPT_IS_MONITOR (self), NULL);

  return self->costs_watch;
}

BgptMonitor *
bgpt_monitor_new (GSettings         *settings,
                  BgptIncidentStore *incidents)
{
  BgptMonitor *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (incidents == NULL || BGPT_IS_INCIDENT_STORE (incidents), NULL);

  self = g_object_new (BGPT_TYPE_MONITOR, NULL);
  self->settings = g_object_ref (settings);
  self->incidents = incidents != NULL ? g_object_ref (incidents) : NULL;
  update_settings (self);
  g_signal_connect (settings, "changed", G_CALLBACK (on_settings_changed), self);
  return self;
}

void
bgpt_monitor_set_account (BgptMonitor           *self,
                          const BgptCheckConfig *config)
{
  Account *account;
  guint position = self->n_items;
  gboolean checks_changed;

  g_return_if_fail (BGPT_IS_MONITOR (self));
  g_return_if_fail (config != NULL && is_set (config->account_id));

  account = find_account (self, config->account_id, &position);
  if (account != NULL && config_equal (account->config, config) &&
      costs_config_equal (account->config, config))
    return;
  /* Only the costs' inputs changed: the other checks keep their pace. */
  checks_changed = account == NULL || !config_equal (account->config, config);
  if (account == NULL)
    {
      account = g_new0 (Account, 1);
      account->id = g_strdup (config->account_id);
      account->checks = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (self->accounts, account);
      g_hash_table_insert (self->account_index, account->id, account);
    }
  g_clear_pointer (&account->config, bgpt_check_config_free);
  account->config = bgpt_check_config_copy (config);

  account_sync_checks (self, account, position, checks_changed);
  /* After the costs check is there: a new budget is judged at once. */
  bgpt_costs_watch_set_account (self->costs_watch, config);
  schedule (self);
}

void
bgpt_monitor_remove_account (BgptMonitor *self,
                             const char  *account_id)
{
  Account *account;
  guint position = 0;
  guint n;

  g_return_if_fail (BGPT_IS_MONITOR (self));

  account = find_account (self, account_id, &position);
  if (account == NULL)
    return;

  n = account->checks->len;
  if (account->in_flight > 0)
    account_leave_flight (self, account, TRUE);
  /* Nothing watches its checks any more: their incidents resolve, told
   * while the account (and its name) is still there. */
  for (guint i = 0; i < account->checks->len; i++)
    {
      BgptMonitorCheck *check = g_ptr_array_index (account->checks, i);

      if (check->incident_id != NULL)
        resolve_unwatched (self, check);
    }
  bgpt_costs_watch_remove_account (self->costs_watch, account->id);
  g_hash_table_remove (self->account_index, account->id);
  g_ptr_array_remove (self->accounts, account);
  self->n_items -= n;
  g_list_model_items_changed (G_LIST_MODEL (self), position, n, 0);
  schedule (self);
}

char **
bgpt_monitor_dup_account_ids (BgptMonitor *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (BGPT_IS_MONITOR (self), NULL);

  for (guint i = 0; i < self->accounts->len; i++)
    g_strv_builder_add (builder, ((Account *) g_ptr_array_index (self->accounts, i))->id);
  return g_strv_builder_end (builder);
}

const char *
bgpt_monitor_get_account_name (BgptMonitor *self,
                               const char  *account_id)
{
  Account *account;

  g_return_val_if_fail (BGPT_IS_MONITOR (self), NULL);

  account = find_account (self, account_id, NULL);
  if (account != NULL && is_set (account->config->display_name))
    return account->config->display_name;
  return account_id;
}

void
bgpt_monitor_start (BgptMonitor *self)
{
  g_return_if_fail (BGPT_IS_MONITOR (self));

  if (self->running)
    return;

  if (self->network_monitor == NULL)
    bgpt_monitor_set_network_monitor (self, NULL);
  self->running = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  if (self->online)
    bgpt_costs_watch_start (self->costs_watch);
  schedule (self);
}

void
bgpt_monitor_stop (BgptMonitor *self)
{
  g_return_if_fail (BGPT_IS_MONITOR (self));

  if (!self->running)
    return;

  self->running = FALSE;
  bgpt_costs_watch_stop (self->costs_watch);
  for (guint i = 0; i < self->accounts->len; i++)
    {
      Account *account = g_ptr_array_index (self->accounts, i);

      for (guint j = 0; j < account->checks->len; j++)
        {
          BgptMonitorCheck *check = g_ptr_array_index (account->checks, j);

          if (check->cancellable != NULL)
            g_cancellable_cancel (check->cancellable);
        }
    }
  schedule (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

gboolean
bgpt_monitor_is_running (BgptMonitor *self)
{
  g_return_val_if_fail (BGPT_IS_MONITOR (self), FALSE);
  return self->running;
}

gboolean
bgpt_monitor_get_busy (BgptMonitor *self)
{
  g_return_val_if_fail (BGPT_IS_MONITOR (self), FALSE);
  return self->busy;
}

/* Calls @func on every check of @account_id's account, or of every
 * account when it is NULL. */
static void
foreach_check (BgptMonitor *self,
               const char  *account_id,
               void       (*func) (BgptMonitorCheck *check,
                                   gint64            now),
               gint64       now)
{
  for (guint i = 0; i < self->accounts->len; i++)
    {
      Account *account = g_ptr_array_index (self->accounts, i);

      if (account_id != NULL && g_strcmp0 (account->id, account_id) != 0)
        continue;
      for (guint j = 0; j < account->checks->len; j++)
        func (g_ptr_array_index (account->checks, j), now);
    }
}

static void
make_due (BgptMonitorCheck *check,
          gint64            now)
{
  check->due = MIN (check->due, now);
}

void
bgpt_monitor_check_now (BgptMonitor *self,
                        const char  *account_id)
{
  g_return_if_fail (BGPT_IS_MONITOR (self));

  foreach_check (self, account_id, make_due, g_get_monotonic_time ());
  schedule (self);
}

static void
make_confirm (BgptMonitorCheck *check,
              gint64            now)
{
  check->confirm = TRUE;
  /* Someone asked: one request goes past a server's wait, not a
   * loop of them. */
  if (check->not_before > now && !check->wait_overridden)
    {
      check->not_before = 0;
      check->wait_overridden = TRUE;
    }
}

void
bgpt_monitor_confirm_now (BgptMonitor *self,
                          const char  *account_id)
{
  g_return_if_fail (BGPT_IS_MONITOR (self));

  foreach_check (self, account_id, make_confirm, g_get_monotonic_time ());
  /* Someone asked: the costs too, hourly or not (offline, once back). */
  if (self->running && self->online)
    bgpt_costs_watch_refresh (self->costs_watch, account_id);
  bgpt_monitor_check_now (self, account_id);
}

const BgptCheckConfig *
bgpt_monitor_get_account_config (BgptMonitor *self,
                                 const char  *account_id)
{
  Account *account;

  g_return_val_if_fail (BGPT_IS_MONITOR (self), NULL);

  account = find_account (self, account_id, NULL);
  return account != NULL ? account->config : NULL;
}

void
bgpt_monitor_set_network_monitor (BgptMonitor     *self,
                                  GNetworkMonitor *network_monitor)
{
  g_return_if_fail (BGPT_IS_MONITOR (self));
  g_return_if_fail (network_monitor == NULL || G_IS_NETWORK_MONITOR (network_monitor));

  if (self->network_monitor != NULL)
    {
      g_clear_signal_handler (&self->network_handler, self->network_monitor);
      g_clear_object (&self->network_monitor);
    }

  self->network_monitor = g_object_ref (network_monitor != NULL ? network_monitor
                                                                : g_network_monitor_get_default ());
  self->network_handler = g_signal_connect (self->network_monitor, "network-changed",
                                            G_CALLBACK (on_network_changed), self);
  set_online (self, g_network_monitor_get_network_available (self->network_monitor));
}

GNetworkMonitor *
bgpt_monitor_get_network_monitor (BgptMonitor *self)
{
  g_return_val_if_fail (BGPT_IS_MONITOR (self), NULL);
  return self->network_monitor;
}

gboolean
bgpt_monitor_get_online (BgptMonitor *self)
{
  g_return_val_if_fail (BGPT_IS_MONITOR (self), FALSE);
  return self->online;
}

void
bgpt_monitor_set_max_concurrent (BgptMonitor *self,
                                 guint        max_accounts)
{
  g_return_if_fail (BGPT_IS_MONITOR (self));

  self->max_concurrent = MAX (1, max_accounts);
  schedule (self);
}

BgptMonitorCheck *
bgpt_monitor_lookup (BgptMonitor *self,
                     const char  *account_id,
                     const char  *check)
{
  Account *account;

  g_return_val_if_fail (BGPT_IS_MONITOR (self), NULL);

  account = find_account (self, account_id, NULL);
  if (account == NULL)
    return NULL;
  for (guint i = 0; i < account->checks->len; i++)
    {
      BgptMonitorCheck *item = g_ptr_array_index (account->checks, i);

      if (g_str_equal (item->check, check))
        return item;
    }
  return NULL;
}

guint
bgpt_monitor_count_down (BgptMonitor *self)
{
  guint n = 0;

  g_return_val_if_fail (BGPT_IS_MONITOR (self), 0);

  for (guint i = 0; i < self->accounts->len; i++)
    {
      Account *account = g_ptr_array_index (self->accounts, i);

      for (guint j = 0; j < account->checks->len; j++)
        if (((BgptMonitorCheck *) g_ptr_array_index (account->checks, j))->incident_id != NULL)
          n++;
    }
  return n;
}
