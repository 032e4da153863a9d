#!/usr/bin/env python3
"""Seed corpora and dictionaries for the libFuzzer targets in tests/fuzz (python3 standard library only).

Writes OUT/text_records/, OUT/panel_loader/, OUT/partial/, OUT/biomarker_input/ (one file per seed, named by its
SHA-1 as libFuzzer names corpus files) and OUT/TARGET.dict, from:
  - the VCF/BCF corpus root (../shared/data/external; skipped with a note when absent),
  - the project's tests/data and gene_panels/healing_panel.tsv (and ../shared/panel-sources/raw/PGS000314.txt),
  - partial files made by running `healcap scan --partial` on tests/data (with --healcap; skipped without), some
    with the example's --biomarkers (a 'B' block);
  - tests/data/example_biomarkers.tsv and its sample map, cut and varied (CSV, censored values, dates, units).
Each seed is at most --max-bytes (64 KB); each target gets at most --max-files seeds. The input layouts the
seeds follow are those the targets read (see the comment at the top of each fuzz_*.cpp and README.md).

Usage: make_seeds.py --out DIR [--source PROJECT_DIR] [--corpus-root DIR] [--healcap BIN]
"""
import argparse
import gzip
import hashlib
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

TARGETS = ("text_records", "panel_loader", "partial", "biomarker_input")


def note(msg):
    print("make_seeds: " + msg, file=sys.stderr)


class Corpus:
    """The seeds of one target: deduplicated, capped in size and count."""

    def __init__(self, out, name, max_bytes, max_files):
        self.dir = os.path.join(out, name)
        self.max_bytes, self.max_files = max_bytes, max_files
        self.seen = set()
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)

    def full(self):
        return len(self.seen) >= self.max_files

    def add(self, data):
        if not data or len(data) > self.max_bytes or self.full():
            return False
        h = hashlib.sha1(data).hexdigest()
        if h in self.seen:
            return False
        self.seen.add(h)
        with open(os.path.join(self.dir, h), "wb") as f:
            f.write(data)
        return True


def write_dict(path, tokens):
    with open(path, "w") as f:
        for t in sorted(set(tokens)):
            if not t:
                continue
            esc = "".join(chr(c) if 32 <= c < 127 and chr(c) not in '"\\' else "\\x%02x" % c for c in t.encode())
            f.write('"%s"\n' % esc)


# --- the panel ---------------------------------------------------------------------------------------------

def read_panel(path):
    """(header lines, column names, rows as dicts) of a panel TSV."""
    meta, cols, rows = [], None, []
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("##"):
                meta.append(line)
            elif cols is None:
                cols = line.split("\t")
            elif line:
                rows.append(dict(zip(cols, line.split("\t"))))
    return meta, cols, rows


def panel_text(meta, cols, rows):
    out = [*meta, "\t".join(cols)]
    out += ["\t".join(r.get(c, ".") for c in cols) for r in rows]
    return ("\n".join(out) + "\n").encode()


