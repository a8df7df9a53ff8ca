/* test-checker.c: one account's checks, run at once against the simulator,
 * and the overall status they add up to.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bgpt-checker.h"
#include "bgpt-simulator.h"
#include "bgpt-test-utils.h"

typedef struct
{
  BgptTestHttpFixture  base;
  BgptChecker         *checker;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  bgpt_test_http_fixture_set_up (&fixture->base, user_data);
  fixture->checker = bgpt_checker_new (fixture->base.http);
  bgpt_checker_set_timeout (fixture->checker, 5);

  fixture->base.config = bgpt_test_simulator_config (fixture->base.simulator, "default",
                                                     "sk-proj-CheckerKey0123456789",
                                                     "kommo-CheckerToken0123456789");
  fixture->base.config->kommo_subdomain = g_strdup ("acme");
  fixture->base.config->assistant_id = g_strdup ("asst_Checker42");
  fixture->base.config->model = g_strdup ("gpt-4o");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_assert_finalize_object (fixture->checker);
  bgpt_test_http_fixture_tear_down (&fixture->base, user_data);
}

/* One round with @flags; asserts the overall status it adds up to and,
 * unless -1, how many requests the simulator saw in all. */
static GPtrArray *
run (Fixture           *fixture,
     BgptCheckerFlags   flags,
     BgptOverallStatus  overall,
     int                n_requests)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = NULL;

  results = BGPT_TEST_SYNC (bgpt_checker_run_async (fixture->checker, fixture->base.config, flags, NULL,
                                                    bgpt_test_collect_result, &slot),
                            bgpt_checker_run_finish (fixture->checker, result, &error));
  g_assert_no_error (error);
  g_assert_nonnull (results);
  g_assert_cmpuint (results->len, ==, 5);
  g_assert_cmpint (bgpt_check_results_overall (results), ==, overall);
  if (n_requests >= 0)
    g_assert_cmpuint (bgpt_simulator_count_requests (fixture->base.simulator, NULL), ==, n_requests);
  return g_steal_pointer (&results);
}

static const BgptCheckResult *
find (GPtrArray  *results,
      const char *check)
{
  for (guint i = 0; i < results->len; i++)
    {
      const BgptCheckResult *result = g_ptr_array_index (results, i);

      if (g_str_equal (result->check, check))
        return result;
    }
  g_assert_not_reached ();
}

/* The checks in the order the checker gives them. */
static const char * const check_order[] = {
  "kommo.account", "openai.key", "openai.model", "openai.assistant", "openai.quota",
};

/* The status that bgpt_check_status_to_string() calls @name. */
static BgptCheckStatus
status_named (const char *name)
{
  static const BgptCheckStatus statuses[] = {
    BGPT_CHECK_STATUS_OK, BGPT_CHECK_STATUS_ERROR, BGPT_CHECK_STATUS_SKIPPED, BGPT_CHECK_STATUS_BLOCKED,
  };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    if (g_str_equal (bgpt_check_status_to_string (statuses[i]), name))
      return statuses[i];
  g_assert_not_reached ();
}

/* Each check's status, in that order ("ok", "error", "skipped",
 * "blocked"). */
static void
assert_statuses (GPtrArray         *results,
                 const char * const expected[G_N_ELEMENTS (check_order)])
{
  for (guint i = 0; i < G_N_ELEMENTS (check_order); i++)
    {
      const BgptCheckResult *result = g_ptr_array_index (results, i);

      g_assert_cmpstr (result->check, ==, check_order[i]);
      g_assert_cmpint (result->status, ==, status_named (expected[i]));
    }
}

static void
test_all_ok (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GPtrArray) results = run (fixture, BGPT_CHECKER_FLAGS_NONE, BGPT_OVERALL_OK, 4);

  /* The deep check is opt-in. */
  assert_statuses (results, (const char * const []) { "ok", "ok", "ok", "ok", "skipped" });
  for (guint i = 0; i < results->len; i++)
    g_assert_cmpstr (((BgptCheckResult *) g_ptr_array_index (results, i))->account_id, ==, "default");
  g_assert_null (find (results, "openai.quota")->diagnosis);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->base.simulator, "openai.quota"), ==, 0);
}

