#!/usr/bin/env bash
# Real sequencing outputs (issue 4): build and naming guardrails, gVCF reference blocks, DS/GP dosages,
# haploid calls, multiallelic records, strand flips, filters, callable regions, sample selection and the
# single-sample model, on files from ../shared/data/external. Each expectation comes from bcftools query /
# view or plink2 on the same file, or from tests/cli/expect_scores.py, which recomputes scores from
# bcftools genotypes without healcap's code.
# Usage: test_real_data_cli.sh HEALCAP_BINARY PROJECT_SOURCE_DIR
set -u
healcap=$1
src=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
ext=$src/../shared/data/external
example=$src/tests/data/example_cohort.vcf.gz
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ ! -d "$ext" ]; then
  echo "skipped: $ext not found"
  exit 77
fi

header='id	rsid	gene	pathway	trait	chrom	pos_grch37	ref_grch37	alt_grch37	pos_grch38	ref_grch38	alt_grch38	effect_allele	odds_ratio	weight	model	eaf	evidence_grade	evidence	source	notes'
# make_panel VCF BUILD EVERY CHROM_PREFIX MODELS [EAF]: a test panel from every EVERY-th site of VCF.
# CHROM_PREFIX is written before the plain chromosome number; MODELS: cycle (additive, dominant, recessive)
# or additive; EAF=yes gives rows an eaf (0.1 to 0.5).
make_panel() {
  printf '##panel=test\n##version=1\n%s\n' "$header"
  bcftools query -f '%CHROM\t%POS\t%REF\t%ALT\n' "$1" 2>/dev/null | awk -F'\t' -v OFS='\t' -v b="$2" -v every="$3" -v pre="$4" -v models="$5" -v eaf="${6:-no}" '
    $4 !~ /[<*]/ && NR % every == 0 {
      n++; split("additive dominant recessive", m, " ")
      split($4, alts, ","); ea = (n % 2) ? alts[1] : $3
      c = $1; sub(/^chr/, "", c)
      mo = (models == "cycle") ? m[n % 3 + 1] : "additive"
      f = (eaf == "yes") ? (n % 5 + 1) / 10 : "."
      if (b == 37) print "t" n, ".", "G" n, "other", "bone", pre c, $2, $3, $4, ".", ".", ".", ea, ".", (n % 7 + 1) / 10, mo, f, "replicated", ".", "test", "."
      else print "t" n, ".", "G" n, "other", "bone", pre c, ".", ".", ".", $2, $3, $4, ea, ".", (n % 7 + 1) / 10, mo, f, "replicated", ".", "test", "."
    }'
}
# json_field RUN.json EXPR: EXPR over d, the run's JSON with each sample's call from its calls file put back into the
# sites as arrays (healcap_calls.py: genotypes, call_states, dosages, gq, dp).
json_field() {
  python3 -c "import sys; sys.path.insert(0, sys.argv[3]); import healcap_calls; d = healcap_calls.load_run(sys.argv[1]); print(eval(sys.argv[2]))" "$1" "$2" "$here"
}
col_of() { awk -F'\t' -v n="$2" '!/^#/ { for (i = 1; i <= NF; i++) if ($i == n) { print i; exit } }' "$1"; }
sites_where() {  # sites_where SITES.tsv COLUMN VALUE: ids of rows whose COLUMN is VALUE
  awk -F'\t' -v n="$2" -v v="$3" '/^#/ { next } !h { for (i = 1; i <= NF; i++) c[$i] = i; h = 1; next } $c[n] == v { print $1 }' "$1"
}

# --- builds and contig naming ---------------------------------------------------------------------------------
kg=$ext/UW-GAC-analysis_pipeline/testdata/1KG_phase3_subset_chr22.vcf.gz
make_panel "$kg" 37 17 "" cycle >"$work/kg_plain.tsv"
make_panel "$kg" 37 17 chr cycle >"$work/kg_chr.tsv"
run "$healcap" scan --panel "$work/kg_plain.tsv" --out "$work/kgp" "$kg"
expect_rc "1000G (GRCh37, plain names) with a plain-named panel" 0
expect_match "1000G: GRCh37 chosen from the header lengths" "$err" "GRCh37 \(header contig lengths"
expect_eq "1000G: the JSON summary names build, style and REF concordance" "$(json_field "$work/kgp.json" "d['build']['summary']")" \
  "GRCh37, plain-style, $(grep -vc -e '^#' -e '^id' "$work/kg_plain.tsv")/$(grep -vc -e '^#' -e '^id' "$work/kg_plain.tsv") REF concordant"
