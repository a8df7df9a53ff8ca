/* bgpt-demo.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "bgpt-account.h"
#include "bgpt-check-config.h"
#include "bgpt-incident-store.h"
#include "bgpt-monitor.h"
#include "bgpt-secret-store.h"
#include "bgpt-simulator.h"

G_BEGIN_DECLS

/* The id of the temporary account the demo checks: one that no account of
 * the user's can have. */
#define BGPT_DEMO_ACCOUNT_ID BGPT_ACCOUNT_RESERVED_ID

/* Read by bgpt_demo_new(): how much faster than real time the script runs
 * (a positive number; tests use it to go through it in seconds). */
#define BGPT_DEMO_SPEED_ENV "BGPT_DEMO_SPEED"
/* Read by the app's demo mode: the name of the step to start from (for
 * screenshots of one failure), else the first. */
#define BGPT_DEMO_PHASE_ENV "BGPT_DEMO_PHASE"

/* One step of the demo script: what the simulated services do for a while. */
typedef struct
{
  const char *name;         /* stable: "healthy" or the catalog id shown */
  const char *error_id;     /* the catalog id the step makes the checks find, or NULL */
  const char *description;  /* what happens: a msgid, see bgpt_demo_phase_describe() */
} BgptDemoPhase;

#define BGPT_TYPE_DEMO (bgpt_demo_get_type ())

G_DECLARE_FINAL_TYPE (BgptDemo, bgpt_demo, BGPT, DEMO, GObject)

/* The whole product working offline: a simulator on loopback playing Kommo
 * and OpenAI, a temporary account pointing at it (its settings in memory,
 * its demo secrets never in the keyring), its own monitor and its own
 * incident history in a temporary directory that goes away with it, and a
 * script that walks the simulator through every documented failure with
 * healthy periods in between. Nothing of the user's settings, keyring or
 * incident history is read or written. */
BgptDemo              *bgpt_demo_new                (GError        **error);

/* The script's pace: 1 is meant for a person (every failure within two
 * minutes); larger is faster. Set it before bgpt_demo_start(). */
double                 bgpt_demo_get_speed          (BgptDemo       *self);
void                   bgpt_demo_set_speed          (BgptDemo       *self,
                                                     double          speed);
/* Start over after the last step (the app), or stop there and emit
 * ::finished (tests). Default TRUE. */
gboolean               bgpt_demo_get_loop           (BgptDemo       *self);
void                   bgpt_demo_set_loop           (BgptDemo       *self,
                                                     gboolean        loop);

/* Reads the (empty) history, then starts the monitor and the script. */
void                   bgpt_demo_start              (BgptDemo       *self);
/* The same from step @index (a running script jumps there): to look at one
 * failure, for screenshots and tests. */
void                   bgpt_demo_start_at           (BgptDemo       *self,
                                                     guint           index);
/* Stops the script and the monitor; the simulator keeps listening. */
void                   bgpt_demo_stop               (BgptDemo       *self);
gboolean               bgpt_demo_is_running         (BgptDemo       *self);

BgptSimulator         *bgpt_demo_get_simulator      (BgptDemo       *self);
/* The io.github.bytegpt.Monitor settings of the demo, in memory only. */
GSettings             *bgpt_demo_get_settings       (BgptDemo       *self);
BgptIncidentStore     *bgpt_demo_get_incident_store (BgptDemo       *self);
BgptMonitor           *bgpt_demo_get_monitor        (BgptDemo       *self);
/* The base URL of the demo's status.openai.com, for bgpt_status_page_new():
 * what it says follows the failure being played. */
const char            *bgpt_demo_get_status_page_url (BgptDemo      *self);
/* The demo account's inputs, its demo secrets included. */
const BgptCheckConfig *bgpt_demo_get_config         (BgptDemo       *self);

/* Replaces a demo secret (the one-click fix "replace the key" inside the
 * demo): validated like a real one, kept in memory, and the account is
 * checked again at once. A key refused by the current step is refused
 * again; any other is accepted. */
gboolean               bgpt_demo_set_secret         (BgptDemo       *self,
                                                     BgptSecretKind  kind,
                                                     const char     *secret,
                                                     GError        **error);

/* The script, in order. */
guint                  bgpt_demo_get_n_phases       (void);
const BgptDemoPhase   *bgpt_demo_get_phase          (guint           index);
/* The first step called @name, or -1. */
gint                   bgpt_demo_find_phase         (const char     *name);
/* The description, translated. */
const char            *bgpt_demo_phase_describe     (const BgptDemoPhase *phase);
/* The step playing now (notifies "phase-index"). */
guint                  bgpt_demo_get_phase_index    (BgptDemo       *self);
/* How many times the script has started from the first step. */
guint                  bgpt_demo_get_round          (BgptDemo       *self);

G_END_DECLS
