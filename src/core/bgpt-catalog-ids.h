/* bgpt-catalog-ids.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

/* The catalog's stable ids (docs/architecture.md, The error catalog), named
 * so that a grep finds every place that makes or reads one. Never
 * translated. */

#define BGPT_DIAGNOSIS_OPENAI_TIMEOUT      "openai.timeout"
#define BGPT_DIAGNOSIS_OPENAI_AUTH         "openai.auth"
#define BGPT_DIAGNOSIS_OPENAI_ASSISTANT    "openai.assistant"
#define BGPT_DIAGNOSIS_OPENAI_QUOTA        "openai.quota"
#define BGPT_DIAGNOSIS_OPENAI_CONNECTION   "openai.connection"
#define BGPT_DIAGNOSIS_OPENAI_UNEXPECTED   "openai.unexpected"
#define BGPT_DIAGNOSIS_OPENAI_RATE_LIMIT   "openai.rate-limit"
#define BGPT_DIAGNOSIS_OPENAI_FORBIDDEN    "openai.forbidden"
#define BGPT_DIAGNOSIS_OPENAI_MODEL        "openai.model"
#define BGPT_DIAGNOSIS_OPENAI_MODEL_RETIRING "openai.model-retiring"
#define BGPT_DIAGNOSIS_OPENAI_RATE_LIMIT_NEAR "openai.rate-limit-near"
#define BGPT_DIAGNOSIS_OPENAI_BUDGET       "openai.budget"

#define BGPT_DIAGNOSIS_KOMMO_TIMEOUT       "kommo.timeout"
#define BGPT_DIAGNOSIS_KOMMO_AUTH          "kommo.auth"
#define BGPT_DIAGNOSIS_KOMMO_PAYMENT       "kommo.payment"
#define BGPT_DIAGNOSIS_KOMMO_FORBIDDEN     "kommo.forbidden"
#define BGPT_DIAGNOSIS_KOMMO_NOT_FOUND     "kommo.not-found"
#define BGPT_DIAGNOSIS_KOMMO_RATE_LIMIT    "kommo.rate-limit"
#define BGPT_DIAGNOSIS_KOMMO_CONNECTION    "kommo.connection"
#define BGPT_DIAGNOSIS_KOMMO_UNEXPECTED    "kommo.unexpected"

#define BGPT_DIAGNOSIS_CONFIG_INVALID      "config.invalid"
#define BGPT_DIAGNOSIS_KEYRING_UNAVAILABLE "keyring.unavailable"
