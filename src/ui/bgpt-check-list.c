/* bgpt-check-list.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-check-list"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-check-list.h"
#include "bgpt-check-row.h"
#include "bgpt-row-box.h"
#include "bgpt-tooltip.h"

/* The look of a boxed list, drawn by the rows themselves: GTK 4.8's list
 * views have no sections, so the card of an account is the run of rows
 * between two headings, rounded at its first and last row. Here rather
 * than in the application's style sheet, so that the tests and benches
 * that show the list without the application see it as the app does. */
static const char list_css[] =
  "listview.check-list { background: none; color: inherit; }\n"
  /* The list items only hold the rows: no hover of their own; the card's
   * margins at the sides. */
  "listview.check-list > row { padding: 0 12px; background: none; }\n"
  "listview.check-list > row.activatable:hover, listview.check-list > row.activatable:active,"
  " listview.check-list > row:selected { background: none; }\n"
  /* The card's outline is a border of one colour: the cairo renderer
   * draws it as one path, where an outline drawn as a box-shadow takes a
   * mask the size of the row, each row, each frame. */
  "listview.check-list row.check-list-row { padding: 2px 1px; background-color: @card_bg_color; color: @card_fg_color;"
  " border: 1px solid @card_shade_color; border-top-width: 0; }\n"
  "listview.check-list row.check-list-row.activatable:hover { background-image: image(alpha(currentColor, 0.03)); }\n"
  "listview.check-list row.check-list-row.activatable:active { background-image: image(alpha(currentColor, 0.08)); }\n"
  /* The list item has the focus (a GtkListBoxRow takes it only in a list
   * box): the card row shows it. */
  "listview.check-list > row:focus:focus-visible { outline-color: transparent; }\n"
  "listview.check-list > row:focus:focus-visible row.check-list-row { outline-color: alpha(@accent_color, 0.5);"
  " outline-width: 2px; outline-offset: -1px; }\n"
  "listview.check-list row.check-list-row.first { border-top-width: 1px;"
  " border-top-left-radius: 12px; border-top-right-radius: 12px; }\n"
  "listview.check-list row.check-list-row.last { border-bottom-left-radius: 12px;"
  " border-bottom-right-radius: 12px; }\n"
  /* A check row's parts, as libadwaita spaces an action row's. */
  "row.check-list-row > rowbox.check-row-header { margin: 0 12px; border-spacing: 6px; min-height: 50px; }\n"
  "rowbox.check-row-text { margin: 6px 0; border-spacing: 3px; }\n"
  "rowbox.check-row-suffixes { border-spacing: 6px; }\n"
  "listview.check-list .check-list-heading { margin-top: 24px; margin-bottom: 6px; min-height: 34px; }\n"
  "listview.check-list .check-list-end { margin-bottom: 24px; }\n";

static void
ensure_style (GtkWidget *widget)
{
  GdkDisplay *display = gtk_widget_get_display (widget);
  g_autoptr(GtkCssProvider) provider = NULL;

  if (display == NULL || g_object_get_data (G_OBJECT (display), "bgpt-check-list-css") != NULL)
    return;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider, list_css, -1);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_data_full (G_OBJECT (display), "bgpt-check-list-css", g_steal_pointer (&provider),
                          g_object_unref);
}

/* BgptCheckHeading: an account's heading among the rows */

#define BGPT_TYPE_CHECK_HEADING (bgpt_check_heading_get_type ())

G_DECLARE_FINAL_TYPE (BgptCheckHeading, bgpt_check_heading, BGPT, CHECK_HEADING, GObject)

struct _BgptCheckHeading
{
  GObject        parent_instance;

  BgptCheckItem *first_item;
};

G_DEFINE_FINAL_TYPE (BgptCheckHeading, bgpt_check_heading, G_TYPE_OBJECT)

static void
bgpt_check_heading_finalize (GObject *object)
{
  g_clear_object (&BGPT_CHECK_HEADING (object)->first_item);

  G_OBJECT_CLASS (bgpt_check_heading_parent_class)->finalize (object);
}

static void
bgpt_check_heading_class_init (BgptCheckHeadingClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bgpt_check_heading_finalize;
}

static void
bgpt_check_heading_init (BgptCheckHeading *self)
{
}

/* BgptCheckList */

