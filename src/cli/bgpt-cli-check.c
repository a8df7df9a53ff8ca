/* bgpt-cli-check.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-cli"

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "bgpt-cli.h"
#include "bgpt-cli-secrets.h"
#include "bgpt-plugin-output.h"
#include "bgpt-account-store.h"
#include "bgpt-catalog.h"
#include "bgpt-checker.h"
#include "bgpt-checks.h"
#include "bgpt-costs.h"
#include "bgpt-http.h"
#include "bgpt-json.h"
#include "bgpt-kommo-client.h"
#include "bgpt-openai-client.h"
#include "bgpt-validation.h"

/* An environment variable, where an empty one counts as unset. */
static char *
dup_env (const char *name)
{
  const char *value = g_getenv (name);

  return value != NULL && *value != '\0' ? g_strdup (value) : NULL;
}

static void
override_from_env (char       **field,
                   const char  *name)
{
  char *value = dup_env (name);

  if (value != NULL)
    {
      g_free (*field);
      *field = value;
    }
}

/* BYTEGPT_MONTHLY_BUDGET_USD: US dollars, a dot before the cents; 0 is
 * no budget. */
static gboolean
override_budget_from_env (BgptCheckConfig  *config,
                          GError          **error)
{
  g_autofree char *value = dup_env ("BYTEGPT_MONTHLY_BUDGET_USD");
  char *end = NULL;
  double budget;

  if (value == NULL)
    return TRUE;

  budget = g_ascii_strtod (value, &end);
  if (end == value || *end != '\0' || !(budget >= 0.0 && budget <= 1e7))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("BYTEGPT_MONTHLY_BUDGET_USD must be an amount in US dollars, "
                             "like 250 or 99.50 (0: no budget)."));
      return FALSE;
    }
  config->monthly_budget_usd = budget;
  return TRUE;
}

/* Whether any variable that overrides a stored account's fields is set. */
static gboolean
environment_overrides (void)
{
  static const char * const names[] = {
    "OPENAI_API_KEY", "OPENAI_BASE_URL", "BYTEGPT_ASSISTANT_ID", "BYTEGPT_MODEL",
    "KOMMO_SUBDOMAIN", "KOMMO_TOKEN", "KOMMO_BASE_URL",
    "OPENAI_ADMIN_KEY", "BYTEGPT_MONTHLY_BUDGET_USD",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *value = g_getenv (names[i]);

      if (value != NULL && *value != '\0')
        return TRUE;
    }
  return FALSE;
}

/* Every account to check: the stored accounts (settings and keyring), or
 * the one --account names. The environment describes one account, the one
 * --account names or else "default": it overrides the stored fields one by
 * one, and makes the account from nothing when it is not stored. */
