/* test-window.c: the main window against the simulator and a real keyring.
 *
 * Runs inside tests/keyring-session.sh --keyfile-settings under Xvfb: a
 * stored account points at the in-process simulator on loopback, whose
 * OpenAI side refuses the stored key. The real application checks it after
 * the window's first frame; the test reads the window in pt_BR, opens the
 * incident, presses its one-click fixes (the link is caught by a throwaway
 * x-scheme-handler/https handler), replaces the key and sees the row
 * recover. Then the Notificações view with 500 stored incidents.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gstdio.h>

#include "bgpt-account-store.h"
#include "bgpt-catalog.h"
#include "bgpt-incident-store.h"
#include "bgpt-secret-store.h"
#include "bgpt-test-utils.h"
#include "bgpt-test-widgets.h"
#include "bgpt-simulator.h"
#include "bgpt-static-network-monitor.h"
#include "bgpt-status-page.h"
#include "ui/bgpt-application.h"
#include "ui/bgpt-check-detail.h"
#include "ui/bgpt-check-row.h"
#include "ui/bgpt-format.h"
#include "ui/bgpt-incident-row.h"
#include "ui/bgpt-incidents-view.h"
#include "ui/bgpt-secret-alert.h"
#include "ui/bgpt-window.h"

#define OLD_KEY   "sk-proj-test0000old0000key0000abcdWXYZ"
#define NEW_KEY   "sk-proj-test1111new1111key1111efghQRST"
#define TOKEN     "kommo-test-token-0123456789abcdef"
#define KEYS_URI  "https://platform.openai.com/api-keys"
#define STATUS_URI "https://status.openai.com"
/* In the environment of the app, as for --check: a browser it starts must
 * not inherit them. */
#define ENV_KEY   "sk-proj-env0000key0000in0000environment"
#define ENV_TOKEN "kommo-env-token-in-the-environment-0123"

static BgptApplication *app;
static BgptWindow *window;
static BgptSimulator *simulator;
static char *opened_log;
static char *environment_log;
static guint n_rounds;
static gint64 round_started_at;
static GPtrArray *activations;

static BgptStaticNetworkMonitor *network;

/* Helpers */

static void on_monitor_busy (BgptMonitor *monitor);

/* The app makes its monitor with the first check (after the window's first
 * frame), and the monitor is busy only once the keyring has answered: the
 * waits below look for it after every iteration, so that no round of it
 * goes uncounted. */
static void
follow_rounds (void)
{
  static BgptMonitor *followed;
  BgptMonitor *monitor = app != NULL ? bgpt_application_get_monitor (app) : NULL;

  if (monitor == NULL || monitor == followed)
    return;
  followed = monitor;
  g_signal_connect (monitor, "notify::busy", G_CALLBACK (on_monitor_busy), NULL);
}

static gboolean
rounds_reached (gpointer data)
{
  return n_rounds >= GPOINTER_TO_UINT (data);
}

/* A round of checks is over when the monitor is no longer busy. */
static void
on_monitor_busy (BgptMonitor *monitor)
{
  if (bgpt_monitor_get_busy (monitor))
    round_started_at = g_get_monotonic_time ();
  else
    n_rounds++;
}

static gboolean
monitor_idle (gpointer data)
{
  return !bgpt_monitor_get_busy (bgpt_application_get_monitor (app));
}

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *found)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (g_type_is_a (G_OBJECT_TYPE (child), type))
        g_ptr_array_add (found, child);
      collect (child, type, found);
    }
}

static GPtrArray *
find_all (GtkWidget *root,
          GType      type)
{
  GPtrArray *found = g_ptr_array_new ();

  collect (root, type, found);
  return found;
}

typedef gboolean (*WidgetMatch) (GtkWidget *widget, gconstpointer data);

/* The first widget of @type under @root that @match accepts, or NULL. */
static GtkWidget *
find_first (GtkWidget     *root,
            GType          type,
            WidgetMatch    match,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) found = find_all (root, type);

  for (guint i = 0; i < found->len; i++)
    if (match (g_ptr_array_index (found, i), data))
      return g_ptr_array_index (found, i);
  return NULL;
}

static gboolean
label_contains (GtkWidget     *label,
                gconstpointer  text)
{
  const char *shown = gtk_label_get_label (GTK_LABEL (label));

  return shown != NULL && strstr (shown, text) != NULL;
}

static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  return find_first (root, GTK_TYPE_LABEL, label_contains, text);
}

static gboolean
has_css_class (GtkWidget     *widget,
               gconstpointer  css_class)
{
  return gtk_widget_has_css_class (widget, css_class);
}

/* The first image under @root with the CSS class @css_class. */
static GtkWidget *
find_image (GtkWidget  *root,
            const char *css_class)
{
  return find_first (root, GTK_TYPE_IMAGE, has_css_class, css_class);
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *action_name,
             const char *target)
{
  g_autoptr(GPtrArray) buttons = find_all (root, GTK_TYPE_BUTTON);

  for (guint i = 0; i < buttons->len; i++)
    {
      GtkActionable *button = g_ptr_array_index (buttons, i);
      GVariant *value = gtk_actionable_get_action_target_value (button);

      if (g_strcmp0 (gtk_actionable_get_action_name (button), action_name) != 0)
        continue;
      if (target == NULL ||
          (value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) &&
           g_str_equal (g_variant_get_string (value, NULL), target)))
        return GTK_WIDGET (button);
    }
  return NULL;
}

static BgptCheckRow *
find_check_row (const char *check)
{
  g_autoptr(GPtrArray) rows = find_all (bgpt_window_get_accounts_box (window), BGPT_TYPE_CHECK_ROW);

  for (guint i = 0; i < rows->len; i++)
    {
      BgptCheckItem *item = bgpt_check_row_get_item (g_ptr_array_index (rows, i));

      if (g_str_equal (bgpt_check_item_get_check (item), check))
        return g_ptr_array_index (rows, i);
    }
  return NULL;
}

/* The row of the incident that the key check raised. */
static char *key_incident_id;

static BgptIncidentRow *
find_key_incident_row (void)
{
  GtkListBox *list = bgpt_incidents_view_get_list_box (bgpt_window_get_incidents_view (window));
  g_autoptr(GPtrArray) rows = find_all (GTK_WIDGET (list), BGPT_TYPE_INCIDENT_ROW);

  for (guint i = 0; i < rows->len; i++)
    {
      BgptIncident *incident = bgpt_incident_row_get_incident (g_ptr_array_index (rows, i));

      if (g_strcmp0 (bgpt_incident_get_id (incident), key_incident_id) == 0)
        return g_ptr_array_index (rows, i);
    }
  return NULL;
}

static void
on_action_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  g_ptr_array_add (activations,
                   g_strdup_printf ("%s(%s)", g_action_get_name (G_ACTION (action)),
                                    parameter != NULL ? g_variant_get_string (parameter, NULL) : ""));
}

/* What a pointer click does (GtkWidget::activate would press the button
 * for a moment first and click later). */
