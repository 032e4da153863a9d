#!/usr/bin/env python3
"""Builds gene_panels/healing_panel.tsv from ../shared/panel-sources and gene_panels/curation.tsv.

Coordinates and alleles come only from the source tables and their raw extracts; effect alleles and odds
ratios come only from the lines of panel_effects.tsv (or the GWAS Catalog / ClinVar allele) that
curation.tsv cites, and are checked against them. Anything not found stays '.'.

Usage: scripts/build_panel.py [--sources DIR] [--curation FILE] [-o FILE]   (default output: stdout)
"""
import argparse
import math
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

PANEL_NAME = "healcap-healing"
PANEL_VERSION = "1.0.0"
DIRECTION_ONLY_OR = 1.1  # rule: a stated direction without an effect size is weighted as OR 1.1 per unit

COLUMNS = ("id rsid gene pathway trait chrom pos_grch37 ref_grch37 alt_grch37 pos_grch38 ref_grch38 "
           "alt_grch38 effect_allele odds_ratio weight model eaf evidence_grade evidence source notes").split()

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

    def eur_frequency(self, rsid, effect):
        e = self.ensembl.get(rsid)
        if not e or effect == "." or "EUR" not in e[2]:
            return None
        ref, alts, info = e
        freqs = [float(x) for x in info["EUR"].split(",")]
        if len(freqs) != len(alts):
            return None
        if effect in alts:
            return freqs[alts.index(effect)]
        if effect == ref:
            return 1.0 - sum(freqs)
        return None


def build(src, curation_path):
    _, cur_rows, _ = read_tsv(curation_path)
    by_rsid = {}
    for c in cur_rows:
        by_rsid.setdefault(c["rsid"], []).append(c)
    known = {r["rsid"] for r in src.src_rows}
    for rsid in by_rsid:
        if rsid not in known:
            die(f"curation names {rsid}, which is not in panel_sources.tsv")

    out = []
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
            if effect != ".":
                es = c["effect_src"]
                if es.startswith("effects:"):
                    e = src.effect_row(es)
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
            eaf = src.eur_frequency(rsid, effect)
            prov = []
            if src38:
                prov.append("grch38=" + ",".join(src38))
            if src37:
                prov.append("grch37=" + ",".join(src37))
            prov += effect_prov
            if eaf is not None:
                prov.append("eaf=Ensembl105_VCF_EUR")
            for build, ref, alts in (("GRCh37", ref37, alt37), ("GRCh38", ref38, alt38)):
                if effect != "." and ref != "." and alts != "." and effect not in [ref] + alts.split(","):
                    die(f"{rsid}: effect allele {effect} is not among {build} {ref}/{alts}")
            out.append({
                "id": f"{rsid}_{c['trait']}", "rsid": rsid, "gene": gene, "pathway": GENE_PATHWAY[gene],
                "trait": c["trait"], "chrom": chrom,
                "pos_grch37": pos37, "ref_grch37": ref37, "alt_grch37": alt37,
                "pos_grch38": pos38, "ref_grch38": ref38, "alt_grch38": alt38,
                "effect_allele": effect, "odds_ratio": odds, "weight": fmt_num(weight), "model": model,
                "eaf": fmt_num(eaf) if eaf is not None else ".", "evidence_grade": grade,
                "evidence": evidence if evidence.strip() else ".", "source": ";".join(prov) if prov else ".",
                "notes": "; ".join(n for n in row_notes if n).replace("\t", " ") or ".",
            })
    return out


HEADER = f"""##healcap_panel=1
##panel={PANEL_NAME}
##version={PANEL_VERSION}
##description=Curated SNPs and indels in tissue-repair, extracellular-matrix and inflammation genes, with per-trait effect alleles and evidence grades. Research use only: not a diagnostic.
##builds=GRCh37,GRCh38
##source_date=PharmGKB variants 2022-07-05 (dbSNP 147); ClinVar variant_summary 2021-01-24; GWAS Catalog images 2016-01-18 (GRCh38) and 2014-09-08 (hg19); Ensembl 105 VCF (dbSNP 154); effect literature to 2025
##sources=../shared/panel-sources (panel_sources.tsv, panel_effects.tsv, panel_gaps.tsv, raw/); curation in gene_panels/curation.tsv; built by scripts/build_panel.py
##weight=natural log of odds_ratio for effect_allele under model; direction stated without an effect size: ln({DIRECTION_ONLY_OR}); no direction: 0 (flagged, not scored)
##eaf=effect-allele frequency in 1000 Genomes phase 3 EUR (Ensembl 105 VCF), where that file covers the site
##pathways=matrix_structure,matrix_remodelling,growth_angiogenesis,inflammation,wnt_bone,other
##traits=tendon_ligament,osteoarthritis,spine,bone,muscle,fibrosis,inflammation,unspecified
##evidence_grades=replicated,suggestive,contested,null,none
##licence=coordinates derived in part from PharmGKB data (CC BY-SA 4.0)
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sources", default=os.path.join(ROOT, "..", "shared", "panel-sources"))
    ap.add_argument("--curation", default=os.path.join(ROOT, "gene_panels", "curation.tsv"))
    ap.add_argument("-o", "--output", default="-")
    a = ap.parse_args()
    rows = build(Sources(a.sources), a.curation)
    text = HEADER + "\t".join(COLUMNS) + "\n"
    text += "".join("\t".join(r[c] for c in COLUMNS) + "\n" for r in rows)
    if a.output == "-":
        sys.stdout.write(text)
    else:
        tmp = a.output + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, a.output)
    genes = {r["gene"] for r in rows if r["pos_grch37"] != "." or r["pos_grch38"] != "."}
    placed = sum(1 for r in rows if r["pos_grch37"] != "." or r["pos_grch38"] != ".")
    scored = sum(1 for r in rows if float(r["weight"]) != 0)
    print(f"build_panel: {len(rows)} rows, {placed} with coordinates over {len(genes)} genes, {scored} with a weight",
          file=sys.stderr)


if __name__ == "__main__":
    main()
