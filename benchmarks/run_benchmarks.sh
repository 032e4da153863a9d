#!/usr/bin/env bash
# Times healcap scan beside its peers and the decompression limit, on the same real file in the same run,
# and prints a Markdown table of median wall time, peak RSS and ratios to `bgzip -dc`.
# Data: the 1000 Genomes phase 3 subsets (chr1-22, 1,126 samples) from ../shared/data/external, joined into
# one BGZF VCF and one BCF under benchmarks/data/ (not committed); panel: every 17th biallelic SNP.
# Usage: benchmarks/run_benchmarks.sh [REPS]   (default 5; build first with scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${1:-5}
bin=$PWD/build/pipeline/healcap
ext=$PWD/../shared/data/external/UW-GAC-analysis_pipeline/testdata
data=$PWD/benchmarks/data
mkdir -p "$data"
[ -x "$bin" ] || { echo "build healcap first: bash scripts/build.sh" >&2; exit 1; }

if [ ! -f "$data/kg.vcf.gz" ]; then
  files=()
  for c in $(seq 1 22); do files+=("$ext/1KG_phase3_subset_chr$c.vcf.gz"); done
  bcftools concat -Oz -o "$data/kg.vcf.gz" "${files[@]}" 2>/dev/null
  bcftools index -t "$data/kg.vcf.gz"
  bcftools view -Ob -o "$data/kg.bcf" "$data/kg.vcf.gz" && bcftools index "$data/kg.bcf"
  { printf '##panel=bench\n##version=1\n'
    printf 'id\trsid\tgene\tpathway\ttrait\tchrom\tpos_grch37\tref_grch37\talt_grch37\tpos_grch38\tref_grch38\talt_grch38\teffect_allele\todds_ratio\tweight\tmodel\teaf\tevidence_grade\tevidence\tsource\tnotes\n'
    bcftools query -f '%CHROM\t%POS\t%REF\t%ALT\n' "$data/kg.vcf.gz" | awk -F'\t' -v OFS='\t' '
      length($3) == 1 && length($4) == 1 && NR % 17 == 0 {
        n++; ea = (n % 2) ? $4 : $3
        print "b" n, ".", "G" n, "other", "bone", $1, $2, $3, $4, ".", ".", ".", ea, ".", (n % 7 + 1) / 10, "additive", ".", "replicated", ".", "bench", "."
      }'; } >"$data/panel.tsv"
  awk -F'\t' '!/^#/ && $1 != "id" { print $6 ":" $7 ":" $8 ":" $9 "\t" $13 "\t" $15 }' "$data/panel.tsv" >"$data/plink.score"
  "$bin" panel export --panel "$data/panel.tsv" --build GRCh37 -o "$data/panel.vcf" 2>/dev/null
fi
n_rec=$(bcftools index -n "$data/kg.vcf.gz")
n_sites=$(grep -vc -e '^#' -e '^id' "$data/panel.tsv")

declare -a names walls rsss
measure() {  # measure NAME CMD...: median wall seconds and max RSS over $reps runs
  local name=$1; shift
  local w=() r=0 line
  for _ in $(seq "$reps"); do
    /usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
    line=$(tail -1 "$tmp/time")
    w+=("${line% *}")
    [ "${line#* }" -gt "$r" ] && r=${line#* }
  done
  names+=("$name")
  walls+=("$(printf '%s\n' "${w[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')")
  rsss+=("$r")
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
measure "bgzip -dc (decompression limit, 1 thread)" bgzip -dc "$data/kg.vcf.gz"
measure "bgzip -@2 -dc" bgzip -@2 -dc "$data/kg.vcf.gz"
measure "bcftools view -Ou (full parse)" bcftools view -Ou -o /dev/null "$data/kg.vcf.gz"
measure "bcftools view -T panel.vcf -Ou (targets)" bcftools view -T "$data/panel.vcf" -Ou -o /dev/null "$data/kg.vcf.gz"
measure "plink2 --vcf --score (import + score)" plink2 --vcf "$data/kg.vcf.gz" --score "$data/plink.score" 1 2 3 no-mean-imputation cols=+scoresums --set-all-var-ids '@:#:$r:$a' --new-id-max-allele-len 1000 --threads 1 --out "$tmp/p"
measure "healcap scan --threads 1 (VCF.gz)" "$bin" scan --panel "$data/panel.tsv" --threads 1 --out "$tmp/h1" "$data/kg.vcf.gz"
measure "healcap scan --threads 2 (VCF.gz)" "$bin" scan --panel "$data/panel.tsv" --threads 2 --out "$tmp/h2" "$data/kg.vcf.gz"
measure "healcap scan --threads 1 (BCF)" "$bin" scan --panel "$data/panel.tsv" --threads 1 --out "$tmp/h3" "$data/kg.bcf"
measure "healcap scan --threads 2 (BCF)" "$bin" scan --panel "$data/panel.tsv" --threads 2 --out "$tmp/h4" "$data/kg.bcf"

echo "Input: $n_rec records x 1126 samples ($(du -h "$data/kg.vcf.gz" | cut -f1) BGZF VCF), panel of $n_sites sites; median of $reps runs on $(nproc) cores."
echo
echo "| command | wall (s) | peak RSS (MiB) | time / bgzip -dc |"
echo "|---|---|---|---|"
base=${walls[0]}
for i in "${!names[@]}"; do
  awk -v n="${names[$i]}" -v w="${walls[$i]}" -v r="${rsss[$i]}" -v b="$base" 'BEGIN { printf "| %s | %.2f | %.0f | %.2f |\n", n, w, r / 1024, (b > 0 ? w / b : 0) }'
done
