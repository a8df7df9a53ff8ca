/* test-history-view.c: the Status rows' heartbeat and figures and a
 * check's detail page, from a known history, in a real window in pt_BR.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ui/bgpt-check-board.h"
#include "bgpt-history-recorder.h"
#include "bgpt-i18n.h"
#include "bgpt-resources.h"
#include "bgpt-test-utils.h"
#include "bgpt-test-widgets.h"
#include "ui/bgpt-check-detail.h"
#include "ui/bgpt-check-list.h"
#include "ui/bgpt-check-row.h"
#include "ui/bgpt-heartbeat-bar.h"
#include "ui/bgpt-latency-chart.h"
#include "ui/bgpt-tooltip.h"
#include "ui/bgpt-window.h"

#define ACCOUNT "loja"
#define STEP 300

typedef struct
{
  char        *directory;
  GSettings   *settings;
  BgptMonitor *monitor;
  BgptHistory *history;
  BgptCheckBoard *board;
  gint64       now;
} Fixture;

/* Two days every five minutes, 30 days of hours before them:
 * - openai.key: 2 timeouts today (k = 540 and 560), 4 yesterday, one hour
 *   of connection errors 10 days ago; 100, 200, 300 ms in turn;
 * - openai.model: blocked while the key failed today, else 150 ms;
 * - kommo.account: no history at all. */
static void
write_history (Fixture *fixture)
{
  g_autoptr(GArray) key = g_array_new (FALSE, FALSE, sizeof (BgptHistoryResult));
  g_autoptr(GArray) model = g_array_new (FALSE, FALSE, sizeof (BgptHistoryResult));
  g_autoptr(GArray) hours = g_array_new (FALSE, FALSE, sizeof (BgptHistoryHour));
  gint64 first = fixture->now - 48 * 3600;
  g_autoptr(GError) error = NULL;

  for (guint k = 0; k < 576; k++)
    {
      gint64 t = first + STEP * k + 1;
      gboolean today = k == 540 || k == 560;
      gboolean yesterday = k == 100 || k == 150 || k == 200 || k == 250;

      if (today || yesterday)
        bgpt_test_add_history_result (key, t, BGPT_OUTCOME_FAILED, "openai.timeout", 20000);
      else
        bgpt_test_add_history_result (key, t, BGPT_OUTCOME_OK, NULL, 100 + 100 * (k % 3));
      if (today)
        bgpt_test_add_history_result (model, t, BGPT_OUTCOME_BLOCKED, NULL, 0);
      else
        bgpt_test_add_history_result (model, t, BGPT_OUTCOME_OK, NULL, 150);
    }
  for (gint64 h = (fixture->now - 30 * 24 * 3600) / 3600 * 3600 + 3600; h + 3600 <= first; h += 3600)
    {
      BgptHistoryHour hour = { h, { 12, 0, 0, 0 }, 200, 400, NULL };

      if (h == (fixture->now - 10 * 24 * 3600) / 3600 * 3600)
        {
          hour.counts[BGPT_OUTCOME_OK] = 0;
          hour.counts[BGPT_OUTCOME_FAILED] = 12;
          hour.error_id = g_intern_static_string ("openai.connection");
        }
      g_array_append_val (hours, hour);
    }

  bgpt_history_set_check (fixture->history, ACCOUNT, "openai.key", hours, key);
  bgpt_history_set_check (fixture->history, ACCOUNT, "openai.model", NULL, model);
  g_assert_true (bgpt_history_save (fixture->history, ACCOUNT, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  static const char * const accounts[] = { ACCOUNT, NULL };
  g_autoptr(BgptCheckConfig) config = bgpt_check_config_new (ACCOUNT);
  g_autoptr(GError) error = NULL;

  fixture->now = g_get_real_time () / G_USEC_PER_SEC;
  fixture->directory = g_dir_make_tmp ("bgpt-history-view-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->settings = g_settings_new (APPLICATION_ID);
  fixture->monitor = bgpt_monitor_new (fixture->settings, NULL);
  config->display_name = g_strdup ("Loja Teste");
  config->openai_api_key = g_strdup ("sk-test-history-view-0123456789");
  config->openai_base_url = g_strdup ("http://127.0.0.1:9/v1");
  config->kommo_token = g_strdup ("kommo-test-history-view-0123456789");
  config->kommo_base_url = g_strdup ("http://127.0.0.1:9");
  config->model = g_strdup ("gpt-test");
  bgpt_monitor_set_account (fixture->monitor, config);

  fixture->history = bgpt_history_new (fixture->directory);
  g_assert_true (bgpt_history_load (fixture->history, &error));
  bgpt_history_follow_monitor (fixture->history, fixture->monitor);
  write_history (fixture);

  fixture->board = bgpt_check_board_new ();
  bgpt_check_board_set_accounts (fixture->board, accounts);
  bgpt_check_board_follow_monitor (fixture->board, fixture->monitor);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = bgpt_history_dup_account_path (fixture->history, ACCOUNT);

  g_clear_object (&fixture->board);
  g_clear_object (&fixture->monitor);
  g_clear_object (&fixture->history);
  g_clear_object (&fixture->settings);
  g_unlink (path);
  g_rmdir (fixture->directory);
  g_free (fixture->directory);
}

/* Waiting for the window to be drawn */

static void
on_after_paint (GdkFrameClock *clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static void
wait_for_frame (GtkWidget *window)
{
  GdkFrameClock *clock;
  gboolean painted = FALSE;
  gulong id;

  g_assert_true (bgpt_test_wait_until ((BgptTestCondition) gtk_widget_get_mapped, window));
  clock = gtk_widget_get_frame_clock (window);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &painted);
  gtk_widget_queue_draw (window);
  g_assert_true (bgpt_test_wait_until (is_true, &painted));
  g_signal_handler_disconnect (clock, id);
}

/* A check of a page drawn at a width, in a style. */
typedef void (*StyledCheck) (Fixture  *fixture,
                             int       width,
                             gboolean  narrow,
                             gboolean  dark);

/* A test's data: @check at each of @widths, the narrow one first. */
typedef struct
{
  int         widths[2];
  StyledCheck check;
} StyledCase;

/* Under BGPT_SCREENSHOT_DIR, the window as drawn, as a PNG named after
 * @prefix, the width ("360" when @narrow, else "full") and the style. */
static void
maybe_save_screenshot (GtkWidget  *window,
                       const char *prefix,
                       gboolean    narrow,
                       gboolean    dark)
{
  g_autofree char *name = g_strdup_printf ("%s-%s-%s.png", prefix, narrow ? "360" : "full", dark ? "dark" : "light");

  bgpt_test_save_png (window, "BGPT_SCREENSHOT_DIR", name);
}

static BgptCheckRow *
find_row (GPtrArray  *rows,
          const char *check)
{
  for (guint i = 0; i < rows->len; i++)
    {
      BgptCheckRow *row = g_ptr_array_index (rows, i);

      if (g_str_equal (bgpt_check_item_get_check (bgpt_check_row_get_item (row)), check))
        return row;
    }
  g_assert_not_reached ();
}

static void
assert_label (GtkWidget  *widget,
              const char *expected)
{
  g_autofree char *problem = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                                                 GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                                 expected);

  if (problem != NULL)
    g_error ("accessible label: %s", problem);
}

static void
collect_rows (GtkWidget *widget,
              GPtrArray *rows)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (BGPT_IS_CHECK_ROW (child) && gtk_widget_get_visible (child))
        g_ptr_array_add (rows, child);
      collect_rows (child, rows);
    }
}

