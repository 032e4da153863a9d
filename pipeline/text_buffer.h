// An append-only text buffer for the outputs' hot loops (one row per sample, one call per sample and site):
// appends without the bookkeeping of std::string or streams, numbers formatted in place, the storage kept across
// clear() so a block of rows reuses the same pages. The number formats are byte-identical to the text functions
// of scan_report.h (fixed6, %g with 6 digits).
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace healcap {

class TextBuffer {
 public:
  TextBuffer() = default;
  TextBuffer(const TextBuffer&) = delete;
  TextBuffer& operator=(const TextBuffer&) = delete;
  TextBuffer(TextBuffer&& o) noexcept { swap(o); }
  TextBuffer& operator=(TextBuffer&& o) noexcept {
    swap(o);
    return *this;
  }

  std::string_view view() const { return {data_.get(), size_}; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  void clear() { size_ = 0; }
  void reserve(size_t n) {
    if (n > cap_) grow(n);
  }

  TextBuffer& operator+=(char c) {
    if (size_ == cap_) grow(size_ + 1);
    data_[size_++] = c;
    return *this;
  }
  TextBuffer& operator+=(std::string_view s) {
    append(s.data(), s.size());
    return *this;
  }
  TextBuffer& operator+=(const char* s) {
    append(s, std::strlen(s));
    return *this;
  }
  TextBuffer& operator+=(const std::string& s) {
    append(s.data(), s.size());
    return *this;
  }
  void append(const char* p, size_t n) {
    if (size_ + n > cap_) grow(size_ + n);
    std::memcpy(data_.get() + size_, p, n);
    size_ += n;
  }

  // A whole number in decimal.
  template <class T>
  void integer(T v) {
    char* p = room(24);
    size_ = static_cast<size_t>(std::to_chars(p, p + 24, v).ptr - data_.get());
  }

  // std::to_chars(x, fixed, 6) with "-0.000000" written as "0.000000" (fixed6() of scan_report.h).
  void fixed6(double x) {
    if (std::fabs(x) < 5e-7) x = 0;
    char* p = room(330);  // the longest fixed text of a double: 309 digits, sign, point, 6 decimals
    const double a = std::fabs(x);
    // The fast path: below 1e6, x * 1e6 is within 1.2e-4 of the exact product, so rounding it to a whole number
    // gives the correctly rounded millionths unless the product lies within 1e-3 of a half; those, and larger
    // numbers, go to to_chars.
    if (a < 1e6) {
      const double t = a * 1e6;
      const double whole = std::floor(t);
      const double frac = t - whole;
      if (std::fabs(frac - 0.5) > 1e-3) {
        const uint64_t m = static_cast<uint64_t>(whole) + (frac > 0.5 ? 1 : 0);
        const uint64_t ip = m / 1000000;
        const uint32_t f = static_cast<uint32_t>(m - ip * 1000000);
        char* q = p;
        if (x < 0) *q++ = '-';
        if (ip < 10) *q++ = static_cast<char>('0' + ip);
        else q = std::to_chars(q, q + 24, ip).ptr;
        *q++ = '.';
        std::memcpy(q, digit_pair(f / 10000), 2);
        std::memcpy(q + 2, digit_pair(f / 100 % 100), 2);
        std::memcpy(q + 4, digit_pair(f % 100), 2);
        size_ = static_cast<size_t>(q + 6 - data_.get());
        return;
      }
    }
    size_ = static_cast<size_t>(std::to_chars(p, p + 330, x, std::chars_format::fixed, 6).ptr - data_.get());
  }

  // std::to_chars(x, general, 6) (%g): whole numbers below 1e6 directly.
  void general6(double x) {
    char* p = room(48);
    if (std::fabs(x) < 1e6 && x == std::floor(x) && !(x == 0 && std::signbit(x))) {
      size_ = static_cast<size_t>(std::to_chars(p, p + 48, static_cast<int64_t>(x)).ptr - data_.get());
      return;
    }
    size_ = static_cast<size_t>(std::to_chars(p, p + 48, x, std::chars_format::general, 6).ptr - data_.get());
  }

 private:
  // "00" .. "99".
  static const char* digit_pair(uint32_t v) {
    static constexpr char kPairs[201] =
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
        "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
        "8081828384858687888990919293949596979899";
    return kPairs + 2 * v;
  }
  // Makes room for `n` more bytes and returns where they start (size_ is not moved).
  char* room(size_t n) {
    if (size_ + n > cap_) grow(size_ + n);
    return data_.get() + size_;
  }
  void grow(size_t need) {
    size_t cap = cap_ ? cap_ : 4096;
    while (cap < need) cap *= 2;
    std::unique_ptr<char[]> d(new char[cap]);  // uninitialised: no page is cleared twice
    if (size_) std::memcpy(d.get(), data_.get(), size_);
    data_ = std::move(d);
    cap_ = cap;
  }
  void swap(TextBuffer& o) noexcept {
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
    std::swap(cap_, o.cap_);
  }

  std::unique_ptr<char[]> data_;
  size_t size_ = 0, cap_ = 0;
};

}  // namespace healcap
