#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A stand-in org.freedesktop.Notifications server for the tests: it owns the
# name on the session bus, answers like a desktop shell would (replacing a
# notification when Notify names its id, closing it on CloseNotification),
# and appends every call as one JSON object per line to LOG.
#
#   notification-server.py LOG
#
# It exits when its standard input is closed, so it never outlives the test.

import json
import sys

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"


class Server(dbus.service.Object):
    def __init__(self, bus, log_path):
        super().__init__(bus, PATH)
        self.log_path = log_path
        self.next_id = 1
        self.open = set()

    def record(self, entry):
        with open(self.log_path, "a", encoding="utf-8") as log:
            log.write(json.dumps(entry, ensure_ascii=False) + "\n")

    @dbus.service.method(NAME, in_signature="susssasa{sv}i", out_signature="u")
    def Notify(self, app_name, replaces_id, app_icon, summary, body, actions,
               hints, expire_timeout):
        if replaces_id != 0 and replaces_id in self.open:
            notification_id = int(replaces_id)
        else:
            notification_id = self.next_id
            self.next_id += 1
        self.open.add(notification_id)
        self.record({
            "call": "Notify",
            "app_name": str(app_name),
            "replaces_id": int(replaces_id),
            "id": notification_id,
            "summary": str(summary),
            "body": str(body),
            "actions": [str(a) for a in actions],
            "urgency": int(hints["urgency"]) if "urgency" in hints else None,
        })
        return notification_id

    @dbus.service.method(NAME, in_signature="u", out_signature="")
    def CloseNotification(self, notification_id):
        self.record({"call": "CloseNotification", "id": int(notification_id)})
        if notification_id in self.open:
            self.open.discard(notification_id)
            # 3: closed by a call to CloseNotification.
            self.NotificationClosed(notification_id, 3)

    @dbus.service.method(NAME, in_signature="", out_signature="as")
    def GetCapabilities(self):
        return ["actions", "body"]

    @dbus.service.method(NAME, in_signature="", out_signature="ssss")
    def GetServerInformation(self):
        return ("notification-server.py", "ByteGPT Monitor tests", "1", "1.2")

    @dbus.service.signal(NAME, signature="uu")
    def NotificationClosed(self, notification_id, reason):
        pass

    @dbus.service.signal(NAME, signature="us")
    def ActionInvoked(self, notification_id, action_key):
        pass


def main():
    if len(sys.argv) != 2:
        print("usage: notification-server.py LOG", file=sys.stderr)
        return 2

    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    bus = dbus.SessionBus()
    server = Server(bus, sys.argv[1])
    loop = GLib.MainLoop()

    def on_stdin(channel, condition):
        loop.quit()
        return False

    GLib.io_add_watch(GLib.IOChannel.unix_new(sys.stdin.fileno()),
                      GLib.PRIORITY_DEFAULT, GLib.IO_HUP | GLib.IO_IN | GLib.IO_ERR,
                      on_stdin)
    # Owned last, so that a client that sees the name finds the object.
    name = dbus.service.BusName(NAME, bus, do_not_queue=True)
    loop.run()
    del name, server
    return 0


if __name__ == "__main__":
    sys.exit(main())
