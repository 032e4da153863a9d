#!/usr/bin/env bash
# MultiQC custom content (issue 11): Debian's real multiqc 1.14 on run folders made by healcap scan (VCF.gz and
# BCF) and by merge of sample shards. tests/cli/check_multiqc.py checks each report against the runs' own
# samples.tsv, sites.tsv and JSON: General Statistics columns and values for every sample, the indexes table, the
# problem-sites table, the sections, names kept intact (dots, digits, a slash, markup shown as text) and a log
# with no warning, error or exception (multiqc exits 0 when a custom-content file fails to parse). Two runs in one
# folder keep their own columns. Last, a 1000 Genomes subset (skipped with 77 when ../shared/data/external is
# missing).
# The part "pgs" (CTest cli.multiqc_pgs) checks runs over several panels and PGS Catalog scores instead: the bundled
# panel with PGS000314, PGS000314 first, PGS000314 alone, the bundled panel alone and a sites-only copy over both
# panels, in one folder, on a synthetic GRCh37 cohort holding the score's sites (tests/cli/make_pgs_cohort.py),
# VCF.gz and BCF, threads and a merge (skipped with 77 when ../shared/panel-sources/raw/PGS000314.txt is missing).
# Usage: test_multiqc.sh HEALCAP_BINARY PROJECT_SOURCE_DIR [all|pgs]
set -u
healcap=$1
src=$2
part=${3:-all}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
example=$src/tests/data/example_cohort.vcf.gz
ext=$src/../shared/data/external
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LC_ALL=C.UTF-8
if ! command -v multiqc >/dev/null; then
  echo "FAIL multiqc is not installed (scripts/setup.sh installs Debian's multiqc)"
  exit 1
fi

# multiqc_on NAME FOLDER [MULTIQC OPTIONS]: a report of FOLDER in FOLDER.mqc (no network: no version check).
multiqc_on() {
  local name=$1 folder=$2
  shift 2
  run multiqc --no-ansi --force --cl-config "no_version_check: true" "$@" -o "$folder.mqc" "$folder"
  expect_rc "$name: multiqc runs" 0
}
# check_report NAME FOLDER RUN...: check_multiqc.py on FOLDER's report, each check a line of this test.
check_report() {
  local name=$1 folder=$2 line
  shift 2
  while IFS= read -r line; do
    case $line in
      "ok   "*) pass "$name: ${line#ok   }" ;;
      "FAIL "*) fail "$name: ${line#FAIL }" ;;
      "     "*) echo "$line" ;;
    esac
  done < <(python3 "$here/check_multiqc.py" "$folder.mqc" "$@" 2>&1)
}
mqc_files() { printf '%s\n' "$1".healcap_general_mqc.tsv "$1".healcap_indexes_mqc.tsv "$1".healcap_problem_sites_mqc.tsv; }

