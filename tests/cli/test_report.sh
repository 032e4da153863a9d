#!/usr/bin/env bash
# `healcap report` and `scan/merge --html` rendered in a real browser (Debian's headless chromium): the page is not
# blank, its samples table equals samples.tsv and a card's genotypes equal bcftools query (on VCF.gz and on BCF),
# a one-sample gVCF gives a one-person report, hostile names, IDs and panel text stay text, 'report' equals
# '--html' byte for byte, and bad input gets one line with FILE:LINE:COLUMN; a run over the healing panel and a
# PGS Catalog score (PGS000314, on a cohort from make_pgs_cohort.py) shows each panel, its numbers equal to
# samples.tsv, the ledger's panel column and cards grouped by panel, merged shards give the same page, and a
# PGS-only run renders; with a "biomarkers" object (the hand-written tests/data/report_biomarkers_fixture.json added to
# the example's run), the Biomarkers section and each card's plots show the JSON's numbers, on VCF.gz and BCF, and
# hostile biomarker text stays text. The cards' genotypes come from the run's calls file: a missing, foreign,
# truncated or bad one is one line; --calls FILE and --no-calls.
# Usage: test_report.sh HEALCAP_BINARY PROJECT_SOURCE_DIR    (exit 77 when ../shared/data/external or
# ../shared/panel-sources/raw/PGS000314.txt is missing; the other cases still run)
set -u
healcap=$1
src=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
example=$src/tests/data/example_cohort.vcf.gz
external=$src/../shared/data/external
pgs=$src/../shared/panel-sources/raw/PGS000314.txt
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
check() { run python3 "$here/check_report_dom.py" "$@"; }

if ! command -v chromium >/dev/null 2>&1; then
  fail "chromium is not installed (scripts/setup.sh installs Debian's chromium)"
  finish
  exit 1
fi
# chrome dom URL > FILE | chrome shot URL PNG: headless, no network services, a fresh profile each time.
chrome() {
  local profile
  profile=$(mktemp -d "$work/profile.XXXXXX")
  local args=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
    --disable-component-update --disable-sync --user-data-dir="$profile")
  if [ "$1" = dom ]; then
    HOME=$profile timeout 90 chromium "${args[@]}" --dump-dom "$2" 2>/dev/null
  else
    HOME=$profile timeout 90 chromium "${args[@]}" --screenshot="$3" --window-size=1280,2000 "$2" >/dev/null 2>&1
  fi
  rm -rf "$profile"
}
url() { python3 -c 'import sys, urllib.parse; print("file://" + urllib.parse.quote(sys.argv[1]) + sys.argv[2])' "$1" "${2:-}"; }
not_blank() {  # not_blank NAME PNG: more than a handful of colours, and at least 2% of the pixels not white
  local s
  s=$(python3 "$here/png_stats.py" "$2" 2>&1)
  if awk -v s="$s" 'BEGIN { split(s, f, /[ =]/); exit !(f[6] >= 16 && f[8] >= 0.02) }'; then pass "$1 ($s)"; else fail "$1" "$s"; fi
}

# --- the example, VCF.gz and BCF: scan --html = report; the page in the browser ---------------------------------
bcftools view -Ob -o "$work/example.bcf" "$example" && bcftools index "$work/example.bcf"
for fmt in vcf bcf; do
  input=$example
  [ $fmt = bcf ] && input=$work/example.bcf
  run "$healcap" scan --html --out "$work/$fmt" "$input"
  expect_rc "scan --html the example ($fmt)" 0
  expect_match "scan names PREFIX.html among its outputs ($fmt)" "$err" "wrote .*$fmt\.json, .*$fmt\.html"
  run "$healcap" report --out "$work/$fmt.report" "$work/$fmt.json"
  expect_rc "healcap report on the scan's JSON ($fmt)" 0
  expect_match "report says what it read and wrote" "$err" "^healcap report: .*$fmt\.json: 20 samples, 128 panel rows, panel healcap-healing 1\.1\.0; wrote "
  expect_eq "healcap report gives the bytes of scan --html ($fmt)" "$(cmp "$work/$fmt.html" "$work/$fmt.report.html" && echo same)" same
  chrome dom "$(url "$work/$fmt.html")" >"$work/$fmt.dom"
  check structure "$work/$fmt.dom"
  expect_rc "the page has its sections, banner, histograms and ledger ($fmt: ${out#ok   })" 0
  check samples "$work/$fmt.dom" "$work/$fmt.samples.tsv"
  expect_rc "every sample's index, completeness and z-score in the browser equal samples.tsv ($fmt)" 0
  [ $rc -ne 0 ] && echo "$out"
  s=EX01
  [ $fmt = bcf ] && s=EX07
  chrome dom "$(url "$work/$fmt.html" "#sample=$s")" >"$work/$fmt.$s.dom"
  check card "$work/$fmt.$s.dom" "$work/$fmt.json" $s "$input"
  expect_rc "the card of $s shows its genotypes as bcftools query gives them ($fmt: ${out#ok   })" 0
  [ $rc -ne 0 ] && echo "$out"
