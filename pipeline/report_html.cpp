// The HTML report, one function per section (header, cohort, samples, sites, method) and the data block the
// script draws the samples table and the cards from. Every value from the run is escaped where it is written.
#include "report_html.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <vector>

#include "html_text.h"
#include "report_assets.h"

namespace healcap {

namespace {

using Html = std::string;

void esc(Html& h, std::string_view s) { append_html(h, s); }
std::string dot(const std::string& s) { return s.empty() ? "." : s; }
std::string num_or(const ReportNumber& x, const char* na) { return x.present ? x.text : na; }

void append_int(std::string& a, int64_t v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  a.append(buf, r.ptr);
}
std::string fmt1(double x) {  // SVG coordinates: one decimal, the same bytes everywhere
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", x);
  return b;
}
// A threshold in words: 0.9, 0.15, 1e-6.
std::string threshold(double x) {
  char b[32];
  std::snprintf(b, sizeof b, "%g", x);
  std::string t = b;
  const size_t e = t.find("e-0");
  if (e != std::string::npos) t.erase(e + 2, 1);
  return t;
}
// The lower edge of histogram bin b, in two decimals ("0.05").
std::string bin_edge(size_t b) {
  return millionths_text(static_cast<int64_t>(b) * 1000000 / static_cast<int64_t>(kReportHistogramBins)).substr(0, 4);
}

// The numbers the sections share, computed once.
struct CohortView {
  size_t n = 0;
  int64_t low = 0;  // "too little data" completeness threshold, millionths
  std::vector<std::optional<int64_t>> hci, completeness, z;
  size_t n_too_little = 0;
  std::vector<size_t> pathways, traits;  // the groups with scored rows (indexes into RunReport::pathways / traits)
  std::vector<char> observed_codes;      // the call states a score counts as observed
};

CohortView cohort_view(const RunReport& r) {
  CohortView c;
  c.n = r.samples.size();
  c.low = r.min_completeness.present ? report_millionths(r.min_completeness).value_or(0)
                                     : static_cast<int64_t>(std::llround(kReportLowCompleteness * 1e6));
  for (const ReportSample& s : r.samples) {
    c.hci.push_back(report_millionths(s.all.index));
    c.completeness.push_back(report_millionths(s.all.completeness));
    c.z.push_back(report_millionths(s.all.z_score));
    if (!c.hci.back() || !c.completeness.back() || *c.completeness.back() < c.low) ++c.n_too_little;
  }
  for (size_t p = 0; p < r.pathways.size(); ++p)
    if (std::any_of(r.samples.begin(), r.samples.end(), [&](const ReportSample& s) { return s.by_pathway[p].n_rows > 0; }))
      c.pathways.push_back(p);
  for (size_t t = 0; t < r.traits.size(); ++t)
    if (std::any_of(r.samples.begin(), r.samples.end(), [&](const ReportSample& s) { return s.by_trait[t].n_rows > 0; }))
      c.traits.push_back(t);
  for (const auto& cs : r.call_states)
    if (cs.second == "called" || cs.second == "ref_block" || cs.second == "absent_covered") c.observed_codes.push_back(cs.first);
  return c;
}

std::optional<int64_t> median(std::vector<std::optional<int64_t>> v) {
  std::vector<int64_t> x;
  for (const auto& m : v)
    if (m) x.push_back(*m);
  if (x.empty()) return std::nullopt;
  std::sort(x.begin(), x.end());
  const size_t h = x.size() / 2;
  return x.size() % 2 ? x[h] : (x[h - 1] + x[h]) / 2;  // rounded toward zero to millionths
}

// --- histograms ---------------------------------------------------------------------------------------------

struct HistShape {
  int width, height, x0, w, y0, h;
};
constexpr HistShape kMainHist{370, 168, 48, 310, 14, 116};
constexpr HistShape kSmallHist{250, 124, 40, 200, 10, 82};

// A histogram of values in [0, 1] (millionths) as inline SVG; NA values are counted in the caption. The svg
// carries its scale (data-x0, data-w, data-y0, data-h) and what it shows (data-metric, data-group), for the
// script that marks a sample on it.
void histogram(Html& h, const std::vector<std::optional<int64_t>>& values, const HistShape& s, const char* metric,
               const std::string& group, const std::string& title) {
  std::vector<size_t> bins(kReportHistogramBins, 0);
  size_t n_na = 0, n = 0;
  for (const auto& v : values) {
    if (!v) {
      ++n_na;
      continue;
    }
    ++n;
    const int64_t m = std::clamp<int64_t>(*v, 0, 1000000);
    bins[std::min<size_t>(kReportHistogramBins - 1, static_cast<size_t>(m * static_cast<int64_t>(kReportHistogramBins) / 1000000))]++;
  }
  const size_t top = std::max<size_t>(1, *std::max_element(bins.begin(), bins.end()));
  const double bw = static_cast<double>(s.w) / kReportHistogramBins;
  h += "<figure class=\"hist\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(s.width) + " " +
       std::to_string(s.height) + "\" width=\"" + std::to_string(s.width) + "\" height=\"" + std::to_string(s.height) +
       "\" role=\"img\" data-metric=\"" + metric + "\" data-group=\"" + group + "\" data-x0=\"" + std::to_string(s.x0) +
       "\" data-w=\"" + std::to_string(s.w) + "\" data-y0=\"" + std::to_string(s.y0) + "\" data-h=\"" + std::to_string(s.h) +
       "\"><title>";
  esc(h, title);
  h += "</title>";
  const int base = s.y0 + s.h;
  for (size_t b = 0; b < bins.size(); ++b) {
    if (bins[b] == 0) continue;
    const double bh = static_cast<double>(s.h) * static_cast<double>(bins[b]) / static_cast<double>(top);
    h += "<rect class=\"bar\" x=\"" + fmt1(s.x0 + bw * static_cast<double>(b) + 0.5) + "\" y=\"" + fmt1(base - bh) +
         "\" width=\"" + fmt1(bw - 1) + "\" height=\"" + fmt1(bh) + "\"><title>" +
         bin_edge(b) + " to " + bin_edge(b + 1) + ": " +
         std::to_string(bins[b]) + (bins[b] == 1 ? " sample" : " samples") + "</title></rect>";
  }
  h += "<line class=\"axis\" x1=\"" + std::to_string(s.x0) + "\" y1=\"" + std::to_string(base) + "\" x2=\"" +
       std::to_string(s.x0 + s.w) + "\" y2=\"" + std::to_string(base) + "\"/>";
  h += "<line class=\"axis\" x1=\"" + std::to_string(s.x0) + "\" y1=\"" + std::to_string(s.y0) + "\" x2=\"" +
       std::to_string(s.x0) + "\" y2=\"" + std::to_string(base) + "\"/>";
  for (const auto& [frac, label] : {std::pair<double, const char*>{0, "0"}, {0.25, "0.25"}, {0.5, "0.5"}, {0.75, "0.75"}, {1, "1"}})
    h += "<text x=\"" + fmt1(s.x0 + s.w * frac) + "\" y=\"" + std::to_string(base + 13) + "\" text-anchor=\"middle\">" + label + "</text>";
  h += "<text x=\"" + std::to_string(s.x0 - 4) + "\" y=\"" + std::to_string(s.y0 + 4) + "\" text-anchor=\"end\">" +
       std::to_string(top) + "</text><text x=\"" + std::to_string(s.x0 - 4) + "\" y=\"" + std::to_string(base) +
       "\" text-anchor=\"end\">0</text></svg><figcaption>";
  esc(h, title);
  h += ": " + std::to_string(n) + " samples" + (n_na ? ", NA " + std::to_string(n_na) : std::string()) + "</figcaption></figure>";
}

std::vector<std::optional<int64_t>> group_values(const RunReport& r, bool pathway, size_t g, bool index) {
  std::vector<std::optional<int64_t>> v;
  v.reserve(r.samples.size());
  for (const ReportSample& s : r.samples) {
    const ReportGroup& x = pathway ? s.by_pathway[g] : s.by_trait[g];
    v.push_back(report_millionths(index ? x.index : x.completeness));
  }
  return v;
}

// --- sites: problems --------------------------------------------------------------------------------------

struct SiteProblems {
  bool ref_mismatch = false, build_mismatch = false, low_call_rate = false, hwe = false, eaf = false;
  double eaf_difference = 0;
  bool any() const { return ref_mismatch || build_mismatch || low_call_rate || hwe || eaf; }
};

SiteProblems site_problems(const ReportSite& s) {
  SiteProblems p;
  p.ref_mismatch = s.state == "ref_mismatch";
  p.build_mismatch = s.state == "build_mismatch";
  if (!s.has_calls) return p;
  p.low_call_rate = s.call_rate.present && s.call_rate.value < kReportLowCallRate;
  p.hwe = s.hwe_p.present && s.hwe_p.value < kReportHweP;
  if (s.counted_freq.present && s.eaf.present && !s.effect_allele.empty() && s.counted_allele == s.effect_allele &&
      s.n_called >= kReportMinCalledForFrequency) {
    p.eaf_difference = s.counted_freq.value - s.eaf.value;
    p.eaf = std::fabs(p.eaf_difference) > kReportEafDifference;
  }
  return p;
}

// --- sections -----------------------------------------------------------------------------------------------

void kv_row(Html& h, const char* label, const std::string& escaped_value) {
  h += "<tr><th>";
  h += label;
  h += "</th><td>" + escaped_value + "</td></tr>";
}
std::string text(std::string_view s) { return html_escape(s); }
std::string code(std::string_view s) { return "<code>" + html_escape(s) + "</code>"; }

void render_head(Html& h, const RunReport& r) {
  const std::string_view css = report_css(), js = report_js();
  h += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  // Only the page's own style and script run: an injected element could load or run nothing.
  h += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src '" + csp_sha256(js) +
       "'; style-src '" + csp_sha256(css) + "'; img-src 'none'; base-uri 'none'; form-action 'none'\">\n";
  h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  h += "<meta name=\"generator\" content=\"healcap ";
  esc(h, r.version);
  h += "\">\n<title>healcap report: ";
  esc(h, r.panel_name + " " + r.panel_version + ", " + std::to_string(r.samples.size()) +
             (r.samples.size() == 1 ? " sample" : " samples"));
  h += "</title>\n<style>";
  h += css;
  h += "</style>\n</head>\n<body>\n";
}

void render_header(Html& h, const RunReport& r) {
  h += "<div class=\"banner\" role=\"note\"><strong>Research use only.</strong> ";
  esc(h, r.research_use);
  h += ".</div>\n<header class=\"top\" id=\"top\"><h1>healcap report</h1><p class=\"sub\">";
  esc(h, r.panel_name + " " + r.panel_version + " \u00b7 " + std::to_string(r.samples.size()) +
             (r.samples.size() == 1 ? " sample" : " samples") + " \u00b7 " + r.build_summary);
  h += "</p>\n<nav><a href=\"#run\">Run</a><a href=\"#cohort\">Cohort</a><a href=\"#samples\">Samples</a>"
       "<a href=\"#sites\">Sites</a><a href=\"#method\">Method</a></nav></header>\n<main>\n";

  h += "<section id=\"run\"><h2>Run</h2>\n<table class=\"kv\">";
  kv_row(h, "healcap", text(r.version));
  kv_row(h, "Panel", text(r.panel_name + " " + r.panel_version) + " (" + std::to_string(r.panel_rows) + " rows)");
  kv_row(h, "Panel SHA-256", code(r.panel_sha256));
  kv_row(h, "Panel file", code(r.panel_file));
  if (!r.input_path.empty()) kv_row(h, "Input", code(r.input_path));
  else kv_row(h, "Inputs", std::to_string(r.inputs.size()) + " read, " + std::to_string(r.failed.size()) + " failed (below)");
  kv_row(h, "Format", text(r.input_format));
  kv_row(h, "Read", text(r.input_read));
  kv_row(h, "Samples", std::to_string(r.samples.size()));
  kv_row(h, "Records read", std::to_string(r.n_records_read));
  kv_row(h, "Build", "<strong>" + text(r.build_name) + "</strong>, chosen by " + text(r.build_chosen_by));
  kv_row(h, "Contig style", text(r.contig_style));
  kv_row(h, "REF concordance", text(r.ref_concordance));
  if (!r.build_warnings.empty()) {
    std::string w = "<ul>";
    for (const auto& x : r.build_warnings) w += "<li>" + text(x) + "</li>";
    kv_row(h, "Build warnings", w + "</ul>");
  }
  kv_row(h, "Command line", code(r.command_line));
  if (!r.partials.empty()) {
    std::string p;
    for (const auto& x : r.partials) p += (p.empty() ? "" : "<br>") + code(x);
    kv_row(h, "Partials merged", p);
  }
  std::string grades;
  for (const auto& g : r.grades_scored) grades += (grades.empty() ? "" : ", ") + g;
  kv_row(h, "Grades scored", text(grades));
  kv_row(h, "Dosage", text(r.dosage));
  if (!r.call_state_options.empty()) kv_row(h, "Call-state options", text(r.call_state_options));
  if (r.min_completeness.present) kv_row(h, "--min-completeness", text(r.min_completeness.text));
  h += "</table>\n";
  if (!r.inputs.empty()) {
    h += "<h3>Inputs</h3><div class=\"scroll\"><table class=\"data\"><thead><tr><th>#</th><th>path</th><th>format</th>"
         "<th>read</th><th class=\"num\">samples</th><th class=\"num\">records read</th><th>build</th><th>chosen by</th>"
         "<th>contig style</th><th>REF concordance</th></tr></thead><tbody>";
    for (size_t i = 0; i < r.inputs.size(); ++i) {
      const ReportInput& x = r.inputs[i];
      h += "<tr><td class=\"num\">" + std::to_string(i + 1) + "</td><td>" + code(x.path) + "</td><td>" + text(x.format) +
           "</td><td>" + text(x.read) + "</td><td class=\"num\">" + std::to_string(x.n_samples) + "</td><td class=\"num\">" +
           std::to_string(x.n_records_read) + "</td><td>" + text(x.build) + "</td><td>" + text(x.build_chosen_by) +
           "</td><td>" + text(x.contig_style) + "</td><td>" + text(x.ref_concordance) + "</td></tr>";
    }
    h += "</tbody></table></div>\n";
  }
  if (!r.failed.empty()) {
    h += "<h3>Failed inputs (--keep-going)</h3><table class=\"data\"><thead><tr><th>path</th><th>reason</th></tr></thead><tbody>";
    for (const auto& [path, reason] : r.failed) h += "<tr><td>" + code(path) + "</td><td>" + text(reason) + "</td></tr>";
    h += "</tbody></table>\n";
  }
  if (!r.contigs.empty()) {
    constexpr size_t kMaxContigs = 200;
    h += "<details><summary>Contigs read (" + std::to_string(r.contigs.size()) + ")</summary><table class=\"data\"><thead><tr>"
         "<th>contig</th><th class=\"num\">records</th><th class=\"num\">first position</th><th class=\"num\">last position</th>"
         "</tr></thead><tbody>";
    for (size_t i = 0; i < r.contigs.size() && i < kMaxContigs; ++i) {
      const ReportContig& c = r.contigs[i];
      h += "<tr><td>" + code(c.name) + "</td><td class=\"num\">" + std::to_string(c.n_records) + "</td><td class=\"num\">" +
           std::to_string(c.first_pos) + "</td><td class=\"num\">" + std::to_string(c.last_pos) + "</td></tr>";
    }
    h += "</tbody></table>";
    if (r.contigs.size() > kMaxContigs)
      h += "<p class=\"note\">The first " + std::to_string(kMaxContigs) + " contigs; PREFIX.json lists every one.</p>";
    h += "</details>\n";
  }
  h += "</section>\n";
}

void render_cohort(Html& h, const RunReport& r, const CohortView& c) {
  h += "<section id=\"cohort\"><h2>Cohort</h2>\n<div>";
  const auto stat = [&](const std::string& value, const std::string& label) {
    h += "<span class=\"stat\"><b>" + value + "</b>" + label + "</span>";
  };
  stat(std::to_string(c.n), "samples");
  stat(std::to_string(c.n_too_little), "with too little data");
  const auto mi = median(c.hci), mc = median(c.completeness);
  stat(mi ? millionths_text(*mi) : "NA", "median index");
  stat(mc ? millionths_text(*mc) : "NA", "median completeness");
  h += "</div>\n<p class=\"note\">Too little data: the index is NA, or completeness is below " + millionths_text(c.low) +
       (r.min_completeness.present ? " (the run's --min-completeness)" : "") + ".</p>\n";
  if (c.n == 0) {
    h += "<p>The input has no samples: the report holds the site ledger only.</p></section>\n";
    return;
  }
  if (c.n == 1) {
    h += "<p>One sample: this is a one-person report. Cohort distributions need at least two samples; the card under "
         "Samples holds this sample's scores.</p></section>\n";
    return;
  }
  h += "<p class=\"note\">Histograms over [0, 1] in " + std::to_string(kReportHistogramBins) +
       " bins; samples whose value is NA are counted beside. A sample's card marks it on each (red line).</p>\n";
  h += "<div class=\"hists\" id=\"hc-main-hists\">";
  histogram(h, c.hci, kMainHist, "hci", "all", "Healing-capacity index");
  histogram(h, c.completeness, kMainHist, "compl", "all", "Completeness");
  h += "</div>\n";
  for (const bool pathway : {true, false}) {
    const auto& shown = pathway ? c.pathways : c.traits;
    const auto& names = pathway ? r.pathways : r.traits;
    h += std::string("<h3>By ") + (pathway ? "pathway" : "trait") + "</h3>\n";
    if (shown.empty()) {
      h += "<p class=\"note\">No scored rows.</p>\n";
      continue;
    }
    h += "<div class=\"group-grid\">";
    for (size_t g : shown) {
      const std::string id = std::string(pathway ? "p" : "t") + std::to_string(g);
      h += "<div><h4>";
      esc(h, names[g]);
      h += "</h4>";
      histogram(h, group_values(r, pathway, g, true), kSmallHist, "hci", id, "index");
      histogram(h, group_values(r, pathway, g, false), kSmallHist, "compl", id, "completeness");
      h += "</div>";
    }
    h += "</div>\n";
  }
  h += "</section>\n";
}

void render_samples(Html& h, const CohortView& c) {
  h += "<section id=\"samples\"><h2>";
  h += c.n == 1 ? "Sample" : "Samples";
  h += "</h2>\n";
  if (c.n == 0) {
    h += "<p>No samples.</p></section>\n";
    return;
  }
  h += "<noscript><p>The samples table and the sample cards are drawn by the page's script, which is off: "
       "PREFIX.samples.tsv holds the same numbers.</p></noscript>\n";
  h += c.n == 1 ? "<div id=\"hc-card\" class=\"card inline\" hidden></div>\n" : "<div id=\"hc-card\" class=\"card\" hidden></div>\n";
  if (c.n > 1) {
    h += "<p class=\"note\">Sort by a column heading; open a sample's card from its name. Index, completeness and "
         "z-score as in PREFIX.samples.tsv (NA: not computable).</p>\n"
         "<div class=\"controls\"><label>Find sample <input id=\"hc-find\" type=\"search\" autocomplete=\"off\"></label>"
         "<button id=\"hc-prev\" type=\"button\">Previous</button><span id=\"hc-page\"></span>"
         "<button id=\"hc-next\" type=\"button\">Next</button></div>\n"
         "<div class=\"scroll\"><table class=\"data\" id=\"hc-samples\"><thead><tr><th class=\"num\">#</th>"
         "<th data-sort=\"name\"><button type=\"button\">sample</button></th>"
         "<th class=\"num\" data-sort=\"hci\"><button type=\"button\">index</button></th>"
         "<th class=\"num\" data-sort=\"compl\"><button type=\"button\">completeness</button></th>"
         "<th class=\"num\" data-sort=\"z\"><button type=\"button\">z-score</button></th>"
         "<th class=\"num\">scored rows observed</th><th>data</th></tr></thead><tbody></tbody></table></div>\n";
  }
  h += "</section>\n";
}

void render_sites(Html& h, const RunReport& r) {
  h += "<section id=\"sites\"><h2>Sites</h2>\n";
  std::vector<SiteProblems> problems;
  std::map<std::string, size_t> by_state;
  std::vector<std::string> state_order;
  size_t n_scored = 0, n_problems = 0, n_low = 0, n_hwe = 0, n_eaf = 0, n_ref = 0;
  for (const ReportSite& s : r.sites) {
    problems.push_back(site_problems(s));
    const SiteProblems& p = problems.back();
    if (by_state[s.state]++ == 0) state_order.push_back(s.state);
    n_scored += s.scored;
    n_problems += p.any();
    n_low += p.low_call_rate;
    n_hwe += p.hwe;
    n_eaf += p.eaf;
    n_ref += p.ref_mismatch || p.build_mismatch;
  }
  h += "<p>" + std::to_string(r.sites.size()) + " panel rows, " + std::to_string(n_scored) + " scored. By state: ";
  for (size_t i = 0; i < state_order.size(); ++i) {
    h += i ? ", " : "";
    esc(h, state_order[i]);
    h += " " + std::to_string(by_state[state_order[i]]);
  }
  h += ".</p>\n<p>" + std::to_string(n_problems) + " rows with a problem: " + std::to_string(n_low) + " with a call rate below " +
       threshold(kReportLowCallRate) + ", " + std::to_string(n_hwe) + " with HWE p &lt; " + threshold(kReportHweP) + ", " +
       std::to_string(n_eaf) + " with a frequency more than " + threshold(kReportEafDifference) + " from the panel's EAF, " +
       std::to_string(n_ref) + " REF or build mismatches (thresholds under Method).</p>\n";
  std::vector<size_t> rows;
  for (size_t i = 0; i < r.sites.size(); ++i)
    if (r.sites.size() <= kReportMaxLedgerRows || problems[i].any() || r.sites[i].scored) rows.push_back(i);
  if (rows.size() > kReportMaxLedgerRows) rows.resize(kReportMaxLedgerRows);
  if (rows.size() < r.sites.size())
    h += "<p class=\"note\">" + std::to_string(rows.size()) + " of " + std::to_string(r.sites.size()) +
         " rows shown: those with a problem or scored, in panel order. PREFIX.sites.tsv holds every row.</p>\n";
  h += "<label class=\"controls\"><input type=\"checkbox\" id=\"hc-problems-only\"> only rows with a problem</label>\n";
  h += "<div class=\"scroll\"><table class=\"data\" id=\"hc-sites\"><thead><tr><th>row</th><th>rsID</th><th>gene</th>"
       "<th>state</th><th>reason</th><th>scored</th><th>match</th><th class=\"num\">call rate</th><th>counted allele</th>"
       "<th class=\"num\">frequency</th><th class=\"num\">panel EAF</th><th class=\"num\">HWE p</th><th>problems</th>"
       "<th>grade</th><th class=\"num\">weight</th><th>pathway</th><th>trait</th><th>panel locus</th><th>record seen</th>"
       "<th>note</th><th>evidence</th></tr></thead><tbody>\n";
  for (size_t i : rows) {
    const ReportSite& s = r.sites[i];
    const SiteProblems& p = problems[i];
    const auto td = [&](bool bad, const std::string& cls, const std::string& escaped) {
      std::string c = cls;
      if (bad) c += c.empty() ? "bad" : " bad";
      h += c.empty() ? "<td>" : "<td class=\"" + c + "\">";
      h += escaped + "</td>";
    };
    std::string what;
    const auto add = [&](const std::string& x) { what += (what.empty() ? "" : "; ") + x; };
    if (p.ref_mismatch) add("REF mismatch");
    if (p.build_mismatch) add("the other build's record");
    if (p.low_call_rate) add("low call rate");
    if (p.hwe) add("HWE p < " + threshold(kReportHweP));
    if (p.eaf) {
      char b[64];
      std::snprintf(b, sizeof b, "frequency %+.3f from the panel's EAF", p.eaf_difference);
      add(b);
    }
    h += p.any() ? "<tr class=\"problem\">" : "<tr>";
    td(false, "mono", text(s.id));
    td(false, "", text(dot(s.rsid)));
    td(false, "", text(s.gene));
    td(p.ref_mismatch || p.build_mismatch, "", text(s.state));
    td(false, "", text(dot(s.reason)));
    td(false, "", s.scored ? "yes" : "no");
    td(false, "", text(s.has_calls ? s.match : "."));
    td(p.low_call_rate, "num", text(s.has_calls ? num_or(s.call_rate, ".") : "."));
    td(false, "mono", text(s.has_calls ? s.counted_allele : "."));
    td(p.eaf, "num", text(s.has_calls ? num_or(s.counted_freq, ".") : "."));
    td(p.eaf, "num", text(num_or(s.eaf, ".")));
    td(p.hwe, "num", text(s.has_calls ? num_or(s.hwe_p, ".") : "."));
    td(p.any(), "", text(what));
    td(false, "", text(s.grade));
    td(false, "num", text(num_or(s.weight, ".")));
    td(false, "", text(s.pathway));
    td(false, "", text(s.trait));
    const ReportLocus& l = s.panel_locus;
    td(false, "mono", l.present ? text(l.chrom + ":" + std::to_string(l.pos) + " " + dot(l.ref) + ">" + dot(l.alt)) : ".");
    const ReportLocus& seen = s.seen;
    td(p.ref_mismatch, "mono",
       seen.present ? text(seen.chrom + ":" + std::to_string(seen.pos) + " " + seen.ref + ">" + seen.alt + " " + seen.id) : ".");
    td(false, "note", text(dot(s.note)));
    h += "<td class=\"cite\">" + citation_html(dot(s.evidence)) + "</td></tr>\n";
  }
  h += "</tbody></table></div>\n</section>\n";
}

void render_method(Html& h, const RunReport& r, const CohortView& c) {
  h += "<section id=\"method\"><h2>Method</h2>\n<h3>The score</h3>\n<ol class=\"formula\">";
  for (const auto& line : r.formula) h += "<li>" + text(line) + "</li>";
  h += "</ol>\n<p>Evidence grades scored in this run: ";
  std::string grades;
  for (const auto& g : r.grades_scored) grades += (grades.empty() ? "" : ", ") + g;
  esc(h, grades.empty() ? std::string("none") : grades);
  h += ". Dosage source: ";
  esc(h, r.dosage);
  h += ".</p>\n<h3>What the index means</h3>\n<ul>"
       "<li>The healing-capacity index is 1 minus the weighted share of worse-outcome alleles a sample carries at the "
       "scored panel rows observed for it: 1 means none of the alleles the panel ties to a worse outcome, 0 the most "
       "possible.</li>"
       "<li>Completeness is the weighted share of the scored panel that was observed for the sample. Read the index "
       "beside it: an index over few rows says little.</li>"
       "<li>The z-score compares the sample's weighted sum with what the panel's effect-allele frequencies lead one to "
       "expect under Hardy-Weinberg, over the observed rows that have a frequency. It needs no cohort, so it holds for "
       "one sample; it is NA where no observed scored row has a frequency.</li></ul>\n"
       "<h3>What it does not mean</h3>\n<ul>"
       "<li>It is not a diagnosis, and it does not predict how a person will heal. Most of the panel's associations "
       "are small, and many are not replicated: each row's evidence grade and citation say so.</li>"
       "<li>It leaves out everything that is not in the panel: other genes, age, the injury, treatment, lab "
       "measurements.</li>"
       "<li>Indexes made with different panels, panel versions or evidence grades are not comparable; nor are samples "
       "whose completeness differs widely.</li></ul>\n"
       "<h3>This report</h3>\n<ul>";
  h += "<li>Too little data: the index is NA, or completeness is below " + millionths_text(c.low) +
       (r.min_completeness.present ? " (the run's --min-completeness)." : " (the report's default; --min-completeness sets it).") +
       "</li>";
  h += "<li>Sites flagged: a call rate below " + threshold(kReportLowCallRate) +
       "; a Hardy-Weinberg exact-test p-value below " + threshold(kReportHweP) + "; a counted-allele frequency more than " +
       threshold(kReportEafDifference) + " from the panel's effect-allele frequency, with at least " +
       std::to_string(kReportMinCalledForFrequency) + " samples called; a REF mismatch, or a record only at the other "
       "build's position.</li>";
  h += "<li>Histograms have " + std::to_string(kReportHistogramBins) +
       " bins over [0, 1]. Numbers are those of the run's JSON, shown as in PREFIX.samples.tsv and "
       "PREFIX.sites.tsv.</li></ul>\n</section>\n</main>\n";
  h += "<footer>healcap ";
  esc(h, r.version);
  h += " \u00b7 research use only \u00b7 a self-contained page: it loads nothing from the network.</footer>\n";
}

// The data block the script reads: JSON in a script element of type application/json, every string escaped
// for that context. Numbers of the samples are millionths (integers), so the script prints them exactly.
void render_data(Html& h, const RunReport& r, const CohortView& c) {
  const auto str = [&](std::string_view s) { append_script_json_string(h, s); };
  const auto m_or_null = [&](const std::optional<int64_t>& m) {
    if (m) append_int(h, *m);
    else h += "null";
  };
  const auto column = [&](const char* key, const std::vector<std::optional<int64_t>>& v) {
    h += ",\"";
    h += key;
    h += "\":[";
    for (size_t k = 0; k < v.size(); ++k) {
      if (k) h += ',';
      m_or_null(v[k]);
    }
    h += ']';
  };
  h += "<script type=\"application/json\" id=\"hc-data\">{\"n\":" + std::to_string(c.n) + ",\"low\":" + std::to_string(c.low) +
       ",\"codes\":";
  std::string codes, observed(c.observed_codes.begin(), c.observed_codes.end());
  for (const auto& cs : r.call_states) codes += cs.first;
  str(codes);
  h += ",\"observed\":";
  str(observed);
  h += ",\"states\":[";
  for (size_t j = 0; j < r.call_states.size(); ++j) {
    if (j) h += ',';
    str(r.call_states[j].second);
  }
  h += "],\"groups\":[";
  struct Shown {
    bool pathway;
    size_t g;
  };
  std::vector<Shown> shown;
  for (size_t g : c.pathways) shown.push_back({true, g});
  for (size_t g : c.traits) shown.push_back({false, g});
  for (size_t i = 0; i < shown.size(); ++i) {
    h += i ? ",{\"id\":" : "{\"id\":";
    str(std::string(shown[i].pathway ? "p" : "t") + std::to_string(shown[i].g));
    h += ",\"kind\":";
    str(shown[i].pathway ? "pathway" : "trait");
    h += ",\"name\":";
    str(shown[i].pathway ? r.pathways[shown[i].g] : r.traits[shown[i].g]);
    h += '}';
  }
  h += "],\"s\":{\"name\":[";
  for (size_t k = 0; k < c.n; ++k) {
    if (k) h += ',';
    str(r.samples[k].name);
  }
  h += ']';
  column("hci", c.hci);
  column("compl", c.completeness);
  column("z", c.z);
  h += ",\"rows\":[";
  for (size_t k = 0; k < c.n; ++k) {
    if (k) h += ',';
    append_int(h, r.samples[k].all.n_rows);
  }
  h += "],\"st\":[";
  for (size_t k = 0; k < c.n; ++k) {
    h += k ? ",[" : "[";
    const auto& st = r.samples[k].all.n_state;
    for (size_t j = 0; j < st.size(); ++j) {
      if (j) h += ',';
      append_int(h, st[j]);
    }
    h += ']';
  }
  h += ']';
  if (c.n && r.samples[0].below_min_completeness) {
    h += ",\"below\":[";
    for (size_t k = 0; k < c.n; ++k) h += std::string(k ? "," : "") + (r.samples[k].below_min_completeness.value_or(false) ? "1" : "0");
    h += ']';
  }
  for (const auto& [key, index] : {std::pair<const char*, bool>{"ghci", true}, {"gcompl", false}}) {
    h += ",\"";
    h += key;
    h += "\":[";
    for (size_t i = 0; i < shown.size(); ++i) {
      h += i ? ",[" : "[";
      const auto v = group_values(r, shown[i].pathway, shown[i].g, index);
      for (size_t k = 0; k < v.size(); ++k) {
        if (k) h += ',';
        m_or_null(v[k]);
      }
      h += ']';
    }
    h += ']';
  }
  h += ",\"grows\":[";
  for (size_t i = 0; i < shown.size(); ++i) {
    h += i ? ",[" : "[";
    for (size_t k = 0; k < c.n; ++k) {
      if (k) h += ',';
      const ReportSample& s = r.samples[k];
      append_int(h, (shown[i].pathway ? s.by_pathway[shown[i].g] : s.by_trait[shown[i].g]).n_rows);
    }
    h += ']';
  }
  h += "]}";

  // Per site, the distinct (genotype, call state, dosage) of its samples and one code per sample, in a fixed
  // width of base-64 digits: a card is drawn from these without a copy of every call.
  size_t chars = 0;
  for (const ReportSite& s : r.sites) chars += s.has_calls ? c.n : 0;
  const bool with_calls = chars <= kReportMaxGenotypeChars;
  static constexpr char kDigits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  h += ",\"gt\":";
  h += with_calls ? "true" : "false";
  h += ",\"gtNote\":";
  str(with_calls ? "" : "The genotypes are left out of the cards: " + std::to_string(chars) +
                            " sample-site calls exceed the report's budget. PREFIX.json holds them.");
  h += ",\"sites\":[";
  for (size_t i = 0; i < r.sites.size(); ++i) {
    const ReportSite& s = r.sites[i];
    h += i ? ",\n{\"id\":" : "\n{\"id\":";
    str(s.id);
    h += ",\"rsid\":";
    if (s.rsid.empty()) h += "null";
    else str(s.rsid);
    h += ",\"gene\":";
    str(s.gene);
    h += ",\"trait\":";
    str(s.trait);
    h += ",\"ea\":";
    if (s.effect_allele.empty()) h += "null";
    else str(s.effect_allele);
    h += ",\"w\":";
    str(num_or(s.weight, "."));
    h += ",\"model\":";
    str(s.model);
    h += ",\"grade\":";
    str(s.grade);
    h += ",\"scored\":";
    h += s.scored ? "true" : "false";
    h += ",\"ev\":[";
    const auto pieces = citation_pieces(dot(s.evidence));
    for (size_t j = 0; j < pieces.size(); ++j) {
      h += j ? ",[" : "[";
      str(pieces[j].text);
      if (!pieces[j].href.empty()) {
        h += ',';
        str(pieces[j].href);
      }
      h += ']';
    }
    h += ']';
    if (s.has_calls && with_calls) {
      std::map<std::string, size_t> seen;
      std::vector<size_t> code(c.n);
      std::vector<size_t> first;  // the first sample of each distinct call, in order of appearance
      for (size_t k = 0; k < c.n; ++k) {
        std::string key = s.genotypes[k];
        key += '\t';
        key += s.call_states[k];
        key += '\t';
        key += s.dosages[k];
        const auto [it, fresh] = seen.emplace(std::move(key), first.size());
        if (fresh) first.push_back(k);
        code[k] = it->second;
      }
      size_t width = 1;
      for (size_t cap = 64; cap < first.size(); cap *= 64) ++width;
      h += ",\"t\":[";
      for (size_t j = 0; j < first.size(); ++j) {
        const size_t k = first[j];
        h += j ? ",[" : "[";
        str(s.genotypes[k]);
        h += ',';
        str(std::string(1, s.call_states[k]));
        h += ',';
        if (s.dosages[k].empty()) h += "null";
        else str(s.dosages[k]);
        h += ']';
      }
      h += "],\"k\":" + std::to_string(width) + ",\"c\":\"";
      for (size_t k = 0; k < c.n; ++k)
        for (size_t d = width; d-- > 0;) h += kDigits[(code[k] >> (6 * d)) & 63];
      h += '"';
    } else if (!s.has_calls) {
      // No per-sample calls in the JSON: every sample is in one absent state, told by the counts.
      size_t n_states = 0, which = 0;
      for (size_t j = 0; j < s.state_counts.size(); ++j)
        if (s.state_counts[j] > 0) ++n_states, which = j;
      h += ",\"u\":";
      if (n_states == 1) str(r.call_states[which].second);
      else if (n_states == 0) str(s.state);
      else h += "null";
    }
    h += '}';
  }
  h += "]}</script>\n";
}

void render_script(Html& h) {
  h += "<script>";
  h += report_js();
  h += "</script>\n</body>\n</html>\n";
}

}  // namespace

std::optional<int64_t> report_millionths(const ReportNumber& x) {
  if (!x.present) return std::nullopt;
  const std::string& t = x.text;
  size_t i = 0;
  const bool neg = i < t.size() && t[i] == '-';
  if (neg) ++i;
  int64_t whole = 0, frac = 0;
  size_t n_int = 0, n_frac = 0;
  for (; i < t.size() && t[i] >= '0' && t[i] <= '9' && n_int < 12; ++i, ++n_int) whole = whole * 10 + (t[i] - '0');
  bool exact = n_int > 0;
  if (exact && i < t.size() && t[i] == '.') {
    for (++i; i < t.size() && t[i] >= '0' && t[i] <= '9' && n_frac < 6; ++i, ++n_frac) frac = frac * 10 + (t[i] - '0');
    exact = n_frac > 0;
  }
  if (!exact || i != t.size()) return static_cast<int64_t>(std::llround(x.value * 1e6));
  for (; n_frac < 6; ++n_frac) frac *= 10;
  const int64_t m = whole * 1000000 + frac;
  return neg ? -m : m;
}

std::string millionths_text(int64_t m) {
  char b[40];
  const uint64_t a = m < 0 ? 0 - static_cast<uint64_t>(m) : static_cast<uint64_t>(m);
  std::snprintf(b, sizeof b, "%s%llu.%06llu", m < 0 ? "-" : "", static_cast<unsigned long long>(a / 1000000),
                static_cast<unsigned long long>(a % 1000000));
  return b;
}

std::string render_report_html(const RunReport& r) {
  const CohortView c = cohort_view(r);
  Html h;
  h.reserve(1 << 16);
  render_head(h, r);
  render_header(h, r);
  render_cohort(h, r, c);
  render_samples(h, c);
  render_sites(h, r);
  render_method(h, r, c);
  render_data(h, r, c);
  render_script(h);
  return h;
}

std::string report_html_from_json(std::string_view json, const std::string& origin) {
  RunReport r;
  {
    const JsonDocument doc = JsonDocument::parse(json, origin);
    r = read_run_report(doc.root());
  }  // the document's tree is freed before the page is made
  return render_report_html(r);
}

}  // namespace healcap
