/* bgpt-incidents-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-incidents-view"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-incident-row.h"
#include "bgpt-incidents-view.h"

/* An expander row costs a few milliseconds to make and lay out. The view
 * opens with what fills a window, adds the rest of a page in the idle time
 * after that frame, and older pages come with "Show Older Incidents": a
 * long history opens as fast as a short one. */
#define FIRST_ROWS 6
#define ROWS_PER_IDLE 8
#define PAGE_SIZE 50

/* The store announces an update in place as "1 removed, 1 added" of the
 * same object; a list box would then rebuild the row and lose its focus and
 * its expansion. This mirror passes on only real insertions and removals:
 * rows follow their incident's ::notify for the rest. */
#define BGPT_TYPE_STABLE_LIST (bgpt_stable_list_get_type ())
G_DECLARE_FINAL_TYPE (BgptStableList, bgpt_stable_list, BGPT, STABLE_LIST, GObject)

struct _BgptStableList
{
  GObject     parent_instance;

  GListModel *model;
  GPtrArray  *items;
};

static void bgpt_stable_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BgptStableList, bgpt_stable_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, bgpt_stable_list_model_init))

static GType
bgpt_stable_list_get_item_type (GListModel *model)
{
  return g_list_model_get_item_type (BGPT_STABLE_LIST (model)->model);
}

static guint
bgpt_stable_list_get_n_items (GListModel *model)
{
  return BGPT_STABLE_LIST (model)->items->len;
}

static gpointer
bgpt_stable_list_get_item (GListModel *model,
                           guint       position)
{
  BgptStableList *self = BGPT_STABLE_LIST (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
bgpt_stable_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = bgpt_stable_list_get_item_type;
  iface->get_n_items = bgpt_stable_list_get_n_items;
  iface->get_item = bgpt_stable_list_get_item;
}

static void
on_source_items_changed (BgptStableList *self,
                         guint           position,
                         guint           removed,
                         guint           added,
                         GListModel     *model)
{
  gboolean same = removed == added;

  for (guint i = 0; same && i < added; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, position + i);

      same = position + i < self->items->len && g_ptr_array_index (self->items, position + i) == item;
    }
  if (same)
    return;

  g_ptr_array_remove_range (self->items, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (self->items, position + i, g_list_model_get_item (model, position + i));
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

static void
bgpt_stable_list_finalize (GObject *object)
{
  BgptStableList *self = BGPT_STABLE_LIST (object);

  g_signal_handlers_disconnect_by_func (self->model, on_source_items_changed, self);
  g_clear_object (&self->model);
  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (bgpt_stable_list_parent_class)->finalize (object);
}

static void
bgpt_stable_list_class_init (BgptStableListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bgpt_stable_list_finalize;
}

static void
bgpt_stable_list_init (BgptStableList *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

static BgptStableList *
bgpt_stable_list_new (GListModel *model)
{
  BgptStableList *self = g_object_new (BGPT_TYPE_STABLE_LIST, NULL);
  guint n_items = g_list_model_get_n_items (model);

  self->model = g_object_ref (model);
  for (guint i = 0; i < n_items; i++)
    g_ptr_array_add (self->items, g_list_model_get_item (model, i));
  g_signal_connect_swapped (model, "items-changed", G_CALLBACK (on_source_items_changed), self);
  return self;
}

struct _BgptIncidentsView
{
  AdwBin               parent_instance;

  BgptIncidentStore   *store;
  BgptStatusPage      *status_page;
  GCancellable        *cancellable;
  GtkSliceListModel   *slice;
  GHashTable          *expanded_ids;
  BgptAccountNameFunc  account_name_func;
  gpointer             account_name_data;
  gboolean             populated;
  guint                target_size;
  guint                grow_source;

  GtkWidget           *empty_page;
  GtkWidget           *scrolled_window;
  GtkListBox          *list_box;
  GtkButton           *more_button;
};

G_DEFINE_FINAL_TYPE (BgptIncidentsView, bgpt_incidents_view, ADW_TYPE_BIN)

static void
update_state (BgptIncidentsView *self)
{
  guint n_items = self->store != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->store)) : 0;
  guint n_open = self->store != NULL ? bgpt_incident_store_get_n_open (self->store) : 0;
  guint n_unread = self->store != NULL ? bgpt_incident_store_get_n_unread (self->store) : 0;
  guint shown = self->target_size;

  /* Visibility rather than a GtkStack: GTK 4.8 does not tell assistive
   * technologies when a stack shows another page. */
  gtk_widget_set_visible (self->scrolled_window, n_items > 0);
  gtk_widget_set_visible (self->empty_page, n_items == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "incidents.mark-all-read", n_unread > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "incidents.clear-resolved", n_items > n_open);
  gtk_widget_set_visible (GTK_WIDGET (self->more_button), self->populated && n_items > shown);
}

static void
on_status_read (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BgptIncidentRow) row = user_data;
  g_autoptr(BgptStatusReport) report = NULL;

  report = bgpt_status_page_get_status_finish (BGPT_STATUS_PAGE (source), result, NULL);
  if (report != NULL)
    bgpt_incident_row_set_provider_status (row, report);
}

