/* bgpt-openai-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-openai-client"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "bgpt-openai-client.h"
#include "bgpt-validation.h"

char *
bgpt_openai_base_url (const BgptCheckConfig *config)
{
  const char *base_url = config->openai_base_url;

  if (base_url == NULL || *base_url == '\0')
    base_url = BGPT_OPENAI_DEFAULT_BASE_URL;

  return bgpt_http_trim_base_url (base_url);
}

/* Checks what every OpenAI request needs, then sends it. @path follows
 * the base URL; @task already carries the caller's cancellable. */
static void
send_check (GTask                 *task,
            BgptHttp              *http,
            const BgptCheckConfig *config,
            const char            *check,
            const char            *method,
            const char            *path,
            GBytes                *json_body,
            const char            *expected_id)
{
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *base_url = bgpt_openai_base_url (config);
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;

  if (config->openai_api_key == NULL || *config->openai_api_key == '\0')
    {
      bgpt_http_task_return_local (task, check, BGPT_DIAGNOSIS_OPENAI_AUTH,
                                   _("No OpenAI API key is set."), config);
      return;
    }

  if (!bgpt_validate_secret (config->openai_api_key, &error) ||
      !bgpt_validate_base_url (base_url, &error))
    {
      bgpt_http_task_return_local (task, check, BGPT_DIAGNOSIS_CONFIG_INVALID, error->message, config);
      return;
    }

  url = g_strconcat (base_url, path, NULL);
  message = soup_message_new (method, url);
  if (message == NULL)
    {
      bgpt_http_task_return_local (task, check, BGPT_DIAGNOSIS_CONFIG_INVALID,
                                   _("The OpenAI base URL is not a valid address."), config);
      return;
    }

  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (g_str_equal (check, BGPT_CHECK_OPENAI_ASSISTANT))
    soup_message_headers_replace (headers, "OpenAI-Beta", "assistants=v2");
  if (json_body != NULL)
    soup_message_set_request_body_from_bytes (message, "application/json", json_body);

  bgpt_http_task_send_check (task, http, message, config->openai_api_key,
                             BGPT_SERVICE_OPENAI, check, expected_id, config);
}

static GTask *
new_task (BgptHttp            *http,
          gpointer             source_tag,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (http, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  return task;
}

void
bgpt_openai_check_key_async (BgptHttp              *http,
                             const BgptCheckConfig *config,
                             GCancellable          *cancellable,
                             GAsyncReadyCallback    callback,
                             gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BGPT_IS_HTTP (http));
  g_return_if_fail (config != NULL);

  task = new_task (http, bgpt_openai_check_key_async, cancellable, callback, user_data);
  send_check (task, http, config, BGPT_CHECK_OPENAI_KEY, "GET", "/models", NULL, NULL);
}

void
bgpt_openai_check_model_async (BgptHttp              *http,
                               const BgptCheckConfig *config,
                               GCancellable          *cancellable,
                               GAsyncReadyCallback    callback,
                               gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (BGPT_IS_HTTP (http));
  g_return_if_fail (config != NULL);

  task = new_task (http, bgpt_openai_check_model_async, cancellable, callback, user_data);

  if (!bgpt_validate_model (config->model, &error))
    {
      bgpt_http_task_return_local (task, BGPT_CHECK_OPENAI_MODEL, BGPT_DIAGNOSIS_CONFIG_INVALID,
                                   error->message, config);
      return;
    }

  /* Fine-tuned model names ("ft:gpt-4o:org::id") keep their colons. */
  escaped = g_uri_escape_string (config->model, ":", FALSE);
  path = g_strconcat ("/models/", escaped, NULL);
  send_check (task, http, config, BGPT_CHECK_OPENAI_MODEL, "GET", path, NULL, config->model);
}

void
bgpt_openai_check_assistant_async (BgptHttp              *http,
                                   const BgptCheckConfig *config,
                                   GCancellable          *cancellable,
                                   GAsyncReadyCallback    callback,
                                   gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (BGPT_IS_HTTP (http));
  g_return_if_fail (config != NULL);

  task = new_task (http, bgpt_openai_check_assistant_async, cancellable, callback, user_data);

  if (!bgpt_validate_assistant_id (config->assistant_id, &error))
    {
      bgpt_http_task_return_local (task, BGPT_CHECK_OPENAI_ASSISTANT, BGPT_DIAGNOSIS_OPENAI_ASSISTANT,
                                   error->message, config);
      return;
    }

  path = g_strconcat ("/assistants/", config->assistant_id, NULL);
  send_check (task, http, config, BGPT_CHECK_OPENAI_ASSISTANT, "GET", path,
              NULL, config->assistant_id);
}

void
bgpt_openai_check_quota_async (BgptHttp              *http,
                               const BgptCheckConfig *config,
                               GCancellable          *cancellable,
                               GAsyncReadyCallback    callback,
                               gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) body = NULL;
  const char *model = config->model;
  char *json;

  g_return_if_fail (BGPT_IS_HTTP (http));
  g_return_if_fail (config != NULL);

  task = new_task (http, bgpt_openai_check_quota_async, cancellable, callback, user_data);

  if (model == NULL || *model == '\0')
    model = BGPT_OPENAI_QUOTA_DEFAULT_MODEL;
  else if (!bgpt_validate_model (model, &error))
    {
      bgpt_http_task_return_local (task, BGPT_CHECK_OPENAI_QUOTA, BGPT_DIAGNOSIS_CONFIG_INVALID,
                                   error->message, config);
      return;
    }

  /* The smallest billable request: only a billable call shows that the
   * quota or the credit has run out. */
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, model);
  json_builder_set_member_name (builder, "input");
  json_builder_add_string_value (builder, "ping");
  json_builder_set_member_name (builder, "max_output_tokens");
  json_builder_add_int_value (builder, 16);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);
  body = g_bytes_new_take (json, strlen (json));

  send_check (task, http, config, BGPT_CHECK_OPENAI_QUOTA, "POST", "/responses", body, NULL);
}

BgptDiagnosis *
bgpt_openai_check_finish (BgptHttp      *http,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (BGPT_IS_HTTP (http), NULL);
  g_return_val_if_fail (g_task_is_valid (result, http), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
