/* bgpt-demo.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-demo"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "bgpt-account-store.h"
#include "bgpt-checks.h"
#include "bgpt-demo.h"
#include "bgpt-demo-history.h"
#include "bgpt-diagnosis.h"
#include "bgpt-static-network-monitor.h"
#include "bgpt-validation.h"

/* What the simulator does besides answering with a scenario. */
typedef enum
{
  EFFECT_NONE,
  EFFECT_SLOW,                /* answers arrive after the checks' time limit */
  EFFECT_REFUSE_OPENAI_KEY,   /* the current key is refused, a new one passes */
  EFFECT_REFUSE_KOMMO_TOKEN,
  /* OpenAI's answers state less rate-limit headroom after every key check,
   * down to under a tenth */
  EFFECT_SHRINK_HEADROOM,
  /* The month's costs rise at a pace that passes 80 % of the budget */
  EFFECT_OVERSPEND,
} Effect;

/* Which endpoints the step's scenario applies to. */
typedef enum
{
  TARGET_NONE,
  TARGET_OPENAI,              /* every OpenAI endpoint the account calls */
  TARGET_ENDPOINT,            /* only the step's endpoint */
} Target;

typedef struct
{
  BgptDemoPhase  phase;
  Target         target;
  const char    *endpoint;
  BgptScenario   scenario;
  Effect         effect;
  /* What status.openai.com says meanwhile (NULL: all operational). */
  const char    *status_indicator;
  const char    *status_description;
  /* At speed 1: a step lasts at least min_ms (time to read about it) and
   * moves on once its incident is open (or, healthy, once every incident
   * has resolved), at the latest after max_ms. */
  guint          min_ms;
  guint          max_ms;
} Step;

#define HEALTHY(min)                                                           \
  { { "healthy", NULL, N_("Everything works: Kommo and OpenAI answer in time") }, \
    TARGET_NONE, NULL, BGPT_SCENARIO_OK, EFFECT_NONE, NULL, NULL, (min), 12000 }

/* Every failure the seed article documents, then Kommo's, each followed by
 * a healthy period in which its incident resolves on its own. The Kommo rate
 * limit comes last: the monitor then backs off for a minute, as it should. */
