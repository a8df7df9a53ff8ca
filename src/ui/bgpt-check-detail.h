/* bgpt-check-detail.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bgpt-history.h"
#include "bgpt-incident-store.h"

G_BEGIN_DECLS

typedef enum
{
  BGPT_CHECK_DETAIL_RANGE_DAY,
  BGPT_CHECK_DETAIL_RANGE_WEEK,
  BGPT_CHECK_DETAIL_RANGE_MONTH,
} BgptCheckDetailRange;

#define BGPT_TYPE_CHECK_DETAIL (bgpt_check_detail_get_type ())

G_DECLARE_FINAL_TYPE (BgptCheckDetail, bgpt_check_detail, BGPT, CHECK_DETAIL, AdwWindow)

/* One check's history: its latency over 24 hours, 7 or 30 days, its
 * failure periods on the same time axis with the catalog title of each,
 * and its incidents. @incidents may be NULL. */
BgptCheckDetail *bgpt_check_detail_new          (BgptHistory          *history,
                                                 BgptIncidentStore    *incidents,
                                                 const char           *account_id,
                                                 const char           *account_name,
                                                 const char           *check);
void             bgpt_check_detail_set_range    (BgptCheckDetail      *self,
                                                 BgptCheckDetailRange  range);
/* The chart in words (its accessible name). */
const char      *bgpt_check_detail_get_chart_description (BgptCheckDetail *self);
GtkWidget       *bgpt_check_detail_get_chart    (BgptCheckDetail      *self);
/* The rows of the failure periods and of the incidents, in order. */
GPtrArray       *bgpt_check_detail_get_period_rows   (BgptCheckDetail *self);
GPtrArray       *bgpt_check_detail_get_incident_rows (BgptCheckDetail *self);

G_END_DECLS
