#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The main window end to end, read and driven from outside through AT-SPI.

A stored account (keyfile settings, the key and token put in the real
keyring by `bytegpt-monitor --store-secret`) points at bench-simulator on
loopback, whose OpenAI side refuses the key. The built app starts in pt_BR;
the test finds the seed title "Falha na Autenticação da API" in the Status
view, opens the incident from its row, presses the button that opens the
OpenAI API keys page, and checks that the link reached the session's https
handler: a throwaway .desktop file whose command writes its argument to a
file. On the way, every button of the window must have a name.

    keyring-session.sh --keyfile-settings -- /usr/bin/python3 test_window.py BUILD_ROOT

Prints TAP. Needs Debian's python3-pyatspi, so run it with /usr/bin/python3,
under xvfb-run.
"""

import os
import signal
import subprocess
import sys
import time

pyatspi = None  # imported once the accessibility bus of this session is known

OPENAI_KEY = 'sk-proj-bgptLEAKCHECKe2ewindow0c9d1e7a4f'
KOMMO_TOKEN = 'bgptLEAKCHECKe2ewindowkommo.51b3'
WINDOW_TITLE = 'ByteGPT Monitor'
SEED_TITLE = 'Falha na Autenticação da API'
KEYS_URI = 'https://platform.openai.com/api-keys'
WAIT_SECONDS = 40

count = 0
failures = 0


def tap(ok, description, diagnostic=None):
    global count, failures
    count += 1
    print('ok' if ok else 'not ok', count, '-', description, flush=True)
    if not ok:
        failures += 1
        for line in str(diagnostic or '').splitlines():
            print('#', line, flush=True)


def bail(reason):
    print('Bail out!', reason, flush=True)
    sys.exit(1)


def poll(predicate, seconds=WAIT_SECONDS):
    """Calls @predicate until it gives something true, for at most @seconds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except Exception:  # the tree changes while the app works
            value = None
        if value:
            return value
        time.sleep(0.2)
    return None


def need(what, predicate, seconds=WAIT_SECONDS):
    value = poll(predicate, seconds)
    if not value:
        bail(f'waited {seconds} s for {what}')
    return value


def descendants(accessible):
    stack = [accessible]
    while stack:
        node = stack.pop()
        yield node
        for i in range(node.childCount - 1, -1, -1):
            child = node.getChildAtIndex(i)
            if child is not None:
                stack.append(child)


def visible(accessible):
    # GTK 4.8 sets no SHOWING state; hidden widgets are left out of the tree.
    return accessible.getState().contains(pyatspi.STATE_VISIBLE)


def application(pid):
    for app in pyatspi.Registry.getDesktop(0):
        if app is not None and app.get_process_id() == pid:
            return app
    return None


def main_window(app):
    for i in range(app.childCount):
        window = app.getChildAtIndex(i)
        if window is not None and window.name == WINDOW_TITLE:
            return window
    return None


def label_containing(root, text):
    for node in descendants(root):
        if node.getRoleName() == 'label' and text in (node.name or '') and visible(node):
            return node
    return None


def push_button(root, name):
    for node in descendants(root):
        if node.getRoleName() == 'push button' and visible(node) and \
                (node.name == name or (node.name or '').endswith(' ' + name)):
            return node
    return None


def click(node):
    actions = node.queryAction()
    for i in range(actions.nActions):
        if actions.getName(i) == 'click':
            actions.doAction(i)
            return
    bail(f'“{node.name}” cannot be clicked')


def nameless_buttons(root):
    found = []
    for node in descendants(root):
        if node.getRoleName() in ('push button', 'toggle button') and visible(node):
            name = (node.name or '').strip()
            if not name or name.startswith(('Gtk', 'Adw')):
                found.append(f'{node.getRoleName()} {node.name!r}')
    return found


def set_up_home(build_root, base_url, env):
    """The account in keyfile settings, its secrets in the keyring, and a
    throwaway default web browser."""
    schema = 'io.github.bytegpt.Monitor'
    path = '/io/github/bytegpt/Monitor/accounts/default/'
    settings = [
        ([schema, 'accounts', "['default']"]),
        ([f'{schema}.Account:{path}', 'display-name', 'Loja E2E']),
        ([f'{schema}.Account:{path}', 'kommo-subdomain', 'lojae2e']),
        ([f'{schema}.Account:{path}', 'kommo-base-url', base_url]),
        ([f'{schema}.Account:{path}', 'openai-base-url', base_url + '/v1']),
        ([f'{schema}.Account:{path}', 'model', 'gpt-4.1-mini']),
    ]
    for args in settings:
        subprocess.run(['gsettings', 'set'] + args, check=True, env=env)

    monitor = os.path.join(build_root, 'src', 'bytegpt-monitor')
    for kind, secret in (('openai-api-key', OPENAI_KEY), ('kommo-token', KOMMO_TOKEN)):
        subprocess.run([monitor, f'--store-secret={kind}'], input=secret + '\n', text=True,
                       check=True, env=env, stdout=subprocess.DEVNULL)

    data_home = env['XDG_DATA_HOME']
    config_home = env['XDG_CONFIG_HOME']
    opened = os.path.join(env['XDG_CACHE_HOME'], 'opened-uris.txt')
    browser = os.path.join(data_home, 'test-browser.sh')
    os.makedirs(os.path.join(data_home, 'applications'), exist_ok=True)
    os.makedirs(config_home, exist_ok=True)
    os.makedirs(env['XDG_CACHE_HOME'], exist_ok=True)
    with open(browser, 'w') as f:
        f.write(f'#!/bin/sh\nprintf "%s\\n" "$1" >> "{opened}"\n')
    os.chmod(browser, 0o700)
    with open(os.path.join(data_home, 'applications', 'bgpt-test-browser.desktop'), 'w') as f:
        f.write('[Desktop Entry]\nType=Application\nName=Test Browser\n'
                f'Exec={browser} %u\nMimeType=x-scheme-handler/https;\nNoDisplay=true\n')
    with open(os.path.join(config_home, 'mimeapps.list'), 'w') as f:
        f.write('[Default Applications]\nx-scheme-handler/https=bgpt-test-browser.desktop\n')
    return opened


