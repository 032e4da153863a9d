#!/usr/bin/env bash
# Reliability (issue 10): signals, POS=0 records, truncated text, --validate, true error messages, annotate
# adding missing header lines, and a full disk. Each case failed before its fix.
# Usage: test_reliability.sh HEALCAP SOURCE_DIR
set -uo pipefail
healcap=$(readlink -f "$1")
src=$2
. "$src/tests/cli/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
example=$src/tests/data/example_cohort.vcf.gz
corpus=${HEALCAP_CORPUS:-$src/../shared/data/external}
# Job control: a background job then keeps SIGINT (a non-interactive shell would start it with SIGINT ignored).
set -m

# ---- Signals: every temporary file removed, exit 128 + signal ----
# The input comes through a FIFO whose writer stalls after the header and some records, so healcap is
# reliably mid-run (its temporary outputs open) when the signal arrives.
signal_case() {  # signal_case NAME SIGNAL WANT_RC CMD...
  local name=$1 sig=$2 want=$3
  shift 3
  local d=$work/sig.$name
  mkdir -p "$d"
  mkfifo "$d/in.fifo"
  (zcat "$example" | head -120; sleep 20) >"$d/in.fifo" &
  local writer=$!
  (cd "$d" && exec "$@" <in.fifo 2>err) &
  local pid=$!
  local i
  for i in $(seq 100); do
    ls "$d" | grep -q '\.tmp\.' && break
    sleep 0.1
  done
  if ! ls "$d" | grep -q '\.tmp\.'; then fail "$name: no temporary output appeared before the signal" "$(ls "$d")"; fi
  kill -"$sig" "$pid"
  wait "$pid"
  rc=$?
  kill "$writer" 2>/dev/null
  wait "$writer" 2>/dev/null
  err=$(cat "$d/err")
  expect_rc "$name: exit" "$want"
  expect_match "$name: one line naming the signal" "$err" "^healcap: interrupted by SIG$sig; removed [0-9]+ temporary file"
  local left
  left=$(ls "$d" | grep -v -e '^in.fifo$' -e '^err$' | tr '\n' ' ')
  expect_eq "$name: nothing left behind" "$left" ""
}
signal_case annotate.TERM TERM 143 "$healcap" annotate --build GRCh38 -o out.vcf.gz -
signal_case annotate.INT INT 130 "$healcap" annotate --build GRCh38 -O b -W -o out.bcf -

# scan -o - with its standard output a pipe nobody reads: healcap blocks writing the VCF while its other
# outputs (the JSON alone is ~18 MB for 3000 samples) are temporary files.
python3 "$src/scripts/make_cohort.py" --samples 3000 --variants 300 --out "$work/wide" >/dev/null 2>&1 ||
  fail "make_cohort.py could not make the 3000-sample cohort"
scan_o_case() {  # scan_o_case NAME SIGNAL WANT_RC INPUT
  local name=$1 sig=$2 want=$3 input=$4 d=$work/sig.$1
  mkdir -p "$d"
  mkfifo "$d/out.fifo"
  (cd "$d" && exec "$healcap" scan --out run -o - "$input" >out.fifo 2>err) &
  local pid=$!
  exec 3<"$d/out.fifo"  # opened, never read: the pipe fills
  local i
  for i in $(seq 150); do
    [ "$(ls "$d" | grep -c '\.tmp\.')" -ge 3 ] && break
    sleep 0.1
  done
  [ "$(ls "$d" | grep -c '\.tmp\.')" -ge 3 ] || fail "$name: the temporary outputs did not appear" "$(ls "$d")"
  sleep 0.3
  kill -"$sig" "$pid"
  wait "$pid"
  rc=$?
  exec 3<&-
  err=$(cat "$d/err")
  expect_rc "$name: exit" "$want"
  expect_match "$name: one line naming the signal" "$err" "healcap: interrupted by SIG$sig; removed [0-9]+ temporary file"
  expect_eq "$name: nothing left behind" "$(ls "$d" | grep -v -e '^out.fifo$' -e '^err$' | tr '\n' ' ')" ""
}
scan_o_case scan-o.TERM TERM 143 "$work/wide.vcf.gz"
scan_o_case scan-o.HUP HUP 129 "$work/wide.bcf"
set +m

# Both formats of a case: FILE.vcf.gz (bgzip) and FILE.bcf, made from the plain text FILE.vcf.
both_formats() {
  bgzip -c "$1.vcf" >"$1.vcf.gz"
  bcftools view -Ob -o "$1.bcf" "$1.vcf.gz" 2>/dev/null || fail "bcftools could not convert $1.vcf"
}
zcat "$example" >"$work/ex.vcf"
"$healcap" scan --out "$work/base" "$example" 2>/dev/null || fail "the example does not scan"

