/* bgpt-status-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-status-page"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "bgpt-http.h"
#include "bgpt-json.h"
#include "bgpt-status-page.h"

/* The summary lists every component; only the API's matter to ByteGPT,
 * not ChatGPT's or Sora's (docs/providers.md). */
#define STATUS_PATH "/api/v2/summary.json"
/* Far longer than any real description; more is not shown. */
#define MAX_DESCRIPTION_LENGTH 200

G_DEFINE_ENUM_TYPE (BgptStatusIndicator, bgpt_status_indicator,
  G_DEFINE_ENUM_VALUE (BGPT_STATUS_INDICATOR_UNKNOWN, "unknown"),
  G_DEFINE_ENUM_VALUE (BGPT_STATUS_INDICATOR_NONE, "none"),
  G_DEFINE_ENUM_VALUE (BGPT_STATUS_INDICATOR_MINOR, "minor"),
  G_DEFINE_ENUM_VALUE (BGPT_STATUS_INDICATOR_MAJOR, "major"),
  G_DEFINE_ENUM_VALUE (BGPT_STATUS_INDICATOR_CRITICAL, "critical"),
  G_DEFINE_ENUM_VALUE (BGPT_STATUS_INDICATOR_MAINTENANCE, "maintenance"))

G_DEFINE_BOXED_TYPE (BgptStatusReport, bgpt_status_report,
                     bgpt_status_report_copy, bgpt_status_report_free)

const char *
bgpt_status_indicator_describe (BgptStatusIndicator indicator)
{
  switch (indicator)
    {
    case BGPT_STATUS_INDICATOR_NONE:
      return _("All systems operational");
    case BGPT_STATUS_INDICATOR_MINOR:
      return _("Minor service disruption");
    case BGPT_STATUS_INDICATOR_MAJOR:
      return _("Major outage of some services");
    case BGPT_STATUS_INDICATOR_CRITICAL:
      return _("Critical service outage");
    case BGPT_STATUS_INDICATOR_MAINTENANCE:
      return _("Maintenance in progress");
    case BGPT_STATUS_INDICATOR_UNKNOWN:
    default:
      return _("OpenAI’s status page could not be read");
    }
}

BgptStatusReport *
bgpt_status_report_copy (const BgptStatusReport *report)
{
  BgptStatusReport *copy;

  g_return_val_if_fail (report != NULL, NULL);

  copy = g_new0 (BgptStatusReport, 1);
  copy->indicator = report->indicator;
  copy->server_description = g_strdup (report->server_description);
  copy->checked_at = report->checked_at;
  return copy;
}

void
bgpt_status_report_free (BgptStatusReport *report)
{
  if (report == NULL)
    return;

  g_free (report->server_description);
  g_free (report);
}

/* One caller waiting for the request in flight. */
typedef struct
{
  guint         serial;
  GTask        *task;
  GCancellable *cancellable;
  gulong        cancelled_id;
} Waiter;

struct _BgptStatusPage
{
  GObject           parent_instance;

  char             *base_url;
  BgptHttp         *http;
  guint             ttl_s;
  guint             failure_ttl_s;

  BgptStatusReport *report;
  gint64            report_read_at;    /* monotonic µs */

  GCancellable     *request_cancellable; /* the request in flight, or NULL */
  guint             request_serial;
  GPtrArray        *waiters;           /* Waiter */
  guint             next_waiter_serial;
};

G_DEFINE_FINAL_TYPE (BgptStatusPage, bgpt_status_page, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_REPORT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
waiter_free (Waiter *waiter)
{
  if (waiter->cancelled_id != 0)
    g_cancellable_disconnect (waiter->cancellable, waiter->cancelled_id);
  g_clear_object (&waiter->cancellable);
  g_clear_object (&waiter->task);
  g_free (waiter);
}

static BgptStatusReport *
unknown_report (void)
{
  BgptStatusReport *report = g_new0 (BgptStatusReport, 1);

  report->indicator = BGPT_STATUS_INDICATOR_UNKNOWN;
  report->checked_at = g_get_real_time ();
  return report;
}

static char *
clean_description (const char *description)
{
  const char *end;
  g_autofree char *text = NULL;

  if (!g_utf8_validate (description, -1, &end))
    return NULL;

  text = g_utf8_substring (description, 0, MIN (g_utf8_strlen (description, -1), MAX_DESCRIPTION_LENGTH));
  g_strstrip (text);
  if (*text == '\0')
    return NULL;

  /* One line of plain text, whatever the page sent. */
  for (char *p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      *p = ' ';

  return g_steal_pointer (&text);
}

/* Whether a component's name names the API: "API", "APIs", "OpenAI API". */
static gboolean
names_api (const char *name)
{
  g_auto(GStrv) words = NULL;

  if (name == NULL)
    return FALSE;

  words = g_regex_split_simple ("[^A-Za-z0-9]+", name, 0, 0);
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (words[i], "api") == 0 || g_ascii_strcasecmp (words[i], "apis") == 0)
        return TRUE;
    }
  return FALSE;
}

