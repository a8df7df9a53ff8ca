/* bgpt-static-network-monitor.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A GNetworkMonitor that reports what it is told instead of asking the
 * system: for a monitor whose endpoints are all on loopback (the demo, the
 * tests), where the machine's own connectivity says nothing. */
#define BGPT_TYPE_STATIC_NETWORK_MONITOR (bgpt_static_network_monitor_get_type ())
G_DECLARE_FINAL_TYPE (BgptStaticNetworkMonitor, bgpt_static_network_monitor, BGPT, STATIC_NETWORK_MONITOR, GObject)

GNetworkMonitor *bgpt_static_network_monitor_new           (gboolean                  available);
/* Notifies network-available and emits network-changed, as a real monitor
 * does when the link goes down or comes back. */
void             bgpt_static_network_monitor_set_available (BgptStaticNetworkMonitor *self,
                                                            gboolean                  available);

G_END_DECLS
