#!/usr/bin/env python3
"""Builds gene_panels/healing_panel.tsv (panel format 2) and its EAF side table from ../shared/panel-sources.

Coordinates and alleles come only from the source tables and their raw extracts; effect alleles and odds
ratios come only from the lines of panel_effects.tsv (or the GWAS Catalog / ClinVar allele) that
curation.tsv cites, and are checked against them. Anything not found stays '.'.

other_allele is the forward-strand non-effect allele where a source names both alleles: other_allele_fwd on
the panel_effects.tsv line the row cites, a panel_frequencies.tsv line naming both alleles (REF/ALT columns or
'effect_allele X, other_allele Y' in its source), or the row's own REF/ALT at a biallelic site (GRCh37 and
GRCh38 must agree). Sources that disagree stop the build. A multi-allelic site (an ALT list) gets '.'.

Effect-allele frequencies (eaf, eaf_population, eaf_source; all five superpopulations in the side table):
  1. Candidates for a row are the panel_frequencies.tsv lines of its rsID with a known allele (not '.' and not
     'ambiguous'), a numeric frequency and a population that POPULATIONS below maps to one superpopulation
     (EUR AFR AMR EAS SAS). A population string missing from POPULATIONS stops the build. Not used: 1000G_ALL
     (global), gnomAD FIN and ASJ (EUR is gnomAD NFE), cohorts whose superpopulation is not stated.
  2. The line's allele is the effect allele: the frequency as given. It is the row's other allele at a biallelic
     site: 1 - f ('derived 1 - f' in the notes). Otherwise the line is not used for that row.
  3. Per superpopulation the strongest source wins: 1000 Genomes phase 3 (Ensembl VCF) > gnomAD > Summix
     1000G-derived reference > published paper table (a paper URL) > GWAS Catalog; the earliest line on a tie.
     KIND is reference_panel for the first three and study_cohort for the other two.
  4. If the candidates of one superpopulation, all on the effect allele, differ by more than 0.1, that
     population gets no value unless gene_panels/eaf_curation.tsv names the line to use (it must be one of the
     candidates). Every conflict goes in the row's notes.
  5. A line note that speaks of the gene strand must state which forward allele it means, equal to the line's
     allele. Each chosen value is re-read from its cited line and compared before it is written.
  Rows without an effect allele get no EAF. The panel's eaf is the side table's EUR value.

Usage: scripts/build_panel.py [--sources DIR] [--curation FILE] [--eaf-curation FILE] [-o FILE]
                              [--eaf-output FILE]
  (default panel output: stdout; the side table defaults to OUTPUT with .tsv replaced by _eaf.tsv)
A coverage summary (rows with an EUR eaf, default-scored rows with one, rows per population) goes to stderr.
"""
import argparse
import math
import os
import re
import sys
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

PANEL_NAME = "healcap-healing"
PANEL_VERSION = "1.1.0"
DIRECTION_ONLY_OR = 1.1  # rule: a stated direction without an effect size is weighted as OR 1.1 per unit

COLUMNS = ("id rsid gene pathway trait chrom pos_grch37 ref_grch37 alt_grch37 pos_grch38 ref_grch38 "
           "alt_grch38 effect_allele other_allele odds_ratio weight model eaf eaf_population eaf_source "
           "evidence_grade evidence source notes").split()
EAF_COLUMNS = "id population kind eaf source notes".split()

PATHWAY_OF_GENE = {
    "matrix_structure": "COL1A1 COL1A2 COL3A1 COL5A1 COL11A1 COL11A2 COL12A1 COL27A1 TNC ASPN CILP ACAN CHST3",
    "matrix_remodelling": "MMP1 MMP2 MMP3 MMP9 MMP12 TIMP2",
    "growth_angiogenesis": "TGFB1 TGFBR2 VEGFA KDR HIF1A NOS3 EGF IGF1 IGFBP3 IGF2 GDF5 UQCC1 BMP2 BMP4",
    "inflammation": "IL1A IL1B IL1RN IL6 IL6R IL10 TNF LTA CRP CCL2 CXCL8 IL18 IL17A IL4 TLR4 NFKB1 PTGS2",
    "wnt_bone": "FRZB LRP5 SOST WNT7B RSPO2 CTNNB1 ESR1 VDR DOT1L",
    "other": "ALDH1A2 DIO2 GNL3 SUPT3H MCF2L COG5 DUS4L ZMYND8 FTO PARK2 CRBN EPDR1 CCDC91 SOD2 CASP8 ACTN3 ACE AGT",
}
GENE_PATHWAY = {g: p for p, genes in PATHWAY_OF_GENE.items() for g in genes.split()}

SOURCE_CODES = (
    ("gero-drugs-module", "PharmGKB_2022-07-05"),
    ("D-Hildebrand", "ClinVar_2021-01"),
    ("ebicat38", "GWASCatalog_ebicat38_2016-01"),
    ("gwrngs19", "GWASCatalog_gwrngs19_2014-09"),
    ("ebicat37", "GWASCatalog_ebicat37_liftover"),
    ("longevity_snps_1000genom.vcf", "Ensembl105_VCF"),
    ("PGS000314", "PGS000314"),
    ("BlueGen", "BlueGen_thirdparty"),
    ("unattributed public table", "unattributed_thirdparty"),
)

# GRCh37 alleles stated in panel_sources.tsv notes where the raw ClinVar GRCh37 row is a '=' record.
GRCH37_ALLELES_FROM_NOTES = {
    "rs1815739": ("T", "C", "GRCh37 ref T alt C per ClinVar VCF (panel_sources notes)"),
}


