# SPDX-License-Identifier: GPL-3.0-or-later
"""A strict reader of the monitoring plugin output grammar (Nagios plugin
API, monitoring-plugins development guidelines), for the tests of
`bytegpt-monitor --check`:

    TEXT [' |' PERFDATA] '\n'
    LONG OUTPUT LINE '\n' ...

with PERFDATA a space-separated list of
    'label'=value[UOM];[warn];[crit];[min];[max]

Stricter than an engine: the only '|' is the one on the first line, long
output carries no performance data, every byte is valid UTF-8, and the
first line's summary is under 80 characters.

Also the TAP reporting the plugin tests share."""

import re
import sys

STATES = {"OK": 0, "WARNING": 1, "CRITICAL": 2, "UNKNOWN": 3}
UOMS = ("", "s", "ms", "us", "%", "B", "KB", "MB", "TB", "c")
NUMBER = r"-?[0-9]+(?:\.[0-9]+)?"
RANGE = r"@?(?:~|" + NUMBER + r")?:?(?:" + NUMBER + r")?"
PERF_TOKEN = re.compile(
    r"'(?P<label>[^'=]+)'=(?P<value>" + NUMBER + r")(?P<uom>[A-Za-z%]*)"
    r"(?:;(?P<warn>" + RANGE + r")?(?:;(?P<crit>" + RANGE + r")?"
    r"(?:;(?P<min>" + NUMBER + r")?(?:;(?P<max>" + NUMBER + r")?)?)?)?)?$")
FIRST_LINE = re.compile(r"^BYTEGPT (?P<state>OK|WARNING|CRITICAL|UNKNOWN) - (?P<summary>\S.*)$")


class GrammarError(AssertionError):
    pass


def _fail(message, output):
    raise GrammarError(f"{message}\n--- output ---\n{output!r}")


def parse_perfdata(text, output=""):
    """[(label, value, uom, warn, crit, min, max)] of a perfdata string."""
    metrics = []
    if not text.strip():
        _fail("an empty performance data part after '|'", output)
    for token in text.split(" "):
        if token == "":
            continue
        match = PERF_TOKEN.match(token)
        if not match:
            _fail(f"performance data token {token!r} breaks the grammar", output)
        if match["uom"] not in UOMS:
            _fail(f"unit {match['uom']!r} of {token!r} is not a plugin unit", output)
        metrics.append((match["label"], float(match["value"]), match["uom"], match["warn"] or None,
                        match["crit"] or None, match["min"] or None, match["max"] or None))
    labels = [m[0] for m in metrics]
    if len(labels) != len(set(labels)):
        _fail(f"a label appears twice: {labels}", output)
    return metrics


def parse(raw, ascii_only=False):
    """Reads the bytes of one plugin run; returns a dict with state,
    summary, perfdata (a list of tuples) and long_output (a list of lines).
    Raises GrammarError on anything the grammar does not allow."""
    try:
        output = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        _fail(f"not valid UTF-8: {error}", repr(raw))
    if ascii_only and any(ord(c) > 0x7e for c in output):
        _fail("non-ASCII output under an ASCII locale", output)
    if ascii_only and "?" in output:
        _fail("a '?' under an ASCII locale: a character was lost", output)
    if not output.endswith("\n"):
        _fail("the output does not end with a line break", output)
    for c in output:
        if c != "\n" and (ord(c) < 0x20 or 0x7f <= ord(c) < 0xa0 or c in "\u2028\u2029"):
            _fail(f"control character {c!r} in the output", output)

    lines = output[:-1].split("\n")
    first, long_output = lines[0], lines[1:]
    if output.count("|") > 1 or any("|" in line for line in long_output):
        _fail("a '|' outside the first line's one separator", output)

    text, _, perfdata = first.partition("|")
    perf = []
    if "|" in first:
        if not text.endswith(" "):
            _fail("no space before '|'", output)
        text = text[:-1]
        if not all(ord(c) < 0x80 for c in perfdata):
            _fail("non-ASCII performance data", output)
        perf = parse_perfdata(perfdata, output)
    match = FIRST_LINE.match(text)
    if not match:
        _fail("the first line is not 'BYTEGPT STATE - summary'", output)
    if len(text) >= 80:
        _fail(f"the first line's text is {len(text)} characters long", output)
    if any(line.strip() == "" for line in long_output):
        _fail("an empty line in the long output", output)
    return {"state": match["state"], "summary": match["summary"], "perfdata": perf,
            "long_output": long_output}


results = []


def report(ok, name, detail=""):
    """One TAP result; a failure's detail follows as comments."""
    results.append(ok)
    print(f"{'ok' if ok else 'not ok'} {len(results)} - {name}")
    if not ok:
        for line in str(detail).splitlines()[:80]:
            print(f"# {line}")
    sys.stdout.flush()


def skip(count, reason):
    for _ in range(count):
        results.append(True)
        print(f"ok {len(results)} # SKIP {reason}")
