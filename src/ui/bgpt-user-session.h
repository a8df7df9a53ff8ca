/* bgpt-user-session.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bgpt-account-store.h"
#include "bgpt-session.h"

G_BEGIN_DECLS

#define BGPT_TYPE_USER_SESSION (bgpt_user_session_get_type ())

G_DECLARE_FINAL_TYPE (BgptUserSession, bgpt_user_session, BGPT, USER_SESSION, BgptSession)

/* The user's own accounts (the io.github.bytegpt.Monitor settings), secrets
 * (the keyring, giving up after BGPT_SECRET_STORE_UI_TIMEOUT_S), incident
 * history (read on a worker thread from here) and, once started, the
 * monitor of the stored accounts with its notifications (BgptBackground). */
BgptUserSession  *bgpt_user_session_new                 (GApplication    *application);

BgptAccountStore *bgpt_user_session_get_account_store   (BgptUserSession *self);
BgptSecretStore  *bgpt_user_session_get_secret_store    (BgptUserSession *self);
/* Where the monitor learns that the network went away; NULL:
 * g_network_monitor_get_default(). */
void              bgpt_user_session_set_network_monitor (BgptUserSession *self,
                                                         GNetworkMonitor *network_monitor);
/* Writes the incident history now, for quitting. */
gboolean          bgpt_user_session_flush               (BgptUserSession *self,
                                                         GError         **error);

G_END_DECLS
