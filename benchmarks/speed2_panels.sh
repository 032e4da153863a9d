#!/usr/bin/env bash
# How the cost grows with the panel (issue 13): a user's own panel of 10, 100, 1,000 and 10,000 sites drawn at
# random from the cohort (a PGS Catalog format 2.0 file, weight 1 per ALT copy), scanned streamed and indexed at
# 2 threads, beside plink2 --score with the same sites and weights on the same file (at every size; at 10,000
# sites it shows where reading only the panel's sites stops paying). Checks that healcap's sums equal plink2's.
# Usage: benchmarks/speed2_panels.sh PREFIX [REPS]   (PREFIX.vcf.gz + .tbi from scripts/make_cohort.py)
# HEALCAP=/path/to/healcap: the binary measured (default build/pipeline/healcap). Prints a Markdown table.
set -euo pipefail
abspath() { case $1 in /*) echo "$1" ;; */*) echo "$PWD/$1" ;; *) command -v "$1" || echo "$1" ;; esac; }
[ -n "${HEALCAP:-}" ] && HEALCAP=$(abspath "$HEALCAP")
cd "$(dirname "$0")/.."
prefix=$1
reps=${2:-3}
bin=${HEALCAP:-$PWD/build/pipeline/healcap}
vcf=$prefix.vcf.gz
sizes=${SIZES:-10 100 1000 10000}
for f in "$vcf" "$vcf.tbi"; do [ -e "$f" ] || { echo "missing $f" >&2; exit 1; }; done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
# run1 CMD...: one timed run; prints "wall rss_kib"
run1() {
  /usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >/dev/null 2>"$tmp/err" || { echo "failed: $* : $(tail -2 "$tmp/err")" >&2; exit 1; }
  tail -1 "$tmp/time"
}

bcftools query -f '%CHROM\t%POS\t%REF\t%ALT\n' "$vcf" >"$tmp/sites"
n_all=$(wc -l <"$tmp/sites")
echo "Input: $vcf ($n_all records x $(bcftools query -l "$vcf" | wc -l) samples), 2 threads, median of $reps alternated runs."
echo "Panels: N random records of the file (seeded by N), as a PGS Catalog file, weight 1 per ALT copy."
echo
echo "| panel sites | healcap streamed (s) | healcap indexed (s) | plink2 --score (s) | plink2 / streamed | plink2 / indexed | indexed / streamed | RSS streamed / indexed / plink2 (MiB) | sums equal plink2 |"
echo "|---|---|---|---|---|---|---|---|---|"
for n in $sizes; do
  # N distinct records chosen with a seeded generator, in file order.
  awk -v n="$n" -v total="$n_all" 'BEGIN { srand(n) } { need = n - k; left = total - NR + 1; if (rand() * left < need) { print; k++ } }' \
    "$tmp/sites" >"$tmp/pick"
  {
    echo '###PGS CATALOG SCORING FILE - a benchmark panel of random cohort sites'
    echo '#format_version=2.0'
    echo "#pgs_id=BENCH$n"
    echo "#pgs_name=random_$n"
    echo '#genome_build=GRCh38'
    echo "#variants_number=$n"
    printf 'chr_name\tchr_position\teffect_allele\tother_allele\teffect_weight\n'
    awk -F'\t' -v OFS='\t' '{ print $1, $2, $4, $3, 1 }' "$tmp/pick"
  } >"$tmp/p$n.txt"
  awk -F'\t' -v OFS='\t' '{ c = $1; sub(/^chr/, "", c); print c ":" $2 ":" $3 ":" $4, $4, 1 }' "$tmp/pick" >"$tmp/p$n.score"
  ws=() wi=() wp=() rs=0 ri=0 rp=0
  for _ in $(seq "$reps"); do
    read -r w r < <(run1 "$bin" scan --panel "$tmp/p$n.txt" --stream --threads 2 --out "$tmp/s$n" "$vcf"); ws+=("$w"); [ "$r" -gt "$rs" ] && rs=$r
    read -r w r < <(run1 "$bin" scan --panel "$tmp/p$n.txt" --threads 2 --out "$tmp/i$n" "$vcf"); wi+=("$w"); [ "$r" -gt "$ri" ] && ri=$r
    read -r w r < <(run1 plink2 --vcf "$vcf" --score "$tmp/p$n.score" 1 2 3 no-mean-imputation cols=+scoresums \
      --set-all-var-ids '@:#:$r:$a' --new-id-max-allele-len 1000 --threads 2 --out "$tmp/k$n"); wp+=("$w"); [ "$r" -gt "$rp" ] && rp=$r
  done
  cmp -s "$tmp/s$n.samples.tsv" "$tmp/i$n.samples.tsv" || { echo "streamed and indexed samples.tsv differ at $n sites" >&2; exit 1; }
  c=$(awk -F'\t' '!/^#/ { for (i = 1; i <= NF; i++) if ($i == "weighted_sum") { print i; exit } }' "$tmp/s$n.samples.tsv")
  bad=$(awk -F'\t' -v c="$c" 'NR == FNR { if (FNR > 1) p[$1] = $NF; next } /^#/ || $1 == "sample" { next }
    { d = $c - p[$1]; if (d < 0) d = -d; if (d > 1e-3) bad++ } END { print bad + 0 }' "$tmp/k$n.sscore" "$tmp/s$n.samples.tsv")
  eq=yes; [ "$bad" = 0 ] || eq="NO ($bad samples differ)"
  s=$(median "${ws[@]}") i=$(median "${wi[@]}") p=$(median "${wp[@]}")
  awk -v n="$n" -v s="$s" -v i="$i" -v p="$p" -v rs="$rs" -v ri="$ri" -v rp="$rp" -v eq="$eq" 'BEGIN {
    printf "| %d | %.3f | %.3f | %.3f | %.2f | %.2f | %.2f | %.0f / %.0f / %.0f | %s |\n", n, s, i, p, p / s, p / i, i / s,
      rs / 1024, ri / 1024, rp / 1024, eq }'
done
