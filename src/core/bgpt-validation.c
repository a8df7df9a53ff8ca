/* bgpt-validation.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-validation"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "bgpt-validation.h"

#define MAX_LABEL_LENGTH        63
#define MAX_SECRET_LENGTH       512
#define MAX_MODEL_LENGTH        128
#define MIN_ASSISTANT_ID_CHARS  8
#define MAX_ASSISTANT_ID_CHARS  64
/* Longer than any address someone pastes on purpose. */
#define MAX_INPUT_LENGTH        2048

G_DEFINE_QUARK (bgpt-validation-error-quark, bgpt_validation_error)

/* Hosts of Kommo accounts, including legacy amoCRM ones (docs/providers.md).
 * The first is the default, for a bare subdomain. */
static const char * const kommo_domains[] = {
  ".kommo.com",
  ".amocrm.com",
  ".amocrm.ru",
};
#define KOMMO_DEFAULT_DOMAIN (kommo_domains[0])

static gboolean
is_dns_label (const char *label)
{
  gsize length = strlen (label);

  if (length == 0 || length > MAX_LABEL_LENGTH)
    return FALSE;
  if (label[0] == '-' || label[length - 1] == '-')
    return FALSE;

  for (const char *p = label; *p != '\0'; p++)
    {
      if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '-'))
        return FALSE;
    }

  return TRUE;
}

/* Also keeps GUri from turning an international name into punycode. */
static gboolean
is_printable_ascii (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x21 || (guchar) *p > 0x7e)
        return FALSE;
    }
  return TRUE;
}

static void
set_subdomain_error (GError **error)
{
  g_set_error_literal (error, BGPT_VALIDATION_ERROR, BGPT_VALIDATION_ERROR_SUBDOMAIN,
                       _("Enter the Kommo subdomain: the first part of the address, "
                         "like “mycompany” in mycompany.kommo.com. It may contain "
                         "only letters, digits and hyphens, up to 63 characters."));
}

/* The subdomain of @input, and in @domain which of kommo_domains it is on. */
static char *
parse_kommo_address (const char  *input,
                     const char **domain,
                     GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *address = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *host = NULL;
  const char *scheme;

  if (input == NULL || strlen (input) > MAX_INPUT_LENGTH ||
      !g_utf8_validate (input, -1, NULL))
    {
      set_subdomain_error (error);
      return NULL;
    }

  trimmed = g_strstrip (g_ascii_strdown (input, -1));
  if (*trimmed == '\0' || !is_printable_ascii (trimmed))
    {
      set_subdomain_error (error);
      return NULL;
    }

  /* A pasted address, with or without its scheme, is read for its host. */
  if (strstr (trimmed, "://") != NULL)
    address = g_strdup (trimmed);
  else
    address = g_strconcat ("https://", trimmed, NULL);

  uri = g_uri_parse (address, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_userinfo (uri) != NULL ||
      g_uri_get_port (uri) != -1 ||
      !(g_strcmp0 (scheme, "https") == 0 || g_strcmp0 (scheme, "http") == 0))
    {
      set_subdomain_error (error);
      return NULL;
    }

  host = g_strdup (g_uri_get_host (uri));
  *domain = KOMMO_DEFAULT_DOMAIN;
  if (strchr (host, '.') != NULL)
    {
      gboolean known = FALSE;

      for (gsize i = 0; i < G_N_ELEMENTS (kommo_domains); i++)
        {
          if (g_str_has_suffix (host, kommo_domains[i]))
            {
              host[strlen (host) - strlen (kommo_domains[i])] = '\0';
              *domain = kommo_domains[i];
              known = TRUE;
              break;
            }
        }

      if (!known)
        {
          g_set_error_literal (error, BGPT_VALIDATION_ERROR, BGPT_VALIDATION_ERROR_SUBDOMAIN,
                               _("This is not a Kommo address. Enter the subdomain, like "
                                 "“mycompany” in mycompany.kommo.com, or paste an address "
                                 "on kommo.com or amocrm."));
          return NULL;
        }
    }

  if (!is_dns_label (host))
    {
      set_subdomain_error (error);
      return NULL;
    }

  return g_steal_pointer (&host);
}

char *
bgpt_kommo_account_host (const char  *input,
                         GError     **error)
{
  const char *domain = NULL;
  g_autofree char *subdomain = parse_kommo_address (input, &domain, error);

  if (subdomain == NULL)
    return NULL;
  return g_strconcat (subdomain, domain, NULL);
}

char *
bgpt_normalize_kommo_subdomain (const char  *input,
                                GError     **error)
{
  g_autofree char *host = bgpt_kommo_account_host (input, error);

  if (host == NULL)
    return NULL;

  /* Settings have always held the bare subdomain for kommo.com: keep that
   * form, and the whole host only where the domain is another one. */
  if (g_str_has_suffix (host, KOMMO_DEFAULT_DOMAIN))
    host[strlen (host) - strlen (KOMMO_DEFAULT_DOMAIN)] = '\0';
  return g_steal_pointer (&host);
}