def die(msg):
    sys.exit(f"build_panel: {msg}")


def read_tsv(path, hash_header=False):
    """Reads a TSV whose header is the first non-comment line (or the first line, '#' stripped)."""
    with open(path, encoding="utf-8") as f:
        lines = [l.rstrip("\n") for l in f]
    if hash_header:
        lines[0] = lines[0].lstrip("#")
        body = [l for l in lines if l]
    else:
        body = [l for l in lines if l and not l.startswith("#")]
    header = body[0].split("\t")
    return header, [dict(zip(header, l.split("\t"))) for l in body[1:]], lines


def source_codes(text):
    if text.strip() in ("", "."):
        return []
    out = [code for key, code in SOURCE_CODES if key in text]
    if not out:
        die(f"unrecognised source text: {text[:80]}")
    return out


def first_pos(text):
    """Returns the first position of '123' or a range '123-130' as a string, '.' if absent."""
    if text == ".":
        return "."
    m = re.fullmatch(r"(\d+)(?:-(\d+))?", text)
    if not m:
        die(f"bad position {text!r}")
    return m.group(1)


def fmt_num(x, digits=4):
    s = f"{round(x, digits):.{digits}f}".rstrip("0").rstrip(".")
    return s if s else "0"


class Sources:
    def __init__(self, d):
        self.dir = d
        self.src_header, self.src_rows, _ = read_tsv(os.path.join(d, "panel_sources.tsv"))
        _, gaps, _ = read_tsv(os.path.join(d, "panel_gaps.tsv"))
        self.gaps = {g["rsid"]: g for g in gaps}
        self.eff_header, _, eff_lines = read_tsv(os.path.join(d, "panel_effects.tsv"))
        self.eff_lines = eff_lines  # 1-based line N is eff_lines[N-1]
        raw = os.path.join(d, "raw")
        self.pharmgkb = {}
        _, rows, _ = read_tsv(os.path.join(raw, "pharmgkb_variants_2022-07-05_panel_subset.tsv"))
        for r in rows:
            self.pharmgkb[r["Variant Name"]] = r
        self.clinvar = {}
        _, rows, _ = read_tsv(os.path.join(raw, "clinvar_variant_summary_2021-01_panel_subset.tsv"), True)
        for r in rows:
            self.clinvar.setdefault("rs" + r["RS# (dbSNP)"], []).append(r)
        self.gwascat = {}
        _, rows, _ = read_tsv(os.path.join(raw, "gwascat_panel_subset.tsv"))
        for r in rows:
            self.gwascat.setdefault(r["SNPS"], []).append(r)
        self.ensembl = {}
        with open(os.path.join(raw, "ensembl105_vcf_panel_subset.vcf"), encoding="utf-8") as f:
            for line in f:
                if line.startswith("#"):
                    continue
                c = line.rstrip("\n").split("\t")
                info = dict(kv.split("=", 1) for kv in c[7].split(";") if "=" in kv)
                self.ensembl[c[2]] = (c[3], c[4].split(","), info)

    def effect_row(self, ref):
        m = re.fullmatch(r"effects:(\d+)", ref)
        if not m:
            die(f"bad effects reference {ref!r}")
        n = int(m.group(1))
        if n < 2 or n > len(self.eff_lines):
            die(f"{ref} is outside panel_effects.tsv")
        return dict(zip(self.eff_header, self.eff_lines[n - 1].split("\t")))

    def grch37_alleles(self, rsid, pos37, ref38, alts38):
        """Returns (ref, alts, note) for GRCh37 from PharmGKB HGVS synonyms and ClinVar GRCh37 rows."""
        if pos37 == ".":
            return ".", [], ""
        if rsid in GRCH37_ALLELES_FROM_NOTES:
            r, a, note = GRCH37_ALLELES_FROM_NOTES[rsid]
            return r, [a], note
        refs, alts, used = set(), [], []
        pg = self.pharmgkb.get(rsid)
        if pg:
            acc38 = pg["Location"].split(":")[0]
            for acc, pos, r, a in re.findall(r"(NC_0000\d\d\.\d+):g\.(\d+)([ACGT]+)>([ACGT]+)", pg["Synonyms"]):
                if pos == pos37 and acc != acc38:
                    refs.add(r)
                    if a not in alts:
                        alts.append(a)
                    used.append("PharmGKB")
        for cv in self.clinvar.get(rsid, []):
            if cv["Assembly"] == "GRCh37" and cv["PositionVCF"] == pos37:
                r, a = cv["ReferenceAlleleVCF"], cv["AlternateAlleleVCF"]
                refs.add(r)
                if a != r and a not in alts:
                    alts.append(a)
                used.append("ClinVar")
        if len(refs) > 1:
            die(f"{rsid}: conflicting GRCh37 reference alleles {sorted(refs)}")
        if not refs:
            return ".", [], ""
        ref37 = refs.pop()
        note = ""
        if not alts and ref37 == ref38 and alts38:
            alts = list(alts38)
            note = "GRCh37 ALT carried over from GRCh38 (GRCh37 REF confirmed equal by " + "/".join(sorted(set(used))) + ")"
        order = {a: i for i, a in enumerate(alts38)}
        alts.sort(key=lambda a: order.get(a, len(order)))
        return ref37, alts, note

    def check_grch38_ref(self, rsid, pos38, ref38):
        pg = self.pharmgkb.get(rsid)
        if not pg or ref38 == ".":
            return
        acc38 = pg["Location"].split(":")[0]
        for acc, pos, r, _ in re.findall(r"(NC_0000\d\d\.\d+):g\.(\d+)([ACGT]+)>([ACGT]+)", pg["Synonyms"]):
            if acc == acc38 and pos == pos38 and r != ref38:
                die(f"{rsid}: GRCh38 REF {ref38} disagrees with PharmGKB {acc}:g.{pos}{r}")



