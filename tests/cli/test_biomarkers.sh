#!/usr/bin/env bash
# The biomarker layer end to end (issue 12): the bundled example (tests/data/example_biomarkers.tsv, with its
# sample map) against golden outputs (PREFIX.biomarkers.tsv, samples.tsv with the bm_* columns, the JSON's
# "biomarkers" object) on VCF.gz and BCF at 1 and 2 threads; a run without --biomarkers unchanged; the genetic
# columns untouched by the layer; `healcap biomarkers` standalone (with --samples = the scan's layer); merge of
# sample and region shards = the single run, and merge --biomarkers over partials made without it; report
# --biomarkers = scan --html --biomarkers; --rcv symmetric; unknown markers and unmapped samples reported on
# stderr; every bad input with its FILE:LINE message and exit code; and PGS000314 beside measured CRP on a
# 40-sample GRCh37 cohort (make_pgs_cohort.py), its correlations checked by an independent computation (that part
# is skipped when ../shared/panel-sources/raw/PGS000314.txt is missing).
# Usage: test_biomarkers.sh HEALCAP_BINARY PROJECT_SOURCE_DIR   (HEALCAP_UPDATE_GOLDEN=1 rewrites the golden files)
set -u
healcap=$1
src=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
example=$src/tests/data/example_cohort.vcf.gz
golden=$src/tests/data/golden
pgs=$src/../shared/panel-sources/raw/PGS000314.txt
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
LC_ALL=C
export LC_ALL

# The run's JSON "biomarkers" member, as written (the document's last member), and the JSON without it and the run.
bm_object() { sed -n '/^"biomarkers":{/,$p' "$1" | sed '$d'; }
stable_json() { grep -v -e '^"run":' -e '^"input":' "$1"; }
same_file() {  # same_file NAME A B
  if cmp -s "$2" "$3"; then pass "$1"; else fail "$1" "$(diff "$2" "$3" | head -6)"; fi
}
# The genetic columns of samples.tsv (those before the bm_* ones).
genetic_cols() { awk -F'\t' 'BEGIN { OFS = "\t" } /^#/ { next } { if (!n) { for (i = 1; i <= NF; i++) if ($i ~ /^bm_/) break; n = i - 1 } $0 = $0; NF = n; print }' "$1"; }

# Everything runs in $work with the biomarker file and map under short names, so that the outputs (which name the
# file as given) do not depend on where the project is checked out.
cd "$work" || exit 1
cp "$src/tests/data/example_biomarkers.tsv" "$src/tests/data/example_biomarkers_sample_map.tsv" .
cp "$example" ex.vcf.gz && cp "$example.tbi" ex.vcf.gz.tbi
bcftools view -Ob -o ex.bcf "$example" && bcftools index ex.bcf
BM=(--biomarkers example_biomarkers.tsv --sample-map example_biomarkers_sample_map.tsv)

# --- the example: goldens, VCF.gz and BCF, 1 and 2 threads -------------------------------------------------------
run "$healcap" scan --threads 1 --out t1 "${BM[@]}" ex.vcf.gz
expect_rc "scan --biomarkers the example" 0
expect_match "scan names PREFIX.biomarkers.tsv among its outputs" "$err" "wrote .*t1\.json, .*t1\.biomarkers\.tsv"
expect_eq "the example's lab ids are all mapped: no line about unmatched samples" "$(grep -c 'no genotypes\|no biomarker rows' <<<"$err")" 0
if [ "${HEALCAP_UPDATE_GOLDEN:-0}" = 1 ]; then
  cp t1.biomarkers.tsv "$golden/example.biomarkers.tsv"
  cp t1.samples.tsv "$golden/example_biomarkers.samples.tsv"
  bm_object t1.json >"$golden/example.biomarkers.json"
