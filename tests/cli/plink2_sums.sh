#!/usr/bin/env bash
# Prints "sample<TAB>sum" of plink2 --score over the rows a panel scores by default (replicated and
# suggestive, weight != 0), one plink2 run per genetic model (additive, dominant, recessive), summed.
# Variant IDs: the VCF ID column when ID_MODE=rsid, else CHROM:POS:REF:ALT set by plink2.
# Usage: plink2_sums.sh PANEL.tsv BUILD(37|38) INPUT WORKDIR
set -euo pipefail
panel=$1 build=$2 input=$3 work=$4
mkdir -p "$work"
if [ "$build" = 37 ]; then b=grch37; else b=grch38; fi
: >"$work/all.sums"
for model in additive dominant recessive; do
  # Columns by name: a panel of format 1 or 2 (format 2 adds other_allele, eaf_population, eaf_source).
  awk -F'\t' -v OFS='\t' -v m="$model" -v b=$b -v mode="${ID_MODE:-rsid}" '
    /^#/ { next }
    $1 == "id" { for (i = 1; i <= NF; i++) c[$i] = i; pc = c["pos_" b]; rc = c["ref_" b]; ac = c["alt_" b]; next }
    $c["weight"] + 0 != 0 && ($c["evidence_grade"] == "replicated" || $c["evidence_grade"] == "suggestive") &&
    $c["model"] == m && $pc != "." {
      id = (mode == "rsid") ? $c["rsid"] : $c["chrom"] ":" $pc ":" $rc ":" $ac
      print id, $c["effect_allele"], $c["weight"]
    }' "$panel" >"$work/$model.score"
  [ -s "$work/$model.score" ] || continue
  mod=""
  [ "$model" = dominant ] && mod=dominant
  [ "$model" = recessive ] && mod=recessive
  ids=()
  [ "${ID_MODE:-rsid}" = rsid ] || ids=(--set-all-var-ids '@:#:$r:$a' --new-id-max-allele-len 100)
  fmt=(--vcf "$input" --vcf-half-call missing)
  case "$input" in *.bcf) fmt=(--bcf "$input" --vcf-half-call missing) ;; esac
  plink2 "${fmt[@]}" "${ids[@]}" --allow-extra-chr \
    --score "$work/$model.score" 1 2 3 $mod no-mean-imputation cols=+scoresums \
    --out "$work/$model" >"$work/$model.stdout" 2>&1 || {
    if grep -q 'No valid variants' "$work/$model.log" 2>/dev/null; then continue; fi
    cat "$work/$model.log" >&2
    exit 1
  }
  awk 'NR > 1 { print $1 "\t" $NF }' "$work/$model.sscore" >>"$work/all.sums"
done
awk -F'\t' '{ s[$1] += $2; if (!($1 in o)) { o[$1] = ++n; name[n] = $1 } } END { for (i = 1; i <= n; i++) printf "%s\t%.6f\n", name[i], s[name[i]] }' "$work/all.sums"
