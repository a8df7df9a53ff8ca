/* bgpt-preferences.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-preferences.h"

struct _BgptPreferences
{
  AdwPreferencesPage    parent_instance;

  GSettings            *settings;

  AdwComboRow          *interval_row;
  AdwComboRow          *retry_row;
  AdwComboRow          *failure_row;
  AdwComboRow          *success_row;
  GtkAdjustment        *timeout_adjustment;
  GtkSwitch            *deep_switch;
  GtkSwitch            *notifications_switch;
  AdwActionRow         *resolved_row;
  GtkSwitch            *resolved_switch;
  AdwComboRow          *reminder_row;
  GtkSwitch            *background_switch;
  GtkSwitch            *login_switch;
};

G_DEFINE_FINAL_TYPE (BgptPreferences, bgpt_preferences, ADW_TYPE_PREFERENCES_PAGE)

/* The values a combo row offers for one unsigned setting. A stored value
 * that is not among them (set from the command line, or by the tests) shows
 * as the nearest choice and stays as it is until a choice is made. */
typedef struct
{
  const char *key;
  guint       n_values;
  guint       values[8];
} Choices;

static const Choices interval_choices = {
  "check-interval", 7, { 60, 120, 300, 600, 900, 1800, 3600 } };
static const Choices retry_choices = {
  "retry-interval", 5, { 10, 30, 60, 120, 300 } };
static const Choices failure_choices = {
  "failure-threshold", 5, { 1, 2, 3, 5, 10 } };
static const Choices success_choices = {
  "success-threshold", 4, { 1, 2, 3, 5 } };
static const Choices reminder_choices = {
  "reminder-interval", 6, { 0, 3600, 10800, 21600, 43200, 86400 } };

static char *
describe_duration (guint seconds)
{
  if (seconds != 0 && seconds % 3600 == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u hour", "%u hours", seconds / 3600),
                            seconds / 3600);
  if (seconds != 0 && seconds % 60 == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute", "%u minutes", seconds / 60),
                            seconds / 60);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u second", "%u seconds", seconds),
                          seconds);
}

static char *
describe (const Choices *choices,
          guint          value)
{
  if (choices == &failure_choices)
    {
      if (value == 1)
        return g_strdup (_("the first time"));
      /* Translators: how many failed checks in a row make a problem. */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u time in a row",
                                           "%u times in a row", value), value);
    }
  if (choices == &success_choices)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u successful check",
                                         "%u successful checks in a row", value), value);
  if (choices == &reminder_choices)
    {
      g_autofree char *duration = NULL;

      if (value == 0)
        return g_strdup (_("Never"));
      duration = describe_duration (value);
      /* Translators: %s is a duration such as "6 hours". */
      return g_strdup_printf (_("Every %s"), duration);
    }
  return describe_duration (value);
}

static gboolean
value_to_selected (GValue   *value,
                   GVariant *variant,
                   gpointer  user_data)
{
  const Choices *choices = user_data;
  guint stored = g_variant_get_uint32 (variant);
  guint best = 0;

  for (guint i = 1; i < choices->n_values; i++)
    if ((guint) ABS ((gint64) choices->values[i] - stored) <
        (guint) ABS ((gint64) choices->values[best] - stored))
      best = i;
  g_value_set_uint (value, best);
  return TRUE;
}

static GVariant *
selected_to_value (const GValue       *value,
                   const GVariantType *expected_type,
                   gpointer            user_data)
{
  const Choices *choices = user_data;
  guint selected = g_value_get_uint (value);

  if (selected >= choices->n_values)
    return NULL;
  return g_variant_new_uint32 (choices->values[selected]);
}

static void
bind_choices (BgptPreferences *self,
              AdwComboRow     *row,
              const Choices   *choices)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);

  for (guint i = 0; i < choices->n_values; i++)
    {
      g_autofree char *label = describe (choices, choices->values[i]);

      gtk_string_list_append (model, label);
    }
  adw_combo_row_set_model (row, G_LIST_MODEL (model));
  g_settings_bind_with_mapping (self->settings, choices->key, row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                value_to_selected, selected_to_value,
                                (gpointer) choices, NULL);
}

