// Report text for the scan: TSV tables and JSON, byte-identical for identical results.
#include "scan_report.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>
#include <functional>

#include <tbb/parallel_for.h>
#include <sstream>

#include "biomarker_report.h"
#include "genotypes.h"
#include "streamed_text.h"
#include "text_buffer.h"
#include "version.h"

namespace healcap {

const char* const kScoreFormula[] = {
    "For sample s and each scored panel row i (weight w_i != 0, evidence grade selected) with an observed call "
    "of effect-allele dosage d (from GT, or DS/HDS/GP) at ploidy p: g_i = d (additive), min(d, 1) (dominant), "
    "max(d - (p - 1), 0) (recessive); gmax_i = p (additive) or 1 (dominant, recessive).",
    "Observed calls: called, ref_block (a gVCF block: homozygous reference) and absent_covered (no record, "
    "but --callable or --absent-as-ref says the site is reference). Not observed: absent_unknown, filtered, missing.",
    "weighted_sum S = sum over observed rows of w_i * g_i.",
    "max_observed M = sum over observed rows of max(w_i, 0) * gmax_i; min_observed m = sum of min(w_i, 0) * gmax_i.",
    "completeness C = sum over observed rows of |w_i| / sum over all scored rows of |w_i|.",
    "healing_capacity_index H = 1 - (S - m) / (M - m), in [0, 1], higher = fewer worse-outcome alleles than "
    "possible over the observed rows; NA when nothing was observed. Read H beside C.",
    "With the panel's effect-allele frequency f_i and Hardy-Weinberg: E[g] = p f (additive), 1 - (1 - f)^p "
    "(dominant), f^p (recessive), Var[g] = p f (1 - f) or E[g](1 - E[g]). f_i is the row's frequency in the "
    "population --eaf-population names (default EUR); a row without one is left out. expected_unobserved = sum "
    "over unobserved rows with f of w_i E[g] (p = 2); z_score = (S_f - sum w_i E[g]) / sqrt(sum w_i^2 Var[g]) over "
    "observed rows with f (S_f: their part of S), n_z_sites of them; z_weight_share = their sum of |w_i| / the "
    "observed rows' sum of |w_i|. Valid for one sample, relative to that population; NA (z_note says why) over "
    "fewer than 5 such rows or with zero variance.",
    "Missing genotypes are never counted as reference. The same formulas are applied per pathway and per trait.",
    nullptr};

namespace {

// Samples per block of the outputs with a row per sample: a few hundred kilobytes of JSON.
constexpr size_t kSamplesPerBlock = 256;

// One letter per call state in the JSON's call_states strings, in CallState order.
constexpr char kStateCode[kNumCallStates] = {'C', 'R', 'A', 'U', 'F', 'M'};

constexpr const char* kResearchUse =
    "healcap scores are research measures of genetic associations that are often weak or unreplicated; "
    "they are not a diagnosis and must not guide treatment on their own";

std::string opt6(const std::optional<double>& x, const char* na) { return x ? fixed6(*x) : na; }

std::string g6(double x) {
  char buf[48];
  const auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::general, 6);
  return std::string(buf, r.ptr);
}


}  // namespace

std::string json_str(const std::string& s) {
  std::string o = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': o += "\\\""; break;
      case '\\': o += "\\\\"; break;
      case '\n': o += "\\n"; break;
      case '\t': o += "\\t"; break;
      case '\r': o += "\\r"; break;
      default:
        if (c < 0x20) {
          char b[8];
          std::snprintf(b, sizeof b, "\\u%04x", c);
          o += b;
        } else {
          o += static_cast<char>(c);
        }
    }
  }
  return o + "\"";
}

namespace {

// json_str(s) appended to `a`: text without a character to escape is copied as it is.
void append_json_str(TextBuffer& a, const std::string& s) {
  for (const unsigned char c : s)
    if (c < 0x20 || c == '"' || c == '\\') {
      a += json_str(s);
      return;
    }
  a += '"';
  a += s;
  a += '"';
}

std::string dot(const std::string& s) { return s.empty() ? "." : s; }

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + v[i];
  return s;
}

std::string panel_alts(const BuildLocus& l) { return l.alts.empty() ? "." : join(l.alts, ","); }

bool has_calls(const SiteResult& r) {
  return r.state == SiteState::kFound || r.state == SiteState::kRefBlock || r.state == SiteState::kFiltered;
}

std::string counted_allele(const PanelSite& s, const SiteResult& r) {
  if (!has_calls(r)) return s.effect_allele.empty() ? "." : s.effect_allele;
  return r.match.counted_allele == -2 && s.effect_allele.empty() ? "non_ref" : s.effect_allele;
}

std::string reason(const SiteResult& r) {
  return r.state == SiteState::kFound || r.state == SiteState::kRefBlock ? "." : std::string(to_string(r.state));
}

