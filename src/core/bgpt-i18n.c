/* bgpt-i18n.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-i18n"

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "bgpt-i18n.h"

void
bgpt_i18n_init (void)
{
  const char *localedir = g_getenv ("BGPT_LOCALEDIR");

  if (localedir == NULL || *localedir == '\0')
    localedir = LOCALEDIR;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
