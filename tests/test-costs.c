/* test-costs.c: reading OpenAI's costs pages, by hand-made pages (hostile
 * ones among them) and from the simulator through the real HTTP stack:
 * paging, the project filter, empty months, refusals.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "bgpt-costs.h"
#include "bgpt-costs-watch.h"
#include "bgpt-monitor.h"
#include "bgpt-simulator.h"
#include "bgpt-test-utils.h"

#define ADMIN_KEY "sk-admin-TestAdmin0123456789abcdefXYZ"

/* 2026-12-01 00:00 UTC */
#define DEC_1 G_GINT64_CONSTANT (1796083200)
#define DAY   86400

static BgptCosts *
parse_pages (const char * const  *pages,
             GError             **error)
{
  g_autoptr(BgptCosts) costs = bgpt_costs_new ();

  for (guint i = 0; pages[i] != NULL; i++)
    {
      g_autofree char *next_page = NULL;

      if (!bgpt_costs_add_page (costs, pages[i], -1, &next_page, error))
        return NULL;
      g_assert_true ((next_page != NULL) == (pages[i + 1] != NULL));
    }
  return g_steal_pointer (&costs);
}

static double
day_usd (const BgptCosts *costs,
         guint            index)
{
  return g_array_index (costs->days, BgptCostsDay, index).usd;
}