/* Statuspage's component status as an indicator, ranked from best to worst. */
static const struct
{
  const char          *status;
  BgptStatusIndicator  indicator;
} component_states[] = {
  { "operational", BGPT_STATUS_INDICATOR_NONE },
  { "under_maintenance", BGPT_STATUS_INDICATOR_MAINTENANCE },
  { "degraded_performance", BGPT_STATUS_INDICATOR_MINOR },
  { "partial_outage", BGPT_STATUS_INDICATOR_MAJOR },
  { "major_outage", BGPT_STATUS_INDICATOR_CRITICAL },
};

/* The rank of @status in component_states, or -1 for a value not known. */
static int
component_rank (const char *status)
{
  for (gsize i = 0; status != NULL && i < G_N_ELEMENTS (component_states); i++)
    {
      if (g_str_equal (status, component_states[i].status))
        return (int) i;
    }
  return -1;
}

/* Statuspage's summary: {"page":{…},"components":[{"id","name","status",
 * "group","group_id"},…],"status":{…}}. The report is the worst state of
 * the components that are the API, or in a group that is; the others
 * (ChatGPT, Sora, …) and the page's overall indicator are left out. */
static void
read_api_components (JsonArray        *components,
                     BgptStatusReport *report)
{
  g_autoptr(GHashTable) api_groups = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) affected = g_string_new (NULL);
  guint n = json_array_get_length (components);
  int worst = -1;
  gboolean unknown = FALSE;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (components, i);
      const char *id;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      id = bgpt_json_object_get_string (json_node_get_object (node), "id");
      if (id != NULL && names_api (bgpt_json_object_get_string (json_node_get_object (node), "name")))
        g_hash_table_add (api_groups, (gpointer) id);
    }

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (components, i);
      JsonObject *component;
      const char *name;
      const char *group_id;
      int rank;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      component = json_node_get_object (node);
      name = bgpt_json_object_get_string (component, "name");
      group_id = bgpt_json_object_get_string (component, "group_id");
      if (!names_api (name) && (group_id == NULL || !g_hash_table_contains (api_groups, group_id)))
        continue;

      rank = component_rank (bgpt_json_object_get_string (component, "status"));
      if (rank < 0)
        unknown = TRUE;
      worst = MAX (worst, rank);
      if (rank != 0 && name != NULL && strstr (affected->str, name) == NULL)
        {
          if (affected->len > 0)
            g_string_append (affected, ", ");
          g_string_append (affected, name);
        }
    }

  if (worst < 0 && !unknown)
    g_debug ("Status page lists no API component");
  else if (!unknown)
    report->indicator = component_states[worst].indicator;

  if (affected->len > 0)
    report->server_description = clean_description (affected->str);
}

static BgptStatusReport *
parse_response (const BgptHttpResponse *response)
{
  g_autoptr(BgptStatusReport) report = unknown_report ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  const char *data;
  gsize size;
  JsonNode *components;

  if (response->error != NULL)
    {
      g_debug ("Status page not reached: %s", response->error->message);
      return g_steal_pointer (&report);
    }

  if (response->status != SOUP_STATUS_OK || response->body == NULL || response->body_over_cap)
    {
      g_debug ("Status page answered HTTP %u%s", response->status,
               response->body_over_cap ? " with a body over the cap" : "");
      return g_steal_pointer (&report);
    }

  data = g_bytes_get_data (response->body, &size);
  if (size == 0 || !g_utf8_validate (data, size, NULL))
    {
      g_debug ("Status page body is empty or not UTF-8");
      return g_steal_pointer (&report);
    }

  root = bgpt_json_parse (data, size, &error);
  if (root == NULL)
    {
      g_debug ("Status page body is not JSON: %s", error->message);
      return g_steal_pointer (&report);
    }

  components = JSON_NODE_HOLDS_OBJECT (root)
               ? json_object_get_member (json_node_get_object (root), "components") : NULL;
  if (components == NULL || !JSON_NODE_HOLDS_ARRAY (components))
    {
      g_debug ("Status page body has no components");
      return g_steal_pointer (&report);
    }

  read_api_components (json_node_get_array (components), report);
  return g_steal_pointer (&report);
}

