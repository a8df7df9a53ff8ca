/* test-checks.c: the table of checks and its dependency rule, over every
 * combination of the five checks' outcomes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bgpt-checks.h"

static const char * const ids[BGPT_N_CHECKS] = {
  "kommo.account", "openai.key", "openai.model", "openai.assistant", "openai.quota",
};

enum { KOMMO, KEY, MODEL, ASSISTANT, QUOTA };

static void
test_table (void)
{
  gsize n_checks;
  const BgptCheck *checks = bgpt_checks_get (&n_checks);

  g_assert_cmpuint (n_checks, ==, BGPT_N_CHECKS);
  for (gsize i = 0; i < n_checks; i++)
    {
      g_assert_cmpstr (checks[i].id, ==, ids[i]);
      g_assert_true (bgpt_check_lookup (ids[i]) == &checks[i]);
      g_assert_nonnull (checks[i].title);
      g_assert_nonnull (checks[i].waiting);
      g_assert_nonnull (checks[i].start);
      g_assert_nonnull (checks[i].finish);
      /* A dependency comes first, so one pass over a round settles it. */
      for (guint d = 0; checks[i].depends_on[d] != NULL; d++)
        {
          const BgptCheck *dependency = bgpt_check_lookup (checks[i].depends_on[d]);

          g_assert_nonnull (dependency);
          g_assert_true (dependency < &checks[i]);
        }
    }

  /* docs/architecture.md, The check table. */
  g_assert_null (checks[KOMMO].depends_on[0]);
  g_assert_null (checks[KEY].depends_on[0]);
  g_assert_cmpstr (checks[MODEL].depends_on[0], ==, "openai.key");
  g_assert_null (checks[MODEL].depends_on[1]);
  g_assert_cmpstr (checks[ASSISTANT].depends_on[0], ==, "openai.key");
  g_assert_null (checks[ASSISTANT].depends_on[1]);
  g_assert_cmpstr (checks[QUOTA].depends_on[0], ==, "openai.key");
  g_assert_cmpstr (checks[QUOTA].depends_on[1], ==, "openai.model");
  g_assert_true (checks[QUOTA].billable);
  for (guint i = KOMMO; i < QUOTA; i++)
    g_assert_false (checks[i].billable);

  g_assert_null (bgpt_check_lookup ("openai.nothing"));
  g_assert_cmpstr (bgpt_check_title ("openai.nothing"), ==, "openai.nothing");
  g_assert_cmpstr (bgpt_check_title ("openai.key"), ==, "OpenAI API key");
  g_assert_cmpstr (bgpt_check_waiting_text ("openai.key"), ==, "Waiting for the API key");
  g_assert_cmpstr (bgpt_check_status_to_string (BGPT_CHECK_STATUS_BLOCKED), ==, "blocked");
}

static void
test_readiness (void)
{
  g_autoptr(BgptCheckConfig) config = bgpt_check_config_new ("default");
  const BgptCheck *kommo = bgpt_check_lookup ("kommo.account");
  const BgptCheck *key = bgpt_check_lookup ("openai.key");
  const BgptCheck *model = bgpt_check_lookup ("openai.model");
  const BgptCheck *quota = bgpt_check_lookup ("openai.quota");

  g_assert_cmpint (bgpt_check_readiness (key, config, TRUE), ==, BGPT_CHECK_READINESS_SKIP);
  g_assert_cmpint (bgpt_check_missing (model, config), ==,
                   BGPT_CHECK_NEEDS_OPENAI_KEY | BGPT_CHECK_NEEDS_MODEL);

  config->keyring_unavailable = TRUE;
  g_assert_cmpint (bgpt_check_readiness (key, config, FALSE), ==, BGPT_CHECK_READINESS_NO_KEYRING);
  /* Without a model there is nothing to check, keyring or not. */
  g_assert_cmpint (bgpt_check_readiness (model, config, FALSE), ==, BGPT_CHECK_READINESS_SKIP);
  g_assert_cmpint (bgpt_check_readiness (kommo, config, FALSE), ==, BGPT_CHECK_READINESS_SKIP);

  config->keyring_unavailable = FALSE;
  config->openai_api_key = g_strdup ("sk-test-0123456789");
  config->model = g_strdup ("gpt-test");
  g_assert_cmpint (bgpt_check_readiness (model, config, FALSE), ==, BGPT_CHECK_READINESS_RUN);
  g_assert_cmpstr (bgpt_check_secret (model, config), ==, config->openai_api_key);
  /* The billable check runs only when asked for. */
  g_assert_cmpint (bgpt_check_readiness (quota, config, FALSE), ==, BGPT_CHECK_READINESS_SKIP);
  g_assert_cmpint (bgpt_check_readiness (quota, config, TRUE), ==, BGPT_CHECK_READINESS_RUN);
}

