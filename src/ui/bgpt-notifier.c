/* bgpt-notifier.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-notifier"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-catalog.h"
#include "bgpt-format.h"
#include "bgpt-notifier.h"
#include "bgpt-remediation.h"

#define SUMMARY_ID "incidents-summary"
#define TEST_ID "test"
#define DEFAULT_GATHER_DELAY_MS 1000
/* Lines of the summary before "and N more". */
#define SUMMARY_MAX_LINES 3

/* One check the monitor says is down. */
typedef struct
{
  BgptMonitorCheck *check;
  BgptIncident     *incident;         /* NULL without an incident store */
  char             *notification_id;
  gboolean          shown;
  char             *shown_signature;  /* what was sent, to resend only on change */
  gint64            shown_at;         /* real time, for reminders */
  gboolean          silenced;         /* as last seen: a silence "until
                                       * resolved" ends with the resolution */
} Alert;

struct _BgptNotifier
{
  GObject       parent_instance;

  GApplication *application;          /* weak */
  char         *id_prefix;            /* before every id sent, or NULL */
  BgptMonitor  *monitor;
  GSettings    *settings;

  GPtrArray    *alerts;               /* Alert, in the order they came */
  gboolean      summary_shown;
  char         *summary_signature;
  gint64        summary_shown_at;
  GHashTable   *resolved_shown;       /* ids of "resolved" notices out there */
  gboolean      test_shown;

  guint         gather_delay_ms;
  guint         gather_id;
  guint         wake_id;              /* next reminder or end of a silence */
};

G_DEFINE_FINAL_TYPE (BgptNotifier, bgpt_notifier, G_TYPE_OBJECT)

static void queue_update (BgptNotifier *self);

static void
alert_free (Alert *alert)
{
  g_clear_object (&alert->check);
  g_clear_object (&alert->incident);
  g_free (alert->notification_id);
  g_free (alert->shown_signature);
  g_free (alert);
}

static char *
notification_id_for (const char *prefix,
                     BgptMonitorCheck *check)
{
  return g_strdup_printf ("%s-%s-%s", prefix,
                          bgpt_monitor_check_get_account_id (check),
                          bgpt_monitor_check_get_check (check));
}

static Alert *
find_alert (BgptNotifier     *self,
            BgptMonitorCheck *check,
            guint            *index)
{
  for (guint i = 0; i < self->alerts->len; i++)
    {
      Alert *alert = g_ptr_array_index (self->alerts, i);

      if (alert->check == check)
        {
          if (index != NULL)
            *index = i;
          return alert;
        }
    }
  return NULL;
}

static gboolean
notifications_enabled (BgptNotifier *self)
{
  return g_settings_get_boolean (self->settings, "notifications");
}

static gboolean
alert_is_silenced (Alert  *alert,
                   gint64  now)
{
  return alert->incident != NULL && bgpt_incident_is_silenced (alert->incident, now);
}

/* The error id of @alert, and in @reason (if not NULL) its reason: the
 * incident's, or before there is one, the latest diagnosis'. */
static const char *
alert_problem (Alert       *alert,
               const char **reason)
{
  const BgptDiagnosis *diagnosis;

  if (alert->incident != NULL)
    {
      if (reason != NULL)
        *reason = bgpt_incident_get_reason (alert->incident);
      return bgpt_incident_get_error_id (alert->incident);
    }

  diagnosis = bgpt_monitor_check_get_diagnosis (alert->check);
  if (reason != NULL)
    *reason = diagnosis != NULL ? diagnosis->reason : NULL;
  return diagnosis != NULL ? diagnosis->error_id : NULL;
}

/* The incident's detail, or before there is one, the latest diagnosis'. */
static const char *
alert_detail (Alert *alert)
{
  const BgptDiagnosis *diagnosis;

  if (alert->incident != NULL)
    return bgpt_incident_get_detail (alert->incident);
  diagnosis = bgpt_monitor_check_get_diagnosis (alert->check);
  return diagnosis != NULL ? diagnosis->detail : NULL;
}

