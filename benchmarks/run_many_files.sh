#!/usr/bin/env bash
# Many inputs (issue 9): healcap over 1,000 single-sample VCF.gz files in one run, beside the peer route
# (bcftools merge -R into plink2 --score), a loop of one partial per file plus healcap merge, and the physical
# limits measured in the same run (cat of every file and index; a loop of tabix -H, one process per file);
# then healcap merge of 100 partials of 1,000 samples each. Prints a Markdown report with the targets.
# Usage: benchmarks/run_many_files.sh [REPS]   (default 3; median of REPS runs, GNU time)
# Data (generated once, not committed): benchmarks/data/many/files (benchmarks/make_many_files.py: 1,000 files of
# ~20,000 records with the panel's GRCh38 sites) and benchmarks/data/many/copies (100 copies of a 1,000-sample
# scripts/make_cohort.py file, distinct sample names).
# With SMOKE=1: 20 files, 5 copies of a 50-sample file, each command once, data in a temporary directory;
# checks that everything runs and agrees, the timings mean nothing.
# HEALCAP=/path/to/healcap: the binary measured (default: build/pipeline/healcap under the repository).
set -euo pipefail
abspath() { case $1 in /*) echo "$1" ;; */*) echo "$PWD/$1" ;; *) command -v "$1" || echo "$1" ;; esac; }
[ -n "${HEALCAP:-}" ] && HEALCAP=$(abspath "$HEALCAP")
cd "$(dirname "$0")/.."
root=$PWD
reps=${1:-3}
bin=${HEALCAP:-$root/build/pipeline/healcap}
[ -f "$bin" ] && [ -x "$bin" ] || { echo "not an executable healcap: $bin (build with: bash scripts/build.sh)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ "${SMOKE:-0}" = 1 ]; then
  reps=1; n_files=20; n_small=10; n_copies=5; copy_samples=50; copy_variants=2000; data=$tmp/data
else
  n_files=1000; n_small=100; n_copies=100; copy_samples=1000; copy_variants=5000; data=$root/benchmarks/data/many
fi
for t in bgzip tabix bcftools plink2 /usr/bin/time; do command -v "$t" >/dev/null || { echo "missing $t" >&2; exit 1; }; done

# --- data -------------------------------------------------------------------------------------------------
gen_note=
files=$data/files
last=$(printf '%s/f%04d.vcf.gz' "$files" "$n_files")
if [ ! -e "$last.tbi" ] || [ -e "$files/f$(printf '%04d' $((n_files + 1))).vcf.gz" ]; then
  rm -rf "$files"
  s=$(date +%s.%N)
  python3 benchmarks/make_many_files.py --files "$n_files" --out "$files" 2>/dev/null
  gen_note="Generated in this run: $n_files files by make_many_files.py in $(awk -v a="$s" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }') s."
fi
for i in $(seq -f %04g "$n_files"); do echo "$files/f$i.vcf.gz"; done >"$tmp/list.txt"
head -n "$n_small" "$tmp/list.txt" >"$tmp/list_small.txt"
copies=$data/copies
lastc=$(printf '%s/c%03d.vcf.gz' "$copies" "$n_copies")
if [ ! -e "$lastc.tbi" ] || [ -e "$copies/c$(printf '%03d' $((n_copies + 1))).vcf.gz" ]; then
  rm -rf "$copies"; mkdir -p "$copies"
  python3 scripts/make_cohort.py --samples "$copy_samples" --variants "$copy_variants" --out "$copies/base" 2>/dev/null
  for i in $(seq -f %03g "$n_copies"); do
    bcftools query -l "$copies/base.vcf.gz" | sed "s/^/C${i}_/" >"$copies/names.txt"
    bcftools reheader -s "$copies/names.txt" -o "$copies/c$i.vcf.gz" "$copies/base.vcf.gz"
    tabix -f -p vcf "$copies/c$i.vcf.gz"
  done
  rm -f "$copies/names.txt" "$copies"/base.*
fi
for i in $(seq -f %03g "$n_copies"); do echo "$copies/c$i.vcf.gz"; done >"$tmp/copies.txt"
# One file holding as many samples as there are files (the same record count): memory per sample vs per file.
onefile=$data/one/one.vcf.gz
if [ ! -e "$onefile.tbi" ] || [ "$(bcftools query -l "$onefile" | wc -l)" != "$n_files" ]; then
  rm -rf "$data/one"; mkdir -p "$data/one"
  python3 scripts/make_cohort.py --samples "$n_files" --variants 20000 --out "$data/one/one" 2>/dev/null
  rm -f "$data/one/one.bcf" "$data/one/one.bcf.csi"
fi
sed 'p;s/$/.tbi/' "$tmp/list.txt" >"$tmp/list_and_indexes.txt"
bytes=$(xargs du -cb <"$tmp/list_and_indexes.txt" | tail -1 | cut -f1)

"$bin" panel export --build GRCh38 --format bed -o "$tmp/sites.bed" 2>/dev/null
bash benchmarks/additive_panel.sh gene_panels/healing_panel.tsv "$tmp/plink.score" "$tmp/additive.tsv"

# The composite routes, each one command so that GNU time covers all of it (its %M is the largest process's).
cat >"$tmp/peer.sh" <<'EOF'
# bcftools merge opens every input at once: raise the open-file limit (soft) to 8192 if it is lower.
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge 8192 ] || ulimit -n 8192
bcftools merge --threads 2 -R "$1/sites.bed" --file-list "$2" -Ob -o "$1/merged.bcf" &&
plink2 --bcf "$1/merged.bcf" --score "$1/plink.score" 1 2 3 no-mean-imputation cols=+scoresums \
  --set-all-var-ids '@:#:$r:$a' --new-id-max-allele-len 1000 --threads 2 --out "$1/plink"
