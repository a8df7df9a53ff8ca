/* bgpt-usage-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-usage-view"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-catalog.h"
#include "bgpt-costs-chart.h"
#include "bgpt-usage-view.h"

/* Where an organization owner creates admin keys (docs/providers.md). */
#define URI_OPENAI_ADMIN_KEYS "https://platform.openai.com/settings/organization/admin-keys"
#define TOP_LINE_ITEMS 5

struct _BgptUsageView
{
  AdwBin       parent_instance;

  BgptMonitor *monitor;
  GDateTime   *now;
  GtkBox      *accounts_box;
  GHashTable  *charts;  /* account id -> BgptCostsChart, while shown */
  gboolean     read_only;
};

G_DEFINE_FINAL_TYPE (BgptUsageView, bgpt_usage_view, ADW_TYPE_BIN)

static GDateTime *
dup_now (BgptUsageView *self)
{
  return self->now != NULL ? g_date_time_ref (self->now) : g_date_time_new_now_utc ();
}

static char *
format_date (const GDate *date)
{
  char text[64];

  if (!g_date_valid (date) || g_date_strftime (text, sizeof text, "%x", date) == 0)
    return NULL;
  return g_strdup (text);
}

static GtkWidget *
wrapped_label (const char *text,
               const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

/* "Acompanhar gastos" (app.edit-spending) for @account_id. */
static GtkWidget *
create_track_button (BgptUsageView *self,
                     const char    *account_id,
                     const char    *label)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "app.edit-spending");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", account_id);
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  gtk_widget_set_visible (button, !self->read_only);
  return button;
}

/* Without an admin key: what the page would show, and how to get one. */
static GtkWidget *
create_no_admin_key (BgptUsageView *self,
                     const char    *account_id)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  /* One above the other: both fit 360 px. */
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *add = create_track_button (self, account_id, _("Add Admin Key"));
  /* Through app.open-uri, like every link: the browser gets a clean
   * environment. */
  GtkWidget *link = gtk_button_new_with_label (_("Open Admin Keys"));

  gtk_box_append (GTK_BOX (box),
                  wrapped_label (_("With an OpenAI admin key, this page shows what ByteGPT’s OpenAI "
                                   "organization spent each day of the last 30 days, the spend of the "
                                   "month so far, where it is heading by the end of the month, the "
                                   "day the monthly budget runs out at the current pace, and what cost "
                                   "the most."), NULL));
  gtk_box_append (GTK_BOX (box),
                  wrapped_label (_("An owner of the organization creates admin keys on OpenAI’s admin "
                                   "keys page. An admin key can manage the whole organization; this app "
                                   "only reads the costs with it, and keeps it encrypted in the keyring."),
                                 "dim-label"));

  gtk_widget_add_css_class (add, "suggested-action");
  gtk_widget_add_css_class (add, "pill");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (link), "app.open-uri");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (link), "s", URI_OPENAI_ADMIN_KEYS);
  gtk_widget_add_css_class (link, "flat");
  gtk_widget_set_halign (buttons, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (buttons), add);
  gtk_box_append (GTK_BOX (buttons), link);
  gtk_box_append (GTK_BOX (box), buttons);
  return box;
}

/* The figures in words: the same text is the chart's description. */
static char *
describe_spend (const BgptSpend *spend,
                const double    *days,
                GDateTime       *now)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GDateTime) first = g_date_time_add_days (now, -(BGPT_COSTS_DAYS - 1));
  g_autofree char *first_day = g_date_time_format (first, "%x");
  g_autofree char *today = g_date_time_format (now, "%x");
  g_autofree char *reached_on = format_date (&spend->reached_on);
  double total = 0.0, highest = 0.0;
  guint highest_index = 0;

  for (guint i = 0; i < BGPT_COSTS_DAYS; i++)
    {
      total += days[i];
      if (days[i] > highest)
        {
          highest = days[i];
          highest_index = i;
        }
    }

  /* Translators: two dates, then amounts in US dollars */
  g_string_append_printf (text, _("Daily OpenAI costs from %s to %s: US$ %.2f in all."),
                          first_day, today, total);
  if (highest > 0.0)
    {
      g_autoptr(GDateTime) day = g_date_time_add_days (first, highest_index);
      g_autofree char *date = g_date_time_format (day, "%x");

      g_string_append_c (text, ' ');
      /* Translators: an amount in US dollars, then a date */
      g_string_append_printf (text, _("The most expensive day was %s, with US$ %.2f."), date, highest);
    }
  g_string_append_c (text, ' ');
  g_string_append_printf (text, _("This month so far: US$ %.2f."), spend->month_to_date_usd);
  g_string_append_c (text, ' ');
  g_string_append_printf (text, _("At the pace of the last 7 days (US$ %.2f a day), the month ends at US$ %.2f."),
                          spend->daily_average_usd, spend->projected_usd);
  g_string_append_c (text, ' ');
  if (spend->budget_usd <= 0.0)
    g_string_append (text, _("No monthly budget is set for this account."));
  else if (reached_on != NULL && spend->month_to_date_usd >= spend->budget_usd)
    g_string_append_printf (text, _("The monthly budget of US$ %.2f was reached on %s."),
                            spend->budget_usd, reached_on);
  else if (reached_on != NULL)
    g_string_append_printf (text, _("At this pace, the monthly budget of US$ %.2f is reached on %s."),
                            spend->budget_usd, reached_on);
  else
    g_string_append_printf (text, _("At this pace, the monthly budget of US$ %.2f lasts the month."),
                            spend->budget_usd);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static GtkWidget *
