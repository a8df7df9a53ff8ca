/* test-autostart.c: "start at login" without a Background portal writes an
 * XDG autostart entry, and turning it off removes it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "bgpt-autostart.h"

static char *config_home;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GError **error = user_data;

  if (!bgpt_autostart_set_enabled_finish (result, error))
    g_assert_nonnull (*error);
  else
    *error = NULL;
  g_object_set_data (G_OBJECT (g_task_get_cancellable (G_TASK (result))), "done", GINT_TO_POINTER (1));
}

static void
set_enabled (gboolean enabled)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  bgpt_autostart_set_enabled_async (enabled, cancellable, on_done, &error);
  while (g_object_get_data (G_OBJECT (cancellable), "done") == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (error);
}

static void
test_entry_written_and_removed (void)
{
  g_autofree char *path = bgpt_autostart_dup_entry_path ();
  g_autofree char *expected = g_build_filename (config_home, "autostart",
                                                "io.github.bytegpt.Monitor.desktop", NULL);
  g_autoptr(GKeyFile) entry = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *exec = NULL;
  g_autofree char *validate = NULL;

  g_assert_cmpstr (path, ==, expected);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  set_enabled (TRUE);
  g_key_file_load_from_file (entry, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  exec = g_key_file_get_string (entry, "Desktop Entry", "Exec", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (exec, ==, "bytegpt-monitor --background");
  g_assert_true (g_key_file_get_boolean (entry, "Desktop Entry", "X-GNOME-Autostart-enabled", NULL));

  /* The entry is one the desktop accepts. */
  validate = g_find_program_in_path ("desktop-file-validate");
  if (validate != NULL)
    {
      const char *argv[] = { validate, path, NULL };
      int status = 0;

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH,
                                   NULL, NULL, NULL, NULL, &status, &error));
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
    }

  /* Twice is harmless; off removes it, and off again too. */
  set_enabled (TRUE);
  set_enabled (FALSE);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  set_enabled (FALSE);
}

static gboolean
file_exists_is (const char *path,
                gboolean    exists)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (g_file_test (path, G_FILE_TEST_EXISTS) != exists && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  return g_file_test (path, G_FILE_TEST_EXISTS) == exists;
}

static void
test_follows_the_setting (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(BgptAutostart) autostart = NULL;
  g_autofree char *path = bgpt_autostart_dup_entry_path ();

  g_settings_set_boolean (settings, "start-at-login", FALSE);
  autostart = bgpt_autostart_new (settings);

  g_settings_set_boolean (settings, "start-at-login", TRUE);
  g_assert_true (file_exists_is (path, TRUE));
  g_settings_set_boolean (settings, "start-at-login", FALSE);
  g_assert_true (file_exists_is (path, FALSE));

  /* An entry left behind while the setting was off goes at the next start. */
  g_clear_object (&autostart);
  g_assert_true (g_file_set_contents (path, "[Desktop Entry]\n", -1, NULL));
  autostart = bgpt_autostart_new (settings);
  g_assert_true (file_exists_is (path, FALSE));
  g_settings_reset (settings, "start-at-login");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GTestDBus) bus = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  config_home = g_dir_make_tmp ("bgpt-test-autostart-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  g_test_init (&argc, &argv, NULL);

  /* A bus of our own with no portal on it. */
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);

  g_test_add_func ("/autostart/entry", test_entry_written_and_removed);
  g_test_add_func ("/autostart/follows-setting", test_follows_the_setting);
  status = g_test_run ();

  g_test_dbus_down (bus);
  {
    g_autofree char *directory = g_build_filename (config_home, "autostart", NULL);

    g_rmdir (directory);
    g_rmdir (config_home);
  }
  g_free (config_home);
  return status;
}
