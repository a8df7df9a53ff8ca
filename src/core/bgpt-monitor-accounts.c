/* bgpt-monitor-accounts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-monitor"

#include "config.h"

#include "bgpt-monitor-accounts.h"

#define FOLLOWER_KEY "bgpt-monitor-accounts"

typedef struct
{
  BgptMonitor      *monitor;    /* weak: the follower lives in its data */
  BgptAccountStore *accounts;
  BgptSecretStore  *secrets;
  GCancellable     *cancellable;
  gulong            changed_id;
  gboolean          check_when_loaded;
} Follower;

static void
follower_free (Follower *follower)
{
  if (follower->cancellable != NULL)
    g_cancellable_cancel (follower->cancellable);
  g_clear_object (&follower->cancellable);
  g_clear_signal_handler (&follower->changed_id, follower->accounts);
  g_clear_object (&follower->accounts);
  g_clear_object (&follower->secrets);
  g_free (follower);
}

static void
on_configs_loaded (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  BgptMonitor *monitor = user_data;
  Follower *follower = g_object_get_data (G_OBJECT (monitor), FOLLOWER_KEY);
  g_autoptr(GPtrArray) configs = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) watched = NULL;

  configs = bgpt_account_store_load_all_check_configs_finish (BGPT_ACCOUNT_STORE (source),
                                                               result, &error);
  if (configs == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not load the accounts to monitor: %s", error->message);
      g_object_unref (monitor);
      return;
    }

  watched = bgpt_monitor_dup_account_ids (monitor);
  for (guint i = 0; watched[i] != NULL; i++)
    {
      gboolean kept = FALSE;

      for (guint j = 0; j < configs->len && !kept; j++)
        kept = g_strcmp0 (((BgptCheckConfig *) g_ptr_array_index (configs, j))->account_id,
                          watched[i]) == 0;
      if (!kept)
        bgpt_monitor_remove_account (monitor, watched[i]);
    }
  for (guint j = 0; j < configs->len; j++)
    bgpt_monitor_set_account (monitor, g_ptr_array_index (configs, j));

  if (follower != NULL && follower->check_when_loaded)
    {
      follower->check_when_loaded = FALSE;
      bgpt_monitor_confirm_now (monitor, NULL);
    }
  g_object_unref (monitor);
}

static void
follower_load (Follower *follower)
{
  if (follower->cancellable != NULL)
    g_cancellable_cancel (follower->cancellable);
  g_clear_object (&follower->cancellable);
  follower->cancellable = g_cancellable_new ();

  bgpt_account_store_load_all_check_configs_async (follower->accounts, follower->secrets,
                                                   follower->cancellable, on_configs_loaded,
                                                   g_object_ref (follower->monitor));
}

static void
on_accounts_changed (BgptAccountStore *accounts,
                     Follower         *follower)
{
  follower_load (follower);
}

void
bgpt_monitor_follow_accounts (BgptMonitor      *monitor,
                              BgptAccountStore *accounts,
                              BgptSecretStore  *secrets)
{
  Follower *follower;

  g_return_if_fail (BGPT_IS_MONITOR (monitor));
  g_return_if_fail (BGPT_IS_ACCOUNT_STORE (accounts));
  g_return_if_fail (BGPT_IS_SECRET_STORE (secrets));

  follower = g_new0 (Follower, 1);
  follower->monitor = monitor;
  follower->accounts = g_object_ref (accounts);
  follower->secrets = g_object_ref (secrets);
  follower->changed_id = g_signal_connect (accounts, "changed",
                                           G_CALLBACK (on_accounts_changed), follower);
  g_object_set_data_full (G_OBJECT (monitor), FOLLOWER_KEY, follower,
                          (GDestroyNotify) follower_free);
  follower_load (follower);
}

void
bgpt_monitor_reload_accounts (BgptMonitor *monitor)
{
  Follower *follower;

  g_return_if_fail (BGPT_IS_MONITOR (monitor));

  follower = g_object_get_data (G_OBJECT (monitor), FOLLOWER_KEY);
  if (follower == NULL)
    {
      bgpt_monitor_confirm_now (monitor, NULL);
      return;
    }
  follower->check_when_loaded = TRUE;
  follower_load (follower);
}