/* Whether @widget has a tooltip to show now. */
static gboolean
query_tooltip (GtkWidget *widget)
{
  g_autoptr(GObject) tooltip = g_object_new (GTK_TYPE_TOOLTIP, NULL);
  gboolean shown = FALSE;

  g_assert_true (gtk_widget_get_has_tooltip (widget));
  g_signal_emit_by_name (widget, "query-tooltip", 1, 1, FALSE, tooltip, &shown);
  return shown;
}

/* The Status page's list of the board's rows in a window @width wide;
 * @rows gets the rows it shows. */
static GtkWidget *
status_window (Fixture   *fixture,
               int        width,
               GPtrArray *rows)
{
  GtkWidget *window = adw_window_new ();
  GtkWidget *list = bgpt_check_list_new ();

  bgpt_check_list_set_board (BGPT_CHECK_LIST (list), fixture->board);
  adw_window_set_content (ADW_WINDOW (window), list);
  gtk_window_set_default_size (GTK_WINDOW (window), width, 560);
  gtk_window_present (GTK_WINDOW (window));
  wait_for_frame (window);
  collect_rows (list, rows);
  return window;
}

static void
check_status_rows_at (Fixture  *fixture,
                      int       width,
                      gboolean  narrow,
                      gboolean  dark)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GtkWidget *window;
  BgptUptimeSummary *key;
  BgptUptimeSummary *model;
  BgptUptimeSummary *kommo;

  window = status_window (fixture, width, rows);
  key = bgpt_check_row_get_uptime_summary (find_row (rows, "openai.key"));
  model = bgpt_check_row_get_uptime_summary (find_row (rows, "openai.model"));
  kommo = bgpt_check_row_get_uptime_summary (find_row (rows, "kommo.account"));

  /* 286 of 288 today; 30 days: hours of 12 (one of failures) and
   * two days of results; the median of 100, 200 and 300 ms. */
  g_assert_cmpstr (bgpt_uptime_summary_get_caption (key), ==,
                   "24 h: 99,3\302\240% · 30 d: 99,7\302\240% · 200\302\240ms");
  assert_label (GTK_WIDGET (key),
                "Disponível 99,3\302\240% nas últimas 24 horas, 2 falhas; 99,7\302\240% nos últimos 30 dias; "
                "latência mediana de 200\302\240ms");
  assert_label (bgpt_uptime_summary_get_bar (key),
                "Últimos 48 resultados: 46 aprovados, 2 com falha, 0 aguardando, 0 sem rede");
  /* The same sentence as the summary's tooltip, when it is about to show. */
  g_assert_cmpstr (bgpt_tooltip_get_text (GTK_WIDGET (key)), ==, bgpt_uptime_summary_get_description (key));
  g_assert_true (query_tooltip (GTK_WIDGET (key)));
  /* Waiting on the key is no failure of the model's. */
  assert_label (GTK_WIDGET (model),
                "Disponível 100\302\240% nas últimas 24 horas, sem falhas; 100\302\240% nos últimos 30 dias; "
                "latência mediana de 150\302\240ms");
  assert_label (bgpt_uptime_summary_get_bar (model),
                "Últimos 48 resultados: 46 aprovados, 0 com falha, 2 aguardando, 0 sem rede");
  /* The caption is a line of the row's subtitle. */
  g_assert_nonnull (strstr (bgpt_check_row_get_subtitle (find_row (rows, "openai.key")),
                            bgpt_uptime_summary_get_caption (key)));
  /* No history, no summary. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (kommo)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (key)));

  /* The bar shows what fits: some beats even at 360 px. */
  g_assert_cmpuint (bgpt_heartbeat_bar_get_n_shown (BGPT_HEARTBEAT_BAR (bgpt_uptime_summary_get_bar (key))), >=, 8);
  g_assert_cmpint (gtk_widget_get_width (window), <=, width + 1);

  maybe_save_screenshot (window, "status", narrow, dark);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A new result shows at once. */
