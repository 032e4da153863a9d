#!/usr/bin/env bash
# The progress line, on a real terminal: util-linux `script` gives healcap a pty. A run long enough to draw it
# shows lines with every field and erases the last before its own lines (also when a signal ends it); --quiet
# and a stderr that is not a terminal get none; the outputs are the same bytes either way. VCF.gz and BCF.
# Usage: test_progress.sh HEALCAP SOURCE_DIR
set -uo pipefail
healcap=$(readlink -f "$1")
src=$(readlink -f "$2")
. "$src/tests/cli/lib.sh"
check=$src/tests/cli/check_progress_log.py
command -v script >/dev/null || { echo "script (util-linux, bsdutils) is needed"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TERM=xterm  # whatever the caller's (a CI job may have none, or 'dumb', which gets no progress line)
export HEALCAP_PROGRESS_MS=20  # a line every 20 ms, not 250: a run on a fast machine still draws several

# About a second of work per run at one thread: annotate writes every record, scan --validate parses every one.
python3 "$src/scripts/make_cohort.py" --samples 100 --variants 100000 --out "$work/c" >/dev/null 2>&1 ||
  { fail "make_cohort.py could not make the cohort"; finish; exit 1; }

# on_tty DIR CMD: runs CMD (a shell command) in DIR under a pty; the terminal's text goes to DIR/tty.log.
on_tty() {
  mkdir -p "$1"
  (cd "$1" && script -qfec "$2" /dev/null >tty.log 2>&1)
}

for in in "$work/c.vcf.gz" "$work/c.bcf"; do
  kind=${in##*.}
  a="annotate --threads 1 -o out.vcf.gz $in"
  on_tty "$work/$kind.tty" "$healcap $a"
  rc=$?
  expect_rc "$kind: annotate on a terminal" 0
  r=$(python3 "$check" "$work/$kind.tty/tty.log" shown "healcap annotate" "healcap annotate: $in: " 2>&1)
  rc=$?
  expect_rc "$kind: annotate draws progress lines with every field, then erases the line: $r" 0
  on_tty "$work/$kind.quiet" "$healcap $a --quiet"
  r=$(python3 "$check" "$work/$kind.quiet/tty.log" none 2>&1)
  rc=$?
  expect_rc "$kind: annotate --quiet draws no progress line $r" 0
  expect_eq "$kind: annotate --quiet prints nothing else either" "$(cat "$work/$kind.quiet/tty.log")" ""
  on_tty "$work/$kind.file" "$healcap $a 2>err.txt"
  r=$(python3 "$check" "$work/$kind.file/tty.log" none 2>&1 && python3 "$check" "$work/$kind.file/err.txt" none 2>&1)
  rc=$?
  expect_rc "$kind: annotate with stderr in a file draws no progress line $r" 0
  expect_match "$kind: ... and still says what it wrote" "$(cat "$work/$kind.file/err.txt")" "^healcap annotate: [0-9]+ records written"
  if cmp -s "$work/$kind.tty/out.vcf.gz" "$work/$kind.file/out.vcf.gz"; then pass "$kind: annotate output is the same bytes on a terminal"
  else fail "$kind: annotate output differs on a terminal"; fi
  # --quiet changes the command line in the header, nothing else.
  if diff -q <(zcat "$work/$kind.quiet/out.vcf.gz" | grep -v '^##healcapCommand=') \
             <(zcat "$work/$kind.file/out.vcf.gz" | grep -v '^##healcapCommand=') >/dev/null; then
    pass "$kind: annotate --quiet output is the same records and header"
  else fail "$kind: annotate --quiet output differs"; fi
  # Standard output a file, standard error the terminal: the progress line still goes to stderr.
  on_tty "$work/$kind.stdout" "$healcap annotate --threads 1 $in >out.vcf"
  r=$(python3 "$check" "$work/$kind.stdout/tty.log" shown "healcap annotate" "healcap annotate: $in: " 2>&1)
  rc=$?
  expect_rc "$kind: annotate to standard output draws its progress on stderr: $r" 0
  if diff -q <(grep -v '^##healcapCommand=' "$work/$kind.stdout/out.vcf") \
             <(zcat "$work/$kind.file/out.vcf.gz" | grep -v '^##healcapCommand=') >/dev/null; then
    pass "$kind: ... and the records on stdout are untouched"
  else fail "$kind: annotate's standard output differs or holds an escape code"; fi
done

# scan over the VCF.gz and the BCF (its samples renamed) in one run: files done of two, then the bytes of both.
# The outputs do not depend on the terminal.
bcftools query -l "$work/c.bcf" | sed 's/^/b_/' >"$work/names.txt"
bcftools reheader -s "$work/names.txt" -o "$work/c2.bcf" "$work/c.bcf" || fail "bcftools reheader"
s="scan --validate --threads 1 --out out $work/c.vcf.gz $work/c2.bcf"
on_tty "$work/scan.tty" "$healcap $s"
r=$(python3 "$check" "$work/scan.tty/tty.log" shown "healcap scan" "healcap scan: 2 inputs read" 2>&1)
rc=$?
expect_rc "scan of two inputs on a terminal draws progress lines with every field, then erases the line: $r" 0
expect_match "scan of two inputs: the lines count the files" "$(tr '\r' '\n' <"$work/scan.tty/tty.log")" "^healcap scan: [0-2]/2 files, "
on_tty "$work/scan.file" "$healcap $s 2>err.txt"
r=$(python3 "$check" "$work/scan.file/err.txt" none 2>&1)
rc=$?
expect_rc "scan with stderr in a file draws no progress line $r" 0
for f in out.samples.tsv out.sites.tsv out.json; do
  if cmp -s "$work/scan.tty/$f" "$work/scan.file/$f"; then pass "scan: $f is the same bytes with and without a terminal"
  else fail "scan: $f differs with a terminal"; fi
done

# A signal: the line is erased before the signal's own line. The input comes through a FIFO that stalls
# after part of the file, so healcap is mid-run (and its size unknown: bytes read, no total) when it comes.
mkdir -p "$work/sig"
mkfifo "$work/sig/in.fifo"
(cd "$work/sig" && script -qfec "$healcap scan --out out - <in.fifo & echo \$! >pid; wait \$!" /dev/null >tty.log 2>&1) &
session=$!
exec 3>"$work/sig/in.fifo"
head -c 600000 "$work/c.vcf.gz" >&3
for i in $(seq 100); do
  grep -q 'records, ' "$work/sig/tty.log" 2>/dev/null && break
  sleep 0.1
done
kill -TERM "$(cat "$work/sig/pid")"
wait "$session"
exec 3>&-
r=$(python3 "$check" "$work/sig/tty.log" shown "healcap scan" "healcap: interrupted by SIGTERM" 2>&1)
rc=$?
expect_rc "SIGTERM mid-run: the progress line (bytes read, no total) is erased before the signal's line: $r" 0
expect_eq "SIGTERM mid-run: no output" "$(ls "$work/sig" | grep -v -e '^in.fifo$' -e '^tty.log$' -e '^pid$' | tr '\n' ' ')" ""

finish
