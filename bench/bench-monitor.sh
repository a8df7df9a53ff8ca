#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The monitor's benchmarks, with their figures:
#   1. 100 accounts against one account's round; memory per watched account
#   2. 10,000 check cycles, alternating failure and success: RSS growth
#   3. the same under valgrind memcheck, 300 cycles: no definite leak
#   4. the app in the background with a 5-minute interval: wake-ups in 10 s
#
#   bench-monitor.sh BUILD_ROOT
set -u

build=${1:?build root}
here=$(cd "$(dirname "$0")" && pwd)
export GSETTINGS_SCHEMA_DIR=$build/data GSETTINGS_BACKEND=memory
status=0

echo "== 100 accounts"
"$build/bench/bench-monitor" scale || status=1

echo "== 10,000 cycles"
"$build/bench/bench-monitor" cycles --cycles=10000 || status=1

echo "== valgrind memcheck, 300 cycles"
if command -v valgrind >/dev/null; then
  log=$(mktemp)
  if G_SLICE=always-malloc valgrind --leak-check=full --errors-for-leak-kinds=definite \
       --show-leak-kinds=definite --error-exitcode=99 \
       --suppressions=/usr/share/glib-2.0/valgrind/glib.supp \
       --suppressions="$here/libsoup-server.supp" \
       "$build/bench/bench-monitor" cycles --cycles=300 > "$log" 2>&1; then
    grep -E "definitely lost|ERROR SUMMARY" "$log" | sed 's/^==[0-9]*== */valgrind: /'
  else
    echo "valgrind found errors:"; grep -A30 "definitely lost in" "$log" | head -60
    status=1
  fi
  rm -f "$log"
else
  echo "valgrind not installed: skipped"
fi

echo "== background wake-ups"
unset GSETTINGS_BACKEND
# keyring-session.sh gives the app a display of its own (it unsets DISPLAY).
"$here/../tests/keyring-session.sh" --keyfile-settings --display -- \
  "$here/bench-monitor-wakeups.sh" "$build" || status=1
exit $status