done
# --- the cards' genotypes come from the run's PREFIX.calls.tsv.gz -----------------------------------------------------
gt_flag() { grep -o '"gt":[a-z]*,"gtNote":"[^"]*"' "$1"; }
expect_eq "the scan's JSON holds no per-sample arrays; the page has the genotypes" "$(grep -c '"genotypes"' "$work/vcf.json"),$(gt_flag "$work/vcf.report.html")" '0,"gt":true,"gtNote":""'
mkdir -p "$work/moved"
cp "$work/vcf.json" "$work/moved/run.json"
cp "$work/vcf.calls.tsv.gz" "$work/moved/elsewhere.calls.tsv.gz"
run "$healcap" report --out "$work/moved/r" "$work/moved/run.json"
expect_rc "report without the calls file the JSON names" 1
expect_one_line "  one line" "$err"
expect_match "  naming the file and what to do" "$err" "^healcap: error: .*moved/vcf\.calls\.tsv\.gz: cannot open the run's per-sample calls \(No such file or directory\); give the calls file written with the run's JSON with --calls FILE, or --no-calls"
expect_eq "  and no page" "$(ls "$work/moved/r.html" 2>/dev/null)" ""
run "$healcap" report --calls "$work/moved/elsewhere.calls.tsv.gz" --out "$work/moved/r" "$work/moved/run.json"
expect_rc "report --calls FILE" 0
expect_eq "  gives the bytes of scan --html" "$(cmp "$work/vcf.html" "$work/moved/r.html" && echo same)" same
run "$healcap" report --no-calls --out "$work/moved/nc" "$work/moved/run.json"
expect_rc "report --no-calls" 0
expect_eq "  draws the cards without genotypes and says why" "$(gt_flag "$work/moved/nc.html")" '"gt":false,"gtNote":"The genotypes are left out of the cards: healcap report --no-calls."'
run "$healcap" scan -s EX01,EX02 --out "$work/moved/sub" "$example"
run "$healcap" report --calls "$work/moved/sub.calls.tsv.gz" --out "$work/moved/r2" "$work/moved/run.json"
expect_rc "report with another run's calls file (2 of the 20 samples)" 1
expect_one_line "  one line" "$err"
expect_match "  says it is not this run's" "$err" "sub\.calls\.tsv\.gz: row '[^']+' has 2 of the run's 20 samples' calls: not this run's calls file"
head -c 3000 "$work/vcf.calls.tsv.gz" >"$work/moved/cut.calls.tsv.gz"
run "$healcap" report --calls "$work/moved/cut.calls.tsv.gz" --out "$work/moved/r3" "$work/moved/run.json"
expect_rc "report with a truncated calls file" 1
expect_one_line "  one line" "$err"
expect_match "  naming the file" "$err" "cut\.calls\.tsv\.gz: "
zcat "$work/vcf.calls.tsv.gz" | awk -F'\t' -v OFS='\t' '!/^#/ && !done { $7 = "maybe"; done = 1 } { print }' | bgzip >"$work/moved/bad.calls.tsv.gz"
run "$healcap" report --calls "$work/moved/bad.calls.tsv.gz" --out "$work/moved/r4" "$work/moved/run.json"
expect_rc "report with an unknown call state in the calls file" 1
expect_match "  names FILE:LINE and the state" "$err" "bad\.calls\.tsv\.gz:5: state 'maybe' is not a call state of the run"
run "$healcap" report --calls "$work/moved/run.json" --no-calls --out "$work/moved/r5" "$work/moved/run.json"
expect_rc "report --calls with --no-calls" 2
run "$healcap" scan --no-calls --html --out "$work/moved/nocalls" "$example"
expect_eq "scan --no-calls --html: the page has the genotypes (from the run in memory)" "$(gt_flag "$work/moved/nocalls.html")" '"gt":true,"gtNote":""'
run "$healcap" report --out "$work/moved/nocalls.report" "$work/moved/nocalls.json"
expect_rc "report on a run that wrote no calls file" 0
expect_match "  draws the cards without genotypes and says why" "$(gt_flag "$work/moved/nocalls.report.html")" '"gt":false,"gtNote":"The genotypes are left out of the cards: the run wrote no calls file'
expect_eq "the VCF.gz and BCF pages hold the same data, cohort and ledger" \
  "$(sed -n '/<section id="cohort">/,$p' "$work/bcf.html" | md5sum)" "$(sed -n '/<section id="cohort">/,$p' "$work/vcf.html" | md5sum)"
chrome shot "$(url "$work/vcf.html" "#sample=EX03")" "$work/vcf.png"
not_blank "the screenshot of the example's report, a card open, is not blank" "$work/vcf.png"
html=$(cat "$work/vcf.html")
expect_eq "the page loads nothing: no src attribute, no link element, no url() or @import" \
  "$(grep -Eic '<[a-z]+ [^>]*src=|<link |url\(|@import' "$work/vcf.html")" 0
