// healcap's own BGZF writer (annotate's verbatim path): blocks cut every 0xff00 bytes of text whatever the
// pieces the text came in, each a valid gzip member of at most 64 KiB that inflates to its text with the CRC
// and size in its footer; at every level, and read back by htslib with the EOF block at the end.
#include <doctest/doctest.h>

#include <htslib/bgzf.h>
#include <libdeflate.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "bgzf_writer.h"

using namespace healcap;

namespace {

uint32_t le(const uint8_t* p, int n) {
  uint32_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = v << 8 | p[i];
  return v;
}

// Walks the blocks: checks each one's header, size, CRC and ISIZE, and returns the text and the block sizes.
std::string inflate_all(const std::vector<uint8_t>& z, std::vector<size_t>* texts = nullptr) {
  libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  std::string text;
  size_t at = 0;
  while (at < z.size()) {
    REQUIRE(z.size() - at >= 28);
    const uint8_t* b = z.data() + at;
    CHECK(b[0] == 31);
    CHECK(b[1] == 139);
    CHECK(b[2] == 8);
    CHECK(b[3] == 4);
    CHECK(le(b + 10, 2) == 6);
    CHECK(b[12] == 'B');
    CHECK(b[13] == 'C');
    const size_t size = le(b + 16, 2) + 1;
    REQUIRE(size <= 65536);
    REQUIRE(at + size <= z.size());
    const uint32_t crc = le(b + size - 8, 4), isize = le(b + size - 4, 4);
    REQUIRE(isize <= kBgzfBlockText);
    std::string out(isize, '\0');
    size_t got = 0;
    REQUIRE(libdeflate_deflate_decompress(d, b + 18, size - 26, out.data(), isize, &got) == LIBDEFLATE_SUCCESS);
    CHECK(got == isize);
    CHECK(libdeflate_crc32(0, out.data(), isize) == crc);
    text += out;
    if (texts) texts->push_back(isize);
    at += size;
  }
  libdeflate_free_decompressor(d);
  return text;
}

std::string lines_text(size_t n_lines, size_t line_len, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s;
  for (size_t i = 0; i < n_lines; ++i) {
    for (size_t j = 0; j < line_len; ++j) s += "0/1\t"[rng() % 4];
    s += '\n';
  }
  return s;
}

// The text added in pieces of the given sizes (cycled), then finished.
std::vector<uint8_t> build(BgzfDeflater& d, const std::string& text, const std::vector<size_t>& cuts) {
  std::vector<uint8_t> out;
  BgzfBlockBuilder b(d, out);
  size_t at = 0, i = 0;
  while (at < text.size()) {
    const size_t n = std::min(cuts[i++ % cuts.size()], text.size() - at);
    b.add(text.data() + at, n);
    at += n;
  }
  b.finish();
  return out;
}

}  // namespace

