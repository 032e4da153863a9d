#!/usr/bin/env bash
# Builds healcap's libFuzzer targets (tests/fuzz) in their own build folder with clang, makes the seed corpora,
# and fuzzes each target for a while, one after the other; then prints, per target, the wall seconds, the
# executions (libFuzzer's stat::number_of_executed_units), the corpus size and the crashes found.
#
# Usage: scripts/fuzz.sh [-t SECONDS] [-b BUILD_DIR] [-c CORPUS_DIR] [-a ARTIFACT_DIR] [-j JOBS] [TARGET...]
#   -t SECONDS      per target [600; env FUZZ_SECONDS]
#   -b BUILD_DIR    the fuzz build [build-fuzz; env FUZZ_BUILD_DIR]
#   -c CORPUS_DIR   corpora, one folder per target, kept between runs [fuzz-corpus; env FUZZ_CORPUS_DIR]
#   -a ARTIFACT_DIR crash, leak, timeout and OOM inputs, one folder per target [fuzz-artifacts; env FUZZ_ARTIFACT_DIR]
#   -j JOBS         build jobs [2; env FUZZ_JOBS]
#   TARGET...       text_records, panel_loader, partial, biomarker_input [all four]
# Relative folders are under the project root. Nothing here is committed: the corpora and artifacts are
# yours to keep or delete. After a crash the target is started again for the time left, so one run can
# find several; minimise a crash with
#   BUILD_DIR/tests/fuzz/fuzz_TARGET -minimize_crash=1 -runs=100000 -exact_artifact_path=OUT CRASH_FILE
# and keep it in tests/fuzz/regressions/TARGET/ (CTest's fuzz.regressions runs those).
# Extra libFuzzer flags: FUZZ_FLAGS="-max_len=4096 ...". A target's exit status other than crash (e.g. a
# bad flag) stops the script.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${FUZZ_SECONDS:-600}
build=${FUZZ_BUILD_DIR:-build-fuzz}
corpus=${FUZZ_CORPUS_DIR:-fuzz-corpus}
artifacts=${FUZZ_ARTIFACT_DIR:-fuzz-artifacts}
jobs=${FUZZ_JOBS:-2}
all_targets=(text_records panel_loader partial biomarker_input)

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while getopts "t:b:c:a:j:h" o; do
  case $o in
    t) seconds=$OPTARG ;;
    b) build=$OPTARG ;;
    c) corpus=$OPTARG ;;
    a) artifacts=$OPTARG ;;
    j) jobs=$OPTARG ;;
    h) usage 0 ;;
    *) usage 2 >&2 ;;
  esac
done
shift $((OPTIND - 1))
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
  [[ " ${all_targets[*]} " == *" $t "* ]] || { echo "fuzz.sh: unknown target '$t' (${all_targets[*]})" >&2; exit 2; }
done
[[ $seconds =~ ^[0-9]+$ && $seconds -gt 0 ]] || { echo "fuzz.sh: -t needs a number of seconds" >&2; exit 2; }
abs() { case $1 in /*) echo "$1" ;; *) echo "$root/$1" ;; esac; }
build=$(abs "$build")
corpus=$(abs "$corpus")
artifacts=$(abs "$artifacts")

echo "fuzz.sh: configuring $build" >&2
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DHEALCAP_FUZZ=ON -DBUILD_TESTING=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$build.configure.log" 2>&1 ||
  { cat "$build.configure.log" >&2; exit 1; }
rm -f "$build.configure.log"
echo "fuzz.sh: building the targets and their seeds (-j$jobs)" >&2
cmake --build "$build" -j"$jobs" --target fuzz_seeds "${targets[@]/#/fuzz_}"

seeds=$build/tests/fuzz/seeds
export ASAN_OPTIONS="detect_leaks=1:symbolize=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
summary=()
for t in "${targets[@]}"; do
  bin=$build/tests/fuzz/fuzz_$t
  mkdir -p "$corpus/$t" "$artifacts/$t"
  cp -n "$seeds/$t"/* "$corpus/$t/" 2>/dev/null || true  # the seeds join the kept corpus (never overwriting it)
  log=$artifacts/$t/fuzz.log
  : >"$log"
  flags=(-print_final_stats=1 -timeout=30 -rss_limit_mb=2048 -artifact_prefix="$artifacts/$t/")
  [ -f "$seeds/$t.dict" ] && flags+=(-dict="$seeds/$t.dict")
  [ "$t" = partial ] && flags+=(-close_fd_mask=2)  # `healcap merge` prints a line per merge
  # shellcheck disable=SC2206
  flags+=(${FUZZ_FLAGS:-})
  before=$(find "$artifacts/$t" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  start=$(date +%s)
  execs=0
  runs=0
  echo "fuzz.sh: fuzzing $t for $seconds s (log: $log)" >&2
  while :; do
    left=$((seconds - ($(date +%s) - start)))
    [ $left -gt 0 ] || break
    runs=$((runs + 1))
    rc=0
    "$bin" "${flags[@]}" -max_total_time="$left" "$corpus/$t" >>"$log" 2>&1 || rc=$?
    n=$(grep -a 'stat::number_of_executed_units' "$log" | tail -1 | awk '{print $2}')
    execs=$((execs + ${n:-0}))
    # Mark this run's stats as counted (a crash's run prints them too).
    sed -i 's/^stat::number_of_executed_units/counted::number_of_executed_units/' "$log"
    [ $rc -eq 0 ] && break
    if ! grep -aq -e 'Test unit written to' -e 'ERROR: libFuzzer' "$log"; then
      echo "fuzz.sh: $t exited with $rc without a crash report; see $log" >&2
      tail -20 "$log" >&2
      exit 1
    fi
    echo "fuzz.sh: $t crashed (run $runs; $(grep -a 'Test unit written to' "$log" | tail -1)); starting again" >&2
    [ $runs -ge 50 ] && { echo "fuzz.sh: $t: 50 restarts, giving up" >&2; break; }
  done
  wall=$(($(date +%s) - start))
  after=$(find "$artifacts/$t" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  size=$(find "$corpus/$t" -maxdepth 1 -type f | wc -l)
  summary+=("$(printf '%-13s %8s %12s %8s %8s' "$t" "$wall" "$execs" "$size" "$((after - before))")")
done

printf '\n%-13s %8s %12s %8s %8s\n' target seconds executions corpus crashes
printf '%s\n' "${summary[@]}"
echo
echo "corpora:   $corpus/TARGET"
echo "artifacts: $artifacts/TARGET (crash-*, leak-*, timeout-*, oom-*; fuzz.log: the log of the last fuzz.sh run)"