# ---- POS=0: counted and skipped, the rest of the file read ----
# A telomeric record (POS=0, as the VCF spec allows) before the first record of the first two contigs.
awk -F'\t' -v OFS='\t' '/^#/ { print; next } !seen[$1]++ && n < 2 { n++; z = $0; sub(/\t[0-9]+\t/, "\t0\t", z); print z } { print }' \
  "$work/ex.vcf" >"$work/pos0.vcf"
both_formats "$work/pos0"
for f in pos0.vcf.gz pos0.bcf; do
  run "$healcap" scan --out "$work/$f.out" "$work/$f"
  expect_rc "POS=0 records in $f: read" 0
  expect_match "POS=0 in $f: one counted warning" "$err" "$f: 2 records at POS=0 \(telomeres"
  expect_eq "POS=0 in $f: the same samples.tsv" "$(cat "$work/$f.out.samples.tsv")" "$(cat "$work/base.samples.tsv")"
  expect_match "POS=0 in $f: counted in the JSON" "$(cat "$work/$f.out.json")" '"n_records_at_pos_0":2,'
done
run "$healcap" annotate --build GRCh38 -o "$work/pos0.out.vcf.gz" "$work/pos0.vcf.gz"
expect_rc "annotate keeps POS=0 records" 0
expect_eq "annotate writes both POS=0 records" "$(bcftools view -H "$work/pos0.out.vcf.gz" | awk -F'\t' '$2 == 0' | wc -l)" 2
pos0=$(find "$corpus" -path '*4.2/passed/passed_body_pos.vcf' 2>/dev/null | head -1)
if [ -n "$pos0" ]; then
  run "$healcap" scan --out "$work/specpos0" --build GRCh37 --allow-no-hits "$pos0"
  expect_rc "hts-specs passed_body_pos.vcf (POS=0) is read" 0
fi

# ---- Truncated plain text: a last line without its newline ----
head -c -1 "$work/ex.vcf" >"$work/nonl.vcf"                            # only the final newline missing
head -c $(( $(stat -c %s "$work/ex.vcf") * 2 / 3 )) "$work/ex.vcf" >"$work/cut.vcf"  # cut mid-line
for f in nonl.vcf cut.vcf; do
  for t in 1 2; do
    run "$healcap" scan --threads $t --out "$work/$f.$t" "$work/$f"
    expect_rc "$f at $t threads: rejected" 1
    expect_one_line "$f at $t threads: one line" "$err"
    expect_match "$f at $t threads: says truncated, names the record before" "$err" \
      "$f: after (chr)?[0-9XY]+:[0-9]+: truncated: the last line is incomplete"
    expect_eq "$f at $t threads: no outputs" "$(ls "$work" | grep -c "^$f\.$t")" 0
  done
done
run "$healcap" annotate --build GRCh38 -o "$work/cut.out.vcf" "$work/cut.vcf"
expect_rc "annotate of a cut file: rejected" 1
expect_eq "annotate of a cut file: no output" "$(ls "$work" | grep -c '^cut.out')" 0

# ---- True one-line messages ----
message_case() {  # message_case NAME FILE REGEX: rejected with rc 1, one line matching REGEX, no output
  run "$healcap" scan --out "$work/msg.$1" "$2"
  expect_rc "$1: rejected" 1
  expect_one_line "$1: one line" "$err"
  expect_match "$1: names the cause" "$err" "$3"
  expect_eq "$1: no outputs" "$(ls "$work" | grep -c "^msg\.$1\.")" 0
}
chrom_line=$(grep -n '^#CHROM' "$work/ex.vcf" | cut -d: -f1)
awk -F'\t' -v OFS='\t' '/^#CHROM/ { $12 = $10 } { print }' "$work/ex.vcf" >"$work/dupsample.vcf"
message_case dup-samples "$work/dupsample.vcf" \
  "dupsample.vcf: malformed header: line $chrom_line: sample name '[^']+' appears twice in the #CHROM line \(columns 10 and 12\)"
awk '/^#CHROM/ { gsub(/\t/, " ") } { print }' "$work/ex.vcf" >"$work/spacehdr.vcf"
message_case space-header "$work/spacehdr.vcf" \
  "spacehdr.vcf: malformed header: line $chrom_line: the #CHROM line is separated by spaces, not tabs"
