// `healcap scan` and `healcap annotate`: their options, parsed into one ScanConfig.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "biomarker_layer.h"
#include "calls_table.h"
#include "genotypes.h"
#include "panel.h"
#include "regions.h"
#include "score.h"
#include "vcf_output.h"
#include "vocabulary.h"

namespace healcap {

class Progress;

// Defaults stated once; the options' help takes them from here. The grades scored by default are the
// vocabulary's (scored_by_default), and ScoreOptions starts from them.
constexpr double kDefaultMinRefConcordance = 0.9;
// "replicated,suggestive": the default of --grades, in words.
std::string default_grades_text();

struct ScanConfig {
  bool annotate = false;   // annotate: every record passes through to the output
  // Not an option: header lines a first read found missing (ScanState::header_incomplete), added to the
  // input's header before a second read.
  std::vector<std::string> added_header_lines;
  bool help = false;
  std::string help_text;
  std::string input;
  std::vector<std::string> panel_paths;  // --panel, in order ("bundled": the bundled panel); empty: bundled panel
  bool pgs_skip_unsupported = false;     // --pgs-skip-unsupported
  std::optional<Build> build;  // nullopt: auto
  int threads = 1;
  std::string out_prefix;  // scan: PREFIX for samples.tsv, sites.tsv, json
  bool html = false;       // scan --html: PREFIX.html too
  CallsChoice calls;       // --calls, --no-calls, --calls-max-samples: PREFIX.calls.tsv.gz
  std::string vcf_out;     // scan: -o/--hits; annotate: -o/--output
  char vcf_type = 0;       // -O; 0: from the file name
  IndexKind index = IndexKind::kNone;
  int compress_level = 6;  // -l (annotate): BGZF compression level of -O z and -O b, 0-9; htslib's default is 6
  ScoreOptions score;
  DecodeOptions decode;
  std::string dosage_text = "auto";
  bool allow_no_hits = false;
  std::string callable_bed;
  double min_ref_concordance = kDefaultMinRefConcordance;
  std::optional<double> min_completeness;
  bool fail_on_incomplete = false;
  std::string samples;       // -s LIST or -S FILE, '^' to exclude
  bool samples_is_file = false;
  bool force_samples = false;
  std::string index_file;  // --index FILE
  bool stream = false;     // --stream: read every record even when an index exists
  bool validate = false;   // --validate: every record parsed by htslib (implies stream)
  bool quiet = false;      // --quiet: no progress line, no closing summary (never changes an output)
  // Not an option: the run's progress counters (progress.h), fed by the driver; nullptr: none.
  Progress* progress = nullptr;

  // Several inputs, regions and shards (scan only).
  std::vector<std::string> inputs;  // every input of the run, in order (positional, then --file-list)
  bool several = false;             // a file list, or more than one input: the JSON lists each input
  bool keep_going = false;          // --keep-going: a failed input is listed, the others' work is kept
  RegionSet regions;                // -r/-R: read through the index, only here
  RegionSet targets;                // -t/-T: rows outside are not asked for ('^': inside)
  std::string partial;              // --partial FILE: the shard's exact state
  // The shard plan: 'r' region, 's' sample, 'f' file (0: none); shard i of n, 1-based.
  // A merge: the --callable rows of each build (by Build value), as the partials recorded them; the BED file
  // itself is not read again.
  bool callable_given = false;
  std::array<std::vector<bool>, 2> callable_rows;
  char shard_kind = 0;
  uint32_t shard_i = 0, shard_n = 0;
  // --biomarkers and its options (scan only): the lab measurements' layer, beside the scores.
  BiomarkerConfig biomarkers;
};

// Throws UsageError naming the option on a bad command line.
ScanConfig parse_scan_args(const std::vector<std::string>& args, bool annotate);
// The word --panel takes for the bundled panel, so that it can be combined with other panels.
constexpr const char* kBundledPanelWord = "bundled";
// The panel the run uses: the --panel files (kept in `own`; several are combined into one panel whose rows
// know their file), else the bundled one.
const Panel& load_panel(const ScanConfig& cfg, std::unique_ptr<Panel>& own);
// The panels in words for the log: "NAME VERSION" for a panel TSV, "PGS_ID (NAME)" for a PGS Catalog file,
// joined with " + ".
std::string panel_words(const Panel& panel);
// One warning per PGS Catalog file with rows skipped under --pgs-skip-unsupported, with the counts per reason.
std::vector<std::string> panel_warnings(const Panel& panel);

}  // namespace healcap
