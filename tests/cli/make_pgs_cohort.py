#!/usr/bin/env python3
"""Writes a deterministic synthetic GRCh37 cohort holding a PGS Catalog scoring file's sites, for the PGS tests.

The header names GRCh37's contigs with their lengths (so healcap detects the build). Each scoring-file row with
a position gets one record at it, with the file's two alleles on the forward strand; the REF is the other allele
for even rows and the effect allele for odd rows (0-based, in file order), so both cases are covered, the
palindromic rows included. Some rows get no record (every 13th, from the 6th), one row's record carries another
allele pair (its other allele and a third base: an allele mismatch), and one row's record is multiallelic (the
other allele as REF, then the effect allele and a third base). About 4% of genotypes are missing (./.), some
phased. Records away from the score's sites lie between them. Synthetic data: the genotypes mean nothing.

Prints one line per special row to stderr (absent, mismatch, multiallelic) and writes PREFIX.vcf.gz (+ .tbi) and
PREFIX.bcf (+ .csi); needs bgzip, tabix and bcftools.
With --panel PANEL.tsv (a healcap panel), the panel's GRCh37 sites whose REF and ALT it knows get a record too
(REF and first ALT); where a score row shares such a position, its record takes the panel's REF when that is one of
the row's two alleles.
Usage: make_pgs_cohort.py SCORING_FILE PREFIX [--panel PANEL.tsv] [--samples N] [--seed S]
"""
import argparse
import gzip
import random
import subprocess
import sys

GRCH37 = [("1", 249250621), ("2", 243199373), ("3", 198022430), ("4", 191154276), ("5", 180915260),
          ("6", 171115067), ("7", 159138663), ("8", 146364022), ("9", 141213431), ("10", 135534747),
          ("11", 135006516), ("12", 133851895), ("13", 115169878), ("14", 107349540), ("15", 102531392),
          ("16", 90354753), ("17", 81195210), ("18", 78077248), ("19", 59128983), ("20", 63025520),
          ("21", 48129895), ("22", 51304566), ("X", 155270560), ("Y", 59373566), ("MT", 16569)]
ORDER = {c: i for i, (c, _) in enumerate(GRCH37)}
PALINDROMIC = {("A", "T"), ("T", "A"), ("C", "G"), ("G", "C")}


def rows_of(path):
    opener = gzip.open if path.endswith(".gz") else open
    header, rows = None, []
    with opener(path, "rt") as f:
        for line in f:
            if line.startswith("#"):
                continue
            c = line.rstrip("\n").split("\t")
            if header is None:
                header = c
                continue
            r = dict(zip(header, c))
            chrom, pos = r.get("hm_chr") or r.get("chr_name"), r.get("hm_pos") or r.get("chr_position")
            rows.append({"rsid": r.get("rsID", "."), "chrom": chrom, "pos": int(pos) if pos else 0,
                         "ea": r["effect_allele"], "oa": r.get("other_allele", "")})
    return rows


