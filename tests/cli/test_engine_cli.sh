#!/usr/bin/env bash
# End-to-end checks of the one engine (issue 8): every read path gives the same bytes, the read path is
# reported, a bgzipped VCF without ##contig lines reads alike at every thread count, the HC_* INFO lines have
# one definition in every output, and the outputs of a run are published as a set (a failing sink leaves
# none behind). Every case runs on VCF.gz and BCF.
# Usage: test_engine_cli.sh HEALCAP_BINARY PROJECT_SOURCE_DIR
set -u
healcap=$1
src=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
example=$src/tests/data/example_cohort.vcf.gz
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

stable_json() { grep -v -e '^"run":' -e '^"input":' "$1"; }
same_outputs() {  # same_outputs NAME PREFIX_A PREFIX_B
  if cmp -s "$2.samples.tsv" "$3.samples.tsv" && cmp -s "$2.sites.tsv" "$3.sites.tsv" &&
    cmp -s <(stable_json "$2.json") <(stable_json "$3.json"); then
    pass "$1"
  else
    fail "$1" "$(diff <(stable_json "$2.json") <(stable_json "$3.json") | head -5)"
  fi
}

# Inputs: the example as VCF.gz and BCF, each also without ##contig lines (bgzipped, unindexed).
cp "$example" "$work/ex.vcf.gz"
cp "$example.tbi" "$work/ex.vcf.gz.tbi"
bcftools view -Ob -o "$work/ex.bcf" "$example" && bcftools index "$work/ex.bcf"
{ bcftools view -h "$example" | grep -v '^##contig'; bcftools view -H "$example"; } | bgzip -c >"$work/nocontig.vcf.gz"
bcftools view -h "$example" | grep -c '^##contig' >/dev/null || { echo "the example has no contig lines to strip" >&2; exit 1; }

for fmt in vcf.gz bcf; do
  in=$work/ex.$fmt
  # Every read path of this input: indexed, streaming with healcap's own inflation, and (VCF.gz only) text read
  # through htslib (standard input), at 1, 2 and 4 threads; all give the bytes of the first.
  run "$healcap" scan --stream --threads 1 --out "$work/ref_$fmt" "$in"
  expect_rc "$fmt: streaming scan" 0
  expect_match "$fmt: the run reports its read path" "$err" "read path: streaming"
  for t in 1 2 4; do
    run "$healcap" scan --threads $t --out "$work/idx_${fmt}_$t" "$in"
    expect_match "$fmt: indexed read reported at $t threads" "$err" "read path: indexed region queries through $in\\.(tbi|csi)"
    same_outputs "$fmt: indexed = streaming at $t threads" "$work/ref_$fmt" "$work/idx_${fmt}_$t"
    run "$healcap" scan --stream --threads $t --out "$work/str_${fmt}_$t" "$in"
    same_outputs "$fmt: streaming at $t threads = 1 thread" "$work/ref_$fmt" "$work/str_${fmt}_$t"
    run bash -c "'$healcap' scan --threads $t --out '$work/stdin_${fmt}_$t' - <'$in'"
    expect_match "$fmt: standard input is read through htslib" "$err" "read path: streaming (VCF text|BCF), read through htslib"
    same_outputs "$fmt: standard input at $t threads = file" "$work/ref_$fmt" "$work/stdin_${fmt}_$t"
  done
done
same_outputs "VCF.gz = BCF" "$work/ref_vcf.gz" "$work/ref_bcf"

# A bgzipped VCF without ##contig lines (older pipelines, imputation servers): it used to fail at 2 threads
# with "malformed record: no tab-separated columns". Now every thread count reads it, with the same results,
# which equal those of the file with its contig lines (the contigs are learnt from the records).
for t in 1 2 4; do
  run "$healcap" scan --threads $t --out "$work/nc_$t" "$work/nocontig.vcf.gz"
  expect_rc "no ##contig lines, $t threads" 0
  same_outputs "no ##contig lines: $t threads = 1 thread" "$work/nc_1" "$work/nc_$t"
