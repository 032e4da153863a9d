#!/usr/bin/env bash
# annotate's verbatim path (issue 13): bgzipped VCF in and out, the lines that hit no panel row copied as read
# into BGZF blocks deflated by the workers. On the bundled example, on odd hand-made inputs and on real files
# from ../shared/data/external (multi-allelic, gVCF, trios, sites-only, SVs, odd contig names, files whose
# header lacks a contig or FILTER line), its output equals the htslib path's (HEALCAP_VERBATIM=0): the same
# records (bcftools view -H) and header, or the same error; the compressed records are the same bytes at 1, 2
# and 4 threads; every level writes valid BGZF that tabix indexes; a failed run leaves no file.
# Usage: test_annotate_verbatim.sh HEALCAP_BINARY PROJECT_SOURCE_DIR
set -u
healcap=$1
src=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
ext=$src/../shared/data/external
example=$src/tests/data/example_cohort.vcf.gz
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The compressed records of a bgzipped VCF written by healcap: its bytes after the header's own blocks, hashed.
body_hash() {
  python3 - "$1" <<'EOF'
import hashlib, struct, sys, zlib
d = open(sys.argv[1], "rb").read()
at = 0
while at < len(d):
    size = struct.unpack("<H", d[at + 16:at + 18])[0] + 1
    text = zlib.decompress(d[at + 18:at + size - 8], -15)
    if text and not text.startswith(b"#"):
        break
    at += size
print(hashlib.sha256(d[at:]).hexdigest())
EOF
}
no_cmd() { grep -v '^##healcapCommand='; }
n_case=0
# same_as_htslib NAME IN [ARGS...]: annotate IN to VCF.gz on both paths at 2 threads: the same exit code; on
# success the verbatim path was taken, the records and the header are the same, and the records' compressed
# bytes are the same at 1 and 4 threads; on failure the same error line. Leaves $work/c$n_case.new.vcf.gz.
same_as_htslib() {
  local name=$1 in=$2 d
  shift 2
  n_case=$((n_case + 1))
  d=$work/c$n_case
  mkdir -p "$d"
  run env HEALCAP_VERBATIM=0 "$healcap" annotate --threads 2 "$@" -o "$d/old.vcf.gz" "$in"
  local rc_old=$rc err_old=$err
  run "$healcap" annotate --threads 2 "$@" -o "$d/new.vcf.gz" "$in"
  if [ "$rc" -ne "$rc_old" ]; then
    fail "$name: exit $rc, the htslib path's $rc_old" "verbatim: $err | htslib: $err_old"
    return
  fi
  if [ "$rc" -ne 0 ]; then
    expect_eq "$name: the same error as the htslib path" "$(grep 'error' <<<"$err")" "$(grep 'error' <<<"$err_old")"
    if [ -n "$(ls "$d")" ]; then fail "$name: a failed run left a file: $(ls "$d")"; else pass "$name: the failed run left no file"; fi
    return
  fi
  expect_match "$name: the verbatim path is taken" "$err" "write path: lines that hit no panel row copied verbatim"
  if cmp -s <(bcftools view -H "$d/new.vcf.gz") <(bcftools view -H "$d/old.vcf.gz") &&
    cmp -s <(bcftools view --no-version -h "$d/new.vcf.gz" | no_cmd) <(bcftools view --no-version -h "$d/old.vcf.gz" | no_cmd); then
    pass "$name: the records and header equal the htslib path's ($(bcftools view -H "$d/new.vcf.gz" | wc -l) records, $(bcftools view -H "$d/new.vcf.gz" | grep -c 'HC_ID=') tagged)"
  else
    fail "$name: the output differs from the htslib path's" "$(diff <(bcftools view --no-version "$d/new.vcf.gz" | no_cmd) <(bcftools view --no-version "$d/old.vcf.gz" | no_cmd) | head -4 | cut -c1-200)"
  fi
  local h2 t
  h2=$(body_hash "$d/new.vcf.gz")
  for t in 1 4; do
    "$healcap" annotate --quiet --threads $t "$@" -o "$d/new$t.vcf.gz" "$in" 2>/dev/null
    expect_eq "$name: the compressed records are the same bytes at $t threads as at 2" "$(body_hash "$d/new$t.vcf.gz")" "$h2"
  done
}

