# SPDX-License-Identifier: GPL-3.0-or-later
"""What the end-to-end tests share: TAP output, waiting, the accessibility
tree, the session they run in, and the processes they start.

A test inserts its own directory in sys.path, imports this module, builds
its environment with session_env(), calls connect_accessibility_bus() before
anything touches AT-SPI, and stops what it started with stop_all() in a
finally block. Needs Debian's python3-pyatspi, so run it with /usr/bin/python3.
"""

import os
import signal
import subprocess
import sys
import time

pyatspi = None  # imported by connect_accessibility_bus(), once the bus is known

# One generous bound for anything a test waits for, scaled like the C tests'
# (BGPT_TEST_TIME_SCALE, 3 in the sanitizer run): a wait ends as soon as its
# condition holds, so only a test that is failing anyway waits this long.
TIME_SCALE = max(1.0, float(os.environ.get('BGPT_TEST_TIME_SCALE') or 1))
WAIT_SECONDS = 60 * TIME_SCALE

_tests_run = 0
_failed = False
_processes = []


# TAP

def tap(ok, description, diagnostic=None):
    global _tests_run, _failed
    _tests_run += 1
    print('ok' if ok else 'not ok', _tests_run, '-', description, flush=True)
    if not ok:
        _failed = True
        if diagnostic:
            for line in str(diagnostic).splitlines():
                print('#', line, flush=True)


def bail(reason):
    print('Bail out!', reason, flush=True)
    sys.exit(1)


def plan(count=None):
    """Prints the plan: @count up front, or the tests run so far at the end."""
    print(f'1..{_tests_run if count is None else count}', flush=True)


def finish():
    sys.exit(1 if _failed else 0)


# Waiting

def poll(predicate, seconds=WAIT_SECONDS):
    """Calls @predicate until it gives something true, for at most @seconds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except Exception:  # the tree changes under our feet while the app works
            value = None
        if value:
            return value
        time.sleep(0.1)
    return None


def need(what, predicate, seconds=WAIT_SECONDS):
    value = poll(predicate, seconds)
    if not value:
        bail(f'waited {seconds} s for {what}')
    return value


# The accessibility tree

def children(accessible):
    for i in range(accessible.childCount):
        child = accessible.getChildAtIndex(i)
        if child is not None:
            yield child


def walk(accessible):
    """@accessible and everything below it, depth first, in tree order."""
    stack = [accessible]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(list(children(node))))


def role_name(accessible):
    """The role's name as Debian 12's libatspi (2.46) spells it: from 2.52
    on (Debian 13) a push button's role is named "button"."""
    if accessible.getRole() == pyatspi.ROLE_PUSH_BUTTON:
        return 'push button'
    return accessible.getRoleName()


def has_state(accessible, name):
    return accessible.getState().contains(getattr(pyatspi, name))


def visible(accessible):
    # GTK 4.8 sets no SHOWING state; hidden widgets are left out of the tree.
    return has_state(accessible, 'STATE_VISIBLE')


def find_app(pid):
    for app in pyatspi.Registry.getDesktop(0):
        if app is not None and app.get_process_id() == pid:
            return app
    return None


def find_window(app, title):
    for window in children(app):
        if window.name == title:
            return window
    return None


def _ask_new_client(pid, body, *args):
    """Runs @body in a new AT-SPI client, with `app` the accessible of @pid's
    app and `args` the string arguments; gives the lines it printed, or None
    if the app is not on the bus. A new client each time: this process's
    copy of the tree can miss a window for good after the app gave it a
    broken GetChildAtIndex reply (see docs/testing.md)."""
    script = ('import pyatspi, sys\n'
              'args = sys.argv[2:]\n'
              'for app in pyatspi.Registry.getDesktop(0):\n'
              '    if app is not None and app.get_process_id() == int(sys.argv[1]):\n'
              + ''.join('        ' + line + '\n' for line in body.splitlines()) +
              '        sys.exit(0)\n'
              'sys.exit(1)\n')
    try:
        found = subprocess.run(['/usr/bin/python3', '-c', script, str(pid), *args],
                               capture_output=True, text=True, timeout=WAIT_SECONDS)
    except subprocess.TimeoutExpired:
        return None
    return found.stdout.splitlines() if found.returncode == 0 else None