/* Two pages, a day split into line items, an empty day, a day missing. */
static void
test_parse_pages (void)
{
  const char *pages[] = {
    "{\"object\":\"page\",\"data\":["
      "{\"object\":\"bucket\",\"start_time\":1796083200,\"end_time\":1796169600,\"results\":["
        "{\"object\":\"organization.costs.result\",\"amount\":{\"value\":0.06,\"currency\":\"usd\"},"
         "\"line_item\":\"gpt-4o-mini, input\",\"project_id\":null},"
        "{\"object\":\"organization.costs.result\",\"amount\":{\"value\":1,\"currency\":\"USD\"},"
         "\"line_item\":\"web search tool calls\",\"project_id\":null}]},"
      "{\"object\":\"bucket\",\"start_time\":1796169600,\"end_time\":1796256000,\"results\":[]}],"
    "\"has_more\":true,\"next_page\":\"page_AAAAAGdGxdEAAAAA\"}",
    /* Dec 3 is missing: a day without a bucket cost nothing. */
    "{\"object\":\"page\",\"data\":["
      "{\"object\":\"bucket\",\"start_time\":1796342400,\"end_time\":1796428800,\"results\":["
        "{\"object\":\"organization.costs.result\",\"amount\":{\"value\":2.5,\"currency\":\"usd\"},"
         "\"line_item\":\"gpt-4o-mini, input\",\"project_id\":null},"
        "{\"object\":\"organization.costs.result\",\"amount\":{\"value\":0.5,\"currency\":\"usd\"},"
         "\"line_item\":null,\"project_id\":null}]}],"
    "\"has_more\":false,\"next_page\":null}",
    NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(BgptCosts) costs = parse_pages (pages, &error);
  const BgptCostsLineItem *item;

  g_assert_no_error (error);
  g_assert_cmpuint (costs->days->len, ==, 3);
  g_assert_cmpint (g_array_index (costs->days, BgptCostsDay, 0).start_time, ==, DEC_1);
  g_assert_cmpfloat_with_epsilon (day_usd (costs, 0), 1.06, 1e-9);
  g_assert_cmpint (g_array_index (costs->days, BgptCostsDay, 1).start_time, ==, DEC_1 + DAY);
  g_assert_cmpfloat (day_usd (costs, 1), ==, 0);
  g_assert_cmpint (g_array_index (costs->days, BgptCostsDay, 2).start_time, ==, DEC_1 + 3 * DAY);
  g_assert_cmpfloat_with_epsilon (day_usd (costs, 2), 3.0, 1e-9);

  /* Largest first, summed over the days. */
  g_assert_cmpuint (costs->line_items->len, ==, 3);
  item = g_ptr_array_index (costs->line_items, 0);
  g_assert_cmpstr (item->name, ==, "gpt-4o-mini, input");
  g_assert_cmpfloat_with_epsilon (item->usd, 2.56, 1e-9);
  item = g_ptr_array_index (costs->line_items, 1);
  g_assert_cmpstr (item->name, ==, "web search tool calls");
  item = g_ptr_array_index (costs->line_items, 2);
  g_assert_cmpstr (item->name, ==, "");
}

/* A bucket repeated on a later page adds to the same day. */
static void
test_parse_repeated_day (void)
{
  const char *page = "{\"object\":\"page\",\"data\":["
    "{\"object\":\"bucket\",\"start_time\":1796083200,\"results\":["
      "{\"amount\":{\"value\":1.25,\"currency\":\"usd\"}}]}],\"has_more\":false,\"next_page\":null}";
  g_autoptr(BgptCosts) costs = bgpt_costs_new ();
  g_autofree char *next_page = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (bgpt_costs_add_page (costs, page, -1, &next_page, &error));
  g_assert_true (bgpt_costs_add_page (costs, page, -1, &next_page, &error));
  g_assert_no_error (error);
  g_assert_null (next_page);
  g_assert_cmpuint (costs->days->len, ==, 1);
  g_assert_cmpfloat_with_epsilon (day_usd (costs, 0), 2.5, 1e-9);
}

static void
assert_refused (const char *value_and_currency,
                int         expected)
{
  g_autofree char *page = g_strdup_printf ("{\"object\":\"page\",\"data\":["
                                           "{\"object\":\"bucket\",\"start_time\":1796083200,\"results\":["
                                           "{\"amount\":{\"value\":0.5,\"currency\":\"usd\"}},"
                                           "{\"amount\":{%s}}]}],"
                                           "\"has_more\":false,\"next_page\":null}", value_and_currency);
  g_autoptr(BgptCosts) costs = bgpt_costs_new ();
  g_autofree char *next_page = NULL;
  g_autoptr(GError) error = NULL;

  g_test_message ("amount {%s}", value_and_currency);
  g_assert_false (bgpt_costs_add_page (costs, page, -1, &next_page, &error));
  g_assert_error (error, BGPT_COSTS_ERROR, expected);
  g_assert_null (next_page);
}

/* Dollars only: another currency beside them is said plainly. */
static void
test_parse_currencies (void)
{
  const char *page = "{\"object\":\"page\",\"data\":[{\"object\":\"bucket\",\"start_time\":1796083200,"
    "\"results\":[{\"amount\":{\"value\":3,\"currency\":\"eur\"}}]}],\"has_more\":false,\"next_page\":null}";
  g_autoptr(BgptCosts) costs = bgpt_costs_new ();
  g_autofree char *next_page = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (bgpt_costs_add_page (costs, page, -1, &next_page, &error));
  g_assert_error (error, BGPT_COSTS_ERROR, BGPT_COSTS_ERROR_CURRENCY);
  g_assert_nonnull (strstr (error->message, "EUR"));
  g_assert_nonnull (strstr (error->message, "US dollars"));

  assert_refused ("\"value\":1,\"currency\":\"brl\"", BGPT_COSTS_ERROR_CURRENCY);
  assert_refused ("\"value\":1", BGPT_COSTS_ERROR_CURRENCY);
  /* A currency that is no code is not repeated. */
  {
    g_autoptr(GError) hostile_error = NULL;
    const char *hostile = "{\"object\":\"page\",\"data\":[{\"start_time\":1796083200,\"results\":"
      "[{\"amount\":{\"value\":1,\"currency\":\"us d|\\n'x'\"}}]}],\"has_more\":false}";

    g_assert_false (bgpt_costs_add_page (costs, hostile, -1, &next_page, &hostile_error));
    g_assert_error (hostile_error, BGPT_COSTS_ERROR, BGPT_COSTS_ERROR_CURRENCY);
    g_assert_null (strstr (hostile_error->message, "'x'"));
  }
}

/* Negative, not a number, NaN-like strings, overflowing, huge. */
static void
test_parse_hostile_amounts (void)
{
  assert_refused ("\"value\":-0.5,\"currency\":\"usd\"", BGPT_COSTS_ERROR_AMOUNT);
  assert_refused ("\"value\":\"NaN\",\"currency\":\"usd\"", BGPT_COSTS_ERROR_AMOUNT);
  assert_refused ("\"value\":\"Infinity\",\"currency\":\"usd\"", BGPT_COSTS_ERROR_AMOUNT);
  assert_refused ("\"value\":\"0.5\",\"currency\":\"usd\"", BGPT_COSTS_ERROR_AMOUNT);
  assert_refused ("\"value\":null,\"currency\":\"usd\"", BGPT_COSTS_ERROR_AMOUNT);
  assert_refused ("\"value\":true,\"currency\":\"usd\"", BGPT_COSTS_ERROR_AMOUNT);
  assert_refused ("\"value\":1e999,\"currency\":\"usd\"", BGPT_COSTS_ERROR_AMOUNT);
  assert_refused ("\"value\":-1e999,\"currency\":\"usd\"", BGPT_COSTS_ERROR_AMOUNT);
  assert_refused ("\"value\":1e12,\"currency\":\"usd\"", BGPT_COSTS_ERROR_AMOUNT);
  assert_refused ("\"value\":9223372036854775807,\"currency\":\"usd\"", BGPT_COSTS_ERROR_AMOUNT);
}

/* What is not a costs page at all. */
static void
test_parse_wrong_shapes (void)
{
  const char *pages[] = {
    "",
    "not json",
    "{\"object\":\"page\",\"data\":[]",                                  /* cut off */
    "[]",
    "{\"object\":\"list\",\"data\":[]}",
    "{\"object\":\"page\"}",
    "{\"object\":\"page\",\"data\":{}}",
    "{\"object\":\"page\",\"data\":[1]}",
    "{\"object\":\"page\",\"data\":[{\"results\":[]}]}",                 /* no start_time */
    "{\"object\":\"page\",\"data\":[{\"start_time\":\"1796083200\"}]}",
    "{\"object\":\"page\",\"data\":[{\"start_time\":1796083200000}]}",   /* milliseconds */
    "{\"object\":\"page\",\"data\":[{\"start_time\":1796083200,\"results\":{}}]}",
    "{\"object\":\"page\",\"data\":[{\"start_time\":1796083200,\"results\":[7]}]}",
    "{\"object\":\"page\",\"data\":[{\"start_time\":1796083200,\"results\":[{}]}]}",
    "{\"object\":\"page\",\"data\":[],\"has_more\":\"yes\"}",
    "{\"object\":\"page\",\"data\":[],\"has_more\":true,\"next_page\":null}",
    "{\"object\":\"page\",\"data\":[],\"has_more\":true,\"next_page\":\"\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autoptr(BgptCosts) costs = bgpt_costs_new ();
      g_autofree char *next_page = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("page %s", pages[i]);
      g_assert_false (bgpt_costs_add_page (costs, pages[i], -1, &next_page, &error));
      g_assert_error (error, BGPT_COSTS_ERROR, BGPT_COSTS_ERROR_SHAPE);
      g_assert_null (next_page);
    }
}

static void
test_start_time (void)
{
  g_autoptr(GDateTime) mid_month = g_date_time_new_utc (2026, 12, 15, 13, 0, 0);
  g_autoptr(GDateTime) month_end = g_date_time_new_utc (2026, 12, 31, 23, 0, 0);
  g_autoptr(GDateTime) march = g_date_time_new_utc (2027, 3, 1, 0, 0, 1);

  /* Thirty days back reach further than the month's start. */
  g_assert_cmpint (bgpt_costs_start_time (mid_month), ==, DEC_1 + 15 * DAY - 30 * DAY);
  /* On the 31st, the month's first day is 30 days back. */
  g_assert_cmpint (bgpt_costs_start_time (month_end), ==, DEC_1);
  /* 2027-01-31 */
  g_assert_cmpint (bgpt_costs_start_time (march), ==, DEC_1 + 61 * DAY);
}

/* The simulator, a client and a check configuration with the admin key
 * (bgpt-test-utils.h), and the moment the tests call now. */
typedef struct
{
  BgptTestHttpFixture  base;
  GDateTime           *now;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  bgpt_test_http_fixture_set_up (&fixture->base, user_data);
  bgpt_http_set_timeout (fixture->base.http, 5);
  fixture->base.config = bgpt_check_config_new ("default");
  fixture->base.config->openai_base_url = bgpt_simulator_dup_openai_base_url (fixture->base.simulator);
  fixture->base.config->openai_admin_key = g_strdup (ADMIN_KEY);
  fixture->now = g_date_time_new_utc (2026, 12, 15, 13, 0, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_date_time_unref (fixture->now);
  bgpt_test_http_fixture_tear_down (&fixture->base, user_data);
}

static BgptDiagnosis *
fetch (Fixture    *fixture,
       BgptCosts **costs)
{
  g_autoptr(GError) error = NULL;
  BgptDiagnosis *diagnosis;

  diagnosis = BGPT_TEST_SYNC (bgpt_costs_fetch_async (fixture->base.http, fixture->base.config, fixture->now, NULL,
                                                      bgpt_test_collect_result, &slot),
                              bgpt_costs_fetch_finish (fixture->base.http, result, costs, &error));
  g_assert_no_error (error);
  g_assert_nonnull (diagnosis);
  g_assert_cmpstr (diagnosis->check, ==, BGPT_CHECK_OPENAI_COSTS);
  g_test_message ("costs: %s %s %s", diagnosis->error_id, diagnosis->reason, diagnosis->detail);
  return diagnosis;
}

/* Thirty days: 1 to 15 of December cost 2 each, 16 to 30 of November 1. */
static void
set_known_month (Fixture *fixture)
{
  double usd[30];

  for (guint i = 0; i < G_N_ELEMENTS (usd); i++)
    usd[i] = i < 15 ? 1.0 : 2.0;
  bgpt_simulator_set_costs (fixture->base.simulator, fixture->now, usd, G_N_ELEMENTS (usd));
}

/* The fixture, with the simulator billing that month. */
static void
known_month_set_up (Fixture       *fixture,
                    gconstpointer  user_data)
{
  fixture_set_up (fixture, user_data);
  set_known_month (fixture);
}

static void
test_fetch_month (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(BgptDiagnosis) diagnosis = NULL;
  g_autoptr(BgptCosts) costs = NULL;
  const BgptSimulatorRequest *request;
  BgptSpend spend;

  fixture->base.config->monthly_budget_usd = 60;
  diagnosis = fetch (fixture, &costs);
  g_assert_true (bgpt_diagnosis_is_ok (diagnosis));
  g_assert_nonnull (costs);

  /* One request, under the policy, as the API reference spells it. */
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->base.simulator, BGPT_CHECK_OPENAI_COSTS), ==, 1);
  request = bgpt_simulator_get_request (fixture->base.simulator, 0);
  g_assert_cmpstr (request->method, ==, "GET");
  g_assert_cmpstr (request->path, ==, "/v1/organization/costs");
  g_assert_true (request->has_authorization);

  /* 2026-11-16 .. 2026-12-15 */
  g_assert_cmpuint (costs->days->len, ==, 30);
  g_assert_cmpint (g_array_index (costs->days, BgptCostsDay, 0).start_time, ==, DEC_1 - 15 * DAY);
  g_assert_cmpfloat_with_epsilon (day_usd (costs, 0), 1.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (day_usd (costs, 29), 2.0, 1e-6);
  g_assert_cmpuint (costs->line_items->len, ==, 3);
  g_assert_cmpstr (((BgptCostsLineItem *) g_ptr_array_index (costs->line_items, 0))->name, ==,
                   "gpt-4o-mini, input");

  g_clear_pointer (&diagnosis, bgpt_diagnosis_free);
  diagnosis = bgpt_costs_judge (costs, fixture->base.config, fixture->now, &spend);
  g_assert_cmpfloat_with_epsilon (spend.month_to_date_usd, 30, 1e-6);
  g_assert_cmpfloat_with_epsilon (spend.daily_average_usd, 2, 1e-6);
  g_assert_cmpfloat_with_epsilon (spend.projected_usd, 62, 1e-6);
  /* 30 + 2 × 15 = 60 at the end of the 30th: the projection warns. */
  g_assert_cmpstr (diagnosis->error_id, ==, "openai.budget");
  g_assert_cmpstr (diagnosis->reason, ==, "projected");
}

/* Pages of seven buckets: the cursor is followed to the end. */
static void
test_fetch_pages (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(BgptDiagnosis) diagnosis = NULL;
  g_autoptr(BgptCosts) costs = NULL;

  bgpt_simulator_set_costs_page_size (fixture->base.simulator, 7);
  diagnosis = fetch (fixture, &costs);
  g_assert_true (bgpt_diagnosis_is_ok (diagnosis));
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->base.simulator, BGPT_CHECK_OPENAI_COSTS), ==, 5);
  g_assert_cmpuint (costs->days->len, ==, 30);
  g_assert_cmpfloat_with_epsilon (day_usd (costs, 29), 2.0, 1e-6);
}

