// The MultiQC custom-content sinks: PREFIX.healcap_general_mqc.tsv, PREFIX.healcap_indexes_mqc.tsv and
// PREFIX.healcap_problem_sites_mqc.tsv, read by `multiqc RUN_FOLDER` (README "MultiQC").
//
// Facts of MultiQC 1.14 (Debian bookworm) this file is written for:
// - Sample names in a custom-content JSON or YAML file go through MultiQC's file-name cleaning (S1.vcf.gz
//   becomes S1, a/b becomes b); the first column of a TSV is read as it is. So the files are TSV, with their
//   configuration as YAML in '#' lines.
// - A TSV cell that parses as a number becomes a float (a sample "1001" would become 1001.0), and one pair of
//   quotes around a cell is stripped: every text cell is quoted.
// - Names and cells go into the report's HTML unescaped: multiqc_text() writes & < > " ' as entities.
// - Debian strips Highcharts, so bar and line plots never draw: only General Statistics and tables, and a table
//   of 500 rows or more would become a beeswarm plot unless no_beeswarm is set.
// - Columns without a placement are sorted by title: table columns get one; the General Statistics titles
//   sort in the order wanted (HCI, HCI completeness, HCI sites called), so that each run's stay together.
// - Files with the same id are merged, a row of the later one replacing the earlier's: every id holds the
//   run's name (the output prefix's file name), so two runs in one folder keep their own columns and sections.
// - A table with no rows is a warning: an empty table is written as a sentence (plot_type html) instead.
#include "multiqc.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <vector>

#include "scan_report.h"
#include "sink_factories.h"
#include "text_sink.h"
#include "version.h"

