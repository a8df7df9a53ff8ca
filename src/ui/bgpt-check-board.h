/* bgpt-check-board.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "bgpt-check-config.h"
#include "bgpt-diagnosis.h"

G_BEGIN_DECLS

/* What the Status view shows about one check of one account. */
typedef enum
{
  BGPT_CHECK_ITEM_NOT_CONFIGURED,
  BGPT_CHECK_ITEM_CHECKING,
  BGPT_CHECK_ITEM_OK,
  BGPT_CHECK_ITEM_PROBLEM,
  BGPT_CHECK_ITEM_UNKNOWN,
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
/* UNKNOWN because the network is down, not because of the check. */
gboolean             bgpt_check_item_get_offline     (BgptCheckItem *self);
void                 bgpt_check_item_set_incident_id (BgptCheckItem *self,
                                                      const char    *incident_id);

/* A GListModel of BgptCheckItem, account by account in the order of the
 * `accounts` setting, each with the checks in a fixed order. Whoever runs
 * the checks (the window today, the monitor later) feeds it; the Status
 * view only observes it. */
BgptCheckBoard      *bgpt_check_board_new            (void);
void                 bgpt_check_board_set_accounts   (BgptCheckBoard        *self,
                                                      const char * const    *account_ids);
BgptCheckItem       *bgpt_check_board_lookup         (BgptCheckBoard        *self,
                                                      const char            *account_id,
                                                      const char            *check);
/* The account's inputs are being read: every check that was configured
 * shows as CHECKING. */
void                 bgpt_check_board_mark_checking  (BgptCheckBoard        *self,
                                                      const char            *account_id);
/* The checker skipped @check: its inputs are missing. */
void                 bgpt_check_board_skip           (BgptCheckBoard        *self,
                                                      const char            *account_id,
                                                      const char            *check);
/* A round starts: checks with their inputs become CHECKING, the others
 * NOT_CONFIGURED. */
void                 bgpt_check_board_begin          (BgptCheckBoard        *self,
                                                      const BgptCheckConfig *config);
void                 bgpt_check_board_record         (BgptCheckBoard        *self,
                                                      const char            *account_id,
                                                      const BgptDiagnosis   *diagnosis,
                                                      GDateTime             *checked_at);
/* The round could not run (offline, cancelled): CHECKING becomes UNKNOWN. */
void                 bgpt_check_board_abandon        (BgptCheckBoard        *self,
                                                      const char            *account_id);
/* While the network is down checks pause: every configured check shows
 * UNKNOWN, keeping its last diagnosis, until a new round. */
void                 bgpt_check_board_set_offline    (BgptCheckBoard        *self,
                                                      gboolean               offline);
gboolean             bgpt_check_board_get_offline    (BgptCheckBoard        *self);
gboolean             bgpt_check_board_is_checking    (BgptCheckBoard        *self);
guint                bgpt_check_board_count_state    (BgptCheckBoard        *self,
                                                      BgptCheckItemState     state);

/* "sk-…wxyz": at most the last four characters of @key, never more. */
char                *bgpt_mask_secret                (const char            *key);

G_END_DECLS
