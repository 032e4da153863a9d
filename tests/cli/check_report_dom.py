#!/usr/bin/env python3
"""Checks the DOM of a healcap report as headless Chromium dumps it (--dump-dom), against healcap's own outputs
and bcftools. Python standard library only. Prints one line per check group; exit 1 with the reason on failure.

Usage:
  check_report_dom.py structure DOM                      key sections, banner, scripts, histograms, site ledger
  check_report_dom.py samples DOM SAMPLES_TSV            the samples table: every sample's index, completeness and
                                                         z-score as samples.tsv has them
  check_report_dom.py card DOM RUN_JSON SAMPLE VCF       the open card is SAMPLE's: at every panel row with calls, its
                                                         genotype equals bcftools query's GT, its call state and
                                                         dosage the JSON's
  check_report_dom.py one DOM SAMPLE                     a one-person report: no histograms, no table, the card open
  check_report_dom.py panels DOM SAMPLES_TSV RUN_JSON    a run over several panels or a score: every panel's identity
                                                         under Run and its block under Cohort (a score's with the
                                                         histogram of its weighted sum), and every numeric cell of
                                                         the samples table equal to the samples.tsv column it names
                                                         (data-col: unprefixed for the first panel, <id>_ after)
  check_report_dom.py ledger DOM RUN_JSON                the ledger's panel column: each panel's rows, in the JSON's
                                                         order, with both alleles; allele mismatches flagged
  check_report_dom.py grouped DOM RUN_JSON SAMPLE SAMPLES_TSV
                                                         the open card has one block per panel: its summary equal
                                                         to samples.tsv, its own rows in order, a score's with
                                                         the other allele and the weight as the JSON writes it
  check_report_dom.py hostile DOM TITLE NAMES [K]        names (one per line, \\u2028 written as such) appear as text
                                                         only: 2 script elements, no img, no event attribute, every
                                                         svg a histogram or biomarker plot, links only to
                                                         PubMed/doi.org, title TITLE; with K, the card of the K-th
                                                         name is open
  check_report_dom.py biomarkers DOM RUN_JSON [SAMPLE] [--title TITLE]
                                                         what the run JSON's "biomarkers" says, as the page shows
                                                         it: the section (research-use line, input, per marker and
                                                         specimen the baseline-to-last counts and RCV limits, per
                                                         timepoint counts, unknown markers, unmatched samples, the
                                                         genetic CRP check, reference facts with citations); with
                                                         SAMPLE, its open card: the summary beside the genetic
                                                         index, one plot per marker with an RCV band exactly where
                                                         the JSON gives an RCV for an uncensored baseline,
                                                         censored points marked, every value and change as the
                                                         JSON has it. Always: the page's safety (2 scripts, no
                                                         event attribute or img, only the report's svg kinds, safe
                                                         links; title TITLE when given). A JSON without biomarkers
                                                         must give a page without the section.
"""
import decimal
import html.parser
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import healcap_calls  # noqa: E402

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def walk(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.walk()

    def find_all(self, tag=None, **attrs):
        for n in self.walk():
            if (tag is None or n.tag == tag) and all(has(n, k.rstrip("_"), v) for k, v in attrs.items()):
                yield n

    def find(self, tag=None, **attrs):
        return next(self.find_all(tag, **attrs), None)


def has(node, key, value):
    if key == "cls":
        return value in node.attrs.get("class", "").split()
    return node.attrs.get(key) == value if value is not True else key in node.attrs


class Builder(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", [], None)
        self.cur = self.root
        self.all_attrs = []  # (tag, attribute name) of every start tag

    def handle_starttag(self, tag, attrs):
        self.all_attrs += [(tag, k) for k, _ in attrs]
        n = Node(tag, attrs, self.cur)
        self.cur.children.append(n)
        if tag not in VOID:
            self.cur = n

    def handle_startendtag(self, tag, attrs):
        self.all_attrs += [(tag, k) for k, _ in attrs]
        self.cur.children.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not self.root and n.tag != tag:
            n = n.parent
        if n is not self.root:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def parse(path):
    b = Builder()
    with open(path, encoding="utf-8") as f:
        b.feed(f.read())
    b.close()
    return b


def fail(msg):
    print("FAIL " + msg)
    sys.exit(1)


def tsv_rows(path):
    rows, header = [], None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            if header is None:
                header = cols
            else:
                rows.append(dict(zip(header, cols)))
    return rows


def structure(dom):
    doc = parse(dom).root
    for sid in ("run", "cohort", "samples", "sites", "method"):
        if doc.find("section", id=sid) is None:
            fail(f"no section #{sid}")
    banner = doc.find("div", cls="banner")
    if banner is None or "Research use only" not in banner.text():
        fail("no research-use banner")
    scripts = list(doc.find_all("script"))
    if len(scripts) != 2 or scripts[0].attrs.get("type") != "application/json":
        fail(f"expected the data block and one script, found {len(scripts)} script elements")
    hists = list(doc.find("section", id="cohort").find_all("svg"))
    ledger = doc.find("table", id="hc-sites")
    if ledger is None:
        fail("no site ledger")
    n_rows = len(list(ledger.find("tbody").find_all("tr")))
    method = doc.find("section", id="method").text()
    if "healing_capacity_index H = 1 - (S - m) / (M - m)" not in method:
        fail("the method section lacks the formula")
    print(f"ok   structure: 5 sections, banner, 2 scripts, {len(hists)} histograms, {n_rows} ledger rows")
    return len(hists), n_rows


def samples(dom, tsv):
    doc = parse(dom).root
    table = doc.find("table", id="hc-samples")
    if table is None:
        fail("no samples table")
    got = {}
    for tr in table.find("tbody").find_all("tr"):
        cell = {c: tr.find("td", cls=c) for c in ("name", "hci", "compl", "z")}
        if any(v is None for v in cell.values()):
            fail("a samples row lacks a cell")
        got[cell["name"].text()] = (cell["hci"].text(), cell["compl"].text(), cell["z"].text())
    want = {r["sample"]: (r["healing_capacity_index"], r["completeness"], r["z_score"]) for r in tsv_rows(tsv)}
    if len(got) != min(len(want), 50):  # the table shows 50 samples a page
        fail(f"the table's first page shows {len(got)} samples of {len(want)}")
    want = {k: v for k, v in want.items() if k in got}
    if got != want:
        bad = [k for k in want if got.get(k) != want[k]][:3]
        fail(f"samples table differs from samples.tsv ({len(got)} rows, {len(want)} samples); first: " +
             "; ".join(f"{k}: {got.get(k)} vs {want[k]}" for k in bad))
    print(f"ok   samples: {len(got)} rows, index, completeness and z-score equal samples.tsv")


def card(dom, run_json, sample, vcf):
    doc = parse(dom).root
    c = doc.find("div", id="hc-card")
    if c is None or "hidden" in c.attrs:
        fail("the card is not open")
    name = c.find("span", cls="name")
    if name is None or name.text() != sample:
        fail(f"the open card is {name.text() if name else None!r}, not {sample!r}")
    rows = {tr.attrs["data-id"]: tr for tr in c.find_all("tr", **{"data-id": True})}
    run = healcap_calls.load_run(run_json)  # each sample's call from the run's calls file
    k = [s["sample"] for s in run["samples"]].index(sample)
    if len(rows) != len(run["sites"]):
        fail(f"the card lists {len(rows)} panel rows, the run has {len(run['sites'])}")
    called = [s for s in run["sites"] if "genotypes" in s]
    if not called:
        fail("no panel row with calls")
    regions = "".join(f"{s['seen']['chrom']}\t{s['seen']['pos']}\n" for s in called)
    q = subprocess.run(["bcftools", "query", "-R", "/dev/stdin", "-s", sample, "-f", "%CHROM\t%POS\t%REF\t%ALT[\t%GT]\n", vcf],
                       input=regions, capture_output=True, text=True)
    if q.returncode:
        fail("bcftools query: " + q.stderr.strip())
    gts = {}
    for line in q.stdout.splitlines():
        ch, pos, ref, alt, gt = line.split("\t")
        gts[(ch, int(pos), ref, alt)] = gt
    for s in called:
        key = (s["seen"]["chrom"], s["seen"]["pos"], s["seen"]["ref"], s["seen"]["alt"])
        tr = rows[s["id"]]
        gt, state = tr.find("td", cls="gt").text(), tr.find("td", cls="state").text()
        if key not in gts:
            fail(f"{s['id']}: bcftools query finds no record {key}")
        if gt != gts[key]:
            fail(f"{s['id']}: the card shows {gt!r}, bcftools query {gts[key]!r} at {key[0]}:{key[1]}")
        if state != run["scoring"]["call_state_codes"][s["call_states"][k]]:
            fail(f"{s['id']}: call state {state!r} differs from the JSON's")
        dosage, want = tr.find("td", cls="dosage").text(), s["dosages"][k]
        if dosage != ("NA" if want is None else str(want)):
            fail(f"{s['id']}: the card shows dosage {dosage!r}, the JSON {want!r}")
        if state == "called" and "." in gt and s["dosage_source"] == "GT":
            fail(f"{s['id']}: a call with a missing allele ({gt}) is shown as called")
    index = c.find("table", cls="summary").find_all("td")
    print(f"ok   card {sample}: {len(called)} rows with calls equal bcftools query's GT; index {next(index).text()}")


def load_run(run_json):
    """The run's JSON with every number kept as its text (a score's weight is shown as written)."""
    with open(run_json, encoding="utf-8") as f:
        return json.load(f, parse_float=str, parse_int=str)


def prefix_of(run, j):
    return "" if j == 0 else run["panels"][j]["id"] + "_"


def panels(dom, tsv, run_json):
    doc = parse(dom).root
    run = load_run(run_json)
    ps = run["panels"]
    tables = list(doc.find("section", id="run").find_all("table", cls="panel"))
    if [t.attrs.get("data-panel") for t in tables] != [p["id"] for p in ps]:
        fail(f"the Run section describes panels {[t.attrs.get('data-panel') for t in tables]}, the run has {[p['id'] for p in ps]}")
    for p, t in zip(ps, tables):
        facts = {tr.find("th").text(): tr.find("td").text() for tr in t.find_all("tr")}
        if facts.get("SHA-256") != p["sha256"] or facts.get("File") != p["file"]:
            fail(f"panel {p['id']}: SHA-256 or file differ from the JSON's")
        if p["kind"] == "pgs_catalog":
            want = {"PGS ID": p["pgs_id"], "Name": p["name"], "Trait reported": p["header"].get("trait_reported")}
            for k, v in want.items():
                if facts.get(k) != v:
                    fail(f"panel {p['id']}: {k} is {facts.get(k)!r}, the JSON has {v!r}")
            if p["header"].get("citation") and facts.get("Citation") != p["header"]["citation"]:
                fail(f"panel {p['id']}: the citation is {facts.get('Citation')!r}")
            if not facts.get("Genome build", "").startswith(p["genome_build"]) or "Rows skipped" not in facts:
                fail(f"panel {p['id']}: no genome build or rows skipped")
    cohort = doc.find("section", id="cohort")
    n_samples = len(run["samples"])
    blocks = list(cohort.find_all("div", cls="panel-block"))
    if n_samples > 1:
        if [b.attrs.get("data-panel") for b in blocks] != [p["id"] for p in ps]:
            fail(f"the cohort has blocks {[b.attrs.get('data-panel') for b in blocks]}")
        for j, (p, b) in enumerate(zip(ps, blocks)):
            metrics = [svg.attrs.get("data-metric") for svg in b.find_all("svg") if svg.attrs.get("data-group") == "all"]
            want = ["ws", "hci", "compl"] if p["kind"] == "pgs_catalog" else ["hci", "compl"]
            if metrics != want:
                fail(f"panel {p['id']}: the cohort's main histograms are {metrics}, expected {want}")
            if any(svg.attrs.get("data-panel-index") != str(j) for svg in b.find_all("svg")):
                fail(f"panel {p['id']}: a histogram of another panel in its block")
            groups = [svg for svg in b.find_all("svg") if svg.attrs.get("data-group") != "all"]
            if p["kind"] == "pgs_catalog" and (groups or "By pathway" in b.text()):
                fail(f"panel {p['id']}: a score's block shows pathways or traits")
            if p["kind"] == "healcap_tsv" and not groups:
                fail(f"panel {p['id']}: no pathway or trait histograms")
    rows = tsv_rows(tsv)
    by_name = {r["sample"]: r for r in rows}
    table = doc.find("table", id="hc-samples")
    if table is None:
        fail("no samples table")
    n_cells, names = 0, 0
    cols = set()
    for tr in table.find("tbody").find_all("tr"):
        name = tr.find("td", cls="name").text()
        names += 1
        for td in tr.find_all("td", **{"data-col": True}):
            col = td.attrs["data-col"]
            cols.add(col)
            if col not in by_name[name]:
                fail(f"{name}: the cell {col!r} is not a samples.tsv column")
            if td.text() != by_name[name][col]:
                fail(f"{name}: {col} is {td.text()!r} in the page, {by_name[name][col]!r} in samples.tsv")
            n_cells += 1
    for j, p in enumerate(ps):
        need = [prefix_of(run, j) + "healing_capacity_index"]
        if p["kind"] == "pgs_catalog":
            need.append(prefix_of(run, j) + "weighted_sum")
        for c in need:
            if c not in cols:
                fail(f"the samples table has no column {c}")
    heads = [th.attrs["data-sort"] for th in table.find_all("th", **{"data-sort": True})]
    if len(heads) < 1 + sum(4 if p["kind"] == "pgs_catalog" else 3 for p in ps):
        fail(f"sortable columns: {heads}")
    if names != min(len(rows), 50):
        fail(f"the table's first page shows {names} samples of {len(rows)}")
    print(f"ok   panels: {len(ps)} panels described and drawn; {n_cells} cells of {names} samples equal samples.tsv "
          f"({len(cols)} columns: {', '.join(sorted(c for c in cols if c.endswith(('weighted_sum', 'healing_capacity_index'))))})")


def ledger(dom, run_json):
    doc = parse(dom).root
    run = load_run(run_json)
    t = doc.find("table", id="hc-sites")
    heads = [th.text() for th in t.find("thead").find_all("th")]
    for h in ("panel", "effect allele", "other allele"):
        if h not in heads:
            fail(f"the ledger has no {h} column: {heads}")
    ci = {h: i for i, h in enumerate(heads)}
    got = []
    for tr in t.find("tbody").find_all("tr"):
        tds = list(tr.find_all("td"))
        got.append((tds[0].text(), tds[ci["panel"]].text(), tds[ci["other allele"]].text(), tds[ci["state"]].text(),
                    "problem" in tr.attrs.get("class", "")))
    want = [(s["id"], s["panel"], s["other_allele"] or ".", s["state"]) for s in run["sites"]]
    if len(run["sites"]) <= 2000 and [g[:4] for g in got] != want:
        bad = next(i for i, (g, w) in enumerate(zip([g[:4] for g in got] + [None] * len(want), want)) if g != w)
        fail(f"ledger row {bad + 1}: {got[bad] if bad < len(got) else None} where the JSON has {want[bad]}")
    per = {}
    for g in got:
        per[g[1]] = per.get(g[1], 0) + 1
    if sorted(per) != sorted(p["id"] for p in run["panels"]):
        fail(f"the ledger holds rows of {sorted(per)}")
    mism = [g for g in got if g[3] == "allele_mismatch"]
    if any(not g[4] for g in mism):
        fail("an allele_mismatch row is not flagged as a problem")
    print(f"ok   ledger: {len(got)} rows with their panel ({', '.join(f'{k} {v}' for k, v in per.items())}), "
          f"{len(mism)} allele mismatch(es) flagged")


def grouped(dom, run_json, sample, tsv):
    doc = parse(dom).root
    run = load_run(run_json)
    c = doc.find("div", id="hc-card")
    if c is None or "hidden" in c.attrs or c.find("span", cls="name").text() != sample:
        fail(f"the card of {sample} is not open")
    row = {r["sample"]: r for r in tsv_rows(tsv)}[sample]
    blocks = list(c.find_all("div", cls="panel-block"))
    ids = [p["id"] for p in run["panels"]]
    if [b.attrs.get("data-panel") for b in blocks] != ids:
        fail(f"the card's blocks are {[b.attrs.get('data-panel') for b in blocks]}, the panels {ids}")
    n_rows = 0
    for j, (p, b) in enumerate(zip(run["panels"], blocks)):
        pre = prefix_of(run, j)
        facts = {tr.find("th").text(): tr.find("td").text() for tr in b.find("table", cls="summary").find_all("tr")}
        score = p["kind"] == "pgs_catalog"
        index_label = "Index (a rescaling of the score, not a healing measure)" if score else "Healing-capacity index"
        if facts.get(index_label) != row[pre + "healing_capacity_index"]:
            fail(f"{p['id']}: the card's index is {facts.get(index_label)!r}, samples.tsv {row[pre + 'healing_capacity_index']!r}")
        # The z-score and what it rests on, as samples.tsv has them (issue 14).
        z, zn = row[pre + "z_score"], row[pre + "n_z_sites"]
        if z == "NA":
            note = row[pre + "z_note"]
            if not note.startswith("NA: ") or facts.get("z-score") != "NA (" + note[4:] + ")":
                fail(f"{p['id']}: the card's z-score is {facts.get('z-score')!r}, samples.tsv NA with z_note {note!r}")
        elif facts.get("z-score") != z:
            fail(f"{p['id']}: the card's z-score is {facts.get('z-score')!r}, samples.tsv {z!r}")
        rests = facts.get("z-score rests on", "")
        want = f"{zn} observed scored rows with a {row[pre + 'z_population']} effect-allele frequency"
        if not rests.startswith(want) or (row[pre + "z_weight_share"] != "NA" and
                                          not rests.endswith(row[pre + "z_weight_share"] + " of the observed |weight|")):
            fail(f"{p['id']}: the card says the z-score rests on {rests!r}; samples.tsv: {zn} rows, share "
                 f"{row[pre + 'z_weight_share']}")
        if score and facts.get("Polygenic score (weighted sum)") != row[pre + "weighted_sum"]:
            fail(f"{p['id']}: the card's score is {facts.get('Polygenic score (weighted sum)')!r}, samples.tsv {row[pre + 'weighted_sum']!r}")
        tables = list(b.find_all("table", cls="variants"))
        if len(tables) != 1 or tables[0].attrs.get("data-panel") != p["id"]:
            fail(f"{p['id']}: the block has {len(tables)} variant tables")
        heads = [th.text() for th in tables[0].find("thead").find_all("th")]
        trs = list(tables[0].find("tbody").find_all("tr"))
        sites = [s for s in run["sites"] if s["panel"] == p["id"]]
        if [tr.attrs.get("data-id") for tr in trs] != [s["id"] for s in sites]:
            fail(f"{p['id']}: the card's rows are not the panel's rows in order")
        if score:
            oa, w = heads.index("other allele"), heads.index("weight")
            for tr, s in zip(trs, sites):
                tds = list(tr.find_all("td"))
                if tds[oa].text() != (s["other_allele"] or "."):
                    fail(f"{s['id']}: other allele {tds[oa].text()!r}, the JSON {s['other_allele']!r}")
                if tds[w].text() != s["weight"]:
                    fail(f"{s['id']}: weight {tds[w].text()!r}, the JSON writes {s['weight']!r}")
        n_rows += len(trs)
    print(f"ok   card {sample}: {len(blocks)} panel blocks, summaries equal samples.tsv, {n_rows} rows grouped by panel")


def one(dom, sample):
    doc = parse(dom).root
    if list(doc.find("section", id="cohort").find_all("svg")):
        fail("a one-sample report draws histograms")
    if doc.find("table", id="hc-samples") is not None:
        fail("a one-sample report has a samples table")
    c = doc.find("div", id="hc-card")
    if c is None or "hidden" in c.attrs or c.find("span", cls="name").text() != sample:
        fail("the one sample's card is not open")
    if "one-person report" not in doc.find("section", id="cohort").text():
        fail("the cohort section does not say it is a one-person report")
    n = len(list(c.find("table", cls="variants").find("tbody").find_all("tr")))
    links = [a.attrs.get("href") for a in c.find_all("a")]
    print(f"ok   one-person report for {sample}: no histograms or table, the card open with {n} rows, {len(links)} links")
    return links


def hostile(dom, title, names_file, card_k=None):
    b = parse(dom)
    doc = b.root
    with open(names_file, encoding="utf-8") as f:
        names = [line.rstrip("\n").replace("\\u2028", "\u2028") for line in f if line.strip()]
    t = doc.find("title").text()
    if t != title:
        fail(f"the document title is {t!r}, not {title!r}: a payload ran?")
    n_scripts = len(list(doc.find_all("script")))
    if n_scripts != 2:
        fail(f"{n_scripts} script elements (2 expected)")
    for tag, attr in b.all_attrs:
        if attr.lower().startswith("on"):
            fail(f"an event attribute {attr} on <{tag}>")
    if doc.find("img") is not None or doc.find("iframe") is not None or doc.find("object") is not None:
        fail("an img, iframe or object element")
    for svg in doc.find_all("svg"):
        if "data-metric" not in svg.attrs and not ({"bm-plot", "bm-scatter"} & set(svg.attrs.get("class", "").split())):
            fail("an svg element that is none of the report's histograms or biomarker plots")
    for a in doc.find_all("a"):
        h = a.attrs.get("href", "")
        if not (h.startswith("#") or re.fullmatch(r"https://pubmed\.ncbi\.nlm\.nih\.gov/\d+/", h) or
                re.fullmatch(r"https://doi\.org/10\.\d{4,9}/[-._;()/:A-Za-z0-9]+", h)):
            fail(f"a link to {h!r}")
    shown = [td.text() for td in doc.find("table", id="hc-samples").find_all("td", cls="name")]
    for n in names:
        if n not in shown:
            fail(f"the name {n!r} is not shown as text in the samples table")
    if card_k is not None:
        c = doc.find("div", id="hc-card")
        want = names[int(card_k) - 1]
        if c is None or "hidden" in c.attrs or c.find("span", cls="name").text() != want:
            fail(f"the card of {want!r} is not open, or shows another name")
        print(f"ok   hostile: the card of {want!r} is open and shows the name as text")
    print(f"ok   hostile: {len(names)} names shown as text; 2 scripts, no img, no event attribute, only histogram svgs, "
          f"safe links; title unchanged")


# --- biomarkers (issue 12) -------------------------------------------------------------------------------------

def js_str(text):
    """A JSON number's text as the report's script prints it (String of the double)."""
    x = float(text)
    if x == int(x) and abs(x) < 1e21:
        return str(int(x))
    r = repr(x)
    if "e" in r and 1e-7 <= abs(x) < 1e21:
        r = format(decimal.Decimal(r), "f")
    return r


def signed(text):
    return text if text.startswith(("-", "+")) else "+" + text


def rcv_words(c, lognormal, fmt):
    """The RCV limits of a change in words, as the page writes them (fmt: how a number is shown); None without."""
    lo, hi, sym = c["rcv_lower_pct"], c["rcv_upper_pct"], c["rcv_symmetric_pct"]
    log = f"{fmt(lo)} % / {signed(fmt(hi))} %" if lo is not None and hi is not None else None
    sy = f"\u00b1{fmt(sym)} %" if sym is not None else None
    first, other, name, other_name = (log, sy, "log-normal", "symmetric") if lognormal else (sy, log, "symmetric", "log-normal")
    if first is None:
        return None if other is None else f"no {name + ' limits' if lognormal else name + ' limit'} ({other_name} {other})"
    return first if other is None else f"{first} ({other_name} {other})"


def baseline_change(m):
    """The change the card's RCV band uses: from the marker's first value, to the last timepoint if listed."""
    if not m["values"]:
        return None, None
    order = {t: i for i, t in enumerate(BM_TIMEPOINTS)}
    base = min(m["values"], key=lambda v: order[v["timepoint"]])
    cands = [c for c in m["changes"] if c["from"] == base["timepoint"]]
    btl = [c for c in cands if c["kind"] == "baseline_to_last"]
    return base, (btl or cands or [None])[0]


def expect_band(m, lognormal):
    base, c = baseline_change(m)
    if c is None or base["censored"] is not None:
        return False
    return (c["rcv_lower_pct"] is not None and c["rcv_upper_pct"] is not None) if lognormal else c["rcv_symmetric_pct"] is not None


def shown_changes(m):
    """The card's change rows: a pair listed both as consecutive and as baseline to last is one row."""
    rows, used = [], set()
    for i, c in enumerate(m["changes"]):
        if i in used:
            continue
        kind = "consecutive" if c["kind"] == "consecutive" else "baseline to last"
        for j in range(i + 1, len(m["changes"])):
            d = m["changes"][j]
            if j not in used and d["kind"] != c["kind"] and {k: v for k, v in d.items() if k != "kind"} == {k: v for k, v in c.items() if k != "kind"}:
                used.add(j)
                kind = "consecutive; baseline to last"
                break
        rows.append((c, kind))
    return rows


BM_TIMEPOINTS = []


def safe_page(b, title=None):
    """What every page must hold whatever its input: 2 scripts, no event attribute, no img/iframe/object, only the
    report's own svg kinds, links only to the page itself, PubMed or doi.org; the title when given."""
    doc = b.root
    if title is not None and doc.find("title").text() != title:
        fail(f"the document title is {doc.find('title').text()!r}, not {title!r}: a payload ran?")
    n_scripts = len(list(doc.find_all("script")))
    if n_scripts != 2:
        fail(f"{n_scripts} script elements (2 expected)")
    for tag, attr in b.all_attrs:
        if attr.lower().startswith("on"):
            fail(f"an event attribute {attr} on <{tag}>")
    if doc.find("img") is not None or doc.find("iframe") is not None or doc.find("object") is not None:
        fail("an img, iframe or object element")
    for svg in doc.find_all("svg"):
        if "data-metric" not in svg.attrs and not ({"bm-plot", "bm-scatter"} & set(svg.attrs.get("class", "").split())):
            fail("an svg element that is none of the report's plots")
    for a in doc.find_all("a"):
        h = a.attrs.get("href", "")
        if not (h.startswith("#") or re.fullmatch(r"https://pubmed\.ncbi\.nlm\.nih\.gov/\d+/", h) or
                re.fullmatch(r"https://doi\.org/10\.\d{4,9}/[-._;()/:A-Za-z0-9]+", h)):
            fail(f"a link to {h!r}")


def cells(tr):
    return [td.text() for td in tr.find_all("td")]


def biomarker_section(doc, run):
    bm = run["biomarkers"]
    lognormal = bm["rcv"]["verdict_limits"] == "lognormal"
    sec = doc.find("section", id="biomarkers")
    if sec is None:
        fail("no section #biomarkers")
    if doc.find("a", href="#biomarkers") is None:
        fail("no Biomarkers link in the navigation")
    use = sec.find("p", cls="bm-use")
    if use is None or bm["research_use"] not in use.text() or "Research use only." not in use.text():
        fail("the section lacks its research-use line")
    if "never folded into it" not in sec.find("p", cls="bm-beside").text():
        fail("the section does not say the biomarkers are never folded into the genetic index")
    facts = {tr.find("th").text(): tr.find("td").text() for tr in sec.find("table", id="hc-bm-input").find_all("tr")}
    for k, v in (("Biomarker file", bm["file"]), ("SHA-256", bm["sha256"]), ("Rows read", bm["n_rows"])):
        if facts.get(k) != v:
            fail(f"{k}: the page shows {facts.get(k)!r}, the JSON {v!r}")
    if not facts.get("Samples with biomarkers", "").startswith(f"{len(bm['samples'])}: "):
        fail(f"samples with biomarkers: {facts.get('Samples with biomarkers')!r}")

    # The cohort table: per marker and specimen, in order of first appearance.
    groups = {}
    for s in bm["samples"]:
        for m in s["markers"]:
            g = groups.setdefault((m["marker"], m["specimen"]), {"unit": m["unit"], "known": m["known"], "n": 0, "c": 0, "improved": 0,
                                                                 "worsened": 0, "undirected": 0, "within": 0, "no-rcv": 0,
                                                                 "not-computable": 0, "rcv": [], "cvi": False, "cites": []})
            g["n"] += bool(m["values"])
            c = next((c for c in m["changes"] if c["kind"] == "baseline_to_last"), None)
            if c is None:
                continue
            g["c"] += 1
            if c["direction"] in ("improved", "worsened"):
                g[c["direction"]] += 1
            elif c["verdict"] in ("decrease", "increase"):
                g["undirected"] += 1
            key = {"within_variation": "within", "no_rcv": "no-rcv", "not_computable": "not-computable"}.get(c["verdict"])
            if key:
                g[key] += 1
            w = rcv_words(c, lognormal, str)
            if w is not None:
                g["rcv"].append(w)
            g["cvi"] = g["cvi"] or c["cv_within_pct"] is not None
    table = sec.find("table", id="hc-bm-changes")
    trs = list(table.find("tbody").find_all("tr")) if table else []
    if [(tr.attrs.get("data-marker"), tr.attrs.get("data-specimen")) for tr in trs] != [(k[0], k[1] or "") for k in groups]:
        fail(f"the changes table's rows are {[(tr.attrs.get('data-marker'), tr.attrs.get('data-specimen')) for tr in trs]}, "
             f"the JSON's markers {list(groups)}")
    n_cells = 0
    for tr, (key, g) in zip(trs, groups.items()):
        want = {"n-samples": g["n"], "n-changes": g["c"], "improved": g["improved"], "worsened": g["worsened"],
                "undirected": g["undirected"], "within": g["within"], "no-rcv": g["no-rcv"], "not-computable": g["not-computable"]}
        for cls, n in want.items():
            got = tr.find("td", cls=cls).text()
            if got != str(n):
                fail(f"{key}: {cls} is {got} in the page, {n} from the JSON")
            n_cells += 1
        distinct = list(dict.fromkeys(g["rcv"]))  # the first 6 distinct limits, with counts when several, then how many more
        rcv = "; ".join(w + (f" ({g['rcv'].count(w)})" if len(distinct) > 1 else "") for w in distinct[:6]) or "no RCV available"
        if len(distinct) > 6:
            rcv += f"; {len(distinct) - 6} more"
        if tr.find("td", cls="rcv").text() != rcv:
            fail(f"{key}: RCV limits {tr.find('td', cls='rcv').text()!r}, from the JSON {rcv!r}")
        if tr.find("td", cls="marker").text().split(" unknown marker")[0] != key[0] or ("unknown marker" in tr.text()) == g["known"]:
            fail(f"{key}: the marker cell is {tr.find('td', cls='marker').text()!r}")
        cite = tr.find("td", cls="cite").text()
        for v in bm["reference"]["biological_variation"]:
            if g["cvi"] and v["marker"] == key[0] and v["citation"] not in cite:
                fail(f"{key}: the CV source {v['citation']!r} is not shown")
    # Per timepoint.
    tp_rows = list(sec.find("table", id="hc-bm-timepoints").find("tbody").find_all("tr"))
    if [tr.find("td", cls="timepoint").text() for tr in tp_rows] != bm["timepoints"]:
        fail("the timepoint table does not list the JSON's timepoints in order")
    for tr, t in zip(tp_rows, bm["timepoints"]):
        xs = [x for s in bm["samples"] for x in s["summary"]["by_timepoint"] if x["timepoint"] == t]
        want = {"measured": sum(int(x["n_pro_inflammatory_measured"]) > 0 for x in xs),
                "ranged": sum(int(x["n_pro_inflammatory_with_range"]) > 0 for x in xs),
                "above": sum(int(x["n_pro_inflammatory_above_range"]) > 0 for x in xs),
                "n-above": sum(int(x["n_pro_inflammatory_above_range"]) for x in xs),
                "n-ranged": sum(int(x["n_pro_inflammatory_with_range"]) for x in xs)}
        for cls, n in want.items():
            if tr.find("td", cls=cls).text() != str(n):
                fail(f"timepoint {t!r}: {cls} is {tr.find('td', cls=cls).text()} in the page, {n} from the JSON")
    # Unknown markers and unmatched samples, with counts.
    um = bm["unknown_markers"]
    if not sec.find("p", id="hc-bm-unknown-count").text().startswith(f"{len(um)} unknown marker"):
        fail("the unknown-marker count differs from the JSON's")
    got = [cells(tr) for tr in sec.find("table", id="hc-bm-unknown").find("tbody").find_all("tr")] if um else []
    if got != [[u["name"], str(u["n_rows"])] for u in um]:
        fail(f"unknown markers: the page lists {got}, the JSON {um}")
    for key, id_ in (("samples_without_genotypes", "hc-bm-nogeno"), ("genotyped_without_biomarkers", "hc-bm-nobm")):
        names = bm[key]
        if not sec.find("p", id=id_ + "-count").text().startswith(f"{len(names)} "):
            fail(f"{key}: the count differs from the JSON's {len(names)}")
        shown = [li.text() for li in sec.find("ul", id=id_).find_all("li")]
        if shown != names[:500]:
            fail(f"{key}: the page lists {shown[:5]}..., the JSON {names[:5]}...")
    # The genetic CRP score beside baseline CRP.
    crp = bm["crp_genetic"]
    box = sec.find("div", id="hc-bm-crp")
    if crp is None:
        if box is not None:
            fail("a CRP scatter without crp_genetic in the JSON")
    else:
        if box is None:
            fail("no genetic CRP block")
        for cls, v in (("crp-n", crp["n"]), ("crp-r", crp["pearson_r"]), ("crp-rho", crp["spearman_rho"])):
            if box.find("b", cls=cls).text() != ("NA" if v is None else v):
                fail(f"{cls}: the page shows {box.find('b', cls=cls).text()!r}, the JSON {v!r}")
        if crp["label"] not in box.text() or "not a validation" not in box.text():
            fail("the genetic CRP block lacks its label")
        svg = box.find("svg", cls="bm-scatter")
        pts = [p for p in crp["pairs"] if p["score"] is not None and p["baseline_crp"] is not None]
        circles = list(svg.find_all("circle"))
        if len(circles) != len(pts):
            fail(f"the scatter has {len(circles)} points, the JSON {len(pts)} pairs with both values")
        if sum("censored" in c.attrs.get("class", "") for c in circles) != sum(p["censored"] is not None for p in pts):
            fail("the scatter's censored points differ from the JSON's")
        for c, p in zip(circles, pts):
            if not c.find("title").text().startswith(p["sample"] + ": score " + p["score"]):
                fail(f"a scatter point is titled {c.find('title').text()!r}, the JSON pair is {p['sample']!r}")
    # The reference facts, each with its citation.
    ref = bm["reference"]
    for id_, key, cite in (("hc-bm-ref-markers", "markers", "role_source"), ("hc-bm-ref-variation", "biological_variation", "citation"),
                           ("hc-bm-ref-categories", "categories", "citation")):
        trs = list(sec.find("table", id=id_).find("tbody").find_all("tr"))
        if len(trs) != len(ref[key]):
            fail(f"{id_}: {len(trs)} rows for the JSON's {len(ref[key])}")
        for tr, x in zip(trs, ref[key]):
            if cells(tr)[0] != x["marker"] or x[cite] not in tr.text():
                fail(f"{id_}: the row {cells(tr)[:2]} lacks the JSON's marker or citation")
    if [li.text() for li in sec.find("ul", id="hc-bm-caveats").find_all("li")] != ref["caveats"]:
        fail("the caveats differ from the JSON's")
    return n_cells, len(groups)


def biomarker_card(doc, run, sample):
    bm = run["biomarkers"]
    lognormal = bm["rcv"]["verdict_limits"] == "lognormal"
    c = doc.find("div", id="hc-card")
    if c is None or "hidden" in c.attrs or c.find("span", cls="name") is None or c.find("span", cls="name").text() != sample:
        fail(f"the card of {sample!r} is not open")
    box = c.find("div", cls="beside")
    if box is None or box.find("div", cls="genetic") is None or box.find("div", cls="inflammatory") is None:
        fail("the card has no genetic index and inflammatory summary side by side")
    s = next((s for s in bm["samples"] if s["sample"] == sample), None)
    genotyped = sample in [x["sample"] for x in run["samples"]]
    if genotyped != (box.find("div", cls="genetic").find("table", cls="glance") is not None):
        fail("the genetic side does not match whether the sample has genotypes")
    if s is None:
        if "No biomarker rows" not in box.text() or c.find("svg", cls="bm-plot") is not None:
            fail("a sample without biomarker rows: the card should say so and draw no plot")
        return "no biomarker rows"
    summary = {tr.find("th").text(): tr.find("td").text() for tr in box.find("table", cls="bm-summary").find_all("tr")}
    for x in s["summary"]["by_timepoint"]:
        want = (f"{x['n_pro_inflammatory_above_range']} of {x['n_pro_inflammatory_with_range']} with a lab range above it "
                f"({x['n_pro_inflammatory_measured']} measured)")
        if summary.get("Pro-inflammatory at " + x["timepoint"]) != want:
            fail(f"summary at {x['timepoint']!r}: {summary.get('Pro-inflammatory at ' + x['timepoint'])!r}, the JSON {want!r}")
    b = s["summary"]["baseline_to_last"]
    want = (f"improved {b['n_improved']}, worsened {b['n_worsened']}, within variation {b['n_within_variation']}, "
            f"no RCV {b['n_no_rcv']}, not computable {b['n_not_computable']}")
    if summary.get("Baseline to last") != want:
        fail(f"summary baseline to last: {summary.get('Baseline to last')!r}, the JSON {want!r}")
    blocks = list(c.find("div", id="hc-bm-card").find_all("div", cls="bm-marker"))
    if [(x.attrs.get("data-marker"), x.attrs.get("data-specimen")) for x in blocks] != [(m["marker"], m["specimen"] or "") for m in s["markers"]]:
        fail("the card's marker blocks differ from the JSON's markers")
    order = {t: i for i, t in enumerate(bm["timepoints"])}
    n_band = n_cens = 0
    for blk, m in zip(blocks, s["markers"]):
        name = f"{sample}/{m['marker']}/{m['specimen']}"
        svgs = list(blk.find_all("svg"))
        if len(svgs) != 1 or "bm-plot" not in svgs[0].attrs.get("class", ""):
            fail(f"{name}: {len(svgs)} svg elements, one plot expected")
        svg = svgs[0]
        bands = list(svg.find_all("rect", cls="rcv-band"))
        band = expect_band(m, lognormal)
        if len(bands) != band:
            fail(f"{name}: {len(bands)} RCV band(s), {'one' if band else 'none'} expected from the JSON")
        n_band += band
        base, ch = baseline_change(m)
        if not band and ch is not None and base["censored"] is None and "no RCV available" not in blk.text():
            fail(f"{name}: no band and no 'no RCV available'")
        values = sorted(m["values"], key=lambda v: order[v["timepoint"]])
        pts = list(svg.find_all("circle", cls="pt"))
        if len(pts) != len(values):
            fail(f"{name}: {len(pts)} points for {len(values)} values")
        for p, v in zip(pts, values):
            cens = "censored" in p.attrs.get("class", "").split()
            if cens != (v["censored"] is not None) or (cens and p.attrs.get("data-censored") != v["censored"]):
                fail(f"{name} at {v['timepoint']!r}: the point's censoring differs from the JSON's ({v['censored']!r})")
            n_cens += cens
        if len(list(svg.find_all("path", cls="cens-arrow"))) != sum(v["censored"] is not None for v in values):
            fail(f"{name}: censored points without their arrow")
        vrows = list(blk.find("table", cls="bm-values").find("tbody").find_all("tr"))
        for tr, v in zip(vrows, values):
            got = {k: tr.find("td", cls=k).text() for k in ("tp", "value", "written", "ref-flag", "category", "range")}
            want = {"tp": v["timepoint"], "value": v["text"], "written": v["as_written"]["value"] + " " + (v["as_written"]["unit"] or "."),
                    "ref-flag": v["ref_flag"] or ".", "category": v["category"] or ".",
                    "range": "." if v["ref_low"] is None and v["ref_high"] is None else
                    f"{'.' if v['ref_low'] is None else js_str(v['ref_low'])} to {'.' if v['ref_high'] is None else js_str(v['ref_high'])}"}
            if got != want:
                fail(f"{name}: the value row {got} differs from the JSON's {want}")
            for k, x in (("date", v["date"]), ("assay", v["assay"]), ("lab", v["lab"])):
                if tr.find("span", cls=k).text() != (x or "."):
                    fail(f"{name}: {k} {tr.find('span', cls=k).text()!r}, the JSON {x!r}")
        if len(vrows) != len(values):
            fail(f"{name}: {len(vrows)} value rows for {len(values)} values")
        changes = shown_changes(m)
        table = blk.find("table", cls="bm-changes")
        crows = list(table.find("tbody").find_all("tr")) if table else []
        if len(crows) != len(changes):
            fail(f"{name}: {len(crows)} change rows, {len(changes)} from the JSON")
        for tr, (ch, kind) in zip(crows, changes):
            got = {k: tr.find("td", cls=k).text() for k in ("pair", "kind", "abs", "pct", "rcv", "verdict", "direction", "sentence")}
            want = {"pair": f"{ch['from']} \u2192 {ch['to']}", "kind": kind,
                    "abs": "." if ch["abs_change"] is None else js_str(ch["abs_change"]),
                    "pct": "." if ch["pct_change"] is None else js_str(ch["pct_change"]),
                    "rcv": rcv_words(ch, lognormal, js_str) or "no RCV available",
                    "verdict": ch["verdict"], "direction": ch["direction"] or ".", "sentence": ch["text"]}
            if got != want:
                fail(f"{name}: the change row {got} differs from the JSON's {want}")
    return f"{len(blocks)} marker plots, {n_band} RCV bands, {n_cens} censored points"


def biomarkers(dom, run_json, sample=None, title=None):
    global BM_TIMEPOINTS
    b = parse(dom)
    safe_page(b, title)
    run = load_run(run_json)
    if "biomarkers" not in run:
        if b.root.find("section", id="biomarkers") is not None:
            fail("a Biomarkers section without biomarkers in the JSON")
        print("ok   biomarkers: none in the JSON, none on the page")
        return
    BM_TIMEPOINTS = run["biomarkers"]["timepoints"]
    n_cells, n_groups = biomarker_section(b.root, run)
    msg = f"ok   biomarkers: the section's {n_groups} marker rows ({n_cells} counts), timepoints, unmatched samples, " \
          f"CRP check and reference facts equal the JSON's"
    if sample is not None:
        msg += f"; card {sample}: " + biomarker_card(b.root, run, sample)
    print(msg)


if __name__ == "__main__":
    a = sys.argv[1:]
    if not a:
        sys.exit(__doc__)
    cmd = a[0]
    if cmd == "structure" and len(a) == 2:
        structure(a[1])
    elif cmd == "samples" and len(a) == 3:
        samples(a[1], a[2])
    elif cmd == "card" and len(a) == 5:
        card(a[1], a[2], a[3], a[4])
    elif cmd == "panels" and len(a) == 4:
        panels(a[1], a[2], a[3])
    elif cmd == "ledger" and len(a) == 3:
        ledger(a[1], a[2])
    elif cmd == "grouped" and len(a) == 5:
        grouped(a[1], a[2], a[3], a[4])
    elif cmd == "one" and len(a) == 3:
        one(a[1], a[2])
    elif cmd == "hostile" and len(a) in (4, 5):
        hostile(*a[1:])
    elif cmd == "biomarkers" and len(a) >= 3:
        opts = a[3:]
        title = None
        if "--title" in opts:
            i = opts.index("--title")
            title = opts[i + 1]
            opts = opts[:i] + opts[i + 2:]
        if len(opts) > 1:
            sys.exit(__doc__)
        biomarkers(a[1], a[2], opts[0] if opts else None, title)
    else:
        sys.exit(__doc__)