/* The status page is a hint next to the diagnosis: show what is cached at
 * once and never wait for it. */
static void
show_provider_status (BgptIncidentsView *self,
                      BgptIncidentRow   *row)
{
  const BgptStatusReport *cached;

  if (!bgpt_incident_row_wants_provider_status (row))
    return;

  if (self->status_page == NULL)
    self->status_page = bgpt_status_page_new (NULL);

  cached = bgpt_status_page_get_report (self->status_page);
  if (cached != NULL)
    bgpt_incident_row_set_provider_status (row, cached);
  bgpt_status_page_get_status_async (self->status_page, self->cancellable, on_status_read, g_object_ref (row));
}

static void
on_row_expanded (BgptIncidentsView *self,
                 GParamSpec        *pspec,
                 BgptIncidentRow   *row)
{
  BgptIncident *incident = bgpt_incident_row_get_incident (row);

  if (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (row)))
    {
      g_hash_table_add (self->expanded_ids, g_strdup (bgpt_incident_get_id (incident)));
      show_provider_status (self, row);
      if (!bgpt_incident_get_read (incident))
        bgpt_incident_store_mark_read (self->store, incident);
    }
  else
    {
      g_hash_table_remove (self->expanded_ids, bgpt_incident_get_id (incident));
    }
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  BgptIncidentsView *self = user_data;
  BgptIncident *incident = item;
  g_autofree char *account_name = NULL;
  GtkWidget *row;

  if (self->account_name_func != NULL)
    account_name = self->account_name_func (bgpt_incident_get_account_id (incident),
                                            self->account_name_data);

  row = bgpt_incident_row_new (incident, account_name);
  /* A repeat replaces the row; keep it open if it was. */
  if (g_hash_table_contains (self->expanded_ids, bgpt_incident_get_id (incident)))
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  g_signal_connect_object (row, "notify::expanded", G_CALLBACK (on_row_expanded), self, G_CONNECT_SWAPPED);
  return row;
}

static void
on_store_items_changed (BgptIncidentsView *self)
{
  update_state (self);
}

static gboolean
grow_rows (gpointer user_data)
{
  BgptIncidentsView *self = user_data;
  guint size = gtk_slice_list_model_get_size (self->slice);

  if (size < self->target_size)
    gtk_slice_list_model_set_size (self->slice, MIN (size + ROWS_PER_IDLE, self->target_size));
  if (gtk_slice_list_model_get_size (self->slice) < self->target_size)
    return G_SOURCE_CONTINUE;

  self->grow_source = 0;
  return G_SOURCE_REMOVE;
}

static void
on_after_paint (GdkFrameClock     *frame_clock,
                BgptIncidentsView *self)
{
  g_signal_handlers_disconnect_by_func (frame_clock, on_after_paint, self);
  self->grow_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, grow_rows, self, NULL);
}

static void
grow_to (BgptIncidentsView *self,
         guint              target_size)
{
  GdkFrameClock *frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  self->target_size = MAX (self->target_size, target_size);
  if (self->grow_source == 0 && gtk_slice_list_model_get_size (self->slice) < self->target_size)
    {
      /* Idle time comes before the frame too: wait for this frame first. */
      if (frame_clock != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)))
        {
          g_signal_handlers_disconnect_by_func (frame_clock, on_after_paint, self);
          g_signal_connect (frame_clock, "after-paint", G_CALLBACK (on_after_paint), self);
        }
      else
        {
          self->grow_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, grow_rows, self, NULL);
        }
    }
  update_state (self);
}

void
bgpt_incidents_view_populate (BgptIncidentsView *self)
{
  g_return_if_fail (BGPT_IS_INCIDENTS_VIEW (self));

  if (self->populated || self->store == NULL)
    return;

  self->populated = TRUE;
  self->slice = gtk_slice_list_model_new (G_LIST_MODEL (bgpt_stable_list_new (G_LIST_MODEL (self->store))),
                                          0, FIRST_ROWS);
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->slice), create_row, self, NULL);
  grow_to (self, PAGE_SIZE);
}

void
bgpt_incidents_view_set_store (BgptIncidentsView *self,
                               BgptIncidentStore *store)
{
  g_return_if_fail (BGPT_IS_INCIDENTS_VIEW (self));
  g_return_if_fail (store == NULL || BGPT_IS_INCIDENT_STORE (store));

  if (self->store == store)
    return;

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, on_store_items_changed, self);
  gtk_list_box_bind_model (self->list_box, NULL, NULL, NULL, NULL);
  g_clear_handle_id (&self->grow_source, g_source_remove);
  g_clear_object (&self->slice);
  g_set_object (&self->store, store);
  self->populated = FALSE;
  self->target_size = 0;

  if (store != NULL)
    {
      g_signal_connect_object (store, "items-changed", G_CALLBACK (on_store_items_changed), self,
                               G_CONNECT_SWAPPED | G_CONNECT_AFTER);
      g_signal_connect_object (store, "notify::n-open", G_CALLBACK (on_store_items_changed), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (store, "notify::n-unread", G_CALLBACK (on_store_items_changed), self,
                               G_CONNECT_SWAPPED);
    }
  update_state (self);
}

