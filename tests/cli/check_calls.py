#!/usr/bin/env python3
"""Checks a run's PREFIX.calls.tsv.gz against `bcftools query` on the same input: every sample's GT at each found
row equals bcftools', the rows sit at the record's CHROM:POS, in sorted order, with every sample once, and the
counted-allele copies (dosage) follow the GT text and the JSON's alt_index. Prints one line per problem and
'N passed, M failed' at the end.
Usage: check_calls.py REPORT.json INPUT.vcf.gz|bcf (indexed) [CALLS.tsv.gz, default: the file the JSON names]"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import healcap_calls  # noqa: E402

report, vcf = sys.argv[1], sys.argv[2]
with open(report) as f:
    data = json.load(f)
calls = sys.argv[3] if len(sys.argv) > 3 else healcap_calls.calls_path(report, data)
passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL " + what)


check(calls is not None and os.path.exists(calls), f"the run wrote its calls file ({calls})")
if calls is None or not os.path.exists(calls):
    print(f"{passed} passed, {failed} failed")
    sys.exit(1)
cols, rows = healcap_calls.read_calls(calls)
check(cols[:10] == ["chrom", "pos", "site", "rsid", "sample", "gt", "state", "dosage", "gq", "dp"], f"the columns ({cols})")
samples = [s["sample"] for s in data["samples"]]
header_samples = subprocess.run(["bcftools", "query", "-l", vcf], capture_output=True, text=True, check=True).stdout.split()
check(samples == header_samples or not samples, "sample order equals bcftools query -l")
# Sorted as tabix needs it: each contig in one stretch, positions not decreasing within it.
seen_contigs, last, order_ok = set(), None, True
for r in rows:
    c, p = r["chrom"], int(r["pos"])
    if last is None or c != last[0]:
        if c in seen_contigs:
            order_ok = False
        seen_contigs.add(c)
    elif p < last[1]:
        order_ok = False
    last = (c, p)
check(order_ok, "rows sorted by chrom (each contig once) and pos")
by_site = {}
for r in rows:
    by_site.setdefault((r.get("panel"), r["site"]), []).append(r)
with_calls = [s for s in data["sites"] if "match" in s]
check(len(by_site) == len(with_calls), f"a row per site with calls ({len(by_site)} vs {len(with_calls)})")
codes = data["scoring"]["call_state_codes"]
n_sites = 0
for site in with_calls:
    got = by_site.get((site.get("panel"), site["id"]), [])
    check([r["sample"] for r in got] == samples, f"{site['id']}: every sample once, in the JSON's order")
    if site["state"] != "found" or len(got) != len(samples):
        continue
    n_sites += 1
    seen = site["seen"]
    check(all(r["chrom"] == seen["chrom"] and int(r["pos"]) == seen["pos"] for r in got),
          f"{site['id']}: rows at the record's {seen['chrom']}:{seen['pos']}")
    check(all(r["rsid"] == (site["rsid"] or ".") for r in got), f"{site['id']}: rsid {site['rsid']}")
    region = f"{seen['chrom']}:{seen['pos']}-{seen['pos']}"
    out = subprocess.run(["bcftools", "query", "-r", region, "-f", "%POS\t%REF\t%ALT[\t%GT]\n", vcf],
                         capture_output=True, text=True, check=True).stdout
    recs = [l.split("\t") for l in out.splitlines()]
    recs = [r for r in recs if r[0] == str(seen["pos"]) and r[1] == seen["ref"] and r[2] == seen["alt"]]
    check(len(recs) >= 1, f"{site['id']}: bcftools finds the record {region} {seen['ref']}>{seen['alt']}")
    if not recs:
        continue
    gts = recs[0][3:]
    mine = [r["gt"] for r in got]
    check(gts == mine, f"{site['id']}: genotypes equal bcftools query ({gts[:4]} vs {mine[:4]})")
    idx = site["alt_index"]
    if site.get("dosage_source") not in ("GT", "ref_block"):
        continue  # dosages from DS/GP are checked against plink2, not against GT
    for r in got:
        gt, copies, state = r["gt"], healcap_calls.number(r["dosage"]), r["state"]
        check(state in codes.values(), f"{site['id']}: state {state} is a call state")
        if state == "filtered":
            continue
        alleles = gt.replace("|", "/").split("/")
        if "." in alleles:
            want = None
        elif site["match"] == "ref_block":
            want = copies  # reference blocks: checked by the gVCF tests
        elif idx is None:
            want = 0 if site["counted_allele"] != "non_ref" else sum(1 for a in alleles if a != "0")
        else:
            want = sum(1 for a in alleles if int(a) == idx)
        if copies is not None and want is not None:
            copies = round(copies)
        if copies != want:
            check(False, f"{site['id']}: GT {gt} gives {copies} copies of allele {idx}, expected {want}")
            break
    else:
        check(True, f"{site['id']}: copies follow GT and alt_index")
check(n_sites > 0, "at least one found site")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
