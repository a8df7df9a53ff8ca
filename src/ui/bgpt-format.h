/* bgpt-format.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "bgpt-catalog.h"
#include "bgpt-check-board.h"
#include "bgpt-checks.h"

G_BEGIN_DECLS

/* "agora mesmo", "há 2 minutos", "há 3 horas", "há 5 dias". */
char       *bgpt_format_relative_time (GDateTime          *then,
                                       GDateTime          *now);
/* "123 ms", "1,2 s". */
char       *bgpt_format_latency       (gint64              elapsed_ms);
/* "28/11/2026 09:15" in the user's locale. */
char       *bgpt_format_date_time     (GDateTime          *when);
const char *bgpt_format_service_name  (BgptService         service);
const char *bgpt_format_state_label   (BgptCheckItemState  state);
const char *bgpt_format_state_icon    (BgptCheckItemState  state);
const char *bgpt_format_state_css     (BgptCheckItemState  state);

G_END_DECLS
