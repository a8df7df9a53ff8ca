/* bgpt-static-network-monitor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bgpt-static-network-monitor"

#include "config.h"

#include "bgpt-static-network-monitor.h"

struct _BgptStaticNetworkMonitor
{
  GObject  parent_instance;
  gboolean available;
};

enum {
  PROP_0,
  PROP_NETWORK_AVAILABLE,
  PROP_NETWORK_METERED,
  PROP_CONNECTIVITY,
};

static gboolean
bgpt_static_network_monitor_can_reach (GNetworkMonitor     *monitor,
                                       GSocketConnectable  *connectable,
                                       GCancellable        *cancellable,
                                       GError             **error)
{
  if (BGPT_STATIC_NETWORK_MONITOR (monitor)->available)
    return TRUE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE, "Network unreachable");
  return FALSE;
}

static void
bgpt_static_network_monitor_iface_init (GNetworkMonitorInterface *iface)
{
  iface->can_reach = bgpt_static_network_monitor_can_reach;
}

static gboolean
bgpt_static_network_monitor_initable_init (GInitable     *initable,
                                           GCancellable  *cancellable,
                                           GError       **error)
{
  return TRUE;
}

static void
bgpt_static_network_monitor_initable_iface_init (GInitableIface *iface)
{
  iface->init = bgpt_static_network_monitor_initable_init;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (BgptStaticNetworkMonitor, bgpt_static_network_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      bgpt_static_network_monitor_initable_iface_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR,
                                                      bgpt_static_network_monitor_iface_init))

static void
bgpt_static_network_monitor_get_property (GObject    *object,
                                          guint       prop_id,
                                          GValue     *value,
                                          GParamSpec *pspec)
{
  BgptStaticNetworkMonitor *self = BGPT_STATIC_NETWORK_MONITOR (object);

  switch (prop_id)
    {
    case PROP_NETWORK_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case PROP_NETWORK_METERED:
      g_value_set_boolean (value, FALSE);
      break;
    case PROP_CONNECTIVITY:
      g_value_set_enum (value, self->available ? G_NETWORK_CONNECTIVITY_FULL
                                               : G_NETWORK_CONNECTIVITY_LOCAL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bgpt_static_network_monitor_class_init (BgptStaticNetworkMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = bgpt_static_network_monitor_get_property;
  g_object_class_override_property (object_class, PROP_NETWORK_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, PROP_NETWORK_METERED, "network-metered");
  g_object_class_override_property (object_class, PROP_CONNECTIVITY, "connectivity");
}

static void
bgpt_static_network_monitor_init (BgptStaticNetworkMonitor *self)
{
  self->available = TRUE;
}

GNetworkMonitor *
bgpt_static_network_monitor_new (gboolean available)
{
  BgptStaticNetworkMonitor *self = g_object_new (BGPT_TYPE_STATIC_NETWORK_MONITOR, NULL);

  self->available = available;
  return G_NETWORK_MONITOR (self);
}

void
bgpt_static_network_monitor_set_available (BgptStaticNetworkMonitor *self,
                                           gboolean                  available)
{
  g_return_if_fail (BGPT_IS_STATIC_NETWORK_MONITOR (self));

  self->available = available;
  g_object_notify (G_OBJECT (self), "network-available");
  g_signal_emit_by_name (self, "network-changed", available);
}
