#!/usr/bin/env bash
# Many inputs, regions and targets, shards and merge. As regenie tests its split runs: the whole run against
# splits into 2, 3 and 7 parts, by region, by sample and by file, merged in shuffled order; samples.tsv and
# sites.tsv and calls.tsv.gz must be the same bytes and the JSON the same except its "run" object. Inputs: a real
# multi-chromosome cohort (1000 Genomes phase 3, 23 chromosomes, 1,126 samples, with a panel made from its
# sites), a real trio (GIAB Ashkenazi, chr1-2), and a generated multi-file cohort; VCF.gz and BCF each.
# Usage: test_shards_cli.sh HEALCAP_BINARY PROJECT_SOURCE_DIR
set -u
healcap=$1
src=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
external=$src/../shared/data/external
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LC_ALL=C

# same NAME A B: samples.tsv, sites.tsv and calls.tsv.gz byte-identical, the JSON equal but for its "run" object.
same() {
  local why=""
  cmp -s "$2.samples.tsv" "$3.samples.tsv" || why="samples.tsv differs: $(cmp "$2.samples.tsv" "$3.samples.tsv" 2>&1 | head -1)"
  [ -z "$why" ] && ! { [ -f "$2.calls.tsv.gz" ] && cmp -s "$2.calls.tsv.gz" "$3.calls.tsv.gz"; } &&
    why="calls.tsv.gz differs (or is missing): $(cmp "$2.calls.tsv.gz" "$3.calls.tsv.gz" 2>&1 | head -1)"
  [ -z "$why" ] && ! cmp -s "$2.sites.tsv" "$3.sites.tsv" && why="sites.tsv differs: $(diff "$2.sites.tsv" "$3.sites.tsv" | head -3)"
  [ -z "$why" ] && ! python3 - "$2.json" "$3.json" <<'EOF' && why="the JSON differs outside \"run\""
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for d in (a, b):
    d.pop("run")
sys.exit(a != b)
EOF
  if [ -z "$why" ]; then pass "$1"; else fail "$1" "$why"; fi
}
# shuffled FILE...: the arguments in an order fixed by a seed (the same every run, never the given one).
shuffled() { printf '%s\n' "$@" | shuf --random-source=<(yes 7) | tr '\n' ' '; }
# groups K LIST...: LIST cut into K contiguous comma-joined groups, one per line.
groups() {
  local k=$1
  shift
  printf '%s\n' "$@" | awk -v k="$k" '{ a[NR] = $0 } END { for (g = 1; g <= k; g++) { s = ""
    for (i = int((g - 1) * NR / k) + 1; i <= int(g * NR / k); i++) s = s (s == "" ? "" : ",") a[i]; print s } }'
}

# split_and_merge NAME REF_PREFIX KIND K INPUT_ARGS... (with SCAN_OPTS, REGION_LIST in the environment):
# K shards of KIND (region: REGION_LIST cut in K groups; sample; file), merged in shuffled order.
split_and_merge() {
  local name=$1 ref=$2 kind=$3 k=$4
  shift 4
  local d parts=() i=1 ok=1
  d="$work/$(printf '%s' "$name" | tr -c 'A-Za-z0-9.' _).$kind$k"
  mkdir -p "$d"
  if [ "$kind" = region ]; then
    while read -r g; do
      run "$healcap" scan ${SCAN_OPTS:-} -r "$g" --region-shard "$i/$k" --partial "$d/p$i.hcp" "$@"
      [ "$rc" -eq 0 ] || { ok=0; fail "$name: region shard $i/$k" "$err"; }
      parts+=("$d/p$i.hcp")
      i=$((i + 1))
    done < <(groups "$k" $REGION_LIST)
  else
    for i in $(seq 1 "$k"); do
      run "$healcap" scan ${SCAN_OPTS:-} --"$kind"-shard "$i/$k" --partial "$d/p$i.hcp" "$@"
      [ "$rc" -eq 0 ] || { ok=0; fail "$name: $kind shard $i/$k" "$err"; }
      parts+=("$d/p$i.hcp")
    done
  fi
  [ "$ok" = 1 ] || return
  run "$healcap" merge ${MERGE_OPTS:-} --out "$d/m" $(shuffled "${parts[@]}")
  [ "$rc" -eq 0 ] || { fail "$name: merge of $k $kind shards" "$err"; return; }
  same "$name: $k $kind shards merged in shuffled order equal the single run" "$ref" "$d/m"
}

