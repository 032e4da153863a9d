// A VCF/BCF output written with htslib and published atomically: temporary name, checked close, rename;
// optionally indexed (-W) before it is moved into place, alone or with the other files of an OutputSet.
#pragma once

#include <memory>
#include <string>

#include <htslib/hts.h>
#include <htslib/thread_pool.h>
#include <htslib/vcf.h>

#include "atomic_outputs.h"

namespace healcap {

enum class IndexKind { kNone, kCsi, kTbi };

class VcfOutput {
 public:
  // type: 'b' compressed BCF, 'u' uncompressed BCF, 'z' bgzipped VCF, 'v' plain VCF. "-" writes to stdout
  // (not atomic, not indexable). The file is written under "<path>.tmp.<pid>" and the index (PATH.csi or
  // PATH.tbi) under its own temporary name. Without a set both appear when close() succeeds; with one both
  // are registered in `set` (file, then index) and appear only when the set is published (the set must
  // outlive this object). Throws UsageError for an index that the type cannot carry, DataError when the file
  // cannot be created or `set` already holds its path.
  // `level` is the BGZF compression level of types b and z (0-9; -1: htslib's default, which is 6).
  VcfOutput(std::string path, char type, IndexKind index, hts_tpool* pool, OutputSet* set = nullptr, int level = -1);
  VcfOutput(const VcfOutput&) = delete;
  VcfOutput& operator=(const VcfOutput&) = delete;
  ~VcfOutput();  // discards the temporary files when close() was not reached

  void write_header(bcf_hdr_t* hdr);
  void write(bcf_hdr_t* hdr, bcf1_t* rec);
  // Closes and builds the index if asked, then (without a set) renames both into place, all or nothing.
  // Throws DataError on any failure; the temporary files are removed.
  void close();

 private:
  void discard() noexcept;
  std::unique_ptr<OutputSet> own_set_;  // a standalone output's set: the file and its index
  std::string path_, tmp_, index_path_, tmp_index_;  // tmp_ is "-" for standard output
  IndexKind index_;
  htsFile* fp_ = nullptr;
  bool closed_ = false;
};

// The output type bcftools would pick for a file name when -O is not given: b for .bcf, z for .gz, else v.
char output_type_for(const std::string& path);

}  // namespace healcap
