/* bgpt-incident.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-incident"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "bgpt-incident-private.h"
#include "bgpt-json.h"

struct _BgptIncident
{
  GObject            parent_instance;

  char              *id;
  char              *account_id;
  char              *check;
  char              *error_id;
  const BgptCatalogEntry *entry;

  BgptIncidentState  state;
  gint64             first_seen;
  gint64             last_seen;
  gint64             resolved_at;
  guint              count;
  gboolean           read;
  gint64             silenced_until;

  guint              http_status;
  char              *api_type;
  char              *api_code;
  char              *reason;
  char              *api_message;
  char              *request_id;
  gint64             retry_after;
  char              *detail;
};

G_DEFINE_FINAL_TYPE (BgptIncident, bgpt_incident, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (BgptIncidentState, bgpt_incident_state,
  G_DEFINE_ENUM_VALUE (BGPT_INCIDENT_STATE_OPEN, "open"),
  G_DEFINE_ENUM_VALUE (BGPT_INCIDENT_STATE_RESOLVED, "resolved"))

enum {
  PROP_0,
  PROP_ID,
  PROP_ACCOUNT_ID,
  PROP_CHECK,
  PROP_ERROR_ID,
  PROP_TITLE,
  PROP_STATE,
  PROP_FIRST_SEEN,
  PROP_LAST_SEEN,
  PROP_RESOLVED_AT,
  PROP_COUNT,
  PROP_READ,
  PROP_SILENCED_UNTIL,
  PROP_HTTP_STATUS,
  PROP_API_TYPE,
  PROP_API_CODE,
  PROP_REASON,
  PROP_API_MESSAGE,
  PROP_REQUEST_ID,
  PROP_RETRY_AFTER,
  PROP_DETAIL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
bgpt_incident_finalize (GObject *object)
{
  BgptIncident *self = BGPT_INCIDENT (object);

  g_free (self->id);
  g_free (self->account_id);
  g_free (self->check);
  g_free (self->error_id);
  g_free (self->api_type);
  g_free (self->api_code);
  g_free (self->reason);
  g_free (self->api_message);
  g_free (self->request_id);
  g_free (self->detail);

  G_OBJECT_CLASS (bgpt_incident_parent_class)->finalize (object);
}

static void
bgpt_incident_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  BgptIncident *self = BGPT_INCIDENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_ACCOUNT_ID:
      g_value_set_string (value, self->account_id);
      break;
    case PROP_CHECK:
      g_value_set_string (value, self->check);
      break;
    case PROP_ERROR_ID:
      g_value_set_string (value, self->error_id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, bgpt_incident_get_title (self));
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_FIRST_SEEN:
      g_value_set_int64 (value, self->first_seen);
      break;
    case PROP_LAST_SEEN:
      g_value_set_int64 (value, self->last_seen);
      break;
    case PROP_RESOLVED_AT:
      g_value_set_int64 (value, self->resolved_at);
      break;
    case PROP_COUNT:
      g_value_set_uint (value, self->count);
      break;
    case PROP_READ:
      g_value_set_boolean (value, self->read);
      break;
    case PROP_SILENCED_UNTIL:
      g_value_set_int64 (value, self->silenced_until);
      break;
    case PROP_HTTP_STATUS:
      g_value_set_uint (value, self->http_status);
      break;
    case PROP_API_TYPE:
      g_value_set_string (value, self->api_type);
      break;
    case PROP_API_CODE:
      g_value_set_string (value, self->api_code);
      break;
    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;
    case PROP_API_MESSAGE:
      g_value_set_string (value, self->api_message);
      break;
    case PROP_REQUEST_ID:
      g_value_set_string (value, self->request_id);
      break;
    case PROP_RETRY_AFTER:
      g_value_set_int64 (value, self->retry_after);
      break;
    case PROP_DETAIL:
      g_value_set_string (value, self->detail);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
string_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL,
                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
}

static GParamSpec *
time_property (const char *name)
{
  return g_param_spec_int64 (name, NULL, NULL, 0, G_MAXINT64, 0,
                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
}

static void
bgpt_incident_class_init (BgptIncidentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = bgpt_incident_finalize;
  object_class->get_property = bgpt_incident_get_property;

  properties[PROP_ID] = string_property ("id");
  properties[PROP_ACCOUNT_ID] = string_property ("account-id");
  properties[PROP_CHECK] = string_property ("check");
  properties[PROP_ERROR_ID] = string_property ("error-id");
  /* Follows the locale; the error id never changes, so neither does it. */
  properties[PROP_TITLE] = string_property ("title");
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       BGPT_TYPE_INCIDENT_STATE, BGPT_INCIDENT_STATE_OPEN, flags);
  properties[PROP_FIRST_SEEN] = time_property ("first-seen");
  properties[PROP_LAST_SEEN] = time_property ("last-seen");
  properties[PROP_RESOLVED_AT] = time_property ("resolved-at");
  properties[PROP_COUNT] =
    g_param_spec_uint ("count", NULL, NULL, 1, G_MAXUINT, 1, flags);
  properties[PROP_READ] =
    g_param_spec_boolean ("read", NULL, NULL, FALSE, flags);
  properties[PROP_SILENCED_UNTIL] = time_property ("silenced-until");
  properties[PROP_HTTP_STATUS] =
    g_param_spec_uint ("http-status", NULL, NULL, 0, 999, 0, flags);
  properties[PROP_API_TYPE] = string_property ("api-type");
  properties[PROP_API_CODE] = string_property ("api-code");
  properties[PROP_REASON] = string_property ("reason");
  properties[PROP_API_MESSAGE] = string_property ("api-message");
  properties[PROP_REQUEST_ID] = string_property ("request-id");
  properties[PROP_RETRY_AFTER] =
    g_param_spec_int64 ("retry-after", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_DETAIL] = string_property ("detail");

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bgpt_incident_init (BgptIncident *self)
{
  self->count = 1;
  self->retry_after = -1;
}

