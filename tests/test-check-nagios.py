#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""`bytegpt-monitor --check` under a real Nagios 4 (Debian's nagios4-core),
configured with the README's own command and service definitions, and the
README's Icinga 2 CheckCommand validated by `icinga2 daemon -C`.

Nagios runs in the foreground with a throwaway configuration under the build
directory, as the user running the test (root in CI: nagios_user and
nagios_group name that user, so it has no privileges to drop). Services
check the simulator (bench-simulator, one child process per case) for OK,
WARNING, CRITICAL (a server's text full of '|', quotes and control
characters) and UNKNOWN, and negate around the OK one; forced checks go
through Nagios's external command file. The test reads Nagios's status.dat
while it runs (Nagios deletes it when it stops) and asserts each service's
recorded state, plugin output, long output and performance data, then that
no secret is in any file Nagios wrote. Prints TAP.

usage: test-check-nagios.py BUILD_ROOT README"""

import grp
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

# No __pycache__ in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import plugin_grammar  # noqa: E402
from plugin_grammar import report, results, skip  # noqa: E402

build = os.path.abspath(sys.argv[1])
readme = sys.argv[2]
monitor = os.path.join(build, "src", "bytegpt-monitor")
simulator_bin = os.path.join(build, "bench", "bench-simulator")
nagios_bin = shutil.which("nagios4") or "/usr/sbin/nagios4"
icinga2_bin = shutil.which("icinga2") or "/usr/sbin/icinga2"
negate = "/usr/lib/nagios/plugins/negate"

OPENAI_KEY = "sk-nagios-0123456789abcdefXYZ"
KOMMO_TOKEN = "kommo-nagios-0123456789abcdef"
SCALE = max(1.0, float(os.environ.get("BGPT_TEST_TIME_SCALE", "1") or 1))
CHECKS_THAT_RUN = {"kommo.account", "openai.key", "openai.assistant"}
# While the key fails, the assistant check waits for it: blocked, not timed.
CHECKS_THAT_RUN_KEY_FAILING = {"kommo.account", "openai.key"}

def readme_block(language):
    """The README's fenced block with this info string."""
    text = open(readme, encoding="utf-8").read()
    match = re.search(r"^```" + re.escape(language) + r"\n(.*?)^```$", text, re.S | re.M)
    if not match:
        raise SystemExit(f"Bail out! no ```{language} block in {readme}")
    return match.group(1)


# What each service checks: (case, simulator scenario or None, extra
# environment for its wrapper, expected state, expected words).
CASES = [
    ("ok", "ok", {}, 0, "BYTEGPT OK - 3 checks passed"),
    ("warning", "openai.key=rate-limited", {}, 1,
     "BYTEGPT WARNING - 1 problem (1 blocked): OpenAI Rate Limit Reached"),
    ("critical", "hostile-text", {}, 2, "BYTEGPT CRITICAL - 2 problems (1 blocked), the first: "),
    ("unknown", None, {"KOMMO_SUBDOMAIN": "acme corp!"}, 3, "BYTEGPT UNKNOWN - "),
]

TEMPLATES = """
define timeperiod {
    timeperiod_name 24x7
    alias           24x7
    sunday          00:00-24:00
    monday          00:00-24:00
    tuesday         00:00-24:00
    wednesday       00:00-24:00
    thursday        00:00-24:00
    friday          00:00-24:00
    saturday        00:00-24:00
}
define command {
    command_name    host_up
    command_line    /bin/true
}
define contact {
    contact_name                    nobody
    host_notifications_enabled      0
    service_notifications_enabled   0
    host_notification_period        24x7
    service_notification_period     24x7
    host_notification_options       n
    service_notification_options    n
    host_notification_commands      host_up
    service_notification_commands   host_up
}
define host {
    host_name               localhost
    address                 127.0.0.1
    check_command           host_up
    max_check_attempts      1
    check_period            24x7
    contacts                nobody
    notification_period     24x7
}
define service {
    name                    generic-service
    register                0
    max_check_attempts      1
    retry_interval          1
    check_period            24x7
    contacts                nobody
    notification_period     24x7
    notifications_enabled   0
}
"""


