// The steps of `healcap scan` and `healcap annotate`: open the input; scan it into a run state; finish the
// state into a result for the sinks. Each command is these steps in a row (scan_command.cpp,
// annotate_command.cpp); several inputs or shards add states together with ScanState::merge between steps 2
// and 3.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <htslib/thread_pool.h>
#include <htslib/vcf.h>

#include "panel.h"
#include "panel_annotator.h"
#include "record_source.h"
#include "run_state.h"
#include "scan_command.h"
#include "scan_result.h"
#include "vcf_input.h"

namespace healcap {

// Step 1: the input, opened, with its sample selection and the build its header points to.
struct OpenInput {
  std::unique_ptr<VcfInput> in;
  BuildChoice build;
  std::vector<std::string> warnings;  // printed once the run has succeeded; a failure carries them in its line
  uint64_t n_file_samples = 0;  // the input's samples after -s/-S
  uint64_t sample_begin = 0;    // a sample shard: the first of them it keeps
};
// Throws DataError naming the file when it cannot be read, a requested sample is missing (without
// --force-samples), or annotate cannot tell the build.
OpenInput open_input(const ScanConfig& cfg);

// What the scan matches with: both builds' annotators and the frozen output header (the input's, plus the
// HC_* lines when records are written). [0] is the header's build (or GRCh38 when it says nothing).
class ScanPlan {
 public:
  ScanPlan(const Panel& panel, const OpenInput& input, const ScanConfig& cfg, const std::string& command_line);
  ScanPlan(const ScanPlan&) = delete;
  ScanPlan& operator=(const ScanPlan&) = delete;
  ~ScanPlan();
  const Panel& panel() const { return panel_; }
  bcf_hdr_t* work_hdr() const { return work_hdr_; }
  const Annotators& passes() const { return passes_; }
  std::array<Build, 2> builds() const { return {annot_[0].build(), annot_[1].build()}; }
  bool tag() const { return tag_; }

 private:
  const Panel& panel_;
  PanelAnnotator annot_[2];
  Annotators passes_{};
  bcf_hdr_t* work_hdr_ = nullptr;
  bool tag_ = false;
};

// Writes the output a batch at a time in place of a RecordSink (annotate's verbatim path, verbatim_vcf.h): it
// may change which lines are parsed and wrap the source; it makes a batch's output on a worker after the
// annotate stage, and writes it in input order after the batch is folded.
class BatchWriter {
 public:
  virtual ~BatchWriter() = default;
  virtual void configure(SourceContext& ctx) = 0;
  virtual std::unique_ptr<RecordSource> wrap(std::unique_ptr<RecordSource> src) = 0;
  virtual void make(Batch& b) = 0;   // parallel
  virtual void write(Batch& b) = 0;  // serial, in input order
};

// Step 2: reads the input through the read path chosen for it into a new state. `sink` receives the parsed
// records in input order (every record for annotate, the matched ones for scan -o). Sets `read_mode` (for
// the JSON: "streaming" or "indexed: FILE") and `read_path` (the read path in words, for the log).
// With `writer`, records are parsed only where they hit the panel or the writer asks, and the writer writes
// each batch after the fold (unless the state has become header_incomplete).
std::unique_ptr<ScanState> scan_into_state(OpenInput& input, const ScanPlan& plan, const ScanConfig& cfg,
                                           RecordSink* sink, std::string& read_mode, std::string& read_path,
                                           BatchWriter* writer = nullptr);

// After a read whose state is header_incomplete: the header lines htslib added as it read (for
// cfg.added_header_lines of a second read). Throws DataError for standard input, which cannot be read twice,
// and when a second read still finds the header incomplete.
std::vector<std::string> header_lines_for_second_read(const OpenInput& input, const ScanConfig& cfg);
// The counted warning of a second read: which lines were added.
std::string added_header_lines_warning(const ScanConfig& cfg);

// Step 3 (settling each input and joining them into one cohort) is in cohort.h.

// Steps 1 and the plan, as scan and annotate both begin: the panel (--panel FILE, else the bundled one), the
// opened input, and what the scan matches with.
struct RunSetup {
  std::unique_ptr<Panel> own_panel;
  const Panel* panel = nullptr;
  OpenInput input;
  std::unique_ptr<ScanPlan> plan;
};
RunSetup set_up_run(const ScanConfig& cfg, const std::string& command_line);

// htslib compression threads for a VCF/BCF output: none with one thread or when there is no such output.
using ThreadPool = std::unique_ptr<hts_tpool, void (*)(hts_tpool*)>;
ThreadPool output_pool(int threads, bool wanted);

// "N/M REF concordant", for the log and the JSON.
std::string concordance_words(uint64_t concordant, uint64_t checked);
// The line that says what the run read: "healcap CMD: FILE: BUILD (how), STYLE-style, CONC, N samples, panel ...".
std::string build_line(const char* cmd, const OpenInput& input, const BuildChoice& build, const std::string& conc,
                       const Panel& panel);
void print_warning(const std::string& m);

}  // namespace healcap
