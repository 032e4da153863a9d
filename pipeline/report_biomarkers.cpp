// The report's biomarker section (cohort tables, reference facts, the genetic CRP scatter) and the compact
// per-sample data the script draws the cards' biomarker plots from. Only the run JSON's own numbers and
// verdicts are shown; nothing is judged here.
#include "report_biomarkers.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <map>
#include <string_view>
#include <utility>
#include <vector>

#include "html_text.h"

namespace healcap {

namespace {

using Html = std::string;

std::string text(std::string_view s) { return html_escape(s); }
std::string code(std::string_view s) { return "<code>" + html_escape(s) + "</code>"; }
std::string fmt1(double x) {  // SVG coordinates: one decimal, the same bytes everywhere
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", x);
  return b;
}
// A number of the JSON as written, or `na`.
std::string num(const ReportNumber& x, const char* na = "NA") { return x.present ? x.text : na; }
// An upper limit with its sign: "+210.0".
std::string signed_text(const ReportNumber& x) {
  if (!x.present) return "NA";
  return x.text[0] == '-' || x.text[0] == '+' ? x.text : "+" + x.text;
}
std::string plural(size_t n, const char* one, const char* many) { return std::to_string(n) + " " + (n == 1 ? one : many); }
std::string dash(const std::string& s) { return s.empty() ? "." : s; }

void kv_row(Html& h, const char* label, const std::string& escaped_value) {
  h += "<tr><th>";
  h += label;
  h += "</th><td>" + escaped_value + "</td></tr>";
}

// The RCV limits of a change in words, the verdict's limits first: "-68.0 % / +210.0 % (symmetric ±117.9 %)"
// under log-normal limits, "±117.9 % (log-normal -68.0 % / +210.0 %)" under symmetric ones; "" without an RCV.
std::string rcv_words(const ReportBmChange& c, bool lognormal) {
  const bool has_log = c.rcv_lower.present && c.rcv_upper.present, has_sym = c.rcv_symmetric.present;
  const std::string log = c.rcv_lower.text + " % / " + signed_text(c.rcv_upper) + " %";
  const std::string sym = "\u00b1" + c.rcv_symmetric.text + " %";
  if (lognormal) {
    if (!has_log) return has_sym ? "no log-normal limits (symmetric " + sym + ")" : "";
    return has_sym ? log + " (symmetric " + sym + ")" : log;
  }
  if (!has_sym) return has_log ? "no symmetric limit (log-normal " + log + ")" : "";
  return has_log ? sym + " (log-normal " + log + ")" : sym;
}

// Distinct texts with their counts, in order of first appearance.
struct Tally {
  std::vector<std::pair<std::string, size_t>> items;
  void add(const std::string& t) {
    for (auto& [k, n] : items)
      if (k == t) {
        ++n;
        return;
      }
    items.emplace_back(t, 1);
  }
  // "a; b (2)": a count only when there is more than one distinct text; the first kShown, then how many more
  // (a lab's own CVa per row can make many).
  static constexpr size_t kShown = 6;
  std::string words() const {
    std::string w;
    for (size_t i = 0; i < items.size() && i < kShown; ++i)
      w += (w.empty() ? "" : "; ") + items[i].first + (items.size() > 1 ? " (" + std::to_string(items[i].second) + ")" : "");
    if (items.size() > kShown) w += "; " + std::to_string(items.size() - kShown) + " more";
    return w;
  }
};

// One marker and specimen over the cohort: the samples measured, and their baseline-to-last changes by verdict.
struct MarkerGroup {
  std::string marker, specimen, unit;
  bool known = false;
  size_t n_samples = 0, n_changes = 0;
  size_t improved = 0, worsened = 0, undirected = 0, within = 0, no_rcv = 0, not_computable = 0;
  Tally rcv, cvi, cva;
};

// A marker's baseline-to-last change: the change of that kind, or nullptr (one timepoint).
const ReportBmChange* baseline_to_last(const ReportBmMarker& m) {
  for (const ReportBmChange& c : m.changes)
    if (c.kind == "baseline_to_last") return &c;
  return nullptr;
}

std::vector<MarkerGroup> marker_groups(const ReportBiomarkers& b) {
  std::vector<MarkerGroup> groups;
  std::map<std::pair<std::string, std::string>, size_t> at;
  const bool lognormal = b.verdict_limits == "lognormal";
  for (const ReportBmSample& s : b.samples)
    for (const ReportBmMarker& m : s.markers) {
      const auto [it, fresh] = at.emplace(std::make_pair(m.marker, m.specimen), groups.size());
      if (fresh) {
        groups.emplace_back();
        groups.back().marker = m.marker;
        groups.back().specimen = m.specimen;
        groups.back().unit = m.unit;
        groups.back().known = m.known;
      }
      MarkerGroup& g = groups[it->second];
      g.n_samples += !m.values.empty();
      const ReportBmChange* c = baseline_to_last(m);
      if (!c) continue;
      ++g.n_changes;
      if (c->direction == "improved") ++g.improved;
      else if (c->direction == "worsened") ++g.worsened;
      else if (c->verdict == "decrease" || c->verdict == "increase") ++g.undirected;
      if (c->verdict == "within_variation") ++g.within;
      else if (c->verdict == "no_rcv") ++g.no_rcv;
      else if (c->verdict == "not_computable") ++g.not_computable;
      const std::string w = rcv_words(*c, lognormal);
      if (!w.empty()) g.rcv.add(w);
      if (c->cv_within.present) g.cvi.add("CVi " + c->cv_within.text + " %");
      if (c->cv_analytical.present)
        g.cva.add("CVa " + c->cv_analytical.text + " %" + (c->cv_analytical_from.empty() ? "" : " (" + c->cv_analytical_from + ")"));
    }
  return groups;
}

// The names of a list, at most kReportMaxListedBiomarkerSamples, each linking to its card when it has one.
void name_list(Html& h, const char* id, const std::vector<std::string>& names, bool cards) {
  h += "<ul class=\"names\" id=\"";
  h += id;
  h += "\">";
  for (size_t i = 0; i < names.size() && i < kReportMaxListedBiomarkerSamples; ++i) {
    h += "<li>";
    if (cards) {
      std::string href = "#sample=";  // the script's route reads the name back with decodeURIComponent
      static constexpr char kHex[] = "0123456789ABCDEF";
      for (const unsigned char c : names[i]) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
          href += static_cast<char>(c);
        } else {
          href += '%';
          href += kHex[c >> 4];
          href += kHex[c & 15];
        }
      }
      h += "<a href=\"" + href + "\">" + text(names[i]) + "</a>";
    } else {
      h += text(names[i]);
    }
    h += "</li>";
  }
  h += "</ul>";
  if (names.size() > kReportMaxListedBiomarkerSamples)
    h += "<p class=\"note\">The first " + std::to_string(kReportMaxListedBiomarkerSamples) + " of " +
         std::to_string(names.size()) + "; PREFIX.json lists every one.</p>";
}

