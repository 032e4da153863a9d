// BGZF blocks with libdeflate: an 18-byte gzip header with the BC extra field, raw deflate, CRC32 and size.
#include "bgzf_writer.h"

#include <libdeflate.h>

#include <algorithm>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>

namespace healcap {

namespace {
constexpr size_t kHeader = 18, kFooter = 8, kMaxBlock = 65536;
// gzip magic, deflate, FEXTRA; mtime 0; XFL 0; OS 255 (unknown); XLEN 6; the BC field of 2 bytes: as htslib.
constexpr uint8_t kMagic[16] = {31, 139, 8, 4, 0, 0, 0, 0, 0, 255, 6, 0, 66, 67, 2, 0};

void put16(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v);
  p[1] = static_cast<uint8_t>(v >> 8);
}
void put32(uint8_t* p, uint32_t v) {
  put16(p, v);
  put16(p + 2, v >> 16);
}
}  // namespace

int libdeflate_level(int level) {
  static constexpr int kMap[10] = {0, 1, 2, 3, 5, 6, 7, 8, 10, 12};  // htslib 1.16's bgzf_compress
  return level >= 0 && level <= 9 ? kMap[level] : -1;
}

const uint8_t kBgzfEof[28] = {31, 139, 8, 4, 0, 0, 0, 0, 0, 255, 6, 0, 66, 67, 2, 0, 27, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0};

BgzfDeflater::BgzfDeflater(int level) : level_(level), buf_(new uint8_t[kMaxBlock]) {
  if (level < 0 || level > 9) throw std::invalid_argument("BGZF compression level " + std::to_string(level) + " is not 0..9");
  if (level > 0) {
    c_ = libdeflate_alloc_compressor(libdeflate_level(level));
    if (!c_) throw std::bad_alloc();
  }
}

BgzfDeflater::~BgzfDeflater() {
  if (c_) libdeflate_free_compressor(c_);
}

void BgzfDeflater::block(const char* p, size_t n, std::vector<uint8_t>& out) {
  if (n == 0 || n > kBgzfBlockText) throw std::logic_error("BGZF block of " + std::to_string(n) + " bytes");
  // Made in the deflater's own buffer (never cleared: only what is written is copied out).
  uint8_t* dst = buf_.get();
  size_t z = 0;
  if (c_) z = libdeflate_deflate_compress(c_, p, n, dst + kHeader, kMaxBlock - kHeader - kFooter);
  if (z == 0) {
    // Level 0, or text that deflate cannot shrink into a block: one stored deflate block (RFC 1951 3.2.4).
    dst[kHeader] = 1;  // BFINAL, BTYPE 00
    put16(dst + kHeader + 1, static_cast<uint32_t>(n));
    put16(dst + kHeader + 3, static_cast<uint32_t>(~n & 0xffff));
    std::memcpy(dst + kHeader + 5, p, n);
    z = n + 5;
  }
  const size_t size = kHeader + z + kFooter;
  std::memcpy(dst, kMagic, sizeof kMagic);
  put16(dst + 16, static_cast<uint32_t>(size - 1));
  put32(dst + kHeader + z, libdeflate_crc32(0, p, n));
  put32(dst + kHeader + z + 4, static_cast<uint32_t>(n));
  out.insert(out.end(), dst, dst + size);
}

void BgzfDeflater::blocks(const char* p, size_t n, std::vector<uint8_t>& out) {
  for (size_t at = 0; at < n; at += kBgzfBlockText) block(p + at, std::min(kBgzfBlockText, n - at), out);
}

void BgzfBlockBuilder::add(const char* p, size_t n) {
  if (!pending_.empty()) {
    const size_t take = std::min(n, kBgzfBlockText - pending_.size());
    pending_.insert(pending_.end(), p, p + take);
    p += take;
    n -= take;
    if (pending_.size() < kBgzfBlockText) return;
    d_.block(pending_.data(), pending_.size(), out_);
    pending_.clear();
  }
  const size_t whole = n - n % kBgzfBlockText;
  d_.blocks(p, whole, out_);
  pending_.insert(pending_.end(), p + whole, p + n);
}

void BgzfBlockBuilder::finish() {
  if (!pending_.empty()) d_.block(pending_.data(), pending_.size(), out_);
  pending_.clear();
}

}  // namespace healcap