def nagios_cfg(work):
    user = pwd.getpwuid(os.getuid()).pw_name
    group = grp.getgrgid(os.getgid()).gr_name
    lines = {
        "log_file": f"{work}/nagios.log",
        "cfg_file": f"{work}/objects.cfg",
        "object_cache_file": f"{work}/objects.cache",
        "precached_object_file": f"{work}/objects.precache",
        "status_file": f"{work}/status.dat",
        "status_update_interval": "1",
        # Root in CI: Nagios runs as the user it is started by.
        "nagios_user": user,
        "nagios_group": group,
        "check_external_commands": "1",
        "command_file": f"{work}/nagios.cmd",
        "query_socket": f"{work}/nagios.qh",
        "lock_file": f"{work}/nagios.lock",
        "temp_file": f"{work}/nagios.tmp",
        "temp_path": f"{work}/tmp",
        "check_result_path": f"{work}/checkresults",
        "retain_state_information": "0",
        "state_retention_file": f"{work}/retention.dat",
        "debug_file": f"{work}/nagios.debug",
        # Intervals in seconds, and the first checks at once.
        "interval_length": "1",
        "max_service_check_spread": "1",
        "max_host_check_spread": "1",
        "service_inter_check_delay_method": "n",
        "host_inter_check_delay_method": "n",
        "check_result_reaper_frequency": "1",
        "service_check_timeout": "60",
        "use_syslog": "0",
        "enable_notifications": "0",
        "enable_event_handlers": "0",
        "enable_flap_detection": "0",
        "enable_environment_macros": "0",
    }
    return "".join(f"{name}={value}\n" for name, value in lines.items())


def services_cfg(work, urls):
    """The README's command and service, once per case: its own command
    name, description and a wrapper in place of /usr/bin/bytegpt-monitor
    that points the check at that case's simulator."""
    block = readme_block("nagios")
    out = []
    for case, _, extra, _, _ in CASES + [("negate", None, {}, 0, "")]:
        wrapper = f"{work}/bytegpt-{case}"
        target = "ok" if case == "negate" else case
        env = dict(extra)
        if urls.get(target):
            env.update({"OPENAI_BASE_URL": urls[target] + "/v1", "KOMMO_BASE_URL": urls[target]})
        with open(wrapper, "w") as f:
            f.write("#!/bin/sh\n")
            for name, value in env.items():
                f.write(f"export {name}='{value}'\n")
            f.write(f"exec {monitor} \"$@\"\n")
        os.chmod(wrapper, 0o755)
        text = block.replace("/usr/bin/bytegpt-monitor", wrapper)
        if case == "negate":
            # negate around the OK check, as around any standard plugin.
            text = text.replace(wrapper, f"{negate} -s {wrapper}")
        text = text.replace("check_bytegpt", f"check_bytegpt_{case}")
        text = text.replace("service_description     ByteGPT",
                            f"service_description     ByteGPT {case}")
        if text == block:
            raise SystemExit("Bail out! the README's Nagios block changed shape")
        out.append(text)
    return "".join(out)


def read_status(path):
    """{service_description: {field: value}} from status.dat."""
    services = {}
    try:
        text = open(path, encoding="utf-8", errors="surrogateescape").read()
    except FileNotFoundError:
        return services
    for block in re.findall(r"^servicestatus \{\n(.*?)^\t\}", text, re.S | re.M):
        fields = dict(line.strip().split("=", 1) for line in block.splitlines() if "=" in line)
        services[fields.get("service_description")] = fields
    return services


def unescape(text):
    # Nagios writes long output with "\n" for each line break and "\\" for a backslash.
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


def run_nagios(work, environment):
    nagios = subprocess.Popen([nagios_bin, f"{work}/nagios.cfg"], env=environment,
                              stdout=open(f"{work}/nagios.out", "w"), stderr=subprocess.STDOUT)
    names = [f"ByteGPT {case[0]}" for case in CASES] + ["ByteGPT negate"]
    deadline = time.monotonic() + 60 * SCALE
    forced = False
    status = {}
    try:
        while time.monotonic() < deadline and nagios.poll() is None:
            if not forced and os.path.exists(f"{work}/nagios.cmd"):
                # Forced checks now, rather than whenever the schedule says;
                # until Nagios reads its command pipe, opening it fails.
                try:
                    fd = os.open(f"{work}/nagios.cmd", os.O_WRONLY | os.O_NONBLOCK)
                except OSError:
                    fd = None
                if fd is not None:
                    now = int(time.time())
                    with os.fdopen(fd, "w") as pipe:
                        for name in names:
                            pipe.write(f"[{now}] SCHEDULE_FORCED_SVC_CHECK;localhost;{name};{now}\n")
                    forced = True
            status = read_status(f"{work}/status.dat")
            if all(status.get(name, {}).get("has_been_checked") == "1" for name in names):
                # Keep a copy: Nagios removes status.dat when it stops.
                shutil.copy(f"{work}/status.dat", f"{work}/status.copy")
                break
            time.sleep(0.2)
    finally:
        if nagios.poll() is None:
            nagios.send_signal(signal.SIGTERM)
            try:
                nagios.wait(timeout=30 * SCALE)
            except subprocess.TimeoutExpired:
                nagios.kill()
                nagios.wait()
    return nagios.returncode, status


