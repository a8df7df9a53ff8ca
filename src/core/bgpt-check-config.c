/* bgpt-check-config.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-check-config"

#include "config.h"

#include <string.h>

#include "bgpt-check-config.h"

G_DEFINE_BOXED_TYPE (BgptCheckConfig, bgpt_check_config,
                     bgpt_check_config_copy, bgpt_check_config_free)

BgptCheckConfig *
bgpt_check_config_new (const char *account_id)
{
  BgptCheckConfig *config = g_new0 (BgptCheckConfig, 1);

  config->account_id = g_strdup (account_id);
  config->budget_warning_percent = BGPT_BUDGET_DEFAULT_WARNING_PERCENT;
  config->budget_critical_percent = BGPT_BUDGET_DEFAULT_CRITICAL_PERCENT;
  return config;
}

BgptCheckConfig *
bgpt_check_config_copy (const BgptCheckConfig *config)
{
  BgptCheckConfig *copy = bgpt_check_config_new (config->account_id);

  copy->display_name = g_strdup (config->display_name);
  copy->kommo_subdomain = g_strdup (config->kommo_subdomain);
  copy->kommo_base_url = g_strdup (config->kommo_base_url);
  copy->kommo_token = g_strdup (config->kommo_token);
  copy->openai_base_url = g_strdup (config->openai_base_url);
  copy->openai_api_key = g_strdup (config->openai_api_key);
  copy->assistant_id = g_strdup (config->assistant_id);
  copy->model = g_strdup (config->model);
  copy->openai_admin_key = g_strdup (config->openai_admin_key);
  copy->openai_project_id = g_strdup (config->openai_project_id);
  copy->monthly_budget_usd = config->monthly_budget_usd;
  copy->budget_warning_percent = config->budget_warning_percent;
  copy->budget_critical_percent = config->budget_critical_percent;
  copy->keyring_unavailable = config->keyring_unavailable;
  return copy;
}

static void
free_secret (char *secret)
{
  if (secret != NULL)
    {
      /* Don't leave the secret behind in freed heap memory. */
      explicit_bzero (secret, strlen (secret));
      g_free (secret);
    }
}

void
bgpt_check_config_free (BgptCheckConfig *config)
{
  if (config == NULL)
    return;

  g_free (config->account_id);
  g_free (config->display_name);
  g_free (config->kommo_subdomain);
  g_free (config->kommo_base_url);
  free_secret (config->kommo_token);
  g_free (config->openai_base_url);
  free_secret (config->openai_api_key);
  g_free (config->assistant_id);
  g_free (config->model);
  free_secret (config->openai_admin_key);
  g_free (config->openai_project_id);
  g_free (config);
}

const char **
bgpt_check_config_secrets (const BgptCheckConfig *config)
{
  const char **secrets = g_new0 (const char *, 4);
  guint n = 0;

  if (config->openai_api_key != NULL && *config->openai_api_key != '\0')
    secrets[n++] = config->openai_api_key;
  if (config->kommo_token != NULL && *config->kommo_token != '\0')
    secrets[n++] = config->kommo_token;
  if (config->openai_admin_key != NULL && *config->openai_admin_key != '\0')
    secrets[n++] = config->openai_admin_key;
  return secrets;
}
