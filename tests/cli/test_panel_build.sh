#!/usr/bin/env bash
# Checks that gene_panels/healing_panel.tsv and its EAF side table gene_panels/healing_panel_eaf.tsv are exactly
# what scripts/build_panel.py makes from ../shared/panel-sources. Exits 77 (skipped) when the shared sources are
# not beside the project.
set -u
src=$1
sources=$src/../shared/panel-sources
if [ ! -f "$sources/panel_sources.tsv" ]; then
  echo "skipped: $sources not found"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
if ! python3 "$src/scripts/build_panel.py" --sources "$sources" -o "$tmp/healing_panel.tsv" \
    --eaf-output "$tmp/healing_panel_eaf.tsv" 2>"$tmp/stderr"; then
  cat "$tmp/stderr"
  echo "scripts/build_panel.py failed"
  echo "0 passed, 2 failed"
  exit 1
fi
for f in healing_panel.tsv healing_panel_eaf.tsv; do
  if diff "$tmp/$f" "$src/gene_panels/$f"; then
    pass=$((pass + 1))
  else
    echo "gene_panels/$f differs from a fresh build; run scripts/build_panel.py -o gene_panels/healing_panel.tsv"
    fail=$((fail + 1))
  fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
