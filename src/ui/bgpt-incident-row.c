/* bgpt-incident-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-incident-row"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-format.h"
#include "bgpt-incident-row.h"
#include "bgpt-remediation.h"
#include "bgpt-window.h"

/* The facts of the exchange, in the order of bgpt-incident-details.ui. */
enum {
  FACT_HTTP_STATUS,
  FACT_API_MESSAGE,
  FACT_ERROR_CODE,
  FACT_REASON,
  FACT_DETAIL,
  FACT_REQUEST_ID,
  N_FACTS
};

static const char * const fact_ids[N_FACTS] = {
  "http_status", "api_message", "error_code", "reason", "detail", "request_id",
};

struct _BgptIncidentRow
{
  AdwExpanderRow  parent_instance;

  BgptIncident   *incident;
  char           *account_name;

  GtkImage       *state_icon;
  GtkLabel       *unread_label;

  /* Built on the first expansion, from bgpt-incident-details.ui. */
  GtkWidget      *details_row;
  GtkLabel       *cause_label;
  GtkWidget      *provider_box;
  GtkImage       *provider_icon;
  GtkLabel       *provider_label;
  GtkWidget      *steps_heading;
  GtkBox         *steps_box;
  GtkWidget      *facts[N_FACTS];
  GtkLabel       *fact_values[N_FACTS];
  BgptStatusReport *provider_status;
};

G_DEFINE_FINAL_TYPE (BgptIncidentRow, bgpt_incident_row, ADW_TYPE_EXPANDER_ROW)

static GtkWidget *
new_label (const char *text,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_halign (label, GTK_ALIGN_FILL);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static GtkWidget *
new_step (const BgptCatalogStep *step,
          guint                  number,
          const char            *account_id,
          const char            *incident_id)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  g_autofree char *text = g_strdup_printf ("%u. %s", number, _(step->text));
  g_autofree char *action_name = NULL;
  g_autoptr(GVariant) target = NULL;

  gtk_box_append (GTK_BOX (box), new_label (text, NULL));

  if (step->button_label != NULL &&
      bgpt_remediation_resolve (step->remediation, account_id, incident_id, &action_name, &target))
    {
      GtkWidget *button = gtk_button_new_with_label (_(step->button_label));

      gtk_widget_set_halign (button, GTK_ALIGN_START);
      gtk_widget_add_css_class (button, "remediation");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
      if (target != NULL)
        gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), target);
      if (bgpt_catalog_remediation_is_uri (step->remediation))
        gtk_widget_set_tooltip_text (button, step->remediation);
      gtk_box_append (GTK_BOX (box), button);
    }

  return box;
}

static void
update_provider_status (BgptIncidentRow *self)
{
  const char *icon = "dialog-question-symbolic";
  g_autofree char *text = NULL;

  if (self->provider_box == NULL)
    return;

  gtk_widget_set_visible (self->provider_box, self->provider_status != NULL);
  if (self->provider_status == NULL)
    return;

  switch (self->provider_status->indicator)
    {
    case BGPT_STATUS_INDICATOR_NONE:
      icon = "object-select-symbolic";
      break;
    case BGPT_STATUS_INDICATOR_MINOR:
    case BGPT_STATUS_INDICATOR_MAINTENANCE:
      icon = "dialog-warning-symbolic";
      break;
    case BGPT_STATUS_INDICATOR_MAJOR:
    case BGPT_STATUS_INDICATOR_CRITICAL:
      icon = "dialog-error-symbolic";
      break;
    case BGPT_STATUS_INDICATOR_UNKNOWN:
    default:
      break;
    }

  /* Translators: %s is how the API's components stand on status.openai.com,
   * e.g. "All systems operational" */
  text = g_strdup_printf (_("The API on status.openai.com: %s"),
                          bgpt_status_indicator_describe (self->provider_status->indicator));
  gtk_image_set_from_icon_name (self->provider_icon, icon);
  gtk_label_set_label (self->provider_label, text);
}

static void
set_fact (BgptIncidentRow *self,
          guint            fact,
          const char      *value)
{
  gtk_widget_set_visible (self->facts[fact], value != NULL);
  gtk_label_set_label (self->fact_values[fact], value);
}

