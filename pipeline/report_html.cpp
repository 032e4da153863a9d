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
#include "score.h"
#include "report_biomarkers.h"

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

// A panel's name in headings: "NAME VERSION" for a panel TSV, "PGS_ID (NAME)" for a PGS Catalog score.
std::string panel_title(const ReportPanel& p) {
  if (p.score) return p.pgs_id + " (" + p.name + ")";
  return p.version.empty() ? p.name : p.name + " " + p.version;
}
std::string panels_title(const RunReport& r) { return report_panels_title(r); }
// The prefix of a panel's columns in samples.tsv: none for the first, "<id>_" for each further one.
std::string tsv_prefix(const RunReport& r, size_t j) { return j == 0 ? "" : r.panels[j].id + "_"; }

// One panel's numbers over the cohort, in millionths.
struct PanelView {
  std::vector<std::optional<int64_t>> hci, completeness, z, ws;
  size_t n_too_little = 0;
  std::vector<size_t> pathways, traits;  // the groups with scored rows (indexes into ReportPanel::pathways / traits)
};

// The numbers the sections share, computed once.
struct CohortView {
  size_t n = 0;
  int64_t low = 0;  // "too little data" completeness threshold, millionths
  std::vector<PanelView> panels;      // in RunReport::panels order
  std::vector<char> observed_codes;  // the call states a score counts as observed
};

