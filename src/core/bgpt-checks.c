/* bgpt-checks.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-checks"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-checks.h"
#include "bgpt-kommo-client.h"
#include "bgpt-openai-client.h"

static const BgptCheck checks[] = {
  { BGPT_CHECK_KOMMO_ACCOUNT, BGPT_SERVICE_KOMMO,
    N_("Kommo account"), N_("Waiting for the Kommo account"),
    BGPT_CHECK_NEEDS_KOMMO_ADDRESS | BGPT_CHECK_NEEDS_KOMMO_TOKEN, BGPT_CHECK_NEEDS_KOMMO_ADDRESS, FALSE,
    { NULL },
    bgpt_kommo_check_account_async, bgpt_kommo_check_account_finish },
  { BGPT_CHECK_OPENAI_KEY, BGPT_SERVICE_OPENAI,
    N_("OpenAI API key"), N_("Waiting for the API key"),
    BGPT_CHECK_NEEDS_OPENAI_KEY, BGPT_CHECK_NEEDS_OPENAI_KEY, FALSE,
    { NULL },
    bgpt_openai_check_key_async, bgpt_openai_check_finish },
  { BGPT_CHECK_OPENAI_MODEL, BGPT_SERVICE_OPENAI,
    N_("OpenAI model"), N_("Waiting for the model"),
    BGPT_CHECK_NEEDS_OPENAI_KEY | BGPT_CHECK_NEEDS_MODEL, BGPT_CHECK_NEEDS_MODEL, FALSE,
    { BGPT_CHECK_OPENAI_KEY, NULL },
    bgpt_openai_check_model_async, bgpt_openai_check_finish },
  { BGPT_CHECK_OPENAI_ASSISTANT, BGPT_SERVICE_OPENAI,
    N_("OpenAI assistant"), N_("Waiting for the assistant"),
    BGPT_CHECK_NEEDS_OPENAI_KEY | BGPT_CHECK_NEEDS_ASSISTANT_ID, BGPT_CHECK_NEEDS_ASSISTANT_ID, FALSE,
    { BGPT_CHECK_OPENAI_KEY, NULL },
    bgpt_openai_check_assistant_async, bgpt_openai_check_finish },
  { BGPT_CHECK_OPENAI_QUOTA, BGPT_SERVICE_OPENAI,
    N_("OpenAI quota (deep check)"), N_("Waiting for the quota check"),
    BGPT_CHECK_NEEDS_OPENAI_KEY, BGPT_CHECK_NEEDS_MODEL, TRUE,
    { BGPT_CHECK_OPENAI_KEY, BGPT_CHECK_OPENAI_MODEL, NULL },
    bgpt_openai_check_quota_async, bgpt_openai_check_finish },
};

G_STATIC_ASSERT (G_N_ELEMENTS (checks) == BGPT_N_CHECKS);

/* An admin key is another credential than the API key: the costs depend on
 * no other check. */
static const BgptCheck costs_check = {
  BGPT_CHECK_OPENAI_COSTS, BGPT_SERVICE_OPENAI,
  N_("OpenAI spending"), N_("Waiting for the costs"),
  BGPT_CHECK_NEEDS_OPENAI_ADMIN_KEY, BGPT_CHECK_NEEDS_OPENAI_ADMIN_KEY, FALSE,
  { NULL },
  NULL, NULL,
};

const BgptCheck *
bgpt_checks_get (gsize *n_checks)
{
  if (n_checks != NULL)
    *n_checks = G_N_ELEMENTS (checks);
  return checks;
}

static gssize
check_index (const char *id)
{
  for (gsize i = 0; i < G_N_ELEMENTS (checks); i++)
    if (g_strcmp0 (checks[i].id, id) == 0)
      return (gssize) i;
  return -1;
}

const BgptCheck *
bgpt_check_costs (void)
{
  return &costs_check;
}

const BgptCheck *
bgpt_check_lookup (const char *id)
{
  gssize index = check_index (id);

  if (index < 0 && g_strcmp0 (id, BGPT_CHECK_OPENAI_COSTS) == 0)
    return &costs_check;
  return index >= 0 ? &checks[index] : NULL;
}

const char *
bgpt_check_title (const char *id)
{
  const BgptCheck *check = bgpt_check_lookup (id);

  return check != NULL ? _(check->title) : id;
}

const char *
bgpt_check_waiting_text (const char *blocked_by)
{
  const BgptCheck *check = bgpt_check_lookup (blocked_by);

  return check != NULL ? _(check->waiting) : _("Waiting for another check");
}

