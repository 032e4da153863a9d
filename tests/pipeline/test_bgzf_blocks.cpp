// The one place healcap reads BGZF blocks itself: from where htslib's header read stopped, every block
// inflated and CRC-checked, the bytes equal to the file's text after its header.
#include <doctest/doctest.h>

#include <htslib/bgzf.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "bgzf_blocks.h"
#include "errors.h"
#include "vcf_input.h"

using namespace healcap;

namespace {

std::string temp_dir() {
  char tmpl[] = "/tmp/healcap_bgzf_XXXXXX";
  REQUIRE(mkdtemp(tmpl) != nullptr);
  return tmpl;
}

const char* kHeader =
    "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=248956422>\n"
    "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n";

// Many records, so that the file spans many BGZF blocks and several batches.
std::string body(int n) {
  std::string s;
  for (int i = 1; i <= n; ++i)
    s += "chr1\t" + std::to_string(1000 + i * 7) + "\t.\tA\tG\t.\tPASS\t.\tGT\t0/1\n";
  return s;
}

void write_bgzf(const std::string& path, const std::string& text) {
  BGZF* fp = bgzf_open(path.c_str(), "w");
  REQUIRE(fp != nullptr);
  REQUIRE(bgzf_write(fp, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
  REQUIRE(bgzf_close(fp) == 0);
}

std::string read_after_header(const std::string& path) {
  VcfInput in(path, 1);
  BgzfBlockReader reader(in);
  Inflaters inflaters;
  std::string got;
  Batch b;
  for (;;) {
    b.clear();
    if (!reader.read(b)) break;
    inflaters.inflate(b, path);
    got.append(b.bytes.get() + b.skip, b.len - b.skip);
  }
  return got;
}

}  // namespace

TEST_CASE("BGZF blocks read from the header's end inflate to exactly the text after the header") {
  const std::string dir = temp_dir(), path = dir + "/x.vcf.gz";
  const std::string text = body(60000);  // about 2.5 MB: dozens of blocks, more than one batch
  write_bgzf(path, kHeader + text);
  CHECK(read_after_header(path) == text);
  std::remove(path.c_str());
  rmdir(dir.c_str());
}

TEST_CASE("a header that ends inside a block: the block's header bytes are skipped") {
  const std::string dir = temp_dir(), path = dir + "/small.vcf.gz";
  const std::string text = body(3);  // header and records share the first block
  write_bgzf(path, kHeader + text);
  CHECK(read_after_header(path) == text);
  std::remove(path.c_str());
  rmdir(dir.c_str());
}

TEST_CASE("a block whose data fails its CRC is a corrupt-block error naming the file") {
  const std::string dir = temp_dir(), path = dir + "/bad.vcf.gz";
  write_bgzf(path, kHeader + body(60000));
  {
    // Flip one byte in the middle of the file: inside some block's compressed data or its CRC.
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(0, std::ios::end);
    const std::streamoff size = f.tellg();
    f.seekp(size / 2);
    char c;
    f.seekg(size / 2);
    f.get(c);
    f.seekp(size / 2);
    f.put(static_cast<char>(c ^ 0x5a));
  }
  bool threw = false;
  try {
    read_after_header(path);
  } catch (const DataError& e) {
    threw = true;
    CHECK(std::string(e.what()).find(path) != std::string::npos);
    CHECK((std::string(e.what()).find("corrupt") != std::string::npos || std::string(e.what()).find("truncated") != std::string::npos));
  }
  CHECK(threw);
  std::remove(path.c_str());
  rmdir(dir.c_str());
}
