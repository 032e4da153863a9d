#!/usr/bin/env python3
"""Checks a MultiQC 1.14 report made from healcap runs against the runs' own outputs, without healcap's code.

For each run PREFIX: multiqc_general_stats.txt has the run's three columns per panel (PREFIX.json's "panels", or
the one panel of a run without that list), in --panel order: HCI, completeness and sites called for a healcap
panel, weighted sum, completeness and sites called for a PGS Catalog score, named as samples.tsv's columns (the
first panel's unprefixed, the others' '<id>_'), one row per sample of PREFIX.samples.tsv under the sample's exact
name, with its values; the indexes table holds one group of columns per panel (pathways and traits only for a
healcap panel), every column with samples.tsv's values; the problem-sites table lists exactly the scored rows that
PREFIX.sites.tsv and PREFIX.json say have a problem (the thresholds of README "MultiQC", recomputed here), with
sites.tsv's panel when the run has several panels or a score, and no gene or trait for a score's row; the HTML has
the run's section naming every panel and shows input text only as text. The report's log must hold no warning,
error or exception.
Prints one line per check and 'N passed, M failed'; exits 1 on any failure.
Usage: check_multiqc.py MULTIQC_OUTDIR PREFIX...
  A PREFIX of a run without samples (sites-only input) is written PREFIX:nosamples."""
import csv
import html
import json
import math
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import healcap_calls  # noqa: E402

outdir, runs = sys.argv[1], sys.argv[2:]
data_dir = os.path.join(outdir, "multiqc_data")
passed = failed = 0


