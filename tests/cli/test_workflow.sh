#!/usr/bin/env bash
# The Snakemake scatter/gather workflow (scripts/workflow), run locally with `snakemake --cores 2`: a cohort of
# six files (the bundled example's 20 samples split with bcftools view -s, five VCF.gz and one BCF, indexed)
# scattered by files (n=3), by samples (n=3) and by chromosomes (three of them), each gathered with
# `healcap merge` and compared with one `healcap scan --file-list` run: samples.tsv and sites.tsv byte for
# byte, the JSON equal but for its top-level "run" object. Also: the dry run plans 3 scans and 1 merge, a
# second run has nothing to do, and a bad shard plan is refused before anything runs.
# Usage: test_workflow.sh HEALCAP_BINARY PROJECT_SOURCE_DIR
set -u
healcap=$1
src=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
example=$src/tests/data/example_cohort.vcf.gz
snakefile=$src/scripts/workflow/Snakefile
case "$healcap" in /*) ;; *) healcap=$(pwd)/$healcap ;; esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- tools ---------------------------------------------------------------------------------------------------
missing=()
command -v snakemake >/dev/null 2>&1 || missing+=(snakemake)
command -v bcftools >/dev/null 2>&1 || missing+=(bcftools)
command -v tabix >/dev/null 2>&1 || missing+=(tabix)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "FAIL missing ${missing[*]} and not root: apt-get install ${missing[*]}"
    exit 1
  fi
  echo "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
    { echo "FAIL apt-get install ${missing[*]}"; exit 1; }
fi
echo "snakemake $(snakemake --version)"

# --- the cohort: the example's samples in six contiguous groups, one file each --------------------------------
# make_cohort DIR: writes DIR/part1..6 (part6 a BCF) with their indexes and DIR/files.txt (absolute paths).
make_cohort() {
  local dir=$1 n g f
  mkdir -p "$dir"
  bcftools query -l "$example" >"$dir/samples.txt" || return 1
  n=$(wc -l <"$dir/samples.txt")
  : >"$dir/files.txt"
  echo "# the example cohort, split by sample" >>"$dir/files.txt"
  for g in 1 2 3 4 5 6; do
    awk -v g=$g -v n="$n" '{ if (int((NR - 1) * 6 / n) + 1 == g) print }' "$dir/samples.txt" >"$dir/part$g.samples"
    if [ $g -eq 6 ]; then
      f=$dir/part$g.bcf
      bcftools view -S "$dir/part$g.samples" -Ob -o "$f" "$example" && bcftools index "$f" || return 1
    else
      f=$dir/part$g.vcf.gz
      bcftools view -S "$dir/part$g.samples" -Oz -o "$f" "$example" && tabix -p vcf "$f" || return 1
    fi
    echo "$f" >>"$dir/files.txt"
  done
}
cohort=$work/cohort
if make_cohort "$cohort"; then pass "cohort: 6 indexed files from the example's $(wc -l <"$cohort/samples.txt") samples"; else fail "making the cohort"; fi
chroms=$(bcftools index -s "$cohort/part1.vcf.gz" | cut -f1 | head -3 | paste -sd, -)
echo "chromosomes for the chromosome plan: $chroms"

# --- single runs: what every plan's merge must reproduce -------------------------------------------------------
mkdir -p "$work/single"
run "$healcap" scan --threads 2 --file-list "$cohort/files.txt" --out "$work/single/all"
expect_rc "single run over the file list" 0
run "$healcap" scan --threads 2 --file-list "$cohort/files.txt" -r "$chroms" --out "$work/single/chroms"
expect_rc "single run over the file list, -r $chroms" 0

# json_same_but_run A B: the two JSON files are equal once their top-level "run" objects are removed.
json_same_but_run() {
  python3 - "$1" "$2" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for d in (a, b):
    d.pop("run", None)
if a != b:
    keys = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
    print("top-level keys that differ: " + ", ".join(keys))
    sys.exit(1)
EOF
}
# same_as_single NAME MERGED_PREFIX SINGLE_PREFIX
same_as_single() {
  local d
  if cmp -s "$2.samples.tsv" "$3.samples.tsv"; then pass "$1: samples.tsv equals the single run's"; else
    fail "$1: samples.tsv differs from the single run's" "$(diff "$2.samples.tsv" "$3.samples.tsv" 2>&1 | head -5)"; fi
  if cmp -s "$2.sites.tsv" "$3.sites.tsv"; then pass "$1: sites.tsv equals the single run's"; else
    fail "$1: sites.tsv differs from the single run's" "$(diff "$2.sites.tsv" "$3.sites.tsv" 2>&1 | head -5)"; fi
  if d=$(json_same_but_run "$2.json" "$3.json" 2>&1); then pass "$1: JSON equals the single run's but for \"run\""; else
    fail "$1: JSON differs from the single run's" "$d"; fi
  if [ -f "$3.calls.tsv.gz" ] && cmp -s "$2.calls.tsv.gz" "$3.calls.tsv.gz"; then pass "$1: calls.tsv.gz equals the single run's"; else
    fail "$1: calls.tsv.gz differs from the single run's (or is missing)" "$(cmp "$2.calls.tsv.gz" "$3.calls.tsv.gz" 2>&1 | head -1)"; fi
}
show_logs() {  # show_logs OUTDIR: the workflow's job logs, for a failure
  local f
  for f in "$1"/logs/*.log; do [ -s "$f" ] && { echo "     --- $f"; tail -10 "$f" | sed 's/^/     /'; }; done
}

# --- the three plans -----------------------------------------------------------------------------------------
# write_config DIR MODE SHARD_LINE: DIR/config.yaml for the cohort (files mode reads files.txt as file_list,
# the others list the inputs).
write_config() {
  local dir=$1 mode=$2 shard=$3 f
  mkdir -p "$dir"
  {
    echo "healcap: $healcap"
    if [ "$mode" = files ]; then
      echo "file_list: $cohort/files.txt"
    else
      echo "inputs:"
      grep -v '^#' "$cohort/files.txt" | while read -r f; do echo "  - $f"; done
    fi
    echo "shards:"
    echo "  mode: $mode"
    echo "  $shard"
    echo "threads: 2"
    echo "mem_mb: 500"
    echo "outdir: $dir/out"
    echo "name: merged"
  } >"$dir/config.yaml"
}

plans=("files|n: 3|all" "samples|n: 3|all")
if [ "$(echo "$chroms" | tr ',' '\n' | grep -c .)" -ge 2 ]; then
  plans+=("chromosomes|chromosomes: [$chroms]|chroms")
else
  fail "the cohort has fewer than 2 chromosomes; the chromosome plan cannot be tested"
fi
for p in "${plans[@]}"; do
  IFS='|' read -r mode shard single <<<"$p"
  dir=$work/wf_$mode
  write_config "$dir" "$mode" "$shard"
  run snakemake -s "$snakefile" --configfile "$dir/config.yaml" --directory "$dir" --cores 2 -n
  expect_rc "$mode plan: dry run" 0
  expect_match "$mode plan: the dry run plans 3 scans" "$out"$'\n'"$err" '^scan +3 '
  expect_match "$mode plan: the dry run plans 1 merge" "$out"$'\n'"$err" '^merge +1 '
  run snakemake -s "$snakefile" --configfile "$dir/config.yaml" --directory "$dir" --cores 2
  if [ "$rc" -eq 0 ]; then pass "$mode plan: snakemake --cores 2"; else
    fail "$mode plan: snakemake --cores 2: exit $rc" "$(printf '%s\n' "$out" "$err" | grep -E 'Error|error' | sort -u | head -8)"
    show_logs "$dir/out"
  fi
  n_partials=$(ls "$dir/out/partials/"*.partial 2>/dev/null | wc -l)
  expect_eq "$mode plan: 3 partials written" "$n_partials" 3
  same_as_single "$mode plan" "$dir/out/merged" "$work/single/$single"
done

# --- a second run has nothing to do; a bad plan is refused -----------------------------------------------------
dir=$work/wf_samples
run snakemake -s "$snakefile" --configfile "$dir/config.yaml" --directory "$dir" --cores 2
expect_rc "second run of the samples plan" 0
expect_match "second run: nothing to be done" "$out"$'\n'"$err" "Nothing to be done"
write_config "$work/wf_bad" bogus "n: 3"
run snakemake -s "$snakefile" --configfile "$work/wf_bad/config.yaml" --directory "$work/wf_bad" --cores 2 -n
expect_eq "an unknown shard mode is refused" "$([ "$rc" -ne 0 ] && echo refused)" refused
expect_match "an unknown shard mode: the message says why" "$out"$'\n'"$err" "mode 'bogus' is not files, samples or chromosomes"
write_config "$work/wf_many" files "n: 7"
run snakemake -s "$snakefile" --configfile "$work/wf_many/config.yaml" --directory "$work/wf_many" --cores 2 -n
expect_eq "more file shards than files is refused" "$([ "$rc" -ne 0 ] && echo refused)" refused
expect_match "more file shards than files: the message says why" "$out"$'\n'"$err" "7 file shards for 6 input files"

finish