fi
same_file "biomarkers.tsv equals the golden file" t1.biomarkers.tsv "$golden/example.biomarkers.tsv"
same_file "samples.tsv with the bm_* columns equals the golden file" t1.samples.tsv "$golden/example_biomarkers.samples.tsv"
same_file "the JSON's biomarkers object equals the golden file" <(bm_object t1.json) "$golden/example.biomarkers.json"
expect_eq "the biomarkers object is valid JSON, the document's last member" \
  "$(python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(list(d)[-1], len(d["biomarkers"]["samples"]))' t1.json)" "biomarkers 20"
for fmt in vcf.gz bcf; do
  for t in 1 2; do
    run "$healcap" scan --threads $t --out "$fmt.$t" "${BM[@]}" "ex.$fmt"
    expect_rc "$fmt at $t threads" 0
    same_file "$fmt at $t threads: biomarkers.tsv = the golden file" "$fmt.$t.biomarkers.tsv" "$golden/example.biomarkers.tsv"
    same_file "$fmt at $t threads: samples.tsv = the golden file" "$fmt.$t.samples.tsv" "$golden/example_biomarkers.samples.tsv"
    same_file "$fmt at $t threads: the biomarkers object = the golden file" <(bm_object "$fmt.$t.json") "$golden/example.biomarkers.json"
  done
done
expect_match "biomarkers.tsv says research use and never folded" "$(head -1 t1.biomarkers.tsv)" "Research use only: not a diagnosis; never folded into the genetic index"
expect_match "the JSON cites Macy 1997 beside the CRP CVs it used" "$(bm_object t1.json)" '"cv_within_pct":42.2,"cv_analytical_pct":5.2,.*"citation":"Macy EM, Hayes TE, Tracy RP. Clin Chem 1997'
expect_match "the JSON cites the AHA/CDC categories" "$(bm_object t1.json)" '"category":"low","low_inclusive":0,"high_exclusive":1,"unit":"mg/L".*Pearson TA et al. Circulation 2003'

# --- the layer never changes the genetic side ----------------------------------------------------------------------
run "$healcap" scan --threads 1 --out plain ex.vcf.gz
same_file "without --biomarkers, samples.tsv is today's golden file" plain.samples.tsv "$golden/example.samples.tsv"
expect_eq "without --biomarkers, no biomarkers.tsv and no biomarkers in the JSON" "$(ls plain.biomarkers.tsv 2>/dev/null; grep -c '"biomarkers"' plain.json)" 0
same_file "with --biomarkers, the genetic columns of samples.tsv are unchanged" <(genetic_cols t1.samples.tsv) <(genetic_cols plain.samples.tsv)
same_file "with --biomarkers, sites.tsv is unchanged" t1.sites.tsv plain.sites.tsv
same_file "with --biomarkers, the JSON before the biomarkers object is unchanged" \
  <(stable_json t1.json | sed '/^"biomarkers":{/,$d' | sed '$s/,$//') <(stable_json plain.json | sed '$d')

# --- what the example shows --------------------------------------------------------------------------------------
col() { awk -F'\t' -v n="$2" '/^#/ { next } !c { for (i = 1; i <= NF; i++) if ($i == n) c = i; next } { print $1, $c }' "$1"; }
row_of() { awk -F'\t' -v s="$2" -v m="$3" -v sp="$4" -v tp="$5" '$1 == s && $3 == m && $5 == sp && $6 == tp' "$1"; }
expect_match "EX04's CRP fell to below 0.15 mg/L: a bound, a decrease, improved" "$(row_of t1.biomarkers.tsv EX04 CRP serum 3m)" \
  $'\t<0.15\tmg/L\t0\t5\tnormal\tlow\tbaseline\t\\.\t<-97\\.8873\t-67\\.7401\t209\\.982\t117\\.857\tdecrease\timproved'
expect_match "EX12's CRP in mg/dL is converted to mg/L, with its interval" "$(row_of t1.biomarkers.tsv EX12 CRP serum baseline)" \
  $'\t1\\.61\tmg/L\t0\t5\tnormal\taverage\t'
expect_match "EX12's lab's cv_analytical (3.1 %) gives its RCV (117.288 %)" "$(row_of t1.biomarkers.tsv EX12 CRP serum 3m)" \
  $'\t0\\.37\tmg/L\t.*\t-67\\.5485\t208\\.152\t117\\.288\tdecrease\timproved'
