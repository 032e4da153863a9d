// The outputs' text buffer and block streaming: numbers byte-identical to std::to_chars (fixed 6 and general 6),
// blocks handed on in order whatever the threads, and the calls file's cells.
#include <doctest/doctest.h>

#include <charconv>
#include <cmath>
#include <random>
#include <string>

#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include "calls_table.h"
#include "streamed_text.h"
#include "scan_report.h"
#include "text_buffer.h"

using namespace healcap;

namespace {
std::string fixed_ref(double x) {
  char b[400];
  if (std::fabs(x) < 5e-7) x = 0;
  const auto r = std::to_chars(b, b + sizeof b, x, std::chars_format::fixed, 6);
  return std::string(b, r.ptr);
}
std::string general_ref(double x) {
  char b[64];
  const auto r = std::to_chars(b, b + sizeof b, x, std::chars_format::general, 6);
  return std::string(b, r.ptr);
}
std::string fixed_of(double x) {
  TextBuffer t;
  t.fixed6(x);
  return std::string(t.view());
}
std::string general_of(double x) {
  TextBuffer t;
  t.general6(x);
  return std::string(t.view());
}
}  // namespace

TEST_CASE("TextBuffer::fixed6 and general6 write what std::to_chars writes, halves and extremes included") {
  std::mt19937_64 g(7);
  std::uniform_real_distribution<double> u(-3, 3);
  size_t bad = 0;
  for (int i = 0; i < 200000; ++i) {
    const double x = u(g) * std::pow(10.0, u(g) * 2);
    // Random values, values of exactly 6 decimals, exact halves of a millionth (the rounding edge), whole numbers.
    for (const double v : {x, std::round(x * 1e6) / 1e6, (std::round(x * 2e6) + (i & 1)) / 2e6, std::floor(x)}) {
      bad += fixed_of(v) != fixed_ref(v);
      bad += general_of(v) != general_ref(v);
    }
  }
  CHECK(bad == 0);
  for (const double v : {0.0, -0.0, 5e-7, -5e-7, 4.9999999e-7, -4.9999999e-7, 0.5, 1.5, 0.0000015, 999999.9999995, 1e6,
                         -1e6, 123456.1234565, 1e300, -1e300, 0.946530}) {
    CHECK(fixed_of(v) == fixed_ref(v));
    CHECK(general_of(v) == general_ref(v));
  }
  CHECK(fixed_of(-4e-7) == "0.000000");  // never "-0.000000", as fixed6()
  // The string form agrees with the buffer's, up to the largest doubles (once cut at 64 bytes).
  for (const double v : {1e57, 1e58, -1e300, 1.7976931348623157e308, 123.4567894})
    CHECK(healcap::fixed6(v) == fixed_of(v));
}

TEST_CASE("stream_blocks hands the blocks on in order, the same bytes at any thread count") {
  const auto text = [](int threads) {
    std::string out;
    tbb::global_control allow(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));
    tbb::task_arena arena(threads);
    arena.execute([&] {
      stream_blocks(100003, 97, [](TextBuffer& t, size_t k0, size_t k1) {
        for (size_t k = k0; k < k1; ++k) {
          t.integer(k);
          t += '\n';
        }
      }, [&out](std::string_view piece) { out += piece; }, 4);
    });
    return out;
  };
  std::string want;
  for (size_t k = 0; k < 100003; ++k) want += std::to_string(k) + "\n";
  CHECK(text(1) == want);
  CHECK(text(2) == want);
  CHECK(text(4) == want);
  std::string none;
  stream_blocks(0, 10, [](TextBuffer&, size_t, size_t) {}, [&none](std::string_view p) { none += p; });
  CHECK(none.empty());
}

TEST_CASE("a call's cells in the calls file: GT as bcftools prints it, whole dosages as integers, '.' when unknown") {
  const auto gt = [](int a0, int a1, int ploidy, bool phased) {
    Call c;
    c.allele[0] = static_cast<int16_t>(a0);
    c.allele[1] = static_cast<int16_t>(a1);
    c.ploidy = static_cast<int8_t>(ploidy);
    c.phased = phased;
    TextBuffer t;
    append_gt(t, c);
    CHECK(std::string(t.view()) == gt_text(c));
    return std::string(t.view());
  };
  CHECK(gt(0, 1, 2, false) == "0/1");
  CHECK(gt(1, 0, 2, true) == "1|0");
  CHECK(gt(-1, -1, 2, false) == "./.");
  CHECK(gt(-1, 1, 2, false) == "./1");
  CHECK(gt(1, -1, 1, false) == "1");
  CHECK(gt(12, 3, 2, false) == "12/3");
  CHECK(gt(0, 1, 3, false) == "0/1/...");
  CHECK(gt(-1, -1, 0, false) == ".");
  const auto dosage = [](float d) {
    TextBuffer t;
    append_dosage(t, d);
    return std::string(t.view());
  };
  CHECK(dosage(2) == "2");
  CHECK(dosage(0) == "0");
  CHECK(dosage(0.5f) == "0.5");
  CHECK(dosage(1.234567f) == "1.23457");
  CHECK(dosage(-1) == ".");
  CHECK(dosage_text(-1).empty());
  CHECK(dosage_text(1) == "1");
}