std::string site_note(const PanelSite& s, const SiteResult& r) {
  std::vector<std::string> notes;
  if (has_calls(r) && r.match.type != MatchType::kRefBlock && r.match.counted_allele == -1)
    notes.push_back("effect allele " + s.effect_allele + " is not among the record's alleles: dosage 0");
  if (has_calls(r) && !r.match.ref_verified) notes.push_back("panel REF unknown in this build: REF unverified");
  if (r.match.type == MatchType::kStrandFlipped)
    notes.push_back(std::string("alleles complemented (other strand)") + (r.match.flipped_swapped ? " and REF/ALT reversed" : ""));
  if (r.state == SiteState::kBuildMismatch)
    notes.push_back("a record at this row's other-build position carries that build's REF");
  if (const std::string d = duplicate_note(r); !d.empty()) notes.push_back(d);
  if (r.n_inputs > 1)
    notes.push_back("records at this position in " + std::to_string(r.n_inputs_seen) + " of " + std::to_string(r.n_inputs) +
                    " inputs" + (r.n_records > 0 ? "; the record shown is the first input's best" : ""));
  return notes.empty() ? "." : join(notes, "; ");
}

// The row's weight for the outputs: the text of a PGS Catalog file (its digits as published), else %g.
std::string weight_text(const PanelSite& s) { return s.weight_text.empty() ? g6(s.weight) : s.weight_text; }

// JSON's number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
bool json_number(std::string_view t) {
  size_t i = 0;
  const auto digits = [&] {
    const size_t b = i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    return i - b;
  };
  if (i < t.size() && t[i] == '-') ++i;
  if (i < t.size() && t[i] == '0') ++i;
  else if (digits() == 0) return false;
  if (i < t.size() && t[i] == '.') {
    ++i;
    if (digits() == 0) return false;
  }
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == t.size();
}

// The weight in JSON: as written when that is a JSON number, else the double's shortest exact text.
std::string weight_json(const PanelSite& s) {
  if (s.weight_text.empty()) return g6(s.weight);
  if (json_number(s.weight_text)) return s.weight_text;
  char buf[48];
  const auto r = std::to_chars(buf, buf + sizeof buf, s.weight);
  return std::string(buf, r.ptr);
}

// The input's frequency beside the panel's (sites.tsv and the JSON's sites): judged over at least this many
// observed calls, flagged when it differs by more than kEafCheckMaxDiff or puts the major allele on the other side
// (both at least 0.05 from 0.5). Either hints at a strand or allele problem, or at another ancestry.
constexpr int kEafCheckMinCalls = 50;
constexpr double kEafCheckMaxDiff = 0.15;

std::string eaf_population_text(const PopulationEaf& e) {
  return std::string(to_string(e.population)) + ":" + (!e.stated ? "unstated" : e.kind.empty() ? "." : e.kind);
}

std::string eaf_check(const PanelSite& s, const SiteResult& r, const SiteStats& st, const PopulationEaf* e) {
  if (!e || !has_calls(r) || r.match.counted_allele == -2 || !st.counted_freq) return ".";
  if (st.n_called < kEafCheckMinCalls) return "few_calls";
  const double f = *st.counted_freq, p = e->eaf;
  const bool differs = std::fabs(f - p) > kEafCheckMaxDiff;
  const bool flipped = (f - 0.5) * (p - 0.5) < 0 && std::fabs(f - 0.5) >= 0.05 && std::fabs(p - 0.5) >= 0.05;
  (void)s;
  if (differs && flipped) return "differs;major_allele_flipped";
  return differs ? "differs" : flipped ? "major_allele_flipped" : "ok";
}

std::string pathway_text(const PanelSite& s) { return s.curated ? std::string(to_string(s.pathway)) : "."; }
std::string trait_text(const PanelSite& s) { return s.curated ? std::string(to_string(s.trait)) : "."; }

// Per-sample call states of a row, including the absent states of rows without calls.
std::array<int, kNumCallStates> state_counts(const PanelSite& site, size_t row, Build b, const SiteResult& r,
                                             const ScoreOptions& opt, size_t n_samples) {
  std::array<int, kNumCallStates> n{};
  if (r.state == SiteState::kOutsideRegions) return n;
  if (uses_calls(r)) {
    for (const Call& c : r.calls) n[static_cast<size_t>(c.state)]++;
  } else {
    const bool covered = site.in(b).placed() && (opt.absent_as_ref || (row < opt.callable.size() && opt.callable[row]));
    n[static_cast<size_t>(absent_call(site, b, r, covered).state)] += static_cast<int>(n_samples);
  }
  return n;
}

