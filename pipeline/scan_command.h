// `healcap scan` and `healcap annotate`: options into ScanConfig, then the run.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "genotypes.h"
#include "score.h"
#include "vcf_output.h"
#include "vocabulary.h"

namespace healcap {

struct ScanConfig {
  bool annotate = false;   // annotate: every record passes through to the output
  bool help = false;
  std::string help_text;
  std::string input;
  std::string panel_path;  // empty: bundled panel
  std::optional<Build> build;  // nullopt: auto
  int threads = 1;
  std::string out_prefix;  // scan: PREFIX for samples.tsv, sites.tsv, json
  std::string vcf_out;     // scan: -o/--hits; annotate: -o/--output
  char vcf_type = 0;       // -O; 0: from the file name
  IndexKind index = IndexKind::kNone;
  ScoreOptions score;
  DecodeOptions decode;
  std::string dosage_text = "auto";
  bool allow_no_hits = false;
  std::string callable_bed;
  double min_ref_concordance = 0.9;
  std::optional<double> min_completeness;
  bool fail_on_incomplete = false;
  std::string samples;       // -s LIST or -S FILE, '^' to exclude
  bool samples_is_file = false;
  bool force_samples = false;
  std::string index_file;  // --index FILE
  bool stream = false;     // --stream: read every record even when an index exists
};

// Throws UsageError naming the option on a bad command line.
ScanConfig parse_scan_args(const std::vector<std::string>& args, bool annotate);
int run_scan_command_config(const ScanConfig& cfg, const std::string& command_line);

}  // namespace healcap
