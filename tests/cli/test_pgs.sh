#!/usr/bin/env bash
# PGS Catalog scoring files as panels, end to end, on PGS000314 (77 SNPs, GRCh37, C-reactive protein): a synthetic
# GRCh37 cohort holding its sites (tests/cli/make_pgs_cohort.py) scored on VCF.gz and BCF at 1 and 2 threads, equal
# to plink2 --score; the ledger (absent sites, an allele mismatch, a multiallelic record, palindromic rows); the
# score beside the bundled panel (--panel FILE --panel bundled) and a merge of region shards of that run; the
# refusals and --pgs-skip-unsupported; gzip; panel list/show; and real GRCh37 data from ../shared/data/external.
# Usage: test_pgs.sh HEALCAP_BINARY PROJECT_SOURCE_DIR (exit 77 when the scoring file is missing)
set -u
healcap=$1
src=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
pgs=$src/../shared/panel-sources/raw/PGS000314.txt
ext=$src/../shared/data/external
if [ ! -f "$pgs" ]; then
  echo "skip: $pgs is missing"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
LC_ALL=C
export LC_ALL

# JSON without the lines that name the run (command line, threads) or the input file: what must not vary.
stable_json() { grep -v -e '^"run":' -e '^"input":' "$1"; }
same_outputs() {  # same_outputs NAME PREFIX_A PREFIX_B
  if cmp -s "$2.samples.tsv" "$3.samples.tsv" && cmp -s "$2.sites.tsv" "$3.sites.tsv" &&
    cmp -s <(stable_json "$2.json") <(stable_json "$3.json"); then
    pass "$1"
  else
    fail "$1" "$(diff "$2.samples.tsv" "$3.samples.tsv" | head -3; diff "$2.sites.tsv" "$3.sites.tsv" | head -3)"
  fi
}
col_of() { awk -F'\t' -v n="$2" '!/^#/ { for (i = 1; i <= NF; i++) if ($i == n) { print i; exit } }' "$1"; }
# Compares a samples.tsv column with an .sscore column per sample: prints "SAMPLES MISMATCHES".
compare() {  # compare SAMPLES_TSV COLUMN SSCORE SSCORE_COLUMN TOLERANCE [SCALE]
  local c
  c=$(col_of "$1" "$2")
  awk -F'\t' -v c="$c" -v pc="$4" -v tol="$5" -v scale="${6:-1}" '
    NR == FNR { if (FNR > 1) p[$1] = $pc; next }
    /^#/ || $1 == "sample" { next }
    { n++; if (!($1 in p)) { bad++; next } d = $c * scale - p[$1]; if (d < 0) d = -d; if (d > tol) bad++ }
    END { print n + 0, bad + 0 }' "$3" "$1"
}

# --- the cohort ---------------------------------------------------------------------------------------------------
python3 "$here/make_pgs_cohort.py" "$pgs" "$work/c" --panel "$src/gene_panels/healing_panel.tsv" 2>"$work/cohort.log" ||
  { cat "$work/cohort.log"; exit 1; }
n_absent=$(grep -c '^absent' "$work/cohort.log")
mismatch_rsid=$(awk -F'\t' '$1 == "mismatch" { print $2 }' "$work/cohort.log")
multi_rsid=$(awk -F'\t' '$1 == "multiallelic" { print $2 }' "$work/cohort.log")

# plink2 --score on the scoring file itself: variant IDs are the records' rsIDs, all rows additive.
awk -F'\t' '!/^#/ && $1 != "rsID" { print $1 "\t" $4 "\t" $6 }' "$pgs" >"$work/pgs.score"
for fmt in vcf.gz bcf; do
  kind=--vcf
  [ "$fmt" = bcf ] && kind=--bcf
  plink2 "$kind" "$work/c.$fmt" --vcf-half-call missing --score "$work/pgs.score" 1 2 3 no-mean-imputation \
    cols=+scoresums --out "$work/plink_$fmt" >/dev/null 2>&1 || { cat "$work/plink_$fmt.log"; exit 1; }
done
want_n=$(($(grep -c . "$work/pgs.score") - n_absent - 1))
expect_match "plink2 scores the $want_n rows the cohort holds with their alleles" "$(cat "$work/plink_vcf.gz.log")" \
  "--score: $want_n variants processed"