EOF
cat >"$tmp/loop.sh" <<'EOF'
# one healcap scan per file (1 thread), then healcap merge of the partials in list order
bin=$1 list=$2 dir=$3
rm -rf "$dir"; mkdir -p "$dir"
i=0
while read -r f; do
  i=$((i + 1))
  "$bin" scan --threads 1 --partial "$dir/p$i.hcp" "$f" 2>/dev/null || exit 1
  echo "$dir/p$i.hcp" >>"$dir/partials.txt"
done <"$list"
"$bin" merge --threads 2 --partial-list "$dir/partials.txt" --out "$dir/M"
EOF
cat >"$tmp/tabix_loop.sh" <<'EOF'
while read -r f; do tabix -H "$f" || exit 1; done <"$1"
EOF

# --- measuring (run_suite.sh's conventions) --------------------------------------------------------------
declare -a names walls rsss
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
  names+=("$name"); walls+=("$(median "${w[@]}")"); rsss+=("$r")
}
wall_of() { for i in "${!names[@]}"; do [ "${names[$i]}" = "$1" ] && echo "${walls[$i]}"; done; return 0; }
rss_of() { for i in "${!names[@]}"; do [ "${names[$i]}" = "$1" ] && echo "${rsss[$i]}"; done; return 0; }

N_CAT="cat of all $n_files files + indexes (read limit)"
N_TABIX="tabix -H per file, $n_files processes (process floor)"
N_ONE_S="healcap scan --file-list, $n_small files, 2 thr"
N_ONE="healcap scan --file-list, $n_files files, 2 thr"
N_ONEFILE="healcap scan, one file of $n_files samples (same samples count), 2 thr"
N_PEER="bcftools merge -R + plink2 --score, $n_files files"
N_LOOP="healcap scan --partial per file (1 thr) x $n_files + healcap merge"
N_MCAT="cat of the $n_copies partials + copy of the merge's outputs (I/O limit)"
N_MERGE="healcap merge, $n_copies partials x $copy_samples samples, 2 thr"
N_MONE="healcap scan --file-list, the same $n_copies files, 2 thr"

