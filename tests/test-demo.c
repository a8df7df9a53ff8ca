/* test-demo.c: demo mode, the whole product working offline.
 *
 * Runs inside tests/keyring-session.sh with a throwaway home whose settings
 * are a real keyfile; with --keyring a real gnome-keyring answers, without it
 * there is no Secret Service at all. The machine needs no network: the demo
 * talks to its simulator on loopback only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gi18n.h>

#include "core/bgpt-account-store.h"
#include "core/bgpt-catalog.h"
#include "core/bgpt-demo.h"
#include "core/bgpt-history-recorder.h"
#include "core/bgpt-i18n.h"
#include "core/bgpt-secret-store.h"
#include "core/bgpt-status-page.h"
#include "core/bgpt-validation.h"
#include "bgpt-test-utils.h"

#include "bgpt-test-utils.h"

#define USER_KEY "sk-user-own-key-DoNotTouch0123456789"

/* The six titles of the vendor's article, exactly as it writes them. */
static const struct
{
  const char *id;
  const char *title;
} seed[] = {
  { "openai.timeout", "ERRO OpenAi Limite de tempo atingido. OpenAI está com lentidão" },
  { "openai.auth", "Falha na Autenticação da API" },
  { "openai.assistant", "Assistant ID Inválido" },
  { "openai.quota", "Limite de Quota Excedido" },
  { "openai.connection", "Erro de Conexão" },
  { "openai.unexpected", "Resposta Inesperada da OpenAI" },
};

static const char * const kommo_ids[] = {
  "kommo.auth",
  "kommo.payment",
  "kommo.rate-limit",
};

static gboolean with_keyring;
static GHashTable *user_files_before;

/* @timeout_s is what the demo promises; no wait is shorter than the
 * tests' one bound, so a loaded machine only makes it slower. */
#define wait_for(condition, data, timeout_s, what) \
  bgpt_test_assert_within ((condition), (data), (timeout_s) * 1000, (what))

/* The user's own data, so that "as before" has something to keep. */
static void
seed_user_data (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BGPT_SETTINGS_SCHEMA_ID);
  g_autoptr(GSettings) account = NULL;
  g_autoptr(BgptIncidentStore) incidents = NULL;
  g_autoptr(BgptDiagnosis) diagnosis = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *keyfile = NULL;
  g_autofree char *history = NULL;
  static const char * const accounts[] = { "default", NULL };

  g_settings_set_strv (settings, "accounts", accounts);
  g_settings_set_uint (settings, "check-interval", 600);
  account = g_settings_new_with_path (BGPT_SETTINGS_SCHEMA_ID ".Account",
                                      "/io/github/bytegpt/Monitor/accounts/default/");
  g_settings_set_string (account, "display-name", "Atendimento Acme");
  g_settings_set_string (account, "kommo-subdomain", "acme");
  g_settings_sync ();
  keyfile = g_build_filename (g_get_user_config_dir (), "glib-2.0", "settings", "keyfile", NULL);
  g_assert_true (g_file_test (keyfile, G_FILE_TEST_IS_REGULAR));

  incidents = bgpt_incident_store_new (NULL);
  bgpt_incident_store_load_async (incidents, NULL, bgpt_test_collect_result, &result);
  bgpt_test_await (&result);
  g_assert_true (bgpt_incident_store_load_finish (incidents, result, &error));
  g_assert_no_error (error);
  diagnosis = bgpt_diagnosis_new ("openai.key", "openai.quota");
  diagnosis->http_status = 429;
  bgpt_incident_store_report (incidents, "default", diagnosis);
  g_assert_true (bgpt_incident_store_flush (incidents, &error));
  g_assert_no_error (error);
  history = bgpt_incident_store_get_default_path ();
  g_assert_true (g_file_test (history, G_FILE_TEST_IS_REGULAR));

  if (with_keyring)
    {
      g_autoptr(BgptSecretStore) secrets = bgpt_secret_store_new ();

      g_clear_object (&result);
      bgpt_secret_store_store_async (secrets, "default", BGPT_SECRET_KIND_OPENAI_API_KEY, USER_KEY,
                                     NULL, bgpt_test_collect_result, &result);
      bgpt_test_await (&result);
      g_assert_true (bgpt_secret_store_store_finish (secrets, result, &error));
      g_assert_no_error (error);
    }
}