struct _BgptCheckList
{
  GtkWidget              parent_instance;

  GtkWidget             *scrolled;
  GtkListView           *list_view;
  BgptCheckBoard        *board;
  /* The board's items with a heading before each account's: what the
   * list view shows. */
  GListStore            *entries;
  BgptCheckListNameFunc  name_func;
  gpointer               name_data;
  guint                  n_waiting;  /* cells bound and not yet filled in */
  GdkFrameClock         *frame_clock;
  gulong                 update_handler;
  gulong                 layout_handler;
  gint64                 fill_frame;      /* the frame the count below is of */
  guint                  n_filled_ahead;  /* cells filled in ahead of the view in it */
  guint                  fill_tick;       /* more frames while cells near the view wait */
  gboolean               waiting_near;
};

G_DEFINE_FINAL_TYPE (BgptCheckList, bgpt_check_list, GTK_TYPE_WIDGET)

enum
{
  CHECK_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
rebuild_entries (BgptCheckList *self)
{
  GListModel *model = self->board != NULL ? G_LIST_MODEL (self->board) : NULL;
  guint n_items = model != NULL ? g_list_model_get_n_items (model) : 0;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  const char *account_id = NULL;

  for (guint i = 0; i < n_items; i++)
    {
      BgptCheckItem *item = g_list_model_get_item (model, i);

      if (account_id == NULL || g_strcmp0 (account_id, bgpt_check_item_get_account_id (item)) != 0)
        {
          BgptCheckHeading *heading = g_object_new (BGPT_TYPE_CHECK_HEADING, NULL);

          heading->first_item = g_object_ref (item);
          g_ptr_array_add (entries, heading);
          account_id = bgpt_check_item_get_account_id (item);
        }
      g_ptr_array_add (entries, item);
    }
  g_list_store_splice (self->entries, 0, g_list_model_get_n_items (G_LIST_MODEL (self->entries)),
                       entries->pdata, entries->len);
}

static void
on_board_items_changed (BgptCheckList *self)
{
  rebuild_entries (self);
}

/* BgptCheckCell: a list item's child, a heading or a check row, whichever
 * its entry is; each is made once per list item and kept, hidden, while
 * the other shows.
 *
 * GTK 4.8's list view keeps 200 rows around the one in view, lays out
 * every one of them, and while it scrolls binds and unbinds rows far out
 * of sight several times each. So a cell bound far from the view waits:
 * it keeps the size of what it showed last, shows nothing, and is filled
 * in (the row bound to its check, its text laid out) only when it comes
 * within a screen of the view, just after the list's layout and before
 * the frame is drawn (fill_near_cells()). And the cairo renderer draws
 * every row each frame: a cell out of sight draws nothing, and the list
 * has the cells look again when it scrolls. */

#define BGPT_TYPE_CHECK_CELL (bgpt_check_cell_get_type ())

G_DECLARE_FINAL_TYPE (BgptCheckCell, bgpt_check_cell, BGPT, CHECK_CELL, GtkWidget)

struct _BgptCheckCell
{
  GtkWidget  parent_instance;

  GtkWidget   *heading;
  GtkWidget   *row;
  GtkWidget   *viewport;   /* unowned: the list's scrolled window */
  GtkListItem *list_item;  /* unowned: it owns the cell */
  GObject     *pending;    /* the entry bound, not yet shown */
  gboolean     waiting;    /* shows nothing, keeps its size */
  gboolean     drawn;      /* its last drawing shows it: it was in sight */
};

G_DEFINE_FINAL_TYPE (BgptCheckCell, bgpt_check_cell, GTK_TYPE_WIDGET)

/* Whether the cell is in sight in the list's scrolled window. */
static gboolean
bgpt_check_cell_in_sight (BgptCheckCell *self)
{
  graphene_rect_t bounds;

  if (!gtk_widget_compute_bounds (GTK_WIDGET (self), self->viewport, &bounds))
    return TRUE;
  return bounds.origin.y + bounds.size.height >= 0 && bounds.origin.y <= gtk_widget_get_height (self->viewport);
}

static void
bgpt_check_cell_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  BgptCheckCell *self = BGPT_CHECK_CELL (widget);

  self->drawn = bgpt_check_cell_in_sight (self);
  if (self->drawn)
    GTK_WIDGET_CLASS (bgpt_check_cell_parent_class)->snapshot (widget, snapshot);
}