/* A server that never stops saying has_more is not followed forever. */
static void
test_fetch_page_cap (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(BgptDiagnosis) diagnosis = NULL;
  g_autoptr(BgptCosts) costs = NULL;

  bgpt_simulator_set_response (fixture->base.simulator, BGPT_CHECK_OPENAI_COSTS, 200, NULL,
                               "{\"object\":\"page\",\"data\":[],\"has_more\":true,\"next_page\":\"again\"}");
  diagnosis = fetch (fixture, &costs);
  g_assert_cmpstr (diagnosis->error_id, ==, "openai.unexpected");
  g_assert_nonnull (strstr (diagnosis->detail, "pages"));
  g_assert_null (costs);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->base.simulator, BGPT_CHECK_OPENAI_COSTS), ==,
                    BGPT_COSTS_MAX_PAGES);
}

/* Only the configured project: its share of every day. */
static void
test_fetch_project (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(BgptDiagnosis) diagnosis = NULL;
  g_autoptr(BgptCosts) costs = NULL;

  fixture->base.config->openai_project_id = g_strdup (BGPT_SIMULATOR_COSTS_PROJECT);
  diagnosis = fetch (fixture, &costs);
  g_assert_true (bgpt_diagnosis_is_ok (diagnosis));
  g_assert_cmpfloat_with_epsilon (day_usd (costs, 29), 2.0 * BGPT_SIMULATOR_COSTS_PROJECT_SHARE, 1e-6);
  /* The other project's line item is not there. */
  g_assert_cmpuint (costs->line_items->len, ==, 2);
}

