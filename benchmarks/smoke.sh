#!/usr/bin/env bash
# CI smoke run of the speed suite: a tiny generated cohort, every command once. Checks that the runner works
# and that every healcap path agrees (and agrees with plink2); asserts no timings.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$src/scripts/make_cohort.py" --samples 60 --variants 3000 --seed 7 --out "$work/smoke" 2>/dev/null
SMOKE=1 bash "$src/benchmarks/run_suite.sh" "$work/smoke" >"$work/report.md"
grep -q '^Output parity .*: ok$' "$work/report.md"
echo "1 passed, 0 failed"