def window_names(pid):
    """The names of the windows the app of @pid shows, as a new AT-SPI client
    sees them, or None if the app is not on the bus."""
    return _ask_new_client(pid, 'print("\\n".join(app.getChildAtIndex(i).name for i in range(app.childCount)))')


def window_texts(pid, title):
    """The names of everything in the window @title of @pid's app, as a new
    AT-SPI client sees them (hidden widgets are not in the tree), or None if
    the app or the window is not there."""
    lines = _ask_new_client(pid, """\
for i in range(app.childCount):
    window = app.getChildAtIndex(i)
    if window is not None and window.name == args[0]:
        stack = [window]
        while stack:
            node = stack.pop()
            print(node.name.replace("\\n", " "))
            stack.extend(c for c in (node.getChildAtIndex(j) for j in range(node.childCount)) if c is not None)
        print("-- end of window --")""", title)
    return lines[:-1] if lines and lines[-1] == '-- end of window --' else None


def describe_windows(app):
    """What this process and a new client see of @app's windows, and the
    X windows on the display, for a failure's diagnostic."""
    lines = []
    try:
        app.clear_cache()
        lines.append(f'this process sees {app.childCount} windows: '
                     + ', '.join(repr(window.name) for window in children(app)))
    except Exception as error:
        lines.append(f'this process: {error}')
    lines.append(f'a new client sees: {window_names(app.get_process_id())}')
    tree = subprocess.run(['xwininfo', '-root', '-tree'], capture_output=True, text=True).stdout
    lines.extend('X: ' + line.strip() for line in tree.splitlines() if '"' in line)
    return lines


def push_button(root, label, only_visible=False):
    # GTK 4.8 names a mnemonic button "_Label Label": match the plain label too.
    for node in walk(root):
        if role_name(node) == 'push button' and (not only_visible or visible(node)):
            name = node.name or ''
            if name == label or name.endswith(' ' + label):
                return node
    return None


def window_corner(window_title):
    """The top left corner on the screen of the X window titled @window_title."""
    import re

    info = subprocess.run(['xwininfo', '-name', window_title], capture_output=True, text=True).stdout
    corner = re.search(r'Absolute upper-left X:\s*(-?\d+)\s*Absolute upper-left Y:\s*(-?\d+)', info)
    if corner is None:
        bail(f'no window “{window_title}” on the display')
    return int(corner.group(1)), int(corner.group(2))


def resize_window(window_title, width, height):
    """Resizes the X window titled @window_title, as a window manager would."""
    import ctypes

    info = subprocess.run(['xwininfo', '-name', window_title], capture_output=True, text=True).stdout
    xid = next((int(line.split()[3], 16) for line in info.splitlines() if 'Window id:' in line), None)
    if xid is None:
        bail(f'no window “{window_title}” on the display')
    x11 = ctypes.cdll.LoadLibrary('libX11.so.6')
    x11.XOpenDisplay.restype = ctypes.c_void_p
    display = ctypes.c_void_p(x11.XOpenDisplay(None))
    x11.XResizeWindow(display, ctypes.c_ulong(xid), width, height)
    x11.XFlush(display)
    x11.XCloseDisplay(display)