# ---------------------------------------------------------------------------------------------------------------
# Effect-allele frequencies (EAF) from panel_frequencies.tsv. The rule is described in the module docstring.

SUPERPOPULATIONS = ("EUR", "AFR", "AMR", "EAS", "SAS")
DEFAULT_POPULATION = "EUR"
CONFLICT_SPREAD = Decimal("0.1")
FREQ_COLUMNS = "rsid build pos ref alt allele freq population source note".split()
ALLELE_RE = re.compile(r"[ACGT]+")

# Source classes, strongest first: (rank, kind, label).
SOURCE_CLASSES = {
    "1000G": (0, "reference_panel", "1000 Genomes phase 3 (Ensembl 105 VCF)"),
    "gnomAD": (1, "reference_panel", "gnomAD v2.1 exomes"),
    "Summix": (2, "reference_panel", "Summix reference panel derived from 1000 Genomes"),
    "paper": (3, "study_cohort", "published paper table"),
    "catalog": (4, "study_cohort", "GWAS Catalog risk-allele frequency"),
}

# Every population string that panel_frequencies.tsv uses, mapped to (superpopulation, source class), or to
# (None, why the line is not used for an EAF). "study" means a study cohort whose class (paper or catalog) is
# read from the line's source. A string missing here stops the build, so a new source line is never used
# unmapped.
POPULATIONS = {
    "1000G_EUR": ("EUR", "1000G"),
    "1000G_AFR": ("AFR", "1000G"),
    "1000G_AMR": ("AMR", "1000G"),
    "1000G_EAS": ("EAS", "1000G"),
    "1000G_SAS": ("SAS", "1000G"),
    "1000G_ALL (global minor allele)": (None, "global 1000 Genomes frequency, not one superpopulation"),
    "gnomAD_v2.1_exome_NFE": ("EUR", "gnomAD"),
    "gnomAD_v2.1_exome_AFR": ("AFR", "gnomAD"),
    "gnomAD_v2.1_exome_AMR": ("AMR", "gnomAD"),
    "gnomAD_v2.1_exome_EAS": ("EAS", "gnomAD"),
    "gnomAD_v2.1_exome_SAS": ("SAS", "gnomAD"),
    "gnomAD_v2.1_exome_FIN": (None, "gnomAD Finnish group: the EUR value comes from NFE only"),
    "gnomAD_v2.1_exome_ASJ": (None, "gnomAD Ashkenazi Jewish group: the EUR value comes from NFE only"),
    "Summix_ref_EUR(1000G-derived)": ("EUR", "Summix"),
    "Summix_ref_AFR(1000G-derived)": ("AFR", "Summix"),
    "Summix_ref_AMR(1000G-derived)": ("AMR", "Summix"),
    "Summix_ref_EAS(1000G-derived)": ("EAS", "Summix"),
    "Summix_ref_SAS(1000G-derived)": ("SAS", "Summix"),
    "European": ("EUR", "study"),
    "European (study cohort)": ("EUR", "study"),
    "European (arcOGEN, UK)": ("EUR", "study"),
    "European (GIANT height)": ("EUR", "study"),
    "European (Icelandic discovery)": ("EUR", "study"),
    "European (Dutch discovery)": ("EUR", "study"),
    "European (Dutch, Rotterdam)": ("EUR", "study"),
    "European-ancestry controls (Caucasian)": ("EUR", "study"),
    "Japanese (EAS)": ("EAS", "study"),
    "Asian (study cohort)": (None, "Asian study cohort whose superpopulation (EAS or SAS) is not stated"),
    "unspecified GWAS cohort": (None, "the source does not name the cohort"),
    ".": (None, "no population on this line"),
}
CATALOG_KEYS = ("gwascat", "ebicat", "gwdf")


def parse_freq(text):
    """Returns the frequency as a Decimal in [0, 1], or None when the field holds no number."""
    if not re.fullmatch(r"\d+(?:\.\d+)?", text):
        return None
    v = Decimal(text)
    return v if v <= 1 else None


def fmt_dec(d):
    s = format(d.normalize(), "f")
    return s if s not in ("-0", "") else "0"


def source_class(n, pop, cls, source):
    """The source class of a frequency line, checked against its population string."""
    is_catalog = any(k in source for k in CATALOG_KEYS)
    if cls == "study":
        if is_catalog:
            return "catalog"
        if source.startswith("http"):
            return "paper"
        die(f"panel_frequencies.tsv:{n}: study-cohort population {pop!r} with a source that is neither a paper "
            f"URL nor the GWAS Catalog: {source[:80]}")
    need = {"1000G": "longevity_snps_1000genom.vcf", "gnomAD": "Summix_manuscript", "Summix": "Summix_manuscript"}
    if need[cls] not in source or is_catalog:
        die(f"panel_frequencies.tsv:{n}: population {pop!r} needs a {SOURCE_CLASSES[cls][2]} source, not: {source[:80]}")
    return cls


