/* bgpt-test-utils.h: the test-support library every test program links
 * (bgpt-test-utils.c): waiting with one scaled bound, async results,
 * finalization, the monitor fixture, the keyring as another client sees it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "bgpt-history.h"
#include "bgpt-http.h"
#include "bgpt-incident-store.h"
#include "bgpt-monitor.h"
#include "bgpt-simulator.h"

G_BEGIN_DECLS

/* ---- time ---- */

/* How many times slower than a plain build this one runs:
 * BGPT_TEST_TIME_SCALE, which build-aux/dev test --sanitize sets, 1 when
 * unset. Only for the upper bound of a time a test measures on purpose
 * (checks that must run side by side, a timeout that must hold); waiting for
 * something polls for it with a generous bound instead. */
double             bgpt_test_time_scale     (void);
/* A measured time's upper bound of MS milliseconds, scaled. */
gint64             bgpt_test_scaled_ms      (gint64 ms);

/* The one bound on anything a test waits for (a signal, a bus name, a file,
 * a frame), in milliseconds, scaled. Generous on purpose: a wait ends as
 * soon as its condition holds, so only a test that is failing anyway waits
 * this long, and a loaded machine never makes a passing test fail. */
#define BGPT_TEST_WAIT_MS 60000
guint              bgpt_test_wait_bound_ms  (void);

/* ---- waiting ---- */

typedef gboolean (*BgptTestCondition) (gpointer data);

/* Iterates the default main context until @condition holds or the bound
 * passes; gives whether it holds. */
gboolean           bgpt_test_wait_until     (BgptTestCondition  condition,
                                             gpointer           data);
/* The same, and a timeout is a failure that names @what. */
void               bgpt_test_assert_until   (BgptTestCondition  condition,
                                             gpointer           data,
                                             const char        *what);
/* The same for something promised within @promised_ms (the demo's pace):
 * the bound is the longer of that and the tests' one bound. */
void               bgpt_test_assert_within  (BgptTestCondition  condition,
                                             gpointer           data,
                                             guint              promised_ms,
                                             const char        *what);
/* Until *@flag is TRUE; a timeout is a failure. */
void               bgpt_test_wait_for_flag  (const gboolean    *flag);
/* Until *@count reaches @target; a timeout is a failure. */
void               bgpt_test_wait_for_count (const guint       *count,
                                             guint              target);
/* Called before every look at a wait's condition, for a test that must
 * notice objects as they appear (test-window follows each new monitor);
 * NULL for none. */
typedef void (*BgptTestHook) (void);
void               bgpt_test_set_wait_hook  (BgptTestHook       hook);
/* Runs the default main context for @ms milliseconds, dispatching as
 * things happen (for "nothing more happens within"). */
void               bgpt_test_run_for        (guint              ms);

/* ---- async results ---- */

/* A GAsyncReadyCallback that keeps a reference to the result in the
 * GAsyncResult * slot its user data points to. */
void               bgpt_test_collect_result (GObject           *source,
                                             GAsyncResult      *result,
                                             gpointer           slot);
/* Waits for a call made with bgpt_test_collect_result and @slot; gives
 * the result, whose reference the slot keeps. */
GAsyncResult      *bgpt_test_await          (GAsyncResult     **slot);
/* The same, but the reference passes to the caller and the slot is emptied
 * for the next call. */
GAsyncResult      *bgpt_test_wait_for_result (GAsyncResult    **slot);
/* Makes an async call in line: CALL is the _async call, given
 * bgpt_test_collect_result and &slot for its callback and user data; the
 * macro waits for it and gives FINISH, the _finish call on `result`. */
#define BGPT_TEST_SYNC(CALL, FINISH)                       \
  ({                                                       \
    GAsyncResult *slot = NULL;                             \
    g_autoptr(GAsyncResult) result = NULL;                 \
                                                           \
    CALL;                                                  \
    result = bgpt_test_wait_for_result (&slot);            \
    FINISH;                                                \
  })

/* ---- processes ---- */

