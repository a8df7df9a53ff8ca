/* bgpt-check-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-check-row"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-check-row.h"
#include "bgpt-format.h"
#include "bgpt-row-box.h"
#include "bgpt-spinner.h"
#include "bgpt-tooltip.h"
#include "bgpt-uptime-summary.h"

struct _BgptCheckRow
{
  AdwPreferencesRow parent_instance;

  BgptCheckItem *item;
  const char    *state_css;
  char          *subtitle;

  GtkLabel      *title_label;
  GtkLabel      *subtitle_label;

  GtkWidget     *spinner;
  GtkLevelBar   *headroom_bar;
  GtkBox        *state_box;
  GtkImage      *state_icon;
  GtkLabel      *state_label;
  GtkButton     *incident_button;
  BgptUptimeSummary *uptime_summary;
};

G_DEFINE_FINAL_TYPE (BgptCheckRow, bgpt_check_row, ADW_TYPE_PREFERENCES_ROW)

/* Why a check is not run, in the user's terms. */
static const char *
not_configured_reason (BgptCheckItem *item)
{
  const BgptCheck *check = bgpt_check_lookup (bgpt_check_item_get_check (item));
  BgptCheckNeeds missing = bgpt_check_item_get_missing (item);

  if (missing & BGPT_CHECK_NEEDS_KOMMO_ADDRESS)
    return _("No Kommo subdomain set");
  if (missing & BGPT_CHECK_NEEDS_MODEL)
    return _("No model set");
  if (missing & BGPT_CHECK_NEEDS_ASSISTANT_ID)
    return _("No Assistant ID set");
  if (missing & BGPT_CHECK_NEEDS_KOMMO_TOKEN)
    return _("No Kommo token in the keyring");
  /* The key check's own secret, or the one a check sends with the key's. */
  if ((missing & BGPT_CHECK_NEEDS_OPENAI_KEY) && check != NULL && check->depends_on[0] == NULL)
    return _("No API key in the keyring");
  if (missing & BGPT_CHECK_NEEDS_OPENAI_KEY)
    return _("Needs the OpenAI API key");
  return _("Not set up for this account");
}

/* "4,980 of 5,000 requests, 1.9 M of 2 M tokens" on the row of the check
 * that judges the headroom; NULL on the others and when unknown. */
static char *
format_headroom (BgptCheckItem *item)
{
  const BgptDiagnosis *diagnosis = bgpt_check_item_get_diagnosis (item);

  if (diagnosis == NULL || g_strcmp0 (bgpt_check_item_get_check (item), BGPT_RATE_LIMIT_CHECK) != 0)
    return NULL;
  return bgpt_rate_limit_format_headroom (&diagnosis->rate_limit);
}

/* The bar: the share left of the tighter limit, in words for a screen
 * reader. */
static void
update_headroom_bar (BgptCheckRow *self)
{
  g_autofree char *headroom = NULL;
  g_autofree char *description = NULL;
  const BgptDiagnosis *diagnosis;

  if (bgpt_check_item_get_state (self->item) != BGPT_CHECK_ITEM_NOT_CONFIGURED)
    headroom = format_headroom (self->item);
  gtk_widget_set_visible (GTK_WIDGET (self->headroom_bar), headroom != NULL);
  if (headroom == NULL)
    return;

  diagnosis = bgpt_check_item_get_diagnosis (self->item);
  gtk_level_bar_set_value (self->headroom_bar,
                           CLAMP (bgpt_rate_limit_part_fraction (bgpt_rate_limit_tightest (&diagnosis->rate_limit)),
                                  0.0, 1.0));
  /* Translators: read by screen readers, e.g. "Rate-limit headroom left:
   * 4,980 of 5,000 requests, 1.9 M of 2 M tokens" */
  description = g_strdup_printf (_("Rate-limit headroom left: %s"), headroom);
  bgpt_tooltip_set_text (GTK_WIDGET (self->headroom_bar), description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->headroom_bar),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
}

