/* bgpt-uptime-summary.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-uptime-summary"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "bgpt-format.h"
#include "bgpt-heartbeat-bar.h"
#include "bgpt-tooltip.h"
#include "bgpt-uptime-summary.h"

#define DAY_S (24 * 3600)

struct _BgptUptimeSummary
{
  GtkWidget    parent_instance;

  GtkWidget   *bar;
  char        *caption;
  BgptHistory *history;
  char        *account_id;
  char        *check;
  char        *description;
};

G_DEFINE_FINAL_TYPE (BgptUptimeSummary, bgpt_uptime_summary, GTK_TYPE_WIDGET)

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

char *
bgpt_format_uptime_percent (const BgptUptime *uptime)
{
  double ratio = bgpt_uptime_get_ratio (uptime);

  if (ratio < 0)
    return NULL;
  if (ratio >= 1.0)
    return g_strdup ("100");
  /* %f follows the locale: "99,3" in pt_BR. */
  return g_strdup_printf ("%.1f", floor (ratio * 1000.0) / 10.0);
}

char *
bgpt_format_uptime_sentence (const BgptUptime *day,
                             const BgptUptime *month)
{
  g_autofree char *day_percent = bgpt_format_uptime_percent (day);
  g_autofree char *month_percent = bgpt_format_uptime_percent (month);
  g_autoptr(GString) sentence = g_string_new (NULL);

  if (day_percent != NULL)
    {
      guint failures = bgpt_uptime_get_failures (day);

      if (failures == 0)
        /* Translators: %s is a percentage such as "100" */
        g_string_append_printf (sentence, _("Available %s %% in the last 24 hours, no failures"), day_percent);
      else
        g_string_append_printf (sentence,
                              /* Translators: %s is a percentage such as "99.3", %u a number of failed checks */
                              g_dngettext (GETTEXT_PACKAGE,
                                           "Available %s %% in the last 24 hours, %u failure",
                                           "Available %s %% in the last 24 hours, %u failures",
                                           failures),
                              day_percent, failures);
    }
  else
    {
      g_string_append (sentence, _("No results in the last 24 hours"));
    }

  if (month_percent != NULL)
    {
      g_string_append (sentence, "; ");
      /* Translators: %s is a percentage such as "99.3" */
      g_string_append_printf (sentence, _("%s %% in the last 30 days"), month_percent);
    }

  if (day_percent != NULL)
    {
      g_autofree char *latency = bgpt_format_latency (day->median_ms);

      g_string_append (sentence, "; ");
      /* Translators: %s is a response time such as "142 ms" */
      g_string_append_printf (sentence, _("median latency %s"), latency);
    }
  return g_string_free (g_steal_pointer (&sentence), FALSE);
}

static char *
describe_beats (GArray *results,
                guint   n_beats)
{
  guint counts[BGPT_N_OUTCOMES] = { 0, };

  for (guint i = results->len - n_beats; i < results->len; i++)
    counts[g_array_index (results, BgptHistoryResult, i).outcome]++;

  /* Translators: the heartbeat bar in words; the first %u is how many
   * results it shows, the others how many of them passed, failed, waited
   * for another check and found no network */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Latest %u result: %u passed, %u failed, %u waiting, %u offline",
                                       "Latest %u results: %u passed, %u failed, %u waiting, %u offline",
                                       n_beats),
                          n_beats, counts[BGPT_OUTCOME_OK], counts[BGPT_OUTCOME_FAILED],
                          counts[BGPT_OUTCOME_BLOCKED], counts[BGPT_OUTCOME_UNKNOWN]);
}

/* A check's figures as its row shows them. The Status list binds a row
 * to another check each time one scrolls into view: the figures are
 * computed again only once the check's history has changed (a result
 * recorded, results thinned into hours), or after a minute, since the
 * 24-hour window slides. */
typedef struct
{
  gint64  computed_at;  /* monotonic, µs */
  guint   n_results;
  gint64  first_result;
  gint64  last_result;
  guint   n_hours;
  gint64  last_hour;
  char   *caption;
  char   *description;
  char   *beats;
} Figures;

#define FIGURES_MAX_AGE_US (60 * G_USEC_PER_SEC)