expect_match "the page's policy allows only its own script and style" "$html" "default-src 'none'; script-src 'sha256-[A-Za-z0-9+/=]+'; style-src 'sha256-"
expect_eq "the report is under 1 MB for 20 samples" "$(($(wc -c <"$work/vcf.html") < 1000000))" 1

# --- biomarkers (issue 12): the example's run JSON given a "biomarkers" object from a hand-written fixture ----------
# The fixture follows the JSON contract of the biomarker engine: two timepoints, a censored value, a converted value,
# a synovial-fluid marker, markers without an RCV, an unknown marker, samples with biomarkers but no genotypes, and a
# crp_genetic block whose 33 pairs are made up (render input only: the example has 20 samples).
fixture=$src/tests/data/report_biomarkers_fixture.json
add_biomarkers() {  # add_biomarkers RUN.json BIOMARKERS.json OUT.json: the run's bytes, with the object as "biomarkers"
  python3 - "$@" <<'EOF'
import sys
run = open(sys.argv[1], encoding="utf-8").read().rstrip()
assert run.endswith("}")
bm = open(sys.argv[2], encoding="utf-8").read().strip()
open(sys.argv[3], "w", encoding="utf-8").write(run[:-1].rstrip() + ',\n"biomarkers":' + bm + "\n}\n")
EOF
}
check biomarkers "$work/vcf.dom" "$work/vcf.json"
expect_rc "a run without biomarkers: no Biomarkers section (${out#ok   })" 0
for fmt in vcf bcf; do
  input=$example
  [ $fmt = bcf ] && input=$work/example.bcf
  add_biomarkers "$work/$fmt.json" "$fixture" "$work/$fmt.bm.json"
  run "$healcap" report --out "$work/$fmt.bm" "$work/$fmt.bm.json"
  expect_rc "report of the example's run with the biomarker fixture ($fmt)" 0
  chrome dom "$(url "$work/$fmt.bm.html")" >"$work/$fmt.bm.dom"
  check structure "$work/$fmt.bm.dom"
  expect_rc "with biomarkers, the page keeps its sections ($fmt)" 0
  check biomarkers "$work/$fmt.bm.dom" "$work/$fmt.bm.json"
  expect_rc "the Biomarkers section shows the fixture's counts, RCV limits, lists and CRP check ($fmt)" 0
  [ $rc -ne 0 ] && echo "$out"
  # EX01: a converted value, synovial fluid, markers without an RCV, an unknown marker; EX02: censored values (one
  # a baseline with an RCV: no band); EX05: one timepoint; EX10: no biomarker rows; LAB-901: no genotypes.
  for s in EX01 EX02 EX05 EX10 LAB-901; do
    chrome dom "$(url "$work/$fmt.bm.html" "#sample=$s")" >"$work/$fmt.bm.$s.dom"
    check biomarkers "$work/$fmt.bm.$s.dom" "$work/$fmt.bm.json" $s
    expect_rc "the card of $s: ${out##*card $s: } ($fmt)" 0
    [ $rc -ne 0 ] && echo "$out"
  done
  check card "$work/$fmt.bm.EX01.dom" "$work/$fmt.json" EX01 "$input"
  expect_rc "the card of EX01 still shows its genotypes as bcftools query gives them ($fmt)" 0
done
expect_eq "the VCF.gz and BCF pages hold the same biomarkers" \
  "$(sed -n '/<section id="biomarkers">/,/<\/section>/p' "$work/bcf.bm.html" | md5sum)" \
  "$(sed -n '/<section id="biomarkers">/,/<\/section>/p' "$work/vcf.bm.html" | md5sum)"
expect_match "the card's plots: an RCV band, a censored point with its arrow" "$(cat "$work/vcf.bm.EX02.dom")" \
  'class="rcv-band".*class="pt censored"[^>]*data-censored="&lt;".*class="cens-arrow"'
expect_match "a marker without an RCV says so" "$(cat "$work/vcf.bm.EX01.dom")" 'no RCV available'
expect_eq "the page with biomarkers loads nothing" "$(grep -Eic '<[a-z]+ [^>]*src=|<link |url\(|@import' "$work/vcf.bm.html")" 0
chrome shot "$(url "$work/vcf.bm.html" "#sample=EX02")" "$work/bm.png"
not_blank "the screenshot of a card with biomarker plots is not blank" "$work/bm.png"

