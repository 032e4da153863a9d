#!/usr/bin/env python3
"""Writes a synthetic long-format biomarker file for every sample of a VCF/BCF (read with bcftools query -l), for
measuring the report and the biomarker layer at cohort scale: serum CRP, IL-6, TNF-alpha and IL-1beta at baseline
and 3 months, dated, with a lab reference interval for CRP and IL-6; every third sample also a synovial-fluid
IL-6 and TNF-alpha; about 1 value in 25 below the assay's limit (<0.15 mg/L for CRP, <1.5 pg/mL for IL-6).
The values come from a fixed seed and mean nothing. Benchmarks only.
Usage: make_biomarkers_cohort.py COHORT.vcf.gz|bcf OUT.tsv
"""
import random
import subprocess
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    samples = subprocess.run(["bcftools", "query", "-l", sys.argv[1]], check=True, capture_output=True,
                             text=True).stdout.split()
    rng = random.Random(20261207)
    rows = ["sample\tmarker\tspecimen\ttimepoint\tdate\tvalue\tunit\tref_low\tref_high\tassay\tlab"]
    panel = [("CRP", "serum", "mg/L", 0.15, (0.3, 12), ("0", "5")), ("IL-6", "serum", "pg/mL", 1.5, (1, 9), (".", "7")),
             ("TNF-alpha", "serum", "pg/mL", None, (5, 20), (".", ".")),
             ("IL-1beta", "serum", "pg/mL", None, (0.1, 0.9), (".", "."))]
    synovial = [("IL-6", "synovial_fluid", "pg/mL", None, (50, 900), (".", ".")),
                ("TNF-alpha", "synovial_fluid", "pg/mL", None, (5, 40), (".", "."))]
    for k, s in enumerate(samples):
        markers = panel + (synovial if k % 3 == 0 else [])
        for marker, specimen, unit, limit, (lo, hi), (rlo, rhi) in markers:
            base = rng.uniform(lo, hi)
            for tp, date, value in (("baseline", "2026-01-%02d" % (1 + k % 28), base),
                                    ("3m", "2026-04-%02d" % (1 + k % 28), base * rng.uniform(0.3, 1.6))):
                text = "%.3g" % value
                if limit is not None and rng.random() < 0.04:
                    text = "<%g" % limit
                rows.append("\t".join([s, marker, specimen, tp, date, text, unit, rlo, rhi, "synthetic", "lab S"]))
    with open(sys.argv[2], "w") as f:
        f.write("\n".join(rows) + "\n")
    print("%s: %d samples, %d rows" % (sys.argv[2], len(samples), len(rows) - 1), file=sys.stderr)


if __name__ == "__main__":
    main()
