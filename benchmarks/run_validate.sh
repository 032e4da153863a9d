#!/usr/bin/env bash
# The cost of scan --validate (every record parsed by htslib) against the default streaming scan (records
# parsed only at panel positions), beside bcftools view (htslib parses every record too, output discarded)
# and the decompression limit, on one file, at 2 threads, runs alternated rep by rep; medians.
# Usage: benchmarks/run_validate.sh PREFIX [REPS]   (PREFIX.vcf.gz and PREFIX.bcf from scripts/make_cohort.py)
#   python3 scripts/make_cohort.py --samples 1000 --variants 400000 --out benchmarks/data/c1000
#   bash benchmarks/run_validate.sh benchmarks/data/c1000 5
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=$1
reps=${2:-5}
bin=${HEALCAP:-$PWD/build/pipeline/healcap}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
names=(
  "bgzip -dc -@2 (decompression limit)"
  "healcap scan --stream --threads 2 (default checks)"
  "healcap scan --validate --threads 2"
  "bcftools view --threads 2 -Ou (htslib parses every record)"
)
run_one() {  # run_one INDEX FILE
  case $1 in
    0) bgzip -dc -@2 "$2" ;;
    1) "$bin" scan --stream --threads 2 --out "$tmp/d" "$2" ;;
    2) "$bin" scan --validate --threads 2 --out "$tmp/v" "$2" ;;
    3) bcftools view --threads 2 -Ou "$2" ;;
  esac
}
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
echo "## scan --validate: its cost"
echo
echo "$(date -u +%Y-%m-%d), $(nproc) CPUs (shared, noisy machine); \`bash benchmarks/run_validate.sh $prefix $reps\`; medians of $reps alternated runs."
for ext in vcf.gz bcf; do
  f=$prefix.$ext
  declare -A w=()
  for i in 0 1 2 3; do
    [ "$ext" = bcf ] && [ "$i" = 0 ] && continue
    run_one "$i" "$f" >/dev/null 2>&1 || { echo "failed: ${names[$i]} on $f" >&2; exit 1; }  # warm-up
  done
  for _ in $(seq "$reps"); do
    for i in 0 1 2 3; do
      [ "$ext" = bcf ] && [ "$i" = 0 ] && continue
      /usr/bin/time -f '%e' -o "$tmp/t" bash -c "$(declare -f run_one); bin='$bin' tmp='$tmp' run_one $i '$f'" >/dev/null 2>&1
      w[$i]="${w[$i]:-} $(tail -1 "$tmp/t")"
    done
  done
  cmp -s "$tmp/d.samples.tsv" "$tmp/v.samples.tsv" || { echo "--validate and the default scan differ on $f" >&2; exit 1; }
  echo
  echo "$f ($(du -h "$f" | cut -f1)):"
  echo
  echo "| command | median wall (s) | / default scan |"
  echo "|---|---|---|"
  base=$(median ${w[1]})
  for i in 0 1 2 3; do
    [ -n "${w[$i]:-}" ] || continue
    m=$(median ${w[$i]})
    echo "| ${names[$i]} | $m | $(awk -v a="$m" -v b="$base" 'BEGIN { printf "%.2f", a / b }') |"
  done
  unset w
done
