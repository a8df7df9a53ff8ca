/* bgpt-openai-client.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bgpt-check-config.h"
#include "bgpt-diagnosis.h"
#include "bgpt-http.h"

G_BEGIN_DECLS

#define BGPT_OPENAI_DEFAULT_BASE_URL "https://api.openai.com/v1"

/* The OpenAI checks of the check table (docs/architecture.md). Each one
 * validates its inputs first: an invalid base URL or a key with control
 * characters gives config.invalid, an empty key openai.auth and a malformed
 * assistant ID openai.assistant, all without sending anything. Finish each one with
 * bgpt_openai_check_finish(); it fails only when cancelled. */
void           bgpt_openai_check_key_async       (BgptHttp              *http,
                                                  const BgptCheckConfig *config,
                                                  GCancellable          *cancellable,
                                                  GAsyncReadyCallback    callback,
                                                  gpointer               user_data);
void           bgpt_openai_check_model_async     (BgptHttp              *http,
                                                  const BgptCheckConfig *config,
                                                  GCancellable          *cancellable,
                                                  GAsyncReadyCallback    callback,
                                                  gpointer               user_data);
void           bgpt_openai_check_assistant_async (BgptHttp              *http,
                                                  const BgptCheckConfig *config,
                                                  GCancellable          *cancellable,
                                                  GAsyncReadyCallback    callback,
                                                  gpointer               user_data);
/* The deep check: one minimal POST /responses with "store": false. Its
 * model is the configured one; with none, one that the key's own /models
 * list names without a shutdown_date (no model id is built in). */
void           bgpt_openai_check_quota_async     (BgptHttp              *http,
                                                  const BgptCheckConfig *config,
                                                  GCancellable          *cancellable,
                                                  GAsyncReadyCallback    callback,
                                                  gpointer               user_data);
BgptDiagnosis *bgpt_openai_check_finish          (BgptHttp              *http,
                                                  GAsyncResult          *result,
                                                  GError               **error);

/* Among @model_ids, a small current text model for the deep check's
 * request, or NULL: a "gpt-" model that is not for embeddings, speech,
 * images or other special uses, the smallest kind ("nano", then "mini")
 * first, and among those the alias (the shortest id), then the latest. */
const char    *bgpt_openai_pick_probe_model      (const char * const    *model_ids);

/* The base URL the checks use: the configured one without trailing
 * slashes, or the default. */
char          *bgpt_openai_base_url              (const BgptCheckConfig *config);

G_END_DECLS