def pointer_click(accessible, window_title):
    """A real pointer click (XTest) inside @accessible, in the window titled
    @window_title, for what offers no action. From the window's corner:
    GTK 4.18 gives no position on the screen (GTK 4.8 did)."""
    import ctypes

    x, y, width, height = accessible.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    left, top = window_corner(window_title)
    x += left
    y += top
    x11 = ctypes.cdll.LoadLibrary('libX11.so.6')
    xtst = ctypes.cdll.LoadLibrary('libXtst.so.6')
    x11.XOpenDisplay.restype = ctypes.c_void_p
    display = ctypes.c_void_p(x11.XOpenDisplay(None))
    xtst.XTestFakeMotionEvent(display, -1, x + min(width // 2, 120), y + min(height // 2, 24), 0)
    xtst.XTestFakeButtonEvent(display, 1, True, 0)
    xtst.XTestFakeButtonEvent(display, 1, False, 0)
    x11.XFlush(display)
    x11.XCloseDisplay(display)


def click(accessible):
    action = accessible.queryAction()
    for i in range(action.nActions):
        if action.getName(i) == 'click':
            action.doAction(i)
            return
    bail(f'“{accessible.name}” cannot be clicked')


# The session

def session_env(build_root, extra=None):
    """The environment for the app and its tools: pt_BR, the build's schemas
    and catalog, the accessibility bridge on. Bails unless the test runs
    through keyring-session.sh --keyfile-settings."""
    env = dict(os.environ)
    env.update({
        # The tests' own pt_BR.UTF-8 (LOCPATH, from meson's test
        # environment): glibc 2.35 and later ignore LANGUAGE under C.UTF-8.
        'LANG': 'pt_BR.UTF-8',
        'LC_ALL': 'pt_BR.UTF-8',
        'LOCPATH': env.get('LOCPATH', os.path.join(build_root, 'tests', 'locale') + ':/usr/lib/locale'),
        'GSK_RENDERER': 'cairo',
        'GSETTINGS_SCHEMA_DIR': env.get('GSETTINGS_SCHEMA_DIR', os.path.join(build_root, 'data')),
        'BGPT_LOCALEDIR': env.get('BGPT_LOCALEDIR', os.path.join(build_root, 'po')),
    })
    env.pop('LANGUAGE', None)
    env.update(extra or {})
    # The app must talk to the accessibility bus.
    for name in ('NO_AT_BRIDGE', 'GTK_A11Y'):
        env.pop(name, None)
    if env.get('GSETTINGS_BACKEND') != 'keyfile' or 'BGPT_TEST_HOME' not in env:
        bail('run me through keyring-session.sh --keyfile-settings')
    return env


def connect_accessibility_bus(env):
    """Names this session's accessibility bus to this process and to @env,
    then imports pyatspi. GTK and libatspi otherwise look for the bus on the
    X root window first, where a test of another session on the same display
    may have left its own."""
    global pyatspi
    reply = subprocess.run(['dbus-send', '--session', '--print-reply=literal', '--dest=org.a11y.Bus',
                            '/org/a11y/bus', 'org.a11y.Bus.GetAddress'],
                           capture_output=True, text=True, env=env)
    address = reply.stdout.strip()
    if reply.returncode != 0 or not address:
        bail(f'no accessibility bus in this session: {reply.stderr.strip()}')
    os.environ['AT_SPI_BUS_ADDRESS'] = env['AT_SPI_BUS_ADDRESS'] = address
    import pyatspi as atspi_module
    pyatspi = atspi_module
    return pyatspi


# Processes

def spawn(argv, **popen_args):
    """Starts @argv; stop_all() stops it."""
    process = subprocess.Popen(argv, **popen_args)
    _processes.append(process)
    return process


def start_simulator(build_root, env, scenarios=()):
    """bench-simulator with @scenarios; gives the process and its base URL."""
    simulator = spawn([os.path.join(build_root, 'bench', 'bench-simulator')] + list(scenarios),
                      stdout=subprocess.PIPE, text=True, env=env)
    base_url = simulator.stdout.readline().strip()
    if not base_url.startswith('http://127.0.0.1:'):
        bail(f'the simulator did not start: it said {base_url!r}')
    return simulator, base_url


def start_app(build_root, env, seconds=WAIT_SECONDS, log=None):
    """Starts the built app and waits for it on the accessibility bus; gives
    the process and its application accessible. @log, a file open for
    reading and writing, takes its stderr and is shown if it never shows."""
    binary = os.path.join(build_root, 'src', 'bytegpt-monitor')
    process = spawn([binary], env=env, stderr=log)
    # The test has an X server and a bus of its own (keyring-session.sh
    # --display): an app that exits at start has a real problem to show.
    app = poll(lambda: find_app(process.pid) or process.poll() is not None, seconds)
    if app is not None and app is not True:
        return process, app
    if log is not None:
        log.flush()
        log.seek(0)
        for line in log.read().splitlines()[-20:]:
            print('#', line, flush=True)
    bail(f'waited {seconds} s for the app on the accessibility bus (exit status: {process.poll()})')


def stop_all():
    """Stops every process spawn() started, the last one first."""
    while _processes:
        process = _processes.pop()
        if process.poll() is None:
            if process.stdin is not None:
                process.stdin.close()
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
