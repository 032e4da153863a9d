// The fuzz targets' shared helpers (fuzz_support.h), and doctest's implementation: test_support.h asserts
// with doctest, so each fuzz binary links one copy of doctest, without its main and without a test run.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "fuzz_support.h"

#include <cxxabi.h>
#include <htslib/hts_log.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <memory>
#include <typeinfo>

namespace healcap_fuzz {

namespace {

int g_err = 2;  // standard error as it was at start-up

void report(const std::string& what) {
  const std::string line = "healcap fuzz: " + what + "\n";
  if (write(g_err, line.data(), line.size()) < 0) std::fputs(line.c_str(), stderr);
}

// doctest's handler for an assert outside a test case: in a fuzz target only the harness asserts, so a
// failure means the harness went wrong, and the input is kept as a crash to look at.
void on_assert(const doctest::AssertData& ad) {
  report(std::string("a test_support.h assert failed at ") + ad.m_file + ":" + std::to_string(ad.m_line) + ": " +
         ad.m_expr + " (" + ad.m_decomp.c_str() + ")");
  __builtin_trap();
}

std::string demangle(const char* name) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> d(abi::__cxa_demangle(name, nullptr, nullptr, &status), std::free);
  return status == 0 && d ? d.get() : name;
}

}  // namespace

void init() {
  static bool done = false;
  if (done) return;
  done = true;
  g_err = dup(2);
  if (g_err < 0) g_err = 2;
  hts_set_log_level(HTS_LOG_OFF);
  static doctest::Context context;
  context.setAsDefaultForAssertsOutOfTestCases();
  context.setAssertHandler(on_assert);
}

void note(const std::string& what) {
  static const bool verbose = [] {
    const char* e = std::getenv("HEALCAP_FUZZ_VERBOSE");
    return e && *e == '1';
  }();
  if (verbose) report(what);
}

void fail(const std::string& what) {
  report(what);
  __builtin_trap();
}

std::string current_exception_text() {
  try {
    throw;
  } catch (const std::exception& e) {
    return demangle(typeid(e).name()) + ": " + e.what();
  } catch (...) {
    const std::type_info* t = abi::__cxa_current_exception_type();
    return (t ? demangle(t->name()) : std::string("an unknown type")) + " (not a std::exception)";
  }
}

uint64_t ByteReader::varint() {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    const uint8_t c = u8();
    v |= static_cast<uint64_t>(c & 0x7f) << shift;
    if (!(c & 0x80)) break;
  }
  return v;
}

std::string ByteReader::take(size_t n) {
  n = std::min(n, left());
  std::string s(reinterpret_cast<const char*>(p_) + at_, n);
  at_ += n;
  return s;
}

const std::string& scratch_dir() {
  static const std::string dir = [] {
    std::string base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "";
    if (base.empty()) base = std::getenv("TMPDIR") && *std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp";
    std::string templ = base + "/healcap-fuzz.XXXXXX";
    if (!mkdtemp(&templ[0])) fail("cannot make a scratch folder under " + base + ": " + std::strerror(errno));
    static const std::string made = templ;
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(made, ec);
    });
    return templ;
  }();
  return dir;
}

std::string write_scratch(const std::string& name, const std::string& bytes) {
  const std::string path = scratch_dir() + "/" + name;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) fail("cannot write " + path + ": " + std::strerror(errno));
  const bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  if (std::fclose(f) != 0 || !ok) fail("cannot write " + path + ": " + std::strerror(errno));
  return path;
}

bool skip_known_bugs() {
  static const bool skip = [] {
    const char* e = std::getenv("HEALCAP_FUZZ_KNOWN_BUGS");
    return !(e && std::strcmp(e, "reproduce") == 0);
  }();
  return skip;
}

}  // namespace healcap_fuzz
