// The MultiQC custom-content files of a run, as text: General Statistics columns, a table of per-sample indexes
// and a table of the scored panel rows with problems (README "MultiQC"). Written for Debian bookworm's MultiQC 1.14.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "scan_result.h"

namespace healcap {

// What a problem-sites row is flagged for, besides a state other than found/ref_block.
constexpr double kMqcMinCallRate = 0.95;       // below: low_call_rate (more than 5% of samples without a call)
constexpr double kMqcMinHweP = 1e-6;           // below: hwe_deviation
constexpr double kMqcMaxEafDifference = 0.2;   // |counted-allele frequency - panel EAF| above this, and
constexpr double kMqcEafStandardErrors = 3;    // above this many binomial standard errors: frequency_vs_eaf

// `s` as MultiQC 1.14 must be given it to show it as `s`: MultiQC puts names and cells into its HTML without
// escaping, so & < > " ' become entities (the browser shows the original characters); bytes that are not
// UTF-8, control characters and the characters Python splits lines on (U+0085, U+2028, U+2029) would end a
// row or make the file unreadable, so they become the text \xHH or \uHHHH. Every other byte is kept.
std::string multiqc_text(std::string_view s);

// The run's name in MultiQC ids: `label` with every byte but A-Z a-z 0-9 . _ - written as %HH (so two labels
// never give one id).
std::string multiqc_id(std::string_view label);

// The files' contents for a run named `label` (the output prefix's file name). Each starts with its MultiQC
// configuration as YAML in '#' lines, then a TSV table whose text cells are quoted, which MultiQC strips, so
// that a sample named "1001" or "NA" stays text.
std::string multiqc_general(const ScanResult& r, const std::string& label);
std::string multiqc_indexes(const ScanResult& r, const std::string& label);
// The same two handed to `emit` in blocks, in order (the rows formatted on the caller's TBB threads).
void multiqc_general(const ScanResult& r, const std::string& label, const std::function<void(std::string_view)>& emit);
void multiqc_indexes(const ScanResult& r, const std::string& label, const std::function<void(std::string_view)>& emit);
std::string multiqc_problem_sites(const ScanResult& r, const std::string& label);

}  // namespace healcap