def strand_statement(n, allele, note):
    """A note that talks of the gene strand must say which forward allele the gene-strand allele is."""
    if not re.search(r"gene[ -]?(?:strand|orientation)", note, re.I):
        return ""
    m = re.search(r"([ACGT])\s*\(gene\)\s*=\s*([ACGT])\s*\((?:forward|fwd)\)", note)
    if not m:
        die(f"panel_frequencies.tsv:{n}: note speaks of the gene strand but does not state the forward allele")
    if m.group(2) != allele:
        die(f"panel_frequencies.tsv:{n}: note puts gene-strand {m.group(1)} on forward {m.group(2)}, "
            f"but the line's allele is {allele}")
    return f"line {n} note: gene-strand {m.group(1)} = forward {m.group(2)}"


class Frequencies:
    """panel_frequencies.tsv, every line checked against the population mapping table."""

    def __init__(self, path):
        self.path = path
        with open(path, encoding="utf-8") as f:
            lines = [l.rstrip("\n") for l in f]
        if not lines or lines[0].split("\t") != FREQ_COLUMNS:
            die(f"{path}: header is not {' '.join(FREQ_COLUMNS)}")
        self.by_rsid = {}
        self.by_line = {}
        for n, text in enumerate(lines[1:], start=2):
            if not text:
                continue
            c = text.split("\t")
            if len(c) != len(FREQ_COLUMNS):
                die(f"panel_frequencies.tsv:{n}: {len(c)} fields, expected {len(FREQ_COLUMNS)}")
            r = dict(zip(FREQ_COLUMNS, c))
            r["line"] = n
            pop = r["population"]
            if pop not in POPULATIONS:
                die(f"panel_frequencies.tsv:{n}: population {pop!r} is not in the mapping table "
                    "(POPULATIONS in scripts/build_panel.py); map it or mark it as not used")
            superpop, cls = POPULATIONS[pop]
            r["superpop"], r["class"] = None, None
            r["value"] = parse_freq(r["freq"])
            if superpop is not None:
                r["superpop"], r["class"] = superpop, source_class(n, pop, cls, r["source"])
            why = []
            if not ALLELE_RE.fullmatch(r["allele"]):
                why.append(f"allele {r['allele']!r} is not known")
            if r["value"] is None:
                why.append(f"frequency {r['freq']!r} is not a number")
            if superpop is None:
                why.append(f"population {pop!r} not used ({cls})")
            r["why_not"] = ", ".join(why)
            if r["value"] is not None and ALLELE_RE.fullmatch(r["allele"]):
                r["strand"] = strand_statement(n, r["allele"], r["note"])
            else:
                r["strand"] = ""
            self.by_rsid.setdefault(r["rsid"], []).append(r)
            self.by_line[n] = r

    def verify(self, n, rsid, pop, effect, other, value, derived):
        """Re-reads line n from disk and refuses a value the line does not give."""
        with open(self.path, encoding="utf-8") as f:
            for i, text in enumerate(f, start=1):
                if i == n:
                    break
            else:
                die(f"panel_frequencies.tsv:{n} does not exist")
        r = dict(zip(FREQ_COLUMNS, text.rstrip("\n").split("\t")))
        where = f"panel_frequencies.tsv:{n}"
        if r.get("rsid") != rsid:
            die(f"{rsid}: {where} is about {r.get('rsid')}")
        if POPULATIONS.get(r.get("population"), (None,))[0] != pop:
            die(f"{rsid}: {where} population {r.get('population')!r} is not {pop}")
        f = parse_freq(r.get("freq", ""))
        want_allele, want_value = (other, Decimal(1) - value) if derived else (effect, value)
        if r.get("allele") != want_allele or f is None or f != want_value:
            die(f"{rsid}: {pop} eaf {fmt_dec(value)} is not on {where} "
                f"(it gives {r.get('allele')} {r.get('freq')}; expected {want_allele} {fmt_dec(want_value)})")


def read_eaf_curation(path):
    """gene_panels/eaf_curation.tsv: rsid population line reason. Returns {(rsid, population): (line, reason)}."""
    out = {}
    _, rows, _ = read_tsv(path)
    for r in rows:
        if set(r) != {"rsid", "population", "line", "reason"} or any(v in ("", None) for v in r.values()):
            die(f"{path}: every line needs rsid, population, line and reason")
        if r["population"] not in SUPERPOPULATIONS:
            die(f"{path}: {r['rsid']}: population {r['population']} is not one of {' '.join(SUPERPOPULATIONS)}")
        if not r["line"].isdigit():
            die(f"{path}: {r['rsid']}: line must be a panel_frequencies.tsv line number, not {r['line']!r}")
        key = (r["rsid"], r["population"])
        if key in out:
            die(f"{path}: {r['rsid']} {r['population']} is settled twice")
        out[key] = (int(r["line"]), r["reason"])
    return out