TEST_CASE("BGZF writer: empty input makes no block; the EOF block is htslib's") {
  BgzfDeflater d(6);
  std::vector<uint8_t> out;
  d.blocks("", 0, out);
  CHECK(out.empty());
  BgzfBlockBuilder b(d, out);
  b.add("", 0);
  b.finish();
  CHECK(out.empty());
  const uint8_t htslib_eof[28] = {0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 0xff, 6, 0, 0x42, 0x43, 2, 0, 0x1b, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  CHECK(std::equal(kBgzfEof, kBgzfEof + 28, htslib_eof));
  CHECK(inflate_all(std::vector<uint8_t>(kBgzfEof, kBgzfEof + 28)).empty());
}

TEST_CASE("BGZF writer: exactly one block of text, and exactly 64 KiB") {
  BgzfDeflater d(6);
  const std::string one = lines_text(1, kBgzfBlockText - 1, 1);  // kBgzfBlockText bytes with its newline
  REQUIRE(one.size() == kBgzfBlockText);
  std::vector<size_t> sizes;
  CHECK(inflate_all(build(d, one, {one.size()}), &sizes) == one);
  CHECK(sizes == std::vector<size_t>{kBgzfBlockText});
  const std::string k64 = lines_text(1, 65535, 2);  // 65,536 bytes: one full block and 256 bytes
  REQUIRE(k64.size() == 65536);
  sizes.clear();
  CHECK(inflate_all(build(d, k64, {k64.size()}), &sizes) == k64);
  CHECK(sizes == std::vector<size_t>{kBgzfBlockText, 65536 - kBgzfBlockText});
}

TEST_CASE("BGZF writer: lines larger than a block, in any pieces, give the same blocks") {
  BgzfDeflater d(6);
  std::string text = lines_text(3, 200000, 3) + lines_text(50, 3000, 4) + lines_text(1, 70000, 5);
  const std::vector<uint8_t> whole = build(d, text, {text.size()});
  std::vector<size_t> sizes;
  CHECK(inflate_all(whole, &sizes) == text);
  for (size_t i = 0; i + 1 < sizes.size(); ++i) CHECK(sizes[i] == kBgzfBlockText);  // only the last is short
  CHECK(sizes.back() == text.size() - (sizes.size() - 1) * kBgzfBlockText);
  for (const auto& cuts : std::vector<std::vector<size_t>>{{1}, {7, 65280, 3}, {65281}, {65279, 1}, {100000, 2, 131072}}) {
    CAPTURE(cuts[0]);
    CHECK(build(d, text, cuts) == whole);
  }
}

TEST_CASE("BGZF writer: every level writes valid blocks; 0 stores the text, incompressible text fits a block") {
  std::mt19937 rng(7);
  std::string noise(3 * kBgzfBlockText + 11, '\0');
  for (char& c : noise) c = static_cast<char>(rng());
  const std::string text = lines_text(40, 4000, 8);
  size_t size_6 = 0, size_1 = 0;
  for (int level = 0; level <= 9; ++level) {
    CAPTURE(level);
    BgzfDeflater d(level);
    const std::vector<uint8_t> z = build(d, text, {5000});
    CHECK(inflate_all(z) == text);
    if (level == 0) CHECK(z.size() == text.size() + 31 * ((text.size() + kBgzfBlockText - 1) / kBgzfBlockText));
    if (level == 1) size_1 = z.size();
    if (level == 6) size_6 = z.size();
    CHECK(inflate_all(build(d, noise, {noise.size()})) == noise);  // stored when deflate cannot shrink it
  }
  CHECK(size_6 < size_1);
  CHECK_THROWS(BgzfDeflater(10));
  CHECK_THROWS(BgzfDeflater(-1));
}

TEST_CASE("BGZF writer: htslib reads the blocks and the EOF block back") {
  BgzfDeflater d(6);
  const std::string text = lines_text(30, 5000, 9);
  std::vector<uint8_t> z = build(d, text, {12345});
  z.insert(z.end(), kBgzfEof, kBgzfEof + 28);
  char path[] = "/tmp/healcap_bgzfw_XXXXXX";
  const int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  REQUIRE(write(fd, z.data(), z.size()) == static_cast<ssize_t>(z.size()));
  close(fd);
  BGZF* fp = bgzf_open(path, "r");
  REQUIRE(fp != nullptr);
  CHECK(bgzf_check_EOF(fp) == 1);
  std::string got(text.size() + 10, '\0');
  CHECK(bgzf_read(fp, got.data(), got.size()) == static_cast<ssize_t>(text.size()));
  got.resize(text.size());
  CHECK(got == text);
  bgzf_close(fp);
  std::remove(path);
}

TEST_CASE("BGZF writer: a level means what it means to htslib: the same block bytes as bgzf_write") {
  const std::string text = lines_text(12, 5000, 10);  // under one block
  REQUIRE(text.size() <= kBgzfBlockText);
  for (int level = 1; level <= 9; ++level) {
    CAPTURE(level);
    char path[] = "/tmp/healcap_bgzfl_XXXXXX";
    const int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    close(fd);
    const std::string mode = "w" + std::to_string(level);
    BGZF* fp = bgzf_open(path, mode.c_str());
    REQUIRE(fp != nullptr);
    REQUIRE(bgzf_write(fp, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
    REQUIRE(bgzf_close(fp) == 0);
    FILE* f = std::fopen(path, "rb");
    std::vector<uint8_t> htslib(1 << 17);
    htslib.resize(std::fread(htslib.data(), 1, htslib.size(), f));
    std::fclose(f);
    std::remove(path);
    REQUIRE(htslib.size() > 28);
    htslib.resize(htslib.size() - 28);  // its EOF block
    BgzfDeflater d(level);
    std::vector<uint8_t> ours;
    d.block(text.data(), text.size(), ours);
    CHECK(ours == htslib);
  }
}