/* An empty month: every day is there, at zero. */
static void
test_fetch_empty_month (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(BgptDiagnosis) diagnosis = NULL;
  g_autoptr(BgptDiagnosis) judged = NULL;
  g_autoptr(BgptCosts) costs = NULL;
  BgptSpend spend;

  bgpt_simulator_set_costs (fixture->base.simulator, fixture->now, NULL, 0);
  fixture->base.config->monthly_budget_usd = 10;
  diagnosis = fetch (fixture, &costs);
  g_assert_true (bgpt_diagnosis_is_ok (diagnosis));
  g_assert_cmpuint (costs->days->len, ==, 30);
  g_assert_cmpuint (costs->line_items->len, ==, 0);
  judged = bgpt_costs_judge (costs, fixture->base.config, fixture->now, &spend);
  g_assert_true (bgpt_diagnosis_is_ok (judged));
  g_assert_cmpfloat (spend.month_to_date_usd, ==, 0);
}

/* Refusals: a project key never leaves, the server's 401 and 403 for a
 * key that is not an admin key have their own reason, a revoked key its. */
static void
test_fetch_refused (Fixture       *fixture,
                    gconstpointer  user_data)
{
  const char * const forbidden[] = { "Content-Type", "application/json", NULL };
  BgptDiagnosis *diagnosis;
  BgptCosts *costs = NULL;

  g_free (fixture->base.config->openai_admin_key);
  fixture->base.config->openai_admin_key = g_strdup ("sk-proj-NotAnAdminKey0123456789");
  diagnosis = fetch (fixture, &costs);
  g_assert_cmpstr (diagnosis->error_id, ==, "config.invalid");
  g_assert_null (strstr (diagnosis->detail, "NotAnAdminKey"));
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->base.simulator, NULL), ==, 0);
  bgpt_diagnosis_free (diagnosis);

  g_clear_pointer (&fixture->base.config->openai_admin_key, g_free);
  diagnosis = fetch (fixture, &costs);
  g_assert_cmpstr (diagnosis->error_id, ==, "openai.auth");
  bgpt_diagnosis_free (diagnosis);

  fixture->base.config->openai_admin_key = g_strdup (ADMIN_KEY);
  bgpt_simulator_set_scenario (fixture->base.simulator, BGPT_CHECK_OPENAI_COSTS, BGPT_SCENARIO_ADMIN_KEY_REQUIRED);
  diagnosis = fetch (fixture, &costs);
  g_assert_cmpstr (diagnosis->error_id, ==, "openai.auth");
  g_assert_cmpstr (diagnosis->reason, ==, "admin_key_required");
  g_assert_cmpuint (diagnosis->http_status, ==, 401);
  g_assert_null (costs);
  bgpt_diagnosis_free (diagnosis);

  bgpt_simulator_set_response (fixture->base.simulator, BGPT_CHECK_OPENAI_COSTS, 403, forbidden,
                               "{\"error\":{\"message\":\"Forbidden\",\"type\":\"invalid_request_error\","
                               "\"param\":null,\"code\":null}}");
  diagnosis = fetch (fixture, &costs);
  g_assert_cmpstr (diagnosis->error_id, ==, "openai.auth");
  g_assert_cmpstr (diagnosis->reason, ==, "admin_key_required");
  bgpt_diagnosis_free (diagnosis);

  bgpt_simulator_set_scenario (fixture->base.simulator, BGPT_CHECK_OPENAI_COSTS, BGPT_SCENARIO_INVALID_KEY);
  diagnosis = fetch (fixture, &costs);
  g_assert_cmpstr (diagnosis->error_id, ==, "openai.auth");
  g_assert_cmpstr (diagnosis->reason, ==, "invalid_api_key");
  bgpt_diagnosis_free (diagnosis);

  bgpt_simulator_set_scenario (fixture->base.simulator, BGPT_CHECK_OPENAI_COSTS, BGPT_SCENARIO_SERVER_ERROR);
  diagnosis = fetch (fixture, &costs);
  g_assert_cmpstr (diagnosis->error_id, ==, "openai.unexpected");
  bgpt_diagnosis_free (diagnosis);

  /* A key echoed back never reaches a detail. */
  bgpt_simulator_set_response (fixture->base.simulator, BGPT_CHECK_OPENAI_COSTS, 200, NULL,
                               "{\"object\":\"page\",\"data\":[{\"start_time\":1796083200,\"results\":"
                               "[{\"amount\":{\"value\":1,\"currency\":\"" ADMIN_KEY "\"}}]}]}");
  diagnosis = fetch (fixture, &costs);
  g_assert_cmpstr (diagnosis->error_id, ==, "openai.unexpected");
  g_assert_null (strstr (diagnosis->detail, "TestAdmin"));
  bgpt_diagnosis_free (diagnosis);
}

