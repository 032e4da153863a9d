#!/usr/bin/env python3
"""Writes N deterministic single-sample GRCh38 VCF.gz files (bgzipped, tabix-indexed) for the many-inputs benchmark.

scripts/make_cohort.py is run once (1 sample, --variants records, the bundled panel's GRCh38 sites embedded at
their real positions with their real alleles, chr-style contigs with GRCh38 lengths in the header) as a template;
every file then gets the template's records with its own seeded genotypes (one draw per record from the
record's allele frequency under Hardy-Weinberg, about 0.5% missing) and its own sample name (P0001, P0002, ...).
The same --seed gives the same bytes. Synthetic data for speed measurements only: the genotypes mean nothing.

Usage: make_many_files.py --files N --out DIR [--variants M] [--seed S] [--jobs J]
       (writes DIR/f0001.vcf.gz(.tbi) ... and DIR/list.txt, one absolute path a line; needs bgzip, tabix, bcftools)
"""
import argparse
import multiprocessing
import os
import random
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
MAKE_COHORT = os.path.join(os.path.dirname(HERE), "scripts", "make_cohort.py")
BUCKETS = [min(0.0005 * (1.6 ** k), 0.5) for k in range(18)]  # make_cohort.py's allele-frequency buckets
PANEL_FREQ = BUCKETS[-3]  # make_cohort.py draws the panel's sites from this bucket

# Filled before the workers fork: the header up to the sample name, each record's first 9 columns + TAB,
# and each record's cumulative genotype thresholds (0/0, 0/1, 1/0, 1/1; the rest is missing).
HEAD = ""
PREFIXES = []
CUTS = []
OUT = ""
SEED = 1


def read_template(path, seed):
    global HEAD, PREFIXES, CUTS
    rng = random.Random(seed)
    weights = [1.0 / f for f in BUCKETS]
    head, prefixes, cuts = [], [], []
    out = subprocess.run(["bgzip", "-dc", path], check=True, stdout=subprocess.PIPE).stdout.decode()
    for line in out.splitlines():
        if line.startswith("##"):
            if not line.startswith("##source="):
                head.append(line)
            continue
        c = line.split("\t")
        if line.startswith("#CHROM"):
            head.append("##source=healcap benchmarks/make_many_files.py (synthetic benchmark data; seed %d)" % seed)
            head.append("\t".join(c[:9]) + "\t")
            continue
        f = PANEL_FREQ if c[2] != "." else rng.choices(BUCKETS, weights)[0]
        ok = 0.995  # 0.5% missing
        q = 1.0 - f
        c00 = ok * q * q
        c01 = c00 + ok * f * q
        c10 = c01 + ok * f * q
        cuts.append((c00, c01, c10, ok))
        prefixes.append("\t".join(c[:9]) + "\t")
    HEAD = "\n".join(head)
    PREFIXES = prefixes
    CUTS = cuts


def write_file(i):
    rng = random.Random(SEED * 1000003 + i).random
    name = "P%04d" % i
    parts = [HEAD, name, "\n"]
    for p, (c00, c01, c10, ok) in zip(PREFIXES, CUTS):
        u = rng()
        if u < c00:
            g = "0/0\n"
        elif u < c01:
            g = "0/1\n"
        elif u < c10:
            g = "1/0\n"
        elif u < ok:
            g = "1/1\n"
        else:
            g = "./.\n"
        parts.append(p)
        parts.append(g)
    path = os.path.join(OUT, "f%04d.vcf.gz" % i)
    with open(path, "wb") as fh:
        r = subprocess.run(["bgzip", "-c"], input="".join(parts).encode(), stdout=fh)
    if r.returncode != 0:
        raise RuntimeError("bgzip failed for " + path)
    subprocess.run(["tabix", "-f", "-p", "vcf", path], check=True)
    return path


def main():
    global OUT, SEED
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--variants", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    a = ap.parse_args()
    if a.files < 1 or a.files > 9999:
        sys.exit("make_many_files: --files must be 1..9999")
    OUT = os.path.abspath(a.out)
    SEED = a.seed
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, MAKE_COHORT, "--samples", "1", "--variants", str(a.variants),
                        "--seed", str(a.seed), "--out", os.path.join(tmp, "template")],
                       check=True, stderr=subprocess.DEVNULL)
        read_template(os.path.join(tmp, "template.vcf.gz"), a.seed)
    with multiprocessing.get_context("fork").Pool(a.jobs) as pool:
        paths = list(pool.imap(write_file, range(1, a.files + 1), chunksize=8))
    with open(os.path.join(OUT, "list.txt"), "w") as fh:
        fh.write("".join(p + "\n" for p in paths))
    print(f"make_many_files: {a.files} files x {len(PREFIXES)} records x 1 sample -> {OUT}/f*.vcf.gz, {OUT}/list.txt",
          file=sys.stderr)


if __name__ == "__main__":
    main()
