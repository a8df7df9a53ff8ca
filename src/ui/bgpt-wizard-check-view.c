/* bgpt-wizard-check-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-wizard-check-view"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-catalog.h"
#include "bgpt-spinner.h"
#include "bgpt-wizard-check-view.h"

struct _BgptWizardCheckView
{
  GtkWidget             parent_instance;

  BgptWizardCheckState  state;
  BgptDiagnosis        *diagnosis;
  GCancellable         *cancellable;

  GtkLabel             *heading_label;
  GtkBox               *state_box;
  GtkWidget            *spinner;
  GtkImage             *state_icon;
  GtkLabel             *title_label;
  GtkLabel             *cause_label;
  GtkLabel             *steps_label;
  GtkLabel             *detail_label;
  GtkBox               *links_box;
};

G_DEFINE_FINAL_TYPE (BgptWizardCheckView, bgpt_wizard_check_view, GTK_TYPE_WIDGET)

static void
cancel_run (BgptWizardCheckView *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

static void
clear_links (BgptWizardCheckView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->links_box))) != NULL)
    gtk_box_remove (self->links_box, child);
  gtk_widget_set_visible (GTK_WIDGET (self->links_box), FALSE);
}

static void
set_label (GtkLabel   *label,
           const char *text)
{
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

static void
show_state (BgptWizardCheckView  *self,
            BgptWizardCheckState  state,
            const char           *title)
{
  static const char * const state_classes[] = { "success", "error", "dim-label" };
  const char *icon_name = NULL;
  const char *css_class = NULL;

  self->state = state;
  for (guint i = 0; i < G_N_ELEMENTS (state_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_icon), state_classes[i]);

  switch (state)
    {
    case BGPT_WIZARD_CHECK_OK:
      icon_name = "object-select-symbolic";
      css_class = "success";
      break;
    case BGPT_WIZARD_CHECK_FAILED:
      icon_name = "dialog-error-symbolic";
      css_class = "error";
      break;
    case BGPT_WIZARD_CHECK_SKIPPED:
      icon_name = "action-unavailable-symbolic";
      css_class = "dim-label";
      break;
    case BGPT_WIZARD_CHECK_IDLE:
    case BGPT_WIZARD_CHECK_RUNNING:
    default:
      break;
    }

  bgpt_spinner_set_active (self->spinner, state == BGPT_WIZARD_CHECK_RUNNING);
  gtk_widget_set_visible (GTK_WIDGET (self->state_icon), icon_name != NULL);
  if (icon_name != NULL)
    {
      gtk_image_set_from_icon_name (self->state_icon, icon_name);
      gtk_widget_add_css_class (GTK_WIDGET (self->state_icon), css_class);
    }

  gtk_label_set_text (self->title_label, title != NULL ? title : "");
  set_label (self->cause_label, NULL);
  set_label (self->steps_label, NULL);
  set_label (self->detail_label, NULL);
  clear_links (self);
  gtk_widget_set_visible (GTK_WIDGET (self), state != BGPT_WIZARD_CHECK_IDLE);
}

void
bgpt_wizard_check_view_reset (BgptWizardCheckView *self)
{
  g_return_if_fail (BGPT_IS_WIZARD_CHECK_VIEW (self));

  cancel_run (self);
  g_clear_pointer (&self->diagnosis, bgpt_diagnosis_free);
  show_state (self, BGPT_WIZARD_CHECK_IDLE, NULL);
}

GCancellable *
bgpt_wizard_check_view_begin (BgptWizardCheckView *self,
                              const char          *text)
{
  g_return_val_if_fail (BGPT_IS_WIZARD_CHECK_VIEW (self), NULL);

  cancel_run (self);
  g_clear_pointer (&self->diagnosis, bgpt_diagnosis_free);
  show_state (self, BGPT_WIZARD_CHECK_RUNNING, text);
  self->cancellable = g_cancellable_new ();
  return self->cancellable;
}

static char *
format_steps (const BgptCatalogStep *steps,
              guint                  n_steps)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < n_steps; i++)
    {
      if (i > 0)
        g_string_append_c (text, '\n');
      /* Translators: a numbered solution step: "1. Open the keys page." */
      g_string_append_printf (text, _("%u. %s"), i + 1, bgpt_catalog_step_text (&steps[i]));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
add_links (BgptWizardCheckView   *self,
           const BgptCatalogStep *steps,
           guint                  n_steps)
{
  for (guint i = 0; i < n_steps; i++)
    {
      const BgptCatalogStep *step = &steps[i];
      GtkWidget *button;

      /* In-app actions act on a stored account; here nothing is stored yet. */
      if (!bgpt_catalog_remediation_is_uri (step->remediation))
        continue;

      button = gtk_button_new_with_label (bgpt_catalog_step_label (step));
      gtk_widget_add_css_class (button, "link");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "app.open-uri");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", step->remediation);
      gtk_widget_set_tooltip_text (button, step->remediation);
      gtk_box_append (self->links_box, button);
      gtk_widget_set_visible (GTK_WIDGET (self->links_box), TRUE);
    }
}

static char *
format_detail (const BgptDiagnosis *diagnosis)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  if (diagnosis->http_status != 0)
    g_ptr_array_add (parts, g_strdup_printf ("HTTP %u", diagnosis->http_status));
  if (diagnosis->api_code != NULL)
    g_ptr_array_add (parts, g_strdup (diagnosis->api_code));
  if (diagnosis->api_message != NULL)
    g_ptr_array_add (parts, g_strdup (diagnosis->api_message));
  else if (diagnosis->detail != NULL)
    g_ptr_array_add (parts, g_strdup (diagnosis->detail));
  if (diagnosis->request_id != NULL)
    /* Translators: %s is the request id a support team asks for */
    g_ptr_array_add (parts, g_strdup_printf (_("request %s"), diagnosis->request_id));

  if (parts->len == 0)
    return NULL;
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