/* The whole script */

typedef struct
{
  BgptDemo  *demo;
  GPtrArray *visited;
  gboolean   finished;
  /* The most unread incidents (the window's badge) seen, and the distinct
   * root causes played by then. */
  guint      worst_unread;
  guint      worst_roots;
  /* Monotonic times: the start, and when every seed title was in the list. */
  gint64     started;
  gint64     seeds_at;
} ScriptRun;

static BgptIncident *find_incident (BgptIncidentStore *store, const char *error_id);

/* The distinct catalog ids of the steps played so far, the current one
 * included. */
static guint
count_root_causes (ScriptRun *run)
{
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  const BgptDemoPhase *current = bgpt_demo_get_phase (bgpt_demo_get_phase_index (run->demo));

  for (guint i = 0; i < run->visited->len; i++)
    {
      gint index = bgpt_demo_find_phase (g_ptr_array_index (run->visited, i));
      const char *error_id = bgpt_demo_get_phase ((guint) index)->error_id;

      if (error_id != NULL)
        g_hash_table_add (ids, (gpointer) error_id);
    }
  if (current->error_id != NULL)
    g_hash_table_add (ids, (gpointer) current->error_id);
  return g_hash_table_size (ids);
}

/* The window's badge counts the open ones of the unread incidents, and an
 * incident is a root cause: never more unread ones than the script has
 * played root causes. */
static void
on_unread (BgptIncidentStore *incidents,
           GParamSpec        *pspec,
           ScriptRun         *run)
{
  guint unread = bgpt_incident_store_get_n_unread (incidents);
  guint roots = count_root_causes (run);

  if (unread > run->worst_unread || (unread > roots && run->worst_unread <= run->worst_roots))
    {
      run->worst_unread = unread;
      run->worst_roots = roots;
    }
  if (run->seeds_at == 0)
    {
      gboolean all = TRUE;

      for (guint i = 0; i < G_N_ELEMENTS (seed) && all; i++)
        all = find_incident (incidents, seed[i].id) != NULL;
      if (all)
        run->seeds_at = g_get_monotonic_time ();
    }
  if (unread > roots)
    {
      g_test_message ("%u unread incidents after %u root causes:", unread, roots);
      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (incidents)); i++)
        {
          g_autoptr(BgptIncident) incident = g_list_model_get_item (G_LIST_MODEL (incidents), i);

          g_test_message ("  %s %s", bgpt_incident_get_check (incident), bgpt_incident_get_error_id (incident));
        }
    }
}

static void
on_phase (BgptDemo   *demo,
          GParamSpec *pspec,
          ScriptRun  *run)
{
  const BgptDemoPhase *phase = bgpt_demo_get_phase (bgpt_demo_get_phase_index (demo));

  g_test_message ("step %s", phase->name);
  g_ptr_array_add (run->visited, (gpointer) phase->name);
}

static void
on_finished (BgptDemo  *demo,
             ScriptRun *run)
{
  run->finished = TRUE;
}

static gboolean
script_finished (gpointer data)
{
  return ((ScriptRun *) data)->finished;
}

static BgptIncident *
find_incident (BgptIncidentStore *store,
               const char        *error_id)
{
  GListModel *model = G_LIST_MODEL (store);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(BgptIncident) incident = g_list_model_get_item (model, i);

      if (g_strcmp0 (bgpt_incident_get_error_id (incident), error_id) == 0)
        return incident;  /* the store keeps its reference */
    }
  return NULL;
}

static void
assert_no_secret (BgptIncidentStore     *store,
                  const BgptCheckConfig *config)
{
  GListModel *model = G_LIST_MODEL (store);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(BgptIncident) incident = g_list_model_get_item (model, i);
      g_autofree char *details = bgpt_incident_format_details (incident);

      g_assert_null (strstr (details, config->openai_api_key));
      g_assert_null (strstr (details, config->kommo_token));
    }
}