/* The list item takes the focus first, as a list box's row would: it is
 * what Enter activates. The row's own buttons come after it. */
static gboolean
bgpt_check_cell_focus (GtkWidget        *widget,
                       GtkDirectionType  direction)
{
  BgptCheckCell *self = BGPT_CHECK_CELL (widget);
  GtkWidget *list_item = gtk_widget_get_parent (widget);

  if (self->row != NULL && gtk_widget_get_visible (self->row) && gtk_widget_get_focus_child (widget) == NULL
      && !gtk_widget_has_focus (list_item)
      && (direction == GTK_DIR_TAB_FORWARD || direction == GTK_DIR_DOWN || direction == GTK_DIR_UP))
    return FALSE;
  return GTK_WIDGET_CLASS (bgpt_check_cell_parent_class)->focus (widget, direction);
}

static void
bgpt_check_cell_dispose (GObject *object)
{
  BgptCheckCell *self = BGPT_CHECK_CELL (object);

  g_clear_pointer (&self->heading, gtk_widget_unparent);
  g_clear_pointer (&self->row, gtk_widget_unparent);
  g_clear_object (&self->pending);

  G_OBJECT_CLASS (bgpt_check_cell_parent_class)->dispose (object);
}

static void
bgpt_check_cell_class_init (BgptCheckCellClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = bgpt_check_cell_dispose;
  widget_class->snapshot = bgpt_check_cell_snapshot;
  widget_class->focus = bgpt_check_cell_focus;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
bgpt_check_cell_init (BgptCheckCell *self)
{
}

/* Whether the cell waits to be filled in, or shows its entry. */
static void
bgpt_check_cell_set_waiting (BgptCheckCell *self,
                             gboolean       waiting)
{
  if (self->waiting == waiting)
    return;
  self->waiting = waiting;
  if (self->heading != NULL)
    gtk_widget_set_child_visible (self->heading, !waiting);
  if (self->row != NULL)
    gtk_widget_set_child_visible (self->row, !waiting);
  if (waiting)
    gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  else
    gtk_accessible_reset_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_HIDDEN);
}

static GtkWidget *
bgpt_check_cell_show_heading (BgptCheckCell *self)
{
  if (self->heading == NULL)
    {
      GtkWidget *label;
      GtkWidget *edit;

      self->heading = bgpt_row_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      gtk_widget_add_css_class (self->heading, "check-list-heading");
      label = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_add_css_class (label, "heading");
      gtk_box_append (GTK_BOX (self->heading), label);

      edit = gtk_button_new_from_icon_name ("document-edit-symbolic");
      gtk_widget_add_css_class (edit, "flat");
      gtk_widget_set_valign (edit, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (self->heading), edit);
      gtk_widget_set_parent (self->heading, GTK_WIDGET (self));
    }
  gtk_widget_set_visible (self->heading, TRUE);
  if (self->row != NULL)
    gtk_widget_set_visible (self->row, FALSE);
  return self->heading;
}

static GtkWidget *
bgpt_check_cell_show_row (BgptCheckCell *self)
{
  if (self->row == NULL)
    {
      self->row = bgpt_check_row_new (NULL);
      gtk_widget_add_css_class (self->row, "check-list-row");
      /* A GtkListBoxRow outside a list box cannot take the focus. */
      gtk_widget_set_focusable (self->row, FALSE);
      gtk_widget_set_parent (self->row, GTK_WIDGET (self));
    }
  gtk_widget_set_visible (self->row, TRUE);
  if (self->heading != NULL)
    gtk_widget_set_visible (self->heading, FALSE);
  return self->row;
}

static char *
dup_account_name (BgptCheckList *self,
                  BgptCheckItem *item)
{
  char *name = NULL;

  if (self->name_func != NULL)
    name = self->name_func (bgpt_check_item_get_account_id (item), self->name_data);
  return name != NULL ? name : g_strdup (bgpt_check_item_get_account_name (item));
}