# --- end to end: the engine's own biomarker layer (scan --biomarkers --html), not a fixture -------------------------
bmfile=$src/tests/data/example_biomarkers.tsv
bmmap=$src/tests/data/example_biomarkers_sample_map.tsv
for fmt in vcf bcf; do
  input=$example
  [ $fmt = bcf ] && input=$work/example.bcf
  run "$healcap" scan --html --biomarkers "$bmfile" --sample-map "$bmmap" --timepoints baseline,3m --out "$work/$fmt.e2e" "$input"
  expect_rc "scan --biomarkers --html on the example ($fmt)" 0
  chrome dom "$(url "$work/$fmt.e2e.html")" >"$work/$fmt.e2e.dom"
  check biomarkers "$work/$fmt.e2e.dom" "$work/$fmt.e2e.json"
  expect_rc "the engine's layer: the Biomarkers section equals its JSON ($fmt)" 0
  [ $rc -ne 0 ] && echo "$out"
  # EX04 and EX09: a censored value; EX05: synovial fluid and IL-10; EX15: TIMP-1 with the lab's own analytical CV.
  for s in EX04 EX05 EX09 EX15; do
    chrome dom "$(url "$work/$fmt.e2e.html" "#sample=$s")" >"$work/$fmt.e2e.$s.dom"
    check biomarkers "$work/$fmt.e2e.$s.dom" "$work/$fmt.e2e.json" $s
    expect_rc "the engine's layer, card of $s: ${out##*card $s: } ($fmt)" 0
    [ $rc -ne 0 ] && echo "$out"
  done
  run "$healcap" report --biomarkers "$bmfile" --sample-map "$bmmap" --timepoints baseline,3m --out "$work/$fmt.e2e.report" "$work/$fmt.json"
  expect_rc "report --biomarkers on the plain run's JSON ($fmt)" 0
  expect_eq "report --biomarkers draws the section scan --biomarkers --html draws ($fmt)" \
    "$(sed -n '/<section id="biomarkers">/,/<\/section>/p' "$work/$fmt.e2e.report.html" | md5sum)" \
    "$(sed -n '/<section id="biomarkers">/,/<\/section>/p' "$work/$fmt.e2e.html" | md5sum)"
done
expect_match "the engine's layer: a censored point drawn with its arrow (EX04)" "$(cat "$work/vcf.e2e.EX04.dom" "$work/vcf.e2e.EX09.dom")" \
  'class="pt censored"[^>]*data-censored="[<>&;a-z]*".*class="cens-arrow"'

# --- merge --html: the page of the merged JSON --------------------------------------------------------------------
for i in 1 2; do "$healcap" scan --sample-shard $i/2 --partial "$work/s$i.hcp" "$example" 2>/dev/null; done
run "$healcap" merge --html --out "$work/merged" "$work/s2.hcp" "$work/s1.hcp"
expect_rc "merge --html" 0
run "$healcap" report --out "$work/merged.report" "$work/merged.json"
expect_eq "healcap report gives the bytes of merge --html" "$(cmp "$work/merged.html" "$work/merged.report.html" && echo same)" same
expect_eq "the merged page holds the single run's cohort, samples, ledger and data" \
  "$(sed -n '/<section id="cohort">/,$p' "$work/merged.html" | md5sum)" "$(sed -n '/<section id="cohort">/,$p' "$work/vcf.html" | md5sum)"

# --- DS dosages over 120 samples: more than 64 distinct calls at a site, two code digits per sample -----------------
python3 - "$example" "$work/ds.vcf" <<'EOF'
import gzip, random, sys
random.seed(7)
out = []
for line in gzip.open(sys.argv[1], "rt"):
    line = line.rstrip("\n")
    if line.startswith("##"):
        out.append(line)
    elif line.startswith("#CHROM"):
        out.append('##FORMAT=<ID=DS,Number=A,Type=Float,Description="ALT dosage">')
        out.append("\t".join(line.split("\t")[:9] + ["D%03d" % i for i in range(120)]))
    else:
        f = line.split("\t")
        n_alt = len(f[4].split(","))
        calls = [random.choice(["0/0", "0/1", "1/1", "./."]) + ":" +
                 ",".join(str(round(random.random() * 2 / n_alt, 3)) for _ in range(n_alt)) for _ in range(120)]
        out.append("\t".join(f[:8] + ["GT:DS"] + calls))
open(sys.argv[2], "w").write("\n".join(out) + "\n")
EOF
bgzip -f "$work/ds.vcf" && tabix "$work/ds.vcf.gz"
run "$healcap" scan --dosage DS --html --out "$work/ds" "$work/ds.vcf.gz"
expect_rc "scan --dosage DS --html, 120 samples" 0
expect_eq "every site with calls has two code digits per sample" "$(grep -o '"k":2' "$work/ds.html" | wc -l)" \
  "$(grep -c '"match"' "$work/ds.json" || true)"
chrome dom "$(url "$work/ds.html" "#sample=D077")" >"$work/ds.dom"
check card "$work/ds.dom" "$work/ds.json" D077 "$work/ds.vcf.gz"
expect_rc "the card of a DS sample shows its genotypes, call states and dosages (${out#ok   })" 0
[ $rc -ne 0 ] && echo "$out"
check samples "$work/ds.dom" "$work/ds.samples.tsv"
expect_rc "the first page of 120 samples equals samples.tsv (${out#ok   })" 0