static char *
build_subtitle (BgptCheckItem *item,
                const char    *uptime_caption)
{
  const BgptDiagnosis *diagnosis = bgpt_check_item_get_diagnosis (item);
  BgptCheckItemState state = bgpt_check_item_get_state (item);
  const char *subject = bgpt_check_item_get_subject (item);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) facts = g_ptr_array_new_with_free_func (g_free);

  if (subject != NULL)
    g_ptr_array_add (lines, g_markup_escape_text (subject, -1));

  if (state == BGPT_CHECK_ITEM_PROBLEM && diagnosis != NULL && diagnosis->error_id != NULL)
    g_ptr_array_add (lines, g_markup_printf_escaped ("<b>%s</b>",
                                                     bgpt_catalog_title (diagnosis->error_id)));
  else if (state == BGPT_CHECK_ITEM_NOT_CONFIGURED)
    g_ptr_array_add (lines, g_markup_escape_text (not_configured_reason (item), -1));
  else if (state == BGPT_CHECK_ITEM_UNKNOWN && bgpt_check_item_get_offline (item))
    g_ptr_array_add (lines, g_markup_escape_text (_("No network: checks wait for it to come back"), -1));

  /* The rate-limit headroom the key's last answer showed. */
  if (state != BGPT_CHECK_ITEM_NOT_CONFIGURED)
    {
      g_autofree char *headroom = format_headroom (item);

      if (headroom != NULL)
        /* Translators: the rate-limit headroom left, e.g.
         * "Limit: 4,980 of 5,000 requests, 1.9 M of 2 M tokens" */
        g_ptr_array_add (lines, g_markup_printf_escaped (_("Limit: %s"), headroom));
    }

  if (bgpt_check_item_get_checked_at (item) != NULL && state != BGPT_CHECK_ITEM_NOT_CONFIGURED)
    {
      g_autofree char *when = bgpt_format_relative_time (bgpt_check_item_get_checked_at (item), NULL);

      /* Translators: %s is a relative time such as "2 minutes ago" */
      g_ptr_array_add (facts, g_markup_printf_escaped (_("Checked %s"), when));
      if (diagnosis != NULL && diagnosis->elapsed_ms >= 0)
        {
          g_autofree char *latency = bgpt_format_latency (diagnosis->elapsed_ms);

          g_ptr_array_add (facts, g_markup_escape_text (latency, -1));
        }
    }

  if (facts->len > 0)
    {
      g_ptr_array_add (facts, NULL);
      g_ptr_array_add (lines, g_strjoinv (" · ", (char **) facts->pdata));
    }
  /* Result history: uptime and median latency. */
  if (uptime_caption != NULL && state != BGPT_CHECK_ITEM_NOT_CONFIGURED)
    g_ptr_array_add (lines, g_markup_escape_text (uptime_caption, -1));

  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (char **) lines->pdata);
}

/* @subtitle is Pango markup, as an AdwActionRow's; hidden when empty. */
static void
set_subtitle (BgptCheckRow *self,
              const char   *subtitle)
{
  if (g_strcmp0 (self->subtitle, subtitle) == 0)
    return;
  g_free (self->subtitle);
  self->subtitle = g_strdup (subtitle);
  gtk_label_set_markup (self->subtitle_label, subtitle != NULL ? subtitle : "");
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), subtitle != NULL && *subtitle != '\0');
}

void
bgpt_check_row_update (BgptCheckRow *self)
{
  BgptCheckItemState state;
  const char *incident_id;
  const char *state_text;
  g_autofree char *subtitle = NULL;

  g_return_if_fail (BGPT_IS_CHECK_ROW (self));

  if (self->item == NULL)
    return;

  state = bgpt_check_item_get_state (self->item);
  if (state == BGPT_CHECK_ITEM_BLOCKED)
    state_text = bgpt_check_waiting_text (bgpt_check_item_get_blocked_by (self->item));
  else
    state_text = bgpt_format_state_label (state);

  /* Result history: the board may follow another monitor (the demo's). */
  bgpt_uptime_summary_set_check (self->uptime_summary, bgpt_check_item_get_history (self->item),
                                 bgpt_check_item_get_account_id (self->item),
                                 bgpt_check_item_get_check (self->item));
  subtitle = build_subtitle (self->item, bgpt_uptime_summary_get_caption (self->uptime_summary));
  set_subtitle (self, subtitle);
  update_headroom_bar (self);

  gtk_image_set_from_icon_name (self->state_icon, bgpt_format_state_icon (state));
  gtk_widget_set_visible (GTK_WIDGET (self->state_icon), state != BGPT_CHECK_ITEM_CHECKING);
  bgpt_spinner_set_active (self->spinner, state == BGPT_CHECK_ITEM_CHECKING);
  gtk_label_set_label (self->state_label, state_text);

  /* A class taken off and put back would have the icon styled again. */
  if (g_strcmp0 (self->state_css, bgpt_format_state_css (state)) != 0)
    {
      if (self->state_css != NULL)
        gtk_widget_remove_css_class (GTK_WIDGET (self->state_icon), self->state_css);
      self->state_css = bgpt_format_state_css (state);
      gtk_widget_add_css_class (GTK_WIDGET (self->state_icon), self->state_css);
    }
  /* Waiting is no problem of its own: its words are grey too. */
  if (state == BGPT_CHECK_ITEM_BLOCKED)
    gtk_widget_add_css_class (GTK_WIDGET (self->state_label), "dim-label");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), "dim-label");

  incident_id = bgpt_check_item_get_incident_id (self->item);
  gtk_widget_set_visible (GTK_WIDGET (self->incident_button),
                          state == BGPT_CHECK_ITEM_PROBLEM && incident_id != NULL);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->incident_button), "s",
                                    incident_id != NULL ? incident_id : "");
}

static void
on_item_changed (BgptCheckRow  *self,
                 BgptCheckItem *item)
{
  bgpt_check_row_update (self);
}

