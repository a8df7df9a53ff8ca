/* bgpt-catalog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "bgpt-catalog-ids.h"

G_BEGIN_DECLS

typedef enum
{
  BGPT_SERVICE_OPENAI,
  BGPT_SERVICE_KOMMO,
  BGPT_SERVICE_APP,
} BgptService;

/* How an error weighs in the overall status (docs/architecture.md, The
 * `--check` contract):
 * a warning alone gives exit 1, a critical one exit 2, an unknown one exit 3. */
typedef enum
{
  BGPT_SEVERITY_WARNING,
  BGPT_SEVERITY_CRITICAL,
  BGPT_SEVERITY_UNKNOWN,
} BgptSeverity;

/* What else the catalog knows of a diagnosis, so that no list of ids
 * elsewhere has to. */
typedef enum
{
  BGPT_CATALOG_FLAGS_NONE           = 0,
  /* The provider's side, not the user's settings or network. */
  BGPT_CATALOG_FLAGS_ABOUT_PROVIDER = 1 << 0,
  /* status.openai.com may explain it: the incident shows what it says. */
  BGPT_CATALOG_FLAGS_STATUS_PAGE    = 1 << 1,
  /* The provider asks for fewer requests: the monitor backs off. */
  BGPT_CATALOG_FLAGS_SLOW_DOWN      = 1 << 2,
  /* The request worked; the diagnosis warns of what lies ahead. The check
   * does not block the checks that depend on it. */
  BGPT_CATALOG_FLAGS_PASSES         = 1 << 3,
  /* A verdict on figures the app read and judged (the budget), not a
   * failed request: one answer confirms it, and the notification states
   * the figures its detail holds. */
  BGPT_CATALOG_FLAGS_VERDICT        = 1 << 4,
} BgptCatalogFlags;

#define BGPT_CATALOG_MAX_STEPS 4

/* One solution step. `remediation` is either an https:// URI or a detailed
 * action name such as "app.check-now" or "app.edit-secret::openai-api-key"
 * (parsed with g_action_parse_detailed_name()); the window and the
 * notifications add the account they are about. */
typedef struct
{
  const char *text;          /* untranslated msgid; show with _() */
  const char *button_label;  /* untranslated msgid; show with _() */
  const char *remediation;
} BgptCatalogStep;

typedef struct
{
  const char      *id;       /* stable, never translated: "openai.auth" */
  BgptService      service;
  BgptSeverity     severity;
  BgptCatalogFlags flags;
  const char      *title;    /* untranslated msgid */
  const char      *cause;    /* untranslated msgid */
  BgptCatalogStep  steps[BGPT_CATALOG_MAX_STEPS]; /* ends at the first step whose text is NULL */
} BgptCatalogEntry;

/* A reason-specific cause and steps under the title of entry @id: a
 * diagnosis with this reason (mostly the API's own error code) shows them
 * instead of the entry's own (docs/architecture.md, The error catalog).
 * The title and the severity stay the entry's. */
typedef struct
{
  const char      *id;       /* the entry's id */
  const char      *reason;   /* stable, never translated: "missing_scopes" */
  const char      *cause;    /* untranslated msgid */
  BgptCatalogStep  steps[BGPT_CATALOG_MAX_STEPS];
} BgptCatalogReason;

const BgptCatalogEntry *bgpt_catalog_get_entries   (gsize                  *n_entries);
const BgptCatalogReason *bgpt_catalog_get_reasons  (gsize                  *n_reasons);
/* NULL when the catalog has nothing of its own for @reason under @id. */
const BgptCatalogReason *bgpt_catalog_lookup_reason (const char            *id,
                                                     const char            *reason);
/* The translated cause, and the steps, to show for @entry with @reason
 * (NULL: none): the reason's own when the catalog has them, else the
 * entry's. */
const char             *bgpt_catalog_entry_cause_for (const BgptCatalogEntry *entry,
                                                      const char             *reason);
const BgptCatalogStep  *bgpt_catalog_entry_steps_for (const BgptCatalogEntry *entry,
                                                      const char             *reason,
                                                      guint                  *n_steps);
const BgptCatalogEntry *bgpt_catalog_lookup        (const char             *id);
/* How a diagnosis of @id with @reason (NULL: none) weighs: the entry's
 * severity, unless the catalog gives the reason one of its own; an
 * unknown id is critical. */
BgptSeverity            bgpt_catalog_severity      (const char             *id,
                                                    const char             *reason);
guint                   bgpt_catalog_entry_n_steps (const BgptCatalogEntry *entry);
const char             *bgpt_catalog_entry_title   (const BgptCatalogEntry *entry);
const char             *bgpt_catalog_entry_cause   (const BgptCatalogEntry *entry);
const char             *bgpt_catalog_title         (const char             *id);
/* Whether the entry of @id (a catalog id, or NULL) has every flag of @flags. */
gboolean                bgpt_catalog_has_flags     (const char             *id,
                                                    BgptCatalogFlags        flags);
/* The translated text and button label of a step; NULL for an unused step. */
const char             *bgpt_catalog_step_text     (const BgptCatalogStep  *step);
const char             *bgpt_catalog_step_label    (const BgptCatalogStep  *step);
gboolean                bgpt_catalog_remediation_is_uri (const char        *remediation);
const char * const     *bgpt_catalog_action_names  (void);

G_END_DECLS
