/* bgpt-spending-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bgpt-monitor.h"

G_BEGIN_DECLS

/* "Acompanhar gastos" for one account: the admin key (typed, never shown,
 * tested live against the costs before it is saved in the keyring), the
 * project the costs are read for, the monthly budget and its thresholds
 * (the account's settings). Saving reloads @monitor's accounts. Returns
 * the dialog, already shown. */
GtkWidget *bgpt_spending_dialog_present (GtkWindow   *parent,
                                         BgptMonitor *monitor,
                                         const char  *account_id);

G_END_DECLS