static void
finish_waiters (BgptStatusPage *self)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->waiters);

  self->waiters = g_ptr_array_new_with_free_func ((GDestroyNotify) waiter_free);

  for (guint i = 0; i < waiters->len; i++)
    {
      Waiter *waiter = g_ptr_array_index (waiters, i);

      g_task_return_pointer (waiter->task, bgpt_status_report_copy (self->report),
                             (GDestroyNotify) bgpt_status_report_free);
    }
}

typedef struct
{
  BgptStatusPage *self;
  guint           serial;
} RequestData;

static void
request_data_free (RequestData *data)
{
  g_object_unref (data->self);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RequestData, request_data_free)

static void
request_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(RequestData) data = user_data;
  BgptStatusPage *self = data->self;
  g_autoptr(BgptHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = bgpt_http_send_finish (BGPT_HTTP (object), result, &error);

  /* Cancelled because every caller left, and maybe replaced since. */
  if (data->serial != self->request_serial || response == NULL)
    return;

  g_clear_object (&self->request_cancellable);

  g_clear_pointer (&self->report, bgpt_status_report_free);
  self->report = parse_response (response);
  self->report_read_at = g_get_monotonic_time ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT]);

  finish_waiters (self);
}

static void
start_request (BgptStatusPage *self)
{
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) message = NULL;
  RequestData *data;

  url = g_strconcat (self->base_url, STATUS_PATH, NULL);
  message = soup_message_new (SOUP_METHOD_GET, url);
  if (message == NULL)
    {
      g_debug ("Status page URL %s is not valid", url);
      g_clear_pointer (&self->report, bgpt_status_report_free);
      self->report = unknown_report ();
      self->report_read_at = g_get_monotonic_time ();
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT]);
      finish_waiters (self);
      return;
    }

  soup_message_headers_append (soup_message_get_request_headers (message),
                               "Accept", "application/json");

  g_clear_object (&self->request_cancellable);
  self->request_cancellable = g_cancellable_new ();
  self->request_serial++;

  data = g_new0 (RequestData, 1);
  data->self = g_object_ref (self);
  data->serial = self->request_serial;
  bgpt_http_send_async (self->http, message, self->request_cancellable,
                        request_done, data);
}

/* Measured at each call, so that a changed TTL applies at once. */
static gboolean
report_is_fresh (BgptStatusPage *self)
{
  guint ttl_s;

  if (self->report == NULL)
    return FALSE;

  if (self->report->indicator == BGPT_STATUS_INDICATOR_UNKNOWN)
    ttl_s = self->failure_ttl_s;
  else
    ttl_s = self->ttl_s;

  return g_get_monotonic_time () < self->report_read_at + (gint64) ttl_s * G_USEC_PER_SEC;
}

typedef struct
{
  BgptStatusPage *self;
  guint           serial;
} CancelData;

static void
cancel_data_free (CancelData *data)
{
  g_object_unref (data->self);
  g_free (data);
}

/* In an idle: a cancellable's handler must not disconnect itself. */
static gboolean
waiter_cancelled_idle (gpointer user_data)
{
  CancelData *data = user_data;
  BgptStatusPage *self = data->self;

  for (guint i = 0; i < self->waiters->len; i++)
    {
      Waiter *waiter = g_ptr_array_index (self->waiters, i);

      if (waiter->serial == data->serial)
        {
          g_ptr_array_steal_index (self->waiters, i);
          g_task_return_error_if_cancelled (waiter->task);
          waiter_free (waiter);
          break;
        }
    }

  if (self->waiters->len == 0 && self->request_cancellable != NULL)
    {
      g_cancellable_cancel (self->request_cancellable);
      g_clear_object (&self->request_cancellable);
      self->request_serial++;
    }

  return G_SOURCE_REMOVE;
}

static void
waiter_cancelled_cb (GCancellable *cancellable,
                     CancelData   *data)
{
  CancelData *copy = g_new0 (CancelData, 1);

  copy->self = g_object_ref (data->self);
  copy->serial = data->serial;
  g_idle_add_full (G_PRIORITY_DEFAULT, waiter_cancelled_idle, copy,
                   (GDestroyNotify) cancel_data_free);
}

