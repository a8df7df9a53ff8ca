/* bgpt-spending-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bgpt-http.h"

G_BEGIN_DECLS

#define BGPT_TYPE_SPENDING_PAGE (bgpt_spending_page_get_type ())

/* "Acompanhar gastos", written once for the setup wizard's step, the
 * account editor and app.edit-spending: the OpenAI admin key (typed in a
 * masked field, never shown back; a stored one is only said to be there,
 * and can be replaced or removed), the project whose costs are read, the
 * monthly budget and its thresholds, what an admin key can do, and where
 * to make one. A typed key is checked locally as it is typed and tested
 * live with one costs request (bgpt-costs.c) before a host stores it.
 * ::changed is emitted when any field changes. */
G_DECLARE_FINAL_TYPE (BgptSpendingPage, bgpt_spending_page, BGPT, SPENDING_PAGE, AdwBin)

GtkWidget *bgpt_spending_page_new              (void);

/* The fields from an account's settings (its budget, thresholds and
 * project), and whether the keyring holds its admin key. */
void       bgpt_spending_page_load_settings    (BgptSpendingPage  *self,
                                                GSettings         *account_settings);
void       bgpt_spending_page_set_has_stored_key (BgptSpendingPage *self,
                                                gboolean           has_stored_key);

/* Shows a "Not now" button that activates @action_name (the wizard's
 * skip). */
void       bgpt_spending_page_set_skip_action  (BgptSpendingPage  *self,
                                                const char        *action_name);

/* FALSE while the typed key is refused locally (the page says why). */
gboolean   bgpt_spending_page_is_valid         (BgptSpendingPage  *self);
/* Whether the live test is running. */
gboolean   bgpt_spending_page_is_testing       (BgptSpendingPage  *self);
/* Whether a key is typed that has not passed the live test yet. */
gboolean   bgpt_spending_page_needs_test       (BgptSpendingPage  *self);

/* Tests the typed key live: one costs request to @openai_base_url (NULL:
 * OpenAI's) on @http. Finishes TRUE when no key is typed or the key read
 * the costs; FALSE with no error when it was refused, locally (no request
 * sent) or by the server, the catalog's explanation on the page and the
 * field emptied; FALSE with G_IO_ERROR_CANCELLED when cancelled. */
void       bgpt_spending_page_test_async       (BgptSpendingPage     *self,
                                                BgptHttp             *http,
                                                const char           *account_id,
                                                const char           *openai_base_url,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean   bgpt_spending_page_test_finish      (BgptSpendingPage     *self,
                                                GAsyncResult         *result,
                                                GError              **error);

/* The key that passed the live test, or NULL (free it with
 * bgpt_secret_free()); whether the stored key is to be removed instead. */
char      *bgpt_spending_page_dup_tested_key   (BgptSpendingPage  *self);
gboolean   bgpt_spending_page_get_remove_key   (BgptSpendingPage  *self);
/* Forgets the typed key and a pending removal: the stored key stays. */
void       bgpt_spending_page_clear_key        (BgptSpendingPage  *self);

/* The other fields: the project ("" for the whole organization), the
 * budget in US dollars (0: none) and the two thresholds in percent. */
char      *bgpt_spending_page_dup_project_id   (BgptSpendingPage  *self);
double     bgpt_spending_page_get_budget       (BgptSpendingPage  *self);
void       bgpt_spending_page_get_thresholds   (BgptSpendingPage  *self,
                                                guint             *warning_percent,
                                                guint             *critical_percent);

/* Shows @text under the fields as an error (NULL hides it). */
void       bgpt_spending_page_show_error       (BgptSpendingPage  *self,
                                                const char        *text);

G_END_DECLS
