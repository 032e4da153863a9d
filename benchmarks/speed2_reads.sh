#!/usr/bin/env bash
# Speed II, the read paths (issue 13): the streaming scan against the inflate floor (benchmarks/inflate_floor.c:
# every BGZF block inflated with libdeflate on the same threads, output discarded; with --crc each block's CRC
# checked too, as htslib's readers do) and `bgzip -dc`; the indexed scan, with all its outputs, against
# `bcftools view -R` on the same panel sites. All measured in turn, rep by rep, in one run.
# Usage: benchmarks/speed2_reads.sh PREFIX [REPS]   (PREFIX.vcf.gz + .tbi, PREFIX.bcf from scripts/make_cohort.py)
# HEALCAP=/path/to/healcap (default build/pipeline/healcap); BEFORE=/path/to/older/healcap adds its rows.
set -euo pipefail
abspath() { case $1 in /*) echo "$1" ;; */*) echo "$PWD/$1" ;; *) command -v "$1" || echo "$1" ;; esac; }
[ -n "${HEALCAP:-}" ] && HEALCAP=$(abspath "$HEALCAP")
[ -n "${BEFORE:-}" ] && BEFORE=$(abspath "$BEFORE")
cd "$(dirname "$0")/.."
prefix=$1
reps=${2:-5}
bin=${HEALCAP:-$PWD/build/pipeline/healcap}
before=${BEFORE:-}
vcf=$prefix.vcf.gz
bcf=$prefix.bcf
for f in "$vcf" "$vcf.tbi" "$bcf"; do [ -e "$f" ] || { echo "missing $f" >&2; exit 1; }; done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. benchmarks/bench_lib.sh
cc -O2 -o "$tmp/inflate_floor" benchmarks/inflate_floor.c -ldeflate -lpthread
"$bin" panel export --build GRCh38 --format bed -o "$tmp/panel.bed" 2>/dev/null

for t in 1 2; do
  bench_add "inflate floor, $t thr" "$tmp/inflate_floor" "$vcf" $t
  bench_add "inflate + CRC floor, $t thr" "$tmp/inflate_floor" --crc "$vcf" $t
  bench_add "bgzip -dc -@$t" bgzip -dc -@$t "$vcf"
  bench_add "healcap scan --stream, VCF.gz, $t thr" "$bin" scan --stream --threads $t --out "$tmp/s$t" "$vcf"
  [ -z "$before" ] || bench_add "BEFORE healcap scan --stream, VCF.gz, $t thr" "$before" scan --stream --threads $t --out "$tmp/bs$t" "$vcf"
done
bench_add "healcap scan --stream, BCF, 2 thr" "$bin" scan --stream --threads 2 --out "$tmp/b2" "$bcf"
bench_add "healcap scan indexed (samples, sites, JSON, MultiQC), 2 thr" "$bin" scan --threads 2 --out "$tmp/i2" "$vcf"
[ -z "$before" ] || bench_add "BEFORE healcap scan indexed, 2 thr" "$before" scan --threads 2 --out "$tmp/bi2" "$vcf"
bench_add "bcftools view -R panel, 2 thr" bcftools view --threads 2 -R "$tmp/panel.bed" -Ou -o /dev/null "$vcf"
bench_run "$reps"

parity=ok
for f in s2 b2 i2 ${before:+bs1 bs2 bi2}; do
  for x in samples.tsv sites.tsv; do cmp -s "$tmp/s1.$x" "$tmp/$f.$x" || parity="FAILED: $f.$x differs from the 1-thread streaming run"; done
done

echo "Input: $vcf ($(bcftools index -n "$vcf") records x $(bcftools query -l "$vcf" | wc -l) samples, $(du -h "$vcf" | cut -f1)), $(nproc) cores, median of $reps alternated run(s)."
echo "Output parity (samples.tsv and sites.tsv of every healcap run byte-identical): $parity"
echo
bench_table "inflate floor, 2 thr" "inflate + CRC floor, 2 thr" "bgzip -dc -@2"
echo
s1=$(bench_wall "healcap scan --stream, VCF.gz, 1 thr"); s2=$(bench_wall "healcap scan --stream, VCF.gz, 2 thr")
f2=$(bench_wall "inflate floor, 2 thr"); c2=$(bench_wall "inflate + CRC floor, 2 thr"); f1=$(bench_wall "inflate floor, 1 thr")
i2=$(bench_wall "healcap scan indexed (samples, sites, JSON, MultiQC), 2 thr"); r2=$(bench_wall "bcftools view -R panel, 2 thr")
echo "| target | bound | measured | met |"
echo "|---|---|---|---|"
r=$(bench_ratio "$s2" "$f2"); echo "| streaming scan / inflate floor, 2 thr | <= 1.1 | $r | $(bench_yes "$r" "<=" 1.1) |"
r=$(bench_ratio "$s2" "$c2"); echo "| streaming scan / inflate + CRC floor, 2 thr (for reference) | <= 1.1 | $r | $(bench_yes "$r" "<=" 1.1) |"
r=$(bench_ratio "$s1" "$s2"); echo "| streaming scan, 1 thr / 2 thr | >= 1.8 | $r | $(bench_yes "$r" ">=" 1.8) |"
r=$(bench_ratio "$f1" "$f2"); echo "| inflate floor, 1 thr / 2 thr (for reference) | - | $r | - |"
r=$(bench_ratio "$i2" "$r2"); echo "| indexed scan with all outputs / bcftools view -R, 2 thr | <= 1 | $r | $(bench_yes "$r" "<=" 1) |"
if [ -n "$before" ]; then
  for n in "scan --stream, VCF.gz, 1 thr" "scan --stream, VCF.gz, 2 thr"; do
    r=$(bench_ratio "$(bench_wall "healcap $n")" "$(bench_wall "BEFORE healcap $n")"); echo "| after / before, $n | - | $r | - |"
  done
  r=$(bench_ratio "$i2" "$(bench_wall "BEFORE healcap scan indexed, 2 thr")"); echo "| after / before, indexed, 2 thr | - | $r | - |"
fi
[ "$parity" = ok ]
