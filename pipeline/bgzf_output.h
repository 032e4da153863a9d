// A bgzipped VCF written as BGZF blocks made elsewhere (bgzf_writer.h, by the workers), published atomically
// as VcfOutput publishes: temporary name, the EOF block and a checked close, the index (-W) built on the
// temporary file, then file and index renamed into place together.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "atomic_outputs.h"
#include "output_file.h"
#include "vcf_output.h"

namespace healcap {

class BgzfBlockOutput {
 public:
  // "-" writes to standard output (not atomic, not indexable). Throws UsageError for an index on standard
  // output, DataError when the file cannot be created.
  BgzfBlockOutput(std::string path, IndexKind index);
  BgzfBlockOutput(const BgzfBlockOutput&) = delete;
  BgzfBlockOutput& operator=(const BgzfBlockOutput&) = delete;
  ~BgzfBlockOutput();  // discards the temporary files when close() was not reached

  // Appends whole BGZF blocks. Throws DataError on a write error.
  void write(const std::vector<uint8_t>& blocks);
  // Writes the EOF block, closes, builds the index if asked, and renames both into place, all or nothing.
  void close();

 private:
  std::string path_, tmp_, index_path_, tmp_index_;
  IndexKind index_;
  OutputSet set_;  // the file, then its index
  std::unique_ptr<OutputFile> file_;
};

}  // namespace healcap
