#!/usr/bin/env bash
# CI smoke run of the speed suite: a tiny generated cohort, every command once. Checks that the runner works
# and that every healcap path agrees (and agrees with plink2); asserts no timings.
# Usage: benchmarks/smoke.sh /path/to/healcap   (CTest passes $<TARGET_FILE:healcap>)
set -euo pipefail
bin=${1:-}
if [ -z "$bin" ] || [ ! -f "$bin" ] || [ ! -x "$bin" ]; then
  echo "smoke.sh: healcap binary missing or not executable: '${bin}' (usage: smoke.sh /path/to/healcap)" >&2
  exit 1
fi
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
src=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$src/scripts/make_cohort.py" --samples 60 --variants 3000 --seed 7 --out "$work/smoke" 2>/dev/null
HEALCAP=$bin SMOKE=1 bash "$src/benchmarks/run_suite.sh" "$work/smoke" >"$work/report.md" || { cat "$work/report.md"; exit 1; }
grep -q '^Output parity .*: ok$' "$work/report.md" || { cat "$work/report.md"; exit 1; }
# The many-inputs suite (issue 9), tiny: 20 files, 5 partials; it exits non-zero when a parity check fails.
HEALCAP=$bin SMOKE=1 bash "$src/benchmarks/run_many_files.sh" >"$work/many.md" || { cat "$work/many.md"; exit 1; }
grep -q '^Parity: loop + merge = one run .*: ok; merge of .*: ok; healcap weighted_sum .*: ok\.$' "$work/many.md" ||
  { cat "$work/many.md"; exit 1; }
echo "2 passed, 0 failed"
