/* bgpt-costs.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-costs"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "bgpt-costs.h"
#include "bgpt-json.h"
#include "bgpt-openai-client.h"
#include "bgpt-secret-store.h"
#include "bgpt-validation.h"

#define SECONDS_PER_DAY 86400

G_DEFINE_QUARK (bgpt-costs-error-quark, bgpt_costs_error)

G_DEFINE_BOXED_TYPE (BgptCosts, bgpt_costs, bgpt_costs_copy, bgpt_costs_free)

static void
line_item_free (BgptCostsLineItem *item)
{
  g_free (item->name);
  g_free (item);
}

BgptCosts *
bgpt_costs_new (void)
{
  BgptCosts *costs = g_new0 (BgptCosts, 1);

  costs->days = g_array_new (FALSE, TRUE, sizeof (BgptCostsDay));
  costs->line_items = g_ptr_array_new_with_free_func ((GDestroyNotify) line_item_free);
  return costs;
}

BgptCosts *
bgpt_costs_copy (const BgptCosts *costs)
{
  BgptCosts *copy = bgpt_costs_new ();

  g_array_append_vals (copy->days, costs->days->data, costs->days->len);
  for (guint i = 0; i < costs->line_items->len; i++)
    {
      const BgptCostsLineItem *item = g_ptr_array_index (costs->line_items, i);
      BgptCostsLineItem *item_copy = g_new0 (BgptCostsLineItem, 1);

      item_copy->name = g_strdup (item->name);
      item_copy->usd = item->usd;
      g_ptr_array_add (copy->line_items, item_copy);
    }
  return copy;
}

void
bgpt_costs_free (BgptCosts *costs)
{
  if (costs == NULL)
    return;

  g_array_unref (costs->days);
  g_ptr_array_unref (costs->line_items);
  g_free (costs);
}

static void
add_to_day (BgptCosts *costs,
            gint64     start_time,
            double     usd)
{
  BgptCostsDay day = { start_time, usd };
  guint i;

  for (i = 0; i < costs->days->len; i++)
    {
      BgptCostsDay *known = &g_array_index (costs->days, BgptCostsDay, i);

      if (known->start_time == start_time)
        {
          known->usd += usd;
          return;
        }
      if (known->start_time > start_time)
        break;
    }
  g_array_insert_val (costs->days, i, day);
}

static void
add_to_line_item (BgptCosts  *costs,
                  const char *name,
                  double      usd)
{
  BgptCostsLineItem *item;

  for (guint i = 0; i < costs->line_items->len; i++)
    {
      item = g_ptr_array_index (costs->line_items, i);
      if (g_str_equal (item->name, name))
        {
          item->usd += usd;
          return;
        }
    }

  item = g_new0 (BgptCostsLineItem, 1);
  item->name = g_strdup (name);
  item->usd = usd;
  g_ptr_array_add (costs->line_items, item);
}

static int
compare_largest_first (gconstpointer a,
                       gconstpointer b)
{
  const BgptCostsLineItem *first = *(BgptCostsLineItem * const *) a;
  const BgptCostsLineItem *second = *(BgptCostsLineItem * const *) b;

  if (first->usd != second->usd)
    return first->usd < second->usd ? 1 : -1;
  return strcmp (first->name, second->name);
}

static JsonNode *
get_member (JsonObject *object,
            const char *name)
{
  return object != NULL ? json_object_get_member (object, name) : NULL;
}

static gboolean
holds_type (JsonNode *node,
            GType     type)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

static gboolean
set_shape_error (GError     **error,
                 const char  *what)
{
  /* Translators: what part of OpenAI's costs answer was wrong */
  g_set_error (error, BGPT_COSTS_ERROR, BGPT_COSTS_ERROR_SHAPE,
               _("The costs answer did not have the expected shape: %s."), what);
  return FALSE;
}

/* A short currency code from the server may be shown; anything else not. */
static gboolean
is_currency_code (const char *text)
{
  gsize length = strlen (text);

  if (length == 0 || length > 8)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalpha (text[i]))
      return FALSE;
  return TRUE;
}

