/* bench-history.c: the result history at scale.
 *
 *   bench-history generate DIR ACCOUNTS   write ACCOUNTS accounts × 90 days into DIR
 *   bench-history load DIR [RUNS]         time loading DIR (median, worst)
 *   bench-history append DIR [N]          time N appends, bytes per append
 *   bench-history scroll DIR [SECONDS [ACCOUNTS]]
 *                                         the Status rows of ACCOUNTS accounts
 *                                         (100) with DIR's history in a window
 *                                         (on the display GDK_BACKEND picks),
 *                                         scrolled top to bottom and back on
 *                                         the frame clock in SECONDS × 60
 *                                         frames, twice by even steps (a
 *                                         wheel, a touchpad), then dragging
 *                                         the scrollbar: the work per frame
 *
 * Accounts are named loja-000, loja-001, … as bench-history.sh's settings
 * name them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "bgpt-demo-history.h"
#include "bgpt-history-recorder.h"
#include "bgpt-i18n.h"
#include "bgpt-resources.h"
#include "ui/bgpt-check-board.h"
#include "ui/bgpt-check-list.h"
#include "ui/bgpt-check-row.h"

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
percentile (GArray *values,
            double  fraction)
{
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, (guint) ((values->len - 1) * fraction));
}

static double
mean (GArray *values)
{
  double sum = 0;

  for (guint i = 0; i < values->len; i++)
    sum += g_array_index (values, double, i);
  return values->len > 0 ? sum / values->len : 0;
}

/* User and system time of this process. */
static double
cpu_ms (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec * 1000.0 + usage.ru_utime.tv_usec / 1000.0
         + usage.ru_stime.tv_sec * 1000.0 + usage.ru_stime.tv_usec / 1000.0;
}

static char *
account_name (guint i)
{
  return g_strdup_printf ("loja-%03u", i);
}

static int
generate (const char *directory,
          guint       n_accounts)
{
  g_autoptr(BgptHistory) history = bgpt_history_new (directory);
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  goffset total = 0;

  if (!bgpt_history_load (history, &error))
    g_error ("%s", error->message);
  for (guint i = 0; i < n_accounts; i++)
    {
      g_autofree char *account = account_name (i);

      bgpt_demo_history_generate (history, account, now - i * 7, 90);
      if (!bgpt_history_save (history, account, &error))
        g_error ("%s", error->message);
      total += bgpt_history_get_file_size (history, account);
    }
  g_print ("generated %u accounts × 90 days: %.1f MiB\n", n_accounts, total / 1048576.0);
  return 0;
}

static int
load (const char *directory,
      guint       runs)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu_times = g_array_new (FALSE, FALSE, sizeof (double));
  guint n_accounts = 0;
  guint64 n_records = 0;

  for (guint run = 0; run < runs; run++)
    {
      g_autoptr(BgptHistory) history = bgpt_history_new (directory);
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) accounts = NULL;
      gint64 start = g_get_monotonic_time ();
      double cpu_start = cpu_ms ();
      double ms, cpu;

      if (!bgpt_history_load (history, &error))
        g_error ("%s", error->message);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      cpu = cpu_ms () - cpu_start;
      g_array_append_val (times, ms);
      g_array_append_val (cpu_times, cpu);

      accounts = bgpt_history_dup_account_ids (history);
      n_accounts = g_strv_length (accounts);
      n_records = 0;
      for (guint i = 0; accounts[i] != NULL; i++)
        for (guint c = 0; c < 5; c++)
          {
            const char *checks[] = { "kommo.account", "openai.key", "openai.model", "openai.assistant", "openai.quota" };

            n_records += bgpt_history_get_results (history, accounts[i], checks[c])->len
                         + bgpt_history_get_hours (history, accounts[i], checks[c])->len;
          }
    }
  /* The machine may be shared: CPU time says what the load itself costs. */
  g_print ("load %u accounts (%" G_GUINT64_FORMAT " records): median %.1f ms (CPU %.1f ms), "
           "worst %.1f ms over %u runs\n",
           n_accounts, n_records, percentile (times, 0.5), percentile (cpu_times, 0.5),
           percentile (times, 1.0), runs);
  return 0;
}

