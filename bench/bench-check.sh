#!/usr/bin/env bash
# How fast and how small one `bytegpt-monitor --check` is, against the
# simulator run as its own process (bench-simulator).
#
#   bench/bench-check.sh [BUILD_DIR [BASELINE_BUILD_DIR]]
#                                        (default: _build; also `meson test --benchmark`)
#
# Figures, with their targets (issue 3):
#   1. every endpoint answering after 300 ms: one --check (Kommo + key +
#      assistant) against three sequential curl calls to the same endpoints;
#      target ≤ 0.6 × the three calls and ≤ one call + 400 ms
#   2. peak RSS of --check: ≤ 30 MiB
#   3. peak RSS of --check when every endpoint sends 64 MiB: ≤ 60 MiB
#   4. a stalled server with --timeout=2: the run ends within 2.0–2.5 s
#   5. with a baseline build (another commit, built in its own directory): one
#      account's round (Kommo, key, model, assistant; every endpoint answering
#      after 300 ms) against the baseline's, side by side in the same run, the
#      two alternating; target: the medians within ±10 % (issue 13: checks
#      that depend on others still start together)
# Prints one line per figure and "FAIL" next to a missed target; exits 1
# when any target is missed.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$top/_build}
baseline=${2:-}
monitor=$build/src/bytegpt-monitor
simulator=$build/bench/bench-simulator
runs=${BENCH_RUNS:-5}

for tool in curl /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench-check: needs $tool" >&2; exit 2; }
done
[ -x "$monitor" ] && [ -x "$simulator" ] || { echo "bench-check: build $build first" >&2; exit 2; }

sim_pid=
sim_out=$(mktemp)
cleanup() {
  [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
  rm -f "$sim_out"
}
trap cleanup EXIT

# start_simulator ARGS…: sets $url
start_simulator() {
  cleanup
  sim_out=$(mktemp)
  "$simulator" "$@" >"$sim_out" &
  sim_pid=$!
  url=
  for _ in $(seq 100); do
    url=$(head -n 1 "$sim_out" 2>/dev/null || true)
    [ -n "$url" ] && break
    sleep 0.05
  done
  [ -n "$url" ] || { echo "bench-check: the simulator did not start" >&2; exit 2; }
}

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# The secrets go through the environment of this child only: benchmark
# values, never real ones.
check() {
  env -i PATH="$PATH" HOME="${HOME:-/tmp}" LANG=C.UTF-8 GSETTINGS_BACKEND=memory \
    OPENAI_API_KEY=sk-bench-0123456789abcdef OPENAI_BASE_URL="$url/v1" \
    BYTEGPT_ASSISTANT_ID=asst_Bench0123456789 \
    KOMMO_SUBDOMAIN=bench KOMMO_TOKEN=kommo-bench-0123456789 KOMMO_BASE_URL="$url" \
    "$@"
}

curl_one() {
  curl -s -o /dev/null --max-time 10 -H "Authorization: Bearer bench" "$@"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

failed=0
verdict() {  # verdict OK_CONDITION
  if eval "$1"; then echo "ok"; else echo "FAIL"; failed=1; fi
}

# 1. Latency with every endpoint answering after 300 ms.
start_simulator --delay=300
one=() three=() checks=()
for _ in $(seq "$runs"); do
  t0=$(now_ms)
  curl_one "$url/api/v4/account"
  t1=$(now_ms)
  curl_one "$url/v1/models"
  curl_one -H "OpenAI-Beta: assistants=v2" "$url/v1/assistants/asst_Bench0123456789"
  t2=$(now_ms)
  check "$monitor" --check >/dev/null || true
  t3=$(now_ms)
  one+=($((t1 - t0))) three+=($((t2 - t0))) checks+=($((t3 - t2)))
done
one_ms=$(printf '%s\n' "${one[@]}" | median)
three_ms=$(printf '%s\n' "${three[@]}" | median)
check_ms=$(printf '%s\n' "${checks[@]}" | median)
ratio=$(awk -v c="$check_ms" -v t="$three_ms" 'BEGIN { printf "%.2f", c / t }')
echo "latency: --check ${check_ms} ms; 3 sequential curl ${three_ms} ms; 1 curl ${one_ms} ms" \
     "(median of $runs); ratio ${ratio} (≤ 0.60): $(verdict "[ $((check_ms * 100)) -le $((three_ms * 60)) ]")," \
     "over one curl $((check_ms - one_ms)) ms (≤ 400): $(verdict "[ $((check_ms - one_ms)) -le 400 ]")"

# 2. Peak RSS of an ordinary run.
start_simulator
rss=$( { check /usr/bin/time -f '%M' "$monitor" --check 2>&1 >/dev/null || true; } | tail -n 1)
echo "peak RSS of --check: $((rss / 1024)) MiB (${rss} KiB, ≤ 30 MiB): $(verdict "[ $rss -le $((30 * 1024)) ]")"

# 3. Peak RSS when every endpoint sends a 64 MiB body.
start_simulator huge-body
rss=$( { check /usr/bin/time -f '%M' "$monitor" --check 2>&1 >/dev/null || true; } | tail -n 1)
echo "peak RSS with 64 MiB bodies: $((rss / 1024)) MiB (${rss} KiB, ≤ 60 MiB): $(verdict "[ $rss -le $((60 * 1024)) ]")"

# 4. A server that never answers, cut off by --timeout=2.
start_simulator stall-headers
t0=$(now_ms)
check "$monitor" --check --timeout=2 >/dev/null || true
t1=$(now_ms)
stall_ms=$((t1 - t0))
echo "stalled server, --timeout=2: ${stall_ms} ms (2000–2500): $(verdict "[ $stall_ms -ge 2000 ] && [ $stall_ms -le 2500 ]")"

# 5. Side by side with the baseline build.
if [ -n "$baseline" ]; then
  base_monitor=$baseline/src/bytegpt-monitor
  [ -x "$base_monitor" ] || { echo "bench-check: build $baseline first" >&2; exit 2; }
  start_simulator --delay=300
  new=() old=()
  for i in $(seq $((runs * 4))); do
    # Alternate which goes first, so that neither always meets a warm server.
    for which in $( [ $((i % 2)) -eq 0 ] && echo new old || echo old new ); do
      binary=$monitor
      [ "$which" = old ] && binary=$base_monitor
      t0=$(now_ms)
      check BYTEGPT_MODEL=gpt-bench-model "$binary" --check >/dev/null || true
      t1=$(now_ms)
      if [ "$which" = new ]; then new+=($((t1 - t0))); else old+=($((t1 - t0))); fi
    done
  done
  new_ms=$(printf '%s\n' "${new[@]}" | median)
  old_ms=$(printf '%s\n' "${old[@]}" | median)
  change=$(awk -v n="$new_ms" -v o="$old_ms" 'BEGIN { printf "%+.1f", (n - o) * 100 / o }')
  echo "round latency side by side: this build ${new_ms} ms, baseline ${old_ms} ms" \
       "(median of ${#new[@]} each), ${change} % (within ±10 %):" \
       "$(verdict "[ $((new_ms * 100)) -le $((old_ms * 110)) ] && [ $((new_ms * 100)) -ge $((old_ms * 90)) ]")"
fi

exit "$failed"
