// Raw BGZF blocks, read serially and inflated by workers with libdeflate; and decompressed bytes read through
// htslib. The two ways a streaming source gets its batches' bytes.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <htslib/hfile.h>
#include <libdeflate.h>
#include <tbb/enumerable_thread_specific.h>

#include "record_source.h"

namespace healcap {

class VcfInput;

// Reads the blocks after the header of a BGZF regular file (VCF or BCF), a batch at a time.
class BgzfBlockReader {
 public:
  // Reopens `in`'s file at the BGZF block where its header ends, as htslib's reader left it (the only place
  // healcap reads an htsFile's BGZF handle: bgzf_tell's virtual offset gives the block and the bytes of it
  // that are header). Throws DataError when the file cannot be reopened.
  explicit BgzfBlockReader(VcfInput& in);
  // Fills b.blocks with the next blocks (up to about 4 MB of text); false at the end of the file. Throws
  // DataError for a truncated or corrupt block header.
  bool read(Batch& b);
  // The file's bytes read so far (the header's included) and its size, for the progress line.
  ReadExtent extent() const { return {offset_, size_, 0, 0}; }

 private:
  std::string path_;
  size_t skip_ = 0;  // the header's bytes in the first block
  std::unique_ptr<hFILE, int (*)(hFILE*)> hf_;
  uint64_t size_ = 0, offset_ = 0;
  bool eof_ = false;
};

// Per-thread libdeflate decompressors.
class Inflaters {
 public:
  ~Inflaters();
  // Inflates b.blocks into b.bytes (b.len, b.skip set); checks each block's CRC and size. Throws DataError
  // naming `path` for a corrupt block.
  // `each`, when given, is called after each block with b.len so far (the bytes before it are final), so
  // that a caller can use a block's bytes while they are still in cache.
  void inflate(Batch& b, const std::string& path, const std::function<void(size_t)>& each = nullptr);

 private:
  tbb::enumerable_thread_specific<libdeflate_decompressor*> d_{nullptr};
};

// Reads the next chunk of decompressed bytes from `in` through htslib (an hFILE for uncompressed text, else
// BGZF, which reads gzip too): b.bytes, b.len. False at the end. Throws DataError on a read error.
bool read_decompressed(VcfInput& in, Batch& b, const std::string& after);
// How far htslib has read `in`'s file, for the progress line (call from the thread that reads it): the
// compressed offset of the block being read, or the offset for uncompressed text; `size` is the file's size.
ReadExtent htslib_extent(VcfInput& in, uint64_t size);

}  // namespace healcap