awk '/^#CHROM/ { $0 = $0 "\t" } { print }' "$work/ex.vcf" >"$work/trailtab.vcf"
message_case trailing-tab "$work/trailtab.vcf" "trailtab.vcf: malformed header: line $chrom_line: sample column [0-9]+ of the #CHROM line has no name \(a tab at the end"
first=$(grep -v '^#' "$work/ex.vcf" | head -1 | cut -f1,2 | tr '\t' :)
awk '!/^#/ && !done { gsub(/\t/, " "); done = 1 } { print }' "$work/ex.vcf" >"$work/spacerec.vcf"
message_case space-record "$work/spacerec.vcf" "spacerec.vcf: $first: malformed record: its columns are separated by spaces, not tabs"
bcftools view -Ob -o "$work/ex.bcf" "$example" 2>/dev/null
gzip -c "$work/ex.bcf" >"$work/twice.bcf.gz"
message_case bcf-gz "$work/twice.bcf.gz" "twice.bcf.gz: cannot open: it is compressed twice \(gzip over a BGZF file"
bcf21=$(find "$corpus" -name VcfThatLacksAnIndex.bcf 2>/dev/null | head -1)
[ -n "$bcf21" ] && message_case bcf-2.1 "$bcf21" "VcfThatLacksAnIndex.bcf: BCF version 2.1, which htslib cannot read"
# GenBank accessions with lengths (CM000663.2 is chr1 in GRCh38) are GRCh38's chromosomes.
for c in $(seq 22) X Y; do
  case $c in X) n=23 ;; Y) n=24 ;; *) n=$c ;; esac
  printf 'chr%s\tCM%06d.2\n' "$c" $((662 + n))
done >"$work/genbank.map"
bcftools annotate --rename-chrs "$work/genbank.map" -Oz -o "$work/genbank.vcf.gz" "$example" 2>/dev/null
run "$healcap" scan --out "$work/genbank" "$work/genbank.vcf.gz"
expect_rc "GenBank-named contigs (CM000663.2) scan" 0
expect_match "GenBank names: GRCh38 from the contig lengths" "$err" "GRCh38 \(header contig lengths: 24 of 24 primary contigs match GRCh38\)"
expect_eq "GenBank names give the chr-named file's samples.tsv" "$(cat "$work/genbank.samples.tsv" 2>/dev/null)" "$(cat "$work/base.samples.tsv")"

# ---- annotate: stale errno gone; the record without sample columns named in the input ----
grep '^#' "$work/ex.vcf" >"$work/nosamplecols.vcf"
grep -v '^#' "$work/ex.vcf" | head -3 | cut -f1-8 >>"$work/nosamplecols.vcf"
first3=$(grep -v '^#' "$work/ex.vcf" | head -1 | cut -f1,2 | tr '\t' :)
run "$healcap" annotate --build GRCh38 -o "$work/nsc.out.vcf.gz" "$work/nosamplecols.vcf"
expect_rc "annotate: a record without sample columns" 1
expect_one_line "no sample columns: one line" "$err"
expect_match "no sample columns: the input record and the cause" "$err" \
  "nosamplecols.vcf: $first3: malformed record: it has 0 sample columns, the header names 20"
expect_eq "no sample columns: no output" "$(ls "$work" | grep -c '^nsc.out')" 0

# ---- annotate: a header that lacks lines its records use gets them, with one counted warning ----
grep -v -e '^##contig' -e '^##FORMAT=<ID=GT' -e '^##INFO=<ID=DP' "$work/ex.vcf" >"$work/lacking.vcf"
bgzip -c "$work/lacking.vcf" >"$work/lacking.vcf.gz"  # bcftools cannot write it as BCF: its contigs are undefined
for f in lacking.vcf lacking.vcf.gz; do
  for t in 1 2; do
    run "$healcap" annotate --threads $t --build GRCh38 -o "$work/$f.$t.out.vcf.gz" "$work/$f"
    expect_rc "annotate $f ($t threads): missing header lines added" 0
    expect_eq "annotate $f ($t threads): one counted warning" "$(grep -c 'warning' <<<"$err")" 1
    expect_match "annotate $f ($t threads): the warning counts the lines" "$err" \
      "$f: the header lacks [0-9]+ lines that records use \(contig chr1, .*FORMAT GT"
    expect_eq "annotate $f ($t threads): every record written, as bcftools reads them" \
      "$(bcftools query -f '%CHROM:%POS[ %GT]\n' "$work/$f.$t.out.vcf.gz" 2>/dev/null | md5sum)" \
      "$(bcftools query -f '%CHROM:%POS[ %GT]\n' "$work/ex.vcf" | md5sum)"
  done
  run "$healcap" scan --build GRCh38 --out "$work/$f.scan" "$work/$f"
  expect_rc "scan $f: read again with the lines" 0
  expect_eq "scan $f: genotypes read although the header lacks ##FORMAT=<ID=GT>" \
    "$(cat "$work/$f.scan.samples.tsv" 2>/dev/null)" "$(cat "$work/base.samples.tsv")"