/* The simulator refuses any key that is not an admin key, as OpenAI does. */
static void
test_simulator_refuses_project_key (Fixture       *fixture,
                                    gconstpointer  user_data)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (fixture->base.config->openai_base_url,
                                      "/organization/costs?start_time=1796083200", NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                "Bearer sk-proj-Project0123456789");
  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL, bgpt_test_collect_result, &slot);
  result = bgpt_test_wait_for_result (&slot);
  body = soup_session_send_and_read_finish (session, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 401);
  g_assert_nonnull (strstr (g_bytes_get_data (body, NULL), "Missing scopes"));
}

typedef struct
{
  guint changed;
  guint expected;
} Changes;

static void
count_changed (BgptCostsWatch *watch,
               const char     *account_id,
               Changes        *changes)
{
  g_assert_cmpstr (account_id, ==, "default");
  changes->changed++;
}

static gboolean
changes_reached (gpointer user_data)
{
  Changes *changes = user_data;

  return changes->changed >= changes->expected;
}

static void
wait_for_changes (Changes *changes,
                  guint    expected)
{
  changes->expected = expected;
  g_assert_true (bgpt_test_wait_until (changes_reached, changes));
}

/* Read when started, then only on demand or when an hour has passed; a
 * new budget is judged on the costs already read. */