static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  /* On screen, e.g. once an expander row has opened. */
  bgpt_test_assert_until (widget_mapped, button, "the button to be on screen");
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
activation_seen (gpointer data)
{
  for (guint i = 0; i < activations->len; i++)
    if (g_str_equal (g_ptr_array_index (activations, i), data))
      return TRUE;
  return FALSE;
}

static gboolean
uri_opened (gpointer data)
{
  g_autofree char *contents = NULL;

  return g_file_get_contents (opened_log, &contents, NULL, NULL) && strstr (contents, data) != NULL;
}

/* Setup */

static char *
lookup_secret (BgptSecretStore *secrets,
               BgptSecretKind   kind)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *secret;

  bgpt_secret_store_lookup_async (secrets, "default", kind, NULL, bgpt_test_collect_result, &result);
  bgpt_test_await (&result);
  secret = bgpt_secret_store_lookup_finish (secrets, result, &error);
  g_assert_no_error (error);
  return secret;
}

/* A throwaway "web browser": the default https handler of this session
 * writes the address it is given to a file. */
static void
install_https_handler (void)
{
  const char *data_home = g_get_user_data_dir ();
  const char *config_home = g_get_user_config_dir ();
  g_autofree char *applications = g_build_filename (data_home, "applications", NULL);
  g_autofree char *desktop_path = g_build_filename (applications, "bgpt-test-browser.desktop", NULL);
  g_autofree char *mimeapps = g_build_filename (config_home, "mimeapps.list", NULL);
  g_autofree char *script_path = g_build_filename (data_home, "test-browser.sh", NULL);
  g_autofree char *desktop = NULL;
  g_autofree char *script = NULL;
  g_autoptr(GError) error = NULL;

  opened_log = g_build_filename (g_get_user_cache_dir (), "opened-uris.txt", NULL);
  environment_log = g_build_filename (g_get_user_cache_dir (), "browser-environment.txt", NULL);
  g_assert_cmpint (g_mkdir_with_parents (applications, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (data_home, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (config_home, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);

  script = g_strdup_printf ("#!/bin/sh\nenv >> '%s'\nprintf '%%s\\n' \"$1\" >> '%s'\n",
                            environment_log, opened_log);
  g_file_set_contents (script_path, script, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (script_path, 0700), ==, 0);
  desktop = g_strdup_printf ("[Desktop Entry]\n"
                             "Type=Application\n"
                             "Name=Test Browser\n"
                             "Exec=%s %%u\n"
                             "MimeType=x-scheme-handler/https;\n"
                             "NoDisplay=true\n",
                             script_path);
  g_file_set_contents (desktop_path, desktop, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (mimeapps,
                       "[Default Applications]\nx-scheme-handler/https=bgpt-test-browser.desktop\n",
                       -1, &error);
  g_assert_no_error (error);
}

/* Nothing may reach the network before the window's first frame. */
static int requests_at_first_frame = -1;

static void
on_first_after_paint (GdkFrameClock *frame_clock,
                      gpointer       user_data)
{
  if (requests_at_first_frame < 0)
    requests_at_first_frame = bgpt_simulator_count_requests (simulator, NULL);
  g_signal_handlers_disconnect_by_func (frame_clock, on_first_after_paint, user_data);
}

static void
on_window_realized (GtkWidget *widget)
{
  g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                    G_CALLBACK (on_first_after_paint), NULL);
}

static void
on_window_added (GtkApplication *application,
                 GtkWindow      *added)
{
  if (BGPT_IS_WINDOW (added))
    g_signal_connect (added, "realize", G_CALLBACK (on_window_realized), NULL);
}

static guint
incidents_badge (void)
{
  g_autoptr(GPtrArray) stacks = find_all (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK);
  AdwViewStack *stack = g_ptr_array_index (stacks, 0);

  return adw_view_stack_page_get_badge_number (
    adw_view_stack_get_page (stack, adw_view_stack_get_child_by_name (stack, "incidents")));
}

/* Tests */

static void
test_first_check (void)
{
  BgptCheckRow *kommo_row;
  BgptCheckRow *key_row;
  BgptCheckRow *model_row;
  const char *subtitle;
  g_autofree char *latency = NULL;

  /* The window checks once, after its first frame: every account and check,
   * each request sent once (the monitor is the only one that checks). */
  bgpt_test_assert_until (rounds_reached, GUINT_TO_POINTER (1), "the first round of checks");
  g_assert_cmpint (requests_at_first_frame, ==, 0);
  g_assert_cmpuint (bgpt_simulator_count_requests (simulator, "kommo.account"), ==, 1);
  g_assert_cmpuint (bgpt_simulator_count_requests (simulator, "openai.key"), ==, 1);

  kommo_row = find_check_row ("kommo.account");
  key_row = find_check_row ("openai.key");
  g_assert_nonnull (kommo_row);
  g_assert_nonnull (key_row);
  g_assert_nonnull (find_check_row ("openai.model"));
  g_assert_nonnull (find_check_row ("openai.assistant"));

  /* pt_BR titles and states, state in words beside the icon. */
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (kommo_row)), ==, "Conta do Kommo");
  g_assert_nonnull (find_label (GTK_WIDGET (kommo_row), "Funcionando"));
  g_assert_nonnull (find_label (GTK_WIDGET (key_row), "Problema"));
  g_assert_nonnull (find_label (GTK_WIDGET (find_check_row ("openai.assistant")), "Não configurado"));

  /* The name Kommo returned. */
  subtitle = bgpt_check_row_get_subtitle (kommo_row);
  g_assert_nonnull (strstr (subtitle, "Acme Atendimento"));
  g_assert_nonnull (strstr (subtitle, "Verificado agora mesmo"));
  /* The latency as measured: "95 ms" here, "1,2 s" on a busy machine. */
  latency = bgpt_format_latency (bgpt_check_item_get_diagnosis (bgpt_check_row_get_item (kommo_row))->elapsed_ms);
  g_assert_nonnull (strstr (subtitle, latency));

  /* The key: masked to its last four characters, the seed title. */
  subtitle = bgpt_check_row_get_subtitle (key_row);
  g_assert_nonnull (strstr (subtitle, "sk-…WXYZ"));
  g_assert_null (strstr (subtitle, "abcdWXYZ"));
  g_assert_null (strstr (subtitle, OLD_KEY));
  g_assert_nonnull (strstr (subtitle, "Falha na Autenticação da API"));
  key_incident_id = g_strdup (bgpt_check_item_get_incident_id (bgpt_check_row_get_item (key_row)));
  g_assert_nonnull (key_incident_id);
  g_assert_nonnull (find_button (GTK_WIDGET (key_row), "app.show-incident", key_incident_id));
  g_assert_true (gtk_widget_get_visible (find_button (GTK_WIDGET (key_row), "app.show-incident", NULL)));

  /* The model is refused with the same key: it waits for the key, in grey,
   * with no incident or button of its own. */
  model_row = find_check_row ("openai.model");
  g_assert_cmpint (bgpt_check_item_get_state (bgpt_check_row_get_item (model_row)), ==,
                   BGPT_CHECK_ITEM_BLOCKED);
  g_assert_nonnull (find_label (GTK_WIDGET (model_row), "Aguardando a chave de API"));
  g_assert_true (gtk_widget_has_css_class (find_label (GTK_WIDGET (model_row), "Aguardando a chave de API"),
                                           "dim-label"));
  g_assert_null (find_label (GTK_WIDGET (model_row), "Falha na Autenticação da API"));
  g_assert_false (gtk_widget_get_visible (find_button (GTK_WIDGET (model_row), "app.show-incident", NULL)));
  g_assert_nonnull (find_image (GTK_WIDGET (model_row), "status-unknown"));

  /* The summary and the badge: one problem, one incident. */
  g_assert_nonnull (find_label (GTK_WIDGET (window), "1 conexão com problema"));
  g_assert_null (find_label (GTK_WIDGET (window), "conexões com problema"));
  g_assert_cmpuint (bgpt_incident_store_get_n_open (bgpt_application_get_incident_store (app)), ==, 1);
  g_assert_cmpuint (bgpt_incident_store_get_n_unread (bgpt_application_get_incident_store (app)), ==, 1);
  g_assert_cmpuint (incidents_badge (), ==, 1);
}

static GtkWidget *
find_check_detail (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

      if (BGPT_IS_CHECK_DETAIL (toplevel))
        return toplevel;
    }
  return NULL;
}