static GPtrArray *
collect_configs (const BgptCliCheckOptions  *options,
                 GError                    **error)
{
  g_autoptr(GPtrArray) configs = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *account_id = options->account_id;
  BgptCheckConfig *config;

  if (!environment_overrides ())
    return bgpt_cli_load_stored_configs (account_id, error);

  if (account_id == NULL)
    account_id = "default";
  configs = bgpt_cli_load_stored_configs (account_id, &local_error);
  if (configs == NULL &&
      !g_error_matches (local_error, BGPT_ACCOUNT_STORE_ERROR, BGPT_ACCOUNT_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (configs == NULL)
    {
      configs = g_ptr_array_new_with_free_func ((GDestroyNotify) bgpt_check_config_free);
      g_ptr_array_add (configs, bgpt_check_config_new (account_id));
    }

  config = g_ptr_array_index (configs, 0);
  override_from_env (&config->openai_api_key, "OPENAI_API_KEY");
  override_from_env (&config->openai_base_url, "OPENAI_BASE_URL");
  override_from_env (&config->assistant_id, "BYTEGPT_ASSISTANT_ID");
  override_from_env (&config->model, "BYTEGPT_MODEL");
  override_from_env (&config->kommo_subdomain, "KOMMO_SUBDOMAIN");
  override_from_env (&config->kommo_token, "KOMMO_TOKEN");
  override_from_env (&config->kommo_base_url, "KOMMO_BASE_URL");
  override_from_env (&config->openai_admin_key, "OPENAI_ADMIN_KEY");
  if (!override_budget_from_env (config, error))
    return NULL;

  return g_steal_pointer (&configs);
}

static gboolean
is_set (const char *value)
{
  return value != NULL && *value != '\0';
}

/* Refuses, before any request, what no check could send safely. A
 * malformed assistant ID is left to its check: that is a diagnosis. */
static gboolean
validate_config (BgptCheckConfig  *config,
                 GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *what = NULL;

  if (is_set (config->kommo_subdomain))
    {
      g_autofree char *subdomain = bgpt_normalize_kommo_subdomain (config->kommo_subdomain, &local_error);

      if (subdomain == NULL)
        what = _("The Kommo subdomain is not valid");
      else
        {
          g_free (config->kommo_subdomain);
          config->kommo_subdomain = g_steal_pointer (&subdomain);
        }
    }

  if (what == NULL && is_set (config->kommo_token) &&
      !bgpt_validate_secret (config->kommo_token, &local_error))
    what = _("The Kommo token is not valid");
  if (what == NULL && is_set (config->openai_api_key) &&
      !bgpt_validate_secret (config->openai_api_key, &local_error))
    what = _("The OpenAI API key is not valid");
  if (what == NULL && is_set (config->openai_admin_key) &&
      !bgpt_validate_admin_key (config->openai_admin_key, &local_error))
    what = _("The OpenAI admin key is not valid");
  if (what == NULL && is_set (config->openai_base_url) &&
      !bgpt_validate_base_url (config->openai_base_url, &local_error))
    what = _("The OpenAI base URL is not valid");
  if (what == NULL && is_set (config->kommo_base_url) &&
      !bgpt_validate_base_url (config->kommo_base_url, &local_error))
    what = _("The Kommo base URL is not valid");
  if (what == NULL && is_set (config->model) &&
      !bgpt_validate_model (config->model, &local_error))
    what = _("The model name is not valid");

  if (what == NULL)
    return TRUE;

  /* Translators: the first %s is the account ID, the second says which
   * setting is wrong, the third why */
  g_set_error (error, BGPT_VALIDATION_ERROR, local_error->code,
               _("Account “%s”: %s: %s"), config->account_id, what, local_error->message);
  return FALSE;
}

static guint
default_timeout (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  guint timeout_s;

  /* Without the installed schema (a bare build tree) keep the default
   * rather than abort. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, "timeout"))
    return BGPT_HTTP_DEFAULT_TIMEOUT_S;

  settings = g_settings_new_full (schema, NULL, NULL);
  timeout_s = g_settings_get_uint (settings, "timeout");
  return timeout_s > 0 ? timeout_s : BGPT_HTTP_DEFAULT_TIMEOUT_S;
}

typedef struct
{
  guint       pending;
  GPtrArray  *results;  /* every account's BgptCheckResult */
  GHashTable *spends;   /* account id -> BgptSpend, for accounts with an admin key */
  GDateTime  *now;
  GError     *error;
} RunState;

static void
run_state_clear (RunState *state)
{
  g_clear_pointer (&state->results, g_ptr_array_unref);
  g_clear_pointer (&state->spends, g_hash_table_unref);
  g_clear_pointer (&state->now, g_date_time_unref);
}

typedef struct
{
  RunState              *state;
  const BgptCheckConfig *config;
} CostsRun;

/* The costs check: the spend, judged against the budget, is one more
 * result of the account, like any other check's. */
static void
costs_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autofree CostsRun *run = user_data;
  RunState *state = run->state;
  g_autoptr(GError) error = NULL;
  g_autoptr(BgptCosts) costs = NULL;
  BgptDiagnosis *diagnosis;
  BgptCheckResult *check_result;

  state->pending--;
  diagnosis = bgpt_costs_fetch_finish (BGPT_HTTP (object), result, &costs, &error);
  if (diagnosis == NULL)
    {
      if (state->error == NULL)
        state->error = g_steal_pointer (&error);
      return;
    }

  if (costs != NULL)
    {
      BgptSpend *spend = g_new0 (BgptSpend, 1);
      BgptDiagnosis *judged = bgpt_costs_judge (costs, run->config, state->now, spend);

      judged->elapsed_ms = diagnosis->elapsed_ms;
      bgpt_diagnosis_free (diagnosis);
      diagnosis = judged;
      g_hash_table_replace (state->spends, g_strdup (run->config->account_id), spend);
    }

  check_result = g_new0 (BgptCheckResult, 1);
  check_result->account_id = g_strdup (run->config->account_id);
  check_result->check = g_strdup (BGPT_CHECK_OPENAI_COSTS);
  check_result->status = bgpt_diagnosis_is_ok (diagnosis) ? BGPT_CHECK_STATUS_OK : BGPT_CHECK_STATUS_ERROR;
  check_result->diagnosis = diagnosis;
  g_ptr_array_add (state->results, check_result);
}

static void
start_costs (RunState              *state,
             BgptHttp              *http,
             const BgptCheckConfig *config)
{
  CostsRun *run;

  if (!is_set (config->openai_admin_key))
    return;

  run = g_new0 (CostsRun, 1);
  run->state = state;
  run->config = config;
  state->pending++;
  bgpt_costs_fetch_async (http, config, state->now, NULL, costs_cb, run);
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  RunState *state = user_data;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;

  results = bgpt_checker_run_finish (BGPT_CHECKER (object), result, &error);
  if (results == NULL)
    {
      if (state->error == NULL)
        state->error = g_steal_pointer (&error);
    }
  else
    {
      for (guint i = 0; i < results->len; i++)
        g_ptr_array_add (state->results, bgpt_check_result_copy (g_ptr_array_index (results, i)));
    }
  state->pending--;
}

/* Where @result goes in the report: its account's place among @configs,
 * then its check's in the catalog, the costs check (not in it) last. */
static gsize
result_rank (const BgptCheckResult *result,
             GPtrArray             *configs)
{
  gsize n_checks;
  const BgptCheck *checks = bgpt_checks_get (&n_checks);
  gsize account = configs->len;
  gsize check = n_checks;

  for (guint i = 0; i < configs->len; i++)
    if (g_str_equal (((const BgptCheckConfig *) g_ptr_array_index (configs, i))->account_id, result->account_id))
      {
        account = i;
        break;
      }
  for (gsize i = 0; i < n_checks; i++)
    if (g_str_equal (checks[i].id, result->check))
      {
        check = i;
        break;
      }
  return account * (n_checks + 1) + check;
}

static int
compare_results (gconstpointer a,
                 gconstpointer b,
                 gpointer      configs)
{
  gsize rank_a = result_rank (*(const BgptCheckResult * const *) a, configs);
  gsize rank_b = result_rank (*(const BgptCheckResult * const *) b, configs);

  return rank_a < rank_b ? -1 : rank_a > rank_b;
}

/* The first line's summary, state word included, stays under the plugin
 * guidelines' 80 characters; the whole of it follows in the long output. */
#define FIRST_LINE_MAX_CHARS 79

/* Text on its way to a monitoring engine: every piece is scrubbed of the
 * secrets first (a cleaned secret could no longer be found), then made
 * safe for the plugin protocol and the locale's charset. */
typedef struct
{
  GString  *out;
  char    **secrets;
  gboolean  ascii;
} PluginText;

static void
plugin_text_init (PluginText  *text,
                  GString     *out,
                  char       **secrets)
{
  text->out = out;
  text->secrets = secrets;
  text->ascii = !bgpt_plugin_output_utf8_locale ();
}

static char *
plugin_text_prose (PluginText *text,
                   const char *line)
{
  g_autofree char *scrubbed = bgpt_scrub (line, (const char * const *) text->secrets);

  return bgpt_plugin_prose (scrubbed, text->ascii);
}

/* One line of the long output. */
static void
append_long_line (PluginText *text,
                  const char *line)
{
  g_autofree char *prose = plugin_text_prose (text, line);

  g_string_append (text->out, prose);
  g_string_append_c (text->out, '\n');
}

/* "BYTEGPT CRITICAL - summary | perfdata": the state word and the
 * performance data are ASCII in every locale; a summary too long for the
 * first line is cut there and given whole in the long output. */
static void
append_first_line (PluginText        *text,
                   BgptOverallStatus  overall,
                   const char        *summary,
                   const char        *perfdata)
{
  g_autofree char *state_word = g_ascii_strup (bgpt_overall_status_to_string (overall), -1);
  g_autofree char *prefix = g_strdup_printf ("BYTEGPT %s - ", state_word);
  g_autofree char *prose = plugin_text_prose (text, summary);
  g_autofree char *shortened = bgpt_plugin_shorten (prose, FIRST_LINE_MAX_CHARS - strlen (prefix),
                                                    text->ascii);

  g_string_append (text->out, prefix);
  g_string_append (text->out, shortened);
  if (perfdata != NULL && *perfdata != '\0')
    g_string_append_printf (text->out, " |%s", perfdata);
  g_string_append_c (text->out, '\n');

  if (!g_str_equal (shortened, prose))
    {
      g_string_append (text->out, prose);
      g_string_append_c (text->out, '\n');
    }
}

/* Whether a check sent its request: only those have a time to graph. The
 * others (skipped: nothing to check it with) say so in the long output. */
static gboolean
check_ran (const BgptCheckResult *result)
{
  return result->diagnosis != NULL &&
         (result->status == BGPT_CHECK_STATUS_OK || result->status == BGPT_CHECK_STATUS_ERROR);
}

static char *
format_seconds (gint64 elapsed_ms)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  /* Perfdata wants a dot, whatever the locale. */
  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.3f", elapsed_ms / 1000.0));
}

