// Partials: a shard's exact state on disk, for `healcap merge`. A partial holds, for each input the shard read,
// its segment (the run state before the build is settled: both builds' site stores with every call, the
// counters, the record order, the samples and the regions covered), the inputs that failed under
// --keep-going, and a header with what the merge must check: the panel's hash, the options that change
// results, and the shard plan. The format is described in the README ("Partials").
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "atomic_outputs.h"
#include "biomarker_layer.h"
#include "cohort.h"
#include "panel.h"
#include "scan_command.h"

namespace healcap {

// 2: the count of POS=0 records; 3: every panel's identity; 4: the biomarker layer's source (a 'B' block).
constexpr uint32_t kPartialFormatVersion = 5;  // 5: the options end in --eaf-population

// One panel of the run, as a partial records it: what the merge's panels must match.
struct PartialPanel {
  std::string id, kind, name, version, sha256;
  uint64_t n_rows = 0;
  bool operator==(const PartialPanel& o) const {
    return id == o.id && kind == o.kind && name == o.name && version == o.version && sha256 == o.sha256 && n_rows == o.n_rows;
  }
  bool operator!=(const PartialPanel& o) const { return !(*this == o); }
};

// What a partial says about the run it is a shard of.
struct PartialHeader {
  uint32_t format_version = kPartialFormatVersion;
  std::string healcap_version;
  std::string panel_name, panel_version, panel_sha256;
  std::string options;      // the result-changing options, encoded (compared byte for byte between partials)
  std::string options_text; // the same in words, for messages
  char plan_kind = 0;       // 'r' region, 's' sample, 'f' file shard; 0: no plan recorded
  uint32_t plan_i = 0, plan_n = 0;
  std::vector<std::string> regions;  // -r/-R of this shard, in words
  uint64_t n_list_inputs = 0;        // inputs in the whole list (before a file shard)
  bool several = false;              // the run lists each input in the JSON
  std::vector<PartialPanel> panels;  // every panel of the run, in --panel order
};

// The header for a scan with `cfg` over `panel`.
PartialHeader partial_header(const ScanConfig& cfg, const Panel& panel, uint64_t n_list_inputs);
// The options a merge runs with, from a partial's header (the scan's own, minus its inputs and shard).
void apply_partial_options(const PartialHeader& h, ScanConfig& cfg);

// Writes a partial under its temporary name in `set`, one segment at a time (the scan's memory does not grow
// with the inputs it has written).
class PartialWriter {
 public:
  PartialWriter(const std::string& path, OutputSet& set, const PartialHeader& h);
  ~PartialWriter();
  PartialWriter(const PartialWriter&) = delete;
  PartialWriter& operator=(const PartialWriter&) = delete;
  // --biomarkers: the file's bytes and options, once, before the segments.
  void add_biomarkers(const BiomarkerSource& s);
  void add_segment(const Segment& seg);
  void add_failed(const FailedInput& f);
  // Writes the trailer and closes the file; throws DataError naming it when a write fails.
  void close();

 private:
  void blob(char tag, const std::string& raw);
  std::string path_;
  std::FILE* fp_ = nullptr;
  uint64_t n_segments_ = 0, n_failed_ = 0;
};

struct PartialContents {
  std::string path;
  PartialHeader header;
  std::vector<Segment> segments;
  std::vector<FailedInput> failed;
  std::optional<BiomarkerSource> biomarkers;  // the scan's --biomarkers, when it had one
};
// Reads a whole partial. Throws DataError naming the file when it is not a partial, of another format
// version, truncated, corrupt (a checksum fails), or made with other panels than `panel`'s (the files, their
// order, or their rows: --pgs-skip-unsupported).
PartialContents read_partial(const std::string& path, const Panel& panel);

}  // namespace healcap
