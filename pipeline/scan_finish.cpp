// Step 3 of a scan: the finished state into a result. The build choice, the checks that a run found what it
// should, and the scores, computed from the state in panel order.
#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "contig.h"
#include "errors.h"
#include "scan_steps.h"

namespace healcap {

namespace {

std::string describe_seen(const ScanStats& st) {
  std::ostringstream o;
  o << st.n_records << " records on " << st.contigs.size() << " contig(s)";
  for (size_t i = 0; i < st.contigs.size() && i < 5; ++i)
    o << (i ? ", " : " (") << st.contigs[i].name << ":" << st.contigs[i].first_pos << "-" << st.contigs[i].last_pos;
  if (!st.contigs.empty()) o << (st.contigs.size() > 5 ? ", ...)" : ")");
  return o.str();
}

std::string describe_expected(const Panel& panel, Build b) {
  const auto& placed = panel.placed(b);
  if (placed.empty()) return "the panel has no sites in " + std::string(to_string(b));
  std::vector<std::string> contigs;
  for (size_t i : placed) {
    const auto& c = panel.sites()[i].in(b).contig;
    if (contigs.empty() || contigs.back() != c) contigs.push_back(c);
  }
  const PanelSite& ex = panel.sites()[placed.front()];
  return "the panel's " + std::to_string(placed.size()) + " " + std::string(to_string(b)) + " sites lie on " +
         std::to_string(contigs.size()) + " chromosomes (" + contigs.front() + ".." + contigs.back() + "), e.g. " +
         ex.rsid + " at " + ex.in(b).contig + ":" + std::to_string(ex.in(b).pos);
}

// Reads a BED file of callable regions and marks the panel rows (placed in `b`) that lie inside one.
std::vector<bool> callable_rows(const std::string& path, const Panel& panel, Build b) {
  std::ifstream f(path);
  if (!f) throw DataError(path + ": cannot open the --callable BED file");
  std::map<std::string, std::vector<std::pair<int64_t, int64_t>>> iv;
  std::string line;
  int n = 0;
  while (std::getline(f, line)) {
    ++n;
    if (line.empty() || line[0] == '#' || line.rfind("track", 0) == 0 || line.rfind("browser", 0) == 0) continue;
    std::stringstream ss(line);
    std::string chrom;
    int64_t beg = -1, end = -1;
    if (!(ss >> chrom >> beg >> end) || beg < 0 || end < beg)
      throw DataError(path + ":" + std::to_string(n) + ": not a BED line (chrom, 0-based start, end)");
    iv[normalise_contig(chrom)].emplace_back(beg, end);
  }
  std::vector<bool> out(panel.sites().size(), false);
  for (size_t i = 0; i < panel.sites().size(); ++i) {
    const BuildLocus& l = panel.sites()[i].in(b);
    if (!l.placed()) continue;
    const auto it = iv.find(l.contig);
    if (it == iv.end()) continue;
    for (const auto& [beg, end] : it->second)
      if (l.pos - 1 >= beg && l.pos - 1 < end) {
        out[i] = true;
        break;
      }
  }
  return out;
}

std::string with_notes(std::string msg, const std::vector<std::string>& warnings) {
  for (const auto& w : warnings) msg += "; note: " + w;
  return msg;
}

}  // namespace

ScanResult finish_scan(ScanState& state, const OpenInput& input, const ScanConfig& cfg, const std::string& command_line,
                       const std::string& read_mode, std::vector<std::string>& warnings) {
  const Panel& panel = state.panel();
  const ScanStats stats = state.stats();
  BuildChoice build = input.build;
  const std::array<Build, 2> builds = state.builds();

  // The build: from the header, or, when it says nothing, from REF concordance at each build's panel sites.
  int p = 0;  // the chosen build's pass
  if (!build.determined) {
    const uint64_t c0 = stats.n_ref_concordant[0], c1 = stats.n_ref_concordant[1];
    if (c0 == 0 && c1 == 0)
      throw DataError(cfg.input + ": cannot tell GRCh37 from GRCh38: the " + build.how + ", and no record at a panel "
                      "position of either build carries the panel's REF; pass --build GRCh37 or --build GRCh38");
    if (c1 > c0) p = 1;
    build.build = builds[p];
    build.how = "REF concordance at panel sites: " + std::to_string(stats.n_ref_concordant[p]) + "/" +
                std::to_string(stats.n_ref_checked[p]) + " for " + std::string(to_string(build.build)) + " vs " +
                std::to_string(stats.n_ref_concordant[1 - p]) + "/" + std::to_string(stats.n_ref_checked[1 - p]) +
                " for " + std::string(to_string(builds[1 - p])) + " (the header says nothing)";
  }
  SiteStore& store = state.stores[p];
  const SiteStore& other_store = state.stores[1 - p];
  const Build chosen = builds[p], unchosen = builds[1 - p];
  const uint64_t checked = stats.n_ref_checked[p], concordant = stats.n_ref_concordant[p];
  const uint64_t o_checked = stats.n_ref_checked[1 - p], o_concordant = stats.n_ref_concordant[1 - p];
  const std::string conc = concordance_words(concordant, checked);

  // Rows missing in the chosen build whose other-build position holds a record with that build's REF.
  for (size_t i = 0; i < panel.sites().size(); ++i) {
    const SiteResult& o = other_store.results()[i];
    const BuildLocus& ol = panel.sites()[i].in(unchosen);
    if (o.state == SiteState::kFound && o.match.type == MatchType::kDirect && !ol.ref.empty() && o.record.ref == ol.ref)
      store.note_build_mismatch(i, o.record);
  }

  if (!stats.first_unsorted.empty())
    warnings.push_back(cfg.input + ": input is not sorted (first at " + stats.first_unsorted +
                       "); scan results do not depend on order");
  if (stats.n_undefined > 0)
    warnings.push_back(cfg.input + ": " + std::to_string(stats.n_undefined) +
                       " records use a contig or tag the header does not define (first at " + stats.first_undefined + ")");

  const auto likely_cause = [&]() -> std::string {
    if (o_concordant > 0 && o_concordant * 2 >= o_checked)
      return "likely cause: wrong build: " + std::to_string(o_concordant) + "/" + std::to_string(o_checked) +
             " records at the panel's " + std::string(to_string(unchosen)) + " positions carry its " +
             std::string(to_string(unchosen)) + " REF; rerun with --build " + std::string(to_string(unchosen));
    if (stats.n_panel_position_records[p] == 0) {
      // Do the input's contigs name chromosomes the panel has sites on? The header's contigs and those seen
      // in records (a file may lack ##contig lines).
      std::vector<std::string> names;
      int n_seq = 0;
      const char** seq = bcf_hdr_seqnames(input.in->header(), &n_seq);
      for (int i = 0; i < n_seq; ++i) names.emplace_back(seq[i]);
      free(seq);
      for (const auto& c : stats.contigs) names.push_back(c.name);
      std::vector<std::string> shared;
      for (const auto& n : names)
        if (panel.positions(chosen, normalise_contig(n)) && std::find(shared.begin(), shared.end(), n) == shared.end())
          shared.push_back(n);
      if (shared.empty())
        return "likely cause: a contig naming mismatch (none of the input's contig names, " + build.contig_style +
               "-style, is a chromosome the panel has sites on)";
      return "likely cause: the input covers none of the panel's positions on " + shared.front() +
             (shared.size() > 1 ? " and " + std::to_string(shared.size() - 1) + " other contig(s)" : "") +
             " (a region, an exome or a targeted file?), or a build mismatch";
    }
    return "likely cause: a different reference or not a human VCF (REFs at panel positions do not match)";
  };
  if (checked > 0 && static_cast<double>(concordant) < cfg.min_ref_concordance * static_cast<double>(checked))
    throw DataError(with_notes(cfg.input + ": only " + conc + " at " + std::string(to_string(chosen)) +
                                   " panel sites (--min-ref-concordance " + fixed6(cfg.min_ref_concordance) + "); " +
                                   likely_cause(),
                               warnings));

  size_t n_usable = 0;
  for (const auto& r : store.results())
    n_usable += r.state == SiteState::kFound || r.state == SiteState::kRefBlock || r.state == SiteState::kFiltered;
  if (n_usable == 0) {
    const std::string msg = cfg.input + ": no panel site found in " + describe_seen(stats) +
                            (read_mode == "streaming" ? "" : " (an indexed read of the panel's positions)") + ", read as " +
                            std::string(to_string(chosen)) + " with " + build.contig_style + "-style contig names; " +
                            describe_expected(panel, chosen) + "; " + likely_cause();
    if (!cfg.allow_no_hits) throw DataError(with_notes(msg, warnings));
    warnings.push_back(msg);
  }

  ScanResult r;
  r.panel = &panel;
  r.build = chosen;
  r.score = cfg.score;
  if (!cfg.callable_bed.empty()) r.score.callable = callable_rows(cfg.callable_bed, panel, chosen);
  r.samples = state.samples();
  r.scores = score_samples(panel, chosen, store, r.score);
  r.store = &store;
  r.stats = stats;
  r.min_completeness = cfg.min_completeness;
  RunInfo& run = r.run;
  run.command_line = command_line;
  run.threads = cfg.threads;
  run.input_path = cfg.input;
  run.input_format = input.in->format_description();
  run.read_mode = read_mode;
  run.build = build;
  run.ref_concordance = conc;
  run.dosage_mode = cfg.dosage_text;
  run.min_completeness = cfg.min_completeness;
  std::vector<std::string> opts;
  if (cfg.decode.pass_only) opts.push_back("--pass-only");
  if (cfg.decode.min_gq > 0) opts.push_back("--min-gq " + std::to_string(cfg.decode.min_gq));
  if (cfg.decode.min_dp > 0) opts.push_back("--min-dp " + std::to_string(cfg.decode.min_dp));
  if (!cfg.callable_bed.empty()) opts.push_back("--callable " + cfg.callable_bed);
  if (cfg.score.absent_as_ref) opts.push_back("--absent-as-ref");
  for (size_t i = 0; i < opts.size(); ++i) run.options += (i ? " " : "") + opts[i];
  return r;
}

}  // namespace healcap