# The bundled example: decompressed bytes equal the htslib path's (its text is as htslib writes it).
same_as_htslib "example" "$example"
d=$work/c$n_case
cmp -s <(bgzip -dc "$d/new.vcf.gz" | no_cmd) <(bgzip -dc "$d/old.vcf.gz" | no_cmd) && pass "example: the decompressed bytes equal the htslib path's" ||
  fail "example: the decompressed bytes differ from the htslib path's"
run bgzip -t "$d/new.vcf.gz"
expect_rc "example: bgzip -t accepts the output" 0
run tabix -p vcf "$d/new.vcf.gz"
expect_rc "example: tabix -p vcf indexes the output" 0
expect_eq "example: the index finds every record" "$(tabix "$d/new.vcf.gz" $(bcftools view -H "$example" | cut -f1 | sort -u) | wc -l)" \
  "$(bcftools view -H "$example" | wc -l)"
# Batches of one BGZF block: every line cut at a batch edge somewhere, hits among them.
HEALCAP_BATCH_BLOCKS=1 same_as_htslib "example, a batch per block" "$example"

# Odd hand-made inputs from the example: CRLF line ends, blank lines, lines longer than a BGZF block (one at a
# panel site, one not), a record with an INFO tag the header lacks (the input is read again with its line
# added), and tiny batches. In the example every odd record is a panel hit and every even one is not.
{
  bcftools view -h "$example"
  bcftools view -H "$example" | awk -F'\t' -v OFS='\t' '
    BEGIN { long = "7"; while (length(long) < 150000) long = long long }
    NR == 3 || NR == 4 { printf "%s\r\n", $0; next }
    NR == 5 { print; print ""; next }
    NR == 8 || NR == 9 { $8 = "LONG=" long; print; next }
    NR == 12 { $8 = "NOT_IN_HEADER=1"; print; next }
    { print }'
} >"$work/odd.vcf"
n_hit_long=$(bcftools view -H "$example" | awk 'NR == 8 || NR == 9 { printf "%s%s:%s", (NR > 8 ? " and " : ""), $1, $2 }')
sed -i 's/^#CHROM/##INFO=<ID=LONG,Number=1,Type=String,Description="long">\n#CHROM/' "$work/odd.vcf"
bgzip -c "$work/odd.vcf" >"$work/odd.vcf.gz"
same_as_htslib "odd lines (CRLF, a blank line, 150 kB INFO at $n_hit_long, an undefined INFO tag)" "$work/odd.vcf.gz"
expect_match "odd lines: the header gains the undefined tag's line, as on the htslib path" \
  "$(bcftools view -h "$work/c$n_case/new.vcf.gz")" "ID=NOT_IN_HEADER"
HEALCAP_BATCH_BLOCKS=1 same_as_htslib "odd lines, a batch per block" "$work/odd.vcf.gz"

# Bad input: a non-hit record short of a sample column, a NUL byte, a last line without its newline; each
# fails as on the htslib path, naming the file and the record, and leaves no output.
bad_at=$(bcftools view -H "$example" | sed -n 20p | cut -f1,2 | tr '\t' :)
{ bcftools view -h "$example"; bcftools view -H "$example" | awk -F'\t' -v OFS='\t' 'NR == 20 { NF = NF - 1 } { print }'; } | bgzip -c >"$work/short.vcf.gz"
same_as_htslib "a record short of a sample column" "$work/short.vcf.gz"
expect_match "a record short of a sample column: the error names file and record" "$err" "short.vcf.gz: $bad_at: malformed record"
{ bcftools view -h "$example"; bcftools view -H "$example" | awk 'NR == 20 { sub(/\t\./, "\t.\001") } { print }' | tr '\001' '\000'; } | bgzip -c >"$work/nul.vcf.gz"
same_as_htslib "a NUL byte in a record" "$work/nul.vcf.gz"
expect_match "a NUL byte: the error names file and record" "$err" "nul.vcf.gz: .*$bad_at"
{ bcftools view -h "$example"; bcftools view -H "$example" | head -30; } | head -c -1 | bgzip -c >"$work/cut.vcf.gz"
same_as_htslib "a last line without its newline" "$work/cut.vcf.gz"
expect_match "a last line without its newline: the error says truncated" "$err" "cut.vcf.gz: .*truncated"