measure "$N_CAT" sh -c 'xargs cat <"$0" >/dev/null' "$tmp/list_and_indexes.txt"
measure "$N_TABIX" bash "$tmp/tabix_loop.sh" "$tmp/list.txt"
measure "$N_ONE_S" "$bin" scan --threads 2 --file-list "$tmp/list_small.txt" --out "$tmp/one_small"
measure "$N_ONE" "$bin" scan --threads 2 --file-list "$tmp/list.txt" --out "$tmp/one"
measure "$N_ONEFILE" "$bin" scan --threads 2 --out "$tmp/onefile" "$onefile"
measure "$N_PEER" bash "$tmp/peer.sh" "$tmp" "$tmp/list.txt"
measure "$N_LOOP" bash "$tmp/loop.sh" "$bin" "$tmp/list.txt" "$tmp/loop"

# 100 partials of 1,000 samples: one file shard of the copies' list each (not timed), then the merge.
mkdir -p "$tmp/mp"
for i in $(seq "$n_copies"); do
  "$bin" scan --threads 1 --file-list "$tmp/copies.txt" --file-shard "$i/$n_copies" --partial "$tmp/mp/p$(printf '%03d' "$i").hcp" 2>/dev/null
done
measure "$N_MERGE" "$bin" merge --threads 2 --out "$tmp/mp/M" "$tmp"/mp/p*.hcp
# The merge's own account of its phases (stderr), once more: reading, joining and settling, scoring, writing.
phases=$("$bin" merge --threads 2 --out "$tmp/mp/M2" "$tmp"/mp/p*.hcp 2>&1 >/dev/null | sed -n 's/^healcap merge: \(.*reading the partials.*\)$/\1/p')
merge_core=$(printf '%s\n' "$phases" | awk '{ print $1 + $6 + $11 }')
rm -f "$tmp"/mp/M2.*
measure "$N_MCAT" sh -c 'cat "$0"/p*.hcp >/dev/null && cat "$0"/M.samples.tsv "$0"/M.sites.tsv "$0"/M.json >"$0/copy" && rm -f "$0/copy"' "$tmp/mp"
measure "$N_MONE" "$bin" scan --threads 2 --file-list "$tmp/copies.txt" --out "$tmp/mp/one"

# --- parity -----------------------------------------------------------------------------------------------
loop_parity=ok
for f in samples sites; do
  cmp -s "$tmp/one.$f.tsv" "$tmp/loop/M.$f.tsv" || loop_parity="FAILED: the loop + merge $f.tsv differs from the one run's"
done
merge_parity=ok
for f in samples sites; do
  cmp -s "$tmp/mp/one.$f.tsv" "$tmp/mp/M.$f.tsv" || merge_parity="FAILED: the merge's $f.tsv differs from the one run's over the same files"