# --- a real multi-chromosome cohort: 1000 Genomes phase 3, every chromosome, 1,126 samples ----------------------
kgdir=$external/UW-GAC-analysis_pipeline/testdata
if [ -f "$kgdir/1KG_phase3_subset_chr1.vcf.gz" ]; then
  chroms="$(seq 1 22) X"
  bcftools concat -Oz -o "$work/kg.vcf.gz" $(for c in $chroms; do echo "$kgdir/1KG_phase3_subset_chr$c.vcf.gz"; done) 2>/dev/null &&
    bcftools index -t "$work/kg.vcf.gz" && bcftools view -Ob -o "$work/kg.bcf" "$work/kg.vcf.gz" && bcftools index "$work/kg.bcf"
  # A test panel made from its sites (every 41st biallelic SNV, on every chromosome but X).
  { printf '##panel=kg-multi-test\n##version=1\n'
    printf 'id\trsid\tgene\tpathway\ttrait\tchrom\tpos_grch37\tref_grch37\talt_grch37\tpos_grch38\tref_grch38\talt_grch38\teffect_allele\todds_ratio\tweight\tmodel\teaf\tevidence_grade\tevidence\tsource\tnotes\n'
    bcftools query -f '%CHROM\t%POS\t%REF\t%ALT\n' "$work/kg.vcf.gz" | awk -F'\t' -v OFS='\t' '
      $1 != "X" && length($3) == 1 && length($4) == 1 && NR % 41 == 0 {
        n++; split("additive dominant recessive", m, " ")
        print "kg" n, ".", "GENE" n, "other", "bone", $1, $2, $3, $4, ".", ".", ".", (n % 2) ? $4 : $3, ".", (n % 7 + 1) / 10, m[n % 3 + 1], ".", "replicated", ".", "test", "."
      }'; } >"$work/kg.panel.tsv"
  SCAN_OPTS="--panel $work/kg.panel.tsv" MERGE_OPTS="--panel $work/kg.panel.tsv" REGION_LIST="$chroms"
  export SCAN_OPTS MERGE_OPTS REGION_LIST
  for ext in vcf.gz bcf; do
    run "$healcap" scan $SCAN_OPTS --out "$work/kg_$ext" "$work/kg.$ext"
    expect_rc "1000G ($ext, 23 chromosomes, 1,126 samples): single run" 0
    for k in 2 3 7; do
      split_and_merge "1000G $ext" "$work/kg_$ext" region "$k" "$work/kg.$ext"
      split_and_merge "1000G $ext" "$work/kg_$ext" sample "$k" "$work/kg.$ext"
    done
  done
  # Two shards that cover only chr1 and chr2: every other row is outside_regions, never absent.
  run "$healcap" scan $SCAN_OPTS -r 1,2 --out "$work/kg12" "$work/kg.vcf.gz"
  n_out=$(awk -F'\t' '$1 !~ /^#/ && $6 == "outside_regions"' "$work/kg12.sites.tsv" | wc -l)
  n_want=$(awk -F'\t' '$1 !~ /^#/ && $1 != "id" && $6 != "1" && $6 != "2"' "$work/kg.panel.tsv" | wc -l)
  expect_eq "-r 1,2: the rows off chr1-2 are outside_regions ($n_want)" "$n_out" "$n_want"
  n_absent=$(awk -F'\t' '$1 !~ /^#/ && $6 == "not_in_input" && $16 != "1" && $16 != "2"' "$work/kg12.sites.tsv" | wc -l)
  expect_eq "-r 1,2: no row off chr1-2 is called absent" "$n_absent" 0
  unset SCAN_OPTS MERGE_OPTS REGION_LIST
else
  echo "skip 1000G checks: $kgdir not found"
fi

# --- a real trio on two chromosomes, cut inside chr1 too ------------------------------------------------------------
trio=$external/slivar/tests/ashk-trio.vcf.gz
if [ -f "$trio" ]; then
  cp "$trio" "$work/trio.vcf.gz" && cp "$trio.csi" "$work/trio.vcf.gz.csi"
  bcftools view -Ob -o "$work/trio.bcf" "$trio" && bcftools index "$work/trio.bcf"
  # Region shards equal the whole run when together they cover every contig (a panel row on a contig no
  # shard covers is outside_regions, not absent).
  contigs=$(bcftools view -h "$trio" | sed -n 's/^##contig=<ID=\([^,>]*\).*/\1/p' | tr '\n' ' ')
  rest=$(printf '%s\n' $contigs | grep -vx 1 | tr '\n' ' ')
  for ext in vcf.gz bcf; do
    run "$healcap" scan --out "$work/trio_$ext" "$work/trio.$ext"
    expect_rc "trio ($ext): single run" 0
    REGION_LIST="1:1-150000000 1:150000001-206000000 1:206000001- $rest" split_and_merge "trio $ext cut in chr1" "$work/trio_$ext" region 3 "$work/trio.$ext"
    for k in 2 7; do REGION_LIST="$contigs" split_and_merge "trio $ext" "$work/trio_$ext" region "$k" "$work/trio.$ext"; done
    for k in 2 3 7; do split_and_merge "trio $ext" "$work/trio_$ext" sample "$k" "$work/trio.$ext"; done
  done
  # -r needs an index; targets filter while streaming and give the indexed regions' rows.
  zcat "$trio" >"$work/trio.vcf"
  run "$healcap" scan -r 1 --out "$work/noidx" "$work/trio.vcf"
  expect_rc "-r on an unindexed VCF" 1
  expect_match "-r without an index: one line naming the file and what to do" "$err" "trio.vcf: -r/--regions needs an index .*bcftools index"
  run "$healcap" scan -r 1 --out "$work/trio_r1" "$work/trio.vcf.gz"
  run "$healcap" scan -t 1 --out "$work/trio_t1" "$work/trio.vcf"
  if cmp -s "$work/trio_r1.sites.tsv" "$work/trio_t1.sites.tsv" && cmp -s "$work/trio_r1.samples.tsv" "$work/trio_t1.samples.tsv"; then
    pass "-t 1 while streaming gives the rows and scores of -r 1 through the index"
  else fail "-t 1 and -r 1 differ" "$(diff "$work/trio_r1.sites.tsv" "$work/trio_t1.sites.tsv" | head -3)"; fi
  run "$healcap" scan -t ^1 --allow-no-hits --out "$work/trio_tn" "$work/trio.vcf"
  n1=$(awk -F'\t' '$1 !~ /^#/ && $6 == "outside_regions"' "$work/trio_r1.sites.tsv" | wc -l)
  n2=$(awk -F'\t' '$1 !~ /^#/ && $6 != "outside_regions" && $6 != "no_coordinates" && $1 != "id"' "$work/trio_tn.sites.tsv" | wc -l)
  expect_eq "-t ^1 asks for exactly the rows -r 1 leaves out" "$n2" "$n1"
fi

# --- a generated multi-file cohort: 8 files, mixed VCF.gz / BCF / plain VCF, indexed and not -------------------------
python3 "$src/scripts/make_cohort.py" --samples 30 --variants 3000 --seed 9 --out "$work/gen" >/dev/null 2>&1 ||
  fail "make_cohort.py"
samples=($(bcftools query -l "$work/gen.vcf.gz"))
: >"$work/mixed.list"
: >"$work/indexed.list"
sizes=(1 6 2 5 3 4 1 8)
at=0
for f in 0 1 2 3 4 5 6 7; do
  sel=$(printf '%s\n' "${samples[@]:$at:${sizes[$f]}}" | paste -sd,)
  at=$((at + sizes[f]))
  base="$work/part$f"
  case $((f % 4)) in
    0) bcftools view -s "$sel" -Oz -o "$base.vcf.gz" "$work/gen.vcf.gz" && bcftools index -t "$base.vcf.gz" && m="$base.vcf.gz" && i="$m" ;;
    1) bcftools view -s "$sel" -Ob -o "$base.bcf" "$work/gen.vcf.gz" && bcftools index "$base.bcf" && m="$base.bcf" && i="$m" ;;
    2) bcftools view -s "$sel" -Ov -o "$base.vcf" "$work/gen.vcf.gz" && m="$base.vcf"
       bcftools view -Oz -o "$base.i.vcf.gz" "$base.vcf" && bcftools index -t "$base.i.vcf.gz" && i="$base.i.vcf.gz" ;;
    3) bcftools view -s "$sel" -Oz -o "$base.vcf.gz" "$work/gen.vcf.gz" && m="$base.vcf.gz"
       bcftools view -Ob -o "$base.i.bcf" "$base.vcf.gz" && bcftools index "$base.i.bcf" && i="$base.i.bcf" ;;
  esac
  { [ "$f" = 3 ] && printf '# a comment, then a blank line\n\n'; echo "$m"; } >>"$work/mixed.list"
  echo "$i" >>"$work/indexed.list"
