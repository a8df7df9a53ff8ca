#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Closing the window keeps the monitor running, driven through AT-SPI.

The built app starts with one stored account (keyfile settings, its secrets
in a real keyring) whose OpenAI key the simulator refuses, 1-second
intervals and a threshold no run reaches while the window is open, and a
stand-in org.freedesktop.Notifications (notification-server.py) on the
session bus. The test closes the window with its title bar button, as a
person would, then lowers the threshold (gsettings, read by the running app
through the keyfile) and checks that the process is still there, that the
incident is notified afterwards, that launching the app again brings a
window back, and that app.quit over D-Bus ends it. Nothing depends on how
fast the app starts: a sanitizer build is several times slower.

    keyring-session.sh --keyfile-settings -- /usr/bin/python3 test_background.py BUILD_ROOT

Prints TAP. Needs Debian's python3-pyatspi and python3-dbus, so run it with
/usr/bin/python3 under a display (xvfb-run -a).
"""

import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_harness import (WAIT_SECONDS, bail, children, click, connect_accessibility_bus, find_app, finish, plan, poll,  # noqa: E402
                         role_name, session_env, spawn, start_app, start_simulator, stop_all, tap, walk, window_names)

OPENAI_KEY = 'sk-proj-bgptLEAKCHECKe2ebackground7a1c'
KOMMO_TOKEN = 'eyJbgptLEAKCHECKe2ebackground.kommo.42'
ACCOUNT_PATH = '/io/github/bytegpt/Monitor/accounts/default/'
SEED_TITLE = 'Falha na Autenticação da API'
FAILURES_BEFORE_ALERT = 3
# The schema's maximum: at 1-second intervals, a window that took a minute
# and a half to show would still be closed before any alert.
FAILURES_WHILE_OPEN = 100


def main_window(pid):
    app = find_app(pid)
    if app is None:
        return None
    for window in children(app):
        if role_name(window) in ('frame', 'window') and window.name.startswith('ByteGPT'):
            return window
    return None


def has_main_window(names):
    return any(name.startswith('ByteGPT') for name in names)


def close_button(window):
    # The title bar's close button, named by GTK in the user's language.
    for accessible in walk(window):
        if role_name(accessible) == 'push button' and accessible.name in ('Fechar', 'Close'):
            return accessible
    return None


def notify_calls(log_path):
    try:
        with open(log_path, encoding='utf-8') as log:
            return [json.loads(line) for line in log if line.strip()]
    except FileNotFoundError:
        return []


def run(command, env, stdin=None):
    return subprocess.run(command, env=env, input=stdin, text=True, check=True,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def name_has_owner(name, env):
    result = subprocess.run(['gdbus', 'call', '--session', '--dest', 'org.freedesktop.DBus',
                             '--object-path', '/org/freedesktop/DBus',
                             '--method', 'org.freedesktop.DBus.NameHasOwner', name],
                            env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    return '(true,)' in result.stdout


def main():
    if len(sys.argv) != 2:
        bail('usage: test_background.py BUILD_ROOT')
    build_root = os.path.abspath(sys.argv[1])
    source_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    app_binary = os.path.join(build_root, 'src', 'bytegpt-monitor')

    env = session_env(build_root, {'GNOTIFICATION_BACKEND': 'freedesktop'})
    connect_accessibility_bus(env)

    workdir = tempfile.mkdtemp(prefix='bgpt-e2e-background-')
    log_path = os.path.join(workdir, 'notifications.jsonl')
    try:
        spawn(['/usr/bin/python3', os.path.join(source_root, 'tests', 'notification-server.py'), log_path],
              stdin=subprocess.PIPE, env=env)
        if not poll(lambda: name_has_owner('org.freedesktop.Notifications', env), WAIT_SECONDS):
            bail('the stand-in notification server did not start')

        _, base_url = start_simulator(build_root, env, ['openai.key=invalid-key'])

        account = 'io.github.bytegpt.Monitor.Account:' + ACCOUNT_PATH
        run(['gsettings', 'set', 'io.github.bytegpt.Monitor', 'accounts', "['default']"], env)
        run(['gsettings', 'set', account, 'display-name', 'Loja Centro'], env)
        run(['gsettings', 'set', account, 'kommo-base-url', base_url], env)
        run(['gsettings', 'set', account, 'openai-base-url', base_url + '/v1'], env)
        for key, value in (('check-interval', '1'), ('retry-interval', '1'),
                           ('failure-threshold', str(FAILURES_WHILE_OPEN)),
                           ('success-threshold', '1'), ('reminder-interval', '0')):
            run(['gsettings', 'set', 'io.github.bytegpt.Monitor', key, value], env)
        run(['gsettings', 'set', 'io.github.bytegpt.Monitor', 'run-in-background', 'true'], env)
        run([app_binary, '--store-secret=openai-api-key', '--account=default'], env, OPENAI_KEY)
        run([app_binary, '--store-secret=kommo-token', '--account=default'], env, KOMMO_TOKEN)

        app_log = open(os.path.join(workdir, 'app.log'), 'w+', encoding='utf-8')
        app_process, _ = start_app(build_root, env, WAIT_SECONDS, log=app_log)
        window = poll(lambda: main_window(app_process.pid), WAIT_SECONDS)
        if window is None:
            app = find_app(app_process.pid)
            seen = [(role_name(w), w.name) for w in children(app)] if app is not None else None
            app_log.seek(0)
            for line in app_log.read().splitlines()[-20:]:
                print('#', line, flush=True)
            bail(f'the main window never showed on the accessibility bus (the app shows {seen}, '
                 f'exit status: {app_process.poll()})')
        tap(True, 'the window opens')

        button = poll(lambda: close_button(window), WAIT_SECONDS)
        if button is None:
            bail('no close button in the title bar')
        click(button)
        # From here on asked of a new client each time: see _ask_new_client()
        # in e2e_harness.py.
        gone = poll(lambda: not has_main_window(window_names(app_process.pid) or ['ByteGPT']), WAIT_SECONDS)
        tap(bool(gone), 'the close button closes the window')
        notified_before_close = [c for c in notify_calls(log_path) if c['call'] == 'Notify']
        tap(not notified_before_close,
            f'nothing was notified before the close ({FAILURES_WHILE_OPEN} failures were needed)',
            notified_before_close)

        time.sleep(1)
        tap(app_process.poll() is None, 'the process keeps running with the window closed')
        # From now on the failing checks of the background app raise the alert.
        run(['gsettings', 'set', 'io.github.bytegpt.Monitor', 'failure-threshold',
             str(FAILURES_BEFORE_ALERT)], env)

        def notified():
            calls = [c for c in notify_calls(log_path) if c['call'] == 'Notify']
            return calls if calls else None
        calls = poll(notified, WAIT_SECONDS)
        tap(calls is not None and calls[0]['summary'] == SEED_TITLE,
            'the incident is notified with the window closed, with its pt_BR title', calls)
        tap(calls is not None and 'Loja Centro' in calls[0]['body'],
            'the notification names the account', calls)
        time.sleep(3)
        repeats = [c for c in notify_calls(log_path) if c['call'] == 'Notify']
        tap(len(repeats) == 1, 'the problem goes on, the notification is not repeated', repeats)

        # Launching again brings the window back in the running process.
        subprocess.run([app_binary], env=env, timeout=30)
        back = poll(lambda: has_main_window(window_names(app_process.pid) or ()), WAIT_SECONDS)
        tap(bool(back), 'launching the app again brings its window back')
        tap(app_process.poll() is None, 'in the same process')

        subprocess.run(['gdbus', 'call', '--session', '--dest', 'io.github.bytegpt.Monitor',
                        '--object-path', '/io/github/bytegpt/Monitor',
                        '--method', 'org.gtk.Actions.Activate', 'quit', '[]', '{}'],
                       env=env, stdout=subprocess.DEVNULL, timeout=10)
        try:
            app_process.wait(10)
            ended = True
        except subprocess.TimeoutExpired:
            ended = False
        tap(ended, 'app.quit over D-Bus ends it')

        plan()
    finally:
        stop_all()
        for name in (log_path, os.path.join(workdir, 'app.log')):
            try:
                os.remove(name)
            except FileNotFoundError:
                pass
        os.rmdir(workdir)
    finish()


if __name__ == '__main__':
    main()
