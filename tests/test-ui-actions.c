/* test-ui-actions.c: the application installs every action that the error
 * catalog's remediations and the notifications name.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <glib/gstdio.h>

#include "bgpt-catalog.h"
#include "bgpt-process.h"
#include "bgpt-secret-store.h"
#include "ui/bgpt-application.h"
#include "ui/bgpt-remediation.h"
#include "bgpt-test-utils.h"

static BgptApplication *app;

static void
test_catalog_actions (void)
{
  const char * const *names = bgpt_catalog_action_names ();

  g_assert_nonnull (names);
  g_assert_nonnull (names[0]);

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_assert_true (g_str_has_prefix (names[i], "app."));
      if (!g_action_group_has_action (G_ACTION_GROUP (app), names[i] + strlen ("app.")))
        g_error ("The catalog names %s but the application has no such action", names[i]);
    }
}

static void
test_window_actions (void)
{
  static const char * const names[] = {
    "check-now", "open-uri", "show-incident", "copy-details", "edit-secret",
    "edit-account", "edit-spending", "add-account", "preferences", "about", "quit",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), names[i]));
}

static guint
assert_steps_resolve (const BgptCatalogStep *steps,
                      guint                  n_steps)
{
  for (guint j = 0; j < n_steps; j++)
    {
      const char *remediation = steps[j].remediation;
      g_autofree char *action_name = NULL;
      g_autoptr(GVariant) target = NULL;
      const GVariantType *parameter_type;

      g_assert_true (bgpt_remediation_resolve (remediation, "default", "incident-1",
                                               &action_name, &target));
      g_assert_true (g_str_has_prefix (action_name, "app."));
      g_assert_true (g_action_group_query_action (G_ACTION_GROUP (app), action_name + 4,
                                                  NULL, &parameter_type, NULL, NULL, NULL));
      if (parameter_type == NULL)
        g_assert_null (target);
      else
        g_assert_true (target != NULL && g_variant_is_of_type (target, parameter_type));
    }

  return n_steps;
}

/* Every step's remediation, the reason-specific ones included, resolves to
 * an installed action whose parameter type matches the target the window
 * and the notifications will give it. */
static void
test_every_remediation_resolves (void)
{
  gsize n_entries = 0;
  gsize n_reasons = 0;
  const BgptCatalogEntry *entries = bgpt_catalog_get_entries (&n_entries);
  const BgptCatalogReason *reasons = bgpt_catalog_get_reasons (&n_reasons);
  guint n_checked = 0;

  g_assert_cmpuint (n_entries, >, 0);

  for (gsize i = 0; i < n_entries; i++)
    n_checked += assert_steps_resolve (entries[i].steps, bgpt_catalog_entry_n_steps (&entries[i]));

  for (gsize i = 0; i < n_reasons; i++)
    {
      const BgptCatalogEntry *entry = bgpt_catalog_lookup (reasons[i].id);
      guint n_steps = 0;
      const BgptCatalogStep *steps = bgpt_catalog_entry_steps_for (entry, reasons[i].reason, &n_steps);

      n_checked += assert_steps_resolve (steps, n_steps);
    }

  g_assert_cmpuint (n_checked, >, 10);
}

static void
test_resolve_targets (void)
{
  g_autofree char *name = NULL;
  g_autoptr(GVariant) target = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *account = NULL;

  g_assert_true (bgpt_remediation_resolve ("https://platform.openai.com/api-keys", "default", NULL, &name, &target));
  g_assert_cmpstr (name, ==, "app.open-uri");
  g_assert_cmpstr (g_variant_get_string (target, NULL), ==, "https://platform.openai.com/api-keys");
  g_clear_pointer (&name, g_free);
  g_clear_pointer (&target, g_variant_unref);

  g_assert_true (bgpt_remediation_resolve ("app.edit-secret::openai-api-key", "loja-2", NULL, &name, &target));
  g_assert_cmpstr (name, ==, "app.edit-secret");
  g_assert_cmpstr (g_variant_get_string (target, NULL), ==, "openai-api-key:loja-2");
  g_assert_true (bgpt_remediation_parse_secret_target (g_variant_get_string (target, NULL), &kind, &account));
  g_assert_cmpstr (kind, ==, "openai-api-key");
  g_assert_cmpstr (account, ==, "loja-2");
  g_clear_pointer (&name, g_free);
  g_clear_pointer (&target, g_variant_unref);

  g_assert_true (bgpt_remediation_resolve ("app.copy-details", "default", "abc", &name, &target));
  g_assert_cmpstr (g_variant_get_string (target, NULL), ==, "abc");
  g_clear_pointer (&name, g_free);
  g_clear_pointer (&target, g_variant_unref);

  g_assert_true (bgpt_remediation_resolve ("app.check-now", "default", "abc", &name, &target));
  g_assert_cmpstr (name, ==, "app.check-now");
  g_assert_null (target);
  g_clear_pointer (&name, g_free);

  /* Neither a web page nor an app action: refused. */
  g_assert_false (bgpt_remediation_resolve ("file:///etc/passwd", "default", NULL, &name, &target));
  g_assert_false (bgpt_remediation_resolve ("win.close", "default", NULL, &name, &target));
  g_assert_false (bgpt_remediation_resolve ("http://example.com", "default", NULL, &name, &target));
}