const char *
bgpt_incident_get_id (BgptIncident *self)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT (self), NULL);
  return self->id;
}

const char *
bgpt_incident_get_account_id (BgptIncident *self)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT (self), NULL);
  return self->account_id;
}

const char *
bgpt_incident_get_check (BgptIncident *self)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT (self), NULL);
  return self->check;
}

const char *
bgpt_incident_get_error_id (BgptIncident *self)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT (self), NULL);
  return self->error_id;
}

BgptIncidentState
bgpt_incident_get_state (BgptIncident *self)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT (self), BGPT_INCIDENT_STATE_OPEN);
  return self->state;
}

gboolean
bgpt_incident_is_open (BgptIncident *self)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT (self), FALSE);
  return self->state == BGPT_INCIDENT_STATE_OPEN;
}

gint64
bgpt_incident_get_first_seen (BgptIncident *self)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT (self), 0);
  return self->first_seen;
}

gint64
bgpt_incident_get_last_seen (BgptIncident *self)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT (self), 0);
  return self->last_seen;
}

gint64
bgpt_incident_get_resolved_at (BgptIncident *self)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT (self), 0);
  return self->resolved_at;
}

guint
bgpt_incident_get_count (BgptIncident *self)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT (self), 0);
  return self->count;
}

gboolean
bgpt_incident_get_read (BgptIncident *self)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT (self), FALSE);
  return self->read;
}

gint64
bgpt_incident_get_silenced_until (BgptIncident *self)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT (self), 0);
  return self->silenced_until;
}

/* Silenced "until resolved" ends with the incident; a timed silence ends at
 * its time. @now is Unix time in microseconds. */
gboolean
bgpt_incident_is_silenced (BgptIncident *self,
                           gint64        now)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT (self), FALSE);

  if (self->silenced_until == BGPT_INCIDENT_SILENCE_UNTIL_RESOLVED)
    return self->state == BGPT_INCIDENT_STATE_OPEN;

  return now < self->silenced_until;
}

guint
bgpt_incident_get_http_status (BgptIncident *self)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT (self), 0);
  return self->http_status;
}

const char *
bgpt_incident_get_api_type (BgptIncident *self)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT (self), NULL);
  return self->api_type;
}

const char *
bgpt_incident_get_api_code (BgptIncident *self)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT (self), NULL);
  return self->api_code;
}

const char *
bgpt_incident_get_reason (BgptIncident *self)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT (self), NULL);
  return self->reason;
}