namespace healcap {

namespace {

constexpr const char* kResearchUse = "Research use only: not a diagnosis.";

void append_hex(std::string& o, const char* format, unsigned v) {
  char b[12];
  std::snprintf(b, sizeof b, format, v);
  o += b;
}

std::string general6(double x) {
  char buf[48];
  const auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::general, 6);
  return std::string(buf, r.ptr);
}

std::string cell(const std::optional<double>& x) { return x ? fixed6(*x) : ""; }  // empty: MultiQC's blank cell
std::string text_cell(std::string_view s) { return "\"" + multiqc_text(s) + "\""; }
// A YAML string (JSON syntax is valid YAML) of text shown in the report.
std::string shown(std::string_view s) { return json_str(multiqc_text(s)); }

// One column of a table or of General Statistics.
struct Column {
  enum Kind { kIndex, kFraction, kCount, kNumber, kPValue, kText };
  std::string key, title, description;
  Kind kind;
};

// `placed`: each column gets a placement, keeping the given order (a table); without, MultiQC sorts a file's
// columns by title and keeps them together (General Statistics, where two runs' columns would else interleave).
std::string column_config(const std::vector<Column>& cols, const char* indent, bool placed) {
  std::string o;
  for (size_t i = 0; i < cols.size(); ++i) {
    const Column& c = cols[i];
    const std::string in = std::string("#") + indent;
    o += in + c.key + ":\n";
    o += in + "  title: " + shown(c.title) + "\n";
    o += in + "  description: " + shown(c.description) + "\n";
    if (placed) o += in + "  placement: " + std::to_string(1000 + i) + "\n";
    switch (c.kind) {
      case Column::kIndex:
        o += in + "  min: 0\n" + in + "  max: 1\n" + in + "  scale: \"RdYlGn\"\n" + in + "  format: \"{:,.3f}\"\n";
        break;
      case Column::kFraction:
        o += in + "  min: 0\n" + in + "  max: 1\n" + in + "  scale: \"Blues\"\n" + in + "  format: \"{:,.3f}\"\n";
        break;
      case Column::kCount:
        o += in + "  min: 0\n" + in + "  scale: false\n" + in + "  format: \"{:,.0f}\"\n";
        break;
      case Column::kNumber:
        o += in + "  scale: false\n" + in + "  format: \"{:,.3f}\"\n";
        break;
      case Column::kPValue:
        o += in + "  scale: false\n" + in + "  format: \"{:.3g}\"\n";
        break;
      case Column::kText:
        o += in + "  scale: false\n";
        break;
    }
  }
  return o;
}

// The lines every file starts with: what it is, and its id.
std::string preamble(const std::string& label, const char* what, const char* id_suffix) {
  return "## healcap " HEALCAP_VERSION ": MultiQC custom content for the run " + multiqc_text(label) + " (" + what +
         "). " + kResearchUse + "\n# id: " + json_str("healcap-" + multiqc_id(label) + "-" + id_suffix) + "\n";
}

// The section the tables go in: one per run, named after it.
std::string parent(const ScanResult& r, const std::string& label) {
  const std::string text =
      "healcap " HEALCAP_VERSION ", panel " + r.panel->name() + " " + r.panel->version() + " (SHA-256 " +
      r.panel->sha256().substr(0, 12) + "), build " + std::string(to_string(r.build)) +
      ". The healing-capacity index (HCI) is 1 - (S - m) / (M - m): S is the weighted count of worse-outcome "
      "alleles over the scored panel rows a sample has calls at, M and m the most and the least it could be there; "
      "higher means fewer worse-outcome alleles. Read it beside its completeness, the weighted share of the scored "
      "rows observed. Every value is in " + label +
      ".samples.tsv, " + label + ".sites.tsv and " + label + ".json. " + kResearchUse;
  return "# parent_id: " + json_str("healcap-" + multiqc_id(label)) + "\n# parent_name: " + shown("healcap: " + label) +
         "\n# parent_description: " + shown(text) + "\n";
}

// A section holding a sentence instead of an empty table.
std::string sentence_section(const std::string& head, const std::string& section, const std::string& text) {
  return head + "# section_name: " + shown(section) + "\n# description: " + shown(std::string(kResearchUse)) +
         "\n# plot_type: \"html\"\n# file_format: \"tsv\"\n<p>" + multiqc_text(text) + "</p>\n";
}

// The General Statistics columns, titled so that they sort in this order.
std::vector<Column> index_columns() {
  return {{"healing_capacity_index", "HCI",
           "Healing-capacity index (healcap), 0 to 1: higher = fewer worse-outcome alleles over the observed scored "
           "panel rows (blank: nothing observed). Research use only.",
           Column::kIndex},
          {"completeness", "HCI completeness",
           "Completeness of the HCI: the weighted share of the scored panel rows observed (healcap). Research use only.",
           Column::kFraction},
          {"n_called", "HCI sites called", "Scored panel rows with a genotype or dosage read (healcap). Research use only.",
           Column::kCount}};
}

}  // namespace

std::string multiqc_text(std::string_view s) {
  std::string o;
  o.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '&': o += "&amp;"; break;
        case '<': o += "&lt;"; break;
        case '>': o += "&gt;"; break;
        case '"': o += "&quot;"; break;
        case '\'': o += "&#39;"; break;
        default:
          if (c < 0x20 || c == 0x7f) append_hex(o, "\\x%02x", c);
          else o += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    // A UTF-8 sequence: its length from the lead byte, then no overlong form, surrogate or value past U+10FFFF.
    const size_t n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    bool ok = n > 0 && i + n <= s.size();
    for (size_t k = 1; ok && k < n; ++k) ok = (static_cast<unsigned char>(s[i + k]) & 0xc0) == 0x80;
    if (ok) {
      const unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
      if ((c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 >= 0xa0) || (c == 0xf0 && c1 < 0x90) || (c == 0xf4 && c1 >= 0x90))
        ok = false;
    }
    if (!ok) {
      append_hex(o, "\\x%02x", c);
      ++i;
      continue;
    }
    uint32_t cp = c & (0x7f >> n);
    for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
    // C1 controls (U+0085 among them) end a line in Python, as do U+2028 and U+2029; YAML refuses U+FFFE/U+FFFF.
    if (cp <= 0x9f || cp == 0x2028 || cp == 0x2029 || cp == 0xfffe || cp == 0xffff) append_hex(o, "\\u%04x", cp);
    else o.append(s.substr(i, n));
    i += n;
  }
  return o;
}

