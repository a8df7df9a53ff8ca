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
  g_autofree char *subdomain = NULL;
  const char *base_url = config->kommo_base_url;

  if (base_url != NULL && *base_url != '\0')
    {
      gsize length = strlen (base_url);

      while (length > 0 && base_url[length - 1] == '/')
        length--;
      return g_strndup (base_url, length);
    }

  subdomain = bgpt_normalize_kommo_subdomain (config->kommo_subdomain, error);
  if (subdomain == NULL)
    return NULL;

  return g_strdup_printf ("https://%s.kommo.com", subdomain);
}

static void
return_local_diagnosis (GTask                 *task,
                        const char            *error_id,
                        const char            *detail,
                        const BgptCheckConfig *config)
{
  g_autofree const char **secrets = bgpt_check_config_secrets (config);
  BgptDiagnosis *diagnosis = bgpt_diagnosis_new (BGPT_CHECK_KOMMO_ACCOUNT, error_id);

  diagnosis->detail = bgpt_scrub (detail, secrets);
  g_task_return_pointer (task, diagnosis, (GDestroyNotify) bgpt_diagnosis_free);
}

static void
diagnose_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BgptDiagnosis *diagnosis;
  GError *error = NULL;

  diagnosis = bgpt_http_diagnose_finish (BGPT_HTTP (object), result, &error);
  if (diagnosis == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, diagnosis, (GDestroyNotify) bgpt_diagnosis_free);
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
  g_autofree char *authorization = NULL;
  g_autofree const char **secrets = NULL;
  SoupMessageHeaders *headers;

  g_return_if_fail (BGPT_IS_HTTP (http));
  g_return_if_fail (config != NULL);

  task = g_task_new (http, cancellable, callback, user_data);
  g_task_set_source_tag (task, bgpt_kommo_check_account_async);

  base_url = bgpt_kommo_base_url (config, &error);
  if (base_url == NULL || !bgpt_validate_base_url (base_url, &error))
    {
      return_local_diagnosis (task, "config.invalid", error->message, config);
      return;
    }

  if (config->kommo_token == NULL || *config->kommo_token == '\0')
    {
      return_local_diagnosis (task, "kommo.auth", _("No Kommo token is set."), config);
      return;
    }

  if (!bgpt_validate_secret (config->kommo_token, &error))
    {
      return_local_diagnosis (task, "config.invalid", error->message, config);
      return;
    }

  url = g_strconcat (base_url, "/api/v4/account", NULL);
  message = soup_message_new ("GET", url);
  if (message == NULL)
    {
      return_local_diagnosis (task, "config.invalid",
                              _("The Kommo address is not valid."), config);
      return;
    }

  headers = soup_message_get_request_headers (message);
  authorization = g_strconcat ("Bearer ", config->kommo_token, NULL);
  soup_message_headers_replace (headers, "Authorization", authorization);
  explicit_bzero (authorization, strlen (authorization));
  soup_message_headers_replace (headers, "Accept", "application/hal+json, application/json");

  secrets = bgpt_check_config_secrets (config);
  bgpt_http_diagnose_async (http, message, BGPT_SERVICE_KOMMO, BGPT_CHECK_KOMMO_ACCOUNT,
                            NULL, secrets, cancellable,
                            diagnose_cb, g_steal_pointer (&task));
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