run "$healcap" scan --panel "$work/kg_chr.tsv" --out "$work/kgc" "$kg"
expect_rc "1000G (plain names) with a chr-named panel" 0
expect_eq "chr-named panel gives the plain-named panel's scores" "$(md5sum <"$work/kgc.samples.tsv")" "$(md5sum <"$work/kgp.samples.tsv")"
# The same file bgzipped: the parallel reader (raw BGZF blocks inflated by workers, lines stitched across
# batches) must give the single-threaded reader's bytes.
bgzip -dc "$kg" | bgzip -c >"$work/kg_bgzf.vcf.gz"
for t in 1 2 4; do "$healcap" scan --panel "$work/kg_plain.tsv" --stream --threads $t --out "$work/kgt$t" "$work/kg_bgzf.vcf.gz" 2>/dev/null; done
expect_eq "bgzipped 1000G: --threads 2 and 4 give the bytes of --threads 1 (samples, sites)" \
  "$(cat "$work/kgt2.samples.tsv" "$work/kgt2.sites.tsv" "$work/kgt4.samples.tsv" "$work/kgt4.sites.tsv" | md5sum)" \
  "$(cat "$work/kgt1.samples.tsv" "$work/kgt1.sites.tsv" "$work/kgt1.samples.tsv" "$work/kgt1.sites.tsv" | md5sum)"
expect_eq "bgzipped 1000G gives the plain-gzip file's samples.tsv" "$(md5sum <"$work/kgt2.samples.tsv")" "$(md5sum <"$work/kgp.samples.tsv")"
python3 - "$work/kg_bgzf.vcf.gz" "$work/kg_corrupt.vcf.gz" <<'PY'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
at = len(data) * 3 // 5
for i in range(at, at + 64):
    data[i] ^= 0x5A
open(sys.argv[2], "wb").write(data)
PY
# The same for BCF: workers inflate, the serial stage walks records and stitches those cut between batches.
bcftools view -Ob -o "$work/kg_s.bcf" "$kg"
for t in 1 2 4; do "$healcap" scan --panel "$work/kg_plain.tsv" --stream --threads $t --out "$work/kgb$t" "$work/kg_s.bcf" 2>/dev/null; done
expect_eq "BCF 1000G: --threads 2 and 4 give the bytes of --threads 1 and of the VCF (samples, sites)" \
  "$(cat "$work/kgb1.samples.tsv" "$work/kgb2.samples.tsv" "$work/kgb4.samples.tsv" "$work/kgb2.sites.tsv" | md5sum)" \
  "$(cat "$work/kgt1.samples.tsv" "$work/kgt1.samples.tsv" "$work/kgt1.samples.tsv" "$work/kgt1.sites.tsv" | md5sum)"
run "$healcap" annotate --threads 2 -o "$work/kg_ann.bcf" "$work/kg_s.bcf"
expect_eq "BCF annotate at 2 threads passes every record" "$(bcftools view -H "$work/kg_ann.bcf" | wc -l)" "$(bcftools view -H "$work/kg_s.bcf" | wc -l)"
python3 - "$work/kg_s.bcf" "$work/kg_corrupt.bcf" <<'PY'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
at = len(data) * 3 // 5
for i in range(at, at + 64):
    data[i] ^= 0x5A
open(sys.argv[2], "wb").write(data)
PY
for t in 1 2; do
  run "$healcap" scan --panel "$work/kg_plain.tsv" --stream --threads $t --out "$work/kgcb$t" "$work/kg_corrupt.bcf"
  expect_rc "a corrupt BCF block mid-file fails at --threads $t" 1
  expect_one_line "corrupt BCF block at --threads $t: one line" "$err"
done
for t in 1 2; do
  run "$healcap" scan --panel "$work/kg_plain.tsv" --stream --threads $t --out "$work/kgc$t" "$work/kg_corrupt.vcf.gz"
  expect_rc "a corrupt BGZF block mid-file fails at --threads $t" 1
  expect_one_line "corrupt block at --threads $t: one line" "$err"
  expect_match "corrupt block at --threads $t: the file and the problem are named" "$err" "kg_corrupt.vcf.gz: .*(corrupt|truncated)"