const char *
bgpt_incident_get_cause (BgptIncident *self)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT (self), NULL);
  return bgpt_catalog_entry_cause_for (self->entry, self->reason);
}

const BgptCatalogStep *
bgpt_incident_get_steps (BgptIncident *self,
                         guint        *n_steps)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT (self), NULL);
  return bgpt_catalog_entry_steps_for (self->entry, self->reason, n_steps);
}

const char *
bgpt_incident_get_api_message (BgptIncident *self)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT (self), NULL);
  return self->api_message;
}

const char *
bgpt_incident_get_request_id (BgptIncident *self)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT (self), NULL);
  return self->request_id;
}

gint64
bgpt_incident_get_retry_after (BgptIncident *self)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT (self), -1);
  return self->retry_after;
}

const char *
bgpt_incident_get_detail (BgptIncident *self)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT (self), NULL);
  return self->detail;
}

const BgptCatalogEntry *
bgpt_incident_get_catalog_entry (BgptIncident *self)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT (self), NULL);
  return self->entry;
}

const char *
bgpt_incident_get_title (BgptIncident *self)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT (self), NULL);

  if (self->entry == NULL)
    return self->error_id;

  return bgpt_catalog_entry_title (self->entry);
}

BgptService
bgpt_incident_get_service (BgptIncident *self)
{
  g_return_val_if_fail (BGPT_IS_INCIDENT (self), BGPT_SERVICE_APP);

  if (self->entry == NULL)
    return BGPT_SERVICE_APP;

  return self->entry->service;
}

static char *
format_time (gint64 time)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup ("?");

  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S %z");
}

static void
append_line (GString    *text,
             const char *label,
             const char *value)
{
  if (value == NULL || *value == '\0')
    return;

  g_string_append_printf (text, "%s: %s\n", label, value);
}

