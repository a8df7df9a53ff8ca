/* bgpt-cli-secrets.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-cli"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "bgpt-cli.h"
#include "bgpt-cli-secrets.h"
#include "bgpt-account-store.h"
#include "bgpt-secret-store.h"
#include "bgpt-validation.h"

/* Far more than any key or token; anything longer is not one. */
#define MAX_INPUT_LENGTH 4096

/* A headless command has nobody to answer an unlock prompt for ever. */
#define CLI_KEYRING_TIMEOUT_S 60

static gboolean
settings_schemas_installed (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) main_schema = NULL;
  g_autoptr(GSettingsSchema) account_schema = NULL;

  if (source == NULL)
    return FALSE;
  main_schema = g_settings_schema_source_lookup (source, BGPT_SETTINGS_SCHEMA_ID, TRUE);
  account_schema = g_settings_schema_source_lookup (source, BGPT_ACCOUNT_SCHEMA_ID, TRUE);
  return main_schema != NULL && account_schema != NULL;
}

static BgptSecretStore *
cli_secret_store_new (void)
{
  BgptSecretStore *store = bgpt_secret_store_new ();

  bgpt_secret_store_set_timeout (store, CLI_KEYRING_TIMEOUT_S);
  return store;
}

static void
on_async_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The command line has no main loop of its own: spin the default context
 * until the one async call it waits for is done. */
static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return g_steal_pointer (slot);
}

/* The terminal as it was before echo went off, for the signal handler. */
static struct termios terminal_before;

/* Signals that end the process while echo is off (Ctrl-C, Ctrl-\, a
 * closed terminal, kill): the terminal gets its echo back first. */
static const int ending_signals[] = { SIGINT, SIGQUIT, SIGTERM, SIGHUP };

static void
restore_terminal_and_die (int signal_number)
{
  /* Async-signal-safe: tcsetattr, signal, raise. */
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &terminal_before);
  signal (signal_number, SIG_DFL);
  raise (signal_number);
}

/* One line from a terminal, without echoing it. */
static gssize
read_from_terminal (char           *buffer,
                    gsize           size,
                    BgptSecretKind  kind)
{
  struct termios saved, quiet;
  struct sigaction restoring = { 0 };
  struct sigaction previous[G_N_ELEMENTS (ending_signals)];
  gboolean echo_off;
  gsize length = 0;

  if (kind == BGPT_SECRET_KIND_OPENAI_API_KEY)
    g_printerr ("%s", _("Paste the OpenAI API key and press Enter (it is not shown): "));
  else if (kind == BGPT_SECRET_KIND_OPENAI_ADMIN_KEY)
    g_printerr ("%s", _("Paste the OpenAI admin key and press Enter (it is not shown): "));
  else
    g_printerr ("%s", _("Paste the Kommo token and press Enter (it is not shown): "));

  echo_off = tcgetattr (STDIN_FILENO, &saved) == 0;
  if (echo_off)
    {
      terminal_before = saved;
      restoring.sa_handler = restore_terminal_and_die;
      sigemptyset (&restoring.sa_mask);
      for (gsize i = 0; i < G_N_ELEMENTS (ending_signals); i++)
        sigaction (ending_signals[i], &restoring, &previous[i]);

      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      quiet.c_lflag |= ECHONL;
      echo_off = tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
    }

  while (length < size)
    {
      gssize n = read (STDIN_FILENO, buffer + length, 1);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          length = (gsize) -1;
          break;
        }
      if (n == 0 || buffer[length] == '\n')
        {
          if (n > 0)
            length++;
          break;
        }
      length++;
    }

  if (echo_off)
    tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
  if (restoring.sa_handler != NULL)
    for (gsize i = 0; i < G_N_ELEMENTS (ending_signals); i++)
      sigaction (ending_signals[i], &previous[i], NULL);

  return (gssize) length;
}

