/* bgpt-incident.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "bgpt-catalog.h"

G_BEGIN_DECLS

typedef enum
{
  BGPT_INCIDENT_STATE_OPEN,
  BGPT_INCIDENT_STATE_RESOLVED,
} BgptIncidentState;

#define BGPT_TYPE_INCIDENT_STATE (bgpt_incident_state_get_type ())
GType bgpt_incident_state_get_type (void) G_GNUC_CONST;

/* silenced-until: not silenced. */
#define BGPT_INCIDENT_SILENCE_NONE           ((gint64) 0)
/* silenced-until: silenced until the incident resolves. */
#define BGPT_INCIDENT_SILENCE_UNTIL_RESOLVED G_MAXINT64

#define BGPT_TYPE_INCIDENT (bgpt_incident_get_type ())

G_DECLARE_FINAL_TYPE (BgptIncident, bgpt_incident, BGPT, INCIDENT, GObject)

/* An incident is one problem of one check of one account, from the moment it
 * is raised until it resolves. All times are Unix time in microseconds, as
 * g_get_real_time() gives them; 0 means "never".
 *
 * Incidents are created and changed only by BgptIncidentStore (so every
 * change is saved); to other code they are read-only, and every property
 * emits ::notify when the store changes it. The strings come from an already
 * scrubbed BgptDiagnosis and never contain a secret. */

const char             *bgpt_incident_get_id             (BgptIncident *self);
const char             *bgpt_incident_get_account_id     (BgptIncident *self);
const char             *bgpt_incident_get_check          (BgptIncident *self);
const char             *bgpt_incident_get_error_id       (BgptIncident *self);
BgptIncidentState       bgpt_incident_get_state          (BgptIncident *self);
gboolean                bgpt_incident_is_open            (BgptIncident *self);
gint64                  bgpt_incident_get_first_seen     (BgptIncident *self);
gint64                  bgpt_incident_get_last_seen      (BgptIncident *self);
gint64                  bgpt_incident_get_resolved_at    (BgptIncident *self);
guint                   bgpt_incident_get_count          (BgptIncident *self);
gboolean                bgpt_incident_get_read           (BgptIncident *self);
gint64                  bgpt_incident_get_silenced_until (BgptIncident *self);
gboolean                bgpt_incident_is_silenced        (BgptIncident *self,
                                                          gint64        now);

/* Details of the latest diagnosis. */
guint                   bgpt_incident_get_http_status    (BgptIncident *self);
const char             *bgpt_incident_get_api_type       (BgptIncident *self);
const char             *bgpt_incident_get_api_code       (BgptIncident *self);
/* Selects the reason-specific cause and steps (BgptCatalogReason), or NULL. */
const char             *bgpt_incident_get_reason         (BgptIncident *self);
const char             *bgpt_incident_get_api_message    (BgptIncident *self);
const char             *bgpt_incident_get_request_id     (BgptIncident *self);
gint64                  bgpt_incident_get_retry_after    (BgptIncident *self);
const char             *bgpt_incident_get_detail         (BgptIncident *self);

/* The catalog entry of the error id (never NULL for an incident that came
 * from the store), its translated title, and its service. */
const BgptCatalogEntry *bgpt_incident_get_catalog_entry  (BgptIncident *self);
const char             *bgpt_incident_get_title          (BgptIncident *self);
BgptService             bgpt_incident_get_service        (BgptIncident *self);
/* The translated cause and the steps to show: the reason's own when the
 * catalog has them, else the entry's. */
const char             *bgpt_incident_get_cause          (BgptIncident *self);
const BgptCatalogStep  *bgpt_incident_get_steps          (BgptIncident *self,
                                                          guint        *n_steps);

/* A plain-text, translated summary for "copy details": title, account,
 * check, error id, times, HTTP status, the API's own message and the
 * request id. It holds no secret, since the incident holds none. */
char                   *bgpt_incident_format_details     (BgptIncident *self);

G_END_DECLS
