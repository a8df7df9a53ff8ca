#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The setup wizard end to end, driven from outside through AT-SPI.

The built app starts with no account, in pt_BR, with a real keyring and
keyfile settings (keyring-session.sh --keyfile-settings) and the simulator
(bench-simulator) standing in for OpenAI and Kommo. The test reads labels
and presses buttons like a screen reader would: the first run shows the
wizard, the fields are typed, tested and finished, and then the key is in
the keyring (`secret-tool`) and the subdomain in the settings (`gsettings`).

    keyring-session.sh --keyfile-settings -- /usr/bin/python3 test_wizard.py BUILD_ROOT

With --screenshots DIR it also saves each step as DIR/wizard-*.png, at the
default size and at 360 px wide, with the assistant check failing the way
it does since the Assistants API was shut down (run under xvfb-run -a).

Prints TAP. Needs Debian's python3-pyatspi, so run it with /usr/bin/python3.
"""

import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_harness import (WAIT_SECONDS, bail, click, connect_accessibility_bus, describe_windows, find_window, finish, has_state, need, plan,  # noqa: E402
                         pointer_click, poll, push_button, resize_window, role_name, session_env, start_app, start_simulator, stop_all, tap, walk, window_names, window_texts)

OPENAI_KEY = 'sk-proj-bgptLEAKCHECKe2ewizard5c1a7f3d9b'
KOMMO_TOKEN = 'eyJbgptLEAKCHECKe2ekommo.8d2e.41fa'
WIZARD_TITLE = 'Configurar conta'


# The accessibility tree

def stack_page(window, title):
    """The page of the wizard's stack named @title (GtkStackPage's title)."""
    for accessible in walk(window):
        if role_name(accessible) == 'panel' and accessible.name == title:
            return accessible
    return None


def find(root, role, name, exact=True):
    for accessible in walk(root):
        if role_name(accessible) != role:
            continue
        if (accessible.name == name) if exact else (name in accessible.name):
            return accessible
    return None


def press(root, label):
    click(need(f'a sensitive “{label}” button',
               lambda: (lambda b: b if b is not None and has_state(b, 'STATE_SENSITIVE') else None)(push_button(root, label))))


def open_expander(root, title):
    """Opens the closed expander row @title with a click, as a person would:
    libadwaita 1.7 leaves a closed row's contents out of the accessibility
    tree and gives the row no action (1.2 listed them)."""
    for accessible in walk(root):
        if (role_name(accessible) == 'list item' and accessible.name == title and
                has_state(accessible, 'STATE_EXPANDABLE') and not has_state(accessible, 'STATE_EXPANDED')):
            pointer_click(accessible, WIZARD_TITLE)
            need(f'the “{title}” row open', lambda: has_state(accessible, 'STATE_EXPANDED'))
            return


def type_into(root, label, text):
    field = find(root, 'text', label)
    if field is None:
        bail(f'no field labelled “{label}”')
    field.queryEditableText().setTextContents(text)


def label_starting(root, prefix):
    for accessible in walk(root):
        if role_name(accessible) == 'label' and accessible.name.startswith(prefix):
            return accessible
    return None


def wait_label(root, prefix):
    found = label_starting(root, prefix)
    if found is None and os.environ.get('BGPT_E2E_DEBUG'):
        for a in walk(root):
            if role_name(a) in ('label', 'text', 'push button'):
                print('#', role_name(a), repr(a.name), flush=True)
    return need(f'a label “{prefix}…”', lambda: label_starting(root, prefix))


def inside_entry_row(accessible):
    parent = accessible.parent
    while parent is not None:
        if role_name(parent) in ('text', 'password text'):
            return True
        parent = parent.parent
    return False


def unlabelled(page):
    """Fields, switches and buttons an assistive technology cannot name, on
    every page (GTK 4.8 does not tell which ones are showing)."""
    roles = ('text', 'password text', 'push button', 'toggle button', 'switch', 'spin button', 'combo box',
             'check box')
    found = []
    for accessible in walk(page):
        # The insides of an entry row (libadwaita's own peek button) belong to the row.
        if role_name(accessible) in roles and not inside_entry_row(accessible):
            name = accessible.name.strip()
            # GTK names an unlabelled widget after its class or its icon.
            if not name or name.startswith('Gtk') or name.startswith('Adw'):
                found.append(f'{role_name(accessible)} {accessible.name!r}')
    return found


def go(window, label, step):
    """Presses @label and waits until the wizard shows @step."""
    press(window, label)
    need(f'step {step}', lambda: f'Passo {step} de 7' in subtitle(window))


def subtitle(window):
    return [a.name for a in walk(window) if role_name(a) == 'label' and a.name.startswith('Passo ')]


def next_step(wizard, title, step):
    """Presses “Próximo” and gives the page titled @title, once the wizard
    shows @step."""
    press(wizard, 'Próximo')
    # The accessibility tree may answer late while the app is busy: retry.
    page = need(f'the {title} step page', lambda: stack_page(wizard, title))
    need(f'step {step}', lambda: f'Passo {step} de 7' in subtitle(wizard))
    return page


def check_connection(page, address_field, address, result_start, result, description):
    """Points the step at @address (under “Avançado”), presses “Testar
    conexão” and checks that the label starting @result_start reads
    @result."""
    open_expander(page, 'Avançado')
    type_into(page, address_field, address)
    press(page, 'Testar conexão')
    label = wait_label(page, result_start)
    tap(label.name == result, description, label.name)


def step_shown(wizard, screen, shot):
    """What the step shows without an accessible name; its screenshot
    @shot when asked for."""
    nameless = unlabelled(wizard)
    if screen:
        screen.shoot(WIZARD_TITLE, shot)
    return nameless


# Screenshots

class Screen:
    def __init__(self, directory):
        self.directory = directory

    def window_id(self, title):
        out = subprocess.run(['xwininfo', '-name', title], capture_output=True, text=True).stdout
        for line in out.splitlines():
            if 'Window id:' in line:
                return int(line.split()[3], 16)
        return None

    def resize(self, title, width, height):
        resize_window(title, width, height)
        time.sleep(0.8)

    def shoot(self, title, name):
        time.sleep(0.6)  # the stack's slide and spinners settle
        xid = self.window_id(title)
        path = os.path.join(self.directory, f'wizard-{name}.png')
        subprocess.run(['import', '-window', hex(xid), path], check=True)
        print('# saved', path, flush=True)


def main():
    args = sys.argv[1:]
    screenshots = None
    if '--screenshots' in args:
        i = args.index('--screenshots')
        screenshots = os.path.abspath(args[i + 1])
        del args[i:i + 2]
    if len(args) != 1:
        bail('usage: test_wizard.py [--screenshots DIR] BUILD_ROOT')
    build_root = os.path.abspath(args[0])

    env = session_env(build_root)
    connect_accessibility_bus(env)

    scenarios = ['openai.assistant=assistants-shut-down'] if screenshots else []
    screen = Screen(screenshots) if screenshots else None
    try:
        _, base_url = start_simulator(build_root, env, scenarios)
        _, app = start_app(build_root, env, WAIT_SECONDS)
        run(app, base_url, env, screen)
        plan()
    finally:
        stop_all()
    finish()


def run(app, base_url, env, screen):
    nameless = []
    wizard = need('the wizard window', lambda: find_window(app, WIZARD_TITLE))
    tap(True, 'a first run shows the setup wizard')
    tap(subtitle(wizard) == ['Passo 1 de 7'], 'it starts at step 1 of 7, in pt_BR', subtitle(wizard))
    nameless += step_shown(wizard, screen, '1-welcome')

    # Kommo
    press(wizard, 'Próximo')
    page = need('the Kommo step', lambda: stack_page(wizard, 'Kommo'))
    # The state reaches the bus a moment after the page changes.
    closed = poll(lambda: not has_state(push_button(wizard, 'Próximo'), 'STATE_SENSITIVE'), WAIT_SECONDS)
    tap(closed, '“Próximo” is closed while the Kommo fields are empty')
    type_into(page, 'Subdomínio ou endereço', 'https://minhaempresa.kommo.com/leads/pipeline/7')
    wait_label(page, 'Conta do Kommo: minhaempresa.kommo.com')
    type_into(page, 'Token de longa duração', KOMMO_TOKEN)
    check_connection(page, 'Endereço da API do Kommo (vazio: pelo subdomínio)', base_url,
                     'Conectado à conta do Kommo', 'Conectado à conta do Kommo “Acme Atendimento”',
                     'the Kommo test names the account')
    nameless += step_shown(wizard, screen, '2-kommo')

    # OpenAI
    page = next_step(wizard, 'OpenAI', 3)
    type_into(page, 'Chave de API', '  ' + OPENAI_KEY + '\n')
    check_connection(page, 'Endereço da API da OpenAI (vazio: api.openai.com)', base_url + '/v1',
                     'A OpenAI aceitou a chave', 'A OpenAI aceitou a chave: 5 modelos disponíveis',
                     'the key test counts the models')
    nameless += step_shown(wizard, screen, '3-openai')

    # Assistant or model
    page = next_step(wizard, 'Assistente', 4)
    if screen:
        type_into(page, 'Assistant ID', 'asst_abc123DEF456ghi789')
    type_into(page, 'Modelo', 'gpt-4.1-mini')
    press(page, 'Testar')
    result = wait_label(page, 'O modelo “gpt-4.1-mini”')
    tap(True, 'the model test finds the model')
    nameless += unlabelled(wizard)
    if screen:
        wait_label(page, 'Assistant ID Inválido')
        wait_label(page, 'A API Assistants foi desligada')
        tap(True, 'a shut-down Assistants API is explained')
        screen.shoot(WIZARD_TITLE, '4-assistant')

    # Track spending: optional, said plainly what an admin key can do.
    page = next_step(wizard, 'Acompanhar gastos', 5)
    warning = find(page, 'label', 'Uma chave de administrador pode gerenciar toda a organização', exact=False)
    tap(warning is not None and 'Este app só lê os gastos com ela' in warning.name,
        'the spending step says what an admin key can do', warning.name if warning else None)
    nameless += step_shown(wizard, screen, 'spending')

    # Monitoring
    page = next_step(wizard, 'Monitoramento', 6)
    deep = find(page, 'label', 'Envia também à OpenAI', exact=False)
    tap(deep is not None and 'Tem custo' in deep.name and '288 requisições por dia' in deep.name,
        'the deep check states its cost plainly', deep.name if deep else None)
    nameless += step_shown(wizard, screen, '5-monitoring')

    # Summary
    page = next_step(wizard, 'Resumo', 7)
    wait_label(page, 'Conectado à conta do Kommo')
    wait_label(page, 'A OpenAI aceitou a chave')
    wait_label(page, 'O modelo “gpt-4.1-mini”')
    tap(True, 'the summary runs every check again')
    nameless += step_shown(wizard, screen, '6-summary')
    if screen:
        # The same steps in a 360 px wide window.
        screen.resize(WIZARD_TITLE, 360, 720)
        screen.shoot(WIZARD_TITLE, '6-summary-narrow')
        for step, name in ((6, '5-monitoring'), (5, 'spending'), (4, '4-assistant'), (3, '3-openai'),
                           (2, '2-kommo'), (1, '1-welcome')):
            go(wizard, 'Voltar', step)
            screen.shoot(WIZARD_TITLE, name + '-narrow')
        for step in range(2, 8):
            go(wizard, 'Próximo', step)

    tap(not nameless, 'every field, switch and button shown has an accessible name', '\n'.join(nameless))

    press(wizard, 'Concluir')
    # Asked of a new client each time: see _ask_new_client() in e2e_harness.py.
    pid = app.get_process_id()
    need('the wizard to close', lambda: WIZARD_TITLE not in (window_names(pid) or [WIZARD_TITLE]))
    # The main window was there under the wizard since the start: what
    # shows that the wizard finished is the new account in it.
    shown = poll(lambda: 'Editar a conta “Acme Atendimento”' in (window_texts(pid, 'ByteGPT Monitor') or ()))
    if not shown:
        for line in describe_windows(app):
            print('#', line, flush=True)
    tap(shown, 'Concluir closes the wizard and the main window shows the new account')

    lookup = subprocess.run(['secret-tool', 'lookup', 'account', 'default', 'kind', 'openai-api-key'],
                            capture_output=True, text=True, env=env)
    tap(lookup.returncode == 0 and lookup.stdout.rstrip('\n') == OPENAI_KEY,
        'secret-tool finds the key, trimmed, in the keyring', lookup.stderr)
    lookup = subprocess.run(['secret-tool', 'lookup', 'account', 'default', 'kind', 'kommo-token'],
                            capture_output=True, text=True, env=env)
    tap(lookup.returncode == 0 and lookup.stdout.rstrip('\n') == KOMMO_TOKEN, 'secret-tool finds the Kommo token')

    account_schema = 'io.github.bytegpt.Monitor.Account:/io/github/bytegpt/Monitor/accounts/default/'
    subdomain = subprocess.run(['gsettings', 'get', account_schema, 'kommo-subdomain'],
                               capture_output=True, text=True, env=env)
    accounts = subprocess.run(['gsettings', 'get', 'io.github.bytegpt.Monitor', 'accounts'],
                              capture_output=True, text=True, env=env)
    tap(subdomain.stdout.strip() == "'minhaempresa'" and accounts.stdout.strip() == "['default']",
        'gsettings shows the account and its subdomain', subdomain.stdout + subdomain.stderr + accounts.stdout)


if __name__ == '__main__':
    main()