static void
bind_heading (BgptCheckList    *self,
              GtkListItem      *list_item,
              BgptCheckHeading *heading)
{
  GtkWidget *box = bgpt_check_cell_show_heading (BGPT_CHECK_CELL (gtk_list_item_get_child (list_item)));
  GtkWidget *label = gtk_widget_get_first_child (box);
  GtkWidget *edit = gtk_widget_get_last_child (box);
  const char *account_id = bgpt_check_item_get_account_id (heading->first_item);
  g_autofree char *name = dup_account_name (self, heading->first_item);
  g_autofree char *edit_label = NULL;

  gtk_label_set_label (GTK_LABEL (label), name);
  /* Translators: %s is an account name */
  edit_label = g_strdup_printf (_("Edit Account “%s”"), name);
  bgpt_tooltip_set_text (edit, edit_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (edit), GTK_ACCESSIBLE_PROPERTY_LABEL, edit_label, -1);
  /* The target before the action, which takes one. */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (edit), "s", account_id);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (edit), "app.edit-account");

  gtk_list_item_set_activatable (list_item, FALSE);
  gtk_list_item_set_selectable (list_item, FALSE);
}

/* Whether the entry at @position is a heading (or there is none). */
static gboolean
is_heading_at (BgptCheckList *self,
               guint          position)
{
  g_autoptr(GObject) entry = g_list_model_get_item (G_LIST_MODEL (self->entries), position);

  return entry == NULL || BGPT_IS_CHECK_HEADING (entry);
}

static void
set_css_class (GtkWidget  *widget,
               const char *css_class,
               gboolean    set)
{
  if (set)
    gtk_widget_add_css_class (widget, css_class);
  else
    gtk_widget_remove_css_class (widget, css_class);
}

static void
bind_row (BgptCheckList *self,
          GtkListItem   *list_item,
          BgptCheckItem *item)
{
  GtkWidget *row = bgpt_check_cell_show_row (BGPT_CHECK_CELL (gtk_list_item_get_child (list_item)));
  guint position = gtk_list_item_get_position (list_item);
  guint n_entries = g_list_model_get_n_items (G_LIST_MODEL (self->entries));

  /* The corners of the account's card. */
  set_css_class (row, "first", position == 0 || is_heading_at (self, position - 1));
  set_css_class (row, "last", is_heading_at (self, position + 1));
  set_css_class (row, "check-list-end", position + 1 == n_entries);
  bgpt_check_row_set_item (BGPT_CHECK_ROW (row), item);

  gtk_list_item_set_activatable (list_item, TRUE);
  /* GTK 4.8 focuses only a selectable list item; nothing is selected, the
   * model being a GtkNoSelection. */
  gtk_list_item_set_selectable (list_item, TRUE);
}

static void
on_setup (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          BgptCheckList            *self)
{
  BgptCheckCell *cell = g_object_new (BGPT_TYPE_CHECK_CELL, NULL);

  cell->viewport = self->scrolled;
  cell->list_item = list_item;
  gtk_list_item_set_child (list_item, GTK_WIDGET (cell));
}

static void
fill_cell (BgptCheckList *self,
           BgptCheckCell *cell)
{
  g_autoptr(GObject) entry = g_steal_pointer (&cell->pending);

  self->n_waiting--;
  bgpt_check_cell_set_waiting (cell, FALSE);
  if (BGPT_IS_CHECK_HEADING (entry))
    bind_heading (self, cell->list_item, BGPT_CHECK_HEADING (entry));
  else
    bind_row (self, cell->list_item, BGPT_CHECK_ITEM (entry));
}

/* A frame fills in every waiting cell in view, and at most this many of
 * those within a screen of it, the nearest first. A row costs about a
 * millisecond to measure and allocate the first time, and GTK binds list
 * items in runs: filled in all at once, a run of ten made a frame of over
 * 16 ms. The scroll of bench-history (500 entries down and up in six
 * seconds) fills in about two and a half a frame; a cell that the budget
 * leaves waiting is filled in a frame later, or at once if it comes into
 * view first. */
#define FILLS_AHEAD_PER_FRAME 4

typedef struct
{
  guint          distance;  /* in entries from the view */
  BgptCheckCell *cell;
} NearCell;

static int
compare_near_cells (gconstpointer a,
                    gconstpointer b)
{
  const NearCell *x = a, *y = b;

  return (x->distance > y->distance) - (x->distance < y->distance);
}

static gboolean
on_fill_tick (GtkWidget     *widget,
              GdkFrameClock *frame_clock,
              gpointer       user_data)
{
  BgptCheckList *self = BGPT_CHECK_LIST (widget);

  if (self->waiting_near)
    return G_SOURCE_CONTINUE;
  self->fill_tick = 0;
  return G_SOURCE_REMOVE;
}