done
run "$healcap" scan --out "$work/gen_whole" "$work/gen.vcf.gz"
run "$healcap" scan --threads 2 --out "$work/multi" --file-list "$work/mixed.list"
expect_rc "8 mixed files in one run (--file-list)" 0
if cmp -s "$work/gen_whole.samples.tsv" "$work/multi.samples.tsv"; then
  pass "8 files' samples.tsv equals the samples.tsv of the one file they were cut from"
else fail "8 files vs their source file" "$(diff "$work/gen_whole.samples.tsv" "$work/multi.samples.tsv" | head -3)"; fi
expect_eq "samples in list order, then header order" "$(awk -F'\t' '$1 !~ /^#/ && $1 != "sample" { print $1 }' "$work/multi.samples.tsv" | paste -sd,)" \
  "$(printf '%s\n' "${samples[@]}" | paste -sd,)"
run python3 "$here/check_calls.py" "$work/multi.json" "$work/gen.vcf.gz"
expect_rc "multi-file calls file: genotypes equal bcftools query on the source ($(printf '%s' "$out" | tail -1))" 0
"$here/plink2_sums.sh" "$src/gene_panels/healing_panel.tsv" 38 "$work/gen.vcf.gz" "$work/plink" >"$work/plink.sums" 2>/dev/null
bad=$(awk -F'\t' 'NR == FNR { p[$1] = $2; next } /^#/ { next } $1 == "sample" { for (i = 1; i <= NF; i++) if ($i == "weighted_sum") c = i; next }
  { d = $c - p[$1]; if (d < 0) d = -d; if (!($1 in p) || d > 5e-4) bad++ } END { print bad + 0 }' "$work/plink.sums" "$work/multi.samples.tsv")
expect_eq "multi-file weighted sums equal plink2 --score on the source" "$bad" 0
run "$healcap" scan --threads 1 --out "$work/multi1" --file-list "$work/mixed.list"
same "1 thread and 2 threads give the same bytes" "$work/multi" "$work/multi1"
run "$healcap" scan --out "$work/multi_args" $(grep -v '^#' "$work/mixed.list" | grep .)
same "inputs on the command line equal --file-list" "$work/multi" "$work/multi_args"
for k in 2 3 7; do
  split_and_merge "8 files" "$work/multi" file "$k" --file-list "$work/mixed.list"
  split_and_merge "8 files" "$work/multi" sample "$k" --file-list "$work/mixed.list"
done
# The merge chooses the calls file as a scan does: --no-calls, --calls-max-samples, --calls.
d=$(ls -d "$work"/8_files.sample7 2>/dev/null)
if [ -n "$d" ]; then
  run "$healcap" merge --no-calls --out "$d/nc" "$d"/p*.hcp
  expect_eq "merge --no-calls: no calls file, and the JSON says so" "$(ls "$d"/nc.calls.tsv.gz 2>/dev/null | wc -l),$(grep -c '"calls_file":null' "$d/nc.json")" "0,1"
  run "$healcap" merge --calls-max-samples 29 --out "$d/c29" "$d"/p*.hcp
  expect_eq "merge --calls-max-samples 29 (30 samples): no calls file" "$(ls "$d"/c29.calls.tsv.gz 2>/dev/null | wc -l)" 0
  run "$healcap" merge --calls-max-samples 29 --calls --out "$d/c29c" "$d"/p*.hcp
  expect_eq "  with --calls: the single run's calls file, byte for byte" "$(cmp "$d/c29c.calls.tsv.gz" "$work/multi.calls.tsv.gz" && echo same)" same
  run "$healcap" merge --calls --no-calls --out "$d/bad" "$d"/p*.hcp
  expect_rc "merge --calls --no-calls" 2
else
  fail "the 8-file sample shards' folder is missing"
fi
# merge --html above 20,000 samples: refused with one line naming --html, nothing written.
python3 -c '
print("##fileformat=VCFv4.2\n##contig=<ID=chr1,length=248956422>\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">")
print("\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT"] + ["H%05d" % k for k in range(20001)]))' >"$work/wide20001.vcf"
run "$healcap" scan --allow-no-hits --partial "$work/wide20001.hcp" "$work/wide20001.vcf"
run "$healcap" merge --html --out "$work/wide_m" "$work/wide20001.hcp"
expect_rc "merge --html of 20,001 samples" 2
expect_match "  one line naming --html" "$err" "^healcap merge: --html: 20001 samples are more than the report page holds \(20000\); drop --html"
expect_eq "  nothing written" "$(ls "$work"/wide_m.* 2>/dev/null | wc -l)" 0
# One scan per file (no plan): the partials, given in list order, merge into the --file-list run.
mkdir -p "$work/loop"
n=0
for f in $(grep -v '^#' "$work/mixed.list" | grep .); do
  n=$((n + 1))
  "$healcap" scan --threads 1 --partial "$work/loop/p$n.hcp" "$f" 2>/dev/null || fail "per-file partial of $f"
  echo "$work/loop/p$n.hcp"
