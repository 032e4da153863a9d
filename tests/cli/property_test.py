#!/usr/bin/env python3
"""Seeded property test (issue 10): small random cohorts and random panels, scanned in every way healcap
reads them, must give one result, and that result's sums must equal plink2 --score and an independent
recomputation from bcftools query genotypes.

Each case draws:
  - a panel: 5-14 rows of the bundled panel (one per rsID, GRCh38 SNVs), each with a random weight, model,
    effect allele (REF or ALT) and grade replicated/suggestive;
  - a cohort: 1-25 samples; at each panel site a record or none, biallelic or multiallelic (the panel's ALT
    first or second); background records between them; missing, half-missing and phased calls; in some cases
    haploid calls; chr-prefixed or plain contig names;
  - the files: VCF text, VCF.gz and BCF, both BGZF ones written with random small block sizes (so that records
    span blocks), indexed;
  - the reads: 1, 2 and 3 threads, streaming and indexed, with random batch sizes (HEALCAP_BATCH_BLOCKS,
    HEALCAP_BATCH_BYTES).
Checks: samples.tsv and sites.tsv byte-identical across every read, the JSON too but for its "run" and "input"
lines; weighted_sum equal to plink2 --score sums (cases without haploid calls, whose ploidy plink2 reads
otherwise) and, for every case, to tests/cli/expect_scores.py.

Usage: property_test.py HEALCAP SOURCE_DIR [--cases N] [--seed S] [--keep]
The seed (also HEALCAP_PROPERTY_SEED) and case are printed with every failure; rerun one with --seed S --only K.
"""
import argparse
import gzip
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

ap = argparse.ArgumentParser()
ap.add_argument("healcap")
ap.add_argument("src")
ap.add_argument("--cases", type=int, default=10)
ap.add_argument("--seed", type=int, default=int(os.environ.get("HEALCAP_PROPERTY_SEED", "20261203")))
ap.add_argument("--only", type=int, default=None, help="run only this case")
ap.add_argument("--keep", action="store_true", help="keep the work directory")
args = ap.parse_args()
healcap = os.path.abspath(args.healcap)
src = os.path.abspath(args.src)
panel_path = os.path.join(src, "gene_panels", "healing_panel.tsv")
example = os.path.join(src, "tests", "data", "example_cohort.vcf.gz")

BASES = "ACGT"
failures = []


def fail(case, what):
    failures.append(f"seed {args.seed} case {case}: {what}")
    print(f"FAIL seed {args.seed} case {case}: {what}", flush=True)


def run(cmd, env=None, check=True):
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if check and p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: exit {p.returncode}: {p.stderr.strip()[-400:]}")
    return p


def bgzf(data, rng):
    """BGZF blocks of random sizes (the format: RFC 1952 members with a BC extra field giving the block size)."""
    out = bytearray()
    at = 0
    while at < len(data):
        n = rng.randint(150, 4000)
        chunk = data[at:at + n]
        at += n
        c = zlib.compressobj(6, zlib.DEFLATED, -15)
        cdata = c.compress(chunk) + c.flush()
        bsize = 18 + len(cdata) + 8
        out += struct.pack("<4BI2BH2BHH", 0x1F, 0x8B, 8, 4, 0, 0, 0xFF, 6, 66, 67, 2, bsize - 1)
        out += cdata + struct.pack("<II", zlib.crc32(chunk) & 0xFFFFFFFF, len(chunk))
    # The end-of-file marker: an empty block.
    out += bytes.fromhex("1f8b08040000000000ff0600424302001b0003000000000000000000")
    return bytes(out)