# --- hostile names, IDs, panel text and paths --------------------------------------------------------------------
cat >"$work/names.txt" <<'EOF'
<img src=x onerror=document.title='pwned1'>
<script>document.title='pwned2'</script>
"'><svg onload=document.title='pwned3'>
</script><script>document.title='pwned4'</script>
line\u2028separator
<!--&amp;-->
EOF
python3 - "$work/names.txt" "$work/reheader.txt" "$(bcftools query -l "$example" | tr '\n' ' ')" <<'EOF'
import sys
names = [l.rstrip("\n").replace("\\u2028", "\u2028") for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
old = sys.argv[3].split()
with open(sys.argv[2], "w", encoding="utf-8") as f:
    f.write("".join(n + "\n" for n in names + old[len(names):]))
EOF
hdir="$work/in<i>\"'"
mkdir -p "$hdir"
hvcf="$hdir/x<b>.vcf.gz"
bcftools reheader -s "$work/reheader.txt" "$example" |
  bcftools view | awk -F'\t' -v OFS='\t' '!/^#/ && !done { $3 = "<svg/onload=document.title=\"pwned5\">"; done = 1 } 1' |
  bgzip -c >"$hvcf"
{
  grep '^##' "$src/gene_panels/healing_panel.tsv" | sed 's/^##panel=.*/##panel=healcap<b>x<\/b>/'
  grep -v '^##' "$src/gene_panels/healing_panel.tsv" | awk -F'\t' -v OFS='\t' '
    NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i }
    NR == 2 { $1 = "x\"><img/src=x/onerror=document.title=6>"; $3 = "<svg/onload=document.title=7>";
              $c["evidence"] = "PMID:12345 <script>document.title=8</script> doi:10.1000/abc\"onmouseover=x <a href=javascript:alert(1)>y</a>" } 1'
} >"$work/hostile_panel.tsv"
run "$healcap" scan --panel "$work/hostile_panel.tsv" --html --out "$hdir/out<u>" "$hvcf"
expect_rc "scan a VCF with hostile sample names, ID, panel text and paths" 0
title='healcap report: healcap<b>x</b> 1.1.0, 20 samples'
hpage="$hdir/out<u>.html"
expect_eq "no raw img, iframe or svg-onload markup in the file" "$(grep -Eic '<img|<iframe|<svg[^>]*onload' "$hpage")" 0
expect_eq "two script elements in the file" "$(grep -o '<script' "$hpage" | wc -l)" 2
chrome dom "$(url "$hpage")" >"$work/hostile.dom"
check hostile "$work/hostile.dom" "$title" "$work/names.txt"
expect_rc "hostile names in the browser: ${out##*ok   }" 0
[ $rc -ne 0 ] && echo "$out"
for k in 1 5; do
  name=$(sed -n "${k}p" "$work/names.txt" | sed 's/\\u2028/\xe2\x80\xa8/')
  frag=$(python3 -c 'import sys, urllib.parse; print("#sample=" + urllib.parse.quote(sys.argv[1], safe=""))' "$name")
  chrome dom "$(url "$hpage" "$frag")" >"$work/hostile.$k.dom"
  check hostile "$work/hostile.$k.dom" "$title" "$work/names.txt" $k
  expect_rc "the card of hostile name $k opens, shows it as text and runs nothing" 0
  [ $rc -ne 0 ] && echo "$out"
done
expect_match "the hostile panel row's PMID is still a link" "$(cat "$work/hostile.1.dom")" 'href="https://pubmed.ncbi.nlm.nih.gov/12345/"'

# Hostile biomarker text: the fixture with its samples renamed to the hostile VCF's names, and hostile timepoint,
# marker, specimen, unit, assay, lab, sentence, file and citation text.
python3 - "$fixture" "$work/names.txt" "$work/hostile_bm.json" <<'EOF'
import json, sys
bm = json.load(open(sys.argv[1], encoding="utf-8"))
names = [l.rstrip("\n").replace("\\u2028", "\u2028") for l in open(sys.argv[2], encoding="utf-8") if l.strip()]
swap = {"EX%02d" % (i + 1): n for i, n in enumerate(names)}
swap.update({"LAB-901": "LAB<img src=x onerror=document.title='pwned10'>", "3m": "</script><svg onload=document.title='pwned11'>3m",
             "Fibrinogen-X": "<img src=x onerror=document.title='pwned12'>", "synovial_fluid": "synovial<svg/onload=document.title='pwned13'>",
             "g/L": "g/L<script>document.title='pwned14'</script>", "ELISA (high sensitivity)": "<iframe src=javascript:alert(1)>",
             "Cytokine Lab": "\"'><b onmouseover=document.title='pwned15'>lab", "tests/data/example_biomarkers.tsv": "bm<script>x</script>.tsv"})
def walk(x):
    if isinstance(x, dict):
        return {k: (v + " <img src=x onerror=document.title='pwned16'>" if k == "text" and isinstance(v, str) and " " in v else walk(v))
                for k, v in x.items()}
    if isinstance(x, list):
        return [walk(v) for v in x]
    return swap.get(x, x) if isinstance(x, str) else x
