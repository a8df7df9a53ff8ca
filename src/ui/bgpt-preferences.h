/* bgpt-preferences.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BGPT_TYPE_PREFERENCES (bgpt_preferences_get_type ())

G_DECLARE_FINAL_TYPE (BgptPreferences, bgpt_preferences, BGPT, PREFERENCES, AdwPreferencesPage)

/* The monitoring preferences, every row bound to @settings (the main
 * io.github.bytegpt.Monitor schema): changes apply at once. A page; see
 * bgpt_preferences_present() for the dialog around it. */
BgptPreferences *bgpt_preferences_new     (GSettings *settings);

/* Shows the preferences over @parent: in an AdwPreferencesDialog where
 * libadwaita has one (1.5), else in an AdwPreferencesWindow. Gives that
 * dialog or window, owned by GTK. */
GtkWidget       *bgpt_preferences_present (GtkWindow *parent,
                                           GSettings *settings);

G_END_DECLS
