/* bgpt-session.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bgpt-check-board.h"
#include "bgpt-incident-store.h"
#include "bgpt-monitor.h"
#include "bgpt-secret-store.h"

G_BEGIN_DECLS

#define BGPT_SESSION_ERROR (bgpt_session_error_quark ())

typedef enum
{
  BGPT_SESSION_ERROR_READ_ONLY,
} BgptSessionError;

#define BGPT_TYPE_SESSION (bgpt_session_get_type ())

G_DECLARE_DERIVABLE_TYPE (BgptSession, bgpt_session, BGPT, SESSION, GObject)

/* What the application shows and watches: settings, accounts, incidents, a
 * monitor and its desktop notifications, kept apart from any other session.
 * The application holds the user's session (BgptUserSession) and, while the
 * demo plays, the demo's (BgptDemoSession), and shows one at a time. */
struct _BgptSessionClass
{
  GObjectClass parent_class;

  GSettings         *(*get_settings)            (BgptSession     *self);
  BgptIncidentStore *(*get_incident_store)      (BgptSession     *self);
  /* NULL until the session has started. */
  BgptMonitor       *(*get_monitor)             (BgptSession     *self);
  void               (*start)                   (BgptSession     *self);
  void               (*stop)                    (BgptSession     *self);
  void               (*check_now)               (BgptSession     *self);
  char              *(*dup_account_name)        (BgptSession     *self,
                                                 const char      *account_id);
  gboolean           (*check_accounts_editable) (BgptSession     *self,
                                                 GError         **error);
  const char        *(*describe_secret_edit)    (BgptSession     *self,
                                                 BgptSecretKind   kind);
  char              *(*suggest_secret)          (BgptSession     *self,
                                                 BgptSecretKind   kind);
  void               (*store_secret_async)      (BgptSession     *self,
                                                 const char      *account_id,
                                                 BgptSecretKind   kind,
                                                 const char      *secret,
                                                 GCancellable    *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer         user_data);
  gboolean           (*store_secret_finish)     (BgptSession     *self,
                                                 GAsyncResult    *result,
                                                 GError         **error);
  const char        *(*describe_secret_stored)  (BgptSession     *self,
                                                 BgptSecretKind   kind);
  void               (*send_test_notification)  (BgptSession     *self);
  GtkWidget         *(*create_bar)              (BgptSession     *self);
  const char        *(*get_status_page_url)     (BgptSession     *self);
};

GQuark             bgpt_session_error_quark            (void);

GApplication      *bgpt_session_get_application        (BgptSession     *self);
GSettings         *bgpt_session_get_settings           (BgptSession     *self);
BgptIncidentStore *bgpt_session_get_incident_store     (BgptSession     *self);
BgptMonitor       *bgpt_session_get_monitor            (BgptSession     *self);

/* Starts watching (the monitor and its notifications); once is enough. */
void               bgpt_session_start                  (BgptSession     *self);
/* Stops the checks and takes the session's notifications off the screen. */
void               bgpt_session_stop                   (BgptSession     *self);
/* Checks the session's accounts now, as the user's own check. */
void               bgpt_session_check_now              (BgptSession     *self);

/* The account's display name, else its id (transfer full). */
char              *bgpt_session_dup_account_name       (BgptSession     *self,
                                                        const char      *account_id);
/* FALSE, with a message for the user, when the session's accounts cannot
 * be added to or changed (the setup wizard). */
gboolean           bgpt_session_check_accounts_editable (BgptSession    *self,
                                                        GError         **error);

/* Replacing a secret (bgpt-secret-dialog.c): what the dialog says about
 * where to find one and where it is kept; a secret to offer, or NULL
 * (transfer full); storing it where the session keeps secrets (the secret
 * is copied before the call returns); and what to say once it is stored. */
const char        *bgpt_session_describe_secret_edit   (BgptSession     *self,
                                                        BgptSecretKind   kind);
char              *bgpt_session_suggest_secret         (BgptSession     *self,
                                                        BgptSecretKind   kind);
void               bgpt_session_store_secret_async     (BgptSession     *self,
                                                        const char      *account_id,
                                                        BgptSecretKind   kind,
                                                        const char      *secret,
                                                        GCancellable    *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer         user_data);
gboolean           bgpt_session_store_secret_finish    (BgptSession     *self,
                                                        GAsyncResult    *result,
                                                        GError         **error);
const char        *bgpt_session_describe_secret_stored (BgptSession     *self,
                                                        BgptSecretKind   kind);
/* The Preferences button (app.test-notification). */
void               bgpt_session_send_test_notification (BgptSession     *self);
/* A bar for the top of the window, or NULL. */
GtkWidget         *bgpt_session_create_bar             (BgptSession     *self);
/* Where to read status.openai.com (bgpt_status_page_new()); NULL: the
 * real page. */
const char        *bgpt_session_get_status_page_url    (BgptSession     *self);

/* @board shows the session's accounts (its `accounts` setting) and what its
 * monitor finds, until bgpt_session_hide_from_board(). */
void               bgpt_session_show_on_board          (BgptSession     *self,
                                                        BgptCheckBoard  *board);
void               bgpt_session_hide_from_board        (BgptSession     *self);

/* For subclasses: the monitor has started (or changed); a board that
 * shows the session follows it. */
void               bgpt_session_monitor_changed        (BgptSession     *self);
/* For subclasses: emits ::accounts-changed. */
void               bgpt_session_emit_accounts_changed  (BgptSession     *self);

G_END_DECLS
