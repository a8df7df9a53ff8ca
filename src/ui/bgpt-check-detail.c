/* bgpt-check-detail.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-check-detail"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-check-detail.h"
#include "bgpt-checks.h"
#include "bgpt-format.h"
#include "bgpt-latency-chart.h"
#include "bgpt-uptime-summary.h"

/* Incidents beyond these are in the Incidents view. */
#define MAX_INCIDENT_ROWS 20

struct _BgptCheckDetail
{
  AdwWindow             parent_instance;

  BgptHistory          *history;
  BgptIncidentStore    *incidents;
  char                 *account_id;
  char                 *check;
  BgptCheckDetailRange  range;
  char                 *chart_description;
  GPtrArray            *period_rows;
  GPtrArray            *incident_rows;

  AdwWindowTitle       *window_title;
  GtkToggleButton      *range_day;
  GtkToggleButton      *range_week;
  GtkToggleButton      *range_month;
  GtkLabel             *figures_label;
  GtkWidget            *chart;
  AdwPreferencesGroup  *periods_group;
  AdwPreferencesGroup  *incidents_group;
};

G_DEFINE_FINAL_TYPE (BgptCheckDetail, bgpt_check_detail, ADW_TYPE_WINDOW)

/* Buckets per range: half hours over a day, hours over a week, quarter
 * days over a month. */
static const struct
{
  gint64 width;
  guint  n_buckets;
} ranges[] = {
  [BGPT_CHECK_DETAIL_RANGE_DAY] = { 1800, 48 },
  [BGPT_CHECK_DETAIL_RANGE_WEEK] = { 3600, 168 },
  [BGPT_CHECK_DETAIL_RANGE_MONTH] = { 6 * 3600, 120 },
};

static char *
format_time (gint64 unix_seconds)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (unix_seconds);

  return bgpt_format_date_time (when);
}

static void
clear_rows (AdwPreferencesGroup *group,
            GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

static GtkWidget *
add_row (AdwPreferencesGroup *group,
         GPtrArray           *rows,
         const char          *title,
         const char          *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (rows, row);
  return row;
}

static void
show_periods (BgptCheckDetail *self,
              GArray          *periods)
{
  clear_rows (self->periods_group, self->period_rows);

  if (periods->len == 0)
    {
      add_row (self->periods_group, self->period_rows, _("No failures in this period"), NULL);
      return;
    }

  /* Newest first, like the incidents. */
  for (guint i = periods->len; i > 0; i--)
    {
      const BgptFailurePeriod *period = &g_array_index (periods, BgptFailurePeriod, i - 1);
      g_autofree char *start = format_time (period->start);
      g_autofree char *end = format_time (period->end);
      g_autofree char *subtitle = NULL;
      GtkWidget *row;

      if (period->ongoing)
        /* Translators: a failure period still going on; %s is a date and time, %u a number of checks */
        subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Since %s · %u failed check",
                                                 "Since %s · %u failed checks", period->n_failed),
                                    start, period->n_failed);
      else
        /* Translators: a failure period; two dates and times, then a number of checks */
        subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s to %s · %u failed check",
                                                 "%s to %s · %u failed checks", period->n_failed),
                                    start, end, period->n_failed);
      row = add_row (self->periods_group, self->period_rows,
                     period->error_id != NULL ? bgpt_catalog_title (period->error_id) : _("Failure"),
                     subtitle);
      gtk_widget_add_css_class (row, "failure-period");
    }
}

static void
show_incidents (BgptCheckDetail *self)
{
  GListModel *model = self->incidents != NULL ? G_LIST_MODEL (self->incidents) : NULL;
  guint n_items = model != NULL ? g_list_model_get_n_items (model) : 0;

  clear_rows (self->incidents_group, self->incident_rows);

  /* The store lists the newest first. */
  for (guint i = 0; i < n_items && self->incident_rows->len < MAX_INCIDENT_ROWS; i++)
    {
      g_autoptr(BgptIncident) incident = g_list_model_get_item (model, i);
      g_autoptr(GDateTime) opened = NULL;
      g_autofree char *opened_text = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row;

      if (g_strcmp0 (bgpt_incident_get_account_id (incident), self->account_id) != 0
          || g_strcmp0 (bgpt_incident_get_check (incident), self->check) != 0)
        continue;

      opened = g_date_time_new_from_unix_utc (bgpt_incident_get_first_seen (incident) / G_USEC_PER_SEC);
      opened_text = bgpt_format_date_time (opened);
      if (bgpt_incident_is_open (incident))
        /* Translators: %s is a date and time */
        subtitle = g_strdup_printf (_("Open since %s"), opened_text);
      else
        {
          g_autoptr(GDateTime) resolved = g_date_time_new_from_unix_utc (bgpt_incident_get_resolved_at (incident)
                                                                         / G_USEC_PER_SEC);
          g_autofree char *resolved_text = bgpt_format_date_time (resolved);

          /* Translators: two dates and times */
          subtitle = g_strdup_printf (_("%s, resolved %s"), opened_text, resolved_text);
        }
      row = add_row (self->incidents_group, self->incident_rows, bgpt_incident_get_title (incident), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "app.show-incident");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", bgpt_incident_get_id (incident));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
    }

  if (self->incident_rows->len == 0)
    add_row (self->incidents_group, self->incident_rows, _("No incidents for this check"), NULL);
}

