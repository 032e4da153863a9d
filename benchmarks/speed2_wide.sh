#!/usr/bin/env bash
# Speed II, wide cohorts (issue 13): healcap scan beside plink2 --score on 20,000- and 100,000-sample x 2,000-variant
# cohorts, VCF.gz and BCF, 2 threads, the bundled panel, default options; the before binary in the same run. Prints a
# Markdown table (median wall of alternated runs, peak RSS from /usr/bin/time -v, ratios) and the targets met.
# Usage: benchmarks/speed2_wide.sh [REPS] [SIZES]
#   REPS   runs of each command, alternated command by command (default 3); the median wall is reported, the max RSS
#   SIZES  sample counts, comma- or space-separated (default: $WIDE, else 20000,100000; run_speed2.sh sets WIDE);
#          benchmarks/data/wN.{vcf.gz,bcf} are made with
#          scripts/make_cohort.py --samples N --variants 2000 when absent (benchmarks/data may be a shared folder:
#          nothing there is deleted, a cohort is written under a temporary name and moved into place)
# HEALCAP=/path/to/healcap: the binary measured (default: build/pipeline/healcap under the repository).
# BEFORE=/path/to/older/healcap: measured beside it (default: none; BEFORE=
#   none: not measured).
# Targets at 100,000 samples (VCF.gz and BCF): peak RSS <= 2 GiB, and plink2 --score's wall / healcap's >= 5.
set -euo pipefail
abspath() { case $1 in /*) echo "$1" ;; */*) echo "$PWD/$1" ;; *) command -v "$1" || echo "$1" ;; esac; }
[ -n "${HEALCAP:-}" ] && HEALCAP=$(abspath "$HEALCAP")
before=${BEFORE:-}
[ "$before" = none ] && before=
[ -n "$before" ] && before=$(abspath "$before")
cd "$(dirname "$0")/.."
reps=${1:-3}
sizes=${2:-${WIDE:-20000,100000}}
sizes=${sizes// /,}
bin=${HEALCAP:-$PWD/build/pipeline/healcap}
threads=2
for f in "$bin" ${before:+"$before"}; do [ -f "$f" ] && [ -x "$f" ] || { echo "not an executable healcap: $f" >&2; exit 1; }; done
command -v plink2 >/dev/null || { echo "plink2 is not installed" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is not installed (Debian: apt-get install time)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p benchmarks/data

# The cohorts, made when absent: under a temporary name, then moved into place (another run may share the folder).
for n in ${sizes//,/ }; do
  p=benchmarks/data/w$n
  [ -e "$p.vcf.gz" ] && [ -e "$p.vcf.gz.tbi" ] && [ -e "$p.bcf" ] && [ -e "$p.bcf.csi" ] && continue
  part=$p.part$$
  echo "making $p (scripts/make_cohort.py --samples $n --variants 2000)" >&2
  python3 scripts/make_cohort.py --samples "$n" --variants 2000 --out "$part" >&2
  for ext in vcf.gz vcf.gz.tbi bcf bcf.csi; do mv "$part.$ext" "$p.$ext"; done
done

# plink2's score file: the additive rows of the bundled panel that healcap scores by default (benchmarks/run_suite.sh),
# by CHROM:POS:REF:ALT; and those rows as a panel, for the sums' parity.
bash benchmarks/additive_panel.sh gene_panels/healing_panel.tsv "$tmp/plink.score" "$tmp/additive.tsv"

# time_one NAME CMD...: one run under /usr/bin/time -v; appends "NAME<TAB>wall s<TAB>max RSS KiB" to $tmp/times.
time_one() {
  local name=$1 wall rss
  shift
  /usr/bin/time -v -o "$tmp/time" "$@" >/dev/null 2>"$tmp/err" || { echo "failed: $name: $(tail -3 "$tmp/err")" >&2; exit 1; }
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$tmp/time")
  rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tmp/time")
  printf '%s\t%s\t%s\n' "$name" "$wall" "$rss" >>"$tmp/times"
}
: >"$tmp/times"
names=()
for n in ${sizes//,/ }; do
  for fmt in vcf.gz bcf; do
    in=benchmarks/data/w$n.$fmt
    flag=--vcf
    [ "$fmt" = bcf ] && flag=--bcf
    # One untimed run of each first (the page cache, and a check that it works), then REPS rounds, each command once
    # per round in turn.
    cmds=("healcap|$n|$fmt" "plink2|$n|$fmt")
    [ -n "$before" ] && cmds=("healcap|$n|$fmt" "before|$n|$fmt" "plink2|$n|$fmt")
    for round in $(seq 0 "$reps"); do
      for c in "${cmds[@]}"; do
        who=${c%%|*}
        out=$tmp/$who.$n.$fmt
        case $who in
          healcap) cmd=("$bin" scan --threads $threads --out "$out" "$in") ;;
          before) cmd=("$before" scan --threads $threads --out "$out" "$in") ;;
          plink2) cmd=(plink2 $flag "$in" --score "$tmp/plink.score" 1 2 3 no-mean-imputation cols=+scoresums
            --set-all-var-ids '@:#:$r:$a' --new-id-max-allele-len 1000 --threads $threads --out "$out") ;;
        esac
        # The previous run's outputs go first, untimed: a run is not charged for deleting another's 500 MB JSON.
        rm -f "$out".*
        if [ "$round" = 0 ]; then
          "${cmd[@]}" >/dev/null 2>"$tmp/err" || { echo "failed: ${cmd[*]}: $(tail -3 "$tmp/err")" >&2; exit 1; }
          names+=("$c")
        else
          time_one "$c" "${cmd[@]}"
        fi
      done
    done
    # Parity: healcap's additive sums equal plink2's; the before binary writes the same samples.tsv.
    "$bin" scan --quiet --threads $threads --panel "$tmp/additive.tsv" --out "$tmp/add.$n.$fmt" "$in"
    c=$(awk -F'\t' '!/^#/ { for (i = 1; i <= NF; i++) if ($i == "weighted_sum") { print i; exit } }' "$tmp/add.$n.$fmt.samples.tsv")
    bad=$(awk -F'\t' -v c="$c" 'NR == FNR { if (FNR > 1) p[$1] = $NF; next } /^#/ || $1 == "sample" { next }
      { d = $c - p[$1]; if (d < 0) d = -d; if (!($1 in p) || d > 1e-3) bad++ } END { print bad + 0 }' "$tmp/plink2.$n.$fmt.sscore" "$tmp/add.$n.$fmt.samples.tsv")
    parity="additive sums = plink2's: $([ "$bad" = 0 ] && echo ok || echo "FAILED ($bad samples differ)")"
    if [ -n "$before" ]; then
      parity+="; samples.tsv before = after: $(cmp -s "$tmp/before.$n.$fmt.samples.tsv" "$tmp/healcap.$n.$fmt.samples.tsv" && echo ok || echo FAILED)"
    fi
    echo "$n	$fmt	$parity" >>"$tmp/parity"
    rm -f "$tmp"/*."$n.$fmt".* 2>/dev/null || true  # the runs' outputs (hundreds of MB at 100,000 samples)
  done
done

median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
wall_of() { awk -F'\t' -v n="$1" '$1 == n { print $2 }' "$tmp/times" | median; }
rss_of() { awk -F'\t' -v n="$1" '$1 == n && $3 > m { m = $3 } END { print m + 0 }' "$tmp/times"; }
yes_no() { awk -v ok="$1" 'BEGIN { print (ok ? "yes" : "NO") }'; }

echo "Cohorts: scripts/make_cohort.py --samples N --variants 2000 (GT only; $(bcftools index -n benchmarks/data/w${sizes%%,*}.bcf 2>/dev/null) records)," \
  "the bundled panel, default options, --threads $threads; $(nproc) cores; median wall of $reps alternated runs, max peak RSS" \
  "(/usr/bin/time -v)."
echo "healcap: $bin$([ -n "$before" ] && echo "; before: $before")"
echo "Command: benchmarks/speed2_wide.sh $reps $sizes"
while IFS=$'\t' read -r n fmt p; do echo "Parity, $n samples, $fmt: $p"; done <"$tmp/parity"
echo
echo "| samples | input | command | wall (s) | peak RSS (MiB) | plink2 wall / this |"
echo "|---|---|---|---|---|---|"
for c in "${names[@]}"; do
  IFS='|' read -r who n fmt <<<"$c"
  w=$(wall_of "$c")
  r=$(rss_of "$c")
  p=$(wall_of "plink2|$n|$fmt")
  label="healcap scan"
  [ "$who" = before ] && label="healcap scan (before)"
  [ "$who" = plink2 ] && label="plink2 --score"
  awk -v n="$n" -v f="$fmt" -v l="$label" -v w="$w" -v r="$r" -v p="$p" \
    'BEGIN { printf "| %d | %s | %s | %.2f | %.0f | %.2f |\n", n, f, l, w, r / 1024, (w > 0 ? p / w : 0) }'
done
echo
echo "| target | bound | samples | input | before | after | met before | met after |"
echo "|---|---|---|---|---|---|---|---|"
for n in ${sizes//,/ }; do
  for fmt in vcf.gz bcf; do
    p=$(wall_of "plink2|$n|$fmt")
    a=$(wall_of "healcap|$n|$fmt")
    ra=$(rss_of "healcap|$n|$fmt")
    b=- rb=- sb=- mb=- mrb=-
    if [ -n "$before" ]; then
      b=$(wall_of "before|$n|$fmt")
      rb=$(rss_of "before|$n|$fmt")
    fi
    sa=$(awk -v p="$p" -v w="$a" 'BEGIN { printf "%.2f", p / w }')
    [ -n "$before" ] && sb=$(awk -v p="$p" -v w="$b" 'BEGIN { printf "%.2f", p / w }')
    [ -n "$before" ] && mb=$(yes_no "$(awk -v s="$sb" 'BEGIN { print (s >= 5) }')")
    [ -n "$before" ] && mrb=$(yes_no "$(awk -v r="$rb" 'BEGIN { print (r <= 2097152) }')")
    printf '| plink2 --score wall / healcap wall | >= 5 | %s | %s | %s | %s | %s | %s |\n' "$n" "$fmt" "$sb" "$sa" "$mb" \
      "$(yes_no "$(awk -v s="$sa" 'BEGIN { print (s >= 5) }')")"
    printf '| healcap peak RSS | <= 2048 MiB | %s | %s | %s | %s | %s | %s |\n' "$n" "$fmt" \
      "$([ -n "$before" ] && awk -v r="$rb" 'BEGIN { printf "%.0f MiB", r / 1024 }' || echo -)" \
      "$(awk -v r="$ra" 'BEGIN { printf "%.0f MiB", r / 1024 }')" "$mrb" "$(yes_no "$(awk -v r="$ra" 'BEGIN { print (r <= 2097152) }')")"
  done
done
echo
echo "(The targets are set for 100,000 samples; 20,000 is reported beside them.)"