static void
test_deep (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(GPtrArray) results = NULL;

  bgpt_simulator_set_scenario (fixture->base.simulator, "openai.quota", BGPT_SCENARIO_QUOTA_EXCEEDED);
  results = run (fixture, BGPT_CHECKER_FLAGS_DEEP, BGPT_OVERALL_CRITICAL, -1);

  g_assert_cmpint (find (results, "openai.quota")->status, ==, BGPT_CHECK_STATUS_ERROR);
  g_assert_cmpstr (find (results, "openai.quota")->diagnosis->error_id, ==, "openai.quota");
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->base.simulator, "openai.quota"), ==, 1);
}

static void
without_optional_inputs (Fixture *fixture)
{
  g_clear_pointer (&fixture->base.config->model, g_free);
  g_clear_pointer (&fixture->base.config->assistant_id, g_free);
  g_clear_pointer (&fixture->base.config->kommo_subdomain, g_free);
  g_clear_pointer (&fixture->base.config->kommo_base_url, g_free);
}

static void
without_any_input (Fixture *fixture)
{
  bgpt_check_config_free (fixture->base.config);
  fixture->base.config = bgpt_check_config_new ("empty");
}

static void
without_keyring (Fixture *fixture)
{
  g_clear_pointer (&fixture->base.config->openai_api_key, g_free);
  g_clear_pointer (&fixture->base.config->kommo_token, g_free);
  fixture->base.config->keyring_unavailable = TRUE;
}

/* A round with inputs missing: the overall status, the requests sent,
 * each check's status and, where not NULL, its error; the model check,
 * where blocked, by what. */
typedef struct
{
  const char        *path;
  void             (*prepare) (Fixture *fixture);
  BgptCheckerFlags   flags;
  BgptOverallStatus  overall;
  int                n_requests;
  const char        *statuses[G_N_ELEMENTS (check_order)];
  const char        *error_ids[G_N_ELEMENTS (check_order)];
  const char        *model_blocked_by;
} InputsCase;

static const InputsCase inputs_cases[] = {
  {
    "/checker/skipped-inputs",
    without_optional_inputs, BGPT_CHECKER_FLAGS_NONE, BGPT_OVERALL_OK, 1,
    { "skipped", "ok", "skipped", "skipped", "skipped" },
  },
  {
    "/checker/nothing-to-check",
    without_any_input, BGPT_CHECKER_FLAGS_DEEP, BGPT_OVERALL_UNKNOWN, 0,
    { "skipped", "skipped", "skipped", "skipped", "skipped" },
  },
  /* The key did not pass: what depends on it waits for it. */
  {
    "/checker/keyring-unavailable",
    without_keyring, BGPT_CHECKER_FLAGS_NONE, BGPT_OVERALL_UNKNOWN, 0,
    { "error", "error", "blocked", "blocked", "skipped" },
    { "keyring.unavailable", "keyring.unavailable" },
    "openai.key",
  },
};

static void
test_inputs (Fixture       *fixture,
             gconstpointer  user_data)
{
  const InputsCase *test = user_data;
  g_autoptr(GPtrArray) results = NULL;

  test->prepare (fixture);
  results = run (fixture, test->flags, test->overall, test->n_requests);

  assert_statuses (results, test->statuses);
  for (guint i = 0; i < G_N_ELEMENTS (check_order); i++)
    if (test->error_ids[i] != NULL)
      g_assert_cmpstr (find (results, check_order[i])->diagnosis->error_id, ==, test->error_ids[i]);
  if (test->model_blocked_by != NULL)
    {
      g_assert_cmpstr (find (results, "openai.model")->blocked_by, ==, test->model_blocked_by);
      g_assert_null (find (results, "openai.model")->diagnosis);
    }
}