static char *
result_label (const BgptCheckResult *result,
              gboolean               several_accounts)
{
  g_autofree char *label = several_accounts ? g_strdup_printf ("%s/%s", result->account_id, result->check)
                                            : g_strdup (result->check);

  return bgpt_plugin_label (label);
}

static void
append_rate_limit_part (GString                 *perfdata,
                        const char              *label,
                        const char              *kind,
                        const BgptRateLimitPart *part)
{
  if (!part->present)
    return;
  /* Warning under the near line ("N:" is "alert below N"), from 0 to the limit. */
  g_string_append_printf (perfdata, " '%s.remaining_%s'=%" G_GINT64_FORMAT ";%" G_GINT64_FORMAT ":;;0;%"
                          G_GINT64_FORMAT, label, kind, part->remaining,
                          bgpt_rate_limit_part_near_below (part), part->limit);
}

/* The headroom the check that judges it saw: one organization's limit,
 * graphed once. */
static void
append_rate_limit_perfdata (GString               *perfdata,
                            const BgptCheckResult *result,
                            const char            *label)
{
  const BgptRateLimit *rate_limit = &result->diagnosis->rate_limit;

  if (g_strcmp0 (result->check, BGPT_RATE_LIMIT_CHECK) != 0)
    return;
  append_rate_limit_part (perfdata, label, "requests", &rate_limit->requests);
  append_rate_limit_part (perfdata, label, "tokens", &rate_limit->tokens);
}