static void
test_script (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *user_history = bgpt_incident_store_get_default_path ();
  ScriptRun run = { 0 };
  const BgptCheckConfig *config;
  BgptIncidentStore *incidents;
  BgptSimulator *simulator;
  gint64 started;

  /* The option for tests: the same script at twenty times the pace. */
  g_setenv (BGPT_DEMO_SPEED_ENV, "20", TRUE);
  run.demo = bgpt_demo_new (&error);
  g_assert_no_error (error);
  g_unsetenv (BGPT_DEMO_SPEED_ENV);
  g_assert_cmpfloat (bgpt_demo_get_speed (run.demo), ==, 20.0);
  bgpt_demo_set_loop (run.demo, FALSE);

  /* Loopback only, demo secrets, a history of its own. */
  config = bgpt_demo_get_config (run.demo);
  g_assert_true (g_str_has_prefix (config->openai_base_url, "http://127.0.0.1:"));
  g_assert_true (g_str_has_prefix (config->kommo_base_url, "http://127.0.0.1:"));
  g_assert_true (g_str_has_prefix (config->openai_api_key, "sk-demo-"));
  g_assert_true (bgpt_validate_secret (config->kommo_token, NULL));
  incidents = bgpt_demo_get_incident_store (run.demo);
  g_assert_cmpstr (bgpt_incident_store_get_path (incidents), !=, user_history);
  g_assert_false (g_str_has_prefix (bgpt_incident_store_get_path (incidents), g_get_home_dir ()));
  directory = g_path_get_dirname (bgpt_incident_store_get_path (incidents));
  g_assert_true (g_file_test (directory, G_FILE_TEST_IS_DIR));

  run.visited = g_ptr_array_new ();
  g_signal_connect (run.demo, "notify::phase-index", G_CALLBACK (on_phase), &run);
  g_signal_connect (run.demo, "finished", G_CALLBACK (on_finished), &run);
  g_signal_connect (incidents, "notify::n-unread", G_CALLBACK (on_unread), &run);

  started = run.started = g_get_monotonic_time ();
  bgpt_demo_start (run.demo);
  g_assert_true (bgpt_demo_is_running (run.demo));
  wait_for (script_finished, &run, 100, "the end of the script");
  g_test_message ("script took %.1f s", (g_get_monotonic_time () - started) / 1e6);
  g_assert_false (bgpt_demo_is_running (run.demo));
  g_signal_handlers_disconnect_by_func (incidents, on_unread, &run);
  g_test_message ("at most %u unread incidents, after %u root causes", run.worst_unread, run.worst_roots);
  g_assert_cmpuint (run.worst_unread, >, 0);
  g_assert_cmpuint (run.worst_unread, <=, run.worst_roots);
  /* Every seed title within two minutes of the demo's own pace. */
  g_assert_cmpint (run.seeds_at, >, 0);
  g_test_message ("every seed title after %.1f s, %.0f s at the demo's pace",
                  (run.seeds_at - run.started) / 1e6, (run.seeds_at - run.started) / 1e6 * 20);
  g_assert_cmpfloat ((run.seeds_at - run.started) / 1e6 * 20, <=, 120 * bgpt_test_time_scale ());

  /* Every step, in order, once. */
  g_assert_cmpuint (run.visited->len, ==, bgpt_demo_get_n_phases ());
  for (guint i = 0; i < run.visited->len; i++)
    g_assert_cmpstr (g_ptr_array_index (run.visited, i), ==, bgpt_demo_get_phase (i)->name);

  /* Every seed title, in pt_BR, in the demo's incident list, and resolved
   * on its own by the healthy period after it. */
  for (guint i = 0; i < G_N_ELEMENTS (seed); i++)
    {
      BgptIncident *incident = find_incident (incidents, seed[i].id);

      g_test_message ("%s: %s", seed[i].id, incident != NULL ? bgpt_incident_get_title (incident) : "(none)");
      g_assert_nonnull (incident);
      g_assert_cmpstr (bgpt_incident_get_title (incident), ==, seed[i].title);
      g_assert_cmpstr (bgpt_catalog_title (seed[i].id), ==, seed[i].title);
      g_assert_cmpstr (bgpt_incident_get_account_id (incident), ==, BGPT_DEMO_ACCOUNT_ID);
      g_assert_false (bgpt_incident_is_open (incident));
    }

  /* Kommo's 401, 402 and 429. The rate limit is the last step: the monitor
   * rightly waits a minute before asking Kommo again, so it may still be open. */
  for (guint i = 0; i < G_N_ELEMENTS (kommo_ids); i++)
    {
      BgptIncident *incident = find_incident (incidents, kommo_ids[i]);

      g_assert_nonnull (incident);
      g_assert_cmpstr (bgpt_incident_get_check (incident), ==, "kommo.account");
      if (!g_str_equal (kommo_ids[i], "kommo.rate-limit"))
        g_assert_false (bgpt_incident_is_open (incident));
    }
  /* The shrinking headroom: one warning, on the key's check, given back
   * in the healthy period after it. */
  {
    BgptIncident *incident = find_incident (incidents, "openai.rate-limit-near");

    g_assert_nonnull (incident);
    g_assert_cmpstr (bgpt_incident_get_check (incident), ==, "openai.key");
    g_assert_false (bgpt_incident_is_open (incident));
  }
  /* The budget step: one warning on the costs check, resolved by the
   * healthy period after it. */
  {
    BgptIncident *incident = find_incident (incidents, "openai.budget");

    g_assert_nonnull (incident);
    g_assert_cmpstr (bgpt_incident_get_check (incident), ==, "openai.costs");
    g_assert_cmpstr (bgpt_incident_get_reason (incident), ==, "projected");
    g_assert_false (bgpt_incident_is_open (incident));
  }
  assert_no_secret (incidents, config);

  /* The checks really went to the simulator; never a billable request. */
  simulator = bgpt_demo_get_simulator (run.demo);
  g_assert_cmpuint (bgpt_simulator_count_requests (simulator, "kommo.account"), >, 0);
  g_assert_cmpuint (bgpt_simulator_count_requests (simulator, "openai.key"), >, 0);
  g_assert_cmpuint (bgpt_simulator_count_requests (simulator, "openai.model"), >, 0);
  g_assert_cmpuint (bgpt_simulator_count_requests (simulator, "openai.assistant"), >, 0);
  g_assert_cmpuint (bgpt_simulator_count_requests (simulator, "openai.quota"), ==, 0);

  g_signal_handlers_disconnect_by_data (run.demo, &run);
  g_assert_finalize_object (run.demo);
  g_ptr_array_unref (run.visited);

  /* Its history went with it. */
  g_assert_false (g_file_test (directory, G_FILE_TEST_EXISTS));
}