for fmt in vcf.gz bcf; do
  for t in 1 2; do
    run "$healcap" scan --panel "$pgs" --threads "$t" --out "$work/$fmt.t$t" "$work/c.$fmt"
    expect_rc "$fmt, $t thread(s): scan with the PGS Catalog file as the panel" 0
  done
  expect_eq "$fmt: weighted_sum equals plink2 --score SCORE1_SUM for every sample (samples, mismatches)" \
    "$(compare "$work/$fmt.t1.samples.tsv" weighted_sum "$work/plink_$fmt.sscore" 5 1e-5)" "40 0"
  expect_eq "$fmt: risk_allele_count equals plink2's NAMED_ALLELE_DOSAGE_SUM" \
    "$(compare "$work/$fmt.t1.samples.tsv" risk_allele_count "$work/plink_$fmt.sscore" 3 0)" "40 0"
  expect_eq "$fmt: 2 x n_called equals plink2's ALLELE_CT (missing genotypes are not scored)" \
    "$(compare "$work/$fmt.t1.samples.tsv" n_called "$work/plink_$fmt.sscore" 2 0 2)" "40 0"
  same_outputs "$fmt: 1 and 2 threads give the same outputs" "$work/$fmt.t1" "$work/$fmt.t2"
  run "$healcap" scan --panel "$pgs" --stream --out "$work/$fmt.stream" "$work/c.$fmt"
  same_outputs "$fmt: streaming and indexed reads give the same outputs" "$work/$fmt.t1" "$work/$fmt.stream"
done
same_outputs "VCF.gz and BCF give the same outputs" "$work/vcf.gz.t1" "$work/bcf.t1"

# --- the ledger -----------------------------------------------------------------------------------------------------
sites=$work/vcf.gz.t1.sites.tsv
st=$(col_of "$sites" state) ma=$(col_of "$sites" match) ai=$(col_of "$sites" alt_index) oa=$(col_of "$sites" other_allele)
expect_eq "the ledger: found, not_in_input and allele_mismatch rows" \
  "$(awk -F'\t' -v c="$st" '!/^#/ && $1 != "id" { n[$c]++ } END { print n["found"] + 0, n["not_in_input"] + 0, n["allele_mismatch"] + 0 }' "$sites")" \
  "$want_n $n_absent 1"
expect_eq "the record with another allele pair is allele_mismatch, its reason in the ledger, not scored" \
  "$(awk -F'\t' -v r="$mismatch_rsid" -v c="$st" '$2 == r { print $c, $7 }' "$sites")" "allele_mismatch allele_mismatch"
expect_eq "every found row is an allele_pair match, REF unverified" \
  "$(awk -F'\t' -v c="$st" -v m="$ma" '$c == "found" { print $m, $23 }' "$sites" | sort -u)" "allele_pair no"
expect_eq "the multiallelic record is matched, the effect allele counted at its ALT index" \
  "$(awk -F'\t' -v r="$multi_rsid" -v c="$st" -v a="$ai" '$2 == r { print $c, $a }' "$sites")" "found 1"
expect_eq "the 7 palindromic rows are all found, on the forward strand (REF either allele)" \
  "$(awk -F'\t' -v c="$st" -v o="$oa" '($11 $o == "AT" || $11 $o == "TA" || $11 $o == "CG" || $11 $o == "GC") { n++; f += $c == "found" } END { print n, f }' "$sites")" "7 7"
expect_eq "the weight keeps the scoring file's digits in sites.tsv" \
  "$(awk -F'\t' '$2 == "rs3027012" { print $9 }' "$sites")" "0.032643900000000003"
expect_match "... and in the JSON" "$(grep -o '"weight":0.0326439[0-9]*' "$work/vcf.gz.t1.json")" '^"weight":0.032643900000000003$'
expect_eq "PGS rows have no gene, pathway or trait, and are all scored" \
  "$(awk -F'\t' '!/^#/ && $1 != "id" { print $3 $4 $5, $8 }' "$sites" | sort -u)" "... yes"
expect_eq "a score's samples.tsv has no pathway or trait columns" \
  "$(grep -v '^#' "$work/vcf.gz.t1.samples.tsv" | head -1 | tr '\t' '\n' | grep -c '^hci_')" 0
json=$work/vcf.gz.t1.json
expect_eq "JSON: the panel is the score, identified by pgs_id, name and SHA-256 of the file" \
  "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); p=d["panels"][0]; print(p["kind"], p["pgs_id"], p["name"], p["sha256"], p["n_rows"], p["n_scored_rows"], p["grades_apply"])' "$json")" \
  "pgs_catalog PGS000314 GRS77_CRP $(sha256sum <"$pgs" | cut -c1-64) 77 77 False"

