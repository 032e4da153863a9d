// Step 3 of a scan (and of a merge): each input's state settled (its build, its checks), the inputs joined into
// one cohort, and the scores computed from it in panel order.
#include "cohort.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include <tbb/parallel_for.h>

#include "contig.h"
#include "errors.h"
#include "scan_steps.h"
#include "score.h"

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
         (ex.rsid.empty() ? ex.id : ex.rsid) + " at " + ex.in(b).contig + ":" + std::to_string(ex.in(b).pos);
}

// Reads a BED file of callable regions and marks the panel rows (placed in `b`) that lie inside one.
std::vector<bool> callable_rows(const std::string& path, const Panel& panel, Build b) {
  if (path.empty()) return {};
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

std::vector<bool> callable_rows(const Panel& panel, Build b, const ScanConfig& cfg) {
  if (cfg.callable_given) return cfg.callable_rows[static_cast<size_t>(b)];
  return callable_rows(cfg.callable_bed, panel, b);
}

std::vector<bool> covered_rows(const Panel& panel, Build b, const ScanConfig& cfg) {
  std::vector<bool> cov = callable_rows(panel, b, cfg);
  cov.resize(panel.sites().size(), false);
  for (size_t i = 0; i < cov.size(); ++i) cov[i] = panel.sites()[i].in(b).placed() && (cfg.score.absent_as_ref || cov[i]);
  return cov;
}

SettledInput settle_input(Segment&& seg, const ScanConfig& cfg) {
  ScanState& state = *seg.state;
  const Panel& panel = state.panel();
  const ScanStats stats = state.stats();
  BuildChoice build = seg.info.build;
  const std::array<Build, 2> builds = state.builds();
  const std::string& path = seg.info.path;
  std::vector<std::string> warnings = state.warnings;

  // The build: from the header, or, when it says nothing, from REF concordance at each build's panel sites.
  int p = 0;  // the chosen build's pass
  if (!build.determined) {
    const uint64_t c0 = stats.n_ref_concordant[0], c1 = stats.n_ref_concordant[1];
    if (c0 == 0 && c1 == 0)
      throw DataError(path + ": cannot tell GRCh37 from GRCh38: the " + build.how + ", and no record at a panel "
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
    warnings.push_back(path + ": input is not sorted (first at " + stats.first_unsorted +
                       "); scan results do not depend on order");
  if (stats.n_undefined > 0)
    warnings.push_back(path + ": " + std::to_string(stats.n_undefined) +
                       " records use a contig or tag the header does not define (first at " + stats.first_undefined + ")");

  if (stats.n_pos0 > 0)
    warnings.push_back(path + ": " + std::to_string(stats.n_pos0) +
                       " records at POS=0 (telomeres, as the VCF spec allows) were counted and skipped: no panel site is there");

  const auto likely_cause = [&]() -> std::string {
    if (o_concordant > 0 && o_concordant * 2 >= o_checked)
      return "likely cause: wrong build: " + std::to_string(o_concordant) + "/" + std::to_string(o_checked) +
             " records at the panel's " + std::string(to_string(unchosen)) + " positions carry its " +
             std::string(to_string(unchosen)) + " REF; rerun with --build " + std::string(to_string(unchosen));
    if (stats.n_panel_position_records[p] == 0) {
      // Do the input's contigs name chromosomes the panel has sites on? The header's contigs and those seen
      // in records (a file may lack ##contig lines).
      std::vector<std::string> names = seg.info.panel_contigs;
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
    throw DataError(with_notes(path + ": only " + conc + " at " + std::string(to_string(chosen)) +
                                   " panel sites (--min-ref-concordance " + fixed6(cfg.min_ref_concordance) + "); " +
                                   likely_cause(),
                               warnings));

  size_t n_usable = 0;
  for (const auto& r : store.results())
    n_usable += r.state == SiteState::kFound || r.state == SiteState::kRefBlock || r.state == SiteState::kFiltered;
  if (n_usable == 0) {
    const std::string msg = path + ": no panel site found in " + describe_seen(stats) +
                            (seg.info.read_mode == "streaming" ? "" : " (an indexed read of the panel's positions)") +
                            ", read as " + std::string(to_string(chosen)) + " with " + build.contig_style +
                            "-style contig names; " + describe_expected(panel, chosen) + "; " + likely_cause();
    if (!cfg.allow_no_hits) throw DataError(with_notes(msg, warnings));
    warnings.push_back(msg);
  }
  for (SiteResult& r : store.mutable_results()) r.n_inputs_seen = r.n_records > 0;

  SettledInput out;
  out.info = std::move(seg.info);
  out.build = build;
  out.stats = stats;
  out.builds = builds;
  out.pass = p;
  out.store = &store;
  out.state = std::move(seg.state);
  out.warnings = std::move(warnings);
  return out;
}

namespace {

bool call_state(SiteState s) { return s == SiteState::kFound || s == SiteState::kRefBlock || s == SiteState::kFiltered; }
int call_rank(SiteState s) { return s == SiteState::kFound ? 3 : s == SiteState::kRefBlock ? 2 : 1; }
int nocall_rank(SiteState s) {
  switch (s) {
    case SiteState::kRefMismatch: return 5;
    case SiteState::kAlleleAbsent:
    case SiteState::kAlleleMismatch: return 4;
    case SiteState::kBuildMismatch: return 3;
    case SiteState::kNotInInput: return 2;
    case SiteState::kNoCoordinates: return 1;
    default: return 0;
  }
}
bool same_call(const Call& a, const Call& b) { return a.state == b.state && a.dosage == b.dosage && a.ploidy == b.ploidy; }

// Appends input b's row (n_b samples) to the cohort's row a (n_a samples before it). The ledger keeps the
// best record over the inputs (a call state before none; found, then ref_block, then filtered), the first
// input's among equals; the calls of inputs without one are their absent calls.
void append_row(SiteResult& a, size_t n_a, SiteResult&& b, size_t n_b, const PanelSite& site, Build build, bool covered) {
  const bool ca = uses_calls(a), cb = uses_calls(b);
  const Call abs_a = ca ? Call{} : absent_call(site, build, a, covered);
  const Call abs_b = cb ? Call{} : absent_call(site, build, b, covered);
  if (ca || cb || !same_call(abs_a, abs_b)) {
    if (!ca) a.calls.assign(n_a, abs_a);
    if (!cb) b.calls.assign(n_b, abs_b);
    a.calls.insert(a.calls.end(), b.calls.begin(), b.calls.end());
    a.calls_materialized = true;
  }
  const bool take_b = call_state(b.state) ? !call_state(a.state) || call_rank(b.state) > call_rank(a.state)
                                          : !call_state(a.state) && nocall_rank(b.state) > nocall_rank(a.state);
  const int n_records = a.n_records + b.n_records;
  const uint32_t seen = a.n_inputs_seen + b.n_inputs_seen, n_inputs = a.n_inputs + b.n_inputs;
  if (take_b) {
    a.state = b.state;
    a.match = b.match;
    a.record = std::move(b.record);
    a.dosage_source = b.dosage_source;
    a.site_filtered = b.site_filtered;
    a.n_matched = b.n_matched;
    a.used_match = b.used_match;
    a.key = b.key;
    a.matched_keys = std::move(b.matched_keys);
  }
  a.n_records = n_records;
  a.n_inputs_seen = seen;
  a.n_inputs = n_inputs;
}

void add_stats(ScanStats& to, const std::array<Build, 2>& to_builds, const ScanStats& s, const std::array<Build, 2>& builds) {
  for (int q = 0; q < 2; ++q) {
    const int j = to_builds[0] == builds[q] ? 0 : 1;
    to.n_panel_position_records[j] += s.n_panel_position_records[q];
    to.n_ref_checked[j] += s.n_ref_checked[q];
    to.n_ref_concordant[j] += s.n_ref_concordant[q];
  }
  to.n_records += s.n_records;
  to.n_ref_blocks += s.n_ref_blocks;
  for (const ContigSeen& c : s.contigs) {
    auto it = std::find_if(to.contigs.begin(), to.contigs.end(), [&](const ContigSeen& x) { return x.name == c.name; });
    if (it == to.contigs.end()) {
      to.contigs.push_back(c);
      continue;
    }
    it->n_records += c.n_records;
    it->first_pos = std::min(it->first_pos, c.first_pos);
    it->last_pos = std::max(it->last_pos, c.last_pos);
  }
  if (to.first_unsorted.empty()) to.first_unsorted = s.first_unsorted;
  if (to.first_undefined.empty()) to.first_undefined = s.first_undefined;
  to.n_undefined += s.n_undefined;
  to.n_pos0 += s.n_pos0;
}

Build other(Build b) { return b == Build::kGRCh37 ? Build::kGRCh38 : Build::kGRCh37; }

}  // namespace

void Cohort::add(SettledInput&& s) {
  const std::string& path = s.info.path;
  const std::vector<std::string>& names = s.state->samples();
  if (n_inputs_ > 0) {
    const std::string& first = input_paths_.front();
    if (s.build.build != first_.build.build)
      throw DataError(path + ": read as " + std::string(to_string(s.build.build)) + " (" + s.build.how + "), but " + first +
                      " is " + std::string(to_string(first_.build.build)) + "; inputs of one run must share a build: "
                      "lift one over, or run them apart");
    const bool a_named = !first_.info.panel_contigs.empty(), b_named = !s.info.panel_contigs.empty();
    if (a_named != b_named && (a_named ? s.info.n_header_contigs : first_.info.n_header_contigs) > 0)
      throw DataError(path + ": its contig names (" + s.build.contig_style + "-style) cannot be reconciled with " + first +
                      "'s (" + first_.build.contig_style + "-style): one of them names no chromosome the panel has "
                      "sites on; rename the contigs (bcftools annotate --rename-chrs)");
  }
  for (const auto& n : names) {
    const auto it = sample_input_.find(n);
    if (it != sample_input_.end())
      throw DataError(path + ": sample '" + n + "' is also in " + input_paths_[it->second] +
                      "; every sample must come from one input: drop it from one (-s ^NAME) or rename it (bcftools reheader -s)");
  }
  for (const auto& n : names) sample_input_.emplace(n, input_paths_.size());
  input_paths_.push_back(path);

  InputSummary sum;
  sum.path = path;
  sum.format = s.info.format;
  sum.read_mode = s.info.read_mode;
  sum.build = std::string(to_string(s.build.build));
  sum.build_how = s.build.how;
  sum.contig_style = s.build.contig_style;
  sum.ref_concordance = concordance_words(s.stats.n_ref_concordant[s.pass], s.stats.n_ref_checked[s.pass]);
  sum.n_samples = names.size();
  sum.n_records = s.stats.n_records;
  inputs_.push_back(std::move(sum));
  for (const auto& w : s.warnings) warnings_.push_back(w);

  if (n_inputs_++ == 0) {
    covered_ = covered_rows(panel_, s.build.build, cfg_);
    samples_ = names;
    stats_ = s.stats;
    stat_builds_ = s.builds;
    format_ = s.info.format;
    read_mode_ = s.info.read_mode;
    store_ = s.store;
    first_state_ = std::move(s.state);
    first_ = std::move(s);
    return;
  }
  if (format_ != s.info.format) format_ = "mixed";
  if (read_mode_ != s.info.read_mode) read_mode_ = "mixed";
  add_stats(stats_, stat_builds_, s.stats, s.builds);
  const size_t n_a = samples_.size(), n_b = names.size();
  const Build b = first_.build.build;
  auto& rows = store_->mutable_results();
  auto& other_rows = s.store->mutable_results();
  for (size_t i = 0; i < rows.size(); ++i)
    append_row(rows[i], n_a, std::move(other_rows[i]), n_b, panel_.sites()[i], b, covered_[i]);
  samples_.insert(samples_.end(), names.begin(), names.end());
  store_->set_n_samples(samples_.size());
}

ScanResult Cohort::result(const std::string& command_line, bool several, std::vector<std::string>& warnings) {
  if (!store_) {  // every input failed: the outputs say so, with no samples
    const Build b = cfg_.build.value_or(Build::kGRCh38);
    first_state_ = std::make_unique<ScanState>(panel_, std::array<Build, 2>{b, other(b)}, std::vector<std::string>{});
    store_ = &first_state_->stores[0];
    first_.build.build = b;
    first_.build.how = "no input was read";
    first_.build.contig_style = "none";
    stat_builds_ = first_state_->builds();
    format_ = read_mode_ = "none";
  }
  for (const auto& w : warnings_) warnings.push_back(w);
  const Build chosen = first_.build.build;
  const int j = stat_builds_[0] == chosen ? 0 : 1;
  ScanResult r;
  r.panel = &panel_;
  r.build = chosen;
  r.score = cfg_.score;
  if (!cfg_.callable_bed.empty()) r.score.callable = callable_rows(panel_, chosen, cfg_);
  r.samples = samples_;
  // Scored in ranges of samples on the run's threads (the arena the caller runs in).
  r.scores.resize(store_->n_samples());
  constexpr size_t kPerTask = 2048;
  tbb::parallel_for(size_t{0}, (r.scores.size() + kPerTask - 1) / kPerTask, [&](size_t t) {
    score_sample_range(panel_, chosen, *store_, r.score, r.scores, t * kPerTask, std::min(r.scores.size(), (t + 1) * kPerTask));
  });
  r.store = store_;
  // Each row's call statistics, once, a row per task: sites.tsv, the JSON and the MultiQC files all show them.
  r.site_stats.resize(panel_.sites().size());
  tbb::parallel_for(size_t{0}, r.site_stats.size(), [&](size_t i) {
    const SiteResult& x = store_->results()[i];
    if (x.state == SiteState::kFound || x.state == SiteState::kRefBlock || x.state == SiteState::kFiltered)
      r.site_stats[i] = site_stats(x, store_->n_samples());
  });
  r.stats = stats_;
  r.min_completeness = cfg_.min_completeness;
  r.several = several;
  r.inputs = inputs_;
  r.failed = failed_;
  std::sort(r.failed.begin(), r.failed.end(), [](const FailedInput& x, const FailedInput& y) { return x.order < y.order; });
  RunInfo& run = r.run;
  run.command_line = command_line;
  run.threads = cfg_.threads;
  run.input_path = several ? "" : first_.info.path;
  run.input_format = format_;
  run.read_mode = read_mode_;
  run.build = first_.build;
  run.ref_concordance = concordance_words(stats_.n_ref_concordant[j], stats_.n_ref_checked[j]);
  run.dosage_mode = cfg_.dosage_text;
  run.min_completeness = cfg_.min_completeness;
  std::vector<std::string> opts;
  if (cfg_.decode.pass_only) opts.push_back("--pass-only");
  if (cfg_.decode.min_gq > 0) opts.push_back("--min-gq " + std::to_string(cfg_.decode.min_gq));
  if (cfg_.decode.min_dp > 0) opts.push_back("--min-dp " + std::to_string(cfg_.decode.min_dp));
  if (!cfg_.callable_bed.empty()) opts.push_back("--callable " + cfg_.callable_bed);
  if (cfg_.score.absent_as_ref) opts.push_back("--absent-as-ref");
  for (size_t i = 0; i < opts.size(); ++i) run.options += (i ? " " : "") + opts[i];
  return r;
}

Segment join_segments(std::vector<Segment> parts, const std::vector<std::string>& names) {
  // A group whose partials hold no segment for the input (a crafted or damaged partial; found by fuzzing).
  if (parts.empty()) throw DataError("healcap merge: an input of the partials has no scan segment; make the partials again");
  // Sample shards that kept none of the input's samples (more shards than samples) add nothing.
  std::vector<std::string> kept_names;
  const size_t n_empty = static_cast<size_t>(
      std::count_if(parts.begin(), parts.end(), [](const Segment& s) { return s.state->samples().empty(); }));
  if (parts.size() > 1 && n_empty > 0 && n_empty < parts.size()) {
    std::vector<Segment> kept;
    for (size_t i = 0; i < parts.size(); ++i)
      if (!parts[i].state->samples().empty()) {
        kept.push_back(std::move(parts[i]));
        kept_names.push_back(names[i]);
      }
    return join_segments(std::move(kept), kept_names);
  }
  if (parts.size() == 1) return std::move(parts.front());
  std::vector<size_t> idx(parts.size());
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  const std::string input = parts.front().info.path;
  // By sample range, then by where the coverage starts in the input.
  std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
    if (parts[a].info.sample_begin != parts[b].info.sample_begin) return parts[a].info.sample_begin < parts[b].info.sample_begin;
    return parts[a].coverage_rank < parts[b].coverage_rank;
  });
  std::vector<Segment> groups;  // one per sample range, its region shards merged
  std::vector<std::string> group_name;
  for (size_t k = 0; k < idx.size(); ++k) {
    Segment& s = parts[idx[k]];
    if (!groups.empty() && groups.back().info.sample_begin == s.info.sample_begin) {
      Segment& g = groups.back();
      if (g.state->samples() != s.state->samples())
        throw DataError(names[idx[k]] + " and " + group_name.back() + " hold different samples of " + input +
                        " at the same place; they come from different inputs or sample selections");
      if (g.coverage.overlaps(s.coverage))
        throw DataError(names[idx[k]] + " and " + group_name.back() + " both cover " + input +
                        (s.coverage.empty() || g.coverage.empty() ? "" : " in overlapping regions") +
                        " for the same samples; give each shard once");
      s.state->shift_keys(g.state->end_key());
      g.state->merge(std::move(*s.state));
      g.coverage.unite(s.coverage);
      group_name.back() += ", " + names[idx[k]];
      continue;
    }
    groups.push_back(std::move(s));
    group_name.push_back(names[idx[k]]);
  }
  Segment out = std::move(groups.front());
  uint64_t next = out.info.sample_begin + out.state->samples().size();
  for (size_t g = 1; g < groups.size(); ++g) {
    Segment& s = groups[g];
    if (s.info.sample_begin < next)
      throw DataError(group_name[g] + " and " + group_name[g - 1] + " hold overlapping samples of " + input +
                      "; give each sample shard once");
    if (s.info.sample_begin > next)
      throw DataError(input + ": samples " + std::to_string(next + 1) + ".." + std::to_string(s.info.sample_begin) +
                      " are in no partial (between " + group_name[g - 1] + " and " + group_name[g] + "); a shard is missing");
    if (s.coverage.words() != out.coverage.words())
      throw DataError(group_name[g] + " and " + group_name[0] + " cover different regions of " + input +
                      " for different samples; merge shards of one plan");
    next += s.state->samples().size();
    out.state->append_samples(std::move(*s.state));
  }
  return out;
}

}  // namespace healcap