/* The US dollars of one result; FALSE with @error for anything else. */
static gboolean
read_amount (JsonObject  *result,
             double      *usd,
             GError     **error)
{
  JsonNode *amount = get_member (result, "amount");
  JsonObject *object;
  JsonNode *value;
  const char *currency;

  if (amount == NULL || !JSON_NODE_HOLDS_OBJECT (amount))
    return set_shape_error (error, _("a result without an amount"));
  object = json_node_get_object (amount);

  currency = bgpt_json_object_get_string (object, "currency");
  if (currency == NULL || g_ascii_strcasecmp (currency, "usd") != 0)
    {
      g_autofree char *code = currency != NULL && is_currency_code (currency) ? g_ascii_strup (currency, -1)
                                                                               : g_strdup ("?");

      /* Translators: %s is a currency code such as EUR */
      g_set_error (error, BGPT_COSTS_ERROR, BGPT_COSTS_ERROR_CURRENCY,
                   _("OpenAI reported costs in another currency (%s). Only costs in US dollars "
                     "can be added up and compared with the budget in dollars."), code);
      return FALSE;
    }

  value = get_member (object, "value");
  if (holds_type (value, G_TYPE_INT64))
    *usd = (double) json_node_get_int (value);
  else if (holds_type (value, G_TYPE_DOUBLE))
    *usd = json_node_get_double (value);
  else
    {
      g_set_error_literal (error, BGPT_COSTS_ERROR, BGPT_COSTS_ERROR_AMOUNT,
                           _("OpenAI reported a cost that is not a number."));
      return FALSE;
    }

  if (!isfinite (*usd) || *usd < 0.0 || *usd > BGPT_COSTS_MAX_AMOUNT_USD)
    {
      g_set_error_literal (error, BGPT_COSTS_ERROR, BGPT_COSTS_ERROR_AMOUNT,
                           _("OpenAI reported a cost that is negative or implausibly large."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
add_bucket (BgptCosts   *costs,
            JsonNode    *node,
            GError     **error)
{
  JsonObject *bucket;
  JsonNode *start_time;
  JsonNode *results;
  JsonArray *array;
  gint64 start;
  double total = 0.0;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return set_shape_error (error, _("a bucket that is not an object"));
  bucket = json_node_get_object (node);

  start_time = get_member (bucket, "start_time");
  if (!holds_type (start_time, G_TYPE_INT64))
    return set_shape_error (error, _("a bucket without a start time"));
  start = json_node_get_int (start_time);
  /* Seconds of a day between year 2000 and 2200, not milliseconds. */
  if (start < G_GINT64_CONSTANT (946684800) || start > G_GINT64_CONSTANT (7258118400))
    return set_shape_error (error, _("a bucket with an impossible start time"));

  /* A day without costs may come without results. */
  results = get_member (bucket, "results");
  if (results == NULL || JSON_NODE_HOLDS_NULL (results))
    {
      add_to_day (costs, start, 0.0);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (results))
    return set_shape_error (error, _("results that are not a list"));

  array = json_node_get_array (results);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *result = json_array_get_element (array, i);
      JsonObject *object;
      const char *line_item;
      double usd = 0.0;

      if (!JSON_NODE_HOLDS_OBJECT (result))
        return set_shape_error (error, _("a result that is not an object"));
      object = json_node_get_object (result);
      if (!read_amount (object, &usd, error))
        return FALSE;

      line_item = bgpt_json_object_get_string (object, "line_item");
      add_to_line_item (costs, line_item != NULL ? line_item : "", usd);
      total += usd;
    }

  add_to_day (costs, start, total);
  return TRUE;
}

gboolean
bgpt_costs_add_page (BgptCosts   *costs,
                     const char  *text,
                     gssize       length,
                     char       **next_page,
                     GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) json_error = NULL;
  JsonObject *page;
  JsonNode *data;
  JsonNode *has_more;
  JsonNode *next;
  JsonArray *buckets;

  g_return_val_if_fail (costs != NULL, FALSE);
  g_return_val_if_fail (next_page != NULL, FALSE);

  *next_page = NULL;

  root = bgpt_json_parse (text, length, &json_error);
  if (root == NULL)
    return set_shape_error (error, _("not JSON"));
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return set_shape_error (error, _("not an object"));
  page = json_node_get_object (root);

  if (g_strcmp0 (bgpt_json_object_get_string (page, "object"), "page") != 0)
    return set_shape_error (error, _("not a page"));

  data = get_member (page, "data");
  if (data == NULL || !JSON_NODE_HOLDS_ARRAY (data))
    return set_shape_error (error, _("no list of buckets"));
  buckets = json_node_get_array (data);
  for (guint i = 0; i < json_array_get_length (buckets); i++)
    if (!add_bucket (costs, json_array_get_element (buckets, i), error))
      return FALSE;

  g_ptr_array_sort (costs->line_items, compare_largest_first);

  has_more = get_member (page, "has_more");
  if (has_more != NULL && !holds_type (has_more, G_TYPE_BOOLEAN))
    return set_shape_error (error, _("has_more is not true or false"));
  if (has_more == NULL || !json_node_get_boolean (has_more))
    return TRUE;

  next = get_member (page, "next_page");
  if (!holds_type (next, G_TYPE_STRING) || *json_node_get_string (next) == '\0')
    return set_shape_error (error, _("more pages without a cursor"));
  *next_page = g_strdup (json_node_get_string (next));
  return TRUE;
}

gint64
bgpt_costs_start_time (GDateTime *now)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) month_start = NULL;
  g_autoptr(GDateTime) today_start = NULL;
  gint64 window_start;

  g_return_val_if_fail (now != NULL, 0);

  utc = g_date_time_to_utc (now);
  month_start = g_date_time_new_utc (g_date_time_get_year (utc), g_date_time_get_month (utc), 1, 0, 0, 0);
  today_start = g_date_time_new_utc (g_date_time_get_year (utc), g_date_time_get_month (utc),
                                     g_date_time_get_day_of_month (utc), 0, 0, 0);
  window_start = g_date_time_to_unix (today_start) - (gint64) (BGPT_COSTS_DAYS - 1) * SECONDS_PER_DAY;
  return MIN (g_date_time_to_unix (month_start), window_start);
}

