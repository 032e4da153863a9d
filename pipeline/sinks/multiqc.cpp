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
// - Columns without a placement are sorted by title: table columns get one; the General Statistics titles of one
//   healcap panel sort in the order wanted (HCI, HCI completeness, HCI sites called), so that each run's stay
//   together. A General Statistics pconfig written as a list of one-key maps keeps the list's order instead: runs
//   over several panels or a PGS Catalog score use it (a score's titles would sort completeness before score).
// - Files with the same id are merged, a row of the later one replacing the earlier's: every id holds the
//   run's name (the output prefix's file name), so two runs in one folder keep their own columns and sections.
// - A table with no rows is a warning: an empty table is written as a sentence (plot_type html) instead.
//
// With several panels or a PGS Catalog score, each panel gets its own columns and every problem row names its panel
// (sites.tsv's panel column); a run over one healcap panel writes what it wrote before there were several.
#include "multiqc.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <vector>

#include "scan_report.h"
#include "streamed_text.h"
#include "text_buffer.h"
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
void cell(TextBuffer& t, const std::optional<double>& x) {
  if (x) t.fixed6(*x);
}
void text_cell(TextBuffer& t, std::string_view s) {
  t += '"';
  for (const char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f || c == '&' || c == '<' ||
        c == '>' || c == '"' || c == '\'') {
      t += multiqc_text(s);
      t += '"';
      return;
    }
  t += s;
  t += '"';
}

// Samples per block of the per-sample tables.
constexpr size_t kMqcSamplesPerBlock = 1024;
// A YAML string (JSON syntax is valid YAML) of text shown in the report.
std::string shown(std::string_view s) { return json_str(multiqc_text(s)); }

// One column of a table or of General Statistics.
struct Column {
  enum Kind { kIndex, kFraction, kCount, kNumber, kScore, kPValue, kText };  // kScore: a PGS sum, any scale
  std::string key, title, description;
  Kind kind;
};

// How column_config lays the columns out for MultiQC 1.14.
enum class Layout {
  kPlaced,  // each column gets a placement, keeping the given order (a table)
  kSorted,  // a map without placements: MultiQC sorts a file's columns by title and keeps them together (General
            // Statistics of one healcap panel, whose titles sort in the order wanted)
  kListed,  // a list of one-key maps: MultiQC keeps the file's columns together in the given order (General
            // Statistics of several panels or a score, whose titles would not sort per panel)
};

