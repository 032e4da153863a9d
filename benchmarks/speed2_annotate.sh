#!/usr/bin/env bash
# Speed II, annotate (issue 13): healcap annotate VCF.gz -> VCF.gz beside its floor and its peers, side by side
# in one run, at 2 threads, medians of alternated runs (each rep runs every command once, in turn). Prints a
# Markdown table (wall, peak RSS from /usr/bin/time -v, ratios) and the targets, yes or NO:
#   - the verbatim path at most 1.3x the floor (inflate + deflate of the same bytes at the same level on the
#     same threads: benchmarks/inflate_deflate_floor.c, built here);
#   - at least 3x faster than bcftools annotate --threads 2 with the panel's sites as a tabix-indexed file;
#   - its records identical to the htslib path's (HEALCAP_VERBATIM=0): bcftools view -H of both, and the headers.
# And annotate -> BCF beside bcftools view -Ob --threads 2 of the same input (the cost of BCF encoding).
# Usage: benchmarks/speed2_annotate.sh PREFIX [REPS]     PREFIX.vcf.gz from scripts/make_cohort.py, e.g.
#   python3 scripts/make_cohort.py --samples 1000 --variants 400000 --out benchmarks/data/c1000
#   bash benchmarks/speed2_annotate.sh benchmarks/data/c1000 5
# HEALCAP=/path/to/healcap: the binary measured (default: build/pipeline/healcap). THREADS (2) and LEVEL (6,
# htslib's default) change the thread count and the compression level of every command.
set -euo pipefail
abspath() { case $1 in /*) echo "$1" ;; */*) echo "$PWD/$1" ;; *) command -v "$1" || echo "$1" ;; esac; }
[ -n "${HEALCAP:-}" ] && HEALCAP=$(abspath "$HEALCAP")
prefix=$(abspath "$1")
reps=${2:-5}
threads=${THREADS:-2}
level=${LEVEL:-6}
cd "$(dirname "$0")/.."
bin=${HEALCAP:-$PWD/build/pipeline/healcap}
vcf=$prefix.vcf.gz
[ -e "$vcf" ] || { echo "missing $vcf" >&2; exit 1; }
[ -x "$bin" ] || { echo "not an executable healcap: $bin" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The floor program, and the panel's sites as bcftools annotate's tabix-indexed annotation file.
gcc -O2 -o "$tmp/floor" benchmarks/inflate_deflate_floor.c -ldeflate -lpthread
"$bin" panel export --build GRCh38 --format vcf -o "$tmp/panel.vcf.gz" 2>/dev/null
tabix -f -p vcf "$tmp/panel.vcf.gz"

names=(floor "healcap annotate -> VCF.gz (verbatim)" "healcap annotate -> VCF.gz (htslib, HEALCAP_VERBATIM=0)"
  "bcftools annotate -> VCF.gz" "healcap annotate -> BCF" "bcftools view -Ob")
run_one() {  # run_one INDEX: the command of names[INDEX]
  case $1 in
    0) "$tmp/floor" "$vcf" "$threads" "$level" ;;
    1) "$bin" annotate --quiet --threads "$threads" -l "$level" -o "$tmp/new.vcf.gz" "$vcf" ;;
    2) HEALCAP_VERBATIM=0 "$bin" annotate --quiet --threads "$threads" -l "$level" -o "$tmp/old.vcf.gz" "$vcf" ;;
    3) bcftools annotate --threads "$threads" -a "$tmp/panel.vcf.gz" -c ID -m +HC_PANEL -Oz"$level" \
         -o "$tmp/bcftools.vcf.gz" "$vcf" ;;
    4) "$bin" annotate --quiet --threads "$threads" -l "$level" -O b -o "$tmp/new.bcf" "$vcf" ;;
    5) bcftools view --threads "$threads" -Ob"$level" -o "$tmp/view.bcf" "$vcf" ;;
  esac
}
declare -A wall rss
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for _ in $(seq "$reps"); do
  for i in "${!names[@]}"; do
    /usr/bin/time -v -o "$tmp/time" bash -c "$(declare -f run_one); $(declare -p tmp vcf bin threads level); run_one $i" \
      >"$tmp/out" 2>"$tmp/err" || { echo "failed: ${names[$i]}: $(tail -3 "$tmp/err")" >&2; exit 1; }
    w=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (k = 1; k <= n; k++) s = s * 60 + p[k]; print s }' "$tmp/time")
    r=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tmp/time")
    wall[$i]="${wall[$i]:-} $w"
    [ "$r" -gt "${rss[$i]:-0}" ] && rss[$i]=$r
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
median() { printf '%s\n' $1 | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
spread() { printf '%s\n' $1 | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.2f-%.2f", lo, hi }'; }
lowest() { printf '%s\n' $1 | sort -g | head -1; }
for i in "${!names[@]}"; do
  med[$i]=$(median "${wall[$i]}")
  low[$i]=$(lowest "${wall[$i]}")
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
yes_no() { awk -v x="$1" -v op="$2" -v y="$3" 'BEGIN { ok = op == "<=" ? x <= y : x >= y; print ok ? "yes" : "NO" }'; }

# Identical records: bcftools view -H of the verbatim and htslib paths' outputs, and their headers but for the
# ##healcapCommand line (it names each run's own output file); also the decompressed bytes.
same_records=NO
cmp -s <(bcftools view -H "$tmp/new.vcf.gz") <(bcftools view -H "$tmp/old.vcf.gz") &&
  cmp -s <(bcftools view --no-version -h "$tmp/new.vcf.gz" | grep -v '^##healcapCommand=') <(bcftools view --no-version -h "$tmp/old.vcf.gz" | grep -v '^##healcapCommand=') &&
  same_records=yes
same_bytes=no
cmp -s <(bgzip -dc "$tmp/new.vcf.gz" | grep -v '^##healcapCommand=') <(bgzip -dc "$tmp/old.vcf.gz" | grep -v '^##healcapCommand=') && same_bytes=yes
tabix -p vcf "$tmp/new.vcf.gz" && indexable=yes || indexable=NO
hits=$(bcftools view -H -i 'INFO/HC_ID!="."' "$tmp/new.vcf.gz" 2>/dev/null | wc -l)

n_rec=$(bcftools index -n "$vcf" 2>/dev/null || echo "?")
echo "## annotate VCF.gz -> VCF.gz at the compression limit (issue 13)"
echo
echo "Input: \`$vcf\` ($(bcftools query -l "$vcf" | wc -l) samples, $n_rec records, $(du -h "$vcf" | cut -f1)); $threads threads; BGZF level $level;"
echo "medians of $reps alternated runs; $(nproc) CPUs: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //');"
echo "load average $load_before before, $load_after after (other work on the machine shows here and in the spread)."
echo "Command: \`bash benchmarks/speed2_annotate.sh $1 $reps\`"
echo
echo "| command | wall (s) | runs (s) | peak RSS (MB) | x floor | output (MB) |"
echo "|---|---:|---:|---:|---:|---:|"
out_of=("" "$tmp/new.vcf.gz" "$tmp/old.vcf.gz" "$tmp/bcftools.vcf.gz" "$tmp/new.bcf" "$tmp/view.bcf")
for i in "${!names[@]}"; do
  size="-"
  [ -n "${out_of[$i]}" ] && size=$(awk -v b="$(stat -c %s "${out_of[$i]}")" 'BEGIN { printf "%.1f", b / 1048576 }')
  printf '| %s | %.2f | %s | %.0f | %s | %s |\n' "${names[$i]}" "${med[$i]}" "$(spread "${wall[$i]}")" \
    "$(awk -v k="${rss[$i]}" 'BEGIN { print k / 1024 }')" \
    "$(ratio "${med[$i]}" "${med[0]}")" "$size"
done
echo
echo "| target | measured | met |"
echo "|---|---|---|"
echo "| verbatim annotate <= 1.3x floor | $(ratio "${med[1]}" "${med[0]}")x (fastest runs: $(ratio "${low[1]}" "${low[0]}")x) | $(yes_no "$(ratio "${med[1]}" "${med[0]}")" "<=" 1.3) |"
echo "| >= 3x faster than bcftools annotate | $(ratio "${med[3]}" "${med[1]}")x (fastest runs: $(ratio "${low[3]}" "${low[1]}")x) | $(yes_no "$(ratio "${med[3]}" "${med[1]}")" ">=" 3) |"
echo "| output identical to the htslib path (bcftools view -H, header) | $hits panel-hit records tagged; decompressed bytes equal: $same_bytes | $same_records |"
echo "| output indexable (tabix -p vcf) | | $indexable |"
echo
echo "Also: the verbatim path is $(ratio "${med[2]}" "${med[1]}")x faster than the htslib path; annotate -> BCF takes" \
  "$(ratio "${med[4]}" "${med[5]}")x the time of bcftools view -Ob (BCF encoding, which nothing can skip)."
