/* bgpt-account.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-account"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "bgpt-account.h"

struct _BgptAccount
{
  GObject    parent_instance;

  char      *id;
  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (BgptAccount, bgpt_account, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_SETTINGS,
  PROP_TITLE,
  /* From here on, each property is one settings key (setting_keys). */
  PROP_DISPLAY_NAME,
  PROP_KOMMO_SUBDOMAIN,
  PROP_KOMMO_BASE_URL,
  PROP_OPENAI_BASE_URL,
  PROP_ASSISTANT_ID,
  PROP_MODEL,
  N_PROPS
};

#define FIRST_SETTING_PROP PROP_DISPLAY_NAME

static GParamSpec *properties[N_PROPS];

static const char * const setting_keys[N_PROPS] = {
  [PROP_DISPLAY_NAME] = "display-name",
  [PROP_KOMMO_SUBDOMAIN] = "kommo-subdomain",
  [PROP_KOMMO_BASE_URL] = "kommo-base-url",
  [PROP_OPENAI_BASE_URL] = "openai-base-url",
  [PROP_ASSISTANT_ID] = "assistant-id",
  [PROP_MODEL] = "model",
};

gboolean
bgpt_account_id_is_valid (const char *account_id)
{
  gsize length;

  if (account_id == NULL)
    return FALSE;

  length = strlen (account_id);
  if (length == 0 || length > BGPT_ACCOUNT_ID_MAX_LENGTH || account_id[0] == '-')
    return FALSE;

  for (const char *p = account_id; *p != '\0'; p++)
    {
      if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '-'))
        return FALSE;
    }

  return !g_str_equal (account_id, BGPT_ACCOUNT_RESERVED_ID);
}

const char *
bgpt_account_id_explain_invalid (const char *account_id)
{
  if (g_strcmp0 (account_id, BGPT_ACCOUNT_RESERVED_ID) == 0)
    return _("The account id “demo” is kept for the demo: choose another one.");
  return _("An account id is 1 to 32 lower-case letters, digits and hyphens.");
}

static void
on_settings_changed (GSettings   *settings,
                     const char  *key,
                     BgptAccount *self)
{
  for (guint prop = FIRST_SETTING_PROP; prop < N_PROPS; prop++)
    {
      if (g_strcmp0 (key, setting_keys[prop]) != 0)
        continue;

      g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
      if (prop == PROP_DISPLAY_NAME)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
      return;
    }
}

static void
bgpt_account_constructed (GObject *object)
{
  BgptAccount *self = BGPT_ACCOUNT (object);
  g_autofree char *path = NULL;

  G_OBJECT_CLASS (bgpt_account_parent_class)->constructed (object);

  g_assert (bgpt_account_id_is_valid (self->id));

  path = g_strconcat (BGPT_ACCOUNT_PATH_PREFIX, self->id, "/", NULL);
  self->settings = g_settings_new_with_path (BGPT_ACCOUNT_SCHEMA_ID, path);
  g_signal_connect_object (self->settings, "changed",
                           G_CALLBACK (on_settings_changed), self, 0);
}