static const char *
alert_error_id (Alert *alert)
{
  return alert_problem (alert, NULL);
}

static const char *
alert_title (Alert *alert)
{
  const char *error_id = alert_error_id (alert);
  const char *title = error_id != NULL ? bgpt_catalog_title (error_id) : NULL;

  return title != NULL ? title : _("A ByteGPT connection has a problem");
}

static const char *
account_name (BgptNotifier     *self,
              BgptMonitorCheck *check)
{
  return bgpt_monitor_get_account_name (self->monitor, bgpt_monitor_check_get_account_id (check));
}

static void
send (BgptNotifier  *self,
      const char    *id,
      GNotification *notification)
{
  g_autofree char *full_id = g_strconcat (self->id_prefix != NULL ? self->id_prefix : "", id, NULL);

  if (self->application == NULL)
    return;
  g_debug ("Sending notification %s", full_id);
  g_application_send_notification (self->application, full_id, notification);
}

static void
withdraw (BgptNotifier *self,
          const char   *id)
{
  g_autofree char *full_id = g_strconcat (self->id_prefix != NULL ? self->id_prefix : "", id, NULL);

  if (self->application == NULL)
    return;
  g_debug ("Withdrawing notification %s", full_id);
  g_application_withdraw_notification (self->application, full_id);
}

static void
set_app_icon (GNotification *notification)
{
  g_autoptr(GIcon) icon = g_themed_icon_new (APPLICATION_ID);

  g_notification_set_icon (notification, icon);
}

static void
add_action_button (GNotification *notification,
                   const char    *label,
                   const char    *action_name,
                   GVariant      *target)
{
  if (target != NULL)
    g_notification_add_button_with_target_value (notification, label, action_name, target);
  else
    g_notification_add_button (notification, label, action_name);
}

static GNotification *
build_alert_notification (BgptNotifier *self,
                          Alert        *alert)
{
  g_autoptr(GNotification) notification = g_notification_new (alert_title (alert));
  const char *reason = NULL;
  const BgptCatalogEntry *entry = bgpt_catalog_lookup (alert_problem (alert, &reason));
  guint n_steps = 0;
  const BgptCatalogStep *steps = bgpt_catalog_entry_steps_for (entry, reason, &n_steps);
  const char *account_id = bgpt_monitor_check_get_account_id (alert->check);
  const char *incident_id = alert->incident != NULL ? bgpt_incident_get_id (alert->incident) : NULL;
  g_autoptr(GString) body = g_string_new (NULL);

  /* Translators: the account's name, then what was checked, e.g. "OpenAI API key". */
  g_string_append_printf (body, _("Account “%s”: %s"),
                          account_name (self, alert->check),
                          bgpt_check_title (bgpt_monitor_check_get_check (alert->check)));
  /* The figures a verdict is about: the spend, the projection and the day
   * the budget is reached. */
  if (entry != NULL && (entry->flags & BGPT_CATALOG_FLAGS_VERDICT) && alert_detail (alert) != NULL)
    {
      g_string_append_c (body, '\n');
      g_string_append (body, alert_detail (alert));
    }
  if (n_steps > 0)
    {
      g_string_append_c (body, '\n');
      g_string_append (body, bgpt_catalog_step_text (&steps[0]));
    }
  g_notification_set_body (notification, body->str);
  set_app_icon (notification);
  g_notification_set_priority (notification,
                               entry != NULL && entry->severity == BGPT_SEVERITY_WARNING
                               ? G_NOTIFICATION_PRIORITY_NORMAL : G_NOTIFICATION_PRIORITY_HIGH);

  if (incident_id != NULL)
    {
      g_notification_set_default_action_and_target (notification, "app.show-incident",
                                                    "s", incident_id);
      g_notification_add_button_with_target (notification, _("Show"), "app.show-incident",
                                             "s", incident_id);
    }
  g_notification_add_button (notification, _("Check Again"), "app.check-now");

  /* The first step's fix, unless it is the retry already offered. */
  if (n_steps > 0)
    {
      g_autofree char *action_name = NULL;
      g_autoptr(GVariant) target = NULL;

      if (bgpt_remediation_resolve (steps[0].remediation, account_id, incident_id,
                                    &action_name, &target) &&
          !g_str_equal (action_name, "app.check-now"))
        add_action_button (notification, bgpt_catalog_step_label (&steps[0]),
                           action_name, target);
    }

  return g_steal_pointer (&notification);
}