static const Step script[] = {
  HEALTHY (4000),
  { { BGPT_DIAGNOSIS_OPENAI_TIMEOUT, BGPT_DIAGNOSIS_OPENAI_TIMEOUT,
      N_("OpenAI is slow: its answers arrive after the time limit") },
    TARGET_OPENAI, NULL, BGPT_SCENARIO_OK, EFFECT_SLOW,
    "minor", "Partially Degraded Service", 8000, 20000 },
  HEALTHY (4000),
  { { BGPT_DIAGNOSIS_OPENAI_AUTH, BGPT_DIAGNOSIS_OPENAI_AUTH,
      N_("OpenAI refuses the API key, as it does with a revoked key. Replace the key to fix it: any new key works in the demo") },
    TARGET_NONE, NULL, BGPT_SCENARIO_OK, EFFECT_REFUSE_OPENAI_KEY, NULL, NULL, 15000, 30000 },
  HEALTHY (4000),
  { { BGPT_DIAGNOSIS_OPENAI_ASSISTANT, BGPT_DIAGNOSIS_OPENAI_ASSISTANT,
      N_("OpenAI does not find the configured assistant") },
    TARGET_ENDPOINT, BGPT_CHECK_OPENAI_ASSISTANT, BGPT_SCENARIO_NOT_FOUND, EFFECT_NONE,
    NULL, NULL, 8000, 20000 },
  HEALTHY (4000),
  /* Played on the key check: the billable deep check runs at most once an
   * hour, and the demo never turns it on. */
  { { BGPT_DIAGNOSIS_OPENAI_QUOTA, BGPT_DIAGNOSIS_OPENAI_QUOTA,
      N_("The OpenAI account is out of credit: its requests are refused") },
    TARGET_ENDPOINT, BGPT_CHECK_OPENAI_KEY, BGPT_SCENARIO_QUOTA_EXCEEDED, EFFECT_NONE,
    NULL, NULL, 8000, 20000 },
  HEALTHY (4000),
  { { BGPT_DIAGNOSIS_OPENAI_CONNECTION, BGPT_DIAGNOSIS_OPENAI_CONNECTION,
      N_("The connection to OpenAI drops before any answer") },
    TARGET_OPENAI, NULL, BGPT_SCENARIO_RESET, EFFECT_NONE,
    "major", "Partial System Outage", 8000, 20000 },
  HEALTHY (4000),
  { { BGPT_DIAGNOSIS_OPENAI_UNEXPECTED, BGPT_DIAGNOSIS_OPENAI_UNEXPECTED,
      N_("A proxy in front of OpenAI answers with an error page") },
    TARGET_OPENAI, NULL, BGPT_SCENARIO_BAD_GATEWAY, EFFECT_NONE,
    "minor", "Partially Degraded Service", 8000, 20000 },
  HEALTHY (4000),
  /* After the seed's failures: the headroom halves check by check until the
   * warning opens (about four checks), which then stays a while; the
   * healthy period after it gives the limit back. */
  { { BGPT_DIAGNOSIS_OPENAI_RATE_LIMIT_NEAR, BGPT_DIAGNOSIS_OPENAI_RATE_LIMIT_NEAR,
      N_("ByteGPT’s traffic uses up the organization’s OpenAI rate limit: less is left at every check") },
    TARGET_NONE, NULL, BGPT_SCENARIO_OK, EFFECT_SHRINK_HEADROOM, NULL, NULL, 20000, 40000 },
  HEALTHY (4000),
  /* The costs are read again when the step begins and when it ends, not at
   * the checks' pace: the healthy period after it brings the pace back
   * under the budget. */
  { { BGPT_DIAGNOSIS_OPENAI_BUDGET, BGPT_DIAGNOSIS_OPENAI_BUDGET,
      N_("The OpenAI spend rises: at this pace the month passes the budget’s warning share") },
    TARGET_NONE, NULL, BGPT_SCENARIO_OK, EFFECT_OVERSPEND, NULL, NULL, 8000, 20000 },
  HEALTHY (4000),
  { { BGPT_DIAGNOSIS_KOMMO_AUTH, BGPT_DIAGNOSIS_KOMMO_AUTH,
      N_("Kommo refuses the token, as it does with a revoked one. Replace the token to fix it: any new token works in the demo") },
    TARGET_NONE, NULL, BGPT_SCENARIO_OK, EFFECT_REFUSE_KOMMO_TOKEN, NULL, NULL, 15000, 30000 },
  HEALTHY (4000),
  { { BGPT_DIAGNOSIS_KOMMO_PAYMENT, BGPT_DIAGNOSIS_KOMMO_PAYMENT,
      N_("The Kommo account’s paid period has ended") },
    TARGET_ENDPOINT, BGPT_CHECK_KOMMO_ACCOUNT, BGPT_SCENARIO_PAYMENT_REQUIRED, EFFECT_NONE,
    NULL, NULL, 8000, 20000 },
  HEALTHY (4000),
  { { BGPT_DIAGNOSIS_KOMMO_RATE_LIMIT, BGPT_DIAGNOSIS_KOMMO_RATE_LIMIT,
      N_("Kommo asks to slow down: too many requests") },
    TARGET_ENDPOINT, BGPT_CHECK_KOMMO_ACCOUNT, BGPT_SCENARIO_RATE_LIMITED, EFFECT_NONE,
    NULL, NULL, 8000, 20000 },
  HEALTHY (4000),
};

/* Seconds, at speed 1. The time limit leaves room for a machine where
 * each loopback exchange waits behind the window's frames (slow frames
 * under the sanitizers, beside other work): at 3 s a healthy Kommo answer
 * read as a timeout there, a second alert in the middle of another. */
#define CHECK_INTERVAL_S 3
#define TIMEOUT_S        6
/* The time limit follows the speed only down to this: it is also about how
 * fast this machine answers on loopback, and a faster script on a busy
 * machine must not turn healthy answers into timeouts. */
#define MIN_TIMEOUT_S    2
/* How much later than the time limit a slow answer comes. */
#define SLOW_EXTRA_MS    1500

struct _BgptDemo
{
  GObject            parent_instance;

  BgptSimulator     *simulator;
  GSettings         *settings;
  char              *directory;
  BgptIncidentStore *incidents;
  BgptMonitor       *monitor;
  GNetworkMonitor   *network;
  BgptCheckConfig   *config;
  GCancellable      *cancellable;
  BgptHistory       *history;  /* results, with a generated day */

