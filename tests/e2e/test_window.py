#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The main window end to end, read and driven from outside through AT-SPI.

A stored account (keyfile settings, the key and token put in the real
keyring by `bytegpt-monitor --store-secret`) points at bench-simulator on
loopback, whose OpenAI side refuses the key. The built app starts in pt_BR;
the test finds the seed title "Falha na Autenticação da API" in the Status
view, the model waiting for the key and one problem in the header, opens the
incident from its row, finds it alone in the panel, presses the button that opens the
OpenAI API keys page, and checks that the link reached the session's https
handler: a throwaway .desktop file whose command writes its argument to a
file. On the way, every button of the window must have a name.

    keyring-session.sh --keyfile-settings -- /usr/bin/python3 test_window.py BUILD_ROOT

Prints TAP. Needs Debian's python3-pyatspi, so run it with /usr/bin/python3,
under xvfb-run.
"""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_harness import (WAIT_SECONDS, bail, click, connect_accessibility_bus, find_window, finish, need, plan, poll,  # noqa: E402
                         push_button, role_name, session_env, start_app, start_simulator, stop_all, tap, visible, walk)

OPENAI_KEY = 'sk-proj-bgptLEAKCHECKe2ewindow0c9d1e7a4f'
KOMMO_TOKEN = 'bgptLEAKCHECKe2ewindowkommo.51b3'
WINDOW_TITLE = 'ByteGPT Monitor'
SEED_TITLE = 'Falha na Autenticação da API'
KEYS_URI = 'https://platform.openai.com/api-keys'


def label_containing(root, text):
    for node in walk(root):
        if role_name(node) == 'label' and text in (node.name or '') and visible(node):
            return node
    return None


def nameless_buttons(root):
    found = []
    for node in walk(root):
        if role_name(node) in ('push button', 'toggle button') and visible(node):
            name = (node.name or '').strip()
            if not name or name.startswith(('Gtk', 'Adw')):
                found.append(f'{role_name(node)} {node.name!r}')
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

    env = session_env(build_root)
    connect_accessibility_bus(env)

    try:
        # The key is refused wherever it is sent, the model check's request too.
        _, base_url = start_simulator(build_root, env, ['openai.key=invalid-key', 'openai.model=invalid-key'])
        opened = set_up_home(build_root, base_url, env)
        print('TAP version 13', flush=True)
        plan(9)

        _, app = start_app(build_root, env, WAIT_SECONDS)
        window = need('the main window', lambda: find_window(app, WINDOW_TITLE), WAIT_SECONDS)
        tap(True, 'the window shows up on the accessibility bus')

        # Status: the key check failed with the seed title, in pt_BR.
        status_label = poll(lambda: label_containing(window, SEED_TITLE), WAIT_SECONDS)
        tap(status_label is not None, f'Status shows “{SEED_TITLE}”')
        if status_label is None:
            for node in walk(window):
                if role_name(node) in ('label', 'push button', 'list item'):
                    print('#', role_name(node), repr(node.name), visible(node), flush=True)
            bail('nothing more to do without the failure')
        tap('sk-…' in status_label.name and OPENAI_KEY not in status_label.name,
            'the key shows masked, never whole', status_label.name)

        # One root cause: the model waits for the key, the header counts one problem.
        waiting = poll(lambda: label_containing(window, 'Aguardando a chave de API'), WAIT_SECONDS)
        tap(waiting is not None, 'the model check waits for the key')
        header = poll(lambda: label_containing(window, '1 conexão com problema'), WAIT_SECONDS)
        tap(header is not None and label_containing(window, 'conexões com problema') is None,
            'the header counts one problem',
            '\n'.join(repr(node.name) for node in walk(window) if node.getRoleName() == 'label'))

        missing = nameless_buttons(window)
        tap(not missing, 'every button of the window has a name', '\n'.join(missing))

        # Its row's button opens the incident in Notificações.
        click(need('the “Mostrar o incidente” button',
                   lambda: push_button(window, 'Mostrar o incidente', only_visible=True), WAIT_SECONDS))
        create_key = poll(lambda: push_button(window, 'Gerar API Key', only_visible=True), WAIT_SECONDS)
        tap(create_key is not None, 'the incident opens with its one-click fixes')
        if create_key is None:
            bail('no button to the OpenAI keys page')

        # The panel holds one incident for the refused key, not one per check.
        titles = [node.name for node in walk(window)
                  if node.getRoleName() == 'label' and visible(node) and node.name == SEED_TITLE]
        tap(len(titles) == 1, 'the panel shows one incident',
            '\n'.join(repr(node.name) for node in walk(window)
                       if node.getRoleName() == 'label' and visible(node)))

        # The fix opens the OpenAI API keys page in the default browser.
        click(create_key)

        def link_opened():
            try:
                with open(opened) as f:
                    return KEYS_URI in f.read().split()
            except FileNotFoundError:
                return False

        tap(poll(link_opened, WAIT_SECONDS), f'pressing it opens {KEYS_URI}')
    finally:
        stop_all()

    finish()


if __name__ == '__main__':
    main()
