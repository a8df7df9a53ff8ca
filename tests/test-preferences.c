/* test-preferences.c: the Preferences window reads and writes the settings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include "bgpt-i18n.h"
#include "bgpt-resources.h"
#include "ui/bgpt-preferences.h"
#include "bgpt-test-utils.h"
#include "bgpt-test-widgets.h"

static gboolean
is_row_titled (GtkWidget     *widget,
               gconstpointer  title)
{
  return ADW_IS_PREFERENCES_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static GtkWidget *
find_row (GtkWidget  *widget,
          const char *title)
{
  return bgpt_test_find_widget (widget, is_row_titled, title);
}

static gboolean
is_switch (GtkWidget     *widget,
           gconstpointer  data)
{
  return GTK_IS_SWITCH (widget);
}

static GtkWidget *
find_switch (GtkWidget *widget)
{
  return bgpt_test_find_widget (widget, is_switch, NULL);
}

static void
test_bound_to_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  GtkWidget *parent = adw_window_new ();
  GtkWidget *preferences;
  AdwComboRow *interval;
  AdwComboRow *failure;
  AdwComboRow *reminder;
  GtkWidget *login;
  g_autoptr(GObject) item = NULL;

  g_settings_set_uint (settings, "check-interval", 300);
  g_settings_set_uint (settings, "failure-threshold", 3);
  gtk_window_present (GTK_WINDOW (parent));
  preferences = bgpt_preferences_present (GTK_WINDOW (parent), settings);
  /* The container that this libadwaita has, not a deprecated one. */
#if ADW_CHECK_VERSION (1, 5, 0)
  g_assert_true (ADW_IS_PREFERENCES_DIALOG (preferences));
  g_assert_true (gtk_widget_is_ancestor (preferences, parent));
#else
  g_assert_true (ADW_IS_PREFERENCES_WINDOW (preferences));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (preferences)) == GTK_WINDOW (parent));
#endif

  /* pt_BR, in plain words. */
  interval = ADW_COMBO_ROW (find_row (GTK_WIDGET (preferences), "Verificar a cada"));
  g_assert_nonnull (interval);
  item = g_list_model_get_item (adw_combo_row_get_model (interval),
                                adw_combo_row_get_selected (interval));
  g_assert_cmpstr (gtk_string_object_get_string (GTK_STRING_OBJECT (item)), ==, "5 minutos");

  failure = ADW_COMBO_ROW (find_row (GTK_WIDGET (preferences),
                                     "Avisar de um problema quando a verificação falhar"));
  g_assert_nonnull (failure);
  g_clear_object (&item);
  item = g_list_model_get_item (adw_combo_row_get_model (failure),
                                adw_combo_row_get_selected (failure));
  g_assert_cmpstr (gtk_string_object_get_string (GTK_STRING_OBJECT (item)), ==, "3 vezes seguidas");

  /* Choosing writes the setting at once. */
  adw_combo_row_set_selected (interval, 6);
  g_assert_cmpuint (g_settings_get_uint (settings, "check-interval"), ==, 3600);
  adw_combo_row_set_selected (failure, 0);
  g_assert_cmpuint (g_settings_get_uint (settings, "failure-threshold"), ==, 1);

  /* A value set elsewhere shows as the nearest choice and is kept. */
  g_settings_set_uint (settings, "check-interval", 1);
  g_assert_cmpuint (adw_combo_row_get_selected (interval), ==, 0);
  g_assert_cmpuint (g_settings_get_uint (settings, "check-interval"), ==, 1);

  /* Reminders follow the notifications switch. */
  reminder = ADW_COMBO_ROW (find_row (GTK_WIDGET (preferences), "Lembrar de problemas em aberto"));
  g_settings_set_boolean (settings, "notifications", FALSE);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (reminder)));
  g_settings_set_boolean (settings, "notifications", TRUE);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (reminder)));

  login = find_switch (find_row (GTK_WIDGET (preferences), "Iniciar ao entrar na sessão"));
  g_assert_nonnull (login);
  gtk_switch_set_active (GTK_SWITCH (login), TRUE);
  g_assert_true (g_settings_get_boolean (settings, "start-at-login"));

#if ADW_CHECK_VERSION (1, 5, 0)
  adw_dialog_force_close (ADW_DIALOG (preferences));
#else
  gtk_window_destroy (GTK_WINDOW (preferences));
#endif
  gtk_window_destroy (GTK_WINDOW (parent));
  g_settings_reset (settings, "check-interval");
  g_settings_reset (settings, "failure-threshold");
  g_settings_reset (settings, "start-at-login");
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  bgpt_test_use_pt_br ();
  bgpt_i18n_init ();
  adw_init ();
  bgpt_register_resource ();

  g_test_add_func ("/preferences/bound-to-settings", test_bound_to_settings);
  return g_test_run ();
}