/* Everything up to end of file, or size bytes. */
static gssize
read_from_pipe (char  *buffer,
                gsize  size)
{
  gsize length = 0;

  while (length < size)
    {
      gssize n = read (STDIN_FILENO, buffer + length, size - length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return -1;
      if (n == 0)
        break;
      length += (gsize) n;
    }

  return (gssize) length;
}

/* Reads the one secret on standard input: one line, its "\n" or "\r\n"
 * (and empty lines after it) dropped. Prints why it refuses anything else
 * and returns NULL. Free the result with bgpt_secret_free(). */
static char *
read_secret (BgptSecretKind kind)
{
  char buffer[MAX_INPUT_LENGTH + 1];
  g_autoptr(GError) error = NULL;
  gssize length;
  char *secret = NULL;

  if (isatty (STDIN_FILENO))
    length = read_from_terminal (buffer, sizeof buffer, kind);
  else
    length = read_from_pipe (buffer, sizeof buffer);

  if (length < 0)
    {
      int saved_errno = errno;

      g_printerr (_("Could not read standard input: %s"), g_strerror (saved_errno));
      g_printerr ("\n");
      return NULL;
    }

  if ((gsize) length > MAX_INPUT_LENGTH)
    {
      g_printerr ("%s\n", _("Standard input is too long for a key or token, so nothing was stored."));
      goto out;
    }

  while (length > 0 && (buffer[length - 1] == '\n' || buffer[length - 1] == '\r'))
    length--;

  if (length == 0)
    {
      g_printerr ("%s\n", _("Nothing was read from standard input, so nothing was stored. "
                            "Pass the secret on standard input, on one line."));
      goto out;
    }

  if (memchr (buffer, '\n', length) != NULL)
    {
      g_printerr ("%s\n", _("Standard input has more than one line, so nothing was stored. "
                            "Pass exactly one secret, on one line."));
      goto out;
    }

  if (memchr (buffer, '\0', length) != NULL)
    {
      g_printerr ("%s\n", _("Standard input contains a NUL byte, so nothing was stored."));
      goto out;
    }

  secret = g_strndup (buffer, length);
  if (!bgpt_validate_secret (secret, &error))
    {
      g_printerr ("%s %s\n", error->message, _("Nothing was stored."));
      g_clear_pointer (&secret, bgpt_secret_free);
    }

out:
  explicit_bzero (buffer, sizeof buffer);
  return secret;
}

/* Whether @account_id is a valid id and there are settings to change it
 * in; if not, says why on standard error. */
static gboolean
account_can_be_changed (const char *account_id)
{
  if (!bgpt_account_id_is_valid (account_id))
    {
      g_printerr ("%s\n", bgpt_account_id_explain_invalid (account_id));
      return FALSE;
    }

  if (!settings_schemas_installed ())
    {
      g_printerr ("%s\n", _("The settings schema io.github.bytegpt.Monitor is not installed."));
      return FALSE;
    }

  return TRUE;
}

int
bgpt_cli_store_secret (const char *kind_name,
                       const char *account_id)
{
  g_autoptr(BgptSecretStore) secret_store = NULL;
  g_autoptr(BgptAccountStore) account_store = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  BgptSecretKind kind;
  char *secret;

  /* The kind is not repeated back: a secret typed in its place must not
   * end up on the terminal or in a log. */
  if (!bgpt_secret_kind_from_string (kind_name, &kind))
    {
      g_printerr ("%s\n", _("--store-secret takes openai-api-key, kommo-token or openai-admin-key."));
      return BGPT_CLI_EXIT_UNKNOWN;
    }

  if (!account_can_be_changed (account_id))
    return BGPT_CLI_EXIT_UNKNOWN;

  secret = read_secret (kind);
  if (secret == NULL)
    return BGPT_CLI_EXIT_UNKNOWN;

  secret_store = cli_secret_store_new ();
  bgpt_secret_store_store_async (secret_store, account_id, kind, secret, NULL, on_async_done, &slot);
  bgpt_secret_free (secret);
  result = wait_for (&slot);

  if (!bgpt_secret_store_store_finish (secret_store, result, &error))
    {
      g_printerr ("%s %s\n", error->message, _("Nothing was stored."));
      return BGPT_CLI_EXIT_UNKNOWN;
    }

  /* Only now: a refused secret must not leave an account behind. */
  account_store = bgpt_account_store_new ();
  if (bgpt_account_store_ensure (account_store, account_id, &error) == NULL)
    {
      g_printerr ("%s\n", error->message);
      return BGPT_CLI_EXIT_UNKNOWN;
    }
  g_settings_sync ();

  if (kind == BGPT_SECRET_KIND_OPENAI_API_KEY)
    g_print (_("The OpenAI API key of account “%s” is now in the keyring."), account_id);
  else if (kind == BGPT_SECRET_KIND_OPENAI_ADMIN_KEY)
    g_print (_("The OpenAI admin key of account “%s” is now in the keyring."), account_id);
  else
    g_print (_("The Kommo token of account “%s” is now in the keyring."), account_id);
  g_print ("\n");

  return BGPT_CLI_EXIT_OK;
}

int
bgpt_cli_forget_account (const char *account_id)
{
  g_autoptr(BgptSecretStore) secret_store = NULL;
  g_autoptr(BgptAccountStore) account_store = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;

  if (!account_can_be_changed (account_id))
    return BGPT_CLI_EXIT_UNKNOWN;

  account_store = bgpt_account_store_new ();
  secret_store = cli_secret_store_new ();
  bgpt_account_store_remove_async (account_store, account_id, secret_store, NULL, on_async_done, &slot);
  result = wait_for (&slot);

  if (!bgpt_account_store_remove_finish (account_store, result, &error))
    {
      if (g_error_matches (error, BGPT_ACCOUNT_STORE_ERROR, BGPT_ACCOUNT_STORE_ERROR_NOT_FOUND))
        g_printerr ("%s\n", error->message);
      else
        g_printerr ("%s %s\n", error->message, _("Nothing was removed."));
      return BGPT_CLI_EXIT_UNKNOWN;
    }
  g_settings_sync ();

  g_print (_("Account “%s” was removed, with its settings and its secrets."), account_id);
  g_print ("\n");
  return BGPT_CLI_EXIT_OK;
}

GPtrArray *
bgpt_cli_load_stored_configs (const char  *account_id,
                              GError     **error)
{
  g_autoptr(BgptSecretStore) secret_store = NULL;
  g_autoptr(BgptAccountStore) account_store = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;
  BgptCheckConfig *config;
  GPtrArray *configs;

  /* A bare build tree without schemas can still check what the
   * environment gives. */
  if (!settings_schemas_installed ())
    {
      if (account_id == NULL)
        return g_ptr_array_new_with_free_func ((GDestroyNotify) bgpt_check_config_free);
      g_set_error (error, BGPT_ACCOUNT_STORE_ERROR, BGPT_ACCOUNT_STORE_ERROR_NOT_FOUND,
                   _("There is no account “%s”."), account_id);
      return NULL;
    }

  account_store = bgpt_account_store_new ();
  secret_store = cli_secret_store_new ();

  if (account_id == NULL)
    {
      bgpt_account_store_load_all_check_configs_async (account_store, secret_store, NULL,
                                                       on_async_done, &slot);
      result = wait_for (&slot);
      return bgpt_account_store_load_all_check_configs_finish (account_store, result, error);
    }

  bgpt_account_store_load_check_config_async (account_store, account_id, secret_store, NULL,
                                              on_async_done, &slot);
  result = wait_for (&slot);
  config = bgpt_account_store_load_check_config_finish (account_store, result, error);
  if (config == NULL)
    return NULL;

  configs = g_ptr_array_new_with_free_func ((GDestroyNotify) bgpt_check_config_free);
  g_ptr_array_add (configs, config);
  return configs;
}
