/* bgpt-background.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-background"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-autostart.h"
#include "bgpt-background.h"
#include "bgpt-history-recorder.h"
#include "bgpt-monitor-accounts.h"
#include "bgpt-notifier.h"

#define OPTION_NAME "background"

struct _BgptBackground
{
  GObject        parent_instance;

  GApplication  *application;   /* weak */
  GSettings     *settings;
  BgptMonitor   *monitor;
  BgptNotifier  *notifier;
  BgptAutostart *autostart;
  BgptHistory   *history;       /* the monitor's results */
  gboolean       held;
};

G_DEFINE_FINAL_TYPE (BgptBackground, bgpt_background, G_TYPE_OBJECT)

void
bgpt_background_add_option (GApplication *application)
{
  g_application_add_main_option (application, OPTION_NAME, 0, G_OPTION_FLAG_NONE,
                                 G_OPTION_ARG_NONE,
                                 _("Start monitoring in the background, without a window"),
                                 NULL);
}

int
bgpt_background_handle_local_options (GApplication *application,
                                      GVariantDict *options,
                                      gboolean     *hidden_start)
{
  g_autoptr(GError) error = NULL;

  *hidden_start = FALSE;
  if (!g_variant_dict_contains (options, OPTION_NAME))
    return -1;

  if (!g_application_register (application, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  /* Already running, so already monitoring: don't bring up its window. */
  if (g_application_get_is_remote (application))
    return 0;

  *hidden_start = TRUE;
  return -1;
}

static void
update_hold (BgptBackground *self)
{
  gboolean wanted = self->application != NULL &&
                    g_settings_get_boolean (self->settings, "run-in-background");

  if (wanted == self->held)
    return;
  self->held = wanted;
  if (wanted)
    g_application_hold (self->application);
  else
    g_application_release (self->application);
}

static void
on_run_in_background_changed (GSettings      *settings,
                              const char     *key,
                              BgptBackground *self)
{
  update_hold (self);
}

static void
bgpt_background_dispose (GObject *object)
{
  BgptBackground *self = BGPT_BACKGROUND (object);

  bgpt_background_stop (self);
  g_clear_object (&self->notifier);
  g_clear_object (&self->monitor);
  g_clear_object (&self->history);
  g_clear_object (&self->autostart);
  g_clear_object (&self->settings);
  g_clear_weak_pointer (&self->application);

  G_OBJECT_CLASS (bgpt_background_parent_class)->dispose (object);
}

static void
bgpt_background_class_init (BgptBackgroundClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = bgpt_background_dispose;
}

static void
bgpt_background_init (BgptBackground *self)
{
}

BgptBackground *
bgpt_background_new (GApplication      *application,
                     GSettings         *settings,
                     BgptAccountStore  *accounts,
                     BgptSecretStore   *secrets,
                     BgptIncidentStore *incidents)
{
  BgptBackground *self;

  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (BGPT_TYPE_BACKGROUND, NULL);
  g_set_weak_pointer (&self->application, application);
  self->settings = g_object_ref (settings);

  self->monitor = bgpt_monitor_new (settings, incidents);
  self->history = bgpt_history_new_for_monitor (self->monitor, NULL);
  self->notifier = bgpt_notifier_new (application, self->monitor, settings);
  self->autostart = bgpt_autostart_new (settings);
  bgpt_monitor_follow_accounts (self->monitor, accounts, secrets);
  bgpt_monitor_start (self->monitor);

  g_signal_connect_object (settings, "changed::run-in-background",
                           G_CALLBACK (on_run_in_background_changed), self, 0);
  update_hold (self);
  return self;
}

BgptMonitor *
bgpt_background_get_monitor (BgptBackground *self)
{
  g_return_val_if_fail (BGPT_IS_BACKGROUND (self), NULL);
  return self->monitor;
}

void
bgpt_background_send_test_notification (BgptBackground *self)
{
  g_return_if_fail (BGPT_IS_BACKGROUND (self));

  if (self->notifier != NULL)
    bgpt_notifier_send_test (self->notifier);
}

void
bgpt_background_stop (BgptBackground *self)
{
  g_return_if_fail (BGPT_IS_BACKGROUND (self));

  if (self->monitor != NULL)
    bgpt_monitor_stop (self->monitor);
  if (self->notifier != NULL)
    bgpt_notifier_withdraw_all (self->notifier);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  if (self->held && self->application != NULL)
    g_application_release (self->application);
  self->held = FALSE;
}