def test_nagios(work):
    simulators = {}
    try:
        urls = {}
        for case, scenario, _, _, _ in CASES:
            if scenario is None:
                continue
            process = subprocess.Popen([simulator_bin, scenario], stdout=subprocess.PIPE,
                                       stderr=subprocess.DEVNULL, text=True)
            simulators[case] = process
            urls[case] = process.stdout.readline().strip()

        for name in ("tmp", "checkresults", "home"):
            os.makedirs(f"{work}/{name}", exist_ok=True)
        with open(f"{work}/nagios.cfg", "w") as f:
            f.write(nagios_cfg(work))
        with open(f"{work}/objects.cfg", "w") as f:
            f.write(TEMPLATES + services_cfg(work, urls))

        verify = subprocess.run([nagios_bin, "-v", f"{work}/nagios.cfg"], capture_output=True, text=True)
        report(verify.returncode == 0, "Nagios accepts the README's definitions (nagios4 -v)",
               verify.stdout + verify.stderr)

        # The secrets reach the checks as the README says: in the daemon's environment.
        environment = {
            "PATH": "/usr/bin:/bin",
            "HOME": f"{work}/home",
            "LANG": "C.UTF-8",
            "LANGUAGE": "en",
            "GSETTINGS_BACKEND": "memory",
            "OPENAI_API_KEY": OPENAI_KEY,
            "BYTEGPT_ASSISTANT_ID": "asst_Nagios0123456789",
            "KOMMO_SUBDOMAIN": "acme",
            "KOMMO_TOKEN": KOMMO_TOKEN,
        }
        for name in ("GSETTINGS_SCHEMA_DIR", "BGPT_LOCALEDIR"):
            if name in os.environ:
                environment[name] = os.environ[name]
        started = time.monotonic()
        returncode, status = run_nagios(work, environment)
        report(returncode == 0, f"Nagios ran and stopped cleanly in {time.monotonic() - started:.1f} s",
               open(f"{work}/nagios.out").read())
    finally:
        for process in simulators.values():
            process.terminate()
            process.wait()

    for case, _, _, state, words in CASES + [("negate", None, {}, 2, "BYTEGPT CRITICAL - 3 checks passed")]:
        service = status.get(f"ByteGPT {case}")
        try:
            if service is None or service.get("has_been_checked") != "1":
                raise AssertionError(f"Nagios never checked it: {service}")
            output = service["plugin_output"]
            perfdata = service["performance_data"]
            long_output = unescape(service["long_plugin_output"])
            if int(service["current_state"]) != state:
                raise AssertionError(f"state {service['current_state']}, expected {state}: {output}")
            if not output.startswith(words):
                raise AssertionError(f"plugin output {output!r}")
            # What Nagios kept, put back together, is still the plugin's grammar.
            whole = (output + (" | " + perfdata.strip() if perfdata else "") + "\n"
                     + (long_output + "\n" if long_output else ""))
            parsed = plugin_grammar.parse(whole.encode("utf-8", "surrogateescape"),
                                          ascii_only=case == "negate")
            # Each check's time; and the rate-limit headroom openai.key saw.
            times = [metric for metric in parsed["perfdata"]
                     if not metric[0].startswith("openai.key.remaining_")]
            headroom = {metric[0]: metric for metric in parsed["perfdata"]
                        if metric[0].startswith("openai.key.remaining_")}
            labels = {metric[0] for metric in times}
            if case == "unknown":
                if perfdata or "Account \u201cdefault\u201d: The Kommo subdomain is not valid" not in output + long_output:
                    raise AssertionError(f"{output!r} {perfdata!r} {long_output!r}")
            else:
                expected = CHECKS_THAT_RUN if case in ("ok", "negate") else CHECKS_THAT_RUN_KEY_FAILING
                if labels != expected:
                    raise AssertionError(f"perfdata {perfdata!r}")
                if any(metric[5:] != ("0", "20") for metric in times):
                    raise AssertionError(f"min and max are not 0 and the README's 20: {perfdata!r}")
                if case == "ok" and sorted(headroom) != ["openai.key.remaining_requests",
                                                         "openai.key.remaining_tokens"]:
                    raise AssertionError(f"no rate-limit headroom: {perfdata!r}")
                if any(metric[5] != "0" or not 0 <= metric[1] <= float(metric[6])
                       for metric in headroom.values()):
                    raise AssertionError(f"headroom not from 0 to the limit: {perfdata!r}")
                if not any(line.startswith("openai.model: skipped") for line in parsed["long_output"]):
                    raise AssertionError(f"long output {long_output!r}")
            if case == "critical" and "acme.kommo.com \u00a6 502: Bad gateway" not in long_output:
                raise AssertionError(f"the proxy's page title is not in the long output: {long_output!r}")
            report(True, f"Nagios recorded the {case} service: {output}")
        except (AssertionError, KeyError, plugin_grammar.GrammarError) as error:
            report(False, f"Nagios recorded the {case} service", error)

    leaks = []
    for directory, _, files in os.walk(work):
        for name in files:
            path = os.path.join(directory, name)
            if os.path.islink(path) or not os.path.isfile(path):
                continue
            data = open(path, "rb").read()
            if OPENAI_KEY.encode() in data or KOMMO_TOKEN.encode() in data:
                leaks.append(path)
    report(not leaks and os.path.exists(f"{work}/status.copy"),
           "no secret in any file Nagios wrote", leaks)


