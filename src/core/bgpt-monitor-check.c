/* bgpt-monitor-check.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One watched check of one account: what the window shows of it. The
 * monitor (bgpt-monitor.c) schedules it and judges its results
 * (bgpt-monitor-rules.c); this file only holds and announces its state.
 */

#define G_LOG_DOMAIN "bgpt-monitor"

#include "config.h"

#include "bgpt-monitor-check-private.h"

G_DEFINE_ENUM_TYPE (BgptMonitorState, bgpt_monitor_state,
                    G_DEFINE_ENUM_VALUE (BGPT_MONITOR_STATE_UNKNOWN, "unknown"),
                    G_DEFINE_ENUM_VALUE (BGPT_MONITOR_STATE_CHECKING, "checking"),
                    G_DEFINE_ENUM_VALUE (BGPT_MONITOR_STATE_OK, "ok"),
                    G_DEFINE_ENUM_VALUE (BGPT_MONITOR_STATE_FAILING, "failing"),
                    G_DEFINE_ENUM_VALUE (BGPT_MONITOR_STATE_DOWN, "down"),
                    G_DEFINE_ENUM_VALUE (BGPT_MONITOR_STATE_BLOCKED, "blocked"))

enum {
  CHECK_PROP_0,
  CHECK_PROP_ACCOUNT_ID,
  CHECK_PROP_CHECK,
  CHECK_PROP_STATE,
  CHECK_PROP_DIAGNOSIS,
  CHECK_PROP_CHECKED_AT,
  CHECK_PROP_FAILURES,
  CHECK_PROP_SUCCESSES,
  CHECK_PROP_INCIDENT_ID,
  CHECK_PROP_BLOCKED_BY,
  CHECK_N_PROPS
};

static GParamSpec *check_properties[CHECK_N_PROPS];

G_DEFINE_FINAL_TYPE (BgptMonitorCheck, bgpt_monitor_check, G_TYPE_OBJECT)

static void
bgpt_monitor_check_finalize (GObject *object)
{
  BgptMonitorCheck *self = BGPT_MONITOR_CHECK (object);

  g_free (self->account_id);
  g_free (self->check);
  g_clear_pointer (&self->diagnosis, bgpt_diagnosis_free);
  g_free (self->incident_id);
  g_free (self->blocked_by);
  g_clear_pointer (&self->held, bgpt_diagnosis_free);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (bgpt_monitor_check_parent_class)->finalize (object);
}

static void
bgpt_monitor_check_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  BgptMonitorCheck *self = BGPT_MONITOR_CHECK (object);

  switch (prop_id)
    {
    case CHECK_PROP_ACCOUNT_ID:
      g_value_set_string (value, self->account_id);
      break;
    case CHECK_PROP_CHECK:
      g_value_set_string (value, self->check);
      break;
    case CHECK_PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case CHECK_PROP_DIAGNOSIS:
      g_value_set_boxed (value, self->diagnosis);
      break;
    case CHECK_PROP_CHECKED_AT:
      g_value_set_int64 (value, self->checked_at);
      break;
    case CHECK_PROP_FAILURES:
      g_value_set_uint (value, self->failures);
      break;
    case CHECK_PROP_SUCCESSES:
      g_value_set_uint (value, self->successes);
      break;
    case CHECK_PROP_INCIDENT_ID:
      g_value_set_string (value, self->incident_id);
      break;
    case CHECK_PROP_BLOCKED_BY:
      g_value_set_string (value, self->blocked_by);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bgpt_monitor_check_class_init (BgptMonitorCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = bgpt_monitor_check_finalize;
  object_class->get_property = bgpt_monitor_check_get_property;

  check_properties[CHECK_PROP_ACCOUNT_ID] =
    g_param_spec_string ("account-id", NULL, NULL, NULL, flags);
  check_properties[CHECK_PROP_CHECK] =
    g_param_spec_string ("check", NULL, NULL, NULL, flags);
  check_properties[CHECK_PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, BGPT_TYPE_MONITOR_STATE,
                       BGPT_MONITOR_STATE_UNKNOWN, flags);
  check_properties[CHECK_PROP_DIAGNOSIS] =
    g_param_spec_boxed ("diagnosis", NULL, NULL, BGPT_TYPE_DIAGNOSIS, flags);
  check_properties[CHECK_PROP_CHECKED_AT] =
    g_param_spec_int64 ("checked-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  check_properties[CHECK_PROP_FAILURES] =
    g_param_spec_uint ("failures", NULL, NULL, 0, G_MAXUINT, 0, flags);
  check_properties[CHECK_PROP_SUCCESSES] =
    g_param_spec_uint ("successes", NULL, NULL, 0, G_MAXUINT, 0, flags);
  check_properties[CHECK_PROP_INCIDENT_ID] =
    g_param_spec_string ("incident-id", NULL, NULL, NULL, flags);
  check_properties[CHECK_PROP_BLOCKED_BY] =
    g_param_spec_string ("blocked-by", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, CHECK_N_PROPS, check_properties);
}

static void
bgpt_monitor_check_init (BgptMonitorCheck *self)
{
}

BgptMonitorCheck *
bgpt_monitor_check_new (BgptMonitorAccount *account,
                        const char         *account_id,
                        const char         *check)
{
  BgptMonitorCheck *self = g_object_new (BGPT_TYPE_MONITOR_CHECK, NULL);

  self->account = account;
  self->account_id = g_strdup (account_id);
  self->check = g_strdup (check);
  self->info = bgpt_check_lookup (check);
  g_assert (self->info != NULL);
  return self;
}

void
bgpt_monitor_check_set_state (BgptMonitorCheck *self,
                              BgptMonitorState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), check_properties[CHECK_PROP_STATE]);
}