static void
test_watch (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(BgptCostsWatch) watch = bgpt_costs_watch_new ();
  const BgptDiagnosis *diagnosis;
  const BgptCosts *costs = NULL;
  const BgptSpend *spend = NULL;
  Changes changes = { 0 };

  bgpt_costs_watch_set_now (watch, fixture->now);
  g_signal_connect (watch, "changed", G_CALLBACK (count_changed), &changes);

  bgpt_costs_watch_set_account (watch, fixture->base.config);
  g_assert_true (bgpt_costs_watch_has_admin_key (watch, "default"));
  g_assert_null (bgpt_costs_watch_lookup (watch, "default", &costs, &spend));
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->base.simulator, NULL), ==, 0);

  bgpt_costs_watch_start (watch);
  wait_for_changes (&changes, 1);
  diagnosis = bgpt_costs_watch_lookup (watch, "default", &costs, &spend);
  g_assert_true (bgpt_diagnosis_is_ok (diagnosis));
  g_assert_nonnull (costs);
  g_assert_cmpfloat_with_epsilon (spend->month_to_date_usd, 30, 1e-6);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->base.simulator, NULL), ==, 1);

  /* Started again within the hour: nothing is due. */
  bgpt_costs_watch_stop (watch);
  bgpt_costs_watch_start (watch);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->base.simulator, NULL), ==, 1);

  /* A budget: judged now, without another request. */
  fixture->base.config->monthly_budget_usd = 60;
  bgpt_costs_watch_set_account (watch, fixture->base.config);
  g_assert_cmpuint (changes.changed, ==, 2);
  diagnosis = bgpt_costs_watch_lookup (watch, "default", NULL, NULL);
  g_assert_cmpstr (diagnosis->error_id, ==, "openai.budget");
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->base.simulator, NULL), ==, 1);

  /* On demand. */
  bgpt_costs_watch_refresh (watch, NULL);
  wait_for_changes (&changes, 3);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->base.simulator, NULL), ==, 2);

  /* The admin key removed: the account is no longer watched. */
  g_clear_pointer (&fixture->base.config->openai_admin_key, g_free);
  bgpt_costs_watch_set_account (watch, fixture->base.config);
  g_assert_cmpuint (changes.changed, ==, 4);
  g_assert_false (bgpt_costs_watch_has_admin_key (watch, "default"));
  g_assert_null (bgpt_costs_watch_lookup (watch, "default", &costs, &spend));
  g_assert_null (costs);
  g_assert_null (spend);
}