# Compression levels: 0 writes stored blocks (larger than the text), each level valid BGZF with the same text;
# -W indexes the output; a level outside 0-9 is a usage error naming the option.
bgzip -dc "$work/c1/new.vcf.gz" | no_cmd >"$work/text6"
for l in 0 1 9; do
  run "$healcap" annotate --quiet -l $l -o "$work/l$l.vcf.gz" "$example"
  expect_rc "-l $l" 0
  run bgzip -t "$work/l$l.vcf.gz"
  expect_rc "-l $l: valid BGZF (bgzip -t)" 0
  cmp -s <(bgzip -dc "$work/l$l.vcf.gz" | no_cmd) "$work/text6" && pass "-l $l: the same text as -l 6" || fail "-l $l: the text differs from -l 6"
  run tabix -p vcf "$work/l$l.vcf.gz"
  expect_rc "-l $l: tabix -p vcf indexes it" 0
done
expect_eq "-l 0 stores the text: the file is larger than it" \
  "$(($(stat -c %s "$work/l0.vcf.gz") > $(bgzip -dc "$work/l0.vcf.gz" | wc -c)))" 1
expect_eq "-l 9 is smaller than -l 1" "$(($(stat -c %s "$work/l9.vcf.gz") < $(stat -c %s "$work/l1.vcf.gz")))" 1
run "$healcap" annotate --quiet --compress-level 1 -O b -o "$work/l1.bcf" "$example"
expect_rc "--compress-level 1 -O b (the htslib path)" 0
expect_eq "--compress-level 1 -O b: the same records as VCF.gz" "$(bcftools view -H "$work/l1.bcf")" "$(bcftools view -H "$work/l1.vcf.gz")"
run "$healcap" annotate -l 10 -o "$work/l10.vcf.gz" "$example"
expect_rc "-l 10 is a usage error" 2
expect_match "-l 10: the error names the option" "$err" "-l/--compress-level 10 is not a level from 0 to 9"
for w in "-W" "-W=tbi"; do
  run "$healcap" annotate --quiet $w -o "$work/w.vcf.gz" "$example"
  expect_rc "$w on the verbatim path" 0
  idx=$work/w.vcf.gz.csi
  [ "$w" = "-W=tbi" ] && idx=$work/w.vcf.gz.tbi
  [ -s "$idx" ] && pass "$w: the index is written" || fail "$w: no index $idx"
  expect_eq "$w: a region query through it" "$(bcftools view -H -r chr17 "$work/w.vcf.gz" | wc -l)" "$(bcftools view -H "$example" | awk '$1 == "chr17"' | wc -l)"
  rm -f "$work/w.vcf.gz"*
done
run bash -c "'$healcap' annotate --quiet -O z '$example' >'$work/stdout.vcf.gz'"
expect_rc "-O z to standard output" 0
cmp -s <(bgzip -dc "$work/stdout.vcf.gz" | no_cmd | grep -v '^##healcapCommand') "$work/text6" && pass "-O z to standard output: the same text" ||
  fail "-O z to standard output: the text differs"
run env HEALCAP_VERBATIM=0 "$healcap" annotate -o "$work/h.vcf.gz" "$example"
expect_match "HEALCAP_VERBATIM=0 takes the htslib path and says so" "$err" "write path: htslib \\(HEALCAP_VERBATIM=0\\)"
run "$healcap" annotate -s EX01,EX02 -o "$work/s.vcf.gz" "$example"
expect_match "-s takes the htslib path (samples are subset)" "$err" "write path: htslib \\(samples are selected"