CohortView cohort_view(const RunReport& r) {
  CohortView c;
  c.n = r.samples.size();
  c.low = r.min_completeness.present ? report_millionths(r.min_completeness).value_or(0)
                                     : static_cast<int64_t>(std::llround(kReportLowCompleteness * 1e6));
  c.panels.resize(r.panels.size());
  for (size_t j = 0; j < r.panels.size(); ++j) {
    PanelView& v = c.panels[j];
    for (const ReportSample& s : r.samples) {
      const ReportGroup& a = s.panels[j].all;
      v.hci.push_back(report_millionths(a.index));
      v.completeness.push_back(report_millionths(a.completeness));
      v.z.push_back(report_millionths(a.z_score));
      v.ws.push_back(report_millionths(a.weighted_sum));
      if (!v.hci.back() || !v.completeness.back() || *v.completeness.back() < c.low) ++v.n_too_little;
    }
    const ReportPanel& p = r.panels[j];
    for (size_t g = 0; g < p.pathways.size(); ++g)
      if (std::any_of(r.samples.begin(), r.samples.end(), [&](const ReportSample& s) { return s.panels[j].by_pathway[g].n_rows > 0; }))
        v.pathways.push_back(g);
    for (size_t t = 0; t < p.traits.size(); ++t)
      if (std::any_of(r.samples.begin(), r.samples.end(), [&](const ReportSample& s) { return s.panels[j].by_trait[t].n_rows > 0; }))
        v.traits.push_back(t);
  }
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

// The x range of a histogram, in millionths: [0, 1] for an index or completeness, the cohort's own range for a
// polygenic score.
struct HistRange {
  int64_t lo = 0, hi = 1000000;
  bool unit() const { return lo == 0 && hi == 1000000; }
};

HistRange value_range(const std::vector<std::optional<int64_t>>& values) {
  HistRange x;
  bool any = false;
  for (const auto& v : values) {
    if (!v) continue;
    x.lo = any ? std::min(x.lo, *v) : *v;
    x.hi = any ? std::max(x.hi, *v) : *v;
    any = true;
  }
  if (!any) return HistRange{};
  if (x.lo == x.hi) x.lo -= 500000, x.hi += 500000;  // one value: a unit-wide range around it
  return x;
}

// A number of millionths in a few digits, for axis labels and bin titles ("3.56", "-0.5", "124").
std::string short_number(int64_t m, int digits) {
  const double x = static_cast<double>(m) / 1e6;
  char b[48];
  if (std::fabs(x) >= 100) std::snprintf(b, sizeof b, "%.0f", x);
  else std::snprintf(b, sizeof b, "%.*g", digits, x);
  return std::string(b) == "-0" ? "0" : b;
}

// A histogram of values (millionths) over `range` as inline SVG; NA values are counted in the caption. The svg
// carries its scale (data-x0, data-w, data-y0, data-h, and data-lo/data-hi in millionths unless the range is
// [0, 1]) and what it shows (data-panel-index: the panel's place in the run; data-metric, data-group), for the
// script that marks a sample on it.
void histogram(Html& h, const std::vector<std::optional<int64_t>>& values, const HistShape& s, const char* metric,
               size_t panel, const std::string& group, const std::string& title, const HistRange& range = HistRange{}) {
  std::vector<size_t> bins(kReportHistogramBins, 0);
  const int64_t nb = static_cast<int64_t>(kReportHistogramBins), span = range.hi - range.lo;
  size_t n_na = 0, n = 0;
  for (const auto& v : values) {
    if (!v) {
      ++n_na;
      continue;
    }
    ++n;
    const int64_t m = std::clamp<int64_t>(*v, range.lo, range.hi) - range.lo;
    bins[static_cast<size_t>(std::min<int64_t>(nb - 1, m * nb / span))]++;
  }
  const auto edge = [&](size_t b) {
    const int64_t m = range.lo + span * static_cast<int64_t>(b) / nb;
    return range.unit() ? bin_edge(b) : short_number(m, 4);
  };
  const size_t top = std::max<size_t>(1, *std::max_element(bins.begin(), bins.end()));
  const double bw = static_cast<double>(s.w) / kReportHistogramBins;
  h += "<figure class=\"hist\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(s.width) + " " +
       std::to_string(s.height) + "\" width=\"" + std::to_string(s.width) + "\" height=\"" + std::to_string(s.height) +
       "\" role=\"img\" data-panel-index=\"" + std::to_string(panel) + "\" data-metric=\"" + metric + "\" data-group=\"" + group +
       "\" data-x0=\"" + std::to_string(s.x0) + "\" data-w=\"" + std::to_string(s.w) + "\" data-y0=\"" + std::to_string(s.y0) +
       "\" data-h=\"" + std::to_string(s.h) + "\"";
  if (!range.unit()) h += " data-lo=\"" + std::to_string(range.lo) + "\" data-hi=\"" + std::to_string(range.hi) + "\"";
  h += "><title>";
  esc(h, title);
  h += "</title>";
  const int base = s.y0 + s.h;
  for (size_t b = 0; b < bins.size(); ++b) {
    if (bins[b] == 0) continue;
    const double bh = static_cast<double>(s.h) * static_cast<double>(bins[b]) / static_cast<double>(top);
    h += "<rect class=\"bar\" x=\"" + fmt1(s.x0 + bw * static_cast<double>(b) + 0.5) + "\" y=\"" + fmt1(base - bh) +
         "\" width=\"" + fmt1(bw - 1) + "\" height=\"" + fmt1(bh) + "\"><title>" + edge(b) + " to " + edge(b + 1) + ": " +
         std::to_string(bins[b]) + (bins[b] == 1 ? " sample" : " samples") + "</title></rect>";
  }
  h += "<line class=\"axis\" x1=\"" + std::to_string(s.x0) + "\" y1=\"" + std::to_string(base) + "\" x2=\"" +
       std::to_string(s.x0 + s.w) + "\" y2=\"" + std::to_string(base) + "\"/>";
  h += "<line class=\"axis\" x1=\"" + std::to_string(s.x0) + "\" y1=\"" + std::to_string(s.y0) + "\" x2=\"" +
       std::to_string(s.x0) + "\" y2=\"" + std::to_string(base) + "\"/>";
  for (const auto& [frac, label] : {std::pair<double, const char*>{0, "0"}, {0.25, "0.25"}, {0.5, "0.5"}, {0.75, "0.75"}, {1, "1"}}) {
    const int64_t at = range.lo + static_cast<int64_t>(std::llround(static_cast<double>(span) * frac));
    const std::string tick = range.unit() ? std::string(label) : short_number(at, 3);
    h += "<text x=\"" + fmt1(s.x0 + s.w * frac) + "\" y=\"" + std::to_string(base + 13) + "\" text-anchor=\"middle\">" + tick + "</text>";
  }
  h += "<text x=\"" + std::to_string(s.x0 - 4) + "\" y=\"" + std::to_string(s.y0 + 4) + "\" text-anchor=\"end\">" +
       std::to_string(top) + "</text><text x=\"" + std::to_string(s.x0 - 4) + "\" y=\"" + std::to_string(base) +
       "\" text-anchor=\"end\">0</text></svg><figcaption>";
  esc(h, title);
  h += ": " + std::to_string(n) + " samples" + (n_na ? ", NA " + std::to_string(n_na) : std::string()) + "</figcaption></figure>";
}

std::vector<std::optional<int64_t>> group_values(const RunReport& r, size_t j, bool pathway, size_t g, bool index) {
  std::vector<std::optional<int64_t>> v;
  v.reserve(r.samples.size());
  for (const ReportSample& s : r.samples) {
    const ReportGroup& x = pathway ? s.panels[j].by_pathway[g] : s.panels[j].by_trait[g];
    v.push_back(report_millionths(index ? x.index : x.completeness));
  }
  return v;
}

// --- sites: problems --------------------------------------------------------------------------------------

struct SiteProblems {
  bool ref_mismatch = false, build_mismatch = false, allele_mismatch = false, low_call_rate = false, hwe = false, eaf = false;
  double eaf_difference = 0;
  bool any() const { return ref_mismatch || build_mismatch || allele_mismatch || low_call_rate || hwe || eaf; }
};

SiteProblems site_problems(const ReportSite& s) {
  SiteProblems p;
  p.ref_mismatch = s.state == "ref_mismatch";
  p.build_mismatch = s.state == "build_mismatch";
  p.allele_mismatch = s.state == "allele_mismatch";  // a record at a score's position without both of its alleles
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
  esc(h, panels_title(r) + ", " + std::to_string(r.samples.size()) +
             (r.samples.size() == 1 ? " sample" : " samples"));
  h += "</title>\n<style>";
  h += css;
  h += "</style>\n</head>\n<body>\n";
}

// Each panel's identity, in --panel order: for a PGS Catalog score, what its header says about it.
void render_panels(Html& h, const RunReport& r) {
  h += std::string("<h3>") + (r.panels.size() == 1 ? "Panel" : "Panels") + "</h3>\n<div class=\"panels\">";
  for (size_t j = 0; j < r.panels.size(); ++j) {
    const ReportPanel& p = r.panels[j];
    h += "<table class=\"kv panel\" data-panel=\"";
    esc(h, p.id);
    h += "\"><caption>";
    esc(h, (r.panels.size() > 1 ? std::to_string(j + 1) + ". " : std::string()) + panel_title(p));
    h += "</caption>";
    kv_row(h, "Panel id",
           code(p.id) + (j == 0 ? " (samples.tsv: unprefixed columns)" : " (samples.tsv: columns " + code(p.id + "_...") + ")"));
    const std::string rows = std::to_string(p.n_rows) + " rows, " + std::to_string(p.n_rows_placed) + " placed in " +
                             text(r.build_name) + ", " + std::to_string(p.n_scored_rows) + " scored";
    if (p.score) {
      const std::string format = p.header_value("format_version");
      kv_row(h, "Kind", "PGS Catalog scoring file" + (format.empty() ? std::string() : ", format " + text(format)));
      kv_row(h, "PGS ID", "<strong>" + text(p.pgs_id) + "</strong>");
      kv_row(h, "Name", text(p.name));
      const auto header_row = [&](const char* label, const char* key) {
        const std::string v = p.header_value(key);
        if (!v.empty()) kv_row(h, label, text(v));
      };
      header_row("Trait reported", "trait_reported");
      std::string mapped = p.header_value("trait_mapped");
      if (!p.header_value("trait_efo").empty()) mapped += (mapped.empty() ? "" : " ") + ("(" + p.header_value("trait_efo") + ")");
      if (!mapped.empty()) kv_row(h, "Trait mapped", text(mapped));
      header_row("Weight type", "weight_type");
      kv_row(h, "Citation", p.header_value("citation").empty() ? std::string("not given in the file")
                                                                 : citation_html(p.header_value("citation")));
      header_row("Publication (PGP)", "pgp_id");
      kv_row(h, "Genome build", text(p.genome_build.empty() ? std::string("NR") : p.genome_build) + "; positions " + text(p.positions));
      kv_row(h, "Rows", rows + " (" + std::to_string(p.n_file_rows) + " variant rows in the file)");
      std::string skipped;
      for (const auto& [reason, n] : p.skipped) skipped += (skipped.empty() ? "" : ", ") + text(reason) + " " + std::to_string(n);
      kv_row(h, "Rows skipped", skipped.empty() ? std::string("none") : skipped + " (--pgs-skip-unsupported)");
      kv_row(h, "Evidence grades", "do not apply: every row is scored with its effect_weight");
    } else {
      kv_row(h, "Kind", "healcap panel TSV");
      kv_row(h, "Name", text(panel_title(p)));
      kv_row(h, "Rows", rows);
      kv_row(h, "Evidence grades", p.grades_apply ? "apply (the run's grades scored)" : "do not apply");
    }
    kv_row(h, "SHA-256", code(p.sha256));
    kv_row(h, "File", code(p.file));
    h += "</table>";
  }
  h += "</div>\n";
}

void render_header(Html& h, const RunReport& r) {
  h += "<div class=\"banner\" role=\"note\"><strong>Research use only.</strong> ";
  esc(h, r.research_use);
  h += ".</div>\n<header class=\"top\" id=\"top\"><h1>healcap report</h1><p class=\"sub\">";
  esc(h, panels_title(r) + " \u00b7 " + std::to_string(r.samples.size()) +
             (r.samples.size() == 1 ? " sample" : " samples") + " \u00b7 " + r.build_summary);
  h += "</p>\n<nav><a href=\"#run\">Run</a><a href=\"#cohort\">Cohort</a><a href=\"#samples\">Samples</a>";
  if (r.biomarkers.present) h += "<a href=\"#biomarkers\">Biomarkers</a>";
  h += "<a href=\"#sites\">Sites</a><a href=\"#method\">Method</a></nav></header>\n<main>\n";

  h += "<section id=\"run\"><h2>Run</h2>\n<table class=\"kv\">";
  kv_row(h, "healcap", text(r.version));
  if (r.panels_listed) {
    const std::string where = r.panels.size() == 1 ? "below" : std::to_string(r.panels.size()) + ", below";
    kv_row(h, r.panels.size() == 1 ? "Panel" : "Panels", text(panels_title(r)) + " (" + where + ")");
  } else {
    const ReportPanel& p = r.panels[0];
    kv_row(h, "Panel", text(panel_title(p)) + " (" + std::to_string(p.n_rows) + " rows)");
    kv_row(h, "Panel SHA-256", code(p.sha256));
    kv_row(h, "Panel file", code(p.file));
  }
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
  const bool any_tsv = std::any_of(r.panels.begin(), r.panels.end(), [](const ReportPanel& p) { return !p.score; });
  const bool any_score = std::any_of(r.panels.begin(), r.panels.end(), [](const ReportPanel& p) { return p.score; });
  if (any_tsv) kv_row(h, "Grades scored", text(grades) + (any_score ? " (panel TSVs; a PGS Catalog score's rows are all scored)" : ""));
  else kv_row(h, "Grades scored", "none apply: a PGS Catalog score's rows are all scored");
  kv_row(h, "Dosage", text(r.dosage));
  if (!r.call_state_options.empty()) kv_row(h, "Call-state options", text(r.call_state_options));
  if (r.min_completeness.present) kv_row(h, "--min-completeness", text(r.min_completeness.text));
  h += "</table>\n";
  if (r.panels_listed) render_panels(h, r);
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

// One panel's part of the cohort: its numbers (with several panels or a score), the histograms of its index and
// completeness (a score's own value first), and for a panel TSV its pathways and traits.
void render_cohort_panel(Html& h, const RunReport& r, const CohortView& c, size_t j) {
  const ReportPanel& p = r.panels[j];
  const PanelView& v = c.panels[j];
  const bool listed = r.panels_listed;
  if (listed) {
    h += "<div class=\"panel-block\" id=\"cohort-panel-" + std::to_string(j + 1) + "\" data-panel=\"" + html_escape(p.id) + "\"><h3>";
    esc(h, panel_title(p));
    h += p.score ? " <span class=\"kind\">PGS Catalog score</span></h3>\n<div>" : " <span class=\"kind\">healcap panel</span></h3>\n<div>";
    const auto stat = [&](const std::string& value, const std::string& label) {
      h += "<span class=\"stat\"><b>" + value + "</b>" + label + "</span>";
    };
    stat(std::to_string(v.n_too_little), "with too little data");
    if (p.score) {
      const auto ms = median(v.ws);
      stat(ms ? millionths_text(*ms) : "NA", "median score (weighted sum)");
    }
    const auto mi = median(v.hci), mc = median(v.completeness);
    stat(mi ? millionths_text(*mi) : "NA", p.score ? "median index (rescaled score)" : "median index");
    stat(mc ? millionths_text(*mc) : "NA", "median completeness");
    h += "</div>\n";
  }
  h += "<div class=\"hists main-hists\" data-panel-index=\"" + std::to_string(j) + "\"" + (j == 0 ? " id=\"hc-main-hists\">" : ">");
  if (p.score) histogram(h, v.ws, kMainHist, "ws", j, "all", "Polygenic score (weighted sum)", value_range(v.ws));
  histogram(h, v.hci, kMainHist, "hci", j, "all", p.score ? "Index (a rescaling of the score)" : "Healing-capacity index");
  histogram(h, v.completeness, kMainHist, "compl", j, "all", "Completeness");
  h += "</div>\n";
  if (p.score) {
    h += "<p class=\"note\">The score is the weighted sum of effect-allele dosages times effect_weight over the rows "
         "observed for a sample, as plink2 --score reports SCORE1_SUM; its histogram spans the cohort's range. The "
         "index is only a rescaling of the score to [0, 1], not a healing measure. A score has no pathways or traits.</p>\n";
  } else {
    const char* heading = listed ? "h4" : "h3";
    for (const bool pathway : {true, false}) {
      const auto& shown = pathway ? v.pathways : v.traits;
      const auto& names = pathway ? p.pathways : p.traits;
      h += std::string("<") + heading + ">By " + (pathway ? "pathway" : "trait") + "</" + heading + ">\n";
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
        histogram(h, group_values(r, j, pathway, g, true), kSmallHist, "hci", j, id, "index");
        histogram(h, group_values(r, j, pathway, g, false), kSmallHist, "compl", j, id, "completeness");
        h += "</div>";
      }
      h += "</div>\n";
    }
  }
  if (listed) h += "</div>\n";
}

void render_cohort(Html& h, const RunReport& r, const CohortView& c) {
  h += "<section id=\"cohort\"><h2>Cohort</h2>\n<div>";
  const auto stat = [&](const std::string& value, const std::string& label) {
    h += "<span class=\"stat\"><b>" + value + "</b>" + label + "</span>";
  };
  stat(std::to_string(c.n), "samples");
  if (!r.panels_listed) {  // one panel TSV: its numbers beside N
    const PanelView& v = c.panels[0];
    stat(std::to_string(v.n_too_little), "with too little data");
    const auto mi = median(v.hci), mc = median(v.completeness);
    stat(mi ? millionths_text(*mi) : "NA", "median index");
    stat(mc ? millionths_text(*mc) : "NA", "median completeness");
  } else if (r.panels.size() > 1) {
    stat(std::to_string(r.panels.size()), "panels, each scored apart");
  }
  h += "</div>\n<p class=\"note\">Too little data: the index is NA, or completeness is below " + millionths_text(c.low) +
       (r.min_completeness.present ? " (the run's --min-completeness)" : "") +
       (r.panels.size() > 1 ? ", in that panel" : "") + ".</p>\n";
  if (c.n == 0) {
    h += "<p>The input has no samples: the report holds the site ledger only.</p></section>\n";
    return;
  }
  if (c.n == 1) {
    h += "<p>One sample: this is a one-person report. Cohort distributions need at least two samples; the card under "
         "Samples holds this sample's scores.</p></section>\n";
    return;
  }
  const bool any_score = std::any_of(r.panels.begin(), r.panels.end(), [](const ReportPanel& p) { return p.score; });
  h += "<p class=\"note\">Histograms over [0, 1] in " + std::to_string(kReportHistogramBins) + " bins" +
       (any_score ? " (a score's over its range in the cohort)" : "") +
       "; samples whose value is NA are counted beside. A sample's card marks it on each (red line).</p>\n";
  for (size_t j = 0; j < r.panels.size(); ++j) render_cohort_panel(h, r, c, j);
  h += "</section>\n";
}

// A column of a panel in the samples table: the data block's key (the script draws the cells), its heading, and
// the samples.tsv column it equals (without the panel's prefix).
struct SampleColumn {
  const char* key;
  const char* heading;
  const char* tsv;  // "" when not a samples.tsv column
  bool sortable;
};

std::vector<SampleColumn> sample_columns(const ReportPanel& p) {
  std::vector<SampleColumn> c;
  if (p.score) c.push_back({"ws", "score (weighted sum)", "weighted_sum", true});
  c.push_back({"hci", p.score ? "index (rescaled)" : "index", "healing_capacity_index", true});
  c.push_back({"compl", "completeness", "completeness", true});
  c.push_back({"z", "z-score", "z_score", true});
  c.push_back({"obs", "scored rows observed", "", false});
  return c;
}

void render_samples(Html& h, const RunReport& r, const CohortView& c) {
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
    const bool several = r.panels.size() > 1;
    h += std::string("<p class=\"note\">Sort by a column heading; open a sample's card from its name. ") +
         (several ? "Each panel's numbers as in PREFIX.samples.tsv (the first panel's columns unprefixed, the others' "
                    "prefixed with the panel id; NA: not computable).</p>\n"
          : r.panels[0].score ? "Score (weighted sum), index, completeness and z-score as in PREFIX.samples.tsv (NA: not "
                                "computable).</p>\n"
                              : "Index, completeness and z-score as in PREFIX.samples.tsv (NA: not computable).</p>\n") +
         "<div class=\"controls\"><label>Find sample <input id=\"hc-find\" type=\"search\" autocomplete=\"off\"></label>"
         "<button id=\"hc-prev\" type=\"button\">Previous</button><span id=\"hc-page\"></span>"
         "<button id=\"hc-next\" type=\"button\">Next</button></div>\n";
    h += several ? "<div class=\"scroll\"><table class=\"data multi\" id=\"hc-samples\"><thead><tr>"
                 : "<div class=\"scroll\"><table class=\"data\" id=\"hc-samples\"><thead><tr>";
    const std::string span2 = several ? " rowspan=\"2\"" : "";
    h += "<th class=\"num\"" + span2 + ">#</th><th data-sort=\"name\"" + span2 + "><button type=\"button\">sample</button></th>";
    const auto columns = [&](size_t j) {
      for (const SampleColumn& col : sample_columns(r.panels[j])) {
        h += "<th class=\"num\"";
        if (col.sortable)
          h += " data-sort=\"" + std::to_string(j) + "." + col.key + "\"><button type=\"button\">" + col.heading + "</button></th>";
        else
          h += std::string(">") + col.heading + "</th>";
      }
    };
    if (several) {
      for (size_t j = 0; j < r.panels.size(); ++j) {
        h += "<th class=\"panel-head\" colspan=\"" + std::to_string(sample_columns(r.panels[j]).size()) + "\">";
        esc(h, panel_title(r.panels[j]));
        h += "</th>";
      }
      h += "<th rowspan=\"2\">data</th></tr><tr>";
      for (size_t j = 0; j < r.panels.size(); ++j) columns(j);
      h += "</tr>";
    } else {
      columns(0);
      h += "<th>data</th></tr>";
    }
    h += "</thead><tbody></tbody></table></div>\n";
  }
  h += "</section>\n";
}

