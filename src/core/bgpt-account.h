/* bgpt-account.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BGPT_ACCOUNT_SCHEMA_ID     "io.github.bytegpt.Monitor.Account"
#define BGPT_ACCOUNT_PATH_PREFIX   "/io/github/bytegpt/Monitor/accounts/"
#define BGPT_ACCOUNT_DEFAULT_ID    "default"
#define BGPT_ACCOUNT_ID_MAX_LENGTH 32
/* The demo's account (bgpt-demo.c): reserved, so that no account of the
 * user's can ever have it, nor its incidents or notifications. */
#define BGPT_ACCOUNT_RESERVED_ID   "demo"

#define BGPT_TYPE_ACCOUNT (bgpt_account_get_type ())

G_DECLARE_FINAL_TYPE (BgptAccount, bgpt_account, BGPT, ACCOUNT, GObject)

/* Lower-case letters, digits and "-", 1 to 32 characters, not starting
 * with "-": the id is a settings path component and a keyring attribute.
 * BGPT_ACCOUNT_RESERVED_ID is not valid. */
gboolean     bgpt_account_id_is_valid             (const char  *account_id);
/* Why @account_id is not valid, translated, for a person who typed it; it
 * never repeats the id (it may be a secret pasted in the wrong place). */
const char  *bgpt_account_id_explain_invalid      (const char  *account_id);

/* The account's settings live at /io/github/bytegpt/Monitor/accounts/<id>/.
 * Its properties follow them, also when another process changes them. */
BgptAccount *bgpt_account_new                     (const char  *account_id);
const char  *bgpt_account_get_id                  (BgptAccount *self);
GSettings   *bgpt_account_get_settings            (BgptAccount *self);

/* The display name, or the id when none is set. */
char        *bgpt_account_dup_title               (BgptAccount *self);
char        *bgpt_account_dup_display_name        (BgptAccount *self);
void         bgpt_account_set_display_name        (BgptAccount *self,
                                                   const char  *display_name);
char        *bgpt_account_dup_kommo_subdomain     (BgptAccount *self);
void         bgpt_account_set_kommo_subdomain     (BgptAccount *self,
                                                   const char  *subdomain);
char        *bgpt_account_dup_kommo_base_url      (BgptAccount *self);
void         bgpt_account_set_kommo_base_url      (BgptAccount *self,
                                                   const char  *url);
char        *bgpt_account_dup_openai_base_url     (BgptAccount *self);
void         bgpt_account_set_openai_base_url     (BgptAccount *self,
                                                   const char  *url);
char        *bgpt_account_dup_assistant_id        (BgptAccount *self);
void         bgpt_account_set_assistant_id        (BgptAccount *self,
                                                   const char  *assistant_id);
char        *bgpt_account_dup_model               (BgptAccount *self);
void         bgpt_account_set_model               (BgptAccount *self,
                                                   const char  *model);

/* "Acompanhar gastos": the project whose costs are read ("" for the whole
 * organization), the monthly budget in US dollars (0: none) and its
 * warning and critical thresholds in percent of it. */
void         bgpt_account_set_spending            (BgptAccount *self,
                                                   const char  *project_id,
                                                   double       budget_usd,
                                                   guint        warning_percent,
                                                   guint        critical_percent);

/* Puts every key of the account's settings path back to its default. */
void         bgpt_account_reset                   (BgptAccount *self);

G_END_DECLS
