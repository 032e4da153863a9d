#!/usr/bin/env bash
# The speed suite: healcap beside its peers and the decompression limit, on the same file in the same run, at
# 1 and 2 threads, with output parity against plink2; prints a Markdown report with the issue-5 targets.
# Usage: benchmarks/run_suite.sh PREFIX [REPS]
#   PREFIX.vcf.gz(.tbi) and PREFIX.bcf(.csi) from scripts/make_cohort.py, e.g.
#   python3 scripts/make_cohort.py --samples 1000 --variants 400000 --out benchmarks/data/c1000
#   bash benchmarks/run_suite.sh benchmarks/data/c1000 5
# With SMOKE=1 it runs each command once and checks only that they run and agree (CI).
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=$1
reps=${2:-5}
[ "${SMOKE:-0}" = 1 ] && reps=1
bin=$PWD/build/pipeline/healcap
vcf=$prefix.vcf.gz
bcf=$prefix.bcf
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in "$vcf" "$vcf.tbi" "$bcf" "$bcf.csi" "$bin"; do [ -e "$f" ] || { echo "missing $f" >&2; exit 1; }; done

"$bin" panel export --build GRCh38 --format bed -o "$tmp/panel.bed" 2>/dev/null
"$bin" panel export --build GRCh38 --format vcf -o "$tmp/panel.vcf" 2>/dev/null
awk -F'\t' '!/^#/ && $1 != "id" && $15 + 0 != 0 && ($18 == "replicated" || $18 == "suggestive") && $16 == "additive" && $10 != "." {
  print $6 ":" $10 ":" $11 ":" $12 "\t" $13 "\t" $15 }' gene_panels/healing_panel.tsv >"$tmp/plink.score"