void
bgpt_monitor_check_set_counts (BgptMonitorCheck *self,
                               guint             failures,
                               guint             successes)
{
  if (self->failures != failures)
    {
      self->failures = failures;
      g_object_notify_by_pspec (G_OBJECT (self), check_properties[CHECK_PROP_FAILURES]);
    }
  if (self->successes != successes)
    {
      self->successes = successes;
      g_object_notify_by_pspec (G_OBJECT (self), check_properties[CHECK_PROP_SUCCESSES]);
    }
}

void
bgpt_monitor_check_set_incident_id (BgptMonitorCheck *self,
                                    const char       *incident_id)
{
  if (g_strcmp0 (self->incident_id, incident_id) == 0)
    return;
  g_free (self->incident_id);
  self->incident_id = g_strdup (incident_id);
  if (incident_id == NULL)
    self->quiet = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), check_properties[CHECK_PROP_INCIDENT_ID]);
}

void
bgpt_monitor_check_set_blocked_by (BgptMonitorCheck *self,
                                   const char       *blocked_by)
{
  if (g_strcmp0 (self->blocked_by, blocked_by) == 0)
    return;
  g_free (self->blocked_by);
  self->blocked_by = g_strdup (blocked_by);
  g_object_notify_by_pspec (G_OBJECT (self), check_properties[CHECK_PROP_BLOCKED_BY]);
}

void
bgpt_monitor_check_set_result (BgptMonitorCheck    *self,
                               const BgptDiagnosis *diagnosis,
                               gint64               checked_at)
{
  g_clear_pointer (&self->diagnosis, bgpt_diagnosis_free);
  self->diagnosis = bgpt_diagnosis_copy (diagnosis);
  self->checked_at = checked_at;
  g_object_notify_by_pspec (G_OBJECT (self), check_properties[CHECK_PROP_DIAGNOSIS]);
  g_object_notify_by_pspec (G_OBJECT (self), check_properties[CHECK_PROP_CHECKED_AT]);
}

const char *
bgpt_monitor_check_get_account_id (BgptMonitorCheck *self)
{
  g_return_val_if_fail (BGPT_IS_MONITOR_CHECK (self), NULL);
  return self->account_id;
}

const char *
bgpt_monitor_check_get_check (BgptMonitorCheck *self)
{
  g_return_val_if_fail (BGPT_IS_MONITOR_CHECK (self), NULL);
  return self->check;
}

BgptMonitorState
bgpt_monitor_check_get_state (BgptMonitorCheck *self)
{
  g_return_val_if_fail (BGPT_IS_MONITOR_CHECK (self), BGPT_MONITOR_STATE_UNKNOWN);
  return self->state;
}

const BgptDiagnosis *
bgpt_monitor_check_get_diagnosis (BgptMonitorCheck *self)
{
  g_return_val_if_fail (BGPT_IS_MONITOR_CHECK (self), NULL);
  return self->diagnosis;
}

gint64
bgpt_monitor_check_get_checked_at (BgptMonitorCheck *self)
{
  g_return_val_if_fail (BGPT_IS_MONITOR_CHECK (self), 0);
  return self->checked_at;
}

gint64
bgpt_monitor_check_get_not_before (BgptMonitorCheck *self)
{
  g_return_val_if_fail (BGPT_IS_MONITOR_CHECK (self), 0);
  return self->not_before;
}

guint
bgpt_monitor_check_get_failures (BgptMonitorCheck *self)
{
  g_return_val_if_fail (BGPT_IS_MONITOR_CHECK (self), 0);
  return self->failures;
}

guint
bgpt_monitor_check_get_successes (BgptMonitorCheck *self)
{
  g_return_val_if_fail (BGPT_IS_MONITOR_CHECK (self), 0);
  return self->successes;
}

const char *
bgpt_monitor_check_get_incident_id (BgptMonitorCheck *self)
{
  g_return_val_if_fail (BGPT_IS_MONITOR_CHECK (self), NULL);
  return self->incident_id;
}

const char *
bgpt_monitor_check_get_blocked_by (BgptMonitorCheck *self)
{
  g_return_val_if_fail (BGPT_IS_MONITOR_CHECK (self), NULL);
  return self->blocked_by;
}