static gboolean
check_detail_shown (gpointer data)
{
  return find_check_detail () != NULL;
}

/* A click on a check's row, or Enter on it, opens its detail page: both
 * go through its list item's activation. */
static void
test_row_opens_detail (void)
{
  BgptCheckRow *key_row = find_check_row ("openai.key");
  GtkWidget *list_item = gtk_widget_get_parent (gtk_widget_get_parent (GTK_WIDGET (key_row)));

  g_assert_null (find_check_detail ());
  g_assert_true (gtk_widget_activate (list_item));
  bgpt_test_assert_until (check_detail_shown, NULL, "the check's detail page");
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (find_check_detail ())) == GTK_WINDOW (window));
  gtk_window_destroy (GTK_WINDOW (find_check_detail ()));
}

static gboolean
load_error_toast_shown (gpointer data)
{
  return find_label (GTK_WIDGET (window), ".corrupt-") != NULL;
}

/* The history file was damaged: moved aside, and the window says where. */
static void
test_load_error (void)
{
  bgpt_test_assert_until (load_error_toast_shown, NULL, "the toast about the damaged history");
}

static void
test_view_titles (void)
{
  g_autoptr(GPtrArray) stacks = find_all (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK);
  AdwViewStack *stack;
  AdwViewStackPage *page;

  g_assert_cmpuint (stacks->len, ==, 1);
  stack = g_ptr_array_index (stacks, 0);
  page = adw_view_stack_get_page (stack, adw_view_stack_get_child_by_name (stack, "incidents"));
  g_assert_cmpstr (adw_view_stack_page_get_title (page), ==, "Notificações");
  g_assert_true (adw_view_stack_page_get_needs_attention (page));
  g_assert_cmpuint (adw_view_stack_page_get_badge_number (page), >=, 1);
  page = adw_view_stack_get_page (stack, adw_view_stack_get_child_by_name (stack, "status"));
  g_assert_cmpstr (adw_view_stack_page_get_title (page), ==, "Status");
}

static void
test_show_incident (void)
{
  BgptCheckRow *key_row = find_check_row ("openai.key");
  GtkWidget *button = find_button (GTK_WIDGET (key_row), "app.show-incident", NULL);

  click (button);
  g_assert_cmpuint (activations->len, >, 0);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (activations, activations->len - 1), "show-incident("));
}

static gboolean
incident_row_expanded (gpointer data)
{
  BgptIncidentRow *row = find_key_incident_row ();

  return row != NULL && adw_expander_row_get_expanded (ADW_EXPANDER_ROW (row));
}

static void
test_incident_row (void)
{
  const BgptCatalogEntry *entry = bgpt_catalog_lookup ("openai.auth");
  const BgptCatalogStep *steps;
  guint n_steps = 0;
  BgptIncidentRow *row;
  BgptIncident *incident;

  /* The Status row's button opened Notificações at the incident. */
  bgpt_test_assert_until (incident_row_expanded, NULL, "the incident row to be open");
  row = find_key_incident_row ();
  incident = bgpt_incident_row_get_incident (row);

  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Falha na Autenticação da API");
  g_assert_nonnull (strstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), "OpenAI · Loja Teste"));
  /* Opening it marked it read. */
  g_assert_true (bgpt_incident_get_read (incident));

  /* A revoked key: the cause and steps of that reason, numbered, each
   * with its button, then the exchange's details. */
  g_assert_cmpstr (bgpt_incident_get_reason (incident), ==, "invalid_api_key");
  steps = bgpt_catalog_entry_steps_for (entry, "invalid_api_key", &n_steps);
  g_assert_nonnull (find_label (GTK_WIDGET (row), bgpt_catalog_entry_cause_for (entry, "invalid_api_key")));
  g_assert_nonnull (find_label (GTK_WIDGET (row), "A OpenAI não reconhece esta chave de API"));
  g_assert_nonnull (find_label (GTK_WIDGET (row), "Como resolver"));
  for (guint i = 0; i < n_steps; i++)
    {
      g_autofree char *numbered = g_strdup_printf ("%u. ", i + 1);
      g_autoptr(GPtrArray) buttons = find_all (GTK_WIDGET (row), GTK_TYPE_BUTTON);
      gboolean found = FALSE;

      g_assert_nonnull (find_label (GTK_WIDGET (row), numbered));
      for (guint j = 0; j < buttons->len; j++)
        if (g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, j)),
                       g_dgettext (GETTEXT_PACKAGE, steps[i].button_label)) == 0)
          found = TRUE;
      g_assert_true (found);
    }
  g_assert_nonnull (find_label (GTK_WIDGET (row), "Status HTTP"));
  g_assert_nonnull (find_label (GTK_WIDGET (row), "401"));
  g_assert_nonnull (bgpt_incident_get_request_id (incident));
  g_assert_nonnull (find_label (GTK_WIDGET (row), bgpt_incident_get_request_id (incident)));
  g_assert_nonnull (find_button (GTK_WIDGET (row), "incident.copy-request-id", NULL));
  /* The API's own message, without the key it may have echoed. */
  g_assert_nonnull (find_label (GTK_WIDGET (row), "Mensagem da API"));
  g_assert_null (find_label (GTK_WIDGET (row), OLD_KEY));
}

/* The layout holds at 360 px: no view asks for more, with the account's
 * rows and an open incident in it. */
static void
test_narrow (void)
{
  int minimum = 0;

  bgpt_window_set_view (window, "status");
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);

  bgpt_window_set_view (window, "incidents");
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (find_key_incident_row ())));
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);
}

