#!/usr/bin/env bash
# Makes the screenshots of the HTML report shown in the README: healcap scan --html on the bundled example, opened
# in headless chromium (Debian's) with EX03's card open, 1280x1200 pixels; and, with the example's biomarker file,
# EX04's card with its biomarker plots (OUT with _biomarkers before .png).
# Usage: scripts/make_report_screenshot.sh [OUT.png]   [scripts/screenshots/report.png]; needs build/pipeline/healcap
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-scripts/screenshots/report.png}
bin=${HEALCAP:-$PWD/build/pipeline/healcap}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" scan --html --out "$tmp/example" tests/data/example_cohort.vcf.gz 2>/dev/null
mkdir -p "$(dirname "$out")"
case $out in /*) abs=$out ;; *) abs=$PWD/$out ;; esac
HOME=$tmp chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$tmp/profile" --hide-scrollbars \
  --screenshot="$abs" --window-size=1280,1200 "file://$tmp/example.html#sample=EX03" >/dev/null 2>&1
python3 tests/cli/png_stats.py "$abs"
echo "wrote $out ($(stat -c %s "$abs") bytes)"
"$bin" scan --html --biomarkers tests/data/example_biomarkers.tsv --sample-map tests/data/example_biomarkers_sample_map.tsv \
  --timepoints baseline,3m --out "$tmp/bm" tests/data/example_cohort.vcf.gz 2>/dev/null
bm_abs=${abs%.png}_biomarkers.png
HOME=$tmp chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$tmp/profile2" --hide-scrollbars \
  --screenshot="$bm_abs" --window-size=1280,1100 "file://$tmp/bm.html#sample=EX04" >/dev/null 2>&1
python3 tests/cli/png_stats.py "$bm_abs"
echo "wrote ${out%.png}_biomarkers.png ($(stat -c %s "$bm_abs") bytes)"