/* 'label'=value[UOM];[warn];[crit];[min];[max] for every check that ran:
 * its time in seconds, from 0 to the timeout; then the requests and tokens
 * left of the rate limit, and each account's spend. */
static char *
format_perfdata (GPtrArray  *results,
                 GHashTable *spends,
                 gboolean    several_accounts,
                 guint       timeout_s)
{
  GString *perfdata = g_string_new (NULL);

  for (guint i = 0; i < results->len; i++)
    {
      const BgptCheckResult *result = g_ptr_array_index (results, i);
      g_autofree char *label = NULL;
      g_autofree char *seconds = NULL;

      if (!check_ran (result))
        continue;

      label = result_label (result, several_accounts);
      seconds = format_seconds (result->diagnosis->elapsed_ms);
      g_string_append_printf (perfdata, " '%s'=%ss;;;0;%u", label, seconds, timeout_s);
      append_rate_limit_perfdata (perfdata, result, label);
    }

  for (guint i = 0; i < results->len; i++)
    {
      const BgptCheckResult *result = g_ptr_array_index (results, i);
      const BgptSpend *spend = g_hash_table_lookup (spends, result->account_id);
      g_autofree char *name = NULL;
      g_autofree char *label = NULL;
      char spent[G_ASCII_DTOSTR_BUF_SIZE];
      char budget[G_ASCII_DTOSTR_BUF_SIZE] = "";

      if (spend == NULL || !g_str_equal (result->check, BGPT_CHECK_OPENAI_COSTS))
        continue;

      /* The month to date in dollars, from 0 to the budget. */
      name = several_accounts ? g_strdup_printf ("%s/openai.spend", result->account_id)
                              : g_strdup ("openai.spend");
      label = bgpt_plugin_label (name);
      g_ascii_formatd (spent, sizeof spent, "%.2f", spend->month_to_date_usd);
      if (spend->budget_usd > 0.0)
        g_ascii_formatd (budget, sizeof budget, "%.2f", spend->budget_usd);
      g_string_append_printf (perfdata, " '%s'=%s;;;0;%s", label, spent, budget);
    }
  return g_string_free (perfdata, FALSE);
}

