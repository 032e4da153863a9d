// Many inputs, shards and their merge: a scan reads each input into a segment (its run state before the
// build is settled); segments of the same input (region and sample shards) are joined; each input is then
// settled (its build, its checks) and appended, in input order, to one cohort whose samples are the inputs'
// samples side by side. `scan` and `merge` run the same steps, so a merge of shards equals the single run.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "panel.h"
#include "regions.h"
#include "run_state.h"
#include "scan_command.h"
#include "scan_result.h"
#include "vcf_input.h"

namespace healcap {

// What the outputs say about one input, and where its segment sits in the run.
struct InputInfo {
  std::string path, format, read_mode;
  BuildChoice build;                        // from the header (determined = false: chosen by REF concordance)
  uint64_t order = 0;                       // place in the run's input list (file shards keep the full list's)
  uint64_t n_file_samples = 0;              // samples in the input after -s/-S
  uint64_t sample_begin = 0;                // first of them in this segment (a sample shard)
  uint64_t n_header_contigs = 0;            // ##contig lines
  std::vector<std::string> panel_contigs;   // header contig names that are chromosomes the panel has sites on
};

// One input's scan (or a shard of it), before its build is settled.
struct Segment {
  InputInfo info;
  RegionSet coverage;  // -r/-R regions of the shard (empty: the whole input)
  uint64_t coverage_rank = 0;  // where the coverage starts in the input (header contig index << 32 | begin)
  std::unique_ptr<ScanState> state;
};

// Joins segments of the same input into one: region shards (disjoint coverage, same samples) merge their
// states, in region order; sample shards (same coverage) are appended in sample order. Throws DataError
// naming `names[i]` (the partials the segments came from) when they overlap or do not fit together.
Segment join_segments(std::vector<Segment> parts, const std::vector<std::string>& names);

// One input, settled: its build chosen and checked, the chosen build's store.
struct SettledInput {
  InputInfo info;
  BuildChoice build;
  ScanStats stats;
  std::array<Build, 2> builds{};
  int pass = 0;  // the chosen build's pass in `stats`
  std::unique_ptr<ScanState> state;  // owns the store
  SiteStore* store = nullptr;
  std::vector<std::string> warnings;
};
// Chooses the build (by REF concordance when the header says nothing), marks build mismatches, checks REF
// concordance and that a panel site was found. Throws DataError naming the input, with `warnings` folded in.
SettledInput settle_input(Segment&& seg, const ScanConfig& cfg);

// The inputs, settled and appended in order, as one result.
class Cohort {
 public:
  Cohort(const Panel& panel, const ScanConfig& cfg) : panel_(panel), cfg_(cfg) {}
  // Appends the next input. Throws DataError naming both inputs for a sample name seen before, another build,
  // or contig names that cannot be reconciled with the first input's.
  void add(SettledInput&& s);
  void add_failed(FailedInput f) { failed_.push_back(std::move(f)); }
  size_t n_inputs() const { return n_inputs_; }
  const std::vector<FailedInput>& failed() const { return failed_; }
  // The result for the sinks; `several` lists every input in the JSON (a file list, or more than one input).
  ScanResult result(const std::string& command_line, bool several, std::vector<std::string>& warnings);

 private:
  const Panel& panel_;
  const ScanConfig& cfg_;
  std::unique_ptr<ScanState> first_state_;  // owns the cohort's store (the first input's, grown)
  SiteStore* store_ = nullptr;
  std::vector<bool> covered_;                // per row: a site without a record is reference (--callable, --absent-as-ref)
  SettledInput first_;
  std::vector<std::string> samples_;
  std::unordered_map<std::string, uint64_t> sample_input_;  // sample name -> input order
  std::vector<std::string> input_paths_;     // by add order, for messages naming both inputs
  std::vector<InputSummary> inputs_;
  std::vector<FailedInput> failed_;
  std::vector<std::string> warnings_;
  ScanStats stats_;
  std::array<Build, 2> stat_builds_{};
  size_t n_inputs_ = 0;
  std::string format_, read_mode_;
};

// Per panel row: inside a --callable BED region, in build b (empty without --callable).
std::vector<bool> callable_rows(const Panel& panel, Build b, const ScanConfig& cfg);
// The rows a run counts as covered (absent = reference) in build b: --absent-as-ref, or a --callable BED.
std::vector<bool> covered_rows(const Panel& panel, Build b, const ScanConfig& cfg);

}  // namespace healcap