static void
bgpt_account_dispose (GObject *object)
{
  BgptAccount *self = BGPT_ACCOUNT (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (bgpt_account_parent_class)->dispose (object);
}

static void
bgpt_account_finalize (GObject *object)
{
  BgptAccount *self = BGPT_ACCOUNT (object);

  g_free (self->id);

  G_OBJECT_CLASS (bgpt_account_parent_class)->finalize (object);
}

static void
bgpt_account_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  BgptAccount *self = BGPT_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_TITLE:
      g_value_take_string (value, bgpt_account_dup_title (self));
      break;

    case PROP_DISPLAY_NAME:
    case PROP_KOMMO_SUBDOMAIN:
    case PROP_KOMMO_BASE_URL:
    case PROP_OPENAI_BASE_URL:
    case PROP_ASSISTANT_ID:
    case PROP_MODEL:
      g_value_take_string (value, g_settings_get_string (self->settings, setting_keys[prop_id]));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bgpt_account_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  BgptAccount *self = BGPT_ACCOUNT (object);
  const char *text;

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;

    case PROP_DISPLAY_NAME:
    case PROP_KOMMO_SUBDOMAIN:
    case PROP_KOMMO_BASE_URL:
    case PROP_OPENAI_BASE_URL:
    case PROP_ASSISTANT_ID:
    case PROP_MODEL:
      /* The notification comes from GSettings' "changed", so that a
       * change made elsewhere notifies the same way. */
      text = g_value_get_string (value);
      g_settings_set_string (self->settings, setting_keys[prop_id], text != NULL ? text : "");
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bgpt_account_class_init (BgptAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = bgpt_account_constructed;
  object_class->dispose = bgpt_account_dispose;
  object_class->finalize = bgpt_account_finalize;
  object_class->get_property = bgpt_account_get_property;
  object_class->set_property = bgpt_account_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  for (guint prop = FIRST_SETTING_PROP; prop < N_PROPS; prop++)
    properties[prop] =
      g_param_spec_string (setting_keys[prop], NULL, NULL, NULL,
                           G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bgpt_account_init (BgptAccount *self)
{
}

BgptAccount *
bgpt_account_new (const char *account_id)
{
  g_return_val_if_fail (bgpt_account_id_is_valid (account_id), NULL);

  return g_object_new (BGPT_TYPE_ACCOUNT, "id", account_id, NULL);
}

const char *
bgpt_account_get_id (BgptAccount *self)
{
  g_return_val_if_fail (BGPT_IS_ACCOUNT (self), NULL);

  return self->id;
}

GSettings *
bgpt_account_get_settings (BgptAccount *self)
{
  g_return_val_if_fail (BGPT_IS_ACCOUNT (self), NULL);

  return self->settings;
}

char *
bgpt_account_dup_title (BgptAccount *self)
{
  g_autofree char *display_name = NULL;

  g_return_val_if_fail (BGPT_IS_ACCOUNT (self), NULL);

  display_name = g_settings_get_string (self->settings, "display-name");
  g_strstrip (display_name);
  if (*display_name == '\0')
    return g_strdup (self->id);
  return g_steal_pointer (&display_name);
}

static char *
dup_setting (BgptAccount *self,
             guint        prop)
{
  g_return_val_if_fail (BGPT_IS_ACCOUNT (self), NULL);

  return g_settings_get_string (self->settings, setting_keys[prop]);
}

static void
set_setting (BgptAccount *self,
             guint        prop,
             const char  *text)
{
  g_return_if_fail (BGPT_IS_ACCOUNT (self));

  g_settings_set_string (self->settings, setting_keys[prop], text != NULL ? text : "");
}

char *
bgpt_account_dup_display_name (BgptAccount *self)
{
  return dup_setting (self, PROP_DISPLAY_NAME);
}

void
bgpt_account_set_display_name (BgptAccount *self,
                               const char  *display_name)
{
  set_setting (self, PROP_DISPLAY_NAME, display_name);
}

char *
bgpt_account_dup_kommo_subdomain (BgptAccount *self)
{
  return dup_setting (self, PROP_KOMMO_SUBDOMAIN);
}

void
bgpt_account_set_kommo_subdomain (BgptAccount *self,
                                  const char  *subdomain)
{
  set_setting (self, PROP_KOMMO_SUBDOMAIN, subdomain);
}

char *
bgpt_account_dup_kommo_base_url (BgptAccount *self)
{
  return dup_setting (self, PROP_KOMMO_BASE_URL);
}

void
bgpt_account_set_kommo_base_url (BgptAccount *self,
                                 const char  *url)
{
  set_setting (self, PROP_KOMMO_BASE_URL, url);
}

char *
bgpt_account_dup_openai_base_url (BgptAccount *self)
{
  return dup_setting (self, PROP_OPENAI_BASE_URL);
}

void
bgpt_account_set_openai_base_url (BgptAccount *self,
                                  const char  *url)
{
  set_setting (self, PROP_OPENAI_BASE_URL, url);
}

char *
bgpt_account_dup_assistant_id (BgptAccount *self)
{
  return dup_setting (self, PROP_ASSISTANT_ID);
}

void
bgpt_account_set_assistant_id (BgptAccount *self,
                               const char  *assistant_id)
{
  set_setting (self, PROP_ASSISTANT_ID, assistant_id);
}

char *
bgpt_account_dup_model (BgptAccount *self)
{
  return dup_setting (self, PROP_MODEL);
}

void
bgpt_account_set_model (BgptAccount *self,
                        const char  *model)
{
  set_setting (self, PROP_MODEL, model);
}

void
bgpt_account_set_spending (BgptAccount *self,
                           const char  *project_id,
                           double       budget_usd,
                           guint        warning_percent,
                           guint        critical_percent)
{
  guint32 thresholds[2] = { warning_percent, critical_percent };

  g_return_if_fail (BGPT_IS_ACCOUNT (self));

  g_settings_set_string (self->settings, "openai-project-id", project_id != NULL ? project_id : "");
  g_settings_set_double (self->settings, "monthly-budget-usd", CLAMP (budget_usd, 0, 1e7));
  g_settings_set_value (self->settings, "budget-thresholds",
                        g_variant_new_fixed_array (G_VARIANT_TYPE_UINT32, thresholds, G_N_ELEMENTS (thresholds),
                                                   sizeof (guint32)));
}

void
bgpt_account_reset (BgptAccount *self)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_return_if_fail (BGPT_IS_ACCOUNT (self));

  /* Every key of the schema, not only the ones this version knows, so that
   * nothing of a forgotten account stays behind. */
  g_object_get (self->settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (self->settings, keys[i]);
}
