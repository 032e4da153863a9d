// libFuzzer target: the partial reader, read_partial (pipeline/partial.h), the file `healcap merge` reads,
// and optionally the merge itself over what it read.
//
// Input:  byte 0   bit 0: 0, the rest is one partial file as is (the container: magic, block headers,
//                  lengths, zlib, CRC-32, trailer); 1, the rest is blocks that this target wraps into valid
//                  files (so that mutations reach the decoders behind the checksums): for each block a tag
//                  byte, a LEB128 length and that many raw bytes; a '/' tag starts the next file (at most 4).
//                  bit 1: when every file reads, run `healcap merge --threads 1` over them
//         the rest as bit 0 says
// Every input must end in PartialContents or a DataError, the reader's one documented error; the merge must
// end in its outputs or an exception that healcap's main() reports (any std::exception), never a crash, a
// sanitizer report or a hang. The loaded states are also described (test_support.h's describe()), which
// walks their statistics and stores. Make the seeds with make_seeds.py (it writes both layouts).
#include <zlib.h>

#include <cstdint>
#include <string>
#include <vector>

#include "commands.h"
#include "fuzz_support.h"
#include "partial.h"
#include "test_support.h"

using namespace healcap_test;

namespace {

constexpr size_t kMaxFiles = 4;

void put_le(std::string& o, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) o.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// One block as PartialWriter writes it: tag, raw and compressed lengths, CRC-32 of the raw bytes, zlib bytes.
void put_block(std::string& file, char tag, const std::string& raw) {
  uLongf comp_len = compressBound(raw.size());
  std::string comp(comp_len, '\0');
  if (compress2(reinterpret_cast<Bytef*>(&comp[0]), &comp_len, reinterpret_cast<const Bytef*>(raw.data()), raw.size(), 1) != Z_OK)
    healcap_fuzz::fail("zlib cannot compress a block");
  file.push_back(tag);
  put_le(file, raw.size(), 8);
  put_le(file, comp_len, 8);
  put_le(file, crc32(0L, reinterpret_cast<const Bytef*>(raw.data()), raw.size()), 4);
  file.append(comp.data(), comp_len);
}

std::vector<std::string> files_of_blocks(healcap_fuzz::ByteReader& in) {
  static const std::string magic("HCPART\x01\n", 8), end("HCEND\n");
  std::vector<std::string> files{magic};
  while (!in.done()) {
    const char tag = static_cast<char>(in.u8());
    if (tag == '/') {
      if (files.size() == kMaxFiles) break;
      files.back() += end;
      files.push_back(magic);
      continue;
    }
    const uint64_t n = in.varint();
    put_block(files.back(), tag, in.take(n));
  }
  files.back() += end;
  return files;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  healcap_fuzz::init();
  (void)Panel::bundled();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  healcap_fuzz::ByteReader in(data, size);
  const uint8_t flags = in.u8();
  const std::vector<std::string> files = flags & 1 ? files_of_blocks(in) : std::vector<std::string>{in.rest()};

  std::vector<std::string> paths;
  for (size_t i = 0; i < files.size(); ++i)
    paths.push_back(healcap_fuzz::write_scratch("p" + std::to_string(i) + ".hcp", files[i]));
  for (const std::string& path : paths) {
    try {
      const PartialContents c = read_partial(path, Panel::bundled());
      for (const Segment& seg : c.segments) {
        if (!seg.state) healcap_fuzz::fail("read_partial() returned a segment without a state");
        (void)describe(*seg.state);
      }
    } catch (const DataError& e) {
      healcap_fuzz::note(std::string("read_partial: ") + e.what());
      return 0;  // a partial the reader refuses, in its words: what it is for
    } catch (...) {
      healcap_fuzz::fail("read_partial() threw something other than a DataError: " + healcap_fuzz::current_exception_text());
    }
  }
  healcap_fuzz::note(std::to_string(paths.size()) + " partials read");
  if (!(flags & 2)) return 0;
  Invocation inv;
  inv.args = {"--threads", "1", "--out", healcap_fuzz::scratch_dir() + "/merged"};
  inv.args.insert(inv.args.end(), paths.begin(), paths.end());
  inv.command_line = "healcap merge (fuzz)";
  try {
    healcap_fuzz::note("merge: exit " + std::to_string(run_merge_command(inv)));
  } catch (const std::exception& e) {
    // Reported by main() as "healcap: error: ...", exit 1 (2 for a UsageError).
    healcap_fuzz::note(std::string("merge: ") + e.what());
  } catch (...) {
    healcap_fuzz::fail("the merge threw something main() does not report: " + healcap_fuzz::current_exception_text());
  }
  return 0;
}