void render_input(Html& h, const ReportBiomarkers& b, const RunReport& r) {
  size_t genotyped = 0;
  for (const ReportBmSample& s : b.samples) genotyped += s.genotyped;
  h += "<table class=\"kv\" id=\"hc-bm-input\">";
  kv_row(h, "Biomarker file", code(b.file));
  kv_row(h, "SHA-256", code(b.sha256));
  kv_row(h, "Rows read", std::to_string(b.n_rows));
  kv_row(h, "Sample map", b.sample_map.empty() ? std::string("none (lab ids are the VCF's sample names)") : code(b.sample_map));
  std::string tps;
  for (const auto& t : b.timepoints) tps += (tps.empty() ? "" : " \u2192 ") + text(t);
  kv_row(h, "Timepoints", (tps.empty() ? std::string("none") : tps) + " (ordered by " +
                              (b.timepoint_order == "date" ? std::string("date") : std::string("--timepoints")) + ")");
  kv_row(h, "Samples with biomarkers",
         "<span id=\"hc-bm-n\">" + std::to_string(b.samples.size()) + "</span>: " + std::to_string(genotyped) +
             " genotyped, " + std::to_string(b.samples.size() - genotyped) + " without genotypes; " +
             std::to_string(r.samples.size() - std::min(r.samples.size(), genotyped)) + " of the run's " +
             std::to_string(r.samples.size()) + " samples have no biomarker row");
  kv_row(h, "RCV verdict limits",
         b.verdict_limits == "lognormal" ? std::string("log-normal (asymmetric; the default)") : std::string("symmetric (--rcv symmetric)"));
  kv_row(h, "RCV significance", "z = " + text(b.rcv_z.text) + ", " + text(b.rcv_p));
  kv_row(h, "Symmetric RCV", code(b.formula_symmetric));
  kv_row(h, "Log-normal RCV", code(b.formula_lognormal));
  kv_row(h, "RCV source", citation_html(b.rcv_source));
  h += "</table>\n";
}