static GNotification *
build_summary_notification (BgptNotifier *self,
                            GPtrArray    *visible)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;
  g_autoptr(GString) body = g_string_new (NULL);

  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "%u ByteGPT connection has a problem",
                                        "%u ByteGPT connections have problems",
                                        visible->len),
                           visible->len);
  notification = g_notification_new (title);

  for (guint i = 0; i < visible->len && i < SUMMARY_MAX_LINES; i++)
    {
      Alert *alert = g_ptr_array_index (visible, i);

      if (body->len > 0)
        g_string_append_c (body, '\n');
      /* Translators: an error title, then the account's name. */
      g_string_append_printf (body, _("%s (%s)"), alert_title (alert),
                              account_name (self, alert->check));
    }
  if (visible->len > SUMMARY_MAX_LINES)
    {
      guint more = visible->len - SUMMARY_MAX_LINES;

      g_string_append_c (body, '\n');
      g_string_append_printf (body, g_dngettext (GETTEXT_PACKAGE,
                                                 "and %u more",
                                                 "and %u more", more),
                              more);
    }

  g_notification_set_body (notification, body->str);
  set_app_icon (notification);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  /* No default action: clicking activates the application, which shows
   * the window with the incidents. */
  g_notification_add_button (notification, _("Check Again"), "app.check-now");
  return g_steal_pointer (&notification);
}

/* What the notification says depends on the error and its reason: a
 * change of either updates it. */
static char *
alert_signature (Alert *alert)
{
  const char *reason = NULL;
  const char *error_id = alert_problem (alert, &reason);

  return g_strconcat (error_id != NULL ? error_id : "", " ", reason != NULL ? reason : "", NULL);
}

static gboolean
reminder_due (BgptNotifier *self,
              gint64        shown_at,
              gint64        now)
{
  guint reminder_s = g_settings_get_uint (self->settings, "reminder-interval");

  return reminder_s > 0 && now - shown_at >= (gint64) reminder_s * G_USEC_PER_SEC;
}

static gboolean
on_wake (gpointer user_data)
{
  BgptNotifier *self = user_data;

  self->wake_id = 0;
  queue_update (self);
  return G_SOURCE_REMOVE;
}

/* The next moment something may change on its own: a reminder falls due or
 * a timed silence ends. */
static void
arm_wake (BgptNotifier *self,
          gint64        now)
{
  guint reminder_s = g_settings_get_uint (self->settings, "reminder-interval");
  gint64 next = G_MAXINT64;

  g_clear_handle_id (&self->wake_id, g_source_remove);

  if (!notifications_enabled (self))
    return;

  for (guint i = 0; i < self->alerts->len; i++)
    {
      Alert *alert = g_ptr_array_index (self->alerts, i);
      gint64 until = alert->incident != NULL ? bgpt_incident_get_silenced_until (alert->incident) : 0;

      if (alert_is_silenced (alert, now) && until != BGPT_INCIDENT_SILENCE_UNTIL_RESOLVED)
        next = MIN (next, until);
      if (alert->shown && reminder_s > 0)
        next = MIN (next, alert->shown_at + (gint64) reminder_s * G_USEC_PER_SEC);
    }
  if (self->summary_shown && reminder_s > 0)
    next = MIN (next, self->summary_shown_at + (gint64) reminder_s * G_USEC_PER_SEC);

  if (next != G_MAXINT64)
    {
      gint64 delay_s = MAX (1, (next - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);

      self->wake_id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, (guint) MIN (delay_s, G_MAXUINT),
                                                  on_wake, self, NULL);
    }
}