/* The state, how many root causes and the first one's title: checks
 * blocked by a failed dependency are no problem of their own. */
static char *
format_summary (GPtrArray *results)
{
  const char *first_title = NULL;
  guint n_ran = 0, n_failed = 0, n_blocked = 0;
  g_autofree char *counted = NULL;

  for (guint i = 0; i < results->len; i++)
    {
      const BgptCheckResult *result = g_ptr_array_index (results, i);

      if (result->status == BGPT_CHECK_STATUS_BLOCKED)
        n_blocked++;
      if (!check_ran (result))
        continue;
      n_ran++;
      if (result->status == BGPT_CHECK_STATUS_ERROR)
        {
          if (n_failed == 0)
            first_title = bgpt_catalog_title (result->diagnosis->error_id);
          n_failed++;
        }
    }

  if (n_ran == 0)
    return g_strdup (_("nothing to check"));
  if (n_failed == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u check passed",
                                         "%u checks passed", n_ran), n_ran);
  /* Translators: how many problems a run found, e.g. "2 problems" */
  counted = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u problem", "%u problems", n_failed),
                             n_failed);
  if (n_blocked > 0)
    {
      g_autofree char *problems = g_steal_pointer (&counted);

      /* Translators: the problems, then how many checks were not judged
       * because a check they depend on failed: "1 problem (2 blocked)" */
      counted = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s (%u blocked)", "%s (%u blocked)",
                                              n_blocked), problems, n_blocked);
    }
  if (n_failed == 1)
    /* Translators: the problem counted, then its title: "1 problem: Falha na Autenticação da API" */
    return g_strdup_printf (_("%s: %s"), counted, first_title);
  /* Translators: the problems counted, then the first one's title:
   * "2 problems (1 blocked), the first: Falha na Autenticação da API" */
  return g_strdup_printf (_("%s, the first: %s"), counted, first_title);
}

static void
append_check_line (PluginText            *text,
                   const BgptCheckResult *result,
                   gboolean               several_accounts,
                   guint                  verbosity)
{
  const BgptDiagnosis *diagnosis = result->diagnosis;
  g_autoptr(GString) line = g_string_new (NULL);
  const BgptCatalogEntry *entry;
  const BgptCatalogStep *steps;
  guint n_steps = 0;

  if (several_accounts)
    g_string_append_printf (line, "%s/", result->account_id);

  if (result->status == BGPT_CHECK_STATUS_BLOCKED)
    {
      /* Translators: a check waiting for another, e.g. "openai.model: BLOCKED —
       * OpenAI model: Waiting for the API key (openai.key)" */
      g_string_append_printf (line, "%s: %s — %s: %s (%s)", result->check, _("BLOCKED"),
                              bgpt_check_title (result->check),
                              bgpt_check_waiting_text (result->blocked_by), result->blocked_by);
      append_long_line (text, line->str);
      return;
    }

  if (!check_ran (result))
    {
      g_string_append_printf (line, "%s: %s — %s", result->check, _("skipped"),
                              bgpt_check_title (result->check));
      append_long_line (text, line->str);
      return;
    }

  if (result->status == BGPT_CHECK_STATUS_OK)
    {
      g_autofree char *seconds = format_seconds (diagnosis->elapsed_ms);

      g_string_append_printf (line, "%s: %s — %s", result->check, _("OK"),
                              bgpt_check_title (result->check));
      if (diagnosis->subject != NULL)
        g_string_append_printf (line, ": %s", diagnosis->subject);
      g_string_append_printf (line, " (%s s)", seconds);
      append_long_line (text, line->str);
      return;
    }

  g_string_append_printf (line, "%s: %s — %s: %s", result->check, _("ERROR"),
                          bgpt_check_title (result->check),
                          bgpt_catalog_title (diagnosis->error_id));
  if (diagnosis->http_status != 0)
    g_string_append_printf (line, " (HTTP %u%s%s)", diagnosis->http_status,
                            diagnosis->api_code != NULL ? ", " : "",
                            diagnosis->api_code != NULL ? diagnosis->api_code : "");
  if (diagnosis->detail != NULL)
    g_string_append_printf (line, " — %s", diagnosis->detail);
  else if (diagnosis->api_message != NULL)
    g_string_append_printf (line, " — %s", diagnosis->api_message);
  if (diagnosis->request_id != NULL)
    g_string_append_printf (line, " [%s %s]", _("request ID"), diagnosis->request_id);
  append_long_line (text, line->str);

  /* -v: what the window would say about it. */
  entry = bgpt_catalog_lookup (diagnosis->error_id);
  if (verbosity == 0 || entry == NULL)
    return;
  g_string_printf (line, "  %s", bgpt_catalog_entry_cause_for (entry, diagnosis->reason));
  append_long_line (text, line->str);
  steps = bgpt_catalog_entry_steps_for (entry, diagnosis->reason, &n_steps);
  for (guint i = 0; i < n_steps; i++)
    {
      g_string_printf (line, "  %u. %s", i + 1, bgpt_catalog_step_text (&steps[i]));
      append_long_line (text, line->str);
    }
}

