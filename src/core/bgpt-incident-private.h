/* bgpt-incident-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "bgpt-diagnosis.h"
#include "bgpt-incident.h"

G_BEGIN_DECLS

/* For BgptIncidentStore only: everything else reads incidents. */

BgptIncident *bgpt_incident_new                (const char          *account_id,
                                                const BgptDiagnosis *diagnosis,
                                                gint64               now);
/* Folds a repeat of the same failure in: count, last seen, details. */
void          bgpt_incident_repeat             (BgptIncident        *self,
                                                const BgptDiagnosis *diagnosis,
                                                gint64               now);
void          bgpt_incident_resolve            (BgptIncident        *self,
                                                gint64               now);
void          bgpt_incident_set_read           (BgptIncident        *self,
                                                gboolean             read);
void          bgpt_incident_set_silenced_until (BgptIncident        *self,
                                                gint64               until);

/* One element of the "incidents" array of incidents.json. */
void          bgpt_incident_to_json            (BgptIncident        *self,
                                                JsonBuilder         *builder);
/* NULL when a field is missing, of the wrong type or out of range, or when
 * the error id is not in the catalog; then @reason (for the debug log, not
 * for people) says which. */
BgptIncident *bgpt_incident_new_from_json      (JsonObject          *object,
                                                const char         **reason);

G_END_DECLS