done
"$bin" scan --threads 2 --panel "$tmp/additive.tsv" --file-list "$tmp/list.txt" --out "$tmp/add" 2>/dev/null
c=$(awk -F'\t' '!/^#/ { for (i = 1; i <= NF; i++) if ($i == "weighted_sum") { print i; exit } }' "$tmp/add.samples.tsv")
read -r n_h n_p bad < <(awk -F'\t' -v c="$c" 'NR == FNR { if (FNR > 1) { p[$1] = $NF; np++ } next } /^#/ || $1 == "sample" { next }
  { nh++; if (!($1 in p)) { bad++; next } d = $c - p[$1]; if (d < 0) d = -d; if (d > 1e-3) bad++ } END { print nh + 0, np + 0, bad + 0 }' \
  "$tmp/plink.sscore" "$tmp/add.samples.tsv")
n_used=$(awk '/--score: [0-9]+ variant/ { for (i = 1; i <= NF; i++) if ($i == "--score:") print $(i + 1) }' "$tmp/plink.log" | head -1)
plink_parity=ok
[ "$n_h" = "$n_files" ] && [ "$n_p" = "$n_files" ] && [ "$bad" = 0 ] ||
  plink_parity="FAILED: healcap $n_h samples, plink2 $n_p, $bad samples' sums differ"

# --- report -----------------------------------------------------------------------------------------------
state_col=$(awk -F'\t' '!/^#/ { for (i = 1; i <= NF; i++) if ($i == "state") { print i; exit } }' "$tmp/mp/M.sites.tsv")
found=$(awk -F'\t' -v c="$state_col" '!/^#/ && $c == "found"' "$tmp/mp/M.sites.tsv" | wc -l)
found1=$(awk -F'\t' -v c="$state_col" '!/^#/ && $c == "found"' "$tmp/one.sites.tsv" | wc -l)
pbytes=$(du -cb "$tmp"/mp/p*.hcp | tail -1 | cut -f1)
lbytes=$(du -cb "$tmp"/loop/p*.hcp | tail -1 | cut -f1)
obytes=$(du -cb "$tmp"/mp/M.samples.tsv "$tmp"/mp/M.sites.tsv "$tmp"/mp/M.json | tail -1 | cut -f1)
n_rec=$(bcftools index -n "$(head -1 "$tmp/list.txt")")
n_rec_c=$(bcftools index -n "$(head -1 "$tmp/copies.txt")")
echo "Input: $n_files single-sample VCF.gz files of $n_rec records each (make_many_files.py), $(awk -v b="$bytes" 'BEGIN { printf "%.0f", b / 1048576 }') MiB" \
  "with their .tbi indexes; $n_copies copies of one $copy_samples-sample file of $n_rec_c records (make_cohort.py, sample names made distinct" \
  "with bcftools reheader); $(nproc) cores, median of $reps run(s); open-file limit $(ulimit -n) (peer.sh raises it to 8192 if lower)."
[ -z "$gen_note" ] || echo "$gen_note"
echo "The peer route is timed as one command: bcftools merge -R (the panel's $(grep -c . "$tmp/sites.bed") GRCh38 sites, BED) --file-list to a BCF" \
  "in a temporary directory, then plink2 --bcf --score over it (the panel's additive rows only, $(grep -c . "$tmp/plink.score") score rows," \
  "${n_used:-?} of them present in the data); its peak RSS is the larger process's."
echo "The loop is $n_files runs of \`healcap scan --threads 1 --partial pI.hcp FILE\` then" \
  "\`healcap merge --threads 2 --partial-list\`, timed as one command."
echo "Parity: loop + merge = one run (samples.tsv, sites.tsv byte-identical): $loop_parity; merge of the $n_copies partials =" \
  "one run over the same files: $merge_parity; healcap weighted_sum (additive rows) = plink2 SCORE1_SUM for all $n_files samples: $plink_parity."
echo
limit=$(wall_of "$N_CAT")
floor=$(wall_of "$N_TABIX")
echo "| command | wall (s) | peak RSS (MiB) | ms per file | / cat (read limit) | / tabix -H loop |"
echo "|---|---|---|---|---|---|"
for n in "$N_CAT" "$N_TABIX" "$N_ONE_S" "$N_ONE" "$N_ONEFILE" "$N_PEER" "$N_LOOP"; do
  k=$n_files; [ "$n" = "$N_ONE_S" ] && k=$n_small
  awk -v n="$n" -v w="$(wall_of "$n")" -v r="$(rss_of "$n")" -v k="$k" -v b="$limit" -v f="$floor" 'BEGIN {
    printf "| %s | %.3f | %.0f | %.2f | %.2f | %.2f |\n", n, w, r / 1024, 1000 * w / k, (b > 0 ? w / b : 0), (f > 0 ? w / f : 0) }'