/* The cause for @reason. Someone setting up an account reads any failure
 * as a mistake of theirs: a failure on the provider's side says it is not. */
static char *
provider_side_cause (const BgptCatalogEntry *entry,
                     const char             *reason)
{
  const char *cause = bgpt_catalog_entry_cause_for (entry, reason);
  const char *whose;

  if ((entry->flags & BGPT_CATALOG_FLAGS_ABOUT_PROVIDER) == 0)
    return g_strdup (cause);
  if (entry->service == BGPT_SERVICE_KOMMO)
    whose = _("The problem is on Kommo’s side: the settings may well be right.");
  else
    whose = _("The problem is on OpenAI’s side: the settings may well be right.");
  return g_strconcat (cause, "\n\n", whose, NULL);
}

void
bgpt_wizard_check_view_set_diagnosis (BgptWizardCheckView *self,
                                      const BgptDiagnosis *diagnosis,
                                      const char          *success_text)
{
  const BgptCatalogEntry *entry;
  const BgptCatalogStep *catalog_steps;
  guint n_steps = 0;
  g_autofree char *steps = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *cause = NULL;

  g_return_if_fail (BGPT_IS_WIZARD_CHECK_VIEW (self));
  g_return_if_fail (diagnosis != NULL);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->diagnosis, bgpt_diagnosis_free);
  self->diagnosis = bgpt_diagnosis_copy (diagnosis);

  if (bgpt_diagnosis_is_ok (diagnosis))
    {
      show_state (self, BGPT_WIZARD_CHECK_OK, success_text);
      return;
    }

  entry = bgpt_catalog_lookup (diagnosis->error_id);
  if (entry == NULL)
    {
      show_state (self, BGPT_WIZARD_CHECK_FAILED, diagnosis->error_id);
      return;
    }

  show_state (self, BGPT_WIZARD_CHECK_FAILED, bgpt_catalog_entry_title (entry));
  cause = provider_side_cause (entry, diagnosis->reason);
  set_label (self->cause_label, cause);
  catalog_steps = bgpt_catalog_entry_steps_for (entry, diagnosis->reason, &n_steps);
  steps = format_steps (catalog_steps, n_steps);
  set_label (self->steps_label, steps);
  detail = format_detail (diagnosis);
  set_label (self->detail_label, detail);
  add_links (self, catalog_steps, n_steps);
}

void
bgpt_wizard_check_view_set_skipped (BgptWizardCheckView *self,
                                    const char          *text)
{
  g_return_if_fail (BGPT_IS_WIZARD_CHECK_VIEW (self));

  cancel_run (self);
  g_clear_pointer (&self->diagnosis, bgpt_diagnosis_free);
  show_state (self, BGPT_WIZARD_CHECK_SKIPPED, text);
}

void
bgpt_wizard_check_view_set_heading (BgptWizardCheckView *self,
                                    const char          *heading)
{
  g_return_if_fail (BGPT_IS_WIZARD_CHECK_VIEW (self));

  set_label (self->heading_label, heading);
}

BgptWizardCheckState
bgpt_wizard_check_view_get_state (BgptWizardCheckView *self)
{
  g_return_val_if_fail (BGPT_IS_WIZARD_CHECK_VIEW (self), BGPT_WIZARD_CHECK_IDLE);
  return self->state;
}

const char *
bgpt_wizard_check_view_get_title (BgptWizardCheckView *self)
{
  g_return_val_if_fail (BGPT_IS_WIZARD_CHECK_VIEW (self), NULL);
  return gtk_label_get_text (self->title_label);
}

const BgptDiagnosis *
bgpt_wizard_check_view_get_diagnosis (BgptWizardCheckView *self)
{
  g_return_val_if_fail (BGPT_IS_WIZARD_CHECK_VIEW (self), NULL);
  return self->diagnosis;
}

static void
bgpt_wizard_check_view_dispose (GObject *object)
{
  BgptWizardCheckView *self = BGPT_WIZARD_CHECK_VIEW (object);
  GtkWidget *child;

  cancel_run (self);
  g_clear_pointer (&self->diagnosis, bgpt_diagnosis_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), BGPT_TYPE_WIZARD_CHECK_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (bgpt_wizard_check_view_parent_class)->dispose (object);
}

static void
bgpt_wizard_check_view_class_init (BgptWizardCheckViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bgpt_wizard_check_view_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/ui/bgpt-wizard-check-view.ui");
  gtk_widget_class_bind_template_child (widget_class, BgptWizardCheckView, heading_label);
  gtk_widget_class_bind_template_child (widget_class, BgptWizardCheckView, state_box);
  gtk_widget_class_bind_template_child (widget_class, BgptWizardCheckView, state_icon);
  gtk_widget_class_bind_template_child (widget_class, BgptWizardCheckView, title_label);
  gtk_widget_class_bind_template_child (widget_class, BgptWizardCheckView, cause_label);
  gtk_widget_class_bind_template_child (widget_class, BgptWizardCheckView, steps_label);
  gtk_widget_class_bind_template_child (widget_class, BgptWizardCheckView, detail_label);
  gtk_widget_class_bind_template_child (widget_class, BgptWizardCheckView, links_box);
}

static void
bgpt_wizard_check_view_init (BgptWizardCheckView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->spinner = bgpt_spinner_new ();
  gtk_widget_set_valign (self->spinner, GTK_ALIGN_START);
  gtk_box_prepend (self->state_box, self->spinner);
}

GtkWidget *
bgpt_wizard_check_view_new (void)
{
  return g_object_new (BGPT_TYPE_WIZARD_CHECK_VIEW, NULL);
}
