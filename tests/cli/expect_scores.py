#!/usr/bin/env python3
"""Recomputes healcap's per-sample score from a panel and `bcftools query` genotypes, independently of
healcap's code: weighted_sum, max_observed and, where the panel has eaf, the Hardy-Weinberg z-score.
Compares with PREFIX.samples.tsv and prints 'N passed, M failed'.
Usage: expect_scores.py PANEL.tsv BUILD(37|38) INPUT PREFIX"""
import math
import subprocess
import sys

panel_path, build, vcf, prefix = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
pos_c, ref_c, alt_c = ("pos_grch37", "ref_grch37", "alt_grch37") if build == "37" else \
    ("pos_grch38", "ref_grch38", "alt_grch38")
rows = []
header = None
with open(panel_path) as f:
    for line in f:
        if line.startswith("##"):
            continue
        c = line.rstrip("\n").split("\t")
        if header is None:  # the column-header line: columns are read by name (panel formats 1 and 2)
            header = c
            continue
        c = dict(zip(header, c))
        if float(c["weight"]) == 0 or c["evidence_grade"] not in ("replicated", "suggestive") or c[pos_c] == ".":
            continue
        rows.append({"chrom": c["chrom"], "pos": c[pos_c], "ref": c[ref_c], "alt": c[alt_c], "ea": c["effect_allele"],
                     "w": float(c["weight"]), "model": c["model"], "eaf": None if c["eaf"] == "." else float(c["eaf"])})
samples = subprocess.run(["bcftools", "query", "-l", vcf], capture_output=True, text=True, check=True).stdout.split()
records = {}  # (chrom without chr, pos) -> records there, read once: plain-gzip files have no index
out = subprocess.run(["bcftools", "query", "-f", "%CHROM\t%POS\t%REF\t%ALT[\t%GT]\n", vcf], capture_output=True,
                     text=True, check=True).stdout
for line in out.splitlines():
    c = line.split("\t")
    key = (c[0][3:] if c[0].startswith("chr") else c[0], c[1])
    records.setdefault(key, []).append(c[1:])
S = [0.0] * len(samples); M = [0.0] * len(samples); E = [0.0] * len(samples); V = [0.0] * len(samples)
Sf = [0.0] * len(samples)
for r in rows:
    chrom = r["chrom"][3:] if r["chrom"].startswith("chr") else r["chrom"]
    recs = [c for c in records.get((chrom, r["pos"]), []) if c[1] == r["ref"]]
    # At a split multiallelic site, the panel's variant is the record that carries one of its ALTs.
    recs.sort(key=lambda c: 0 if set(r["alt"].split(",")) & set(c[2].split(",")) else 1)
    if not recs:
        continue
    alleles = [recs[0][1]] + recs[0][2].split(",")
    if r["ea"] not in alleles:
        continue
    idx = alleles.index(r["ea"])
    for k, gt in enumerate(recs[0][3:]):
        a = gt.replace("|", "/").split("/")
        if "." in a:
            continue
        p = len(a)
        d = sum(1 for x in a if int(x) == idx)
        g = d if r["model"] == "additive" else min(d, 1) if r["model"] == "dominant" else max(d - (p - 1), 0)
        gmax = p if r["model"] == "additive" else 1
        S[k] += r["w"] * g
        M[k] += max(r["w"], 0) * gmax
        if r["eaf"] is not None:
            f = r["eaf"]
            if r["model"] == "additive":
                mean, var = p * f, p * f * (1 - f)
            else:
                q = 1 - (1 - f) ** p if r["model"] == "dominant" else f ** p
                mean, var = q, q * (1 - q)
            E[k] += r["w"] * mean
            V[k] += r["w"] ** 2 * var
            Sf[k] += r["w"] * g

got = {}
with open(prefix + ".samples.tsv") as f:
    header = None
    for line in f:
        if line.startswith("#"):
            continue
        c = line.rstrip("\n").split("\t")
        if header is None:
            header = c
            continue
        got[c[0]] = dict(zip(header, c))
passed = failed = 0
for k, s in enumerate(samples):
    g = got.get(s)
    checks = [("weighted_sum", S[k]), ("max_observed", M[k])]
    if V[k] > 0:
        checks.append(("z_score", (Sf[k] - E[k]) / math.sqrt(V[k])))
    for name, want in checks:
        ok = g is not None and g[name] != "NA" and abs(float(g[name]) - want) < 5e-4
        passed += ok
        failed += not ok
        if not ok:
            print(f"FAIL {s} {name}: healcap {g[name] if g else None}, expected {want:.6f}")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed or passed == 0 else 0)
