#!/usr/bin/env bash
# Sets up, builds and runs healcap's main job, `healcap scan`, on the bundled example cohort with its (synthetic)
# lab measurements, and prints the genetic index beside the biomarker summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
mkdir -p out
./build/pipeline/healcap scan --html --out out/example -o out/example.hits.vcf.gz -W \
  --biomarkers tests/data/example_biomarkers.tsv --sample-map tests/data/example_biomarkers_sample_map.tsv \
  tests/data/example_cohort.vcf.gz
echo
echo "Outputs: out/example.samples.tsv out/example.sites.tsv out/example.biomarkers.tsv out/example.json"
echo "         out/example.html (open it in a browser), out/example.hits.vcf.gz(.csi) and the MultiQC files"
echo "         out/example.healcap_*_mqc.tsv (multiqc out/)"
echo
echo "The genetic index beside the biomarker summary (research use only, not a diagnosis; the two are never combined):"
echo "  pro-inflammatory markers above the lab's range / with a range, at baseline and at 3 months;"
echo "  first to last, significant changes (improved, worsened), within biological variation, no RCV available."
awk -F'\t' '
  /^#/ { next }
  !h { for (i = 1; i <= NF; i++) c[$i] = i; h = 1
       printf "%-7s %9s %12s   %14s %14s %9s %9s %7s %7s\n", "sample", "HCI", "completeness", "above@baseline",
              "above@3m", "improved", "worsened", "within", "no_rcv"; next }
  { printf "%-7s %9s %12s   %14s %14s %9s %9s %7s %7s\n", $1, $c["healing_capacity_index"], $c["completeness"],
           $c["bm_baseline_pro_inflammatory_above_range"] "/" $c["bm_baseline_pro_inflammatory_with_range"],
           $c["bm_3m_pro_inflammatory_above_range"] "/" $c["bm_3m_pro_inflammatory_with_range"],
           $c["bm_n_improved"], $c["bm_n_worsened"], $c["bm_n_within_variation"], $c["bm_n_no_rcv"] }' out/example.samples.tsv
echo
echo "Every value and change, with its RCV and verdict: out/example.biomarkers.tsv; the facts and citations: out/example.json"