gboolean
bgpt_validate_secret (const char  *secret,
                      GError     **error)
{
  gsize length = secret != NULL ? strlen (secret) : 0;

  if (length == 0)
    {
      g_set_error_literal (error, BGPT_VALIDATION_ERROR, BGPT_VALIDATION_ERROR_SECRET,
                           _("The key or token is empty. Paste it again."));
      return FALSE;
    }

  if (length > MAX_SECRET_LENGTH)
    {
      g_set_error_literal (error, BGPT_VALIDATION_ERROR, BGPT_VALIDATION_ERROR_SECRET,
                           _("The key or token is longer than 512 characters. Make sure "
                             "only the key was copied."));
      return FALSE;
    }

  for (const char *p = secret; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x21 || (guchar) *p > 0x7e)
        {
          g_set_error_literal (error, BGPT_VALIDATION_ERROR, BGPT_VALIDATION_ERROR_SECRET,
                               _("The key or token contains spaces, line breaks or other "
                                 "characters that cannot be part of it. Copy it again "
                                 "without them."));
          return FALSE;
        }
    }

  return TRUE;
}

gboolean
bgpt_validate_admin_key (const char  *admin_key,
                         GError     **error)
{
  if (!bgpt_validate_secret (admin_key, error))
    return FALSE;

  /* Only an admin key reads the organization's costs (docs/providers.md). */
  if (!g_str_has_prefix (admin_key, "sk-admin-"))
    {
      g_set_error_literal (error, BGPT_VALIDATION_ERROR, BGPT_VALIDATION_ERROR_SECRET,
                           _("This is not an OpenAI admin key: admin keys start with "
                             "“sk-admin-”. A project key cannot read the organization’s "
                             "costs; create an admin key on the OpenAI admin keys page."));
      return FALSE;
    }

  return TRUE;
}

gboolean
bgpt_validate_assistant_id (const char  *assistant_id,
                            GError     **error)
{
  gsize n_chars = 0;

  if (assistant_id != NULL && g_str_has_prefix (assistant_id, "asst_"))
    {
      const char *p;

      for (p = assistant_id + strlen ("asst_"); g_ascii_isalnum (*p); p++)
        n_chars++;

      if (*p == '\0' &&
          n_chars >= MIN_ASSISTANT_ID_CHARS && n_chars <= MAX_ASSISTANT_ID_CHARS)
        return TRUE;
    }

  g_set_error_literal (error, BGPT_VALIDATION_ERROR, BGPT_VALIDATION_ERROR_ASSISTANT_ID,
                       _("An assistant ID starts with “asst_” followed by 8 to 64 "
                         "letters and digits, like asst_abc123DEF456ghi789."));
  return FALSE;
}

gboolean
bgpt_validate_model (const char  *model,
                     GError     **error)
{
  gsize length = model != NULL ? strlen (model) : 0;

  if (length == 0)
    {
      g_set_error_literal (error, BGPT_VALIDATION_ERROR, BGPT_VALIDATION_ERROR_MODEL,
                           _("Enter the name of the model, exactly as ByteGPT uses it."));
      return FALSE;
    }

  if (length <= MAX_MODEL_LENGTH &&
      strspn (model, "abcdefghijklmnopqrstuvwxyz"
                     "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                     "0123456789._:-") == length)
    return TRUE;

  g_set_error_literal (error, BGPT_VALIDATION_ERROR, BGPT_VALIDATION_ERROR_MODEL,
                       _("A model name may contain only letters, digits, dots, colons, "
                         "hyphens and underscores, up to 128 characters."));
  return FALSE;
}

static gboolean
is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

gboolean
bgpt_validate_base_url (const char  *url,
                        GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  /* GUri lets white space through in a path; an address never has any. */
  if (url != NULL && strlen (url) <= MAX_INPUT_LENGTH && is_printable_ascii (url))
    uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  host = uri != NULL ? g_uri_get_host (uri) : NULL;
  if (uri == NULL || host == NULL || *host == '\0')
    {
      g_set_error_literal (error, BGPT_VALIDATION_ERROR, BGPT_VALIDATION_ERROR_BASE_URL,
                           _("Enter a full address that starts with https://, like "
                             "https://api.openai.com/v1."));
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") == 0)
    {
      if (!is_loopback_host (host))
        {
          g_set_error_literal (error, BGPT_VALIDATION_ERROR, BGPT_VALIDATION_ERROR_BASE_URL,
                               _("A plain http:// address is allowed only for this "
                                 "computer (localhost). Use an https:// address."));
          return FALSE;
        }
    }
  else if (g_ascii_strcasecmp (scheme, "https") != 0)
    {
      g_set_error_literal (error, BGPT_VALIDATION_ERROR, BGPT_VALIDATION_ERROR_BASE_URL,
                           _("The address must start with https://, like "
                             "https://api.openai.com/v1."));
      return FALSE;
    }

  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error_literal (error, BGPT_VALIDATION_ERROR, BGPT_VALIDATION_ERROR_BASE_URL,
                           _("The address must not contain a user name or password."));
      return FALSE;
    }

  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error_literal (error, BGPT_VALIDATION_ERROR, BGPT_VALIDATION_ERROR_BASE_URL,
                           _("The address must not contain a query (after “?”) or a "
                             "fragment (after “#”)."));
      return FALSE;
    }

  return TRUE;
}

gboolean
bgpt_base_url_is_unencrypted (const char *url)
{
  return url != NULL && g_ascii_strncasecmp (url, "http://", strlen ("http://")) == 0;
}
