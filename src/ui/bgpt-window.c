/* bgpt-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-window"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-check-board.h"
#include "bgpt-check-detail.h"
#include "bgpt-check-list.h"
#include "bgpt-incidents-view.h"
#include "bgpt-window.h"

/* How often "há 2 minutos" is brought up to date. */
#define REFRESH_INTERVAL_S 30

struct _BgptWindow
{
  AdwApplicationWindow  parent_instance;

  BgptCheckBoard       *board;
  BgptIncidentStore    *store;
  guint                 refresh_source;
  gulong                after_paint_handler;

  AdwToastOverlay      *toast_overlay;
  GtkBox               *content_box;
  AdwHeaderBar         *header_bar;
  AdwViewSwitcherBar   *switcher_bar;
  GtkWidget            *toolbar_view;
  AdwViewStack         *view_stack;
  AdwViewStackPage     *incidents_page;
  BgptIncidentsView    *incidents_view;
  BgptUsageView        *usage_view;
  GtkWidget            *empty_page;
  GtkWidget            *accounts_page;
  BgptCheckList        *check_list;
  GtkImage             *summary_icon;
  GtkLabel             *summary_label;
};

G_DEFINE_FINAL_TYPE (BgptWindow, bgpt_window, ADW_TYPE_APPLICATION_WINDOW)

static BgptApplication *
get_application (BgptWindow *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

  return BGPT_IS_APPLICATION (application) ? BGPT_APPLICATION (application) : NULL;
}

static void
update_summary (BgptWindow *self)
{
  guint n_problems = bgpt_check_board_count_state (self->board, BGPT_CHECK_ITEM_PROBLEM);
  guint n_checking = bgpt_check_board_count_state (self->board, BGPT_CHECK_ITEM_CHECKING);
  guint n_ok = bgpt_check_board_count_state (self->board, BGPT_CHECK_ITEM_OK);
  const char *icon;
  const char *css;
  g_autofree char *text = NULL;

  if (bgpt_check_board_get_offline (self->board))
    {
      icon = "network-offline-symbolic";
      css = "status-unknown";
      text = g_strdup (_("No network connection: checks are paused"));
    }
  else if (n_problems > 0)
    {
      icon = "dialog-error-symbolic";
      css = "status-problem";
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%u connection has a problem",
                                           "%u connections have problems",
                                           n_problems),
                              n_problems);
    }
  else if (n_checking > 0)
    {
      icon = "content-loading-symbolic";
      css = "status-unknown";
      text = g_strdup (_("Checking the connections…"));
    }
  else if (n_ok > 0)
    {
      icon = "object-select-symbolic";
      css = "status-ok";
      text = g_strdup (_("All connections are working"));
    }
  else
    {
      icon = "dialog-question-symbolic";
      css = "status-unknown";
      text = g_strdup (_("Not checked yet"));
    }

  gtk_image_set_from_icon_name (self->summary_icon, icon);
  gtk_widget_remove_css_class (GTK_WIDGET (self->summary_icon), "status-problem");
  gtk_widget_remove_css_class (GTK_WIDGET (self->summary_icon), "status-ok");
  gtk_widget_remove_css_class (GTK_WIDGET (self->summary_icon), "status-unknown");
  gtk_widget_add_css_class (GTK_WIDGET (self->summary_icon), css);
  gtk_label_set_label (self->summary_label, text);
}

static void
on_board_item_changed (BgptWindow *self)
{
  update_summary (self);
}

/* Result history: a check's row opens its detail page. */
static void
on_check_activated (BgptWindow    *self,
                    BgptCheckItem *item)
{
  BgptHistory *history = bgpt_check_item_get_history (item);
  BgptCheckDetail *detail;

  if (history == NULL)
    return;
  detail = bgpt_check_detail_new (history, self->store, bgpt_check_item_get_account_id (item),
                                  bgpt_check_item_get_account_name (item), bgpt_check_item_get_check (item));
  gtk_window_set_transient_for (GTK_WINDOW (detail), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (detail));
}

/* The rows are the check list's; the window follows every item for the
 * summary above them. */
static void
rebuild_accounts (BgptWindow *self)
{
  GListModel *model = G_LIST_MODEL (self->board);
  guint n_items = g_list_model_get_n_items (model);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(BgptCheckItem) item = g_list_model_get_item (model, i);

      /* An item kept across a change of accounts is followed once. */
      g_signal_handlers_disconnect_by_func (item, on_board_item_changed, self);
      g_signal_connect_object (item, "changed", G_CALLBACK (on_board_item_changed), self, G_CONNECT_SWAPPED);
    }
  bgpt_check_list_set_board (self->check_list, self->board);

  /* Visibility rather than a GtkStack: GTK 4.8 does not tell assistive
   * technologies when a stack shows another page. */
  gtk_widget_set_visible (self->accounts_page, n_items > 0);
  gtk_widget_set_visible (self->empty_page, n_items == 0);
  update_summary (self);
}

