#!/usr/bin/env python3
"""Checks healcap's JSON genotypes against `bcftools query` on the same input, and its counted-allele copies
against the GT text and alt_index. Prints one line per problem and 'N passed, M failed' at the end.
Usage: check_json_genotypes.py REPORT.json INPUT.vcf.gz|bcf (indexed)"""
import json
import subprocess
import sys

report, vcf = sys.argv[1], sys.argv[2]
with open(report) as f:
    data = json.load(f)
samples = [s["sample"] for s in data["samples"]]
header_samples = subprocess.run(["bcftools", "query", "-l", vcf], capture_output=True, text=True, check=True).stdout.split()
passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL " + what)


check(samples == header_samples or not samples, "sample order equals bcftools query -l")
n_sites = 0
for site in data["sites"]:
    if site["state"] != "found":
        continue
    n_sites += 1
    seen = site["seen"]
    region = f"{seen['chrom']}:{seen['pos']}-{seen['pos']}"
    out = subprocess.run(["bcftools", "query", "-r", region, "-f", "%POS\t%REF\t%ALT[\t%GT]\n", vcf],
                         capture_output=True, text=True, check=True).stdout
    rows = [l.split("\t") for l in out.splitlines()]
    rows = [r for r in rows if r[0] == str(seen["pos"]) and r[1] == seen["ref"] and r[2] == seen["alt"]]
    check(len(rows) >= 1, f"{site['id']}: bcftools finds the record {region} {seen['ref']}>{seen['alt']}")
    if not rows:
        continue
    gts = rows[0][3:]
    check(gts == site["genotypes"], f"{site['id']}: genotypes equal bcftools query ({gts[:4]} vs {site['genotypes'][:4]})")
    idx = site["alt_index"]
    if site.get("dosage_source") not in ("GT", "ref_block"):
        continue  # dosages from DS/GP are checked against plink2, not against GT
    codes = data["scoring"]["call_state_codes"]
    for gt, copies, code in zip(site["genotypes"], site["dosages"], site["call_states"]):
        if codes[code] in ("filtered",):
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