typedef struct
{
  char      *admin_key;
  char      *base_url;
  char      *project_id;
  char     **secrets;
  gint64     start_time;
  BgptCosts *costs;
  guint      n_pages;
  gint64     elapsed_ms;
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  bgpt_secret_free (fetch->admin_key);
  g_free (fetch->base_url);
  g_free (fetch->project_id);
  bgpt_http_free_secrets (fetch->secrets);
  g_clear_pointer (&fetch->costs, bgpt_costs_free);
  g_free (fetch);
}

static void
return_diagnosis (GTask         *task,
                  BgptDiagnosis *diagnosis)
{
  Fetch *fetch = g_task_get_task_data (task);

  diagnosis->elapsed_ms = fetch->elapsed_ms;
  g_task_return_pointer (task, diagnosis, (GDestroyNotify) bgpt_diagnosis_free);
}

static void fetch_page (GTask      *task,
                        const char *page);

static void
page_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(BgptHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *next_page = NULL;
  BgptDiagnosis *diagnosis;
  const char *body;
  gsize size = 0;

  response = bgpt_http_send_finish (BGPT_HTTP (object), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  fetch->elapsed_ms += response->elapsed_ms;

  /* Everything but a complete 2xx is diagnosed like any other request. */
  if (response->error != NULL || response->status < 200 || response->status >= 300 ||
      response->body_over_cap)
    {
      BgptExchange exchange = { 0 };

      bgpt_http_response_to_exchange (response, &exchange);
      exchange.service = BGPT_SERVICE_OPENAI;
      exchange.check = BGPT_CHECK_OPENAI_COSTS;
      exchange.secrets = (const char * const *) fetch->secrets;
      diagnosis = bgpt_diagnose (&exchange);
      return_diagnosis (task, diagnosis);
      return;
    }

  body = response->body != NULL ? g_bytes_get_data (response->body, &size) : "";
  if (!bgpt_costs_add_page (fetch->costs, body != NULL ? body : "", size, &next_page, &error))
    {
      diagnosis = bgpt_diagnosis_new (BGPT_CHECK_OPENAI_COSTS, BGPT_DIAGNOSIS_OPENAI_UNEXPECTED);
      diagnosis->http_status = response->status;
      diagnosis->detail = bgpt_scrub (error->message, (const char * const *) fetch->secrets);
      return_diagnosis (task, diagnosis);
      return;
    }

  if (next_page == NULL)
    {
      diagnosis = bgpt_diagnosis_new (BGPT_CHECK_OPENAI_COSTS, NULL);
      diagnosis->http_status = response->status;
      return_diagnosis (task, diagnosis);
      return;
    }

  if (fetch->n_pages >= BGPT_COSTS_MAX_PAGES)
    {
      diagnosis = bgpt_diagnosis_new (BGPT_CHECK_OPENAI_COSTS, BGPT_DIAGNOSIS_OPENAI_UNEXPECTED);
      diagnosis->http_status = response->status;
      diagnosis->detail = g_strdup_printf (_("The costs came in more than %u pages; the rest was not read."),
                                           BGPT_COSTS_MAX_PAGES);
      return_diagnosis (task, diagnosis);
      return;
    }

  fetch_page (g_steal_pointer (&task), next_page);
}

static void
fetch_page (GTask      *task,
            const char *page)
{
  Fetch *fetch = g_task_get_task_data (task);
  BgptHttp *http = g_task_get_source_object (task);
  g_autoptr(GString) url = g_string_new (fetch->base_url);
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *authorization = NULL;
  SoupMessageHeaders *headers;

  /* Array parameters as the official SDK sends them: name[]=value. */
  g_string_append_printf (url, "/organization/costs?start_time=%" G_GINT64_FORMAT
                          "&bucket_width=1d&limit=%d&group_by%%5B%%5D=line_item",
                          fetch->start_time, BGPT_COSTS_PAGE_LIMIT);
  if (fetch->project_id != NULL)
    {
      g_string_append (url, "&project_ids%5B%5D=");
      g_string_append_uri_escaped (url, fetch->project_id, NULL, FALSE);
    }
  if (page != NULL)
    {
      g_string_append (url, "&page=");
      g_string_append_uri_escaped (url, page, NULL, FALSE);
    }

  message = soup_message_new ("GET", url->str);
  if (message == NULL)
    {
      BgptDiagnosis *diagnosis = bgpt_diagnosis_new (BGPT_CHECK_OPENAI_COSTS,
                                                     BGPT_DIAGNOSIS_CONFIG_INVALID);

      diagnosis->detail = g_strdup (_("The OpenAI base URL is not a valid address."));
      return_diagnosis (task, diagnosis);
      g_object_unref (task);
      return;
    }

  fetch->n_pages++;
  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "Accept", "application/json");
  authorization = g_strconcat ("Bearer ", fetch->admin_key, NULL);
  soup_message_headers_replace (headers, "Authorization", authorization);
  /* The header keeps its own copy: don't leave one more behind in the heap. */
  explicit_bzero (authorization, strlen (authorization));

  bgpt_http_send_async (http, message, g_task_get_cancellable (task), page_cb, task);
}