/* The rule, written out check by check as docs/architecture.md states it,
 * to hold the table-driven code to. */
static const char *
expected_blocker (const BgptCheckStatus *outcomes,
                  guint                  check)
{
  gboolean key_failed = outcomes[KEY] == BGPT_CHECK_STATUS_ERROR;
  gboolean model_failed = outcomes[MODEL] == BGPT_CHECK_STATUS_ERROR;

  if (outcomes[check] == BGPT_CHECK_STATUS_SKIPPED)
    return NULL;

  switch (check)
    {
    case MODEL:
    case ASSISTANT:
      return key_failed ? "openai.key" : NULL;
    case QUOTA:
      if (key_failed)
        return "openai.key";
      /* openai.model when a model is set, that is, when it ran. */
      return model_failed ? "openai.model" : NULL;
    case KOMMO:
    case KEY:
    default:
      return NULL;
    }
}

static void
test_every_combination (void)
{
  static const BgptCheckStatus outcomes_of_one[] = {
    BGPT_CHECK_STATUS_OK, BGPT_CHECK_STATUS_ERROR, BGPT_CHECK_STATUS_SKIPPED,
  };
  guint n_combinations = 1;
  guint n_with_blocked = 0;

  for (guint i = 0; i < BGPT_N_CHECKS; i++)
    n_combinations *= G_N_ELEMENTS (outcomes_of_one);

  for (guint combination = 0; combination < n_combinations; combination++)
    {
      BgptCheckStatus outcomes[BGPT_N_CHECKS];
      BgptCheckStatus statuses[BGPT_N_CHECKS];
      const char *blocked_by[BGPT_N_CHECKS];
      g_autoptr(GString) roots = g_string_new (NULL);
      g_autoptr(GString) expected_roots = g_string_new (NULL);
      guint rest = combination;
      gboolean any_blocked = FALSE;

      for (guint i = 0; i < BGPT_N_CHECKS; i++)
        {
          outcomes[i] = statuses[i] = outcomes_of_one[rest % G_N_ELEMENTS (outcomes_of_one)];
          rest /= G_N_ELEMENTS (outcomes_of_one);
        }

      bgpt_checks_apply_dependencies (statuses, blocked_by);

      for (guint i = 0; i < BGPT_N_CHECKS; i++)
        {
          const char *blocker = expected_blocker (outcomes, i);

          g_assert_cmpstr (blocked_by[i], ==, blocker);
          if (blocker != NULL)
            {
              g_assert_cmpint (statuses[i], ==, BGPT_CHECK_STATUS_BLOCKED);
              any_blocked = TRUE;
            }
          else
            {
              /* Not blocked: its own outcome stands. */
              g_assert_cmpint (statuses[i], ==, outcomes[i]);
            }

          if (statuses[i] == BGPT_CHECK_STATUS_ERROR)
            g_string_append_printf (roots, "%s ", ids[i]);
          if (outcomes[i] == BGPT_CHECK_STATUS_ERROR && blocker == NULL)
            g_string_append_printf (expected_roots, "%s ", ids[i]);
        }
      g_assert_cmpstr (roots->str, ==, expected_roots->str);
      n_with_blocked += any_blocked;
    }

  /* The rule did something, and not everywhere. */
  g_assert_cmpuint (n_combinations, ==, 243);
  g_assert_cmpuint (n_with_blocked, >, 0);
  g_assert_cmpuint (n_with_blocked, <, n_combinations);
}

/* A refused key: one root cause, the rest wait for it. */
static void
test_refused_key (void)
{
  BgptCheckStatus statuses[BGPT_N_CHECKS] = {
    BGPT_CHECK_STATUS_OK, BGPT_CHECK_STATUS_ERROR, BGPT_CHECK_STATUS_ERROR,
    BGPT_CHECK_STATUS_ERROR, BGPT_CHECK_STATUS_ERROR,
  };
  const char *blocked_by[BGPT_N_CHECKS];

  bgpt_checks_apply_dependencies (statuses, blocked_by);
  g_assert_cmpint (statuses[KOMMO], ==, BGPT_CHECK_STATUS_OK);
  g_assert_cmpint (statuses[KEY], ==, BGPT_CHECK_STATUS_ERROR);
  for (guint i = MODEL; i <= QUOTA; i++)
    {
      g_assert_cmpint (statuses[i], ==, BGPT_CHECK_STATUS_BLOCKED);
      g_assert_cmpstr (blocked_by[i], ==, "openai.key");
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/checks/table", test_table);
  g_test_add_func ("/checks/readiness", test_readiness);
  g_test_add_func ("/checks/every-combination", test_every_combination);
  g_test_add_func ("/checks/refused-key", test_refused_key);

  return g_test_run ();
}