/* Fills the details in with what the incident says now. */
static void
update_details (BgptIncidentRow *self)
{
  BgptIncident *incident = self->incident;
  const char *account_id = bgpt_incident_get_account_id (incident);
  const char *incident_id = bgpt_incident_get_id (incident);
  const char *cause = bgpt_incident_get_cause (incident);
  const char *api_type = bgpt_incident_get_api_type (incident);
  const char *api_code = bgpt_incident_get_api_code (incident);
  g_autofree char *status = NULL;
  g_autofree char *code = NULL;
  const BgptCatalogStep *catalog_steps;
  GtkWidget *child;
  guint n_steps;

  gtk_widget_set_visible (GTK_WIDGET (self->cause_label), cause != NULL);
  gtk_label_set_label (self->cause_label, cause);
  update_provider_status (self);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->steps_box))) != NULL)
    gtk_box_remove (self->steps_box, child);
  catalog_steps = bgpt_incident_get_steps (incident, &n_steps);
  for (guint i = 0; i < n_steps; i++)
    gtk_box_append (self->steps_box, new_step (&catalog_steps[i], i + 1, account_id, incident_id));
  gtk_widget_set_visible (self->steps_heading, n_steps > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->steps_box), n_steps > 0);

  if (bgpt_incident_get_http_status (incident) != 0)
    status = g_strdup_printf ("%u", bgpt_incident_get_http_status (incident));
  if (api_code != NULL || api_type != NULL)
    code = g_strjoin (" / ", api_type != NULL ? api_type : "—", api_code != NULL ? api_code : "—", NULL);
  set_fact (self, FACT_HTTP_STATUS, status);
  set_fact (self, FACT_API_MESSAGE, bgpt_incident_get_api_message (incident));
  set_fact (self, FACT_ERROR_CODE, code);
  set_fact (self, FACT_REASON, bgpt_incident_get_reason (incident));
  set_fact (self, FACT_DETAIL, bgpt_incident_get_detail (incident));
  set_fact (self, FACT_REQUEST_ID, bgpt_incident_get_request_id (incident));
}

static void
ensure_details (BgptIncidentRow *self)
{
  g_autoptr(GtkBuilder) builder = NULL;

  if (self->details_row != NULL)
    return;

  builder = gtk_builder_new_from_resource (RESOURCE_BASE_PATH "/ui/bgpt-incident-details.ui");
  self->details_row = GTK_WIDGET (gtk_builder_get_object (builder, "details_row"));
  self->cause_label = GTK_LABEL (gtk_builder_get_object (builder, "cause_label"));
  self->provider_box = GTK_WIDGET (gtk_builder_get_object (builder, "provider_box"));
  self->provider_icon = GTK_IMAGE (gtk_builder_get_object (builder, "provider_icon"));
  self->provider_label = GTK_LABEL (gtk_builder_get_object (builder, "provider_label"));
  self->steps_heading = GTK_WIDGET (gtk_builder_get_object (builder, "steps_heading"));
  self->steps_box = GTK_BOX (gtk_builder_get_object (builder, "steps_box"));
  for (guint i = 0; i < N_FACTS; i++)
    {
      g_autofree char *fact = g_strconcat (fact_ids[i], "_fact", NULL);
      g_autofree char *value = g_strconcat (fact_ids[i], "_value", NULL);

      self->facts[i] = GTK_WIDGET (gtk_builder_get_object (builder, fact));
      self->fact_values[i] = GTK_LABEL (gtk_builder_get_object (builder, value));
    }
  /* The row owns it from here; the builder's reference goes with it. */
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), self->details_row);

  update_details (self);
}

static void
on_expanded_changed (BgptIncidentRow *self)
{
  if (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (self)))
    ensure_details (self);
}

void
bgpt_incident_row_update (BgptIncidentRow *self)
{
  BgptIncident *incident;
  g_autoptr(GPtrArray) facts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDateTime) first = NULL;
  g_autoptr(GDateTime) last = NULL;
  g_autofree char *first_text = NULL;
  g_autofree char *last_text = NULL;
  g_autofree char *where = NULL;
  g_autofree char *when = NULL;
  g_autofree char *subtitle = NULL;
  gboolean open;
  guint count;

  g_return_if_fail (BGPT_IS_INCIDENT_ROW (self));

  incident = self->incident;
  if (incident == NULL)
    return;

  open = bgpt_incident_is_open (incident);
  count = bgpt_incident_get_count (incident);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), bgpt_incident_get_title (incident));

  where = g_strjoin (" · ",
                     bgpt_format_service_name (bgpt_incident_get_service (incident)),
                     self->account_name != NULL ? self->account_name : bgpt_incident_get_account_id (incident),
                     bgpt_check_title (bgpt_incident_get_check (incident)),
                     NULL);

  first = g_date_time_new_from_unix_local (bgpt_incident_get_first_seen (incident) / G_USEC_PER_SEC);
  last = g_date_time_new_from_unix_local (bgpt_incident_get_last_seen (incident) / G_USEC_PER_SEC);
  first_text = bgpt_format_date_time (first);
  /* Translators: %s is a date and time */
  g_ptr_array_add (facts, g_strdup_printf (_("since %s"), first_text));
  if (count > 1)
    {
      last_text = bgpt_format_relative_time (last, NULL);
      /* Translators: %s is a relative time such as "2 minutes ago" */
      g_ptr_array_add (facts, g_strdup_printf (_("last %s"), last_text));
      g_ptr_array_add (facts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u time", "%u times", count), count));
    }
  if (!open)
    {
      g_autoptr(GDateTime) resolved = g_date_time_new_from_unix_local (bgpt_incident_get_resolved_at (incident) / G_USEC_PER_SEC);
      g_autofree char *resolved_text = bgpt_format_relative_time (resolved, NULL);

      /* Translators: %s is a relative time such as "2 minutes ago" */
      g_ptr_array_add (facts, g_strdup_printf (_("resolved %s"), resolved_text));
    }
  g_ptr_array_add (facts, NULL);
  when = g_strjoinv (" · ", (char **) facts->pdata);

  subtitle = g_markup_printf_escaped ("%s\n%s", where, when);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), subtitle);

  gtk_image_set_from_icon_name (self->state_icon, open ? "dialog-error-symbolic" : "object-select-symbolic");
  gtk_widget_remove_css_class (GTK_WIDGET (self->state_icon), open ? "status-ok" : "status-problem");
  gtk_widget_add_css_class (GTK_WIDGET (self->state_icon), open ? "status-problem" : "status-ok");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->state_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, open ? _("Open") : _("Resolved"),
                                  -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->state_icon), open ? _("Open") : _("Resolved"));

  gtk_widget_set_visible (GTK_WIDGET (self->unread_label), !bgpt_incident_get_read (incident));
}