// One group's statistics as a JSON object, appended to `a` (this runs samples x groups times and makes most of a
// large cohort's JSON).
void json_group(TextBuffer& a, const GroupScore& g) {
  static const std::array<std::string, kNumCallStates> state_keys = [] {
    std::array<std::string, kNumCallStates> k;
    for (size_t i = 0; i < kNumCallStates; ++i) k[i] = ",\"n_" + std::string(to_string(static_cast<CallState>(i))) + "\":";
    return k;
  }();
  const auto num = [&a](const std::optional<double>& x) {
    if (x) a.fixed6(*x);
    else a += "null";
  };
  a += "{\"n_rows\":";
  a.integer(g.n_rows);
  for (size_t k = 0; k < kNumCallStates; ++k) {
    a += state_keys[k];
    a.integer(g.n_state[k]);
  }
  a += ",\"risk_allele_count\":";
  a.general6(g.risk_alleles);
  a += ",\"weighted_sum\":";
  a.fixed6(g.weighted_sum);
  a += ",\"max_observed\":";
  a.fixed6(g.max_observed);
  a += ",\"min_observed\":";
  a.fixed6(g.min_observed);
  a += ",\"completeness\":";
  num(g.completeness());
  a += ",\"healing_capacity_index\":";
  num(g.index());
  a += ",\"expected_unobserved\":";
  a.fixed6(g.expected_unobserved);
  a += ",\"z_score\":";
  num(g.z_score());
  a += ",\"n_z_sites\":";
  a.integer(g.n_eaf_observed);
  a += ",\"z_weight_share\":";
  num(g.z_weight_share());
  a += ",\"z_note\":";  // a short key (scoring.z_notes says what each means): this is written samples x groups times
  const char* note = g.z_note_key();
  if (!*note) {
    a += "null";
  } else {
    a += '"';
    a += note;
    a += '"';
  }
  a += '}';
}

}  // namespace

std::string fixed6(double x) {
  char buf[330];  // the largest double written in full: 309 digits, a sign, a point and 6 decimals
  if (std::fabs(x) < 5e-7) x = 0;  // no "-0.000000"
  const auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed, 6);
  return std::string(buf, r.ptr);
}

bool panels_reported(const Panel& panel) {
  const auto& c = panel.components();
  return c.size() > 1 || (!c.empty() && c[0].kind != PanelKind::kTsv);
}

bool below_min_completeness(const SampleScore& s, double x) {
  if (s.all.completeness().value_or(0) < x) return true;
  for (const PanelScore& p : s.panels)
    if (p.all.completeness().value_or(0) < x) return true;
  return false;
}

namespace {

// One panel's cells of a samples.tsv row, each after a tab.
void panel_cells(TextBuffer& o, const GroupScore& a, const std::vector<GroupScore>& by_pathway,
                 const std::vector<GroupScore>& by_trait, bool curated, std::optional<double> min_completeness) {
  const auto opt = [&o](const std::optional<double>& x) {
    if (x) o.fixed6(*x);
    else o += "NA";
  };
  const auto c = a.completeness();
  o += '\t';
  o.integer(a.n_rows);
  for (size_t st = 0; st < kNumCallStates; ++st) {
    o += '\t';
    o.integer(a.n_state[st]);
  }
  o += '\t';
  o.integer(a.n(CallState::kAbsentCovered) + a.n(CallState::kAbsentUnknown));
  o += '\t';
  o.general6(a.risk_alleles);
  o += '\t';
  o.fixed6(a.weighted_sum);
  o += '\t';
  o.fixed6(a.max_observed);
  o += '\t';
  opt(c);
  o += '\t';
  opt(a.index());
  o += '\t';
  o.fixed6(a.expected_unobserved);
  o += '\t';
  opt(a.z_score());
  o += '\t';
  o.integer(a.n_eaf_observed);
  o += '\t';
  opt(a.z_weight_share());
  o += '\t';
  o += to_string(a.eaf_population);
  o += '\t';
  const std::string note = a.z_note();
  o += note.empty() ? std::string_view(".") : std::string_view(note);
  o += '\t';
  o += min_completeness ? (c.value_or(0) < *min_completeness ? "yes" : "no") : ".";
  if (!curated) return;  // a PGS Catalog score: no pathway or trait columns
  for (const auto& g : by_pathway) {
    o += '\t';
    opt(g.index());
  }
  for (const auto& g : by_trait) {
    o += '\t';
    opt(g.index());
  }
}

// One panel's column names, each after a tab, prefixed.
void panel_header(std::ostringstream& o, const std::string& prefix, bool curated) {
  o << "\t" << prefix << "n_scored_sites";
  for (size_t st = 0; st < kNumCallStates; ++st) o << "\t" << prefix << "n_" << to_string(static_cast<CallState>(st));
  for (const char* n : {"n_absent", "risk_allele_count", "weighted_sum", "max_observed", "completeness",
                        "healing_capacity_index", "expected_unobserved", "z_score", "n_z_sites", "z_weight_share",
                        "z_population", "z_note", "below_min_completeness"})
    o << "\t" << prefix << n;
  if (!curated) return;
  for (const auto& p : pathway_vocabulary()) o << "\t" << prefix << "hci_pathway_" << p.name;
  for (const auto& t : trait_vocabulary()) o << "\t" << prefix << "hci_trait_" << t.name;
}

}  // namespace