static void
figures_free (Figures *figures)
{
  g_free (figures->caption);
  g_free (figures->description);
  g_free (figures->beats);
  g_free (figures);
}

/* The figures cached beside @history, by account and check. */
static GHashTable *
figures_cache (BgptHistory *history)
{
  GHashTable *cache = g_object_get_data (G_OBJECT (history), "bgpt-uptime-figures");

  if (cache != NULL)
    return cache;
  cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) figures_free);
  g_object_set_data_full (G_OBJECT (history), "bgpt-uptime-figures", cache,
                          (GDestroyNotify) g_hash_table_unref);
  return cache;
}

static gboolean
figures_match (const Figures *figures,
               GArray        *results,
               GArray        *hours)
{
  return figures->n_results == results->len && figures->n_hours == hours->len
         && (results->len == 0
             || (figures->first_result == g_array_index (results, BgptHistoryResult, 0).time
                 && figures->last_result == g_array_index (results, BgptHistoryResult, results->len - 1).time))
         && (hours->len == 0 || figures->last_hour == g_array_index (hours, BgptHistoryHour, hours->len - 1).hour)
         && g_get_monotonic_time () - figures->computed_at <= FIGURES_MAX_AGE_US;
}

static Figures *
compute_figures (GArray *results,
                 GArray *hours,
                 guint   n_beats)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  Figures *figures = g_new0 (Figures, 1);
  BgptUptime day;
  BgptUptime month;
  g_autofree char *day_percent = NULL;
  g_autofree char *month_percent = NULL;
  g_autoptr(GString) caption = g_string_new (NULL);

  figures->computed_at = g_get_monotonic_time ();
  figures->n_results = results->len;
  figures->n_hours = hours->len;
  if (results->len > 0)
    {
      figures->first_result = g_array_index (results, BgptHistoryResult, 0).time;
      figures->last_result = g_array_index (results, BgptHistoryResult, results->len - 1).time;
    }
  if (hours->len > 0)
    figures->last_hour = g_array_index (hours, BgptHistoryHour, hours->len - 1).hour;
  figures->beats = describe_beats (results, n_beats);

  bgpt_uptime_compute (results, hours, now - DAY_S, now + 1, &day);
  bgpt_uptime_compute (results, hours, now - 30 * DAY_S, now + 1, &month);
  day_percent = bgpt_format_uptime_percent (&day);
  month_percent = bgpt_format_uptime_percent (&month);

  /* Translators: the uptime over 24 hours on a Status row, %s is a percentage */
  g_string_append_printf (caption, _("24 h: %s %%"), day_percent != NULL ? day_percent : "—");
  if (month_percent != NULL)
    {
      g_string_append (caption, " · ");
      /* Translators: the uptime over 30 days on a Status row, %s is a percentage */
      g_string_append_printf (caption, _("30 d: %s %%"), month_percent);
    }
  if (day_percent != NULL)
    {
      g_autofree char *latency = bgpt_format_latency (day.median_ms);

      g_string_append_printf (caption, " · %s", latency);
    }
  figures->caption = g_string_free (g_steal_pointer (&caption), FALSE);
  figures->description = bgpt_format_uptime_sentence (&day, &month);
  return figures;
}

