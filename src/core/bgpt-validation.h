/* bgpt-validation.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BGPT_VALIDATION_ERROR (bgpt_validation_error_quark ())

typedef enum
{
  BGPT_VALIDATION_ERROR_SUBDOMAIN,
  BGPT_VALIDATION_ERROR_SECRET,
  BGPT_VALIDATION_ERROR_ASSISTANT_ID,
  BGPT_VALIDATION_ERROR_MODEL,
  BGPT_VALIDATION_ERROR_BASE_URL,
} BgptValidationError;

GQuark   bgpt_validation_error_quark     (void);

/* The Kommo account as the "kommo-subdomain" setting keeps it (lower case):
 * the bare subdomain on kommo.com ("foo", "https://foo.kommo.com/leads" ->
 * "foo"), the whole host on a legacy amoCRM domain ("https://foo.amocrm.ru/leads"
 * -> "foo.amocrm.ru"). Anything else gives NULL and a translated error. */
char    *bgpt_normalize_kommo_subdomain  (const char  *input,
                                          GError     **error);
/* The host of the Kommo account @input names, in any form the above takes:
 * "foo" -> "foo.kommo.com", "foo.amocrm.ru" -> "foo.amocrm.ru". */
char    *bgpt_kommo_account_host         (const char  *input,
                                          GError     **error);
/* Non-empty printable ASCII without whitespace or control characters. */
gboolean bgpt_validate_secret            (const char  *secret,
                                          GError     **error);
/* bgpt_validate_secret(), and the "sk-admin-" prefix of OpenAI admin keys. */
gboolean bgpt_validate_admin_key         (const char  *admin_key,
                                          GError     **error);
/* "asst_" followed by letters and digits. */
gboolean bgpt_validate_assistant_id      (const char  *assistant_id,
                                          GError     **error);
gboolean bgpt_validate_model             (const char  *model,
                                          GError     **error);
/* https://, or http:// only to a loopback host; no userinfo, query or fragment. */
gboolean bgpt_validate_base_url          (const char  *url,
                                          GError     **error);
/* Whether what goes to @url travels unencrypted: a plain http:// address
 * (bgpt_validate_base_url() allows it for loopback hosts only, for tests and
 * local proxies). Whatever listens on that port first, possibly a program of
 * another user, reads the key. */
gboolean bgpt_base_url_is_unencrypted    (const char  *url);

G_END_DECLS
