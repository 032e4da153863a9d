// PREFIX.calls.tsv.gz: each sample's call at each panel row with a record, one row per sample and row, bgzipped
// and sorted by position (tabix-indexable). The per-sample calls live here, not in PREFIX.json, so that the JSON
// of a wide cohort stays a summary. README "Outputs" documents the columns.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "scan_result.h"
#include "site_store.h"
#include "text_buffer.h"

namespace healcap {

// Below this many samples (inclusive) a run writes its calls file unless told not to (--no-calls); above it, only
// when asked (--calls). --calls-max-samples changes it.
constexpr size_t kDefaultCallsMaxSamples = 10000;

// How a run chooses to write PREFIX.calls.tsv.gz.
struct CallsChoice {
  enum class Mode { kAuto, kAlways, kNever } mode = Mode::kAuto;  // --calls: kAlways, --no-calls: kNever
  size_t max_samples = kDefaultCallsMaxSamples;                   // --calls-max-samples (kAuto)
  bool wanted(size_t n_samples) const {
    return mode == Mode::kAlways || (mode == Mode::kAuto && n_samples <= max_samples);
  }
};

// The file's name for the output prefix: PREFIX.calls.tsv.gz.
std::string calls_path(const std::string& out_prefix);

// Does the row carry a call per sample in the outputs (found, ref_block or filtered)?
bool site_has_calls(const SiteResult& r);

// The panel rows with calls, in the file's order: by contig (1..22, X, Y, M, then other names), by the row's
// position in the build, then by panel order.
std::vector<size_t> calls_rows(const Panel& panel, Build build, const SiteStore& store);

// A call's cells as the file writes them: GT as bcftools query prints it; the effect allele's dosage, whole
// numbers as integers, else %g with 6 digits, "." when unknown.
void append_gt(TextBuffer& t, const Call& c);
void append_dosage(TextBuffer& t, float dosage);
// The dosage as the JSON wrote it: as append_dosage, "" when unknown.
std::string dosage_text(float dosage);

// The whole file's text, handed to `emit` in blocks, in order (the rows formatted on the caller's TBB threads).
void calls_tsv(const ScanResult& r, const std::function<void(std::string_view)>& emit);

}  // namespace healcap
