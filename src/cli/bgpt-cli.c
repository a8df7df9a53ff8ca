/* bgpt-cli.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-cli.h"
#include "bgpt-i18n.h"
#include "bgpt-plugin-output.h"

static const GOptionEntry cli_entries[] = {
  { "check", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Run the connection checks once, print the result and exit"), NULL },
  { "json", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("With --check, print one JSON object"), NULL },
  /* A string, not G_OPTION_ARG_INT: GApplication drops an integer 0, and
   * "--timeout=abc" deserves our own message. */
  { "timeout", 't', 0, G_OPTION_ARG_STRING, NULL,
    N_("With --check, seconds each request may take"), N_("SECONDS") },
  { "deep", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("With --check, also test the quota with one minimal billable request"), NULL },
  { "account", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("The account to check or change (default: every account for --check, “default” otherwise)"), N_("ID") },
  { "store-secret", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Read one secret from standard input into the keyring: openai-api-key, kommo-token or openai-admin-key"), N_("KIND") },
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

  g_variant_dict_lookup (options, "account", "&s", &account_id);
  g_variant_dict_lookup (options, "store-secret", "&s", &kind);
  g_variant_dict_lookup (options, "forget-account", "&s", &forget);

  if (kind != NULL && forget != NULL)
    {
      g_printerr ("%s\n", _("Use only one of --check, --store-secret and --forget-account."));
      return BGPT_CLI_EXIT_UNKNOWN;
    }

  if (kind != NULL)
    return bgpt_cli_store_secret (kind, account_id != NULL ? account_id : "default");

  if (forget != NULL)
    return bgpt_cli_forget_account (forget);

  if (lookup_flag (options, "json") || lookup_flag (options, "deep") ||
      g_variant_dict_contains (options, "timeout"))
    {
      g_printerr ("%s\n", _("--json, --deep and --timeout go with --check."));
      return BGPT_CLI_EXIT_UNKNOWN;
    }

  return -1;
}

/* The command line of --check, parsed here rather than by GApplication,
 * which answers a usage error with exit 1 and nothing on standard output,
 * and whose GtkApplication would start GTK first. */
typedef struct
{
  gboolean  check;
  gboolean  json;
  gboolean  deep;
  gboolean  help;
  gboolean  version;
  guint     verbosity;
  char     *timeout;
  char     *account;
  char     *store_secret;
  char     *forget_account;
} CheckCommandLine;

static void
check_command_line_clear (CheckCommandLine *line)
{
  g_clear_pointer (&line->timeout, g_free);
  g_clear_pointer (&line->account, g_free);
  g_clear_pointer (&line->store_secret, g_free);
  g_clear_pointer (&line->forget_account, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CheckCommandLine, check_command_line_clear)

static gpointer
option_target (CheckCommandLine *line,
               const char       *long_name)
{
  static const struct
  {
    const char *long_name;
    gsize       offset;
  } targets[] = {
    { "check", G_STRUCT_OFFSET (CheckCommandLine, check) },
    { "json", G_STRUCT_OFFSET (CheckCommandLine, json) },
    { "timeout", G_STRUCT_OFFSET (CheckCommandLine, timeout) },
    { "deep", G_STRUCT_OFFSET (CheckCommandLine, deep) },
    { "account", G_STRUCT_OFFSET (CheckCommandLine, account) },
    { "store-secret", G_STRUCT_OFFSET (CheckCommandLine, store_secret) },
    { "forget-account", G_STRUCT_OFFSET (CheckCommandLine, forget_account) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    if (g_str_equal (targets[i].long_name, long_name))
      return G_STRUCT_MEMBER_P (line, targets[i].offset);
  g_assert_not_reached ();
}

static gboolean
add_verbosity_cb (const char  *option_name,
                  const char  *value,
                  gpointer     data,
                  GError     **error)
{
  CheckCommandLine *line = data;

  line->verbosity++;
  return TRUE;
}

/* The same options as GApplication's --help lists, plus those the plugin
 * guidelines name: -h, -V and -v. */
static GOptionContext *
new_check_context (CheckCommandLine *line)
{
  const GOptionEntry plugin_entries[] = {
    { "verbose", 'v', G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, add_verbosity_cb,
      N_("With --check, also say each problem's cause and how to fix it"), NULL },
    { "version", 'V', 0, G_OPTION_ARG_NONE, &line->version,
      N_("Print the version and exit"), NULL },
    { "help", 'h', 0, G_OPTION_ARG_NONE, &line->help,
      N_("Show help options"), NULL },
    { NULL }
  };
  g_autofree GOptionEntry *entries = g_memdup2 (cli_entries, sizeof cli_entries);
  GOptionContext *context = g_option_context_new (NULL);
  GOptionGroup *group = g_option_group_new (NULL, NULL, NULL, line, NULL);

  for (GOptionEntry *entry = entries; entry->long_name != NULL; entry++)
    entry->arg_data = option_target (line, entry->long_name);

  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  g_option_group_add_entries (group, entries);
  g_option_group_add_entries (group, plugin_entries);
  g_option_context_set_main_group (context, group);
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_set_summary (context, _("Runs the connection checks once, as a monitoring plugin: "
                                           "exit status 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN."));
  return context;
}

static gboolean
asks_for_check (int    argc,
                char **argv)
{
  for (int i = 1; i < argc && g_strcmp0 (argv[i], "--") != 0; i++)
    if (g_str_equal (argv[i], "--check"))
      return TRUE;
  return FALSE;
}

int
bgpt_cli_check_main (int    argc,
                     char **argv)
{
  g_auto(CheckCommandLine) line = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = NULL;
  BgptCliCheckOptions options = { 0 };

  if (!asks_for_check (argc, argv))
    return -1;

  bgpt_i18n_init ();
  bgpt_plugin_output_init ();
  context = new_check_context (&line);
  args = g_new0 (char *, argc + 1);
  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (argv[i]);

  if (!g_option_context_parse_strv (context, &args, &error))
    return bgpt_cli_check_usage_error (error->message);

  if (line.help)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      return bgpt_cli_check_print_help (help);
    }
  if (line.version)
    {
      bgpt_plugin_write (stdout, PACKAGE_NAME " " PACKAGE_VERSION "\n");
      return BGPT_CLI_EXIT_UNKNOWN;
    }
  if (g_strv_length (args) > 1)
    {
      /* Translators: %s is a word of the command line that means nothing */
      g_autofree char *message = g_strdup_printf (_("Unexpected argument “%s”."), args[1]);

      return bgpt_cli_check_usage_error (message);
    }
  if (line.store_secret != NULL || line.forget_account != NULL)
    return bgpt_cli_check_usage_error (_("Use only one of --check, --store-secret and --forget-account."));

  if (line.timeout != NULL)
    {
      guint64 timeout_s = 0;

      if (!g_ascii_string_to_unsigned (line.timeout, 10, 1, 600, &timeout_s, NULL))
        return bgpt_cli_check_usage_error (_("--timeout takes a whole number of seconds from 1 to 600."));
      options.timeout_s = (guint) timeout_s;
    }

  options.json = line.json;
  options.deep = line.deep;
  options.verbosity = line.verbosity;
  options.account_id = line.account;
  return bgpt_cli_check (&options);
}
