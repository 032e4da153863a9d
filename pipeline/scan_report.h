// The scan's report files: PREFIX.samples.tsv, PREFIX.sites.tsv and PREFIX.json, as text.
#pragma once

#include <optional>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "biomarkers.h"
#include "panel.h"
#include "scan_result_types.h"
#include "run_state.h"
#include "score.h"
#include "site_store.h"
#include "vcf_input.h"

namespace healcap {

// What the JSON says about the run. Only `command_line` and `threads` (under "run") vary between runs
// that must give identical results.
struct RunInfo {
  std::string command_line;
  int threads = 1;
  std::string input_path, input_format;
  std::string read_mode;  // "streaming", or "indexed: FILE"
  BuildChoice build;
  std::string ref_concordance;  // e.g. "96/96 REF concordant"
  std::string dosage_mode;      // auto, GT, DS or GP
  std::string options;          // call-state options in words (pass-only, min-gq, callable, absent-as-ref)
  std::optional<double> min_completeness;
  std::vector<std::string> partials;  // merge: the partials read, in the order given
  // The file name (without its folder) of the run's PREFIX.calls.tsv.gz; empty when the run wrote none.
  std::string calls_file;
};

// The score formula in words, as printed in the JSON and the README.
extern const char* const kScoreFormula[];

// With several panels, or a PGS Catalog panel, the outputs say which panel each row and score belongs to
// (sites' other_allele and panel columns, the JSON's "panels" list); a run on one panel TSV writes what it
// always wrote.
bool panels_reported(const Panel& panel);
// Is the sample's completeness below X in any of the run's panels?
bool below_min_completeness(const SampleScore& s, double x);

// samples.tsv: the first panel's columns unprefixed, then each further panel's prefixed with its id and '_';
// with a biomarker layer, its summary columns (bm_*) last.
std::string samples_tsv(const Panel& panel, const std::vector<std::string>& samples, const std::vector<SampleScore>& scores,
                        std::optional<double> min_completeness, const BiomarkerLayer* biomarkers = nullptr);
// The same, handed to `emit` in blocks, in order (the rows are formatted on the caller's TBB threads).
void samples_tsv(const Panel& panel, const std::vector<std::string>& samples, const std::vector<SampleScore>& scores,
                 std::optional<double> min_completeness, const BiomarkerLayer* biomarkers,
                 const std::function<void(std::string_view)>& emit);
// `site_stats`: site_stats() by row, computed once for the run (ScanResult::site_stats); nullptr: computed here.
std::string sites_tsv(const Panel& panel, Build build, const SiteStore& store, const ScoreOptions& opt,
                      const std::vector<SiteStats>* site_stats = nullptr);
std::string report_json(const Panel& panel, const RunInfo& run, const ScanStats& stats,
                        const std::vector<std::string>& samples, const std::vector<SampleScore>& scores,
                        const SiteStore& store, const ScoreOptions& opt, const std::string& inputs_block = "",
                        const std::string& biomarkers_block = "");
// The same, handed to `emit` in pieces of about a megabyte, in order (the samples and the sites formatted on the
// caller's TBB threads). `biomarkers_block` (biomarkers_json(), or
// "") is the document's last member.
void report_json(const Panel& panel, const RunInfo& run, const ScanStats& stats, const std::vector<std::string>& samples,
                 const std::vector<SampleScore>& scores, const SiteStore& store, const ScoreOptions& opt,
                 const std::string& inputs_block, const std::function<void(std::string_view)>& emit,
                 const std::string& biomarkers_block = "", const std::vector<SiteStats>* site_stats = nullptr);
// Several inputs: the JSON's "inputs" and "failed" lists (with their trailing ",\n"), else "".
std::string inputs_json(const std::vector<InputSummary>& inputs, const std::vector<FailedInput>& failed, bool several);
// PREFIX.failed.tsv: the inputs that failed under --keep-going, with their reasons.
std::string failed_tsv(const std::vector<FailedInput>& failed);

// Formats a number with 6 decimals; "NA" for nullopt in TSV, null in JSON.
std::string fixed6(double x);
// A JSON string literal of `s`, quotes included: '"', '\\' and control characters escaped; other bytes as they are.
std::string json_str(const std::string& s);

}  // namespace healcap
