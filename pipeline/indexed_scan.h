// The indexed scan: region queries at the panel's positions only, through a .tbi/.csi index, each worker
// with its own reader; matches are folded in genomic order, so results equal the streaming scan's.
#pragma once

#include <array>
#include <string>

#include <htslib/vcf.h>

#include "panel.h"
#include "scan_engine.h"

namespace healcap {

// Returns the index to use for `input`: `explicit_index` when given, else the .csi or .tbi htslib finds
// beside it; empty when there is none (or the input is standard input). Throws DataError when an explicit
// index cannot be loaded.
std::string find_index(const std::string& input, bool is_bcf, const std::string& explicit_index);

// Scans only the panel's positions (both passes' builds), merged into regions of nearby sites; gVCF
// reference blocks covering a position are found by the index's overlap query. Every worker parses with a
// copy of `hdr`, the main header with its -s/-S sample selection.
ScanStats run_indexed_scan(const std::string& path, const std::string& index_path, bool is_bcf, bcf_hdr_t* hdr,
                           bcf_hdr_t* work_hdr, const Panel& panel,
                           const std::array<BuildPass, 2>& passes, const ScanEngineOptions& opt, RecordSink* sink);

}  // namespace healcap