std::string samples_tsv(const Panel& panel, const std::vector<std::string>& samples, const std::vector<SampleScore>& scores,
                        std::optional<double> min_completeness, const BiomarkerLayer* biomarkers) {
  std::string out;
  samples_tsv(panel, samples, scores, min_completeness, biomarkers, [&out](std::string_view t) { out += t; });
  return out;
}

void samples_tsv(const Panel& panel, const std::vector<std::string>& samples, const std::vector<SampleScore>& scores,
                 std::optional<double> min_completeness, const BiomarkerLayer* biomarkers,
                 const std::function<void(std::string_view)>& emit) {
  std::ostringstream o;
  o << "# healcap " HEALCAP_VERSION " per-sample healing-capacity summary. Research use only: not a diagnosis. "
       "Formula in the README and in PREFIX.json.";
  if (biomarkers)
    o << " The bm_* columns summarise the biomarker layer (PREFIX.biomarkers.tsv), shown beside the genetic index "
         "and never folded into it.";
  o << "\n";
  const auto& comps = panel.components();
  o << "sample";
  for (size_t c = 0; c < comps.size(); ++c) panel_header(o, c ? comps[c].id + "_" : "", comps[c].kind == PanelKind::kTsv);
  if (biomarkers) biomarker_summary_header(o, *biomarkers);
  o << "\n";
  emit(o.str());
  // The rows, in blocks formatted on the run's threads and written in order.
  stream_blocks(samples.size(), kSamplesPerBlock, [&](TextBuffer& t, size_t k0, size_t k1) {
    for (size_t k = k0; k < k1; ++k) {
      const SampleScore& s = scores[k];
      t += samples[k];
      panel_cells(t, s.all, s.by_pathway, s.by_trait, comps[0].kind == PanelKind::kTsv, min_completeness);
      for (size_t c = 1; c < s.panels.size(); ++c)
        panel_cells(t, s.panels[c].all, s.panels[c].by_pathway, s.panels[c].by_trait, comps[c].kind == PanelKind::kTsv,
                    min_completeness);
      if (biomarkers) {
        std::ostringstream b;
        biomarker_summary_cells(b, *biomarkers, samples[k]);
        t += b.str();
      }
      t += '\n';
    }
  }, emit);
}

std::string sites_tsv(const Panel& panel, Build build, const SiteStore& store, const ScoreOptions& opt,
                      const std::vector<SiteStats>* site_stats_by_row) {
  std::ostringstream o;
  o << "# healcap " HEALCAP_VERSION " panel sites in " << to_string(build)
    << ". Research use only. counted_allele_freq and hwe_p are over this input's observed calls.\n";
  o << "id\trsid\tgene\tpathway\ttrait\tstate\treason\tscored\tweight\tmodel\teffect_allele\tpanel_chrom\t"
       "panel_pos\tpanel_ref\tpanel_alt\tseen_chrom\tseen_pos\tseen_id\tseen_ref\tseen_alt\tmatch\talt_index\t"
       "ref_verified\tdosage_source\tn_records\tn_called\tn_ref_block\tn_absent_covered\tn_absent_unknown\t"
       "n_filtered\tn_missing\tcall_rate\tcounted_allele\tcounted_allele_freq\tn_hom_counted\tn_het\t"
       "n_hom_other\thwe_p\teaf\teaf_population\teaf_source\teaf_check\tnote"
    << (panels_reported(panel) ? "\tother_allele\tpanel\n" : "\n");
  for (size_t i = 0; i < panel.sites().size(); ++i) {
    const PanelSite& s = panel.sites()[i];
    const SiteResult& r = store.results()[i];
    const BuildLocus& l = s.in(build);
    const bool seen = r.n_records > 0 || r.state == SiteState::kBuildMismatch;
    const bool calls = has_calls(r);
    const SiteStats st = calls && site_stats_by_row ? (*site_stats_by_row)[i] : site_stats(r, store.n_samples());
    const auto n = state_counts(s, i, build, r, opt, store.n_samples());
    o << s.id << "\t" << dot(s.rsid) << "\t" << dot(s.gene) << "\t" << pathway_text(s) << "\t" << trait_text(s)
      << "\t" << to_string(r.state) << "\t" << reason(r) << "\t" << (opt.scores(s) ? "yes" : "no") << "\t"
      << weight_text(s) << "\t" << to_string(s.model) << "\t" << dot(s.effect_allele) << "\t"
      << (l.placed() ? s.chrom : ".") << "\t" << (l.placed() ? std::to_string(l.pos) : ".") << "\t" << dot(l.ref)
      << "\t" << panel_alts(l) << "\t";
    if (seen)
      o << r.record.contig << "\t" << r.record.pos << "\t" << r.record.id << "\t" << r.record.ref << "\t" << r.record.alts;
    else
      o << ".\t.\t.\t.\t.";
    o << "\t" << (calls ? std::string(to_string(r.match.type)) : ".");
    o << "\t" << (calls && r.match.counted_allele >= 0 ? std::to_string(r.match.counted_allele) : ".");
    o << "\t" << (calls ? (r.match.ref_verified ? "yes" : "no") : ".");
    o << "\t" << (calls ? std::string(to_string(static_cast<DosageSource>(r.dosage_source))) : ".");
    o << "\t" << r.n_records;
    for (size_t k = 0; k < kNumCallStates; ++k) o << "\t" << n[k];
    o << "\t" << (calls ? fixed6(st.call_rate) : ".") << "\t" << counted_allele(s, r) << "\t"
      << opt6(st.counted_freq, ".") << "\t";
    if (calls)
      o << st.n_hom_counted << "\t" << st.n_het << "\t" << st.n_hom_other << "\t" << (st.hwe_p ? g6(*st.hwe_p) : ".");
    else
      o << ".\t.\t.\t.";
    const PopulationEaf* e = s.eaf_in(opt.eaf_population);
    if (e)
      o << "\t" << g6(e->eaf) << "\t" << eaf_population_text(*e) << "\t" << (e->source.empty() ? "." : e->source);
    else
      o << "\t.\t.\t.";
    o << "\t" << eaf_check(s, r, st, e);
    o << "\t" << site_note(s, r);
    if (panels_reported(panel)) o << "\t" << dot(s.other_allele) << "\t" << panel.component_of(s).id;
    o << "\n";
  }
  return o.str();
}

