/* bgpt-setup-wizard-checks.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The wizard's live checks: each runs through its row of the table of
 * checks (bgpt-checks.h) on the wizard's own HTTP session, and its view
 * shows the answer; the summary runs them all, a dependent waiting for
 * the check it needs as on the Status board.
 */

#define G_LOG_DOMAIN "bgpt-setup-wizard"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-checks.h"
#include "bgpt-http.h"
#include "bgpt-setup-wizard-private.h"

typedef struct
{
  BgptSetupWizard     *self;
  BgptWizardCheckView *view;
  char                *check;
  char                *target;  /* the model or assistant id asked for */
} CheckOp;

static void
check_op_free (CheckOp *op)
{
  g_clear_object (&op->self);
  g_clear_object (&op->view);
  g_free (op->check);
  g_free (op->target);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CheckOp, check_op_free)

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

void
_bgpt_setup_wizard_fill_models (BgptSetupWizard    *self,
                                const char * const *model_ids)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  guint n_models = model_ids != NULL ? g_strv_length ((char **) model_ids) : 0;

  for (guint i = 0; i < n_models; i++)
    g_ptr_array_add (sorted, (gpointer) model_ids[i]);
  g_ptr_array_sort (sorted, compare_strings);
  /* The first item only says what the list is for: choosing it changes nothing. */
  g_ptr_array_insert (sorted, 0, (gpointer) _("Choose…"));
  g_ptr_array_add (sorted, NULL);

  self->filling_models = TRUE;
  gtk_string_list_splice (self->models, 0, g_list_model_get_n_items (G_LIST_MODEL (self->models)),
                          (const char * const *) sorted->pdata);
  gtk_drop_down_set_selected (self->models_dropdown, 0);
  self->filling_models = FALSE;

  gtk_widget_set_visible (self->models_row, n_models > 0);
}

static char *
describe_success (const CheckOp       *op,
                  const BgptDiagnosis *diagnosis)
{
  if (g_str_equal (op->check, BGPT_CHECK_KOMMO_ACCOUNT))
    {
      if (diagnosis->subject != NULL)
        /* Translators: %s is the name of the Kommo account */
        return g_strdup_printf (_("Connected to the Kommo account “%s”"), diagnosis->subject);
      return g_strdup (_("Connected to Kommo"));
    }

  if (g_str_equal (op->check, BGPT_CHECK_OPENAI_KEY))
    {
      guint n_models = diagnosis->items != NULL ? g_strv_length (diagnosis->items) : 0;

      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "OpenAI accepted the key: %u model available",
                                           "OpenAI accepted the key: %u models available",
                                           n_models),
                              n_models);
    }

  if (g_str_equal (op->check, BGPT_CHECK_OPENAI_MODEL))
    /* Translators: %s is an OpenAI model id */
    return g_strdup_printf (_("The model “%s” is available to this key"), op->target);

  /* Translators: %s is an assistant id such as asst_abc123 */
  return g_strdup_printf (_("The assistant “%s” was found"), op->target);
}

static gboolean
is_assistants_shutdown (const BgptDiagnosis *diagnosis)
{
  /* Since 2026-08-26 every ID fails, because the Assistants API is gone;
   * the classifier tells that from an ID the server does not know. */
  return diagnosis != NULL &&
         g_strcmp0 (diagnosis->error_id, BGPT_DIAGNOSIS_OPENAI_ASSISTANT) == 0 &&
         g_strcmp0 (diagnosis->reason, "assistants_api_shut_down") == 0;
}

