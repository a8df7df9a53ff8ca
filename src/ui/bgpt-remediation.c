/* bgpt-remediation.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-remediation"

#include "config.h"

#include <string.h>

#include "bgpt-catalog.h"
#include "bgpt-remediation.h"

static gboolean
is_set (const char *text)
{
  return text != NULL && *text != '\0';
}

gboolean
bgpt_remediation_resolve (const char  *remediation,
                          const char  *account_id,
                          const char  *incident_id,
                          char       **action_name,
                          GVariant   **target)
{
  g_autofree char *name = NULL;
  g_autoptr(GVariant) given = NULL;
  GVariant *resolved = NULL;

  g_return_val_if_fail (action_name != NULL, FALSE);
  g_return_val_if_fail (target != NULL, FALSE);

  *action_name = NULL;
  *target = NULL;

  if (remediation == NULL)
    return FALSE;

  if (bgpt_catalog_remediation_is_uri (remediation))
    {
      *action_name = g_strdup ("app.open-uri");
      *target = g_variant_ref_sink (g_variant_new_string (remediation));
      return TRUE;
    }

  if (!g_action_parse_detailed_name (remediation, &name, &given, NULL) ||
      !g_str_has_prefix (name, "app."))
    return FALSE;

  if (g_str_equal (name, "app.edit-secret"))
    {
      const char *kind;

      if (given == NULL || !g_variant_is_of_type (given, G_VARIANT_TYPE_STRING))
        return FALSE;
      kind = g_variant_get_string (given, NULL);
      if (is_set (account_id) && strchr (kind, ':') == NULL)
        resolved = g_variant_new_take_string (g_strdup_printf ("%s:%s", kind, account_id));
      else
        resolved = g_variant_new_string (kind);
    }
  else if ((g_str_equal (name, "app.edit-account") || g_str_equal (name, "app.edit-spending")) &&
           given == NULL)
    {
      resolved = g_variant_new_string (is_set (account_id) ? account_id : "");
    }
  else if (g_str_equal (name, "app.copy-details") && given == NULL)
    {
      resolved = g_variant_new_string (is_set (incident_id) ? incident_id : "");
    }
  else if (given != NULL)
    {
      resolved = g_variant_ref (given);
    }

  *action_name = g_steal_pointer (&name);
  *target = resolved != NULL ? g_variant_ref_sink (resolved) : NULL;
  return TRUE;
}

gboolean
bgpt_remediation_parse_secret_target (const char  *target,
                                      char       **kind,
                                      char       **account_id)
{
  const char *colon;

  g_return_val_if_fail (kind != NULL, FALSE);
  g_return_val_if_fail (account_id != NULL, FALSE);

  *kind = NULL;
  *account_id = NULL;

  if (!is_set (target))
    return FALSE;

  colon = strchr (target, ':');
  if (colon == NULL)
    {
      *kind = g_strdup (target);
      return TRUE;
    }

  *kind = g_strndup (target, colon - target);
  *account_id = is_set (colon + 1) ? g_strdup (colon + 1) : NULL;
  return **kind != '\0';
}

/* Links the app's own pages show besides the catalog's (the setup
 * wizard's help links) and the provider's status page. */
static const char * const page_links[] = {
  "https://developers.kommo.com",
  "https://platform.openai.com/api-keys",
  /* The Uso page, for an account without an admin key. */
  "https://platform.openai.com/settings/organization/admin-keys",
  "https://platform.openai.com/docs/models",
  "https://developers.openai.com/api/docs/assistants/migration",
  "https://status.openai.com",
};

gboolean
bgpt_remediation_uri_is_known (const char *uri)
{
  const BgptCatalogEntry *entries;
  gsize n_entries;

  if (uri == NULL)
    return FALSE;

  for (gsize i = 0; i < G_N_ELEMENTS (page_links); i++)
    if (g_str_equal (uri, page_links[i]))
      return TRUE;

  entries = bgpt_catalog_get_entries (&n_entries);
  for (gsize i = 0; i < n_entries; i++)
    for (guint j = 0; j < bgpt_catalog_entry_n_steps (&entries[i]); j++)
      {
        const char *remediation = entries[i].steps[j].remediation;

        if (bgpt_catalog_remediation_is_uri (remediation) && g_str_equal (uri, remediation))
          return TRUE;
      }
  return FALSE;
}