void render_changes(Html& h, const ReportBiomarkers& b) {
  const auto groups = marker_groups(b);
  const bool lognormal = b.verdict_limits == "lognormal";
  h += "<h3>Changes from baseline to last, by marker</h3>\n<p class=\"note\">Per marker and specimen: the samples "
       "measured, and of those with a baseline-to-last change how many the run judged improved or worsened (a "
       "significant change read against the marker's role), significant without a direction (a marker whose "
       "role gives none), within biological variation, without an RCV, or not computable (a censored value). The "
       "RCV limits are the ones the changes used, the verdict's first (";
  h += lognormal ? "log-normal" : "symmetric";
  h += "); a count follows each when they differ between samples.</p>\n";
  if (groups.empty()) {
    h += "<p>No measurements.</p>\n";
    return;
  }
  h += "<div class=\"scroll\"><table class=\"data\" id=\"hc-bm-changes\"><thead><tr><th>marker</th><th>specimen</th>"
       "<th>unit</th><th class=\"num\">samples measured</th><th class=\"num\">with a baseline-to-last change</th>"
       "<th class=\"num\">improved</th><th class=\"num\">worsened</th><th class=\"num\">significant, no direction</th>"
       "<th class=\"num\">within variation</th><th class=\"num\">no RCV</th><th class=\"num\">not computable</th>"
       "<th>RCV limits used</th><th>CVs used</th><th>CV sources</th></tr></thead><tbody>\n";
  for (const MarkerGroup& g : groups) {
    h += "<tr data-marker=\"" + text(g.marker) + "\" data-specimen=\"" + text(g.specimen) + "\"><td class=\"marker\">" +
         text(g.marker) + (g.known ? "" : " <span class=\"flag\">unknown marker</span>") + "</td><td class=\"specimen\">" +
         text(dash(g.specimen)) + "</td><td class=\"unit\">" + text(g.unit) + "</td>";
    for (const auto& [cls, n] : {std::pair<const char*, size_t>{"n-samples", g.n_samples}, {"n-changes", g.n_changes},
                                 {"improved", g.improved}, {"worsened", g.worsened}, {"undirected", g.undirected},
                                 {"within", g.within}, {"no-rcv", g.no_rcv}, {"not-computable", g.not_computable}})
      h += "<td class=\"num " + std::string(cls) + "\">" + std::to_string(n) + "</td>";
    h += "<td class=\"rcv\">" + text(g.rcv.items.empty() ? std::string("no RCV available") : g.rcv.words()) + "</td>";
    std::string cvs = g.cvi.words();
    if (!g.cva.items.empty()) cvs += (cvs.empty() ? "" : "; ") + g.cva.words();
    h += "<td class=\"cv\">" + text(cvs.empty() ? std::string(".") : cvs) + "</td><td class=\"cite\">";
    // The bundled biological-variation facts of this marker, when its changes used a within-person CV.
    std::string cites;
    if (!g.cvi.items.empty())
      for (const ReportBmVariation& v : b.variation)
        if (v.marker == g.marker)
          cites += (cites.empty() ? "" : "<br>") + citation_html(v.citation) + " (" + text(v.specimen) + ")";
    h += cites.empty() ? (g.cvi.items.empty() ? "no within-person CV: no RCV" : "the run's CVs") : cites;
    h += "</td></tr>\n";
  }
  h += "</tbody></table></div>\n";
}

void render_timepoints(Html& h, const ReportBiomarkers& b) {
  h += "<h3>Pro-inflammatory markers above the lab's range, by timepoint</h3>\n<p class=\"note\">Per timepoint: "
       "the samples with a pro-inflammatory marker measured, those with a lab reference interval for one, and those "
       "with at least one above it; then the markers above their range of those with a range, over all samples. "
       "Markers without a lab interval are never flagged (healcap has no reference interval of its own).</p>\n"
       "<table class=\"data\" id=\"hc-bm-timepoints\"><thead><tr><th>timepoint</th><th class=\"num\">samples measured</th>"
       "<th class=\"num\">with a lab range</th><th class=\"num\">with one above it</th><th class=\"num\">markers above range</th>"
       "<th class=\"num\">markers with a range</th></tr></thead><tbody>";
  for (size_t t = 0; t < b.timepoints.size(); ++t) {
    size_t measured = 0, ranged = 0, above = 0;
    int64_t n_above = 0, n_ranged = 0;
    for (const ReportBmSample& s : b.samples)
      for (const ReportBmTimepoint& x : s.by_timepoint) {
        if (x.tp != t) continue;
        measured += x.n_measured > 0;
        ranged += x.n_with_range > 0;
        above += x.n_above > 0;
        n_above += x.n_above;
        n_ranged += x.n_with_range;
      }
    h += "<tr><td class=\"timepoint\">" + text(b.timepoints[t]) + "</td><td class=\"num measured\">" + std::to_string(measured) +
         "</td><td class=\"num ranged\">" + std::to_string(ranged) + "</td><td class=\"num above\">" + std::to_string(above) +
         "</td><td class=\"num n-above\">" + std::to_string(n_above) + "</td><td class=\"num n-ranged\">" +
         std::to_string(n_ranged) + "</td></tr>";
  }
  h += "</tbody></table>\n";
}

void render_unmatched(Html& h, const ReportBiomarkers& b) {
  h += "<h3>Unknown markers and unmatched samples</h3>\n";
  int64_t unknown_rows = 0;
  for (const auto& u : b.unknown_markers) unknown_rows += u.second;
  h += "<p id=\"hc-bm-unknown-count\">" + plural(b.unknown_markers.size(), "unknown marker", "unknown markers") + ", " +
       std::to_string(unknown_rows) + (unknown_rows == 1 ? " row" : " rows") +
       ": kept as written, with no reference facts, no unit conversion and no RCV.</p>\n";
  if (!b.unknown_markers.empty()) {
    h += "<table class=\"data\" id=\"hc-bm-unknown\"><thead><tr><th>marker as written</th><th class=\"num\">rows</th></tr></thead><tbody>";
    for (const auto& [name, n] : b.unknown_markers)
      h += "<tr><td class=\"name\">" + text(name) + "</td><td class=\"num\">" + std::to_string(n) + "</td></tr>";
    h += "</tbody></table>\n";
  }
  h += "<p id=\"hc-bm-nogeno-count\">" +
       plural(b.samples_without_genotypes.size(), "sample has", "samples have") +
       " biomarkers but no genotypes (not in the VCF" + (b.sample_map.empty() ? "" : " after the sample map") +
       "); their cards show the biomarkers only.</p>\n";
  name_list(h, "hc-bm-nogeno", b.samples_without_genotypes, true);
  h += "<p id=\"hc-bm-nobm-count\">" + plural(b.genotyped_without_biomarkers.size(), "genotyped sample has", "genotyped samples have") +
       " no biomarker row.</p>\n";
  name_list(h, "hc-bm-nobm", b.genotyped_without_biomarkers, true);
}

