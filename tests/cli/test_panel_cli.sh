#!/usr/bin/env bash
# Command-line tests of `healcap` and `healcap panel`: exit codes, messages, and exports checked with
# sha256sum, awk and bcftools, tools independent of healcap.
# Usage: test_panel_cli.sh HEALCAP_BINARY PROJECT_SOURCE_DIR
set -u
healcap=$1
src=$2
panel=$src/gene_panels/healing_panel.tsv
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- top level -------------------------------------------------------------------------------------------
run "$healcap" --version
expect_rc "--version" 0
expect_match "--version prints the version" "$out" '^healcap [0-9]+\.[0-9]+\.[0-9]+$'

run "$healcap" --help
expect_rc "--help" 0
expect_match "--help lists the panel command" "$out" 'panel +list, show'
expect_match "--help says research use" "$out" 'Research use only'

run "$healcap"
expect_rc "no command is a usage error" 2

run "$healcap" --frobnicate
expect_rc "unknown top-level option" 2
expect_one_line "unknown option: one line" "$err"
expect_match "unknown option is named" "$err" "unknown option '--frobnicate'"

run "$healcap" frobnicate
expect_rc "unknown command" 2
expect_one_line "unknown command: one line" "$err"
expect_match "unknown command is named" "$err" "unknown command 'frobnicate'"

run "$healcap" panel
expect_rc "panel without a sub-command" 2

run "$healcap" panel --help
expect_rc "panel --help" 0
expect_match "panel --help lists export" "$out" 'export'

for sub in list show validate export; do
  run "$healcap" panel $sub --help
  expect_rc "panel $sub --help" 0
  expect_match "panel $sub --help shows usage" "$out" "^Usage: healcap panel $sub"
done

run "$healcap" panel list --frobnicate
expect_rc "unknown panel option" 2
expect_one_line "unknown panel option: one line" "$err"
expect_match "unknown panel option is named" "$err" "frobnicate"

run "$healcap" panel frobnicate
expect_rc "unknown panel sub-command" 2
expect_match "unknown panel sub-command is named" "$err" "unknown command 'frobnicate'"

run "$healcap" panel export --build GRCh36
expect_rc "bad --build value" 2
expect_match "bad --build names the option" "$err" "--build 'GRCh36'"

run "$healcap" panel export
expect_rc "export without --build" 2

# --- panel list --------------------------------------------------------------------------------------------
run "$healcap" panel list
expect_rc "panel list" 0
field() { printf '%s\n' "$out" | awk -F'\t' -v k="$1" '$1 == k { print $2; exit }'; }
expect_eq "panel list hash equals sha256sum of the panel file" "$(field sha256)" "$(sha256sum "$panel" | cut -d' ' -f1)"
expect_eq "panel list version equals the file's ##version" "$(field version)" "$(sed -n 's/^##version=//p' "$panel")"
placed=$(awk -F'\t' '!/^#/ && $1 != "id" && ($7 != "." || $10 != ".")' "$panel" | wc -l)
genes=$(awk -F'\t' '!/^#/ && $1 != "id" && ($7 != "." || $10 != ".") { print $3 }' "$panel" | sort -u | wc -l)
wcol=$(awk -F'\t' '$1 == "id" { for (i = 1; i <= NF; i++) if ($i == "weight") print i; exit }' "$panel")
scored=$(awk -F'\t' -v w="$wcol" '!/^#/ && $1 != "id" && $w + 0 != 0' "$panel" | wc -l)
expect_eq "rows with coordinates agree with awk" "$(field rows_with_coordinates)" "$placed"
expect_eq "genes with coordinates agree with awk" "$(field genes_with_coordinates)" "$genes"
expect_eq "scored rows agree with awk" "$(field rows_scored)" "$scored"
[ "$placed" -ge 100 ] && pass "at least 100 placed rows ($placed)" || fail "only $placed placed rows"
[ "$genes" -ge 60 ] && pass "at least 60 genes ($genes)" || fail "only $genes genes"

# --- panel show --------------------------------------------------------------------------------------------
run "$healcap" panel show rs1800012
expect_rc "show rs1800012" 0
expect_eq "show rs1800012 prints its two trait rows" "$(printf '%s\n' "$out" | grep -c '^\[rs1800012_')" 2
expect_match "show gives the GRCh38 position" "$out" 'pos_grch38 +50200388'
run "$healcap" panel show col1a1
expect_eq "show by gene, any case" "$(printf '%s\n' "$out" | grep -c '^\[')" \
  "$(awk -F'\t' '$3 == "COL1A1"' "$panel" | wc -l)"
run "$healcap" panel show rs0000
expect_rc "show of an unknown key" 1
expect_match "unknown key is named" "$err" "no row has id, rsID or gene 'rs0000'"

# --- panel validate ----------------------------------------------------------------------------------------
run "$healcap" panel validate "$panel"
expect_rc "validate the bundled panel file" 0