static void
test_rate_limit_is_a_warning (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autoptr(GPtrArray) warning = NULL;
  g_autoptr(GPtrArray) critical = NULL;

  bgpt_simulator_set_scenario (fixture->base.simulator, "openai.key", BGPT_SCENARIO_RATE_LIMITED);
  bgpt_simulator_set_scenario (fixture->base.simulator, "kommo.account", BGPT_SCENARIO_RATE_LIMITED);
  warning = run (fixture, BGPT_CHECKER_FLAGS_NONE, BGPT_OVERALL_WARNING, -1);
  g_assert_cmpstr (find (warning, "openai.key")->diagnosis->error_id, ==, "openai.rate-limit");

  bgpt_simulator_set_scenario (fixture->base.simulator, "openai.key", BGPT_SCENARIO_OK);
  bgpt_simulator_set_scenario (fixture->base.simulator, "openai.assistant", BGPT_SCENARIO_ASSISTANTS_SHUT_DOWN);
  critical = run (fixture, BGPT_CHECKER_FLAGS_NONE, BGPT_OVERALL_CRITICAL, -1);
  g_assert_cmpstr (find (critical, "openai.assistant")->diagnosis->error_id, ==, "openai.assistant");
}

static void
test_config_invalid_is_unknown (Fixture       *fixture,
                                gconstpointer  user_data)
{
  g_autoptr(GPtrArray) results = NULL;

  g_free (fixture->base.config->openai_api_key);
  fixture->base.config->openai_api_key = g_strdup ("sk-bad\r\nkey");
  /* Only Kommo is asked: the bad key never leaves the process. */
  results = run (fixture, BGPT_CHECKER_FLAGS_NONE, BGPT_OVERALL_UNKNOWN, 1);

  g_assert_cmpstr (find (results, "openai.key")->diagnosis->error_id, ==, "config.invalid");
  g_assert_cmpint (find (results, "kommo.account")->status, ==, BGPT_CHECK_STATUS_OK);
}

static void
test_concurrent (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GPtrArray) results = NULL;
  gint64 started, elapsed_ms;

  g_clear_pointer (&fixture->base.config->model, g_free);
  bgpt_simulator_set_delay (fixture->base.simulator, NULL, 300);

  started = g_get_monotonic_time ();
  results = run (fixture, BGPT_CHECKER_FLAGS_NONE, BGPT_OVERALL_OK, 3);
  elapsed_ms = (g_get_monotonic_time () - started) / 1000;

  g_test_message ("3 checks of 300 ms each took %" G_GINT64_FORMAT " ms", elapsed_ms);
  g_assert_cmpint (elapsed_ms, >=, 300);
  /* Side by side, not one after the other (900 ms). */
  g_assert_cmpint (elapsed_ms, <, bgpt_test_scaled_ms (600));
  g_assert_cmpint (find (results, "openai.key")->diagnosis->elapsed_ms, >=, 300);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started;

  bgpt_simulator_set_scenario (fixture->base.simulator, NULL, BGPT_SCENARIO_STALL_HEADERS);
  bgpt_checker_run_async (fixture->checker, fixture->base.config, BGPT_CHECKER_FLAGS_NONE,
                          cancellable, bgpt_test_collect_result, &result);
  while (bgpt_simulator_count_requests (fixture->base.simulator, NULL) < 4)
    g_main_context_iteration (NULL, TRUE);

  started = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  bgpt_test_await (&result);

  results = bgpt_checker_run_finish (fixture->checker, result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (results);
  g_assert_cmpint ((g_get_monotonic_time () - started) / 1000, <, bgpt_test_scaled_ms (500));
}

