/* bgpt-secret-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bgpt-application.h"
#include "bgpt-secret-store.h"

G_BEGIN_DECLS

/* Asks for a new secret of @account_id in a masked entry (or offers the
 * one @session suggests), stores it where @session keeps secrets, says so
 * in a toast of @parent (win.show-toast) and re-checks at once
 * (app.edit-secret). Returns the dialog, already shown. */
GtkWidget *bgpt_secret_dialog_present (GtkWindow       *parent,
                                       BgptApplication *application,
                                       BgptSession     *session,
                                       const char      *account_id,
                                       BgptSecretKind   kind);

G_END_DECLS