# Corrupt the weight of the first data row; compute the expected line and column with awk.
bad=$work/corrupt_panel.tsv
awk -F'\t' -v OFS='\t' -v w="$wcol" 'BEGIN { done = 0 } !/^#/ && $1 != "id" && !done { $w = "heavy"; done = 1 } { print }' "$panel" >"$bad"
line=$(awk -F'\t' '!/^#/ && $1 != "id" { print NR; exit }' "$bad")
col=$(awk -F'\t' -v l="$line" -v w="$wcol" 'NR == l { c = 1; for (i = 1; i < w; i++) c += length($i) + 1; print c }' "$bad")
run "$healcap" panel validate "$bad"
expect_rc "validate a corrupted panel" 1
expect_one_line "corrupted panel: one line" "$err"
expect_match "corrupted panel names file:line:column" "$err" "corrupt_panel.tsv:$line:$col: weight: non-numeric weight 'heavy'"

# A duplicate id, detected at the copy's line.
awk -F'\t' -v OFS='\t' '!/^#/ && $1 != "id" { n++; if (n == 2) $1 = first; if (n == 1) first = $1 } { print }' "$panel" >"$bad"
line=$(awk -F'\t' '!/^#/ && $1 != "id" { n++; if (n == 2) { print NR; exit } }' "$bad")
run "$healcap" panel validate "$bad"
expect_rc "validate a panel with a duplicate id" 1
expect_match "duplicate id names file:line:1" "$err" "corrupt_panel.tsv:$line:1: id: duplicate id"

run "$healcap" panel validate "$work/missing.tsv"
expect_rc "validate a missing file" 1
expect_match "missing file is named" "$err" "missing.tsv:0:0: cannot open panel file"

run "$healcap" panel list --panel "$bad"
expect_rc "list with a bad --panel" 1

# --- panel export ------------------------------------------------------------------------------------------
run "$healcap" panel export --build GRCh38 -o "$work/p38.vcf"
expect_rc "export GRCh38 VCF" 0
run bcftools view -H "$work/p38.vcf"
expect_rc "bcftools view accepts the GRCh38 VCF" 0
expect_eq "bcftools reads no warnings" "$(printf '%s' "$err" | grep -c . || true)" 0
want=$(awk -F'\t' '!/^#/ && $1 != "id" && $10 != "." { print $6 ":" $10 ":" $11 ":" $12 }' "$panel" | sort -u | wc -l)
expect_eq "one VCF record per distinct GRCh38 locus" "$(printf '%s\n' "$out" | grep -c .)" "$want"
got=$(bcftools query -f '%CHROM:%POS\n' "$work/p38.vcf" | sed 's/^chr//' | sort -u)
exp=$(awk -F'\t' '!/^#/ && $1 != "id" && $10 != "." { print $6 ":" $10 }' "$panel" | sort -u)
expect_eq "bcftools query positions equal the panel's GRCh38 positions" "$got" "$exp"
expect_eq "rs1800012 in the export" "$(bcftools query -i 'ID="rs1800012"' -f '%CHROM %POS %REF %ALT\n' "$work/p38.vcf")" "chr17 50200388 C A"

run "$healcap" panel export --build GRCh38 -o "$work/p38.vcf.gz"
expect_rc "export bgzipped VCF" 0
run tabix -p vcf "$work/p38.vcf.gz"
expect_rc "tabix indexes the bgzipped export" 0
run "$healcap" panel export --build GRCh38 --format bed -o "$work/p38.bed"
expect_rc "export BED" 0
n_all=$(bcftools view -H "$work/p38.vcf.gz" | wc -l)
expect_eq "bcftools view -R BED returns every record" "$(bcftools view -H -R "$work/p38.bed" "$work/p38.vcf.gz" | wc -l)" "$n_all"
expect_eq "bcftools view -R VCF returns every record" "$(bcftools view -H -R "$work/p38.vcf" "$work/p38.vcf.gz" | wc -l)" "$n_all"
expect_eq "bcftools view -T VCF returns every record" "$(bcftools view -H -T "$work/p38.vcf" "$work/p38.vcf" | wc -l)" "$n_all"

run "$healcap" panel export --build GRCh37 -o "$work/p37.vcf"
expect_rc "export GRCh37 VCF" 0
run bcftools view -H "$work/p37.vcf"
expect_rc "bcftools view accepts the GRCh37 VCF" 0
expect_eq "GDF5 rs143383 has GRCh37 REF A" "$(bcftools query -i 'ID="rs143383"' -f '%CHROM %POS %REF %ALT\n' "$work/p37.vcf")" "20 34025983 A G"
expect_eq "ACTN3 rs1815739 has GRCh37 REF T" "$(bcftools query -i 'ID="rs1815739"' -f '%REF %ALT\n' "$work/p37.vcf")" "T C"

run "$healcap" panel export --build GRCh37 --format tsv -o "$work/p37.tsv"
expect_rc "export GRCh37 panel TSV" 0
run "$healcap" panel validate "$work/p37.tsv"
expect_rc "the exported TSV validates as a panel" 0
run "$healcap" panel list --panel "$work/p37.tsv"
expect_eq "the exported TSV holds the GRCh37 rows" "$(printf '%s\n' "$out" | awk -F'\t' '$1 == "rows" { print $2 }')" \
  "$(awk -F'\t' '!/^#/ && $1 != "id" && $7 != "."' "$panel" | wc -l)"

run "$healcap" panel export --build GRCh38 -o "$work/no_such_dir/p.vcf"
expect_rc "export into a missing directory" 1
[ ! -e "$work/no_such_dir/p.vcf" ] && pass "no output file after a failed export" || fail "partial output left behind"

finish
