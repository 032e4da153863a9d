#!/usr/bin/env bash
# Checks that gene_panels/healing_panel.tsv is exactly what scripts/build_panel.py makes from ../shared/panel-sources.
# Exits 77 (skipped) when the shared sources are not beside the project.
set -u
src=$1
sources=$src/../shared/panel-sources
if [ ! -f "$sources/panel_sources.tsv" ]; then
  echo "skipped: $sources not found"
  exit 77
fi
if diff <(python3 "$src/scripts/build_panel.py" --sources "$sources" 2>/dev/null) "$src/gene_panels/healing_panel.tsv"; then
  echo "1 passed, 0 failed"
else
  echo "gene_panels/healing_panel.tsv differs from a fresh build; run scripts/build_panel.py -o gene_panels/healing_panel.tsv"
  echo "0 passed, 1 failed"
  exit 1
fi
