/* bgpt-spinner.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* An AdwSpinner on libadwaita 1.6 and later, a GtkSpinner before; hidden
 * until made active. */
GtkWidget *bgpt_spinner_new        (void);
/* Shows @spinner turning, or hides it. */
void       bgpt_spinner_set_active (GtkWidget *spinner,
                                    gboolean   active);

G_END_DECLS
