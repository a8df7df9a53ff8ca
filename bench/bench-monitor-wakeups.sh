#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The installed-style app monitoring in the background: `bytegpt-monitor
# --background` with one stored account (secrets in a real keyring) pointing
# at bench-simulator, the default 5-minute interval, no window. After its
# first round, counts the context switches of the process over 10 s (from
# /proc/PID/status): the wake-ups a laptop pays for while it waits.
#
#   bench-monitor-wakeups.sh BUILD_ROOT
#
# Run it inside tests/keyring-session.sh --keyfile-settings, under a display
# (bench-monitor.sh does both).
set -eu

build=${1:?build root}
app=$build/src/bytegpt-monitor
export GSETTINGS_SCHEMA_DIR=$build/data BGPT_LOCALEDIR=$build/po GSK_RENDERER=cairo NO_AT_BRIDGE=1

sim_out=$(mktemp)
"$build/bench/bench-simulator" > "$sim_out" &
sim_pid=$!
app_pid=
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  kill "$sim_pid" 2>/dev/null || true
  rm -f "$sim_out"
}
trap cleanup EXIT INT TERM

for _ in $(seq 50); do [ -s "$sim_out" ] && break; sleep 0.1; done
base=$(head -n1 "$sim_out")

account=/io/github/bytegpt/Monitor/accounts/default/
gsettings set io.github.bytegpt.Monitor accounts "['default']"
gsettings set io.github.bytegpt.Monitor.Account:$account display-name 'Loja Bench'
gsettings set io.github.bytegpt.Monitor.Account:$account kommo-base-url "$base"
gsettings set io.github.bytegpt.Monitor.Account:$account openai-base-url "$base/v1"
gsettings set io.github.bytegpt.Monitor.Account:$account model 'gpt-4.1-mini'
printf 'sk-bench-wakeups-0123456789abcdef' | "$app" --store-secret=openai-api-key --account=default >/dev/null
printf 'kommo-bench-wakeups-0123456789' | "$app" --store-secret=kommo-token --account=default >/dev/null
gsettings set io.github.bytegpt.Monitor check-interval 300

"$app" --background &
app_pid=$!
# The keyring read and the first round of checks.
sleep 5
kill -0 "$app_pid" || { echo "not ok - bytegpt-monitor --background exited"; exit 1; }

switches() {
  awk '/^voluntary_ctxt_switches|^nonvoluntary_ctxt_switches/ { n += $2 } END { print n }' \
    "/proc/$1/status"
}
before=$(switches "$app_pid")
sleep 10
after=$(switches "$app_pid")
rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$app_pid/status")
echo "background, 5-minute interval, no window: $((after - before)) context switches in 10 s (target <= 5), RSS $rss KiB"

gdbus call --session --dest io.github.bytegpt.Monitor --object-path /io/github/bytegpt/Monitor \
  --method org.gtk.Actions.Activate quit '[]' '{}' >/dev/null
for _ in $(seq 50); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$app_pid" 2>/dev/null; then
  echo "app.quit did not end the process"
  exit 1
fi
app_pid=
echo "app.quit over D-Bus ended it"
[ $((after - before)) -le 5 ]