# --- several panels in one run --------------------------------------------------------------------------------------
for fmt in vcf.gz bcf; do
  run "$healcap" scan --out "$work/$fmt.heal" "$work/c.$fmt"
  expect_rc "$fmt: the healing panel alone" 0
  run "$healcap" scan --panel "$pgs" --panel bundled --out "$work/$fmt.two" "$work/c.$fmt"
  expect_rc "$fmt: --panel PGS000314.txt --panel bundled" 0
  expect_match "$fmt: the log names both panels" "$err" 'panel PGS000314 \(GRS77_CRP\) \+ healcap-healing '
  run "$healcap" scan --panel bundled --panel "$pgs" --threads 1 --out "$work/$fmt.two_b" "$work/c.$fmt"
  expect_rc "$fmt: --panel bundled --panel PGS000314.txt" 0
  n_pgs=$(awk -F'\t' '/^sample/ { print NF; exit }' "$work/$fmt.t1.samples.tsv")
  n_heal=$(awk -F'\t' '/^sample/ { print NF; exit }' "$work/$fmt.heal.samples.tsv")
  expect_eq "$fmt: the first panel's columns are unprefixed and equal its own run's" \
    "$(cut -f1-"$n_pgs" "$work/$fmt.two.samples.tsv" | cmp -s - "$work/$fmt.t1.samples.tsv" && echo same)" same
  expect_eq "$fmt: the healing panel's columns (prefixed healcap_healing_) equal a healing-only run's" \
    "$(paste <(cut -f1 "$work/$fmt.two.samples.tsv") <(cut -f$((n_pgs + 1))- "$work/$fmt.two.samples.tsv") |
      sed '/^sample/s/healcap_healing_//g; /^#/d' | cmp -s - <(grep -v '^#' "$work/$fmt.heal.samples.tsv") && echo same)" same
  expect_eq "$fmt: with the healing panel first, its columns equal the healing-only samples.tsv byte for byte" \
    "$(cut -f1-"$n_heal" "$work/$fmt.two_b.samples.tsv" | cmp -s - "$work/$fmt.heal.samples.tsv" && echo same)" same
  expect_eq "$fmt: ... and its sites.tsv rows equal the healing-only ledger" \
    "$(pc=$(col_of "$work/$fmt.two_b.sites.tsv" panel); nc=$(col_of "$work/$fmt.two_b.sites.tsv" note)
      awk -F'\t' -v pc="$pc" '$pc != "PGS000314"' "$work/$fmt.two_b.sites.tsv" | cut -f1-"$nc" | cmp -s - "$work/$fmt.heal.sites.tsv" && echo same)" same
  expect_eq "$fmt: the PGS columns are prefixed PGS000314_ and equal the PGS-only run's" \
    "$(c=$(col_of "$work/$fmt.two_b.samples.tsv" PGS000314_weighted_sum); w=$(col_of "$work/$fmt.t1.samples.tsv" weighted_sum)
      cmp -s <(cut -f1,"$c" "$work/$fmt.two_b.samples.tsv" | grep -v '^#' | sed 1d) <(cut -f1,"$w" "$work/$fmt.t1.samples.tsv" | grep -v '^#' | sed 1d) && echo same)" same
done
same_outputs "two panels: VCF.gz and BCF give the same outputs" "$work/vcf.gz.two" "$work/bcf.two"
expect_eq "two panels: the JSON lists both panels and each sample's scores by panel" \
  "$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
s = d["samples"][0]
print(" ".join(p["id"] for p in d["panels"]), " ".join(s["by_panel"]), "by_pathway" in s["by_panel"]["healcap_healing"],
      "by_pathway" in s["by_panel"]["PGS000314"], s["by_panel"]["PGS000314"]["all"] == s["all"])' "$work/vcf.gz.two.json")" \
  "PGS000314 healcap_healing PGS000314 healcap_healing True False True"
run "$healcap" scan --panel "$pgs" --panel "$pgs" --out "$work/dup" "$work/c.bcf"
expect_rc "the same scoring file twice is refused" 1
expect_match "... naming the panel id" "$err" "panel id 'PGS000314' is also the id of"