/* An account was renamed: its heading says so. */
static void
on_accounts_changed (BgptWindow *self)
{
  bgpt_check_list_reload_names (self->check_list);
  rebuild_accounts (self);
}

static void
on_board_items_changed (BgptWindow *self)
{
  rebuild_accounts (self);
}

/* The badge counts problems still open that the user has not seen: each
 * incident is a root cause, and one that resolved itself asks for nothing. */
static guint
count_open_unread (BgptIncidentStore *store)
{
  GListModel *model = G_LIST_MODEL (store);
  guint n = 0;

  if (bgpt_incident_store_get_n_unread (store) == 0)
    return 0;
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(BgptIncident) incident = g_list_model_get_item (model, i);

      if (bgpt_incident_is_open (incident) && !bgpt_incident_get_read (incident))
        n++;
    }
  return n;
}

static void
update_badge (BgptWindow *self)
{
  guint n_unread = self->store != NULL ? count_open_unread (self->store) : 0;

  adw_view_stack_page_set_badge_number (self->incidents_page, n_unread);
  adw_view_stack_page_set_needs_attention (self->incidents_page, n_unread > 0);
}

static void
on_visible_child_changed (BgptWindow *self)
{
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "incidents") == 0)
    bgpt_incidents_view_populate (self->incidents_view);
}

static gboolean
refresh_times (gpointer user_data)
{
  BgptWindow *self = user_data;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->board)); i++)
    {
      g_autoptr(BgptCheckItem) item = g_list_model_get_item (G_LIST_MODEL (self->board), i);

      g_signal_emit_by_name (item, "changed");
    }
  bgpt_incidents_view_update (self->incidents_view);
  return G_SOURCE_CONTINUE;
}

static char *
account_name_func (const char *account_id,
                   gpointer    user_data)
{
  BgptWindow *self = user_data;
  BgptApplication *application = get_application (self);

  return application != NULL ? bgpt_application_dup_account_name (application, account_id) : NULL;
}

static gboolean
start_first_check (gpointer user_data)
{
  BgptWindow *self = user_data;
  BgptApplication *application = get_application (self);

  if (application != NULL)
    bgpt_application_check_now (application);
  return G_SOURCE_REMOVE;
}

static void
on_after_paint (GdkFrameClock *frame_clock,
                BgptWindow    *self)
{
  g_clear_signal_handler (&self->after_paint_handler, frame_clock);
  /* The first frame is on screen: only now may the checks start. */
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, start_first_check, g_object_ref (self), g_object_unref);
}

static void
bgpt_window_map (GtkWidget *widget)
{
  BgptWindow *self = BGPT_WINDOW (widget);
  GdkFrameClock *frame_clock;

  GTK_WIDGET_CLASS (bgpt_window_parent_class)->map (widget);

  frame_clock = gtk_widget_get_frame_clock (widget);
  if (frame_clock != NULL && self->after_paint_handler == 0)
    self->after_paint_handler = g_signal_connect (frame_clock, "after-paint",
                                                  G_CALLBACK (on_after_paint), self);

  if (self->refresh_source == 0)
    self->refresh_source = g_timeout_add_seconds (REFRESH_INTERVAL_S, refresh_times, self);
}

static void
bgpt_window_unmap (GtkWidget *widget)
{
  BgptWindow *self = BGPT_WINDOW (widget);
  GdkFrameClock *frame_clock = gtk_widget_get_frame_clock (widget);

  if (frame_clock != NULL)
    g_clear_signal_handler (&self->after_paint_handler, frame_clock);
  g_clear_handle_id (&self->refresh_source, g_source_remove);

  GTK_WIDGET_CLASS (bgpt_window_parent_class)->unmap (widget);
}

/* A history file that could not be read was moved aside: say so, and
 * where, until the user has read it. */