def other_allele_of(rsid, effect, effects_ref, effects_row, freqs, builds):
    """The forward-strand non-effect allele where the sources name both alleles; '.' if unknown or multi-allelic.

    builds: ((name, ref, alt), ...) of the panel row. Returns (allele, notes, multi_allelic)."""
    if effect == ".":
        return ".", [], False
    claims = []
    # An other_allele_fwd that is not a base string (e.g. 'D (deletion)') names no forward allele: skipped.
    if effects_row is not None and ALLELE_RE.fullmatch(effects_row.get("other_allele_fwd", ".")):
        claims.append((effects_row["other_allele_fwd"], f"panel_effects.tsv:{effects_ref}"))
    for r in freqs.by_rsid.get(rsid, []):
        pairs = []
        m = re.search(r"effect_allele ([ACGT]+), other_allele ([ACGT]+)", r["source"])
        if m:
            pairs.append(m.groups())
        if ALLELE_RE.fullmatch(r["ref"]) and ALLELE_RE.fullmatch(r["alt"]):
            pairs.append((r["ref"], r["alt"]))
        for a, b in pairs:
            if a == b:
                die(f"{rsid}: panel_frequencies.tsv:{r['line']} names the same allele twice")
            if effect in (a, b):
                claims.append((b if effect == a else a, f"panel_frequencies.tsv:{r['line']}"))
            else:
                die(f"{rsid}: effect allele {effect} is not among {a}/{b} on panel_frequencies.tsv:{r['line']}")
    multi = []
    for name, ref, alt in builds:
        if ref == "." or alt == ".":
            continue
        if "," in alt:
            multi.append(f"{name} {ref}>{alt}")
        elif effect in (ref, alt) and ALLELE_RE.fullmatch(ref) and ALLELE_RE.fullmatch(alt):
            claims.append((alt if effect == ref else ref, f"{name} REF/ALT"))
    found = sorted({a for a, _ in claims})
    if effect in found:
        die(f"{rsid}: a source gives the effect allele {effect} as the other allele: {claims}")
    if len(found) > 1:
        die(f"{rsid}: sources disagree on the allele other than {effect}: "
            + ", ".join(f"{a} ({w})" for a, w in claims))
    if multi:
        note = f"other_allele '.': multi-allelic site ({'; '.join(multi)})"
        if found:
            note += f"; {', '.join(sorted({w for _, w in claims}))} compare {effect} with {found[0]}"
        return ".", [note], True
    notes = []
    if found and not any(w.endswith("REF/ALT") for _, w in claims):
        notes.append(f"other_allele {found[0]} from {', '.join(sorted({w for _, w in claims}))}")
    return (found[0] if found else "."), notes, False


def line_list(ns):
    """'line 5', 'lines 93-98' or 'lines 4, 9' for sorted line numbers."""
    if len(ns) == 1:
        return f"line {ns[0]}"
    if ns == list(range(ns[0], ns[-1] + 1)):
        return f"lines {ns[0]}-{ns[-1]}"
    return "lines " + ", ".join(map(str, ns))


def choose_eaf(rsid, row_id, effect, other, multi, freqs, eaf_cur, cur_used):
    """Applies the EAF rule to one panel row. Returns ({population: choice}, row notes)."""
    chosen, notes = {}, []
    if effect == ".":
        return chosen, notes
    cands = {p: [] for p in SUPERPOPULATIONS}
    unused = []
    lines = freqs.by_rsid.get(rsid, [])
    for r in lines:
        n = r["line"]
        if r["value"] is None and r["allele"] == "." and r["freq"] == ".":
            continue  # a coordinate line or a 'not found' line: no frequency on it
        if r["why_not"]:
            unused.append((n, r["why_not"]))
            continue
        a, f = r["allele"], r["value"]
        if a == effect:
            value, derived = f, False
        elif a == other and other != "." and not multi:
            value, derived = Decimal(1) - f, True
        else:
            unused.append((n, f"allele {a} is neither the effect allele {effect} nor a known other allele"))
            continue
        rank, kind, label = SOURCE_CLASSES[r["class"]]
        cands[r["superpop"]].append({"line": n, "value": value, "derived": derived, "raw": f, "allele": a,
                                     "rank": rank, "kind": kind, "label": label, "strand": r["strand"]})
    for pop in SUPERPOPULATIONS:
        cs = sorted(cands[pop], key=lambda c: (c["rank"], c["line"]))
        if not cs:
            continue

        def show(c):
            if c["derived"]:
                return f"line {c['line']} {c['allele']} {fmt_dec(c['raw'])} -> 1 - f = {fmt_dec(c['value'])}"
            return f"line {c['line']} {c['allele']} {fmt_dec(c['value'])}"

        spread = max(c["value"] for c in cs) - min(c["value"] for c in cs)
        settled = ""
        if spread > CONFLICT_SPREAD:
            listed = "; ".join(show(c) for c in cs)
            cur = eaf_cur.get((rsid, pop))
            if cur is None:
                notes.append(f"{pop} eaf conflict, left '.': panel_frequencies.tsv {listed} (on {effect}) differ by "
                             f"more than {CONFLICT_SPREAD} and gene_panels/eaf_curation.tsv does not settle it")
                continue
            line, reason = cur
            pick = [c for c in cs if c["line"] == line]
            if not pick:
                die(f"{rsid} {pop}: eaf_curation.tsv names panel_frequencies.tsv:{line}, which is not one of the "
                    f"usable {pop} lines for {row_id} ({', '.join(str(c['line']) for c in cs)})")
            cur_used.add((rsid, pop))
            best = pick[0]
            settled = (f"{pop} eaf conflict: panel_frequencies.tsv {listed} (on {effect}) differ by more than "
                       f"{CONFLICT_SPREAD}; settled by gene_panels/eaf_curation.tsv on line {line}: {reason}")
            notes.append(settled)
        else:
            best = cs[0]
        cnotes = [best["label"]]
        if best["derived"]:
            cnotes.append(f"derived 1 - f: line gives {best['allele']} {fmt_dec(best['raw'])}, "
                          f"{best['allele']} is the other allele")
        else:
            cnotes.append(f"line gives the effect allele {effect}")
        if best["strand"]:
            cnotes.append(best["strand"])
        if settled:
            cnotes.append(settled)
        else:
            others = [c for c in cs if c is not best]
            if others:
                cnotes.append(f"{len(others)} other {pop} line(s) agree within {CONFLICT_SPREAD}: "
                              + "; ".join(show(c) for c in others))
        chosen[pop] = {"value": best["value"], "line": best["line"], "kind": best["kind"],
                       "derived": best["derived"], "notes": "; ".join(cnotes)}
        freqs.verify(best["line"], rsid, pop, effect, other, best["value"], best["derived"])
    e = chosen.get(DEFAULT_POPULATION)
    if e:
        if e["derived"]:
            c = freqs.by_line[e["line"]]
            notes.append(f"{DEFAULT_POPULATION} eaf derived 1 - f from panel_frequencies.tsv:{e['line']} "
                         f"({c['allele']} {c['freq']})")
        strand = freqs.by_line[e["line"]]["strand"]
        if strand:
            notes.append(f"eaf {strand.replace('line', 'panel_frequencies.tsv line', 1)}")
    elif not any(n.startswith(f"{DEFAULT_POPULATION} eaf conflict") for n in notes):
        if not [r for r in lines if r["value"] is not None]:
            notes.append("eaf '.': panel_frequencies.tsv gives no frequency for this SNP")
        else:
            got = [p for p in SUPERPOPULATIONS if p in chosen]
            why = f"eaf '.': no usable {DEFAULT_POPULATION} line in panel_frequencies.tsv"
            if got:
                why += f" (values for {' '.join(got)} in healing_panel_eaf.tsv)"
            if unused:
                by_reason = {}
                for n, reason in unused:
                    by_reason.setdefault(reason, []).append(n)
                why += "; not used: " + "; ".join(f"{line_list(ns)}: {reason}" for reason, ns in by_reason.items())
            notes.append(why)
    return chosen, notes