bm = walk(bm)
bm["reference"]["biological_variation"][0]["citation"] += " javascript:alert(1) <a href=javascript:x>y</a> PMID:9390"
json.dump(bm, open(sys.argv[3], "w", encoding="utf-8"), ensure_ascii=False, indent=1)
EOF
add_biomarkers "$hdir/out<u>.json" "$work/hostile_bm.json" "$work/hostile_bm_run.json"
run "$healcap" report --calls "$hdir/out<u>.calls.tsv.gz" --out "$hdir/bm<u>" "$work/hostile_bm_run.json"
expect_rc "report with hostile sample, marker, timepoint, unit, assay and lab names" 0
expect_eq "hostile biomarker text: no raw img, iframe or svg-onload markup in the file" "$(grep -Eic '<img|<iframe|<svg[^>]*onload' "$hdir/bm<u>.html")" 0
expect_eq "hostile biomarker text: two script elements in the file" "$(grep -o '<script' "$hdir/bm<u>.html" | wc -l)" 2
chrome dom "$(url "$hdir/bm<u>.html")" >"$work/hostile_bm.dom"
check biomarkers "$work/hostile_bm.dom" "$work/hostile_bm_run.json" --title "$title"
expect_rc "hostile biomarker text in the section stays text and runs nothing" 0
[ $rc -ne 0 ] && echo "$out"
# The cards of EX01's and EX02's hostile names, and of LAB-901's (biomarkers only).
for k in 0 1 5; do
  name=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["samples"][int(sys.argv[2])]["sample"])' "$work/hostile_bm.json" $k)
  frag=$(python3 -c 'import sys, urllib.parse; print("#sample=" + urllib.parse.quote(sys.argv[1], safe=""))' "$name")
  chrome dom "$(url "$hdir/bm<u>.html" "$frag")" >"$work/hostile_bm.$k.dom"
  check biomarkers "$work/hostile_bm.$k.dom" "$work/hostile_bm_run.json" "$name" --title "$title"
  expect_rc "the card of hostile biomarker sample $((k + 1)): plots and tables with every name as text, nothing run" 0
  [ $rc -ne 0 ] && echo "$out"
done
expect_match "the hostile citation's PMID is still a link, its javascript: text is not" "$(cat "$work/hostile_bm.dom")" \
  'href="https://pubmed.ncbi.nlm.nih.gov/9390/"'

# --- bad input ---------------------------------------------------------------------------------------------------
printf '{"healcap": [1,}\n' >"$work/bad.json"
run "$healcap" report --out "$work/bad" "$work/bad.json"
expect_rc "malformed JSON" 1
expect_one_line "malformed JSON: one line" "$err"
expect_match "malformed JSON: FILE:LINE:COLUMN and the problem" "$err" "^healcap: error: $work/bad\.json:1:16: expected a value \(object, array, string, number, true, false or null\), found '\}'$"
printf '{\n  "samples": []\n}\n' >"$work/notrun.json"
run "$healcap" report --out "$work/notrun" "$work/notrun.json"
expect_rc "a JSON that is not a healcap run" 1
expect_match "not a healcap run: one line with FILE:1:1" "$err" "^healcap: error: $work/notrun\.json:1:1: not a healcap run: the document has no top-level \"healcap\" object"
head -c 20000 "$work/vcf.json" >"$work/cut.json"
run "$healcap" report --out "$work/cut" "$work/cut.json"
expect_rc "a truncated run JSON" 1
expect_match "truncated: FILE:LINE:COLUMN" "$err" "^healcap: error: $work/cut\.json:[0-9]+:[0-9]+: (unterminated string|unexpected end of the document)"
sed '0,/"healing_capacity_index":0\.946530/s//"healing_capacity_index":"0.946530"/' "$work/vcf.json" >"$work/typed.json"
run "$healcap" report --out "$work/typed" "$work/typed.json"
expect_rc "a run JSON with a mistyped value" 1
expect_match "mistyped value: FILE:LINE:COLUMN and its place" "$err" "^healcap: error: $work/typed\.json:[0-9]+:[0-9]+: samples\[0\]\.all\.healing_capacity_index: expected a number or null, found a string$"
no_html=$(ls "$work"/bad.html "$work"/notrun.html "$work"/cut.html "$work"/typed.html 2>/dev/null | wc -l)
expect_eq "a failed report leaves no PREFIX.html" "$no_html" 0
run "$healcap" report --out "$work/missing" "$work/missing.json"
expect_rc "a missing JSON file" 1
expect_match "missing file: named" "$err" "missing\.json: cannot open"
run "$healcap" report "$work/vcf.json"
expect_rc "report without --out" 2
run "$healcap" report --out "$work/x"
expect_rc "report without a JSON file" 2
run "$healcap" report --out "$work/x" "$work/vcf.json" "$work/bcf.json"
expect_rc "report with two JSON files" 2
run "$healcap" scan --html --partial "$work/p.hcp" "$example"
expect_rc "scan --html without --out" 2
expect_match "scan --html without --out says why" "$err" "--html writes PREFIX.html: give --out PREFIX"
run bash -c "cd '$work' && '$(realpath "$healcap")' report --out '$work/stdin' - < '$work/vcf.json'"
expect_eq "report reads the JSON from standard input (its calls file from the working folder)" "$(cmp "$work/stdin.html" "$work/vcf.html" && echo same)" same

