/* bgpt-incident-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bgpt-incident.h"
#include "bgpt-status-page.h"

G_BEGIN_DECLS

#define BGPT_TYPE_INCIDENT_ROW (bgpt_incident_row_get_type ())

G_DECLARE_FINAL_TYPE (BgptIncidentRow, bgpt_incident_row, BGPT, INCIDENT_ROW, AdwExpanderRow)

/* One incident of the Notificações view. The expanded part (cause, steps
 * with their one-click buttons, details) is built the first time the row
 * is expanded, so that hundreds of rows stay cheap. */
GtkWidget    *bgpt_incident_row_new                 (BgptIncident    *incident,
                                                     const char      *account_name);
BgptIncident *bgpt_incident_row_get_incident        (BgptIncidentRow *self);
/* Repaints the times ("há 2 minutos"). */
void          bgpt_incident_row_update              (BgptIncidentRow *self);
/* What status.openai.com says now, shown for timeout, connection and
 * unexpected-response incidents; NULL hides it. */
void          bgpt_incident_row_set_provider_status (BgptIncidentRow        *self,
                                                     const BgptStatusReport *report);
/* Whether status.openai.com is worth asking about this incident. */
gboolean      bgpt_incident_row_wants_provider_status (BgptIncidentRow *self);

G_END_DECLS
