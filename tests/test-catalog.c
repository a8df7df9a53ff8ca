/* test-catalog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "bgpt-catalog.h"

/* The table of docs/architecture.md, "The error catalog". */
static const struct {
  const char   *id;
  BgptService   service;
  BgptSeverity  severity;
} design_ids[] = {
  { "openai.timeout",      BGPT_SERVICE_OPENAI, BGPT_SEVERITY_CRITICAL },
  { "openai.auth",         BGPT_SERVICE_OPENAI, BGPT_SEVERITY_CRITICAL },
  { "openai.assistant",    BGPT_SERVICE_OPENAI, BGPT_SEVERITY_CRITICAL },
  { "openai.quota",        BGPT_SERVICE_OPENAI, BGPT_SEVERITY_CRITICAL },
  { "openai.connection",   BGPT_SERVICE_OPENAI, BGPT_SEVERITY_CRITICAL },
  { "openai.unexpected",   BGPT_SERVICE_OPENAI, BGPT_SEVERITY_CRITICAL },
  { "openai.rate-limit",   BGPT_SERVICE_OPENAI, BGPT_SEVERITY_WARNING },
  { "openai.forbidden",    BGPT_SERVICE_OPENAI, BGPT_SEVERITY_CRITICAL },
  { "openai.model",        BGPT_SERVICE_OPENAI, BGPT_SEVERITY_CRITICAL },
  { "openai.model-retiring", BGPT_SERVICE_OPENAI, BGPT_SEVERITY_WARNING },
  { "openai.rate-limit-near", BGPT_SERVICE_OPENAI, BGPT_SEVERITY_WARNING },
  { "openai.budget",       BGPT_SERVICE_OPENAI, BGPT_SEVERITY_WARNING },
  { "kommo.timeout",       BGPT_SERVICE_KOMMO,  BGPT_SEVERITY_CRITICAL },
  { "kommo.auth",          BGPT_SERVICE_KOMMO,  BGPT_SEVERITY_CRITICAL },
  { "kommo.payment",       BGPT_SERVICE_KOMMO,  BGPT_SEVERITY_CRITICAL },
  { "kommo.forbidden",     BGPT_SERVICE_KOMMO,  BGPT_SEVERITY_CRITICAL },
  { "kommo.not-found",     BGPT_SERVICE_KOMMO,  BGPT_SEVERITY_CRITICAL },
  { "kommo.rate-limit",    BGPT_SERVICE_KOMMO,  BGPT_SEVERITY_WARNING },
  { "kommo.connection",    BGPT_SERVICE_KOMMO,  BGPT_SEVERITY_CRITICAL },
  { "kommo.unexpected",    BGPT_SERVICE_KOMMO,  BGPT_SEVERITY_CRITICAL },
  { "config.invalid",      BGPT_SERVICE_APP,    BGPT_SEVERITY_UNKNOWN },
  { "keyring.unavailable", BGPT_SERVICE_APP,    BGPT_SEVERITY_UNKNOWN },
};

static void
test_catalog_has_design_ids (void)
{
  gsize n_entries = 0;
  const BgptCatalogEntry *entries = bgpt_catalog_get_entries (&n_entries);

  g_assert_cmpuint (n_entries, ==, G_N_ELEMENTS (design_ids));

  for (gsize i = 0; i < G_N_ELEMENTS (design_ids); i++)
    {
      const BgptCatalogEntry *entry = bgpt_catalog_lookup (design_ids[i].id);
      guint count = 0;

      for (gsize j = 0; j < n_entries; j++)
        count += g_str_equal (entries[j].id, design_ids[i].id);

      g_assert_cmpuint (count, ==, 1);
      g_assert_nonnull (entry);
      g_assert_cmpstr (entry->id, ==, design_ids[i].id);
      g_assert_cmpint (entry->service, ==, design_ids[i].service);
      g_assert_cmpint (entry->severity, ==, design_ids[i].severity);
    }
}