static void
test_row_follows_history (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GtkWidget *window = status_window (fixture, 900, rows);
  BgptUptimeSummary *key = bgpt_check_row_get_uptime_summary (find_row (rows, "openai.key"));
  BgptHistoryResult result = { fixture->now, 120, BGPT_OUTCOME_FAILED, "openai.auth" };

  g_assert_true (bgpt_history_append (fixture->history, ACCOUNT, "openai.key", &result, NULL));
  assert_label (bgpt_uptime_summary_get_bar (key),
                "Últimos 48 resultados: 45 aprovados, 3 com falha, 0 aguardando, 0 sem rede");
  g_assert_nonnull (strstr (bgpt_uptime_summary_get_description (key), "3 falhas"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* 100 accounts, 400 rows: the list binds the rows near the view, not the
 * others, and a row far down shows its figures once scrolled to. */
#define MANY_ACCOUNTS 100

static GtkWidget *many_list;

/* Whether a row of the list shows @data, a BgptCheckItem. */
static gboolean
row_shows_item (gpointer data)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_rows (many_list, rows);
  for (guint i = 0; i < rows->len; i++)
    if (bgpt_check_row_get_item (g_ptr_array_index (rows, i)) == data)
      return TRUE;
  return FALSE;
}

static BgptCheckItem *activated_item;

/* The item of the row whose list item has the focus, or NULL. */
static BgptCheckItem *
focused_item (GtkWidget *window)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  if (focus == NULL)
    return NULL;
  collect_rows (focus, rows);
  return rows->len == 1 ? bgpt_check_row_get_item (g_ptr_array_index (rows, 0)) : NULL;
}

static void
on_check_activated (BgptCheckList *list,
                    BgptCheckItem *item)
{
  activated_item = item;
}

static void
test_many_accounts (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) accounts = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GtkWidget *window = adw_window_new ();
  GtkWidget *list = bgpt_check_list_new ();
  GtkAdjustment *adjustment;
  BgptCheckItem *first;
  BgptCheckItem *last;
  BgptCheckRow *row = NULL;
  GtkWidget *list_item;
  guint changed_signal = g_signal_lookup ("changed", BGPT_TYPE_CHECK_ITEM);

  /* The fixture's account last, with its known history. */
  for (guint i = 0; i < MANY_ACCOUNTS - 1; i++)
    {
      g_autofree char *account = g_strdup_printf ("loja-%03u", i);

      g_strv_builder_add (builder, account);
    }
  g_strv_builder_add (builder, ACCOUNT);
  accounts = g_strv_builder_end (builder);
  bgpt_check_board_set_accounts (fixture->board, (const char * const *) accounts);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->board)), ==, 4 * MANY_ACCOUNTS);
  first = bgpt_check_board_lookup (fixture->board, "loja-000", "openai.key");
  last = bgpt_check_board_lookup (fixture->board, ACCOUNT, "openai.key");

  many_list = list;
  bgpt_check_list_set_board (BGPT_CHECK_LIST (list), fixture->board);
  g_signal_connect (list, "check-activated", G_CALLBACK (on_check_activated), NULL);
  adw_window_set_content (ADW_WINDOW (window), list);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  gtk_window_present (GTK_WINDOW (window));
  wait_for_frame (window);

  /* Far fewer rows than checks, the first ones among them; the last
   * account's row does not exist, and its item's news reach no row. */
  collect_rows (list, rows);
  g_assert_cmpuint (rows->len, >, 4);
  g_assert_cmpuint (rows->len, <, 4 * MANY_ACCOUNTS / 2);
  g_assert_true (row_shows_item (first));
  g_assert_false (row_shows_item (last));
  g_assert_false (g_signal_has_handler_pending (last, changed_signal, 0, FALSE));

  /* Scrolled to the end: the last account's rows with its figures. */
  adjustment = bgpt_check_list_get_vadjustment (BGPT_CHECK_LIST (list));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  g_assert_true (bgpt_check_list_scroll_to_item (BGPT_CHECK_LIST (list), last));
  g_assert_true (bgpt_test_wait_until (row_shows_item, last));
  wait_for_frame (window);
  g_ptr_array_set_size (rows, 0);
  collect_rows (list, rows);
  g_assert_cmpuint (rows->len, <, 4 * MANY_ACCOUNTS / 2);
  g_assert_false (row_shows_item (first));
  g_assert_false (g_signal_has_handler_pending (first, changed_signal, 0, FALSE));
  for (guint i = 0; i < rows->len && row == NULL; i++)
    if (bgpt_check_row_get_item (g_ptr_array_index (rows, i)) == last)
      row = g_ptr_array_index (rows, i);
  assert_label (GTK_WIDGET (bgpt_check_row_get_uptime_summary (row)),
                "Disponível 99,3\302\240% nas últimas 24 horas, 2 falhas; 99,7\302\240% nos últimos 30 dias; "
                "latência mediana de 200\302\240ms");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Chave de API da OpenAI");
  maybe_save_screenshot (window, "status-many-end", FALSE, FALSE);

  /* Enter on the row (the list item's key binding) opens its check. */
  list_item = gtk_widget_get_parent (gtk_widget_get_parent (GTK_WIDGET (row)));
  activated_item = NULL;
  g_assert_true (gtk_widget_activate (list_item));
  g_assert_true (activated_item == last);

  /* Tab and the arrows go from row to row. */
  g_assert_true (gtk_widget_grab_focus (list_item));
  g_assert_true (focused_item (window) == last);
  g_assert_true (gtk_widget_child_focus (window, GTK_DIR_TAB_FORWARD));
  g_assert_true (focused_item (window) == bgpt_check_board_lookup (fixture->board, ACCOUNT, "openai.model"));
  g_assert_true (gtk_widget_child_focus (window, GTK_DIR_TAB_BACKWARD));
  g_assert_true (focused_item (window) == last);
  g_assert_true (gtk_widget_child_focus (window, GTK_DIR_DOWN));
  g_assert_true (focused_item (window) == bgpt_check_board_lookup (fixture->board, ACCOUNT, "openai.model"));
  g_assert_true (gtk_widget_child_focus (window, GTK_DIR_UP));
  g_assert_true (focused_item (window) == last);


  gtk_window_destroy (GTK_WINDOW (window));
}

