#!/usr/bin/env bash
# Makes the screenshot of the HTML report shown in the README: healcap scan --html on the bundled example, opened
# in headless chromium (Debian's) with EX03's card open, 1280x1200 pixels.
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