done
run "$healcap" annotate --build GRCh38 -o "$work/lacking.stdin.vcf.gz" - <"$work/lacking.vcf"
expect_rc "annotate of standard input lacking header lines: rejected" 1
expect_match "standard input cannot be read twice: says so" "$err" "standard input cannot be read again"

# ---- --validate: every record parsed as htslib would; the default checks only what it reads ----
bcftools view -Ob -o "$work/good.bcf" "$example" 2>/dev/null
for f in "$example" "$work/good.bcf"; do
  for t in 1 2; do
    run "$healcap" scan --validate --threads $t --out "$work/val.$t" "$f"
    expect_rc "--validate on a good $(basename "$f") at $t threads" 0
    expect_eq "--validate: the same samples.tsv ($(basename "$f"), $t threads)" "$(cat "$work/val.$t.samples.tsv")" "$(cat "$work/base.samples.tsv")"
  done
done
# An off-panel record that htslib rejects (a float in an Integer FORMAT field), in VCF.gz.
gts=$(printf '\t0/0:1.5%.0s' $(seq 20))
awk -v rec="chr22\t1000\t.\tA\tG\t50\tPASS\t.\tGT:DP$gts" '
  /^#CHROM/ { print "##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Read depth\">" }
  { print } END { printf "%s\n", rec }' "$work/ex.vcf" >"$work/offpanel.vcf"
bgzip -c "$work/offpanel.vcf" >"$work/offpanel.vcf.gz"
for t in 1 2; do
  run "$healcap" scan --threads $t --out "$work/offp.$t" "$work/offpanel.vcf.gz"
  expect_rc "default scan does not parse an off-panel record ($t threads)" 0
  run "$healcap" scan --validate --threads $t --out "$work/offv.$t" "$work/offpanel.vcf.gz"
  expect_rc "--validate rejects the malformed off-panel record ($t threads)" 1
  expect_one_line "--validate ($t threads): one line" "$err"
  expect_match "--validate ($t threads): names the record and the cause" "$err" "offpanel.vcf.gz: chr22:1000: malformed record: an invalid character"
  expect_eq "--validate ($t threads): no outputs" "$(ls "$work" | grep -c "^offv\.$t\.")" 0
done
run "$healcap" scan --validate --index "$example.tbi" --out "$work/x" "$example"
expect_rc "--validate with --index: refused" 2
# Corpus files that htslib rejects and the default scan reads (it never parses their bad records).
for f in bcftools/test/isec-miss.2.3.vcf hts-specs/test/vcf/4.2/failed/failed_body_chrom_000.vcf \
  hts-specs/test/vcf/4.2/failed/failed_body_sample_003.vcf hts-specs/test/vcf/4.3/failed/failed_body_format_006.vcf \
  debian-r-bioc-purecn/example_vcf.vcf.gz htsjdk/src/test/resources/htsjdk/variant/test_withNanQual.vcf; do
  [ -f "$corpus/$f" ] || continue
  run "$healcap" scan --build GRCh37 --allow-no-hits --out "$work/cd" "$corpus/$f"
  expect_rc "$f: the default scan reads it" 0
  run "$healcap" scan --validate --build GRCh37 --allow-no-hits --out "$work/cv" "$corpus/$f"
  expect_rc "$f: --validate rejects it, as htslib does" 1
  expect_match "$f: --validate names a record" "$err" "$(basename "$f"): [^ ]+:[0-9]+: malformed record"
done

# ---- A POS or END beyond htslib's limit (found by fuzzing: an int64 overflow) ----
awk -F'\t' -v OFS='\t' '!/^#/ && !done { $2 = "99999999999999999999"; done = 1 } { print }' "$work/ex.vcf" >"$work/hugepos.vcf"
message_case huge-pos "$work/hugepos.vcf" "hugepos.vcf: chr1:99999999999999999999: malformed record: POS is beyond htslib's limit"

# ---- A header-only .vcf.gz, at 1 and 2 threads (UBSan once saw memchr(NULL) there) ----
grep '^#' "$work/ex.vcf" | bgzip -c >"$work/header_only.vcf.gz"
for t in 1 2; do
  run "$healcap" scan --threads $t --allow-no-hits --out "$work/ho.$t" "$work/header_only.vcf.gz"
  expect_rc "a header-only .vcf.gz at $t threads" 0
  expect_eq "a header-only .vcf.gz at $t threads: stderr is healcap's" "$(grep -vc '^healcap' <<<"$err")" 0