done
run python3 "$here/expect_scores.py" "$work/kg_plain.tsv" 37 "$kg" "$work/kgp"
expect_rc "1000G: scores equal an independent recomputation ($(printf '%s' "$out" | tail -1))" 0

nygc=$ext/bio2zarr/tests/data/vcf/chr22.vcf.gz
make_panel "$nygc" 38 2 "" cycle >"$work/nygc_plain.tsv"
run "$healcap" scan --panel "$work/nygc_plain.tsv" --threads 2 --out "$work/ny" "$nygc"
expect_rc "NYGC 30x (GRCh38, chr names) with a plain-named panel" 0
expect_match "NYGC: GRCh38 chosen from the header lengths" "$err" "GRCh38 \(header contig lengths"
expect_match "NYGC: chr-style and fully REF concordant" "$(json_field "$work/ny.json" "d['build']['summary']")" "^GRCh38, chr-style, ([0-9]+)/\\1 REF concordant$"
ID_MODE=chrpos "$here/plink2_sums.sh" "$work/nygc_plain.tsv" 38 "$nygc" "$work/plink_ny" >"$work/plink_ny.sums" 2>"$work/plink_ny.err"
wc_col=$(col_of "$work/ny.samples.tsv" weighted_sum)
expect_eq "NYGC: weighted_sum equals plink2 --score for all 100 samples" \
  "$(awk -F'\t' -v c="$wc_col" 'NR == FNR { p["chr" $1] = $2; p[$1] = $2; next } /^#/ || $1 == "sample" { next } { d = $c - p[$1]; if (d < 0) d = -d; if (d > 5e-4) bad++; n++ } END { print n + 0, bad + 0 }' "$work/plink_ny.sums" "$work/ny.samples.tsv")" "100 0"

# --- wrong build: the GIAB Ashkenazi trio exome (GRCh37) against the bundled panel ------------------------------
trio=$ext/slivar/tests/ashk-trio.vcf.gz
run "$healcap" scan --out "$work/trio" "$trio"
expect_rc "GIAB trio exome scans as GRCh37" 0
want=$("$healcap" panel export --build GRCh37 --contigs plain -o "$work/p37.vcf" 2>/dev/null; bcftools view -H -T "$work/p37.vcf" "$trio" | awk '{ print $1 ":" $2 }' | sort -u | wc -l)
expect_eq "trio: found rows sit at as many positions as bcftools view -T finds" \
  "$(awk -F'\t' -v s="$(col_of "$work/trio.sites.tsv" state)" -v c="$(col_of "$work/trio.sites.tsv" seen_pos)" '$s == "found" { print $c }' "$work/trio.sites.tsv" | sort -u | wc -l)" "$want"
run "$healcap" scan --build GRCh38 --out "$work/trio38" "$trio"
expect_rc "the trio forced to GRCh38 fails loudly" 1
expect_one_line "wrong build: one line" "$err"
expect_match "wrong build: the likely cause is named" "$err" "likely cause: wrong build: [0-9]+/[0-9]+ records at the panel's GRCh37 positions carry its GRCh37 REF; rerun with --build GRCh37"
run "$healcap" scan --build GRCh38 --allow-no-hits --out "$work/trio38" "$trio"
expect_rc "wrong build with --allow-no-hits writes the ledger" 0
expect_eq "wrong build: those rows carry the build_mismatch reason" "$(sites_where "$work/trio38.sites.tsv" reason build_mismatch | sort | tr '\n' ' ')" \
  "$(sites_where "$work/trio.sites.tsv" match direct | sort | tr '\n' ' ')"
# RefSeq accessions as contig names (NC_000017.11 for chr17, GRCh38) read like chr17.
awk 'BEGIN { v["1"]=11; v["2"]=12; v["3"]=12; v["4"]=12; v["5"]=10; v["6"]=12; v["7"]=14; v["8"]=11; v["9"]=12; v["10"]=11;
  v["11"]=10; v["12"]=12; v["13"]=11; v["14"]=9; v["15"]=10; v["16"]=10; v["17"]=11; v["18"]=10; v["19"]=10; v["20"]=11;
  v["21"]=9; v["22"]=11; for (c = 1; c <= 22; c++) printf "chr%d\tNC_%06d.%d\n", c, c, v[c]
  print "chrX\tNC_000023.11"; print "chrY\tNC_000024.10"; print "chrM\tNC_012920.1" }' >"$work/refseq.map"