def check(ok, what, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok   " + what)
    else:
        failed += 1
        print("FAIL " + what + (("\n     " + detail) if detail else ""))


def read_tsv(path, comment="#"):
    with open(path, encoding="utf-8", newline="") as f:
        rows = [r for r in csv.reader((l for l in f if not l.startswith(comment)), delimiter="\t", quoting=csv.QUOTE_NONE)]
    return rows[0], rows[1:]


def same_number(got, want):
    """A MultiQC cell (str(float), '' for blank) against healcap's text ('NA' or '.' for none)."""
    if want in ("NA", "."):
        return got == ""
    try:
        return math.isclose(float(got), float(want), rel_tol=1e-9, abs_tol=1e-12)
    except ValueError:
        return False


def entities(text):
    """& < > " ' as healcap writes them for MultiQC's HTML."""
    for a, b in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&#39;")):
        text = text.replace(a, b)
    return text


def mqc_id(label):
    return "".join(c if re.match(r"[A-Za-z0-9._-]", c) else "".join("%%%02X" % b for b in c.encode()) for c in label)


# --- the log: MultiQC exits 0 when a custom-content file fails to parse, and only logs it ----------------------
with open(os.path.join(data_dir, "multiqc.log"), encoding="utf-8") as f:
    log = f.read()
bad = [l for l in log.splitlines()
       if re.search(r"\[(WARNING|ERROR|CRITICAL)\s*\]|Uncaught exception|Traceback|Could not parse|Not able to parse", l)]
check(not bad, "multiqc.log holds no warning, error or exception", "\n     ".join(bad[:5]))

with open(os.path.join(outdir, "multiqc_report.html"), encoding="utf-8") as f:
    report = f.read()
gs_path = os.path.join(data_dir, "multiqc_general_stats.txt")
gs_head, gs_rows = read_tsv(gs_path) if os.path.exists(gs_path) else ([], [])

for run in runs:
    prefix, _, flag = run.partition(":")
    label = os.path.basename(prefix)
    ident = mqc_id(label)
    anchor = re.sub(r"[^a-zA-Z0-9_-]+", "_", "healcap-" + ident)
    check('id="%s"' % anchor in report and ">healcap: %s" % entities(label) in report,
          "%s: the report has the run's section 'healcap: %s'" % (label, label))
    check("Research use only" in report, "%s: the report says research use only" % label)
    if flag == "nosamples":
        cols = [c for c in gs_head if c.startswith("healcap %s_" % entities(label))]
        check(not cols, "%s: a run without samples adds no General Statistics column" % label)
        check("This run has no samples" in report, "%s: its sections say the run has no samples" % label)
        continue

    s_head, s_rows = read_tsv(prefix + ".samples.tsv")
    samples = {r[0]: dict(zip(s_head, r)) for r in s_rows}
    doc = healcap_calls.load_run(prefix + ".json")  # with each sample's call from the run's calls file
    # The run's panels: the JSON lists them when there are several or a score; else the one healcap panel.
    named = "panels" in doc
    panels = doc["panels"] if named else [{"id": None, "kind": "healcap_tsv", "sha256": doc["panel"]["sha256"]}]
    for c, p in enumerate(panels):
        p["key"] = "" if c == 0 else p["id"] + "_"
        p["main"] = "healing_capacity_index" if p["kind"] == "healcap_tsv" else "weighted_sum"
        p["eaf"] = any(s["eaf"] is not None for s in doc["sites"] if s.get("panel", p["id"]) == p["id"])

    def panel_of(column):
        """The index of the panel a samples.tsv column belongs to: a later panel's id prefix, else the first."""
        for c in range(len(panels) - 1, 0, -1):
            if column.startswith(panels[c]["key"]):
                return c
        return 0

    # General Statistics: the run's columns, every sample under its own name, samples.tsv's values.
    want_keys = [p["key"] + k for p in panels for k in (p["main"], "completeness", "n_called")]
    cols = {}
    for i, c in enumerate(gs_head):
        m = re.match(r"healcap %s_mqc-generalstats-[^-]*-(.+)$" % re.escape(entities(label)), c)
        if m:
            cols[m.group(1)] = i
    check(list(cols) == want_keys,
          "%s: General Statistics has the three healcap columns of each of its %d panel(s), in --panel order" %
          (label, len(panels)), "got %s\n     want %s" % (list(cols), want_keys))
    if named:  # titles name the panel: a score's and a later panel's start with its id; a score has no HCI
        ns = re.sub(r"\W+", "_", "healcap " + entities(label)).strip("_").lower()  # MultiQC's id of the namespace
        titles = dict(re.findall(r'<th id="header_mqc-generalstats-%s-([A-Za-z0-9_]+)"[^>]*>'
                                 r'<span class="mqc_table_tooltip" title="[^"]*">([^<]*)</span>' % re.escape(ns), report))
        bad = []
        for c, p in enumerate(panels):
            for k in (p["main"], "completeness", "n_called"):
                t = titles.get(p["key"] + k, "")
                first_healcap = c == 0 and p["kind"] == "healcap_tsv"
                if (not first_healcap and not t.startswith(p["id"] + " ")) or (p["kind"] != "healcap_tsv" and "HCI" in t):
                    bad.append((p["key"] + k, t))
        check(len(titles) >= len(want_keys) and not bad,
              "%s: General Statistics titles name each score and each later panel by its id" % label, str(bad or titles))
    shown = {}
    for r in gs_rows:
        if any(r[i] != "" for i in cols.values()):
            shown[html.unescape(r[0])] = r
    check(sorted(shown) == sorted(samples), "%s: General Statistics has one row per sample, names intact" % label,
          "missing %s; extra %s" % (sorted(set(samples) - set(shown))[:5], sorted(set(shown) - set(samples))[:5]))
    wrong = [s for s in samples if s in shown and not all(same_number(shown[s][i], samples[s][k]) for k, i in cols.items())]
    check(not wrong, "%s: General Statistics values equal samples.tsv for all %d samples" % (label, len(samples)),
          "differ: %s" % wrong[:5])

    # The indexes table.
    t_path = os.path.join(data_dir, "multiqc_healcap-%s-indexes-table.txt" % ident)
    t_head, t_rows = read_tsv(t_path)
    table = {html.unescape(r[0]): dict(zip(t_head, r)) for r in t_rows}
    check(sorted(table) == sorted(samples), "%s: the indexes table has one row per sample, names intact" % label)
    pathway_cols = [c for c in s_head if re.search(r"(^|_)hci_(pathway|trait)_", c)]
    shown_pw = [c for c in t_head[1:] if c in pathway_cols]
    check(all(c in s_head for c in t_head[1:]),
          "%s: the indexes table's columns are samples.tsv columns (%d pathway/trait columns of %d)" %
          (label, len(shown_pw), len(pathway_cols)), str(t_head))
    # One group of columns per panel, in --panel order; pathways and traits, and the HCI, only for a healcap panel.
    owners = [panel_of(c) for c in t_head[1:]]
    check(owners == sorted(owners) and sorted(set(owners)) == list(range(len(panels))),
          "%s: the indexes table has one group of columns per panel, in --panel order" % label, str(t_head))
    bad = []
    for c, p in enumerate(panels):
        group = [col[len(p["key"]):] for col, o in zip(t_head[1:], owners) if o == c]
        need = [p["main"], "completeness", "n_called", "n_scored_sites"] + (["z_score"] if p["kind"] == "healcap_tsv" or p["eaf"] else [])
        if any(k not in group for k in need):
            bad.append("%s lacks %s" % (p["id"], [k for k in need if k not in group]))
        if p["kind"] != "healcap_tsv" and any(k.startswith("hci_") or k == "healing_capacity_index" for k in group):
            bad.append("%s (a score) has HCI columns" % p["id"])
        if p["kind"] != "healcap_tsv" and not p["eaf"] and "z_score" in group:
            bad.append("%s has a z-score column without effect-allele frequencies" % p["id"])
    check(not bad, "%s: each panel's group has its columns (a score: its sum, no HCI, pathway or trait)" % label, "; ".join(bad))
    wrong = [s for s in samples if s in table and not all(same_number(table[s][c], samples[s][c]) for c in t_head[1:])]
    check(not wrong, "%s: the indexes table's values equal samples.tsv" % label, "differ: %s" % wrong[:5])

    # The problem sites, recomputed from sites.tsv and the JSON's eaf.
    site_head, site_rows = read_tsv(prefix + ".sites.tsv")
    site_of = {r[0]: dict(zip(site_head, r)) for r in site_rows}
    eaf = {s["id"]: s["eaf"] for s in doc["sites"]}
    calls = {s["id"]: s for s in doc["sites"]}
    expected = {}
    for r in map(lambda r: dict(zip(site_head, r)), site_rows):
        if r["scored"] != "yes" or r["state"] == "outside_regions":
            continue
        p = []
        if r["state"] not in ("found", "ref_block"):
            p.append(r["state"])
        if r["call_rate"] != "." and samples:
            if float(r["call_rate"]) < 0.95:
                p.append("low_call_rate")
            if r["hwe_p"] != "." and float(r["hwe_p"]) < 1e-6:
                p.append("hwe_deviation")
            f, e = r["counted_allele_freq"], eaf[r["id"]]
            if f != "." and e is not None and r["counted_allele"] != "non_ref":
                site = calls[r["id"]]
                alleles = sum(len(re.split(r"[/|]", g)) for g, d, c in zip(site["genotypes"], site["dosages"], site["call_states"])
                              if d is not None and c in "CRA")  # observed: called, ref_block, absent_covered
                diff = abs(float(f) - e)
                if diff > 0.2 and diff > 3 * math.sqrt(e * (1 - e) / alleles):
                    p.append("frequency_vs_eaf")
        if p:
            expected[r["id"]] = ", ".join(p)
    p_path = os.path.join(data_dir, "multiqc_healcap-%s-problem-sites-table.txt" % ident)
    if expected:
        p_head, p_rows = read_tsv(p_path)
        got = {html.unescape(r[0]): html.unescape(dict(zip(p_head, r))["problem"]) for r in p_rows}
        check(got == expected, "%s: the problem-sites table lists the %d scored rows with problems and why" %
              (label, len(expected)), "got %s\n     want %s" % (sorted(got.items())[:4], sorted(expected.items())[:4]))
        rows = {html.unescape(r[0]): dict(zip(p_head, r)) for r in p_rows}
        if named:
            wrong = [i for i, r in rows.items() if r.get("panel") != site_of[i]["panel"]]
            check("panel" in p_head and not wrong, "%s: the problem-sites table's panel column is sites.tsv's" % label,
                  str(p_head) + " " + str(wrong[:4]))
        else:
            check("panel" not in p_head, "%s: a run of one healcap panel has no panel column" % label, str(p_head))
        curated = any(p["kind"] == "healcap_tsv" for p in panels)
        wrong = [i for i, r in rows.items() if curated and (html.unescape(r["gene"]), html.unescape(r["trait"])) !=
                 tuple("" if site_of[i][k] == "." else site_of[i][k] for k in ("gene", "trait"))]
        check((("gene" in p_head and "trait" in p_head) if curated else ("gene" not in p_head and "trait" not in p_head))
              and not wrong, "%s: gene and trait are sites.tsv's (blank for a score's rows; no such columns without a "
              "healcap panel)" % label, str(p_head) + " " + str(wrong[:4]))
    else:
        check(not os.path.exists(p_path) and "No scored panel row has a problem" in report,
              "%s: no scored row has a problem, and the report says so" % label)

    # The run's section names every panel with its own identity.
    missing = [p.get("id") or "panel" for p in panels if p["sha256"][:12] not in report or (p["id"] and p["id"] + " (" not in report)]
    check(not missing, "%s: the section names each of its %d panel(s) with its SHA-256" % (label, len(panels)), str(missing))

# Input text is shown as text: a name holding markup appears escaped, never as an element.
check(not re.search(r"<img src=x", report, re.I), "no element in the report comes from a sample name")

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