/* The positions of the entries in view, @first to @last, and @span, as
 * many as those: a screen. GTK 4.8's list view allocates, and makes
 * child-visible, only the list items in view. FALSE with nothing in view
 * yet (before the first layout). */
static gboolean
get_view (BgptCheckList *self,
          guint         *first,
          guint         *last,
          guint         *span)
{
  *first = G_MAXUINT;
  *last = 0;
  for (GtkWidget *item = gtk_widget_get_first_child (GTK_WIDGET (self->list_view)); item != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *child = gtk_widget_get_first_child (item);
      guint position;

      if (!BGPT_IS_CHECK_CELL (child) || !gtk_widget_get_child_visible (item))
        continue;
      position = gtk_list_item_get_position (BGPT_CHECK_CELL (child)->list_item);
      *first = MIN (*first, position);
      *last = MAX (*last, position);
    }
  *span = *first <= *last ? *last - *first + 1 : 0;
  return *first <= *last;
}

/* How far the entry at @position is from the view, in entries. */
static guint
distance_from_view (guint position,
                    guint first,
                    guint last)
{
  if (position < first)
    return first - position;
  return position > last ? position - last : 0;
}

/* Fills in the waiting cells in view, then those within a screen of it
 * within the frame's budget. A cell filled in asks for a new size, and the
 * frame clock lays the window out again before it draws. With nothing in
 * view yet (the first layout, all cells empty) every cell is filled in. */
static void
fill_near_cells (BgptCheckList *self)
{
  gint64 frame = gdk_frame_clock_get_frame_counter (self->frame_clock);
  g_autoptr(GArray) near = NULL;
  gboolean in_view;
  guint first;
  guint last;
  guint span;
  guint i;

  self->waiting_near = FALSE;
  if (self->n_waiting == 0 || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  if (frame != self->fill_frame)
    {
      self->fill_frame = frame;
      self->n_filled_ahead = 0;
    }
  in_view = get_view (self, &first, &last, &span);

  near = g_array_new (FALSE, FALSE, sizeof (NearCell));
  for (GtkWidget *item = gtk_widget_get_first_child (GTK_WIDGET (self->list_view));
       item != NULL && self->n_waiting > 0; item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *child = gtk_widget_get_first_child (item);
      NearCell near_cell;

      if (!BGPT_IS_CHECK_CELL (child) || BGPT_CHECK_CELL (child)->pending == NULL)
        continue;
      near_cell.cell = BGPT_CHECK_CELL (child);
      near_cell.distance = distance_from_view (gtk_list_item_get_position (near_cell.cell->list_item), first, last);
      if (!in_view || near_cell.distance == 0)
        fill_cell (self, near_cell.cell);
      else if (near_cell.distance <= span)
        g_array_append_val (near, near_cell);
    }

  g_array_sort (near, compare_near_cells);
  for (i = 0; i < near->len && self->n_filled_ahead < FILLS_AHEAD_PER_FRAME; i++, self->n_filled_ahead++)
    fill_cell (self, g_array_index (near, NearCell, i).cell);
  self->waiting_near = i < near->len;
  if (self->waiting_near && self->fill_tick == 0)
    self->fill_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_fill_tick, NULL, NULL);
}

/* The cells that came into sight or went out of it since they were last
 * drawn draw again. GTK 4.8 and 4.18 draw a list item again when it moves,
 * as far as the tests and bench-history see; this does not count on it. */
static void
redraw_cells_crossing_view (BgptCheckList *self)
{
  for (GtkWidget *item = gtk_widget_get_first_child (GTK_WIDGET (self->list_view)); item != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *cell = gtk_widget_get_first_child (item);

      if (BGPT_IS_CHECK_CELL (cell) && gtk_widget_get_child_visible (item)
          && BGPT_CHECK_CELL (cell)->drawn != bgpt_check_cell_in_sight (BGPT_CHECK_CELL (cell)))
        gtk_widget_queue_draw (cell);
    }
}

