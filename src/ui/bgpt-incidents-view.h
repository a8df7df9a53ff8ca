/* bgpt-incidents-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bgpt-incident-store.h"
#include "bgpt-status-page.h"

G_BEGIN_DECLS

#define BGPT_TYPE_INCIDENTS_VIEW (bgpt_incidents_view_get_type ())

G_DECLARE_FINAL_TYPE (BgptIncidentsView, bgpt_incidents_view, BGPT, INCIDENTS_VIEW, AdwBin)

/* Returns the display name of @account_id (transfer full), or NULL. */
typedef char *(*BgptAccountNameFunc) (const char *account_id,
                                      gpointer    user_data);

void               bgpt_incidents_view_set_store        (BgptIncidentsView  *self,
                                                         BgptIncidentStore  *store);
BgptIncidentStore *bgpt_incidents_view_get_store        (BgptIncidentsView  *self);
void               bgpt_incidents_view_set_account_name_func (BgptIncidentsView   *self,
                                                              BgptAccountNameFunc  func,
                                                              gpointer             user_data);
/* Where timeout, connection and unexpected-response incidents read what
 * status.openai.com says (NULL: the real page, made when first needed). */
void               bgpt_incidents_view_set_status_page  (BgptIncidentsView  *self,
                                                         BgptStatusPage     *status_page);
/* Creates the rows. Called when the view is first shown, so that a long
 * history costs nothing at start-up. */
void               bgpt_incidents_view_populate         (BgptIncidentsView  *self);
/* Expands and focuses the incident's row; FALSE when it is not stored. */
gboolean           bgpt_incidents_view_reveal           (BgptIncidentsView  *self,
                                                         const char         *incident_id);
/* Repaints relative times. */
void               bgpt_incidents_view_update           (BgptIncidentsView  *self);
GtkListBox        *bgpt_incidents_view_get_list_box     (BgptIncidentsView  *self);

G_END_DECLS