// The genetic CRP score against measured baseline CRP: one point per sample with both, a censored CRP drawn
// open at its bound with an arrow toward where the value lies.
void render_crp_genetic(Html& h, const ReportBiomarkers& b) {
  const ReportCrpGenetic& g = *b.crp_genetic;
  std::string unit;
  for (const ReportBmRefMarker& m : b.ref_markers)
    if (m.marker == "CRP") unit = m.canonical_unit;
  h += "<h3>Genetic CRP score beside measured baseline CRP</h3>\n<div id=\"hc-bm-crp\"><p class=\"bm-label\"><strong>";
  h += text(g.label);
  h += "</strong></p>\n<p>";
  h += "<span class=\"stat\"><b class=\"crp-n\">" + std::to_string(g.n) + "</b>N (samples with both)</span>";
  h += "<span class=\"stat\"><b class=\"crp-r\">" + text(num(g.pearson_r)) + "</b>Pearson r</span>";
  h += "<span class=\"stat\"><b class=\"crp-rho\">" + text(num(g.spearman_rho)) + "</b>Spearman rho</span></p>\n";
  h += "<p class=\"note\">The score: panel " + code(g.panel) + ", column " + code(g.column) +
       " of samples.tsv. A correlation in one cohort describes it; it does not show that the score predicts CRP.</p>\n";

  struct Pt {
    const ReportBmPair* p;
    double x, y;
  };
  std::vector<Pt> pts;
  for (const ReportBmPair& p : g.pairs)
    if (p.score.present && p.baseline_crp.present) pts.push_back({&p, p.score.value, p.baseline_crp.value});
  const size_t n_left_out = g.pairs.size() - pts.size();
  constexpr int W = 400, H = 260, X0 = 56, XW = 320, Y0 = 14, YH = 196;
  double xlo = 0, xhi = 1, yhi = 1;
  if (!pts.empty()) {
    xlo = xhi = pts[0].x;
    for (const Pt& q : pts) xlo = std::min(xlo, q.x), xhi = std::max(xhi, q.x), yhi = std::max(yhi, q.y);
    if (xhi == xlo) xlo -= 0.5, xhi += 0.5;
    const double pad = (xhi - xlo) * 0.05;
    xlo -= pad, xhi += pad;
    yhi *= 1.1;
  }
  const auto sx = [&](double x) { return X0 + XW * (x - xlo) / (xhi - xlo); };
  const auto sy = [&](double y) { return Y0 + YH - YH * std::max(0.0, y) / yhi; };
  const auto tick = [](double x) {
    char t[32];
    std::snprintf(t, sizeof t, "%.3g", x);
    return std::string(t);
  };
  h += "<figure class=\"bm-scatter-fig\"><svg xmlns=\"http://www.w3.org/2000/svg\" class=\"bm-scatter\" viewBox=\"0 0 " +
       std::to_string(W) + " " + std::to_string(H) + "\" width=\"" + std::to_string(W) + "\" height=\"" + std::to_string(H) +
       "\" role=\"img\"><title>Genetic CRP score against baseline CRP</title>";
  const int base = Y0 + YH;
  h += "<line class=\"axis\" x1=\"" + std::to_string(X0) + "\" y1=\"" + std::to_string(base) + "\" x2=\"" + std::to_string(X0 + XW) +
       "\" y2=\"" + std::to_string(base) + "\"/><line class=\"axis\" x1=\"" + std::to_string(X0) + "\" y1=\"" + std::to_string(Y0) +
       "\" x2=\"" + std::to_string(X0) + "\" y2=\"" + std::to_string(base) + "\"/>";
  for (const Pt& q : pts) {
    const std::string cx = fmt1(sx(q.x)), cy = fmt1(sy(q.y));
    const std::string& c = q.p->censored;
    h += "<circle class=\"pt" + std::string(c.empty() ? "" : " censored") + "\" cx=\"" + cx + "\" cy=\"" + cy + "\" r=\"3\"" +
         (c.empty() ? "" : " data-censored=\"" + text(c) + "\"") + "><title>" + text(q.p->sample) + ": score " +
         text(q.p->score.text) + ", baseline CRP " + text(c) + text(q.p->baseline_crp.text) + (unit.empty() ? "" : " " + text(unit)) +
         "</title></circle>";
    if (!c.empty()) {  // an arrow from the point toward the side the value lies on
      const double y = sy(q.y), d = c == "<" ? 1 : -1;
      h += "<path class=\"cens-arrow\" d=\"M" + cx + " " + fmt1(y + 4 * d) + "V" + fmt1(y + 12 * d) + "M" + fmt1(sx(q.x) - 3) + " " +
           fmt1(y + 9 * d) + "L" + cx + " " + fmt1(y + 12 * d) + "L" + fmt1(sx(q.x) + 3) + " " + fmt1(y + 9 * d) + "\"/>";
    }
  }
  h += "<text x=\"" + std::to_string(X0) + "\" y=\"" + std::to_string(base + 13) + "\" text-anchor=\"middle\">" + tick(xlo) +
       "</text><text x=\"" + std::to_string(X0 + XW) + "\" y=\"" + std::to_string(base + 13) + "\" text-anchor=\"middle\">" +
       tick(xhi) + "</text><text x=\"" + std::to_string(X0 + XW / 2) + "\" y=\"" + std::to_string(base + 28) +
       "\" text-anchor=\"middle\">";
  h += text(g.column) + "</text><text x=\"" + std::to_string(X0 - 4) + "\" y=\"" + std::to_string(Y0 + 4) + "\" text-anchor=\"end\">" + tick(yhi) +
       "</text><text x=\"" + std::to_string(X0 - 4) + "\" y=\"" + std::to_string(base) + "\" text-anchor=\"end\">0</text>"
       "<text transform=\"translate(12 " + std::to_string(Y0 + YH / 2) + ") rotate(-90)\" text-anchor=\"middle\">baseline CRP" +
       (unit.empty() ? "" : " (" + text(unit) + ")") + "</text></svg><figcaption>" +
       plural(pts.size(), "sample", "samples") + " drawn" +
       (n_left_out ? ", " + std::to_string(n_left_out) + " without a score or a baseline CRP left out" : std::string()) +
       "; an open circle with an arrow is a censored CRP (below or above the assay's range), drawn at its bound.</figcaption>"
       "</figure></div>\n";
}