static const char *
range_words (BgptCheckDetailRange range)
{
  switch (range)
    {
    case BGPT_CHECK_DETAIL_RANGE_WEEK:
      return _("in the last 7 days");
    case BGPT_CHECK_DETAIL_RANGE_MONTH:
      return _("in the last 30 days");
    case BGPT_CHECK_DETAIL_RANGE_DAY:
    default:
      return _("in the last 24 hours");
    }
}

static void
update (BgptCheckDetail *self)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 width = ranges[self->range].width;
  guint n_buckets = ranges[self->range].n_buckets;
  gint64 end = (now / width + 1) * width;
  gint64 since = end - width * n_buckets;
  GArray *results = bgpt_history_get_results (self->history, self->account_id, self->check);
  GArray *hours = bgpt_history_get_hours (self->history, self->account_id, self->check);
  g_autoptr(GArray) buckets = bgpt_uptime_buckets (results, hours, since, width, n_buckets);
  g_autoptr(GArray) periods = bgpt_uptime_failure_periods (results, hours, since, end);
  BgptUptime day, month, span;
  g_autofree char *figures = NULL;
  g_autofree char *median = NULL;
  g_autofree char *worst = NULL;

  bgpt_uptime_compute (results, hours, now - 24 * 3600, now + 1, &day);
  bgpt_uptime_compute (results, hours, now - 30 * 24 * 3600, now + 1, &month);
  bgpt_uptime_compute (results, hours, since, end, &span);
  figures = bgpt_format_uptime_sentence (&day, &month);
  gtk_label_set_label (self->figures_label, figures);

  bgpt_latency_chart_set_data (BGPT_LATENCY_CHART (self->chart), buckets, periods, since, width);
  g_free (self->chart_description);
  if (span.counts[BGPT_OUTCOME_OK] + span.counts[BGPT_OUTCOME_FAILED] == 0)
    {
      /* Translators: %s is "in the last 24 hours" or the like */
      self->chart_description = g_strdup_printf (_("Response times %s: no results"), range_words (self->range));
    }
  else
    {
      median = bgpt_format_latency (span.median_ms);
      worst = bgpt_format_latency (span.worst_ms);
      /* Translators: the latency chart in words; %s: "in the last 24 hours" or the like, two
       * response times, then a number of failure periods */
      self->chart_description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                              "Response times %s: median %s, worst %s; %u failure period",
                                                              "Response times %s: median %s, worst %s; %u failure periods",
                                                              periods->len),
                                                 range_words (self->range), median, worst, periods->len);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->chart), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->chart_description, -1);

  show_periods (self, periods);
  show_incidents (self);
}

void
bgpt_check_detail_set_range (BgptCheckDetail      *self,
                             BgptCheckDetailRange  range)
{
  g_return_if_fail (BGPT_IS_CHECK_DETAIL (self));
  g_return_if_fail (range <= BGPT_CHECK_DETAIL_RANGE_MONTH);

  self->range = range;
  gtk_toggle_button_set_active (range == BGPT_CHECK_DETAIL_RANGE_DAY ? self->range_day
                                : range == BGPT_CHECK_DETAIL_RANGE_WEEK ? self->range_week
                                : self->range_month, TRUE);
  update (self);
}

static void
on_range_toggled (GtkToggleButton *button,
                  BgptCheckDetail *self)
{
  if (!gtk_toggle_button_get_active (button))
    return;
  self->range = button == self->range_week ? BGPT_CHECK_DETAIL_RANGE_WEEK
                : button == self->range_month ? BGPT_CHECK_DETAIL_RANGE_MONTH
                : BGPT_CHECK_DETAIL_RANGE_DAY;
  update (self);
}

static void
on_history_changed (BgptCheckDetail *self,
                    const char      *account_id)
{
  if (account_id == NULL || g_strcmp0 (account_id, self->account_id) == 0)
    update (self);
}