static void
append_text (PluginText *text,
             GPtrArray  *results,
             GHashTable *spends,
             gboolean    several_accounts,
             guint       timeout_s,
             guint       verbosity)
{
  g_autofree char *summary = format_summary (results);
  g_autofree char *perfdata = format_perfdata (results, spends, several_accounts, timeout_s);

  append_first_line (text, bgpt_check_results_overall (results), summary, perfdata);
  if (*perfdata == '\0')
    append_long_line (text, _("Set OPENAI_API_KEY, or KOMMO_SUBDOMAIN and KOMMO_TOKEN, or set up an account."));

  for (guint i = 0; i < results->len; i++)
    append_check_line (text, g_ptr_array_index (results, i), several_accounts, verbosity);
}

static void
add_spend (JsonBuilder     *builder,
           const BgptSpend *spend)
{
  g_autofree char *reached_on = bgpt_spend_dup_reached_on (spend);

  json_builder_set_member_name (builder, "spend");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "month_to_date_usd");
  json_builder_add_double_value (builder, spend->month_to_date_usd);
  json_builder_set_member_name (builder, "projected_usd");
  json_builder_add_double_value (builder, spend->projected_usd);
  json_builder_set_member_name (builder, "budget_usd");
  if (spend->budget_usd > 0.0)
    json_builder_add_double_value (builder, spend->budget_usd);
  else
    json_builder_add_null_value (builder);
  bgpt_json_builder_add_string_or_null (builder, "budget_reached_on", reached_on);
  json_builder_end_object (builder);
}

static void
add_rate_limit_part (JsonBuilder             *builder,
                     const char              *name,
                     const BgptRateLimitPart *part)
{
  if (!part->present)
    return;

  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "limit");
  json_builder_add_int_value (builder, part->limit);
  json_builder_set_member_name (builder, "remaining");
  json_builder_add_int_value (builder, part->remaining);
  json_builder_set_member_name (builder, "reset_s");
  if (part->reset_ms < 0)
    json_builder_add_null_value (builder);
  else if (part->reset_ms % 1000 == 0)
    json_builder_add_int_value (builder, part->reset_ms / 1000);
  else
    json_builder_add_double_value (builder, part->reset_ms / 1000.0);
  json_builder_end_object (builder);
}

/* "ratelimit": {"requests": {…}, "tokens": {…}}, each part only when its
 * headers were readable. */
static void
add_rate_limit (JsonBuilder         *builder,
                const BgptRateLimit *rate_limit)
{
  json_builder_set_member_name (builder, "ratelimit");
  json_builder_begin_object (builder);
  add_rate_limit_part (builder, "requests", &rate_limit->requests);
  add_rate_limit_part (builder, "tokens", &rate_limit->tokens);
  json_builder_end_object (builder);
}

