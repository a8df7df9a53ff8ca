/* bgpt-format.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-format"

#include "config.h"

#include <glib/gi18n.h>

#include "bgpt-format.h"

char *
bgpt_format_relative_time (GDateTime *then,
                           GDateTime *now)
{
  g_autoptr(GDateTime) local_now = NULL;
  GTimeSpan span;
  gint64 n;

  if (then == NULL)
    return NULL;

  if (now == NULL)
    now = local_now = g_date_time_new_now_local ();

  span = g_date_time_difference (now, then);
  if (span < G_TIME_SPAN_MINUTE)
    return g_strdup (_("just now"));

  if (span < G_TIME_SPAN_HOUR)
    {
      n = span / G_TIME_SPAN_MINUTE;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute ago", "%d minutes ago", n), (int) n);
    }

  if (span < G_TIME_SPAN_DAY)
    {
      n = span / G_TIME_SPAN_HOUR;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour ago", "%d hours ago", n), (int) n);
    }

  n = span / G_TIME_SPAN_DAY;
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day ago", "%d days ago", n), (int) n);
}

char *
bgpt_format_latency (gint64 elapsed_ms)
{
  if (elapsed_ms < 0)
    return NULL;
  if (elapsed_ms < 1000)
    /* Translators: a response time in milliseconds */
    return g_strdup_printf (_("%d ms"), (int) elapsed_ms);
  /* Translators: a response time in seconds */
  return g_strdup_printf (_("%.1f s"), elapsed_ms / 1000.0);
}

char *
bgpt_format_date_time (GDateTime *when)
{
  g_autoptr(GDateTime) local = NULL;

  if (when == NULL)
    return NULL;

  local = g_date_time_to_local (when);
  /* Translators: a date and time as in g_date_time_format(), e.g. "%d/%m/%Y %H:%M" */
  return g_date_time_format (local, _("%Y-%m-%d %H:%M"));
}

const char *
bgpt_format_service_name (BgptService service)
{
  switch (service)
    {
    case BGPT_SERVICE_OPENAI:
      return "OpenAI";
    case BGPT_SERVICE_KOMMO:
      return "Kommo";
    case BGPT_SERVICE_APP:
    default:
      return _("ByteGPT Monitor");
    }
}

const char *
bgpt_format_state_label (BgptCheckItemState state)
{
  switch (state)
    {
    case BGPT_CHECK_ITEM_NOT_CONFIGURED:
      return _("Not configured");
    case BGPT_CHECK_ITEM_CHECKING:
      return _("Checking…");
    case BGPT_CHECK_ITEM_OK:
      return _("Working");
    case BGPT_CHECK_ITEM_PROBLEM:
      return _("Problem");
    case BGPT_CHECK_ITEM_BLOCKED:
      return _("Waiting");
    case BGPT_CHECK_ITEM_UNKNOWN:
    default:
      return _("Unknown");
    }
}

const char *
bgpt_format_state_icon (BgptCheckItemState state)
{
  switch (state)
    {
    case BGPT_CHECK_ITEM_NOT_CONFIGURED:
      return "action-unavailable-symbolic";
    case BGPT_CHECK_ITEM_CHECKING:
      return "content-loading-symbolic";
    case BGPT_CHECK_ITEM_OK:
      return "object-select-symbolic";
    case BGPT_CHECK_ITEM_PROBLEM:
      return "dialog-error-symbolic";
    case BGPT_CHECK_ITEM_BLOCKED:
      return "media-playback-pause-symbolic";
    case BGPT_CHECK_ITEM_UNKNOWN:
    default:
      return "dialog-question-symbolic";
    }
}

const char *
bgpt_format_state_css (BgptCheckItemState state)
{
  switch (state)
    {
    case BGPT_CHECK_ITEM_OK:
      return "status-ok";
    case BGPT_CHECK_ITEM_PROBLEM:
      return "status-problem";
    case BGPT_CHECK_ITEM_NOT_CONFIGURED:
    case BGPT_CHECK_ITEM_CHECKING:
    case BGPT_CHECK_ITEM_BLOCKED:
    case BGPT_CHECK_ITEM_UNKNOWN:
    default:
      return "status-unknown";
    }
}
