/* bgpt-kommo-client.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bgpt-check-config.h"
#include "bgpt-diagnosis.h"
#include "bgpt-http.h"

G_BEGIN_DECLS

/* kommo.account: GET {kommo}/api/v4/account with the long-lived token.
 * A bad subdomain, base URL or token gives config.invalid and an empty
 * token kommo.auth, without sending anything. Fails only when cancelled. */
void           bgpt_kommo_check_account_async  (BgptHttp              *http,
                                                const BgptCheckConfig *config,
                                                GCancellable          *cancellable,
                                                GAsyncReadyCallback    callback,
                                                gpointer               user_data);
BgptDiagnosis *bgpt_kommo_check_account_finish (BgptHttp              *http,
                                                GAsyncResult          *result,
                                                GError               **error);

/* {kommo}: the configured base URL without trailing slashes, else
 * https://{subdomain}.kommo.com; NULL and an error when neither is usable. */
char          *bgpt_kommo_base_url             (const BgptCheckConfig *config,
                                                GError               **error);

G_END_DECLS