void render_sites(Html& h, const RunReport& r) {
  h += "<section id=\"sites\"><h2>Sites</h2>\n";
  std::vector<SiteProblems> problems;
  std::map<std::string, size_t> by_state;
  std::vector<std::string> state_order;
  size_t n_scored = 0, n_problems = 0, n_low = 0, n_hwe = 0, n_eaf = 0, n_ref = 0, n_allele = 0;
  std::vector<size_t> panel_rows(r.panels.size(), 0), panel_scored(r.panels.size(), 0), panel_problems(r.panels.size(), 0);
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
    n_allele += p.allele_mismatch;
    panel_rows[s.panel]++;
    panel_scored[s.panel] += s.scored;
    panel_problems[s.panel] += p.any();
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
       std::to_string(n_ref) + " REF or build mismatches" +
       (r.panels_listed ? ", " + std::to_string(n_allele) + " allele mismatches (a record without both of a score row's alleles)" : "") +
       " (thresholds under Method).</p>\n";
  if (r.panels.size() > 1) {
    h += "<p>By panel: ";
    for (size_t j = 0; j < r.panels.size(); ++j) {
      h += j ? "; " : "";
      esc(h, r.panels[j].id);
      h += " " + std::to_string(panel_rows[j]) + " rows, " + std::to_string(panel_scored[j]) + " scored, " +
           std::to_string(panel_problems[j]) + " with a problem";
    }
    h += ".</p>\n";
  }
  std::vector<size_t> rows;
  for (size_t i = 0; i < r.sites.size(); ++i)
    if (r.sites.size() <= kReportMaxLedgerRows || problems[i].any() || r.sites[i].scored) rows.push_back(i);
  if (rows.size() > kReportMaxLedgerRows) rows.resize(kReportMaxLedgerRows);
  if (rows.size() < r.sites.size())
    h += "<p class=\"note\">" + std::to_string(rows.size()) + " of " + std::to_string(r.sites.size()) +
         " rows shown: those with a problem or scored, in panel order. PREFIX.sites.tsv holds every row.</p>\n";
  h += "<label class=\"controls\"><input type=\"checkbox\" id=\"hc-problems-only\"> only rows with a problem</label>\n";
  // With several panels or a score: the panel and both alleles; gene, grade, pathway, trait and evidence only when
  // a panel TSV has them (a score's rows have none).
  const bool listed = r.panels_listed;
  const bool curated = std::any_of(r.panels.begin(), r.panels.end(), [](const ReportPanel& p) { return !p.score; });
  h += std::string("<div class=\"scroll\"><table class=\"data\" id=\"hc-sites\"><thead><tr><th>row</th>") +
       (listed ? "<th>panel</th>" : "") + "<th>rsID</th>" + (curated ? "<th>gene</th>" : "") +
       "<th>state</th><th>reason</th><th>scored</th><th>match</th><th class=\"num\">call rate</th><th>counted allele</th>" +
       (listed ? "<th>effect allele</th><th>other allele</th>" : "") +
       "<th class=\"num\">frequency</th><th class=\"num\">panel EAF</th><th class=\"num\">HWE p</th><th>problems</th>" +
       (curated ? "<th>grade</th>" : "") + "<th class=\"num\">weight</th>" + (curated ? "<th>pathway</th><th>trait</th>" : "") +
       "<th>panel locus</th><th>record seen</th><th>note</th>" + (curated ? "<th>evidence</th>" : "") + "</tr></thead><tbody>\n";
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
    if (p.allele_mismatch) add("allele mismatch");
    if (p.low_call_rate) add("low call rate");
    if (p.hwe) add("HWE p < " + threshold(kReportHweP));
    if (p.eaf) {
      char b[64];
      std::snprintf(b, sizeof b, "frequency %+.3f from the panel's EAF", p.eaf_difference);
      add(b);
    }
    h += p.any() ? "<tr class=\"problem\"" : "<tr";
    if (listed) h += " data-panel=\"" + html_escape(r.panels[s.panel].id) + "\"";
    h += ">";
    td(false, "mono", text(s.id));
    if (listed) td(false, "panel", text(r.panels[s.panel].id));
    td(false, "", text(dot(s.rsid)));
    if (curated) td(false, "", text(dot(s.gene)));
    td(p.ref_mismatch || p.build_mismatch || p.allele_mismatch, "", text(s.state));
    td(false, "", text(dot(s.reason)));
    td(false, "", s.scored ? "yes" : "no");
    td(false, "", text(s.has_calls ? s.match : "."));
    td(p.low_call_rate, "num", text(s.has_calls ? num_or(s.call_rate, ".") : "."));
    td(false, "mono", text(s.has_calls ? s.counted_allele : "."));
    if (listed) {
      td(false, "mono", text(dot(s.effect_allele)));
      td(p.allele_mismatch, "mono", text(dot(s.other_allele)));
    }
    td(p.eaf, "num", text(s.has_calls ? num_or(s.counted_freq, ".") : "."));
    td(p.eaf, "num", text(num_or(s.eaf, ".")));
    td(p.hwe, "num", text(s.has_calls ? num_or(s.hwe_p, ".") : "."));
    td(p.any(), "", text(what));
    if (curated) td(false, "", text(dot(s.grade)));
    td(false, "num", text(num_or(s.weight, ".")));
    if (curated) {
      td(false, "", text(dot(s.pathway)));
      td(false, "", text(dot(s.trait)));
    }
    const ReportLocus& l = s.panel_locus;
    const std::string alleles = l.ref.empty() && l.alt.empty() ? "" : " " + dot(l.ref) + ">" + dot(l.alt);  // a score knows neither
    td(false, "mono", l.present ? text(l.chrom + ":" + std::to_string(l.pos) + alleles) : ".");
    const ReportLocus& seen = s.seen;
    td(p.ref_mismatch || p.allele_mismatch, "mono",
       seen.present ? text(seen.chrom + ":" + std::to_string(seen.pos) + " " + seen.ref + ">" + seen.alt + " " + seen.id) : ".");
    td(false, "note", text(dot(s.note)));
    if (curated) h += "<td class=\"cite\">" + citation_html(dot(s.evidence)) + "</td>";
    h += "</tr>\n";
  }
  h += "</tbody></table></div>\n</section>\n";
}