/* The summary's view of @check, or NULL when @view is not the summary's. */
static BgptWizardCheckView *
summary_view (BgptSetupWizard     *self,
              BgptWizardCheckView *view,
              const char          *check)
{
  if (view != self->summary_kommo_view && view != self->summary_openai_view &&
      view != self->summary_assistant_view && view != self->summary_model_view)
    return NULL;
  if (g_str_equal (check, BGPT_CHECK_KOMMO_ACCOUNT))
    return self->summary_kommo_view;
  if (g_str_equal (check, BGPT_CHECK_OPENAI_KEY))
    return self->summary_openai_view;
  if (g_str_equal (check, BGPT_CHECK_OPENAI_MODEL))
    return self->summary_model_view;
  if (g_str_equal (check, BGPT_CHECK_OPENAI_ASSISTANT))
    return self->summary_assistant_view;
  return NULL;
}

/* A failure of @op's check while a check it depends on has failed: shown
 * as waiting for that one. */
static gboolean
summary_blocks (BgptSetupWizard *self,
                const CheckOp   *op)
{
  const BgptCheck *check = bgpt_check_lookup (op->check);

  for (guint i = 0; check->depends_on[i] != NULL; i++)
    {
      BgptWizardCheckView *dependency = summary_view (self, op->view, check->depends_on[i]);

      if (dependency != NULL && bgpt_wizard_check_view_get_state (dependency) == BGPT_WIZARD_CHECK_FAILED)
        {
          bgpt_wizard_check_view_set_skipped (op->view, bgpt_check_waiting_text (check->depends_on[i]));
          return TRUE;
        }
    }
  return FALSE;
}

/* @op's check failed: what depends on it and failed too, or has not
 * answered yet, waits for it. */
static void
summary_block_dependents (BgptSetupWizard *self,
                          const CheckOp   *op)
{
  gsize n_checks;
  const BgptCheck *checks = bgpt_checks_get (&n_checks);

  for (gsize i = 0; i < n_checks; i++)
    {
      BgptWizardCheckView *dependent;
      BgptWizardCheckState state;

      if (!g_strv_contains (checks[i].depends_on, op->check))
        continue;
      dependent = summary_view (self, op->view, checks[i].id);
      if (dependent == NULL)
        continue;
      state = bgpt_wizard_check_view_get_state (dependent);
      if (state == BGPT_WIZARD_CHECK_FAILED || state == BGPT_WIZARD_CHECK_RUNNING)
        bgpt_wizard_check_view_set_skipped (dependent, bgpt_check_waiting_text (op->check));
    }
}

static void
on_check_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CheckOp) op = user_data;
  BgptSetupWizard *self = op->self;
  g_autoptr(BgptDiagnosis) diagnosis = NULL;
  g_autofree char *success_text = NULL;

  diagnosis = bgpt_check_lookup (op->check)->finish (BGPT_HTTP (source), result, NULL);

  /* Cancelled: the view was reset, began another run or is gone. */
  if (diagnosis == NULL)
    return;

  /* The summary runs every check at once: one that failed because its
   * dependency failed waits for it, as on the Status board. */
  if (!bgpt_diagnosis_is_ok (diagnosis) && summary_blocks (self, op))
    return;

  success_text = describe_success (op, diagnosis);
  bgpt_wizard_check_view_set_diagnosis (op->view, diagnosis, success_text);

  if (!bgpt_diagnosis_is_ok (diagnosis))
    {
      summary_block_dependents (self, op);
      if (g_str_equal (op->check, BGPT_CHECK_OPENAI_ASSISTANT) && is_assistants_shutdown (diagnosis))
        gtk_widget_set_visible (self->shutdown_group, TRUE);
      return;
    }

  if (g_str_equal (op->check, BGPT_CHECK_OPENAI_KEY))
    _bgpt_setup_wizard_fill_models (self, (const char * const *) diagnosis->items);
  else if (g_str_equal (op->check, BGPT_CHECK_KOMMO_ACCOUNT) && diagnosis->subject != NULL &&
           !self->name_edited)
    _bgpt_setup_wizard_set_name (self, diagnosis->subject);
  else if (g_str_equal (op->check, BGPT_CHECK_OPENAI_ASSISTANT))
    gtk_widget_set_visible (self->shutdown_group, FALSE);
}