# --- several panels: the healing panel and a PGS Catalog score (PGS000314), on a GRCh37 cohort holding both ----------
skipped=
if [ ! -f "$pgs" ]; then
  echo "skip the several-panel cases: $pgs is missing"
  skipped=1
else
  python3 "$here/make_pgs_cohort.py" "$pgs" "$work/pc" --panel "$src/gene_panels/healing_panel.tsv" 2>"$work/pc.log" ||
    { cat "$work/pc.log"; exit 1; }
  for fmt in vcf.gz bcf; do
    run "$healcap" scan --html --panel bundled --panel "$pgs" --out "$work/two.$fmt" "$work/pc.$fmt"
    expect_rc "scan --html with the healing panel and PGS000314 ($fmt)" 0
    run "$healcap" report --out "$work/two.$fmt.report" "$work/two.$fmt.json"
    expect_match "report names both panels ($fmt)" "$err" "205 panel rows, panels healcap-healing 1\.1\.0 \+ PGS000314 \(GRS77_CRP\); wrote "
    expect_eq "healcap report gives the bytes of scan --html over two panels ($fmt)" \
      "$(cmp "$work/two.$fmt.html" "$work/two.$fmt.report.html" && echo same)" same
    chrome dom "$(url "$work/two.$fmt.html")" >"$work/two.$fmt.dom"
    check structure "$work/two.$fmt.dom"
    expect_rc "two panels: the page has its sections ($fmt: ${out#ok   })" 0
    check panels "$work/two.$fmt.dom" "$work/two.$fmt.samples.tsv" "$work/two.$fmt.json"
    expect_rc "two panels: each panel described and drawn; every index and the PGS weighted sum equal samples.tsv ($fmt)" 0
    [ $rc -ne 0 ] && echo "$out"
    check ledger "$work/two.$fmt.dom" "$work/two.$fmt.json"
    expect_rc "two panels: the ledger holds both panels' rows with a panel column ($fmt: ${out#ok   })" 0
    [ $rc -ne 0 ] && echo "$out"
    s=S05
    [ $fmt = bcf ] && s=S18
    chrome dom "$(url "$work/two.$fmt.html" "#sample=$s")" >"$work/two.$fmt.$s.dom"
    check grouped "$work/two.$fmt.$s.dom" "$work/two.$fmt.json" $s "$work/two.$fmt.samples.tsv"
    expect_rc "two panels: the card of $s groups its rows by panel, summaries equal samples.tsv ($fmt: ${out#ok   })" 0
    [ $rc -ne 0 ] && echo "$out"
    check card "$work/two.$fmt.$s.dom" "$work/two.$fmt.json" $s "$work/pc.$fmt"
    expect_rc "two panels: the card of $s shows both panels' genotypes as bcftools query gives them ($fmt: ${out#ok   })" 0
    [ $rc -ne 0 ] && echo "$out"
  done
  expect_eq "two panels: the VCF.gz and BCF pages hold the same data, cohort and ledger" \
    "$(sed -n '/<section id="cohort">/,$p' "$work/two.bcf.html" | md5sum)" "$(sed -n '/<section id="cohort">/,$p' "$work/two.vcf.gz.html" | md5sum)"
  chrome shot "$(url "$work/two.vcf.gz.html" "#sample=S05")" "$work/two.png"
  not_blank "the two-panel report's screenshot, a card open, is not blank" "$work/two.png"
  expect_eq "the two-panel page loads nothing" "$(grep -Eic '<[a-z]+ [^>]*src=|<link |url\(|@import' "$work/two.vcf.gz.html")" 0

  # merge --html of two region shards of the two-panel run: the single run's page (the Run section names the run).
  "$healcap" scan --panel bundled --panel "$pgs" -r 1,2,3,4,5,6,7,8,9,10,11 --region-shard 1/2 --partial "$work/two.s1.hcp" "$work/pc.bcf" 2>/dev/null
  "$healcap" scan --panel bundled --panel "$pgs" -r 12,13,14,15,16,17,18,19,20,21,22,X,Y,MT --region-shard 2/2 \
    --partial "$work/two.s2.hcp" "$work/pc.bcf" 2>/dev/null
  run "$healcap" merge --html --panel bundled --panel "$pgs" --out "$work/two.merged" "$work/two.s2.hcp" "$work/two.s1.hcp"
  expect_rc "merge --html of two region shards of the two-panel run" 0
  expect_eq "the merged two-panel page holds the single run's cohort, samples, ledger and data" \
    "$(sed -n '/<section id="cohort">/,$p' "$work/two.merged.html" | md5sum)" "$(sed -n '/<section id="cohort">/,$p' "$work/two.bcf.html" | md5sum)"
  run "$healcap" report --out "$work/two.merged.report" "$work/two.merged.json"
  expect_eq "healcap report gives the bytes of merge --html over two panels" \
    "$(cmp "$work/two.merged.html" "$work/two.merged.report.html" && echo same)" same

  # The score alone: no pathways or traits; the weighted sum is the score.
  run "$healcap" scan --html --panel "$pgs" --out "$work/pgs" "$work/pc.bcf"
  expect_rc "scan --html with PGS000314 alone" 0
  chrome dom "$(url "$work/pgs.html" "#sample=S02")" >"$work/pgs.dom"
  check structure "$work/pgs.dom"
  expect_rc "PGS only: the page has its sections (${out#ok   })" 0
  check panels "$work/pgs.dom" "$work/pgs.samples.tsv" "$work/pgs.json"
  expect_rc "PGS only: the score described, its weighted sum and index equal samples.tsv, no pathway or trait (${out#ok   })" 0
  [ $rc -ne 0 ] && echo "$out"
  check grouped "$work/pgs.dom" "$work/pgs.json" S02 "$work/pgs.samples.tsv"
  expect_rc "PGS only: the card shows the score, both alleles and the weights as written (${out#ok   })" 0
  [ $rc -ne 0 ] && echo "$out"
  expect_eq "PGS only: no pathway or trait heading, no gene or grade column" \
    "$(grep -c -e '>By pathway<' -e '>By trait<' -e '<th>gene</th>' -e '<th>grade</th>' "$work/pgs.html")" 0
  expect_match "PGS only: the weight 0.032643900000000003 as written in the file" "$(cat "$work/pgs.dom")" \
    '<td class="num weight">0\.032643900000000003</td>'
  chrome shot "$(url "$work/pgs.html")" "$work/pgs.png"
  not_blank "the PGS-only report's screenshot is not blank" "$work/pgs.png"
