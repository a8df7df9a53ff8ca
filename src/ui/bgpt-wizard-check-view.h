/* bgpt-wizard-check-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bgpt-diagnosis.h"

G_BEGIN_DECLS

typedef enum
{
  BGPT_WIZARD_CHECK_IDLE,
  BGPT_WIZARD_CHECK_RUNNING,
  BGPT_WIZARD_CHECK_OK,
  BGPT_WIZARD_CHECK_FAILED,
  BGPT_WIZARD_CHECK_SKIPPED,
} BgptWizardCheckState;

#define BGPT_TYPE_WIZARD_CHECK_VIEW (bgpt_wizard_check_view_get_type ())

/* The outcome of one connection check inside the setup wizard: a spinner
 * while it runs, then either what was found or the catalog's title, cause
 * and steps. The view owns the cancellable of the run it shows, so a new
 * run, a reset or the view's end cancels the one before. */
G_DECLARE_FINAL_TYPE (BgptWizardCheckView, bgpt_wizard_check_view, BGPT, WIZARD_CHECK_VIEW, GtkWidget)

GtkWidget            *bgpt_wizard_check_view_new            (void);

/* A small heading above the outcome ("Kommo"); NULL hides it. */
void                  bgpt_wizard_check_view_set_heading    (BgptWizardCheckView *self,
                                                             const char          *heading);

/* Hides the view and cancels its run. */
void                  bgpt_wizard_check_view_reset          (BgptWizardCheckView *self);
/* Shows a spinner with @text; returns the cancellable of the new run
 * (transfer none, valid until the next call on this view). */
GCancellable         *bgpt_wizard_check_view_begin          (BgptWizardCheckView *self,
                                                             const char          *text);
/* @success_text: what the view says when @diagnosis passed. */
void                  bgpt_wizard_check_view_set_diagnosis  (BgptWizardCheckView *self,
                                                             const BgptDiagnosis *diagnosis,
                                                             const char          *success_text);
void                  bgpt_wizard_check_view_set_skipped    (BgptWizardCheckView *self,
                                                             const char          *text);

BgptWizardCheckState  bgpt_wizard_check_view_get_state      (BgptWizardCheckView *self);
/* The line the view shows: the success text, the catalog title, … */
const char           *bgpt_wizard_check_view_get_title      (BgptWizardCheckView *self);
/* The diagnosis shown, or NULL. */
const BgptDiagnosis  *bgpt_wizard_check_view_get_diagnosis  (BgptWizardCheckView *self);

G_END_DECLS