bcftools annotate --rename-chrs "$work/refseq.map" -Oz -o "$work/refseq.vcf.gz" "$example"
run "$healcap" scan --out "$work/refseq" "$work/refseq.vcf.gz"
expect_rc "RefSeq-named contigs (NC_000017.11) scan" 0
expect_match "RefSeq names: the style is reported" "$err" "refseq-style"
expect_eq "RefSeq names give the chr-named file's samples.tsv" "$(md5sum <"$work/refseq.samples.tsv")" "$(md5sum <"$src/tests/data/golden/example.samples.tsv")"
# A file that is not at the panel's positions in either build, with REFs that do not match: naming the cause.
sed -e 's/^chr\([0-9XYM]\)/chromosome\1/' -e 's/ID=chr/ID=chromosome/' <(bcftools view "$example") >"$work/odd.vcf"
run "$healcap" scan --out "$work/odd" "$work/odd.vcf"
expect_rc "unreadable contig names fail" 1
expect_match "unreadable names: the cause names contig naming" "$err" "likely cause: a contig naming mismatch"

# Header without lengths or reference: the build comes from REF concordance at panel sites.
imp=$ext/sgkit/sgkit/tests/io/vcf/data/1kg_target_chr20_38_imputed_chr20_1000.vcf
make_panel "$imp" 38 9 chr cycle >"$work/imp.tsv"
run "$healcap" scan --panel "$work/imp.tsv" --out "$work/imp" "$imp"
expect_rc "imputed GRCh38 file whose header names no build" 0
expect_match "the build is chosen by REF concordance" "$err" "GRCh38 \(REF concordance at panel sites: ([0-9]+)/\\1 for GRCh38"

# --- dosages: DS (Number=A and Number=1), GP ------------------------------------------------------------------
run "$healcap" scan --panel "$work/imp.tsv" --dosage DS --out "$work/impds" "$imp"
expect_eq "imputed: the dosage source is DS" "$(sites_where "$work/impds.sites.tsv" dosage_source DS | wc -l)" "$(grep -vc -e '^#' -e '^id' "$work/imp.tsv")"
awk -F'\t' -v OFS='\t' '/^#/ || $1 == "id" || $16 == "additive"' "$work/imp.tsv" >"$work/imp_add.tsv"  # plink2 dosage=DS: additive only
run "$healcap" scan --panel "$work/imp_add.tsv" --dosage DS --out "$work/impa" "$imp"
awk -F'\t' '!/^#/ && $1 != "id" { sub(/^chr/, "", $6); print $6 ":" $10 ":" $11 ":" $12 "\t" $13 "\t" $15 }' "$work/imp_add.tsv" >"$work/imp_add.score"
plink2 --vcf "$imp" dosage=DS --set-all-var-ids '@:#:$r:$a' --new-id-max-allele-len 1000 --score "$work/imp_add.score" 1 2 3 no-mean-imputation cols=+scoresums --out "$work/plink_imp" >/dev/null 2>&1
c=$(col_of "$work/impa.samples.tsv" weighted_sum)
expect_eq "DS (Number=A): weighted_sum equals plink2 --vcf dosage=DS --score (samples, mismatches)" \
  "$(awk -F'\t' -v c="$c" 'NR == FNR { if (FNR > 1) p[$1] = $NF; next } /^#/ || $1 == "sample" { next } { d = $c - p[$1]; if (d < 0) d = -d; if (d > 1e-3) bad++; n++ } END { print n + 0, bad + 0 }' "$work/plink_imp.sscore" "$work/impa.samples.tsv")" "14 0"
run "$healcap" scan --panel "$work/imp_add.tsv" --dosage GT --out "$work/impgt" "$imp"
[ "$(md5sum <"$work/impgt.samples.tsv")" != "$(md5sum <"$work/impa.samples.tsv")" ] && pass "--dosage GT and DS differ on imputed data" || fail "--dosage GT gave the DS result"