fi

# --- one sample: a gVCF from the external data -------------------------------------------------------------------
gv=$external/bio2zarr/tests/data/vcf/NA12878.prod.chr20snippet.g.vcf.gz
if [ ! -e "$gv" ]; then
  echo "skip the one-sample gVCF case: $gv is missing"
  finish || exit 1
  exit 77
fi
# A GRCh37 test panel over the snippet: three SNVs called in NA12878 (effect allele: the ALT) and three reference
# blocks (effect allele: the REF at the block's start), scored, with citations.
{
  # A format-1 panel (no other_allele, eaf_population, eaf_source): it still loads.
  printf '##panel=gvcf-test\n##version=1\n'
  printf 'id\trsid\tgene\tpathway\ttrait\tchrom\tpos_grch37\tref_grch37\talt_grch37\tpos_grch38\tref_grch38\talt_grch38\t'
  printf 'effect_allele\todds_ratio\tweight\tmodel\teaf\tevidence_grade\tevidence\tsource\tnotes\n'
  bcftools view -H "$gv" | awk -F'\t' -v OFS='\t' '
    $5 != "<NON_REF>" && length($4) == 1 && $5 ~ /^[ACGT],<NON_REF>$/ && $10 !~ /^0\/0/ && nv < 3 {
      nv++; print "v" nv, ".", "GENE" nv, "other", "bone", $1, $2, $4, substr($5, 1, 1), ".", ".", ".", substr($5, 1, 1), ".", 0.3,
        "additive", ".", "replicated", "PMID:20798928 doi:10.1000/test" nv, "test", "." }
    $5 == "<NON_REF>" && nb < 3 { nb++; print "b" nb, ".", "BLOCK" nb, "other", "bone", $1, $2, $4, ($4 == "A" ? "C" : "A"), ".", ".", ".", $4, ".", 0.2,
        "additive", ".", "suggestive", "PMID:1", "test", "." }
    nv >= 3 && nb >= 3 { exit }'
} >"$work/gv.tsv"
run "$healcap" scan --panel "$work/gv.tsv" --html --out "$work/gv" "$gv"
expect_rc "scan --html a one-sample gVCF" 0
chrome dom "$(url "$work/gv.html")" >"$work/gv.dom"
check one "$work/gv.dom" NA12878
expect_rc "a one-sample gVCF gives a one-person report (${out#ok   })" 0
[ $rc -ne 0 ] && echo "$out"
check card "$work/gv.dom" "$work/gv.json" NA12878 "$gv"
expect_rc "the one-person card shows the gVCF's genotypes as bcftools query gives them (${out#ok   })" 0
[ $rc -ne 0 ] && echo "$out"
expect_match "the card links the citations" "$(cat "$work/gv.dom")" 'href="https://pubmed.ncbi.nlm.nih.gov/20798928/".*href="https://doi.org/10.1000/test1"'
expect_match "reference blocks are shown as such in the card" "$(cat "$work/gv.dom")" '<td class="state">ref_block</td>'
chrome shot "$(url "$work/gv.html")" "$work/gv.png"
not_blank "the one-person report's screenshot is not blank" "$work/gv.png"

finish || exit 1
[ -n "$skipped" ] && exit 77
exit 0
