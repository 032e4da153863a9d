#!/usr/bin/env bash
# End-to-end tests of `healcap scan` and `healcap annotate` on the bundled example and on real 1000 Genomes
# data: golden outputs, VCF.gz = BCF, byte-identical across thread counts, weighted sums equal to
# plink2 --score, genotypes equal to bcftools query, and every bad-input case with its message and exit code.
# Usage: test_scan_cli.sh HEALCAP_BINARY PROJECT_SOURCE_DIR   (HEALCAP_UPDATE_GOLDEN=1 rewrites the golden files)
set -u
healcap=$1
src=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
example=$src/tests/data/example_cohort.vcf.gz
golden=$src/tests/data/golden
external=$src/../shared/data/external
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# JSON without the lines that name the run (command line, threads) or the input file: what must not vary.
stable_json() { grep -v -e '^"run":' -e '^"input":' "$1"; }
same_outputs() {  # same_outputs NAME PREFIX_A PREFIX_B [extra JSON line prefix to ignore]
  local skip=${4:-^\"run\":}
  if cmp -s "$2.samples.tsv" "$3.samples.tsv" && cmp -s "$2.sites.tsv" "$3.sites.tsv" &&
    [ -f "$2.calls.tsv.gz" ] && cmp -s "$2.calls.tsv.gz" "$3.calls.tsv.gz" &&
    cmp -s <(stable_json "$2.json" | grep -v "$skip") <(stable_json "$3.json" | grep -v "$skip"); then
    pass "$1"
  else
    fail "$1" "$(diff "$2.sites.tsv" "$3.sites.tsv" | head -5)"
  fi
}
# sum_diffs PLINK_SUMS SAMPLES_TSV MODE: compares healcap's weighted_sum (found by its header) with plink2's
# per-sample sums. MODE list: one line per mismatch; count: number of mismatches; summary: "samples mismatches".
sum_diffs() {
  awk -F'\t' -v mode="$3" 'NR == FNR { p[$1] = $2; next } /^#/ { next }
    $1 == "sample" { for (i = 1; i <= NF; i++) if ($i == "weighted_sum") c = i; next }
    { n++; d = $c - p[$1]; if (d < 0) d = -d; if (!($1 in p) || d > 5e-4) { bad++; if (mode == "list") print $1, $c, p[$1] } }
    END { if (mode == "count") print bad + 0; if (mode == "summary") print n + 0, bad + 0; if (mode == "list" && n == 0) print "no samples" }' "$1" "$2"
}
no_outputs() {  # no_outputs NAME PREFIX
  if ls "$2".* >/dev/null 2>&1; then fail "$1: outputs left behind" "$(ls "$2".*)"; else pass "$1: no outputs left"; fi
}

# --- inputs in every format ----------------------------------------------------------------------------------
bcftools view -Ob -o "$work/example.bcf" "$example" && bcftools index "$work/example.bcf"
bcftools view -Ov -o "$work/example.vcf" "$example"
gzip -c "$work/example.vcf" >"$work/example.plain.vcf.gz"

# --- the example: golden outputs, formats, threads ---------------------------------------------------------------
run "$healcap" scan --threads 1 --out "$work/t1" "$example"
expect_rc "scan the example VCF.gz" 0
expect_match "scan says which build it chose and why" "$err" "GRCh38 \(header contig lengths: 24 of 24 primary contigs match GRCh38\)"
if [ "${HEALCAP_UPDATE_GOLDEN:-0}" = 1 ]; then
  mkdir -p "$golden"
  cp "$work/t1.samples.tsv" "$golden/example.samples.tsv"
  cp "$work/t1.sites.tsv" "$golden/example.sites.tsv"
  stable_json "$work/t1.json" >"$golden/example.json"
fi
expect_eq "samples.tsv equals the golden file" "$(cmp -s "$work/t1.samples.tsv" "$golden/example.samples.tsv" && echo same)" same
expect_eq "sites.tsv equals the golden file" "$(cmp -s "$work/t1.sites.tsv" "$golden/example.sites.tsv" && echo same)" same
expect_eq "JSON equals the golden file (run and input lines aside)" "$(cmp -s <(stable_json "$work/t1.json") "$golden/example.json" && echo same)" same
expect_match "samples.tsv says research use" "$(head -1 "$work/t1.samples.tsv")" "Research use only"
expect_match "JSON carries the formula" "$(cat "$work/t1.json")" '"formula":\["For sample s'
expect_match "JSON names the panel hash" "$(cat "$work/t1.json")" "\"sha256\":\"$(sha256sum "$src/gene_panels/healing_panel.tsv" | cut -c1-64)\""

run "$healcap" scan --stream --out "$work/stream" "$example"
expect_rc "scan --stream ignores the index" 0
expect_match "the indexed read is reported" "$(grep '^"input":' "$work/t1.json")" '"read":"indexed: '
expect_match "the streamed read is reported" "$(grep '^"input":' "$work/stream.json")" '"read":"streaming"'
same_outputs "an indexed read gives the bytes of a streamed read" "$work/t1" "$work/stream"
for t in 2 4; do
  run "$healcap" scan --threads $t --out "$work/t$t" "$example"
  expect_rc "scan with --threads $t" 0
  same_outputs "--threads $t gives the bytes of --threads 1" "$work/t1" "$work/t$t"
done
for f in example.bcf example.vcf example.plain.vcf.gz; do
  run "$healcap" scan --threads 2 --out "$work/$f" "$work/$f"
  expect_rc "scan $f" 0
  same_outputs "$f gives the bytes of the VCF.gz" "$work/t1" "$work/$f"
done
run bash -c "cat '$work/example.bcf' | '$healcap' scan --threads 2 --out '$work/stdin' -"
expect_rc "scan BCF from standard input" 0
same_outputs "standard input gives the bytes of the file" "$work/t1" "$work/stdin"

run env SLURM_CPUS_PER_TASK=1 "$healcap" scan --out "$work/slurm" "$example"
expect_match "SLURM_CPUS_PER_TASK=1 sets the default thread count" "$(grep '^"run":' "$work/slurm.json")" '"threads":1}'
run env -u SLURM_CPUS_PER_TASK "$healcap" scan --out "$work/noslurm" "$example"
expect_match "without SLURM the default is the CPUs available ($(nproc))" "$(grep '^"run":' "$work/noslurm.json")" "\"threads\":$(nproc)}"

# --- independent checks: plink2 sums and bcftools genotypes ---------------------------------------------------
for f in "$example" "$work/example.bcf"; do
  name=$(basename "$f")
  run "$healcap" scan --threads 2 --out "$work/x_$name" "$f"
  "$here/plink2_sums.sh" "$src/gene_panels/healing_panel.tsv" 38 "$f" "$work/plink_$name" >"$work/plink_$name.sums" 2>"$work/plink_$name.err" ||
    fail "plink2 --score on $name" "$(tail -3 "$work/plink_$name.err")"
  diffs=$(sum_diffs "$work/plink_$name.sums" "$work/x_$name.samples.tsv" list)
  expect_eq "weighted_sum equals plink2 --score sums on $name (20 samples)" "$diffs" ""
  run python3 "$here/check_calls.py" "$work/x_$name.json" "$f"
  expect_rc "calls file: genotypes at found sites equal bcftools query on $name ($(printf '%s' "$out" | tail -1))" 0
done
# The checks above must be able to fail: a panel with one weight changed no longer matches plink2's sums.
awk -F'\t' -v OFS='\t' '$1 == "id" { for (i = 1; i <= NF; i++) c[$i] = i } $2 == "rs143383" { $c["weight"] = "0.9" } { print }' "$src/gene_panels/healing_panel.tsv" >"$work/altered.tsv"
"$here/plink2_sums.sh" "$src/gene_panels/healing_panel.tsv" 38 "$example" "$work/plink_alt" >"$work/plink_alt.sums" 2>/dev/null
run "$healcap" scan --panel "$work/altered.tsv" --out "$work/altered" "$example"
n_diff=$(sum_diffs "$work/plink_alt.sums" "$work/altered.samples.tsv" count)
[ "$n_diff" -gt 0 ] && pass "the plink2 comparison detects a changed weight ($n_diff samples differ)" || fail "the plink2 comparison missed a changed weight"

# --- the per-sample calls file: written by default up to --calls-max-samples samples, on request above ---------------
# The check above must be able to fail: one GT changed in the calls file no longer equals bcftools query.
zcat "$work/t1.calls.tsv.gz" | awk -F'\t' -v OFS='\t' '!/^#/ && !done && $6 == "0/1" { $6 = "1/1"; done = 1 } { print }' |
  bgzip >"$work/tampered.calls.tsv.gz"
run python3 "$here/check_calls.py" "$work/t1.json" "$example" "$work/tampered.calls.tsv.gz"
expect_rc "the calls check detects one changed GT" 1
expect_match "the JSON's run names the calls file" "$(grep '^"run":' "$work/t1.json")" '"calls_file":"t1.calls.tsv.gz"'
expect_eq "the JSON holds no per-sample arrays" "$(grep -c '"genotypes"\|"call_states"\|"dosages"' "$work/t1.json")" 0
expect_eq "one calls row per sample and site with calls" "$(zcat "$work/t1.calls.tsv.gz" | grep -vc '^#')" \
  "$(python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(sum(1 for s in d["sites"] if "match" in s) * len(d["samples"]))' "$work/t1.json")"
cp "$work/t1.calls.tsv.gz" "$work/tbx.calls.tsv.gz"
if tabix -s1 -b2 -e2 "$work/tbx.calls.tsv.gz" 2>"$work/tbx.err"; then
  region=$(zcat "$work/t1.calls.tsv.gz" | awk -F'\t' '!/^#/ { print $1 ":" $2 "-" $2; exit }')
  expect_eq "tabix indexes the calls file and finds a site's 20 rows ($region)" "$(tabix "$work/tbx.calls.tsv.gz" "$region" | wc -l)" \
    "$(zcat "$work/t1.calls.tsv.gz" | awk -F'\t' -v r="$region" '!/^#/ && $1 ":" $2 "-" $2 == r' | wc -l)"
else fail "tabix -s1 -b2 -e2 indexes the calls file" "$(cat "$work/tbx.err")"; fi
run "$healcap" scan --calls-max-samples 19 --out "$work/c19" "$example"
expect_rc "scan --calls-max-samples 19 (20 samples)" 0
expect_eq "above --calls-max-samples: no calls file" "$(ls "$work"/c19.calls.tsv.gz 2>/dev/null)" ""
expect_match "and the JSON says so" "$(grep '^"run":' "$work/c19.json")" '"calls_file":null'
expect_eq "and the other outputs are the same bytes" "$(cmp "$work/t1.samples.tsv" "$work/c19.samples.tsv" && cmp <(stable_json "$work/t1.json") <(stable_json "$work/c19.json") && echo same)" same
run "$healcap" scan --calls-max-samples 20 --out "$work/c20" "$example"
expect_eq "at --calls-max-samples: the calls file, the same bytes" "$(cmp "$work/t1.calls.tsv.gz" "$work/c20.calls.tsv.gz" && echo same)" same
run "$healcap" scan --calls-max-samples 0 --calls --out "$work/c0" "$example"
expect_eq "--calls writes it above the limit, the same bytes" "$(cmp "$work/t1.calls.tsv.gz" "$work/c0.calls.tsv.gz" && echo same)" same
run "$healcap" scan --no-calls --out "$work/nc" "$example"
expect_eq "--no-calls: no calls file" "$(ls "$work"/nc.calls.tsv.gz 2>/dev/null)" ""
# The default limit, 10,000 samples: a cohort of 10,000 gets the file, one of 10,001 does not (unless --calls).
for n in 10000 10001; do
  python3 - "$example" "$n" >"$work/wide$n.vcf" <<'PY'
import gzip, sys
n = int(sys.argv[2])
with gzip.open(sys.argv[1], "rt") as f:
    recs = []
    for line in f:
        if line.startswith("##"):
            sys.stdout.write(line)
        elif line.startswith("#"):
            sys.stdout.write("\t".join(line.rstrip("\n").split("\t")[:9] + [f"W{k:05d}" for k in range(n)]) + "\n")
        elif len(recs) < 8:
            recs.append(line.split("\t")[:8])
for r in recs:
    sys.stdout.write("\t".join(r + ["GT"] + ["0/1"] * n) + "\n")
PY
done
run "$healcap" scan --threads 2 --out "$work/w10000" "$work/wide10000.vcf"
expect_eq "10,000 samples: the calls file by default ($(tail -1 <<<"$err" | cut -c1-60))" "$(ls "$work"/w10000.calls.tsv.gz 2>/dev/null | wc -l)" 1
run "$healcap" scan --threads 2 --out "$work/w10001" "$work/wide10001.vcf"
expect_eq "10,001 samples: no calls file by default" "$(ls "$work"/w10001.calls.tsv.gz 2>/dev/null | wc -l)" 0
expect_match "  and the closing line does not list one" "$err" "wrote [^ ]*w10001.samples.tsv, [^ ]*w10001.sites.tsv, [^ ]*w10001.json, [^ ]*w10001.healcap_general"
run "$healcap" scan --threads 2 --calls --out "$work/w10001c" "$work/wide10001.vcf"
expect_eq "10,001 samples with --calls: the calls file, a row per sample and site" \
  "$(zcat "$work/w10001c.calls.tsv.gz" | grep -vc '^#')" "$(( $(grep -c '"match"' "$work/w10001c.json") * 10001 ))"
# --html above its limit (20,000 samples): refused at once, one line naming the option, nothing written.
python3 -c '
import sys
n = 20001
print("##fileformat=VCFv4.2\n##contig=<ID=chr1,length=248956422>\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">")
print("\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT"] + ["H%05d" % k for k in range(n)]))' >"$work/wide20001.vcf"
run "$healcap" scan --html --allow-no-hits --out "$work/w20001" "$work/wide20001.vcf"
expect_rc "--html over 20,000 samples" 2
expect_one_line "  one line" "$err"
expect_match "  naming --html, the count and what to do" "$err" "^healcap scan: --html: 20001 samples are more than the report page holds \(20000\); drop --html"
no_outputs "--html over 20,000 samples" "$work/w20001"
# Bad calls options: one line naming the option, exit 2.
run "$healcap" scan --calls-max-samples many --out "$work/bad" "$example"
expect_rc "--calls-max-samples many" 2
expect_match "  names the option and the value" "$err" "^healcap scan: --calls-max-samples 'many' is not a whole number of samples"
run "$healcap" scan --calls-max-samples -5 --out "$work/bad" "$example"
expect_rc "--calls-max-samples -5" 2
run "$healcap" scan --calls --no-calls --out "$work/bad" "$example"
expect_rc "--calls with --no-calls" 2
expect_match "  says they cannot be combined" "$err" "^healcap scan: --calls and --no-calls cannot be combined"
run "$healcap" scan --calls --partial "$work/bad.hcp" "$example"
expect_rc "--calls without --out" 2
expect_match "  says it needs --out" "$err" "^healcap scan: --calls writes PREFIX.calls.tsv.gz: give --out PREFIX"
no_outputs "bad calls options" "$work/bad"

