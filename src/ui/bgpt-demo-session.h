/* bgpt-demo-session.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bgpt-demo.h"
#include "bgpt-session.h"

G_BEGIN_DECLS

/* Under --demo the app runs as this application id, and not unique, so
 * that the demo's notifications and actions never reach the user's own
 * instance. */
#define BGPT_DEMO_APPLICATION_ID APPLICATION_ID ".Demo"

#define BGPT_TYPE_DEMO_SESSION (bgpt_demo_session_get_type ())

G_DECLARE_FINAL_TYPE (BgptDemoSession, bgpt_demo_session, BGPT, DEMO_SESSION, BgptSession)

/* Adds --demo to @application's command line (an option of the app, not a
 * headless command). */
void             bgpt_demo_session_add_option   (GApplication  *application);
/* From handle-local-options: TRUE when --demo was given; @application then
 * takes the demo's application id and is not unique. */
gboolean         bgpt_demo_session_handle_local_options (GApplication *application,
                                                         GVariantDict *options);

/* A demo (BgptDemo, running) as a session of the app: its own settings in
 * memory, history in a temporary directory, monitor, and notifications
 * whose ids are its own (raised and withdrawn through @application). When
 * it goes, the demo stops and its notifications are withdrawn; nothing of
 * the user's session is touched. */
BgptDemoSession *bgpt_demo_session_new          (GApplication     *application,
                                                 GError          **error);
BgptDemo        *bgpt_demo_session_get_demo     (BgptDemoSession  *self);

G_END_DECLS
