#!/usr/bin/env python3
"""Checks that every effect-allele frequency in gene_panels/healing_panel.tsv and gene_panels/healing_panel_eaf.tsv
is traced to the line of ../shared/panel-sources/panel_frequencies.tsv it cites, that the documented conflicts
come out as documented, and that scripts/build_panel.py refuses tampered inputs.

Reads panel_frequencies.tsv on its own (it does not import build_panel.py). Python 3 standard library only.
Usage: test_panel_eaf.py PROJECT_SOURCE_DIR. Prints 'N passed, M failed'; exits 77 (skipped) when
../shared/panel-sources is not beside the project."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

SRC = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", ".."))
SOURCES = os.path.join(SRC, "..", "shared", "panel-sources")
FREQ = os.path.join(SOURCES, "panel_frequencies.tsv")
PANEL = os.path.join(SRC, "gene_panels", "healing_panel.tsv")
SIDE = os.path.join(SRC, "gene_panels", "healing_panel_eaf.tsv")
BUILD = os.path.join(SRC, "scripts", "build_panel.py")
POPS = ("EUR", "AFR", "AMR", "EAS", "SAS")
PANEL_COLUMNS = ("id rsid gene pathway trait chrom pos_grch37 ref_grch37 alt_grch37 pos_grch38 ref_grch38 alt_grch38 "
                 "effect_allele other_allele odds_ratio weight model eaf eaf_population eaf_source evidence_grade "
                 "evidence source notes").split()
SIDE_COLUMNS = "id population kind eaf source notes".split()
TOL = 1e-9

if not os.path.isfile(FREQ):
    print(f"skipped: {FREQ} not found")
    sys.exit(77)

passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}")
    return ok


def superpopulation(pop):
    """This test's own reading of a panel_frequencies.tsv population string; None = not a superpopulation."""
    m = re.fullmatch(r"1000G_([A-Z]{3})", pop)
    if m:
        return m.group(1) if m.group(1) in POPS else None
    m = re.fullmatch(r"gnomAD_v2\.1_exome_([A-Z]{3})", pop)
    if m:
        return {"NFE": "EUR", "AFR": "AFR", "AMR": "AMR", "EAS": "EAS", "SAS": "SAS"}.get(m.group(1))
    m = re.fullmatch(r"Summix_ref_([A-Z]{3})\(1000G-derived\)", pop)
    if m:
        return m.group(1) if m.group(1) in POPS else None
    if pop == "European" or pop.startswith("European (") or pop.startswith("European-ancestry"):
        return "EUR"
    if pop == "Japanese (EAS)":
        return "EAS"
    return None


def kind_of(line):
    if line["population"].startswith(("1000G_", "gnomAD_", "Summix_ref_")):
        return "reference_panel"
    return "study_cohort"


def read_freq(path):
    with open(path, encoding="utf-8") as f:
        raw = [l.rstrip("\n").split("\t") for l in f]
    header = raw[0]
    return {n: dict(zip(header, c)) for n, c in enumerate(raw, start=1) if n > 1}


def read_table(path):
    meta, header, rows = [], None, []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("##"):
                meta.append(line)
            elif header is None:
                header = line.split("\t")
            else:
                rows.append(dict(zip(header, line.split("\t"))))
    return meta, header, rows


def num(text):
    try:
        return float(text)
    except ValueError:
        return None


FREQS = read_freq(FREQ)
meta, header, ROWS = read_table(PANEL)
smeta, sheader, SIDE_ROWS = read_table(SIDE)

check(meta[:1] == ["##healcap_panel=2"], "panel's first line is ##healcap_panel=2")
check("##version=1.1.0" in meta, "panel has ##version=1.1.0")
check(any(m.startswith("##eaf=") for m in meta), "panel has an ##eaf= header line")
check(header == PANEL_COLUMNS, f"panel columns in the issue-14 order (got {header})")
check(smeta == ["##healcap_panel_eaf=1", "##panel=healcap-healing", "##version=1.1.0"], f"side-table header {smeta}")
check(sheader == SIDE_COLUMNS, f"side-table columns (got {sheader})")
BY_ID = {r["id"]: r for r in ROWS}
check(len(BY_ID) == len(ROWS), "panel ids are unique")


def trace(row, pop, eaf, source, notes, where):
    """The value is on its cited line: same rsID, population maps to pop, allele and value agree."""
    m = re.fullmatch(r"panel_frequencies\.tsv:(\d+)", source)
    if not check(m is not None and int(m.group(1)) in FREQS, f"{where}: source {source!r} names a line"):
        return
    n = int(m.group(1))
    line = FREQS[n]
    check(line["rsid"] == row["rsid"], f"{where}: line {n} is about {line['rsid']}, not {row['rsid']}")
    check(superpopulation(line["population"]) == pop,
          f"{where}: line {n} population {line['population']!r} is not {pop}")
    f, v = num(line["freq"]), num(eaf)
    if not check(f is not None and v is not None and 0 <= v <= 1, f"{where}: eaf {eaf} / line {n} freq numeric"):
        return
    eff, other = row["effect_allele"], row["other_allele"]
    if line["allele"] == eff:
        check(abs(v - f) < TOL, f"{where}: eaf {eaf} != line {n} {line['allele']} {line['freq']}")
    elif line["allele"] == other and other != ".":
        check(abs(v - (1 - f)) < TOL, f"{where}: eaf {eaf} != 1 - line {n} {line['allele']} {line['freq']}")
        check("derived 1 - f" in notes, f"{where}: derived value without 'derived 1 - f' in the notes")
    else:
        check(False, f"{where}: line {n} allele {line['allele']!r} is neither effect {eff} nor other {other}")
    return line