  double             speed;
  gboolean           loop;
  gboolean           running;
  guint              phase_index;
  guint              round;
  gint64             phase_started;
  guint              min_source;
  guint              max_source;
  gint64             tokens_left;   /* EFFECT_SHRINK_HEADROOM */
  gboolean           overspent;     /* EFFECT_OVERSPEND: the costs say so */
};

enum {
  PROP_0,
  PROP_SPEED,
  PROP_LOOP,
  PROP_RUNNING,
  PROP_PHASE_INDEX,
  N_PROPS
};

enum {
  FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BgptDemo, bgpt_demo, G_TYPE_OBJECT)

guint
bgpt_demo_get_n_phases (void)
{
  return G_N_ELEMENTS (script);
}

const BgptDemoPhase *
bgpt_demo_get_phase (guint index)
{
  g_return_val_if_fail (index < G_N_ELEMENTS (script), NULL);

  return &script[index].phase;
}

const char *
bgpt_demo_phase_describe (const BgptDemoPhase *phase)
{
  g_return_val_if_fail (phase != NULL, NULL);

  return _(phase->description);
}

static char *
random_secret (const char *prefix)
{
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  GString *secret = g_string_new (prefix);

  for (guint i = 0; i < 32; i++)
    g_string_append_c (secret, alphabet[g_random_int_range (0, sizeof alphabet - 1)]);
  return g_string_free (secret, FALSE);
}

static void
replace_secret (char       **field,
                const char  *secret)
{
  if (*field != NULL)
    explicit_bzero (*field, strlen (*field));
  g_free (*field);
  *field = g_strdup (secret);
}

static guint
scaled_seconds (BgptDemo *self,
                guint     seconds)
{
  return MAX (1, (guint) (seconds / self->speed + 0.5));
}

static guint
timeout_seconds (BgptDemo *self)
{
  return MAX (MIN_TIMEOUT_S, scaled_seconds (self, TIMEOUT_S));
}

static void
apply_pace (BgptDemo *self)
{
  guint interval = scaled_seconds (self, CHECK_INTERVAL_S);

  g_settings_set_uint (self->settings, "check-interval", interval);
  g_settings_set_uint (self->settings, "retry-interval", interval);
  g_settings_set_uint (self->settings, "timeout", timeout_seconds (self));
}

/* The script */

static guint
phase_floor_ms (BgptDemo *self)
{
  /* Room for one check to start and, when slow, to time out. */
  return (scaled_seconds (self, CHECK_INTERVAL_S) + timeout_seconds (self)) * 1000 * 2 + 1000;
}

static gboolean
phase_reached (BgptDemo *self)
{
  const Step *step = &script[self->phase_index];
  guint n_items;

  if (step->phase.error_id == NULL)
    return bgpt_monitor_count_down (self->monitor) == 0;

  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->monitor));
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(BgptMonitorCheck) check = g_list_model_get_item (G_LIST_MODEL (self->monitor), i);
      const BgptDiagnosis *diagnosis = bgpt_monitor_check_get_diagnosis (check);

      if (bgpt_monitor_check_get_state (check) == BGPT_MONITOR_STATE_DOWN && diagnosis != NULL &&
          g_strcmp0 (diagnosis->error_id, step->phase.error_id) == 0)
        return TRUE;
    }
  return FALSE;
}

static void enter_phase (BgptDemo *self, guint index);

static void
advance (BgptDemo *self)
{
  if (self->phase_index + 1 < G_N_ELEMENTS (script))
    {
      enter_phase (self, self->phase_index + 1);
      return;
    }

  if (self->loop)
    {
      self->round++;
      enter_phase (self, 0);
      return;
    }

  g_debug ("The demo script is over");
  bgpt_demo_stop (self);
  g_signal_emit (self, signals[FINISHED], 0);
}

static void
maybe_advance (BgptDemo *self)
{
  if (!self->running || self->min_source != 0)
    return;

  if (phase_reached (self))
    advance (self);
}

static gboolean
on_min_elapsed (gpointer user_data)
{
  BgptDemo *self = user_data;

  self->min_source = 0;
  maybe_advance (self);
  return G_SOURCE_REMOVE;
}

static gboolean
on_max_elapsed (gpointer user_data)
{
  BgptDemo *self = user_data;

  self->max_source = 0;
  g_debug ("Step %s ran out of time", script[self->phase_index].phase.name);
  advance (self);
  return G_SOURCE_REMOVE;
}

