/* test-ui-templates.c: every widget template of src/ui builds.
 *
 * gtk4-builder-tool on GTK 4.8 cannot see libadwaita's types, so a broken
 * .ui file would only show when the widget is first made. This makes each
 * one once, under Xvfb. Add your class to widget_types[].
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gtk/gtk.h>

#include "ui/bgpt-application.h"
#include "ui/bgpt-check-row.h"
#include "ui/bgpt-incident-row.h"
#include "ui/bgpt-incidents-view.h"
#include "ui/bgpt-preferences.h"
#include "ui/bgpt-setup-wizard.h"
#include "ui/bgpt-spinner.h"
#include "ui/bgpt-window.h"
#include "ui/bgpt-wizard-check-view.h"
#include "bgpt-resources.h"

typedef GType (*GetType) (void);

static const struct
{
  const char *name;
  GetType     get_type;
} widget_types[] = {
  { "BgptWindow", bgpt_window_get_type },
  { "BgptCheckRow", bgpt_check_row_get_type },
  { "BgptIncidentRow", bgpt_incident_row_get_type },
  { "BgptIncidentsView", bgpt_incidents_view_get_type },
  { "BgptPreferences", bgpt_preferences_get_type },
  { "BgptSetupWizard", bgpt_setup_wizard_get_type },
  { "BgptWizardCheckView", bgpt_wizard_check_view_get_type },
};

static void
test_template (gconstpointer data)
{
  GetType get_type = data;
  GType type = get_type ();
  GtkWidget *widget;

  g_assert_true (g_type_is_a (type, GTK_TYPE_WIDGET));

  widget = g_object_new (type, NULL);
  g_assert_nonnull (widget);
  /* A template that failed to parse leaves its children unset; GTK only
   * warns, and G_DEBUG=fatal-warnings in main() makes that fail. */
  g_assert_nonnull (gtk_widget_get_first_child (widget));

  if (GTK_IS_WINDOW (widget))
    {
      gtk_window_destroy (GTK_WINDOW (widget));
    }
  else
    {
      g_object_ref_sink (widget);
      g_assert_finalize_object (widget);
    }
}

static void
test_help_overlay (void)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (RESOURCE_BASE_PATH "/gtk/help-overlay.ui");
  GObject *overlay = gtk_builder_get_object (builder, "help_overlay");

  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  gtk_window_destroy (GTK_WINDOW (overlay));
}

/* The templates' spinners are made in code, by libadwaita version. */
#if ADW_CHECK_VERSION (1, 6, 0)
# define SPINNER_TYPE ADW_TYPE_SPINNER
#else
# define SPINNER_TYPE GTK_TYPE_SPINNER
#endif

static void
assert_spinner_active (GtkWidget *spinner,
                       gboolean   active)
{
  g_assert_true (gtk_widget_get_visible (spinner) == active);
#if !ADW_CHECK_VERSION (1, 6, 0)
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (spinner)) == active);
#endif
}

static void
test_spinner (void)
{
  GtkWidget *spinner = g_object_ref_sink (bgpt_spinner_new ());

  g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (spinner, SPINNER_TYPE));
  assert_spinner_active (spinner, FALSE);

  bgpt_spinner_set_active (spinner, TRUE);
  assert_spinner_active (spinner, TRUE);

  bgpt_spinner_set_active (spinner, FALSE);
  assert_spinner_active (spinner, FALSE);

  g_assert_finalize_object (spinner);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  bgpt_register_resource ();
  /* Any GtkBuilder warning about a template is a failure. */
  g_log_set_always_fatal (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL);

  for (gsize i = 0; i < G_N_ELEMENTS (widget_types); i++)
    {
      g_autofree char *path = g_strdup_printf ("/templates/%s", widget_types[i].name);

      g_test_add_data_func (path, widget_types[i].get_type, test_template);
    }
  g_test_add_func ("/templates/help-overlay", test_help_overlay);
  g_test_add_func ("/templates/spinner", test_spinner);

  return g_test_run ();
}