static void
bgpt_preferences_dispose (GObject *object)
{
  BgptPreferences *self = BGPT_PREFERENCES (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BGPT_TYPE_PREFERENCES);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (bgpt_preferences_parent_class)->dispose (object);
}

static void
bgpt_preferences_class_init (BgptPreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bgpt_preferences_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/ui/bgpt-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, BgptPreferences, interval_row);
  gtk_widget_class_bind_template_child (widget_class, BgptPreferences, retry_row);
  gtk_widget_class_bind_template_child (widget_class, BgptPreferences, failure_row);
  gtk_widget_class_bind_template_child (widget_class, BgptPreferences, success_row);
  gtk_widget_class_bind_template_child (widget_class, BgptPreferences, timeout_adjustment);
  gtk_widget_class_bind_template_child (widget_class, BgptPreferences, deep_switch);
  gtk_widget_class_bind_template_child (widget_class, BgptPreferences, notifications_switch);
  gtk_widget_class_bind_template_child (widget_class, BgptPreferences, resolved_row);
  gtk_widget_class_bind_template_child (widget_class, BgptPreferences, resolved_switch);
  gtk_widget_class_bind_template_child (widget_class, BgptPreferences, reminder_row);
  gtk_widget_class_bind_template_child (widget_class, BgptPreferences, background_switch);
  gtk_widget_class_bind_template_child (widget_class, BgptPreferences, login_switch);
}

static void
bgpt_preferences_init (BgptPreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

BgptPreferences *
bgpt_preferences_new (GSettings *settings)
{
  BgptPreferences *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (BGPT_TYPE_PREFERENCES, NULL);
  self->settings = g_object_ref (settings);

  bind_choices (self, self->interval_row, &interval_choices);
  bind_choices (self, self->retry_row, &retry_choices);
  bind_choices (self, self->failure_row, &failure_choices);
  bind_choices (self, self->success_row, &success_choices);
  bind_choices (self, self->reminder_row, &reminder_choices);

  g_settings_bind (settings, "timeout", self->timeout_adjustment, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "deep-check", self->deep_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "notifications", self->notifications_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "notify-resolved", self->resolved_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "run-in-background", self->background_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "start-at-login", self->login_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);

  /* Without notifications, their options mean nothing. */
  g_settings_bind (settings, "notifications", self->resolved_row, "sensitive",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (settings, "notifications", self->reminder_row, "sensitive",
                   G_SETTINGS_BIND_GET);
  return self;
}

#define PREFERENCES_WIDTH 620
#define PREFERENCES_HEIGHT 700

GtkWidget *
bgpt_preferences_present (GtkWindow *parent,
                          GSettings *settings)
{
  AdwPreferencesPage *page = ADW_PREFERENCES_PAGE (bgpt_preferences_new (settings));

#if ADW_CHECK_VERSION (1, 5, 0)
  AdwDialog *dialog = adw_preferences_dialog_new ();

  adw_dialog_set_title (dialog, _("Preferences"));
  adw_dialog_set_content_width (dialog, PREFERENCES_WIDTH);
  adw_dialog_set_content_height (dialog, PREFERENCES_HEIGHT);
  adw_preferences_dialog_set_search_enabled (ADW_PREFERENCES_DIALOG (dialog), FALSE);
  adw_preferences_dialog_add (ADW_PREFERENCES_DIALOG (dialog), page);
  adw_dialog_present (dialog, GTK_WIDGET (parent));
  return GTK_WIDGET (dialog);
#else
  GtkWidget *window = adw_preferences_window_new ();

  gtk_window_set_title (GTK_WINDOW (window), _("Preferences"));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  gtk_window_set_default_size (GTK_WINDOW (window), PREFERENCES_WIDTH, PREFERENCES_HEIGHT);
  adw_preferences_window_set_search_enabled (ADW_PREFERENCES_WINDOW (window), FALSE);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  return window;
#endif
}
