/* bgpt-monitor-accounts.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bgpt-account-store.h"
#include "bgpt-monitor.h"
#include "bgpt-secret-store.h"

G_BEGIN_DECLS

/* Keeps the accounts @monitor watches in line with @accounts: every
 * account's inputs are loaded with its secrets (asynchronously, from the
 * keyring) now and whenever the store changes. Follows until @monitor is
 * finalized. */
void bgpt_monitor_follow_accounts (BgptMonitor      *monitor,
                                   BgptAccountStore *accounts,
                                   BgptSecretStore  *secrets);

/* "Check now" after a fix: loads the inputs again (the store does not
 * announce a secret replaced in the keyring), then checks every account as
 * the user asked for it (bgpt_monitor_confirm_now()). Without following,
 * only the latter. */
void bgpt_monitor_reload_accounts (BgptMonitor      *monitor);

G_END_DECLS
