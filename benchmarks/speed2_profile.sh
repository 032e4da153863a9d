#!/usr/bin/env bash
# Where the time goes (issue 13): a perf profile of each Speed II path on the same files, printed as the share
# of samples per library and the top symbols. perf's default event is used (this machine's VM has no `cycles`
# counter, so perf falls back to a software clock).
# Usage: benchmarks/speed2_profile.sh PREFIX [WIDE_PREFIX]   (PREFIX.vcf.gz from make_cohort.py; WIDE_PREFIX.bcf a
# wide cohort, e.g. benchmarks/data/w100000)
set -euo pipefail
abspath() { case $1 in /*) echo "$1" ;; */*) echo "$PWD/$1" ;; *) command -v "$1" || echo "$1" ;; esac; }
[ -n "${HEALCAP:-}" ] && HEALCAP=$(abspath "$HEALCAP")
cd "$(dirname "$0")/.."
prefix=$1
wide=${2:-}
bin=${HEALCAP:-$PWD/build/pipeline/healcap}
command -v perf >/dev/null || { echo "perf is not installed (apt-get install linux-perf)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -O2 -o "$tmp/inflate_floor" benchmarks/inflate_floor.c -ldeflate -lpthread

addresses() {  # addresses PERF_DATA: the libdeflate addresses sampled
  perf report -i "$1" --no-children --sort dso,sym --stdio -g none 2>/dev/null | awk '/libdeflate/ { print $NF }' | sort -u
}
# libdeflate is stripped: its addresses are named by two calibration runs, the inflate floor without and with
# the CRC check: addresses of the first are "inflate", those only in the second "crc32", any other "deflate".
perf record -q -o "$tmp/cal1" -- "$tmp/inflate_floor" "$prefix.vcf.gz" 1 >/dev/null 2>&1
perf record -q -o "$tmp/cal2" -- "$tmp/inflate_floor" --crc "$prefix.vcf.gz" 1 >/dev/null 2>&1
addresses "$tmp/cal1" >"$tmp/inflate.addr"
addresses "$tmp/cal2" | comm -23 - "$tmp/inflate.addr" >"$tmp/crc.addr"

profile() {  # profile TITLE CMD...
  local title=$1; shift
  perf record -q -o "$tmp/perf.data" -- "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
  echo "#### $title"
  echo
  echo '```'
  perf report -i "$tmp/perf.data" --no-children --sort dso,sym --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' |
    python3 -c '
import sys
inflate = set(open(sys.argv[1]).read().split()); crc = set(open(sys.argv[2]).read().split())
per_dso, per_sym = {}, {}
for l in sys.stdin:
    f = l.split()
    pct = float(f[0].rstrip("%")); dso = f[1]; sym = " ".join(f[3:])
    if dso.startswith("libdeflate"):
        sym = "libdeflate: inflate" if f[-1] in inflate else "libdeflate: crc32" if f[-1] in crc else "libdeflate: deflate (or other)"
    per_dso[dso] = per_dso.get(dso, 0) + pct
    per_sym[sym[:100]] = per_sym.get(sym[:100], 0) + pct
print("by library:", ", ".join("%s %.1f%%" % (d, p) for d, p in sorted(per_dso.items(), key=lambda x: -x[1])[:6]))
for s, p in sorted(per_sym.items(), key=lambda x: -x[1])[:12]:
    print("  %5.1f%%  %s" % (p, s))
' "$tmp/inflate.addr" "$tmp/crc.addr"
  echo '```'
  echo
}
"$bin" panel export --build GRCh38 --format bed -o "$tmp/panel.bed" 2>/dev/null
profile "healcap scan --stream, VCF.gz, 2 threads" "$bin" scan --stream --threads 2 --out "$tmp/s" "$prefix.vcf.gz"
profile "healcap scan --stream, BCF, 2 threads" "$bin" scan --stream --threads 2 --out "$tmp/b" "$prefix.bcf"
profile "healcap scan indexed, VCF.gz, 2 threads (10 runs)" bash -c \
  'for _ in 1 2 3 4 5 6 7 8 9 10; do "$0" scan --threads 2 --out "$1" "$2" || exit 1; done' "$bin" "$tmp/i" "$prefix.vcf.gz"
profile "healcap annotate VCF.gz -> VCF.gz, 2 threads" "$bin" annotate --threads 2 -o "$tmp/a.vcf.gz" "$prefix.vcf.gz"
profile "healcap annotate VCF.gz -> BCF, 2 threads" "$bin" annotate --threads 2 -o "$tmp/a.bcf" "$prefix.vcf.gz"
if [ -n "$wide" ]; then
  profile "healcap scan, wide BCF ($(basename "$wide")), 2 threads" "$bin" scan --threads 2 --out "$tmp/w" "$wide.bcf"
fi
