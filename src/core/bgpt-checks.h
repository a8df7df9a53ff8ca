/* bgpt-checks.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bgpt-check-config.h"
#include "bgpt-diagnosis.h"
#include "bgpt-http.h"

G_BEGIN_DECLS

/* What became of one check of one account. */
typedef enum
{
  BGPT_CHECK_STATUS_OK,
  BGPT_CHECK_STATUS_ERROR,
  BGPT_CHECK_STATUS_SKIPPED,  /* an input is missing, or it was not asked for */
  BGPT_CHECK_STATUS_BLOCKED,  /* a check it depends on did not pass */
} BgptCheckStatus;

/* The inputs a check needs, besides the account. */
typedef enum
{
  BGPT_CHECK_NEEDS_KOMMO_ADDRESS = 1 << 0,  /* a Kommo subdomain or base URL */
  BGPT_CHECK_NEEDS_KOMMO_TOKEN   = 1 << 1,
  BGPT_CHECK_NEEDS_OPENAI_KEY    = 1 << 2,
  BGPT_CHECK_NEEDS_MODEL         = 1 << 3,
  BGPT_CHECK_NEEDS_ASSISTANT_ID  = 1 << 4,
  BGPT_CHECK_NEEDS_OPENAI_ADMIN_KEY = 1 << 5,
} BgptCheckNeeds;

#define BGPT_CHECK_NEEDS_SECRETS (BGPT_CHECK_NEEDS_KOMMO_TOKEN | BGPT_CHECK_NEEDS_OPENAI_KEY)

typedef void           (*BgptCheckStartFunc)  (BgptHttp              *http,
                                               const BgptCheckConfig *config,
                                               GCancellable          *cancellable,
                                               GAsyncReadyCallback    callback,
                                               gpointer               user_data);
/* NULL only when cancelled. */
typedef BgptDiagnosis *(*BgptCheckFinishFunc) (BgptHttp              *http,
                                               GAsyncResult          *result,
                                               GError               **error);

#define BGPT_CHECK_MAX_DEPENDENCIES 2

/* How many rows bgpt_checks_get() has, for arrays indexed like it. */
#define BGPT_N_CHECKS 5

/* One row of the table of checks (docs/architecture.md, The check table):
 * the only list of checks; the checker, the monitor, the wizard, the window
 * and --check all read it. A check comes after every check it depends on. */
typedef struct
{
  const char          *id;        /* BGPT_CHECK_*, stable, never translated */
  BgptService          service;
  const char          *title;     /* untranslated msgid: "OpenAI API key" */
  /* Untranslated msgid: what a check blocked by this one shows. */
  const char          *waiting;
  BgptCheckNeeds       needs;
  /* The one input the check is about, shown beside it (a secret masked). */
  BgptCheckNeeds       subject;
  /* Costs money: runs only when a deep check is asked for. */
  gboolean             billable;
  /* Ends at the first NULL. A dependency that is not run (an input is
   * missing) blocks nothing: openai.quota waits for openai.model only when
   * a model is set. */
  const char          *depends_on[BGPT_CHECK_MAX_DEPENDENCIES + 1];
  BgptCheckStartFunc   start;
  BgptCheckFinishFunc  finish;
} BgptCheck;

typedef enum
{
  BGPT_CHECK_READINESS_SKIP,        /* an input is missing, or not asked for */
  BGPT_CHECK_READINESS_RUN,
  /* Its settings are there, its secret could not be read from the keyring:
   * the check's result is keyring.unavailable, without a request. */
  BGPT_CHECK_READINESS_NO_KEYRING,
} BgptCheckReadiness;

const BgptCheck    *bgpt_checks_get          (gsize                 *n_checks);
/* A row of the table, or the costs check's (bgpt_check_costs()). */
const BgptCheck    *bgpt_check_lookup        (const char            *id);
/* BGPT_CHECK_OPENAI_COSTS: not in the table, since the checker and the
 * wizard do not run it; the monitor watches it for the accounts with an
 * admin key, reading it through BgptCostsWatch (start and finish are
 * NULL), and --check reads it on its own. */
const BgptCheck    *bgpt_check_costs         (void);
/* The translated title of @check, or @id itself when it is not a check. */
const char         *bgpt_check_title         (const char            *id);
/* "Waiting for the API key": what a check blocked by @blocked_by shows. */
const char         *bgpt_check_waiting_text  (const char            *blocked_by);
/* The inputs of @config that @check needs and lacks (none: 0). */
BgptCheckNeeds      bgpt_check_missing       (const BgptCheck       *check,
                                              const BgptCheckConfig *config);
BgptCheckReadiness  bgpt_check_readiness     (const BgptCheck       *check,
                                              const BgptCheckConfig *config,
                                              gboolean               deep);
/* The secret of @config that @check sends, or NULL. */
const char         *bgpt_check_secret        (const BgptCheck       *check,
                                              const BgptCheckConfig *config);

/* Where another check stands, for bgpt_check_find_blocker(). */
typedef BgptCheckStatus (*BgptCheckStatusFunc) (const char *check_id,
                                                gpointer    user_data);

/* The first check @check depends on that did not pass (whose status is
 * ERROR or BLOCKED), or NULL when nothing blocks it. */
const char         *bgpt_check_find_blocker  (const BgptCheck       *check,
                                              BgptCheckStatusFunc    status_of,
                                              gpointer               user_data);

/* The dependency rule over one round: @statuses and @blocked_by are indexed
 * like bgpt_checks_get(); every check whose dependency did not pass becomes
 * BLOCKED, with blocked_by[i] the dependency's id (else NULL). */
void                bgpt_checks_apply_dependencies (BgptCheckStatus *statuses,
                                                    const char     **blocked_by);

/* "ok", "error", "skipped", "blocked" (stable, for JSON). */
const char         *bgpt_check_status_to_string    (BgptCheckStatus  status);

G_END_DECLS