expect_match "synovial fluid: the change, no RCV" "$(row_of t1.biomarkers.tsv EX05 IL-6 synovial_fluid 3m)" $'\tno_rcv\t\\.\t.*no within-person variation study of IL-6 in synovial fluid'
expect_match "MMP-3: no RCV available" "$(row_of t1.biomarkers.tsv EX05 MMP-3 serum 3m)" 'no_rcv.*no within-person variation study of MMP-3 was found'
expect_match "TIMP-1 without cv_analytical: no RCV, and what to give" "$(row_of t1.biomarkers.tsv EX18 TIMP-1 plasma 3m)" "no_rcv.*give the lab's cv_analytical"
expect_match "TIMP-1 with cv_analytical: an RCV" "$(row_of t1.biomarkers.tsv EX15 TIMP-1 plasma 3m)" $'\t-27\\.4539\t37\\.8435\t32\\.1751\t'
expect_match "IL-1beta from below 0.10: a bound that does not pass the limit" "$(row_of t1.biomarkers.tsv EX09 IL-1beta serum 3m)" $'\t>130\t.*\tnot_computable\t'
expect_eq "the mapped lab ids are the VCF's samples" "$(awk -F'\t' '$1 ~ /^LAB/' t1.biomarkers.tsv | wc -l) $(awk -F'\t' '$1 == "EX07" && $2 == "yes"' t1.biomarkers.tsv | wc -l)" "0 18"

# --- --rcv symmetric: no fall of CRP can pass ±117.9 % -------------------------------------------------------------
run "$healcap" scan --out sym "${BM[@]}" --rcv symmetric ex.vcf.gz
expect_rc "--rcv symmetric" 0
expect_eq "under --rcv symmetric no CRP decrease is significant" \
  "$(awk -F'\t' '$3 == "CRP" && $20 == "decrease"' sym.biomarkers.tsv | wc -l) $(awk -F'\t' '$3 == "CRP" && $20 == "decrease"' t1.biomarkers.tsv | wc -l)" "0 5"
expect_match "the JSON says which limits decided" "$(bm_object sym.json)" '"rcv":\{"verdict_limits":"symmetric"'

# --- healcap biomarkers, without a VCF -----------------------------------------------------------------------------
run "$healcap" biomarkers --out alone "${BM[@]:2}" example_biomarkers.tsv
expect_rc "healcap biomarkers FILE" 0
expect_eq "standalone: the same rows, with genotyped unknown ('.')" \
  "$(cut -f1,3- alone.biomarkers.tsv | md5sum)" "$(cut -f1,3- t1.biomarkers.tsv | md5sum)"
expect_eq "standalone: genotyped is '.' on every row" "$(awk -F'\t' 'NR > 2 && $2 != "."' alone.biomarkers.tsv | wc -l)" 0
run "$healcap" biomarkers --out withrun --samples t1.json "${BM[@]:2}" example_biomarkers.tsv
expect_rc "healcap biomarkers --samples RUN.json FILE" 0
same_file "standalone with --samples: biomarkers.tsv = the scan's" withrun.biomarkers.tsv t1.biomarkers.tsv
same_file "standalone with --samples: the biomarkers object = the scan's" \
  <(python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1]))["biomarkers"]))' withrun.biomarkers.json) \
  <(python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1]))["biomarkers"]))' t1.json)
expect_match "the standalone JSON says research use" "$(head -3 alone.biomarkers.json)" '"research_use":"Research use only'