static int
append (const char *directory,
        guint       n)
{
  g_autoptr(BgptHistory) history = bgpt_history_new (directory);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  goffset before;
  gint64 start;

  if (!bgpt_history_load (history, &error))
    g_error ("%s", error->message);
  path = bgpt_history_dup_account_path (history, "loja-000");
  before = bgpt_history_get_file_size (history, "loja-000");
  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      BgptHistoryResult result = { now, 120 + i % 50, i % 20 ? BGPT_OUTCOME_OK : BGPT_OUTCOME_FAILED,
                                   i % 20 ? NULL : "openai.timeout" };

      if (!bgpt_history_append (history, "loja-000", "openai.key", &result, &error))
        g_error ("%s", error->message);
    }
  g_print ("append: %.1f µs and %.1f bytes per result over %u results\n",
           (g_get_monotonic_time () - start) / (double) n,
           (bgpt_history_get_file_size (history, "loja-000") - before) / (double) n, n);
  return 0;
}

/* Scrolling the Status rows */

typedef struct
{
  GtkAdjustment *adjustment;
  GArray        *frame_ms;    /* work per frame: before-paint to after-paint */
  GArray        *frame_cpu_ms;  /* the same in CPU time: the machine may be shared */
  GArray        *layout_cpu_ms;  /* of which binding, measuring and allocating rows */
  GArray        *paint_cpu_ms;   /* and drawing them */
  gint64         frame_start;
  double         frame_cpu_start;
  double         layout_cpu_end;
  guint          frame;
  guint          n_frames;
  gboolean       drag;      /* positions along the scrollbar, not steps */
  gboolean       went_down;  /* the way the list was sent in the last frame */
  double         shown;     /* where the list was at the last frame */
  guint          n_back;    /* frames in which it had gone the other way */
  double         most_back;
  gboolean       done;
} Scroll;

static void
on_before_paint (GdkFrameClock *clock,
                 Scroll        *scroll)
{
  scroll->frame_start = g_get_monotonic_time ();
  scroll->frame_cpu_start = cpu_ms ();
  /* A frame may have no layout phase. */
  scroll->layout_cpu_end = scroll->frame_cpu_start;
}

/* Connected after GTK's own handlers: the end of the layout phase. */
static void
on_layout (GdkFrameClock *clock,
           Scroll        *scroll)
{
  scroll->layout_cpu_end = cpu_ms ();
}

static void
on_after_paint (GdkFrameClock *clock,
                Scroll        *scroll)
{
  double ms;

  if (scroll->frame_start == 0 || scroll->frame == 0)
    return;
  ms = (g_get_monotonic_time () - scroll->frame_start) / 1000.0;
  g_array_append_val (scroll->frame_ms, ms);
  ms = cpu_ms () - scroll->frame_cpu_start;
  g_array_append_val (scroll->frame_cpu_ms, ms);
  ms = scroll->layout_cpu_end - scroll->frame_cpu_start;
  g_array_append_val (scroll->layout_cpu_ms, ms);
  ms = cpu_ms () - scroll->layout_cpu_end;
  g_array_append_val (scroll->paint_cpu_ms, ms);
}

static void
on_painted (GdkFrameClock *clock,
            gboolean      *painted)
{
  *painted = TRUE;
}

static gboolean
on_request_frame (GtkWidget     *widget,
                  GdkFrameClock *clock,
                  gpointer       user_data)
{
  return G_SOURCE_REMOVE;
}

/* Waits for the window's next frame to be painted, first asking for one if
 * @request (a frame that redraws nothing unless something changed), then
 * for the events that came with it. */
