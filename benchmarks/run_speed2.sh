#!/usr/bin/env bash
# Speed II (issue 13) in one run: the read paths, annotate, the wide cohorts, the panel sizes and the profiles,
# one after another on the same machine, each section measured side by side with its peers and limits.
# Usage: benchmarks/run_speed2.sh [REPS]
#   Makes what is missing under benchmarks/data (1,000 x 400,000 GT; 20,000 and 100,000 samples x 2,000 variants)
#   with scripts/make_cohort.py, then prints one Markdown report.
# HEALCAP=/path/to/healcap (default build/pipeline/healcap); BEFORE=/path/to/older/healcap adds before rows where
# a section has them. WIDE="20000 100000" chooses the wide cohorts; PROFILE=0 skips the perf profiles.
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${1:-5}
data=benchmarks/data
mkdir -p "$data"
make() {  # make SAMPLES VARIANTS NAME
  [ -e "$data/$3.bcf.csi" ] && [ -e "$data/$3.vcf.gz.tbi" ] && return 0
  python3 scripts/make_cohort.py --samples "$1" --variants "$2" --out "$data/$3" >&2
}
make 1000 400000 c1000
wide=${WIDE:-20000 100000}
for n in $wide; do make "$n" 2000 "w$n"; done

echo "### Read paths"
echo
echo '```sh'
echo "bash benchmarks/speed2_reads.sh $data/c1000 $reps"
echo '```'
echo
bash benchmarks/speed2_reads.sh "$data/c1000" "$reps"
echo
echo "### annotate"
echo
echo '```sh'
echo "bash benchmarks/speed2_annotate.sh $data/c1000 $reps"
echo '```'
echo
bash benchmarks/speed2_annotate.sh "$data/c1000" "$reps"
echo
echo "### Wide cohorts"
echo
echo '```sh'
echo "bash benchmarks/speed2_wide.sh $reps"
echo '```'
echo
WIDE="$wide" bash benchmarks/speed2_wide.sh "$reps"
echo
echo "### The panel's size"
echo
echo '```sh'
echo "bash benchmarks/speed2_panels.sh $data/c1000 $reps"
echo '```'
echo
bash benchmarks/speed2_panels.sh "$data/c1000" "$reps"
if [ "${PROFILE:-1}" = 1 ]; then
  last=${wide##* }
  echo
  echo "### Profiles"
  echo
  bash benchmarks/speed2_profile.sh "$data/c1000" ${last:+"$data/w$last"}
fi
