/* bgpt-secret-alert.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* An alert that asks for one secret: @heading, @body, @entry under them, and
 * Cancel and Save, Save suggested, the default, and enabled only while
 * @entry holds something bgpt_validate_secret() accepts. An AdwAlertDialog
 * where libadwaita has one (1.5), else an AdwMessageDialog; either emits
 * "response" (const char *response) with "save" or "cancel". */
GtkWidget *bgpt_secret_alert_new              (const char *heading,
                                               const char *body,
                                               GtkWidget  *entry);
/* Shows @alert over @parent, focused on its entry. */
void       bgpt_secret_alert_present          (GtkWidget  *alert,
                                               GtkWindow  *parent);
const char *bgpt_secret_alert_get_heading     (GtkWidget  *alert);
gboolean   bgpt_secret_alert_get_save_enabled (GtkWidget  *alert);
/* As if Save were pressed: "response" with "save", then the alert closes. */
void       bgpt_secret_alert_save             (GtkWidget  *alert);
/* The alert of this kind shown over @window, or NULL. */
GtkWidget *bgpt_secret_alert_find             (GtkWindow  *window);
/* Takes the focus away from the entry, before the alert goes away. */
void       bgpt_secret_alert_unfocus          (GtkWidget  *alert);

G_END_DECLS