beagle=$ext/debian-beagle-doc/test.vcf
make_panel "$beagle" 37 40 "" additive >"$work/beagle.tsv"
run "$healcap" scan --panel "$work/beagle.tsv" --out "$work/beagle" "$beagle"
expect_rc "Beagle DS (Number=1) file, 191 samples" 0
expect_match "Beagle: GRCh37 from ##reference" "$err" "GRCh37 \(header ##reference=GRCh37\)"
awk -F'\t' '!/^#/ && $1 != "id" { sub(/^chr/, "", $6); print $6 ":" $7 ":" $8 ":" $9 "\t" $13 "\t" $15 }' "$work/beagle.tsv" >"$work/beagle.score"
plink2 --vcf "$beagle" dosage=DS --set-all-var-ids '@:#:$r:$a' --new-id-max-allele-len 1000 --score "$work/beagle.score" 1 2 3 no-mean-imputation cols=+scoresums --out "$work/plink_beagle" >/dev/null 2>&1
c=$(col_of "$work/beagle.samples.tsv" weighted_sum)
expect_eq "DS (Number=1): weighted_sum equals plink2 dosage=DS (samples, mismatches)" \
  "$(awk -F'\t' -v c="$c" 'NR == FNR { if (FNR > 1) p[$1] = $NF; next } /^#/ || $1 == "sample" { next } { d = $c - p[$1]; if (d < 0) d = -d; if (d > 1e-3) bad++; n++ } END { print n + 0, bad + 0 }' "$work/plink_beagle.sscore" "$work/beagle.samples.tsv")" "191 0"

# GP (bcftools' convert.vcf, chrX b37): renamed to chromosome 22 for plink2, which treats X by sex.
# Biallelic records only: plink2 alpha 3.5 cannot import GP dosages at multiallelic records.
# plink2 also reads a haploid call on an autosome as homozygous diploid, so only the samples whose calls are
# all diploid are kept (haploid dosages are checked above, independently).
bcftools annotate --rename-chrs <(printf 'X\t22\n') "$ext/bcftools/test/convert.vcf" 2>/dev/null | bcftools view -m2 -M2 -Oz -o "$work/gp_all.vcf.gz"
diploid=$(bcftools query -f '[%SAMPLE=%GT\n]' "$work/gp_all.vcf.gz" | awk -F= '$2 !~ /[|\/]/ { hap[$1] = 1 } { all[$1] = 1 } END { for (s in all) if (!(s in hap)) print s }' | sort | paste -sd,)
bcftools view -s "$diploid" -Oz -o "$work/gp.vcf.gz" "$work/gp_all.vcf.gz"
n_diploid=$(bcftools query -l "$work/gp.vcf.gz" | wc -l)
make_panel "$work/gp.vcf.gz" 37 2 "" additive >"$work/gp.tsv"
run "$healcap" scan --panel "$work/gp.tsv" --build GRCh37 --dosage GP --out "$work/gp" "$work/gp.vcf.gz"
expect_rc "GP file scans with --dosage GP" 0
expect_eq "GP: the dosage source is GP" "$(sites_where "$work/gp.sites.tsv" dosage_source GP | wc -l)" "$(sites_where "$work/gp.sites.tsv" state found | wc -l)"
awk -F'\t' '!/^#/ && $1 != "id" { sub(/^chr/, "", $6); print $6 ":" $7 ":" $8 ":" $9 "\t" $13 "\t" $15 }' "$work/gp.tsv" >"$work/gp.score"
plink2 --vcf "$work/gp.vcf.gz" dosage=GP --set-all-var-ids '@:#:$r:$a' --new-id-max-allele-len 1000 --score "$work/gp.score" 1 2 3 no-mean-imputation cols=+scoresums --out "$work/plink_gp" >/dev/null 2>&1
c=$(col_of "$work/gp.samples.tsv" weighted_sum)
expect_eq "GP: weighted_sum equals plink2 dosage=GP (samples, mismatches)" \
  "$(awk -F'\t' -v c="$c" 'NR == FNR { if (FNR > 1) p[$1] = $NF; next } /^#/ || $1 == "sample" { next } { d = $c - p[$1]; if (d < 0) d = -d; if (d > 1e-3) bad++; n++ } END { print n + 0, bad + 0 }' "$work/plink_gp.sscore" "$work/gp.samples.tsv")" "$n_diploid 0"