/* A new process with @flags, running @program with the arguments in @args
 * (strings up to a NULL); NULL and @error set if it cannot start. */
GSubprocess       *bgpt_test_subprocess_new_va (GSubprocessFlags   flags,
                                                GError           **error,
                                                const char        *program,
                                                va_list            args);

/* ---- objects ---- */

/* A new incident store on @path, loaded; fails if it does not load. */
BgptIncidentStore *bgpt_test_incident_store_new_loaded (const char        *path);
/* Drops the caller's reference to @object and asserts that it is finalized
 * within the tests' one bound: for an object that a worker thread or a
 * request in flight holds for a moment. */
void               bgpt_test_assert_finalized_soon     (gpointer           object);
/* Flushes @incidents, then the same: the store saves from a worker
 * thread. */
void               bgpt_test_assert_store_finalized    (BgptIncidentStore *incidents);

/* The simulator on loopback and an HTTP client, for g_test_add (); a test
 * that needs a check configuration sets one (bgpt_test_simulator_config),
 * which tear-down frees. Tear-down asserts the client and the simulator
 * are finalized. */
typedef struct
{
  BgptSimulator   *simulator;
  BgptHttp        *http;
  BgptCheckConfig *config;
} BgptTestHttpFixture;

void               bgpt_test_http_fixture_set_up    (BgptTestHttpFixture *fixture,
                                                     gconstpointer        data);
void               bgpt_test_http_fixture_tear_down (BgptTestHttpFixture *fixture,
                                                     gconstpointer        data);

/* The simulator, the application's settings (the monitor's intervals at
 * one second, the time limit at five), an incident store loaded from a
 * throwaway folder and a monitor on them: the setup the monitor and
 * notification tests share. */
typedef struct
{
  BgptSimulator     *simulator;
  GSettings         *settings;
  BgptIncidentStore *incidents;
  BgptMonitor       *monitor;
  char              *directory;
} BgptTestMonitorSetup;

/* @failure_threshold and @success_threshold: the settings of those names. */
void               bgpt_test_monitor_setup_init  (BgptTestMonitorSetup *setup,
                                                  const char           *name,
                                                  guint                 failure_threshold,
                                                  guint                 success_threshold);
/* After the caller has stopped the monitor and dropped what it added:
 * asserts the monitor and the store are finalized, resets the settings and
 * removes the folder. */
void               bgpt_test_monitor_setup_clear (BgptTestMonitorSetup *setup);

/* What a GListModel's items-changed said last, and how many times it was
 * emitted: connect bgpt_test_record_items_changed with a pointer to one. */
typedef struct
{
  guint position;
  guint removed;
  guint added;
  guint count;
} BgptTestItemsChanged;

void               bgpt_test_record_items_changed (GListModel           *model,
                                                   guint                 position,
                                                   guint                 removed,
                                                   guint                 added,
                                                   BgptTestItemsChanged *changed);
/* Handlers that count, in the guint their user data points to, the
 * emissions of a signal with no arguments, and notifications. */
void               bgpt_test_count_emission       (gpointer              instance,
                                                   guint                *count);
void               bgpt_test_count_notify         (GObject              *object,
                                                   GParamSpec           *pspec,
                                                   guint                *count);

/* ---- the user's home ---- */

/* Every regular file under $BGPT_TEST_HOME (the throwaway home that
 * keyring-session.sh makes), by relative path, with its bytes; links are
 * not followed, and a top-level folder named @skip (or NULL) is left out. */
GHashTable        *bgpt_test_snapshot_home         (const char *skip);
/* Fails unless @after has every file of @before with the same bytes, and
 * no other. */
void               bgpt_test_assert_same_files     (GHashTable *before,
                                                    GHashTable *after);

/* Removes @path and everything under it; links are removed, never
 * followed. */
void               bgpt_test_remove_tree           (const char *path);

/* The six seed titles of the vendor's article, in its order and its words:
 * what the demo, the panel and the pt_BR catalog must show. */
extern const char * const bgpt_test_seed_titles[6];

/* ---- the keyring, the network, the locale, the command line ---- */

