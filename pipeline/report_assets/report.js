// The report's one script: the samples table (sort, find, pages) and the sample cards, drawn on demand from
// the data block, with the biomarker summary and plots beside the genetic index when the run has biomarkers.
// Values from the data are inserted only as text nodes or safe attributes; links only to PubMed and doi.org,
// and only when their address has the expected form.
(function () {
  "use strict";
  var dataEl = document.getElementById("hc-data");
  if (!dataEl) return;
  var D = JSON.parse(dataEl.textContent);
  var S = D.s;
  var N = D.n;
  var P = D.panels;  // the run's panels, in --panel order
  var SP = S.p;      // per panel: the samples' numbers
  // A panel's columns in the samples table, and the samples.tsv column each equals (after the panel's prefix).
  var TSV = { ws: "weighted_sum", hci: "healing_capacity_index", compl: "completeness", z: "z_score" };
  function columnsOf(j) { return P[j].score ? ["ws", "hci", "compl", "z", "obs"] : ["hci", "compl", "z", "obs"]; }
  var PAGE = 50;
  var SVGNS = "http://www.w3.org/2000/svg";
  var ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var DIGIT = {};
  for (var a = 0; a < ALPHABET.length; a++) DIGIT[ALPHABET.charAt(a)] = a;

  // Millionths (integers) to the 6-decimal text of samples.tsv; null is NA.
  function fmt6(m) {
    if (m === null || m === undefined) return "NA";
    var neg = m < 0, v = Math.abs(m);
    var frac = String(v % 1000000);
    while (frac.length < 6) frac = "0" + frac;
    return (neg ? "-" : "") + Math.floor(v / 1000000) + "." + frac;
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); }
  function sampleHref(k) { return "#sample=" + encodeURIComponent(S.name[k]); }
  function tooLittle(j, k) { return SP[j].hci[k] === null || SP[j].compl[k] === null || SP[j].compl[k] < D.low; }
  function observed(j, k) {
    var n = 0;
    for (var c = 0; c < D.codes.length; c++) if (D.observed.indexOf(D.codes.charAt(c)) >= 0) n += SP[j].st[k][c];
    return n;
  }
  // The panel's name after a flag, when the run has several.
  function which(j) { return D.several ? " (" + P[j].id + ")" : ""; }

  // --- the samples table -------------------------------------------------------------------------------
  var table = document.getElementById("hc-samples");
  var order = [], view = [], page = 0, sortKey = null, sortDir = 1;
  for (var k = 0; k < N; k++) order.push(k);

  // key: "name", or "PANEL.METRIC" (e.g. "0.hci").
  function compare(key) {
    var dot = key.indexOf("."), col = key === "name" ? S.name : SP[Number(key.slice(0, dot))][key.slice(dot + 1)];
    return function (x, y) {
      var a = col[x], b = col[y];
      if (a === null && b === null) return x - y;
      if (a === null) return 1;  // NA last, whichever the direction
      if (b === null) return -1;
      if (a < b) return -sortDir;
      if (a > b) return sortDir;
      return x - y;
    };
  }
  function applyView() {
    var find = document.getElementById("hc-find");
    var q = find ? find.value.toLowerCase() : "";
    var rows = order.slice();
    if (sortKey) rows.sort(compare(sortKey));
    view = q ? rows.filter(function (k) { return S.name[k].toLowerCase().indexOf(q) >= 0; }) : rows;
    var pages = Math.max(1, Math.ceil(view.length / PAGE));
    if (page >= pages) page = pages - 1;
    drawPage();
  }
  function drawPage() {
    var body = table.tBodies[0];
    clear(body);
    var pages = Math.max(1, Math.ceil(view.length / PAGE));
    var from = page * PAGE, to = Math.min(view.length, from + PAGE);
    for (var i = from; i < to; i++) {
      var k = view[i];
      var tr = el("tr");
      tr.setAttribute("data-k", String(k));
      tr.appendChild(el("td", "num", k + 1));
      var name = el("td", "name");
      var link = el("a", null, S.name[k]);
      link.setAttribute("href", sampleHref(k));
      name.appendChild(link);
      tr.appendChild(name);
      var flag = el("td", "data");
      for (var j = 0; j < P.length; j++) {
        columnsOf(j).forEach(function (c) {
          var td = el("td", "num " + c, c === "obs" ? observed(j, k) + " of " + SP[j].rows[k] : fmt6(SP[j][c][k]));
          if (c !== "obs") td.setAttribute("data-col", P[j].prefix + TSV[c]);
          tr.appendChild(td);
        });
        if (tooLittle(j, k)) flag.appendChild(el("span", "flag", "too little data" + which(j)));
        if (SP[j].below && SP[j].below[k]) flag.appendChild(el("span", "flag", "below --min-completeness" + which(j)));
      }
      tr.appendChild(flag);
      body.appendChild(tr);
    }
    var info = document.getElementById("hc-page");
    info.textContent = view.length === 0 ? "no sample matches" :
      "samples " + (from + 1) + "\u2013" + to + " of " + view.length + " (page " + (page + 1) + " of " + pages + ")";
    document.getElementById("hc-prev").disabled = page === 0;
    document.getElementById("hc-next").disabled = page + 1 >= pages;
  }
  if (table) {
    var heads = table.querySelectorAll("th[data-sort]");
    Array.prototype.forEach.call(heads, function (th) {
      th.querySelector("button").addEventListener("click", function () {
        var key = th.getAttribute("data-sort");
        if (sortKey === key) sortDir = -sortDir;
        else { sortKey = key; sortDir = 1; }
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", sortDir > 0 ? "ascending" : "descending");
        page = 0;
        applyView();
      });
    });
    document.getElementById("hc-prev").addEventListener("click", function () { if (page > 0) { page--; drawPage(); } });
    document.getElementById("hc-next").addEventListener("click", function () { page++; drawPage(); });
    document.getElementById("hc-find").addEventListener("input", function () { page = 0; applyView(); });
    applyView();
  }

  // --- histograms: the sample placed on each ---------------------------------------------------------------
  function groupPos(j, id) {
    for (var g = 0; g < P[j].groups.length; g++) if (P[j].groups[g].id === id) return g;
    return -1;
  }
  function valueFor(svg, k) {
    var j = Number(svg.getAttribute("data-panel-index") || 0);
    var metric = svg.getAttribute("data-metric"), group = svg.getAttribute("data-group");
    if (!SP[j]) return null;
    if (group === "all") return SP[j][metric] ? SP[j][metric][k] : null;
    var g = groupPos(j, group);
    if (g < 0) return null;
    return metric === "hci" ? SP[j].ghci[g][k] : SP[j].gcompl[g][k];
  }
  function mark(svg, k) {
    Array.prototype.forEach.call(svg.querySelectorAll(".marker, .marker-label"), function (m) { m.parentNode.removeChild(m); });
    if (k === null) return;
    var v = valueFor(svg, k);
    if (v === null) return;
    var x0 = Number(svg.getAttribute("data-x0")), w = Number(svg.getAttribute("data-w"));
    var y0 = Number(svg.getAttribute("data-y0")), h = Number(svg.getAttribute("data-h"));
    // The x range: [0, 1] unless the histogram says (a score's, in millionths).
    var lo = svg.hasAttribute("data-lo") ? Number(svg.getAttribute("data-lo")) : 0;
    var hi = svg.hasAttribute("data-hi") ? Number(svg.getAttribute("data-hi")) : 1000000;
    var x = x0 + w * Math.min(1, Math.max(0, (v - lo) / (hi - lo)));
    var line = document.createElementNS(SVGNS, "line");
    line.setAttribute("class", "marker");
    line.setAttribute("x1", x.toFixed(1));
    line.setAttribute("x2", x.toFixed(1));
    line.setAttribute("y1", String(y0 - 4));
    line.setAttribute("y2", String(y0 + h));
    svg.appendChild(line);
  }

  // --- the sample card -------------------------------------------------------------------------------------
  function safeHref(h) {
    return /^https:\/\/pubmed\.ncbi\.nlm\.nih\.gov\/[0-9]{1,9}\/$/.test(h) ||
      /^https:\/\/doi\.org\/10\.[0-9]{4,9}\/[-._;()\/:A-Za-z0-9]+$/.test(h);
  }
  function citation(pieces) {
    var td = el("td", "cite");
    for (var i = 0; i < pieces.length; i++) {
      var p = pieces[i];
      if (p.length > 1 && safeHref(p[1])) {
        var link = el("a", null, p[0]);
        link.setAttribute("href", p[1]);
        link.setAttribute("rel", "noopener noreferrer");
        td.appendChild(link);
      } else {
        td.appendChild(document.createTextNode(p[0]));
      }
    }
    return td;
  }
  function stateName(code) {
    var j = D.codes.indexOf(code);
    return j >= 0 ? D.states[j] : code;
  }
  function callAt(site, k) {  // [genotype, state, dosage] of sample k at a site
    if (site.t) {
      var w = site.k, idx = 0;
      for (var c = 0; c < w; c++) idx = idx * 64 + DIGIT[site.c.charAt(k * w + c)];
      var t = site.t[idx];
      return [t[0], stateName(t[1]), t[2] === null ? "NA" : t[2]];
    }
    if (site.u === undefined) return [".", "not in the report (see PREFIX.json)", "."];
    return [".", site.u === null ? "not recorded per sample" : site.u, "."];
  }
  function kv(dl, label, value) {
    var tr = el("tr");
    tr.appendChild(el("th", null, label));
    var td = el("td");
    if (typeof value === "string") td.textContent = value;
    else td.appendChild(value);
    tr.appendChild(td);
    dl.appendChild(tr);
  }
  function cell(tr, text, cls) { var td = el("td", cls, text); tr.appendChild(td); return td; }

  var METRIC = { hci: "Index", compl: "Completeness", ws: "Score" };

  // A panel's scores for sample k, in a table of label and value.
  function summary(j, k) {
    var sp = SP[j];
    var sum = el("table", "kv summary");
    sum.setAttribute("data-panel", P[j].id);
    // The z-score, or why it is NA (the JSON's z_note; older runs have none).
    var note = sp.zt ? sp.zt[k] : "";
    var z = sp.z[k] !== null ? fmt6(sp.z[k]) : "NA (" + (note ? note.replace(/^NA: /, "") : "no z-score for this sample") + ")";
    if (P[j].score) {
      kv(sum, "Polygenic score (weighted sum)", fmt6(sp.ws[k]));
      kv(sum, "Completeness", fmt6(sp.compl[k]));
      kv(sum, "Index (a rescaling of the score, not a healing measure)", fmt6(sp.hci[k]));
      kv(sum, "z-score", z);
    } else {
      kv(sum, "Healing-capacity index", fmt6(sp.hci[k]));
      kv(sum, "Completeness", fmt6(sp.compl[k]));
      kv(sum, "z-score", z);
    }
    if (sp.zn && sp.zn[k] >= 0)
      kv(sum, "z-score rests on", sp.zn[k] + " observed scored rows with a " + (D.eafpop || "panel") +
         " effect-allele frequency" + (sp.zw[k] === null ? "" : ", " + fmt6(sp.zw[k]) + " of the observed |weight|"));
    kv(sum, "Scored rows observed", observed(j, k) + " of " + sp.rows[k]);
    var states = [];
    for (var c = 0; c < D.codes.length; c++) if (sp.st[k][c] > 0) states.push(D.states[c] + " " + sp.st[k][c]);
    kv(sum, "Call states (scored rows)", states.join(", ") || "none");
    if (tooLittle(j, k)) kv(sum, "Data", "too little data: read the " + (P[j].score ? "score" : "index") + " with care");
    if (sp.below) kv(sum, "Below --min-completeness", sp.below[k] ? "yes" : "no");
    return sum;
  }

  // The panel's histograms with sample k marked.
  function hists(j, k) {
    var box = el("div", "hists");
    Array.prototype.forEach.call(document.querySelectorAll("#cohort .main-hists svg"), function (svg) {
      if (Number(svg.getAttribute("data-panel-index") || 0) !== j) return;
      var fig = el("figure", "hist");
      var copy = svg.cloneNode(true);
      mark(copy, k);
      fig.appendChild(copy);
      fig.appendChild(el("figcaption", null, (METRIC[svg.getAttribute("data-metric")] || "Value") +
        " of this sample (red line) in the cohort"));
      box.appendChild(fig);
    });
    return box;
  }

  function groups(j, k) {
    var gt = el("table", "data groups");
    var head = el("tr");
    ["group", "name", "index", "completeness", "scored rows"].forEach(function (t) { head.appendChild(el("th", null, t)); });
    var thead = el("thead");
    thead.appendChild(head);
    gt.appendChild(thead);
    var gb = el("tbody");
    for (var g = 0; g < P[j].groups.length; g++) {
      var tr = el("tr");
      cell(tr, P[j].groups[g].kind);
      cell(tr, P[j].groups[g].name);
      cell(tr, fmt6(SP[j].ghci[g][k]), "num");
      cell(tr, fmt6(SP[j].gcompl[g][k]), "num");
      cell(tr, SP[j].grows[g][k], "num");
      gb.appendChild(tr);
    }
    gt.appendChild(gb);
    return gt;
  }

  // The panel's rows with sample k's calls: a panel TSV's with gene, trait, grade and citation; a score's with
  // both alleles (the score's citation is in its header, under Run).
  function variants(j, k, box) {
    var score = P[j].score;
    var label = el("label");
    var only = el("input");
    only.setAttribute("type", "checkbox");
    label.appendChild(only);
    label.appendChild(document.createTextNode(" only scored rows"));
    box.appendChild(label);
    var wrap = el("div", "scroll");
    var vt = el("table", "data variants");
    vt.id = j === 0 ? "hc-variants" : "hc-variants-" + j;
    vt.setAttribute("data-panel", P[j].id);
    var vh = el("tr");
    (score ? ["row", "rsID", "genotype", "effect allele", "other allele", "dosage", "call state", "scored", "weight", "model"]
      : ["gene", "rsID", "trait", "genotype", "effect allele", "dosage", "call state", "scored", "weight", "model", "grade",
        "citation"]).forEach(function (t) { vh.appendChild(el("th", null, t)); });
    var vthead = el("thead");
    vthead.appendChild(vh);
    vt.appendChild(vthead);
    var vb = el("tbody");
    for (var i = 0; i < D.sites.length; i++) {
      var s = D.sites[i];
      if ((s.p || 0) !== j) continue;
      var call = callAt(s, k);
      var row = el("tr");
      row.setAttribute("data-id", s.id);
      if (s.scored) row.className = "scored";
      if (score) {
        cell(row, s.id, "mono");
      } else {
        cell(row, s.gene);
      }
      cell(row, s.rsid === null ? "." : s.rsid);
      if (!score) cell(row, s.trait);
      cell(row, call[0], "gt mono");
      cell(row, s.ea === null ? "." : s.ea, "mono");
      if (score) cell(row, s.oa === null || s.oa === undefined ? "." : s.oa, "mono oa");
      cell(row, call[2], "num dosage");
      cell(row, call[1], "state");
      cell(row, s.scored ? "yes" : "no");
      cell(row, s.w, "num weight");
      cell(row, s.model);
      if (!score) {
        cell(row, s.grade);
        row.appendChild(citation(s.ev));
      }
      vb.appendChild(row);
    }
    vt.appendChild(vb);
    wrap.appendChild(vt);
    box.appendChild(wrap);
    only.addEventListener("change", function () {
      Array.prototype.forEach.call(vb.rows, function (r) { r.hidden = only.checked && r.className !== "scored"; });
    });
  }

  // --- biomarkers (issue 12): beside the genetic index, never folded into it ---------------------------------
  // D.bm is absent when the run had no --biomarkers; its layout is described in report_biomarkers.cpp. Every
  // text from it goes into text nodes or setAttribute, the plots are built with createElementNS.
  var B = D.bm || null;
  var BM = new Map();  // sample name -> its index in B.smp
  if (B) for (var bi = 0; bi < B.smp.length; bi++) BM.set(B.smp[bi][0], bi);
  var CENSORED = [null, "<", ">"], FLAGS = [null, "low", "normal", "high"], CVA_FROM = [null, "row", "bundled"];
  var VERDICTS = ["decrease", "increase", "within_variation", "no_rcv", "not_computable"];
  var DIRECTIONS = [null, "improved", "worsened"];
  var KINDS = ["consecutive", "baseline to last", "consecutive; baseline to last"];

  function at(a, i) { return i < a.length && a[i] !== undefined ? a[i] : null; }
  function bstr(i) { return i === null ? null : B.str[i]; }
  function dotted(x) { return x === null || x === "" ? "." : String(x); }
  function plus(x) { var t = String(x); return (t.charAt(0) === "-" ? "" : "+") + t; }  // an upper limit with its sign
  function bmValue(v, unit) {
    var censored = CENSORED[at(v, 9) || 0], text = at(v, 10), wu = at(v, 12);
    if (text === null) text = (censored || "") + String(v[1]);
    return { tp: v[0], num: v[1], date: bstr(at(v, 2)), assay: bstr(at(v, 3)), lab: bstr(at(v, 4)), lo: at(v, 5), hi: at(v, 6),
      flag: FLAGS[at(v, 7) || 0], category: bstr(at(v, 8)), censored: censored, text: text,
      written: at(v, 11) === null ? text : v[11], writtenUnit: wu === null ? unit : typeof wu === "string" ? wu : B.str[wu],
      cva: at(v, 13) };
  }
  // A sentence from its template and numbers (0 / 1: the from / to value's text without its censoring sign).
  function sentence(s, from, to) {
    var pieces = B.tpl[s[0]], out = pieces[0];
    for (var i = 1; i < s.length; i++) out += (s[i] === 0 ? from : s[i] === 1 ? to : s[i]) + pieces[i];
    return out;
  }
  function bareText(values, tp) {
    for (var i = 0; i < values.length; i++) if (values[i].tp === tp) return values[i].text.replace(/^[<>]/, "");
    return "";
  }
  function bmChange(c, values) {
    var r = at(c, 7) === null ? [null, null, null, null, null, null] : B.rcv[c[7]];
    return { from: c[0], to: c[1], kind: c[2], verdict: VERDICTS[c[3]], text: sentence(c[4], bareText(values, c[0]), bareText(values, c[1])),
      abs: at(c, 5), pct: at(c, 6), cvi: r[0], cva: r[1], cvaFrom: CVA_FROM[r[2] || 0], sym: r[3], lo: r[4], hi: r[5],
      direction: DIRECTIONS[at(c, 8) || 0] };
  }
  function bmMarker(m) {
    var k = B.mk[m[0]], unit = bstr(k[3]);
    var values = m[1].map(function (v) { return bmValue(v, unit); }).sort(function (a, b) { return a.tp - b.tp; });
    return { marker: bstr(k[0]), known: k[1] === 1, specimen: bstr(k[2]), unit: unit, role: bstr(k[4]), values: values,
      changes: m[2].map(function (c) { return bmChange(c, values); }) };
  }
  // The RCV limits of a change in words, the verdict's first; null without an RCV.
  function rcvWords(c) {
    var log = c.lo !== null && c.hi !== null ? String(c.lo) + " % / " + plus(c.hi) + " %" : null;
    var sym = c.sym !== null ? "\u00b1" + String(c.sym) + " %" : null;
    if (B.limits === "lognormal") {
      if (log === null) return sym === null ? null : "no log-normal limits (symmetric " + sym + ")";
      return sym === null ? log : log + " (symmetric " + sym + ")";
    }
    if (sym === null) return log === null ? null : "no symmetric limit (log-normal " + log + ")";
    return log === null ? sym : sym + " (log-normal " + log + ")";
  }
  // The band is drawn around the baseline (the marker's first value) with the limits of its change to the last
  // timepoint (else its first change from the baseline): log-normal baseline x (1 + lower/100) to
  // baseline x (1 + upper/100), symmetric baseline x (1 -/+ rcv/100) clipped at 0. None when the baseline is
  // censored or the change has no RCV.
  function bandOf(m) {
    if (!m.values.length) return { why: "no value" };
    var base = m.values[0], best = null;
    m.changes.forEach(function (c) { if (c.from === base.tp && (best === null || (best.kind === 0 && c.kind !== 0))) best = c; });
    if (best === null) return { why: "one timepoint: no change to judge, no band" };
    if (base.censored) return { why: "no band: the baseline is censored (" + base.text + ")" };
    if (B.limits === "lognormal") {
      if (best.lo === null || best.hi === null) return { why: "no RCV available" };
      return { base: base, change: best, low: base.num * (1 + best.lo / 100), high: base.num * (1 + best.hi / 100) };
    }
    if (best.sym === null) return { why: "no RCV available" };
    return { base: base, change: best, low: Math.max(0, base.num * (1 - best.sym / 100)), high: base.num * (1 + best.sym / 100) };
  }

  function svgEl(tag, attrs, parent) {
    var e = document.createElementNS(SVGNS, tag);
    Object.keys(attrs).forEach(function (a) { e.setAttribute(a, String(attrs[a])); });
    if (parent) parent.appendChild(e);
    return e;
  }
  function svgText(parent, x, y, text, anchor, cls) {
    var t = svgEl("text", { x: x.toFixed(1), y: y.toFixed(1), "text-anchor": anchor }, parent);
    if (cls) t.setAttribute("class", cls);
    t.textContent = text;
    return t;
  }
  function svgTitle(parent, text) { svgEl("title", {}, parent).textContent = text; }
  function short(name, n) { return name.length > n ? name.slice(0, n - 1) + "\u2026" : name; }
  function tickText(x) { return String(Number(x.toPrecision(3))); }

  // One marker's values over the run's timepoints: the lab's interval lightly behind each value that has one,
  // the RCV band around the baseline, a line through the values, a censored value open at its bound with an
  // arrow toward where it lies.
  function bmPlot(m, band) {
    var W = 300, H = 172, X0 = 48, XW = 238, Y0 = 12, YH = 122;
    var svg = svgEl("svg", { "class": "bm-plot", viewBox: "0 0 " + W + " " + H, width: W, height: H, role: "img" });
    svg.setAttribute("data-marker", m.marker);
    svgTitle(svg, m.marker + (m.specimen ? " (" + m.specimen + ")" : "") + " over time, " + m.unit);
    var T = B.tp.length;
    function x(tp) { return T <= 1 ? X0 + XW / 2 : X0 + 14 + (XW - 28) * tp / (T - 1); }
    var top = 0;
    m.values.forEach(function (v) { top = Math.max(top, v.num, v.hi === null ? 0 : v.hi); });
    if (band.high !== undefined) top = Math.max(top, band.high);
    top = top > 0 ? top * 1.1 : 1;
    function y(v) { return Y0 + YH - YH * Math.max(0, Math.min(v, top)) / top; }
    var half = T <= 1 ? XW / 2 : (XW - 28) / (T - 1) / 2;
    m.values.forEach(function (v) {
      if (v.lo === null && v.hi === null) return;
      var lo = v.lo === null ? 0 : v.lo, hi = v.hi === null ? top : v.hi;
      var left = Math.max(X0, x(v.tp) - half), right = Math.min(X0 + XW, x(v.tp) + half);
      var r = svgEl("rect", { "class": "ref-range", x: left.toFixed(1), y: y(hi).toFixed(1), width: (right - left).toFixed(1),
        height: Math.max(0, y(lo) - y(hi)).toFixed(1) }, svg);
      svgTitle(r, "the lab's reference interval at " + B.tp[v.tp] + ": " + dotted(v.lo) + " to " + dotted(v.hi) + " " + m.unit);
    });
    if (band.high !== undefined) {
      var rect = svgEl("rect", { "class": "rcv-band", x: X0, y: y(band.high).toFixed(1), width: XW,
        height: Math.max(0, y(band.low) - y(band.high)).toFixed(1) }, svg);
      svgTitle(rect, "RCV band around the baseline " + band.base.text + " " + m.unit + ": " + rcvWords(band.change));
      svgEl("line", { "class": "baseline-line", x1: X0, x2: X0 + XW, y1: y(band.base.num).toFixed(1), y2: y(band.base.num).toFixed(1) }, svg);
    }
    var base = Y0 + YH;
    svgEl("line", { "class": "axis", x1: X0, y1: base, x2: X0 + XW, y2: base }, svg);
    svgEl("line", { "class": "axis", x1: X0, y1: Y0, x2: X0, y2: base }, svg);
    svgText(svg, X0 - 4, Y0 + 4, tickText(top), "end");
    svgText(svg, X0 - 4, base, "0", "end");
    var unit = svgText(svg, 0, 0, m.unit, "middle");
    unit.setAttribute("transform", "translate(12 " + (Y0 + YH / 2) + ") rotate(-90)");
    for (var t = 0; t < T; t++) svgText(svg, x(t), base + 14, short(B.tp[t], 14), "middle", "tp-label");
    for (var i = 1; i < m.values.length; i++) {
      var a = m.values[i - 1], b = m.values[i];
      svgEl("line", { "class": "bm-line" + (a.censored || b.censored ? " to-censored" : ""), x1: x(a.tp).toFixed(1),
        y1: y(a.num).toFixed(1), x2: x(b.tp).toFixed(1), y2: y(b.num).toFixed(1) }, svg);
    }
    m.values.forEach(function (v) {
      var cx = x(v.tp), cy = y(v.num);
      var pt = svgEl("circle", { "class": v.censored ? "pt censored" : "pt", cx: cx.toFixed(1), cy: cy.toFixed(1), r: 3.5 }, svg);
      svgTitle(pt, B.tp[v.tp] + ": " + v.text + " " + m.unit);
      if (!v.censored) return;
      pt.setAttribute("data-censored", v.censored);
      var d = v.censored === "<" ? 1 : -1;
      svgEl("path", { "class": "cens-arrow", d: "M" + cx.toFixed(1) + " " + (cy + 5 * d).toFixed(1) + "V" + (cy + 15 * d).toFixed(1) +
        "M" + (cx - 3).toFixed(1) + " " + (cy + 11 * d).toFixed(1) + "L" + cx.toFixed(1) + " " + (cy + 15 * d).toFixed(1) +
        "L" + (cx + 3).toFixed(1) + " " + (cy + 11 * d).toFixed(1) }, svg);
    });
    return svg;
  }

  function headRow(table, names) {
    var thead = el("thead"), tr = el("tr");
    names.forEach(function (t) { tr.appendChild(el("th", null, t)); });
    thead.appendChild(tr);
    table.appendChild(thead);
  }
  function bmValues(m) {
    var t = el("table", "data bm-values");
    headRow(t, ["timepoint", "value (" + m.unit + ")", "as written", "lab range", "flag", "category", "date \u00b7 assay \u00b7 lab (\u00b7 CVa)"]);
    var body = el("tbody");
    m.values.forEach(function (v) {
      var tr = el("tr");
      tr.setAttribute("data-tp", B.tp[v.tp]);
      cell(tr, B.tp[v.tp], "tp");
      cell(tr, v.text, "num value" + (v.censored ? " censored" : ""));
      cell(tr, v.written + " " + dotted(v.writtenUnit), "written");
      cell(tr, v.lo === null && v.hi === null ? "." : dotted(v.lo) + " to " + dotted(v.hi), "range");
      cell(tr, dotted(v.flag), "ref-flag" + (v.flag === "high" || v.flag === "low" ? " bad" : ""));
      cell(tr, dotted(v.category), "category");
      var src = cell(tr, null, "source");
      [["date", v.date], ["assay", v.assay], ["lab", v.lab], ["cva", v.cva === null ? null : "CVa " + v.cva + " %"]].forEach(function (x, i) {
        if (x[0] === "cva" && x[1] === null) return;  // the lab's own CVa, when the row gave one
        if (i) src.appendChild(document.createTextNode(" \u00b7 "));
        src.appendChild(el("span", x[0], dotted(x[1])));
      });
      body.appendChild(tr);
    });
    t.appendChild(body);
    return t;
  }
  function bmChanges(m) {
    var t = el("table", "data bm-changes");
    headRow(t, ["from \u2192 to", "kind", "change", "% change", "RCV limits", "CVs", "verdict", "direction", "in words"]);
    var body = el("tbody");
    m.changes.forEach(function (c) {
      var tr = el("tr");
      tr.setAttribute("data-from", B.tp[c.from]);
      tr.setAttribute("data-to", B.tp[c.to]);
      cell(tr, B.tp[c.from] + " \u2192 " + B.tp[c.to], "pair");
      cell(tr, KINDS[c.kind], "kind");
      cell(tr, dotted(c.abs), "num abs");
      cell(tr, dotted(c.pct), "num pct");
      cell(tr, rcvWords(c) || "no RCV available", "rcv");
      var cvs = [];
      if (c.cvi !== null) cvs.push("CVi " + c.cvi + " %");
      if (c.cva !== null) cvs.push("CVa " + c.cva + " %" + (c.cvaFrom ? " (" + c.cvaFrom + ")" : ""));
      cell(tr, cvs.join("; ") || ".", "cv");
      cell(tr, c.verdict, "verdict");
      cell(tr, dotted(c.direction), "direction" + (c.direction === "worsened" ? " bad" : ""));
      cell(tr, c.text, "sentence");
      body.appendChild(tr);
    });
    t.appendChild(body);
    return t;
  }

  // Sample b's pro-inflammatory markers above the lab's range per timepoint, and its baseline-to-last changes.
  function bmSummary(b) {
    var s = B.smp[b], t = el("table", "kv bm-summary"), bt = s[2], c = s[3];
    for (var i = 0; i + 3 < bt.length; i += 4)
      kv(t, "Pro-inflammatory at " + B.tp[bt[i]], bt[i + 3] + " of " + bt[i + 2] + " with a lab range above it (" + bt[i + 1] + " measured)");
    kv(t, "Baseline to last", "improved " + c[0] + ", worsened " + c[1] + ", within variation " + c[2] + ", no RCV " + c[3] +
      ", not computable " + c[4]);
    return t;
  }
  // The genetic index of sample k (each panel's), in brief: the panel blocks below hold the rest.
  function glance(k) {
    var t = el("table", "kv glance");
    for (var j = 0; j < P.length; j++) {
      var label = (D.several ? P[j].title + ": " : "") + (P[j].score ? "Polygenic score (weighted sum)" : "Healing-capacity index");
      kv(t, label, fmt6(P[j].score ? SP[j].ws[k] : SP[j].hci[k]) + " (completeness " + fmt6(SP[j].compl[k]) + ")");
    }
    return t;
  }
  // The two kinds of evidence side by side (k null: no genotypes; b undefined: no biomarker rows).
  function beside(k, b) {
    var row = el("div", "beside");
    var g = el("div", "side genetic");
    g.appendChild(el("h4", null, "Genetic index"));
    g.appendChild(k === null ? el("p", "note", "No genotypes: the sample is not in the run's VCF.") : glance(k));
    var m = el("div", "side inflammatory");
    m.appendChild(el("h4", null, "Inflammatory summary (biomarkers)"));
    m.appendChild(b === undefined ? el("p", "note", "No biomarker rows for this sample.") : bmSummary(b));
    row.appendChild(g);
    row.appendChild(m);
    var box = el("div", "beside-box");
    box.appendChild(row);
    box.appendChild(el("p", "note", "Side by side, never combined: the genetic index and the biomarkers are different " +
      "kinds of evidence, and no validated way to combine them exists."));
    return box;
  }
  function bmMarkers(b) {
    var box = el("div", "bm-card");
    box.id = "hc-bm-card";
    box.appendChild(el("h4", null, "Biomarkers over time"));
    B.smp[b][4].forEach(function (raw) {
      var m = bmMarker(raw), band = bandOf(m);
      var blk = el("div", "bm-marker");
      blk.setAttribute("data-marker", m.marker);
      blk.setAttribute("data-specimen", m.specimen === null ? "" : m.specimen);
      var h = el("h5", null, m.marker + (m.specimen ? " \u00b7 " + m.specimen : "") + " \u00b7 " + m.unit + " ");
      if (!m.known) h.appendChild(el("span", "flag", "unknown marker: kept as written, no reference facts"));
      else if (m.role) h.appendChild(el("span", "kind", m.role));
      blk.appendChild(h);
      // The plot with the values beside it, the changes below.
      var row = el("div", "bm-row");
      row.appendChild(bmPlot(m, band));
      var values = el("div", "bm-tables");
      if (band.why) values.appendChild(el("p", "note bm-why", band.why));
      values.appendChild(bmValues(m));
      row.appendChild(values);
      blk.appendChild(row);
      if (m.changes.length) {
        var wrap = el("div", "scroll");
        wrap.appendChild(bmChanges(m));
        blk.appendChild(wrap);
      }
      box.appendChild(blk);
    });
    return box;
  }
  // A sample with biomarkers but no genotypes: its card holds the biomarkers only.
  function drawBmCard(b) {
    var card = document.getElementById("hc-card");
    clear(card);
    card.hidden = false;
    if (N > 1) {
      var close = el("a", "close", "Close \u00d7");
      close.setAttribute("href", "#samples");
      card.appendChild(close);
    }
    var h = el("h3", null, "Sample ");
    h.appendChild(el("span", "name", B.smp[b][0]));
    card.appendChild(h);
    card.appendChild(beside(null, b));
    card.appendChild(bmMarkers(b));
  }

  function drawCard(k) {
    var card = document.getElementById("hc-card");
    clear(card);
    card.hidden = false;
    if (N > 1) {
      var close = el("a", "close", "Close \u00d7");
      close.setAttribute("href", "#samples");
      card.appendChild(close);
    }
    var h = el("h3", null, "Sample ");
    h.appendChild(el("span", "name", S.name[k]));
    card.appendChild(h);
    if (B) {
      var b = BM.get(S.name[k]);
      card.appendChild(beside(k, b));
      if (b !== undefined) card.appendChild(bmMarkers(b));
    }
    if (!D.gt) card.appendChild(el("p", "note", D.gtNote));
    // One block per panel; with one panel TSV, the card is that block without a heading.
    for (var j = 0; j < P.length; j++) {
      var headed = D.several || P[j].score;
      var box = card;
      if (headed) {
        box = el("div", "panel-block");
        box.setAttribute("data-panel", P[j].id);
        box.appendChild(el("h4", "panel-title", (D.several ? "Panel " + (j + 1) + ": " : "") + P[j].title));
        card.appendChild(box);
      }
      box.appendChild(summary(j, k));
      if (N > 1) box.appendChild(hists(j, k));
      if (P[j].groups.length) {
        box.appendChild(el("h4", null, "By pathway and by trait"));
        box.appendChild(groups(j, k));
      }
      box.appendChild(el("h4", null, headed ? "Rows of " + P[j].title : "Panel rows"));
      variants(j, k, box);
    }

    Array.prototype.forEach.call(document.querySelectorAll("#cohort svg[data-metric]"), function (svg) { mark(svg, k); });
  }

  function route() {
    var card = document.getElementById("hc-card");
    if (!card) return;
    var m = /^#sample=(.*)$/.exec(location.hash);
    var name = null;
    if (m) { try { name = decodeURIComponent(m[1]); } catch (e) { name = null; } }
    var k = -1;
    if (name !== null) k = S.name.indexOf(name);
    if (k < 0 && name !== null && B && BM.has(name)) {  // biomarkers without genotypes
      drawBmCard(BM.get(name));
      Array.prototype.forEach.call(document.querySelectorAll("#cohort svg[data-metric]"), function (svg) { mark(svg, null); });
      card.scrollTop = 0;
      return;
    }
    if (k < 0 && N === 1) k = 0;  // one sample: its card is the report
    if (k < 0) {
      clear(card);
      card.hidden = true;
      if (name !== null) {
        card.hidden = false;
        card.appendChild(el("p", "note", "No sample of this run is named \u201c" + name + "\u201d."));
      }
      Array.prototype.forEach.call(document.querySelectorAll("#cohort svg[data-metric]"), function (svg) { mark(svg, null); });
      return;
    }
    drawCard(k);
    card.scrollTop = 0;
  }
  var problemsOnly = document.getElementById("hc-problems-only");
  if (problemsOnly) {
    problemsOnly.addEventListener("change", function () {
      document.getElementById("hc-sites").classList.toggle("only-problems", problemsOnly.checked);
    });
  }
  window.addEventListener("hashchange", route);
  document.addEventListener("keydown", function (e) {
    var card = document.getElementById("hc-card");
    if (e.key === "Escape" && N > 1 && card && !card.hidden) location.hash = "#samples";
  });
  route();
})();