/* Brings what is shown in line with the open, unsilenced incidents. */
static void
update (BgptNotifier *self)
{
  g_autoptr(GPtrArray) visible = g_ptr_array_new ();
  gint64 now = g_get_real_time ();
  gboolean enabled = notifications_enabled (self);

  for (guint i = 0; i < self->alerts->len; i++)
    {
      Alert *alert = g_ptr_array_index (self->alerts, i);

      alert->silenced = alert_is_silenced (alert, now);
      if (enabled && !alert->silenced)
        g_ptr_array_add (visible, alert);
    }

  if (visible->len >= 2)
    {
      g_autoptr(GString) signature = g_string_new (NULL);

      for (guint i = 0; i < self->alerts->len; i++)
        {
          Alert *alert = g_ptr_array_index (self->alerts, i);

          if (alert->shown)
            {
              withdraw (self, alert->notification_id);
              alert->shown = FALSE;
              g_clear_pointer (&alert->shown_signature, g_free);
            }
        }
      for (guint i = 0; i < visible->len; i++)
        {
          Alert *alert = g_ptr_array_index (visible, i);

          g_string_append_printf (signature, "%s=%s;", alert->notification_id,
                                  alert_error_id (alert));
        }
      if (!self->summary_shown || g_strcmp0 (self->summary_signature, signature->str) != 0 ||
          reminder_due (self, self->summary_shown_at, now))
        {
          g_autoptr(GNotification) notification = build_summary_notification (self, visible);

          send (self, SUMMARY_ID, notification);
          self->summary_shown = TRUE;
          self->summary_shown_at = now;
          g_free (self->summary_signature);
          self->summary_signature = g_string_free (g_steal_pointer (&signature), FALSE);
        }
    }
  else
    {
      if (self->summary_shown)
        {
          withdraw (self, SUMMARY_ID);
          self->summary_shown = FALSE;
          g_clear_pointer (&self->summary_signature, g_free);
        }

      for (guint i = 0; i < self->alerts->len; i++)
        {
          Alert *alert = g_ptr_array_index (self->alerts, i);
          g_autofree char *signature = NULL;

          if (visible->len == 0 || g_ptr_array_index (visible, 0) != alert)
            {
              if (alert->shown)
                {
                  withdraw (self, alert->notification_id);
                  alert->shown = FALSE;
                  g_clear_pointer (&alert->shown_signature, g_free);
                }
              continue;
            }

          signature = alert_signature (alert);
          if (!alert->shown || g_strcmp0 (alert->shown_signature, signature) != 0 ||
              reminder_due (self, alert->shown_at, now))
            {
              g_autoptr(GNotification) notification = build_alert_notification (self, alert);

              send (self, alert->notification_id, notification);
              alert->shown = TRUE;
              alert->shown_at = now;
              g_free (alert->shown_signature);
              alert->shown_signature = g_steal_pointer (&signature);
            }
        }
    }

  arm_wake (self, now);
}

static gboolean
on_gathered (gpointer user_data)
{
  BgptNotifier *self = user_data;

  self->gather_id = 0;
  update (self);
  return G_SOURCE_REMOVE;
}

static void
queue_update (BgptNotifier *self)
{
  if (self->gather_id != 0)
    return;
  self->gather_id = g_timeout_add (self->gather_delay_ms, on_gathered, self);
}

static void
on_incident_silenced (BgptIncident *incident,
                      GParamSpec   *pspec,
                      BgptNotifier *self)
{
  gint64 now = g_get_real_time ();

  for (guint i = 0; i < self->alerts->len; i++)
    {
      Alert *alert = g_ptr_array_index (self->alerts, i);

      if (alert->incident == incident)
        alert->silenced = alert_is_silenced (alert, now);
    }

  queue_update (self);
}

