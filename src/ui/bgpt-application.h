/* bgpt-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bgpt-account-store.h"
#include "bgpt-check-board.h"
#include "bgpt-demo-mode.h"
#include "bgpt-incident-store.h"
#include "bgpt-monitor.h"

G_BEGIN_DECLS

#define BGPT_TYPE_APPLICATION (bgpt_application_get_type ())

G_DECLARE_FINAL_TYPE (BgptApplication, bgpt_application, BGPT, APPLICATION, AdwApplication)

BgptApplication   *bgpt_application_new                (void);

/* Valid from GApplication::startup on. */
GSettings         *bgpt_application_get_settings       (BgptApplication *self);
BgptAccountStore  *bgpt_application_get_account_store  (BgptApplication *self);
BgptCheckBoard    *bgpt_application_get_check_board    (BgptApplication *self);
BgptIncidentStore *bgpt_application_get_incident_store (BgptApplication *self);
/* The keyring the app reads; its operations give up after
 * BGPT_SECRET_STORE_UI_TIMEOUT_S. */
BgptSecretStore   *bgpt_application_get_secret_store   (BgptApplication *self);
/* The monitor of the stored accounts; NULL in a demo process. */
BgptMonitor       *bgpt_application_get_monitor        (BgptApplication *self);

/* The account's display name, else its id (transfer full). */
char              *bgpt_application_dup_account_name   (BgptApplication *self,
                                                        const char      *account_id);

/* Checks every stored account now, as the user's own check (app.check-now,
 * the window's first frame): the monitor loads the accounts again and
 * checks them; a failure is an incident at once, a success resolves it
 * (bgpt_monitor_confirm_now()). Starts the monitor if it was not running;
 * its BgptMonitor:busy tells when the checks are over. */
void               bgpt_application_check_now          (BgptApplication *self);
/* Where the monitor learns that the network went away (checks pause, and
 * resume when it is back); NULL: g_network_monitor_get_default(). */
void               bgpt_application_set_network_monitor (BgptApplication *self,
                                                         GNetworkMonitor *network_monitor);

/* The demo session while the demo plays (app.start-demo, --demo), else NULL. */
BgptDemoMode      *bgpt_application_get_demo_mode      (BgptApplication *self);
/* Where to read status.openai.com (bgpt_status_page_new()): the demo's own
 * page while the demo plays, else NULL for the real one. */
const char        *bgpt_application_get_status_page_url (BgptApplication *self);

G_END_DECLS