static void
wait_for_frame (GtkWidget *window,
                gboolean   request)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  gboolean painted = FALSE;

  g_signal_connect (clock, "after-paint", G_CALLBACK (on_painted), &painted);
  if (request)
    gtk_widget_add_tick_callback (window, on_request_frame, NULL, NULL);
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handlers_disconnect_by_func (clock, on_painted, &painted);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Down in the first half of the frames, up in the second. Each frame moves
 * the list as far as a 60 Hz display shows it move at this speed, however
 * long the frames before it took: on a shared machine a late frame does
 * not have more rows to bind than it would on time.
 *
 * A wheel or a touchpad moves the list from where it is, as GtkScrolledWindow
 * applies their scroll events: one step a frame. Dragging the scrollbar puts
 * it at the pointer's place along the whole height, as GtkRange does. The
 * two differ because GtkListView knows the height of the rows it has made
 * and guesses the others' from those (GTK 4.18 takes their median). The
 * rows are not all as tall (an account's heading is lower than a check), so
 * the whole height and the list's position change as rows are made and let
 * go. A step from where the list is takes that in; a place along the
 * scrollbar does not, and then the list can go back a few rows in a frame
 * and forward again in the next, making the same rows over. */
static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  Scroll *scroll = user_data;
  double range = gtk_adjustment_get_upper (scroll->adjustment) - gtk_adjustment_get_page_size (scroll->adjustment);
  double shown = gtk_adjustment_get_value (scroll->adjustment);
  gboolean down;
  double target;
  double t;

  t = (double) scroll->frame++ / scroll->n_frames;
  if (t >= 1.0)
    {
      scroll->done = TRUE;
      return G_SOURCE_REMOVE;
    }
  if (scroll->frame > 1 && (scroll->went_down ? shown < scroll->shown : shown > scroll->shown))
    {
      scroll->n_back++;
      scroll->most_back = MAX (scroll->most_back, ABS (shown - scroll->shown));
    }
  scroll->shown = shown;
  down = t < 0.5;
  if (scroll->drag)
    target = range * (down ? 2 * t : 2 * (1 - t));
  else
    target = shown + (down ? 1 : -1) * range / (scroll->n_frames / 2.0);
  if (target != shown)
    scroll->went_down = target > shown;
  gtk_adjustment_set_value (scroll->adjustment, target);
  return G_SOURCE_CONTINUE;
}

/* The check rows that exist: those the list keeps for the rows on screen. */
static guint
count_rows (GtkWidget *widget)
{
  guint n = BGPT_IS_CHECK_ROW (widget) ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_rows (child);
  return n;
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  if (!bgpt_history_load_finish (BGPT_HISTORY (source), result, NULL))
    g_error ("history not loaded");
  *(gboolean *) user_data = TRUE;
}

/* One pass down and up the list, by steps or (@drag) along the scrollbar;
 * prints the work per frame and the frames over 16 ms by their number in
 * the pass. */