done >"$work/loop/list"
run "$healcap" merge --out "$work/loop/m" --partial-list "$work/loop/list"
expect_rc "merge of one partial per file" 0
same "one partial per file, merged in list order, equals the --file-list run" "$work/multi" "$work/loop/m"
run "$healcap" scan --stream --out "$work/multi_stream" --file-list "$work/mixed.list"
SCAN_OPTS=--stream split_and_merge "8 files streamed" "$work/multi_stream" sample 7 --file-list "$work/mixed.list"
run "$healcap" scan --out "$work/multi_idx" --file-list "$work/indexed.list"
for k in 2 3 7; do
  REGION_LIST="$(seq -f 'chr%g' 1 22)" split_and_merge "8 indexed files" "$work/multi_idx" region "$k" --file-list "$work/indexed.list"
done

# Files are opened by a bounded pool, never all at once: 80 inputs under an open-file limit of 32.
mkdir -p "$work/many"
for i in $(seq -w 1 80); do
  echo "M$i" >"$work/many/name"
  bcftools reheader -s "$work/many/name" -o "$work/many/m$i.vcf.gz" "$work/part0.vcf.gz" && tabix -p vcf "$work/many/m$i.vcf.gz"
  echo "$work/many/m$i.vcf.gz"
done >"$work/many.list"
run bash -c 'ulimit -n 32 && "$0" scan --threads 2 --out "$1" --file-list "$2"' "$healcap" "$work/many_out" "$work/many.list"
expect_rc "80 inputs under 'ulimit -n 32'" 0
expect_eq "80 inputs: 80 samples" "$(awk -F'\t' '$1 ~ /^M/' "$work/many_out.samples.tsv" | wc -l)" 80