static void
test_catalog_texts (void)
{
  gsize n_entries = 0;
  const BgptCatalogEntry *entries = bgpt_catalog_get_entries (&n_entries);
  g_autoptr(GHashTable) titles = g_hash_table_new (g_str_hash, g_str_equal);

  for (gsize i = 0; i < n_entries; i++)
    {
      const BgptCatalogEntry *entry = &entries[i];
      guint n_steps = bgpt_catalog_entry_n_steps (entry);

      g_assert_nonnull (entry->title);
      g_assert_cmpstr (entry->title, !=, "");
      g_assert_nonnull (entry->cause);
      g_assert_cmpstr (entry->cause, !=, "");
      g_assert_cmpstr (bgpt_catalog_entry_title (entry), !=, "");
      g_assert_cmpstr (bgpt_catalog_entry_cause (entry), !=, "");
      g_assert_cmpstr (bgpt_catalog_title (entry->id), ==, bgpt_catalog_entry_title (entry));

      /* Distinct titles: the OpenAI and Kommo entries must not share a msgid. */
      g_assert_false (g_hash_table_contains (titles, entry->title));
      g_hash_table_add (titles, (gpointer) entry->title);

      g_assert_cmpuint (n_steps, >=, 1);
      g_assert_cmpuint (n_steps, <=, BGPT_CATALOG_MAX_STEPS);
      for (guint s = 0; s < BGPT_CATALOG_MAX_STEPS; s++)
        {
          const BgptCatalogStep *step = &entry->steps[s];

          if (s >= n_steps)
            {
              g_assert_null (step->text);
              g_assert_null (bgpt_catalog_step_text (step));
              continue;
            }

          g_assert_nonnull (step->text);
          g_assert_cmpstr (step->text, !=, "");
          g_assert_nonnull (step->button_label);
          g_assert_cmpstr (step->button_label, !=, "");
          g_assert_nonnull (step->remediation);
          g_assert_cmpstr (bgpt_catalog_step_text (step), !=, "");
          g_assert_cmpstr (bgpt_catalog_step_label (step), !=, "");
        }
    }
}

static gboolean
is_known_action (const char *name)
{
  const char * const *actions = bgpt_catalog_action_names ();

  return g_strv_contains (actions, name);
}

/* Each step is one click: an https:// URI or an action the application
 * installs, with the target that action takes. */
static void
assert_remediations (const char            *id,
                     const BgptCatalogStep *steps,
                     guint                  n_steps)
{
  for (guint s = 0; s < n_steps; s++)
    {
      const char *remediation = steps[s].remediation;

      if (bgpt_catalog_remediation_is_uri (remediation))
        {
          g_autoptr(GUri) uri = g_uri_parse (remediation, G_URI_FLAGS_NONE, NULL);

          g_assert_nonnull (uri);
          g_assert_cmpstr (g_uri_get_scheme (uri), ==, "https");
          g_assert_nonnull (g_uri_get_host (uri));
          g_assert_cmpstr (g_uri_get_host (uri), !=, "");
        }
      else
        {
          g_autofree char *name = NULL;
          g_autoptr(GVariant) target = NULL;
          g_autoptr(GError) error = NULL;

          g_assert_true (g_action_parse_detailed_name (remediation, &name, &target, &error));
          g_assert_no_error (error);
          if (!is_known_action (name))
            g_error ("%s: step %u names unknown action %s", id, s, remediation);

          if (g_str_equal (name, "app.edit-secret"))
            {
              const char *kind;

              g_assert_nonnull (target);
              g_assert_true (g_variant_is_of_type (target, G_VARIANT_TYPE_STRING));
              kind = g_variant_get_string (target, NULL);
              g_assert_true (g_str_equal (kind, "openai-api-key") ||
                             g_str_equal (kind, "kommo-token") ||
                             g_str_equal (kind, "openai-admin-key"));
            }
          else
            {
              g_assert_null (target);
            }
        }
    }
}

static void
test_catalog_remediations (void)
{
  gsize n_entries = 0;
  const BgptCatalogEntry *entries = bgpt_catalog_get_entries (&n_entries);

  for (gsize i = 0; i < n_entries; i++)
    assert_remediations (entries[i].id, entries[i].steps, bgpt_catalog_entry_n_steps (&entries[i]));
}

/* Reason-specific texts live under an existing entry, one row per id and
 * reason, and are what the entry shows for that reason. */