create_line_items (const BgptCosts *costs)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  for (guint i = 0; i < costs->line_items->len && i < TOP_LINE_ITEMS; i++)
    {
      const BgptCostsLineItem *item = g_ptr_array_index (costs->line_items, i);
      g_autofree char *amount = g_strdup_printf ("US$ %.2f", item->usd);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *value = gtk_label_new (amount);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     *item->name != '\0' ? item->name : _("Other costs"));
      gtk_widget_add_css_class (value, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), value);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  return list;
}

static GtkWidget *
create_budget_warning (const BgptDiagnosis *diagnosis)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  GtkWidget *button = gtk_button_new_with_label (_("Open Billing"));
  gboolean spent = g_strcmp0 (diagnosis->reason, "spent") == 0;

  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "budget-warning");
  gtk_widget_add_css_class (icon, spent ? "error" : "warning");
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_set_margin_start (icon, 12);
  gtk_widget_set_margin_top (icon, 12);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_widget_set_margin_top (texts, 12);
  gtk_widget_set_margin_bottom (texts, 12);
  gtk_widget_set_margin_end (texts, 12);
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_box_append (GTK_BOX (texts), wrapped_label (bgpt_catalog_title (diagnosis->error_id), "heading"));
  if (diagnosis->detail != NULL)
    gtk_box_append (GTK_BOX (texts), wrapped_label (diagnosis->detail, NULL));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "app.open-uri");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s",
                                    "https://platform.openai.com/settings/organization/billing/overview");
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (texts), button);
  gtk_box_append (GTK_BOX (box), texts);
  return box;
}

static GtkWidget *
create_account (BgptUsageView *self,
                const char    *account_id)
{
  BgptCostsWatch *watch = bgpt_monitor_get_costs_watch (self->monitor);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  const BgptDiagnosis *diagnosis;
  const BgptCosts *costs = NULL;
  const BgptSpend *spend = NULL;
  g_autoptr(GDateTime) now = dup_now (self);

  gtk_box_append (GTK_BOX (box),
                  wrapped_label (bgpt_monitor_get_account_name (self->monitor, account_id), "title-4"));

  if (!bgpt_costs_watch_has_admin_key (watch, account_id))
    {
      gtk_box_append (GTK_BOX (box), create_no_admin_key (self, account_id));
      return box;
    }

  diagnosis = bgpt_costs_watch_lookup (watch, account_id, &costs, &spend);
  if (diagnosis == NULL)
    {
      gtk_box_append (GTK_BOX (box), wrapped_label (_("Reading the costs…"), "dim-label"));
      return box;
    }

  if (costs == NULL)
    {
      const char *reason = diagnosis->detail != NULL ? diagnosis->detail : diagnosis->api_message;

      /* Translators: the title of the problem that kept the costs from being read */
      g_autofree char *text = g_strdup_printf (_("The costs could not be read: %s."),
                                               bgpt_catalog_title (diagnosis->error_id));

      gtk_box_append (GTK_BOX (box), wrapped_label (text, NULL));
      if (reason != NULL)
        gtk_box_append (GTK_BOX (box), wrapped_label (reason, "dim-label"));
      gtk_box_append (GTK_BOX (box), create_track_button (self, account_id, _("Admin Key and Budget…")));
      return box;
    }

  if (!bgpt_diagnosis_is_ok (diagnosis))
    gtk_box_append (GTK_BOX (box), create_budget_warning (diagnosis));

  {
    GtkWidget *chart = bgpt_costs_chart_new ();
    g_autofree char *description = NULL;
    guint days_in_month = g_date_get_days_in_month (g_date_time_get_month (now), g_date_time_get_year (now));

    bgpt_costs_chart_set_data (BGPT_COSTS_CHART (chart), costs, now, spend->budget_usd / days_in_month);
    description = describe_spend (spend, bgpt_costs_chart_get_days (BGPT_COSTS_CHART (chart)), now);
    gtk_accessible_update_property (GTK_ACCESSIBLE (chart),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, _("Daily OpenAI costs of the last 30 days"),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                    -1);
    gtk_box_append (GTK_BOX (box), chart);
    if (spend->budget_usd > 0.0)
      {
        /* Translators: an amount in US dollars */
        g_autofree char *legend = g_strdup_printf (_("The line is the budget’s share of a day: US$ %.2f."),
                                                   spend->budget_usd / days_in_month);

        gtk_box_append (GTK_BOX (box), wrapped_label (legend, "caption"));
      }
    gtk_box_append (GTK_BOX (box), wrapped_label (description, NULL));
    g_hash_table_replace (self->charts, g_strdup (account_id), chart);
  }

  if (costs->line_items->len > 0)
    {
      gtk_box_append (GTK_BOX (box), wrapped_label (_("What cost the most"), "heading"));
      gtk_box_append (GTK_BOX (box), create_line_items (costs));
    }
  gtk_box_append (GTK_BOX (box), create_track_button (self, account_id, _("Admin Key and Budget…")));
  return box;
}

