// The scan engine: serial read of record batches -> parallel annotate -> serial in-order fold and write,
// as a tbb::parallel_pipeline over recycled batches.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <htslib/vcf.h>

#include "panel.h"
#include "panel_annotator.h"
#include "site_store.h"
#include "vcf_input.h"

namespace healcap {

struct ContigSeen {
  std::string name;  // as written in the input
  uint64_t n_records = 0;
  int64_t first_pos = 0, last_pos = 0;  // 1-based
};

struct ScanStats {
  uint64_t n_records = 0;
  // Per pass (index as in run_scan's `passes`): records at a panel position of that build (or, for gVCF
  // reference blocks, covering one), and among records at positions whose panel REF is known, how many
  // carry that REF (REF concordance).
  std::array<uint64_t, 2> n_panel_position_records{};
  std::array<uint64_t, 2> n_ref_checked{}, n_ref_concordant{};
  uint64_t n_ref_blocks = 0;              // gVCF reference blocks covering a panel position (first pass)
  std::vector<ContigSeen> contigs;        // in order of first appearance
  std::string first_unsorted;             // CHROM:POS of the first record out of order; empty when sorted
  uint64_t n_undefined = 0;               // records using a contig or tag the header does not define
  std::string first_undefined;            // CHROM:POS of the first such record
};

// Receives records in input order from the serial writer stage.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  // `hdr` is the frozen output header; `matched` is true when a panel row matched the record.
  virtual void consume(bcf_hdr_t* hdr, bcf1_t* rec, bool matched) = 0;
};

struct ScanEngineOptions {
  int threads = 1;
  bool parse_all = false;       // parse every record and hand it to the sink (annotate); else only panel hits
  bool require_sorted = false;  // stop at the first record out of order (an index is being written)
  bool tag = false;             // write HC_* INFO tags into matched records
  size_t batch_records = 1024;  // a batch closes at this many records ...
  size_t batch_bytes = 4u << 20;  // ... or this many bytes of VCF text
};

// One build's matching: its annotator and the store its matches are offered to.
struct BuildPass {
  const PanelAnnotator* annotator = nullptr;
  SiteStore* store = nullptr;
};

// Streams `in` once. `work_hdr` is a frozen copy of the input header with the annotator's lines added;
// the parallel stage and the sink use only it. passes[0] is the build the run reports (its matches are
// tagged and go to the sink); passes[1], when set, matches the same records against the other build, for
// build-mismatch reasons and REF-concordance build choice. Matches are offered to the stores in input order.
// Throws DataError naming the file and CHROM:POS for a malformed record, a read error (truncated or
// corrupt file) or, with require_sorted, unsorted input. An exception in any stage stops the pipeline and
// reaches the caller.
ScanStats run_scan(VcfInput& in, bcf_hdr_t* work_hdr, const Panel& panel, const std::array<BuildPass, 2>& passes,
                   const ScanEngineOptions& opt, RecordSink* sink);

}  // namespace healcap