static void
test_catalog_reasons (void)
{
  gsize n_reasons = 0;
  const BgptCatalogReason *reasons = bgpt_catalog_get_reasons (&n_reasons);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_assert_cmpuint (n_reasons, >, 0);
  for (gsize i = 0; i < n_reasons; i++)
    {
      const BgptCatalogReason *reason = &reasons[i];
      const BgptCatalogEntry *entry = bgpt_catalog_lookup (reason->id);
      const BgptCatalogStep *steps;
      guint n_steps = 0;
      char *key = g_strconcat (reason->id, " ", reason->reason, NULL);

      g_assert_nonnull (entry);
      g_assert_false (g_hash_table_contains (seen, key));
      g_hash_table_add (seen, key);

      g_assert_nonnull (reason->cause);
      g_assert_true (bgpt_catalog_lookup_reason (reason->id, reason->reason) == reason);
      g_assert_cmpstr (bgpt_catalog_entry_cause_for (entry, reason->reason), ==,
                       g_dgettext (GETTEXT_PACKAGE, reason->cause));
      g_assert_cmpstr (bgpt_catalog_entry_cause_for (entry, reason->reason), !=,
                       bgpt_catalog_entry_cause (entry));

      steps = bgpt_catalog_entry_steps_for (entry, reason->reason, &n_steps);
      g_assert_true (steps == reason->steps);
      g_assert_cmpuint (n_steps, >=, 1);
      for (guint s = 0; s < n_steps; s++)
        {
          g_assert_cmpstr (bgpt_catalog_step_text (&steps[s]), !=, "");
          g_assert_cmpstr (bgpt_catalog_step_label (&steps[s]), !=, "");
        }
      for (guint s = n_steps; s < BGPT_CATALOG_MAX_STEPS; s++)
        g_assert_null (steps[s].text);
      assert_remediations (reason->reason, steps, n_steps);
    }
}

static void
test_catalog_reason_fallback (void)
{
  const BgptCatalogEntry *auth = bgpt_catalog_lookup ("openai.auth");
  guint n_steps = 0;

  g_assert_null (bgpt_catalog_lookup_reason ("openai.auth", "no_such_reason"));
  g_assert_null (bgpt_catalog_lookup_reason ("openai.auth", NULL));
  g_assert_null (bgpt_catalog_lookup_reason (NULL, "missing_scopes"));
  g_assert_null (bgpt_catalog_lookup_reason ("kommo.auth", "missing_scopes"));
  g_assert_cmpstr (bgpt_catalog_entry_cause_for (auth, NULL), ==, bgpt_catalog_entry_cause (auth));
  g_assert_cmpstr (bgpt_catalog_entry_cause_for (auth, "no_such_reason"), ==,
                   bgpt_catalog_entry_cause (auth));
  g_assert_true (bgpt_catalog_entry_steps_for (auth, "no_such_reason", &n_steps) == auth->steps);
  g_assert_cmpuint (n_steps, ==, bgpt_catalog_entry_n_steps (auth));
  g_assert_null (bgpt_catalog_entry_cause_for (NULL, "missing_scopes"));
  g_assert_null (bgpt_catalog_entry_steps_for (NULL, NULL, &n_steps));
  g_assert_cmpuint (n_steps, ==, 0);
}