void render_reference(Html& h, const ReportBiomarkers& b) {
  h += "<h3>Reference facts used</h3>\n<p class=\"note\">Bundled with healcap, each with its source; the run "
       "used these. Where they have none (a cut-off, a within-person CV), nothing is filled in: only the lab's own "
       "reference interval is used.</p>\n";
  h += "<h4>Markers</h4><div class=\"scroll\"><table class=\"data\" id=\"hc-bm-ref-markers\"><thead><tr><th>marker</th>"
       "<th>synonyms</th><th>role</th><th>canonical unit</th><th>a decrease means</th><th>source of the role</th></tr>"
       "</thead><tbody>";
  for (const ReportBmRefMarker& m : b.ref_markers) {
    std::string syn;
    for (const auto& s : m.synonyms) syn += (syn.empty() ? "" : ", ") + s;
    h += "<tr><td>" + text(m.marker) + "</td><td>" + text(syn) + "</td><td>" + text(m.role) + "</td><td>" + text(m.canonical_unit) +
         "</td><td>" + text(m.decrease_means) + "</td><td class=\"cite\">" + citation_html(m.role_source) + "</td></tr>";
  }
  h += "</tbody></table></div>\n<h4>Biological variation</h4><div class=\"scroll\"><table class=\"data\" id=\"hc-bm-ref-variation\">"
       "<thead><tr><th>marker</th><th>specimen</th><th class=\"num\">CVi %</th><th class=\"num\">CVa %</th><th class=\"num\">CVg %</th>"
       "<th class=\"num\">published critical difference %</th><th>citation</th><th>status</th></tr></thead><tbody>";
  for (const ReportBmVariation& v : b.variation)
    h += "<tr><td>" + text(v.marker) + "</td><td>" + text(v.specimen) + "</td><td class=\"num\">" + text(num(v.cv_within, ".")) +
         "</td><td class=\"num\">" + text(num(v.cv_analytical, ".")) + "</td><td class=\"num\">" + text(num(v.cv_between, ".")) +
         "</td><td class=\"num\">" + text(num(v.critical_difference, ".")) + "</td><td class=\"cite\">" + citation_html(v.citation) +
         "</td><td>" + text(v.status) + "</td></tr>";
  h += "</tbody></table></div>\n<h4>Categories</h4><div class=\"scroll\"><table class=\"data\" id=\"hc-bm-ref-categories\">"
       "<thead><tr><th>marker</th><th>category</th><th>range</th><th>meaning</th><th>citation</th><th>notes</th></tr></thead><tbody>";
  for (const ReportBmCategory& c : b.categories) {
    std::string range = c.high.present ? "[" + num(c.low, "0") + ", " + c.high.text + ")" : "\u2265 " + num(c.low, "0");
    h += "<tr><td>" + text(c.marker) + "</td><td>" + text(c.category) + "</td><td>" + text(range + " " + c.unit) + "</td><td>" +
         text(c.meaning) + "</td><td class=\"cite\">" + citation_html(c.citation) + "</td><td>" + text(c.notes) + "</td></tr>";
  }
  h += "</tbody></table></div>\n<h4>Caveats</h4><ul id=\"hc-bm-caveats\">";
  for (const auto& c : b.caveats) h += "<li>" + citation_html(c) + "</li>";
  h += "</ul>\n";
}

}  // namespace