done
bcftools view -h "$example" | grep -v '^##contig' >"$work/nocontig.hdr"
bcftools reheader -h "$work/nocontig.hdr" -o "$work/nocontig.bcf" "$work/ex.bcf" 2>/dev/null &&
  run "$healcap" scan --threads 2 --out "$work/ncb" "$work/nocontig.bcf" &&
  expect_rc "a BCF without ##contig lines fails at any thread count, as bcftools does" 1
cmp -s "$work/nc_1.samples.tsv" "$work/ref_vcf.gz.samples.tsv" && pass "no ##contig lines: the same scores as with them" ||
  fail "no ##contig lines: the same scores as with them" "$(diff "$work/nc_1.samples.tsv" "$work/ref_vcf.gz.samples.tsv" | head -3)"

# Errors name the first bad record in input order, whatever the thread count and read path: two records with
# a missing sample column, the first of them the file's first record (the line a batch's serial stage parses).
{ bcftools view -h "$example"; bcftools view -H "$example" | awk -F'\t' -v OFS='\t' 'NR == 1 || NR == 90 { NF = NF - 1 } { print }'; } >"$work/bad.vcf"
bgzip -c "$work/bad.vcf" >"$work/bad.vcf.gz"
first_bad=$(bcftools view -H "$example" | head -1 | cut -f1,2 | tr '\t' :)
for f in bad.vcf bad.vcf.gz; do
  for t in 1 2 4; do
    for cmd in scan annotate; do
      if [ $cmd = scan ]; then run "$healcap" scan --threads $t --out "$work/bad" "$work/$f"; else run "$healcap" annotate --threads $t -o "$work/bad.out.vcf" "$work/$f"; fi
      expect_match "$f, $cmd, $t threads: the first bad record is named" "$err" "$f: $first_bad: malformed record"
    done
  done
done

# One definition of each HC_* INFO line: scan -o, annotate and panel export declare each tag identically.
"$healcap" scan --out "$work/h" -o "$work/h.vcf.gz" "$example" 2>/dev/null
"$healcap" annotate -o "$work/a.bcf" "$work/ex.bcf" 2>/dev/null
"$healcap" panel export --build GRCh38 --format vcf -o "$work/p.vcf" 2>/dev/null
for f in "$work/h.vcf.gz" "$work/a.bcf" "$work/p.vcf"; do
  bcftools view -h "$f" | grep '^##INFO=<ID=HC_' | sed 's/,IDX=[0-9]*//' >"$f.hc"
done
bad=$(cat "$work/h.vcf.gz.hc" "$work/a.bcf.hc" "$work/p.vcf.hc" | sort -u | sed 's/^##INFO=<ID=\([^,]*\),.*/\1/' | uniq -d)
expect_eq "every HC_* INFO line has one definition across scan -o, annotate and panel export" "$bad" ""
expect_match "HC_RSID is declared" "$(cat "$work/h.vcf.gz.hc")" "ID=HC_RSID,Number=\\."
run bcftools view "$work/h.vcf.gz"
expect_eq "bcftools reads scan -o without a warning" "$err" ""
run bcftools view "$work/p.vcf"
expect_eq "bcftools reads panel export without a warning" "$err" ""

# The outputs are a set: when one cannot be published, none is left behind (nor any temporary file).
for fmt in vcf.gz bcf; do
  mkdir -p "$work/set_$fmt"
  mkdir "$work/set_$fmt/out.json"  # a directory where the JSON should go: its rename fails
  run "$healcap" scan --out "$work/set_$fmt/out" -o "$work/set_$fmt/hits.bcf" -W "$work/ex.$fmt"
  expect_rc "$fmt: a sink that cannot publish fails the run" 1
  expect_one_line "$fmt: one line for the failed sink" "$err"
  expect_match "$fmt: the line names the file" "$err" "out\\.json"
  left=$(cd "$work/set_$fmt" && ls -A | grep -v '^out\.json$')
  expect_eq "$fmt: no output or temporary file is left behind" "$left" ""
done

finish