/* Asked again while a reading is in flight (a key replaced, credit added):
 * the answer that counts is the one to the request sent after. */
typedef struct
{
  Fixture *fixture;
  guint    requests;
} CostsRequests;

static gboolean
costs_requests_reached (gpointer data)
{
  CostsRequests *wait = data;

  return bgpt_simulator_count_requests (wait->fixture->base.simulator, BGPT_CHECK_OPENAI_COSTS) >= wait->requests;
}

static void
test_watch_refresh_in_flight (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autoptr(BgptCostsWatch) watch = bgpt_costs_watch_new ();
  CostsRequests first = { fixture, 1 };
  const BgptDiagnosis *diagnosis;
  Changes changes = { 0 };

  bgpt_costs_watch_set_now (watch, fixture->now);
  g_signal_connect (watch, "changed", G_CALLBACK (count_changed), &changes);
  /* The first request is answered (OK) only after the second is sent. */
  bgpt_simulator_set_delay (fixture->base.simulator, BGPT_CHECK_OPENAI_COSTS, 1000);
  bgpt_costs_watch_set_account (watch, fixture->base.config);
  bgpt_costs_watch_start (watch);
  bgpt_test_assert_until (costs_requests_reached, &first, "the first costs request");

  bgpt_simulator_set_delay (fixture->base.simulator, BGPT_CHECK_OPENAI_COSTS, 0);
  bgpt_simulator_set_scenario (fixture->base.simulator, BGPT_CHECK_OPENAI_COSTS, BGPT_SCENARIO_SERVER_ERROR);
  bgpt_costs_watch_refresh (watch, "default");
  wait_for_changes (&changes, 1);
  diagnosis = bgpt_costs_watch_lookup (watch, "default", NULL, NULL);
  g_assert_false (bgpt_diagnosis_is_ok (diagnosis));
  g_assert_cmpuint (diagnosis->http_status, ==, 500);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->base.simulator, BGPT_CHECK_OPENAI_COSTS), ==, 2);

  /* The first answer was dropped: the next change is the next reading's. */
  bgpt_simulator_set_scenario (fixture->base.simulator, BGPT_CHECK_OPENAI_COSTS, BGPT_SCENARIO_OK);
  bgpt_costs_watch_refresh (watch, "default");
  wait_for_changes (&changes, 2);
  g_assert_true (bgpt_diagnosis_is_ok (bgpt_costs_watch_lookup (watch, "default", NULL, NULL)));
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->base.simulator, BGPT_CHECK_OPENAI_COSTS), ==, 3);
  bgpt_costs_watch_stop (watch);
}

