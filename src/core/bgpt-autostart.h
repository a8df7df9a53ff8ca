/* bgpt-autostart.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BGPT_TYPE_AUTOSTART (bgpt_autostart_get_type ())

G_DECLARE_FINAL_TYPE (BgptAutostart, bgpt_autostart, BGPT, AUTOSTART, GObject)

/* "Start at login": `bytegpt-monitor --background` when the user logs in.
 * Asked of the Background portal when built with libportal and the portal
 * answers (the only way from inside a Flatpak); otherwise an XDG autostart
 * entry in the user's config directory. Turning it off removes it. */

/* $XDG_CONFIG_HOME/autostart/io.github.bytegpt.Monitor.desktop */
char          *bgpt_autostart_dup_entry_path   (void);

void           bgpt_autostart_set_enabled_async  (gboolean              enabled,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
/* FALSE with G_IO_ERROR_PERMISSION_DENIED when the user refused it in the
 * portal's dialog. */
gboolean       bgpt_autostart_set_enabled_finish (GAsyncResult         *result,
                                                  GError              **error);

/* Follows the `start-at-login` key of @settings: applies it now and on
 * every change; a refusal turns the key back off. */
BgptAutostart *bgpt_autostart_new               (GSettings            *settings);

G_END_DECLS