static void
scroll_pass (GtkWidget  *window,
             GtkWidget  *list,
             guint       seconds,
             guint       pass,
             gboolean    drag,
             const char *what,
             guint       n_rows,
             guint       n_accounts)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  g_autoptr(GString) slow = g_string_new (NULL);
  Scroll scroll = { 0, };
  guint over = 0;
  guint over_cpu = 0;

  scroll.adjustment = bgpt_check_list_get_vadjustment (BGPT_CHECK_LIST (list));
  scroll.frame_ms = g_array_new (FALSE, FALSE, sizeof (double));
  scroll.frame_cpu_ms = g_array_new (FALSE, FALSE, sizeof (double));
  scroll.layout_cpu_ms = g_array_new (FALSE, FALSE, sizeof (double));
  scroll.paint_cpu_ms = g_array_new (FALSE, FALSE, sizeof (double));
  scroll.n_frames = seconds * 60;
  scroll.drag = drag;
  /* The first phase of a frame: the list fills rows in at "update". */
  g_signal_connect (clock, "before-paint", G_CALLBACK (on_before_paint), &scroll);
  g_signal_connect (clock, "layout", G_CALLBACK (on_layout), &scroll);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &scroll);
  gtk_widget_add_tick_callback (window, on_tick, &scroll, NULL);
  while (!scroll.done)
    g_main_context_iteration (NULL, TRUE);
  /* The last frame of the pass has been drawn. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_signal_handlers_disconnect_by_data (clock, &scroll);

  for (guint i = 0; i < scroll.frame_ms->len; i++)
    if (g_array_index (scroll.frame_ms, double, i) > 16.0)
      {
        over++;
        g_string_append_printf (slow, " %u (%.1f ms, CPU %.1f: layout %.1f, drawing %.1f)", i + 1,
                                g_array_index (scroll.frame_ms, double, i),
                                g_array_index (scroll.frame_cpu_ms, double, i),
                                g_array_index (scroll.layout_cpu_ms, double, i),
                                g_array_index (scroll.paint_cpu_ms, double, i));
      }
  for (guint i = 0; i < scroll.frame_cpu_ms->len; i++)
    over_cpu += g_array_index (scroll.frame_cpu_ms, double, i) > 16.0;
  g_print ("scroll pass %u, %s, %u rows of %u accounts (%s) for %u s: %u frames, work per frame median %.1f ms, "
           "p95 %.1f ms, worst %.1f ms, %u over 16 ms; CPU per frame median %.1f ms, p95 %.1f ms, worst %.1f ms, "
           "%u over 16 ms, mean %.1f ms (layout median %.1f ms, p95 %.1f ms, mean %.1f ms; drawing median %.1f ms, "
           "p95 %.1f ms, mean %.1f ms); "
           "%u rows alive at the end; back against the scroll in %u frames (at most %.0f px)\n",
           pass, drag ? "dragging the scrollbar" : "by steps", n_rows, n_accounts, what, seconds, scroll.frame_ms->len,
           percentile (scroll.frame_ms, 0.5), percentile (scroll.frame_ms, 0.95),
           percentile (scroll.frame_ms, 1.0), over, percentile (scroll.frame_cpu_ms, 0.5),
           percentile (scroll.frame_cpu_ms, 0.95), percentile (scroll.frame_cpu_ms, 1.0), over_cpu,
           mean (scroll.frame_cpu_ms),
           percentile (scroll.layout_cpu_ms, 0.5), percentile (scroll.layout_cpu_ms, 0.95), mean (scroll.layout_cpu_ms),
           percentile (scroll.paint_cpu_ms, 0.5), percentile (scroll.paint_cpu_ms, 0.95), mean (scroll.paint_cpu_ms),
           count_rows (list), scroll.n_back, scroll.most_back);
  if (over > 0)
    g_print ("  frames over 16 ms:%s\n", slow->str);
  g_array_unref (scroll.frame_ms);
  g_array_unref (scroll.frame_cpu_ms);
  g_array_unref (scroll.layout_cpu_ms);
  g_array_unref (scroll.paint_cpu_ms);
}

static int
scroll_rows (const char *directory,
             guint       seconds,
             guint       n_accounts)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(BgptMonitor) monitor = bgpt_monitor_new (settings, NULL);
  g_autoptr(BgptHistory) history = bgpt_history_new (directory);
  g_autoptr(BgptCheckBoard) board = bgpt_check_board_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) accounts = NULL;
  GtkWidget *window = adw_window_new ();
  GtkWidget *list = bgpt_check_list_new ();
  gboolean loaded = FALSE;
  guint n_rows = 0;
  gint64 shown;
  gint64 first_frame;

  bgpt_history_load_async (history, NULL, on_loaded, &loaded);
  while (!loaded)
    g_main_context_iteration (NULL, TRUE);
  bgpt_history_follow_monitor (history, monitor);
  /* The same accounts with a history or without (an empty directory). */
  accounts = g_new0 (char *, n_accounts + 1);
  for (guint i = 0; i < n_accounts; i++)
    accounts[i] = account_name (i);
  for (guint i = 0; accounts[i] != NULL; i++)
    {
      g_autoptr(BgptCheckConfig) config = bgpt_check_config_new (accounts[i]);

      config->display_name = g_strdup (accounts[i]);
      config->openai_api_key = g_strdup ("sk-bench-history-0123456789");
      config->openai_base_url = g_strdup ("http://127.0.0.1:9/v1");
      config->kommo_token = g_strdup ("kommo-bench-history-0123456789");
      config->kommo_base_url = g_strdup ("http://127.0.0.1:9");
      config->model = g_strdup ("gpt-bench");
      config->assistant_id = g_strdup ("asst_bench");
      bgpt_monitor_set_account (monitor, config);
      g_strv_builder_add (builder, accounts[i]);
    }
  g_strfreev (accounts);
  accounts = g_strv_builder_end (builder);
  bgpt_check_board_set_accounts (board, (const char * const *) accounts);
  bgpt_check_board_follow_monitor (board, monitor);

  /* As the Status view lays them out: the check list of the board. */
  bgpt_check_list_set_board (BGPT_CHECK_LIST (list), board);
  n_rows = g_list_model_get_n_items (G_LIST_MODEL (board));
  adw_window_set_content (ADW_WINDOW (window), list);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  shown = g_get_monotonic_time ();
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (window))
    g_main_context_iteration (NULL, TRUE);
  /* The first frame (the rows made and bound, their figures computed) is
   * the startup's, which bench-startup measures: scrolling starts after it. */
  wait_for_frame (window, FALSE);
  first_frame = g_get_monotonic_time ();
  /* A compositor may answer the first frame with the window's state and
   * size (Weston does), and GTK lays the window out again in the next
   * frame, before anything has moved. That is still the window starting:
   * have the display's answers and that frame before the scrolling. */
  gdk_display_sync (gtk_widget_get_display (window));
  wait_for_frame (window, TRUE);
  g_print ("scroll: on %s, first frame of the window %.1f ms after it was shown, "
           "settled %.1f ms after that\n",
           G_OBJECT_TYPE_NAME (gtk_widget_get_display (window)),
           (first_frame - shown) / 1000.0, (g_get_monotonic_time () - first_frame) / 1000.0);

  /* The first pass is the window's first scroll: its first frames also
   * pay for what the display backend sets up once. With the cairo renderer
   * on X11, cairo sends each frame's image through MIT-SHM: it let go of
   * the shared memory after the window's first frame, and makes it anew,
   * twice, in the first frames of the whole window after it. The second
   * pass is every scroll after it, and the third drags the scrollbar (see
   * on_tick()). All are reported. */
  for (guint pass = 1; pass <= 3; pass++)
    scroll_pass (window, list, seconds, pass, pass == 3,
                 g_file_test (directory, G_FILE_TEST_IS_DIR) ? "with history" : "no history",
                 n_rows, g_strv_length (accounts));
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  /* For g_print() to write "×" and "µs" as they are, not "?". */
  setlocale (LC_ALL, "");
  if (argc >= 4 && g_str_equal (argv[1], "generate"))
    return generate (argv[2], (guint) atoi (argv[3]));
  if (argc >= 3 && g_str_equal (argv[1], "load"))
    return load (argv[2], argc > 3 ? (guint) atoi (argv[3]) : 7);
  if (argc >= 3 && g_str_equal (argv[1], "append"))
    return append (argv[2], argc > 3 ? (guint) atoi (argv[3]) : 10000);
  if (argc >= 3 && g_str_equal (argv[1], "scroll"))
    {
      gtk_init ();
      adw_init ();
      bgpt_i18n_init ();
      bgpt_register_resource ();
      return scroll_rows (argv[2], argc > 3 ? (guint) atoi (argv[3]) : 6, argc > 4 ? (guint) atoi (argv[4]) : 100);
    }
  g_printerr ("usage: bench-history generate DIR ACCOUNTS | load DIR [RUNS] | append DIR [N] | scroll DIR [SECONDS]\n");
  return 2;
}
