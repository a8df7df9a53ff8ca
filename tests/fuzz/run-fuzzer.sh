#!/bin/sh
# Fuzzes one libFuzzer target for a bounded time, starting from its seed
# corpus, and reports the run as TAP. New inputs that reach new code are kept
# in WORKDIR/corpus; an input that crashes is saved in WORKDIR as crash-…
# (add it to the seed corpus once the bug is fixed, so fuzz-replay keeps it).
#
# usage: run-fuzzer.sh FUZZER SEED_CORPUS WORKDIR
# BGPT_FUZZ_SECONDS sets the time (default 30).
#
# Two passes: the fuzzing itself runs without leak checks, because a useful
# leak report needs the slow unwinder (GLib has no frame pointers) and would
# cut the executions tenfold; then every input of the corpus runs once more
# under LeakSanitizer with full stacks and lsan.supp beside this script.
set -u
fuzzer=${1:?fuzzer} seeds=${2:?seed corpus} workdir=${3:?work directory}
seconds=${BGPT_FUZZ_SECONDS:-30}
name=$(basename "$fuzzer")
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$workdir/corpus" || exit 1
log="$workdir/fuzz.log"
leak_log="$workdir/leaks.log"
# GLib's slice allocator would hide leaks and use-after-free from ASan.
export G_SLICE=always-malloc

echo "TAP version 13"
echo "1..2"

ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
  "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -detect_leaks=0 -print_final_stats=1 -artifact_prefix="$workdir/" \
  "$workdir/corpus" "$seeds" >"$log" 2>&1
status=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
cov=$(sed -n 's/^#[0-9]*.*DONE *cov: \([0-9]*\) ft: \([0-9]*\).*/cov \1, ft \2/p' "$log" | tail -n 1)
if [ $status -eq 0 ]; then
  echo "ok 1 - $name: ${runs:-?} executions in ${seconds}s (${speed:-?}/s, ${cov:-no coverage line}), no crash"
else
  echo "not ok 1 - $name crashed (exit $status) after ${runs:-?} executions"
  grep -E 'ERROR|SUMMARY|^ *#[0-9]+ 0x|Test unit written|\*\*' "$log" | head -80 | sed 's/^/# /'
fi

inputs=$(ls "$workdir/corpus" "$seeds" | wc -l)
ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=1:fast_unwind_on_malloc=0" \
LSAN_OPTIONS="suppressions=$here/lsan.supp:print_suppressions=0" \
  "$fuzzer" -runs=0 -timeout=10 "$workdir/corpus" "$seeds" >"$leak_log" 2>&1
leak_status=$?
if [ $leak_status -eq 0 ]; then
  echo "ok 2 - $name: no leak over the corpus (about $inputs inputs)"
else
  echo "not ok 2 - $name: the corpus leaks or crashes under LeakSanitizer (exit $leak_status)"
  grep -E 'ERROR|SUMMARY|leak of|^ *#[0-9]+ 0x' "$leak_log" | head -80 | sed 's/^/# /'
fi

[ $status -eq 0 ] && [ $leak_status -eq 0 ]