std::string column_config(const std::vector<Column>& cols, const char* indent, Layout layout) {
  std::string o;
  for (size_t i = 0; i < cols.size(); ++i) {
    const Column& c = cols[i];
    const std::string in = std::string("#") + indent + (layout == Layout::kListed ? "    " : "");
    o += layout == Layout::kListed ? std::string("#") + indent + "- " + c.key + ":\n" : in + c.key + ":\n";
    o += in + "  title: " + shown(c.title) + "\n";
    o += in + "  description: " + shown(c.description) + "\n";
    if (layout == Layout::kPlaced) o += in + "  placement: " + std::to_string(1000 + i) + "\n";
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
      case Column::kScore:
        o += in + "  scale: false\n" + in + "  format: \"{:.4g}\"\n";
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

// One panel of the run as the files show it (Panel::components(), in --panel order).
struct PanelView {
  size_t c = 0;
  const PanelComponent* comp = nullptr;
  std::string key;    // column-key prefix: "" for the first panel, "<id>_" after it (samples.tsv's column names)
  std::string title;  // column-title prefix: "" for a first healcap panel, "<id> " for a score or a later panel
  std::string note;   // added to column descriptions when the run names its panels: " Panel <id> (...)."
  bool eaf = false;   // some row of the panel has an effect-allele frequency (else it has no z-score)

  bool curated() const { return comp->kind == PanelKind::kTsv; }
  // The panel's scores for a sample: the first panel's are the sample's own (SampleScore).
  const GroupScore& all(const SampleScore& s) const { return c == 0 ? s.all : s.panels[c].all; }
  const std::vector<GroupScore>& by_pathway(const SampleScore& s) const {
    return c == 0 ? s.by_pathway : s.panels[c].by_pathway;
  }
  const std::vector<GroupScore>& by_trait(const SampleScore& s) const { return c == 0 ? s.by_trait : s.panels[c].by_trait; }
};

// What a panel is, for the text: "healcap-healing 0.3" or "PGS Catalog score GRS77_CRP" (with the pgs_id when the
// panel's id is not it).
std::string panel_what(const PanelComponent& c) {
  if (c.kind == PanelKind::kTsv) return c.name + (c.version.empty() ? "" : " " + c.version);
  return "PGS Catalog score " + (c.pgs_id == c.id ? "" : c.pgs_id + " ") + c.name;
}

// The run's panels. With one healcap panel the files are what they were before several panels (no notes, no
// panel column); with several, or a score, every column and row says its panel (as sites.tsv's panel column).
std::vector<PanelView> panel_views(const Panel& panel) {
  const bool named = panels_reported(panel);
  std::vector<PanelView> v;
  for (size_t c = 0; c < panel.components().size(); ++c) {
    const PanelComponent& comp = panel.components()[c];
    PanelView p;
    p.c = c;
    p.comp = &comp;
    p.key = c == 0 ? "" : comp.id + "_";
    p.title = c == 0 && comp.kind == PanelKind::kTsv ? "" : comp.id + " ";
    if (named) p.note = " Panel " + comp.id + " (" + panel_what(comp) + ").";
    for (size_t i = comp.first_row; i < comp.first_row + comp.n_rows && !p.eaf; ++i) p.eaf = panel.sites()[i].eaf.has_value();
    v.push_back(std::move(p));
  }
  return v;
}

bool has_kind(const Panel& panel, PanelKind k) {
  for (const PanelComponent& c : panel.components())
    if (c.kind == k) return true;
  return false;
}

// The section the tables go in: one per run, named after it, naming every panel with its own identity.
std::string parent(const ScanResult& r, const std::string& label) {
  // What the HCI is, after its subject.
  const char* const hci =
      " 1 - (S - m) / (M - m): S is the weighted count of worse-outcome alleles over the scored panel rows a sample "
      "has calls at, M and m the most and the least it could be there; higher means fewer worse-outcome alleles. Read "
      "it beside its completeness, the weighted share of the scored rows observed. ";
  std::string text;
  if (!panels_reported(*r.panel)) {
    text = "healcap " HEALCAP_VERSION ", panel " + r.panel->name() + " " + r.panel->version() + " (SHA-256 " +
           r.panel->sha256().substr(0, 12) + "), build " + std::string(to_string(r.build)) +
           ". The healing-capacity index (HCI) is" + hci;
  } else {
    const auto& comps = r.panel->components();
    text = "healcap " HEALCAP_VERSION ", " + std::string(comps.size() > 1 ? "panels" : "panel") + " ";
    for (size_t c = 0; c < comps.size(); ++c)
      text += (c ? "; " : "") + comps[c].id + " (" + panel_what(comps[c]) + ", SHA-256 " + comps[c].sha256.substr(0, 12) + ")";
    text += ", build " + std::string(to_string(r.build)) + ". ";
    if (comps.size() > 1)
      text += "The first panel's columns are named as in a run of it alone; each later panel's are titled with its "
              "id (" + label + ".samples.tsv: <id>_...). ";
    if (has_kind(*r.panel, PanelKind::kTsv)) text += std::string("The healing-capacity index (HCI) of a healcap panel is") + hci;
    if (has_kind(*r.panel, PanelKind::kPgsCatalog))
      text += "A PGS Catalog score is shown as its weighted sum S, the sum of effect_weight x effect-allele dosage over "
              "the score's rows a sample has calls at (the polygenic score; rows without a call add nothing), beside "
              "its completeness, the weighted share of its rows observed. The HCI's rescaling of S is not shown for a "
              "score: a score is not a healing measure. ";
  }
  text += "Every value is in " + label + ".samples.tsv, " + label + ".sites.tsv and " + label + ".json. " + kResearchUse;
  return "# parent_id: " + json_str("healcap-" + multiqc_id(label)) + "\n# parent_name: " + shown("healcap: " + label) +
         "\n# parent_description: " + shown(text) + "\n";
}

// A section holding a sentence instead of an empty table.
std::string sentence_section(const std::string& head, const std::string& section, const std::string& text) {
  return head + "# section_name: " + shown(section) + "\n# description: " + shown(std::string(kResearchUse)) +
         "\n# plot_type: \"html\"\n# file_format: \"tsv\"\n<p>" + multiqc_text(text) + "</p>\n";
}

// A panel's General Statistics columns: the HCI, its completeness and sites called (a healcap panel: titles that
// sort in this order), or a score's weighted sum, completeness and sites called.
std::vector<Column> general_columns(const PanelView& v) {
  if (v.curated())
    return {{v.key + "healing_capacity_index", v.title + "HCI",
             "Healing-capacity index (healcap), 0 to 1: higher = fewer worse-outcome alleles over the observed scored "
             "panel rows (blank: nothing observed)." + v.note + " Research use only.",
             Column::kIndex},
            {v.key + "completeness", v.title + "HCI completeness",
             "Completeness of the HCI: the weighted share of the scored panel rows observed (healcap)." + v.note +
                 " Research use only.",
             Column::kFraction},
            {v.key + "n_called", v.title + "HCI sites called",
             "Scored panel rows with a genotype or dosage read (healcap)." + v.note + " Research use only.",
             Column::kCount}};
  return {{v.key + "weighted_sum", v.title + "score",
           "The polygenic score: the sum of effect_weight x effect-allele dosage over the score's rows with a call "
           "(healcap; rows without a call add nothing, so read it beside its completeness)." + v.note +
               " Research use only.",
           Column::kScore},
          {v.key + "completeness", v.title + "completeness",
           "Completeness of the score: the share of its rows observed, weighted by |effect_weight| (healcap)." + v.note +
               " Research use only.",
           Column::kFraction},
          {v.key + "n_called", v.title + "sites called",
           "Rows of the score with a genotype or dosage read (healcap)." + v.note + " Research use only.", Column::kCount}};
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
  std::string out;
  multiqc_general(r, label, [&out](std::string_view t) { out += t; });
  return out;
}

void multiqc_general(const ScanResult& r, const std::string& label, const std::function<void(std::string_view)>& emit) {
  std::string o = preamble(label, "General Statistics columns", "general");
  if (r.samples.empty()) {
    emit(sentence_section(o + parent(r, label), "General Statistics",
                          "This run has no samples (a sites-only input): healcap adds no General Statistics columns."));
    return;
  }
  o += "# plot_type: \"generalstats\"\n# file_format: \"tsv\"\n# namespace: " + shown("healcap " + label) +
       "\n# description: " + shown(std::string("healcap per-sample summary. ") + kResearchUse) + "\n# pconfig:\n";
  const std::vector<PanelView> views = panel_views(*r.panel);
  std::vector<Column> cols;
  for (const PanelView& v : views)
    for (Column& c : general_columns(v)) cols.push_back(std::move(c));
  o += column_config(cols, "   ", views.size() == 1 && views[0].curated() ? Layout::kSorted : Layout::kListed);
  o += "sample";
  for (const Column& c : cols) o += "\t" + c.key;
  o += "\n";
  emit(o);
  stream_blocks(r.samples.size(), kMqcSamplesPerBlock, [&](TextBuffer& t, size_t k0, size_t k1) {
    for (size_t k = k0; k < k1; ++k) {
      text_cell(t, r.samples[k]);
      for (const PanelView& v : views) {
        const GroupScore& a = v.all(r.scores[k]);
        t += '\t';
        if (v.curated()) cell(t, a.index());
        else t.fixed6(a.weighted_sum);
        t += '\t';
        cell(t, a.completeness());
        t += '\t';
        t.integer(a.n(CallState::kCalled));
      }
      t += '\n';
    }
  }, emit);
}

std::string multiqc_indexes(const ScanResult& r, const std::string& label) {
  std::string out;
  multiqc_indexes(r, label, [&out](std::string_view t) { out += t; });
  return out;
}

void multiqc_indexes(const ScanResult& r, const std::string& label, const std::function<void(std::string_view)>& emit) {
  std::string o = preamble(label, "a table of per-sample indexes", "indexes") + parent(r, label);
  const bool tsv = has_kind(*r.panel, PanelKind::kTsv), pgs = has_kind(*r.panel, PanelKind::kPgsCatalog);
  const char* section = !pgs ? "Indexes per sample, pathway and trait"
                        : tsv ? "Indexes and scores per sample, pathway and trait"
                              : "Scores per sample";
  if (r.samples.empty()) {
    emit(sentence_section(o, section, "This run has no samples (a sites-only input): there are no indexes to show."));
    return;
  }
  // Per panel, its group of columns: the General Statistics three, the rows asked for and the z-score (a score
  // whose file gives no allelefrequency_effect has none), then (a healcap panel) a column for each pathway and
  // trait the panel scores rows of in this run.
  struct Group {
    const PanelView* view;
    bool z_score;
    std::vector<size_t> pathways, traits;
  };
  const std::vector<PanelView> views = panel_views(*r.panel);
  std::vector<Group> groups;
  std::vector<Column> cols;
  for (const PanelView& v : views) {
    Group g{&v, v.curated() || v.eaf, {}, {}};
    for (Column& c : general_columns(v)) cols.push_back(std::move(c));
    cols.push_back({v.key + "n_scored_sites", v.title.empty() ? "Scored rows" : v.title + "scored rows",
                    (v.curated() ? "Scored panel rows asked for (healcap)." : "Rows of the score (healcap).") + v.note,
                    Column::kCount});
    if (g.z_score)
      cols.push_back({v.key + "z_score", v.title + "z-score",
                      v.curated()
                          ? "(S - E[S]) / sd(S) under Hardy-Weinberg with the panel's effect-allele frequencies, over the "
                            "observed rows that have one; higher = more worse-outcome alleles than expected (blank: no "
                            "such row)." + v.note
                          : "(S - E[S]) / sd(S) under Hardy-Weinberg with the score's effect-allele frequencies "
                            "(allelefrequency_effect), over the observed rows that have one; higher = a higher score "
                            "than expected (blank: no such row)." + v.note,
                      Column::kNumber});
    if (v.curated()) {
      for (size_t p = 0; p < pathway_vocabulary().size(); ++p)
        for (const SampleScore& s : r.scores)
          if (v.by_pathway(s)[p].n_rows > 0) {
            g.pathways.push_back(p);
            break;
          }
      for (size_t t = 0; t < trait_vocabulary().size(); ++t)
        for (const SampleScore& s : r.scores)
          if (v.by_trait(s)[t].n_rows > 0) {
            g.traits.push_back(t);
            break;
          }
      for (size_t p : g.pathways) {
        const auto& w = pathway_vocabulary()[p];
        cols.push_back({v.key + "hci_pathway_" + std::string(w.name),
                        (v.title.empty() ? "Pathway " : v.title + "pathway ") + std::string(w.name),
                        "Healing-capacity index over the scored rows of the pathway " + std::string(w.name) + ": " +
                            std::string(w.description) + " (blank: nothing observed)." + v.note,
                        Column::kIndex});
      }
      for (size_t t : g.traits) {
        const auto& w = trait_vocabulary()[t];
        cols.push_back({v.key + "hci_trait_" + std::string(w.name),
                        (v.title.empty() ? "Trait " : v.title + "trait ") + std::string(w.name),
                        "Healing-capacity index over the scored rows of the trait " + std::string(w.name) + ": " +
                            std::string(w.description) + " (blank: nothing observed)." + v.note,
                        Column::kIndex});
      }
    }
    groups.push_back(std::move(g));
  }
  const std::string what =
      !panels_reported(*r.panel)
          ? "Per sample (" + label + ".samples.tsv): the index and completeness over all scored rows, the z-score, "
            "and the index over each pathway's and trait's scored rows. "
          : "Per sample (" + label + ".samples.tsv), one group of columns per panel, in --panel order, titled with the "
            "panel's id after the first" + (tsv ? ": for a healcap panel, the index and completeness over its scored rows, "
            "the z-score, and the index over each pathway's and trait's scored rows" : std::string()) +
            (pgs ? std::string(tsv ? "; " : ": ") + "for a PGS Catalog score, the score (its weighted sum), its "
                   "completeness, and its z-score when the file gives effect-allele frequencies" : std::string()) + ". ";
  o += "# section_name: " + shown(section) + "\n# description: " + shown(what + kResearchUse) +
       "\n# plot_type: \"table\"\n# file_format: \"tsv\"\n# pconfig:\n#   id: " +
       json_str("healcap-" + multiqc_id(label) + "-indexes-table") + "\n#   namespace: " + shown("healcap " + label) +
       "\n#   col1_header: \"Sample\"\n#   no_beeswarm: true\n# headers:\n";
  o += column_config(cols, "   ", Layout::kPlaced);
  o += "sample";
  for (const Column& c : cols) o += "\t" + c.key;
  o += "\n";
  emit(o);
  stream_blocks(r.samples.size(), kMqcSamplesPerBlock, [&](TextBuffer& t, size_t k0, size_t k1) {
    for (size_t k = k0; k < k1; ++k) {
      const SampleScore& s = r.scores[k];
      text_cell(t, r.samples[k]);
      for (const Group& g : groups) {
        const PanelView& v = *g.view;
        const GroupScore& a = v.all(s);
        t += '\t';
        if (v.curated()) cell(t, a.index());
        else t.fixed6(a.weighted_sum);
        t += '\t';
        cell(t, a.completeness());
        t += '\t';
        t.integer(a.n(CallState::kCalled));
        t += '\t';
        t.integer(a.n_rows);
        if (g.z_score) {
          t += '\t';
          cell(t, a.z_score());
        }
        for (size_t p : g.pathways) {
          t += '\t';
          cell(t, v.by_pathway(s)[p].index());
        }
        for (size_t tr : g.traits) {
          t += '\t';
          cell(t, v.by_trait(s)[tr].index());
        }
      }
      t += '\n';
    }
  }, emit);
}

std::string multiqc_problem_sites(const ScanResult& r, const std::string& label) {
  std::string o = preamble(label, "a table of the scored panel rows with problems", "problem-sites") + parent(r, label);
  const char* section = "Scored panel rows with problems";
  const bool named = panels_reported(*r.panel);
  const bool tsv = has_kind(*r.panel, PanelKind::kTsv), pgs = has_kind(*r.panel, PanelKind::kPgsCatalog);
  // allele_mismatch is a state of rows that know both alleles but not the REF: a score's rows only.
  const std::string rules =
      "a state other than found or ref_block (not_in_input, ref_mismatch, allele_absent, " +
      std::string(pgs ? "allele_mismatch, " : "") + "build_mismatch, no_coordinates, filtered); a call rate below " +
      general6(kMqcMinCallRate) + " (low_call_rate); a Hardy-Weinberg exact-test p below " + general6(kMqcMinHweP) +
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
      st = r.site_stats.empty() ? site_stats(res, n_samples) : r.site_stats[i];
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
    rows += text_cell(s.id) + "\t";
    if (named) rows += text_cell(r.panel->component_of(s).id) + "\t";
    rows += text_cell(joined) + "\t";
    if (tsv) rows += text_cell(s.gene) + "\t";  // a score's row has no gene or trait: blank
    rows += text_cell(s.rsid.empty() ? "." : s.rsid) + "\t";
    if (tsv) rows += text_cell(s.curated ? std::string(to_string(s.trait)) : std::string()) + "\t";
    rows += text_cell(to_string(res.state)) + "\t" + (judged ? std::to_string(st.n_called) : "") + "\t" +
            (judged ? fixed6(st.call_rate) : "") + "\t" + (judged ? cell(st.counted_freq) : "") + "\t" +
            (s.eaf ? general6(*s.eaf) : "") + "\t" + (judged && st.hwe_p ? general6(*st.hwe_p) : "") + "\n";
    ++n_rows;
  }
  if (n_rows == 0)
    return sentence_section(o, section, "No scored panel row has a problem. A row is listed for " + rules + ".");
  std::vector<Column> cols;
  if (named) cols.push_back({"panel", "Panel", "The panel the row belongs to: its id (" + label + ".sites.tsv's panel column).", Column::kText});
  cols.push_back({"problem", "Problem", "Why the row is listed: " + rules + ".", Column::kText});
  if (tsv) cols.push_back({"gene", "Gene", pgs ? "The panel row's gene (blank for a PGS Catalog score's row)." : "The panel row's gene.", Column::kText});
  cols.push_back({"rsid", "rsID", "The panel row's rsID.", Column::kText});
  if (tsv) cols.push_back({"trait", "Trait", pgs ? "The panel row's trait (blank for a PGS Catalog score's row)." : "The panel row's trait.", Column::kText});
  const std::vector<Column> rest = {
      {"state", "State", "What the scan found at the row (" + label + ".sites.tsv).", Column::kText},
      {"n_called", "Called", "Samples with an observed call at the row.", Column::kCount},
      {"call_rate", "Call rate", "Share of the samples with an observed call.", Column::kFraction},
      {"counted_allele_freq", "Frequency", "The counted (effect) allele's frequency over the observed calls.",
       Column::kNumber},
      {"eaf", "Panel EAF", "The panel's effect-allele frequency.", Column::kNumber},
      {"hwe_p", "HWE p", "Hardy-Weinberg exact-test p-value over the diploid calls.", Column::kPValue}};
  cols.insert(cols.end(), rest.begin(), rest.end());
  std::string what = "The scored panel rows listed for " + rules + "; every row is in " + label + ".sites.tsv. ";
  if (named) what += "Rows of every panel of the run; the panel column gives each row's panel. ";
  o += "# section_name: " + shown(section) + "\n# description: " + shown(what + kResearchUse) +
       "\n# plot_type: \"table\"\n# file_format: \"tsv\"\n# pconfig:\n#   id: " +
       json_str("healcap-" + multiqc_id(label) + "-problem-sites-table") + "\n#   namespace: " +
       shown("healcap " + label) + "\n#   col1_header: \"Panel row\"\n#   no_beeswarm: true\n# headers:\n";
  o += column_config(cols, "   ", Layout::kPlaced);
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
  using Make = void (*)(const ScanResult&, const std::string&, const std::function<void(std::string_view)>&);
  MultiqcSink(const std::string& prefix, const char* suffix, Make make, OutputSet& set)
      : TextSink(prefix + suffix, set), label_(run_label(prefix)), make_(make) {}
  void write(const ScanResult& r) override {
    make_(r, label_, [this](std::string_view piece) { write_text(piece); });
  }

 private:
  std::string label_;
  Make make_;
};

}  // namespace

std::unique_ptr<Sink> make_multiqc_general_sink(const SinkRequest& req, OutputSet& set) {
  return std::make_unique<MultiqcSink>(req.out_prefix, ".healcap_general_mqc.tsv",
                                       static_cast<MultiqcSink::Make>(multiqc_general), set);
}
std::unique_ptr<Sink> make_multiqc_indexes_sink(const SinkRequest& req, OutputSet& set) {
  return std::make_unique<MultiqcSink>(req.out_prefix, ".healcap_indexes_mqc.tsv",
                                       static_cast<MultiqcSink::Make>(multiqc_indexes), set);
}
std::unique_ptr<Sink> make_multiqc_problem_sites_sink(const SinkRequest& req, OutputSet& set) {
  return std::make_unique<MultiqcSink>(
      req.out_prefix, ".healcap_problem_sites_mqc.tsv",
      [](const ScanResult& r, const std::string& label, const std::function<void(std::string_view)>& emit) {
        emit(multiqc_problem_sites(r, label));  // one row per panel row: small
      },
      set);
}

}  // namespace healcap