void
bgpt_check_row_set_item (BgptCheckRow  *self,
                         BgptCheckItem *item)
{
  g_return_if_fail (BGPT_IS_CHECK_ROW (self));
  g_return_if_fail (item == NULL || BGPT_IS_CHECK_ITEM (item));

  if (self->item == item)
    return;
  if (self->item != NULL)
    g_signal_handlers_disconnect_by_func (self->item, on_item_changed, self);
  g_set_object (&self->item, item);
  if (item == NULL)
    {
      /* Put away: it follows no history and costs nothing until bound again. */
      bgpt_uptime_summary_set_check (self->uptime_summary, NULL, NULL, NULL);
      return;
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), bgpt_check_title (bgpt_check_item_get_check (item)));
  g_signal_connect_object (item, "changed", G_CALLBACK (on_item_changed), self, G_CONNECT_SWAPPED);
  bgpt_check_row_update (self);
}

static void
bgpt_check_row_dispose (GObject *object)
{
  BgptCheckRow *self = BGPT_CHECK_ROW (object);

  if (self->item != NULL)
    g_signal_handlers_disconnect_by_func (self->item, on_item_changed, self);
  g_clear_object (&self->item);

  G_OBJECT_CLASS (bgpt_check_row_parent_class)->dispose (object);
}

static void
bgpt_check_row_finalize (GObject *object)
{
  BgptCheckRow *self = BGPT_CHECK_ROW (object);

  g_free (self->subtitle);

  G_OBJECT_CLASS (bgpt_check_row_parent_class)->finalize (object);
}

/* In the Status list, the list item around the row has the focus: a
 * GtkListBoxRow takes it only inside a GtkListBox. */
static gboolean
bgpt_check_row_grab_focus (GtkWidget *widget)
{
  if (!GTK_IS_LIST_BOX (gtk_widget_get_parent (widget)))
    return FALSE;
  return GTK_WIDGET_CLASS (bgpt_check_row_parent_class)->grab_focus (widget);
}

static void
bgpt_check_row_class_init (BgptCheckRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bgpt_check_row_dispose;
  object_class->finalize = bgpt_check_row_finalize;
  widget_class->grab_focus = bgpt_check_row_grab_focus;

  g_type_ensure (BGPT_TYPE_ROW_BOX);
  g_type_ensure (BGPT_TYPE_UPTIME_SUMMARY);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/ui/bgpt-check-row.ui");
  gtk_widget_class_bind_template_child (widget_class, BgptCheckRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, BgptCheckRow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, BgptCheckRow, headroom_bar);
  gtk_widget_class_bind_template_child (widget_class, BgptCheckRow, state_box);
  gtk_widget_class_bind_template_child (widget_class, BgptCheckRow, state_icon);
  gtk_widget_class_bind_template_child (widget_class, BgptCheckRow, state_label);
  gtk_widget_class_bind_template_child (widget_class, BgptCheckRow, incident_button);
  gtk_widget_class_bind_template_child (widget_class, BgptCheckRow, uptime_summary);
}

static void
bgpt_check_row_init (BgptCheckRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_object_bind_property (self, "title", self->title_label, "label", G_BINDING_SYNC_CREATE);
  /* The action takes an incident id: none until a row shows an item. */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->incident_button), "s", "");
  g_signal_connect_object (self->uptime_summary, "changed", G_CALLBACK (bgpt_check_row_update), self,
                           G_CONNECT_SWAPPED);

  self->spinner = bgpt_spinner_new ();
  gtk_box_prepend (self->state_box, self->spinner);

  /* Its colour turns at the line where openai.rate-limit-near opens. */
  gtk_level_bar_remove_offset_value (self->headroom_bar, GTK_LEVEL_BAR_OFFSET_LOW);
  gtk_level_bar_add_offset_value (self->headroom_bar, GTK_LEVEL_BAR_OFFSET_LOW,
                                  BGPT_RATE_LIMIT_NEAR_PERCENT / 100.0);
}

GtkWidget *
bgpt_check_row_new (BgptCheckItem *item)
{
  BgptCheckRow *self;

  g_return_val_if_fail (item == NULL || BGPT_IS_CHECK_ITEM (item), NULL);

  self = g_object_new (BGPT_TYPE_CHECK_ROW, NULL);
  bgpt_check_row_set_item (self, item);
  return GTK_WIDGET (self);
}

BgptUptimeSummary *
bgpt_check_row_get_uptime_summary (BgptCheckRow *self)
{
  g_return_val_if_fail (BGPT_IS_CHECK_ROW (self), NULL);
  return self->uptime_summary;
}

const char *
bgpt_check_row_get_subtitle (BgptCheckRow *self)
{
  g_return_val_if_fail (BGPT_IS_CHECK_ROW (self), NULL);
  return self->subtitle;
}

BgptCheckItem *
bgpt_check_row_get_item (BgptCheckRow *self)
{
  g_return_val_if_fail (BGPT_IS_CHECK_ROW (self), NULL);
  return self->item;
}
