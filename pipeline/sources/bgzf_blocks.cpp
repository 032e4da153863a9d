// BGZF blocks for the parallel sources, and htslib's decompressed stream for the others.
#include "bgzf_blocks.h"

#include <htslib/bgzf.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "errors.h"
#include "vcf_input.h"

namespace healcap {

namespace {
constexpr size_t kBlocksPerBatch = 64;     // about 4 MB of text per batch
constexpr size_t kChunkBytes = 4u << 20;   // the same for bytes read through htslib

// Batch sizes, smaller for tests: HEALCAP_BATCH_BLOCKS (BGZF blocks per batch) and HEALCAP_BATCH_BYTES (bytes
// per batch read through htslib) move every batch edge, so that the property test can cut records anywhere.
size_t env_size(const char* name, size_t dflt) {
  const char* v = std::getenv(name);
  if (!v || !*v) return dflt;
  char* end = nullptr;
  const unsigned long long n = std::strtoull(v, &end, 10);
  if (*end || n == 0) throw UsageError(std::string(name) + "=" + v + ": expected a positive whole number");
  return static_cast<size_t>(n);
}
size_t blocks_per_batch() {
  static const size_t n = env_size("HEALCAP_BATCH_BLOCKS", kBlocksPerBatch);
  return n;
}
size_t chunk_bytes() {
  static const size_t n = env_size("HEALCAP_BATCH_BYTES", kChunkBytes);
  return n;
}

uint32_t le32(const uint8_t* p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

std::unique_ptr<hFILE, int (*)(hFILE*)> open_after_header(VcfInput& in, size_t& skip) {
  const int64_t voff = bgzf_tell(in.file()->fp.bgzf);  // where the header ends
  hFILE* hf = hopen(in.path().c_str(), "r");
  if (!hf) throw DataError(in.path() + ": cannot reopen for a parallel read");
  std::unique_ptr<hFILE, int (*)(hFILE*)> owner(hf, hclose);
  if (hseek(hf, voff >> 16, SEEK_SET) < 0) throw DataError(in.path() + ": cannot seek past the header");
  skip = static_cast<size_t>(voff & 0xFFFF);
  return owner;
}
}  // namespace

BgzfBlockReader::BgzfBlockReader(VcfInput& in)
    : path_(in.path()), hf_(open_after_header(in, skip_)), size_(input_size(in.path())) {
  const off_t at = htell(hf_.get());
  offset_ = at > 0 ? static_cast<uint64_t>(at) : 0;
}

bool BgzfBlockReader::read(Batch& b) {
  if (eof_) return false;
  b.skip = skip_;
  skip_ = 0;
  while (b.blocks.size() < blocks_per_batch()) {
    uint8_t h[18];
    const ssize_t got = hread(hf_.get(), h, 18);
    if (got == 0) {
      eof_ = true;
      break;
    }
    if (got != 18 || h[0] != 31 || h[1] != 139 || h[3] != 4 || h[12] != 66 || h[13] != 67)
      throw DataError(path_ + ": truncated or corrupt BGZF block; re-create the file");
    const size_t size = size_t(h[16] | h[17] << 8) + 1;
    std::vector<uint8_t> blk(size);
    std::memcpy(blk.data(), h, 18);
    if (size < 26 || hread(hf_.get(), blk.data() + 18, size - 18) != static_cast<ssize_t>(size - 18))
      throw DataError(path_ + ": truncated: a BGZF block ends early; re-download or re-create the file");
    offset_ += size;
    b.blocks.push_back(std::move(blk));
  }
  return !b.blocks.empty();
}

Inflaters::~Inflaters() {
  for (libdeflate_decompressor* d : d_)
    if (d) libdeflate_free_decompressor(d);
}

void Inflaters::inflate(Batch& b, const std::string& path, const std::function<void(size_t)>& each) {
  libdeflate_decompressor*& d = d_.local();
  if (!d) {
    d = libdeflate_alloc_decompressor();
    if (!d) throw DataError("cannot start libdeflate");
  }
  size_t total = 0;
  for (const auto& blk : b.blocks) total += le32(&blk[blk.size() - 4]);
  b.reserve_bytes(total);
  b.len = 0;
  for (const auto& blk : b.blocks) {
    const size_t size = blk.size();
    const uint32_t isize = le32(&blk[size - 4]), crc = le32(&blk[size - 8]);
    if (isize == 0) continue;
    char* out = b.bytes.get() + b.len;
    size_t got = 0;
    const auto rc = libdeflate_deflate_decompress(d, &blk[18], size - 18 - 8, out, isize, &got);
    if (rc != LIBDEFLATE_SUCCESS || got != isize || libdeflate_crc32(0, out, isize) != crc)
      throw DataError(path + ": corrupt BGZF block (inflate or CRC check failed); re-create the file");
    b.len += isize;
    if (each) each(b.len);
  }
  b.skip = std::min(b.skip, b.len);
}

bool read_decompressed(VcfInput& in, Batch& b, const std::string& after) {
  const size_t chunk = chunk_bytes();
  b.reserve_bytes(chunk);
  htsFile* fp = in.file();
  b.len = 0;
  b.skip = 0;
  // In pieces, so that a read error keeps the bytes read before it.
  constexpr size_t kPiece = 64u << 10;
  while (b.len < chunk) {
    const size_t want = std::min(kPiece, chunk - b.len);
    const ssize_t n = fp->format.compression == no_compression && fp->format.format != bcf
                          ? hread(fp->fp.hfile, b.bytes.get() + b.len, want)
                          : bgzf_read(fp->fp.bgzf, b.bytes.get() + b.len, want);
    if (n < 0) throw DataError(in.path() + ": read error " + after + "; the file is truncated or corrupt");
    if (n == 0) break;
    b.len += static_cast<size_t>(n);
  }
  return b.len > 0;
}

ReadExtent htslib_extent(VcfInput& in, uint64_t size) {
  htsFile* fp = in.file();
  ReadExtent e;
  e.size = size;
  if (fp->format.compression == no_compression && fp->format.format != bcf) {
    const off_t at = htell(fp->fp.hfile);
    e.bytes = at > 0 ? static_cast<uint64_t>(at) : 0;
  } else {
    // Set by bgzf_read in this thread, also when htslib's pool inflates ahead (BGZF from standard input).
    e.bytes = static_cast<uint64_t>(std::max<int64_t>(0, fp->fp.bgzf->block_address));
  }
  return e;
}

}  // namespace healcap