/* Tab reaches the incident's one-click fixes from its row. */
static void
test_keyboard (void)
{
  BgptIncidentRow *row = find_key_incident_row ();
  GtkWidget *keys_button = find_button (GTK_WIDGET (row), "app.open-uri", KEYS_URI);
  GtkWidget *edit_button = find_button (GTK_WIDGET (row), "app.edit-secret", "openai-api-key:default");
  gboolean reached_edit = FALSE;
  gboolean reached_keys = FALSE;

#if GTK_CHECK_VERSION (4, 18, 0)
  /* GTK 4.18 with libadwaita 1.7 (Debian 13): from the row, Tab and the
   * arrows leave the incident list and go on into the hidden Status page,
   * never to the fixes inside the open row. Not fixed yet. */
  g_test_incomplete ("Tab does not reach an open incident row's fixes on GTK 4.18");
  return;
#endif
  gtk_widget_grab_focus (GTK_WIDGET (row));
  for (int i = 0; i < 40 && !(reached_edit && reached_keys); i++)
    {
      GtkWidget *focus;

      g_assert_true (gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD));
      focus = gtk_root_get_focus (GTK_ROOT (window));
      reached_edit |= focus == edit_button;
      reached_keys |= focus == keys_button;
    }
  g_assert_true (reached_edit);
  g_assert_true (reached_keys);
}

static void
test_open_keys_page (void)
{
  BgptIncidentRow *row = find_key_incident_row ();
  GtkWidget *button = find_button (GTK_WIDGET (row), "app.open-uri", KEYS_URI);

  g_assert_nonnull (button);
  click (button);
  bgpt_test_assert_until (activation_seen, (gpointer) "open-uri(" KEYS_URI ")", "app.open-uri");
  bgpt_test_assert_until (uri_opened, (gpointer) KEYS_URI, "the https handler to receive the keys page");
}

/* The browser started for a link does not inherit secrets. */
static void
test_child_environment (void)
{
  g_autofree char *environment = NULL;
  const char * const names[] = { "OPENAI_API_KEY=", "KOMMO_TOKEN=", "OPENAI_ADMIN_KEY=", NULL };

  bgpt_test_assert_until (uri_opened, (gpointer) KEYS_URI, "the https handler to receive the keys page");
  g_assert_true (g_file_get_contents (environment_log, &environment, NULL, NULL));
  /* The handler did write its environment. */
  g_assert_nonnull (strstr (environment, "HOME="));
  for (guint i = 0; names[i] != NULL; i++)
    g_assert_null (strstr (environment, names[i]));
  g_assert_null (strstr (environment, ENV_KEY));
  g_assert_null (strstr (environment, ENV_TOKEN));
}

/* `gdbus call` from another process, as any program of the user can. */
typedef struct
{
  gboolean done;
  gboolean ok;
} Call;

static void
on_gdbus_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Call *call = user_data;

  call->ok = g_subprocess_wait_check_finish (G_SUBPROCESS (source), result, NULL);
  call->done = TRUE;
}

static gboolean
call_done (gpointer data)
{
  return ((Call *) data)->done;
}

static void
gdbus_activate (const char *action,
                const char *parameter)
{
  GDBusConnection *connection = g_application_get_dbus_connection (G_APPLICATION (app));
  g_autofree char *parameters = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  Call call = { FALSE, FALSE };

  if (parameter != NULL)
    {
      g_autoptr(GVariant) variant = g_variant_ref_sink (g_variant_new_string (parameter));
      g_autofree char *text = g_variant_print (variant, FALSE);

      parameters = g_strdup_printf ("[<%s>]", text);
    }
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                              "gdbus", "call", "--session",
                              "--dest", g_dbus_connection_get_unique_name (connection),
                              "--object-path", g_application_get_dbus_object_path (G_APPLICATION (app)),
                              "--method", "org.gtk.Actions.Activate",
                              action, parameters != NULL ? parameters : "[]", "{}", NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check_async (process, NULL, on_gdbus_done, &call);
  bgpt_test_assert_until (call_done, &call, "gdbus call");
  g_assert_true (call.ok);
}

static GtkWindow *
find_wizard (void)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (!BGPT_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

static gboolean
activation_count_reached (gpointer data)
{
  return activations->len >= GPOINTER_TO_UINT (data);
}

static void on_clipboard_text (GObject *source, GAsyncResult *result, gpointer user_data);
static gboolean text_ready (gpointer data);

/* Every exported action with what a hostile caller could pass: refused,
 * nothing opened, nothing shown, nothing copied. */
static void
test_hostile_dbus_calls (void)
{
  g_autofree char *long_text = g_strnfill (60000, 'a');
  g_autofree char *long_uri = g_strconcat ("https://", long_text, ".example.com/", NULL);
  g_autofree char *long_secret_target = g_strconcat ("openai-api-key:", long_text, NULL);
  g_autofree char *opened = NULL;
  g_autofree char *clipboard_text = NULL;
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (window));
  const char * const uris[] = {
    "https://example.com", "file:///etc/passwd", "http://127.0.0.1:1/", KEYS_URI "/../../evil",
    "javascript:alert(1)", "", long_uri, NULL,
  };
  const char * const accounts[] = { "nobody", "default/../x", long_text, NULL };
  const char * const incidents[] = { "no-such-incident", "", long_text, NULL };
  guint expected;

  gdk_clipboard_set_text (clipboard, "sentinel");
  expected = activations->len;

  for (guint i = 0; uris[i] != NULL; i++, expected++)
    gdbus_activate ("open-uri", uris[i]);
  for (guint i = 0; accounts[i] != NULL; i++, expected += 2)
    {
      g_autofree char *target = g_strconcat ("openai-api-key:", accounts[i], NULL);

      gdbus_activate ("edit-secret", target);
      gdbus_activate ("edit-account", accounts[i]);
    }
  gdbus_activate ("edit-secret", long_secret_target);
  expected++;
  for (guint i = 0; incidents[i] != NULL; i++, expected++)
    gdbus_activate ("copy-details", incidents[i]);

  /* A good call last: once its page is open, the others had their chance. */
  gdbus_activate ("open-uri", STATUS_URI);
  expected++;
  bgpt_test_assert_until (activation_count_reached, GUINT_TO_POINTER (expected), "the calls to arrive");
  bgpt_test_assert_until (uri_opened, (gpointer) STATUS_URI, "the status page to open");

  g_assert_true (g_file_get_contents (opened_log, &opened, NULL, NULL));
  g_assert_null (strstr (opened, "example.com"));
  g_assert_null (strstr (opened, "passwd"));
  g_assert_null (strstr (opened, "evil"));
  g_assert_null (strstr (opened, "127.0.0.1"));
  g_assert_null (bgpt_secret_alert_find (GTK_WINDOW (window)));
  g_assert_null (find_wizard ());

  gdk_clipboard_read_text_async (clipboard, NULL, on_clipboard_text, &clipboard_text);
  bgpt_test_assert_until (text_ready, &clipboard_text, "the clipboard");
  g_assert_cmpstr (clipboard_text, ==, "sentinel");
}