static void
append_json (GString    *out,
             GPtrArray  *results,
             GHashTable *spends)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;

  json_builder_begin_object (builder);
  bgpt_json_builder_add_string_or_null (builder, "status",
                       bgpt_overall_status_to_string (bgpt_check_results_overall (results)));
  json_builder_set_member_name (builder, "checks");
  json_builder_begin_array (builder);

  for (guint i = 0; i < results->len; i++)
    {
      const BgptCheckResult *result = g_ptr_array_index (results, i);
      const BgptDiagnosis *diagnosis = result->diagnosis;

      json_builder_begin_object (builder);
      bgpt_json_builder_add_string_or_null (builder, "account", result->account_id);
      bgpt_json_builder_add_string_or_null (builder, "check", result->check);
      bgpt_json_builder_add_string_or_null (builder, "status", bgpt_check_status_to_string (result->status));
      if (result->status == BGPT_CHECK_STATUS_BLOCKED)
        bgpt_json_builder_add_string_or_null (builder, "blocked_by", result->blocked_by);

      json_builder_set_member_name (builder, "elapsed_ms");
      if (diagnosis == NULL)
        json_builder_add_null_value (builder);
      else
        json_builder_add_int_value (builder, diagnosis->elapsed_ms);

      if (diagnosis != NULL && bgpt_rate_limit_is_known (&diagnosis->rate_limit))
        add_rate_limit (builder, &diagnosis->rate_limit);

      json_builder_set_member_name (builder, "error");
      if (result->status != BGPT_CHECK_STATUS_ERROR)
        json_builder_add_null_value (builder);
      else
        {
          json_builder_begin_object (builder);
          bgpt_json_builder_add_string_or_null (builder, "id", diagnosis->error_id);
          bgpt_json_builder_add_string_or_null (builder, "title", bgpt_catalog_title (diagnosis->error_id));
          json_builder_set_member_name (builder, "http_status");
          if (diagnosis->http_status != 0)
            json_builder_add_int_value (builder, diagnosis->http_status);
          else
            json_builder_add_null_value (builder);
          bgpt_json_builder_add_string_or_null (builder, "api_code", diagnosis->api_code);
          bgpt_json_builder_add_string_or_null (builder, "reason", diagnosis->reason);
          bgpt_json_builder_add_string_or_null (builder, "request_id", diagnosis->request_id);
          json_builder_set_member_name (builder, "retry_after_s");
          if (diagnosis->retry_after_s >= 0)
            json_builder_add_int_value (builder, diagnosis->retry_after_s);
          else
            json_builder_add_null_value (builder);
          json_builder_end_object (builder);
        }

      if (g_str_equal (result->check, BGPT_CHECK_OPENAI_COSTS) &&
          g_hash_table_contains (spends, result->account_id))
        add_spend (builder, g_hash_table_lookup (spends, result->account_id));
      json_builder_end_object (builder);
    }

  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json = json_generator_to_data (generator, NULL);
  g_string_append (out, json);
  g_string_append_c (out, '\n');
}

/* Every secret of every account, to scrub the output with. */
static char **
collect_secrets (GPtrArray *configs)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < configs->len; i++)
    {
      g_autofree const char **secrets = bgpt_check_config_secrets (g_ptr_array_index (configs, i));

      g_strv_builder_addv (builder, secrets);
    }
  return g_strv_builder_end (builder);
}

/* The last word on secrets: whatever reaches the terminal is scrubbed once
 * more, even though every piece already is. */
static void
print_scrubbed (GString    *out,
                char      **secrets,
                gboolean    to_stderr)
{
  g_autofree char *text = bgpt_scrub (out->str, (const char * const *) secrets);

  bgpt_plugin_write (to_stderr ? stderr : stdout, text);
}

static int
refuse (const BgptCliCheckOptions  *options,
        const char                 *message,
        char                      **secrets)
{
  g_autoptr(GString) out = g_string_new (NULL);
  PluginText text;

  plugin_text_init (&text, out, secrets);
  if (options->json)
    {
      g_autoptr(GString) error_out = g_string_new (NULL);
      PluginText error_text;

      plugin_text_init (&error_text, error_out, secrets);
      append_long_line (&error_text, message);
      print_scrubbed (error_out, secrets, TRUE);
      g_string_append (out, "{\n  \"status\" : \"unknown\",\n  \"checks\" : []\n}\n");
    }
  else
    append_first_line (&text, BGPT_OVERALL_UNKNOWN, message, NULL);

  print_scrubbed (out, secrets, FALSE);
  return BGPT_CLI_EXIT_UNKNOWN;
}

/* A real key to a plain http:// address (loopback only) is readable by
 * whatever listens there first: said to the person at the terminal, on
 * standard error. A monitoring system that runs --check gets its plugin
 * output unchanged, on both streams. */