# --- haploid chrX and multiallelic records ----------------------------------------------------------------------
hx=$ext/debian-python3-cyvcf2/test-haploidX.vcf
bcftools view -Oz -o "$work/hx.vcf.gz" "$hx" 2>/dev/null && bcftools index -t "$work/hx.vcf.gz"
make_panel "$work/hx.vcf.gz" 37 1 "" cycle >"$work/hx.tsv"
run "$healcap" scan --panel "$work/hx.tsv" --out "$work/hx" "$work/hx.vcf.gz"
expect_rc "haploid chrX file scans" 0
run python3 "$here/expect_scores.py" "$work/hx.tsv" 37 "$work/hx.vcf.gz" "$work/hx"
expect_rc "haploid calls count 0 or 1 and cap the maximum ($(printf '%s' "$out" | tail -1))" 0
expect_match "a haploid GT appears as one allele" "$(json_field "$work/hx.json" "sorted(set(g for s in d['sites'] if s.get('genotypes') for g in s['genotypes']))")" "'1'"

bcftools view -m3 -Oz -o "$work/multi.vcf.gz" "$kg" && bcftools index -t "$work/multi.vcf.gz"
printf '##panel=multi\n##version=1\n%s\n' "$header" >"$work/multi.tsv"
bcftools query -f '%CHROM\t%POS\t%REF\t%ALT\n' "$work/multi.vcf.gz" | awk -F'\t' -v OFS='\t' '
  { split($4, a, ","); n++; print "m" n, ".", "G", "other", "bone", $1, $2, $3, $4, ".", ".", ".", a[2], ".", 0.5, "additive", ".", "replicated", ".", "test", "." }' >>"$work/multi.tsv"
run "$healcap" scan --panel "$work/multi.tsv" --out "$work/multi" "$work/multi.vcf.gz"
expect_rc "1000G multiallelic records with the second ALT as effect allele" 0
expect_eq "multiallelic: every row found with alt_index 2" "$(sites_where "$work/multi.sites.tsv" alt_index 2 | wc -l)" "$(grep -vc -e '^#' -e '^id' "$work/multi.tsv")"
run python3 "$here/check_calls.py" "$work/multi.json" "$work/multi.vcf.gz"
expect_rc "multiallelic: the calls file's dosages follow bcftools GTs at ALT 2 ($(printf '%s' "$out" | tail -1))" 0

# --- a gVCF: NA12878 with <NON_REF> blocks ----------------------------------------------------------------------
gv=$ext/bio2zarr/tests/data/vcf/NA12878.prod.chr20snippet.g.vcf.gz
printf '##panel=gvcf\n##version=1\n%s\n' "$header" >"$work/gv.tsv"
# Rows inside blocks (after the block's first base, REF unknown: flag-only) and at block starts (REF known).
bcftools view -H "$gv" | awk -F'\t' -v OFS='\t' '$5 == "<NON_REF>" { split($8, a, "END="); e = a[2] + 0; if (e - $2 >= 20) { n++;
    if (n % 2) print "in" n, ".", "G", "other", "bone", $1, $2 + 10, ".", ".", ".", ".", ".", ".", ".", 0, "additive", ".", "none", ".", "test", "."
    else print "st" n, ".", "G", "other", "bone", $1, $2, $4, ($4 == "A" ? "C" : "A"), ".", ".", ".", (n % 4 ? $4 : ($4 == "A" ? "C" : "A")), ".", 0.3, "additive", ".", "replicated", ".", "test", "." }
  if (n >= 12) exit }' >>"$work/gv.tsv"
run "$healcap" scan --panel "$work/gv.tsv" --out "$work/gv" "$gv"
expect_rc "NA12878 gVCF scans" 0
expect_eq "gVCF: every row is a reference block" "$(sites_where "$work/gv.sites.tsv" state ref_block | wc -l)" "12"
got=$(json_field "$work/gv.json" "' '.join(str(s['gq'][0]) for s in d['sites'])")  # gVCF blocks carry GQ
exp=$(awk -F'\t' '!/^#/ && $1 != "id" { sub(/^chr/, "", $6); print $6 ":" $7 }' "$work/gv.tsv" | while read -r r; do
  bcftools query -r "$r" -f '%ALT[\t%GQ]\n' "$gv" | awk -F'\t' '$1 == "<NON_REF>" { print $2; exit }'; done | tr '\n' ' ' | sed 's/ $//')
expect_eq "gVCF: each row keeps its covering block's GQ, as bcftools query -r finds it" "$got" "$exp"
expect_eq "gVCF: block dosage is 2 where the effect allele is the REF, else 0" \
  "$(json_field "$work/gv.json" "' '.join(str(s['dosages'][0]) for s in d['sites'] if s['effect_allele'])")" \
  "$(awk -F'\t' '!/^#/ && $1 != "id" && $13 != "." { print ($13 == $8 ? 2 : 0) }' "$work/gv.tsv" | tr '\n' ' ' | sed 's/ $//')"