def main():
    if len(sys.argv) != 2:
        bail('usage: test_window.py BUILD_ROOT')
    build_root = os.path.abspath(sys.argv[1])

    env = dict(os.environ)
    env.update({
        'LANG': 'C.UTF-8',
        'LANGUAGE': 'pt_BR',
        'GSK_RENDERER': 'cairo',
        'GSETTINGS_SCHEMA_DIR': env.get('GSETTINGS_SCHEMA_DIR', os.path.join(build_root, 'data')),
        'BGPT_LOCALEDIR': env.get('BGPT_LOCALEDIR', os.path.join(build_root, 'po')),
    })
    # The app must talk to the accessibility bus.
    for name in ('NO_AT_BRIDGE', 'GTK_A11Y'):
        env.pop(name, None)
    if env.get('GSETTINGS_BACKEND') != 'keyfile' or 'BGPT_TEST_HOME' not in env:
        bail('run me through keyring-session.sh --keyfile-settings')

    # GTK and libatspi look for the accessibility bus on the X root window
    # first, where a test of another session on the same display may have
    # left its own: name this session's bus to both.
    reply = subprocess.run(['dbus-send', '--session', '--print-reply=literal', '--dest=org.a11y.Bus',
                            '/org/a11y/bus', 'org.a11y.Bus.GetAddress'],
                           capture_output=True, text=True, env=env)
    address = reply.stdout.strip()
    if reply.returncode != 0 or not address:
        bail(f'no accessibility bus in this session: {reply.stderr.strip()}')
    os.environ['AT_SPI_BUS_ADDRESS'] = env['AT_SPI_BUS_ADDRESS'] = address
    global pyatspi
    import pyatspi as atspi_module
    pyatspi = atspi_module

    simulator = subprocess.Popen([os.path.join(build_root, 'bench', 'bench-simulator'),
                                  'openai.key=invalid-key'],
                                 stdout=subprocess.PIPE, text=True, env=env)
    base_url = simulator.stdout.readline().strip()
    if not base_url.startswith('http://127.0.0.1:'):
        bail(f'bench-simulator said {base_url!r}')

    app_process = None
    try:
        opened = set_up_home(build_root, base_url, env)
        print('TAP version 13', flush=True)
        print('1..6', flush=True)

        # A shared machine's X server can refuse a client for a moment
        # (another test's Xvfb coming and going): try the start a few times.
        app = None
        for attempt in range(3):
            app_process = subprocess.Popen([os.path.join(build_root, 'src', 'bytegpt-monitor')], env=env)
            app = poll(lambda: application(app_process.pid) or app_process.poll() is not None)
            if app is None:
                bail('the app started but never reached the accessibility bus')
            if app is not True:
                break
            print(f'# the app exited with {app_process.poll()} at start, trying again', flush=True)
            app = None
            time.sleep(1)
        if app is None:
            bail('the app never reached the accessibility bus')
        window = need('the main window', lambda: main_window(app))
        tap(True, 'the window shows up on the accessibility bus')

        # Status: the key check failed with the seed title, in pt_BR.
        status_label = poll(lambda: label_containing(window, SEED_TITLE))
        tap(status_label is not None, f'Status shows “{SEED_TITLE}”')
        if status_label is None:
            for node in descendants(window):
                if node.getRoleName() in ('label', 'push button', 'list item'):
                    print('#', node.getRoleName(), repr(node.name), visible(node), flush=True)
            bail('nothing more to do without the failure')
        tap('sk-…' in status_label.name and OPENAI_KEY not in status_label.name,
            'the key shows masked, never whole', status_label.name)

        missing = nameless_buttons(window)
        tap(not missing, 'every button of the window has a name', '\n'.join(missing))

        # Its row's button opens the incident in Notificações.
        click(need('the “Mostrar o incidente” button', lambda: push_button(window, 'Mostrar o incidente')))
        create_key = poll(lambda: push_button(window, 'Gerar API Key'))
        tap(create_key is not None, 'the incident opens with its one-click fixes')
        if create_key is None:
            bail('no button to the OpenAI keys page')

        # The fix opens the OpenAI API keys page in the default browser.
        click(create_key)

        def link_opened():
            try:
                with open(opened) as f:
                    return KEYS_URI in f.read().split()
            except FileNotFoundError:
                return False

        tap(poll(link_opened, 20), f'pressing it opens {KEYS_URI}')
    finally:
        for process in (app_process, simulator):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()

    sys.exit(1 if failures else 0)


if __name__ == '__main__':
    main()