/* A loop of "check now" over D-Bus is not a loop of requests. */
static void
test_check_now_rate_limited (void)
{
  guint rounds = n_rounds;
  gint64 first;

  gdbus_activate ("check-now", NULL);
  bgpt_test_assert_until (rounds_reached, GUINT_TO_POINTER (rounds + 1), "the first round");
  first = round_started_at;

  gdbus_activate ("check-now", NULL);
  for (guint i = 0; i < 5; i++)
    gdbus_activate ("check-now", NULL);
  bgpt_test_assert_until (rounds_reached, GUINT_TO_POINTER (rounds + 2), "the second round");
  /* Not before the interval, and the calls in between made one round. */
  g_assert_cmpint (round_started_at - first, >=, 9 * G_USEC_PER_SEC);
  g_assert_cmpuint (n_rounds, ==, rounds + 2);
}

static void
on_clipboard_text (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  *(char **) user_data = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  if (*(char **) user_data == NULL)
    *(char **) user_data = g_strdup ("");
}

static gboolean
text_ready (gpointer data)
{
  return *(char **) data != NULL;
}

static void
test_copy_details (void)
{
  BgptIncidentRow *row = find_key_incident_row ();
  BgptIncident *incident = bgpt_incident_row_get_incident (row);
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (window));
  g_autofree char *text = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (app), "copy-details",
                                  g_variant_new_string (bgpt_incident_get_id (incident)));
  gdk_clipboard_read_text_async (clipboard, NULL, on_clipboard_text, &text);
  bgpt_test_assert_until (text_ready, &text, "the clipboard");
  g_assert_nonnull (strstr (text, bgpt_incident_get_request_id (incident)));
  g_assert_null (strstr (text, OLD_KEY));
  g_assert_null (strstr (text, TOKEN));
}

static gboolean
dialog_shown (gpointer data)
{
  return bgpt_secret_alert_find (GTK_WINDOW (window)) != NULL;
}

static gboolean
key_row_ok (gpointer data)
{
  BgptCheckRow *row = find_check_row ("openai.key");

  return bgpt_check_item_get_state (bgpt_check_row_get_item (row)) == BGPT_CHECK_ITEM_OK;
}

static void
test_replace_key (void)
{
  BgptIncidentRow *row = find_key_incident_row ();
  BgptIncident *incident = bgpt_incident_row_get_incident (row);
  GtkWidget *button = find_button (GTK_WIDGET (row), "app.edit-secret", "openai-api-key:default");
  g_autoptr(BgptSecretStore) secrets = bgpt_secret_store_new ();
  g_autofree char *stored = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  GtkWidget *dialog;
  guint rounds = n_rounds;

  g_assert_nonnull (button);
  click (button);
  bgpt_test_assert_until (dialog_shown, NULL, "the key dialog");
  dialog = bgpt_secret_alert_find (GTK_WINDOW (window));
#if ADW_CHECK_VERSION (1, 5, 0)
  g_assert_true (ADW_IS_ALERT_DIALOG (dialog));
#endif
  g_assert_cmpstr (bgpt_secret_alert_get_heading (dialog), ==, "Trocar a chave da OpenAI");

  entries = find_all (dialog, GTK_TYPE_PASSWORD_ENTRY);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_false (bgpt_secret_alert_get_save_enabled (dialog));
  gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (entries, 0)), NEW_KEY);
  g_assert_true (bgpt_secret_alert_get_save_enabled (dialog));
  /* Enter in the entry saves, as the Save button does. */
  g_signal_emit_by_name (g_ptr_array_index (entries, 0), "activate");
  g_assert_null (bgpt_secret_alert_find (GTK_WINDOW (window)));

  /* Stored, re-checked at once, and the row recovers by itself. */
  bgpt_test_assert_until (rounds_reached, GUINT_TO_POINTER (rounds + 1), "the re-check after the fix");
  bgpt_test_assert_until (key_row_ok, NULL, "the key row to show that the key works");
  stored = lookup_secret (secrets, BGPT_SECRET_KIND_OPENAI_API_KEY);
  g_assert_cmpstr (stored, ==, NEW_KEY);
  g_assert_nonnull (strstr (bgpt_check_row_get_subtitle (find_check_row ("openai.key")), "sk-…QRST"));
  g_assert_false (bgpt_incident_is_open (incident));
  g_assert_false (gtk_widget_get_visible (find_button (GTK_WIDGET (find_check_row ("openai.key")),
                                                       "app.show-incident", NULL)));
  /* Resolved: nothing open is left to look at. */
  g_assert_cmpuint (incidents_badge (), ==, 0);
}

/* The "Acompanhar gastos" window, or NULL. */
static GtkWidget *
find_spending_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (g_strcmp0 (gtk_window_get_title (toplevel), "Acompanhar gastos") == 0)
        return GTK_WIDGET (toplevel);
    }
  return NULL;
}

static gboolean
spending_dialog_says (gpointer data)
{
  GtkWidget *dialog = find_spending_dialog ();

  return dialog != NULL && bgpt_test_has_label_containing (dialog, data);
}

/* app.edit-secret::openai-admin-key goes through "Acompanhar gastos": the
 * key is tested live, and one the costs refuse is not stored. */
static void
test_edit_admin_key (void)
{
  g_autoptr(BgptSecretStore) secrets = bgpt_secret_store_new ();
  g_autofree char *stored = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  GtkWidget *dialog;
  guint requests = bgpt_simulator_count_requests (simulator, "openai.costs");

  g_action_group_activate_action (G_ACTION_GROUP (app), "edit-secret",
                                  g_variant_new_string ("openai-admin-key:default"));
  dialog = find_spending_dialog ();
  g_assert_nonnull (dialog);
  g_assert_null (bgpt_secret_alert_find (GTK_WINDOW (window)));
  g_assert_true (bgpt_test_has_label_containing (dialog, "só lê os gastos"));

  bgpt_simulator_set_scenario (simulator, "openai.costs", BGPT_SCENARIO_ADMIN_KEY_REQUIRED);
  entries = find_all (dialog, ADW_TYPE_PASSWORD_ENTRY_ROW);
  g_assert_cmpuint (entries->len, ==, 1);
  gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (entries, 0)), "sk-admin-bgptLEAKCHECKrefusedWindow42");
  click (bgpt_test_find_widget (dialog, bgpt_test_is_button_labelled, "_Testar e salvar"));
  bgpt_test_assert_until (spending_dialog_says, (gpointer) "A chave não foi salva", "the refusal");
  g_assert_true (bgpt_test_has_label_containing (dialog, "A OpenAI se recusou a mostrar os gastos"));
  g_assert_cmpuint (bgpt_simulator_count_requests (simulator, "openai.costs"), ==, requests + 1);
  stored = lookup_secret (secrets, BGPT_SECRET_KIND_OPENAI_ADMIN_KEY);
  g_assert_null (stored);

  bgpt_simulator_set_scenario (simulator, "openai.costs", BGPT_SCENARIO_OK);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_null (find_spending_dialog ());
}

