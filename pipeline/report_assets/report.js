// The report's one script: the samples table (sort, find, pages) and the sample cards, drawn on demand from
// the data block. Values from the data are inserted only as text nodes or safe attributes; links only to
// PubMed and doi.org, and only when their address has the expected form.
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
    var z = sp.z[k] === null ? "NA (no panel frequency at an observed scored row)" : fmt6(sp.z[k]);
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
