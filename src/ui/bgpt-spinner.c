/* bgpt-spinner.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-spinner"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-spinner.h"

/* Templates cannot choose a class by version, so the spinner is made here.
 * AdwSpinner (libadwaita 1.6) always turns: being active means being shown;
 * the GtkSpinner of libadwaita 1.2 systems must also be told to spin. */

GtkWidget *
bgpt_spinner_new (void)
{
  GtkWidget *spinner;

#if ADW_CHECK_VERSION (1, 6, 0)
  spinner = adw_spinner_new ();
#else
  spinner = gtk_spinner_new ();
#endif
  gtk_widget_set_visible (spinner, FALSE);
  return spinner;
}

void
bgpt_spinner_set_active (GtkWidget *spinner,
                         gboolean   active)
{
  g_return_if_fail (GTK_IS_WIDGET (spinner));

#if !ADW_CHECK_VERSION (1, 6, 0)
  gtk_spinner_set_spinning (GTK_SPINNER (spinner), active);
#endif
  gtk_widget_set_visible (spinner, active);
}
