/* bgpt-monitor.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "bgpt-check-config.h"
#include "bgpt-costs-watch.h"
#include "bgpt-diagnosis.h"
#include "bgpt-incident-store.h"
#include "bgpt-monitor-check.h"

G_BEGIN_DECLS

#define BGPT_TYPE_MONITOR (bgpt_monitor_get_type ())
G_DECLARE_FINAL_TYPE (BgptMonitor, bgpt_monitor, BGPT, MONITOR, GObject)

/* @settings is the main io.github.bytegpt.Monitor schema; its intervals,
 * thresholds, timeout and deep-check are followed live. Confirmed failures
 * are reported to @incidents and resolved there. The monitor is a GListModel
 * of BgptMonitorCheck, account by account in the order they were added. */
BgptMonitor     *bgpt_monitor_new                 (GSettings             *settings,
                                                   BgptIncidentStore     *incidents);

/* Adds the account, or replaces its inputs (a secret or URL changed): the
 * checks it needs are watched from now on and are due at once. The same
 * inputs again change nothing. The config is copied; its secrets stay in
 * memory only. */
void             bgpt_monitor_set_account         (BgptMonitor           *self,
                                                   const BgptCheckConfig *config);
void             bgpt_monitor_remove_account      (BgptMonitor           *self,
                                                   const char            *account_id);
/* The account ids, in order; free with g_strfreev(). */
char           **bgpt_monitor_dup_account_ids     (BgptMonitor           *self);

/* Scheduling only runs between start and stop (stop cancels what is in
 * flight). */
void             bgpt_monitor_start               (BgptMonitor           *self);
void             bgpt_monitor_stop                (BgptMonitor           *self);
gboolean         bgpt_monitor_is_running          (BgptMonitor           *self);
/* TRUE while checks are in flight; ::notify::busy turns FALSE once a
 * round of checks (including what its results made due at once, such as a
 * check that waited for another) has answered, been cancelled or paused
 * offline. */
gboolean         bgpt_monitor_get_busy            (BgptMonitor           *self);

/* Makes every check of @account_id (NULL: of every account) due now, except
 * where a server asked to wait (Retry-After) and the hourly deep check. */
void             bgpt_monitor_check_now           (BgptMonitor           *self,
                                                   const char            *account_id);

/* Like bgpt_monitor_check_now(), for a check the user asked for ("Check
 * now", the window's first check): the next result of each check is
 * definitive. A failure raises (or updates) its incident at once and a
 * success resolves it, whatever the thresholds; background checks keep
 * them. Offline, the checks stay marked until they can run. It goes past
 * a server's Retry-After (or a rate-limit back-off) once; asked again
 * before anything else answered, it waits like check_now. */
void             bgpt_monitor_confirm_now         (BgptMonitor           *self,
                                                   const char            *account_id);
/* The inputs the account is watched with (secrets included: never show
 * them), or NULL when it is not watched. */
const BgptCheckConfig *bgpt_monitor_get_account_config (BgptMonitor      *self,
                                                        const char       *account_id);

/* NULL: g_network_monitor_get_default(). */
void             bgpt_monitor_set_network_monitor (BgptMonitor           *self,
                                                   GNetworkMonitor       *network_monitor);
GNetworkMonitor *bgpt_monitor_get_network_monitor (BgptMonitor           *self);
gboolean         bgpt_monitor_get_online          (BgptMonitor           *self);

/* How many accounts have checks in flight at the same time (default 16). */
void             bgpt_monitor_set_max_concurrent  (BgptMonitor           *self,
                                                   guint                  max_accounts);

BgptMonitorCheck *bgpt_monitor_lookup             (BgptMonitor           *self,
                                                   const char            *account_id,
                                                   const char            *check);
/* The checks with an open incident: root causes only, since a blocked
 * check raises none. */
guint            bgpt_monitor_count_down          (BgptMonitor           *self);
/* The display name given with the account's config, else its id. */
const char      *bgpt_monitor_get_account_name    (BgptMonitor           *self,
                                                   const char            *account_id);

/* The costs of the accounts with an admin key, read at most hourly while
 * the monitor runs, and when asked (bgpt_monitor_confirm_now()). */
BgptCostsWatch  *bgpt_monitor_get_costs_watch     (BgptMonitor           *self);

G_END_DECLS
