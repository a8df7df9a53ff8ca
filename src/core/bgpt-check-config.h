/* bgpt-check-config.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The account's budget thresholds unless it sets its own (percent). */
#define BGPT_BUDGET_DEFAULT_WARNING_PERCENT  80
#define BGPT_BUDGET_DEFAULT_CRITICAL_PERCENT 100

#define BGPT_TYPE_CHECK_CONFIG (bgpt_check_config_get_type ())

/* Everything one account's checks need, secrets included. It lives only in
 * memory: the account store fills it from GSettings and the keyring, the
 * command line may override fields from the environment. NULL or empty
 * means "not set" and the checks that need the field are skipped. */
typedef struct
{
  char     *account_id;
  char     *display_name;
  char     *kommo_subdomain;      /* normalised DNS label */
  char     *kommo_base_url;       /* NULL: https://{subdomain}.kommo.com */
  char     *kommo_token;          /* secret */
  char     *openai_base_url;      /* NULL: https://api.openai.com/v1 */
  char     *openai_api_key;       /* secret */
  char     *assistant_id;
  char     *model;
  /* Optional, for the costs (src/core/bgpt-costs.h): */
  char     *openai_admin_key;     /* secret, "sk-admin-…" */
  char     *openai_project_id;    /* NULL: the whole organization */
  double    monthly_budget_usd;   /* 0: no budget */
  guint     budget_warning_percent;   /* of the budget: the projection warns */
  guint     budget_critical_percent;  /* of the budget: the spend is critical */
  /* The keyring could not be read: the checks that need a secret report
   * keyring.unavailable instead of running. */
  gboolean  keyring_unavailable;
} BgptCheckConfig;

GType            bgpt_check_config_get_type (void) G_GNUC_CONST;
BgptCheckConfig *bgpt_check_config_new      (const char            *account_id);
BgptCheckConfig *bgpt_check_config_copy     (const BgptCheckConfig *config);
void             bgpt_check_config_free     (BgptCheckConfig       *config);
/* The configured secrets, for bgpt_scrub(): a NULL-terminated array of
 * borrowed strings, to free with g_free() (not g_strfreev()). */
const char     **bgpt_check_config_secrets  (const BgptCheckConfig *config);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BgptCheckConfig, bgpt_check_config_free)

G_END_DECLS