mingq=$(echo "$exp" | tr ' ' '\n' | sort -n | tail -1)
run "$healcap" scan --panel "$work/gv.tsv" --min-gq $((mingq + 1)) --allow-no-hits --out "$work/gvq" "$gv"
expect_eq "gVCF: --min-gq above every block's GQ leaves every call filtered" "$(json_field "$work/gvq.json" "sum(s['state_counts']['filtered'] for s in d['sites'])")" "12"
bgzip -dc "$gv" | bgzip -c >"$work/gv_stream.vcf.gz"  # no index: the streaming path
run "$healcap" scan --panel "$work/gv.tsv" --out "$work/gvs" "$work/gv_stream.vcf.gz"
expect_eq "gVCF streamed without an index gives the same sites" "$(md5sum <"$work/gvs.sites.tsv")" "$(md5sum <"$work/gv.sites.tsv")"

run "$healcap" scan --out "$work/gvb" "$gv"
expect_rc "the gVCF snippet with the bundled panel finds nothing and fails" 1
expect_match "the cause says the input covers no panel position (not a naming mismatch)" "$err" "likely cause: the input covers none of the panel's positions on "

# --- single sample: N=1 model with panel allele frequencies ----------------------------------------------------
make_panel "$trio" 37 25 "" cycle yes >"$work/trio_eaf.tsv"
run "$healcap" scan --panel "$work/trio_eaf.tsv" -s HG002 --out "$work/one" "$trio"
expect_rc "one sample (-s HG002) with a panel carrying eaf" 0
expect_eq "N=1: samples.tsv has the one sample" "$(grep -v '^#' "$work/one.samples.tsv" | tail -n +2 | cut -f1)" "HG002"
bcftools view -s HG002 -Oz -o "$work/hg002.vcf.gz" "$trio" && bcftools index -t "$work/hg002.vcf.gz"
run python3 "$here/expect_scores.py" "$work/trio_eaf.tsv" 37 "$work/hg002.vcf.gz" "$work/one"
expect_rc "N=1: weighted_sum, max_observed and z_score equal an independent computation ($(printf '%s' "$out" | tail -1))" 0
expect_match "N=1: expected_unobserved is reported" "$(json_field "$work/one.json" "d['samples'][0]['all']['expected_unobserved']")" "^[0-9.]+$"

# --- sample selection -------------------------------------------------------------------------------------------
run "$healcap" scan --out "$work/sel" -s ^EX01,EX02 "$example"
expect_eq "-s ^EX01,EX02 keeps the other 18, as bcftools -s does" "$(grep -v '^#' "$work/sel.samples.tsv" | tail -n +2 | cut -f1 | tr '\n' ' ')" \
  "$(bcftools query -l -s ^EX01,EX02 "$example" | tr '\n' ' ')"
run "$healcap" scan --out "$work/sel2" -s EX03,NOPE "$example"
expect_rc "an unknown sample fails" 1
expect_match "the unknown sample is named" "$err" "sample 'NOPE' is not in the file; check -s/-S or add --force-samples"
run "$healcap" scan --out "$work/sel3" -s EX03,NOPE --force-samples "$example"
expect_rc "--force-samples keeps going" 0
expect_match "--force-samples warns" "$err" "warning: .*'NOPE'"

# --- filters, strand flips, callable regions, completeness ------------------------------------------------------
bcftools view "$example" | awk -F'\t' -v OFS='\t' '$3 == "rs143383" { $7 = "LowQual" } $3 == "rs1800012" { $4 = "G"; $5 = "T" } $3 == "rs2010963" { $4 = "G"; $5 = "C" } { print }' |
  sed 's/^##fileformat=VCFv4.2$/##fileformat=VCFv4.2\n##FILTER=<ID=LowQual,Description="low quality">/' | bgzip -c >"$work/mod.vcf.gz"
