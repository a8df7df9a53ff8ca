/* bgpt-notifier.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "bgpt-incident-store.h"
#include "bgpt-monitor.h"

G_BEGIN_DECLS

#define BGPT_TYPE_NOTIFIER (bgpt_notifier_get_type ())

G_DECLARE_FINAL_TYPE (BgptNotifier, bgpt_notifier, BGPT, NOTIFIER, GObject)

/* Turns what @monitor confirms into desktop notifications sent through
 * @application (GNotification, GIO only):
 *
 * - one notification per incident ("incident-ACCOUNT-CHECK"), updated in
 *   place, with the catalog title and the account, and buttons that fire
 *   app.show-incident, app.check-now and the incident's primary fix;
 * - one summary ("incidents-summary") instead when several are open;
 * - withdrawn when resolved, with a short "resolved" notice when
 *   `notify-resolved` is on; reminders at most every `reminder-interval`;
 * - nothing for silenced incidents, nor when `notifications` is off (the
 *   incident store records everything regardless).
 *
 * Changes that arrive together (several checks of one round) are gathered
 * for a moment so that they give one notification, not a burst. */
BgptNotifier *bgpt_notifier_new                (GApplication *application,
                                                BgptMonitor  *monitor,
                                                GSettings    *settings);

/* Put before the id of every notification it sends, so that two notifiers
 * of one application (the user's and the demo's) never replace or withdraw
 * each other's notifications. Set it before the first one is sent. */
void          bgpt_notifier_set_id_prefix      (BgptNotifier *self,
                                                const char   *prefix);

/* How long changes are gathered before notifying, in milliseconds
 * (default 1000). */
void          bgpt_notifier_set_gather_delay   (BgptNotifier *self,
                                                guint         delay_ms);

/* Sends a sample notification, whatever the settings say: for the
 * Preferences button (app.test-notification). */
void          bgpt_notifier_send_test          (BgptNotifier *self);

/* Takes every notification it showed off the screen, for quitting: the
 * checks stop, so what they said can no longer be kept up to date. */
void          bgpt_notifier_withdraw_all       (BgptNotifier *self);

G_END_DECLS