static gboolean
key_row_near (gpointer data)
{
  BgptCheckItem *item = bgpt_check_row_get_item (find_check_row ("openai.key"));
  const BgptDiagnosis *diagnosis = bgpt_check_item_get_diagnosis (item);

  return bgpt_check_item_get_state (item) == BGPT_CHECK_ITEM_PROBLEM && diagnosis != NULL &&
         g_strcmp0 (diagnosis->error_id, "openai.rate-limit-near") == 0;
}

static GtkLevelBar *
find_headroom_bar (BgptCheckRow *row)
{
  g_autoptr(GPtrArray) bars = find_all (GTK_WIDGET (row), GTK_TYPE_LEVEL_BAR);

  g_assert_cmpuint (bars->len, ==, 1);
  return g_ptr_array_index (bars, 0);
}

/* The key's row shows the organization's rate-limit headroom, in words for
 * a screen reader too; under 10 % it warns, and the model is not blocked. */
static void
test_rate_limit_headroom (void)
{
  BgptCheckRow *key_row = find_check_row ("openai.key");
  GtkLevelBar *bar = find_headroom_bar (key_row);

  /* replace-key left the key working, with the simulator's usual headroom. */
  g_assert_true (key_row_ok (NULL));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (bar)));
  g_assert_nonnull (strstr (bgpt_check_row_get_subtitle (key_row),
                            "Limite: 4.980 de 5.000 requisições, 1,9 M de 2 M tokens"));
  gtk_test_accessible_assert_property (bar, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Folga restante no limite de requisições: "
                                       "4.980 de 5.000 requisições, 1,9 M de 2 M tokens");
  /* The tighter of the two: 1.9 M of 2 M tokens. */
  g_assert_cmpfloat_with_epsilon (gtk_level_bar_get_value (bar), 0.95, 1e-9);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (find_headroom_bar (find_check_row ("kommo.account")))));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (find_headroom_bar (find_check_row ("openai.model")))));

  bgpt_simulator_set_rate_limit_headers (simulator, BGPT_RATE_LIMIT_HEADERS_NEAR);
  g_action_group_activate_action (G_ACTION_GROUP (app), "check-now", NULL);
  bgpt_test_assert_until (key_row_near, NULL, "the near-limit warning on the key row");
  g_assert_nonnull (strstr (bgpt_check_row_get_subtitle (key_row),
                            "Limite de Requisições da OpenAI Quase Atingido"));
  gtk_test_accessible_assert_property (bar, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Folga restante no limite de requisições: "
                                       "4.980 de 5.000 requisições, 150 mil de 2 M tokens");
  g_assert_cmpint (bgpt_check_item_get_state (bgpt_check_row_get_item (find_check_row ("openai.model"))), !=,
                   BGPT_CHECK_ITEM_BLOCKED);
  /* The bar beside the state and the incident's button still fits 360 px. */
  {
    int minimum = 0;

    gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
    g_assert_cmpint (minimum, <=, 360);
  }

  bgpt_simulator_set_rate_limit_headers (simulator, BGPT_RATE_LIMIT_HEADERS_NORMAL);
  g_action_group_activate_action (G_ACTION_GROUP (app), "check-now", NULL);
  bgpt_test_assert_until (key_row_ok, NULL, "the key row fine again");
}

static GtkListBox *many_list;

static gboolean
list_has_rows (gpointer data)
{
  g_autoptr(GPtrArray) rows = find_all (GTK_WIDGET (many_list), BGPT_TYPE_INCIDENT_ROW);

  return rows->len == GPOINTER_TO_UINT (data);
}

static gboolean
offline_shown (gpointer data)
{
  return find_label (GTK_WIDGET (window), "Sem conexão de rede") != NULL;
}

/* The network goes away: checks pause and every check says why; it comes
 * back: the window checks again at once. */
static void
test_offline (void)
{
  BgptCheckRow *key_row = find_check_row ("openai.key");
  guint rounds;
  guint requests;

  bgpt_window_set_view (window, "status");
  bgpt_static_network_monitor_set_available (network, FALSE);
  bgpt_test_assert_until (offline_shown, NULL, "the window to say the network is down");
  /* What was in flight is cancelled. */
  bgpt_test_assert_until (monitor_idle, NULL, "the monitor to pause");
  rounds = n_rounds;
  g_assert_cmpint (bgpt_check_item_get_state (bgpt_check_row_get_item (key_row)), ==, BGPT_CHECK_ITEM_UNKNOWN);
  g_assert_nonnull (find_label (GTK_WIDGET (key_row), "Desconhecido"));
  g_assert_nonnull (strstr (bgpt_check_row_get_subtitle (key_row), "Sem rede"));

  /* Verificar agora does nothing on the wire while offline. */
  requests = bgpt_simulator_count_requests (simulator, NULL);
  g_action_group_activate_action (G_ACTION_GROUP (app), "check-now", NULL);
  g_assert_false (bgpt_monitor_get_busy (bgpt_application_get_monitor (app)));
  g_assert_cmpuint (bgpt_simulator_count_requests (simulator, NULL), ==, requests);
  g_assert_true (offline_shown (NULL));

  bgpt_static_network_monitor_set_available (network, TRUE);
  bgpt_test_assert_until (rounds_reached, GUINT_TO_POINTER (rounds + 1), "the round when the network is back");
  g_assert_cmpuint (bgpt_simulator_count_requests (simulator, NULL), >, requests);
  bgpt_test_assert_until (key_row_ok, NULL, "the key row to show the key works again");
  g_assert_false (offline_shown (NULL));
}

/* 500 stored incidents: the view opens a page of rows, shows more on
 * demand and can reveal an old one. */
/* An empty store in a directory of its own, loaded. */
static BgptIncidentStore *
new_loaded_store (void)
{
  g_autofree char *dir = g_dir_make_tmp ("bgpt-test-window-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "incidents.json", NULL);

  return bgpt_test_incident_store_new_loaded (path);
}

/* A 360 px window showing @store's incidents; destroy it when done. */
static GtkWidget *
present_incidents_view (BgptIncidentStore  *store,
                        BgptIncidentsView **view)
{
  GtkWidget *toplevel = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (toplevel), 360, 600);
  *view = g_object_new (BGPT_TYPE_INCIDENTS_VIEW, NULL);
  gtk_window_set_child (GTK_WINDOW (toplevel), GTK_WIDGET (*view));
  bgpt_incidents_view_set_store (*view, store);
  gtk_window_present (GTK_WINDOW (toplevel));
  bgpt_test_assert_until (widget_mapped, *view, "the incidents view");
  return toplevel;
}