# --- refused merges: one line naming the partials ----------------------------------------------------------------------
d=$work/8_files.sample3
run "$healcap" merge --out "$work/bad" "$d/p1.hcp" "$d/p3.hcp"
expect_rc "a missing shard" 1
expect_match "a missing shard is named" "$err" "1 of 3 sample shards are missing \(2/3\)"
expect_one_line "a missing shard: one line" "$err"
run "$healcap" merge --out "$work/bad" "$d/p1.hcp" "$d/p2.hcp" "$d/p3.hcp" "$d/p2.hcp"
expect_match "a shard given twice" "$err" "p2.hcp and .*p2.hcp are both sample shard 2/3"
run "$healcap" merge --out "$work/bad" "$work/8_files.sample2/p1.hcp" "$d/p2.hcp"
expect_match "shards of different plans" "$err" "belong to different shard plans"
run "$healcap" scan --pass-only --sample-shard 2/3 --partial "$work/pass.hcp" --file-list "$work/mixed.list"
run "$healcap" merge --out "$work/bad" "$d/p1.hcp" "$work/pass.hcp" "$d/p3.hcp"
expect_match "partials with different options" "$err" "pass.hcp and .*p1.hcp were made with different options \(.*--pass-only"
run "$healcap" scan -r chr1 --partial "$work/o1.hcp" "$work/gen.vcf.gz"
run "$healcap" scan -r chr1:1-2000000,chr2 --partial "$work/o2.hcp" "$work/gen.vcf.gz"
run "$healcap" merge --out "$work/bad" "$work/o1.hcp" "$work/o2.hcp"
expect_match "overlapping regions" "$err" "o2.hcp and .*o1.hcp both cover .*gen.vcf.gz in overlapping regions"
run "$healcap" scan -s "${samples[0]},${samples[1]}" --partial "$work/s1.hcp" "$work/gen.vcf.gz"
run "$healcap" scan -s "${samples[1]},${samples[2]}" --partial "$work/s2.hcp" "$work/gen.vcf.gz"
run "$healcap" merge --out "$work/bad" "$work/s1.hcp" "$work/s2.hcp"
expect_rc "overlapping samples" 1
expect_match "overlapping samples are named" "$err" "s[12].hcp and .*s[12].hcp hold"
printf 'panel\n' >"$work/bogus.hcp"
run "$healcap" merge --out "$work/bad" "$work/bogus.hcp"
expect_match "not a partial" "$err" "bogus.hcp: not a healcap partial"
size=$(stat -c %s "$d/p2.hcp")
head -c $((size - 40)) "$d/p2.hcp" >"$work/trunc.hcp"
run "$healcap" merge --out "$work/bad" "$d/p1.hcp" "$work/trunc.hcp" "$d/p3.hcp"
expect_rc "a truncated partial" 1
expect_match "a truncated partial: one clear line" "$err" "trunc.hcp: the partial is truncated"
expect_one_line "a truncated partial: one line" "$err"
cp "$d/p2.hcp" "$work/corrupt.hcp"
printf '\x55\xaa\x55' | dd of="$work/corrupt.hcp" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
run "$healcap" merge --out "$work/bad" "$d/p1.hcp" "$work/corrupt.hcp" "$d/p3.hcp"
expect_match "a corrupt partial" "$err" "corrupt.hcp: the partial is corrupt"
no_left=$(ls "$work"/bad.* 2>/dev/null | wc -l)
expect_eq "refused merges leave no outputs" "$no_left" 0