/* Half the tokens left after each key check, down to 7.5 % of the limit. */
static void
shrink_headroom (BgptDemo         *self,
                 BgptMonitorCheck *check)
{
  if (script[self->phase_index].effect != EFFECT_SHRINK_HEADROOM ||
      g_strcmp0 (bgpt_monitor_check_get_check (check), BGPT_RATE_LIMIT_CHECK) != 0)
    return;

  self->tokens_left = MAX (self->tokens_left / 2, BGPT_SIMULATOR_RATE_LIMIT_TOKENS * 3 / 40);
  bgpt_simulator_set_rate_limit_remaining (self->simulator, BGPT_SIMULATOR_RATE_LIMIT_REQUESTS * 9 / 10,
                                           self->tokens_left);
}

static void
on_check_finished (BgptDemo         *self,
                   BgptMonitorCheck *check,
                   BgptMonitor      *monitor)
{
  shrink_headroom (self, check);
  maybe_advance (self);
}

/* Spending that rises through the month, at a pace that stays well under
 * the budget of US$ 100, or (@overspend) that passes 80 % of it on any
 * day of any month, but never 100 %: a warning, not a critical. */
static void
set_costs (BgptDemo *self,
           gboolean  overspend)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  double usd[30];

  for (guint i = 0; i < G_N_ELEMENTS (usd); i++)
    usd[i] = overspend ? 1.2 + 0.11 * i + (i % 7 == 5 ? 1.5 : 0.0)
                       : 0.9 + 0.03 * i + (i % 7 == 5 ? 0.5 : 0.0);
  bgpt_simulator_set_costs (self->simulator, now, usd, G_N_ELEMENTS (usd));
  self->overspent = overspend;
}

/* Every OpenAI endpoint the account calls (the demo never turns on the
 * billable deep check). */
static gboolean
is_openai_endpoint (const BgptCheck *check)
{
  return check->service == BGPT_SERVICE_OPENAI && !check->billable;
}

static void
set_scenario (BgptDemo    *self,
              const Step  *step)
{
  BgptSimulator *simulator = self->simulator;
  gsize n_checks;
  const BgptCheck *checks = bgpt_checks_get (&n_checks);

  bgpt_simulator_set_scenario (simulator, NULL, BGPT_SCENARIO_OK);
  bgpt_simulator_set_delay (simulator, NULL, 0);
  bgpt_simulator_set_refused_credential (simulator, NULL);
  bgpt_simulator_set_rate_limit_headers (simulator, BGPT_RATE_LIMIT_HEADERS_NORMAL);
  bgpt_simulator_set_status_page (simulator, step->status_indicator, step->status_description);

  switch (step->target)
    {
    case TARGET_OPENAI:
      for (gsize i = 0; i < n_checks; i++)
        if (is_openai_endpoint (&checks[i]))
          bgpt_simulator_set_scenario (simulator, checks[i].id, step->scenario);
      break;
    case TARGET_ENDPOINT:
      bgpt_simulator_set_scenario (simulator, step->endpoint, step->scenario);
      break;
    case TARGET_NONE:
    default:
      break;
    }

  switch (step->effect)
    {
    case EFFECT_SLOW:
      for (gsize i = 0; i < n_checks; i++)
        if (is_openai_endpoint (&checks[i]))
          bgpt_simulator_set_delay (simulator, checks[i].id,
                                    timeout_seconds (self) * 1000 + SLOW_EXTRA_MS);
      break;
    case EFFECT_REFUSE_OPENAI_KEY:
      bgpt_simulator_set_refused_credential (simulator, self->config->openai_api_key);
      break;
    case EFFECT_REFUSE_KOMMO_TOKEN:
      bgpt_simulator_set_refused_credential (simulator, self->config->kommo_token);
      break;
    case EFFECT_SHRINK_HEADROOM:
      self->tokens_left = BGPT_SIMULATOR_RATE_LIMIT_TOKENS;
      break;
    case EFFECT_OVERSPEND:
    case EFFECT_NONE:
    default:
      break;
    }

  if ((step->effect == EFFECT_OVERSPEND) != self->overspent)
    {
      set_costs (self, step->effect == EFFECT_OVERSPEND);
      /* Shown at once, not at the costs' hourly pace. */
      bgpt_costs_watch_refresh (bgpt_monitor_get_costs_watch (self->monitor), BGPT_DEMO_ACCOUNT_ID);
    }
}

