// BGZF blocks made in memory with libdeflate, by any thread: the writing half of healcap's own BGZF layer
// (sources/bgzf_blocks.h is the reading half). A block holds at most kBgzfBlockText bytes of text, as htslib's
// writer cuts them, so that every block fits the format's 64 KiB limit even when it cannot be compressed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

struct libdeflate_compressor;

namespace healcap {

constexpr size_t kBgzfBlockText = 0xff00;  // htslib's BGZF_BLOCK_SIZE: the text one block holds at most
constexpr int kDefaultCompressLevel = 6;   // htslib's default (bgzip, bcftools -Oz)
// The empty block that ends every BGZF file (the SAM specification's EOF marker).
extern const uint8_t kBgzfEof[28];

// The libdeflate level htslib runs for a BGZF level 0-9 (its bgzf_compress maps 1..9 onto libdeflate's 1..12:
// 1 2 3 5 6 7 8 10 12), so that a level means the same here as in bgzip, bcftools and healcap's htslib path;
// -1 outside 0..9.
int libdeflate_level(int level);

// One thread's deflater at a BGZF compression level, 0 to 9 as htslib takes them (libdeflate_level; 0 stores
// the text in uncompressed deflate blocks).
class BgzfDeflater {
 public:
  explicit BgzfDeflater(int level);  // throws std::invalid_argument outside 0..9, std::bad_alloc
  ~BgzfDeflater();
  BgzfDeflater(const BgzfDeflater&) = delete;
  BgzfDeflater& operator=(const BgzfDeflater&) = delete;

  int level() const { return level_; }
  // Appends one BGZF block holding [p, p + n), 0 < n <= kBgzfBlockText, to `out`.
  void block(const char* p, size_t n, std::vector<uint8_t>& out);
  // Appends [p, p + n) as blocks of kBgzfBlockText bytes, the last one shorter; nothing when n is 0.
  void blocks(const char* p, size_t n, std::vector<uint8_t>& out);

 private:
  int level_;
  std::unique_ptr<uint8_t[]> buf_;  // one block
  libdeflate_compressor* c_ = nullptr;
};

// Gathers pieces of text into full blocks and appends them to `out`: a piece that starts a block and fills it
// is compressed where it lies; only the text of blocks that span pieces is copied. finish() compresses what is
// left as one shorter block. The blocks depend only on the text, never on how it was cut into pieces.
class BgzfBlockBuilder {
 public:
  BgzfBlockBuilder(BgzfDeflater& d, std::vector<uint8_t>& out) : d_(d), out_(out) {}
  void add(const char* p, size_t n);
  void finish();

 private:
  BgzfDeflater& d_;
  std::vector<uint8_t>& out_;
  std::vector<char> pending_;  // the start of a block that spans pieces (shorter than a block)
};

}  // namespace healcap