# --- real data: 1000 Genomes phase 3 chr22 (plain gzip, 1,126 samples, GRCh37) with a panel made from its sites --
kg=$external/UW-GAC-analysis_pipeline/testdata/1KG_phase3_subset_chr22.vcf.gz
if [ -f "$kg" ]; then
  { printf '##panel=kg22-test\n##version=1\n'
    printf 'id\trsid\tgene\tpathway\ttrait\tchrom\tpos_grch37\tref_grch37\talt_grch37\tpos_grch38\tref_grch38\talt_grch38\teffect_allele\todds_ratio\tweight\tmodel\teaf\tevidence_grade\tevidence\tsource\tnotes\n'
    bcftools query -f '%CHROM\t%POS\t%REF\t%ALT\n' "$kg" | awk -F'\t' -v OFS='\t' '
      length($3) == 1 && length($4) == 1 && NR % 17 == 0 {
        n++; split("additive dominant recessive", m, " ")
        ea = (n % 2) ? $4 : $3
        print "kg" n, ".", "GENE" n, "other", "bone", $1, $2, $3, $4, ".", ".", ".", ea, ".", (n % 7 + 1) / 10, m[n % 3 + 1], ".", "replicated", ".", "test", "."
      }' ; } >"$work/kg22.panel.tsv"
  run "$healcap" panel validate "$work/kg22.panel.tsv"
  expect_rc "the 1000G test panel validates ($(grep -vc '^#' "$work/kg22.panel.tsv") lines)" 0
  run "$healcap" scan --panel "$work/kg22.panel.tsv" --threads 2 --out "$work/kg" "$kg"
  expect_rc "scan 1000G chr22 (plain gzip)" 0
  expect_match "1000G build detected as GRCh37" "$err" "GRCh37 \(header contig lengths"
  ID_MODE=chrpos "$here/plink2_sums.sh" "$work/kg22.panel.tsv" 37 "$kg" "$work/plink_kg" >"$work/plink_kg.sums" 2>"$work/plink_kg.err" ||
    fail "plink2 --score on 1000G" "$(tail -3 "$work/plink_kg.err")"
  diffs=$(sum_diffs "$work/plink_kg.sums" "$work/kg.samples.tsv" summary)
  expect_eq "1000G: weighted_sum equals plink2 --score for every sample (samples, mismatches)" "$diffs" "1126 0"
  bcftools view -Ob -o "$work/kg.bcf" "$kg" && bcftools index "$work/kg.bcf"
  run "$healcap" scan --panel "$work/kg22.panel.tsv" --threads 4 --out "$work/kgb" "$work/kg.bcf"
  same_outputs "1000G: BCF at 4 threads gives the bytes of plain-gzip VCF at 2" "$work/kg" "$work/kgb"
  run python3 "$here/check_calls.py" "$work/kgb.json" "$work/kg.bcf"
  expect_rc "1000G: the calls file's genotypes equal bcftools query ($(printf '%s' "$out" | tail -1))" 0
else
  echo "skip 1000G checks: $kg not found"
fi

# --- hits and annotate -------------------------------------------------------------------------------------------
run "$healcap" scan --out "$work/h" -o "$work/h.bcf" -W "$example"
expect_rc "scan with -o hits.bcf -W" 0
[ -f "$work/h.bcf.csi" ] && pass "hits index written" || fail "no hits index"
n_found_records=$(grep -v '^#' "$work/h.sites.tsv" | awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
  $c["state"] == "found" { print $c["seen_chrom"] ":" $c["seen_pos"] }' | sort -u | wc -l)
expect_eq "one hit record per found site" "$(bcftools view -H "$work/h.bcf" | wc -l)" "$n_found_records"
expect_match "hits carry HC_ID" "$(bcftools query -f '%INFO/HC_ID\n' -r chr17:50200388 "$work/h.bcf")" "rs1800012_tendon_ligament,rs1800012_bone"
expect_match "hits header records the command" "$(bcftools view -h "$work/h.bcf")" "##healcapCommand=healcap scan"
expect_match "hits header records the panel" "$(bcftools view -h "$work/h.bcf")" "##healcapPanel=<Name=healcap-healing"
run "$healcap" scan --out "$work/hz" -o "$work/h.vcf.gz" -O z -W=tbi "$example"
expect_rc "hits as bgzipped VCF with a tbi index" 0
[ -f "$work/h.vcf.gz.tbi" ] && pass "tbi written" || fail "no tbi"

for f in "$example" "$work/example.bcf"; do
  run "$healcap" annotate --threads 2 -o "$work/ann.bcf" -W "$f"
  expect_rc "annotate $(basename "$f") to BCF" 0
  expect_eq "annotate passes every record" "$(bcftools view -H "$work/ann.bcf" | wc -l)" "$(bcftools view -H "$f" | wc -l)"
  expect_eq "annotate tags as many records as scan found" "$(bcftools view -H -i 'INFO/HC_ID!="."' "$work/ann.bcf" | wc -l)" "$n_found_records"
  expect_eq "annotate keeps the genotypes" "$(bcftools query -f '[%GT ]\n' "$work/ann.bcf" | md5sum)" "$(bcftools query -f '[%GT ]\n' "$f" | md5sum)"
done
run "$healcap" annotate "$example"
expect_rc "annotate to standard output" 0
expect_eq "annotate stdout is a VCF with every record" "$(printf '%s\n' "$out" | grep -vc '^#')" "$(bcftools view -H "$example" | wc -l)"

# --- bad input: one line naming the file (and CHROM:POS), exit 1, nothing written ---------------------------------
run "$healcap" scan --out "$work/bad1" "$work/does_not_exist.vcf.gz"
expect_rc "missing input file" 1
expect_one_line "missing file: one line" "$err"
expect_match "missing file is named" "$err" "does_not_exist.vcf.gz: cannot open"
no_outputs "missing file" "$work/bad1"

printf 'hello, this is not a VCF\n' >"$work/not_a_vcf.txt"
run "$healcap" scan --out "$work/bad2" "$work/not_a_vcf.txt"
expect_rc "a text file that is not a VCF" 1
expect_match "not-a-VCF is named" "$err" "not_a_vcf.txt: not a VCF or BCF file"
no_outputs "not a VCF" "$work/bad2"
if [ -f "$external/htslib/test/bgziptest.txt.gz" ]; then
  run "$healcap" scan --out "$work/bad2b" "$external/htslib/test/bgziptest.txt.gz"
  expect_rc "BGZF holding plain text (htslib test file)" 1
  expect_match "BGZF text is refused as not VCF" "$err" "bgziptest.txt.gz: not a VCF or BCF file"
fi

size=$(stat -c %s "$example")
head -c $((size * 2 / 3)) "$example" >"$work/truncated.vcf.gz"
run "$healcap" scan --out "$work/bad3" "$work/truncated.vcf.gz"
expect_rc "a truncated .gz" 1
expect_one_line "truncated: one line" "$err"
expect_match "truncated file is named" "$err" "truncated.vcf.gz: truncated"
no_outputs "truncated" "$work/bad3"
# A plain-gzip file cut after its header: the 1000 Genomes subset when present, else the example.
plain_src=$external/UW-GAC-analysis_pipeline/testdata/1KG_phase3_subset_chr22.vcf.gz
[ -f "$plain_src" ] || plain_src=$work/example.plain.vcf.gz
head -c $(( $(stat -c %s "$plain_src") * 2 / 3 )) "$plain_src" >"$work/truncated_plain.vcf.gz"
run "$healcap" scan --out "$work/bad3b" "$work/truncated_plain.vcf.gz"
expect_rc "a truncated plain-gzip file" 1
expect_one_line "truncated plain gzip: one line" "$err"
expect_match "truncated plain gzip names the last record read" "$err" "truncated_plain.vcf.gz: read error after (chr)?[0-9XY]+:[0-9]+; the file is truncated or corrupt"
no_outputs "truncated plain gzip" "$work/bad3b"

awk -F'\t' -v OFS='\t' '!/^#/ && !done && $3 == "." { $2 = "12x45"; done = 1 } { print }' "$work/example.vcf" >"$work/badpos.vcf"
run "$healcap" scan --out "$work/bad4" "$work/badpos.vcf"
expect_rc "a record with a non-numeric POS" 1
expect_match "bad POS names the record" "$err" "badpos.vcf: chr1:12x45: malformed record: POS is not a whole number"
no_outputs "bad POS" "$work/bad4"
awk -F'\t' -v OFS='\t' '!/^#/ && $3 == "rs143383" { NF = NF - 3 } { print }' "$work/example.vcf" >"$work/badcols.vcf"
run "$healcap" scan --out "$work/bad5" "$work/badcols.vcf"
expect_rc "a panel record with fewer sample columns than the header" 1
expect_one_line "bad columns: one line" "$err"
expect_match "bad columns names CHROM:POS and why" "$err" "badcols.vcf: chr20:35438203: malformed record: the number of columns does not match the header's samples"
no_outputs "bad columns" "$work/bad5"
# An empty FORMAT key (':GT') left htslib's GT unreadable, and its getter exited the process without a word.
awk -F'\t' -v OFS='\t' '!/^#/ && $3 == "rs143383" { $9 = ":" $9 } { print }' "$work/example.vcf" >"$work/emptykey.vcf"
for t in 1 2; do
  run "$healcap" scan --threads $t --out "$work/bad5b" "$work/emptykey.vcf"
  expect_rc "a panel record whose FORMAT starts with an empty key (--threads $t)" 1
  expect_one_line "empty FORMAT key: one line" "$err"
  expect_match "empty FORMAT key names CHROM:POS and what to fix" "$err" "emptykey.vcf: chr20:35438203: malformed record: FORMAT field 2 cannot be read .*fix the FORMAT column"
  no_outputs "empty FORMAT key" "$work/bad5b"
done
awk -F'\t' -v OFS='\t' '!/^#/ && $3 == "." && !done { $4 = ""; $5 = ""; NF = 6; done = 1 } { print }' "$work/example.vcf" >"$work/short.vcf"
run "$healcap" scan --out "$work/bad6" "$work/short.vcf"
expect_rc "a record with fewer than 8 columns" 1
expect_match "short record is named" "$err" "short.vcf: chr1:[0-9]+: malformed record: fewer than 8 tab-separated columns"

{ grep '^#' "$work/example.vcf"; grep -v '^#' "$work/example.vcf" | sort -t$'\t' -k2,2nr; } >"$work/unsorted.vcf"
bgzip -c "$work/unsorted.vcf" >"$work/unsorted.vcf.gz"
run "$healcap" scan --out "$work/bad7" -o "$work/bad7.bcf" -W "$work/unsorted.vcf.gz"
expect_rc "unsorted input when an index is asked for" 1
expect_one_line "unsorted: one line" "$err"
expect_match "unsorted names the record and the fix" "$err" "unsorted.vcf.gz: chr[0-9XY]+:[0-9]+: input is not sorted .*bcftools sort"
no_outputs "unsorted" "$work/bad7"
run "$healcap" scan --out "$work/unsorted_ok" "$work/unsorted.vcf.gz"
expect_rc "unsorted input without an index still scans" 0
expect_match "unsorted input gets a warning" "$err" "input is not sorted"
same_outputs "unsorted input gives the sorted input's results" "$work/t1" "$work/unsorted_ok"

run "$healcap" scan --out "$work/bad8" --threads 0 "$example"
expect_rc "--threads 0 is a usage error" 2
run "$healcap" scan "$example"
expect_rc "scan without --out is a usage error" 2
expect_match "missing --out is named" "$err" "--out PREFIX is required"
run "$healcap" scan --out "$work/bad9" --grades strong "$example"
expect_rc "an unknown grade is a usage error" 2

# --- not errors: no samples; and zero sites found is never a silent empty result ----------------------------------
bcftools view -G -Oz -o "$work/nosamples.vcf.gz" "$example"
run "$healcap" scan --out "$work/nos" "$work/nosamples.vcf.gz"
expect_rc "a VCF with no samples scans" 0
expect_match "no-samples warning" "$err" "the VCF has no samples"
expect_eq "no-samples sites.tsv reports found sites" "$(grep -c $'\tfound\t' "$work/nos.sites.tsv")" \
  "$(grep -c $'\tfound\t' "$work/t1.sites.tsv")"
expect_eq "no-samples samples.tsv holds only the header" "$(grep -vc '^#' "$work/nos.samples.tsv")" 1

run "$healcap" scan --build GRCh37 --out "$work/wrongbuild" "$example"
expect_rc "the GRCh38 example read as GRCh37 finds nothing and fails" 1
expect_one_line "wrong build: one line" "$err"
expect_match "wrong build: says what it saw and expected" "$err" "no panel site found in [0-9]+ records on .* read as GRCh37 .*the panel's .* GRCh37 sites lie on"
expect_match "wrong build: the header disagreement is named" "$err" "note: .*--build GRCh37 but the header contig lengths: 24 of 24 primary contigs match GRCh38"
no_outputs "wrong build" "$work/wrongbuild"
sed -e 's/^chr\([0-9XYM]\)/chromosome\1/' -e 's/ID=chr/ID=chromosome/' "$work/example.vcf" >"$work/oddnames.vcf"
run "$healcap" scan --build GRCh38 --out "$work/oddnames" "$work/oddnames.vcf"
expect_rc "contig names the panel cannot read find nothing and fail" 1
expect_match "odd names: the contig names seen are quoted" "$err" "chromosome1:"
run "$healcap" scan --build GRCh38 --allow-no-hits --out "$work/oddnames" "$work/oddnames.vcf"
expect_rc "--allow-no-hits accepts an empty result" 0
expect_match "--allow-no-hits still warns" "$err" "warning: .*no panel site found"

# A ##contig line with IDX= beyond the contig count (htslib's bcf_hdr_seqnames asserts on it): no abort.
printf '##fileformat=VCFv4.2\n##contig=<ID=chr17,length=83257441,IDX=1>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n' >"$work/idx.vcf"
run "$healcap" scan --build GRCh38 --allow-no-hits --out "$work/idx" "$work/idx.vcf"
expect_rc "a contig line with IDX= and no records, --allow-no-hits" 0
run "$healcap" scan --build GRCh38 --out "$work/idx" "$work/idx.vcf"
expect_rc "a contig line with IDX= and no records" 1
expect_match "... says no panel site was found (no abort)" "$err" "^healcap: error: .*idx.vcf: no panel site found"

# An output folder that cannot be written is refused before any input is read (stdin that never ends here).
start=$(date +%s)
run timeout 20 bash -c '"$1" scan --out /nonexistent-healcap/x - < <(sleep 30; cat "$0")' "$example" "$healcap"
expect_rc "--out in a missing folder" 1
expect_match "--out in a missing folder: one line naming the option and the folder" "$err" "^healcap: error: --out /nonexistent-healcap/x: cannot write in the folder /nonexistent-healcap"
[ $(( $(date +%s) - start )) -lt 15 ] && pass "... before reading the input" || fail "the missing folder was found only after reading"
run "$healcap" merge --out /nonexistent-healcap/x "$work/none.hcp"
expect_match "merge --out in a missing folder" "$err" "--out /nonexistent-healcap/x: cannot write in the folder"
cp "$example" "$work/self.vcf.gz"
run "$healcap" annotate -o "$work/self.vcf.gz" "$work/self.vcf.gz"
expect_rc "annotate -o IN IN is refused" 2
cmp -s "$example" "$work/self.vcf.gz" && pass "annotate -o IN IN leaves the input intact" || fail "annotate -o IN IN changed its input"

finish
