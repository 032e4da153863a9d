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
                                                         svg a histogram, links only to PubMed/doi.org, title TITLE;
                                                         with K, the card of the K-th name is open
"""
import html.parser
import json
import re
import subprocess
import sys

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
    with open(run_json, encoding="utf-8") as f:
        run = json.load(f)
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
        if "data-metric" not in svg.attrs:
            fail("an svg element that is not one of the report's histograms")
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
    else:
        sys.exit(__doc__)