static void
alert_set_incident (BgptNotifier *self,
                    Alert        *alert,
                    BgptIncident *incident)
{
  if (alert->incident == incident)
    return;
  if (alert->incident != NULL)
    g_signal_handlers_disconnect_by_data (alert->incident, self);
  g_set_object (&alert->incident, incident);
  if (incident != NULL)
    g_signal_connect_object (incident, "notify::silenced-until",
                             G_CALLBACK (on_incident_silenced), self, 0);
}

static void
on_incident_raised (BgptMonitor      *monitor,
                    BgptMonitorCheck *check,
                    BgptIncident     *incident,
                    BgptNotifier     *self)
{
  Alert *alert = find_alert (self, check, NULL);
  g_autofree char *resolved_id = notification_id_for ("resolved", check);

  if (alert == NULL)
    {
      alert = g_new0 (Alert, 1);
      alert->check = g_object_ref (check);
      alert->notification_id = notification_id_for ("incident", check);
      g_ptr_array_add (self->alerts, alert);
    }
  alert_set_incident (self, alert, incident);

  /* Down again: an old "resolved" notice would now mislead. */
  if (g_hash_table_remove (self->resolved_shown, resolved_id))
    withdraw (self, resolved_id);

  queue_update (self);
}

static void
on_incident_resolved (BgptMonitor      *monitor,
                      BgptMonitorCheck *check,
                      BgptIncident     *incident,
                      BgptNotifier     *self)
{
  guint index;
  Alert *alert = find_alert (self, check, &index);
  gboolean was_silenced;

  if (alert == NULL)
    return;

  was_silenced = alert->silenced || alert_is_silenced (alert, g_get_real_time ());
  if (alert->shown)
    withdraw (self, alert->notification_id);
  if (alert->incident != NULL)
    g_signal_handlers_disconnect_by_data (alert->incident, self);

  if (!was_silenced && notifications_enabled (self) &&
      g_settings_get_boolean (self->settings, "notify-resolved"))
    {
      g_autoptr(GNotification) notification = NULL;
      g_autofree char *id = notification_id_for ("resolved", check);
      g_autofree char *title = NULL;

      /* Translators: %s is an error title. */
      title = g_strdup_printf (_("Resolved: %s"), alert_title (alert));
      notification = g_notification_new (title);
      g_notification_set_body (notification, account_name (self, check));
      set_app_icon (notification);
      g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_LOW);
      if (incident != NULL)
        g_notification_set_default_action_and_target (notification, "app.show-incident",
                                                      "s", bgpt_incident_get_id (incident));
      send (self, id, notification);
      g_hash_table_add (self->resolved_shown, g_steal_pointer (&id));
    }

  g_ptr_array_remove_index (self->alerts, index);
  queue_update (self);
}

static void
on_settings_changed (GSettings    *settings,
                     const char   *key,
                     BgptNotifier *self)
{
  if (g_str_equal (key, "notifications") && !g_settings_get_boolean (settings, key))
    {
      GHashTableIter iter;
      const char *id;

      g_hash_table_iter_init (&iter, self->resolved_shown);
      while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
        withdraw (self, id);
      g_hash_table_remove_all (self->resolved_shown);
    }
  if (g_str_equal (key, "notifications") || g_str_equal (key, "reminder-interval"))
    queue_update (self);
}

static void
bgpt_notifier_dispose (GObject *object)
{
  BgptNotifier *self = BGPT_NOTIFIER (object);

  g_clear_handle_id (&self->gather_id, g_source_remove);
  g_clear_handle_id (&self->wake_id, g_source_remove);
  if (self->alerts != NULL)
    {
      for (guint i = 0; i < self->alerts->len; i++)
        {
          Alert *alert = g_ptr_array_index (self->alerts, i);

          if (alert->incident != NULL)
            g_signal_handlers_disconnect_by_data (alert->incident, self);
        }
      g_ptr_array_set_size (self->alerts, 0);
    }
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->monitor);
  g_clear_object (&self->settings);
  g_clear_weak_pointer (&self->application);

  G_OBJECT_CLASS (bgpt_notifier_parent_class)->dispose (object);
}

