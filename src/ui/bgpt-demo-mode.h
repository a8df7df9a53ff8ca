/* bgpt-demo-mode.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bgpt-check-board.h"
#include "bgpt-demo.h"

G_BEGIN_DECLS

#define BGPT_TYPE_DEMO_MODE (bgpt_demo_mode_get_type ())

G_DECLARE_FINAL_TYPE (BgptDemoMode, bgpt_demo_mode, BGPT, DEMO_MODE, GObject)

/* Adds --demo to @application's command line (an option of the app, not a
 * headless command). */
void          bgpt_demo_mode_add_option   (GApplication    *application);
gboolean      bgpt_demo_mode_is_requested (GVariantDict    *options);

/* A demo session (BgptDemo, running) as the app shows it: @board shows the
 * demo account's checks as the demo's monitor runs them, and @application
 * raises and withdraws the desktop notifications of its incidents. When it
 * goes, the demo stops, its notifications are withdrawn and @board forgets
 * the demo account. */
BgptDemoMode *bgpt_demo_mode_new          (GApplication    *application,
                                           BgptCheckBoard  *board,
                                           GError         **error);
BgptDemo     *bgpt_demo_mode_get_demo     (BgptDemoMode    *self);

/* app.check-now inside the demo. */
void          bgpt_demo_mode_check_now    (BgptDemoMode    *self);
/* app.edit-secret inside the demo: asks for a new demo secret, offering
 * one, and keeps it in memory only. */
GtkWidget    *bgpt_demo_mode_edit_secret  (BgptDemoMode    *self,
                                           GtkWindow       *parent,
                                           BgptSecretKind   kind);

/* The "Modo demonstração" bar: what the demo plays now, and a button that
 * leaves it (app.stop-demo). */
GtkWidget    *bgpt_demo_mode_create_bar   (BgptDemoMode    *self);

G_END_DECLS
