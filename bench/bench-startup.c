/* bench-startup.c: time from launch to the first painted window, and peak
 * RSS, of a GTK program under the X server in $DISPLAY (Xvfb).
 *
 *   bench-startup RUNS -- PROGRAM [ARGS…]
 *
 * Watches the root window for the program's toplevel to be mapped, then
 * for the first damage (pixels drawn) on it with the DAMAGE extension: that
 * is the first frame. Peak RSS (VmHWM) is read two seconds later, when the
 * window has done its start-up work. Prints one line per run and the
 * medians. The program is killed after each run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <X11/Xlib.h>
#include <X11/extensions/Xdamage.h>

static gint64
peak_rss_kib (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents (path, &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmHWM:");
  return line != NULL ? g_ascii_strtoll (line + strlen ("VmHWM:"), NULL, 10) : -1;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, values->len / 2);
}

static gboolean
wait_for_event (Display *display,
                XEvent  *event,
                gint64   deadline)
{
  while (XPending (display) == 0)
    {
      struct pollfd fd = { ConnectionNumber (display), POLLIN, 0 };
      gint64 left = deadline - g_get_monotonic_time ();

      if (left <= 0)
        return FALSE;
      poll (&fd, 1, (int) (left / 1000) + 1);
    }
  XNextEvent (display, event);
  return TRUE;
}

static gboolean
run_once (char   **argv,
          double  *map_ms,
          double  *frame_ms,
          double  *rss_mib)
{
  Display *display = XOpenDisplay (NULL);
  int damage_event, damage_error;
  Window toplevel = None;
  g_autoptr(GError) error = NULL;
  gint64 start, deadline;
  gboolean painted = FALSE;
  GPid pid;
  XEvent event;

  if (display == NULL || !XDamageQueryExtension (display, &damage_event, &damage_error))
    g_error ("No X display with the DAMAGE extension");

  XSelectInput (display, DefaultRootWindow (display), SubstructureNotifyMask);
  XSync (display, False);

  start = g_get_monotonic_time ();
  if (!g_spawn_async (NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH,
                      NULL, NULL, &pid, &error))
    g_error ("%s", error->message);

  deadline = start + 30 * G_USEC_PER_SEC;
  while (!painted && wait_for_event (display, &event, deadline))
    {
      if (event.type == MapNotify && toplevel == None && !event.xmap.override_redirect)
        {
          toplevel = event.xmap.window;
          *map_ms = (g_get_monotonic_time () - start) / 1000.0;
          XDamageCreate (display, toplevel, XDamageReportNonEmpty);
          XSync (display, False);
        }
      else if (event.type == damage_event + XDamageNotify &&
               ((XDamageNotifyEvent *) &event)->drawable == toplevel)
        {
          *frame_ms = (g_get_monotonic_time () - start) / 1000.0;
          painted = TRUE;
        }
    }

  if (painted)
    {
      g_usleep (2 * G_USEC_PER_SEC);
      *rss_mib = peak_rss_kib (pid) / 1024.0;
    }

  kill (pid, SIGTERM);
  waitpid (pid, NULL, 0);
  /* The window is gone with the program, and its damage object with it. */
  XCloseDisplay (display);
  return painted;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GArray) maps = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) frames = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) rss = g_array_new (FALSE, FALSE, sizeof (double));
  int runs;

  if (argc < 4 || strcmp (argv[2], "--") != 0)
    {
      g_printerr ("usage: bench-startup RUNS -- PROGRAM [ARGS…]\n");
      return 2;
    }
  runs = atoi (argv[1]);

  for (int i = 0; i < runs; i++)
    {
      double map_ms = 0, frame_ms = 0, rss_mib = 0;

      if (!run_once (argv + 3, &map_ms, &frame_ms, &rss_mib))
        g_error ("%s showed no window within 30 s", argv[3]);
      g_print ("run %d: mapped %.0f ms, first frame %.0f ms, peak RSS %.1f MiB\n",
               i + 1, map_ms, frame_ms, rss_mib);
      g_array_append_val (maps, map_ms);
      g_array_append_val (frames, frame_ms);
      g_array_append_val (rss, rss_mib);
    }

  g_print ("median: mapped %.0f ms, first frame %.0f ms, peak RSS %.1f MiB\n",
           median (maps), median (frames), median (rss));
  return 0;
}
