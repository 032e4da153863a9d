#!/usr/bin/env bash
# Sets up, builds and runs healcap's main job, `healcap scan`, on the bundled example cohort.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
mkdir -p out
./build/pipeline/healcap scan --html --out out/example -o out/example.hits.vcf.gz -W tests/data/example_cohort.vcf.gz
echo
echo "Outputs: out/example.samples.tsv out/example.sites.tsv out/example.json out/example.html (open it in a browser),"
echo "         out/example.hits.vcf.gz(.csi) and the MultiQC files out/example.healcap_*_mqc.tsv (multiqc out/)"
echo "First lines of out/example.samples.tsv (research use only, not a diagnosis):"
head -n 6 out/example.samples.tsv | cut -f 1-10
