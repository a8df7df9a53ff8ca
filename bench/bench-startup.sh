#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Start-up of ByteGPT Monitor against an empty AdwApplicationWindow with a
# header bar: time to the first painted window and peak RSS, under the same
# Xvfb and GSK_RENDERER=cairo, in a private D-Bus session with a throwaway
# home (tests/keyring-session.sh) and one stored account, as a user has it.
# Then opening Notificações with 500 stored incidents.
#
#   bench/bench-startup.sh BUILD_DIR [RUNS]
set -eu
build=$(cd "${1:?build dir}" && pwd)
runs=${2:-7}
top=$(cd "$(dirname "$0")/.." && pwd)

if [ -z "${BGPT_BENCH_INSIDE:-}" ]; then
  export BGPT_BENCH_INSIDE=1
  # keyring-session.sh --display: a keyring, a bus and an Xvfb of its own.
  exec "$top/tests/keyring-session.sh" --keyfile-settings --display -- "$0" "$@"
fi

export GSK_RENDERER=cairo NO_AT_BRIDGE=1
export GSETTINGS_SCHEMA_DIR="$build/data" BGPT_LOCALEDIR="$build/po"
export LANGUAGE=pt_BR LANG=C.UTF-8

mkdir -p "$XDG_CONFIG_HOME/glib-2.0/settings"
cat > "$XDG_CONFIG_HOME/glib-2.0/settings/keyfile" <<'KEYFILE'
[io/github/bytegpt/Monitor]
accounts=['default']

[io/github/bytegpt/Monitor/accounts/default]
display-name='Loja Exemplo'
kommo-subdomain='lojaexemplo'
kommo-base-url='http://127.0.0.1:9'
openai-base-url='http://127.0.0.1:9/v1'
model='gpt-4.1-mini'
KEYFILE

echo "== Empty AdwApplicationWindow with a header bar"
"$build/bench/bench-startup" "$runs" -- "$build/bench/bench-empty-window" | tee "$HOME/empty.txt"
echo "== ByteGPT Monitor"
"$build/bench/bench-startup" "$runs" -- "$build/src/bytegpt-monitor" | tee "$HOME/app.txt"

empty=$(tail -n 1 "$HOME/empty.txt")
app=$(tail -n 1 "$HOME/app.txt")
ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
}
field() { echo "$1" | sed -n "s/.*$2 \([0-9.]*\) .*/\1/p"; }
echo "== Ratio to the empty window (target: at most 1.25)"
echo "first frame: $(ratio "$(field "$app" 'first frame')" "$(field "$empty" 'first frame')")"
echo "peak RSS:    $(ratio "$(field "$app" 'peak RSS')" "$(field "$empty" 'peak RSS')")"

echo "== Opening Notificações with 500 stored incidents"
"$build/bench/bench-window-incidents" 5
