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

/* The deep check's model when the account names none: small and current,
 * so the one billable request costs next to nothing. */
#define BGPT_OPENAI_QUOTA_DEFAULT_MODEL "gpt-4.1-mini"

/* The OpenAI checks of DESIGN.md (Connection checks). Each one validates its
 * inputs first: an invalid base URL or a key with control characters gives
 * config.invalid, an empty key openai.auth and a malformed assistant ID
 * openai.assistant, all without sending anything. Finish each one with
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
void           bgpt_openai_check_quota_async     (BgptHttp              *http,
                                                  const BgptCheckConfig *config,
                                                  GCancellable          *cancellable,
                                                  GAsyncReadyCallback    callback,
                                                  gpointer               user_data);
BgptDiagnosis *bgpt_openai_check_finish          (BgptHttp              *http,
                                                  GAsyncResult          *result,
                                                  GError               **error);

/* The base URL the checks use: the configured one without trailing
 * slashes, or the default. */
char          *bgpt_openai_base_url              (const BgptCheckConfig *config);

G_END_DECLS
