/* bench-window-incidents.c: how long opening the Notificações view takes
 * with a full history (500 stored incidents), from the switch to the first
 * frame that shows it. Runs the real application in-process under the X
 * server in $DISPLAY, with a throwaway XDG_STATE_HOME.
 *
 *   bench-window-incidents [RUNS]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "bgpt-incident-store.h"
#include "ui/bgpt-application.h"
#include "ui/bgpt-window.h"

#define N_INCIDENTS (g_getenv ("BGPT_BENCH_INCIDENTS") ? (guint) atoi (g_getenv ("BGPT_BENCH_INCIDENTS")) : 500)

static gboolean painted;

static void
on_after_paint (GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  painted = TRUE;
}

static void
wait_for_frame (GtkWidget *widget)
{
  GdkFrameClock *frame_clock = gtk_widget_get_frame_clock (widget);
  gulong handler = g_signal_connect (frame_clock, "after-paint", G_CALLBACK (on_after_paint), NULL);

  painted = FALSE;
  gtk_widget_queue_draw (widget);
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (frame_clock, handler);
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
write_history (void)
{
  g_autoptr(BgptIncidentStore) store = bgpt_incident_store_new (NULL);
  g_autoptr(GError) error = NULL;
  gboolean loaded = FALSE;

  bgpt_incident_store_load_async (store, NULL, on_loaded, &loaded);
  while (!loaded)
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < N_INCIDENTS; i++)
    {
      g_autofree char *account = g_strdup_printf ("loja-%03u", i);
      g_autoptr(BgptDiagnosis) diagnosis = bgpt_diagnosis_new (i % 2 ? "openai.key" : "kommo.account",
                                                               i % 2 ? "openai.auth" : "kommo.auth");

      diagnosis->http_status = 401;
      diagnosis->request_id = g_strdup_printf ("req_%06u", i);
      diagnosis->api_message = g_strdup ("Incorrect API key provided: sk-ab***wxyz.");
      bgpt_incident_store_report (store, account, diagnosis);
    }
  if (!bgpt_incident_store_flush (store, &error))
    g_error ("%s", error ? error->message : "flush");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *state = g_dir_make_tmp ("bgpt-bench-incidents-XXXXXX", NULL);
  g_autoptr(BgptApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  BgptIncidentStore *store;
  int runs = argc > 1 ? atoi (argv[1]) : 5;
  double total = 0, worst = 0;

  g_setenv ("XDG_STATE_HOME", state, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_init ();

  write_history ();

  app = bgpt_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("%s", error->message);

  store = bgpt_application_get_incident_store (app);
  while (!bgpt_incident_store_is_loaded (store))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, N_INCIDENTS);

  for (int i = 0; i < runs; i++)
    {
      BgptWindow *window = bgpt_window_new (app);
      gint64 start;
      double ms;

      gtk_window_present (GTK_WINDOW (window));
      wait_for_frame (GTK_WIDGET (window));
      /* Let the first round of checks and the monitor settle. */
      for (int j = 0; j < 50 && g_main_context_pending (NULL); j++)
        g_main_context_iteration (NULL, FALSE);
      wait_for_frame (GTK_WIDGET (window));

      start = g_get_monotonic_time ();
      bgpt_window_set_view (window, "incidents");
      wait_for_frame (GTK_WIDGET (window));
      ms = (g_get_monotonic_time () - start) / 1000.0;

      g_print ("run %d: Notificações with %u incidents shown in %.1f ms\n", i + 1, N_INCIDENTS, ms);
      total += ms;
      worst = MAX (worst, ms);
      gtk_window_destroy (GTK_WINDOW (window));
    }

  g_print ("mean %.1f ms, worst %.1f ms (target: under 100 ms)\n", total / runs, worst);
  return 0;
}