/* One-click fixes inside the demo */

typedef struct
{
  BgptDemo   *demo;
  const char *check;
  const char *error_id;  /* NULL: waiting for OK */
} CheckWait;

static gboolean
check_reached (gpointer data)
{
  CheckWait *wait = data;
  BgptMonitorCheck *check = bgpt_monitor_lookup (bgpt_demo_get_monitor (wait->demo),
                                                 BGPT_DEMO_ACCOUNT_ID, wait->check);
  const BgptDiagnosis *diagnosis;

  if (check == NULL)
    return FALSE;
  diagnosis = bgpt_monitor_check_get_diagnosis (check);
  if (wait->error_id == NULL)
    return bgpt_monitor_check_get_state (check) == BGPT_MONITOR_STATE_OK;
  return bgpt_monitor_check_get_state (check) == BGPT_MONITOR_STATE_DOWN &&
         diagnosis != NULL && g_strcmp0 (diagnosis->error_id, wait->error_id) == 0;
}

static void
replace_and_recover (BgptDemo       *demo,
                     const char     *phase,
                     const char     *check,
                     BgptSecretKind  kind,
                     const char     *new_secret)
{
  const char *error_id = bgpt_demo_get_phase (bgpt_demo_find_phase (phase))->error_id;
  CheckWait wait = { demo, check, error_id };
  BgptIncidentStore *incidents = bgpt_demo_get_incident_store (demo);
  g_autoptr(GError) error = NULL;
  BgptIncident *incident;
  guint index = (guint) bgpt_demo_find_phase (phase);

  bgpt_demo_start_at (demo, index);
  wait_for (check_reached, &wait, 20, phase);
  incident = bgpt_incident_store_find_open (incidents, BGPT_DEMO_ACCOUNT_ID, check);
  g_assert_nonnull (incident);
  g_assert_cmpstr (bgpt_incident_get_error_id (incident), ==, error_id);
  g_object_ref (incident);

  /* Rejected like a real secret would be, and nothing changes. */
  g_assert_false (bgpt_demo_set_secret (demo, kind, "not a key", &error));
  g_assert_error (error, BGPT_VALIDATION_ERROR, BGPT_VALIDATION_ERROR_SECRET);
  g_clear_error (&error);

  /* The fix: a new secret, and the next check passes while the failure
   * is still being played. */
  g_assert_true (bgpt_demo_set_secret (demo, kind, new_secret, &error));
  g_assert_no_error (error);
  wait.error_id = NULL;
  wait_for (check_reached, &wait, 20, "the fix to take");
  g_assert_cmpuint (bgpt_demo_get_phase_index (demo), ==, index);
  g_assert_false (bgpt_incident_is_open (incident));
  g_assert_null (bgpt_incident_store_find_open (incidents, BGPT_DEMO_ACCOUNT_ID, check));
  g_object_unref (incident);
}