static void
rebuild (BgptUsageView *self)
{
  GtkWidget *child;
  g_auto(GStrv) account_ids = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->accounts_box))) != NULL)
    gtk_box_remove (self->accounts_box, child);
  g_hash_table_remove_all (self->charts);

  if (self->monitor == NULL)
    return;

  account_ids = bgpt_monitor_dup_account_ids (self->monitor);
  for (guint i = 0; account_ids[i] != NULL; i++)
    gtk_box_append (self->accounts_box, create_account (self, account_ids[i]));
}

char *
bgpt_usage_view_dup_description (BgptUsageView *self,
                                 const char    *account_id)
{
  BgptCostsWatch *watch;
  const BgptSpend *spend = NULL;
  GtkWidget *chart;
  g_autoptr(GDateTime) now = NULL;

  g_return_val_if_fail (BGPT_IS_USAGE_VIEW (self), NULL);

  chart = g_hash_table_lookup (self->charts, account_id);
  if (chart == NULL || self->monitor == NULL)
    return NULL;
  watch = bgpt_monitor_get_costs_watch (self->monitor);
  bgpt_costs_watch_lookup (watch, account_id, NULL, &spend);
  if (spend == NULL)
    return NULL;
  now = dup_now (self);
  return describe_spend (spend, bgpt_costs_chart_get_days (BGPT_COSTS_CHART (chart)), now);
}

void
bgpt_usage_view_set_monitor (BgptUsageView *self,
                             BgptMonitor   *monitor)
{
  g_return_if_fail (BGPT_IS_USAGE_VIEW (self));
  g_return_if_fail (monitor == NULL || BGPT_IS_MONITOR (monitor));

  if (self->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->monitor, self);
      g_signal_handlers_disconnect_by_data (bgpt_monitor_get_costs_watch (self->monitor), self);
    }
  g_set_object (&self->monitor, monitor);
  if (monitor != NULL)
    {
      g_signal_connect_object (monitor, "items-changed", G_CALLBACK (rebuild), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (bgpt_monitor_get_costs_watch (monitor), "changed", G_CALLBACK (rebuild), self,
                               G_CONNECT_SWAPPED);
    }
  rebuild (self);
}

void
bgpt_usage_view_set_read_only (BgptUsageView *self,
                               gboolean       read_only)
{
  g_return_if_fail (BGPT_IS_USAGE_VIEW (self));

  self->read_only = read_only;
  rebuild (self);
}

void
bgpt_usage_view_set_now (BgptUsageView *self,
                         GDateTime     *now)
{
  g_return_if_fail (BGPT_IS_USAGE_VIEW (self));

  g_clear_pointer (&self->now, g_date_time_unref);
  self->now = now != NULL ? g_date_time_ref (now) : NULL;
  rebuild (self);
}

static void
bgpt_usage_view_dispose (GObject *object)
{
  BgptUsageView *self = BGPT_USAGE_VIEW (object);

  if (self->monitor != NULL)
    bgpt_usage_view_set_monitor (self, NULL);
  g_clear_pointer (&self->now, g_date_time_unref);
  g_clear_pointer (&self->charts, g_hash_table_unref);

  G_OBJECT_CLASS (bgpt_usage_view_parent_class)->dispose (object);
}

static void
bgpt_usage_view_class_init (BgptUsageViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bgpt_usage_view_dispose;
}

static void
bgpt_usage_view_init (BgptUsageView *self)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 36);

  self->charts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->accounts_box = GTK_BOX (box);
  gtk_widget_set_margin_top (box, 24);
  gtk_widget_set_margin_bottom (box, 24);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  adw_bin_set_child (ADW_BIN (self), scrolled);
}

GtkWidget *
bgpt_usage_view_new (void)
{
  return g_object_new (BGPT_TYPE_USAGE_VIEW, NULL);
}