def build(src, curation_path, freqs, eaf_cur):
    _, cur_rows, _ = read_tsv(curation_path)
    by_rsid = {}
    for c in cur_rows:
        by_rsid.setdefault(c["rsid"], []).append(c)
    known = {r["rsid"] for r in src.src_rows}
    for rsid in by_rsid:
        if rsid not in known:
            die(f"curation names {rsid}, which is not in panel_sources.tsv")

    out, side = [], []
    cur_used = set()
    seen_rsid = set()
    for s in src.src_rows:
        rsid = s["rsid"]
        if rsid in seen_rsid:
            die(f"{rsid} appears twice in panel_sources.tsv")
        seen_rsid.add(rsid)
        if rsid not in by_rsid:
            die(f"{rsid} has no curation line")
        gap = src.gaps.get(rsid, {})
        notes = []

        chrom = s["chrom"] if s["chrom"] != "." else gap.get("chrom", ".")
        pos38 = first_pos(s["pos_grch38"])
        pos37 = first_pos(s["pos_grch37"])
        if "-" in s["pos_grch38"] or "-" in s["pos_grch37"]:
            notes.append(f"source gives a position range (GRCh38 {s['pos_grch38']}, GRCh37 {s['pos_grch37']}); "
                         "pos is its first base")
        ref38, alt38 = s["ref"], s["alt"]
        src38, src37 = source_codes(s["source_grch38"]), source_codes(s["source_grch37"])
        ref37, alt37 = ".", "."

        if rsid == "rs1799752":  # ACE Alu I/D: source alleles are '-' and 'Alu insertion'
            ref38, alt38 = ".", "<INS:ME:ALU>"
        if gap and gap["pos_grch38"] != "." and pos38 == ".":
            pos38 = first_pos(gap["pos_grch38"])
            src38 = source_codes(gap["source_grch38"])
            notes.append("GRCh38 position from panel_gaps.tsv, third-party only (UNVERIFIED)")
        alts38 = [a for a in alt38.split(",") if a != "."]
        if rsid == "rs12722":  # panel_gaps ref/alt for this row are the GRCh37 third-party alleles
            ref37, alts37, note37 = gap["ref"], [gap["alt"]], "GRCh37 alleles third-party only (UNVERIFIED)"
            ref38, alts38 = ".", []
        elif rsid == "rs1107946" and gap.get("alt", ".") != ".":
            alts38 = [gap["alt"]]
            notes.append("ALT C inferred in panel_gaps.tsv from the published G/T alleles and the minus strand")
            ref37, alts37, note37 = src.grch37_alleles(rsid, pos37, ref38, alts38)
        else:
            ref37, alts37, note37 = src.grch37_alleles(rsid, pos37, ref38, alts38)
        if rsid == "rs1799752" and pos37 != ".":
            ref37, alts37, note37 = ".", ["<INS:ME:ALU>"], ""
        if note37:
            notes.append(note37)
        src.check_grch38_ref(rsid, pos38, ref38)
        alt38 = ",".join(alts38) if alts38 else "."
        alt37 = ",".join(alts37) if alts37 else "."
        if pos38 == ".":
            ref38, alt38 = ".", "."
        if pos37 == ".":
            ref37, alt37 = ".", "."
        if pos38 == "." and pos37 == ".":
            notes.append("no coordinates in any available source")
        if "FLAG" in s["notes"] or "UNVERIFIED" in s["notes"]:
            flag = re.search(r"(FLAG:[^;]*|UNVERIFIED:[^;]*)", s["notes"]).group(1).strip()
            notes.append(flag)

        gene = s["gene"]
        if gene not in GENE_PATHWAY:
            die(f"{rsid}: gene {gene} has no pathway")

        for c in by_rsid[rsid]:
            row_notes = [c["note"]] + notes
            effect, grade, model = c["effect_allele"], c["grade"], c["model"]
            evidence = s["evidence"]
            effect_prov = []
            effects_row, effects_ref = None, None
            if effect != ".":
                es = c["effect_src"]
                if es.startswith("effects:"):
                    e = src.effect_row(es)
                    effects_row, effects_ref = e, es.split(":")[1]
                    if e["rsid"] != rsid:
                        die(f"{rsid}: {es} is about {e['rsid']}")
                    worse = e["worse_allele_fwd"]
                    if worse.split()[0] != effect and f"ref {effect})" not in worse:
                        die(f"{rsid}: effect allele {effect} is not the worse allele on {es}: {worse}")
                    evidence = e["evidence"]
                    effect_prov.append(f"effect=panel_effects.tsv:{es.split(':')[1]}")
                elif es == "gwascat":
                    hits = [g for g in src.gwascat.get(rsid, []) if g["STRONGEST_SNP_RISK_ALLELE"] == f"{rsid}-{effect}"]
                    if not hits:
                        die(f"{rsid}: no GWAS Catalog row gives risk allele {effect}")
                    evidence = f"PMID:{hits[0]['PUBMEDID']} (GWAS Catalog {hits[0]['DISEASE_TRAIT']}, p={hits[0]['P_VALUE']})"
                    effect_prov.append(f"effect={hits[0]['file'].replace('.rda', '')}")
                elif es == "clinvar":
                    if not s["risk_allele"].startswith(f"{effect} (fwd; ClinVar"):
                        die(f"{rsid}: panel_sources risk_allele is not ClinVar allele {effect}")
                    effect_prov.append("effect=ClinVar_2021-01")
                else:
                    die(f"{rsid}: unknown effect_src {es!r}")
            odds = "."
            if c["odds_ratio"] != ".":
                e = src.effect_row(c["or_src"])
                if c["odds_ratio"] not in re.findall(r"\d+(?:\.\d+)?", e["or"]):
                    die(f"{rsid}: OR {c['odds_ratio']} not on {c['or_src']}: {e['or']}")
                v = float(c["odds_ratio"])
                if c["or_orient"] == "inverted":
                    v = 1.0 / v
                    row_notes.append(f"source OR {c['odds_ratio']} inverted to refer to {effect}")
                elif c["or_orient"] != "direct":
                    die(f"{rsid}: or_orient must be direct or inverted")
                odds = fmt_num(v)
            if effect == "." or grade == "none":
                weight = 0.0
            elif odds != ".":
                weight = math.log(float(odds))
            else:
                weight = math.log(DIRECTION_ONLY_OR)
                row_notes.append("no effect size in sources: direction-only weight ln(1.1)")
            prov = []
            if src38:
                prov.append("grch38=" + ",".join(src38))
            if src37:
                prov.append("grch37=" + ",".join(src37))
            prov += effect_prov
            for build, ref, alts in (("GRCh37", ref37, alt37), ("GRCh38", ref38, alt38)):
                if effect != "." and ref != "." and alts != "." and effect not in [ref] + alts.split(","):
                    die(f"{rsid}: effect allele {effect} is not among {build} {ref}/{alts}")
            row_id = f"{rsid}_{c['trait']}"
            other, other_notes, multi = other_allele_of(
                rsid, effect, effects_ref, effects_row, freqs, (("GRCh37", ref37, alt37), ("GRCh38", ref38, alt38)))
            chosen, eaf_notes = choose_eaf(rsid, row_id, effect, other, multi, freqs, eaf_cur, cur_used)
            row_notes += other_notes + eaf_notes
            for pop in SUPERPOPULATIONS:
                if pop in chosen:
                    ch = chosen[pop]
                    side.append({"id": row_id, "population": pop, "kind": ch["kind"], "eaf": fmt_dec(ch["value"]),
                                 "source": f"panel_frequencies.tsv:{ch['line']}",
                                 "notes": ch["notes"].replace("\t", " ")})
            eur = chosen.get(DEFAULT_POPULATION)
            out.append({
                "id": row_id, "rsid": rsid, "gene": gene, "pathway": GENE_PATHWAY[gene],
                "trait": c["trait"], "chrom": chrom,
                "pos_grch37": pos37, "ref_grch37": ref37, "alt_grch37": alt37,
                "pos_grch38": pos38, "ref_grch38": ref38, "alt_grch38": alt38,
                "effect_allele": effect, "other_allele": other, "odds_ratio": odds, "weight": fmt_num(weight), "model": model,
                "eaf": fmt_dec(eur["value"]) if eur else ".",
                "eaf_population": f"{DEFAULT_POPULATION}:{eur['kind']}" if eur else ".",
                "eaf_source": f"panel_frequencies.tsv:{eur['line']}" if eur else ".",
                "evidence_grade": grade,
                "evidence": evidence if evidence.strip() else ".", "source": ";".join(prov) if prov else ".",
                "notes": "; ".join(n for n in row_notes if n).replace("\t", " ") or ".",
            })
    for key in sorted(set(eaf_cur) - cur_used):
        die(f"eaf_curation.tsv settles {key[0]} {key[1]}, but no panel row has a conflict there")
    ids = [r["id"] for r in out]
    if len(set(ids)) != len(ids):
        die("duplicate panel row ids")
    return out, side