# Real files.
if [ ! -d "$ext" ]; then
  echo "skipped the real files: $ext not found"
  finish
  exit $?
fi
g37=(--build GRCh37 --min-ref-concordance 0)
for f in hap.py/example/NIST_indels/Complex_1ormoreindels_NIST2.19.vcf.gz slivar/tests/ashk-trio.vcf.gz \
  bio2zarr/tests/data/vcf/NA12878.prod.chr20snippet.g.vcf.gz bio2zarr/tests/data/vcf/CEUTrio.20.21.gatk3.4.g.vcf.bgz \
  debian-python3-cyvcf2/test-multiallelic-homozygous-alt.vcf.gz debian-r-bioc-variantannotation/extdata/chr22.vcf.gz \
  debian-r-bioc-structuralvariantannotation/colo829_somatic_gridss.vcf.gz bcftools/test/roh.1.vcf.gz \
  debian-freebayes/tiny/hla.vcf.gz sgkit/sgkit/tests/io/vcf/data/no_samples.vcf.gz \
  bio2zarr/tests/data/vcf/sample_missing_contig.vcf.gz bio2zarr/tests/data/vcf/sample_missing_filter.vcf.gz \
  debian-python-pysam-tests/tabix_data/example_comments.vcf.gz htsjdk/src/test/resources/htsjdk/variant/HiSeq.10000.vcf.bgz; do
  same_as_htslib "$f" "$ext/$f" "${g37[@]}"
done
# 1000 Genomes phase 3 (1,126 samples), bgzipped, with a panel of every 5th site: hundreds of hits to parse.
zcat "$ext/UW-GAC-analysis_pipeline/testdata/1KG_phase3_subset_chr1.vcf.gz" | bgzip -c >"$work/kg.vcf.gz"
header='id	rsid	gene	pathway	trait	chrom	pos_grch37	ref_grch37	alt_grch37	pos_grch38	ref_grch38	alt_grch38	effect_allele	odds_ratio	weight	model	eaf	evidence_grade	evidence	source	notes'
{
  printf '##panel=test\n##version=1\n%s\n' "$header"
  bcftools query -f '%CHROM\t%POS\t%REF\t%ALT\n' "$work/kg.vcf.gz" | awk -F'\t' -v OFS='\t' 'NR % 5 == 0 && $4 !~ /[<*,]/ {
    n++; print "t" n, ".", "G" n, "other", "bone", $1, $2, $3, $4, ".", ".", ".", $4, ".", 0.5, "additive", ".", "replicated", ".", "test", "." }'
} >"$work/kg_panel.tsv"
same_as_htslib "1000 Genomes chr1, a panel of every 5th site" "$work/kg.vcf.gz" "${g37[@]}" --panel "$work/kg_panel.tsv"
HEALCAP_BATCH_BLOCKS=1 same_as_htslib "1000 Genomes chr1, a batch per block" "$work/kg.vcf.gz" "${g37[@]}" --panel "$work/kg_panel.tsv"
# The one known difference: a record that hits no panel row is never parsed, so a value htslib refuses (here
# an Integer FORMAT DP of 79.0663 at chr1:909276) fails the htslib path and is copied as it is by the verbatim
# path (README: what the verbatim path checks).
f=debian-r-bioc-purecn/example_vcf.vcf.gz
run env HEALCAP_VERBATIM=0 "$healcap" annotate "${g37[@]}" -o "$work/purecn_old.vcf.gz" "$ext/$f"
expect_match "$f: the htslib path refuses the bad value" "$err" "chr1:909276: malformed record: an invalid character"
run "$healcap" annotate "${g37[@]}" -o "$work/purecn_new.vcf.gz" "$ext/$f"
expect_rc "$f: the verbatim path copies the record" 0
expect_eq "$f: ... as it was read" "$(bgzip -dc "$work/purecn_new.vcf.gz" | awk '$2 == 909276')" "$(bgzip -dc "$ext/$f" | awk '$2 == 909276')"
finish