/* The app, as main() makes it, leaves no core dump with secrets in it. */
static void
test_not_dumpable (void)
{
  struct rlimit limit;

  if (g_test_subprocess ())
    {
      g_autoptr(BgptApplication) debugged = NULL;

      /* GLib 2.78 and later make a test's subprocesses non-dumpable
       * themselves: start dumpable, as any other process does. */
      g_assert_cmpint (prctl (PR_SET_DUMPABLE, 1, 0, 0, 0), ==, 0);
      debugged = bgpt_application_new ();
      /* Asked for, for debugging. */
      g_assert_cmpint (prctl (PR_GET_DUMPABLE, 0, 0, 0, 0), ==, 1);
      return;
    }

  g_assert_cmpint (prctl (PR_GET_DUMPABLE, 0, 0, 0, 0), ==, 0);
  g_assert_cmpint (getrlimit (RLIMIT_CORE, &limit), ==, 0);
  g_assert_cmpuint (limit.rlim_cur, ==, 0);

  g_setenv (BGPT_ALLOW_CORE_DUMPS_ENV, "1", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_unsetenv (BGPT_ALLOW_CORE_DUMPS_ENV);
  g_test_trap_assert_passed ();
}

/* The keyring reads of the monitor and the window give up in time, like
 * the wizard's. */
static void
test_keyring_timeout (void)
{
  g_assert_cmpuint (bgpt_secret_store_get_timeout (bgpt_application_get_secret_store (app)),
                    ==, BGPT_SECRET_STORE_UI_TIMEOUT_S);
}

/* app.open-uri opens what the app links to and nothing else. */
static void
test_known_uris (void)
{
  g_auto(GStrv) templates = g_resources_enumerate_children (RESOURCE_BASE_PATH "/ui/", 0, NULL);
  static const char * const refused[] = {
    "https://example.com", "file:///etc/passwd", "http://status.openai.com",
    "https://status.openai.com.example.com", "https://platform.openai.com/api-keys/../x",
    "", "javascript:alert(1)", NULL,
  };
  g_autoptr(GRegex) target = g_regex_new ("'(https://[^']*)'", 0, 0, NULL);
  gsize n_entries = 0;
  const BgptCatalogEntry *entries = bgpt_catalog_get_entries (&n_entries);
  guint n_links = 0;

  for (gsize i = 0; i < n_entries; i++)
    for (guint j = 0; j < bgpt_catalog_entry_n_steps (&entries[i]); j++)
      if (bgpt_catalog_remediation_is_uri (entries[i].steps[j].remediation))
        g_assert_true (bgpt_remediation_uri_is_known (entries[i].steps[j].remediation));

  /* The links in the windows' templates are known too. */
  g_assert_nonnull (templates);
  for (gsize i = 0; templates[i] != NULL; i++)
    {
      g_autofree char *path = g_strconcat (RESOURCE_BASE_PATH "/ui/", templates[i], NULL);
      g_autoptr(GBytes) bytes = g_resources_lookup_data (path, 0, NULL);
      g_autoptr(GMatchInfo) match = NULL;

      g_regex_match_full (target, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), 0, 0, &match, NULL);
      for (; g_match_info_matches (match); g_match_info_next (match, NULL))
        {
          g_autofree char *uri = g_match_info_fetch (match, 1);

          if (!bgpt_remediation_uri_is_known (uri))
            g_error ("%s links to %s, which app.open-uri refuses", path, uri);
          n_links++;
        }
    }
  g_assert_cmpuint (n_links, >=, 4);
  g_assert_true (bgpt_remediation_uri_is_known ("https://status.openai.com"));

  for (guint i = 0; refused[i] != NULL; i++)
    g_assert_false (bgpt_remediation_uri_is_known (refused[i]));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *state = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/actions/catalog", test_catalog_actions);
  g_test_add_func ("/actions/window", test_window_actions);
  g_test_add_func ("/actions/every-remediation-resolves", test_every_remediation_resolves);
  g_test_add_func ("/actions/resolve-targets", test_resolve_targets);
  g_test_add_func ("/actions/not-dumpable", test_not_dumpable);
  g_test_add_func ("/actions/keyring-timeout", test_keyring_timeout);
  g_test_add_func ("/actions/known-uris", test_known_uris);

  /* The application every test asks, with its state in a throwaway folder. */
  state = g_dir_make_tmp ("bgpt-test-actions-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_STATE_HOME", state, TRUE);
  app = bgpt_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  status = g_test_run ();
  g_object_unref (app);
  bgpt_test_remove_tree (state);
  return status;
}