BgptIncidentStore *
bgpt_incidents_view_get_store (BgptIncidentsView *self)
{
  g_return_val_if_fail (BGPT_IS_INCIDENTS_VIEW (self), NULL);
  return self->store;
}

void
bgpt_incidents_view_set_account_name_func (BgptIncidentsView   *self,
                                           BgptAccountNameFunc  func,
                                           gpointer             user_data)
{
  g_return_if_fail (BGPT_IS_INCIDENTS_VIEW (self));

  self->account_name_func = func;
  self->account_name_data = user_data;
}

static guint
find_position (BgptIncidentsView *self,
               const char        *incident_id)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->store));

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(BgptIncident) incident = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      if (g_strcmp0 (bgpt_incident_get_id (incident), incident_id) == 0)
        return i;
    }
  return G_MAXUINT;
}

gboolean
bgpt_incidents_view_reveal (BgptIncidentsView *self,
                            const char        *incident_id)
{
  GtkListBoxRow *row;
  guint position;

  g_return_val_if_fail (BGPT_IS_INCIDENTS_VIEW (self), FALSE);

  if (self->store == NULL || incident_id == NULL)
    return FALSE;

  bgpt_incidents_view_populate (self);

  position = find_position (self, incident_id);
  if (position == G_MAXUINT)
    return FALSE;

  if (position >= gtk_slice_list_model_get_size (self->slice))
    gtk_slice_list_model_set_size (self->slice, position + 1);
  grow_to (self, position + 1);

  row = gtk_list_box_get_row_at_index (self->list_box, position);
  if (row == NULL)
    return FALSE;

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (row));
  return TRUE;
}

void
bgpt_incidents_view_update (BgptIncidentsView *self)
{
  g_return_if_fail (BGPT_IS_INCIDENTS_VIEW (self));

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (BGPT_IS_INCIDENT_ROW (child))
      bgpt_incident_row_update (BGPT_INCIDENT_ROW (child));
}

void
bgpt_incidents_view_set_status_page (BgptIncidentsView *self,
                                     BgptStatusPage    *status_page)
{
  g_return_if_fail (BGPT_IS_INCIDENTS_VIEW (self));
  g_return_if_fail (status_page == NULL || BGPT_IS_STATUS_PAGE (status_page));

  g_set_object (&self->status_page, status_page);
}

GtkListBox *
bgpt_incidents_view_get_list_box (BgptIncidentsView *self)
{
  g_return_val_if_fail (BGPT_IS_INCIDENTS_VIEW (self), NULL);
  return self->list_box;
}

static void
mark_all_read_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  BgptIncidentsView *self = BGPT_INCIDENTS_VIEW (widget);

  bgpt_incident_store_mark_all_read (self->store);
  update_state (self);
}

static void
clear_resolved_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  BgptIncidentsView *self = BGPT_INCIDENTS_VIEW (widget);

  bgpt_incident_store_clear_resolved (self->store);
  update_state (self);
}

static void
show_more_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  BgptIncidentsView *self = BGPT_INCIDENTS_VIEW (widget);

  grow_to (self, self->target_size + PAGE_SIZE);
}

static void
bgpt_incidents_view_dispose (GObject *object)
{
  BgptIncidentsView *self = BGPT_INCIDENTS_VIEW (object);

  g_clear_handle_id (&self->grow_source, g_source_remove);
  if (gtk_widget_get_frame_clock (GTK_WIDGET (self)) != NULL)
    g_signal_handlers_disconnect_by_func (gtk_widget_get_frame_clock (GTK_WIDGET (self)), on_after_paint, self);
  if (self->list_box != NULL)
    gtk_list_box_bind_model (self->list_box, NULL, NULL, NULL, NULL);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->status_page);
  g_clear_object (&self->slice);
  g_clear_object (&self->store);
  g_clear_pointer (&self->expanded_ids, g_hash_table_unref);

  G_OBJECT_CLASS (bgpt_incidents_view_parent_class)->dispose (object);
}

static void
bgpt_incidents_view_class_init (BgptIncidentsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bgpt_incidents_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/ui/bgpt-incidents-view.ui");
  gtk_widget_class_bind_template_child (widget_class, BgptIncidentsView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, BgptIncidentsView, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, BgptIncidentsView, list_box);
  gtk_widget_class_bind_template_child (widget_class, BgptIncidentsView, more_button);

  gtk_widget_class_install_action (widget_class, "incidents.mark-all-read", NULL, mark_all_read_action);
  gtk_widget_class_install_action (widget_class, "incidents.clear-resolved", NULL, clear_resolved_action);
  gtk_widget_class_install_action (widget_class, "incidents.show-more", NULL, show_more_action);
}

static void
bgpt_incidents_view_init (BgptIncidentsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->expanded_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();
  update_state (self);
}
