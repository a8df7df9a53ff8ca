/* test-ui-templates.c: every widget template of src/ui builds.
 *
 * gtk4-builder-tool on GTK 4.8 cannot see libadwaita's types, so a broken
 * .ui file would only show when the widget is first made. This makes each
 * one once, under Xvfb. Add your class to widget_types[].
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "ui/bgpt-application.h"
#include "ui/bgpt-check-detail.h"
#include "ui/bgpt-check-row.h"
#include "ui/bgpt-incident-row.h"
#include "ui/bgpt-incidents-view.h"
#include "ui/bgpt-preferences.h"
#include "ui/bgpt-setup-wizard.h"
#include "ui/bgpt-spinner.h"
#include "ui/bgpt-window.h"
#include "ui/bgpt-wizard-check-view.h"
#include "bgpt-incident-store.h"
#include "bgpt-resources.h"

typedef GType (*GetType) (void);

static const struct
{
  const char *name;
  GetType     get_type;
} widget_types[] = {
  { "BgptWindow", bgpt_window_get_type },
  { "BgptCheckRow", bgpt_check_row_get_type },
  { "BgptCheckDetail", bgpt_check_detail_get_type },
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

static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_LABEL (child) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (child)), text) == 0)
        return child;
      if ((found = find_label (child, text)) != NULL)
        return found;
    }
  return NULL;
}

/* An incident row builds its details (bgpt-incident-details.ui) when it
 * is first opened, and shows only the facts the incident has. */
static void
test_incident_details (void)
{
  g_autofree char *directory = g_dir_make_tmp ("bgpt-test-templates-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (directory, "incidents.json", NULL);
  g_autoptr(BgptIncidentStore) store = bgpt_incident_store_new (path);
  g_autoptr(BgptDiagnosis) diagnosis = bgpt_diagnosis_new (BGPT_CHECK_OPENAI_KEY, "openai.auth");
  BgptIncident *incident;
  GtkWidget *row;

  diagnosis->http_status = 401;
  diagnosis->api_message = g_strdup ("Incorrect API key provided.");
  diagnosis->request_id = g_strdup ("req_0123456789abcdef");
  incident = bgpt_incident_store_report (store, "default", diagnosis);
  row = g_object_ref_sink (bgpt_incident_row_new (incident, "Loja"));
  g_assert_null (find_label (row, "HTTP status"));

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  g_assert_nonnull (find_label (row, "How to Fix It"));
  g_assert_true (gtk_widget_get_visible (find_label (row, "401")));
  g_assert_true (gtk_widget_get_visible (find_label (row, "Incorrect API key provided.")));
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_parent (gtk_widget_get_parent (find_label (row, "req_0123456789abcdef")))));
  /* No detail was given: its fact stays hidden. */
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_parent (find_label (row, "Technical detail"))));

  g_assert_finalize_object (row);
  g_rmdir (directory);
}

/* The windows are on the display the session gives them: a Weston when
 * tests/keyring-session.sh is asked for Wayland (`meson test --setup
 * wayland`), an Xvfb otherwise. */
static void
test_display (void)
{
  const char *wanted = g_strcmp0 (g_getenv ("BGPT_TEST_DISPLAY"), "wayland") == 0
                       ? "GdkWaylandDisplay" : "GdkX11Display";

  g_assert_cmpstr (G_OBJECT_TYPE_NAME (gdk_display_get_default ()), ==, wanted);
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
  g_test_add_func ("/templates/display", test_display);
  g_test_add_func ("/templates/help-overlay", test_help_overlay);
  g_test_add_func ("/templates/spinner", test_spinner);
  g_test_add_func ("/templates/incident-details", test_incident_details);

  return g_test_run ();
}