/* The secret stored for @account_id and @kind ("openai-api-key", …), asked
 * of libsecret directly as any other client would, not through the code
 * under test; NULL when there is none. */
char              *bgpt_test_keyring_peek   (const char *account_id,
                                             const char *kind);

/* tests/notification-server.py, the stand-in desktop notification server
 * on the session bus, which logs every call as a line of JSON to
 * @log_path in a throwaway folder outside the home. */
typedef struct
{
  GSubprocess *process;
  char        *directory;
  char        *log_path;
} BgptTestNotificationServer;

/* Returns once the server owns org.freedesktop.Notifications. */
void               bgpt_test_notification_server_start (BgptTestNotificationServer *server);
/* Closes its standard input, which ends it, waits for it and removes its
 * log. */
void               bgpt_test_notification_server_stop  (BgptTestNotificationServer *server);
/* Every call the server has logged so far, in order, one JSON object
 * each. */
JsonArray         *bgpt_test_notification_server_read_calls (BgptTestNotificationServer *server);
/* Whether @calls, from index @from on, hold a CloseNotification of the
 * notification @id. */
gboolean           bgpt_test_notification_calls_close (JsonArray *calls,
                                                       guint      from,
                                                       gint64     id);
/* GLib 2.74's freedesktop backend does not keep itself alive for the
 * replies of its calls: it cannot withdraw a notification whose id it has
 * not heard yet, and crashes when a reply arrives after it is gone, or when
 * the bus goes away under notifications it still tracks. A round trip to
 * the server, a moment, then an idle main context: every earlier reply has
 * been handled. */
void               bgpt_test_settle_notifications           (void);

/* Stores the account "default", called "Loja Teste", against @simulator,
 * with @key and @token in the keyring, as the setup wizard would: for a
 * test that runs the app inside keyring-session.sh --keyfile-settings. */
void               bgpt_test_store_simulator_account (BgptSimulator *simulator,
                                                      const char    *key,
                                                      const char    *token);
/* A check configuration for @account_id against @simulator (both
 * providers' addresses, @key and @token); the caller adds the rest. */
BgptCheckConfig   *bgpt_test_simulator_config (BgptSimulator *simulator,
                                               const char    *account_id,
                                               const char    *key,
                                               const char    *token);

/* A loopback port nobody listens on: bound, then closed. */
guint16            bgpt_test_closed_port    (void);

/* The locale a pt_BR test runs in: the real pt_BR.UTF-8, generated by the
 * build into the folder that LOCPATH names (tests/locale/meson.build), set
 * for this process and, through LANG and LC_ALL, for any child it starts.
 * Call it after gtk_test_init (), which sets a locale of its own. */
void               bgpt_test_use_pt_br      (void);

/* For a test that keyring-session.sh --keyfile-settings runs: takes
 * "--no-keyring", the meson.build entry's choice of variant, out of argv and
 * gives whether it was there, calls g_test_init (), and asserts the throwaway home and the
 * real keyfile settings backend that persistence across processes needs. */
gboolean           bgpt_test_init_keyfile_session (int    *argc,
                                                   char ***argv);

/* ---- results and processes ---- */

/* Appends to @results, an array of BgptHistoryResult, the result of a check
 * at @time (Unix seconds); @error_id is interned. */
void               bgpt_test_add_history_result (GArray      *results,
                                                 gint64       time,
                                                 BgptOutcome  outcome,
                                                 const char  *error_id,
                                                 guint32      elapsed_ms);

/* Starts this test program again with @args (NULL-terminated, after the
 * program's name), lets it run for a time drawn from @rand between @min_ms
 * and @max_ms (scaled), kills it with SIGKILL and reaps it; fails unless
 * the signal ended it. With @out_fd, its standard output is a pipe whose
 * read end goes to the caller. Gives the pid it had. */
GPid               bgpt_test_run_self_killed (const char * const *args,
                                              GRand              *rand,
                                              guint               min_ms,
                                              guint               max_ms,
                                              int                *out_fd);

G_END_DECLS
