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
set +m

finish