std::string report_json(const Panel& panel, const RunInfo& run, const ScanStats& stats,
                        const std::vector<std::string>& samples, const std::vector<SampleScore>& scores,
                        const SiteStore& store, const ScoreOptions& opt, const std::string& inputs_block,
                        const std::string& biomarkers_block) {
  std::string out;
  report_json(panel, run, stats, samples, scores, store, opt, inputs_block, [&out](std::string_view t) { out += t; },
              biomarkers_block);
  return out;
}

void report_json(const Panel& panel, const RunInfo& run, const ScanStats& stats, const std::vector<std::string>& samples,
                 const std::vector<SampleScore>& scores, const SiteStore& store, const ScoreOptions& opt,
                 const std::string& inputs_block, const std::function<void(std::string_view)>& emit,
                 const std::string& biomarkers_block, const std::vector<SiteStats>* site_stats_by_row) {
  std::ostringstream o;
  // The document is handed on in pieces of about a megabyte: a large cohort's JSON is never whole in memory.
  const auto flush = [&](bool force) {
    if (!force && o.tellp() < (1 << 20)) return;
    const std::string piece = o.str();
    emit(piece);
    o.str("");
  };
  o << "{\n\"healcap\":{\"version\":" << json_str(HEALCAP_VERSION) << ",\"research_use\":" << json_str(kResearchUse) << "},\n";
  o << "\"run\":{\"command_line\":" << json_str(run.command_line)
    << ",\"calls_file\":" << (run.calls_file.empty() ? "null" : json_str(run.calls_file)) << ",\"threads\":" << run.threads;
  if (!run.partials.empty()) {
    o << ",\"partials\":[";
    for (size_t i = 0; i < run.partials.size(); ++i) o << (i ? "," : "") << json_str(run.partials[i]);
    o << "]";
  }
  o << "},\n";
  // What was read depends on the path (an indexed read sees only the panel's regions), so it sits with the
  // input's name on one line; everything after it is the same for a streaming and an indexed read.
  o << "\"input\":{\"path\":" << (run.input_path.empty() ? "null" : json_str(run.input_path)) << ",\"format\":" << json_str(run.input_format)
    << ",\"read\":" << json_str(run.read_mode) << ",\"n_samples\":" << samples.size() << ",\"n_records_read\":" << stats.n_records
    << ",\"n_records_at_panel_positions\":" << stats.n_panel_position_records[0]
    << ",\"n_ref_blocks_over_panel_positions\":" << stats.n_ref_blocks
    << ",\"sorted\":" << (stats.first_unsorted.empty() ? "true" : "false")
    << ",\"first_unsorted\":" << (stats.first_unsorted.empty() ? "null" : json_str(stats.first_unsorted))
    << ",\"n_records_with_undefined_contig_or_tag\":" << stats.n_undefined << ",\"n_records_at_pos_0\":" << stats.n_pos0
    << ",\"contigs\":[";
  for (size_t i = 0; i < stats.contigs.size(); ++i) {
    const auto& c = stats.contigs[i];
    o << (i ? "," : "") << "{\"name\":" << json_str(c.name) << ",\"n_records\":" << c.n_records
      << ",\"first_pos\":" << c.first_pos << ",\"last_pos\":" << c.last_pos << "}";
  }
  o << "]},\n" << inputs_block;
  o << "\"build\":{\"name\":" << json_str(std::string(to_string(run.build.build))) << ",\"chosen_by\":"
    << json_str(run.build.how) << ",\"contig_style\":" << json_str(run.build.contig_style)
    << ",\"ref_concordance\":" << json_str(run.ref_concordance)
    << ",\"summary\":" << json_str(std::string(to_string(run.build.build)) + ", " + run.build.contig_style + "-style, " + run.ref_concordance)
    << ",\"warnings\":[";
  for (size_t i = 0; i < run.build.warnings.size(); ++i) o << (i ? "," : "") << json_str(run.build.warnings[i]);
  o << "]},\n";
  const auto& comps = panel.components();
  const bool extended = panels_reported(panel);
  {
    const PanelComponent& first = comps.front();
    o << "\"panel\":{\"name\":" << json_str(first.name) << ",\"version\":"
      << (first.version.empty() ? "null" : json_str(first.version)) << ",\"sha256\":" << json_str(first.sha256)
      << ",\"file\":" << json_str(first.origin) << ",\"n_rows\":" << first.n_rows << "},\n";
  }
  if (extended) {
    // Every panel of the run, in --panel order; samples' "by_panel" and sites' "panel" use their ids.
    o << "\"panels\":[";
    for (size_t c = 0; c < comps.size(); ++c) {
      const PanelComponent& p = comps[c];
      size_t n_scored = 0, n_placed = 0;
      for (size_t i = p.first_row; i < p.first_row + p.n_rows; ++i) {
        n_scored += opt.scores(panel.sites()[i]);
        n_placed += panel.sites()[i].in(run.build.build).placed();
      }
      o << (c ? ",\n" : "\n") << "{\"id\":" << json_str(p.id) << ",\"kind\":" << json_str(std::string(to_string(p.kind)))
        << ",\"name\":" << json_str(p.name) << ",\"version\":" << (p.version.empty() ? "null" : json_str(p.version))
        << ",\"sha256\":" << json_str(p.sha256) << ",\"file\":" << json_str(p.origin) << ",\"n_rows\":" << p.n_rows
        << ",\"n_rows_placed\":" << n_placed << ",\"n_scored_rows\":" << n_scored
        << ",\"grades_apply\":" << (p.kind == PanelKind::kTsv ? "true" : "false");
      if (p.kind == PanelKind::kPgsCatalog) {
        o << ",\"pgs_id\":" << json_str(p.pgs_id) << ",\"positions\":" << json_str(p.harmonised ? "harmonised (hm_chr, hm_pos)" : "author-reported (chr_name, chr_position)")
          << ",\"genome_build\":" << json_str(p.genome_build) << ",\"n_file_rows\":" << p.n_file_rows << ",\"skipped\":{";
        for (size_t k = 0; k < p.skipped.size(); ++k)
          o << (k ? "," : "") << json_str(p.skipped[k].first) << ":" << p.skipped[k].second;
        o << "},\"header\":{";
        for (size_t k = 0; k < p.meta.size(); ++k) o << (k ? "," : "") << json_str(p.meta[k].first) << ":" << json_str(p.meta[k].second);
        o << "}";
      }
      o << "}";
    }
    o << "\n],\n";
  }
  o << "\"scoring\":{\"grades_scored\":[";
  bool first = true;
  for (size_t g = 0; g < grade_vocabulary().size(); ++g)
    if (opt.grade_scored[g]) {
      o << (first ? "" : ",") << json_str(std::string(grade_vocabulary()[g].name));
      first = false;
    }
  {
    size_t with = 0, without = 0, unstated = 0;
    for (const PanelSite& site : panel.sites()) {
      if (!opt.scores(site)) continue;
      const PopulationEaf* e = site.eaf_in(opt.eaf_population);
      (e ? with : without)++;
      unstated += e && !e->stated;
    }
    o << "],\"eaf_population\":" << json_str(std::string(to_string(opt.eaf_population))) << ",\"z_min_sites\":" << kMinZSites
      << ",\"n_scored_rows_with_eaf\":" << with << ",\"n_scored_rows_without_eaf\":" << without
      << ",\"n_scored_rows_eaf_population_unstated\":" << unstated << ",\"z_notes\":{\"few_rows\":"
      << json_str("z_score is NA: fewer than " + std::to_string(kMinZSites) + " observed scored rows (n_z_sites) with a " +
                  std::string(to_string(opt.eaf_population)) + " effect-allele frequency")
      << ",\"zero_variance\":"
      << json_str("z_score is NA: every " + std::string(to_string(opt.eaf_population)) +
                  " effect-allele frequency of the observed rows is 0 or 1") << "}";
  }
  o << ",\"call_state_codes\":{";
  for (size_t k = 0; k < kNumCallStates; ++k)
    o << (k ? "," : "") << "\"" << kStateCode[k] << "\":" << json_str(std::string(to_string(static_cast<CallState>(k))));
  o << "},\"dosage\":" << json_str(run.dosage_mode) << ",\"call_state_options\":" << json_str(run.options)
    << ",\"min_completeness\":" << (run.min_completeness ? fixed6(*run.min_completeness) : "null") << ",\"formula\":[";
  for (size_t i = 0; kScoreFormula[i]; ++i) o << (i ? "," : "") << json_str(kScoreFormula[i]);
  if (extended)
    o << "," << json_str("Each panel of the run is scored apart over its own rows (samples' by_panel; in samples.tsv the "
                         "first panel's columns are unprefixed, each further panel's are prefixed with its id). A PGS "
                         "Catalog panel's rows are all scored, whatever --grades says, with effect_weight as w_i; it "
                         "has no pathways or traits.");
  o << "]},\n\"samples\":[";
  flush(true);
  // The samples and the sites are formatted in parallel, a wave of blocks at a time, and handed on in order:
  // the bytes do not depend on the threads.
  std::vector<std::string> pathway_keys, trait_keys;  // ",\"name\":" (no comma before the first)
  for (size_t p = 0; p < pathway_vocabulary().size(); ++p)
    pathway_keys.push_back((p ? "," : "") + json_str(std::string(pathway_vocabulary()[p].name)) + ":");
  for (size_t t = 0; t < trait_vocabulary().size(); ++t)
    trait_keys.push_back((t ? "," : "") + json_str(std::string(trait_vocabulary()[t].name)) + ":");
  const auto sample_json = [&](TextBuffer& a, size_t k) {
    const SampleScore& s = scores[k];
    a += k ? ",\n" : "\n";
    a += "{\"sample\":";
    append_json_str(a, samples[k]);
    a += ",\"all\":";
    json_group(a, s.all);
    if (run.min_completeness) {
      a += ",\"below_min_completeness\":";
      a += s.all.completeness().value_or(0) < *run.min_completeness ? "true" : "false";
    }
    const auto groups = [&](size_t c, const std::vector<GroupScore>& by_pathway, const std::vector<GroupScore>& by_trait) {
      if (comps[c].kind != PanelKind::kTsv) return;  // a PGS Catalog score: no pathways or traits
      a += ",\"by_pathway\":{";
      for (size_t p = 0; p < by_pathway.size(); ++p) {
        a += pathway_keys[p];
        json_group(a, by_pathway[p]);
      }
      a += "},\"by_trait\":{";
      for (size_t t = 0; t < by_trait.size(); ++t) {
        a += trait_keys[t];
        json_group(a, by_trait[t]);
      }
      a += '}';
    };
    groups(0, s.by_pathway, s.by_trait);
    if (!s.panels.empty()) {
      a += ",\"by_panel\":{";
      for (size_t c = 0; c < s.panels.size(); ++c) {
        const PanelScore& ps = s.panels[c];
        if (c) a += ',';
        append_json_str(a, comps[c].id);
        a += ":{\"all\":";
        json_group(a, ps.all);
        if (run.min_completeness) {
          a += ",\"below_min_completeness\":";
          a += ps.all.completeness().value_or(0) < *run.min_completeness ? "true" : "false";
        }
        groups(c, ps.by_pathway, ps.by_trait);
        a += '}';
      }
      a += '}';
    }
    a += '}';
  };
  stream_blocks(samples.size(), kSamplesPerBlock, [&](TextBuffer& a, size_t k0, size_t k1) {
    for (size_t k = k0; k < k1; ++k) sample_json(a, k);
  }, emit);
  o << "\n],\n\"sites\":[";
  const Build b = run.build.build;
  flush(true);
  const auto site_json = [&](TextBuffer& out, size_t i) {
    std::ostringstream so;
    const PanelSite& s = panel.sites()[i];
    const SiteResult& r = store.results()[i];
    const BuildLocus& l = s.in(b);
    const bool calls = has_calls(r);
    const SiteStats st = calls && site_stats_by_row ? (*site_stats_by_row)[i] : site_stats(r, store.n_samples());
    const auto n = state_counts(s, i, b, r, opt, store.n_samples());
    so << (i ? ",\n" : "\n") << "{\"id\":" << json_str(s.id) << ",\"rsid\":" << (s.rsid.empty() ? "null" : json_str(s.rsid))
      << ",\"gene\":" << (s.gene.empty() ? "null" : json_str(s.gene))
      << ",\"pathway\":" << (s.curated ? json_str(std::string(to_string(s.pathway))) : "null")
      << ",\"trait\":" << (s.curated ? json_str(std::string(to_string(s.trait))) : "null")
      << ",\"state\":" << json_str(std::string(to_string(r.state)))
      << ",\"reason\":" << (reason(r) == "." ? "null" : json_str(reason(r)))
      << ",\"scored\":" << (opt.scores(s) ? "true" : "false") << ",\"weight\":" << weight_json(s)
      << ",\"model\":" << json_str(std::string(to_string(s.model)))
      << ",\"effect_allele\":" << (s.effect_allele.empty() ? "null" : json_str(s.effect_allele))
      << ",\"eaf\":" << (s.eaf_in(opt.eaf_population) ? g6(s.eaf_in(opt.eaf_population)->eaf) : "null")
      << ",\"eaf_population\":" << (s.eaf_in(opt.eaf_population) ? json_str(eaf_population_text(*s.eaf_in(opt.eaf_population))) : "null")
      << ",\"eaf_source\":" << (s.eaf_in(opt.eaf_population) && !s.eaf_in(opt.eaf_population)->source.empty() ? json_str(s.eaf_in(opt.eaf_population)->source) : "null")
      << ",\"evidence_grade\":" << (s.curated ? json_str(std::string(to_string(s.grade))) : "null")
      << ",\"evidence\":" << (s.evidence.empty() || s.evidence == "." ? "null" : json_str(s.evidence));
    if (extended)
      so << ",\"other_allele\":" << (s.other_allele.empty() ? "null" : json_str(s.other_allele))
         << ",\"panel\":" << json_str(panel.component_of(s).id);
    so << ",\"panel_locus\":";
    if (l.placed())
      so << "{\"chrom\":" << json_str(s.chrom) << ",\"pos\":" << l.pos << ",\"ref\":" << (l.ref.empty() ? "null" : json_str(l.ref))
        << ",\"alt\":" << (l.alts.empty() ? "null" : json_str(panel_alts(l))) << "}";
    else
      so << "null";
    so << ",\"seen\":";
    if (r.n_records > 0 || r.state == SiteState::kBuildMismatch)
      so << "{\"chrom\":" << json_str(r.record.contig) << ",\"pos\":" << r.record.pos << ",\"id\":" << json_str(r.record.id)
        << ",\"ref\":" << json_str(r.record.ref) << ",\"alt\":" << json_str(r.record.alts) << "}";
    else
      so << "null";
    so << ",\"n_records\":" << r.n_records << ",\"state_counts\":{";
    for (size_t k = 0; k < kNumCallStates; ++k)
      so << (k ? "," : "") << json_str(std::string(to_string(static_cast<CallState>(k)))) << ":" << n[k];
    so << "}";
    if (calls) {
      so << ",\"match\":" << json_str(std::string(to_string(r.match.type))) << ",\"alt_index\":"
        << (r.match.counted_allele >= 0 ? std::to_string(r.match.counted_allele) : "null")
        << ",\"ref_verified\":" << (r.match.ref_verified ? "true" : "false")
        << ",\"dosage_source\":" << json_str(std::string(to_string(static_cast<DosageSource>(r.dosage_source))))
        << ",\"counted_allele\":" << json_str(counted_allele(s, r)) << ",\"n_called\":" << st.n_called
        << ",\"call_rate\":" << fixed6(st.call_rate)
        << ",\"counted_allele_freq\":" << (st.counted_freq ? fixed6(*st.counted_freq) : "null")
        << ",\"hwe_p\":" << (st.hwe_p ? g6(*st.hwe_p) : "null")
        << ",\"eaf_check\":" << json_str(eaf_check(s, r, st, s.eaf_in(opt.eaf_population)));
      // Each sample's call here is in PREFIX.calls.tsv.gz (calls_tsv()), not in the JSON.
    }
    so << ",\"note\":" << json_str(site_note(s, r)) << "}";
    out += so.str();
  };
  stream_blocks(panel.sites().size(), 4, [&](TextBuffer& a, size_t i0, size_t i1) {
    for (size_t i = i0; i < i1; ++i) site_json(a, i);
  }, emit);
  o << "\n]";
  if (!biomarkers_block.empty()) o << ",\n" << biomarkers_block;
  o << "\n}\n";
  flush(true);
}