def panel_rows():
    meta, rows = [], []
    with open(panel_path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("##"):
                meta.append(line)
                continue
            c = line.split("\t")
            if c[0] == "id":
                header = line
                continue
            rows.append(c)
    return meta, header, rows


META, HEADER, ROWS = panel_rows()
COL = {name: i for i, name in enumerate(HEADER.split("\t"))}  # columns by name: panel formats 1 and 2
ID, RSID, CHROM, POS, REF, ALT = (COL[k] for k in ("id", "rsid", "chrom", "pos_grch38", "ref_grch38", "alt_grch38"))
CANDIDATES = [r for r in ROWS if r[POS] != "." and len(r[REF]) == 1 and len(r[ALT]) == 1 and r[REF] in BASES
              and r[ALT] in BASES and r[CHROM] not in ("X", "Y", "MT")]
CONTIGS = [l for l in subprocess.run(["bcftools", "view", "-h", example], capture_output=True, text=True,
                                     check=True).stdout.splitlines() if l.startswith("##contig")]


def make_panel(rng, path):
    by_rsid = {}
    for r in CANDIDATES:
        by_rsid.setdefault(r[RSID], r)
    picked = rng.sample(sorted(by_rsid.values(), key=lambda r: r[ID]), rng.randint(5, 14))
    rows = []
    for r in picked:
        r = list(r)
        r[COL["effect_allele"]] = rng.choice([r[REF], r[ALT]])
        if "other_allele" in COL:
            r[COL["other_allele"]] = r[ALT] if r[COL["effect_allele"]] == r[REF] else r[REF]
        w = 0.0
        while abs(w) < 0.01:
            w = round(rng.uniform(-1.2, 1.2), 4)
        r[COL["weight"]] = f"{w}"
        r[COL["model"]] = rng.choice(["additive", "dominant", "recessive"])
        for k in ("eaf", "eaf_population", "eaf_source"):
            if k in COL:
                r[COL[k]] = "."
        r[COL["evidence_grade"]] = rng.choice(["replicated", "suggestive"])
        rows.append(r)
    with open(path, "w") as f:
        for m in META:
            if m.startswith("##panel="):
                m = "##panel=property-test"
            elif m.startswith("##version="):
                m = "##version=1"
            f.write(m + "\n")
        f.write(HEADER + "\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    return rows


def genotype(rng, n_alleles, haploid):
    u = rng.random()
    if u < 0.08:
        return "." if haploid else "./."
    if u < 0.12 and not haploid:
        return f"./{rng.randrange(n_alleles)}"
    weights = [0.55] + [0.45 / (n_alleles - 1)] * (n_alleles - 1)
    a = rng.choices(range(n_alleles), weights)[0]
    if haploid:
        return str(a)
    b = rng.choices(range(n_alleles), weights)[0]
    return f"{a}{'|' if rng.random() < 0.4 else '/'}{b}"


def make_cohort(rng, rows, path):
    n = rng.randint(1, 25)
    samples = [f"S{i:02d}" for i in range(n)]
    haploid = rng.random() < 0.3  # some samples' calls haploid throughout
    hap = [haploid and rng.random() < 0.5 for _ in samples]
    chr_style = rng.random() < 0.6
    recs = []
    for r in rows:
        chrom, pos, ref, alt = r[CHROM], int(r[POS]), r[REF], r[ALT]
        for _ in range(rng.randint(0, 2)):  # background records near the site
            q = pos + rng.randint(-40, 40)
            if q != pos and q > 0:
                rb = rng.choice(BASES)
                recs.append((chrom, q, ".", rb, rng.choice([b for b in BASES if b != rb])))
        u = rng.random()
        if u < 0.1:
            continue  # the site is absent
        others = [b for b in BASES if b not in (ref, alt)]
        if u < 0.75:
            alts = alt
        elif u < 0.9:
            alts = f"{alt},{rng.choice(others)}"
        else:
            alts = f"{rng.choice(others)},{alt}"
        recs.append((chrom, pos, r[RSID], ref, alts))
    order = {str(k): k for k in range(1, 23)}
    recs.sort(key=lambda x: (order[x[0]], x[1]))
    seen = set()
    lines = []
    for chrom, pos, rid, ref, alts in recs:
        if (chrom, pos, ref, alts) in seen:
            continue
        seen.add((chrom, pos, ref, alts))
        name = ("chr" + chrom) if chr_style else chrom
        gts = [genotype(rng, 1 + alts.count(",") + 1, hap[k]) for k in range(n)]
        lines.append("\t".join([name, str(pos), rid, ref, alts, "50", "PASS", ".", "GT"] + gts))
    contigs = CONTIGS if chr_style else [l.replace("ID=chr", "ID=") for l in CONTIGS]
    text = "##fileformat=VCFv4.2\n" + "\n".join(contigs) + "\n" + \
        '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n' + \
        "\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT"] + samples) + "\n" + \
        "".join(l + "\n" for l in lines)
    with open(path + ".vcf", "w") as f:
        f.write(text)
    with open(path + ".vcf.gz", "wb") as f:
        f.write(bgzf(text.encode(), rng))
    run(["tabix", "-f", "-p", "vcf", path + ".vcf.gz"])
    run(["bcftools", "view", "-Ou", "-o", path + ".u.bcf", path + ".vcf"])
    with gzip.open(path + ".u.bcf", "rb") as f:  # htslib's uncompressed BCF is BGZF at level 0
        raw = f.read()
    with open(path + ".bcf", "wb") as f:
        f.write(bgzf(raw, rng))
    os.remove(path + ".u.bcf")
    run(["bcftools", "index", "-f", path + ".bcf"])
    return any(hap), len(lines)