void render_biomarker_section(Html& h, const RunReport& r) {
  const ReportBiomarkers& b = r.biomarkers;
  if (!b.present) return;
  h += "<section id=\"biomarkers\"><h2>Biomarkers</h2>\n<p class=\"bm-use\"><strong>Research use only.</strong> ";
  h += text(b.research_use);
  h += "</p>\n<p class=\"bm-beside\">The biomarker summary is shown beside the genetic index, never folded into it: "
       "the two are different kinds of evidence, and no validated way to combine them exists. A sample's card shows "
       "both side by side, and a plot per marker over time with its reference change value (RCV) band.</p>\n";
  render_input(h, b, r);
  render_changes(h, b);
  render_timepoints(h, b);
  render_unmatched(h, b);
  if (b.crp_genetic) render_crp_genetic(h, b);
  render_reference(h, b);
  h += "</section>\n";
}

// --- the cards' data ----------------------------------------------------------------------------------------
//
// ,"bm":{"limits":"lognormal"|"symmetric","tp":[timepoint,...],"smp":[SAMPLE,...],"mk":[KIND,...],"str":[text,...],
//        "rcv":[RCV,...],"tpl":[[piece,...],...]}
//   str: each repeated text once (markers, specimens, units, roles, dates, assays, labs, categories); fields
//        below marked (s) are indexes into it, null for null.
//   RCV:    [CVi, CVa, CVa from (null, 1 row, 2 bundled), symmetric %, lower %, upper %], each distinct set once
//   SAMPLE: [name, genotyped 0|1, [tp, measured, with range, above, tp, ...] (pro-inflammatory, per timepoint),
//            [improved, worsened, within variation, no RCV, not computable] (baseline to last), [MARKER, ...]]
//   MARKER: [kind (index into "mk"), [VALUE, ...], [CHANGE, ...]]
//   KIND:   [marker (s), known 0|1, specimen (s), unit (s), role (s)], each distinct one once
//   VALUE:  [tp, number (the value, or a censored value's bound), date (s), assay (s), lab (s), ref low, ref high,
//            flag (null, 1 low, 2 normal, 3 high), category (s), censored (null, 1 "<", 2 ">"), text,
//            as-written value, as-written unit (s), CVa]
//           text null: the censoring sign and the number as the script prints it; as-written value null: the
//           text; as-written unit null: the marker's unit ("" when the row's unit is empty).
//   CHANGE: [from tp, to tp, kind (0 consecutive, 1 baseline to last, 2 both: the same pair listed as each),
//            verdict (0 decrease, 1 increase, 2 within_variation, 3 no_rcv, 4 not_computable), SENTENCE,
//            abs change, % change, RCV (index), direction (null, 1 improved, 2 worsened)]
//   SENTENCE: [template, number, ...]: the template's pieces ("tpl") with the numbers written between them, each
//            a string, or 0 / 1 for the text of the change's from / to value without its censoring sign.
// tp is an index into "tp". Trailing nulls of a VALUE or CHANGE are left out. Numbers are the shortest text that
// reads back as the JSON's double (the card prints them as the script's String(number)). Text, as-written value
// and sentence pieces are what keep 10,000 samples' cards within the page's budget: each is written once.

namespace {

// The shortest text that reads back as `x` (std::to_chars), as the script's String(x) prints it when it has
// no exponent.
std::string shortest(double x) {
  char b[40];
  const auto r = std::to_chars(b, b + sizeof b, x);
  return std::string(b, r.ptr);
}

// A value's text without its censoring sign ("<0.15" -> "0.15").
std::string_view bare(std::string_view t) { return !t.empty() && (t[0] == '<' || t[0] == '>') ? t.substr(1) : t; }

class CardData {
 public:
  explicit CardData(Html& h) : h_(h) {}