static void
enter_phase (BgptDemo *self,
             guint     index)
{
  const Step *step = &script[index];

  g_clear_handle_id (&self->min_source, g_source_remove);
  g_clear_handle_id (&self->max_source, g_source_remove);

  self->phase_index = index;
  self->phase_started = g_get_monotonic_time ();
  g_debug ("Step %u: %s", index, step->phase.name);

  set_scenario (self, step);

  self->min_source = g_timeout_add ((guint) (step->min_ms / self->speed), on_min_elapsed, self);
  self->max_source = g_timeout_add (MAX ((guint) (step->max_ms / self->speed), phase_floor_ms (self)),
                                    on_max_elapsed, self);
  g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->min_source), "[bgpt] demo step");
  g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->max_source), "[bgpt] demo step limit");

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHASE_INDEX]);

  /* Show the change at once rather than at the next scheduled check. */
  bgpt_monitor_check_now (self->monitor, NULL);
}

static void
on_history_loaded (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(BgptDemo) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!bgpt_incident_store_load_finish (BGPT_INCIDENT_STORE (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* A fresh directory holds nothing to lose: go on with an empty history. */
      g_warning ("Demo history: %s", error->message);
    }

  if (!self->running)
    return;

  bgpt_monitor_start (self->monitor);
  enter_phase (self, self->phase_index);
}

void
bgpt_demo_start_at (BgptDemo *self,
                    guint     index)
{
  g_return_if_fail (BGPT_IS_DEMO (self));
  g_return_if_fail (index < G_N_ELEMENTS (script));

  if (self->running)
    {
      enter_phase (self, index);
      return;
    }

  self->running = TRUE;
  self->phase_index = index;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  if (!bgpt_incident_store_is_loaded (self->incidents))
    {
      bgpt_incident_store_load_async (self->incidents, self->cancellable,
                                      on_history_loaded, g_object_ref (self));
      return;
    }

  bgpt_monitor_start (self->monitor);
  enter_phase (self, index);
}

void
bgpt_demo_start (BgptDemo *self)
{
  g_return_if_fail (BGPT_IS_DEMO (self));

  if (!self->running)
    bgpt_demo_start_at (self, 0);
}

gint
bgpt_demo_find_phase (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (script); i++)
    if (g_strcmp0 (script[i].phase.name, name) == 0)
      return (gint) i;
  return -1;
}

void
bgpt_demo_stop (BgptDemo *self)
{
  g_return_if_fail (BGPT_IS_DEMO (self));

  if (!self->running)
    return;

  self->running = FALSE;
  g_clear_handle_id (&self->min_source, g_source_remove);
  g_clear_handle_id (&self->max_source, g_source_remove);
  bgpt_monitor_stop (self->monitor);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

gboolean
bgpt_demo_is_running (BgptDemo *self)
{
  g_return_val_if_fail (BGPT_IS_DEMO (self), FALSE);

  return self->running;
}

gboolean
bgpt_demo_set_secret (BgptDemo        *self,
                      BgptSecretKind   kind,
                      const char      *secret,
                      GError         **error)
{
  g_return_val_if_fail (BGPT_IS_DEMO (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (kind == BGPT_SECRET_KIND_OPENAI_ADMIN_KEY ? !bgpt_validate_admin_key (secret, error)
                                                : !bgpt_validate_secret (secret, error))
    return FALSE;

  if (kind == BGPT_SECRET_KIND_OPENAI_API_KEY)
    replace_secret (&self->config->openai_api_key, secret);
  else if (kind == BGPT_SECRET_KIND_OPENAI_ADMIN_KEY)
    replace_secret (&self->config->openai_admin_key, secret);
  else
    replace_secret (&self->config->kommo_token, secret);

  /* The monitor checks the account again at once with the new secret. */
  bgpt_monitor_set_account (self->monitor, self->config);
  return TRUE;
}

/* Accessors */

BgptSimulator *
bgpt_demo_get_simulator (BgptDemo *self)
{
  g_return_val_if_fail (BGPT_IS_DEMO (self), NULL);
  return self->simulator;
}

GSettings *
bgpt_demo_get_settings (BgptDemo *self)
{
  g_return_val_if_fail (BGPT_IS_DEMO (self), NULL);
  return self->settings;
}

BgptIncidentStore *
bgpt_demo_get_incident_store (BgptDemo *self)
{
  g_return_val_if_fail (BGPT_IS_DEMO (self), NULL);
  return self->incidents;
}

BgptMonitor *
bgpt_demo_get_monitor (BgptDemo *self)
{
  g_return_val_if_fail (BGPT_IS_DEMO (self), NULL);
  return self->monitor;
}

const char *
bgpt_demo_get_status_page_url (BgptDemo *self)
{
  g_return_val_if_fail (BGPT_IS_DEMO (self), NULL);
  return bgpt_simulator_get_base_url (self->simulator);
}

const BgptCheckConfig *
bgpt_demo_get_config (BgptDemo *self)
{
  g_return_val_if_fail (BGPT_IS_DEMO (self), NULL);
  return self->config;
}

guint
bgpt_demo_get_phase_index (BgptDemo *self)
{
  g_return_val_if_fail (BGPT_IS_DEMO (self), 0);
  return self->phase_index;
}

guint
bgpt_demo_get_round (BgptDemo *self)
{
  g_return_val_if_fail (BGPT_IS_DEMO (self), 0);
  return self->round;
}

double
bgpt_demo_get_speed (BgptDemo *self)
{
  g_return_val_if_fail (BGPT_IS_DEMO (self), 1.0);
  return self->speed;
}

void
bgpt_demo_set_speed (BgptDemo *self,
                     double    speed)
{
  g_return_if_fail (BGPT_IS_DEMO (self));
  g_return_if_fail (speed > 0.0);

  if (self->speed == speed)
    return;

  self->speed = speed;
  apply_pace (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEED]);
}

gboolean
bgpt_demo_get_loop (BgptDemo *self)
{
  g_return_val_if_fail (BGPT_IS_DEMO (self), FALSE);
  return self->loop;
}

void
bgpt_demo_set_loop (BgptDemo *self,
                    gboolean  loop)
{
  g_return_if_fail (BGPT_IS_DEMO (self));

  loop = !!loop;
  if (self->loop == loop)
    return;

  self->loop = loop;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOOP]);
}