void
bgpt_status_page_get_status_async (BgptStatusPage      *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Waiter *waiter;

  g_return_if_fail (BGPT_IS_STATUS_PAGE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bgpt_status_page_get_status_async);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (report_is_fresh (self))
    {
      g_task_return_pointer (task, bgpt_status_report_copy (self->report),
                             (GDestroyNotify) bgpt_status_report_free);
      return;
    }

  waiter = g_new0 (Waiter, 1);
  waiter->serial = ++self->next_waiter_serial;
  waiter->task = g_steal_pointer (&task);
  if (cancellable != NULL)
    {
      CancelData *data = g_new0 (CancelData, 1);

      data->self = g_object_ref (self);
      data->serial = waiter->serial;
      waiter->cancellable = g_object_ref (cancellable);
      waiter->cancelled_id = g_cancellable_connect (cancellable,
                                                    G_CALLBACK (waiter_cancelled_cb),
                                                    data, (GDestroyNotify) cancel_data_free);
    }
  g_ptr_array_add (self->waiters, waiter);

  if (self->request_cancellable == NULL)
    start_request (self);
}

BgptStatusReport *
bgpt_status_page_get_status_finish (BgptStatusPage  *self,
                                    GAsyncResult    *result,
                                    GError         **error)
{
  g_return_val_if_fail (BGPT_IS_STATUS_PAGE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bgpt_status_page_get_status_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const BgptStatusReport *
bgpt_status_page_get_report (BgptStatusPage *self)
{
  g_return_val_if_fail (BGPT_IS_STATUS_PAGE (self), NULL);
  return self->report;
}

const char *
bgpt_status_page_get_base_url (BgptStatusPage *self)
{
  g_return_val_if_fail (BGPT_IS_STATUS_PAGE (self), NULL);
  return self->base_url;
}

void
bgpt_status_page_set_timeout (BgptStatusPage *self,
                              guint           timeout_s)
{
  g_return_if_fail (BGPT_IS_STATUS_PAGE (self));
  g_return_if_fail (timeout_s > 0);

  bgpt_http_set_timeout (self->http, timeout_s);
}

void
bgpt_status_page_set_cache_ttl (BgptStatusPage *self,
                                guint           ttl_s,
                                guint           failure_ttl_s)
{
  g_return_if_fail (BGPT_IS_STATUS_PAGE (self));

  self->ttl_s = ttl_s;
  self->failure_ttl_s = failure_ttl_s;
}

BgptStatusPage *
bgpt_status_page_new (const char *base_url)
{
  return g_object_new (BGPT_TYPE_STATUS_PAGE, "base-url", base_url, NULL);
}

static void
bgpt_status_page_dispose (GObject *object)
{
  BgptStatusPage *self = BGPT_STATUS_PAGE (object);

  if (self->request_cancellable != NULL)
    g_cancellable_cancel (self->request_cancellable);
  g_clear_object (&self->request_cancellable);
  g_clear_object (&self->http);

  G_OBJECT_CLASS (bgpt_status_page_parent_class)->dispose (object);
}

static void
bgpt_status_page_finalize (GObject *object)
{
  BgptStatusPage *self = BGPT_STATUS_PAGE (object);

  g_clear_pointer (&self->waiters, g_ptr_array_unref);
  g_clear_pointer (&self->report, bgpt_status_report_free);
  g_free (self->base_url);

  G_OBJECT_CLASS (bgpt_status_page_parent_class)->finalize (object);
}

static void
bgpt_status_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  BgptStatusPage *self = BGPT_STATUS_PAGE (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_REPORT:
      g_value_set_boxed (value, self->report);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bgpt_status_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  BgptStatusPage *self = BGPT_STATUS_PAGE (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      {
        const char *base_url = g_value_get_string (value);
        gsize length;

        if (base_url == NULL || *base_url == '\0')
          base_url = BGPT_STATUS_PAGE_DEFAULT_BASE_URL;

        length = strlen (base_url);
        while (length > 0 && base_url[length - 1] == '/')
          length--;
        self->base_url = g_strndup (base_url, length);
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bgpt_status_page_class_init (BgptStatusPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bgpt_status_page_dispose;
  object_class->finalize = bgpt_status_page_finalize;
  object_class->get_property = bgpt_status_page_get_property;
  object_class->set_property = bgpt_status_page_set_property;

  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REPORT] =
    g_param_spec_boxed ("report", NULL, NULL, BGPT_TYPE_STATUS_REPORT,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bgpt_status_page_init (BgptStatusPage *self)
{
  self->http = bgpt_http_new ();
  bgpt_http_set_timeout (self->http, BGPT_STATUS_PAGE_DEFAULT_TIMEOUT_S);
  self->ttl_s = BGPT_STATUS_PAGE_DEFAULT_CACHE_TTL_S;
  self->failure_ttl_s = BGPT_STATUS_PAGE_DEFAULT_FAILURE_TTL_S;
  self->waiters = g_ptr_array_new_with_free_func ((GDestroyNotify) waiter_free);
}