def panel_seeds(corpus, panel_path):
    meta, cols, rows = read_panel(panel_path)
    corpus.add(open(panel_path, "rb").read())
    for n in (1, 2, 3, 5, 8, 13, 21, 34, 55):
        corpus.add(panel_text(meta, cols, rows[:n]))
    few = rows[:6]
    corpus.add(panel_text(["##panel=tiny", "##version=0.0.1"], cols, few))  # the required header lines only
    corpus.add(panel_text(meta, list(reversed(cols)), few))  # columns in another order
    # One build only, then the other.
    for b in ("grch37", "grch38"):
        corpus.add(panel_text(meta, cols, [dict(r, **{"pos_" + b: ".", "ref_" + b: ".", "alt_" + b: "."}) for r in few]))
    # Unknown alleles, unscored rows, symbolic and indel alleles, unplaced rows.
    corpus.add(panel_text(meta, cols, [dict(r, ref_grch38=".", alt_grch38=".") for r in few]))
    corpus.add(panel_text(meta, cols, [dict(r, weight="0", effect_allele=".", odds_ratio=".") for r in few]))
    corpus.add(panel_text(meta, cols, [dict(few[0], alt_grch38="<INS:ME:ALU>", alt_grch37="<INS:ME:ALU>")] + few[1:]))
    corpus.add(panel_text(meta, cols, [dict(r, chrom=".", pos_grch37=".", pos_grch38=".", ref_grch37=".", ref_grch38=".",
                                            alt_grch37=".", alt_grch38=".") for r in few]))
    corpus.add(panel_text(meta, cols, [dict(r, chrom="chr" + r["chrom"]) for r in few]))
    # Rejected panels, one problem each (the loader's error paths).
    corpus.add(panel_text(meta, cols, few + [few[0]]))  # a duplicate id
    corpus.add(panel_text(meta, cols[:-1], few))  # a missing column
    corpus.add(panel_text(meta, cols + ["extra"], few))  # an unknown column
    corpus.add(panel_text(meta, cols, [dict(few[0], ref_grch38="Z")] + few[1:]))
    corpus.add(panel_text(meta, cols, [dict(few[0], weight="heavy")] + few[1:]))
    corpus.add(panel_text(meta, cols, [dict(few[0], eaf="1.5")] + few[1:]))
    corpus.add(panel_text(meta, cols, [dict(few[0], pathway="nowhere")] + few[1:]))
    corpus.add(panel_text(meta, cols, []))  # no rows
    corpus.add(b"\r\n".join(panel_text(meta, cols, few).split(b"\n")))  # CRLF
    corpus.add(panel_text(meta, cols, few).rstrip(b"\n"))  # no newline at the end
    tokens = [c for c in cols] + [m.split("=")[0] + "=" for m in meta] + ["\t", ".", "rs", "<INS:ME:ALU>", "chr", "NC_000017.11"]
    for c in ("pathway", "trait", "model", "evidence_grade", "gene", "chrom"):
        tokens += [r[c] for r in rows]
    return tokens


def pgs_seeds(corpus, pgs_path):
    """Seeds for the PGS Catalog reader: the scoring file (when present), cut short, and with unsupported rows."""
    if not os.path.exists(pgs_path):
        return []
    text = open(pgs_path, "rb").read()
    corpus.add(text)
    lines = text.split(b"\n")
    head = [l for l in lines if l.startswith(b"#")]
    body = [l for l in lines if l and not l.startswith(b"#")]
    corpus.add(b"\n".join(head + body[:6]) + b"\n")
    cols = body[0] + b"\tis_haplotype\tis_dominant\thm_chr\thm_pos"
    rows = [r + (b"\tTrue" if k == 2 else b"\tFalse") + (b"\tTrue" if k == 3 else b"\t") + b"\t1\t" + str(k + 10).encode()
            for k, r in enumerate(body[1:6])]
    corpus.add(b"\n".join(head + [b"#HmPOS_build=GRCh38", cols] + rows) + b"\n")
    return ["#format_version=2.0", "#pgs_id=", "#genome_build=", "#HmPOS_build=", "effect_weight", "other_allele",
            "is_haplotype", "is_recessive", "dosage_1_weight", "hm_pos", "True", "False"]


# --- VCF text ----------------------------------------------------------------------------------------------

FIXED_SAMPLES = 5  # the fixed header of fuzz_text_records.cpp (test_support.h's header_text): samples S1..S5


def text_prefix(rng):
    """A random control prefix for fuzz_text_records: flags, then a count or step, then cut offsets."""
    flags = rng.randrange(32)
    mode = (flags >> 2) & 3
    if mode == 0:
        n = rng.randrange(1, 8)
        return bytes([flags, n]) + b"".join(struct.pack("<H", rng.randrange(1 << 16)) for _ in range(n))
    return bytes([flags, rng.randrange(256)])