static void
bgpt_notifier_finalize (GObject *object)
{
  BgptNotifier *self = BGPT_NOTIFIER (object);

  g_clear_pointer (&self->alerts, g_ptr_array_unref);
  g_clear_pointer (&self->resolved_shown, g_hash_table_unref);
  g_free (self->summary_signature);
  g_free (self->id_prefix);

  G_OBJECT_CLASS (bgpt_notifier_parent_class)->finalize (object);
}

static void
bgpt_notifier_class_init (BgptNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bgpt_notifier_dispose;
  object_class->finalize = bgpt_notifier_finalize;
}

static void
bgpt_notifier_init (BgptNotifier *self)
{
  self->alerts = g_ptr_array_new_with_free_func ((GDestroyNotify) alert_free);
  self->resolved_shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->gather_delay_ms = DEFAULT_GATHER_DELAY_MS;
}

BgptNotifier *
bgpt_notifier_new (GApplication *application,
                   BgptMonitor  *monitor,
                   GSettings    *settings)
{
  BgptNotifier *self;

  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (BGPT_IS_MONITOR (monitor), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (BGPT_TYPE_NOTIFIER, NULL);
  g_set_weak_pointer (&self->application, application);
  self->monitor = g_object_ref (monitor);
  self->settings = g_object_ref (settings);

  /* Updates of a check that is down go the same way as raising it: the
   * first one after a restart adopts an incident left open. */
  g_signal_connect (monitor, "incident-raised", G_CALLBACK (on_incident_raised), self);
  g_signal_connect (monitor, "incident-updated", G_CALLBACK (on_incident_raised), self);
  g_signal_connect (monitor, "incident-resolved", G_CALLBACK (on_incident_resolved), self);
  g_signal_connect (settings, "changed", G_CALLBACK (on_settings_changed), self);
  return self;
}

void
bgpt_notifier_set_id_prefix (BgptNotifier *self,
                             const char   *prefix)
{
  g_return_if_fail (BGPT_IS_NOTIFIER (self));

  g_free (self->id_prefix);
  self->id_prefix = g_strdup (prefix);
}

void
bgpt_notifier_set_gather_delay (BgptNotifier *self,
                                guint         delay_ms)
{
  g_return_if_fail (BGPT_IS_NOTIFIER (self));
  self->gather_delay_ms = delay_ms;
}

void
bgpt_notifier_send_test (BgptNotifier *self)
{
  g_autoptr(GNotification) notification = NULL;

  g_return_if_fail (BGPT_IS_NOTIFIER (self));

  notification = g_notification_new (_("Test notification"));
  g_notification_set_body (notification,
                           _("ByteGPT Monitor can notify you. When a connection breaks, "
                             "the notification looks like this one."));
  set_app_icon (notification);
  send (self, TEST_ID, notification);
  self->test_shown = TRUE;
}

void
bgpt_notifier_withdraw_all (BgptNotifier *self)
{
  GHashTableIter iter;
  const char *id;

  g_return_if_fail (BGPT_IS_NOTIFIER (self));

  g_clear_handle_id (&self->gather_id, g_source_remove);
  g_clear_handle_id (&self->wake_id, g_source_remove);
  for (guint i = 0; i < self->alerts->len; i++)
    {
      Alert *alert = g_ptr_array_index (self->alerts, i);

      if (alert->shown)
        withdraw (self, alert->notification_id);
      alert->shown = FALSE;
      g_clear_pointer (&alert->shown_signature, g_free);
    }
  if (self->summary_shown)
    withdraw (self, SUMMARY_ID);
  self->summary_shown = FALSE;
  g_clear_pointer (&self->summary_signature, g_free);
  g_hash_table_iter_init (&iter, self->resolved_shown);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
    withdraw (self, id);
  g_hash_table_remove_all (self->resolved_shown);
  if (self->test_shown)
    withdraw (self, TEST_ID);
  self->test_shown = FALSE;
}
