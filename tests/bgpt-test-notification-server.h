/* bgpt-test-notification-server.h: tests/notification-server.py, the
 * stand-in org.freedesktop.Notifications, for the tests that run the app on
 * a private session bus (GNOTIFICATION_BACKEND=freedesktop).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "bgpt-test-utils.h"

typedef struct
{
  GSubprocess *process;
  char        *directory;
  char        *log_path;    /* one JSON object per call */
} BgptTestNotificationServer;

static inline gboolean
bgpt_test_name_has_owner (GDBusConnection *connection,
                          const char      *name)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

/* The server may log a Notify before its reply reaches the app, and GLib
 * 2.74's freedesktop backend does not keep itself alive for the replies of
 * its calls: it cannot withdraw a notification whose id it has not heard
 * yet, and crashes when a reply arrives after it is gone, or when the bus
 * goes away under notifications it still tracks. A round trip to the server
 * after the last call, then an idle main context, means every earlier reply
 * has been handled. */
static inline void
bgpt_test_settle_notifications (void)
{
  g_autoptr(GDBusConnection) connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;

  g_assert_nonnull (connection);
  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.Notifications",
                                       "/org/freedesktop/Notifications",
                                       "org.freedesktop.Notifications", "GetServerInformation",
                                       NULL, NULL, G_DBUS_CALL_FLAGS_NONE, 5000, NULL, NULL);
  g_assert_nonnull (reply);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Starts the server on the session bus, its log in a directory of its own
 * (outside the home, which holds only the user's data), and returns once
 * it owns its name. */
static inline void
bgpt_test_notification_server_start (BgptTestNotificationServer *server)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) connection = NULL;
  g_autofree char *script = g_build_filename (g_getenv ("BGPT_SOURCE_ROOT"), "tests",
                                              "notification-server.py", NULL);
  gint64 deadline;

  server->directory = g_dir_make_tmp ("bgpt-notification-server-XXXXXX", &error);
  g_assert_no_error (error);
  server->log_path = g_build_filename (server->directory, "notifications.log", NULL);
  server->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE, &error,
                                      "/usr/bin/python3", script, server->log_path, NULL);
  g_assert_no_error (error);

  connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + (gint64) bgpt_test_wait_bound_ms () * 1000;
  while (!bgpt_test_name_has_owner (connection, "org.freedesktop.Notifications"))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (50 * 1000);
    }
}

/* Closing its standard input ends the server; its log goes with it. */
static inline void
bgpt_test_notification_server_stop (BgptTestNotificationServer *server)
{
  g_output_stream_close (g_subprocess_get_stdin_pipe (server->process), NULL, NULL);
  g_subprocess_wait (server->process, NULL, NULL);
  g_clear_object (&server->process);
  g_remove (server->log_path);
  g_rmdir (server->directory);
  g_clear_pointer (&server->log_path, g_free);
  g_clear_pointer (&server->directory, g_free);
}

/* Every call the server has logged so far, in order. */
static inline JsonArray *
bgpt_test_notification_server_read_calls (BgptTestNotificationServer *server)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  JsonArray *calls = json_array_new ();

  if (!g_file_get_contents (server->log_path, &contents, NULL, NULL))
    return calls;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = NULL;

      if (*lines[i] == '\0')
        continue;
      node = json_from_string (lines[i], NULL);
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        json_array_add_object_element (calls, json_object_ref (json_node_get_object (node)));
    }
  return calls;
}
