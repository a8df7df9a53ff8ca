/* bgpt-cli.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-cli.h"

static const GOptionEntry cli_entries[] = {
  { "check", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Run the connection checks once, print the result and exit"), NULL },
  { "json", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("With --check, print one JSON object"), NULL },
  /* A string, not G_OPTION_ARG_INT: GApplication drops an integer 0, and
   * "--timeout=abc" deserves our own message. */
  { "timeout", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("With --check, seconds each request may take"), N_("SECONDS") },
  { "deep", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("With --check, also test the quota with one minimal billable request"), NULL },
  { "account", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("The account to check or change (default: every account for --check, “default” otherwise)"), N_("ID") },
  { "store-secret", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Read one secret from standard input into the keyring: openai-api-key or kommo-token"), N_("KIND") },
  { "forget-account", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Remove an account, its settings and its secrets"), N_("ID") },
  { NULL }
};

void
bgpt_cli_add_main_options (GApplication *application)
{
  g_application_add_main_option_entries (application, cli_entries);
}

static gboolean
lookup_flag (GVariantDict *options,
             const char   *name)
{
  gboolean value = FALSE;

  g_variant_dict_lookup (options, name, "b", &value);
  return value;
}

int
bgpt_cli_handle_options (GVariantDict *options)
{
  const char *account_id = NULL;
  const char *kind = NULL;
  const char *forget = NULL;
  const char *timeout_text = NULL;
  gboolean check = lookup_flag (options, "check");

  g_variant_dict_lookup (options, "account", "&s", &account_id);
  g_variant_dict_lookup (options, "store-secret", "&s", &kind);
  g_variant_dict_lookup (options, "forget-account", "&s", &forget);

  if ((check ? 1 : 0) + (kind != NULL ? 1 : 0) + (forget != NULL ? 1 : 0) > 1)
    {
      g_printerr ("%s\n", _("Use only one of --check, --store-secret and --forget-account."));
      return BGPT_CLI_EXIT_UNKNOWN;
    }

  if (kind != NULL)
    return bgpt_cli_store_secret (kind, account_id != NULL ? account_id : "default");

  if (forget != NULL)
    return bgpt_cli_forget_account (forget);

  if (check)
    {
      BgptCliCheckOptions check_options = {
        .json = lookup_flag (options, "json"),
        .deep = lookup_flag (options, "deep"),
        .account_id = account_id,
      };

      if (g_variant_dict_lookup (options, "timeout", "&s", &timeout_text))
        {
          guint64 timeout_s = 0;

          if (!g_ascii_string_to_unsigned (timeout_text, 10, 1, 600, &timeout_s, NULL))
            {
              g_printerr ("%s\n", _("--timeout takes a whole number of seconds from 1 to 600."));
              return BGPT_CLI_EXIT_UNKNOWN;
            }
          check_options.timeout_s = (guint) timeout_s;
        }

      return bgpt_cli_check (&check_options);
    }

  if (lookup_flag (options, "json") || lookup_flag (options, "deep") ||
      g_variant_dict_contains (options, "timeout"))
    {
      g_printerr ("%s\n", _("--json, --deep and --timeout go with --check."));
      return BGPT_CLI_EXIT_UNKNOWN;
    }

  return -1;
}