# --- part "pgs": several panels and PGS Catalog scores --------------------------------------------------------
if [ "$part" = pgs ]; then
  pgs=$src/../shared/panel-sources/raw/PGS000314.txt
  if [ ! -f "$pgs" ]; then
    echo "skip: $pgs is missing"
    exit 77
  fi
  python3 "$here/make_pgs_cohort.py" "$pgs" "$work/c" --panel "$src/gene_panels/healing_panel.tsv" 2>"$work/cohort.log" ||
    { cat "$work/cohort.log"; exit 1; }
  t=$'\t'
  mismatch_rsid=$(awk -F'\t' '$1 == "mismatch" { print $2 }' "$work/cohort.log")
  bcftools view -G -Oz -o "$work/c_sitesonly.vcf.gz" "$work/c.vcf.gz" && bcftools view -G -Ob -o "$work/c_sitesonly.bcf" "$work/c.vcf.gz"
  # Four runs in one folder: each keeps its own columns and section (check_multiqc.py takes the panels from
  # each run's JSON).
  for fmt in vcf.gz bcf; do
    d=$work/pgs_$fmt
    mkdir -p "$d"
    run "$healcap" scan --panel bundled --panel "$pgs" --out "$d/two" "$work/c.$fmt"
    expect_rc "$fmt: scan --panel bundled --panel PGS000314.txt" 0
    run "$healcap" scan --panel "$pgs" --panel bundled --out "$d/pgs_first" "$work/c.$fmt"
    expect_rc "$fmt: scan --panel PGS000314.txt --panel bundled" 0
    run "$healcap" scan --panel "$pgs" --out "$d/pgs_only" "$work/c.$fmt"
    expect_rc "$fmt: scan --panel PGS000314.txt" 0
    run "$healcap" scan --out "$d/bundled" "$work/c.$fmt"
    expect_rc "$fmt: scan with the bundled panel alone" 0
    run "$healcap" scan --panel bundled --panel "$pgs" --out "$d/sitesonly" "$work/c_sitesonly.$fmt"
    expect_rc "$fmt: scan of a sites-only input over two panels" 0
    for f in $(mqc_files "$d/two") $(mqc_files "$d/pgs_only"); do
      expect_match "$fmt: $(basename "$f") says research use only" "$(head -1 "$f")" "Research use only"
    done
    expect_eq "$fmt: the PGS-only General Statistics are the score's sum, completeness and sites called (no HCI)" \
      "$(grep -v '^#' "$d/pgs_only.healcap_general_mqc.tsv" | head -1)" "$(printf 'sample\tweighted_sum\tcompleteness\tn_called')"
    expect_match "$fmt: the row whose record has another allele pair is listed as allele_mismatch, in its panel" \
      "$(grep -F "\"$mismatch_rsid\"" "$d/two.healcap_problem_sites_mqc.tsv")" "^\"PGS000314:[0-9]+\"${t}\"PGS000314\"${t}\"allele_mismatch\"${t}\"\"${t}\"$mismatch_rsid\"${t}\"\"${t}\"allele_mismatch\""
    multiqc_on "$fmt panels" "$d"
    check_report "$fmt panels" "$d" "$d/two" "$d/pgs_first" "$d/pgs_only" "$d/bundled" "$d/sitesonly:nosamples"
  done
  for n in two pgs_first pgs_only bundled sitesonly; do
    same=yes
    for f in $(mqc_files "$n"); do cmp -s "$work/pgs_vcf.gz/$f" "$work/pgs_bcf/$f" || same="no: $f"; done
    expect_eq "$n: the MultiQC files of the VCF.gz and the BCF run are the same bytes" "$same" yes
  done
  mkdir -p "$work/pgs_t2" "$work/pgs_merge"
  run "$healcap" scan --threads 2 --panel bundled --panel "$pgs" --out "$work/pgs_t2/two" "$work/c.vcf.gz"
  expect_rc "--threads 2 scan over two panels" 0
  for i in 1 2 3; do
    "$healcap" scan --panel bundled --panel "$pgs" --sample-shard "$i/3" --partial "$work/pgs_$i.hcp" "$work/c.bcf" 2>/dev/null
  done
  run "$healcap" merge --panel bundled --panel "$pgs" --out "$work/pgs_merge/two" "$work/pgs_2.hcp" "$work/pgs_3.hcp" "$work/pgs_1.hcp"
  expect_rc "merge of 3 sample shards over two panels" 0
  for w in pgs_t2 pgs_merge; do
    same=yes
    for f in $(mqc_files two); do cmp -s "$work/pgs_vcf.gz/$f" "$work/$w/$f" || same="no: $f"; done
    expect_eq "$w: the MultiQC files of the two-panel run are the single --threads 1 run's bytes" "$same" yes
  done
  finish
  exit
fi