std::string multiqc_id(std::string_view label) {
  std::string o;
  for (const char ch : label) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')
      o += ch;
    else
      append_hex(o, "%%%02X", c);
  }
  return o;
}

std::string multiqc_general(const ScanResult& r, const std::string& label) {
  std::string o = preamble(label, "General Statistics columns", "general");
  if (r.samples.empty())
    return sentence_section(o + parent(r, label), "General Statistics",
                            "This run has no samples (a sites-only input): healcap adds no General Statistics columns.");
  o += "# plot_type: \"generalstats\"\n# file_format: \"tsv\"\n# namespace: " + shown("healcap " + label) +
       "\n# description: " + shown(std::string("healcap per-sample summary. ") + kResearchUse) + "\n# pconfig:\n";
  const std::vector<Column> cols = index_columns();
  o += column_config(cols, "   ", false);
  o += "sample";
  for (const Column& c : cols) o += "\t" + c.key;
  o += "\n";
  for (size_t k = 0; k < r.samples.size(); ++k) {
    const GroupScore& a = r.scores[k].all;
    o += text_cell(r.samples[k]) + "\t" + cell(a.index()) + "\t" + cell(a.completeness()) + "\t" +
         std::to_string(a.n(CallState::kCalled)) + "\n";
  }
  return o;
}

std::string multiqc_indexes(const ScanResult& r, const std::string& label) {
  std::string o = preamble(label, "a table of per-sample indexes", "indexes") + parent(r, label);
  const char* section = "Indexes per sample, pathway and trait";
  if (r.samples.empty())
    return sentence_section(o, section, "This run has no samples (a sites-only input): there are no indexes to show.");
  std::vector<Column> cols = index_columns();
  cols.push_back({"n_scored_sites", "Scored rows", "Scored panel rows asked for (healcap).", Column::kCount});
  cols.push_back({"z_score", "z-score",
                  "(S - E[S]) / sd(S) under Hardy-Weinberg with the panel's effect-allele frequencies, over the "
                  "observed rows that have one; higher = more worse-outcome alleles than expected (blank: no such row).",
                  Column::kNumber});
  // A pathway or trait column only where the run scores rows of it.
  std::vector<size_t> pathways, traits;
  for (size_t p = 0; p < pathway_vocabulary().size(); ++p)
    for (const SampleScore& s : r.scores)
      if (s.by_pathway[p].n_rows > 0) {
        pathways.push_back(p);
        break;
      }
  for (size_t t = 0; t < trait_vocabulary().size(); ++t)
    for (const SampleScore& s : r.scores)
      if (s.by_trait[t].n_rows > 0) {
        traits.push_back(t);
        break;
      }
  for (size_t p : pathways) {
    const auto& v = pathway_vocabulary()[p];
    cols.push_back({"hci_pathway_" + std::string(v.name), "Pathway " + std::string(v.name),
                    "Healing-capacity index over the scored rows of the pathway " + std::string(v.name) + ": " +
                        std::string(v.description) + " (blank: nothing observed).",
                    Column::kIndex});
  }
  for (size_t t : traits) {
    const auto& v = trait_vocabulary()[t];
    cols.push_back({"hci_trait_" + std::string(v.name), "Trait " + std::string(v.name),
                    "Healing-capacity index over the scored rows of the trait " + std::string(v.name) + ": " +
                        std::string(v.description) + " (blank: nothing observed).",
                    Column::kIndex});
  }
  o += "# section_name: " + shown(section) + "\n# description: " +
       shown("Per sample (" + label + ".samples.tsv): the index and completeness over all scored rows, the z-score, "
             "and the index over each pathway's and trait's scored rows. " + kResearchUse) +
       "\n# plot_type: \"table\"\n# file_format: \"tsv\"\n# pconfig:\n#   id: " +
       json_str("healcap-" + multiqc_id(label) + "-indexes-table") + "\n#   namespace: " + shown("healcap " + label) +
       "\n#   col1_header: \"Sample\"\n#   no_beeswarm: true\n# headers:\n";
  o += column_config(cols, "   ", true);
  o += "sample";
  for (const Column& c : cols) o += "\t" + c.key;
  o += "\n";
  for (size_t k = 0; k < r.samples.size(); ++k) {
    const SampleScore& s = r.scores[k];
    o += text_cell(r.samples[k]) + "\t" + cell(s.all.index()) + "\t" + cell(s.all.completeness()) + "\t" +
         std::to_string(s.all.n(CallState::kCalled)) + "\t" + std::to_string(s.all.n_rows) + "\t" + cell(s.all.z_score());
    for (size_t p : pathways) o += "\t" + cell(s.by_pathway[p].index());
    for (size_t t : traits) o += "\t" + cell(s.by_trait[t].index());
    o += "\n";
  }
  return o;
}

