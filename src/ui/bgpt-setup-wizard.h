/* bgpt-setup-wizard.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bgpt-account-store.h"
#include "bgpt-secret-store.h"

G_BEGIN_DECLS

#define BGPT_TYPE_SETUP_WIZARD (bgpt_setup_wizard_get_type ())

/* Walks a user through one account: Kommo, OpenAI, the assistant or
 * model, optionally "Acompanhar gastos" (the admin key, tested live before
 * the wizard moves on, and the budget), monitoring settings and a summary
 * of every check. Nothing is
 * stored until Finish; then the secrets go to the keyring, the account to
 * GSettings, and ::finished is emitted with the account id. Cancelling or
 * closing stores nothing and cancels the running checks. */
G_DECLARE_FINAL_TYPE (BgptSetupWizard, bgpt_setup_wizard, BGPT, SETUP_WIZARD, AdwWindow)

/* @accounts and @secrets: NULL for new ones. @account_id: an existing
 * account to edit, pre-filled, or NULL for a new account. */
BgptSetupWizard *bgpt_setup_wizard_new            (BgptAccountStore *accounts,
                                                   BgptSecretStore  *secrets,
                                                   const char       *account_id);

/* The account the wizard sets up ("default" for the first one). */
const char      *bgpt_setup_wizard_get_account_id (BgptSetupWizard  *self);
gboolean         bgpt_setup_wizard_is_new_account (BgptSetupWizard  *self);
/* The step shown: "welcome", "kommo", "openai", "assistant", "spending",
 * "monitoring" or "summary". */
const char      *bgpt_setup_wizard_get_step       (BgptSetupWizard  *self);
/* Whether the keyring has yet to answer what the wizard asked it on
 * opening (the stored secrets, or whether there is a keyring at all). */
gboolean         bgpt_setup_wizard_is_looking_up  (BgptSetupWizard  *self);

G_END_DECLS
