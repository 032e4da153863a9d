#!/usr/bin/env bash
# The speed suite: healcap beside its peers and the decompression limit, on the same file in the same run, at
# 1 and 2 threads, with output parity against plink2; prints a Markdown report with the issue-5 targets.
# Usage: benchmarks/run_suite.sh PREFIX [REPS]
#   PREFIX.vcf.gz(.tbi) and PREFIX.bcf(.csi) from scripts/make_cohort.py, e.g.
#   python3 scripts/make_cohort.py --samples 1000 --variants 400000 --out benchmarks/data/c1000
#   bash benchmarks/run_suite.sh benchmarks/data/c1000 5
# With SMOKE=1 it runs each command once and checks only that they run and agree (CI).
# HEALCAP=/path/to/healcap: the binary measured (default: build/pipeline/healcap under the repository).
# BEFORE=/path/to/older/healcap: every healcap command is also measured with this binary in the same run,
# alternating the two rep by rep, and the report adds before/after walls, ratios and parity.
set -euo pipefail
abspath() { case $1 in /*) echo "$1" ;; */*) echo "$PWD/$1" ;; *) command -v "$1" || echo "$1" ;; esac; }
[ -n "${HEALCAP:-}" ] && HEALCAP=$(abspath "$HEALCAP")
[ -n "${BEFORE:-}" ] && BEFORE=$(abspath "$BEFORE")
cd "$(dirname "$0")/.."
prefix=$1
reps=${2:-5}
[ "${SMOKE:-0}" = 1 ] && reps=1
bin=${HEALCAP:-$PWD/build/pipeline/healcap}
before=${BEFORE:-}
vcf=$prefix.vcf.gz
bcf=$prefix.bcf
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in "$vcf" "$vcf.tbi" "$bcf" "$bcf.csi"; do [ -e "$f" ] || { echo "missing $f" >&2; exit 1; }; done
for f in "$bin" ${before:+"$before"}; do [ -f "$f" ] && [ -x "$f" ] || { echo "not an executable healcap: $f" >&2; exit 1; }; done
[ -z "$before" ] || mkdir "$tmp/before"

"$bin" panel export --build GRCh38 --format bed -o "$tmp/panel.bed" 2>/dev/null
"$bin" panel export --build GRCh38 --format vcf -o "$tmp/panel.vcf" 2>/dev/null
bash benchmarks/additive_panel.sh gene_panels/healing_panel.tsv "$tmp/plink.score" "$tmp/additive.tsv"