def panel_sites(path):
    """(chrom, pos) -> (rsid, ref, first alt) of a healcap panel's GRCh37 rows with known REF/ALT."""
    sites, header = {}, None
    with open(path) as f:
        for line in f:
            if line.startswith("##"):
                continue
            c = line.rstrip("\n").split("\t")
            if header is None:
                header = c
                continue
            r = dict(zip(header, c))
            if "." in (r["pos_grch37"], r["ref_grch37"], r["alt_grch37"]) or r["alt_grch37"].startswith("<"):
                continue
            sites[(r["chrom"], int(r["pos_grch37"]))] = (r["rsid"], r["ref_grch37"], r["alt_grch37"].split(",")[0])
    return sites


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scoring_file")
    ap.add_argument("prefix")
    ap.add_argument("--panel")
    ap.add_argument("--samples", type=int, default=40)
    ap.add_argument("--seed", type=int, default=314)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    rows = rows_of(a.scoring_file)
    n = a.samples
    mismatch_row, multi_row = 20, 33
    records = []  # (chrom, pos, id, ref, alts)
    ref_is = {"other": 0, "effect": 0}
    palin_ref = set()
    panel = panel_sites(a.panel) if a.panel else {}
    for i, r in enumerate(rows):
        if not r["pos"] or not r["oa"]:
            continue
        if i % 13 == 5:
            print(f"absent\t{r['rsid']}\t{r['chrom']}:{r['pos']}", file=sys.stderr)
            continue
        third = next(b for b in "ACGT" if b not in (r["ea"], r["oa"]))
        if i == mismatch_row:
            ref, alts = r["oa"], [third]
            print(f"mismatch\t{r['rsid']}\t{r['chrom']}:{r['pos']}\t{ref}>{third}", file=sys.stderr)
        elif i == multi_row:
            ref, alts = r["oa"], [r["ea"], third]
            print(f"multiallelic\t{r['rsid']}\t{r['chrom']}:{r['pos']}\t{ref}>{r['ea']},{third}", file=sys.stderr)
        elif i % 2 == 0:
            ref, alts = r["oa"], [r["ea"]]
            ref_is["other"] += 1
        else:
            ref, alts = r["ea"], [r["oa"]]
            ref_is["effect"] += 1
        shared = panel.pop((r["chrom"], r["pos"]), None)
        if shared and shared[1] in (r["ea"], r["oa"]) and len(alts) == 1 and shared[1] != ref:
            ref, alts = shared[1], [ref]
            print(f"shared\t{r['rsid']}\t{r['chrom']}:{r['pos']}\t{ref}>{alts[0]}", file=sys.stderr)
        if (r["ea"], r["oa"]) in PALINDROMIC:
            palin_ref.add("effect" if ref == r["ea"] else "other")
        records.append((r["chrom"], r["pos"], r["rsid"], ref, alts))
        # A record away from the score's sites, between them.
        filler_ref = "ACGT"[rng.randrange(4)]
        records.append((r["chrom"], r["pos"] + 37, ".", filler_ref, ["ACGT"[("ACGT".index(filler_ref) + 1) % 4]]))
    for (chrom, pos), (rid, ref, alt) in panel.items():
        records.append((chrom, pos, rid if rid != "." else ".", ref, [alt]))
    if min(ref_is.values()) == 0 or len(palin_ref) < 2:
        sys.exit("make_pgs_cohort: the REF choices do not cover both cases: %s, palindromic %s" % (ref_is, palin_ref))
    records.sort(key=lambda x: (ORDER.get(x[0], 99), x[1]))

    def genotype(n_alleles):
        if rng.random() < 0.04:
            return "./."
        f = [0.6] + [0.4 / (n_alleles - 1)] * (n_alleles - 1)
        g = rng.choices(range(n_alleles), f, k=2)
        return f"{g[0]}{'|' if rng.random() < 0.2 else '/'}{g[1]}"

    vcf = a.prefix + ".vcf.gz"
    head = ["##fileformat=VCFv4.2",
            "##source=healcap tests/cli/make_pgs_cohort.py (synthetic test data; seed %d)" % a.seed]
    head += [f"##contig=<ID={c},length={l}>" for c, l in GRCH37]
    head.append('##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">')
    head.append("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t" + "\t".join(f"S{k:02d}" for k in range(1, n + 1)))
    lines = []
    for chrom, pos, rid, ref, alts in records:
        gts = "\t".join(genotype(1 + len(alts)) for _ in range(n))
        lines.append(f"{chrom}\t{pos}\t{rid}\t{ref}\t{','.join(alts)}\t50\tPASS\t.\tGT\t{gts}")
    text = "\n".join(head + lines) + "\n"
    with open(vcf, "wb") as out:
        subprocess.run(["bgzip", "-c"], input=text.encode(), stdout=out, check=True)
    subprocess.run(["tabix", "-f", "-p", "vcf", vcf], check=True)
    subprocess.run(["bcftools", "view", "-Ob", "-o", a.prefix + ".bcf", vcf], check=True)
    subprocess.run(["bcftools", "index", "-f", a.prefix + ".bcf"], check=True)
    print(f"make_pgs_cohort: {len(records)} records x {n} samples -> {vcf}, {a.prefix}.bcf", file=sys.stderr)


if __name__ == "__main__":
    main()
