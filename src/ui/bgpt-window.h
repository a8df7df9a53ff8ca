/* bgpt-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bgpt-application.h"

G_BEGIN_DECLS

#define BGPT_TYPE_WINDOW (bgpt_window_get_type ())

G_DECLARE_FINAL_TYPE (BgptWindow, bgpt_window, BGPT, WINDOW, AdwApplicationWindow)

BgptWindow *bgpt_window_new (BgptApplication *application);

G_END_DECLS