# --- unmapped samples, unknown markers: one line each, with counts --------------------------------------------------
{ cat example_biomarkers.tsv; printf 'EX01\tIL-17A\tserum\tbaseline\t2026-01-20\t3.2\tpg/mL\t\t\t\t\t\nEX01\tIL-17A\tserum\t3m\t2026-04-21\t2.2\tpg/mL\t\t\t\t\t\nNOVCF1\tCRP\tserum\tbaseline\t2026-01-20\t2\tmg/L\t\t\t\t\t\n'; } >extra.tsv
run "$healcap" scan --out unmapped --biomarkers extra.tsv ex.vcf.gz
expect_rc "unknown markers and unmatched samples are not errors" 0
expect_match "one warning counts the unknown marker's rows" "$err" "warning: extra.tsv: marker 'IL-17A' is not in healcap's biomarker reference \(2 rows, first at line 211\)"
expect_match "one line counts the samples with biomarkers but no genotypes" "$err" "healcap scan: 3 sample\(s\) with biomarkers have no genotypes in the run \(LAB-A-0007, LAB-B-0012, NOVCF1\)"
expect_match "one line counts the genotyped samples without biomarkers" "$err" "healcap scan: 2 genotyped sample\(s\) have no biomarker rows \(EX07, EX12\)"
expect_eq "the unknown marker's rows are in the TSV, verdict '.' then no_rcv" "$(awk -F'\t' '$3 == "IL-17A" { print $4, $20 }' unmapped.biomarkers.tsv | tr '\n' ' ')" "no . no no_rcv "
expect_eq "the JSON lists them" "$(python3 -c 'import json, sys; b = json.load(open(sys.argv[1]))["biomarkers"]; print(b["unknown_markers"], b["samples_without_genotypes"], b["genotyped_without_biomarkers"])' unmapped.json)" \
  "[{'name': 'IL-17A', 'n_rows': 2, 'first_line': 211}] ['LAB-A-0007', 'LAB-B-0012', 'NOVCF1'] ['EX07', 'EX12']"

# --- merge: shards = the single run; merge --biomarkers over partials without ---------------------------------------
for fmt in vcf.gz bcf; do
  "$healcap" scan --quiet --sample-shard 1/2 --partial "s1.$fmt.hcp" "${BM[@]}" "ex.$fmt"
  "$healcap" scan --quiet --sample-shard 2/2 --partial "s2.$fmt.hcp" "${BM[@]}" "ex.$fmt"
  run "$healcap" merge --out "ms.$fmt" "s2.$fmt.hcp" "s1.$fmt.hcp"
  expect_rc "$fmt: merge of sample shards made with --biomarkers" 0
  same_file "$fmt: merged sample shards: biomarkers.tsv = the single run's" "ms.$fmt.biomarkers.tsv" t1.biomarkers.tsv
  same_file "$fmt: merged sample shards: samples.tsv = the single run's" "ms.$fmt.samples.tsv" t1.samples.tsv
  same_file "$fmt: merged sample shards: the JSON = the single run's (run line aside)" <(grep -v '^"run":' "ms.$fmt.json") <(grep -v '^"run":' "$fmt.1.json")
  "$healcap" scan --quiet -r chr1,chr2,chr3,chr4,chr5,chr6 --region-shard 1/2 --partial "r1.$fmt.hcp" "${BM[@]}" "ex.$fmt"
  "$healcap" scan --quiet -r chr7,chr8,chr9,chr10,chr11,chr12,chr13,chr14,chr15,chr16,chr17,chr18,chr19,chr20,chr21,chr22,chrX,chrY --region-shard 2/2 --partial "r2.$fmt.hcp" "${BM[@]}" "ex.$fmt"
  run "$healcap" merge --out "mr.$fmt" "r1.$fmt.hcp" "r2.$fmt.hcp"
  expect_rc "$fmt: merge of region shards made with --biomarkers" 0
  same_file "$fmt: merged region shards: biomarkers.tsv = the single run's" "mr.$fmt.biomarkers.tsv" t1.biomarkers.tsv
  same_file "$fmt: merged region shards: the biomarkers object = the single run's" <(bm_object "mr.$fmt.json") <(bm_object t1.json)
  "$healcap" scan --quiet --sample-shard 1/2 --partial "n1.$fmt.hcp" "ex.$fmt"
  "$healcap" scan --quiet --sample-shard 2/2 --partial "n2.$fmt.hcp" "ex.$fmt"
  run "$healcap" merge --out "mn.$fmt" "${BM[@]}" "n1.$fmt.hcp" "n2.$fmt.hcp"
  expect_rc "$fmt: merge --biomarkers over partials made without it" 0
  same_file "$fmt: merge --biomarkers: biomarkers.tsv = the single run's" "mn.$fmt.biomarkers.tsv" t1.biomarkers.tsv
  same_file "$fmt: merge --biomarkers: samples.tsv = the single run's" "mn.$fmt.samples.tsv" t1.samples.tsv