char *
bgpt_incident_format_details (BgptIncident *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *first_seen = NULL;
  g_autofree char *last_seen = NULL;
  g_autofree char *resolved_at = NULL;
  g_autofree char *count = NULL;
  g_autofree char *http_status = NULL;
  g_autofree char *retry_after = NULL;

  g_return_val_if_fail (BGPT_IS_INCIDENT (self), NULL);

  first_seen = format_time (self->first_seen);
  last_seen = format_time (self->last_seen);
  count = g_strdup_printf ("%u", self->count);
  if (self->state == BGPT_INCIDENT_STATE_RESOLVED)
    resolved_at = format_time (self->resolved_at);
  if (self->http_status != 0)
    http_status = g_strdup_printf ("%u", self->http_status);
  if (self->retry_after >= 0)
    retry_after = g_strdup_printf ("%" G_GINT64_FORMAT " s", self->retry_after);

  g_string_append_printf (text, "%s\n", bgpt_incident_get_title (self));
  append_line (text, C_("incident details", "Account"), self->account_id);
  append_line (text, C_("incident details", "Check"), self->check);
  append_line (text, C_("incident details", "Error"), self->error_id);
  append_line (text, C_("incident details", "First seen"), first_seen);
  append_line (text, C_("incident details", "Last seen"), last_seen);
  append_line (text, C_("incident details", "Occurrences"), count);
  append_line (text, C_("incident details", "Resolved"), resolved_at);
  append_line (text, C_("incident details", "HTTP status"), http_status);
  append_line (text, C_("incident details", "API error type"), self->api_type);
  append_line (text, C_("incident details", "API error code"), self->api_code);
  append_line (text, C_("incident details", "Reason"), self->reason);
  append_line (text, C_("incident details", "API message"), self->api_message);
  append_line (text, C_("incident details", "Request ID"), self->request_id);
  append_line (text, C_("incident details", "Retry after"), retry_after);
  append_line (text, C_("incident details", "Detail"), self->detail);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Store-only API */

/* Ids, codes and names. */
#define MAX_CODE_BYTES 256
/* Messages and details. */
#define MAX_TEXT_BYTES 2048

static void
set_string (BgptIncident  *self,
            char         **field,
            char          *value,
            guint          prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    {
      g_free (value);
      return;
    }

  g_free (*field);
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/* What is kept of a text from a diagnosis: valid UTF-8 (or the whole file
 * would be refused on the next start), no control characters but newlines
 * and tabs, and at most @max_bytes, so that a full history stays below
 * BGPT_INCIDENT_STORE_MAX_FILE_SIZE however odd the texts. */
static char *
bounded_text (const char *text,
              gsize       max_bytes)
{
  g_autofree char *valid = NULL;
  const char *end;

  if (text == NULL)
    return NULL;

  valid = g_utf8_make_valid (text, -1);

  /* JSON writes a control character in six bytes: keep the file small. */
  for (char *p = valid; *p != '\0'; p++)
    if (((guchar) *p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f)
      *p = ' ';

  if (strlen (valid) <= max_bytes)
    return g_steal_pointer (&valid);

  /* Cut on a character boundary, leaving room for the ellipsis. */
  end = valid + max_bytes - strlen ("…");
  while (end > valid && ((guchar) *end & 0xc0) == 0x80)
    end--;

  return g_strdup_printf ("%.*s…", (int) (end - valid), valid);
}

static void
set_int64 (BgptIncident *self,
           gint64       *field,
           gint64        value,
           guint         prop_id)
{
  if (*field != value)
    {
      *field = value;
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
    }
}

static void
set_uint (BgptIncident *self,
          guint        *field,
          guint         value,
          guint         prop_id)
{
  if (*field != value)
    {
      *field = value;
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
    }
}

static void
set_details (BgptIncident        *self,
             const BgptDiagnosis *diagnosis)
{
  set_uint (self, &self->http_status, MIN (diagnosis->http_status, 999), PROP_HTTP_STATUS);
  set_string (self, &self->api_type, bounded_text (diagnosis->api_type, MAX_CODE_BYTES), PROP_API_TYPE);
  set_string (self, &self->api_code, bounded_text (diagnosis->api_code, MAX_CODE_BYTES), PROP_API_CODE);
  set_string (self, &self->reason, bounded_text (diagnosis->reason, MAX_CODE_BYTES), PROP_REASON);
  set_string (self, &self->api_message, bounded_text (diagnosis->api_message, MAX_TEXT_BYTES), PROP_API_MESSAGE);
  set_string (self, &self->request_id, bounded_text (diagnosis->request_id, MAX_CODE_BYTES), PROP_REQUEST_ID);
  set_int64 (self, &self->retry_after, MAX (diagnosis->retry_after_s, -1), PROP_RETRY_AFTER);
  set_string (self, &self->detail, bounded_text (diagnosis->detail, MAX_TEXT_BYTES), PROP_DETAIL);
}

BgptIncident *
bgpt_incident_new (const char          *account_id,
                   const BgptDiagnosis *diagnosis,
                   gint64               now)
{
  BgptIncident *self;

  g_return_val_if_fail (account_id != NULL, NULL);
  g_return_val_if_fail (diagnosis != NULL, NULL);
  g_return_val_if_fail (diagnosis->check != NULL, NULL);
  g_return_val_if_fail (diagnosis->error_id != NULL, NULL);

  self = g_object_new (BGPT_TYPE_INCIDENT, NULL);
  self->id = g_uuid_string_random ();
  self->account_id = bounded_text (account_id, MAX_CODE_BYTES);
  self->check = bounded_text (diagnosis->check, MAX_CODE_BYTES);
  self->error_id = g_strdup (diagnosis->error_id);
  self->entry = bgpt_catalog_lookup (self->error_id);
  self->first_seen = now;
  self->last_seen = now;
  /* Nobody listens yet: these notifications go nowhere. */
  set_details (self, diagnosis);

  return self;
}

void
bgpt_incident_repeat (BgptIncident        *self,
                      const BgptDiagnosis *diagnosis,
                      gint64               now)
{
  g_return_if_fail (BGPT_IS_INCIDENT (self));
  g_return_if_fail (diagnosis != NULL);

  g_object_freeze_notify (G_OBJECT (self));
  if (self->count < G_MAXUINT)
    set_uint (self, &self->count, self->count + 1, PROP_COUNT);
  set_int64 (self, &self->last_seen, MAX (now, self->last_seen), PROP_LAST_SEEN);
  set_details (self, diagnosis);
  g_object_thaw_notify (G_OBJECT (self));
}

void
bgpt_incident_resolve (BgptIncident *self,
                       gint64        now)
{
  g_return_if_fail (BGPT_IS_INCIDENT (self));

  if (self->state == BGPT_INCIDENT_STATE_RESOLVED)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  self->state = BGPT_INCIDENT_STATE_RESOLVED;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  set_int64 (self, &self->resolved_at, MAX (now, self->last_seen), PROP_RESOLVED_AT);
  g_object_thaw_notify (G_OBJECT (self));
}

void
bgpt_incident_set_read (BgptIncident *self,
                        gboolean      read)
{
  g_return_if_fail (BGPT_IS_INCIDENT (self));

  read = !!read;
  if (self->read != read)
    {
      self->read = read;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ]);
    }
}

void
bgpt_incident_set_silenced_until (BgptIncident *self,
                                  gint64        until)
{
  g_return_if_fail (BGPT_IS_INCIDENT (self));

  set_int64 (self, &self->silenced_until, MAX (until, 0), PROP_SILENCED_UNTIL);
}

/* Serialization: the fields of one element of incidents.json. Times are
 * integers, Unix time in microseconds. */

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

void
bgpt_incident_to_json (BgptIncident *self,
                       JsonBuilder  *builder)
{
  g_return_if_fail (BGPT_IS_INCIDENT (self));

  json_builder_begin_object (builder);
  bgpt_json_builder_add_string_or_null (builder, "id", self->id);
  bgpt_json_builder_add_string_or_null (builder, "account", self->account_id);
  bgpt_json_builder_add_string_or_null (builder, "check", self->check);
  bgpt_json_builder_add_string_or_null (builder, "error", self->error_id);
  bgpt_json_builder_add_string_or_null (builder, "state",
              self->state == BGPT_INCIDENT_STATE_OPEN ? "open" : "resolved");
  add_int (builder, "first_seen", self->first_seen);
  add_int (builder, "last_seen", self->last_seen);
  add_int (builder, "resolved_at", self->resolved_at);
  add_int (builder, "count", self->count);
  json_builder_set_member_name (builder, "read");
  json_builder_add_boolean_value (builder, self->read);
  add_int (builder, "silenced_until", self->silenced_until);
  add_int (builder, "http_status", self->http_status);
  bgpt_json_builder_add_string_or_null (builder, "api_type", self->api_type);
  bgpt_json_builder_add_string_or_null (builder, "api_code", self->api_code);
  bgpt_json_builder_add_string_or_null (builder, "reason", self->reason);
  bgpt_json_builder_add_string_or_null (builder, "api_message", self->api_message);
  bgpt_json_builder_add_string_or_null (builder, "request_id", self->request_id);
  add_int (builder, "retry_after_s", self->retry_after);
  bgpt_json_builder_add_string_or_null (builder, "detail", self->detail);
  json_builder_end_object (builder);
}

static void
remask (char **text)
{
  char *masked;

  if (*text == NULL)
    return;
  masked = bgpt_scrub (*text, NULL);
  g_free (*text);
  *text = masked;
}

typedef enum
{
  FIELD_REQUIRED,
  FIELD_OPTIONAL,
} FieldPresence;

/* The longest string field we accept: far above any real id or message. */
#define MAX_FIELD_LENGTH 16384

static gboolean
read_string (JsonObject     *object,
             const char     *name,
             FieldPresence   presence,
             char          **out)
{
  JsonNode *node = json_object_get_member (object, name);
  const char *value;

  *out = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return presence == FIELD_OPTIONAL;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;

  value = json_node_get_string (node);
  if (value == NULL || strlen (value) > MAX_FIELD_LENGTH || !g_utf8_validate (value, -1, NULL))
    return FALSE;
  if (presence == FIELD_REQUIRED && *value == '\0')
    return FALSE;

  *out = g_strdup (value);
  return TRUE;
}

static gboolean
read_int (JsonObject    *object,
          const char    *name,
          FieldPresence  presence,
          gint64         min,
          gint64         max,
          gint64         fallback,
          gint64        *out)
{
  JsonNode *node = json_object_get_member (object, name);
  gint64 value;

  *out = fallback;

  if (node == NULL)
    return presence == FIELD_OPTIONAL;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;

  value = json_node_get_int (node);
  if (value < min || value > max)
    return FALSE;

  *out = value;
  return TRUE;
}

static gboolean
read_boolean (JsonObject *object,
              const char *name,
              gboolean   *out)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = FALSE;

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return FALSE;

  *out = json_node_get_boolean (node);
  return TRUE;
}