static void
test_many_incidents (void)
{
  g_autoptr(BgptIncidentStore) store = new_loaded_store ();
  BgptIncidentsView *view;
  GtkWidget *toplevel;
  GtkListBox *list;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *old_id = NULL;

  for (guint i = 0; i < 500; i++)
    {
      g_autofree char *account = g_strdup_printf ("loja-%03u", i);
      g_autoptr(BgptDiagnosis) diagnosis = bgpt_diagnosis_new ("openai.key", "openai.auth");

      diagnosis->http_status = 401;
      diagnosis->request_id = g_strdup_printf ("req_%u", i);
      bgpt_incident_store_report (store, account, diagnosis);
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 500);
  {
    g_autoptr(BgptIncident) old = g_list_model_get_item (G_LIST_MODEL (store), 450);
    old_id = g_strdup (bgpt_incident_get_id (old));
  }

  toplevel = present_incidents_view (store, &view);

  /* A window's worth at first, the rest of the page after that frame. */
  many_list = bgpt_incidents_view_get_list_box (view);
  bgpt_incidents_view_populate (view);
  list = bgpt_incidents_view_get_list_box (view);
  rows = find_all (GTK_WIDGET (list), BGPT_TYPE_INCIDENT_ROW);
  g_assert_cmpuint (rows->len, >, 0);
  g_assert_cmpuint (rows->len, <=, 10);
  bgpt_test_assert_until (list_has_rows, GUINT_TO_POINTER (50), "a page of incident rows");
  g_assert_true (gtk_widget_get_visible (find_button (GTK_WIDGET (view), "incidents.show-more", NULL)));
  /* Newest first. */
  g_assert_true (bgpt_incident_row_get_incident (BGPT_INCIDENT_ROW (gtk_list_box_get_row_at_index (list, 0))) ==
                 g_list_model_get_item (G_LIST_MODEL (store), 0));
  g_object_unref (g_list_model_get_item (G_LIST_MODEL (store), 0));

  gtk_widget_activate_action (GTK_WIDGET (view), "incidents.show-more", NULL);
  bgpt_test_assert_until (list_has_rows, GUINT_TO_POINTER (100), "the next page of incident rows");

  /* An old incident, from a notification: revealed and opened. */
  g_assert_true (bgpt_incidents_view_reveal (view, old_id));
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (gtk_list_box_get_row_at_index (list, 450))));

  /* Mark all read, clear resolved (none resolved yet: nothing goes). */
  g_assert_true (bgpt_incident_store_get_n_unread (store) > 0);
  gtk_widget_activate_action (GTK_WIDGET (view), "incidents.mark-all-read", NULL);
  g_assert_cmpuint (bgpt_incident_store_get_n_unread (store), ==, 0);
  bgpt_incident_store_resolve (store, "loja-000", "openai.key");
  gtk_widget_activate_action (GTK_WIDGET (view), "incidents.clear-resolved", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 499);

  gtk_window_destroy (GTK_WINDOW (toplevel));
}

/* One diagnosis per reason with its own remedy, and what its row must say
 * in pt_BR: the cause, and a step's button. */
static const struct
{
  const char *check;
  const char *error_id;
  const char *reason;
  guint       status;
  const char *cause_has;
  const char *button;
} reason_rows[] = {
  { "openai.key", "openai.auth", "missing_scopes", 401,
    "Não é preciso criar outra chave", "Abrir API Keys" },
  { "openai.key", "openai.auth", "ip_not_authorized", 401,
    "é o IP público deste computador, e não o dos servidores do ByteGPT",
    "Abrir Configurações de Segurança" },
  { "openai.key", "openai.auth", "account_deactivated", 401,
    "Uma chave nova não resolve", "Ajuda da OpenAI" },
  { "openai.key", "openai.auth", "organization", 401,
    "não faz parte de nenhuma organização", "Gerar API Key" },
  { "openai.quota", "openai.quota", "billing_not_active", 429,
    "a cobrança não está ativa", "Abrir Cobrança" },
  { "openai.quota", "openai.quota", "project_spend_limit_exceeded", 429,
    "O projeto desta chave na OpenAI chegou ao limite de gastos", "Abrir Limites" },
  { "openai.quota", "openai.rate-limit", "slow_down", 429,
    "Não é lentidão da OpenAI", "Verificar Novamente" },
  { "openai.assistant", "openai.assistant", "assistants_api_shut_down", 404,
    "desligou toda a API de Assistants em 26/08/2026", "Descontinuações" },
  { "openai.model", "openai.model-retiring", NULL, 200,
    "A OpenAI programou a saída do modelo configurado", "Descontinuações" },
};

static void
test_reason_rows (void)
{
  g_autoptr(BgptIncidentStore) store = new_loaded_store ();
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  BgptIncidentsView *view;
  GtkWidget *toplevel;

  for (guint i = 0; i < G_N_ELEMENTS (reason_rows); i++)
    {
      g_autofree char *account = g_strdup_printf ("loja-%u", i);
      g_autoptr(BgptDiagnosis) diagnosis = bgpt_diagnosis_new (reason_rows[i].check,
                                                               reason_rows[i].error_id);
      BgptIncident *incident;

      diagnosis->http_status = reason_rows[i].status;
      diagnosis->reason = g_strdup (reason_rows[i].reason);
      if (reason_rows[i].reason == NULL)
        diagnosis->detail = g_strdup ("A OpenAI vai desativar o modelo “gpt-4o-mini” em 14/01/2027.");
      incident = bgpt_incident_store_report (store, account, diagnosis);
      g_ptr_array_add (ids, g_strdup (bgpt_incident_get_id (incident)));
    }

  toplevel = present_incidents_view (store, &view);
  bgpt_incidents_view_populate (view);

  for (guint i = 0; i < G_N_ELEMENTS (reason_rows); i++)
    {
      g_autoptr(GPtrArray) rows = NULL;
      BgptIncidentRow *row = NULL;
      g_autoptr(GPtrArray) buttons = NULL;
      gboolean found = FALSE;

      g_assert_true (bgpt_incidents_view_reveal (view, g_ptr_array_index (ids, i)));
      rows = find_all (GTK_WIDGET (view), BGPT_TYPE_INCIDENT_ROW);
      for (guint j = 0; j < rows->len; j++)
        if (g_str_equal (bgpt_incident_get_id (bgpt_incident_row_get_incident (g_ptr_array_index (rows, j))),
                         g_ptr_array_index (ids, i)))
          row = g_ptr_array_index (rows, j);
      g_assert_nonnull (row);
      g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (row)));

      if (find_label (GTK_WIDGET (row), reason_rows[i].cause_has) == NULL)
        g_error ("%s/%s: no “%s” in its row", reason_rows[i].error_id,
                 reason_rows[i].reason, reason_rows[i].cause_has);
      buttons = find_all (GTK_WIDGET (row), GTK_TYPE_BUTTON);
      for (guint j = 0; j < buttons->len; j++)
        found |= g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, j)),
                            reason_rows[i].button) == 0;
      if (!found)
        g_error ("%s/%s: no button “%s” in its row", reason_rows[i].error_id,
                 reason_rows[i].reason, reason_rows[i].button);
      if (reason_rows[i].reason != NULL)
        {
          g_assert_nonnull (find_label (GTK_WIDGET (row), "Motivo"));
          g_assert_nonnull (find_label (GTK_WIDGET (row), reason_rows[i].reason));
        }
      else
        {
          g_assert_nonnull (find_label (GTK_WIDGET (row), "Modelo da OpenAI será desativado em breve"));
          g_assert_nonnull (find_label (GTK_WIDGET (row), "em 14/01/2027"));
        }
    }

  gtk_window_destroy (GTK_WINDOW (toplevel));
}

