// Report text for the scan: TSV tables and JSON, byte-identical for identical results.
#include "scan_report.h"

#include <cmath>
#include <cstdio>
#include <optional>
#include <sstream>

#include "version.h"

namespace healcap {

const char* const kScoreFormula[] = {
    "For sample s and each scored panel row i (weight w_i != 0, evidence grade selected) with an observed call "
    "of d effect-allele copies at ploidy p: g_i = d (additive), 1 if d >= 1 (dominant), 1 if d = p (recessive); "
    "gmax_i = p (additive) or 1 (dominant, recessive).",
    "weighted_sum S = sum over observed rows of w_i * g_i.",
    "max_observed M = sum over observed rows of max(w_i, 0) * gmax_i; min_observed m = sum of min(w_i, 0) * gmax_i.",
    "completeness C = sum over observed rows of |w_i| / sum over all scored rows of |w_i| (rows not in the input, "
    "with a missing genotype or without coordinates in this build count as unobserved).",
    "healing_capacity_index H = 1 - (S - m) / (M - m), in [0, 1], higher = fewer worse-outcome alleles than "
    "possible over the observed rows; NA when nothing was observed. Read H beside C.",
    "Missing genotypes are not counted as reference. The same formulas are applied per pathway and per trait.",
    nullptr};

namespace {

constexpr const char* kResearchUse =
    "healcap scores are research measures of genetic associations that are often weak or unreplicated; "
    "they are not a diagnosis and must not guide treatment on their own";

std::string opt6(const std::optional<double>& x, const char* na) { return x ? fixed6(*x) : na; }

std::string g6(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

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

std::string dot(const std::string& s) { return s.empty() ? "." : s; }

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + v[i];
  return s;
}

std::string panel_alts(const BuildLocus& l) { return l.alts.empty() ? "." : join(l.alts, ","); }

std::string counted_allele(const PanelSite& s, const SiteResult& r) {
  if (r.state != SiteState::kFound) return s.effect_allele.empty() ? "." : s.effect_allele;
  return r.match.counted_allele == -2 ? "non_ref" : s.effect_allele;
}

std::string site_note(const PanelSite& s, const SiteResult& r) {
  std::vector<std::string> notes;
  if (r.state == SiteState::kFound && r.match.counted_allele == -1)
    notes.push_back("effect allele " + s.effect_allele + " is not among the record's alleles: 0 copies counted");
  if (r.state == SiteState::kFound && !r.match.ref_verified) notes.push_back("panel REF unknown in this build: REF unverified");
  if (!r.duplicate_note.empty()) notes.push_back(r.duplicate_note);
  return notes.empty() ? "." : join(notes, "; ");
}

void json_group(std::ostringstream& o, const GroupScore& g) {
  const auto num = [](const std::optional<double>& x) { return x ? fixed6(*x) : std::string("null"); };
  o << "{\"n_rows\":" << g.n_rows << ",\"n_called\":" << g.n_called << ",\"n_missing\":" << g.n_missing
    << ",\"n_absent\":" << g.n_absent << ",\"risk_allele_count\":" << g.risk_alleles
    << ",\"weighted_sum\":" << fixed6(g.weighted_sum) << ",\"max_observed\":" << fixed6(g.max_observed)
    << ",\"min_observed\":" << fixed6(g.min_observed) << ",\"completeness\":" << num(g.completeness())
    << ",\"healing_capacity_index\":" << num(g.index()) << "}";
}

}  // namespace

std::string fixed6(double x) {
  char buf[48];
  if (std::fabs(x) < 5e-7) x = 0;  // no "-0.000000"
  std::snprintf(buf, sizeof buf, "%.6f", x);
  return buf;
}

std::string samples_tsv(const std::vector<std::string>& samples, const std::vector<SampleScore>& scores) {
  std::ostringstream o;
  o << "# healcap " HEALCAP_VERSION " per-sample healing-capacity summary. Research use only: not a diagnosis. "
       "Formula in the README and in PREFIX.json.\n";
  o << "sample\tn_scored_sites\tn_called\tn_missing\tn_absent\trisk_allele_count\tweighted_sum\tmax_observed\t"
       "completeness\thealing_capacity_index";
  for (const auto& p : pathway_vocabulary()) o << "\thci_pathway_" << p.name;
  for (const auto& t : trait_vocabulary()) o << "\thci_trait_" << t.name;
  o << "\n";
  for (size_t k = 0; k < samples.size(); ++k) {
    const SampleScore& s = scores[k];
    const GroupScore& a = s.all;
    o << samples[k] << "\t" << a.n_rows << "\t" << a.n_called << "\t" << a.n_missing << "\t" << a.n_absent << "\t"
      << a.risk_alleles << "\t" << fixed6(a.weighted_sum) << "\t" << fixed6(a.max_observed) << "\t"
      << opt6(a.completeness(), "NA") << "\t" << opt6(a.index(), "NA");
    for (const auto& g : s.by_pathway) o << "\t" << opt6(g.index(), "NA");
    for (const auto& g : s.by_trait) o << "\t" << opt6(g.index(), "NA");
    o << "\n";
  }
  return o.str();
}

std::string sites_tsv(const Panel& panel, Build build, const SiteStore& store, const ScoreOptions& opt) {
  std::ostringstream o;
  o << "# healcap " HEALCAP_VERSION " panel sites in " << to_string(build)
    << ". Research use only. counted_allele_freq and hwe_p are over this input's called samples.\n";
  o << "id\trsid\tgene\tpathway\ttrait\tstate\tscored\tweight\tmodel\teffect_allele\tpanel_chrom\tpanel_pos\t"
       "panel_ref\tpanel_alt\tseen_chrom\tseen_pos\tseen_id\tseen_ref\tseen_alt\tmatch\talt_index\tref_verified\t"
       "n_records\tn_called\tcall_rate\tcounted_allele\tcounted_allele_freq\tn_hom_counted\tn_het\tn_hom_other\t"
       "hwe_p\tnote\n";
  for (size_t i = 0; i < panel.sites().size(); ++i) {
    const PanelSite& s = panel.sites()[i];
    const SiteResult& r = store.results()[i];
    const BuildLocus& l = s.in(build);
    const bool seen = r.n_records > 0;
    const bool found = r.state == SiteState::kFound;
    const SiteStats st = site_stats(r, store.n_samples());
    o << s.id << "\t" << dot(s.rsid) << "\t" << s.gene << "\t" << to_string(s.pathway) << "\t" << to_string(s.trait)
      << "\t" << to_string(r.state) << "\t" << (opt.scores(s) ? "yes" : "no") << "\t" << g6(s.weight) << "\t"
      << to_string(s.model) << "\t" << dot(s.effect_allele) << "\t" << (l.placed() ? s.chrom : ".") << "\t"
      << (l.placed() ? std::to_string(l.pos) : ".") << "\t" << dot(l.ref) << "\t" << panel_alts(l) << "\t";
    if (seen)
      o << r.record.contig << "\t" << r.record.pos << "\t" << r.record.id << "\t" << r.record.ref << "\t" << r.record.alts;
    else
      o << ".\t.\t.\t.\t.";
    o << "\t" << (seen && r.match.outcome == MatchOutcome::kMatched ? std::string(to_string(r.match.type)) : ".");
    o << "\t" << (found && r.match.counted_allele >= 0 ? std::to_string(r.match.counted_allele) : ".");
    o << "\t" << (found ? (r.match.ref_verified ? "yes" : "no") : ".");
    o << "\t" << r.n_records << "\t" << (found ? std::to_string(st.n_called) : ".") << "\t"
      << (found ? fixed6(st.call_rate) : ".") << "\t" << counted_allele(s, r) << "\t"
      << opt6(st.counted_freq, ".") << "\t";
    if (found)
      o << st.n_hom_counted << "\t" << st.n_het << "\t" << st.n_hom_other << "\t" << (st.hwe_p ? g6(*st.hwe_p) : ".");
    else
      o << ".\t.\t.\t.";
    o << "\t" << site_note(s, r) << "\n";
  }
  return o.str();
}

std::string report_json(const Panel& panel, const RunInfo& run, const ScanStats& stats,
                        const std::vector<std::string>& samples, const std::vector<SampleScore>& scores,
                        const SiteStore& store, const ScoreOptions& opt) {
  std::ostringstream o;
  o << "{\n\"healcap\":{\"version\":" << json_str(HEALCAP_VERSION) << ",\"research_use\":" << json_str(kResearchUse) << "},\n";
  o << "\"run\":{\"command_line\":" << json_str(run.command_line) << ",\"threads\":" << run.threads << "},\n";
  o << "\"input\":{\"path\":" << json_str(run.input_path) << ",\"format\":" << json_str(run.input_format)
    << ",\"n_samples\":" << samples.size() << ",\"n_records\":" << stats.n_records
    << ",\"n_records_at_panel_positions\":" << stats.n_panel_position_records
    << ",\"sorted\":" << (stats.first_unsorted.empty() ? "true" : "false")
    << ",\"first_unsorted\":" << (stats.first_unsorted.empty() ? "null" : json_str(stats.first_unsorted))
    << ",\"n_records_with_undefined_contig_or_tag\":" << stats.n_undefined << ",\"contigs\":[";
  for (size_t i = 0; i < stats.contigs.size(); ++i) {
    const auto& c = stats.contigs[i];
    o << (i ? "," : "") << "{\"name\":" << json_str(c.name) << ",\"n_records\":" << c.n_records
      << ",\"first_pos\":" << c.first_pos << ",\"last_pos\":" << c.last_pos << "}";
  }
  o << "]},\n";
  o << "\"build\":{\"name\":" << json_str(std::string(to_string(run.build.build))) << ",\"chosen_by\":"
    << json_str(run.build.how) << ",\"contig_style\":" << json_str(run.build.contig_style) << ",\"warnings\":[";
  for (size_t i = 0; i < run.build.warnings.size(); ++i) o << (i ? "," : "") << json_str(run.build.warnings[i]);
  o << "]},\n";
  o << "\"panel\":{\"name\":" << json_str(panel.name()) << ",\"version\":" << json_str(panel.version())
    << ",\"sha256\":" << json_str(panel.sha256()) << ",\"file\":" << json_str(panel.origin())
    << ",\"n_rows\":" << panel.sites().size() << "},\n";
  o << "\"scoring\":{\"grades_scored\":[";
  bool first = true;
  for (size_t g = 0; g < grade_vocabulary().size(); ++g)
    if (opt.grade_scored[g]) {
      o << (first ? "" : ",") << json_str(std::string(grade_vocabulary()[g].name));
      first = false;
    }
  o << "],\"formula\":[";
  for (size_t i = 0; kScoreFormula[i]; ++i) o << (i ? "," : "") << json_str(kScoreFormula[i]);
  o << "]},\n\"samples\":[";
  for (size_t k = 0; k < samples.size(); ++k) {
    const SampleScore& s = scores[k];
    o << (k ? ",\n" : "\n") << "{\"sample\":" << json_str(samples[k]) << ",\"all\":";
    json_group(o, s.all);
    o << ",\"by_pathway\":{";
    for (size_t p = 0; p < s.by_pathway.size(); ++p) {
      o << (p ? "," : "") << json_str(std::string(pathway_vocabulary()[p].name)) << ":";
      json_group(o, s.by_pathway[p]);
    }
    o << "},\"by_trait\":{";
    for (size_t t = 0; t < s.by_trait.size(); ++t) {
      o << (t ? "," : "") << json_str(std::string(trait_vocabulary()[t].name)) << ":";
      json_group(o, s.by_trait[t]);
    }
    o << "}}";
  }
  o << "\n],\n\"sites\":[";
  const Build b = run.build.build;
  for (size_t i = 0; i < panel.sites().size(); ++i) {
    const PanelSite& s = panel.sites()[i];
    const SiteResult& r = store.results()[i];
    const BuildLocus& l = s.in(b);
    const bool found = r.state == SiteState::kFound;
    const SiteStats st = site_stats(r, store.n_samples());
    o << (i ? ",\n" : "\n") << "{\"id\":" << json_str(s.id) << ",\"rsid\":" << (s.rsid.empty() ? "null" : json_str(s.rsid))
      << ",\"gene\":" << json_str(s.gene) << ",\"pathway\":" << json_str(std::string(to_string(s.pathway)))
      << ",\"trait\":" << json_str(std::string(to_string(s.trait))) << ",\"state\":" << json_str(std::string(to_string(r.state)))
      << ",\"scored\":" << (opt.scores(s) ? "true" : "false") << ",\"weight\":" << g6(s.weight)
      << ",\"model\":" << json_str(std::string(to_string(s.model)))
      << ",\"effect_allele\":" << (s.effect_allele.empty() ? "null" : json_str(s.effect_allele))
      << ",\"evidence_grade\":" << json_str(std::string(to_string(s.grade)));
    o << ",\"panel_locus\":";
    if (l.placed())
      o << "{\"chrom\":" << json_str(s.chrom) << ",\"pos\":" << l.pos << ",\"ref\":" << (l.ref.empty() ? "null" : json_str(l.ref))
        << ",\"alt\":" << (l.alts.empty() ? "null" : json_str(panel_alts(l))) << "}";
    else
      o << "null";
    o << ",\"seen\":";
    if (r.n_records > 0)
      o << "{\"chrom\":" << json_str(r.record.contig) << ",\"pos\":" << r.record.pos << ",\"id\":" << json_str(r.record.id)
        << ",\"ref\":" << json_str(r.record.ref) << ",\"alt\":" << json_str(r.record.alts) << "}";
    else
      o << "null";
    o << ",\"n_records\":" << r.n_records;
    if (found) {
      o << ",\"match\":" << json_str(std::string(to_string(r.match.type))) << ",\"alt_index\":"
        << (r.match.counted_allele >= 0 ? std::to_string(r.match.counted_allele) : "null")
        << ",\"ref_verified\":" << (r.match.ref_verified ? "true" : "false")
        << ",\"counted_allele\":" << json_str(counted_allele(s, r)) << ",\"n_called\":" << st.n_called
        << ",\"call_rate\":" << fixed6(st.call_rate)
        << ",\"counted_allele_freq\":" << (st.counted_freq ? fixed6(*st.counted_freq) : "null")
        << ",\"hwe_p\":" << (st.hwe_p ? g6(*st.hwe_p) : "null") << ",\"genotypes\":[";
      for (size_t k = 0; k < r.calls.size(); ++k) o << (k ? "," : "") << json_str(gt_text(r.calls[k]));
      o << "],\"counted_allele_copies\":[";
      for (size_t k = 0; k < r.calls.size(); ++k)
        o << (k ? "," : "") << (r.calls[k].count < 0 ? std::string("null") : std::to_string(r.calls[k].count));
      o << "]";
    }
    o << ",\"note\":" << json_str(site_note(s, r)) << "}";
  }
  o << "\n]\n}\n";
  return o.str();
}

}  // namespace healcap
