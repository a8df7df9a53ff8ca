/* bgpt-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-application"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-application.h"
#include "bgpt-window.h"
#include "bgpt-i18n.h"
#include "cli/bgpt-cli.h"
#include "bgpt-resources.h"

struct _BgptApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (BgptApplication, bgpt_application, ADW_TYPE_APPLICATION)

static int
bgpt_application_handle_local_options (GApplication *application,
                                       GVariantDict *options)
{
  /* -1 lets GApplication go on: register, then activate the window. */
  return bgpt_cli_handle_options (options);
}

static void
bgpt_application_activate (GApplication *application)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL)
    window = GTK_WINDOW (bgpt_window_new (BGPT_APPLICATION (application)));

  gtk_window_present (window);
}

static void
bgpt_application_about_action (GSimpleAction *action,
                               GVariant      *parameter,
                               gpointer       user_data)
{
  GtkApplication *application = user_data;
  static const char *developers[] = { "ByteGPT Monitor developers", NULL };
  GtkWindow *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (application),
                        "application-name", _("ByteGPT Monitor"),
                        "application-icon", APPLICATION_ID,
                        "developer-name", _("ByteGPT Monitor developers"),
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        "comments", _("Sets up, tests and watches ByteGPT’s Kommo and OpenAI connections."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: put your name here */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (about);
}

static void
bgpt_application_quit_action (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "about", bgpt_application_about_action },
  { "quit", bgpt_application_quit_action },
};

static void
bgpt_application_startup (GApplication *application)
{
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (bgpt_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application),
                                   app_actions, G_N_ELEMENTS (app_actions),
                                   application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
}

static void
bgpt_application_class_init (BgptApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  bgpt_register_resource ();

  app_class->handle_local_options = bgpt_application_handle_local_options;
  app_class->startup = bgpt_application_startup;
  app_class->activate = bgpt_application_activate;
}

static void
bgpt_application_init (BgptApplication *self)
{
  bgpt_cli_add_main_options (G_APPLICATION (self));
}

BgptApplication *
bgpt_application_new (void)
{
  bgpt_i18n_init ();

  return g_object_new (BGPT_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_BASE_PATH,
                       NULL);
}