// What a healing panel's index means and does not mean.
void render_method_index(Html& h) {
  h += "<h3>What the index means</h3>\n<ul>"
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
       "whose completeness differs widely.</li></ul>\n";
}

// What a PGS Catalog score's numbers are.
void render_method_score(Html& h) {
  h += "<h3>PGS Catalog scores</h3>\n<ul>"
       "<li>A score's number is its weighted sum S: over the rows observed for a sample, effect_weight times the "
       "effect-allele dosage (by the row's model), as plink2 --score reports SCORE1_SUM with no-mean-imputation. Rows "
       "not observed add nothing, so read S beside completeness. The weights are those of the file, shown as written.</li>"
       "<li>Every row of the file is scored: evidence grades and --grades do not apply, and a score has no pathways or "
       "traits.</li>"
       "<li>Its healing_capacity_index is the same bounded rescaling, 1 - (S - m) / (M - m) over the observed rows: it "
       "only places S between the least and the greatest sum those rows allow (1 at the least). It is not a healing "
       "measure.</li>"
       "<li>The z-score needs the file's allelefrequency_effect; without it, it is NA.</li>"
       "<li>A polygenic score is not a diagnosis. It measures the score's trait (its header: trait reported, "
       "citation), with weights from the cohorts that made it; its distribution depends on ancestry and on which of "
       "its rows an input holds.</li></ul>\n";
}