/* A state reset is gone in GTK 4.8 and back to its default later. */
static gboolean
hidden_from_assistive_technologies (GtkWidget *widget)
{
  g_autofree char *error = NULL;

  if (!gtk_test_accessible_has_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_HIDDEN))
    return FALSE;
  error = gtk_test_accessible_check_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE);
  return error == NULL;
}

/* The list item is in view: allocated, and shown. */
static gboolean
item_in_view (GtkWidget *item)
{
  return gtk_widget_get_child_visible (item) && gtk_widget_get_height (item) > 0;
}

/* The cells of the list's items: those in view (GTK 4.8 allocates only
 * them) each show their entry; some out of view wait, hidden from
 * assistive technologies. Returns how many wait. */
static guint
check_cells_in_view (GtkWidget *list)
{
  GtkWidget *list_view = GTK_WIDGET (bgpt_check_list_get_list_view (BGPT_CHECK_LIST (list)));
  guint n_in_view = 0;
  guint n_waiting = 0;

  for (GtkWidget *item = gtk_widget_get_first_child (list_view); item != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *cell = gtk_widget_get_first_child (item);
      GtkWidget *shown = NULL;

      if (cell == NULL)
        continue;
      for (GtkWidget *child = gtk_widget_get_first_child (cell); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        if (gtk_widget_get_visible (child))
          shown = child;
      if (shown != NULL && !gtk_widget_get_child_visible (shown))
        {
          n_waiting++;
          g_assert_true (hidden_from_assistive_technologies (cell));
        }
      if (!item_in_view (item))
        continue;
      n_in_view++;
      g_assert_nonnull (shown);
      g_assert_true (gtk_widget_get_child_visible (shown));
      g_assert_true (gtk_widget_get_mapped (shown));
      g_assert_false (hidden_from_assistive_technologies (cell));
      if (BGPT_IS_CHECK_ROW (shown))
        g_assert_nonnull (bgpt_check_row_get_item (BGPT_CHECK_ROW (shown)));
      else
        g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (gtk_widget_get_first_child (shown))), !=, "");
    }
  g_assert_cmpuint (n_in_view, >, 4);
  return n_waiting;
}

/* Checked as each frame is drawn (the frame clock's paint phase, after
 * GTK's own handler): what the frame shows. */
typedef struct
{
  GtkWidget *list;
  guint      n_frames;
  guint      most_waiting;
} Frames;

static void
on_paint (GdkFrameClock *clock,
          Frames        *frames)
{
  frames->n_frames++;
  frames->most_waiting = MAX (frames->most_waiting, check_cells_in_view (frames->list));
}

/* Scrolled down the whole list and back a part of a screen at a time, as
 * the list binds and unbinds rows far from the view: every row drawn in
 * view shows its check, none is blank, even in the frame of a jump; rows
 * bound far away wait. */
/* A window of the list of MANY_ACCOUNTS accounts' rows, drawn once. */
static GtkWidget *
present_many_accounts (Fixture    *fixture,
                       GtkWidget **list)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) accounts = NULL;
  GtkWidget *window = adw_window_new ();

  for (guint i = 0; i < MANY_ACCOUNTS; i++)
    {
      g_autofree char *account = g_strdup_printf ("loja-%03u", i);

      g_strv_builder_add (builder, account);
    }
  accounts = g_strv_builder_end (builder);
  bgpt_check_board_set_accounts (fixture->board, (const char * const *) accounts);
  *list = bgpt_check_list_new ();
  bgpt_check_list_set_board (BGPT_CHECK_LIST (*list), fixture->board);
  adw_window_set_content (ADW_WINDOW (window), *list);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  gtk_window_present (GTK_WINDOW (window));
  wait_for_frame (window);
  return window;
}