# Every value in the side table traces to its line; ids and order are right.
order = {r["id"]: i for i, r in enumerate(ROWS)}
keys = []
for s in SIDE_ROWS:
    where = f"side {s['id']} {s['population']}"
    row = BY_ID.get(s["id"])
    if not check(row is not None, f"{where}: id not in the panel"):
        continue
    check(s["population"] in POPS, f"{where}: population")
    check(row["effect_allele"] != ".", f"{where}: a row without an effect allele has an eaf")
    line = trace(row, s["population"], s["eaf"], s["source"], s["notes"], where)
    if line:
        check(s["kind"] == kind_of(line), f"{where}: kind {s['kind']} but the line is {kind_of(line)}")
    keys.append((order.get(s["id"], -1), POPS.index(s["population"]) if s["population"] in POPS else -1))
check(keys == sorted(keys) and len(set(keys)) == len(keys), "side table sorted by panel row, then EUR AFR AMR EAS SAS")
SIDE_BY = {(s["id"], s["population"]): s for s in SIDE_ROWS}

# The panel's eaf is the side table's EUR row, and traces to its line itself.
for r in ROWS:
    s = SIDE_BY.get((r["id"], "EUR"))
    if r["eaf"] == ".":
        check(r["eaf_population"] == "." and r["eaf_source"] == "." and s is None,
              f"{r['id']}: eaf '.' but eaf_population/eaf_source or a side EUR row is set")
        continue
    check(s is not None and (s["eaf"], "EUR:" + s["kind"], s["source"]) == (r["eaf"], r["eaf_population"],
                                                                               r["eaf_source"]),
          f"{r['id']}: panel eaf {r['eaf']} {r['eaf_population']} {r['eaf_source']} != side-table EUR row")
    check(re.fullmatch(r"EUR:(reference_panel|study_cohort)", r["eaf_population"]) is not None,
          f"{r['id']}: eaf_population {r['eaf_population']!r}")
    trace(r, "EUR", r["eaf"], r["eaf_source"], r["notes"], f"panel {r['id']}")


def rows_of(rsid):
    return [r for r in ROWS if r["rsid"] == rsid]


def freq_line(rsid, value, source_part):
    hits = [n for n, l in FREQS.items() if l["rsid"] == rsid and l["freq"] == value and source_part in l["source"]]
    return hits[0] if len(hits) == 1 else None


# The documented conflicts and special cases.
ard = freq_line("rs11842874", "0.915", "ard.bmj.com")
for r in rows_of("rs11842874"):
    check(ard is not None and (r["eaf"], r["eaf_source"]) == ("0.915", f"panel_frequencies.tsv:{ard}"),
          f"rs11842874: EUR eaf {r['eaf']} from {r['eaf_source']}, expected 0.915 from the ARD line {ard}")
    check("conflict" in r["notes"] and "eaf_curation" in r["notes"], "rs11842874: conflict and its settling in notes")
check(bool(rows_of("rs11842874")), "rs11842874 is in the panel")
for r in rows_of("rs12982744"):
    check(r["eaf"] == "." and (r["id"], "EUR") not in SIDE_BY, f"rs12982744: EUR eaf {r['eaf']}, expected '.'")
    check("conflict" in r["notes"], "rs12982744: the unsettled conflict is in the notes")
check(bool(rows_of("rs12982744")), "rs12982744 is in the panel")
for r in rows_of("rs288326"):
    check(r["eaf"] == "." and not [k for k in SIDE_BY if k[0] == r["id"]], "rs288326: no eaf in any population")
check(bool(rows_of("rs288326")), "rs288326 is in the panel")
for r in rows_of("rs143383"):
    if r["effect_allele"] == "A":
        check(r["eaf"] == "0.619", f"rs143383: EUR eaf of A {r['eaf']}, expected 0.619")
        n = int(r["eaf_source"].split(":")[1]) if r["eaf_source"] != "." else None
        check(n is not None and "strand" in FREQS[n]["note"] and "A(forward)" in FREQS[n]["note"],
              "rs143383: the cited line's note explains the strand (gene T = forward A)")
        check("gene-strand T = forward A" in r["notes"], "rs143383: the strand note is kept in the row's notes")
for r in rows_of("rs16944"):
    if r["effect_allele"] == "A":
        check(num(r["eaf"]) is not None and abs(num(r["eaf"]) - (1 - 0.6501)) < TOL and "derived 1 - f" in r["notes"],
              f"rs16944 A: EUR eaf {r['eaf']}, expected 1 - 0.6501 = 0.3499, derived")
