/* bgpt-background.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "bgpt-account-store.h"
#include "bgpt-incident-store.h"
#include "bgpt-monitor.h"
#include "bgpt-secret-store.h"

G_BEGIN_DECLS

#define BGPT_TYPE_BACKGROUND (bgpt_background_get_type ())

G_DECLARE_FINAL_TYPE (BgptBackground, bgpt_background, BGPT, BACKGROUND, GObject)

/* What keeps watching with no window open: the monitor of the stored
 * accounts, its desktop notifications, start at login, and a hold on the
 * application while `run-in-background` is on, so that closing the window
 * does not quit. app.quit still quits. */

/* Adds `--background` (start monitoring without a window) to the
 * application's options; call from the application's init. */
void            bgpt_background_add_option             (GApplication      *application);
/* From handle-local-options: -1 to go on, or an exit status (0 when another
 * instance already runs: a hidden start then has nothing to do).
 * @hidden_start: set to TRUE when the activation to come must show no
 * window. */
int             bgpt_background_handle_local_options   (GApplication      *application,
                                                        GVariantDict      *options,
                                                        gboolean          *hidden_start);

/* From startup. Starts monitoring at once. */
BgptBackground *bgpt_background_new                    (GApplication      *application,
                                                        GSettings         *settings,
                                                        BgptAccountStore  *accounts,
                                                        BgptSecretStore   *secrets,
                                                        BgptIncidentStore *incidents);
BgptMonitor    *bgpt_background_get_monitor            (BgptBackground    *self);
/* A sample notification, for the Preferences button. */
void            bgpt_background_send_test_notification (BgptBackground    *self);
/* From shutdown: stops the checks, takes the notifications off the screen
 * and lets go of the application. */
void            bgpt_background_stop                   (BgptBackground    *self);

G_END_DECLS
