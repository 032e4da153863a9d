#!/usr/bin/env python3
"""Writes a deterministic synthetic GRCh38 cohort for benchmarks: N samples x M variants, VCF.gz + BCF + indexes.

Variants are spread over chr1-22 in proportion to chromosome length, with the bundled panel's GRCh38 sites
(those whose REF/ALT the panel knows) embedded at their real positions with their real alleles. Allele
frequencies follow a neutral-like spectrum (density ~ 1/f, most variants rare); about 0.5% of genotypes
are missing. --format GT writes GT only; --format GATK writes GT:AD:DP:GQ:PL as a GATK caller would.
Synthetic data for speed measurements only: the genotypes mean nothing.

Usage: make_cohort.py --samples N --variants M [--seed S] [--format GT|GATK] --out PREFIX
       (writes PREFIX.vcf.gz, PREFIX.vcf.gz.tbi, PREFIX.bcf, PREFIX.bcf.csi; needs bgzip, tabix, bcftools)
"""
import argparse
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PANEL = os.path.join(os.path.dirname(HERE), "gene_panels", "healing_panel.tsv")
LENGTHS = [248956422, 242193529, 198295559, 190214555, 181538259, 170805979, 159345973, 145138636, 138394717,
           133797422, 135086622, 133275309, 114364328, 107043718, 101991189, 90338345, 83257441, 80373285,
           58617616, 64444167, 46709983, 50818468]  # GRCh38 chr1-22 (gene_panels/assembly.cpp)
BASES = "ACGT"


def panel_sites():
    sites = {}
    header = None
    with open(PANEL) as f:
        for line in f:
            if line.startswith("##"):
                continue
            c = line.rstrip("\n").split("\t")
            if header is None:
                header = c
                continue
            r = dict(zip(header, c))
            if r["pos_grch38"] == "." or r["ref_grch38"] == "." or r["alt_grch38"] in (".",) or r["alt_grch38"].startswith("<"):
                continue
            if r["chrom"] not in [str(i) for i in range(1, 23)]:
                continue
            sites[(int(r["chrom"]), int(r["pos_grch38"]))] = (r["ref_grch38"], r["alt_grch38"].split(",")[0], r["rsid"])
    return sites


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, required=True)
    ap.add_argument("--variants", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--format", choices=("GT", "GATK"), default="GT")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    n = a.samples

    # Pools of genotype rows per allele-frequency bucket, cut into segments of 50 samples: each variant joins
    # segments drawn from different rows of its bucket's pool, so writing stays fast for large N while
    # frequencies and missingness hold and lines rarely repeat (keeping compression realistic).
    buckets = [0.0005 * (1.6 ** k) for k in range(18)]  # 0.0005 .. ~0.5
    buckets = [min(f, 0.5) for f in buckets]
    pool_size = 48
    seg = 50

    def gatk(gt):
        if gt == "./.":
            return "./.:0,0:0:.:."
        dp = rng.randint(8, 60)
        alt = gt.count("1")
        ad_alt = 0 if alt == 0 else (dp if alt == 2 else dp // 2)
        gq = rng.randint(20, 99)
        pl = {0: f"0,{gq},{gq * 10}", 1: f"{gq},0,{gq * 10}", 2: f"{gq * 10},{gq},0"}[alt]
        return f"{gt}:{dp - ad_alt},{ad_alt}:{dp}:{gq}:{pl}"

    def row(f):
        out = []
        for _ in range(n):
            if rng.random() < 0.005:
                g = "./."
            else:
                g = ("1" if rng.random() < f else "0") + "/" + ("1" if rng.random() < f else "0")
            out.append(gatk(g) if a.format == "GATK" else g)
        return ["\t".join(out[i:i + seg]) for i in range(0, n, seg)]

    pools = [[row(f) for _ in range(pool_size)] for f in buckets]
    n_seg = len(pools[0][0])

    def genotypes(pool):
        return "\t".join(pool[rng.randrange(pool_size)][k] for k in range(n_seg))
    weights = [1.0 / f for f in buckets]  # ~1/f spectrum: rare variants dominate
    total = float(sum(LENGTHS))
    per_chrom = [max(1, int(a.variants * l / total)) for l in LENGTHS]
    embedded = panel_sites()
    fmt = "GT" if a.format == "GT" else "GT:AD:DP:GQ:PL"

    vcf = a.out + ".vcf.gz"
    bgzip = subprocess.Popen(["bgzip", "-@2", "-c"], stdin=subprocess.PIPE, stdout=open(vcf, "wb"))
    w = bgzip.stdin
    head = ["##fileformat=VCFv4.2", "##reference=GRCh38",
            "##source=healcap scripts/make_cohort.py (synthetic benchmark data; seed %d)" % a.seed]
    head += [f"##contig=<ID=chr{i + 1},length={l}>" for i, l in enumerate(LENGTHS)]
    head.append('##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">')
    if a.format == "GATK":
        head += ['##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">',
                 '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth">',
                 '##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="Genotype quality">',
                 '##FORMAT=<ID=PL,Number=G,Type=Integer,Description="Phred-scaled genotype likelihoods">']
    head.append("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t" + "\t".join(f"S{i:06d}" for i in range(1, n + 1)))
    w.write(("\n".join(head) + "\n").encode())
    n_written = 0
    for ci, count in enumerate(per_chrom):
        chrom = ci + 1
        step = LENGTHS[ci] // (count + 1)
        positions = {(k + 1) * step + rng.randint(0, step // 2) for k in range(count)}
        for (c, p) in embedded:
            if c == chrom:
                positions.add(p)
        lines = []
        for p in sorted(positions):
            if (chrom, p) in embedded:
                ref, alt, rid = embedded[(chrom, p)]
                pool = pools[-3]
            else:
                ref = BASES[rng.randrange(4)]
                alt = BASES[(BASES.index(ref) + 1 + rng.randrange(3)) % 4]
                rid = "."
                pool = rng.choices(pools, weights)[0]
            lines.append(f"chr{chrom}\t{p}\t{rid}\t{ref}\t{alt}\t50\tPASS\t.\t{fmt}\t{genotypes(pool)}\n")
            n_written += 1
        w.write("".join(lines).encode())
    w.close()
    if bgzip.wait() != 0:
        sys.exit("make_cohort: bgzip failed")
    subprocess.run(["tabix", "-f", "-p", "vcf", vcf], check=True)
    subprocess.run(["bcftools", "view", "--threads", "2", "-Ob", "-o", a.out + ".bcf", vcf], check=True)
    subprocess.run(["bcftools", "index", "-f", a.out + ".bcf"], check=True)
    print(f"make_cohort: {n_written} variants x {n} samples ({a.format}) -> {vcf}, {a.out}.bcf", file=sys.stderr)


if __name__ == "__main__":
    main()
