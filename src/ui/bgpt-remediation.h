/* bgpt-remediation.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Turns a catalog step's remediation (an https:// URI or a detailed action
 * name, see bgpt-catalog.h) into the application action that performs it,
 * with the target filled in for the account and incident it is about:
 *
 *   https://…                         -> app.open-uri ("https://…")
 *   app.edit-secret::openai-api-key   -> app.edit-secret ("openai-api-key:ACCOUNT")
 *   app.edit-account                  -> app.edit-account ("ACCOUNT")
 *   app.edit-spending                 -> app.edit-spending ("ACCOUNT")
 *   app.copy-details                  -> app.copy-details ("INCIDENT")
 *   app.check-now                     -> app.check-now (no target)
 *
 * The window's buttons and the desktop notifications use the same result,
 * so both fire the same action. GTK-free. Returns FALSE when @remediation
 * is neither. @target is floating-free (a full reference) or NULL. */
gboolean bgpt_remediation_resolve             (const char  *remediation,
                                               const char  *account_id,
                                               const char  *incident_id,
                                               char       **action_name,
                                               GVariant   **target);

/* Splits an app.edit-secret target "KIND[:ACCOUNT]". @account_id is NULL
 * when the target names no account. */
gboolean bgpt_remediation_parse_secret_target (const char  *target,
                                               char       **kind,
                                               char       **account_id);

/* Whether @uri is one the app itself links to: a catalog step's page, one
 * of the setup wizard's help pages or the provider's status page. Nothing
 * else is opened by app.open-uri, which any program of the user can call. */
gboolean bgpt_remediation_uri_is_known        (const char  *uri);

G_END_DECLS
