// A VCF/BCF output written with htslib and published atomically: temporary name, checked close, rename;
// optionally indexed (-W) before it is moved into place.
#pragma once

#include <string>

#include <htslib/hts.h>
#include <htslib/thread_pool.h>
#include <htslib/vcf.h>

namespace healcap {

enum class IndexKind { kNone, kCsi, kTbi };

class VcfOutput {
 public:
  // type: 'b' compressed BCF, 'u' uncompressed BCF, 'z' bgzipped VCF, 'v' plain VCF. "-" writes to stdout
  // (not atomic, not indexable). Throws UsageError for an index that the type cannot carry, DataError when
  // the file cannot be created.
  VcfOutput(std::string path, char type, IndexKind index, hts_tpool* pool);
  VcfOutput(const VcfOutput&) = delete;
  VcfOutput& operator=(const VcfOutput&) = delete;
  ~VcfOutput();  // discards the temporary file when close() was not reached

  void write_header(bcf_hdr_t* hdr);
  void write(bcf_hdr_t* hdr, bcf1_t* rec);
  // Closes, builds the index if asked, renames into place. Throws DataError on any failure.
  void close();

 private:
  void discard() noexcept;
  std::string path_, tmp_, index_path_, tmp_index_;
  IndexKind index_;
  htsFile* fp_ = nullptr;
  bool closed_ = false;
};

// The output type bcftools would pick for a file name when -O is not given: b for .bcf, z for .gz, else v.
char output_type_for(const std::string& path);

}  // namespace healcap
