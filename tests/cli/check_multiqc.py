#!/usr/bin/env python3
"""Checks a MultiQC 1.14 report made from healcap runs against the runs' own outputs, without healcap's code.

For each run PREFIX: multiqc_general_stats.txt has the run's three columns, one row per sample of
PREFIX.samples.tsv under the sample's exact name, with its values; the indexes table holds every column it shows
with samples.tsv's values; the problem-sites table lists exactly the scored rows that PREFIX.sites.tsv and
PREFIX.json say have a problem (the thresholds of README "MultiQC", recomputed here); the HTML has the run's
section and shows input text only as text. The report's log must hold no warning, error or exception.
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

    # General Statistics: the run's columns, every sample under its own name, samples.tsv's values.
    cols = {}
    for i, c in enumerate(gs_head):
        m = re.match(r"healcap %s_mqc-generalstats-.*-(healing_capacity_index|completeness|n_called)$" % re.escape(entities(label)), c)
        if m:
            cols[m.group(1)] = i
    check(sorted(cols) == ["completeness", "healing_capacity_index", "n_called"],
          "%s: General Statistics has the three healcap columns" % label, str(gs_head))
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
    pathway_cols = [c for c in s_head if c.startswith(("hci_pathway_", "hci_trait_"))]
    check(len(t_head) > 6 and all(c in s_head for c in t_head[1:]) and all(c in t_head for c in
          ["healing_capacity_index", "completeness", "z_score", "n_scored_sites", "n_called"]),
          "%s: the indexes table's columns are samples.tsv columns (%d pathway/trait columns of %d)" %
          (label, len(t_head) - 6, len(pathway_cols)), str(t_head))
    wrong = [s for s in samples if s in table and not all(same_number(table[s][c], samples[s][c]) for c in t_head[1:])]
    check(not wrong, "%s: the indexes table's values equal samples.tsv" % label, "differ: %s" % wrong[:5])

    # The problem sites, recomputed from sites.tsv and the JSON's eaf.
    site_head, site_rows = read_tsv(prefix + ".sites.tsv")
    with open(prefix + ".json", encoding="utf-8") as f:
        doc = json.load(f)
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
    else:
        check(not os.path.exists(p_path) and "No scored panel row has a problem" in report,
              "%s: no scored row has a problem, and the report says so" % label)

# Input text is shown as text: a name holding markup appears escaped, never as an element.
check(not re.search(r"<img src=x", report, re.I), "no element in the report comes from a sample name")

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
