/* bgpt-spending-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bgpt-monitor.h"

G_BEGIN_DECLS

/* "Acompanhar gastos" for one account, on its own: the shared page
 * (bgpt-spending-page.h) with the account's settings; a typed admin key is
 * tested live against the costs before it is saved in the keyring, a
 * removed one is cleared, then the settings are saved and @monitor (if
 * any: NULL before the session has started) reloads its accounts. Returns the dialog, already shown. */
GtkWidget *bgpt_spending_dialog_present (GtkWindow   *parent,
                                         BgptMonitor *monitor,
                                         const char  *account_id);

G_END_DECLS