void
bgpt_uptime_summary_update (BgptUptimeSummary *self)
{
  GArray *results;
  GArray *hours;
  GHashTable *cache;
  g_autofree char *key = NULL;
  Figures *figures;

  g_return_if_fail (BGPT_IS_UPTIME_SUMMARY (self));

  if (self->history == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      g_clear_pointer (&self->caption, g_free);
      g_signal_emit (self, signals[CHANGED], 0);
      return;
    }

  results = bgpt_history_get_results (self->history, self->account_id, self->check);
  hours = bgpt_history_get_hours (self->history, self->account_id, self->check);
  if (results->len == 0 && hours->len == 0)
    {
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      g_clear_pointer (&self->caption, g_free);
      g_signal_emit (self, signals[CHANGED], 0);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);

  bgpt_heartbeat_bar_set_results (BGPT_HEARTBEAT_BAR (self->bar), results);
  cache = figures_cache (self->history);
  key = g_strconcat (self->account_id, "\n", self->check, NULL);
  figures = g_hash_table_lookup (cache, key);
  if (figures == NULL || !figures_match (figures, results, hours))
    {
      figures = compute_figures (results, hours, bgpt_heartbeat_bar_get_n_beats (BGPT_HEARTBEAT_BAR (self->bar)));
      g_hash_table_replace (cache, g_steal_pointer (&key), figures);
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->bar), GTK_ACCESSIBLE_PROPERTY_LABEL, figures->beats, -1);
  g_free (self->caption);
  self->caption = g_strdup (figures->caption);
  g_free (self->description);
  self->description = g_strdup (figures->description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, self->description, -1);
  bgpt_tooltip_set_text (GTK_WIDGET (self), self->description);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_history_changed (BgptUptimeSummary *self,
                    const char        *account_id)
{
  if (account_id == NULL || g_strcmp0 (account_id, self->account_id) == 0)
    bgpt_uptime_summary_update (self);
}

void
bgpt_uptime_summary_set_check (BgptUptimeSummary *self,
                               BgptHistory       *history,
                               const char        *account_id,
                               const char        *check)
{
  g_return_if_fail (BGPT_IS_UPTIME_SUMMARY (self));
  g_return_if_fail (history == NULL || BGPT_IS_HISTORY (history));

  if (self->history == history && g_strcmp0 (self->account_id, account_id) == 0
      && g_strcmp0 (self->check, check) == 0)
    return;
  if (self->history != NULL)
    g_signal_handlers_disconnect_by_func (self->history, on_history_changed, self);
  g_set_object (&self->history, history);
  g_free (self->account_id);
  self->account_id = g_strdup (account_id);
  g_free (self->check);
  self->check = g_strdup (check);
  if (history != NULL)
    g_signal_connect_object (history, "changed", G_CALLBACK (on_history_changed), self, G_CONNECT_SWAPPED);
  bgpt_uptime_summary_update (self);
}

GtkWidget *
bgpt_uptime_summary_get_bar (BgptUptimeSummary *self)
{
  g_return_val_if_fail (BGPT_IS_UPTIME_SUMMARY (self), NULL);
  return self->bar;
}

const char *
bgpt_uptime_summary_get_caption (BgptUptimeSummary *self)
{
  g_return_val_if_fail (BGPT_IS_UPTIME_SUMMARY (self), NULL);
  return self->caption;
}

const char *
bgpt_uptime_summary_get_description (BgptUptimeSummary *self)
{
  g_return_val_if_fail (BGPT_IS_UPTIME_SUMMARY (self), NULL);
  return self->description;
}

static void
bgpt_uptime_summary_dispose (GObject *object)
{
  BgptUptimeSummary *self = BGPT_UPTIME_SUMMARY (object);

  if (self->history != NULL)
    g_signal_handlers_disconnect_by_func (self->history, on_history_changed, self);
  g_clear_object (&self->history);
  g_clear_pointer (&self->bar, gtk_widget_unparent);

  G_OBJECT_CLASS (bgpt_uptime_summary_parent_class)->dispose (object);
}

static void
bgpt_uptime_summary_finalize (GObject *object)
{
  BgptUptimeSummary *self = BGPT_UPTIME_SUMMARY (object);

  g_free (self->account_id);
  g_free (self->check);
  g_free (self->description);
  g_free (self->caption);

  G_OBJECT_CLASS (bgpt_uptime_summary_parent_class)->finalize (object);
}

static void
bgpt_uptime_summary_class_init (BgptUptimeSummaryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bgpt_uptime_summary_dispose;
  object_class->finalize = bgpt_uptime_summary_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "uptime-summary");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  /* The caption and the description were recomputed. */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
bgpt_uptime_summary_init (BgptUptimeSummary *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);

  self->bar = bgpt_heartbeat_bar_new ();
  gtk_widget_set_halign (self->bar, GTK_ALIGN_END);
  gtk_widget_set_parent (self->bar, GTK_WIDGET (self));

}

GtkWidget *
bgpt_uptime_summary_new (void)
{
  return g_object_new (BGPT_TYPE_UPTIME_SUMMARY, NULL);
}
