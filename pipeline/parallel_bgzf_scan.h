// The streaming scan of a bgzipped VCF with several threads: a serial stage reads raw BGZF blocks, workers
// inflate them and scan and parse their lines, and a serial stage stitches the lines that span batches and
// folds everything in input order, so results equal the single-threaded reader's.
#pragma once

#include <array>

#include <htslib/vcf.h>

#include "panel.h"
#include "scan_engine.h"
#include "vcf_input.h"

namespace healcap {

// True when `in` can be read this way: VCF text in BGZF from a regular file (not standard input).
bool can_scan_text_in_parallel(const VcfInput& in);
// True for a BCF (BGZF) regular file.
bool can_scan_bcf_in_parallel(const VcfInput& in);

// Streams the records after the header as run_scan does. Throws DataError for a malformed record, a corrupt or
// truncated BGZF block, or (with require_sorted) unsorted input.
ScanStats run_parallel_bgzf_scan(VcfInput& in, bcf_hdr_t* work_hdr, const Panel& panel,
                                 const std::array<BuildPass, 2>& passes, const ScanEngineOptions& opt, RecordSink* sink);

// The same for BCF: workers inflate raw blocks; the serial stage walks records by their lengths, keeps the
// statistics of every record, and builds a bcf1_t only for records that can hit the panel (every record,
// for annotate). A record cut between batches is stitched. Results equal run_scan's.
ScanStats run_parallel_bcf_scan(VcfInput& in, bcf_hdr_t* work_hdr, const Panel& panel,
                                const std::array<BuildPass, 2>& passes, const ScanEngineOptions& opt, RecordSink* sink);

}  // namespace healcap