static void
warn_unencrypted (GPtrArray *configs)
{
  if (!isatty (STDERR_FILENO))
    return;

  for (guint i = 0; i < configs->len; i++)
    {
      const BgptCheckConfig *config = g_ptr_array_index (configs, i);
      g_autofree char *openai = bgpt_openai_base_url (config);
      g_autofree char *kommo = bgpt_kommo_base_url (config, NULL);

      if (is_set (config->openai_api_key) && bgpt_base_url_is_unencrypted (openai))
        {
          g_printerr (_("Warning: the OpenAI API key goes unencrypted to %s. Any program "
                        "listening on that port, possibly another user’s, can read it. "
                        "Use plain http:// only for tests and local proxies."), openai);
          g_printerr ("\n");
        }
      if (is_set (config->kommo_token) && bgpt_base_url_is_unencrypted (kommo))
        {
          g_printerr (_("Warning: the Kommo token goes unencrypted to %s. Any program "
                        "listening on that port, possibly another user’s, can read it. "
                        "Use plain http:// only for tests and local proxies."), kommo);
          g_printerr ("\n");
        }
    }
}

int
bgpt_cli_check_usage_error (const char *message)
{
  const BgptCliCheckOptions options = { 0 };
  g_auto(GStrv) no_secrets = g_new0 (char *, 1);

  return refuse (&options, message, no_secrets);
}

int
bgpt_cli_check_print_help (const char *help)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto(GStrv) lines = g_strsplit (help, "\n", -1);
  g_auto(GStrv) no_secrets = g_new0 (char *, 1);
  PluginText text;

  plugin_text_init (&text, out, no_secrets);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i + 1] != NULL || *lines[i] != '\0')
      append_long_line (&text, lines[i]);
  print_scrubbed (out, no_secrets, FALSE);
  return BGPT_CLI_EXIT_UNKNOWN;
}

int
bgpt_cli_check (const BgptCliCheckOptions *options)
{
  g_autoptr(GError) load_error = NULL;
  g_autoptr(GPtrArray) configs = collect_configs (options, &load_error);
  g_autoptr(BgptChecker) checker = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto(GStrv) secrets = configs != NULL ? collect_secrets (configs) : g_new0 (char *, 1);
  RunState state = { 0 };
  PluginText text;
  guint timeout_s;
  BgptCheckerFlags flags = options->deep ? BGPT_CHECKER_FLAGS_DEEP : BGPT_CHECKER_FLAGS_NONE;
  gboolean several_accounts;
  BgptOverallStatus overall;

  /* An unknown --account, for one. */
  if (configs == NULL)
    return refuse (options, load_error->message, secrets);
  several_accounts = configs->len > 1;

  if (configs->len == 0)
    return refuse (options, _("No account to check."), secrets);

  for (guint i = 0; i < configs->len; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!validate_config (g_ptr_array_index (configs, i), &error))
        return refuse (options, error->message, secrets);
    }

  warn_unencrypted (configs);

  timeout_s = options->timeout_s > 0 ? options->timeout_s : default_timeout ();
  checker = bgpt_checker_new (NULL);
  bgpt_checker_set_timeout (checker, timeout_s);

  state.results = g_ptr_array_new_with_free_func ((GDestroyNotify) bgpt_check_result_free);
  state.spends = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  state.now = g_date_time_new_now_utc ();
  for (guint i = 0; i < configs->len; i++)
    {
      state.pending++;
      bgpt_checker_run_async (checker, g_ptr_array_index (configs, i), flags, NULL, run_cb, &state);
      start_costs (&state, bgpt_checker_get_http (checker), g_ptr_array_index (configs, i));
    }

  while (state.pending > 0)
    g_main_context_iteration (NULL, TRUE);
  /* The results came in as their requests ended; the report is the same
   * whichever ended first. */
  g_ptr_array_sort_with_data (state.results, compare_results, configs);

  if (state.error != NULL)
    {
      g_autoptr(GError) error = g_steal_pointer (&state.error);

      run_state_clear (&state);
      return refuse (options, error->message, secrets);
    }

  overall = bgpt_check_results_overall (state.results);
  if (options->json)
    append_json (out, state.results, state.spends);
  else
    {
      plugin_text_init (&text, out, secrets);
      append_text (&text, state.results, state.spends, several_accounts, timeout_s, options->verbosity);
    }
  print_scrubbed (out, secrets, FALSE);

  run_state_clear (&state);
  return (int) overall;
}
