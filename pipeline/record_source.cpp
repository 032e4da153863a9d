// Batches, runs, and the one place that chooses a read path.
#include "record_source.h"

#include <unistd.h>

#include <algorithm>

#include "errors.h"
#include "vcf_input.h"

namespace healcap {

// With tabs: no field of a record, which is all an error message quotes from the input, can hold one.
const char* const kBeforeMarker = "\t\x01" "before" "\x01\t";

void extend_last_run(Run& r, int64_t pos) {
  if (pos < r.last_pos && r.unsorted_index == 0) {  // a POS of 0 may be the unsorted one
    r.unsorted_index = r.n;
    r.unsorted_pos = pos;
    r.unsorted_after = r.last_pos;
  }
  ++r.n;
  r.last_pos = pos;
  r.min_pos = std::min(r.min_pos, pos);
  r.max_pos = std::max(r.max_pos, pos);
}

void add_to_runs(std::vector<Run>& runs, const std::string& contig, int64_t pos) {
  if (runs.empty() || runs.back().contig != contig) {
    Run r;
    r.contig = contig;
    r.n = 1;
    r.first_pos = r.last_pos = r.min_pos = r.max_pos = pos;
    runs.push_back(std::move(r));
    return;
  }
  extend_last_run(runs.back(), pos);
}

void Batch::clear() {
  blocks.clear();
  len = skip = 0;
  first_region = last_region = 0;
  head_end = tail_beg = 0;
  has_newline = false;
  runs.clear();
  n_slots = 0;
  n_records = 0;
  n_panel = {};
  n_ref_blocks = 0;
  n_pos0 = 0;
  error = nullptr;
  end_error = nullptr;
  needs_context = false;
  error_at = UINT64_MAX;
  failed = false;
  head_line.clear();
  out.clear();
}

Slot& Batch::next_slot() {
  if (n_slots == slots.size()) slots.push_back(std::make_unique<Slot>());
  Slot& s = *slots[n_slots];
  s.reset();
  return s;
}

void Batch::rotate_last_slot_to_front() {
  if (n_slots < 2) return;
  std::rotate(slots.begin(), slots.begin() + static_cast<std::ptrdiff_t>(n_slots - 1),
              slots.begin() + static_cast<std::ptrdiff_t>(n_slots));
}

void Batch::reserve_bytes(size_t n) {
  if (n <= cap) return;
  bytes.reset(new char[n]);
  cap = n;
}

std::string find_index(const std::string& input, bool is_bcf, const std::string& explicit_index) {
  if (input == "-") return "";
  if (!explicit_index.empty()) {
    if (access(explicit_index.c_str(), R_OK) != 0) throw DataError(explicit_index + ": cannot read the index (--index)");
    return explicit_index;
  }
  for (const char* ext : is_bcf ? std::vector<const char*>{".csi"} : std::vector<const char*>{".tbi", ".csi"}) {
    const std::string p = input + ext;
    if (access(p.c_str(), R_OK) == 0) return p;
  }
  return "";
}

std::unique_ptr<RecordSource> open_source(VcfInput& in, const SourceContext& ctx, const SourceRequest& req) {
  if (req.regions) {
    if (req.stream) throw UsageError("healcap scan: -r/--regions jumps through the index; with --stream use -t/--targets");
    const std::string index = find_index(in.path(), in.is_bcf(), req.index_file);
    if (index.empty())
      throw DataError(in.path() + ": -r/--regions needs an index (.tbi or .csi beside the file, or --index FILE); make one "
                      "with 'bcftools index', or filter while streaming with -t/--targets");
    return make_indexed_source(in, ctx, index, req.threads);
  }
  if (req.scan && !req.stream) {
    if (!req.index_file.empty() && !req.build_known)
      throw UsageError("healcap scan: --index needs the build known from the header; pass --build");
    const std::string index = req.build_known ? find_index(in.path(), in.is_bcf(), req.index_file) : std::string();
    if (!index.empty()) return make_indexed_source(in, ctx, index, req.threads);
  }
  htsFile* fp = in.file();
  // healcap inflates a BGZF regular file itself, block by block on its workers; anything else (plain or gzip
  // text, standard input, uncompressed BCF) is read through htslib.
  const bool own_blocks = in.path() != "-" && fp->format.compression == bgzf && fp->is_bgzf;
  if (in.is_bcf()) return make_bcf_source(in, ctx, own_blocks);
  if (own_blocks) return make_bgzf_vcf_source(in, ctx);
  return make_vcf_text_source(in, ctx);
}

}  // namespace healcap
