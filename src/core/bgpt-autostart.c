/* bgpt-autostart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-autostart"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include <errno.h>

#if HAVE_LIBPORTAL
#include <libportal/portal.h>
#endif

#include "bgpt-autostart.h"

#define BINARY_NAME "bytegpt-monitor"
#define BACKGROUND_OPTION "--background"

struct _BgptAutostart
{
  GObject       parent_instance;

  GSettings    *settings;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (BgptAutostart, bgpt_autostart, G_TYPE_OBJECT)

char *
bgpt_autostart_dup_entry_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "autostart",
                           APPLICATION_ID ".desktop", NULL);
}

static char *
entry_contents (void)
{
  g_autoptr(GString) text = g_string_new ("[Desktop Entry]\n");
  g_autofree char *name = g_strescape (_("ByteGPT Monitor"), NULL);

  g_string_append (text, "Type=Application\n");
  g_string_append_printf (text, "Name=%s\n", name);
  g_string_append (text, "Exec=" BINARY_NAME " " BACKGROUND_OPTION "\n");
  g_string_append (text, "Icon=" APPLICATION_ID "\n");
  g_string_append (text, "Terminal=false\n");
  g_string_append (text, "NoDisplay=true\n");
  g_string_append (text, "X-GNOME-Autostart-enabled=true\n");
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
write_entry_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  gboolean enabled = GPOINTER_TO_INT (task_data);
  g_autofree char *path = bgpt_autostart_dup_entry_path ();
  g_autoptr(GError) error = NULL;

  if (enabled)
    {
      g_autofree char *directory = g_path_get_dirname (path);
      g_autofree char *contents = entry_contents ();

      if (g_mkdir_with_parents (directory, 0700) != 0)
        {
          int saved_errno = errno;

          g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                                   _("Could not create the folder %s: %s"),
                                   directory, g_strerror (saved_errno));
          return;
        }
      if (!g_file_set_contents (path, contents, -1, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }
  else if (g_unlink (path) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               _("Could not remove %s: %s"), path, g_strerror (saved_errno));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
write_entry (GTask *task)
{
  g_task_run_in_thread (task, write_entry_thread);
  /* The thread holds its own reference; this one was handed to us. */
  g_object_unref (task);
}

#if HAVE_LIBPORTAL
static void
on_background_requested (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (xdp_portal_request_background_finish (XDP_PORTAL (source), result, &error))
    {
      gboolean enabled = GPOINTER_TO_INT (g_task_get_task_data (task));

      g_debug ("The Background portal %s autostart", enabled ? "granted" : "removed");
      /* An entry written before the portal was there must not linger. */
      if (!enabled)
        write_entry (g_steal_pointer (&task));
      else
        g_task_return_boolean (task, TRUE);
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  /* The user said no in the portal's dialog: respect it, write nothing. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                               _("Starting at login was not allowed."));
      return;
    }

  g_debug ("No Background portal (%s): using an autostart entry", error->message);
  write_entry (g_steal_pointer (&task));
}
#endif

void
bgpt_autostart_set_enabled_async (gboolean             enabled,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, bgpt_autostart_set_enabled_async);
  g_task_set_task_data (task, GINT_TO_POINTER (enabled), NULL);

#if HAVE_LIBPORTAL
  {
    g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
    g_autoptr(XdpPortal) portal = bus != NULL ? xdp_portal_new () : NULL;

    if (portal != NULL)
      {
        g_autoptr(GPtrArray) commandline = g_ptr_array_new ();

        g_ptr_array_add (commandline, (gpointer) BINARY_NAME);
        g_ptr_array_add (commandline, (gpointer) BACKGROUND_OPTION);
        xdp_portal_request_background (portal, NULL,
                                       _("Keep watching the ByteGPT connections and notify you of problems"),
                                       commandline,
                                       enabled ? XDP_BACKGROUND_FLAG_AUTOSTART : XDP_BACKGROUND_FLAG_NONE,
                                       cancellable, on_background_requested,
                                       g_steal_pointer (&task));
        return;
      }
  }
#endif

  write_entry (g_steal_pointer (&task));
}

gboolean
bgpt_autostart_set_enabled_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bgpt_autostart_set_enabled_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_applied (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(BgptAutostart) self = user_data;
  g_autoptr(GError) error = NULL;

  if (bgpt_autostart_set_enabled_finish (result, &error))
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_warning ("Start at login: %s", error->message);
  if (self->settings != NULL && g_settings_get_boolean (self->settings, "start-at-login"))
    g_settings_set_boolean (self->settings, "start-at-login", FALSE);
}

static void
apply (BgptAutostart *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  bgpt_autostart_set_enabled_async (g_settings_get_boolean (self->settings, "start-at-login"),
                                    self->cancellable, on_applied, g_object_ref (self));
}

static void
on_start_at_login_changed (GSettings     *settings,
                           const char    *key,
                           BgptAutostart *self)
{
  apply (self);
}

static void
bgpt_autostart_dispose (GObject *object)
{
  BgptAutostart *self = BGPT_AUTOSTART (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (bgpt_autostart_parent_class)->dispose (object);
}

static void
bgpt_autostart_class_init (BgptAutostartClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = bgpt_autostart_dispose;
}

static void
bgpt_autostart_init (BgptAutostart *self)
{
}

BgptAutostart *
bgpt_autostart_new (GSettings *settings)
{
  BgptAutostart *self;
  g_autofree char *path = bgpt_autostart_dup_entry_path ();
  gboolean enabled;
  gboolean exists;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (BGPT_TYPE_AUTOSTART, NULL);
  self->settings = g_object_ref (settings);
  g_signal_connect (settings, "changed::start-at-login",
                    G_CALLBACK (on_start_at_login_changed), self);

  /* At start-up only a mismatch needs work. Inside a sandbox the portal
   * keeps the entry where we cannot see it, and asking it again on every
   * launch would be noise. */
  enabled = g_settings_get_boolean (settings, "start-at-login");
  exists = g_file_test (path, G_FILE_TEST_EXISTS);
  if ((!enabled && exists) ||
      (enabled && !exists && !g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS)))
    apply (self);
  return self;
}