def whole_lines(data, limit):
    """The header and as many whole records as fit in `limit` bytes (the header alone may be longer)."""
    if len(data) <= limit:
        return data
    end = data.rfind(b"\n", 0, limit)
    head = data.find(b"\n#CHROM")
    if head >= 0:
        head_end = data.find(b"\n", head + 1)
        if head_end >= 0 and end < head_end:
            end = data.find(b"\n", head_end + 1)
            if end < 0:
                end = head_end
    return data[:end + 1] if end >= 0 else data[:limit]


def read_vcf_text(path, limit):
    try:
        if path.endswith((".gz", ".bgz")):
            with gzip.open(path, "rb") as f:
                data = f.read(4 * limit)
        else:
            with open(path, "rb") as f:
                data = f.read(4 * limit)
    except (OSError, EOFError, zlib.error):
        return None
    return whole_lines(data, limit)


def panel_records(rows, build, chr_prefix, n_samples):
    """Records at the panel's sites in one build: the body of a VCF that hits the panel."""
    gts = ("0/0", "0/1", "1/1", "./.", "0|1", "1|0")
    out = []
    for i, r in enumerate(rows):
        pos, ref, alt = r["pos_" + build], r["ref_" + build], r["alt_" + build]
        if pos == "." or ref == "." or alt == ".":
            continue
        chrom = ("chr" if chr_prefix else "") + r["chrom"]
        calls = "\t".join(gts[(i * 7 + s * 5) % 6] for s in range(n_samples))
        out.append("%s\t%s\t%s\t%s\t%s\t50\tPASS\tDP=%d\tGT\t%s" % (chrom, pos, r["rsid"], ref, alt, 10 + i, calls))
    return out


def sort_key(line):
    c, p = line.split("\t")[:2]
    c = c[3:] if c.startswith("chr") else c
    return (int(c) if c.isdigit() else 100, c, int(p))


def text_seeds(corpus, rng, panel_path, source, corpus_root, max_bytes):
    _, _, rows = read_panel(panel_path)
    tokens = ["##fileformat=VCFv4.2\n", "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT", "\tPASS\t", "\tGT\t",
              "GT:DP:GQ", "<NON_REF>", "<*>", "END=", "DP=", "AF=", "SOMATIC", "\r\n", "./.", "0|1", "1/1", "##contig=<ID=",
              "##INFO=<ID=", "##FORMAT=<ID=", "Number=", "Type=Integer", "Type=Float", "Type=String", "Type=Flag"]
    seen_pos = set()
    for r in rows:
        for b in ("grch37", "grch38"):
            if r["pos_" + b] != "." and len(seen_pos) < 120:
                seen_pos.add("\t%s\t" % r["pos_" + b])
    tokens += sorted(seen_pos) + ["chr%s\t" % r["chrom"] for r in rows] + ["%s\t" % r["chrom"] for r in rows]

    def add(text):
        for _ in range(2):  # two cuttings of each text
            corpus.add(text_prefix(rng) + text)

    # Bodies for the fixed header (no ##fileformat line): panel hits in both builds, gVCF blocks, oddities.
    r38 = sorted(panel_records(rows, "grch38", True, FIXED_SAMPLES), key=sort_key)
    r37 = sorted(panel_records(rows, "grch37", False, FIXED_SAMPLES), key=sort_key)
    body = lambda lines: ("\n".join(lines) + "\n").encode()
    for n in (1, 3, 10, 40):
        add(body(r38[:n]))
        add(body(r37[:n]))
    add(body(r38[:10]).replace(b"\n", b"\r\n"))
    add(body(r38[:5])[:-1])  # no newline at the end
    add(body(list(reversed(r38[:8]))))  # unsorted
    add(body(r38[:3] + ["chrUn_x\t100\t.\tA\tG\t50\tPASS\tDP=3\tGT" + "\t0/1" * FIXED_SAMPLES]))  # an undefined contig
    add(body([l.replace("DP=", "XX=1;DP=") for l in r38[:4]]))  # an undefined INFO tag
    if r38:
        c, p = r38[0].split("\t")[:2]
        block = "%s\t%d\t.\tA\t<NON_REF>\t.\tPASS\tEND=%d\tGT" % (c, int(p) - 5, int(p) + 5) + "\t0/0" * FIXED_SAMPLES
        add(body([block] + r38[1:6]))
        add(body(["%s\t0\t.\tA\tG\t50\tPASS\tDP=1\tGT" % c + "\t0/1" * FIXED_SAMPLES] + r38[:3]))  # POS 0
    add(b"\n\n" + body(r38[:3]) + b"\n")  # blank lines
    add(body([l.replace("\t", " ") for l in r38[:2]]))  # space-separated
    # The project's example cohort (its own header).
    for p in sorted(os.listdir(os.path.join(source, "tests", "data"))):
        if p.endswith((".vcf", ".vcf.gz")):
            t = read_vcf_text(os.path.join(source, "tests", "data", p), 16384)
            if t:
                add(t)
    # The external corpus: texts of many sources, round-robin over its top folders so that none dominates.
    if not corpus_root or not os.path.isdir(corpus_root):
        note("no VCF corpus at %s: text_records seeds come from the project alone" % corpus_root)
        return tokens
    by_top = {}
    for d, _, files in os.walk(corpus_root):
        for f in files:
            if f.endswith((".vcf", ".vcf.gz", ".vcf.bgz")):
                p = os.path.join(d, f)
                top = os.path.relpath(p, corpus_root).split(os.sep)[0]
                by_top.setdefault(top, []).append(p)
    queues = [sorted(v) for _, v in sorted(by_top.items())]
    for q in queues:
        rng.shuffle(q)
    while any(queues) and not corpus.full():
        for q in queues:
            if q and not corpus.full():
                t = read_vcf_text(q.pop(), 12288)
                if t and len(t) + 40 <= max_bytes:
                    corpus.add(text_prefix(rng) + t)
    return tokens