done
run "$healcap" merge --out mixed s1.bcf.hcp n2.bcf.hcp
expect_rc "partials with and without a biomarker layer are refused" 1
expect_match "the refusal names both partials" "$err" "n2.bcf.hcp and s1.bcf.hcp carry different biomarker layers"
run "$healcap" merge --out replaced --biomarkers extra.tsv s1.bcf.hcp s2.bcf.hcp
expect_rc "merge --biomarkers over partials carrying another layer" 0
expect_match "the replacement is said" "$err" "warning: the partials' biomarker layer \(example_biomarkers.tsv\) is replaced by --biomarkers extra.tsv"
same_file "the merge's layer is the one given" replaced.biomarkers.tsv unmapped.biomarkers.tsv

# --- report --biomarkers = scan --html --biomarkers (the command line aside) -----------------------------------------
"$healcap" scan --quiet --html --out page "${BM[@]}" ex.vcf.gz
run "$healcap" report --out rep "${BM[@]}" plain.json
expect_rc "report --biomarkers on a run without the layer" 0
no_cmd() { sed 's#<code>healcap scan[^<]*</code>##g' "$1"; }
same_file "report --biomarkers = scan --html --biomarkers (command line aside)" <(no_cmd rep.html) <(no_cmd page.html)
run "$healcap" report --out rep2 page.json
same_file "report of a run with the layer = its scan --html" rep2.html page.html
run "$healcap" report --out rep3 "${BM[@]}" page.json
expect_match "report --biomarkers over a run that has a layer replaces it, and says so" "$err" "warning: page.json: its biomarker layer is replaced by --biomarkers example_biomarkers.tsv"
same_file "the same layer again gives the same page" rep3.html page.html