def test_icinga2(work):
    """The README's CheckCommand and apply rule, validated by Icinga 2 with
    a host for the rule to apply to; a broken copy must fail."""
    block = readme_block("icinga2")
    host = 'object Host NodeName {\n  check_command = "bytegpt"\n}\n'
    user = pwd.getpwuid(os.getuid()).pw_name
    group = grp.getgrgid(os.getgid()).gr_name
    for name in ("cache", "log", "run", "lib"):
        os.makedirs(f"{work}/icinga2/{name}", exist_ok=True)

    def validate(text):
        path = f"{work}/icinga2/bytegpt.conf"
        with open(path, "w") as f:
            f.write(text)
        return subprocess.run(
            [icinga2_bin, "daemon", "-C", "-c", path,
             f"-DConfiguration.CacheDir={work}/icinga2/cache",
             f"-DConfiguration.LogDir={work}/icinga2/log",
             f"-DConfiguration.InitRunDir={work}/icinga2/run",
             f"-DConfiguration.DataDir={work}/icinga2/lib",
             f"-DConfiguration.RunAsUser={user}", f"-DConfiguration.RunAsGroup={group}"],
            capture_output=True, text=True, timeout=120 * SCALE)

    good = validate(block + host)
    report(good.returncode == 0 and "Instantiated 1 Service" in good.stdout
           and "Instantiated 1 CheckCommand" in good.stdout,
           "Icinga 2 validates the README's CheckCommand and service", good.stdout + good.stderr)
    broken = validate(block.replace('"--timeout" = {', '"--timeout" = {{', 1) + host)
    report(broken.returncode != 0, "Icinga 2 refuses a broken copy of it", broken.stdout)


def main():
    print("TAP version 13")
    print("1..10")
    work = tempfile.mkdtemp(prefix="nagios-", dir=os.path.join(build, "tests"))
    os.chmod(work, 0o755)
    try:
        if os.access(nagios_bin, os.X_OK) and os.access(negate, os.X_OK):
            test_nagios(work)
        else:
            skip(8, "nagios4-core or monitoring-plugins-basic is not installed")
        if os.access(icinga2_bin, os.X_OK):
            test_icinga2(work)
        else:
            skip(2, "icinga2-bin is not installed")
    finally:
        if all(results):
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"# the throwaway configuration and Nagios's files are kept in {work}")
    return 0 if all(results) else 1


sys.exit(main())