declare -a names walls rsss bwalls brsss  # bwalls/brsss: the BEFORE binary's figures, empty for peers
# GNU time reports whole hundredths of a second: a command that runs in under a second is timed over
# `inner` back-to-back runs inside one measurement and its wall time divided by `inner`.
warm_up() {  # warm_up NAME CMD...: one untimed run that must succeed; sets inner (10 if it took under a second)
  local name=$1 line; shift
  /usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >/dev/null 2>"$tmp/err" || { echo "failed: $name: $(tail -2 "$tmp/err")" >&2; exit 1; }
  line=$(tail -1 "$tmp/time")
  inner=1
  if [ "${SMOKE:-0}" != 1 ] && awk -v t="${line% *}" 'BEGIN { exit !(t < 1.0) }'; then inner=10; fi
}
timed() {  # timed NAME INNER CMD...: one measurement of INNER back-to-back runs; sets wall (s per run) and rss (KiB)
  local name=$1 k=$2 line; shift 2
  /usr/bin/time -f '%e %M' -o "$tmp/time" bash -c 'for _ in $(seq "$0"); do "$@" >/dev/null 2>&1 || exit 1; done' "$k" "$@" ||
    { echo "failed: $name" >&2; exit 1; }
  line=$(tail -1 "$tmp/time")
  wall=$(awk -v t="${line% *}" -v k="$k" 'BEGIN { printf "%.4f", t / k }')
  rss=${line#* }
}
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
measure() {  # measure NAME CMD...: median wall seconds and max RSS over $reps runs
  local name=$1; shift
  local w=() r=0
  warm_up "$name" "$@"
  for _ in $(seq "$reps"); do
    timed "$name" "$inner" "$@"
    w+=("$wall")
    [ "$rss" -gt "$r" ] && r=$rss
  done
  names+=("$name"); walls+=("$(median "${w[@]}")"); rsss+=("$r"); bwalls+=(""); brsss+=("")
}
# measure_healcap NAME ARGS...: healcap ARGS, where @O@ in ARGS is the output directory. With BEFORE set, both
# binaries are measured rep by rep in turn (before, after, before, after, ...) with the same inner count, the
# BEFORE binary writing under $tmp/before.
measure_healcap() {
  local name=$1; shift
  local a=("$bin" "${@//@O@/$tmp}")
  if [ -z "$before" ]; then measure "$name" "${a[@]}"; return 0; fi
  local b=("$before" "${@//@O@/$tmp/before}") wa=() wb=() ra=0 rb=0 k
  warm_up "$name (BEFORE)" "${b[@]}"; k=$inner
  warm_up "$name" "${a[@]}"; [ "$inner" -gt "$k" ] && k=$inner
  for _ in $(seq "$reps"); do
    timed "$name (BEFORE)" "$k" "${b[@]}"
    wb+=("$wall")
    [ "$rss" -gt "$rb" ] && rb=$rss
    timed "$name" "$k" "${a[@]}"
    wa+=("$wall")
    [ "$rss" -gt "$ra" ] && ra=$rss
  done
  names+=("$name"); walls+=("$(median "${wa[@]}")"); rsss+=("$ra"); bwalls+=("$(median "${wb[@]}")"); brsss+=("$rb")
}
wall_of() { for i in "${!names[@]}"; do [ "${names[$i]}" = "$1" ] && echo "${walls[$i]}"; done; return 0; }
rss_of() { for i in "${!names[@]}"; do [ "${names[$i]}" = "$1" ] && echo "${rsss[$i]}"; done; return 0; }
bwall_of() { for i in "${!names[@]}"; do [ "${names[$i]}" = "$1" ] && echo "${bwalls[$i]}"; done; return 0; }
brss_of() { for i in "${!names[@]}"; do [ "${names[$i]}" = "$1" ] && echo "${brsss[$i]}"; done; return 0; }

for t in 1 2; do
  measure "bgzip -dc -@$t (decompression limit)" bgzip -dc -@$t "$vcf"
  measure_healcap "healcap scan --stream, VCF.gz, $t thr" scan --stream --threads $t --out "@O@/s$t" "$vcf"
  measure_healcap "healcap scan indexed, VCF.gz, $t thr" scan --threads $t --out "@O@/i$t" "$vcf"
  measure_healcap "healcap scan --stream, BCF, $t thr" scan --stream --threads $t --out "@O@/b$t" "$bcf"
  measure_healcap "healcap annotate to BCF, $t thr" annotate --threads $t -o "@O@/a$t.bcf" "$vcf"
  measure "bcftools view -T panel, VCF.gz, $t thr" bcftools view --threads $t -T "$tmp/panel.vcf" -Ou -o /dev/null "$vcf"
  measure "bcftools view -T panel, BCF, $t thr" bcftools view --threads $t -T "$tmp/panel.vcf" -Ou -o /dev/null "$bcf"
  measure "bcftools view -R panel, VCF.gz, $t thr" bcftools view --threads $t -R "$tmp/panel.bed" -Ou -o /dev/null "$vcf"
  measure "bcftools query -R panel genotypes, $t thr" bcftools query -R "$tmp/panel.bed" -f '%CHROM:%POS[\t%GT]\n' "$vcf"
  measure "plink2 --vcf --score, $t thr" plink2 --vcf "$vcf" --score "$tmp/plink.score" 1 2 3 no-mean-imputation cols=+scoresums \
    --set-all-var-ids '@:#:$r:$a' --new-id-max-allele-len 1000 --threads $t --out "$tmp/p$t"
done

# Parity: every path gives the same samples.tsv; the additive rows' sums equal plink2's.
parity=ok
for f in "$tmp/i1" "$tmp/s2" "$tmp/i2" "$tmp/b1" "$tmp/b2"; do
  cmp -s "$tmp/s1.samples.tsv" "$f.samples.tsv" || parity="FAILED: $(basename "$f").samples.tsv differs from the streaming VCF.gz run"
done
"$bin" scan --panel "$tmp/additive.tsv" --out "$tmp/add" "$vcf" 2>/dev/null
c=$(awk -F'\t' '!/^#/ { for (i = 1; i <= NF; i++) if ($i == "weighted_sum") { print i; exit } }' "$tmp/add.samples.tsv")
bad=$(awk -F'\t' -v c="$c" 'NR == FNR { if (FNR > 1) p[$1] = $NF; next } /^#/ || $1 == "sample" { next }
  { d = $c - p[$1]; if (d < 0) d = -d; if (d > 1e-3) bad++ } END { print bad + 0 }' "$tmp/p1.sscore" "$tmp/add.samples.tsv")
[ "$bad" = 0 ] || parity="FAILED: $bad samples' sums differ from plink2 --score"

# Before/after parity: the BEFORE binary's streaming VCF.gz samples.tsv is byte-identical to HEALCAP's.
bparity=ok
if [ -n "$before" ]; then
  bad=
  for t in 1 2; do cmp -s "$tmp/before/s$t.samples.tsv" "$tmp/s$t.samples.tsv" || bad+=" $t thr"; done
  [ -z "$bad" ] || bparity="FAILED: the streaming VCF.gz samples.tsv differs between BEFORE and HEALCAP at$bad"
fi

n_rec=$(bcftools index -n "$vcf")
n_smp=$(bcftools query -l "$vcf" | wc -l)
echo "Input: $n_rec records x $n_smp samples ($(du -h "$vcf" | cut -f1) VCF.gz, $(du -h "$bcf" | cut -f1) BCF), $(nproc) cores, median of $reps run(s)."
echo "Output parity (every healcap path byte-identical; additive sums equal plink2 --score): $parity"
if [ -n "$before" ]; then
  echo "Before: $before; after: $bin (alternated rep by rep; the first table's healcap rows are the after binary)."
  echo "Before/after parity: $bparity"
fi
echo
echo "| command | wall (s) | peak RSS (MiB) | / bgzip -dc -@2 |"
echo "|---|---|---|---|"
limit=$(wall_of "bgzip -dc -@2 (decompression limit)")
for i in "${!names[@]}"; do
  awk -v n="${names[$i]}" -v w="${walls[$i]}" -v r="${rsss[$i]}" -v b="$limit" 'BEGIN { printf "| %s | %.3f | %.0f | %.2f |\n", n, w, r / 1024, (b > 0 ? w / b : 0) }'
done
if [ -n "$before" ]; then
  echo
  echo "| healcap command | before wall (s) | after wall (s) | after / before | before / bgzip -dc -@2 | after / bgzip -dc -@2 | before peak RSS (MiB) | after peak RSS (MiB) |"
  echo "|---|---|---|---|---|---|---|---|"
  for i in "${!names[@]}"; do
    [ -n "${bwalls[$i]}" ] || continue
    awk -v n="${names[$i]}" -v wb="${bwalls[$i]}" -v wa="${walls[$i]}" -v rb="${brsss[$i]}" -v ra="${rsss[$i]}" -v l="$limit" 'BEGIN {
      printf "| %s | %.3f | %.3f | %.2f | %.2f | %.2f | %.0f | %.0f |\n", n, wb, wa, (wb > 0 ? wa / wb : 0),
        (l > 0 ? wb / l : 0), (l > 0 ? wa / l : 0), rb / 1024, ra / 1024 }'
  done
fi
echo
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { print (a <= b) ? 1 : 0 }'; }
yes_no() { [ "$1" = 1 ] && echo yes || echo NO; }
targets() {  # targets after|before: one line per target, NAME<TAB>BOUND<TAB>MEASURED<TAB>OK(1/0)
  local hw=wall_of hr=rss_of r m s1 s2 i2 b2 p2 tv tb rv
  [ "$1" = before ] && { hw=bwall_of; hr=brss_of; }
  s2=$($hw "healcap scan --stream, VCF.gz, 2 thr"); s1=$($hw "healcap scan --stream, VCF.gz, 1 thr")
  i2=$($hw "healcap scan indexed, VCF.gz, 2 thr"); b2=$($hw "healcap scan --stream, BCF, 2 thr")
  p2=$(wall_of "plink2 --vcf --score, 2 thr"); tv=$(wall_of "bcftools view -T panel, VCF.gz, 2 thr")
  tb=$(wall_of "bcftools view -T panel, BCF, 2 thr"); rv=$(wall_of "bcftools view -R panel, VCF.gz, 2 thr")
  r=$(ratio "$s2" "$limit"); printf '%s\t%s\t%s\t%s\n' "streaming scan / decompression limit" "<= 1.5" "$r" "$(le "$r" 1.5)"
  r=$(ratio "$p2" "$s2"); printf '%s\t%s\t%s\t%s\n' "plink2 --score / streaming scan" ">= 2" "$r" "$(le 2 "$r")"
  r=$(ratio "$tv" "$s2"); printf '%s\t%s\t%s\t%s\n' "bcftools view -T / streaming scan" ">= 5" "$r" "$(le 5 "$r")"
  r=$(ratio "$i2" "$rv"); printf '%s\t%s\t%s\t%s\n' "indexed scan / bcftools view -R" "<= 1" "$r" "$(le "$r" 1)"
  r=$(ratio "$tb" "$b2"); printf '%s\t%s\t%s\t%s\n' "bcftools view -T BCF / streaming BCF scan" ">= 1.5" "$r" "$(le 1.5 "$r")"
  m=$($hr "healcap scan --stream, VCF.gz, 2 thr"); m=$((m / 1024))
  printf '%s\t%s\t%s\t%s\n' "peak RSS, streaming scan" "<= 200 MiB" "$m MiB" "$(le "$m" 200)"
  r=$(ratio "$s1" "$s2"); printf '%s\t%s\t%s\t%s\n' "1 thread / 2 threads, streaming scan" ">= 1.6" "$r" "$(le 1.6 "$r")"
}
if [ -z "$before" ]; then
  echo "| target (2 threads) | bound | measured | met |"
  echo "|---|---|---|---|"
  while IFS=$'\t' read -r n b v ok; do printf '| %s | %s | %s | %s |\n' "$n" "$b" "$v" "$(yes_no "$ok")"; done < <(targets after)
else
  echo "| target (2 threads) | bound | before | after | met before | met after |"
  echo "|---|---|---|---|---|---|"
  while IFS=$'\t' read -r n b v ok <&3 && IFS=$'\t' read -r _ _ va oka <&4; do
    printf '| %s | %s | %s | %s | %s | %s |\n' "$n" "$b" "$v" "$va" "$(yes_no "$ok")" "$(yes_no "$oka")"
  done 3< <(targets before) 4< <(targets after)
fi
[ "$parity" = ok ] && [ "$bparity" = ok ]