static void
test_many_accounts_scrolled (Fixture       *fixture,
                             gconstpointer  data)
{
  GtkWidget *list;
  GtkWidget *window = present_many_accounts (fixture, &list);
  GtkAdjustment *adjustment;
  Frames frames = { list, 0, 0 };
  GdkFrameClock *clock;
  gulong paint_id;
  guint n_steps = 0;
  double step;

  clock = gtk_widget_get_frame_clock (window);
  paint_id = g_signal_connect (clock, "paint", G_CALLBACK (on_paint), &frames);

  adjustment = bgpt_check_list_get_vadjustment (BGPT_CHECK_LIST (list));
  step = gtk_adjustment_get_page_size (adjustment) * 0.7;
  for (double value = step; value < gtk_adjustment_get_upper (adjustment); value += step, n_steps++)
    {
      gtk_adjustment_set_value (adjustment, value);
      wait_for_frame (window);
    }
  for (guint i = 0; i < 20; i++, n_steps++)
    {
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) - step);
      wait_for_frame (window);
    }
  /* A jump far up: the rows there were bound while out of sight. */
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) / 3);
  wait_for_frame (window);
  n_steps++;

  g_signal_handler_disconnect (clock, paint_id);
  g_assert_cmpuint (frames.n_frames, >=, n_steps);
  g_assert_cmpuint (frames.most_waiting, >, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Counts the widgets under @widget whose CSS node is named @name, and the
 * check rows. */
static void
count_css_names (GtkWidget  *widget,
                 const char *name,
                 guint      *n_named,
                 guint      *n_rows)
{
  *n_named += g_str_equal (gtk_widget_get_css_name (widget), name);
  *n_rows += BGPT_IS_CHECK_ROW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    count_css_names (child, name, n_named, n_rows);
}

static GtkWidget *
find_list_view (GtkWidget *widget)
{
  if (GTK_IS_LIST_VIEW (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_list_view (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* No "box" node in the list's items, headings or rows: in GTK 4.18 each
 * one is styled again whenever the list moves an item (bgpt-row-box.h),
 * and a scroll of many accounts would pay for all of them. */
static void
test_rows_without_boxes (Fixture       *fixture,
                         gconstpointer  data)
{
  GtkWidget *list;
  GtkWidget *window = present_many_accounts (fixture, &list);
  GtkWidget *view = find_list_view (list);
  guint n_boxes = 0;
  guint n_rows = 0;
  guint n_rowboxes = 0;

  g_assert_nonnull (view);
  count_css_names (view, "box", &n_boxes, &n_rows);
  g_assert_cmpuint (n_rows, >, 10);
  g_assert_cmpuint (n_boxes, ==, 0);
  /* Laid out with boxes of another name: four a row (its header, text,
   * suffixes and state), one a heading. */
  n_rows = 0;
  count_css_names (view, "rowbox", &n_rowboxes, &n_rows);
  g_assert_cmpuint (n_rowboxes, >=, 4 * n_rows);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The cell of a list item waits: its row or heading is there, not shown. */
static gboolean
cell_waits (GtkWidget *item)
{
  GtkWidget *cell = gtk_widget_get_first_child (item);

  for (GtkWidget *child = cell != NULL ? gtk_widget_get_first_child (cell) : NULL; child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_visible (child))
      return !gtk_widget_get_child_visible (child);
  return FALSE;
}

static gboolean
nothing_waits_near_view (gpointer list)
{
  return bgpt_check_list_count_waiting_near_view (list) == 0;
}

/* @texture's pixels, B, G, R, A each, @stride bytes a row. */
static guchar *
download_pixels (GdkTexture *texture,
                 gsize      *stride)
{
  guchar *pixels;

  *stride = (gsize) gdk_texture_get_width (texture) * 4;
  pixels = g_malloc (*stride * gdk_texture_get_height (texture));
  gdk_texture_download (texture, pixels, *stride);
  return pixels;
}

/* Whether the rectangle @area of @texture (its @pixels) has a pixel of
 * text: dark and opaque, as nothing else in a row of the light style is. */
static gboolean
has_dark_pixel (GdkTexture            *texture,
                const guchar          *pixels,
                gsize                  stride,
                const graphene_rect_t *area)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);

  for (int y = MAX (0, (int) area->origin.y); y < MIN (height, (int) (area->origin.y + area->size.height)); y++)
    for (int x = MAX (0, (int) area->origin.x); x < MIN (width, (int) (area->origin.x + area->size.width)); x++)
      {
        const guchar *pixel = pixels + y * stride + x * 4;

        if (pixel[3] > 0xc0 && MAX (MAX (pixel[0], pixel[1]), pixel[2]) < 0x60)
          return TRUE;
      }
  return FALSE;
}

/* Every row wholly in view has its text drawn: none shows a drawing kept
 * from when it was out of sight (a cell out of sight draws nothing).
 * Gives how many rows it looked at. */
static guint
check_rows_drawn (GtkWidget *window,
                  GtkWidget *list)
{
  g_autoptr(GdkTexture) texture = bgpt_test_render (window);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  gsize stride;
  g_autofree guchar *pixels = download_pixels (texture, &stride);
  graphene_rect_t view;
  guint n = 0;

  g_assert_true (gtk_widget_compute_bounds (list, window, &view));
  collect_rows (list, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      graphene_rect_t bounds;

      if (!gtk_widget_get_mapped (row) || !gtk_widget_compute_bounds (row, window, &bounds)
          || bounds.origin.y < view.origin.y || bounds.origin.y + bounds.size.height > view.origin.y + view.size.height)
        continue;
      n++;
      if (!has_dark_pixel (texture, pixels, stride, &bounds))
        g_error ("the row of %s at y = %.0f in view has no text drawn",
                 bgpt_check_item_get_account_id (bgpt_check_row_get_item (BGPT_CHECK_ROW (row))), bounds.origin.y);
    }
  return n;
}

/* Out of view, a frame fills in no more cells than the list's budget
 * (bgpt-check-list.c: four); counted at the end of each frame. A frame
 * that fills in cells only out of view may draw nothing and have no
 * paint phase, but every frame has an after-paint one. */
typedef struct
{
  GtkWidget  *list;
  GHashTable *waiting;  /* the list items whose cell waited at the end of the last frame */
  guint       most_filled_ahead;
} Fills;

static void
on_frame_count_fills (GdkFrameClock *clock,
                      Fills         *fills)
{
  GtkWidget *list_view = GTK_WIDGET (bgpt_check_list_get_list_view (BGPT_CHECK_LIST (fills->list)));
  guint filled_ahead = 0;

  for (GtkWidget *item = gtk_widget_get_first_child (list_view); item != NULL; item = gtk_widget_get_next_sibling (item))
    {
      if (!cell_waits (item) && !item_in_view (item) && g_hash_table_contains (fills->waiting, item))
        filled_ahead++;
    }
  fills->most_filled_ahead = MAX (fills->most_filled_ahead, filled_ahead);
  g_hash_table_remove_all (fills->waiting);
  for (GtkWidget *item = gtk_widget_get_first_child (list_view); item != NULL; item = gtk_widget_get_next_sibling (item))
    if (cell_waits (item))
      g_hash_table_add (fills->waiting, item);
}

/* Scrolled down a third of a screen at a time: every row wholly in view
 * has its text drawn, none a blank from when it was out of sight. Then a
 * jump: the cells near the new view that wait are filled in by the list's
 * own frames, a few a frame, with nothing else asking for one. */
static void
test_many_accounts_drawn (Fixture       *fixture,
                          gconstpointer  data)
{
  GtkWidget *list;
  GtkWidget *window;
  GtkAdjustment *adjustment;
  GdkFrameClock *clock;
  Fills fills;
  gulong frame_id;
  guint n_rows = 0;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
  /* No animation (of the scroll bar, fading) asks for frames of its own. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  window = present_many_accounts (fixture, &list);
  adjustment = bgpt_check_list_get_vadjustment (BGPT_CHECK_LIST (list));
  for (guint i = 0; i < 12; i++)
    {
      gtk_adjustment_set_value (adjustment,
                                gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment) / 3);
      wait_for_frame (window);
      n_rows += check_rows_drawn (window, list);
    }
  g_assert_cmpuint (n_rows, >, 12 * 4);

  fills.list = list;
  fills.waiting = g_hash_table_new (NULL, NULL);
  fills.most_filled_ahead = 0;
  clock = gtk_widget_get_frame_clock (window);
  frame_id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_frame_count_fills), &fills);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) / 2);
  wait_for_frame (window);
  g_assert_cmpuint (bgpt_check_list_count_waiting_near_view (BGPT_CHECK_LIST (list)), >, 0);
  bgpt_test_assert_until (nothing_waits_near_view, list, "the cells near the view filled in");
  g_signal_handler_disconnect (clock, frame_id);
  g_assert_cmpuint (fills.most_filled_ahead, >, 0);
  g_assert_cmpuint (fills.most_filled_ahead, <=, 4);
  check_rows_drawn (window, list);
  g_hash_table_unref (fills.waiting);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
}

/* Whether the pixel at @x, @y of @pixels (B, G, R, A, @stride bytes a
 * line) stands out from @background. */
static gboolean
pixel_differs (const guchar *pixels,
               gsize         stride,
               int           x,
               int           y,
               const guchar *background)
{
  const guchar *pixel = pixels + y * stride + x * 4;
  int difference = 0;

  for (guint i = 0; i < 3; i++)
    difference += ABS ((int) pixel[i] - (int) background[i]);
  return difference > 90;
}

/* One beat of each outcome, the newest on the right: a full bar (passed),
 * a bar broken in the middle (failed), a hollow bar (blocked) and a dot
 * (offline), each drawn in its shape however the beats are drawn; and the
 * same results again draw the same. */
static void
test_heartbeat_shapes (void)
{
  static const BgptOutcome outcomes[] = {
    BGPT_OUTCOME_OK, BGPT_OUTCOME_FAILED, BGPT_OUTCOME_BLOCKED, BGPT_OUTCOME_UNKNOWN,
  };
  g_autoptr(GArray) results = g_array_new (FALSE, TRUE, sizeof (BgptHistoryResult));
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GdkTexture) again = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *bar = bgpt_heartbeat_bar_new ();
  graphene_rect_t bounds;
  guchar background[4];
  gsize stride;
  g_autofree guchar *pixels = NULL;
  int top, middle, right;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    {
      BgptHistoryResult result = { .time = 1700000000 + i * 300, .elapsed_ms = 100, .outcome = outcomes[i] };

      g_array_append_val (results, result);
    }
  bgpt_heartbeat_bar_set_results (BGPT_HEARTBEAT_BAR (bar), results);
  gtk_widget_set_halign (bar, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
  gtk_window_set_child (GTK_WINDOW (window), bar);
  gtk_window_set_default_size (GTK_WINDOW (window), 300, 60);
  gtk_window_present (GTK_WINDOW (window));
  wait_for_frame (window);
  g_assert_cmpuint (bgpt_heartbeat_bar_get_n_shown (BGPT_HEARTBEAT_BAR (bar)), ==, 4);

  texture = bgpt_test_render (window);
  pixels = download_pixels (texture, &stride);
  g_assert_true (gtk_widget_compute_bounds (bar, window, &bounds));
  memcpy (background, pixels + (int) (bounds.origin.y - 4) * stride + (int) bounds.origin.x * 4, 4);
  top = (int) bounds.origin.y + 1;
  middle = (int) (bounds.origin.y + bounds.size.height / 2);
  right = (int) (bounds.origin.x + bounds.size.width);

  /* The beats are 5 pixels wide, 2 apart: the centre of the beat @k from the right. */
#define BEAT_CENTRE(k) (right - 7 * (k) - 3)
  /* Offline: a dot, in the middle only. */
  g_assert_false (pixel_differs (pixels, stride, BEAT_CENTRE (0), top, background));
  g_assert_true (pixel_differs (pixels, stride, BEAT_CENTRE (0), middle, background));
  /* Blocked: hollow, its outline at its edge. */
  g_assert_false (pixel_differs (pixels, stride, BEAT_CENTRE (1), middle, background));
  g_assert_true (pixel_differs (pixels, stride, BEAT_CENTRE (1) - 2, middle, background));
  /* Failed: broken in the middle. */
  g_assert_true (pixel_differs (pixels, stride, BEAT_CENTRE (2), top + 1, background));
  g_assert_false (pixel_differs (pixels, stride, BEAT_CENTRE (2), middle, background));
  /* Passed: whole. */
  g_assert_true (pixel_differs (pixels, stride, BEAT_CENTRE (3), top + 1, background));
  g_assert_true (pixel_differs (pixels, stride, BEAT_CENTRE (3), middle, background));
#undef BEAT_CENTRE

  /* The same results once more: the same drawing. */
  bgpt_heartbeat_bar_set_results (BGPT_HEARTBEAT_BAR (bar), results);
  wait_for_frame (window);
  again = bgpt_test_render (window);
  g_assert_true (gdk_texture_get_width (again) == gdk_texture_get_width (texture));
  {
    gsize again_stride;
    g_autofree guchar *again_pixels = download_pixels (again, &again_stride);

    g_assert_cmpuint (again_stride, ==, stride);
    g_assert_cmpmem (again_pixels, stride * gdk_texture_get_height (again), pixels, stride * gdk_texture_get_height (texture));
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

static GtkWidget *
find_status_page (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ADW_IS_STATUS_PAGE (child) ? child : find_status_page (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* No account: the Status page says how to add one, and has no rows. */
static void
check_empty_state_at (Fixture  *fixture,
                      int       width,
                      gboolean  narrow,
                      gboolean  dark)
{
  GtkWidget *window = g_object_new (BGPT_TYPE_WINDOW, NULL);
  GtkWidget *empty;

  gtk_window_set_default_size (GTK_WINDOW (window), width, 640);
  gtk_window_present (GTK_WINDOW (window));
  wait_for_frame (window);

  empty = find_status_page (window);
  g_assert_nonnull (empty);
  g_assert_true (gtk_widget_get_mapped (empty));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (empty)), ==, "Nenhuma conta ainda");
  g_assert_false (gtk_widget_get_mapped (bgpt_window_get_accounts_box (BGPT_WINDOW (window))));
  maybe_save_screenshot (window, width == 720 ? "empty-720" : "empty-900", FALSE, dark);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
on_incidents_loaded (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_assert_true (bgpt_incident_store_load_finish (BGPT_INCIDENT_STORE (source), result, NULL));
  *(gboolean *) user_data = TRUE;
}

/* The check's incidents, newest first, each opening its incident. */
static void
test_detail_incidents (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->directory, "incidents.json", NULL);
  g_autoptr(BgptIncidentStore) incidents = bgpt_incident_store_new (path);
  g_autoptr(BgptDiagnosis) timeout = bgpt_diagnosis_new ("openai.key", "openai.timeout");
  g_autoptr(BgptDiagnosis) other = bgpt_diagnosis_new ("kommo.account", "kommo.auth");
  BgptCheckDetail *detail;
  BgptIncident *incident;
  GPtrArray *rows;
  gboolean loaded = FALSE;
  g_autofree char *action = NULL;
  g_autoptr(GVariant) target = NULL;

  bgpt_incident_store_load_async (incidents, NULL, on_incidents_loaded, &loaded);
  g_assert_true (bgpt_test_wait_until (is_true, &loaded));
  incident = bgpt_incident_store_report (incidents, ACCOUNT, timeout);
  bgpt_incident_store_report (incidents, ACCOUNT, other);

  detail = bgpt_check_detail_new (fixture->history, incidents, ACCOUNT, "Loja Teste", "openai.key");
  gtk_window_present (GTK_WINDOW (detail));
  wait_for_frame (GTK_WIDGET (detail));
  rows = bgpt_check_detail_get_incident_rows (detail);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, 0)), ==,
                   "ERRO OpenAi Limite de tempo atingido. OpenAI está com lentidão");
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (g_ptr_array_index (rows, 0)), "Aberto desde "));
  g_object_get (g_ptr_array_index (rows, 0), "action-name", &action, "action-target", &target, NULL);
  g_assert_cmpstr (action, ==, "app.show-incident");
  g_assert_cmpstr (g_variant_get_string (target, NULL), ==, bgpt_incident_get_id (incident));

  /* Resolved, it says when. */
  bgpt_incident_store_resolve (incidents, ACCOUNT, "openai.key");
  rows = bgpt_check_detail_get_incident_rows (detail);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (g_ptr_array_index (rows, 0)), "resolvido em"));
  gtk_window_destroy (GTK_WINDOW (detail));
  bgpt_incident_store_flush (incidents, NULL);
  g_unlink (path);
}

