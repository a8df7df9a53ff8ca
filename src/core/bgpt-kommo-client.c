/* bgpt-kommo-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-kommo-client"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "bgpt-kommo-client.h"
#include "bgpt-validation.h"

char *
bgpt_kommo_base_url (const BgptCheckConfig  *config,
                     GError                **error)
{
  g_autofree char *host = NULL;
  const char *base_url = config->kommo_base_url;

  if (base_url != NULL && *base_url != '\0')
    return bgpt_http_trim_base_url (base_url);

  host = bgpt_kommo_account_host (config->kommo_subdomain, error);
  if (host == NULL)
    return NULL;

  return g_strconcat ("https://", host, NULL);
}

void
bgpt_kommo_check_account_async (BgptHttp              *http,
                                const BgptCheckConfig *config,
                                GCancellable          *cancellable,
                                GAsyncReadyCallback    callback,
                                gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *url = NULL;

  g_return_if_fail (BGPT_IS_HTTP (http));
  g_return_if_fail (config != NULL);

  task = g_task_new (http, cancellable, callback, user_data);
  g_task_set_source_tag (task, bgpt_kommo_check_account_async);

  base_url = bgpt_kommo_base_url (config, &error);
  if (base_url == NULL || !bgpt_validate_base_url (base_url, &error))
    {
      bgpt_http_task_return_local (task, BGPT_CHECK_KOMMO_ACCOUNT, BGPT_DIAGNOSIS_CONFIG_INVALID,
                                   error->message, config);
      return;
    }

  if (config->kommo_token == NULL || *config->kommo_token == '\0')
    {
      bgpt_http_task_return_local (task, BGPT_CHECK_KOMMO_ACCOUNT, BGPT_DIAGNOSIS_KOMMO_AUTH,
                                   _("No Kommo token is set."), config);
      return;
    }

  if (!bgpt_validate_secret (config->kommo_token, &error))
    {
      bgpt_http_task_return_local (task, BGPT_CHECK_KOMMO_ACCOUNT, BGPT_DIAGNOSIS_CONFIG_INVALID,
                                   error->message, config);
      return;
    }

  url = g_strconcat (base_url, "/api/v4/account", NULL);
  message = soup_message_new ("GET", url);
  if (message == NULL)
    {
      bgpt_http_task_return_local (task, BGPT_CHECK_KOMMO_ACCOUNT, BGPT_DIAGNOSIS_CONFIG_INVALID,
                                   _("The Kommo address is not valid."), config);
      return;
    }

  soup_message_headers_replace (soup_message_get_request_headers (message),
                                "Accept", "application/hal+json, application/json");
  bgpt_http_task_send_check (task, http, message, config->kommo_token,
                             BGPT_SERVICE_KOMMO, BGPT_CHECK_KOMMO_ACCOUNT, NULL, config);
}

BgptDiagnosis *
bgpt_kommo_check_account_finish (BgptHttp      *http,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (BGPT_IS_HTTP (http), NULL);
  g_return_val_if_fail (g_task_is_valid (result, http), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bgpt_kommo_check_account_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