std::string multiqc_problem_sites(const ScanResult& r, const std::string& label) {
  std::string o = preamble(label, "a table of the scored panel rows with problems", "problem-sites") + parent(r, label);
  const char* section = "Scored panel rows with problems";
  const std::string rules =
      "a state other than found or ref_block (not_in_input, ref_mismatch, allele_absent, build_mismatch, "
      "no_coordinates, filtered); a call rate below " + general6(kMqcMinCallRate) +
      " (low_call_rate); a Hardy-Weinberg exact-test p below " + general6(kMqcMinHweP) +
      " (hwe_deviation); a counted-allele frequency more than " + general6(kMqcMaxEafDifference) + " and more than " +
      general6(kMqcEafStandardErrors) + " binomial standard errors from the panel's effect-allele frequency "
      "(frequency_vs_eaf)";
  const size_t n_samples = r.samples.size();
  std::string rows;
  size_t n_rows = 0;
  for (size_t i = 0; i < r.panel->sites().size(); ++i) {
    const PanelSite& s = r.panel->sites()[i];
    const SiteResult& res = r.store->results()[i];
    if (!r.score.scores(s) || res.state == SiteState::kOutsideRegions) continue;
    std::vector<std::string> problems;
    if (res.state != SiteState::kFound && res.state != SiteState::kRefBlock) problems.emplace_back(to_string(res.state));
    const bool calls = res.state == SiteState::kFound || res.state == SiteState::kRefBlock || res.state == SiteState::kFiltered;
    SiteStats st;
    if (calls && n_samples > 0) {  // a sites-only input has no calls to judge
      st = site_stats(res, n_samples);
      if (st.call_rate < kMqcMinCallRate) problems.emplace_back("low_call_rate");
      if (st.hwe_p && *st.hwe_p < kMqcMinHweP) problems.emplace_back("hwe_deviation");
      if (s.eaf && st.counted_freq && res.match.counted_allele != -2) {
        int64_t alleles = 0;
        for (const Call& c : res.calls)
          if (c.observed()) alleles += c.ploidy;
        const double diff = std::fabs(*st.counted_freq - *s.eaf);
        const double se = std::sqrt(*s.eaf * (1 - *s.eaf) / static_cast<double>(alleles));
        if (diff > kMqcMaxEafDifference && diff > kMqcEafStandardErrors * se) problems.emplace_back("frequency_vs_eaf");
      }
    }
    if (problems.empty()) continue;
    std::string joined;
    for (size_t k = 0; k < problems.size(); ++k) joined += (k ? ", " : "") + problems[k];
    const bool judged = calls && n_samples > 0;
    rows += text_cell(s.id) + "\t" + text_cell(joined) + "\t" + text_cell(s.gene) + "\t" +
            text_cell(s.rsid.empty() ? "." : s.rsid) + "\t" + text_cell(to_string(s.trait)) + "\t" +
            text_cell(to_string(res.state)) + "\t" + (judged ? std::to_string(st.n_called) : "") + "\t" +
            (judged ? fixed6(st.call_rate) : "") + "\t" + (judged ? cell(st.counted_freq) : "") + "\t" +
            (s.eaf ? general6(*s.eaf) : "") + "\t" + (judged && st.hwe_p ? general6(*st.hwe_p) : "") + "\n";
    ++n_rows;
  }
  if (n_rows == 0)
    return sentence_section(o, section, "No scored panel row has a problem. A row is listed for " + rules + ".");
  const std::vector<Column> cols = {
      {"problem", "Problem", "Why the row is listed: " + rules + ".", Column::kText},
      {"gene", "Gene", "The panel row's gene.", Column::kText},
      {"rsid", "rsID", "The panel row's rsID.", Column::kText},
      {"trait", "Trait", "The panel row's trait.", Column::kText},
      {"state", "State", "What the scan found at the row (" + label + ".sites.tsv).", Column::kText},
      {"n_called", "Called", "Samples with an observed call at the row.", Column::kCount},
      {"call_rate", "Call rate", "Share of the samples with an observed call.", Column::kFraction},
      {"counted_allele_freq", "Frequency", "The counted (effect) allele's frequency over the observed calls.",
       Column::kNumber},
      {"eaf", "Panel EAF", "The panel's effect-allele frequency.", Column::kNumber},
      {"hwe_p", "HWE p", "Hardy-Weinberg exact-test p-value over the diploid calls.", Column::kPValue}};
  o += "# section_name: " + shown(section) + "\n# description: " +
       shown("The scored panel rows listed for " + rules + "; every row is in " + label + ".sites.tsv. " + kResearchUse) +
       "\n# plot_type: \"table\"\n# file_format: \"tsv\"\n# pconfig:\n#   id: " +
       json_str("healcap-" + multiqc_id(label) + "-problem-sites-table") + "\n#   namespace: " +
       shown("healcap " + label) + "\n#   col1_header: \"Panel row\"\n#   no_beeswarm: true\n# headers:\n";
  o += column_config(cols, "   ", true);
  o += "id";
  for (const Column& c : cols) o += "\t" + c.key;
  return o + "\n" + rows;
}