void render_method(Html& h, const RunReport& r, const CohortView& c) {
  h += "<section id=\"method\"><h2>Method</h2>\n<h3>The score</h3>\n<ol class=\"formula\">";
  for (const auto& line : r.formula) h += "<li>" + text(line) + "</li>";
  const bool any_tsv = std::any_of(r.panels.begin(), r.panels.end(), [](const ReportPanel& p) { return !p.score; });
  const bool any_score = std::any_of(r.panels.begin(), r.panels.end(), [](const ReportPanel& p) { return p.score; });
  std::string grades;
  for (const auto& g : r.grades_scored) grades += (grades.empty() ? "" : ", ") + g;
  if (any_tsv) {
    h += "</ol>\n<p>Evidence grades scored in this run: ";
    esc(h, grades.empty() ? std::string("none") : grades);
    h += any_score ? " (in the panel TSVs; a PGS Catalog score's rows are all scored)" : "";
  } else {
    h += "</ol>\n<p>Evidence grades do not apply to a PGS Catalog score: every row is scored";
  }
  h += ". Dosage source: ";
  esc(h, r.dosage);
  h += ".</p>\n";
  if (r.panels.size() > 1)
    h += "<h3>Several panels</h3>\n<p>Each panel is scored apart, over its own rows, with the formulas above; the "
         "panels' numbers are never combined. samples.tsv has the first panel's columns unprefixed and each further "
         "panel's prefixed with its id; the ledger's panel column says which panel a row belongs to.</p>\n";
  if (any_tsv) render_method_index(h);
  if (any_score) render_method_score(h);
  h += "<h3>This report</h3>\n<ul>";
  h += "<li>Too little data: the index is NA, or completeness is below " + millionths_text(c.low) +
       (r.min_completeness.present ? " (the run's --min-completeness)." : " (the report's default; --min-completeness sets it).") +
       "</li>";
  h += "<li>Sites flagged: a call rate below " + threshold(kReportLowCallRate) +
       "; a Hardy-Weinberg exact-test p-value below " + threshold(kReportHweP) + "; a counted-allele frequency more than " +
       threshold(kReportEafDifference) + " from the panel's effect-allele frequency, with at least " +
       std::to_string(kReportMinCalledForFrequency) + " samples called; a REF mismatch, or a record only at the other "
       "build's position" + (r.panels_listed ? "; an allele mismatch (a record at a score row's position without both of "
                                               "its alleles)" : "") + ".</li>";
  h += "<li>Histograms have " + std::to_string(kReportHistogramBins) + " bins over [0, 1]" +
       (any_score ? " (a score's over its range in the cohort)" : "") +
       ". Numbers are those of the run's JSON, shown as in PREFIX.samples.tsv and PREFIX.sites.tsv.</li></ul>\n</section>\n</main>\n";
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
  h += ",\"eafpop\":";
  str(r.eaf_population);
  h += ",\"states\":[";
  for (size_t j = 0; j < r.call_states.size(); ++j) {
    if (j) h += ',';
    str(r.call_states[j].second);
  }
  h += "],\"several\":";
  h += r.panels.size() > 1 ? "true" : "false";
  // Per panel: its id, samples.tsv prefix, kind, title and the groups drawn (pathways, then traits, with scored rows).
  struct Shown {
    bool pathway;
    size_t g;
  };
  std::vector<std::vector<Shown>> shown(r.panels.size());
  h += ",\"panels\":[";
  for (size_t j = 0; j < r.panels.size(); ++j) {
    const ReportPanel& p = r.panels[j];
    for (size_t g : c.panels[j].pathways) shown[j].push_back({true, g});
    for (size_t g : c.panels[j].traits) shown[j].push_back({false, g});
    h += j ? ",{\"id\":" : "{\"id\":";
    str(p.id);
    h += ",\"prefix\":";
    str(tsv_prefix(r, j));
    h += ",\"score\":";
    h += p.score ? "true" : "false";
    h += ",\"title\":";
    str(panel_title(p));
    h += ",\"groups\":[";
    for (size_t i = 0; i < shown[j].size(); ++i) {
      const Shown& x = shown[j][i];
      h += i ? ",{\"id\":" : "{\"id\":";
      str(std::string(x.pathway ? "p" : "t") + std::to_string(x.g));
      h += ",\"kind\":";
      str(x.pathway ? "pathway" : "trait");
      h += ",\"name\":";
      str(x.pathway ? p.pathways[x.g] : p.traits[x.g]);
      h += '}';
    }
    h += "]}";
  }
  h += "],\"s\":{\"name\":[";
  for (size_t k = 0; k < c.n; ++k) {
    if (k) h += ',';
    str(r.samples[k].name);
  }
  h += "],\"p\":[";
  for (size_t j = 0; j < r.panels.size(); ++j) {
    const PanelView& v = c.panels[j];
    h += j ? ",{\"n\":" : "{\"n\":";
    append_int(h, static_cast<int64_t>(c.n));
    column("hci", v.hci);
    column("compl", v.completeness);
    column("z", v.z);
    if (r.panels[j].score) column("ws", v.ws);
    // What each sample's z-score rests on: its rows, their share of the observed |weight|, and why it is NA.
    h += ",\"zn\":[";
    for (size_t k = 0; k < c.n; ++k) {
      if (k) h += ',';
      append_int(h, r.samples[k].panels[j].all.n_z_sites);
    }
    h += ']';
    {
      std::vector<std::optional<int64_t>> zw;
      for (size_t k = 0; k < c.n; ++k) zw.push_back(report_millionths(r.samples[k].panels[j].all.z_weight_share));
      column("zw", zw);
    }
    h += ",\"zt\":[";
    for (size_t k = 0; k < c.n; ++k) {
      if (k) h += ',';
      const ReportGroup& g = r.samples[k].panels[j].all;
      str(z_note_sentence(g.z_note, g.n_z_sites, r.eaf_population.empty() ? "panel" : r.eaf_population));
    }
    h += ']';
    h += ",\"rows\":[";
    for (size_t k = 0; k < c.n; ++k) {
      if (k) h += ',';
      append_int(h, r.samples[k].panels[j].all.n_rows);
    }
    h += "],\"st\":[";
    for (size_t k = 0; k < c.n; ++k) {
      h += k ? ",[" : "[";
      const auto& st = r.samples[k].panels[j].all.n_state;
      for (size_t i = 0; i < st.size(); ++i) {
        if (i) h += ',';
        append_int(h, st[i]);
      }
      h += ']';
    }
    h += ']';
    if (c.n && r.samples[0].panels[j].below_min_completeness) {
      h += ",\"below\":[";
      for (size_t k = 0; k < c.n; ++k)
        h += std::string(k ? "," : "") + (r.samples[k].panels[j].below_min_completeness.value_or(false) ? "1" : "0");
      h += ']';
    }
    for (const auto& [key, index] : {std::pair<const char*, bool>{"ghci", true}, {"gcompl", false}}) {
      h += ",\"";
      h += key;
      h += "\":[";
      for (size_t i = 0; i < shown[j].size(); ++i) {
        h += i ? ",[" : "[";
        const auto gv = group_values(r, j, shown[j][i].pathway, shown[j][i].g, index);
        for (size_t k = 0; k < gv.size(); ++k) {
          if (k) h += ',';
          m_or_null(gv[k]);
        }
        h += ']';
      }
      h += ']';
    }
    h += ",\"grows\":[";
    for (size_t i = 0; i < shown[j].size(); ++i) {
      h += i ? ",[" : "[";
      for (size_t k = 0; k < c.n; ++k) {
        if (k) h += ',';
        const ReportScores& x = r.samples[k].panels[j];
        append_int(h, (shown[j][i].pathway ? x.by_pathway[shown[j][i].g] : x.by_trait[shown[j][i].g]).n_rows);
      }
      h += ']';
    }
    h += "]}";
  }
  h += "]}";
  append_biomarker_card_data(h, r);

  // Per site, the distinct (genotype, call state, dosage) of its samples and one code per sample, in a fixed
  // width of base-64 digits: a card is drawn from these without a copy of every call.
  const size_t chars = report_call_count(r);
  const bool with_calls = r.calls_loaded && chars <= kReportMaxGenotypeChars;
  static constexpr char kDigits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  h += ",\"gt\":";
  h += with_calls ? "true" : "false";
  h += ",\"gtNote\":";
  str(with_calls                          ? ""
      : chars > kReportMaxGenotypeChars ? "The genotypes are left out of the cards: " + std::to_string(chars) +
                                              " sample-site calls exceed the report's budget. PREFIX.calls.tsv.gz holds them."
                                        : "The genotypes are left out of the cards: " + r.calls_note);
  h += ",\"sites\":[";
  for (size_t i = 0; i < r.sites.size(); ++i) {
    const ReportSite& s = r.sites[i];
    h += i ? ",\n{\"id\":" : "\n{\"id\":";
    str(s.id);
    h += ",\"rsid\":";
    if (s.rsid.empty()) h += "null";
    else str(s.rsid);
    if (r.panels_listed) h += ",\"p\":" + std::to_string(s.panel);
    h += ",\"gene\":";
    str(dot(s.gene));
    h += ",\"trait\":";
    str(dot(s.trait));
    h += ",\"ea\":";
    if (s.effect_allele.empty()) h += "null";
    else str(s.effect_allele);
    if (r.panels_listed) {
      h += ",\"oa\":";
      if (s.other_allele.empty()) h += "null";
      else str(s.other_allele);
    }
    h += ",\"w\":";
    str(num_or(s.weight, "."));
    h += ",\"model\":";
    str(s.model);
    h += ",\"grade\":";
    str(dot(s.grade));
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
      const std::vector<ReportCall>& first = s.calls;
      const std::vector<uint32_t>& code = s.call_of;
      size_t width = 1;
      for (size_t cap = 64; cap < first.size(); cap *= 64) ++width;
      h += ",\"t\":[";
      for (size_t j = 0; j < first.size(); ++j) {
        h += j ? ",[" : "[";
        str(first[j].gt);
        h += ',';
        str(std::string(1, first[j].state));
        h += ',';
        if (first[j].dosage.empty()) h += "null";
        else str(first[j].dosage);
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

std::string report_panels_title(const RunReport& r) {
  std::string t;
  for (const ReportPanel& p : r.panels) t += (t.empty() ? "" : " + ") + panel_title(p);
  return t;
}

std::string render_report_html(const RunReport& r) {
  const CohortView c = cohort_view(r);
  Html h;
  h.reserve(1 << 16);
  render_head(h, r);
  render_header(h, r);
  render_cohort(h, r, c);
  render_samples(h, r, c);
  render_biomarker_section(h, r);
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
