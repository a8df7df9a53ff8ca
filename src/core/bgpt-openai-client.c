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

/* Checks what every OpenAI request needs and builds it; @path follows the
 * base URL. On bad input, completes @task with the local diagnosis and
 * returns NULL. */
static SoupMessage *
new_check_message (GTask                 *task,
                   const BgptCheckConfig *config,
                   const char            *check,
                   const char            *method,
                   const char            *path,
                   GBytes                *json_body)
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
      return NULL;
    }

  if (!bgpt_validate_secret (config->openai_api_key, &error) ||
      !bgpt_validate_base_url (base_url, &error))
    {
      bgpt_http_task_return_local (task, check, BGPT_DIAGNOSIS_CONFIG_INVALID, error->message, config);
      return NULL;
    }

  url = g_strconcat (base_url, path, NULL);
  message = soup_message_new (method, url);
  if (message == NULL)
    {
      bgpt_http_task_return_local (task, check, BGPT_DIAGNOSIS_CONFIG_INVALID,
                                   _("The OpenAI base URL is not a valid address."), config);
      return NULL;
    }

  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (g_str_equal (check, BGPT_CHECK_OPENAI_ASSISTANT))
    soup_message_headers_replace (headers, "OpenAI-Beta", "assistants=v2");
  if (json_body != NULL)
    soup_message_set_request_body_from_bytes (message, "application/json", json_body);

  return g_steal_pointer (&message);
}

/* Sends a check's request; @task already carries the caller's cancellable. */
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
  g_autoptr(SoupMessage) message = new_check_message (task, config, check, method, path, json_body);

  if (message == NULL)
    return;

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

/* Checks one configured object: answers at once when @validate refuses
 * @id, else GETs @collection/@id and expects @id back. */
static void
check_object (BgptHttp              *http,
              const BgptCheckConfig *config,
              GTask                 *task,
              const char            *check,
              const char            *invalid_id,
              gboolean             (*validate) (const char  *id,
                                                GError     **error),
              const char            *id,
              const char            *collection)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  if (!validate (id, &error))
    {
      bgpt_http_task_return_local (task, check, invalid_id, error->message, config);
      return;
    }

  /* Fine-tuned model names ("ft:gpt-4o:org::id") keep their colons;
   * assistant IDs are letters, digits and "_", which stay as they are. */
  escaped = g_uri_escape_string (id, ":", FALSE);
  path = g_strconcat (collection, escaped, NULL);
  send_check (task, http, config, check, "GET", path, NULL, id);
}

void
bgpt_openai_check_model_async (BgptHttp              *http,
                               const BgptCheckConfig *config,
                               GCancellable          *cancellable,
                               GAsyncReadyCallback    callback,
                               gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BGPT_IS_HTTP (http));
  g_return_if_fail (config != NULL);

  task = new_task (http, bgpt_openai_check_model_async, cancellable, callback, user_data);
  check_object (http, config, task, BGPT_CHECK_OPENAI_MODEL, BGPT_DIAGNOSIS_CONFIG_INVALID,
                bgpt_validate_model, config->model, "/models/");
}

void
bgpt_openai_check_assistant_async (BgptHttp              *http,
                                   const BgptCheckConfig *config,
                                   GCancellable          *cancellable,
                                   GAsyncReadyCallback    callback,
                                   gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BGPT_IS_HTTP (http));
  g_return_if_fail (config != NULL);

  task = new_task (http, bgpt_openai_check_assistant_async, cancellable, callback, user_data);
  check_object (http, config, task, BGPT_CHECK_OPENAI_ASSISTANT, BGPT_DIAGNOSIS_OPENAI_ASSISTANT,
                bgpt_validate_assistant_id, config->assistant_id, "/assistants/");
}

/* Model families that do not answer a plain text request to /responses. */
static const char * const not_text_models[] = {
  "embedding", "tts", "whisper", "transcribe", "audio", "realtime", "image",
  "dall-e", "moderation", "search", "codex", "computer-use", "research", "sora",
};

static int
size_rank (const char *model_id)
{
  if (strstr (model_id, "nano") != NULL)
    return 0;
  if (strstr (model_id, "mini") != NULL)
    return 1;
  return 2;
}