HEADER = f"""##healcap_panel=2
##panel={PANEL_NAME}
##version={PANEL_VERSION}
##description=Curated SNPs and indels in tissue-repair, extracellular-matrix and inflammation genes, with per-trait effect alleles and evidence grades. Research use only: not a diagnostic.
##builds=GRCh37,GRCh38
##source_date=PharmGKB variants 2022-07-05 (dbSNP 147); ClinVar variant_summary 2021-01-24; GWAS Catalog images 2016-01-18 (GRCh38) and 2014-09-08 (hg19); Ensembl 105 VCF (dbSNP 154); gnomAD v2.1 exomes and Summix 1000G-derived reference (Summix manuscript tables); effect literature to 2025
##sources=../shared/panel-sources (panel_sources.tsv, panel_effects.tsv, panel_gaps.tsv, panel_frequencies.tsv, raw/); curation in gene_panels/curation.tsv and gene_panels/eaf_curation.tsv; built by scripts/build_panel.py
##weight=natural log of odds_ratio for effect_allele under model; direction stated without an effect size: ln({DIRECTION_ONLY_OR}); no direction: 0 (flagged, not scored)
##eaf=frequency of effect_allele in {DEFAULT_POPULATION} from one line of panel_frequencies.tsv (eaf_source), chosen per superpopulation among lines for the rsID with a known allele, a number and a population mapped to that superpopulation: the line's allele is effect_allele (as given) or other_allele at a biallelic site (1 - f); rank 1000 Genomes phase 3 > gnomAD > Summix 1000G-derived reference > published paper table > GWAS Catalog, earliest line on a tie; lines more than {CONFLICT_SPREAD} apart leave '.' unless gene_panels/eaf_curation.tsv names the line; other superpopulations in healing_panel_eaf.tsv; '.' where no line qualifies
##pathways=matrix_structure,matrix_remodelling,growth_angiogenesis,inflammation,wnt_bone,other
##traits=tendon_ligament,osteoarthritis,spine,bone,muscle,fibrosis,inflammation,unspecified
##evidence_grades=replicated,suggestive,contested,null,none
##licence=coordinates derived in part from PharmGKB data (CC BY-SA 4.0)
"""

