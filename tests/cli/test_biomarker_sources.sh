#!/usr/bin/env bash
# Checks that gene_panels/biomarkers/*.tsv (the biomarker reference compiled into healcap) are byte-for-byte
# copies of ../shared/biomarkers. Exits 77 (skipped) when the shared facts are not beside the project.
set -u
src=$1
shared=$src/../shared/biomarkers
if [ ! -f "$shared/markers.tsv" ]; then
  echo "skipped: $shared not found"
  exit 77
fi
n_pass=0
n_fail=0
for f in markers.tsv biological_variation.tsv decision_categories.tsv; do
  if cmp -s "$shared/$f" "$src/gene_panels/biomarkers/$f"; then
    n_pass=$((n_pass + 1))
    echo "ok   gene_panels/biomarkers/$f = ../shared/biomarkers/$f"
  else
    n_fail=$((n_fail + 1))
    echo "FAIL gene_panels/biomarkers/$f differs from ../shared/biomarkers/$f; copy it again (cp ../shared/biomarkers/$f gene_panels/biomarkers/)"
  fi
done
echo "$n_pass passed, $n_fail failed"
[ "$n_fail" -eq 0 ]