static gboolean
is_text_model (const char *model_id)
{
  if (!g_str_has_prefix (model_id, "gpt-"))
    return FALSE;

  for (gsize i = 0; i < G_N_ELEMENTS (not_text_models); i++)
    {
      if (strstr (model_id, not_text_models[i]) != NULL)
        return FALSE;
    }
  return TRUE;
}

const char *
bgpt_openai_pick_probe_model (const char * const *model_ids)
{
  const char *best = NULL;

  for (gsize i = 0; model_ids != NULL && model_ids[i] != NULL; i++)
    {
      const char *id = model_ids[i];
      int rank, best_rank;
      gsize length, best_length;

      if (!is_text_model (id))
        continue;
      if (best == NULL)
        {
          best = id;
          continue;
        }

      rank = size_rank (id);
      best_rank = size_rank (best);
      length = strlen (id);
      best_length = strlen (best);
      if (rank < best_rank ||
          (rank == best_rank && length < best_length) ||
          (rank == best_rank && length == best_length && strcmp (id, best) > 0))
        best = id;
    }

  return best;
}

/* The smallest billable request: only a billable call shows that the
 * quota or the credit has run out. "store": false keeps OpenAI from
 * storing the response (docs/providers.md). */
static void
send_quota_request (GTask                 *task,
                    BgptHttp              *http,
                    const BgptCheckConfig *config,
                    const char            *model)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) body = NULL;
  char *json;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, model);
  json_builder_set_member_name (builder, "input");
  json_builder_add_string_value (builder, "ping");
  json_builder_set_member_name (builder, "max_output_tokens");
  json_builder_add_int_value (builder, 16);
  json_builder_set_member_name (builder, "store");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);
  body = g_bytes_new_take (json, strlen (json));

  send_check (task, http, config, BGPT_CHECK_OPENAI_QUOTA, "POST", "/responses", body, NULL);
}

static void
quota_models_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BgptCheckConfig *config = g_task_get_task_data (task);
  g_autoptr(BgptDiagnosis) models = NULL;
  g_autoptr(GError) error = NULL;
  const char *model;

  models = g_task_propagate_pointer (G_TASK (result), &error);
  if (models == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The list could not be read: that failure is the check's answer. */
  if (!bgpt_diagnosis_is_ok (models))
    {
      g_free (models->check);
      models->check = g_strdup (BGPT_CHECK_OPENAI_QUOTA);
      g_task_return_pointer (task, g_steal_pointer (&models), (GDestroyNotify) bgpt_diagnosis_free);
      return;
    }

  model = bgpt_openai_pick_probe_model ((const char * const *) models->current_items);
  if (model == NULL)
    {
      bgpt_http_task_return_local (task, BGPT_CHECK_OPENAI_QUOTA, BGPT_DIAGNOSIS_OPENAI_MODEL,
                                   _("No model is set, and this key lists no current text model "
                                     "to test the quota with. Enter the model ByteGPT uses in the "
                                     "account settings."),
                                   config);
      return;
    }

  send_quota_request (task, BGPT_HTTP (g_task_get_source_object (task)), config, model);
}

void
bgpt_openai_check_quota_async (BgptHttp              *http,
                               const BgptCheckConfig *config,
                               GCancellable          *cancellable,
                               GAsyncReadyCallback    callback,
                               gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) list_task = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (BGPT_IS_HTTP (http));
  g_return_if_fail (config != NULL);

  task = new_task (http, bgpt_openai_check_quota_async, cancellable, callback, user_data);

  if (config->model != NULL && *config->model != '\0')
    {
      if (!bgpt_validate_model (config->model, &error))
        {
          bgpt_http_task_return_local (task, BGPT_CHECK_OPENAI_QUOTA, BGPT_DIAGNOSIS_CONFIG_INVALID,
                                       error->message, config);
          return;
        }
      send_quota_request (task, http, config, config->model);
      return;
    }

  /* No model set: ask the key's own list (free) for a current one. */
  message = new_check_message (task, config, BGPT_CHECK_OPENAI_QUOTA, "GET", "/models", NULL);
  if (message == NULL)
    return;

  g_task_set_task_data (task, bgpt_check_config_copy (config), (GDestroyNotify) bgpt_check_config_free);
  list_task = g_task_new (http, cancellable, quota_models_cb, g_steal_pointer (&task));
  bgpt_http_task_send_check (list_task, http, message, config->openai_api_key,
                             BGPT_SERVICE_OPENAI, BGPT_CHECK_OPENAI_KEY, NULL, config);
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