# --- the inputs: the bundled example, the same with odd sample names, a sites-only copy; VCF.gz and BCF ------
# Names MultiQC would clean or mangle: file suffixes (S1.vcf.gz), digits (1001), NA, a slash, markup, & and ',
# non-ASCII. The header is rewritten whole, so any name can be set.
bcftools view -h "$example" | python3 -c '
import sys
names = ["S1.vcf.gz", "EX02.sorted.bam", "1001", "NA", "pop/EX05", "<img src=x onerror=alert(1)>", "a&b", "O'"'"'Brien", "Ünïcødé"]
for line in sys.stdin:
    if line.startswith("#CHROM"):
        f = line.rstrip("\n").split("\t")
        f[9:9 + len(names)] = names
        line = "\t".join(f) + "\n"
    sys.stdout.write(line)' >"$work/renamed.hdr"
bcftools reheader -h "$work/renamed.hdr" -o "$work/renamed.vcf.gz" "$example" && bcftools index -t "$work/renamed.vcf.gz"
expect_eq "the renamed cohort has the odd names" "$(bcftools query -l "$work/renamed.vcf.gz" | sed -n '1p;6p')" \
  "$(printf 'S1.vcf.gz\n<img src=x onerror=alert(1)>')"
cp "$example" "$work/example.vcf.gz" && bcftools index -t "$work/example.vcf.gz"
bcftools view -G -Oz -o "$work/sitesonly.vcf.gz" "$example" && bcftools index -t "$work/sitesonly.vcf.gz"
for n in example renamed sitesonly; do
  bcftools view -Ob -o "$work/$n.bcf" "$work/$n.vcf.gz" && bcftools index "$work/$n.bcf"
done

# --- scan: five runs in one folder per format --------------------------------------------------------------
# "example" and "contested" are the same samples with different scores (contested rows scored too): each run
# must keep its own General Statistics columns and sections, none replacing the other's.
for fmt in vcf.gz bcf; do
  d=$work/scan_$fmt
  mkdir -p "$d"
  run "$healcap" scan --out "$d/example" "$work/example.$fmt"
  expect_rc "$fmt: scan writes the MultiQC files" 0
  expect_match "$fmt: the summary line names them" "$err" "wrote .*example\.healcap_general_mqc\.tsv, .*example\.healcap_indexes_mqc\.tsv, .*example\.healcap_problem_sites_mqc\.tsv"
  run "$healcap" scan --grades replicated,suggestive,contested --out "$d/contested" "$work/example.$fmt"
  expect_rc "$fmt: a second run in the folder (contested rows scored)" 0
  expect_eq "$fmt: the second run's scores differ from the first's" \
    "$(cmp -s "$d/example.samples.tsv" "$d/contested.samples.tsv" && echo same || echo differ)" differ
  run "$healcap" scan --out "$d/renamed" "$work/renamed.$fmt"
  expect_rc "$fmt: scan of the renamed cohort" 0
  run "$healcap" scan --out "$d/sitesonly" "$work/sitesonly.$fmt"
  expect_rc "$fmt: scan of a sites-only input" 0
  run "$healcap" scan --out "$d/run 2 <b>" "$work/example.$fmt"  # a prefix with a space and markup
  expect_rc "$fmt: scan with the prefix 'run 2 <b>'" 0
  for f in $(mqc_files "$d/example") $(mqc_files "$d/sitesonly"); do
    expect_match "$fmt: $(basename "$f") says research use only" "$(head -1 "$f")" "Research use only"
  done
  multiqc_on "$fmt scan" "$d"
  check_report "$fmt scan" "$d" "$d/example" "$d/contested" "$d/renamed" "$d/sitesonly:nosamples" "$d/run 2 <b>"
done
for n in example contested renamed sitesonly; do
  same=yes
  for f in $(mqc_files "$n"); do cmp -s "$work/scan_vcf.gz/$f" "$work/scan_bcf/$f" || same="no: $f"; done
  expect_eq "$n: the MultiQC files of the VCF.gz and the BCF run are the same bytes" "$same" yes
done
# The thread count changes no byte.
mkdir -p "$work/t2"
run "$healcap" scan --threads 2 --out "$work/t2/renamed" "$work/renamed.vcf.gz"
expect_rc "--threads 2 scan" 0
same=yes
for f in $(mqc_files renamed); do cmp -s "$work/scan_vcf.gz/$f" "$work/t2/$f" || same="no: $f"; done
expect_eq "--threads 2 gives the MultiQC files of --threads 1" "$same" yes

# --- merge of sample shards: the single run's MultiQC files, and a report of them ---------------------------
for fmt in vcf.gz bcf; do
  d=$work/merge_$fmt
  mkdir -p "$d"
  for i in 1 2 3; do "$healcap" scan --sample-shard "$i/3" --partial "$work/p_${fmt}_$i.hcp" "$work/renamed.$fmt" 2>/dev/null; done
  run "$healcap" merge --out "$d/renamed" "$work/p_${fmt}_3.hcp" "$work/p_${fmt}_1.hcp" "$work/p_${fmt}_2.hcp"
  expect_rc "$fmt: merge of 3 sample shards writes the MultiQC files" 0
  same=yes
  for f in $(mqc_files renamed); do cmp -s "$work/scan_$fmt/$f" "$d/$f" || same="no: $f"; done
  expect_eq "$fmt: the merge's MultiQC files are the single run's bytes" "$same" yes
  multiqc_on "$fmt merge" "$d"
  check_report "$fmt merge" "$d" "$d/renamed"
done

# --- the log check can fail: a custom-content file MultiQC cannot read is only a line in its log -------------
d=$work/broken
mkdir -p "$d"
cp "$work/scan_vcf.gz/example".*.tsv "$work/scan_vcf.gz/example.json" "$d/"
head -c -40 "$work/scan_vcf.gz/example.healcap_indexes_mqc.tsv" >"$d/example.healcap_indexes_mqc.tsv"  # cut short
multiqc_on "a truncated indexes file" "$d"
if python3 "$here/check_multiqc.py" "$d.mqc" "$d/example" >"$work/broken.out" 2>&1; then
  fail "the log check catches a file MultiQC could not parse (multiqc exits 0)"
else
  expect_match "the log check catches a file MultiQC could not parse (multiqc exits 0)" \
    "$(grep FAIL "$work/broken.out" | head -1)" "FAIL multiqc.log holds no warning"
fi

# --- real data: a 1000 Genomes subset (chr22, 1,126 samples) with a panel made from its sites -----------------
kg=$ext/UW-GAC-analysis_pipeline/testdata/1KG_phase3_subset_chr22.vcf.gz
if [ ! -f "$kg" ]; then
  echo "$n_pass passed, $n_fail failed; skipped: $kg not found"
  [ "$n_fail" -eq 0 ] && exit 77
  exit 1
fi
# Every 9th biallelic SNV; the effect-allele frequencies are the test's own (0.1 to 0.5), so that some rows
# differ from the cohort's frequency.
{ printf '##panel=kg22-test\n##version=1\n'
  printf 'id\trsid\tgene\tpathway\ttrait\tchrom\tpos_grch37\tref_grch37\talt_grch37\tpos_grch38\tref_grch38\talt_grch38\teffect_allele\todds_ratio\tweight\tmodel\teaf\tevidence_grade\tevidence\tsource\tnotes\n'
  bcftools query -f '%CHROM\t%POS\t%REF\t%ALT\n' "$kg" | awk -F'\t' -v OFS='\t' '
    length($3) == 1 && length($4) == 1 && NR % 9 == 0 {
      n++; split("additive dominant recessive", m, " "); split("matrix_structure inflammation other", p, " ")
      print "kg" n, ".", "GENE" n, p[n % 3 + 1], (n % 2) ? "bone" : "tendon_ligament", $1, $2, $3, $4, ".", ".", ".", (n % 2) ? $4 : $3, ".", (n % 7 + 1) / 10, m[n % 3 + 1], (n % 5 + 1) / 10, "replicated", ".", "test", "."
    }'; } >"$work/kg.panel.tsv"
bcftools view -Oz -o "$work/kg.vcf.gz" "$kg" && bcftools view -Ob -o "$work/kg.bcf" "$kg"
for fmt in vcf.gz bcf; do
  d=$work/kg_$fmt
  mkdir -p "$d"
  run "$healcap" scan --panel "$work/kg.panel.tsv" --out "$d/kg22" "$work/kg.$fmt"
  expect_rc "1000G $fmt: scan" 0
  # 1,126 rows: General Statistics is a table only below max_table_rows (README "MultiQC").
  multiqc_on "1000G $fmt" "$d" --cl-config "max_table_rows: 100000"
  check_report "1000G $fmt" "$d" "$d/kg22"
done
n=$(grep -v '^#' "$work/kg_vcf.gz/kg22.healcap_problem_sites_mqc.tsv" | grep -c 'frequency_vs_eaf')
if [ "$n" -gt 0 ]; then pass "1000G: $n rows are listed for frequency_vs_eaf"; else fail "1000G: no row is listed for frequency_vs_eaf"; fi
finish
