/* bgpt-secret-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bgpt-application.h"
#include "bgpt-secret-store.h"

G_BEGIN_DECLS

/* Asks for a new secret in a masked entry, stores it in the keyring and
 * re-checks at once (app.edit-secret). Returns the dialog, already shown. */
GtkWidget *bgpt_secret_dialog_present (GtkWindow       *parent,
                                       BgptApplication *application,
                                       const char      *account_id,
                                       BgptSecretKind   kind);

G_END_DECLS