for r in ROWS:
    if r["effect_allele"] == ".":
        check(r["eaf"] == "." and r["other_allele"] == ".", f"{r['id']}: no effect allele, yet eaf/other_allele set")
    check(r["other_allele"] == "." or r["other_allele"] != r["effect_allele"], f"{r['id']}: other == effect")
for rsid, other in (("rs12982744", "G"), ("rs8044769", "T"), ("rs42524", ".")):
    for r in rows_of(rsid):
        check(r["other_allele"] == other, f"{r['id']}: other_allele {r['other_allele']}, expected {other}")

default = [r for r in ROWS if num(r["weight"]) not in (None, 0.0) and r["evidence_grade"] in ("replicated", "suggestive")]
with_eur = [r for r in default if r["eaf"] != "."]
check(len(with_eur) >= 15, f"{len(with_eur)} of {len(default)} default-scored rows have an EUR eaf (need 15)")
print(f"coverage: {len(with_eur)} of {len(default)} default-scored rows with an EUR eaf")


# Negative checks: the build must refuse, or change, on tampered inputs.
def run_build(sources, extra=()):
    out = tempfile.mkdtemp(prefix="eaf_out_")
    p = subprocess.run([sys.executable, BUILD, "--sources", sources, "-o", os.path.join(out, "p.tsv"),
                        "--eaf-output", os.path.join(out, "e.tsv")] + list(extra), capture_output=True, text=True)
    texts = None
    if p.returncode == 0:
        with open(os.path.join(out, "p.tsv")) as a, open(os.path.join(out, "e.tsv")) as b:
            texts = (a.read(), b.read())
    shutil.rmtree(out, ignore_errors=True)
    return p, texts


with open(PANEL) as a, open(SIDE) as b:
    committed = (a.read(), b.read())
tmp = tempfile.mkdtemp(prefix="eaf_src_")
try:
    copy = os.path.join(tmp, "panel-sources")
    shutil.copytree(SOURCES, copy, copy_function=shutil.copyfile)
    for d, _, files in os.walk(copy):  # the shared sources may be read-only
        os.chmod(d, 0o755)
        for name in files:
            os.chmod(os.path.join(d, name), 0o644)
    with open(FREQ, encoding="utf-8") as f:
        lines = f.read().split("\n")

    def write_freq(new_lines):
        with open(os.path.join(copy, "panel_frequencies.tsv"), "w", encoding="utf-8") as f:
            f.write("\n".join(new_lines))

    p, texts = run_build(copy)
    check(p.returncode == 0 and texts == committed, "an untouched copy of the sources builds the committed files")

    # 1. The cited value of a used line changes: the build must fail naming the line, or its output must change.
    if ard is not None:
        c = lines[ard - 1].split("\t")
        c[6] = "0.925"
        write_freq(lines[:ard - 1] + ["\t".join(c)] + lines[ard:])
        p, texts = run_build(copy)
        check((p.returncode != 0 and f"{ard}" in p.stderr) or (p.returncode == 0 and texts != committed
                                                                and "0.925" in texts[0]),
              f"tampered value on panel_frequencies.tsv:{ard} neither stops the build nor changes the output")

    # 2. An unmapped population string must stop the build.
    if ard is not None:
        c = lines[ard - 1].split("\t")
        c[7] = "Martian controls"
        write_freq(lines[:ard - 1] + ["\t".join(c)] + lines[ard:])
        p, _ = run_build(copy)
        check(p.returncode != 0 and "Martian controls" in p.stderr,
              f"an unmapped population string does not stop the build (rc {p.returncode}: {p.stderr.strip()[-200:]})")
    write_freq(lines)

    # 3. An eaf_curation line pointing at a line that is not a candidate must stop the build.
    not_cand = [n for n, l in FREQS.items() if l["rsid"] == "rs11842874" and l["freq"] == "."]
    if check(bool(not_cand), "rs11842874 has a line without a frequency to point at"):
        cur = os.path.join(tmp, "eaf_curation.tsv")
        with open(cur, "w") as f:
            f.write(f"rsid\tpopulation\tline\treason\nrs11842874\tEUR\t{not_cand[0]}\ttampered\n")
        p, _ = run_build(copy, ["--eaf-curation", cur])
        check(p.returncode != 0 and str(not_cand[0]) in p.stderr,
              f"eaf_curation naming non-candidate line {not_cand[0]} does not stop the build "
              f"(rc {p.returncode}: {p.stderr.strip()[-200:]})")
        # and one naming another rsID's line
        other_line = freq_line("rs143383", "0.619", "ard.bmj.com")
        with open(cur, "w") as f:
            f.write(f"rsid\tpopulation\tline\treason\nrs11842874\tEUR\t{other_line}\ttampered\n")
        p, _ = run_build(copy, ["--eaf-curation", cur])
        check(p.returncode != 0, f"eaf_curation naming rs143383's line {other_line} does not stop the build")
finally:
    shutil.rmtree(tmp, ignore_errors=True)

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