/* The chart's accessible label is @label and the page lists @n_periods
 * failure periods; gives their rows. */
static GPtrArray *
assert_chart (BgptCheckDetail *detail,
              const char      *label,
              guint            n_periods)
{
  GPtrArray *periods;

  assert_label (bgpt_check_detail_get_chart (detail), label);
  periods = bgpt_check_detail_get_period_rows (detail);
  g_assert_cmpuint (periods->len, ==, n_periods);
  return periods;
}

static void
check_detail_page_at (Fixture  *fixture,
                      int       width,
                      gboolean  narrow,
                      gboolean  dark)
{
  BgptCheckDetail *detail = bgpt_check_detail_new (fixture->history, NULL, ACCOUNT, "Loja Teste", "openai.key");
  GPtrArray *periods;

  gtk_window_set_default_size (GTK_WINDOW (detail), width, 860);
  gtk_window_present (GTK_WINDOW (detail));
  wait_for_frame (GTK_WIDGET (detail));

  periods = assert_chart (detail,
                          "Tempos de resposta nas últimas 24 horas: mediana de 200\302\240ms, pior de 20,0\302\240s; "
                          "2 períodos de falha",
                          2);
  g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (periods, 0)), ==,
                   "ERRO OpenAi Limite de tempo atingido. OpenAI está com lentidão");
  g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (bgpt_check_detail_get_incident_rows (detail), 0)),
                   ==, "Nenhum incidente nesta verificação");
  maybe_save_screenshot (GTK_WIDGET (detail), "detail-24h", narrow, dark);

  /* Thirty days: yesterday's four, today's two and the hour of
   * connection errors, each with its title. */
  bgpt_check_detail_set_range (detail, BGPT_CHECK_DETAIL_RANGE_MONTH);
  wait_for_frame (GTK_WIDGET (detail));
  periods = assert_chart (detail,
                          "Tempos de resposta nos últimos 30 dias: mediana de 200\302\240ms, pior de 20,0\302\240s; "
                          "7 períodos de falha",
                          7);
  g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (periods, periods->len - 1)), ==,
                   "Erro de Conexão");
  maybe_save_screenshot (GTK_WIDGET (detail), "detail-30d", narrow, dark);

  bgpt_check_detail_set_range (detail, BGPT_CHECK_DETAIL_RANGE_WEEK);
  assert_label (bgpt_check_detail_get_chart (detail),
                "Tempos de resposta nos últimos 7 dias: mediana de 200\302\240ms, pior de 20,0\302\240s; "
                "6 períodos de falha");
  gtk_window_destroy (GTK_WINDOW (detail));
}

