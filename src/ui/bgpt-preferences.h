/* bgpt-preferences.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BGPT_TYPE_PREFERENCES (bgpt_preferences_get_type ())

G_DECLARE_FINAL_TYPE (BgptPreferences, bgpt_preferences, BGPT, PREFERENCES, AdwPreferencesWindow)

/* The monitoring preferences, every row bound to @settings (the main
 * io.github.bytegpt.Monitor schema): changes apply at once. */
BgptPreferences *bgpt_preferences_new     (GtkWindow *parent,
                                           GSettings *settings);
void             bgpt_preferences_present (GtkWindow *parent,
                                           GSettings *settings);

G_END_DECLS