def strip_json(text):
    return "\n".join(l for l in text.splitlines() if not (l.startswith('"run":') or l.startswith('"input":')))


def one_case(case, work):
    rng = random.Random(f"{args.seed}:{case}")
    d = os.path.join(work, f"case{case}")
    os.makedirs(d)
    panel = os.path.join(d, "panel.tsv")
    rows = make_panel(rng, panel)
    cohort = os.path.join(d, "cohort")
    has_haploid, n_records = make_cohort(rng, rows, cohort)
    reads = []
    for ext in ("vcf", "vcf.gz", "bcf"):
        for threads in (1, 2, 3):
            for stream in ((False,) if ext == "vcf" else (False, True)):
                reads.append((ext, threads, stream))
    want = None
    for k, (ext, threads, stream) in enumerate(reads):
        env = dict(os.environ)
        env["HEALCAP_BATCH_BLOCKS"] = str(rng.randint(1, 4))
        env["HEALCAP_BATCH_BYTES"] = str(rng.randint(40, 3000))
        prefix = os.path.join(d, f"r{k}")
        cmd = [healcap, "scan", "--panel", panel, "--allow-no-hits", "--threads", str(threads), "--out", prefix,
               cohort + "." + ext] + (["--stream"] if stream else [])
        p = run(cmd, env=env, check=False)
        label = (f"{ext}, {threads} threads, {'stream' if stream else 'default read'}, "
                 f"batch blocks {env['HEALCAP_BATCH_BLOCKS']}, bytes {env['HEALCAP_BATCH_BYTES']}")
        if p.returncode != 0:
            fail(case, f"{label}: exit {p.returncode}: {p.stderr.strip()[-300:]}")
            return
        got = [open(prefix + s).read() for s in (".samples.tsv", ".sites.tsv")] + [strip_json(open(prefix + ".json").read())]
        if want is None:
            want, want_label, want_prefix = got, label, prefix
            continue
        for name, a, b in zip(("samples.tsv", "sites.tsv", "JSON"), want, got):
            if a != b:
                fail(case, f"{name} differs between ({want_label}) and ({label}): diff {want_prefix} {prefix}")
    # Sums: an independent recomputation from bcftools query, and plink2 --score where ploidy agrees.
    p = run([sys.executable, os.path.join(src, "tests", "cli", "expect_scores.py"), panel, "38", cohort + ".vcf.gz",
             want_prefix], check=False)
    if p.returncode != 0:
        fail(case, f"expect_scores.py: {p.stdout.strip()[-400:]}")
    if not has_haploid:
        for ext in ("vcf.gz", "bcf"):
            p = run(["bash", os.path.join(src, "tests", "cli", "plink2_sums.sh"), panel, "38", cohort + "." + ext,
                     os.path.join(d, "plink2." + ext)], check=False)
            if p.returncode != 0:
                fail(case, f"plink2 --score on {ext}: {p.stderr.strip()[-300:]}")
                continue
            sums = dict(l.split("\t") for l in p.stdout.splitlines())
            header = None
            n_bad = 0
            for line in want[0].splitlines():
                if line.startswith("#"):
                    continue
                c = line.split("\t")
                if header is None:
                    header = c
                    continue
                got_sum = float(c[header.index("weighted_sum")])
                if abs(got_sum - float(sums.get(c[0], "0"))) > 5e-4:
                    n_bad += 1
                    if n_bad <= 3:
                        fail(case, f"{c[0]}: weighted_sum {got_sum} but plink2 --score ({ext}) {sums.get(c[0])}")
    print(f"ok   case {case}: {len(rows)} panel rows, {n_records} records, {'haploid calls, ' if has_haploid else ''}"
          f"{len(reads)} reads agree; sums checked", flush=True)


def main():
    for tool in ("bcftools", "tabix", "plink2"):
        if not shutil.which(tool):
            print(f"skip: {tool} is not installed")
            return 77
    work = tempfile.mkdtemp(prefix="healcap-property-")
    cases = [args.only] if args.only is not None else range(args.cases)
    for case in cases:
        try:
            one_case(case, work)
        except Exception as e:  # a generator or peer failure is a failure too, with its seed
            fail(case, f"{type(e).__name__}: {e}")
    if failures or args.keep:
        print(f"work directory kept: {work}")
    else:
        shutil.rmtree(work)
    print(f"{len(cases) - len({f.split(':')[0] for f in failures})} of {len(cases)} cases passed (seed {args.seed})")
    return 1 if failures else 0


sys.exit(main())
