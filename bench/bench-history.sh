#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The result history at scale, under an Xvfb of its own with
# GSK_RENDERER=cairo in a private D-Bus session with a throwaway home
# (tests/keyring-session.sh --display, and --wayland where Weston is
# installed) and 100 stored accounts:
# - loading 100 accounts × 90 days (target: at most 100 ms);
# - appending a result: time, bytes and write(2) calls per result;
# - the app's first frame with that history and without it, run after run
#   side by side (target: at most 1.1 times);
# - the Status rows of the 100 accounts scrolled down and up on the frame
#   clock, the same distance each frame (a 60 Hz display's at that speed),
#   three times: by steps from where the list is, as a wheel or a touchpad
#   moves it (the window's first scroll, then the next), then along the
#   scrollbar, as dragging it does; the work per frame split into layout
#   and drawing, the frames over 16 ms by number (target: no frame over
#   16 ms of work), and the frames in which the list went back against the
#   scroll; on X11 (Xvfb), and on Wayland
#   (a headless Weston), as a GNOME session runs the app, when Weston is
#   installed (apt-get install weston).
#
#   bench/bench-history.sh BUILD_DIR [RUNS]
set -eu
build=$(cd "${1:?build dir}" && pwd)
runs=${2:-7}
top=$(cd "$(dirname "$0")/.." && pwd)

if [ -z "${BGPT_BENCH_INSIDE:-}" ]; then
  export BGPT_BENCH_INSIDE=1
  wayland=
  if command -v weston > /dev/null; then
    wayland=--wayland
  fi
  exec "$top/tests/keyring-session.sh" --display $wayland --keyfile-settings -- "$0" "$@"
fi

# X11 unless a run says otherwise: GTK would pick Wayland when it is there.
export GDK_BACKEND=x11
export GSK_RENDERER=cairo NO_AT_BRIDGE=1
export GSETTINGS_SCHEMA_DIR="$build/data" BGPT_LOCALEDIR="$build/po"
export LANGUAGE=pt_BR LANG=C.UTF-8
bench="$build/bench/bench-history"

# 100 accounts, as a user with many clients has them.
mkdir -p "$XDG_CONFIG_HOME/glib-2.0/settings"
settings="$XDG_CONFIG_HOME/glib-2.0/settings/keyfile"
ids=$(seq -f 'loja-%03g' 0 99 | sed "s/.*/'&'/" | paste -sd, -)
printf '[io/github/bytegpt/Monitor]\naccounts=[%s]\n' "$ids" > "$settings"
for id in $(seq -f 'loja-%03g' 0 99); do
  printf "\n[io/github/bytegpt/Monitor/accounts/%s]\ndisplay-name='%s'\nkommo-subdomain='%s'\n" \
    "$id" "$id" "$id" >> "$settings"
  printf "kommo-base-url='http://127.0.0.1:9'\nopenai-base-url='http://127.0.0.1:9/v1'\nmodel='gpt-4.1-mini'\n" \
    >> "$settings"
done

state="${XDG_STATE_HOME:-$HOME/.local/state}/bytegpt-monitor"
full="$HOME/history-100x90"
mkdir -p "$state"
echo "== 100 accounts × 90 days"
"$bench" generate "$full" 100
"$bench" load "$full" "$runs"

echo "== Appending"
cp -r "$full" "$HOME/history-append"
"$bench" append "$HOME/history-append" 10000
if command -v strace > /dev/null; then
  strace -f -c -e trace=write,pwrite64,writev,fsync,fdatasync -o "$HOME/strace.txt" \
    "$bench" append "$HOME/history-append" 1000 > /dev/null
  echo "system calls for 1000 appends (strace -c):"
  grep -E 'write|sync' "$HOME/strace.txt" || true
else
  echo "system calls for 1000 appends: not counted (no strace here)"
fi

echo "== First frame of the app, with and without that history, side by side"
: > "$HOME/with.txt"
: > "$HOME/without.txt"
for i in $(seq 1 "$runs"); do
  rm -rf "$state/history"
  "$build/bench/bench-startup" 1 -- "$build/src/bytegpt-monitor" | grep '^run' >> "$HOME/without.txt"
  cp -r "$full" "$state/history"
  "$build/bench/bench-startup" 1 -- "$build/src/bytegpt-monitor" | grep '^run' >> "$HOME/with.txt"
done
median() {
  sed -n 's/.*first frame \([0-9.]*\) ms.*/\1/p' "$1" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
without=$(median "$HOME/without.txt")
with=$(median "$HOME/with.txt")
echo "without history: first frame median $without ms ($(sed -n 's/.*first frame \([0-9.]*\) ms.*/\1/p' "$HOME/without.txt" | paste -sd' ' -))"
echo "with history:    first frame median $with ms ($(sed -n 's/.*first frame \([0-9.]*\) ms.*/\1/p' "$HOME/with.txt" | paste -sd' ' -))"
echo "ratio (target: at most 1.1): $(awk -v a="$with" -v b="$without" 'BEGIN { printf "%.2f", a / b }')"

echo "== Scrolling the Status rows of 100 accounts, without a history and with it"
"$bench" scroll "$HOME/no-history" 6
"$bench" scroll "$full" 6
if [ -n "${WAYLAND_DISPLAY:-}" ]; then
  GDK_BACKEND=wayland "$bench" scroll "$HOME/no-history" 6
  GDK_BACKEND=wayland "$bench" scroll "$full" 6
else
  echo "scroll on Wayland: not measured (no weston here: apt-get install weston)"
fi