/* Construction */

static double
speed_from_environment (void)
{
  const char *text = g_getenv (BGPT_DEMO_SPEED_ENV);
  double speed;
  char *end = NULL;

  if (text == NULL || *text == '\0')
    return 1.0;

  speed = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (speed) || speed <= 0.0)
    {
      g_warning ("Ignoring %s=%s: not a positive number", BGPT_DEMO_SPEED_ENV, text);
      return 1.0;
    }
  return speed;
}

/* An admin key and a budget: the usage view has a chart to show, and the
 * budget step (EFFECT_OVERSPEND) a warning to raise. */
static void
demo_costs (BgptDemo *self)
{
  set_costs (self, FALSE);
  self->config->openai_admin_key = random_secret ("sk-admin-demo-");
  self->config->monthly_budget_usd = 100.0;
}

BgptDemo *
bgpt_demo_new (GError **error)
{
  g_autoptr(BgptDemo) self = g_object_new (BGPT_TYPE_DEMO, NULL);
  g_autoptr(GSettingsBackend) backend = NULL;
  g_autofree char *history = NULL;
  static const char * const accounts[] = { BGPT_DEMO_ACCOUNT_ID, NULL };

  self->simulator = bgpt_simulator_new (error);
  if (self->simulator == NULL)
    return NULL;

  self->directory = g_dir_make_tmp ("bytegpt-monitor-demo-XXXXXX", error);
  if (self->directory == NULL)
    return NULL;

  /* Settings of its own, in memory: the user's are never read nor written. */
  backend = g_memory_settings_backend_new ();
  self->settings = g_settings_new_with_backend (BGPT_SETTINGS_SCHEMA_ID, backend);
  g_settings_set_strv (self->settings, "accounts", accounts);
  g_settings_set_uint (self->settings, "failure-threshold", 1);
  g_settings_set_uint (self->settings, "success-threshold", 1);
  g_settings_set_uint (self->settings, "reminder-interval", 0);
  g_settings_set_boolean (self->settings, "notifications", TRUE);
  g_settings_set_boolean (self->settings, "notify-resolved", TRUE);
  g_settings_set_boolean (self->settings, "deep-check", FALSE);
  self->speed = speed_from_environment ();
  apply_pace (self);

  history = g_build_filename (self->directory, "incidents.json", NULL);
  self->incidents = bgpt_incident_store_new (history);
  /* Written once, when the demo ends, never from a worker thread while the
   * directory is being removed. */
  bgpt_incident_store_set_save_delay (self->incidents, G_MAXINT);

  self->config = bgpt_check_config_new (BGPT_DEMO_ACCOUNT_ID);
  self->config->display_name = g_strdup (_("Demo account"));
  self->config->kommo_subdomain = g_strdup ("demo");
  self->config->kommo_base_url = g_strdup (bgpt_simulator_get_base_url (self->simulator));
  self->config->kommo_token = random_secret ("kommo-demo-");
  self->config->openai_base_url = bgpt_simulator_dup_openai_base_url (self->simulator);
  self->config->openai_api_key = random_secret ("sk-demo-");
  self->config->assistant_id = g_strdup ("asst_DemoByteGPT2026");
  self->config->model = g_strdup ("gpt-4.1-mini");
  demo_costs (self);

  self->monitor = bgpt_monitor_new (self->settings, self->incidents);
  /* Everything the demo talks to is on loopback: whether the machine is
   * online says nothing about it, so the demo's monitor is told it always is. */
  self->network = bgpt_static_network_monitor_new (TRUE);
  bgpt_monitor_set_network_monitor (self->monitor, self->network);
  bgpt_monitor_set_account (self->monitor, self->config);
  g_signal_connect_object (self->monitor, "check-finished", G_CALLBACK (on_check_finished), self,
                           G_CONNECT_SWAPPED);
  self->history = bgpt_demo_history_new (self->monitor, self->directory, BGPT_DEMO_ACCOUNT_ID);

  return g_steal_pointer (&self);
}