const char *
bgpt_check_detail_get_chart_description (BgptCheckDetail *self)
{
  g_return_val_if_fail (BGPT_IS_CHECK_DETAIL (self), NULL);
  return self->chart_description;
}

GtkWidget *
bgpt_check_detail_get_chart (BgptCheckDetail *self)
{
  g_return_val_if_fail (BGPT_IS_CHECK_DETAIL (self), NULL);
  return self->chart;
}

GPtrArray *
bgpt_check_detail_get_period_rows (BgptCheckDetail *self)
{
  g_return_val_if_fail (BGPT_IS_CHECK_DETAIL (self), NULL);
  return self->period_rows;
}

GPtrArray *
bgpt_check_detail_get_incident_rows (BgptCheckDetail *self)
{
  g_return_val_if_fail (BGPT_IS_CHECK_DETAIL (self), NULL);
  return self->incident_rows;
}

static void
bgpt_check_detail_dispose (GObject *object)
{
  BgptCheckDetail *self = BGPT_CHECK_DETAIL (object);

  if (self->history != NULL)
    g_signal_handlers_disconnect_by_func (self->history, on_history_changed, self);
  g_clear_object (&self->history);
  if (self->incidents != NULL)
    g_signal_handlers_disconnect_by_func (self->incidents, show_incidents, self);
  g_clear_object (&self->incidents);

  G_OBJECT_CLASS (bgpt_check_detail_parent_class)->dispose (object);
}

static void
bgpt_check_detail_finalize (GObject *object)
{
  BgptCheckDetail *self = BGPT_CHECK_DETAIL (object);

  g_free (self->account_id);
  g_free (self->check);
  g_free (self->chart_description);
  g_ptr_array_unref (self->period_rows);
  g_ptr_array_unref (self->incident_rows);

  G_OBJECT_CLASS (bgpt_check_detail_parent_class)->finalize (object);
}

static void
bgpt_check_detail_class_init (BgptCheckDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bgpt_check_detail_dispose;
  object_class->finalize = bgpt_check_detail_finalize;

  g_type_ensure (BGPT_TYPE_LATENCY_CHART);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/ui/bgpt-check-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, BgptCheckDetail, window_title);
  gtk_widget_class_bind_template_child (widget_class, BgptCheckDetail, range_day);
  gtk_widget_class_bind_template_child (widget_class, BgptCheckDetail, range_week);
  gtk_widget_class_bind_template_child (widget_class, BgptCheckDetail, range_month);
  gtk_widget_class_bind_template_child (widget_class, BgptCheckDetail, figures_label);
  gtk_widget_class_bind_template_child (widget_class, BgptCheckDetail, chart);
  gtk_widget_class_bind_template_child (widget_class, BgptCheckDetail, periods_group);
  gtk_widget_class_bind_template_child (widget_class, BgptCheckDetail, incidents_group);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
bgpt_check_detail_init (BgptCheckDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->period_rows = g_ptr_array_new ();
  self->incident_rows = g_ptr_array_new ();
  g_signal_connect (self->range_day, "toggled", G_CALLBACK (on_range_toggled), self);
  g_signal_connect (self->range_week, "toggled", G_CALLBACK (on_range_toggled), self);
  g_signal_connect (self->range_month, "toggled", G_CALLBACK (on_range_toggled), self);
}

BgptCheckDetail *
bgpt_check_detail_new (BgptHistory       *history,
                       BgptIncidentStore *incidents,
                       const char        *account_id,
                       const char        *account_name,
                       const char        *check)
{
  BgptCheckDetail *self;

  g_return_val_if_fail (BGPT_IS_HISTORY (history), NULL);
  g_return_val_if_fail (incidents == NULL || BGPT_IS_INCIDENT_STORE (incidents), NULL);

  self = g_object_new (BGPT_TYPE_CHECK_DETAIL, NULL);
  self->history = g_object_ref (history);
  self->incidents = incidents != NULL ? g_object_ref (incidents) : NULL;
  self->account_id = g_strdup (account_id);
  self->check = g_strdup (check);

  gtk_window_set_title (GTK_WINDOW (self), bgpt_check_title (check));
  adw_window_title_set_title (self->window_title, bgpt_check_title (check));
  adw_window_title_set_subtitle (self->window_title, account_name != NULL ? account_name : account_id);

  g_signal_connect_object (history, "changed", G_CALLBACK (on_history_changed), self, G_CONNECT_SWAPPED);
  if (incidents != NULL)
    g_signal_connect_object (incidents, "items-changed", G_CALLBACK (show_incidents), self, G_CONNECT_SWAPPED);
  update (self);
  return self;
}