static void
test_replace_secret (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BgptDemo) demo = bgpt_demo_new (&error);
  const BgptCheckConfig *config;

  g_assert_no_error (error);
  /* So slow that no step moves on by itself while the secret is replaced:
   * only the fix can make the check pass. */
  bgpt_demo_set_speed (demo, 0.05);

  replace_and_recover (demo, "openai.auth", "openai.key", BGPT_SECRET_KIND_OPENAI_API_KEY,
                       "sk-demo-replaced-by-hand-0001");
  replace_and_recover (demo, "kommo.auth", "kommo.account", BGPT_SECRET_KIND_KOMMO_TOKEN,
                       "kommo-demo-replaced-by-hand-0001");

  config = bgpt_demo_get_config (demo);
  g_assert_cmpstr (config->openai_api_key, ==, "sk-demo-replaced-by-hand-0001");
  g_assert_cmpstr (config->kommo_token, ==, "kommo-demo-replaced-by-hand-0001");
  assert_no_secret (bgpt_demo_get_incident_store (demo), config);

  bgpt_demo_stop (demo);
  g_assert_finalize_object (g_steal_pointer (&demo));
}

/* status.openai.com, as the demo plays it */

static BgptStatusIndicator
read_status_page (BgptDemo *demo)
{
  g_autoptr(BgptStatusPage) page = bgpt_status_page_new (bgpt_demo_get_status_page_url (demo));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(BgptStatusReport) report = NULL;
  g_autoptr(GError) error = NULL;

  bgpt_status_page_get_status_async (page, NULL, bgpt_test_collect_result, &result);
  bgpt_test_await (&result);
  report = bgpt_status_page_get_status_finish (page, result, &error);
  g_assert_no_error (error);
  return report->indicator;
}

static void
on_phase_entered (GObject    *demo,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  *(gboolean *) user_data = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
test_status_page (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BgptDemo) demo = bgpt_demo_new (&error);
  gboolean entered = FALSE;
  gulong handler;

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (bgpt_demo_get_status_page_url (demo), "http://127.0.0.1:"));
  bgpt_demo_set_speed (demo, 0.05);

  /* An outage while the connection drops, all clear when healthy. A demo
   * that is not running yet enters its first step only once its history is
   * loaded: until then the status page still says all clear. */
  handler = g_signal_connect (demo, "notify::phase-index", G_CALLBACK (on_phase_entered), &entered);
  bgpt_demo_start_at (demo, (guint) bgpt_demo_find_phase ("openai.connection"));
  wait_for (flag_set, &entered, 20, "the first step");
  g_signal_handler_disconnect (demo, handler);
  g_assert_cmpint (read_status_page (demo), ==, BGPT_STATUS_INDICATOR_MAJOR);
  bgpt_demo_start_at (demo, (guint) bgpt_demo_find_phase ("openai.timeout"));
  g_assert_cmpint (read_status_page (demo), ==, BGPT_STATUS_INDICATOR_MINOR);
  bgpt_demo_start_at (demo, (guint) bgpt_demo_find_phase ("healthy"));
  g_assert_cmpint (read_status_page (demo), ==, BGPT_STATUS_INDICATOR_NONE);

  bgpt_demo_stop (demo);
  g_assert_finalize_object (g_steal_pointer (&demo));
}