# Region shards of the two-panel run, merged, equal the single run; a merge with other panels is refused.
chroms1=1,2,3,4,5,6,7,8,9,10,11
chroms2=12,13,14,15,16,17,18,19,20,21,22,X,Y,MT
for fmt in vcf.gz bcf; do
  "$healcap" scan --panel "$pgs" --panel bundled -r $chroms1 --region-shard 1/2 --partial "$work/$fmt.s1.hcp" "$work/c.$fmt" 2>/dev/null
  "$healcap" scan --panel "$pgs" --panel bundled -r $chroms2 --region-shard 2/2 --partial "$work/$fmt.s2.hcp" "$work/c.$fmt" 2>/dev/null
  run "$healcap" merge --panel "$pgs" --panel bundled --out "$work/$fmt.merged" "$work/$fmt.s2.hcp" "$work/$fmt.s1.hcp"
  expect_rc "$fmt: merge of two region shards of the two-panel run" 0
  same_outputs "$fmt: the merge equals the single two-panel run" "$work/$fmt.merged" "$work/$fmt.two"
done
run "$healcap" merge --panel "$pgs" --out "$work/bad" "$work/bcf.s1.hcp" "$work/bcf.s2.hcp"
expect_rc "a merge with only one of the run's panels is refused" 1
expect_match "... naming the partial's panels and the merge's" "$err" \
  'bcf.s1.hcp: made with panels PGS000314 GRS77_CRP \(77 rows.*\+ healcap-healing .*but the merge uses PGS000314 GRS77_CRP \(77 rows'
run "$healcap" merge --panel bundled --panel "$pgs" --out "$work/bad" "$work/bcf.s1.hcp" "$work/bcf.s2.hcp"
expect_rc "a merge with the panels in another order is refused" 1

# annotate with two panels: one ##healcapPanel line each; a shared site carries both panels' rows.
run "$healcap" annotate --panel "$pgs" --panel bundled -o "$work/ann.vcf.gz" "$work/c.bcf"
expect_rc "annotate with two panels" 0
expect_eq "annotate: one ##healcapPanel line per panel, the PGS one with its pgs_id" \
  "$(bcftools view -h "$work/ann.vcf.gz" | grep -c '^##healcapPanel'; bcftools view -h "$work/ann.vcf.gz" | grep -c 'Kind=pgs_catalog,PGS=PGS000314>')" "$(printf '2\n1')"
expect_match "annotate: rs3091244 (in both panels) is tagged with both rows" \
  "$(bcftools query -i 'ID="rs3091244"' -f '%INFO/HC_ID %INFO/HC_MATCH' "$work/ann.vcf.gz")" '^PGS000314:16,rs3091244_inflammation allele_pair,direct$'

# --- refusals, --pgs-skip-unsupported, gzip -------------------------------------------------------------------------
# A copy with an is_haplotype column: one haplotype row and one HLA allele row.
awk -F'\t' -v OFS='\t' '
  /^#/ { print; next }
  $1 == "rsID" { print $0, "is_haplotype"; next }
  { n++; h = (n == 3) ? "True" : "False"; if (n == 5) $4 = "HLA*01"; print $0, h }' "$pgs" >"$work/hap.txt"
line_hap=$(awk '!/^#/ { n++ } n == 4 { print NR; exit }' "$work/hap.txt")
run "$healcap" scan --panel "$work/hap.txt" --out "$work/hap" "$work/c.bcf"
expect_rc "a scoring file with a haplotype row is refused" 1
expect_one_line "... in one line" "$err"
expect_match "... naming FILE:LINE:COLUMN, the column and the reason" "$err" \
  "hap.txt:$line_hap:[0-9]+: is_haplotype: a haplotype row: healcap scores single variants only; .*--pgs-skip-unsupported"
[ -e "$work/hap.samples.tsv" ] && fail "no output after the refusal" || pass "no output after the refusal"
run "$healcap" scan --panel "$work/hap.txt" --pgs-skip-unsupported --out "$work/hap" "$work/c.bcf"
expect_rc "--pgs-skip-unsupported scans the rest" 0
expect_match "... and says what it skipped" "$err" \
  'hap.txt: 2 of 77 variant rows skipped as unsupported \(--pgs-skip-unsupported: haplotype 1, effect_allele_not_acgt 1\)'
expect_eq "... the JSON counts the skipped rows by reason" \
  "$(python3 -c 'import json,sys; p=json.load(open(sys.argv[1]))["panels"][0]; print(p["n_rows"], p["n_file_rows"], p["skipped"])' "$work/hap.json")" \
  "75 77 {'haplotype': 1, 'effect_allele_not_acgt': 1}"