std::string inputs_json(const std::vector<InputSummary>& inputs, const std::vector<FailedInput>& failed, bool several) {
  if (!several) return "";
  std::string o = "\"inputs\":[";
  for (size_t i = 0; i < inputs.size(); ++i) {
    const InputSummary& x = inputs[i];
    o += (i ? ",\n" : "\n");
    o += "{\"path\":" + json_str(x.path) + ",\"format\":" + json_str(x.format) + ",\"read\":" + json_str(x.read_mode) +
         ",\"n_samples\":" + std::to_string(x.n_samples) + ",\"n_records_read\":" + std::to_string(x.n_records) +
         ",\"build\":" + json_str(x.build) + ",\"build_chosen_by\":" + json_str(x.build_how) +
         ",\"contig_style\":" + json_str(x.contig_style) + ",\"ref_concordance\":" + json_str(x.ref_concordance) + "}";
  }
  o += "\n],\n\"failed\":[";
  for (size_t i = 0; i < failed.size(); ++i)
    o += std::string(i ? ",\n" : "\n") + "{\"path\":" + json_str(failed[i].path) + ",\"reason\":" + json_str(failed[i].reason) + "}";
  o += "],\n";
  return o;
}

std::string failed_tsv(const std::vector<FailedInput>& failed) {
  std::string o = "# healcap " HEALCAP_VERSION " inputs that failed (--keep-going); the other inputs' results are in "
                  "PREFIX.samples.tsv. Research use only.\npath\treason\n";
  for (const auto& f : failed) {
    std::string reason = f.reason;
    for (char& c : reason)
      if (c == '\t' || c == '\n') c = ' ';
    o += f.path + "\t" + reason + "\n";
  }
  return o;
}

}  // namespace healcap