run "$healcap" scan --pass-only --out "$work/mod" --min-ref-concordance 0.5 "$work/mod.vcf.gz"
expect_rc "--pass-only run" 0
expect_eq "FILTER LowQual under --pass-only: the row's reason is filtered" "$(sites_where "$work/mod.sites.tsv" reason filtered | tr '\n' ' ')" "rs143383_osteoarthritis "
expect_eq "a complemented non-palindromic record matches strand_flipped" "$(sites_where "$work/mod.sites.tsv" match strand_flipped | tr '\n' ' ')" "rs1800012_tendon_ligament rs1800012_bone "
expect_eq "a complemented palindromic C/G record is read on the forward strand (swapped), never flipped" "$(sites_where "$work/mod.sites.tsv" match swapped | grep -c rs2010963)" 1
run "$healcap" scan --min-ref-concordance 0.99 --out "$work/modc" "$work/mod.vcf.gz"
expect_rc "REF concordance below --min-ref-concordance fails" 1
expect_one_line "low concordance: one line" "$err"
expect_match "low concordance: the count and a cause are named" "$err" "only [0-9]+/[0-9]+ REF concordant at GRCh38 panel sites \(--min-ref-concordance 0.990000\); likely cause: "
no_outputs() { if ls "$1".* >/dev/null 2>&1; then fail "outputs left behind"; else pass "$2"; fi; }
no_outputs "$work/modc" "low concordance: no outputs written"
run "$healcap" scan --out "$work/mod2" "$work/mod.vcf.gz"
expect_rc "without --pass-only the LowQual record is used" 0
expect_eq "without --pass-only nothing is filtered" "$(sites_where "$work/mod2.sites.tsv" reason filtered | wc -l)" 0

"$healcap" panel export --build GRCh38 --format bed -o "$work/panel38.bed" 2>/dev/null
bcftools view -e 'ID="rs143383"' -Oz -o "$work/drop.vcf.gz" "$example"  # a scored site with a known REF goes missing
run "$healcap" scan --out "$work/drop" "$work/drop.vcf.gz"
run "$healcap" scan --callable "$work/panel38.bed" --out "$work/cal" "$work/drop.vcf.gz"
n_absent_rows=$(awk -F'\t' -v s="$(col_of "$work/cal.sites.tsv" scored)" -v r="$(col_of "$work/cal.sites.tsv" reason)" '$s == "yes" && $r == "not_in_input"' "$work/cal.sites.tsv" | wc -l)
expect_eq "--callable: each scored row missing from the input is absent_covered for every sample" \
  "$(json_field "$work/cal.json" "d['samples'][0]['all']['n_absent_covered']")" "$n_absent_rows"
run "$healcap" scan --absent-as-ref --out "$work/aar" "$work/drop.vcf.gz"
expect_eq "--absent-as-ref gives the same results as a callable BED over every panel site" "$(md5sum <"$work/aar.samples.tsv")" "$(md5sum <"$work/cal.samples.tsv")"
c=$(col_of "$work/cal.samples.tsv" completeness)
expect_eq "--callable: the missing GDF5 row (REF G, effect A) counts as observed homozygous reference (completeness up)" \
  "$(awk -F'\t' -v c="$c" 'NR == FNR { if (!/^#/ && $1 == "EX01") a = $c; next } !/^#/ && $1 == "EX01" { print ($c > a) ? "up" : "not up" }' "$work/drop.samples.tsv" "$work/cal.samples.tsv")" "up"
expect_eq "--callable: GDF5's dosage there is 0 (GRCh38 REF G is not the effect allele A)" \
  "$(json_field "$work/cal.json" "d['samples'][0]['by_trait']['osteoarthritis']['risk_allele_count'] - 0")" \
  "$(json_field "$work/drop.json" "d['samples'][0]['by_trait']['osteoarthritis']['risk_allele_count'] - 0")"
run "$healcap" scan --min-completeness 0.99 --out "$work/inc" "$example"
expect_rc "--min-completeness flags but exits 0" 0
expect_eq "--min-completeness: every example sample is flagged" "$(awk -F'\t' -v c="$(col_of "$work/inc.samples.tsv" below_min_completeness)" '!/^#/ && $c == "yes"' "$work/inc.samples.tsv" | wc -l)" 20
run "$healcap" scan --min-completeness 0.99 --fail-on-incomplete --out "$work/inc2" "$example"
expect_rc "--fail-on-incomplete exits 3" 3
[ -f "$work/inc2.samples.tsv" ] && pass "--fail-on-incomplete still writes the outputs" || fail "no outputs with --fail-on-incomplete"

finish