/* The monitor's hook: started, it reads the costs; a check someone asked
 * for reads them again. */
static void
test_monitor_reads_costs (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.bytegpt.Monitor");
  g_autoptr(BgptMonitor) monitor = bgpt_monitor_new (settings, NULL);
  BgptCostsWatch *watch = bgpt_monitor_get_costs_watch (monitor);
  Changes changes = { 0 };

  bgpt_costs_watch_set_now (watch, fixture->now);
  g_signal_connect (watch, "changed", G_CALLBACK (count_changed), &changes);
  bgpt_monitor_set_account (monitor, fixture->base.config);
  bgpt_monitor_start (monitor);
  wait_for_changes (&changes, 1);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->base.simulator, BGPT_CHECK_OPENAI_COSTS), ==, 1);

  bgpt_monitor_confirm_now (monitor, "default");
  wait_for_changes (&changes, 2);
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->base.simulator, BGPT_CHECK_OPENAI_COSTS), ==, 2);

  bgpt_monitor_remove_account (monitor, "default");
  g_assert_false (bgpt_costs_watch_has_admin_key (watch, "default"));
  bgpt_monitor_stop (monitor);
}

/* A test that runs on the fixture: the simulator, a client, the
 * configuration and now. */
#define add_fixture_test(path, test) \
  g_test_add ((path), Fixture, NULL, fixture_set_up, (test), fixture_tear_down)
/* The same, with the known month billed (set_known_month). */
#define add_known_month_test(path, test) \
  g_test_add ((path), Fixture, NULL, known_month_set_up, (test), fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/costs/parse/pages", test_parse_pages);
  g_test_add_func ("/costs/parse/repeated-day", test_parse_repeated_day);
  g_test_add_func ("/costs/parse/currencies", test_parse_currencies);
  g_test_add_func ("/costs/parse/hostile-amounts", test_parse_hostile_amounts);
  g_test_add_func ("/costs/parse/wrong-shapes", test_parse_wrong_shapes);
  g_test_add_func ("/costs/start-time", test_start_time);
  add_known_month_test ("/costs/fetch/month", test_fetch_month);
  add_known_month_test ("/costs/fetch/pages", test_fetch_pages);
  add_fixture_test ("/costs/fetch/page-cap", test_fetch_page_cap);
  add_known_month_test ("/costs/fetch/project", test_fetch_project);
  add_fixture_test ("/costs/fetch/empty-month", test_fetch_empty_month);
  add_fixture_test ("/costs/fetch/refused", test_fetch_refused);
  add_known_month_test ("/costs/watch/hourly-and-on-demand", test_watch);
  add_known_month_test ("/costs/watch/refresh-in-flight", test_watch_refresh_in_flight);
  add_known_month_test ("/costs/watch/monitor", test_monitor_reads_costs);
  add_fixture_test ("/costs/simulator/refuses-project-key", test_simulator_refuses_project_key);

  return g_test_run ();
}
