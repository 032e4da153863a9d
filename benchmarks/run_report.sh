#!/usr/bin/env bash
# The HTML report's size and cost: for each run JSON given, the page's size, 'healcap report' wall time and
# peak RSS, 'scan --html' against 'scan' on the same input, and headless chromium's --dump-dom wall time (start,
# open, parse, run the script, serialise), beside its time for an empty page (the browser's start); medians of
# REPS runs.
# Usage: benchmarks/run_report.sh REPS PREFIX...   (PREFIX.vcf.gz as scripts/make_cohort.py writes it)
#   python3 scripts/make_cohort.py --samples 10000 --variants 2000 --out benchmarks/data/c10k
#   bash benchmarks/run_report.sh 3 tests/data/example_cohort benchmarks/data/c10k
set -euo pipefail
cd "$(dirname "$0")/.."
reps=$1
shift
bin=${HEALCAP:-$PWD/build/pipeline/healcap}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
# wall SECONDS and peak RSS (KiB) of a command, as "S KB"
timed() { /usr/bin/time -f '%e %M' -o "$tmp/t" "$@" >/dev/null 2>&1; cat "$tmp/t"; }
dom() {
  local profile
  profile=$(mktemp -d "$tmp/profile.XXXXXX")
  HOME=$profile chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$profile" --dump-dom "file://$1" >"$tmp/dom" 2>/dev/null
  rm -rf "$profile"
}
printf '<!DOCTYPE html><title>empty</title>\n' >"$tmp/empty.html"
e=()
for _ in $(seq "$reps"); do
  t0=$(date +%s.%N)
  dom "$tmp/empty.html"
  e+=("$(echo "$(date +%s.%N) - $t0" | bc)")
done
printf "chromium --dump-dom of an empty page (the browser's start): %.2f s\n" "$(median "${e[@]}")"
echo
echo "| input | samples | JSON (MB) | HTML (MB) | healcap report (s) | report peak RSS (MiB) | scan (s) | scan --html (s) | scan --html peak RSS (MiB) | chromium --dump-dom (s) | DOM (MB) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for prefix in "$@"; do
  in=$prefix.vcf.gz
  name=$(basename "$prefix")
  "$bin" scan --threads 2 --out "$tmp/$name" "$in" 2>/dev/null
  r=() m=() s=() h=() hm=() d=()
  for _ in $(seq "$reps"); do
    read -r t k < <(timed "$bin" report --out "$tmp/$name" "$tmp/$name.json")
    r+=("$t") m+=("$k")
    read -r t _ < <(timed "$bin" scan --threads 2 --out "$tmp/plain" "$in")
    s+=("$t")
    read -r t k < <(timed "$bin" scan --threads 2 --html --out "$tmp/html" "$in")
    h+=("$t") hm+=("$k")
    t0=$(date +%s.%N)
    dom "$tmp/$name.html"
    d+=("$(echo "$(date +%s.%N) - $t0" | bc)")
  done
  printf '| %s | %s | %.1f | %.2f | %.2f | %d | %.2f | %.2f | %d | %.2f | %.2f |\n' "$name" \
    "$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["samples"]))' "$tmp/$name.json")" \
    "$(echo "$(stat -c %s "$tmp/$name.json") / 1000000" | bc -l)" "$(echo "$(stat -c %s "$tmp/$name.html") / 1000000" | bc -l)" \
    "$(median "${r[@]}")" "$(($(median "${m[@]}") / 1024))" "$(median "${s[@]}")" "$(median "${h[@]}")" "$(($(median "${hm[@]}") / 1024))" "$(median "${d[@]}")" \
    "$(echo "$(stat -c %s "$tmp/dom") / 1000000" | bc -l)"
done
