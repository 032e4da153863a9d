// libFuzzer target: VCF text through the memory source (pipeline/sources/memory.cpp) and TextRecords (the
// raw-line CHROM/POS prefilter, the parse, the stitching of lines cut at batch edges), scanned by the one
// driver with the bundled panel, as tests/pipeline/test_driver.cpp scans its cohort (test_support.h's scan()).
//
// Input:  byte 0   flags: bit 0, the cut run uses 2 threads (else 1); bit 1, require sorted input;
//                  bits 2-3, how the body is cut: 0 at explicit offsets, 1 every K bytes, 2 every K lines,
//                  3 just before each newline; bit 4, an empty chunk between any two (and before the first)
//         byte 1   mode 0: the number of offsets that follow (low 4 bits), each a little-endian u16 taken
//                  modulo the body's size; mode 1: K = 1 + byte; mode 2: K = 1 + byte % 8
//         the rest VCF text. When it starts with "##fileformat" its header runs to the end of the "#CHROM"
//                  line (a header htslib rejects, or cannot copy, ends the input); else the header is
//                  test_support.h's fixed one (its five samples, the panel's contigs) and all of it is the body.
// Every input must end in a ScanState or a healcap error (errors.h), never a crash, a sanitizer report or a
// hang; and the same body in one chunk on one thread must give the same state or the same error: the driver
// promises results and errors that do not depend on the cut or the thread count (driver.h), and
// test_driver.cpp asserts it for its cohorts.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "test_support.h"

using namespace healcap_test;

namespace {

// A scan's end: the state, described field by field (test_support.h's describe()), or the error.
struct Outcome {
  bool ok = false;
  uint64_t n_keys = 0;
  std::vector<std::string> state;
  std::string error;
  bool operator==(const Outcome& o) const { return ok == o.ok && n_keys == o.n_keys && state == o.state && error == o.error; }
};

Outcome run(const std::string& header, std::vector<std::string> chunks, int threads, bool sorted) {
  Outcome o;
  try {
    const auto st = scan(header, false, std::move(chunks), threads, sorted, &o.n_keys);
    o.state = describe(*st);
    o.ok = true;
  } catch (const DataError& e) {
    o.error = std::string("DataError: ") + e.what();
  } catch (const UsageError& e) {
    o.error = std::string("UsageError: ") + e.what();
  } catch (...) {
    healcap_fuzz::fail("the scan threw something other than a healcap error: " + healcap_fuzz::current_exception_text());
  }
  return o;
}

std::string show(const Outcome& o) { return o.ok ? "a state, " + std::to_string(o.n_keys) + " records" : o.error; }

// The first lines where two outcomes differ.
std::string difference(const Outcome& a, const Outcome& b) {
  if (!a.ok || !b.ok || a.n_keys != b.n_keys) return "\n  cut:       " + show(a) + "\n  one chunk: " + show(b);
  std::string d;
  for (size_t i = 0, n = 0; i < std::max(a.state.size(), b.state.size()) && n < 4; ++i) {
    const std::string x = i < a.state.size() ? a.state[i] : "(none)", y = i < b.state.size() ? b.state[i] : "(none)";
    if (x == y) continue;
    d += "\n  cut:       " + x + "\n  one chunk: " + y;
    ++n;
  }
  return d;
}

// True when htslib parses the header and can copy it, as test_support.h's Harness requires (it REQUIREs
// both). Some headers parse but do not copy (bcf_hdr_dup formats and parses again); healcap's sources then
// throw DataError "cannot copy the VCF header".
bool header_usable(const std::string& text) {
  bcf_hdr_t* h = bcf_hdr_init("r");
  if (!h) return false;
  std::vector<char> buf(text.begin(), text.end());
  buf.push_back('\0');
  bool ok = bcf_hdr_parse(h, buf.data()) == 0;
  if (ok) {
    bcf_hdr_t* copy = bcf_hdr_dup(h);
    ok = copy != nullptr;
    if (copy) bcf_hdr_destroy(copy);
  }
  bcf_hdr_destroy(h);
  return ok;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  healcap_fuzz::init();
  (void)Panel::bundled();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string fixed_header = header_text(all_contigs());
  healcap_fuzz::ByteReader in(data, size);
  if (size < 2) return 0;
  const uint8_t flags = in.u8(), count = in.u8();
  const int threads = flags & 1 ? 2 : 1;
  const bool sorted = flags & 2;
  const int mode = (flags >> 2) & 3;
  const bool empties = flags & 16;
  std::vector<size_t> offsets;
  if (mode == 0)
    for (int i = 0; i < (count & 15); ++i) offsets.push_back(in.u16());
  std::string text = in.rest();

  std::string header = fixed_header, body = text;
  if (text.rfind("##fileformat", 0) == 0) {
    size_t at = text.find("\n#CHROM");
    if (at == std::string::npos) return 0;
    at = text.find('\n', at + 1);
    if (at == std::string::npos) return 0;
    header = text.substr(0, at + 1);
    body = text.substr(at + 1);
    if (!header_usable(header)) return 0;
  }

  std::vector<std::string> chunks;
  std::string how;
  switch (mode) {
    case 0:
      for (size_t& o : offsets) o = body.empty() ? 0 : o % body.size();
      chunks = cut_at(body, offsets);
      how = std::to_string(offsets.size()) + " cuts";
      break;
    case 1:
      chunks = cut_every(body, 1 + size_t{count});
      how = "every " + std::to_string(1 + count) + " bytes";
      break;
    case 2:
      chunks = cut_lines(body, 1 + size_t{count} % 8);
      how = "every " + std::to_string(1 + count % 8) + " lines";
      break;
    default:
      chunks = cut_before_newlines(body);
      how = "before each newline";
  }
  if (empties) chunks = with_empty_chunks(chunks);
  const size_t n_chunks = chunks.size();

  const Outcome cut = run(header, std::move(chunks), threads, sorted);
  healcap_fuzz::note(std::to_string(n_chunks) + " chunks: " + show(cut));
  if (n_chunks == 1 && threads == 1) return 0;
  const Outcome whole = run(header, {body}, 1, sorted);
  if (!(cut == whole))
    healcap_fuzz::fail("the body cut into " + std::to_string(n_chunks) + " chunks (" + how + (empties ? ", empty chunks between" : "") +
                       ", " + std::to_string(threads) + " threads" + (sorted ? ", require sorted" : "") +
                       ") gives another outcome than in one chunk on one thread:" + difference(cut, whole));
  return 0;
}
