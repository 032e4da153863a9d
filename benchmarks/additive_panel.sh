#!/usr/bin/env bash
# The rows of a healcap panel that plink2 --score can be set against: scored by default (weight != 0, grade
# replicated or suggestive) and additive. Writes plink2's score file (CHROM:POS:REF:ALT in GRCh38, effect allele,
# weight) and, when asked, the same rows as a panel, so that healcap's sums cover exactly plink2's. Columns are
# found by name: panel format 1 or 2.
# Usage: additive_panel.sh PANEL SCORE_OUT [PANEL_OUT]
set -euo pipefail
panel=$1 score=$2 subset=${3:-}
awk -F'\t' '$1 == "id" { for (i = 1; i <= NF; i++) c[$i] = i; next }
  !/^#/ && $c["weight"] + 0 != 0 && ($c["evidence_grade"] == "replicated" || $c["evidence_grade"] == "suggestive") &&
  $c["model"] == "additive" && $c["pos_grch38"] != "." {
  print $c["chrom"] ":" $c["pos_grch38"] ":" $c["ref_grch38"] ":" $c["alt_grch38"] "\t" $c["effect_allele"] "\t" $c["weight"] }' \
  "$panel" >"$score"
[ -n "$subset" ] || exit 0
awk -F'\t' '/^#/ { print; next } $1 == "id" { for (i = 1; i <= NF; i++) c[$i] = i; print; next }
  $c["weight"] + 0 != 0 && ($c["evidence_grade"] == "replicated" || $c["evidence_grade"] == "suggestive") && $c["model"] == "additive"' \
  "$panel" >"$subset"
