/* bgpt-process.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-process"

#include "config.h"

#include <errno.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "bgpt-process.h"

void
bgpt_process_forbid_core_dumps (void)
{
  struct rlimit none = { 0, 0 };

  if (g_strcmp0 (g_getenv (BGPT_ALLOW_CORE_DUMPS_ENV), "1") == 0)
    {
      g_debug ("Core dumps allowed by %s", BGPT_ALLOW_CORE_DUMPS_ENV);
      return;
    }

  if (prctl (PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
    g_warning ("Could not make the process undumpable: %s", g_strerror (errno));
  if (setrlimit (RLIMIT_CORE, &none) != 0)
    g_warning ("Could not turn core dumps off: %s", g_strerror (errno));
}

const char * const *
bgpt_process_override_variables (void)
{
  static const char * const names[] = {
    "OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_ADMIN_KEY",
    "BYTEGPT_ASSISTANT_ID", "BYTEGPT_MODEL", "BYTEGPT_MONTHLY_BUDGET_USD",
    "KOMMO_SUBDOMAIN", "KOMMO_TOKEN", "KOMMO_BASE_URL",
    NULL,
  };

  return names;
}

void
bgpt_process_clean_launch_context (GAppLaunchContext *context)
{
  const char * const *names = bgpt_process_override_variables ();

  g_return_if_fail (G_IS_APP_LAUNCH_CONTEXT (context));

  for (gsize i = 0; names[i] != NULL; i++)
    g_app_launch_context_unsetenv (context, names[i]);
}

void
bgpt_process_unset_override_variables (void)
{
  const char * const *names = bgpt_process_override_variables ();

  for (gsize i = 0; names[i] != NULL; i++)
    g_unsetenv (names[i]);
}
