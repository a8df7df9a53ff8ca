/* test-usage-view.c: the "Uso" page under Xvfb, in pt_BR, with a known
 * month read from the simulator through a real monitor: the figures in the
 * chart's accessible description, the budget warning, the line items, and
 * without an admin key the way to add one. With BGPT_SHOTS_DIR set, it
 * also saves the page as PNG in the light and dark styles and 360 px wide.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include "bgpt-i18n.h"
#include "bgpt-simulator.h"
#include "bgpt-test-utils.h"
#include "bgpt-test-widgets.h"
#include "ui/bgpt-costs-chart.h"
#include "ui/bgpt-spending-dialog.h"
#include "ui/bgpt-usage-view.h"

#define ADMIN_KEY "sk-admin-UsageView0123456789abcdef"

typedef struct
{
  BgptSimulator *simulator;
  BgptMonitor   *monitor;
  GSettings     *settings;
  GDateTime     *now;
  GtkWidget     *window;
  BgptUsageView *view;
  guint          changed;
} Fixture;

static void
on_changed (Fixture *fixture)
{
  fixture->changed++;
}

static gboolean
read_once (gpointer user_data)
{
  return ((Fixture *) user_data)->changed > 0;
}

/* 2026-12-15: the month so far cost 2 a day, the fifteen days before 1. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BgptCheckConfig) config = bgpt_check_config_new ("default");
  gboolean with_admin_key = GPOINTER_TO_INT (user_data);
  BgptCostsWatch *watch;
  double usd[30];

  fixture->simulator = bgpt_simulator_new (&error);
  g_assert_no_error (error);
  fixture->now = g_date_time_new_utc (2026, 12, 15, 13, 0, 0);
  for (guint i = 0; i < G_N_ELEMENTS (usd); i++)
    usd[i] = i < 15 ? 1.0 : 2.0;
  usd[25] = 9.0;  /* 2026-12-11: one spike */
  bgpt_simulator_set_costs (fixture->simulator, fixture->now, usd, G_N_ELEMENTS (usd));

  config->display_name = g_strdup ("Loja Exemplo");
  config->openai_base_url = bgpt_simulator_dup_openai_base_url (fixture->simulator);
  if (with_admin_key)
    config->openai_admin_key = g_strdup (ADMIN_KEY);
  config->monthly_budget_usd = 60;

  fixture->settings = g_settings_new ("io.github.bytegpt.Monitor");
  fixture->monitor = bgpt_monitor_new (fixture->settings, NULL);
  watch = bgpt_monitor_get_costs_watch (fixture->monitor);
  bgpt_costs_watch_set_now (watch, fixture->now);
  g_signal_connect_swapped (watch, "changed", G_CALLBACK (on_changed), fixture);
  bgpt_monitor_set_account (fixture->monitor, config);

  fixture->view = BGPT_USAGE_VIEW (bgpt_usage_view_new ());
  bgpt_usage_view_set_now (fixture->view, fixture->now);
  bgpt_usage_view_set_monitor (fixture->view, fixture->monitor);
  fixture->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 640, 900);
  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (fixture->view));
  gtk_window_present (GTK_WINDOW (fixture->window));

  if (with_admin_key)
    {
      bgpt_monitor_start (fixture->monitor);
      g_assert_true (bgpt_test_wait_until (read_once, fixture));
    }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  bgpt_monitor_stop (fixture->monitor);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->monitor);
  g_clear_object (&fixture->settings);
  g_date_time_unref (fixture->now);
  g_assert_finalize_object (fixture->simulator);
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  return bgpt_test_find_widget (widget, bgpt_test_is_of_type, GSIZE_TO_POINTER (type));
}

/* Saves what the window shows as @name.png in BGPT_SHOTS_DIR, if set. */
static void
save_shot (Fixture    *fixture,
           const char *name,
           gboolean    dark,
           int         width)
{
  bgpt_test_save_shot (fixture->window, name, dark, width, 900);
}

static GtkWidget *find_button (GtkWidget  *widget,
                               const char *label);