  void number(const ReportNumber& x) {
    if (!x.present) h_ += "null";
    else h_ += shortest(x.value);
  }
  void string(std::string_view s) { append_script_json_string(h_, s); }
  // A repeated text: its index in the string table ("" is null).
  void shared(const std::string& s) {
    if (s.empty()) {
      h_ += "null";
      return;
    }
    const auto [it, fresh] = ids_.emplace(s, table_.size());
    if (fresh) table_.push_back(&it->first);
    h_ += std::to_string(it->second);
  }
  size_t kind_id(const ReportBmMarker& m) {
    const auto [it, fresh] = kind_ids_.emplace(std::string(m.known ? "1" : "0") + std::to_string(m.marker.size()) + ":" + m.marker +
                                                   std::to_string(m.specimen.size()) + ":" + m.specimen + std::to_string(m.unit.size()) +
                                                   ":" + m.unit + m.role,
                                               kinds_.size());
    if (fresh) kinds_.push_back(&m);
    return it->second;
  }
  size_t rcv_id(const ReportBmChange& c) {
    std::string key;
    for (const ReportNumber* x : {&c.cv_within, &c.cv_analytical, &c.rcv_symmetric, &c.rcv_lower, &c.rcv_upper})
      key += (x->present ? x->text : "null") + "\t";
    key += c.cv_analytical_from;
    const auto [it, fresh] = rcv_ids_.emplace(key, rcv_.size());
    if (fresh) rcv_.push_back(&c);
    return it->second;
  }
  // A sentence as its template's index and its numbers: each run of digits (with a decimal part) is a number,
  // written as 0 or 1 when it is the from or to value's text, else as a string.
  void sentence(const std::string& t, std::string_view from, std::string_view to) {
    std::vector<std::string> pieces(1);
    std::vector<std::string_view> numbers;
    const auto digit = [&](size_t i) { return i < t.size() && t[i] >= '0' && t[i] <= '9'; };
    for (size_t i = 0; i < t.size();) {
      if (!digit(i)) {
        pieces.back() += t[i++];
        continue;
      }
      size_t j = i;
      while (digit(j)) ++j;
      if (j < t.size() && t[j] == '.' && digit(j + 1))
        for (++j; digit(j);) ++j;
      numbers.push_back(std::string_view(t).substr(i, j - i));
      pieces.emplace_back();
      i = j;
    }
    std::string key;  // the pieces, each with its length: any text can be a piece
    for (const auto& p : pieces) key += std::to_string(p.size()) + ":" + p;
    const auto [it, fresh] = tpl_ids_.emplace(key, templates_.size());
    if (fresh) templates_.push_back(std::move(pieces));
    h_ += '[' + std::to_string(it->second);
    for (const std::string_view n : numbers) {
      h_ += ',';
      if (n == from) h_ += '0';
      else if (n == to) h_ += '1';
      else string(n);
    }
    h_ += ']';
  }
  void code(const std::string& v, std::initializer_list<const char*> codes) {  // 1-based; null when not one
    int i = 1;
    for (const char* c : codes) {
      if (v == c) {
        h_ += std::to_string(i);
        return;
      }
      ++i;
    }
    h_ += "null";
  }
  // Drops the nulls that end the array just written (from `open`, its '[').
  void trim_nulls(size_t open) {
    while (h_.size() > open + 5 && h_.compare(h_.size() - 5, 5, ",null") == 0) h_.resize(h_.size() - 5);
  }
  void tables() {  // "mk" first: its texts go into "str"
    h_ += "],\"mk\":[";
    for (size_t i = 0; i < kinds_.size(); ++i) {
      const ReportBmMarker& m = *kinds_[i];
      h_ += i ? ",[" : "[";
      shared(m.marker);
      h_ += m.known ? ",1," : ",0,";
      shared(m.specimen);
      h_ += ',';
      shared(m.unit);
      h_ += ',';
      shared(m.role);
      h_ += ']';
    }
    h_ += "],\"str\":[";
    for (size_t i = 0; i < table_.size(); ++i) {
      if (i) h_ += ',';
      string(*table_[i]);
    }
    h_ += "],\"rcv\":[";
    for (size_t i = 0; i < rcv_.size(); ++i) {
      const ReportBmChange& c = *rcv_[i];
      h_ += i ? ",[" : "[";
      number(c.cv_within);
      h_ += ',';
      number(c.cv_analytical);
      h_ += ',';
      code(c.cv_analytical_from, {"row", "bundled"});
      h_ += ',';
      number(c.rcv_symmetric);
      h_ += ',';
      number(c.rcv_lower);
      h_ += ',';
      number(c.rcv_upper);
      h_ += ']';
    }
    h_ += "],\"tpl\":[";
    for (size_t i = 0; i < templates_.size(); ++i) {
      h_ += i ? ",[" : "[";
      for (size_t k = 0; k < templates_[i].size(); ++k) {
        if (k) h_ += ',';
        string(templates_[i][k]);
      }
      h_ += ']';
    }
    h_ += ']';
  }

