// A finished scan: everything the sinks write, computed once from the finished run state.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <htslib/vcf.h>

#include "biomarkers.h"
#include "panel.h"
#include "scan_report.h"
#include "scan_result_types.h"
#include "score.h"
#include "site_store.h"

namespace healcap {

struct ScanResult {
  const Panel* panel = nullptr;
  Build build = Build::kGRCh38;           // the build the outputs report
  RunInfo run;                            // what the JSON says about the run
  ScanStats stats;                        // records, contigs, order
  std::vector<std::string> samples;
  std::vector<SampleScore> scores;        // one per sample, in sample order, from the finished state in panel order
  const SiteStore* store = nullptr;       // the reported build's site store
  // site_stats() of each panel row with calls (found, ref_block, filtered), by row; empty: not computed (the sinks
  // compute what they need).
  std::vector<SiteStats> site_stats;
  ScoreOptions score;                     // the options the scores were computed with (grades, callable rows)
  std::optional<double> min_completeness;
  // Several inputs: each one (JSON "inputs"), the failed ones (JSON "failed", PREFIX.failed.tsv).
  bool several = false;
  std::vector<InputSummary> inputs;
  std::vector<FailedInput> failed;
  // The panel-hit records (scan -o), in input order, and the header they are written with.
  bcf_hdr_t* hits_hdr = nullptr;
  const std::vector<bcf1_t*>* hits = nullptr;
  // --biomarkers: the lab measurements' layer, for the run's samples (beside the scores, never folded in).
  std::shared_ptr<const BiomarkerLayer> biomarkers;
};

}  // namespace healcap