void
bgpt_costs_fetch_async (BgptHttp              *http,
                        const BgptCheckConfig *config,
                        GDateTime             *now,
                        GCancellable          *cancellable,
                        GAsyncReadyCallback    callback,
                        gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree const char **secrets = NULL;
  Fetch *fetch;

  g_return_if_fail (BGPT_IS_HTTP (http));
  g_return_if_fail (config != NULL);
  g_return_if_fail (now != NULL);

  task = g_task_new (http, cancellable, callback, user_data);
  g_task_set_source_tag (task, bgpt_costs_fetch_async);

  if (config->openai_admin_key == NULL || *config->openai_admin_key == '\0')
    {
      bgpt_http_task_return_local (task, BGPT_CHECK_OPENAI_COSTS, BGPT_DIAGNOSIS_OPENAI_AUTH,
                                   _("No OpenAI admin key is set."), config);
      return;
    }

  fetch = g_new0 (Fetch, 1);
  fetch->base_url = bgpt_openai_base_url (config);
  g_task_set_task_data (task, fetch, (GDestroyNotify) fetch_free);

  if (!bgpt_validate_admin_key (config->openai_admin_key, &error) ||
      !bgpt_validate_base_url (fetch->base_url, &error))
    {
      bgpt_http_task_return_local (task, BGPT_CHECK_OPENAI_COSTS, BGPT_DIAGNOSIS_CONFIG_INVALID,
                                   error->message, config);
      return;
    }

  secrets = bgpt_check_config_secrets (config);
  fetch->secrets = bgpt_http_copy_secrets (secrets);
  fetch->admin_key = g_strdup (config->openai_admin_key);
  fetch->project_id = config->openai_project_id != NULL && *config->openai_project_id != '\0'
                      ? g_strdup (config->openai_project_id) : NULL;
  fetch->start_time = bgpt_costs_start_time (now);
  fetch->costs = bgpt_costs_new ();

  fetch_page (g_steal_pointer (&task), NULL);
}

BgptDiagnosis *
bgpt_costs_fetch_finish (BgptHttp      *http,
                         GAsyncResult  *result,
                         BgptCosts    **costs,
                         GError       **error)
{
  BgptDiagnosis *diagnosis;
  Fetch *fetch;

  g_return_val_if_fail (g_task_is_valid (result, http), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bgpt_costs_fetch_async, NULL);

  if (costs != NULL)
    *costs = NULL;

  diagnosis = g_task_propagate_pointer (G_TASK (result), error);
  if (diagnosis == NULL || !bgpt_diagnosis_is_ok (diagnosis) || costs == NULL)
    return diagnosis;

  fetch = g_task_get_task_data (G_TASK (result));
  *costs = g_steal_pointer (&fetch->costs);
  return diagnosis;
}

BgptDiagnosis *
bgpt_costs_judge (const BgptCosts       *costs,
                  const BgptCheckConfig *config,
                  GDateTime             *now,
                  BgptSpend             *spend)
{
  g_return_val_if_fail (costs != NULL && config != NULL && now != NULL && spend != NULL, NULL);

  bgpt_spend_compute ((const BgptCostsDay *) costs->days->data, costs->days->len, now,
                      config->monthly_budget_usd, spend);
  return bgpt_budget_diagnose (spend, BGPT_CHECK_OPENAI_COSTS,
                               config->budget_warning_percent, config->budget_critical_percent);
}

char *
bgpt_costs_dup_scope (const BgptCheckConfig *config)
{
  g_return_val_if_fail (config != NULL, NULL);

  if (config->openai_project_id != NULL && *config->openai_project_id != '\0')
    /* Translators: what the costs check reads, shown beside it; %s is a project id */
    return g_strdup_printf (_("Costs of the project %s"), config->openai_project_id);
  return g_strdup (_("Organization costs"));
}
