/* bgpt-check-board.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "bgpt-check-config.h"
#include "bgpt-checks.h"
#include "bgpt-diagnosis.h"
#include "bgpt-history.h"
#include "bgpt-monitor.h"

G_BEGIN_DECLS

/* What the Status view shows about one check of one account. */
typedef enum
{
  BGPT_CHECK_ITEM_NOT_CONFIGURED,
  BGPT_CHECK_ITEM_CHECKING,
  BGPT_CHECK_ITEM_OK,
  BGPT_CHECK_ITEM_PROBLEM,
  BGPT_CHECK_ITEM_UNKNOWN,
  /* A check it depends on did not pass: not a problem of its own. */
  BGPT_CHECK_ITEM_BLOCKED,
} BgptCheckItemState;

#define BGPT_TYPE_CHECK_ITEM_STATE (bgpt_check_item_state_get_type ())
#define BGPT_TYPE_CHECK_ITEM (bgpt_check_item_get_type ())
#define BGPT_TYPE_CHECK_BOARD (bgpt_check_board_get_type ())

G_DECLARE_FINAL_TYPE (BgptCheckItem, bgpt_check_item, BGPT, CHECK_ITEM, GObject)
G_DECLARE_FINAL_TYPE (BgptCheckBoard, bgpt_check_board, BGPT, CHECK_BOARD, GObject)

GType                bgpt_check_item_state_get_type  (void) G_GNUC_CONST;

const char          *bgpt_check_item_get_account_id  (BgptCheckItem *self);
const char          *bgpt_check_item_get_account_name (BgptCheckItem *self);
const char          *bgpt_check_item_get_check       (BgptCheckItem *self);
BgptCheckItemState   bgpt_check_item_get_state       (BgptCheckItem *self);
/* Never a secret: the Kommo account name, the masked key, the model or the
 * assistant id. NULL when there is nothing to show. */
const char          *bgpt_check_item_get_subject     (BgptCheckItem *self);
const BgptDiagnosis *bgpt_check_item_get_diagnosis   (BgptCheckItem *self);
GDateTime           *bgpt_check_item_get_checked_at  (BgptCheckItem *self);
const char          *bgpt_check_item_get_incident_id (BgptCheckItem *self);
/* While BLOCKED: the check it waits for. */
const char          *bgpt_check_item_get_blocked_by  (BgptCheckItem *self);
/* While NOT_CONFIGURED: the inputs it lacks. */
BgptCheckNeeds       bgpt_check_item_get_missing     (BgptCheckItem *self);
/* UNKNOWN because the network is down, not because of the check. */
gboolean             bgpt_check_item_get_offline     (BgptCheckItem *self);

/* The result history of the monitor the board follows, or NULL. */
BgptHistory         *bgpt_check_item_get_history     (BgptCheckItem *self);

/* A GListModel of BgptCheckItem, account by account in the order of the
 * `accounts` setting, each with the checks that cost nothing in the order
 * of bgpt_checks_get(). It shows what
 * the monitor it follows knows: the monitor runs the checks, the board and
 * the Status view only observe. */
BgptCheckBoard      *bgpt_check_board_new            (void);
void                 bgpt_check_board_set_accounts   (BgptCheckBoard        *self,
                                                      const char * const    *account_ids);
BgptCheckItem       *bgpt_check_board_lookup         (BgptCheckBoard        *self,
                                                      const char            *account_id,
                                                      const char            *check);
/* Follows @monitor (NULL: none) from now on: each item shows its check's
 * state, latest diagnosis and open incident, a check the monitor skips
 * (an input is missing) shows NOT_CONFIGURED, and while the monitor is
 * offline every check shows UNKNOWN, keeping its last diagnosis. */
void                 bgpt_check_board_follow_monitor (BgptCheckBoard        *self,
                                                      BgptMonitor           *monitor);
BgptMonitor         *bgpt_check_board_get_monitor    (BgptCheckBoard        *self);
gboolean             bgpt_check_board_get_offline    (BgptCheckBoard        *self);
guint                bgpt_check_board_count_state    (BgptCheckBoard        *self,
                                                      BgptCheckItemState     state);

/* "sk-…wxyz": at most the last four characters of @key, never more. */
char                *bgpt_mask_secret                (const char            *key);

G_END_DECLS