 private:
  Html& h_;
  std::map<std::string, size_t> ids_;
  std::vector<const std::string*> table_;
  std::map<std::string, size_t> rcv_ids_;
  std::vector<const ReportBmChange*> rcv_;
  std::map<std::string, size_t> kind_ids_;
  std::vector<const ReportBmMarker*> kinds_;
  std::map<std::string, size_t> tpl_ids_;
  std::vector<std::vector<std::string>> templates_;
};

// The verdict as 0-4 (the model accepts only these five).
int verdict_code(const std::string& v) {
  static const char* const kVerdicts[] = {"decrease", "increase", "within_variation", "no_rcv", "not_computable"};
  for (int i = 0; i < 5; ++i)
    if (v == kVerdicts[i]) return i;
  return 4;
}

bool same_change(const ReportBmChange& a, const ReportBmChange& b) {
  const auto n = [](const ReportNumber& x) { return x.present ? x.text : std::string("\n"); };
  return a.from_tp == b.from_tp && a.to_tp == b.to_tp && a.verdict == b.verdict && a.direction == b.direction && a.text == b.text &&
         n(a.abs_change) == n(b.abs_change) && n(a.pct_change) == n(b.pct_change) && n(a.cv_within) == n(b.cv_within) &&
         n(a.cv_analytical) == n(b.cv_analytical) && a.cv_analytical_from == b.cv_analytical_from &&
         n(a.rcv_symmetric) == n(b.rcv_symmetric) && n(a.rcv_lower) == n(b.rcv_lower) && n(a.rcv_upper) == n(b.rcv_upper);
}

void value_data(Html& h, CardData& d, const ReportBmMarker& m, const ReportBmValue& v) {
  const size_t open = h.size();
  const ReportNumber& at = v.censored.empty() ? v.value : v.bound;
  h += '[' + std::to_string(v.tp) + ',';
  d.number(at);
  h += ',';
  d.shared(v.date);
  h += ',';
  d.shared(v.assay);
  h += ',';
  d.shared(v.lab);
  h += ',';
  d.number(v.ref_low);
  h += ',';
  d.number(v.ref_high);
  h += ',';
  d.code(v.ref_flag, {"low", "normal", "high"});
  h += ',';
  d.shared(v.category);
  h += ',';
  d.code(v.censored, {"<", ">"});
  h += ',';
  const std::string printed = shortest(at.value);
  if (printed.find_first_of("eE") == std::string::npos && v.text == v.censored + printed) h += "null";
  else d.string(v.text);
  h += ',';
  if (v.written_value == v.text) h += "null";
  else d.string(v.written_value);
  h += ',';
  if (v.written_unit == m.unit) h += "null";
  else if (v.written_unit.empty()) h += "\"\"";  // a string: the text itself (an index otherwise)
  else d.shared(v.written_unit);
  h += ',';
  d.number(v.cv_analytical);
  d.trim_nulls(open);
  h += ']';
}

void marker_data(Html& h, CardData& d, const ReportBmMarker& m) {
  h += '[' + std::to_string(d.kind_id(m)) + ",[";
  for (size_t i = 0; i < m.values.size(); ++i) {
    if (i) h += ',';
    value_data(h, d, m, m.values[i]);
  }
  h += "],[";
  const auto text_at = [&](size_t tp) -> std::string_view {
    for (const ReportBmValue& v : m.values)
      if (v.tp == tp) return bare(v.text);
    return {};
  };
  // A pair listed both as consecutive and as baseline to last (two timepoints) is written once, kind 2.
  std::vector<bool> merged(m.changes.size(), false);
  bool first = true;
  for (size_t i = 0; i < m.changes.size(); ++i) {
    if (merged[i]) continue;
    const ReportBmChange& c = m.changes[i];
    int kind = c.kind == "consecutive" ? 0 : 1;
    for (size_t j = i + 1; j < m.changes.size(); ++j)
      if (!merged[j] && m.changes[j].kind != c.kind && same_change(c, m.changes[j])) {
        merged[j] = true;
        kind = 2;
        break;
      }
    if (!first) h += ',';
    first = false;
    const size_t open = h.size();
    h += '[' + std::to_string(c.from_tp) + ',' + std::to_string(c.to_tp) + ',' + std::to_string(kind) + ',' +
         std::to_string(verdict_code(c.verdict)) + ',';
    const std::string_view from = text_at(c.from_tp), to = text_at(c.to_tp);
    d.sentence(c.text, from.empty() ? std::string_view("\n") : from, to.empty() ? std::string_view("\n") : to);
    h += ',';
    d.number(c.abs_change);
    h += ',';
    d.number(c.pct_change);
    h += ',';
    const bool any_rcv = c.cv_within.present || c.cv_analytical.present || c.rcv_symmetric.present || c.rcv_lower.present ||
                         c.rcv_upper.present;
    if (any_rcv) h += std::to_string(d.rcv_id(c));
    else h += "null";
    h += ',';
    d.code(c.direction, {"improved", "worsened"});
    d.trim_nulls(open);
    h += ']';
  }
  h += "]]";
}

}  // namespace

void append_biomarker_card_data(Html& h, const RunReport& r) {
  const ReportBiomarkers& b = r.biomarkers;
  if (!b.present) return;
  CardData d(h);
  h += ",\"bm\":{\"limits\":";
  d.string(b.verdict_limits);
  h += ",\"tp\":[";
  for (size_t t = 0; t < b.timepoints.size(); ++t) {
    if (t) h += ',';
    d.string(b.timepoints[t]);
  }
  h += "],\"smp\":[";
  for (size_t k = 0; k < b.samples.size(); ++k) {
    const ReportBmSample& s = b.samples[k];
    h += k ? ",\n[" : "\n[";
    d.string(s.name);
    h += s.genotyped ? ",1,[" : ",0,[";
    for (size_t t = 0; t < s.by_timepoint.size(); ++t) {
      const ReportBmTimepoint& x = s.by_timepoint[t];
      h += (t ? "," : "") + std::to_string(x.tp) + ',' + std::to_string(x.n_measured) + ',' + std::to_string(x.n_with_range) + ',' +
           std::to_string(x.n_above);
    }
    h += "],[" + std::to_string(s.n_improved) + ',' + std::to_string(s.n_worsened) + ',' + std::to_string(s.n_within_variation) +
         ',' + std::to_string(s.n_no_rcv) + ',' + std::to_string(s.n_not_computable) + "],[";
    for (size_t i = 0; i < s.markers.size(); ++i) {
      if (i) h += ',';
      marker_data(h, d, s.markers[i]);
    }
    h += "]]";
  }
  d.tables();
  h += '}';
}

}  // namespace healcap
