/* bgpt-application-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bgpt-application.h"
#include "bgpt-demo-session.h"
#include "bgpt-user-session.h"
#include "bgpt-window.h"

G_BEGIN_DECLS

struct _BgptApplication
{
  AdwApplication     parent_instance;

  /* The user's own session, and the demo's while the demo plays: the app
   * shows the demo's then, and the user's again when it ends. */
  BgptUserSession   *user_session;
  BgptDemoSession   *demo_session;
  BgptCheckBoard    *board;
  gboolean           demo_requested;
  /* --background: the activation to come shows no window. */
  gboolean           hidden_start;
  gboolean           recheck_when_active;

  /* app.check-now, which any program of the user can call: one round per
   * CHECK_NOW_MIN_INTERVAL_S, the calls in between folded into one. */
  gint64             last_check_now;
  guint              check_now_source;
};

/* The session the app shows now: the demo's while it plays. */
BgptSession *_bgpt_application_get_session     (BgptApplication *self);
BgptWindow  *_bgpt_application_get_window      (BgptApplication *self);
/* The main window, built if there is none, and presented. */
BgptWindow  *_bgpt_application_ensure_window   (BgptApplication *self);
/* A toast in the main window (win.show-toast), else a log message. */
void         _bgpt_application_show_toast      (BgptApplication *self,
                                                const char      *text);
/* FALSE, with a toast saying why, when the session shown cannot have its
 * accounts changed (the demo's). */
gboolean     _bgpt_application_accounts_editable (BgptApplication *self);
/* The setup wizard, over the main window if there is one. */
void         _bgpt_application_present_setup_wizard (BgptApplication *self,
                                                     const char      *account_id);
/* The user's session starts watching, unless the demo plays. */
void         _bgpt_application_ensure_monitoring (BgptApplication *self);
void         _bgpt_application_start_demo      (BgptApplication *self);
void         _bgpt_application_stop_demo       (BgptApplication *self);

/* bgpt-application-actions.c: the app.* actions and their shortcuts. */
void         _bgpt_application_actions_init    (BgptApplication *self);
void         _bgpt_application_actions_dispose (BgptApplication *self);

G_END_DECLS
