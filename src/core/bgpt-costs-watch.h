/* bgpt-costs-watch.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bgpt-costs.h"

G_BEGIN_DECLS

/* The costs of an account are read at most this often, and on demand. */
#define BGPT_COSTS_WATCH_INTERVAL_S 3600

#define BGPT_TYPE_COSTS_WATCH (bgpt_costs_watch_get_type ())

G_DECLARE_FINAL_TYPE (BgptCostsWatch, bgpt_costs_watch, BGPT, COSTS_WATCH, GObject)

/* Reads the costs of every account that has an admin key, at most once
 * per BGPT_COSTS_WATCH_INTERVAL_S while started, and judges them against
 * the account's budget. Emits ::changed (account id) after each reading,
 * when a new budget is judged on the costs already read, and when an
 * account goes. The monitor takes each reading as a result of the
 * account's BGPT_CHECK_OPENAI_COSTS check (bgpt-monitor.c). */
BgptCostsWatch *bgpt_costs_watch_new           (void);
/* Follows @config (copied); a new or changed admin key is read at once
 * when started. */
void            bgpt_costs_watch_set_account   (BgptCostsWatch        *self,
                                                const BgptCheckConfig *config);
void            bgpt_costs_watch_remove_account (BgptCostsWatch       *self,
                                                 const char           *account_id);
void            bgpt_costs_watch_start         (BgptCostsWatch        *self);
void            bgpt_costs_watch_stop          (BgptCostsWatch        *self);
/* Reads @account_id's costs now (NULL: every account's), again if a
 * reading is in flight. */
void            bgpt_costs_watch_refresh       (BgptCostsWatch        *self,
                                                const char            *account_id);
/* Whether @account_id has an admin key to read costs with. */
gboolean        bgpt_costs_watch_has_admin_key (BgptCostsWatch        *self,
                                                const char            *account_id);
/* The last reading of @account_id: its diagnosis (NULL before the first
 * one), and, when it passed or judged the budget, @costs and @spend
 * (else NULL). Borrowed until the next ::changed. */
const BgptDiagnosis *bgpt_costs_watch_lookup   (BgptCostsWatch        *self,
                                                const char            *account_id,
                                                const BgptCosts      **costs,
                                                const BgptSpend      **spend);
/* The clock the readings are judged by; NULL: the current time. For the
 * demo and the tests. */
void            bgpt_costs_watch_set_now       (BgptCostsWatch        *self,
                                                GDateTime             *now);
/* The HTTP policy the readings use (its timeout). */
BgptHttp       *bgpt_costs_watch_get_http      (BgptCostsWatch        *self);

G_END_DECLS