static gboolean
steps_link (const BgptCatalogStep *steps,
            const char            *remediation)
{
  for (guint s = 0; s < BGPT_CATALOG_MAX_STEPS && steps[s].text != NULL; s++)
    {
      if (g_strcmp0 (steps[s].remediation, remediation) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The remedies the providers' documentation gives (docs/providers.md). */
static void
test_catalog_reason_facts (void)
{
  const BgptCatalogReason *scopes = bgpt_catalog_lookup_reason ("openai.auth", "missing_scopes");
  const BgptCatalogReason *ip = bgpt_catalog_lookup_reason ("openai.auth", "ip_not_authorized");
  const BgptCatalogReason *deactivated = bgpt_catalog_lookup_reason ("openai.auth", "account_deactivated");
  const BgptCatalogReason *shut_down = bgpt_catalog_lookup_reason ("openai.assistant",
                                                                   "assistants_api_shut_down");
  const BgptCatalogReason *credit = bgpt_catalog_lookup_reason ("openai.quota",
                                                                "credit_balance_exhausted");
  const BgptCatalogReason *spend = bgpt_catalog_lookup_reason ("openai.quota",
                                                               "project_spend_limit_exceeded");
  const BgptCatalogEntry *retiring = bgpt_catalog_lookup ("openai.model-retiring");
  const BgptCatalogEntry *kommo_auth = bgpt_catalog_lookup ("kommo.auth");

  /* A restricted key gets the permission, not a replacement. */
  g_assert_true (steps_link (scopes->steps, "https://platform.openai.com/api-keys"));
  g_assert_false (steps_link (scopes->steps, "app.edit-secret::openai-api-key"));
  g_assert_true (steps_link (ip->steps, "https://platform.openai.com/settings/organization/security"));
  g_assert_nonnull (strstr (ip->cause, "this computer"));
  g_assert_true (steps_link (deactivated->steps, "https://help.openai.com"));
  g_assert_false (steps_link (deactivated->steps, "https://platform.openai.com/api-keys"));
  g_assert_nonnull (strstr (shut_down->cause, "2026-08-26"));
  g_assert_true (steps_link (shut_down->steps, "https://developers.openai.com/api/docs/assistants/migration"));
  g_assert_true (steps_link (shut_down->steps, "https://developers.openai.com/api/docs/deprecations"));
  g_assert_true (steps_link (credit->steps,
                             "https://platform.openai.com/settings/organization/billing/overview"));
  g_assert_true (steps_link (spend->steps, "https://platform.openai.com/settings/organization/limits"));
  g_assert_true (steps_link (retiring->steps, "https://developers.openai.com/api/docs/deprecations"));
  g_assert_true (steps_link (kommo_auth->steps, "https://developers.kommo.com/docs/long-lived-token"));
}

static void
test_catalog_action_names (void)
{
  const char * const *actions = bgpt_catalog_action_names ();
  const char * const expected[] = {
    "app.check-now", "app.edit-secret", "app.edit-account", "app.copy-details", "app.edit-spending", NULL
  };

  g_assert_cmpstrv (actions, expected);
}

static void
test_catalog_facts (void)
{
  const BgptCatalogEntry *assistant = bgpt_catalog_lookup ("openai.assistant");
  const BgptCatalogEntry *auth = bgpt_catalog_lookup ("openai.auth");
  const BgptCatalogEntry *timeout = bgpt_catalog_lookup ("openai.timeout");
  const BgptCatalogEntry *kommo_auth = bgpt_catalog_lookup ("kommo.auth");
  gboolean links_migration = FALSE;

  g_assert_nonnull (strstr (assistant->cause, "2026-08-26"));
  for (guint s = 0; s < bgpt_catalog_entry_n_steps (assistant); s++)
    links_migration |= g_strcmp0 (assistant->steps[s].remediation,
                                  "https://developers.openai.com/api/docs/assistants/migration") == 0;
  g_assert_true (links_migration);

  g_assert_cmpstr (auth->steps[0].remediation, ==, "app.edit-secret::openai-api-key");
  g_assert_cmpstr (auth->steps[1].remediation, ==, "https://platform.openai.com/api-keys");
  g_assert_cmpstr (timeout->steps[0].remediation, ==, "app.check-now");
  g_assert_cmpstr (timeout->steps[1].remediation, ==, "https://status.openai.com");
  g_assert_cmpstr (kommo_auth->steps[0].remediation, ==, "app.edit-secret::kommo-token");
  g_assert_nonnull (strstr (kommo_auth->steps[1].text, "Keys and scopes"));
}

/* openai.budget is a warning about the projection and critical about the
 * spend; its remedies are billing, limits and the account's settings. */
static void
test_catalog_budget (void)
{
  const BgptCatalogEntry *budget = bgpt_catalog_lookup (BGPT_DIAGNOSIS_OPENAI_BUDGET);
  const char *reasons[] = { NULL, "projected", "spent" };

  g_assert_nonnull (budget);
  g_assert_cmpint (bgpt_catalog_severity (BGPT_DIAGNOSIS_OPENAI_BUDGET, NULL), ==, BGPT_SEVERITY_WARNING);
  g_assert_cmpint (bgpt_catalog_severity (BGPT_DIAGNOSIS_OPENAI_BUDGET, "projected"), ==, BGPT_SEVERITY_WARNING);
  g_assert_cmpint (bgpt_catalog_severity (BGPT_DIAGNOSIS_OPENAI_BUDGET, "spent"), ==, BGPT_SEVERITY_CRITICAL);
  g_assert_cmpint (bgpt_catalog_severity (BGPT_DIAGNOSIS_OPENAI_AUTH, "spent"), ==, BGPT_SEVERITY_CRITICAL);
  g_assert_cmpint (bgpt_catalog_severity (BGPT_DIAGNOSIS_OPENAI_RATE_LIMIT, NULL), ==, BGPT_SEVERITY_WARNING);
  g_assert_cmpint (bgpt_catalog_severity ("openai.nope", NULL), ==, BGPT_SEVERITY_CRITICAL);

  for (guint r = 0; r < G_N_ELEMENTS (reasons); r++)
    {
      guint n_steps = 0;
      const BgptCatalogStep *steps = bgpt_catalog_entry_steps_for (budget, reasons[r], &n_steps);

      g_assert_cmpuint (n_steps, ==, 3);
      g_assert_cmpstr (steps[0].remediation, ==, "https://platform.openai.com/settings/organization/billing/overview");
      g_assert_cmpstr (steps[1].remediation, ==, "https://platform.openai.com/settings/organization/limits");
      g_assert_cmpstr (steps[2].remediation, ==, "app.edit-spending");
    }

  g_assert_nonnull (bgpt_catalog_lookup_reason (BGPT_DIAGNOSIS_OPENAI_AUTH, "admin_key_required"));
}

static void
test_catalog_unknown (void)
{
  g_assert_null (bgpt_catalog_lookup ("openai.nope"));
  g_assert_null (bgpt_catalog_lookup (""));
  g_assert_null (bgpt_catalog_lookup (NULL));
  g_assert_null (bgpt_catalog_title ("kommo.nope"));
  g_assert_null (bgpt_catalog_entry_title (NULL));
  g_assert_null (bgpt_catalog_entry_cause (NULL));
  g_assert_false (bgpt_catalog_remediation_is_uri ("http://status.openai.com"));
  g_assert_false (bgpt_catalog_remediation_is_uri ("app.check-now"));
  g_assert_false (bgpt_catalog_remediation_is_uri (NULL));
}

/* The columns that replace lists of ids elsewhere. */
static void
test_catalog_flags (void)
{
  gsize n_entries;
  const BgptCatalogEntry *entries = bgpt_catalog_get_entries (&n_entries);
  static const char * const status_page[] = {
    "openai.timeout", "openai.connection", "openai.unexpected", NULL,
  };
  static const char * const slow_down[] = { "openai.rate-limit", "kommo.rate-limit", NULL };
  static const char * const passes[] = { "openai.rate-limit-near", NULL };
  static const char * const verdict[] = { "openai.budget", NULL };
  static const char * const about_provider[] = {
    "openai.timeout", "openai.unexpected", "kommo.timeout", "kommo.unexpected", NULL,
  };

  for (gsize i = 0; i < n_entries; i++)
    {
      const char *id = entries[i].id;

      g_assert_cmpint (bgpt_catalog_has_flags (id, BGPT_CATALOG_FLAGS_STATUS_PAGE), ==,
                       g_strv_contains (status_page, id));
      g_assert_cmpint (bgpt_catalog_has_flags (id, BGPT_CATALOG_FLAGS_SLOW_DOWN), ==,
                       g_strv_contains (slow_down, id));
      g_assert_cmpint (bgpt_catalog_has_flags (id, BGPT_CATALOG_FLAGS_PASSES), ==,
                       g_strv_contains (passes, id));
      g_assert_cmpint (bgpt_catalog_has_flags (id, BGPT_CATALOG_FLAGS_VERDICT), ==,
                       g_strv_contains (verdict, id));
      g_assert_cmpint (bgpt_catalog_has_flags (id, BGPT_CATALOG_FLAGS_ABOUT_PROVIDER), ==,
                       g_strv_contains (about_provider, id));
      /* status.openai.com speaks of OpenAI only; slowing down is a warning. */
      if (entries[i].flags & BGPT_CATALOG_FLAGS_STATUS_PAGE)
        g_assert_cmpint (entries[i].service, ==, BGPT_SERVICE_OPENAI);
      if (entries[i].flags & BGPT_CATALOG_FLAGS_SLOW_DOWN)
        g_assert_cmpint (entries[i].severity, ==, BGPT_SEVERITY_WARNING);
    }
  g_assert_true (bgpt_catalog_has_flags (BGPT_DIAGNOSIS_OPENAI_AUTH, BGPT_CATALOG_FLAGS_NONE));
  g_assert_false (bgpt_catalog_has_flags (NULL, BGPT_CATALOG_FLAGS_NONE));
  g_assert_false (bgpt_catalog_has_flags ("openai.nothing", BGPT_CATALOG_FLAGS_NONE));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/catalog/design-ids", test_catalog_has_design_ids);
  g_test_add_func ("/catalog/texts", test_catalog_texts);
  g_test_add_func ("/catalog/remediations", test_catalog_remediations);
  g_test_add_func ("/catalog/reasons", test_catalog_reasons);
  g_test_add_func ("/catalog/reason-fallback", test_catalog_reason_fallback);
  g_test_add_func ("/catalog/reason-facts", test_catalog_reason_facts);
  g_test_add_func ("/catalog/action-names", test_catalog_action_names);
  g_test_add_func ("/catalog/facts", test_catalog_facts);
  g_test_add_func ("/catalog/unknown", test_catalog_unknown);
  g_test_add_func ("/catalog/budget", test_catalog_budget);
  g_test_add_func ("/catalog/flags", test_catalog_flags);

  return g_test_run ();
}
