#!/usr/bin/env python3
"""Writes tests/data/example_cohort.vcf.gz (+ .tbi): the bundled example cohort for `healcap scan`.

A small synthetic GRCh38 cohort (20 samples, chr-prefixed contigs) with genotypes drawn from a fixed seed
at panel positions, chosen to exercise what real files hold:
  - direct matches at most scored sites, and a few flag-only sites;
  - a multiallelic record whose effect allele is the second ALT (ACTN3 rs1815739 C>A,T);
  - a swapped record, REF/ALT reversed against the panel (TNF rs1800629 written A>G);
  - an indel (CASP8 rs3834129 TAGTAAG>T) whose effect allele is the REF;
  - missing genotypes (./.) and half calls (./1);
  - scored sites left out, so they are reported absent;
  - background records away from the panel, phased and unphased calls.
Only panel positions with REF/ALT known from the panel's sources are written; background records carry
synthetic alleles and are labelled so in the header. Needs bgzip and tabix (Debian package tabix).
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PANEL = os.path.join(ROOT, "gene_panels", "healing_panel.tsv")
OUT = os.path.join(ROOT, "tests", "data", "example_cohort.vcf")

# GRCh38 primary-contig lengths, as in gene_panels/assembly.cpp (NYGC 1000 Genomes GRCh38 header).
LENGTHS = [("chr1", 248956422), ("chr2", 242193529), ("chr3", 198295559), ("chr4", 190214555),
           ("chr5", 181538259), ("chr6", 170805979), ("chr7", 159345973), ("chr8", 145138636),
           ("chr9", 138394717), ("chr10", 133797422), ("chr11", 135086622), ("chr12", 133275309),
           ("chr13", 114364328), ("chr14", 107043718), ("chr15", 101991189), ("chr16", 90338345),
           ("chr17", 83257441), ("chr18", 80373285), ("chr19", 58617616), ("chr20", 64444167),
           ("chr21", 46709983), ("chr22", 50818468), ("chrX", 156040895), ("chrY", 57227415), ("chrM", 16569)]
RANK = {name: i for i, (name, _) in enumerate(LENGTHS)}
N_SAMPLES = 20
LEFT_OUT = {"rs8044769", "rs10948172", "rs4880", "rs2228570"}  # reported as not_in_input
SPECIAL_ALTS = {"rs1815739": ["A", "T"]}                         # multiallelic: effect T is ALT 2
SWAPPED = {"rs1800629"}                                           # write REF/ALT reversed


class Rng:
    """A small linear congruential generator, so the file is the same on every machine."""
    def __init__(self, seed):
        self.state = seed

    def next(self):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        return (self.state >> 33) / float(1 << 31)


def panel_sites():
    rows = {}
    with open(PANEL) as f:
        header = None
        for line in f:
            if line.startswith("##"):
                continue
            cols = line.rstrip("\n").split("\t")
            if header is None:
                header = cols
                continue
            r = dict(zip(header, cols))
            if r["pos_grch38"] == "." or r["ref_grch38"] == "." or r["alt_grch38"] == ".":
                continue
            if r["alt_grch38"].startswith("<"):
                continue
            key = (r["chrom"], int(r["pos_grch38"]))
            rows.setdefault(key, r)  # one record per site, whatever the number of trait rows
    return rows


def genotype(rng, n_alleles, freq, missing_rate=0.06):
    u = rng.next()
    if u < missing_rate:
        return "./." if rng.next() < 0.7 else "./1"
    alleles = []
    for _ in range(2):
        if rng.next() < freq:
            alleles.append(1 if n_alleles == 2 else 1 + int(rng.next() * (n_alleles - 1)))
        else:
            alleles.append(0)
    sep = "|" if rng.next() < 0.3 else "/"
    return f"{alleles[0]}{sep}{alleles[1]}"


def main():
    rng = Rng(20261121)
    records = []
    for (chrom, pos), r in panel_sites().items():
        if r["rsid"] in LEFT_OUT:
            continue
        ref, alts = r["ref_grch38"], r["alt_grch38"].split(",")[:1]
        if r["rsid"] in SPECIAL_ALTS:
            alts = SPECIAL_ALTS[r["rsid"]]
        if r["rsid"] in SWAPPED:
            ref, alts = alts[0], [ref]
        freq = 0.15 + 0.5 * rng.next()
        gts = [genotype(rng, 1 + len(alts), freq) for _ in range(N_SAMPLES)]
        records.append(("chr" + chrom, pos, r["rsid"], ref, ",".join(alts), gts))
        # A background record nearby, off the panel.
        bpos = pos + 137
        bases = "ACGT"
        bref = bases[int(rng.next() * 4)]
        balt = bases[(bases.index(bref) + 1 + int(rng.next() * 3)) % 4]
        bgts = [genotype(rng, 2, 0.3, 0.02) for _ in range(N_SAMPLES)]
        records.append(("chr" + chrom, bpos, ".", bref, balt, bgts))
    records.sort(key=lambda x: (RANK[x[0]], x[1]))

    samples = [f"EX{i:02d}" for i in range(1, N_SAMPLES + 1)]
    with open(OUT, "w") as f:
        f.write("##fileformat=VCFv4.2\n")
        f.write("##reference=GRCh38\n")
        for name, length in LENGTHS:
            f.write(f"##contig=<ID={name},length={length}>\n")
        f.write('##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n')
        f.write("##source=healcap scripts/make_example.py (synthetic genotypes; fixed seed)\n")
        f.write("##healcapExample=synthetic cohort for healcap's README: genotypes are simulated; panel-site "
                "alleles come from gene_panels/healing_panel.tsv; background records (ID .) carry synthetic alleles\n")
        f.write("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t" + "\t".join(samples) + "\n")
        for chrom, pos, rid, ref, alt, gts in records:
            f.write(f"{chrom}\t{pos}\t{rid}\t{ref}\t{alt}\t50\tPASS\t.\tGT\t" + "\t".join(gts) + "\n")
    subprocess.run(["bgzip", "-f", OUT], check=True)
    subprocess.run(["tabix", "-f", "-p", "vcf", OUT + ".gz"], check=True)
    print(f"make_example: wrote {OUT}.gz with {len(records)} records and {N_SAMPLES} samples", file=sys.stderr)


if __name__ == "__main__":
    main()
