// What the libFuzzer targets share, beside tests/pipeline/test_support.h (which they include for the scan
// harness): process set-up, a way to stop on a broken invariant, a reader for the control bytes at the
// front of an input, scratch files, and the guards that step around known, reported bugs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace healcap_fuzz {

// Once per process, from LLVMFuzzerInitialize: htslib quiet, and doctest's asserts (test_support.h's
// REQUIRE) usable outside a test case, where a failing one is a harness bug and traps like fail().
void init();

// With HEALCAP_FUZZ_VERBOSE=1, prints "healcap fuzz: WHAT" to standard error (as fail() does): how each
// input ended, for reading a reproducer or a corpus.
void note(const std::string& what);

// Prints "healcap fuzz: WHAT" to standard error (as it was at start-up: libFuzzer's -close_fd_mask=2 does not
// hide it) and traps: the input broke an invariant of the code.
[[noreturn]] void fail(const std::string& what);

// The exception in flight, as "TYPE: what()" (the type demangled). Call inside a catch block.
std::string current_exception_text();

// Reads control bytes from the front of an input; past its end every read gives 0.
class ByteReader {
 public:
  ByteReader(const uint8_t* data, size_t size) : p_(data), n_(size) {}
  uint8_t u8() { return at_ < n_ ? p_[at_++] : 0; }
  uint16_t u16() {
    const uint16_t lo = u8();
    return static_cast<uint16_t>(lo | (u8() << 8));
  }
  uint64_t varint();  // LEB128, as pipeline/byte_codec.h writes it (at most 10 bytes)
  bool done() const { return at_ >= n_; }
  size_t left() const { return at_ < n_ ? n_ - at_ : 0; }
  std::string take(size_t n);  // the next n bytes, or what is left
  std::string rest() { return take(left()); }

 private:
  const uint8_t* p_;
  size_t n_, at_ = 0;
};

// A private scratch folder (in /dev/shm when it is writable, else TMPDIR or /tmp), removed at exit.
const std::string& scratch_dir();
// Writes `bytes` to scratch_dir()/name and returns the path.
std::string write_scratch(const std::string& name, const std::string& bytes);

// True unless HEALCAP_FUZZ_KNOWN_BUGS=reproduce: the targets then skip inputs that would only show again a
// bug already reported (README.md lists them), so a run goes on to find new ones.
bool skip_known_bugs();

}  // namespace healcap_fuzz