done

# ---- stderr holds healcap's own lines only: no TBB warning when --threads exceeds the CPUs ----
# Two inputs run side by side, each on its own arena: an inner arena asked for more threads than an outer limit
# allowed, and TBB warned.
cp "$example" "$work/in1.vcf.gz"
bcftools view -Ob -o "$work/in2.bcf" "$example" 2>/dev/null
bcftools reheader -s <(bcftools query -l "$example" | sed 's/$/_b/') -o "$work/in2b.bcf" "$work/in2.bcf" 2>/dev/null
for t in 3 8 16; do
  run "$healcap" scan --threads $t --out "$work/tbb.$t" "$work/in1.vcf.gz" "$work/in2b.bcf"
  expect_rc "two inputs at --threads $t" 0
  expect_eq "two inputs at --threads $t: every stderr line is healcap's" "$(grep -vc '^healcap' <<<"$err")" 0
done
run "$healcap" annotate --threads 16 -o "$work/tbb.vcf.gz" "$example"
expect_eq "annotate at --threads 16: every stderr line is healcap's" "$(grep -vc '^healcap' <<<"$err")" 0

# ---- A full disk: no output of the run at all, or all of it ----
full=$work/full
mkdir -p "$full"
if mount -t tmpfs -o size=64k tmpfs "$full" 2>/dev/null; then
  umount "$full"
  "$healcap" scan --partial "$work/p1.hcp" --sample-shard 1/2 "$example" 2>/dev/null
  "$healcap" scan --partial "$work/p2.hcp" --sample-shard 2/2 "$example" 2>/dev/null
  "$healcap" scan --out "$work/ref.o" -o "$work/ref.o.vcf.gz" "$example" 2>/dev/null
  "$healcap" merge --out "$work/ref.m" "$work/p1.hcp" "$work/p2.hcp" 2>/dev/null
  "$healcap" annotate -o "$work/ref.a.vcf.gz" "$example" 2>/dev/null
  disk_case() {  # disk_case NAME SIZE REF_PREFIX OUTPUT_NAMES CMD... (outputs written in $full)
    local name=$1 size=$2 ref=$3 outs=$4
    shift 4
    mount -t tmpfs -o size="$size" tmpfs "$full"
    LSAN_OPTIONS="suppressions=$src/tests/cli/lsan_htslib_close.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}" run "$@"
    local left
    left=$(ls -A "$full" | tr '\n' ' ')
    if [ "$rc" -eq 0 ]; then
      local o ok=1
      for o in $outs; do
        case $o in
          *.vcf.gz) cmp -s <(bcftools view -H "$full/$o" 2>&1) <(bcftools view -H "$ref${o#out}" 2>&1) || ok=0 ;;
          *.json) [ "$(grep -v '"command_line"' "$full/$o" 2>/dev/null | sed 's|"path":"[^"]*"||g' | md5sum)" = \
                    "$(grep -v '"command_line"' "$ref${o#out}" | sed 's|"path":"[^"]*"||g' | md5sum)" ] || ok=0 ;;
          *) cmp -s "$full/$o" "$ref${o#out}" || ok=0 ;;
        esac
      done
      expect_eq "$name at $size: it fit, every output whole" "$ok" 1
    else
      expect_rc "$name at $size: fails" 1
      expect_one_line "$name at $size: one line" "$err"
      expect_match "$name at $size: says the disk is full" "$err" "No space left on device"
      expect_eq "$name at $size: nothing left behind" "$left" ""
    fi
    umount "$full"
  }
  # Sizes around each output in turn: samples.tsv ~4 KB, sites.tsv ~25 KB, the JSON ~200 KB, the VCF ~5 KB.
  for size in 4k 8k 16k 32k 64k 128k 208k 228k 236k 244k 252k 512k; do
    disk_case scan "$size" "$work/base" "out.samples.tsv out.sites.tsv out.json" "$healcap" scan --out "$full/out" "$example"
    disk_case scan-o "$size" "$work/ref.o" "out.samples.tsv out.sites.tsv out.json out.vcf.gz" \
      "$healcap" scan --out "$full/out" -o "$full/out.vcf.gz" "$example"
    disk_case annotate "$size" "$work/ref.a" "out.vcf.gz" "$healcap" annotate -o "$full/out.vcf.gz" "$example"
    disk_case merge "$size" "$work/ref.m" "out.samples.tsv out.sites.tsv out.json" \
      "$healcap" merge --out "$full/out" "$work/p1.hcp" "$work/p2.hcp"
  done
else
  echo "skip: a full disk: cannot mount a tmpfs here (needs root)"
fi

finish