EAF_HEADER = f"""##healcap_panel_eaf=1
##panel={PANEL_NAME}
##version={PANEL_VERSION}
"""


def write_atomic(path, text):
    if path == "-":
        sys.stdout.write(text)
        return
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def default_scored(r):
    return float(r["weight"]) != 0 and r["evidence_grade"] in ("replicated", "suggestive")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sources", default=os.path.join(ROOT, "..", "shared", "panel-sources"))
    ap.add_argument("--curation", default=os.path.join(ROOT, "gene_panels", "curation.tsv"))
    ap.add_argument("--eaf-curation", default=os.path.join(ROOT, "gene_panels", "eaf_curation.tsv"))
    ap.add_argument("-o", "--output", default="-", help="the panel (default: stdout)")
    ap.add_argument("--eaf-output", default=None,
                    help="the per-population EAF side table (default: OUTPUT with .tsv replaced by _eaf.tsv, "
                         "e.g. gene_panels/healing_panel_eaf.tsv; not written when the panel goes to stdout)")
    a = ap.parse_args()
    eaf_out = a.eaf_output
    if eaf_out is None and a.output != "-":
        base = a.output[:-4] if a.output.endswith(".tsv") else a.output
        eaf_out = base + "_eaf.tsv"
    freqs = Frequencies(os.path.join(a.sources, "panel_frequencies.tsv"))
    rows, side = build(Sources(a.sources), a.curation, freqs, read_eaf_curation(a.eaf_curation))
    text = HEADER + "\t".join(COLUMNS) + "\n"
    text += "".join("\t".join(r[c] for c in COLUMNS) + "\n" for r in rows)
    side_text = EAF_HEADER + "\t".join(EAF_COLUMNS) + "\n"
    side_text += "".join("\t".join(r[c] for c in EAF_COLUMNS) + "\n" for r in side)
    write_atomic(a.output, text)
    if eaf_out is not None:
        write_atomic(eaf_out, side_text)
    genes = {r["gene"] for r in rows if r["pos_grch37"] != "." or r["pos_grch38"] != "."}
    placed = sum(1 for r in rows if r["pos_grch37"] != "." or r["pos_grch38"] != ".")
    scored = sum(1 for r in rows if float(r["weight"]) != 0)
    print(f"build_panel: {len(rows)} rows, {placed} with coordinates over {len(genes)} genes, {scored} with a weight",
          file=sys.stderr)
    dflt = [r for r in rows if default_scored(r)]
    with_eur = [r for r in rows if r["eaf"] != "."]
    dflt_eur = [r for r in dflt if r["eaf"] != "."]
    per_pop = {p: sum(1 for s in side if s["population"] == p) for p in SUPERPOPULATIONS}
    print(f"build_panel: eaf ({DEFAULT_POPULATION}) on {len(with_eur)} of {len(rows)} rows; on {len(dflt_eur)} of "
          f"{len(dflt)} default-scored rows (weight != 0, replicated or suggestive)", file=sys.stderr)
    print("build_panel: eaf rows per population: " + ", ".join(f"{p} {n}" for p, n in per_pop.items())
          + (f" (side table {eaf_out})" if eaf_out else ""), file=sys.stderr)
    missing = [r["id"] for r in dflt if r["eaf"] == "."]
    if missing:
        print(f"build_panel: default-scored rows without an {DEFAULT_POPULATION} eaf: {' '.join(missing)}",
              file=sys.stderr)


if __name__ == "__main__":
    main()