/* At each frame, before the list's layout (the frame clock's update
 * phase, while it scrolls on its own, kinetically or animated) and after
 * it (every frame): a cell is filled in before it is laid out where it is
 * seen when the list scrolls by itself, and at worst laid out twice in
 * its first frame when the user jumps far. After the layout, the cells
 * are where they are drawn: those that came into sight or left it draw
 * again. */
static void
on_frame_update (BgptCheckList *self)
{
  fill_near_cells (self);
}

static void
on_frame_layout (BgptCheckList *self)
{
  fill_near_cells (self);
  redraw_cells_crossing_view (self);
}

static void
on_bind (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item,
         BgptCheckList            *self)
{
  BgptCheckCell *cell = BGPT_CHECK_CELL (gtk_list_item_get_child (list_item));

  /* Waits for the layout to place it (fill_near_cells()). */
  g_set_object (&cell->pending, gtk_list_item_get_item (list_item));
  self->n_waiting++;
  bgpt_check_cell_set_waiting (cell, TRUE);
}

static void
on_unbind (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           BgptCheckList            *self)
{
  BgptCheckCell *cell = BGPT_CHECK_CELL (gtk_list_item_get_child (list_item));

  if (cell->pending != NULL)
    {
      g_clear_object (&cell->pending);
      self->n_waiting--;
    }
  /* Put away, a row follows neither its item nor the history. */
  if (cell->row != NULL)
    bgpt_check_row_set_item (BGPT_CHECK_ROW (cell->row), NULL);
}

static void
on_activate (GtkListView   *list_view,
             guint          position,
             BgptCheckList *self)
{
  g_autoptr(GObject) entry = g_list_model_get_item (G_LIST_MODEL (self->entries), position);

  if (BGPT_IS_CHECK_ITEM (entry))
    g_signal_emit (self, signals[CHECK_ACTIVATED], 0, entry);
}

void
bgpt_check_list_set_board (BgptCheckList  *self,
                           BgptCheckBoard *board)
{
  g_return_if_fail (BGPT_IS_CHECK_LIST (self));
  g_return_if_fail (board == NULL || BGPT_IS_CHECK_BOARD (board));

  if (self->board == board)
    return;
  if (self->board != NULL)
    g_signal_handlers_disconnect_by_func (self->board, on_board_items_changed, self);
  g_set_object (&self->board, board);
  if (board != NULL)
    g_signal_connect_object (board, "items-changed", G_CALLBACK (on_board_items_changed), self,
                             G_CONNECT_SWAPPED);
  rebuild_entries (self);
}

void
bgpt_check_list_set_name_func (BgptCheckList         *self,
                               BgptCheckListNameFunc  func,
                               gpointer               user_data)
{
  g_return_if_fail (BGPT_IS_CHECK_LIST (self));

  self->name_func = func;
  self->name_data = user_data;
  bgpt_check_list_reload_names (self);
}

void
bgpt_check_list_reload_names (BgptCheckList *self)
{
  g_return_if_fail (BGPT_IS_CHECK_LIST (self));

  /* The rows on screen are bound again; the rest are when they show. */
  rebuild_entries (self);
}

guint
bgpt_check_list_count_waiting_near_view (BgptCheckList *self)
{
  guint first;
  guint last;
  guint span;
  guint n = 0;

  g_return_val_if_fail (BGPT_IS_CHECK_LIST (self), 0);

  if (!get_view (self, &first, &last, &span))
    return self->n_waiting;
  for (GtkWidget *item = gtk_widget_get_first_child (GTK_WIDGET (self->list_view)); item != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *child = gtk_widget_get_first_child (item);

      if (BGPT_IS_CHECK_CELL (child) && BGPT_CHECK_CELL (child)->pending != NULL
          && distance_from_view (gtk_list_item_get_position (BGPT_CHECK_CELL (child)->list_item), first, last) <= span)
        n++;
    }
  return n;
}

GtkListView *
bgpt_check_list_get_list_view (BgptCheckList *self)
{
  g_return_val_if_fail (BGPT_IS_CHECK_LIST (self), NULL);
  return self->list_view;
}

GtkAdjustment *
bgpt_check_list_get_vadjustment (BgptCheckList *self)
{
  g_return_val_if_fail (BGPT_IS_CHECK_LIST (self), NULL);
  return gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scrolled));
}