/* Result history: a generated day, at once, in the demo's own directory. */
static void
test_history (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BgptDemo) demo = bgpt_demo_new (&error);
  BgptHistory *history;
  g_autofree char *path = NULL;
  g_autofree char *user_history = bgpt_history_get_default_directory ();
  GArray *key;
  guint failed = 0, blocked = 0, offline = 0;

  g_assert_no_error (error);
  history = bgpt_history_for_monitor (bgpt_demo_get_monitor (demo));
  g_assert_nonnull (history);
  key = bgpt_history_get_results (history, BGPT_DEMO_ACCOUNT_ID, BGPT_CHECK_OPENAI_KEY);
  g_assert_cmpuint (key->len, >=, 24 * 12 - 1);
  g_assert_cmpint (g_array_index (key, BgptHistoryResult, 0).time, >=, g_get_real_time () / G_USEC_PER_SEC - 24 * 3600);
  for (guint i = 0; i < key->len; i++)
    {
      failed += g_array_index (key, BgptHistoryResult, i).outcome == BGPT_OUTCOME_FAILED;
      offline += g_array_index (key, BgptHistoryResult, i).outcome == BGPT_OUTCOME_UNKNOWN;
    }
  for (guint i = 0; i < bgpt_history_get_results (history, BGPT_DEMO_ACCOUNT_ID, BGPT_CHECK_OPENAI_MODEL)->len; i++)
    blocked += g_array_index (bgpt_history_get_results (history, BGPT_DEMO_ACCOUNT_ID, BGPT_CHECK_OPENAI_MODEL),
                              BgptHistoryResult, i).outcome == BGPT_OUTCOME_BLOCKED;
  g_assert_cmpuint (failed, >, 0);
  g_assert_cmpuint (offline, >, 0);
  g_assert_cmpuint (blocked, >, 0);

  path = bgpt_history_dup_account_path (history, BGPT_DEMO_ACCOUNT_ID);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (g_str_has_prefix (path, user_history));
  g_assert_finalize_object (g_steal_pointer (&demo));
  /* Gone with the demo. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* The user's data */

static void
test_user_data_untouched (void)
{
  g_autoptr(GHashTable) after = bgpt_test_snapshot_home (NULL);

  /* Byte for byte: the settings keyfile, the incident history and, with a
   * keyring, its files. */
  g_assert_cmpuint (g_hash_table_size (user_files_before), >, 0);
  bgpt_test_assert_same_files (user_files_before, after);

  if (with_keyring)
    {
      g_autoptr(BgptSecretStore) secrets = bgpt_secret_store_new ();
      const BgptSecretKind kinds[] = { BGPT_SECRET_KIND_OPENAI_API_KEY, BGPT_SECRET_KIND_KOMMO_TOKEN };

      for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
        {
          g_autoptr(GAsyncResult) result = NULL;
          g_autoptr(GError) error = NULL;
          char *secret;

          bgpt_secret_store_lookup_async (secrets, BGPT_DEMO_ACCOUNT_ID, kinds[i], NULL,
                                          bgpt_test_collect_result, &result);
          bgpt_test_await (&result);
          secret = bgpt_secret_store_lookup_finish (secrets, result, &error);
          g_assert_no_error (error);
          g_assert_null (secret);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  bgpt_test_use_pt_br ();
  g_test_init (&argc, &argv, NULL);
  bgpt_i18n_init ();

  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--keyring"))
      with_keyring = TRUE;

  if (g_getenv ("BGPT_TEST_HOME") == NULL)
    {
      g_printerr ("Run me inside tests/keyring-session.sh --keyfile-settings\n");
      return 1;
    }

  seed_user_data ();
  user_files_before = bgpt_test_snapshot_home (NULL);

  g_test_add_func ("/demo/script", test_script);
  g_test_add_func ("/demo/replace-secret", test_replace_secret);
  g_test_add_func ("/demo/status-page", test_status_page);
  g_test_add_func ("/demo/history", test_history);
  g_test_add_func ("/demo/user-data-untouched", test_user_data_untouched);

  status = g_test_run ();
  g_hash_table_unref (user_files_before);
  return status;
}