done
echo
mlimit=$(wall_of "$N_MCAT")
echo "| command | wall (s) | peak RSS (MiB) | / I/O limit |"
echo "|---|---|---|---|"
for n in "$N_MCAT" "$N_MERGE" "$N_MONE"; do
  awk -v n="$n" -v w="$(wall_of "$n")" -v r="$(rss_of "$n")" -v b="$mlimit" 'BEGIN {
    printf "| %s | %.3f | %.0f | %.2f |\n", n, w, r / 1024, (b > 0 ? w / b : 0) }'
done
echo
echo "Partials: $n_copies x $copy_samples samples, $found panel rows found: $pbytes bytes," \
  "$(awk -v b="$pbytes" -v n="$((n_copies * copy_samples * found))" 'BEGIN { printf "%.3f", b / n }') bytes per sample-site call;" \
  "the merge writes $(awk -v b="$obytes" 'BEGIN { printf "%.0f", b / 1048576 }') MiB of outputs (samples.tsv, sites.tsv, JSON)." \
  "The loop's $n_files single-sample partials ($found1 rows found): $lbytes bytes," \
  "$(awk -v b="$lbytes" -v n="$((n_files * found1))" 'BEGIN { printf "%.1f", b / n }') bytes per call (per-partial overhead dominates)."
echo
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { print (a <= b) ? "PASS" : "FAIL" }'; }
echo "| target | bound | measured | result |"
echo "|---|---|---|---|"
r=$(ratio "$(wall_of "$N_PEER")" "$(wall_of "$N_ONE")")
echo "| bcftools merge + plink2 / healcap one run ($n_files files) | >= 10 | $r | $(le 10 "$r") |"
r=$(awk -v w="$(wall_of "$N_ONE")" -v k="$n_files" 'BEGIN { printf "%.2f", 1000 * w / k }')
echo "| per-file cost, one run, 2 threads | <= 10 ms | $r ms | $(le "$r" 10) |"
r=$(ratio "$(rss_of "$N_ONE")" "$(rss_of "$N_ONE_S")")
r=$(ratio "$(rss_of "$N_ONE")" "$(rss_of "$N_ONEFILE")")
echo "| peak RSS flat in the file count: $n_files single-sample files / one $n_files-sample file | <= 1.25 | $r ($(awk -v a="$(rss_of "$N_ONEFILE")" 'BEGIN { printf "%.0f", a / 1024 }') -> $(awk -v a="$(rss_of "$N_ONE")" 'BEGIN { printf "%.0f", a / 1024 }') MiB, $(awk -v a="$(rss_of "$N_ONEFILE")" -v b="$(rss_of "$N_ONE")" -v d="$n_files" 'BEGIN { printf "%.1f", (b - a) / d }') KiB per file) | $(le "$r" 1.25) |"
r=$(ratio "$(rss_of "$N_ONE")" "$(rss_of "$N_ONE_S")")
echo "| (information) peak RSS, $n_files / $n_small single-sample files: grows with the samples | - | $r ($(awk -v a="$(rss_of "$N_ONE_S")" 'BEGIN { printf "%.0f", a / 1024 }') -> $(awk -v a="$(rss_of "$N_ONE")" 'BEGIN { printf "%.0f", a / 1024 }') MiB, $(awk -v a="$(rss_of "$N_ONE_S")" -v b="$(rss_of "$N_ONE")" -v d="$((n_files - n_small))" 'BEGIN { printf "%.1f", (b - a) / d }') KiB per extra file and sample) | - |"
echo "| merge of $n_copies partials x $copy_samples samples, without writing the outputs (its phases: $phases) | <= 1 s | $merge_core s | $(le "$merge_core" 1) |"
r=$(wall_of "$N_MERGE")
echo "| merge of $n_copies partials x $copy_samples samples | <= 1 s | $(awk -v a="$r" 'BEGIN { printf "%.2f", a }') s | $(le "$r" 1) |"
[ "$loop_parity" = ok ] && [ "$merge_parity" = ok ] && [ "$plink_parity" = ok ]