static void
test_known_month (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autofree char *description = bgpt_usage_view_dup_description (fixture->view, "default");
  GtkWidget *chart = find_type (GTK_WIDGET (fixture->view), BGPT_TYPE_COSTS_CHART);
  const double *days;

  g_test_message ("%s", description);
  g_assert_nonnull (chart);
  days = bgpt_costs_chart_get_days (BGPT_COSTS_CHART (chart));
  g_assert_cmpfloat_with_epsilon (days[0], 1.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (days[25], 9.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (days[29], 2.0, 1e-6);

  /* The same figures as the words, in pt_BR: month to date 37 (14 × 2 +
   * 9), pace (5 × 2 + 9 + 2) / 7 = 3, projection 37 + 3 × 16 = 85, and the
   * budget of 60 reached on the 23rd (37 + 3 × 8 = 61). */
  g_assert_nonnull (strstr (description, "US$ 37,00"));
  g_assert_nonnull (strstr (description, "US$ 3,00"));
  g_assert_nonnull (strstr (description, "US$ 85,00"));
  g_assert_nonnull (strstr (description, "US$ 60,00"));
  g_assert_nonnull (strstr (description, "23/12/2026"));
  g_assert_nonnull (strstr (description, "US$ 9,00"));
  g_assert_true (bgpt_test_has_label_containing (GTK_WIDGET (fixture->view), "US$ 85,00"));

  /* The warning, the top line items. */
  g_assert_true (bgpt_test_has_label_containing (GTK_WIDGET (fixture->view), "Orçamento da OpenAI se esgotando"));
  g_assert_nonnull (find_type (GTK_WIDGET (fixture->view), ADW_TYPE_ACTION_ROW));

  save_shot (fixture, "usage.png", FALSE, 640);
  save_shot (fixture, "usage-dark.png", TRUE, 640);
  save_shot (fixture, "usage-narrow.png", FALSE, 360);
  save_shot (fixture, "usage-narrow-dark.png", TRUE, 360);
}

static void
test_no_admin_key (Fixture       *fixture,
                   gconstpointer  user_data)
{
  GtkWidget *button;

  g_assert_null (bgpt_usage_view_dup_description (fixture->view, "default"));
  g_assert_null (find_type (GTK_WIDGET (fixture->view), BGPT_TYPE_COSTS_CHART));
  g_assert_true (bgpt_test_has_label_containing (GTK_WIDGET (fixture->view), "chave de administrador"));
  button = find_button (GTK_WIDGET (fixture->view), "Abrir chaves de administrador");
  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "app.open-uri");
  g_assert_cmpstr (g_variant_get_string (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (button)), NULL),
                   ==, "https://platform.openai.com/settings/organization/admin-keys");
  save_shot (fixture, "usage-no-admin-key.png", FALSE, 640);
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  return bgpt_test_find_widget (widget, bgpt_test_is_button_labelled, label);
}

static gboolean
label_shows (gpointer user_data)
{
  GtkWidget *window = ((gpointer *) user_data)[0];

  return bgpt_test_has_label_containing (window, ((gpointer *) user_data)[1]);
}

static gboolean
dialog_gone (gpointer user_data)
{
  return *(GtkWidget **) user_data == NULL;
}

/* "Acompanhar gastos": a key that is not an admin key, or one the costs
 * refuse, is not saved; the budget alone is saved in the account's
 * settings. */
static void
test_spending_dialog (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GSettings) settings = g_settings_new_with_path ("io.github.bytegpt.Monitor.Account",
                                                            "/io/github/bytegpt/Monitor/accounts/default/");
  GtkWidget *add = find_button (GTK_WIDGET (fixture->view), "Adicionar chave de administrador");
  GtkWidget *dialog;
  GtkWidget *key_row;
  GtkWidget *save;
  gpointer wait[2];

  g_assert_nonnull (add);
  g_assert_true (gtk_widget_get_visible (add));
  /* The key is tested where the account's OpenAI is. */
  g_settings_set_string (settings, "openai-base-url",
                         bgpt_monitor_get_account_config (fixture->monitor, "default")->openai_base_url);
  dialog = bgpt_spending_dialog_present (GTK_WINDOW (fixture->window), fixture->monitor, "default");
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_assert_true (bgpt_test_has_label_containing (dialog, "só lê os gastos"));
  key_row = find_type (dialog, ADW_TYPE_PASSWORD_ENTRY_ROW);
  save = find_button (dialog, "_Testar e salvar");
  g_assert_nonnull (key_row);
  g_assert_nonnull (save);

  /* A project key: refused before any request. */
  gtk_editable_set_text (GTK_EDITABLE (key_row), "sk-proj-NotAnAdmin0123456789");
  g_signal_emit_by_name (save, "clicked");
  g_assert_true (bgpt_test_has_label_containing (dialog, "sk-admin-"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (key_row)), ==, "");
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, "openai.costs"), ==, 0);

  bgpt_test_save_shot (dialog, "spending-dialog-refused-locally.png", FALSE, 560, 760);
  bgpt_test_save_shot (dialog, "spending-dialog-refused-locally-narrow-dark.png", TRUE, 360, 760);

  /* An admin key the costs refuse: tested live, not saved. */
  bgpt_simulator_set_scenario (fixture->simulator, "openai.costs", BGPT_SCENARIO_ADMIN_KEY_REQUIRED);
  gtk_editable_set_text (GTK_EDITABLE (key_row), ADMIN_KEY);
  g_signal_emit_by_name (save, "clicked");
  wait[0] = dialog;
  wait[1] = (gpointer) "A chave não foi salva";
  g_assert_true (bgpt_test_wait_until (label_shows, wait));
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, "openai.costs"), ==, 1);
  g_assert_nonnull (dialog);

  /* No key typed: only the budget is saved, and the dialog closes. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find_type (dialog, GTK_TYPE_SPIN_BUTTON)), 250);
  g_signal_emit_by_name (save, "clicked");
  g_assert_true (bgpt_test_wait_until (dialog_gone, &dialog));
  g_assert_cmpuint (bgpt_simulator_count_requests (fixture->simulator, "openai.costs"), ==, 1);
  g_assert_cmpfloat (g_settings_get_double (settings, "monthly-budget-usd"), ==, 250);
  g_settings_reset (settings, "monthly-budget-usd");
  g_settings_reset (settings, "openai-base-url");
}

int
main (int   argc,
      char *argv[])
{
  bgpt_test_use_pt_br ();
  bgpt_i18n_init ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/usage-view/known-month", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_known_month, fixture_tear_down);
  g_test_add ("/usage-view/no-admin-key", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_no_admin_key, fixture_tear_down);
  g_test_add ("/usage-view/spending-dialog", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_spending_dialog, fixture_tear_down);

  return g_test_run ();
}
