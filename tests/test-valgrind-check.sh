#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# `bytegpt-monitor --check` under valgrind memcheck against the simulator
# (bench-simulator, its own process) answering every endpoint with one
# scenario: no invalid access, no definite leak, the documented exit code, and
# JSON output that names catalog errors without the secrets.
#
# usage: test-valgrind-check.sh VALGRIND MONITOR SIMULATOR SCENARIO
# SCENARIO is a simulator scenario, or "refused" for a port nobody listens on.
# Prints TAP.
set -uo pipefail

valgrind=${1:?valgrind} monitor=${2:?monitor} simulator=${3:?simulator} scenario=${4:?scenario}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
openai_key=sk-valgrind-0123456789abcdef
kommo_token=kommo-valgrind-0123456789

work=$(mktemp -d)
sim_pid=
cleanup() {
  [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

echo "TAP version 13"
echo "1..4"

if [ "$scenario" = refused ]; then
  # Bind a port, then free it: nobody listens there during the check.
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  url=http://127.0.0.1:$port
else
  # The simulator prints its address once it listens: reading it from a
  # pipe waits for exactly that, and ends empty if the simulator dies first.
  mkfifo "$work/simulator.out"
  "$simulator" "$scenario" >"$work/simulator.out" 2>"$work/simulator.err" &
  sim_pid=$!
  exec 4<"$work/simulator.out"
  read -r url <&4 || url=
  if [ -z "$url" ]; then
    echo "Bail out! the simulator did not start: $(cat "$work/simulator.err")"
    exit 1
  fi
fi

# Every check runs (model, assistant, deep quota check); configuration and
# secrets come from the environment of this child only, in a throwaway home.
mkdir -p "$work/home"
# valgrind 3.21 added the ReallocZero kind; older ones refuse a file naming it.
suppressions=(--suppressions="$here/valgrind.supp")
case $("$valgrind" --version) in
  valgrind-3.[0-9].*|valgrind-3.1[0-9].*|valgrind-3.20.*) ;;
  *) suppressions+=(--suppressions="$here/valgrind-realloc-zero.supp") ;;
esac
env -i PATH="$PATH" HOME="$work/home" XDG_CONFIG_HOME="$work/home/config" \
  XDG_DATA_HOME="$work/home/data" XDG_STATE_HOME="$work/home/state" \
  XDG_CACHE_HOME="$work/home/cache" LANG=C.UTF-8 GSETTINGS_BACKEND=memory \
  ${GSETTINGS_SCHEMA_DIR:+GSETTINGS_SCHEMA_DIR="$GSETTINGS_SCHEMA_DIR"} \
  G_SLICE=always-malloc G_DEBUG=gc-friendly \
  OPENAI_API_KEY=$openai_key OPENAI_BASE_URL="$url/v1" BYTEGPT_MODEL=gpt-4o-mini \
  BYTEGPT_ASSISTANT_ID=asst_Valgrind0123456789 \
  KOMMO_SUBDOMAIN=valgrind KOMMO_TOKEN=$kommo_token KOMMO_BASE_URL="$url" \
  "$valgrind" --tool=memcheck --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite --show-leak-kinds=definite \
    --num-callers=40 "${suppressions[@]}" \
    --log-file="$work/valgrind.log" \
  "$monitor" --check --json --deep --timeout=4 >"$work/out.json" 2>"$work/err.txt"
status=$?

if [ $status -ne 99 ] && grep -q 'ERROR SUMMARY: 0 errors' "$work/valgrind.log"; then
  echo "ok 1 - $scenario: no invalid access and no definite leak"
else
  echo "not ok 1 - $scenario: valgrind found errors (exit $status)"
  grep -v '^==[0-9]*== *$' "$work/valgrind.log" | grep -A40 -E 'Invalid|uninitialised|definitely lost|Mismatched|ERROR SUMMARY' |
    head -150 | sed 's/^/# /'
fi

# What the command line promises (docs/architecture.md, The --check contract):
# 0 ok, 1 only warnings (rate limits, a retiring model), 2 anything else.
case $scenario in
  ok) expected=0 ;;
  rate-limited|slow-down|model-retiring) expected=1 ;;
  *) expected=2 ;;
esac
if [ $status -eq $expected ]; then
  echo "ok 2 - $scenario: exit code $status"
else
  echo "not ok 2 - $scenario: exit code $status, expected $expected"
  sed 's/^/# /' "$work/err.txt" | head -20
fi

if python3 - "$work/out.json" "$scenario" <<'PY'
import json, sys
out = json.load(open(sys.argv[1], encoding="utf-8"))
scenario = sys.argv[2]
checks = out["checks"]
assert {c["check"] for c in checks} == {"kommo.account", "openai.key", "openai.model",
                                        "openai.assistant", "openai.quota"}, checks
for c in checks:
    if scenario == "ok":
        assert c["status"] in ("ok", "skipped"), c
    elif c["status"] == "error":
        assert "." in c["error"]["id"], c
assert scenario == "ok" or any(c["status"] == "error" for c in checks), checks
PY
then
  echo "ok 3 - $scenario: the JSON output lists every check"
else
  echo "not ok 3 - $scenario: unexpected JSON output"
  head -c 2000 "$work/out.json" | sed 's/^/# /'
fi

if ! grep -qF -e "$openai_key" -e "$kommo_token" "$work/out.json" "$work/err.txt"; then
  echo "ok 4 - $scenario: no secret in the output"
else
  echo "not ok 4 - $scenario: a secret is in the output"
fi
