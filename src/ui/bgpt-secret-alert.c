/* bgpt-secret-alert.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-secret-alert"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-secret-alert.h"
#include "bgpt-validation.h"

/* libadwaita 1.5 replaced AdwMessageDialog (a window, deprecated in 1.6) by
 * AdwAlertDialog (shown inside its parent window). Their calls differ only
 * in name; the libadwaita 1.2 fallback is the message dialog. */
#if ADW_CHECK_VERSION (1, 5, 0)
#define ALERT(widget) ADW_ALERT_DIALOG (widget)
#define alert_add_responses adw_alert_dialog_add_responses
#define alert_set_response_appearance adw_alert_dialog_set_response_appearance
#define alert_get_response_enabled adw_alert_dialog_get_response_enabled
#define alert_set_response_enabled adw_alert_dialog_set_response_enabled
#define alert_set_default_response adw_alert_dialog_set_default_response
#define alert_set_close_response adw_alert_dialog_set_close_response
#define alert_set_extra_child adw_alert_dialog_set_extra_child
#define alert_get_heading adw_alert_dialog_get_heading
#else
#define ALERT(widget) ADW_MESSAGE_DIALOG (widget)
#define alert_add_responses adw_message_dialog_add_responses
#define alert_set_response_appearance adw_message_dialog_set_response_appearance
#define alert_get_response_enabled adw_message_dialog_get_response_enabled
#define alert_set_response_enabled adw_message_dialog_set_response_enabled
#define alert_set_default_response adw_message_dialog_set_default_response
#define alert_set_close_response adw_message_dialog_set_close_response
#define alert_set_extra_child adw_message_dialog_set_extra_child
#define alert_get_heading adw_message_dialog_get_heading
#endif

static void
on_entry_changed (GtkEditable *entry,
                  GtkWidget   *alert)
{
  alert_set_response_enabled (ALERT (alert), "save",
                              bgpt_validate_secret (gtk_editable_get_text (entry), NULL));
}

static void
on_entry_activate (GtkWidget *entry,
                   GtkWidget *alert)
{
  if (bgpt_secret_alert_get_save_enabled (alert))
    bgpt_secret_alert_save (alert);
}

GtkWidget *
bgpt_secret_alert_new (const char *heading,
                       const char *body,
                       GtkWidget  *entry)
{
  GtkWidget *alert;

  g_return_val_if_fail (GTK_IS_EDITABLE (entry), NULL);

#if ADW_CHECK_VERSION (1, 5, 0)
  alert = GTK_WIDGET (adw_alert_dialog_new (heading, body));
#else
  alert = adw_message_dialog_new (NULL, heading, body);
#endif
  alert_add_responses (ALERT (alert),
                       "cancel", _("_Cancel"),
                       "save", _("_Save"),
                       NULL);
  alert_set_response_appearance (ALERT (alert), "save", ADW_RESPONSE_SUGGESTED);
  alert_set_default_response (ALERT (alert), "save");
  alert_set_close_response (ALERT (alert), "cancel");

  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, heading,
                                  -1);
  alert_set_extra_child (ALERT (alert), entry);
  on_entry_changed (GTK_EDITABLE (entry), alert);
  g_signal_connect (entry, "changed", G_CALLBACK (on_entry_changed), alert);
  g_signal_connect (entry, "activate", G_CALLBACK (on_entry_activate), alert);
  g_object_set_data (G_OBJECT (alert), "bgpt-secret-alert-entry", entry);
  return alert;
}

void
bgpt_secret_alert_present (GtkWidget *alert,
                           GtkWindow *parent)
{
  GtkWidget *entry = g_object_get_data (G_OBJECT (alert), "bgpt-secret-alert-entry");

#if ADW_CHECK_VERSION (1, 5, 0)
  adw_dialog_present (ADW_DIALOG (alert), GTK_WIDGET (parent));
#else
  gtk_window_set_transient_for (GTK_WINDOW (alert), parent);
  gtk_window_present (GTK_WINDOW (alert));
#endif
  gtk_widget_grab_focus (entry);
}

const char *
bgpt_secret_alert_get_heading (GtkWidget *alert)
{
  return alert_get_heading (ALERT (alert));
}

gboolean
bgpt_secret_alert_get_save_enabled (GtkWidget *alert)
{
  return alert_get_response_enabled (ALERT (alert), "save");
}

void
bgpt_secret_alert_save (GtkWidget *alert)
{
  g_object_ref (alert);
#if ADW_CHECK_VERSION (1, 5, 0)
  /* The response first, then the close, which would answer "cancel". */
  g_signal_emit_by_name (alert, "response", "save");
  adw_dialog_force_close (ADW_DIALOG (alert));
#else
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (alert), "save");
  gtk_window_close (GTK_WINDOW (alert));
#endif
  g_object_unref (alert);
}

GtkWidget *
bgpt_secret_alert_find (GtkWindow *window)
{
#if ADW_CHECK_VERSION (1, 5, 0)
  AdwDialog *dialog = NULL;

  if (ADW_IS_APPLICATION_WINDOW (window))
    dialog = adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window));
  else if (ADW_IS_WINDOW (window))
    dialog = adw_window_get_visible_dialog (ADW_WINDOW (window));
  if (ADW_IS_ALERT_DIALOG (dialog) &&
      g_object_get_data (G_OBJECT (dialog), "bgpt-secret-alert-entry") != NULL)
    return GTK_WIDGET (dialog);
#else
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)) &&
          gtk_window_get_transient_for (toplevel) == window &&
          g_object_get_data (G_OBJECT (toplevel), "bgpt-secret-alert-entry") != NULL)
        return GTK_WIDGET (toplevel);
    }
#endif
  return NULL;
}

void
bgpt_secret_alert_unfocus (GtkWidget *alert)
{
#if ADW_CHECK_VERSION (1, 5, 0)
  adw_dialog_set_focus (ADW_DIALOG (alert), NULL);
#else
  gtk_window_set_focus (GTK_WINDOW (alert), NULL);
#endif
}