static void
run_check (BgptSetupWizard       *self,
           BgptWizardCheckView   *view,
           const char            *check,
           const BgptCheckConfig *config)
{
  GCancellable *cancellable;
  CheckOp *op;
  const char *running_text;

  if (g_str_equal (check, BGPT_CHECK_KOMMO_ACCOUNT))
    running_text = _("Connecting to Kommo…");
  else if (g_str_equal (check, BGPT_CHECK_OPENAI_KEY))
    running_text = _("Checking the key with OpenAI…");
  else if (g_str_equal (check, BGPT_CHECK_OPENAI_MODEL))
    running_text = _("Checking the model…");
  else
    running_text = _("Looking for the assistant…");

  cancellable = bgpt_wizard_check_view_begin (view, running_text);

  op = g_new0 (CheckOp, 1);
  op->self = g_object_ref (self);
  op->view = g_object_ref (view);
  op->check = g_strdup (check);
  op->target = g_strdup (g_str_equal (check, BGPT_CHECK_OPENAI_MODEL) ? config->model : config->assistant_id);

  bgpt_http_set_timeout (self->http, g_settings_get_uint (self->settings, "timeout"));

  bgpt_check_lookup (check)->start (self->http, config, cancellable, on_check_done, op);
}

static void
test_kommo_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  BgptSetupWizard *self = BGPT_SETUP_WIZARD (widget);
  g_autoptr(BgptCheckConfig) config = _bgpt_setup_wizard_build_config (self);

  run_check (self, self->kommo_view, BGPT_CHECK_KOMMO_ACCOUNT, config);
}

static void
test_openai_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  BgptSetupWizard *self = BGPT_SETUP_WIZARD (widget);
  g_autoptr(BgptCheckConfig) config = _bgpt_setup_wizard_build_config (self);

  run_check (self, self->openai_view, BGPT_CHECK_OPENAI_KEY, config);
}

static void
test_assistant_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  BgptSetupWizard *self = BGPT_SETUP_WIZARD (widget);
  g_autoptr(BgptCheckConfig) config = _bgpt_setup_wizard_build_config (self);

  if (config->assistant_id != NULL)
    run_check (self, self->assistant_view, BGPT_CHECK_OPENAI_ASSISTANT, config);
  else
    bgpt_wizard_check_view_reset (self->assistant_view);

  if (config->model != NULL)
    run_check (self, self->model_view, BGPT_CHECK_OPENAI_MODEL, config);
  else
    bgpt_wizard_check_view_reset (self->model_view);
}

void
_bgpt_setup_wizard_check_all (BgptSetupWizard *self)
{
  g_autoptr(BgptCheckConfig) config = _bgpt_setup_wizard_build_config (self);

  run_check (self, self->summary_kommo_view, BGPT_CHECK_KOMMO_ACCOUNT, config);
  run_check (self, self->summary_openai_view, BGPT_CHECK_OPENAI_KEY, config);

  if (config->assistant_id != NULL)
    run_check (self, self->summary_assistant_view, BGPT_CHECK_OPENAI_ASSISTANT, config);
  else
    bgpt_wizard_check_view_set_skipped (self->summary_assistant_view, _("No Assistant ID set"));

  if (config->model != NULL)
    run_check (self, self->summary_model_view, BGPT_CHECK_OPENAI_MODEL, config);
  else
    bgpt_wizard_check_view_set_skipped (self->summary_model_view, _("No model set"));
}

static void
test_all_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  _bgpt_setup_wizard_check_all (BGPT_SETUP_WIZARD (widget));
}

void
_bgpt_setup_wizard_class_init_checks (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "wizard.test-kommo", NULL, test_kommo_action);
  gtk_widget_class_install_action (widget_class, "wizard.test-openai", NULL, test_openai_action);
  gtk_widget_class_install_action (widget_class, "wizard.test-assistant", NULL, test_assistant_action);
  gtk_widget_class_install_action (widget_class, "wizard.test-all", NULL, test_all_action);
}