namespace {

// The run's name: the file name of PREFIX.
std::string run_label(const std::string& prefix) {
  const size_t slash = prefix.rfind('/');
  return slash == std::string::npos ? prefix : prefix.substr(slash + 1);
}

class MultiqcSink : public TextSink {
 public:
  using Make = std::string (*)(const ScanResult&, const std::string&);
  MultiqcSink(const std::string& prefix, const char* suffix, Make make, OutputSet& set)
      : TextSink(prefix + suffix, set), label_(run_label(prefix)), make_(make) {}
  void write(const ScanResult& r) override { write_text(make_(r, label_)); }

 private:
  std::string label_;
  Make make_;
};

}  // namespace

std::unique_ptr<Sink> make_multiqc_general_sink(const SinkRequest& req, OutputSet& set) {
  return std::make_unique<MultiqcSink>(req.out_prefix, ".healcap_general_mqc.tsv", multiqc_general, set);
}
std::unique_ptr<Sink> make_multiqc_indexes_sink(const SinkRequest& req, OutputSet& set) {
  return std::make_unique<MultiqcSink>(req.out_prefix, ".healcap_indexes_mqc.tsv", multiqc_indexes, set);
}
std::unique_ptr<Sink> make_multiqc_problem_sites_sink(const SinkRequest& req, OutputSet& set) {
  return std::make_unique<MultiqcSink>(req.out_prefix, ".healcap_problem_sites_mqc.tsv", multiqc_problem_sites, set);
}

}  // namespace healcap