static void
on_load_error_changed (BgptWindow *self)
{
  const char *message = bgpt_incident_store_get_load_error (self->store);
  AdwToast *toast;

  if (message == NULL)
    return;

  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
attach_application (BgptWindow *self)
{
  BgptApplication *application = get_application (self);
  BgptSession *session;
  GtkWidget *bar;

  /* GtkWindow:application is not a construct property: it arrives after
   * constructed(), and may be unset in tests. */
  if (application == NULL || self->store != NULL)
    return;

  session = bgpt_application_get_session (application);
  g_signal_handlers_disconnect_by_func (self->board, on_board_items_changed, self);
  g_set_object (&self->board, bgpt_application_get_check_board (application));
  self->store = g_object_ref (bgpt_session_get_incident_store (session));

  /* A bar of the session under the header bar ("Modo demonstração", with
   * the way out). */
  bar = bgpt_session_create_bar (session);
  if (bar != NULL)
    {
#if ADW_CHECK_VERSION (1, 4, 0)
      adw_toolbar_view_add_top_bar (ADW_TOOLBAR_VIEW (self->toolbar_view), bar);
#else
      gtk_box_insert_child_after (self->content_box, bar, GTK_WIDGET (self->header_bar));
#endif
    }

  g_signal_connect_object (self->board, "items-changed", G_CALLBACK (on_board_items_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "accounts-changed", G_CALLBACK (on_accounts_changed), self,
                           G_CONNECT_SWAPPED);
  rebuild_accounts (self);

  bgpt_incidents_view_set_store (self->incidents_view, self->store);
  /* The costs of the session's accounts; the demo's cannot be changed. */
  bgpt_usage_view_set_read_only (self->usage_view, !bgpt_session_check_accounts_editable (session, NULL));
  bgpt_usage_view_set_monitor (self->usage_view, bgpt_session_get_monitor (session));
  g_signal_connect_object (self->store, "items-changed", G_CALLBACK (update_badge), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (self->store, "notify::n-unread", G_CALLBACK (update_badge), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "notify::n-open", G_CALLBACK (update_badge), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "notify::load-error", G_CALLBACK (on_load_error_changed), self,
                           G_CONNECT_SWAPPED);
  update_badge (self);
  on_load_error_changed (self);
}

static void
show_toast_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  bgpt_window_show_toast (BGPT_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
bgpt_window_dispose (GObject *object)
{
  BgptWindow *self = BGPT_WINDOW (object);

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_clear_object (&self->board);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (bgpt_window_parent_class)->dispose (object);
}

static void
bgpt_window_class_init (BgptWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bgpt_window_dispose;
  widget_class->map = bgpt_window_map;
  widget_class->unmap = bgpt_window_unmap;

  g_type_ensure (BGPT_TYPE_INCIDENTS_VIEW);
  g_type_ensure (BGPT_TYPE_CHECK_LIST);

  /* What the window's parts and its dialogs tell the user in passing. A
   * widget action, not exported on D-Bus: no other program puts words in
   * the window. */
  gtk_widget_class_install_action (widget_class, "win.show-toast", "s", show_toast_action);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/ui/bgpt-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BgptWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BgptWindow, content_box);
  gtk_widget_class_bind_template_child (widget_class, BgptWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, BgptWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, BgptWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, BgptWindow, incidents_page);
  gtk_widget_class_bind_template_child (widget_class, BgptWindow, incidents_view);
  gtk_widget_class_bind_template_child (widget_class, BgptWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, BgptWindow, accounts_page);
  gtk_widget_class_bind_template_child (widget_class, BgptWindow, check_list);
  gtk_widget_class_bind_template_child (widget_class, BgptWindow, summary_icon);
  gtk_widget_class_bind_template_child (widget_class, BgptWindow, summary_label);
}

#if ADW_CHECK_VERSION (1, 4, 0)
/* Moves @child from the template's box to a bar of the toolbar view. */
static void
move_to_toolbar (BgptWindow *self,
                 gpointer    child,
                 gboolean    top)
{
  g_object_ref (child);
  gtk_box_remove (self->content_box, child);
  if (top)
    adw_toolbar_view_add_top_bar (ADW_TOOLBAR_VIEW (self->toolbar_view), child);
  else
    adw_toolbar_view_add_bottom_bar (ADW_TOOLBAR_VIEW (self->toolbar_view), child);
  g_object_unref (child);
}
#endif

/* The view switcher: in the header bar, and in a bar at the bottom when the
 * window is narrow. libadwaita 1.4 deprecated AdwViewSwitcherTitle: there an
 * AdwToolbarView holds the header bar over the pages and the switcher bar
 * under them, and a breakpoint moves the switcher down. */
static void
set_up_view_switcher (BgptWindow *self)
{
#if ADW_CHECK_VERSION (1, 4, 0)
  GtkWidget *switcher = adw_view_switcher_new ();
  AdwBreakpoint *breakpoint;

  adw_view_switcher_set_stack (ADW_VIEW_SWITCHER (switcher), self->view_stack);
  adw_view_switcher_set_policy (ADW_VIEW_SWITCHER (switcher), ADW_VIEW_SWITCHER_POLICY_WIDE);
  adw_header_bar_set_title_widget (self->header_bar, switcher);

  self->toolbar_view = adw_toolbar_view_new ();
  move_to_toolbar (self, self->header_bar, TRUE);
  move_to_toolbar (self, self->switcher_bar, FALSE);
  g_object_ref (self->content_box);
  adw_toast_overlay_set_child (self->toast_overlay, self->toolbar_view);
  adw_toolbar_view_set_content (ADW_TOOLBAR_VIEW (self->toolbar_view), GTK_WIDGET (self->content_box));
  g_object_unref (self->content_box);

  /* Too narrow for the switcher's labels beside the buttons: the window's
   * title on top, the switcher at the bottom. */
  breakpoint = adw_breakpoint_new (adw_breakpoint_condition_parse ("max-width: 550sp"));
  adw_breakpoint_add_setters (breakpoint,
                              G_OBJECT (self->switcher_bar), "reveal", TRUE,
                              G_OBJECT (self->header_bar), "title-widget", NULL,
                              NULL);
  adw_application_window_add_breakpoint (ADW_APPLICATION_WINDOW (self), breakpoint);
#else
  GtkWidget *title = adw_view_switcher_title_new ();

  adw_view_switcher_title_set_stack (ADW_VIEW_SWITCHER_TITLE (title), self->view_stack);
  g_object_bind_property (self, "title", title, "title", G_BINDING_SYNC_CREATE);
  adw_header_bar_set_title_widget (self->header_bar, title);
  g_object_bind_property (title, "title-visible", self->switcher_bar, "reveal", G_BINDING_SYNC_CREATE);
#endif
}

/* "Uso" between the status and the notifications. */
static void
add_usage_page (BgptWindow *self)
{
  AdwViewStackPage *page;

  self->usage_view = BGPT_USAGE_VIEW (bgpt_usage_view_new ());
  page = adw_view_stack_add_titled (self->view_stack, GTK_WIDGET (self->usage_view), "usage", _("Usage"));
  adw_view_stack_page_set_icon_name (page, "document-properties-symbolic");
}

BgptUsageView *
bgpt_window_get_usage_view (BgptWindow *self)
{
  g_return_val_if_fail (BGPT_IS_WINDOW (self), NULL);
  return self->usage_view;
}

static void
bgpt_window_init (BgptWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  add_usage_page (self);
  set_up_view_switcher (self);

  g_signal_connect_object (self->view_stack, "notify::visible-child", G_CALLBACK (on_visible_child_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::application", G_CALLBACK (attach_application), NULL);

  self->board = bgpt_check_board_new ();
  g_signal_connect_object (self->board, "items-changed", G_CALLBACK (on_board_items_changed), self,
                           G_CONNECT_SWAPPED);
  bgpt_incidents_view_set_account_name_func (self->incidents_view, account_name_func, self);
  bgpt_check_list_set_name_func (self->check_list, account_name_func, self);
  g_signal_connect_object (self->check_list, "check-activated", G_CALLBACK (on_check_activated), self,
                           G_CONNECT_SWAPPED);
  rebuild_accounts (self);
  update_badge (self);
}

BgptWindow *
bgpt_window_new (BgptApplication *application)
{
  return g_object_new (BGPT_TYPE_WINDOW, "application", application, NULL);
}

void
bgpt_window_show_toast (BgptWindow *self,
                        const char *text)
{
  AdwToast *toast;

  g_return_if_fail (BGPT_IS_WINDOW (self));

  toast = adw_toast_new (text);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
bgpt_window_set_view (BgptWindow *self,
                      const char *name)
{
  g_return_if_fail (BGPT_IS_WINDOW (self));

  adw_view_stack_set_visible_child_name (self->view_stack, name);
}

gboolean
bgpt_window_show_incident (BgptWindow *self,
                           const char *incident_id)
{
  g_return_val_if_fail (BGPT_IS_WINDOW (self), FALSE);

  bgpt_window_set_view (self, "incidents");
  return bgpt_incidents_view_reveal (self->incidents_view, incident_id);
}

BgptIncidentsView *
bgpt_window_get_incidents_view (BgptWindow *self)
{
  g_return_val_if_fail (BGPT_IS_WINDOW (self), NULL);
  return self->incidents_view;
}

GtkWidget *
bgpt_window_get_accounts_box (BgptWindow *self)
{
  g_return_val_if_fail (BGPT_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->check_list);
}