static gboolean
is_set (const char *text)
{
  return text != NULL && *text != '\0';
}

BgptCheckNeeds
bgpt_check_missing (const BgptCheck       *check,
                    const BgptCheckConfig *config)
{
  BgptCheckNeeds have = 0;

  g_return_val_if_fail (check != NULL && config != NULL, 0);

  if (is_set (config->kommo_subdomain) || is_set (config->kommo_base_url))
    have |= BGPT_CHECK_NEEDS_KOMMO_ADDRESS;
  if (is_set (config->kommo_token))
    have |= BGPT_CHECK_NEEDS_KOMMO_TOKEN;
  if (is_set (config->openai_api_key))
    have |= BGPT_CHECK_NEEDS_OPENAI_KEY;
  if (is_set (config->model))
    have |= BGPT_CHECK_NEEDS_MODEL;
  if (is_set (config->assistant_id))
    have |= BGPT_CHECK_NEEDS_ASSISTANT_ID;
  if (is_set (config->openai_admin_key))
    have |= BGPT_CHECK_NEEDS_OPENAI_ADMIN_KEY;

  return check->needs & ~have;
}

BgptCheckReadiness
bgpt_check_readiness (const BgptCheck       *check,
                      const BgptCheckConfig *config,
                      gboolean               deep)
{
  BgptCheckNeeds missing;

  g_return_val_if_fail (check != NULL && config != NULL, BGPT_CHECK_READINESS_SKIP);

  if (check->billable && !deep)
    return BGPT_CHECK_READINESS_SKIP;

  missing = bgpt_check_missing (check, config);
  if (missing == 0)
    return BGPT_CHECK_READINESS_RUN;
  /* Only the secrets are missing, and only because the keyring failed. */
  if ((missing & ~BGPT_CHECK_NEEDS_SECRETS) == 0 && config->keyring_unavailable)
    return BGPT_CHECK_READINESS_NO_KEYRING;
  return BGPT_CHECK_READINESS_SKIP;
}

const char *
bgpt_check_secret (const BgptCheck       *check,
                   const BgptCheckConfig *config)
{
  g_return_val_if_fail (check != NULL && config != NULL, NULL);

  if (check->needs & BGPT_CHECK_NEEDS_KOMMO_TOKEN)
    return config->kommo_token;
  if (check->needs & BGPT_CHECK_NEEDS_OPENAI_KEY)
    return config->openai_api_key;
  return NULL;
}

const char *
bgpt_check_find_blocker (const BgptCheck     *check,
                         BgptCheckStatusFunc  status_of,
                         gpointer             user_data)
{
  g_return_val_if_fail (check != NULL && status_of != NULL, NULL);

  for (guint i = 0; check->depends_on[i] != NULL; i++)
    {
      BgptCheckStatus status = status_of (check->depends_on[i], user_data);

      if (status == BGPT_CHECK_STATUS_ERROR || status == BGPT_CHECK_STATUS_BLOCKED)
        return check->depends_on[i];
    }
  return NULL;
}

static BgptCheckStatus
status_in_round (const char *check_id,
                 gpointer    user_data)
{
  const BgptCheckStatus *statuses = user_data;
  gssize index = check_index (check_id);

  return index >= 0 ? statuses[index] : BGPT_CHECK_STATUS_SKIPPED;
}

void
bgpt_checks_apply_dependencies (BgptCheckStatus  *statuses,
                                const char      **blocked_by)
{
  g_return_if_fail (statuses != NULL && blocked_by != NULL);

  /* Dependencies come first in the table: one pass sees them settled. */
  for (gsize i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      blocked_by[i] = NULL;
      if (statuses[i] == BGPT_CHECK_STATUS_SKIPPED)
        continue;
      blocked_by[i] = bgpt_check_find_blocker (&checks[i], status_in_round, statuses);
      if (blocked_by[i] != NULL)
        statuses[i] = BGPT_CHECK_STATUS_BLOCKED;
    }
}

const char *
bgpt_check_status_to_string (BgptCheckStatus status)
{
  switch (status)
    {
    case BGPT_CHECK_STATUS_OK:
      return "ok";
    case BGPT_CHECK_STATUS_ERROR:
      return "error";
    case BGPT_CHECK_STATUS_BLOCKED:
      return "blocked";
    case BGPT_CHECK_STATUS_SKIPPED:
    default:
      return "skipped";
    }
}