BgptIncident *
bgpt_incident_new_from_json (JsonObject  *object,
                             const char **reason)
{
  g_autoptr(BgptIncident) self = g_object_new (BGPT_TYPE_INCIDENT, NULL);
  g_autofree char *state = NULL;
  gint64 count;
  gint64 http_status;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (reason != NULL, NULL);

  *reason = NULL;

#define FAIL(why) G_STMT_START { *reason = (why); return NULL; } G_STMT_END

  if (!read_string (object, "id", FIELD_REQUIRED, &self->id))
    FAIL ("bad id");
  if (!read_string (object, "account", FIELD_REQUIRED, &self->account_id))
    FAIL ("bad account");
  if (!read_string (object, "check", FIELD_REQUIRED, &self->check))
    FAIL ("bad check");
  if (!read_string (object, "error", FIELD_REQUIRED, &self->error_id))
    FAIL ("bad error id");
  self->entry = bgpt_catalog_lookup (self->error_id);
  if (self->entry == NULL)
    FAIL ("error id not in the catalog");

  if (!read_string (object, "state", FIELD_REQUIRED, &state))
    FAIL ("bad state");
  if (g_str_equal (state, "open"))
    self->state = BGPT_INCIDENT_STATE_OPEN;
  else if (g_str_equal (state, "resolved"))
    self->state = BGPT_INCIDENT_STATE_RESOLVED;
  else
    FAIL ("unknown state");

  if (!read_int (object, "first_seen", FIELD_REQUIRED, 1, G_MAXINT64, 0, &self->first_seen))
    FAIL ("bad first_seen");
  if (!read_int (object, "last_seen", FIELD_REQUIRED, self->first_seen, G_MAXINT64, 0, &self->last_seen))
    FAIL ("bad last_seen");
  if (!read_int (object, "resolved_at", FIELD_OPTIONAL, 0, G_MAXINT64, 0, &self->resolved_at))
    FAIL ("bad resolved_at");
  if (self->state == BGPT_INCIDENT_STATE_OPEN)
    self->resolved_at = 0;
  else if (self->resolved_at == 0)
    self->resolved_at = self->last_seen;
  if (!read_int (object, "count", FIELD_REQUIRED, 1, G_MAXUINT, 1, &count))
    FAIL ("bad count");
  self->count = count;
  if (!read_boolean (object, "read", &self->read))
    FAIL ("bad read");
  if (!read_int (object, "silenced_until", FIELD_OPTIONAL, 0, G_MAXINT64, 0, &self->silenced_until))
    FAIL ("bad silenced_until");

  if (!read_int (object, "http_status", FIELD_OPTIONAL, 0, 999, 0, &http_status))
    FAIL ("bad http_status");
  self->http_status = http_status;
  if (!read_string (object, "api_type", FIELD_OPTIONAL, &self->api_type))
    FAIL ("bad api_type");
  if (!read_string (object, "api_code", FIELD_OPTIONAL, &self->api_code))
    FAIL ("bad api_code");
  if (!read_string (object, "reason", FIELD_OPTIONAL, &self->reason))
    FAIL ("bad reason");
  if (!read_string (object, "api_message", FIELD_OPTIONAL, &self->api_message))
    FAIL ("bad api_message");
  if (!read_string (object, "request_id", FIELD_OPTIONAL, &self->request_id))
    FAIL ("bad request_id");
  if (!read_int (object, "retry_after_s", FIELD_OPTIONAL, -1, G_MAXINT64, -1, &self->retry_after))
    FAIL ("bad retry_after_s");
  if (!read_string (object, "detail", FIELD_OPTIONAL, &self->detail))
    FAIL ("bad detail");

  /* A history written before the API's masked echo (sk-ab***wxyz) was
   * shown as the app's own mask may still hold it. */
  remask (&self->api_message);
  remask (&self->detail);

#undef FAIL

  return g_steal_pointer (&self);
}