static void
remove_directory (const char *directory)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  dir = g_dir_open (directory, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (directory, name, NULL);

      if (g_unlink (path) != 0)
        g_warning ("Could not remove %s: %s", path, g_strerror (errno));
    }
  if (g_rmdir (directory) != 0)
    g_warning ("Could not remove %s: %s", directory, g_strerror (errno));
}

static void
bgpt_demo_dispose (GObject *object)
{
  BgptDemo *self = BGPT_DEMO (object);

  if (self->running)
    bgpt_demo_stop (self);
  g_cancellable_cancel (self->cancellable);

  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
  g_clear_object (&self->network);
  /* Saves are only ever written here, synchronously, so that nothing writes
   * into the directory once it is gone, even if a window still shows the
   * history. */
  if (self->incidents != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!bgpt_incident_store_flush (self->incidents, &error))
        g_debug ("Demo history not saved: %s", error->message);
    }
  g_clear_object (&self->incidents);
  g_clear_object (&self->history);
  if (self->directory != NULL)
    remove_directory (self->directory);
  g_clear_pointer (&self->directory, g_free);
  g_clear_object (&self->settings);
  g_clear_object (&self->simulator);

  G_OBJECT_CLASS (bgpt_demo_parent_class)->dispose (object);
}

static void
bgpt_demo_finalize (GObject *object)
{
  BgptDemo *self = BGPT_DEMO (object);

  g_clear_pointer (&self->config, bgpt_check_config_free);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (bgpt_demo_parent_class)->finalize (object);
}

static void
bgpt_demo_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  BgptDemo *self = BGPT_DEMO (object);

  switch (prop_id)
    {
    case PROP_SPEED:
      g_value_set_double (value, self->speed);
      break;
    case PROP_LOOP:
      g_value_set_boolean (value, self->loop);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_PHASE_INDEX:
      g_value_set_uint (value, self->phase_index);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bgpt_demo_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  BgptDemo *self = BGPT_DEMO (object);

  switch (prop_id)
    {
    case PROP_SPEED:
      bgpt_demo_set_speed (self, g_value_get_double (value));
      break;
    case PROP_LOOP:
      bgpt_demo_set_loop (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bgpt_demo_class_init (BgptDemoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bgpt_demo_dispose;
  object_class->finalize = bgpt_demo_finalize;
  object_class->get_property = bgpt_demo_get_property;
  object_class->set_property = bgpt_demo_set_property;

  properties[PROP_SPEED] =
    g_param_spec_double ("speed", NULL, NULL, G_MINDOUBLE, G_MAXDOUBLE, 1.0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOOP] =
    g_param_spec_boolean ("loop", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PHASE_INDEX] =
    g_param_spec_uint ("phase-index", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The last step is over and the script does not loop. */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
bgpt_demo_init (BgptDemo *self)
{
  self->speed = 1.0;
  self->loop = TRUE;
  self->cancellable = g_cancellable_new ();
}