# --- bad input: one line naming FILE:LINE, exit 1; usage errors exit 2 ---------------------------------------------
H=$'sample\tmarker\tvalue\tunit\ttimepoint\tdate\tref_low\tref_high'
bad() {  # bad NAME CONTENT REGEX [extra options]
  local name=$1 content=$2 regex=$3
  shift 3
  printf '%s' "$content" >bad.tsv
  run "$healcap" biomarkers --out bad "$@" bad.tsv
  expect_rc "$name" 1
  expect_match "$name: the message" "$err" "$regex"
  expect_one_line "$name: one line" "$err"
  if ls bad.biomarkers.* >/dev/null 2>&1; then fail "$name: outputs left behind"; else pass "$name: no outputs"; fi
  run "$healcap" scan --out badscan --biomarkers bad.tsv "$@" ex.vcf.gz
  expect_rc "$name (scan)" 1
  expect_match "$name (scan): the same message" "$err" "$regex"
  if ls badscan.* >/dev/null 2>&1; then fail "$name (scan): outputs left behind"; else pass "$name (scan): no outputs"; fi
}
bad "an empty file" "" "^healcap: error: bad\.tsv: empty file: no header line and no measurements"
bad "a header without rows" "$H"$'\n' "^healcap: error: bad\.tsv:1: no measurements after the header"
bad "a missing required column" $'sample\tmarker\tvalue\tunit\nEX01\tCRP\t1\tmg/L\n' "^healcap: error: bad\.tsv:1: missing required column 'timepoint'"
bad "a non-numeric value" "$H"$'\nEX01\tCRP\t1.0\tmg/L\tbaseline\t2026-01-01\t\t\nEX01\tCRP\thigh\tmg/L\t3m\t2026-04-01\t\t\n' "^healcap: error: bad\.tsv:3: value 'high' of CRP is not a number"
bad "a negative concentration" "$H"$'\nEX01\tIL-6\t-2\tpg/mL\tbaseline\t2026-01-01\t\t\n' "^healcap: error: bad\.tsv:2: negative concentration '-2' of IL-6"
bad "an unknown unit" "$H"$'\nEX01\tCRP\t2\tnmol/L\tbaseline\t2026-01-01\t\t\n' "^healcap: error: bad\.tsv:2: unit 'nmol/L' is not known for CRP; use one of mg/L"
bad "a duplicate with another value" "$H"$'\nEX01\tCRP\t2\tmg/L\tbaseline\t2026-01-01\t\t\nEX01\tC-reactive protein\t3\tmg/L\tbaseline\t2026-01-01\t\t\n' "^healcap: error: bad\.tsv:3: duplicate of line 2 \(sample 'EX01', CRP, timepoint 'baseline', serum\) with another value"
bad "a timepoint without a date or --timepoints" "$H"$'\nEX01\tCRP\t2\tmg/L\tbaseline\t2026-01-01\t\t\nEX01\tCRP\t3\tmg/L\t3m\t\t\t\n' "^healcap: error: bad\.tsv:3: timepoint '3m' has no date, and without --timepoints healcap does not guess an order"
bad "a timepoint not in --timepoints" "$H"$'\nEX01\tCRP\t2\tmg/L\tbaseline\t\t\t\nEX01\tCRP\t3\tmg/L\t6m\t\t\t\n' "^healcap: error: bad\.tsv:3: timepoint '6m' is not among --timepoints baseline,3m" --timepoints baseline,3m
bad "contradictory dates" "$H"$'\nEX01\tCRP\t2\tmg/L\tbaseline\t2026-05-01\t\t\nEX01\tCRP\t3\tmg/L\t3m\t2026-01-01\t\t\n' "^healcap: error: bad\.tsv:3: sample 'EX01': timepoint '3m' is dated 2026-01-01" --timepoints baseline,3m
bad "ref_low above ref_high" "$H"$'\nEX01\tCRP\t2\tmg/L\tbaseline\t2026-01-01\t5\t1\n' "^healcap: error: bad\.tsv:2: ref_low '5' is above ref_high '1'"
bad "a bad date" "$H"$'\nEX01\tCRP\t2\tmg/L\tbaseline\t2026-13-01\t\t\n' "^healcap: error: bad\.tsv:2: date '2026-13-01' is not an ISO 8601 calendar date"
bad "a row of another width" "$H"$'\nEX01\tCRP\t2\tmg/L\n' "^healcap: error: bad\.tsv:2: 4 fields, the header has 8"
printf 'L1\tEX01\tx\n' >badmap.tsv
run "$healcap" biomarkers --out bad --sample-map badmap.tsv example_biomarkers.tsv
expect_rc "a bad sample map" 1
expect_match "a bad sample map: its FILE:LINE" "$err" "^healcap: error: badmap\.tsv:1: expected two tab-separated fields"
run "$healcap" biomarkers --out bad missing.tsv
expect_rc "a missing biomarker file" 1
expect_match "a missing biomarker file: named" "$err" "^healcap: error: missing\.tsv: cannot open the biomarker file: "
run "$healcap" scan --out bad --biomarkers example_biomarkers.tsv --rcv wide ex.vcf.gz
expect_rc "--rcv wide is a usage error" 2
expect_match "--rcv wide: the option named" "$err" "^healcap scan: --rcv 'wide' is not lognormal or symmetric"
run "$healcap" scan --out bad --timepoints baseline,3m ex.vcf.gz
expect_rc "--timepoints without --biomarkers is a usage error" 2
run "$healcap" biomarkers example_biomarkers.tsv
expect_rc "healcap biomarkers without --out is a usage error" 2
run "$healcap" report --out bad --sample-map x.tsv plain.json
expect_rc "report --sample-map without --biomarkers is a usage error" 2

# --- PGS000314 beside measured baseline CRP (40 samples), correlations checked independently -------------------------
if [ ! -f "$pgs" ]; then
  echo "skip: $pgs is missing (the PGS000314 part)"
