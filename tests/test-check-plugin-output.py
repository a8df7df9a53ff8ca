#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""`bytegpt-monitor --check` read by a strict parser of the plugin grammar
(plugin_grammar.py), once for every simulator scenario (bench-simulator
--list, so a new scenario is covered without touching this file), in four
locales: English, LC_ALL=C, pt_BR, and pt_BR under an ASCII charset. Then
`negate` from monitoring-plugins around --check. Prints TAP.

usage: test-check-plugin-output.py BUILD_ROOT"""

import os
import subprocess
import sys
import tempfile

# No __pycache__ in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import plugin_grammar  # noqa: E402
from plugin_grammar import report, results, skip  # noqa: E402
from plugin_grammar import GrammarError  # noqa: E402

build = os.path.abspath(sys.argv[1])
monitor = os.path.join(build, "src", "bytegpt-monitor")
simulator_bin = os.path.join(build, "bench", "bench-simulator")
negate = "/usr/lib/nagios/plugins/negate"

OPENAI_KEY = "sk-grammar-0123456789abcdefXYZ"
KOMMO_TOKEN = "kommo-grammar-0123456789abcdef"
ADMIN_KEY = "sk-admin-grammar-0123456789abcdef"
BUDGET = "100.00"
TIMEOUT_S = 2
CHECKS = ("kommo.account", "openai.key", "openai.model", "openai.assistant", "openai.quota",
          "openai.costs")
LOCALES = {
    "en": ({"LANG": "C.UTF-8", "LANGUAGE": "en"}, False),
    "C": ({"LANG": "C.UTF-8", "LC_ALL": "C"}, True),
    "pt_BR": ({"LANG": "C.UTF-8", "LANGUAGE": "pt_BR"}, False),
    "pt_BR-ascii": ({"LANG": "C.UTF-8", "LC_CTYPE": "C", "LANGUAGE": "pt_BR"}, True),
}

class Simulator:
    def __init__(self, *scenarios):
        self.process = subprocess.Popen([simulator_bin, *scenarios], stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, text=True)
        self.url = self.process.stdout.readline().strip()
        if not self.url.startswith("http://127.0.0.1:"):
            raise RuntimeError(f"bench-simulator {scenarios} did not start")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait()


def environment(url, home, extra):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": home,
        "XDG_CONFIG_HOME": os.path.join(home, "config"),
        "XDG_DATA_HOME": os.path.join(home, "data"),
        "GSETTINGS_BACKEND": "memory",
        "OPENAI_API_KEY": OPENAI_KEY,
        "OPENAI_BASE_URL": url + "/v1",
        "BYTEGPT_MODEL": "gpt-4o-mini",
        "BYTEGPT_ASSISTANT_ID": "asst_Grammar0123456789",
        "KOMMO_SUBDOMAIN": "acme",
        "KOMMO_TOKEN": KOMMO_TOKEN,
        "KOMMO_BASE_URL": url,
        "OPENAI_ADMIN_KEY": ADMIN_KEY,
        "BYTEGPT_MONTHLY_BUDGET_USD": BUDGET,
    }
    for name in ("GSETTINGS_SCHEMA_DIR", "BGPT_LOCALEDIR"):
        if name in os.environ:
            env[name] = os.environ[name]
    env.update(extra)
    return env


def assert_no_secret(*texts):
    for text in texts:
        for secret in (OPENAI_KEY, KOMMO_TOKEN, ADMIN_KEY):
            if secret.encode() in text:
                raise GrammarError(f"a secret is in the output: {text!r}")


def check_long_output(parsed, raw):
    """English: one line per check; exactly the checks that ran have a
    time, from 0 to the timeout, and the others none."""
    statuses = {}
    for line in parsed["long_output"]:
        head, sep, _ = line.partition(" — ")
        check, _, status = head.partition(": ")
        if sep and check in CHECKS:
            statuses[check] = status
    if set(statuses) != set(CHECKS):
        raise GrammarError(f"not one line per check: {statuses}\n{raw!r}")
    ran = {check for check, status in statuses.items() if status in ("OK", "ERROR")}
    times = [metric for metric in parsed["perfdata"] if metric[0] in CHECKS]
    spend = [metric for metric in parsed["perfdata"] if metric[0] == "openai.spend"]
    headroom = [metric for metric in parsed["perfdata"]
                if metric[0] not in CHECKS and metric[0] != "openai.spend"]
    labels = {metric[0] for metric in times}
    if labels != ran:
        raise GrammarError(f"perfdata {sorted(labels)} but the checks that ran are {sorted(ran)}")
    if statuses["openai.costs"] == "OK" and not spend:
        raise GrammarError(f"the costs were read but the spend is not in the perfdata\n{raw!r}")
    # The month's spend in dollars, from 0 to the budget.
    for label, value, uom, warn, crit, minimum, maximum in spend:
        if (uom, warn, crit, minimum, maximum) != ("", None, None, "0", BUDGET) or value < 0:
            raise GrammarError(f"metric {label} is {value}{uom};{warn};{crit};{minimum};{maximum}")
    for label, value, uom, warn, crit, minimum, maximum in times:
        if (uom, warn, crit, minimum, maximum) != ("s", None, None, "0", str(TIMEOUT_S)) or value < 0:
            raise GrammarError(f"metric {label} is {value}{uom};{warn};{crit};{minimum};{maximum}")
    # The rate-limit headroom openai.key saw: a count left, a warning below
    # a tenth of the limit, from 0 to the limit.
    for label, value, uom, warn, crit, minimum, maximum in headroom:
        if (label not in ("openai.key.remaining_requests", "openai.key.remaining_tokens")
                or "openai.key" not in ran or uom != "" or crit is not None or minimum != "0"
                or maximum is None or not 0 <= value <= float(maximum)
                or warn != f"{-(-int(maximum) // 10)}:"):
            raise GrammarError(f"metric {label} is {value}{uom};{warn};{crit};{minimum};{maximum}")


def run_check(url, home, extra, command=(monitor, "--check", "--deep", "-t", str(TIMEOUT_S))):
    return subprocess.Popen(command, env=environment(url, home, extra),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_scenario(scenario, home):
    with Simulator(scenario) as simulator:
        # The four locales at once: the simulator answers them together.
        processes = {name: run_check(simulator.url, home, env)
                     for name, (env, _) in LOCALES.items()}
        outputs = {name: process.communicate(timeout=60) + (process.returncode,)
                   for name, process in processes.items()}

    for name, (out, err, status) in outputs.items():
        ascii_only = LOCALES[name][1]
        try:
            assert_no_secret(out, err)
            parsed = plugin_grammar.parse(out, ascii_only=ascii_only)
            if plugin_grammar.STATES[parsed["state"]] != status:
                raise GrammarError(f"state {parsed['state']} but exit status {status}")
            if err:
                raise GrammarError(f"standard error: {err!r}")
            if name == "en":
                check_long_output(parsed, out)
            expected_state = {"--rate-limit=near": "WARNING", "--rate-limit=malformed": "OK",
                              "--rate-limit=absent": "OK"}.get(scenario, parsed["state"])
            if parsed["state"] != expected_state:
                raise GrammarError(f"state {parsed['state']}, expected {expected_state}")
            if scenario == "ok":
                labels = {metric[0] for metric in parsed["perfdata"]}
                if not {"openai.key.remaining_requests", "openai.key.remaining_tokens"} <= labels:
                    raise GrammarError(f"no rate-limit headroom in the perfdata: {out!r}")
            if scenario == "hostile-text":
                # Cloudflare's title keeps a look-alike where its '|' was.
                look_alike = "/" if ascii_only else "\u00a6"
                if f"acme.kommo.com {look_alike} 502: Bad gateway" not in out.decode():
                    raise GrammarError(f"the proxy's page title is lost: {out!r}")
            report(True, f"{scenario} ({name}): {parsed['state']}")
        except GrammarError as error:
            report(False, f"{scenario} ({name})", error)


def test_negate(home):
    """negate inverts OK and CRITICAL, keeps WARNING and UNKNOWN, and with
    -s rewrites the state word; the output stays a plugin's output under
    the LC_ALL=C negate sets."""
    cases = [
        ("ok", (), 2, "CRITICAL"),
        ("invalid-key", (), 0, "OK"),
        ("rate-limited", (), 1, "WARNING"),
        ("ok", ("--bogus",), 3, "UNKNOWN"),
    ]
    for scenario, extra_args, expected, word in cases:
        name = f"negate -s around {scenario}{' with a usage error' if extra_args else ''}"
        with Simulator(scenario) as simulator:
            process = run_check(simulator.url, home, {"LANG": "C.UTF-8"},
                                (negate, "-s", monitor, "--check", "-t", str(TIMEOUT_S), *extra_args))
            out, err = process.communicate(timeout=60)
        try:
            assert_no_secret(out, err)
            parsed = plugin_grammar.parse(out, ascii_only=True)
            if process.returncode != expected or parsed["state"] != word:
                raise GrammarError(f"exit {process.returncode}, state {parsed['state']}: {out!r}")
            if not extra_args and not (parsed["perfdata"] and parsed["long_output"]):
                raise GrammarError(f"negate lost the perfdata or the long output: {out!r}")
            report(True, name)
        except GrammarError as error:
            report(False, name, error)


def main():
    scenarios = subprocess.run([simulator_bin, "--list"], check=True, capture_output=True,
                               text=True).stdout.split()
    has_negate = os.access(negate, os.X_OK)
    print("TAP version 13")
    # The rate-limit headers OpenAI's answers may carry, besides the usual ones.
    rate_limits = [f"--rate-limit={mode}" for mode in ("near", "malformed", "absent")]
    print(f"1..{(len(scenarios) + len(rate_limits)) * len(LOCALES) + 4}")
    with tempfile.TemporaryDirectory() as home:
        for scenario in scenarios + rate_limits:
            test_scenario(scenario, home)
        if has_negate:
            test_negate(home)
        else:
            skip(4, f"{negate} is not installed (monitoring-plugins-basic)")
    return 0 if all(results) else 1


sys.exit(main())