# --- partials ----------------------------------------------------------------------------------------------

def blobs_of(data):
    """The (tag, raw bytes) blobs of a partial file, or None when it does not parse."""
    if data[:6] != b"HCPART":
        return None
    at, out = 8, []
    while at + 21 <= len(data):
        tag = data[at:at + 1]
        raw_len, comp_len = struct.unpack("<QQ", data[at + 1:at + 17])
        at += 21
        raw = zlib.decompress(data[at:at + comp_len])
        assert len(raw) == raw_len
        out.append((tag, raw))
        at += comp_len
        if tag == b"E":
            return out
    return None


def varint(n):
    b = bytearray()
    while n >= 0x80:
        b.append((n & 0x7F) | 0x80)
        n >>= 7
    b.append(n)
    return bytes(b)


def blob_input(files, merge):
    """fuzz_partial's blob layout: flags (bit 0: blobs, bit 1: merge), then per file its blobs, '/' between files."""
    out = bytearray([1 | (2 if merge else 0)])
    for i, blobs in enumerate(files):
        if i:
            out += b"/"
        for tag, raw in blobs:
            out += tag + varint(len(raw)) + raw
    return bytes(out)


def partial_seeds(corpus, healcap, source):
    healcap = os.path.abspath(healcap) if healcap else None
    if not healcap or not os.access(healcap, os.X_OK):
        note("no healcap binary given: partial seeds are the hand-made ones only")
        corpus.add(b"\x00HCPART\x01\n")
        return ["HCPART\x01\n", "HCEND\n"]
    data = os.path.join(source, "tests", "data")
    vcf = os.path.join(data, "example_cohort.vcf.gz")
    work = tempfile.mkdtemp(prefix="healcap-seeds.")
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0", HEALCAP_HTSLIB_LOG="0")
    made = []

    def scan(name, *args):
        p = os.path.join(work, name + ".hcp")
        r = subprocess.run([healcap, "scan", "--threads", "1", "--allow-no-hits", "--partial", p, *args],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=work)
        if os.path.exists(p):
            made.append(p)
            return p
        note("healcap scan %s made no partial (exit %d): %s" % (" ".join(args), r.returncode, r.stderr.decode()[-300:]))
        return None

    try:
        bad = os.path.join(work, "not_a_vcf.vcf")
        with open(bad, "w") as f:
            f.write("this is not a VCF\n")
        lst = os.path.join(work, "inputs.list")
        with open(lst, "w") as f:
            f.write("%s\n%s\n" % (vcf, bad))
        scan("whole", vcf)
        scan("pass_only", "--pass-only", "--min-gq", "20", "--grades", "replicated,suggestive,contested", vcf)
        scan("targets", "-t", "^chr1", "--dosage", "GT", vcf)
        scan("callable", "--absent-as-ref", vcf)
        bm = os.path.join(data, "example_biomarkers.tsv")
        if os.path.exists(bm):
            scan("biomarkers", "--biomarkers", bm, "--sample-map", os.path.join(data, "example_biomarkers_sample_map.tsv"),
                 "--timepoints", "baseline,3m", vcf)
        scan("keep_going", "--keep-going", "--file-list", lst)
        pairs = []
        for kind in ("sample", "region"):
            shard = []
            for i in (1, 2):
                extra = ["-r", "chr1,chr2,chr3,chr4,chr5,chr6" if i == 1 else "chr7,chr8,chr9,chr10,chr11,chr12,chr13,chr14,chr15,chr16,chr17,chr18,chr19,chr20,chr21,chr22,chrX"] if kind == "region" else []
                shard.append(scan("%s%d" % (kind, i), *extra, "--%s-shard" % kind, "%d/2" % i, vcf))
            if all(shard):
                pairs.append(shard)
        for p in made:
            raw = open(p, "rb").read()
            corpus.add(b"\x00" + raw)
            corpus.add(b"\x02" + raw)
            blobs = blobs_of(raw)
            if blobs:
                corpus.add(blob_input([blobs], False))
                corpus.add(blob_input([blobs], True))
        for pair in pairs:
            corpus.add(blob_input([blobs_of(open(p, "rb").read()) for p in pair], True))
        # A truncated and a corrupt partial, as the CLI tests make them.
        if made:
            raw = open(made[0], "rb").read()
            corpus.add(b"\x00" + raw[:len(raw) // 2])
            corpus.add(b"\x00" + raw[:40] + bytes([raw[40] ^ 0xFF]) + raw[41:])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return ["HCPART\x01\n", "HCEND\n", "H", "B", "S", "F", "E", "/"]


# --- biomarker files -----------------------------------------------------------------------------------------

def biomarker_seeds(corpus, source):
    """fuzz_biomarker_input's layout: a flags byte, then the file's text (see the target's comment)."""
    data = os.path.join(source, "tests", "data")
    path = os.path.join(data, "example_biomarkers.tsv")
    if not os.path.exists(path):
        note("no tests/data/example_biomarkers.tsv: biomarker seeds are the hand-made ones only")
        text = "sample\tmarker\tvalue\tunit\ttimepoint\tdate\nEX01\tCRP\t4.1\tmg/L\tbaseline\t2026-01-05\n"
    else:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    with open(os.path.join(data, "example_biomarkers_sample_map.tsv"), encoding="utf-8") as f:
        map_text = f.read()
    lines = text.splitlines(keepends=True)
    head = [l for l in lines if not l.startswith("#")][:1]
    rows = [l for l in lines if not l.startswith("#")][1:]
    csv = "".join(",".join('"%s"' % c.replace('"', '""') if ("," in c or " " in c) else c
                           for c in l.rstrip("\n").split("\t")) + "\n" for l in head + rows[:24])
    small = "".join(head + rows[:16])
    add = lambda flags, t: corpus.add(bytes([flags]) + t.encode("utf-8"))
    add(0, small)
    add(32, small)
    add(4 | 32, small)
    add(8 | 32, small + "\0" + map_text)
    add(16, "baseline,3m\n" + small)
    add(1, csv)
    add(2, csv)
    add(0, "".join(head + rows[:60]))
    add(0, "\ufeff" + small.replace("\n", "\r\n"))
    # Censored values, units to convert, specimens, unknown markers, synonyms, dates.
    h = "sample\tmarker\tvalue\tunit\ttimepoint\tspecimen\tdate\tref_low\tref_high\tcv_analytical\n"
    add(0, h + "S1\tCRP\t<0.15\tmg/L\tbaseline\tserum\t2026-01-01\t0\t5\t\nS1\tCRP\t>20\tmg/dL\t3m\tplasma\t2026-04-01\t\t\t3\n")
    add(0, h + "S1\tIL-1\u03b2\t1\tng/mL\ta\tsynovial fluid\t2026-01-01\t\t\t\nS1\tTIMP1\t2\t\u00b5g/L\tb\tplasma\t2026-01-02\t\t\t4\n"
               "S2\tIL-17A\t3\tpg/mL\tb\t\t2026-01-05\t\t\t\nS2\tIL-17A\t3\tpg/mL\ta\t\t2026-01-01\t\t\t\n")
    add(16, "a,b,c\n" + h + "S1\tESR\t12\tmm/h\ta\twhole_blood\t\t\t20\t\nS1\tESR\t40\tmm/hr\tc\t\t\t\t20\t\n")
    tokens = ["sample", "marker", "value", "unit", "timepoint", "specimen", "date", "assay", "lab", "ref_low", "ref_high",
              "cv_analytical", "serum", "plasma", "synovial_fluid", "whole_blood", "CRP", "hs-CRP", "IL-6", "IL-1\u03b2",
              "TNF-\u03b1", "IL-10", "TGF-beta1", "MMP-3", "TIMP-1", "PGE2", "ESR", "RF", "anti-CCP", "mg/L", "mg/dL",
              "pg/mL", "ng/mL", "\u00b5g/L", "\u03bcg/mL", "pmol/L", "mm/h", "IU/mL", "<", ">", "\t", ",", '"', "\n",
              "2026-01-05", "2024-02-29", "baseline", "3m", "\ufeff"]
    return tokens


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="output folder (its TARGET folders are replaced)")
    ap.add_argument("--source", default=os.path.dirname(os.path.dirname(here)), help="the project's source folder")
    ap.add_argument("--corpus-root", default=None, help="VCF corpus [SOURCE/../shared/data/external]")
    ap.add_argument("--healcap", default=None, help="the healcap binary, to make partial files")
    ap.add_argument("--max-bytes", type=int, default=64 * 1024)
    ap.add_argument("--max-files", type=int, default=300, help="seeds per target at most")
    ap.add_argument("--stamp", default=None, help="file to touch when done (for the build)")
    a = ap.parse_args()
    root = a.corpus_root or os.path.join(a.source, "..", "shared", "data", "external")
    panel = os.path.join(a.source, "gene_panels", "healing_panel.tsv")
    os.makedirs(a.out, exist_ok=True)
    rng = random.Random(20240601)  # the same seeds every time
    corpora = {t: Corpus(a.out, t, a.max_bytes, a.max_files) for t in TARGETS}
    pgs = os.path.join(a.source, "..", "shared", "panel-sources", "raw", "PGS000314.txt")
    write_dict(os.path.join(a.out, "panel_loader.dict"),
               panel_seeds(corpora["panel_loader"], panel) + pgs_seeds(corpora["panel_loader"], pgs))
    write_dict(os.path.join(a.out, "text_records.dict"),
               text_seeds(corpora["text_records"], rng, panel, a.source, root, a.max_bytes))
    write_dict(os.path.join(a.out, "partial.dict"), partial_seeds(corpora["partial"], a.healcap, a.source))
    write_dict(os.path.join(a.out, "biomarker_input.dict"), biomarker_seeds(corpora["biomarker_input"], a.source))
    for t in TARGETS:
        note("%s: %d seeds in %s" % (t, len(corpora[t].seen), corpora[t].dir))
    if a.stamp:
        with open(a.stamp, "w") as f:
            f.write("seeds made\n")


if __name__ == "__main__":
    main()
