/* bgpt-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BGPT_TYPE_APPLICATION (bgpt_application_get_type ())

G_DECLARE_FINAL_TYPE (BgptApplication, bgpt_application, BGPT, APPLICATION, AdwApplication)

BgptApplication *bgpt_application_new (void);

G_END_DECLS