static void
on_incident_notify (BgptIncidentRow *self,
                    GParamSpec      *pspec,
                    BgptIncident    *incident)
{
  bgpt_incident_row_update (self);

  /* A repeat brings new details (status, message, request id). */
  if (self->details_row != NULL &&
      (g_str_equal (pspec->name, "request-id") || g_str_equal (pspec->name, "api-message") ||
       g_str_equal (pspec->name, "http-status") || g_str_equal (pspec->name, "detail")))
    update_details (self);
}

static void
copy_request_id_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  BgptIncidentRow *self = BGPT_INCIDENT_ROW (widget);
  const char *request_id = bgpt_incident_get_request_id (self->incident);
  GtkRoot *root;

  if (request_id == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), request_id);

  root = gtk_widget_get_root (widget);
  if (BGPT_IS_WINDOW (root))
    bgpt_window_show_toast (BGPT_WINDOW (root), _("Request ID copied"));
}

static void
bgpt_incident_row_dispose (GObject *object)
{
  BgptIncidentRow *self = BGPT_INCIDENT_ROW (object);

  if (self->incident != NULL)
    g_signal_handlers_disconnect_by_func (self->incident, on_incident_notify, self);
  g_clear_object (&self->incident);
  g_clear_pointer (&self->account_name, g_free);
  g_clear_pointer (&self->provider_status, bgpt_status_report_free);

  G_OBJECT_CLASS (bgpt_incident_row_parent_class)->dispose (object);
}

static void
bgpt_incident_row_class_init (BgptIncidentRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bgpt_incident_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/ui/bgpt-incident-row.ui");
  gtk_widget_class_bind_template_child (widget_class, BgptIncidentRow, state_icon);
  gtk_widget_class_bind_template_child (widget_class, BgptIncidentRow, unread_label);

  gtk_widget_class_install_action (widget_class, "incident.copy-request-id", NULL, copy_request_id_action);
}

static void
bgpt_incident_row_init (BgptIncidentRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self), "incident-row");

  g_signal_connect (self, "notify::expanded", G_CALLBACK (on_expanded_changed), NULL);
}

GtkWidget *
bgpt_incident_row_new (BgptIncident *incident,
                       const char   *account_name)
{
  BgptIncidentRow *self;

  g_return_val_if_fail (BGPT_IS_INCIDENT (incident), NULL);

  self = g_object_new (BGPT_TYPE_INCIDENT_ROW, NULL);
  self->incident = g_object_ref (incident);
  self->account_name = g_strdup (account_name);
  g_signal_connect_object (incident, "notify", G_CALLBACK (on_incident_notify), self, G_CONNECT_SWAPPED);
  bgpt_incident_row_update (self);
  return GTK_WIDGET (self);
}

BgptIncident *
bgpt_incident_row_get_incident (BgptIncidentRow *self)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT_ROW (self), NULL);
  return self->incident;
}

void
bgpt_incident_row_set_provider_status (BgptIncidentRow        *self,
                                       const BgptStatusReport *report)
{
  g_return_if_fail (BGPT_IS_INCIDENT_ROW (self));

  g_clear_pointer (&self->provider_status, bgpt_status_report_free);
  if (report != NULL)
    self->provider_status = bgpt_status_report_copy (report);
  update_provider_status (self);
}

gboolean
bgpt_incident_row_wants_provider_status (BgptIncidentRow *self)
{
  const char *error_id;

  g_return_val_if_fail (BGPT_IS_INCIDENT_ROW (self), FALSE);

  if (self->incident == NULL)
    return FALSE;

  error_id = bgpt_incident_get_error_id (self->incident);
  return bgpt_catalog_has_flags (error_id, BGPT_CATALOG_FLAGS_STATUS_PAGE);
}