else
  python3 "$here/make_pgs_cohort.py" "$pgs" c --panel "$src/gene_panels/healing_panel.tsv" --samples 40 2>/dev/null ||
    fail "make_pgs_cohort.py failed"
  python3 - <<'EOF' >crp.tsv
print("# synthetic CRP for the PGS test cohort")
print("sample\tmarker\tvalue\tunit\ttimepoint\tdate")
for k in range(1, 41):
    s = f"S{k:02d}"
    if k == 13:
        continue  # no CRP: a pair without a measurement
    v = "<0.15" if k == 7 else f"{0.3 + ((k * 37) % 23) / 4:.2f}"
    print(f"{s}\tCRP\t{v}\tmg/L\tbaseline\t2026-01-0{1 + k % 9}")
    print(f"{s}\thsCRP\t{0.2 + ((k * 11) % 17) / 5:.2f}\tmg/L\t3m\t2026-04-0{1 + k % 9}")
EOF
  for fmt in vcf.gz bcf; do
    run "$healcap" scan --panel bundled --panel "$pgs" --out "pgs.$fmt" --biomarkers crp.tsv "c.$fmt"
    expect_rc "$fmt: PGS000314 beside the bundled panel, with --biomarkers" 0
    expect_eq "$fmt: crp_genetic against an independent computation from samples.tsv and the CRP file" \
      "$(python3 - "pgs.$fmt.samples.tsv" crp.tsv "pgs.$fmt.json" <<'EOF'
import json, math, sys
def ranks(v):
    order = sorted(range(len(v)), key=lambda i: v[i])
    r = [0.0] * len(v)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and v[order[j + 1]] == v[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return r
def pearson(x, y):
    mx, my = sum(x) / len(x), sum(y) / len(y)
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    return sxy / math.sqrt(sum((a - mx) ** 2 for a in x) * sum((b - my) ** 2 for b in y))
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if not l.startswith("#")]
col = rows[0].index("PGS000314_weighted_sum")
score = {r[0]: float(r[col]) for r in rows[1:]}
crp = {}
for l in open(sys.argv[2]):
    f = l.rstrip("\n").split("\t")
    if len(f) > 4 and f[4] == "baseline" and not f[2].startswith("<"):
        crp[f[0]] = float(f[2])
pairs = [(score[s], crp[s]) for s in score if s in crp]
g = json.load(open(sys.argv[3]))["biomarkers"]["crp_genetic"]
x, y = [p[0] for p in pairs], [p[1] for p in pairs]
ok = (g["n"] == len(pairs) and g["column"] == "PGS000314_weighted_sum" and len(g["pairs"]) == 40
      and abs(g["pearson_r"] - pearson(x, y)) < 1e-5 and abs(g["spearman_rho"] - pearson(ranks(x), ranks(y))) < 1e-5
      and "not a validation" in g["label"])
print("agree" if ok else f"differ: {g['n']} {len(pairs)} {g['pearson_r']} {pearson(x, y)} {g['spearman_rho']}")
EOF
)" agree
  done
  same_file "PGS000314 beside CRP: VCF.gz = BCF" <(bm_object pgs.vcf.gz.json) <(bm_object pgs.bcf.json)
  expect_eq "38 samples with a score and an uncensored CRP" "$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["biomarkers"]["crp_genetic"]["n"])' pgs.bcf.json)" 38
  # Below 30 such samples: N, no correlation.
  head -n 40 crp.tsv >crp_few.tsv
  run "$healcap" scan --panel "$pgs" --out pgsfew --biomarkers crp_few.tsv c.bcf
  expect_eq "below 30 samples: N, and no correlation (PGS000314 as the first panel: column weighted_sum)" \
    "$(python3 -c 'import json, sys; g = json.load(open(sys.argv[1]))["biomarkers"]["crp_genetic"]; print(g["n"], g["pearson_r"], g["spearman_rho"], g["column"])' pgsfew.json)" "18 None None weighted_sum"
fi

finish