declare -a names walls rsss
# GNU time reports whole hundredths of a second: a command that runs in under a second is timed over
# `inner` back-to-back runs inside one measurement and its wall time divided by `inner`.
measure() {  # measure NAME CMD...: median wall seconds and max RSS over $reps runs
  local name=$1; shift
  local w=() r=0 line inner=1
  /usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >/dev/null 2>"$tmp/err" || { echo "failed: $name: $(tail -2 "$tmp/err")" >&2; exit 1; }
  line=$(tail -1 "$tmp/time")
  if [ "${SMOKE:-0}" != 1 ] && awk -v t="${line% *}" 'BEGIN { exit !(t < 1.0) }'; then inner=10; fi
  for _ in $(seq "$reps"); do
    /usr/bin/time -f '%e %M' -o "$tmp/time" bash -c 'for _ in $(seq "$0"); do "$@" >/dev/null 2>&1 || exit 1; done' "$inner" "$@" ||
      { echo "failed: $name" >&2; exit 1; }
    line=$(tail -1 "$tmp/time")
    w+=("$(awk -v t="${line% *}" -v k="$inner" 'BEGIN { printf "%.4f", t / k }')")
    [ "${line#* }" -gt "$r" ] && r=${line#* }
  done
  names+=("$name")
  walls+=("$(printf '%s\n' "${w[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')")
  rsss+=("$r")
}
wall_of() { for i in "${!names[@]}"; do [ "${names[$i]}" = "$1" ] && echo "${walls[$i]}"; done; return 0; }
rss_of() { for i in "${!names[@]}"; do [ "${names[$i]}" = "$1" ] && echo "${rsss[$i]}"; done; return 0; }

for t in 1 2; do
  measure "bgzip -dc -@$t (decompression limit)" bgzip -dc -@$t "$vcf"
  measure "healcap scan --stream, VCF.gz, $t thr" "$bin" scan --stream --threads $t --out "$tmp/s$t" "$vcf"
  measure "healcap scan indexed, VCF.gz, $t thr" "$bin" scan --threads $t --out "$tmp/i$t" "$vcf"
  measure "healcap scan --stream, BCF, $t thr" "$bin" scan --stream --threads $t --out "$tmp/b$t" "$bcf"
  measure "healcap annotate to BCF, $t thr" "$bin" annotate --threads $t -o "$tmp/a$t.bcf" "$vcf"
  measure "bcftools view -T panel, VCF.gz, $t thr" bcftools view --threads $t -T "$tmp/panel.vcf" -Ou -o /dev/null "$vcf"
  measure "bcftools view -T panel, BCF, $t thr" bcftools view --threads $t -T "$tmp/panel.vcf" -Ou -o /dev/null "$bcf"
  measure "bcftools view -R panel, VCF.gz, $t thr" bcftools view --threads $t -R "$tmp/panel.bed" -Ou -o /dev/null "$vcf"
  measure "bcftools query -R panel genotypes, $t thr" bcftools query -R "$tmp/panel.bed" -f '%CHROM:%POS[\t%GT]\n' "$vcf"
  measure "plink2 --vcf --score, $t thr" plink2 --vcf "$vcf" --score "$tmp/plink.score" 1 2 3 no-mean-imputation cols=+scoresums \
    --set-all-var-ids '@:#:$r:$a' --new-id-max-allele-len 1000 --threads $t --out "$tmp/p$t"
done

# Parity: every path gives the same samples.tsv; the additive rows' sums equal plink2's.
parity=ok
for f in "$tmp/i1" "$tmp/s2" "$tmp/i2" "$tmp/b1" "$tmp/b2"; do
  cmp -s "$tmp/s1.samples.tsv" "$f.samples.tsv" || parity="FAILED: $(basename "$f").samples.tsv differs from the streaming VCF.gz run"
done
awk -F'\t' '/^#/ || $1 == "id" { print; next } $15 + 0 != 0 && ($18 == "replicated" || $18 == "suggestive") && $16 == "additive"' \
  gene_panels/healing_panel.tsv >"$tmp/additive.tsv"
"$bin" scan --panel "$tmp/additive.tsv" --out "$tmp/add" "$vcf" 2>/dev/null
c=$(awk -F'\t' '!/^#/ { for (i = 1; i <= NF; i++) if ($i == "weighted_sum") { print i; exit } }' "$tmp/add.samples.tsv")
bad=$(awk -F'\t' -v c="$c" 'NR == FNR { if (FNR > 1) p[$1] = $NF; next } /^#/ || $1 == "sample" { next }
  { d = $c - p[$1]; if (d < 0) d = -d; if (d > 1e-3) bad++ } END { print bad + 0 }' "$tmp/p1.sscore" "$tmp/add.samples.tsv")
[ "$bad" = 0 ] || parity="FAILED: $bad samples' sums differ from plink2 --score"

n_rec=$(bcftools index -n "$vcf")
n_smp=$(bcftools query -l "$vcf" | wc -l)
echo "Input: $n_rec records x $n_smp samples ($(du -h "$vcf" | cut -f1) VCF.gz, $(du -h "$bcf" | cut -f1) BCF), $(nproc) cores, median of $reps run(s)."
echo "Output parity (every healcap path byte-identical; additive sums equal plink2 --score): $parity"
echo
echo "| command | wall (s) | peak RSS (MiB) | / bgzip -dc -@2 |"
echo "|---|---|---|---|"
limit=$(wall_of "bgzip -dc -@2 (decompression limit)")
for i in "${!names[@]}"; do
  awk -v n="${names[$i]}" -v w="${walls[$i]}" -v r="${rsss[$i]}" -v b="$limit" 'BEGIN { printf "| %s | %.3f | %.0f | %.2f |\n", n, w, r / 1024, (b > 0 ? w / b : 0) }'
done
echo
echo "| target (2 threads) | bound | measured | met |"
echo "|---|---|---|---|"
target() {  # target NAME BOUND MEASURED OK(1/0)
  printf '| %s | %s | %s | %s |\n' "$1" "$2" "$3" "$([ "$4" = 1 ] && echo yes || echo NO)"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { print (a <= b) ? 1 : 0 }'; }
s2=$(wall_of "healcap scan --stream, VCF.gz, 2 thr"); s1=$(wall_of "healcap scan --stream, VCF.gz, 1 thr")
i2=$(wall_of "healcap scan indexed, VCF.gz, 2 thr"); b2=$(wall_of "healcap scan --stream, BCF, 2 thr")
p2=$(wall_of "plink2 --vcf --score, 2 thr"); tv=$(wall_of "bcftools view -T panel, VCF.gz, 2 thr")
tb=$(wall_of "bcftools view -T panel, BCF, 2 thr"); rv=$(wall_of "bcftools view -R panel, VCF.gz, 2 thr")
r=$(ratio "$s2" "$limit"); target "streaming scan / decompression limit" "<= 1.5" "$r" "$(le "$r" 1.5)"
r=$(ratio "$p2" "$s2"); target "plink2 --score / streaming scan" ">= 2" "$r" "$(le 2 "$r")"
r=$(ratio "$tv" "$s2"); target "bcftools view -T / streaming scan" ">= 5" "$r" "$(le 5 "$r")"
r=$(ratio "$i2" "$rv"); target "indexed scan / bcftools view -R" "<= 1" "$r" "$(le "$r" 1)"
r=$(ratio "$tb" "$b2"); target "bcftools view -T BCF / streaming BCF scan" ">= 1.5" "$r" "$(le 1.5 "$r")"
m=$(rss_of "healcap scan --stream, VCF.gz, 2 thr"); m=$((m / 1024)); target "peak RSS, streaming scan" "<= 200 MiB" "$m MiB" "$(le "$m" 200)"
r=$(ratio "$s1" "$s2"); target "1 thread / 2 threads, streaming scan" ">= 1.6" "$r" "$(le 1.6 "$r")"
[ "${parity}" = ok ]