run "$healcap" panel validate "$work/hap.txt"
expect_rc "panel validate refuses it too" 1
gzip -c "$pgs" >"$work/PGS000314.txt.gz"
run "$healcap" scan --panel "$work/PGS000314.txt.gz" --out "$work/gz" "$work/c.bcf"
expect_rc "a gzipped scoring file is read" 0
expect_eq "... with the plain file's samples.tsv and the same SHA-256" \
  "$(cmp -s "$work/gz.samples.tsv" "$work/bcf.t1.samples.tsv" && grep -c "$(sha256sum <"$pgs" | cut -c1-64)" "$work/gz.json")" 2

# --- healcap panel ---------------------------------------------------------------------------------------------------
run "$healcap" panel list --panel "$pgs"
expect_rc "panel list on a scoring file" 0
expect_eq "panel list: kind, pgs_id, rows, palindromic rows, build" \
  "$(awk -F'\t' '$1 ~ /^(kind|pgs_id|rows|rows_palindromic|genome_build)$/ { printf "%s=%s ", $1, $2 }' <<<"$out")" \
  "kind=pgs_catalog pgs_id=PGS000314 genome_build=GRCh37 rows=77 rows_palindromic=7 "
run "$healcap" panel show --panel "$pgs" rs3027012
expect_match "panel show finds a row by rsID, with its weight as written" "$out" 'effect_weight +0.032643900000000003'

# --- real GRCh37 data -------------------------------------------------------------------------------------------------
if [ -d "$ext" ]; then
  # The 1000 Genomes phase 3 subsets (1,126 samples, every chromosome, ~1,100 records each): the score's sites
  # are not among their records.
  kg=$ext/UW-GAC-analysis_pipeline/testdata
  bcftools concat -Oz -o "$work/kg.vcf.gz" $(for c in $(seq 1 22) X; do echo "$kg/1KG_phase3_subset_chr$c.vcf.gz"; done) 2>/dev/null
  run "$healcap" scan --panel "$pgs" --allow-no-hits --out "$work/kg" "$work/kg.vcf.gz"
  expect_rc "1000 Genomes phase 3 subset (GRCh37): scanned" 0
  expect_match "... read as GRCh37" "$err" "kg.vcf.gz: GRCh37 \(header contig lengths"
  awk -F'\t' '!/^#/ && $1 != "rsID" { print $2 "\t" $3 }' "$pgs" >"$work/pgs.pos"
  n_kg=$(bcftools view -H -T "$work/pgs.pos" "$work/kg.vcf.gz" 2>/dev/null | wc -l)
  expect_match "... rows matched as bcftools finds records at the score's positions ($n_kg)" "$err" "; $n_kg of 77 panel rows found"
  # The GIAB Ashkenazi trio exome (GRCh37) holds rs1800947 (CRP); Platinum Genomes NA12878 chr21 holds rs2836878.
  awk -F'\t' '!/^#/ && $1 != "rsID" { print $2 ":" $3 ":" $5 ":" $4 "\t" $4 "\t" $6; print $2 ":" $3 ":" $4 ":" $5 "\t" $4 "\t" $6 }' "$pgs" >"$work/cp.score"
  for f in slivar/tests/ashk-trio.vcf.gz hap.py/example/happy/PG_NA12878_chr21.vcf.gz; do
    name=$(basename "$f" .vcf.gz)
    run "$healcap" scan --panel "$pgs" --out "$work/$name" "$ext/$f"
    expect_rc "$name: scanned with PGS000314" 0
    expect_match "$name: one row found" "$err" "1 of 77 panel rows found"
    plink2 --vcf "$ext/$f" --vcf-half-call missing --set-all-var-ids '@:#:$r:$a' --new-id-max-allele-len 1000 --allow-extra-chr \
      --score "$work/cp.score" 1 2 3 no-mean-imputation cols=+scoresums --out "$work/plink_$name" >/dev/null 2>&1
    n=$(grep -vc '^#' "$work/plink_$name.sscore")
    expect_eq "$name: weighted_sum equals plink2 --score" "$(compare "$work/$name.samples.tsv" weighted_sum "$work/plink_$name.sscore" 5 1e-5)" "$n 0"
  done
else
  echo "note: $ext is missing; the real-data part is skipped"
fi

finish