# --- errors between inputs, each naming both files ---------------------------------------------------------------------
run "$healcap" scan --out "$work/dup" "$work/part0.vcf.gz" "$work/part1.bcf" "$work/part0.vcf.gz"
expect_rc "a sample in two files" 1
expect_match "a sample in two files names both" "$err" "part0.vcf.gz: sample '.*' is also in .*part0.vcf.gz"
if [ -f "$trio" ]; then
  run "$healcap" scan --out "$work/builds" "$work/part0.vcf.gz" "$work/trio.vcf.gz"
  expect_rc "inputs on two builds" 1
  expect_match "inputs on two builds: both named" "$err" "trio.vcf.gz: read as GRCh37 .*but .*part0.vcf.gz is GRCh38"
fi
sed 's/^chr//; s/ID=chr/ID=/' "$work/part2.vcf" >"$work/plain.vcf"
run "$healcap" scan --out "$work/style" "$work/part0.vcf.gz" "$work/plain.vcf"
expect_rc "chr-style and plain-style inputs are reconciled" 0

# --- --keep-going: a bad file is listed, the others' work is kept -----------------------------------------------------
bad_vcf=$(ls "$external"/hts-specs/test/vcf/4.2/failed/*.vcf 2>/dev/null | head -1)
[ -n "$bad_vcf" ] || bad_vcf=$work/missing.vcf
{ head -2 "$work/mixed.list"; echo "$bad_vcf"; echo "$work/does-not-exist.vcf.gz"; tail -n +3 "$work/mixed.list"; } >"$work/kg.list"
run "$healcap" scan --keep-going --out "$work/kept" --file-list "$work/kg.list"
expect_rc "--keep-going with two bad files" 1
nfail=$(tail -n +3 "$work/kept.failed.tsv" | wc -l)
expect_eq "PREFIX.failed.tsv lists both bad files" "$nfail" 2
expect_match "the failed list names the missing file" "$(cat "$work/kept.failed.tsv")" "does-not-exist.vcf.gz	.*does-not-exist"
if cmp -s "$work/kept.samples.tsv" "$work/multi.samples.tsv"; then pass "--keep-going keeps every other file's samples"
else fail "--keep-going lost samples" "$(diff "$work/kept.samples.tsv" "$work/multi.samples.tsv" | head -3)"; fi
nj=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['failed']))" "$work/kept.json")
expect_eq "the JSON lists the failed files" "$nj" 2
for i in 1 2 3; do "$healcap" scan --keep-going --file-shard $i/3 --partial "$work/kgp$i.hcp" --file-list "$work/kg.list" 2>/dev/null; done
run "$healcap" merge --out "$work/kept_m" "$work/kgp3.hcp" "$work/kgp1.hcp" "$work/kgp2.hcp"
expect_rc "merging --keep-going shards" 1
same "--keep-going file shards merged equal the single --keep-going run" "$work/kept" "$work/kept_m"
cmp -s "$work/kept.failed.tsv" "$work/kept_m.failed.tsv" && pass "and their failed.tsv is the same" || fail "failed.tsv differs"
run "$healcap" scan --out "$work/nokeep" --file-list "$work/kg.list"
expect_rc "without --keep-going a bad file stops the run" 1
expect_one_line "without --keep-going: one line" "$err"
expect_eq "without --keep-going: no outputs" "$(ls "$work"/nokeep.* 2>/dev/null | wc -l)" 0

# --- option errors -----------------------------------------------------------------------------------------------------
run "$healcap" scan --sample-shard 4/3 --partial "$work/x.hcp" "$work/gen.vcf.gz"
expect_rc "--sample-shard 4/3" 2
run "$healcap" scan --sample-shard 1/3 --out "$work/x" "$work/gen.vcf.gz"
expect_match "a shard without --partial" "$err" "add --partial FILE"
run "$healcap" scan --file-list "$work/none.list" --out "$work/x"
expect_match "a missing file list" "$err" "--file-list: cannot open"
finish