static void
serve_status (SoupServer        *server,
              SoupServerMessage *message,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  static const char body[] =
    "{\"page\":{\"name\":\"OpenAI\"},\"components\":["
    "{\"id\":\"a\",\"name\":\"APIs\",\"status\":\"degraded_performance\",\"group\":true,\"group_id\":null},"
    "{\"id\":\"b\",\"name\":\"Responses\",\"status\":\"degraded_performance\",\"group\":false,\"group_id\":\"a\"},"
    "{\"id\":\"c\",\"name\":\"ChatGPT\",\"status\":\"operational\",\"group\":true,\"group_id\":null}],"
    "\"status\":{\"indicator\":\"minor\",\"description\":\"Partially Degraded Service\"}}";

  (*(guint *) user_data)++;
  soup_server_message_set_status (message, 200, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_STATIC, body, strlen (body));
}

static gboolean
provider_status_shown (gpointer data)
{
  return find_label (data, "A API no status.openai.com:") != NULL;
}

/* A timeout incident shows what status.openai.com says, read from a
 * stand-in on loopback, without holding the row up. */
static void
test_provider_status (void)
{
  g_autoptr(BgptIncidentStore) store = new_loaded_store ();
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(BgptStatusPage) status_page = NULL;
  g_autoptr(BgptDiagnosis) diagnosis = bgpt_diagnosis_new ("openai.key", "openai.timeout");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *base_url = NULL;
  BgptIncidentsView *view;
  GtkListBoxRow *row;
  GtkWidget *toplevel;
  GtkWidget *label;
  guint n_requests = 0;

  soup_server_add_handler (server, "/api/v2/summary.json", serve_status, &n_requests, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  status_page = bgpt_status_page_new (base_url);

  bgpt_incident_store_report (store, "default", diagnosis);

  toplevel = gtk_window_new ();
  view = g_object_new (BGPT_TYPE_INCIDENTS_VIEW, NULL);
  bgpt_incidents_view_set_status_page (view, status_page);
  bgpt_incidents_view_set_store (view, store);
  gtk_window_set_child (GTK_WINDOW (toplevel), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (toplevel));
  bgpt_incidents_view_populate (view);

  row = gtk_list_box_get_row_at_index (bgpt_incidents_view_get_list_box (view), 0);
  g_assert_true (BGPT_IS_INCIDENT_ROW (row));
  g_assert_cmpuint (n_requests, ==, 0);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  bgpt_test_assert_until (provider_status_shown, row, "what status.openai.com says");
  label = find_label (GTK_WIDGET (row), "A API no status.openai.com:");
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (label)),
                            bgpt_status_indicator_describe (BGPT_STATUS_INDICATOR_MINOR)));
  g_assert_cmpuint (n_requests, ==, 1);

  gtk_window_destroy (GTK_WINDOW (toplevel));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  GAction *action;
  int status;

  g_setenv ("OPENAI_API_KEY", ENV_KEY, TRUE);
  g_setenv ("KOMMO_TOKEN", ENV_TOKEN, TRUE);
  g_setenv ("OPENAI_ADMIN_KEY", ENV_KEY, TRUE);
  /* GTK's in-process accessibility backend: accessible names can be read
   * back, and still no accessibility bus is joined. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  bgpt_test_use_pt_br ();

  install_https_handler ();
  {
    g_autofree char *state = g_build_filename (g_get_user_state_dir (), "bytegpt-monitor", NULL);
    g_autofree char *history = g_build_filename (state, "incidents.json", NULL);

    g_assert_cmpint (g_mkdir_with_parents (state, 0700), ==, 0);
    g_assert_true (g_file_set_contents (history, "{\"version\":1,\"incidents\":[", -1, NULL));
  }
  activations = g_ptr_array_new_with_free_func (g_free);

  simulator = bgpt_simulator_new (&error);
  g_assert_no_error (error);
  bgpt_simulator_set_refused_credential (simulator, OLD_KEY);
  bgpt_test_store_simulator_account (simulator, OLD_KEY, TOKEN);

  app = bgpt_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  bgpt_test_set_wait_hook (follow_rounds);
  network = BGPT_STATIC_NETWORK_MONITOR (bgpt_static_network_monitor_new (TRUE));
  bgpt_application_set_network_monitor (app, G_NETWORK_MONITOR (network));
  for (const char * const *name = (const char * const[]) { "open-uri", "show-incident", "edit-secret", "copy-details",
                                                            "edit-account", "check-now", NULL };
       *name != NULL; name++)
    {
      action = g_action_map_lookup_action (G_ACTION_MAP (app), *name);
      g_signal_connect (action, "activate", G_CALLBACK (on_action_activated), NULL);
    }

  g_signal_connect (app, "window-added", G_CALLBACK (on_window_added), NULL);
  g_application_activate (G_APPLICATION (app));
  bgpt_test_assert_until (bgpt_test_app_window_shown, app, "the window");
  window = BGPT_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));

  g_test_add_func ("/window/first-check", test_first_check);
  g_test_add_func ("/window/row-opens-detail", test_row_opens_detail);
  g_test_add_func ("/window/view-titles", test_view_titles);
  g_test_add_func ("/window/load-error", test_load_error);
  g_test_add_func ("/window/show-incident", test_show_incident);
  g_test_add_func ("/window/incident-row", test_incident_row);
  g_test_add_func ("/window/narrow", test_narrow);
  g_test_add_func ("/window/keyboard", test_keyboard);
  g_test_add_func ("/window/open-keys-page", test_open_keys_page);
  g_test_add_func ("/window/child-environment", test_child_environment);
  g_test_add_func ("/window/copy-details", test_copy_details);
  g_test_add_func ("/window/hostile-dbus-calls", test_hostile_dbus_calls);
  g_test_add_func ("/window/replace-key", test_replace_key);
  g_test_add_func ("/window/rate-limit-headroom", test_rate_limit_headroom);
  g_test_add_func ("/window/offline", test_offline);
  g_test_add_func ("/window/check-now-rate-limited", test_check_now_rate_limited);
  g_test_add_func ("/window/edit-admin-key", test_edit_admin_key);
  g_test_add_func ("/incidents/500", test_many_incidents);
  g_test_add_func ("/incidents/reasons", test_reason_rows);
  g_test_add_func ("/incidents/provider-status", test_provider_status);

  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&app);
  g_clear_object (&simulator);
  return status;
}