gboolean
bgpt_check_list_scroll_to_item (BgptCheckList *self,
                                BgptCheckItem *item)
{
  guint n_entries;

  g_return_val_if_fail (BGPT_IS_CHECK_LIST (self), FALSE);
  g_return_val_if_fail (BGPT_IS_CHECK_ITEM (item), FALSE);

  n_entries = g_list_model_get_n_items (G_LIST_MODEL (self->entries));
  for (guint i = 0; i < n_entries; i++)
    {
      g_autoptr(GObject) entry = g_list_model_get_item (G_LIST_MODEL (self->entries), i);

      if (entry == G_OBJECT (item))
        {
          /* GTK 4.8 has no gtk_list_view_scroll_to(): the list's own action. */
          gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", i);
          return TRUE;
        }
    }
  return FALSE;
}

static void
bgpt_check_list_dispose (GObject *object)
{
  BgptCheckList *self = BGPT_CHECK_LIST (object);

  if (self->board != NULL)
    g_signal_handlers_disconnect_by_func (self->board, on_board_items_changed, self);
  g_clear_object (&self->board);
  g_clear_pointer (&self->scrolled, gtk_widget_unparent);
  g_clear_object (&self->entries);

  G_OBJECT_CLASS (bgpt_check_list_parent_class)->dispose (object);
}

/* After GTK's own layout handler, connected when the window was made. */
static void
bgpt_check_list_realize (GtkWidget *widget)
{
  BgptCheckList *self = BGPT_CHECK_LIST (widget);

  GTK_WIDGET_CLASS (bgpt_check_list_parent_class)->realize (widget);
  self->frame_clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  self->update_handler = g_signal_connect_swapped (self->frame_clock, "update", G_CALLBACK (on_frame_update), self);
  self->layout_handler = g_signal_connect_swapped (self->frame_clock, "layout", G_CALLBACK (on_frame_layout), self);
}

static void
bgpt_check_list_unrealize (GtkWidget *widget)
{
  BgptCheckList *self = BGPT_CHECK_LIST (widget);

  g_clear_signal_handler (&self->update_handler, self->frame_clock);
  g_clear_signal_handler (&self->layout_handler, self->frame_clock);
  g_clear_object (&self->frame_clock);
  if (self->fill_tick != 0)
    gtk_widget_remove_tick_callback (widget, self->fill_tick);
  self->fill_tick = 0;
  GTK_WIDGET_CLASS (bgpt_check_list_parent_class)->unrealize (widget);
}

static void
bgpt_check_list_class_init (BgptCheckListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bgpt_check_list_dispose;
  widget_class->realize = bgpt_check_list_realize;
  widget_class->unrealize = bgpt_check_list_unrealize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  /* A check row was clicked or had Enter pressed. */
  signals[CHECK_ACTIVATED] =
    g_signal_new ("check-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, BGPT_TYPE_CHECK_ITEM);
}

static void
bgpt_check_list_init (BgptCheckList *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkWidget *clamp = adw_clamp_scrollable_new ();

  ensure_style (GTK_WIDGET (self));
  self->entries = g_list_store_new (G_TYPE_OBJECT);
  g_signal_connect_object (factory, "setup", G_CALLBACK (on_setup), self, 0);
  g_signal_connect_object (factory, "bind", G_CALLBACK (on_bind), self, 0);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (on_unbind), self, 0);
  self->list_view = GTK_LIST_VIEW (gtk_list_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->entries)))),
                                                      factory));
  gtk_widget_add_css_class (GTK_WIDGET (self->list_view), "check-list");
  /* A click opens a row, as in a boxed list. */
  gtk_list_view_set_single_click_activate (self->list_view, TRUE);
  g_signal_connect_object (self->list_view, "activate", G_CALLBACK (on_activate), self, 0);

  adw_clamp_scrollable_set_maximum_size (ADW_CLAMP_SCROLLABLE (clamp), 760);
  adw_clamp_scrollable_set_tightening_threshold (ADW_CLAMP_SCROLLABLE (clamp), 560);
  adw_clamp_scrollable_set_child (ADW_CLAMP_SCROLLABLE (clamp), GTK_WIDGET (self->list_view));

  self->scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scrolled), clamp);
  gtk_widget_set_parent (self->scrolled, GTK_WIDGET (self));
}

GtkWidget *
bgpt_check_list_new (void)
{
  return g_object_new (BGPT_TYPE_CHECK_LIST, NULL);
}