static void
test_timeout_applies_to_each_check (Fixture       *fixture,
                                    gconstpointer  user_data)
{
  g_autoptr(GPtrArray) results = NULL;
  gint64 started, elapsed_ms;

  bgpt_checker_set_timeout (fixture->checker, 1);
  g_assert_cmpuint (bgpt_checker_get_timeout (fixture->checker), ==, 1);
  bgpt_simulator_set_scenario (fixture->base.simulator, "openai.model", BGPT_SCENARIO_STALL_HEADERS);
  bgpt_simulator_set_scenario (fixture->base.simulator, "kommo.account", BGPT_SCENARIO_STALL_BODY);

  started = g_get_monotonic_time ();
  results = run (fixture, BGPT_CHECKER_FLAGS_NONE, BGPT_OVERALL_CRITICAL, -1);
  elapsed_ms = (g_get_monotonic_time () - started) / 1000;

  g_assert_cmpstr (find (results, "openai.model")->diagnosis->error_id, ==, "openai.timeout");
  g_assert_cmpstr (find (results, "kommo.account")->diagnosis->error_id, ==, "kommo.timeout");
  g_assert_cmpint (find (results, "openai.key")->status, ==, BGPT_CHECK_STATUS_OK);
  g_assert_cmpint (elapsed_ms, <, bgpt_test_scaled_ms (1500));
}

static BgptCheckResult *
make_result (const char *check,
             const char *error_id,
             gboolean    skipped)
{
  BgptCheckResult *result = g_new0 (BgptCheckResult, 1);

  result->account_id = g_strdup ("default");
  result->check = g_strdup (check);
  if (skipped)
    {
      result->status = BGPT_CHECK_STATUS_SKIPPED;
      return result;
    }
  result->diagnosis = bgpt_diagnosis_new (check, error_id);
  result->status = error_id == NULL ? BGPT_CHECK_STATUS_OK : BGPT_CHECK_STATUS_ERROR;
  return result;
}

static void
test_overall (void)
{
  static const struct
  {
    const char        *first;
    const char        *second;
    BgptOverallStatus  expected;
  } table[] = {
    { NULL, NULL, BGPT_OVERALL_OK },
    { "openai.rate-limit", NULL, BGPT_OVERALL_WARNING },
    { "openai.rate-limit", "kommo.rate-limit", BGPT_OVERALL_WARNING },
    { "openai.rate-limit", "openai.auth", BGPT_OVERALL_CRITICAL },
    { "kommo.connection", NULL, BGPT_OVERALL_CRITICAL },
    { "config.invalid", NULL, BGPT_OVERALL_UNKNOWN },
    { "keyring.unavailable", "openai.rate-limit", BGPT_OVERALL_UNKNOWN },
    { "keyring.unavailable", "openai.timeout", BGPT_OVERALL_CRITICAL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) bgpt_check_result_free);

      g_ptr_array_add (results, make_result ("openai.key", table[i].first, FALSE));
      g_ptr_array_add (results, make_result ("kommo.account", table[i].second, FALSE));
      g_ptr_array_add (results, make_result ("openai.quota", NULL, TRUE));
      g_assert_cmpint (bgpt_check_results_overall (results), ==, table[i].expected);
    }

  g_assert_cmpstr (bgpt_overall_status_to_string (BGPT_OVERALL_OK), ==, "ok");
  g_assert_cmpstr (bgpt_overall_status_to_string (BGPT_OVERALL_WARNING), ==, "warning");
  g_assert_cmpstr (bgpt_overall_status_to_string (BGPT_OVERALL_CRITICAL), ==, "critical");
  g_assert_cmpstr (bgpt_overall_status_to_string (BGPT_OVERALL_UNKNOWN), ==, "unknown");
  g_assert_cmpstr (bgpt_check_status_to_string (BGPT_CHECK_STATUS_SKIPPED), ==, "skipped");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/checker/all-ok", test_all_ok);
  ADD ("/checker/deep", test_deep);
  ADD ("/checker/rate-limit-is-a-warning", test_rate_limit_is_a_warning);
  ADD ("/checker/config-invalid-is-unknown", test_config_invalid_is_unknown);
  ADD ("/checker/concurrent", test_concurrent);
  ADD ("/checker/cancel", test_cancel);
  ADD ("/checker/timeout", test_timeout_applies_to_each_check);
#undef ADD
  for (guint i = 0; i < G_N_ELEMENTS (inputs_cases); i++)
    g_test_add (inputs_cases[i].path, Fixture, &inputs_cases[i], fixture_set_up, test_inputs, fixture_tear_down);
  g_test_add_func ("/checker/overall", test_overall);

  return g_test_run ();
}