/* Each width in the light and then the dark style; the default style
 * again afterwards. */
static void
test_each_style_and_width (Fixture       *fixture,
                           gconstpointer  data)
{
  const StyledCase *c = data;
  AdwStyleManager *style = adw_style_manager_get_default ();

  for (guint dark = 0; dark < 2; dark++)
    for (guint w = 0; w < G_N_ELEMENTS (c->widths); w++)
      {
        adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
        c->check (fixture, c->widths[w], w == 0, dark);
      }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

int
main (int   argc,
      char *argv[])
{
  static const StyledCase status_rows = { { 360, 900 }, check_status_rows_at };
  static const StyledCase detail_page = { { 360, 720 }, check_detail_page_at };
  /* Not at 360 px: a window without its application has no view switcher
   * bar to fall back on there. */
  static const StyledCase empty_state = { { 720, 900 }, check_empty_state_at };

  /* Accessible properties kept in memory for the test to read, no bus. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  bgpt_test_use_pt_br ();
  /* Screenshots of the end state, not of a transition. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  bgpt_i18n_init ();
  adw_init ();
  bgpt_register_resource ();

  g_test_add ("/history-view/status-rows", Fixture, &status_rows, fixture_set_up, test_each_style_and_width,
              fixture_tear_down);
  g_test_add ("/history-view/row-follows-history", Fixture, NULL, fixture_set_up, test_row_follows_history,
              fixture_tear_down);
  g_test_add ("/history-view/many-accounts", Fixture, NULL, fixture_set_up, test_many_accounts,
              fixture_tear_down);
  g_test_add ("/history-view/many-accounts-scrolled", Fixture, NULL, fixture_set_up,
              test_many_accounts_scrolled, fixture_tear_down);
  g_test_add ("/history-view/many-accounts-drawn", Fixture, NULL, fixture_set_up,
              test_many_accounts_drawn, fixture_tear_down);
  g_test_add ("/history-view/rows-without-boxes", Fixture, NULL, fixture_set_up, test_rows_without_boxes,
              fixture_tear_down);
  g_test_add_func ("/history-view/heartbeat-shapes", test_heartbeat_shapes);
  g_test_add ("/history-view/empty-state", Fixture, &empty_state, fixture_set_up, test_each_style_and_width,
              fixture_tear_down);
  g_test_add ("/history-view/detail-page", Fixture, &detail_page, fixture_set_up, test_each_style_and_width,
              fixture_tear_down);
  g_test_add ("/history-view/detail-incidents", Fixture, NULL, fixture_set_up, test_detail_incidents,
              fixture_tear_down);
  return g_test_run ();
}
