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
    char* p = room(64);
    const double a = std::fabs(x);
    // The fast path: below 1e6, x * 1e6 is within 1.2e-4 of the exact product, so rounding it to a whole number
    // gives the correctly rounded millionths unless the product lies within 1e-3 of a half; those, and larger
    // numbers, go to to_chars.
    if (a < 1e6) {
      const double t = a * 1e6;
      const double whole = std::floor(t);
      const double frac = t - whole;
      if (std::fabs(frac - 0.5) > 1e-3) {
        uint64_t m = static_cast<uint64_t>(whole) + (frac > 0.5 ? 1 : 0);
        char* q = p;
        if (x < 0) *q++ = '-';
        q = std::to_chars(q, q + 24, m / 1000000).ptr;
        *q++ = '.';
        uint64_t f = m % 1000000;
        for (int k = 5; k >= 0; --k) {
          q[k] = static_cast<char>('0' + f % 10);
          f /= 10;
        }
        size_ = static_cast<size_t>(q + 6 - data_.get());
        return;
      }
    }
    size_ = static_cast<size_t>(std::to_chars(p, p + 64, x, std::chars_format::fixed, 6).ptr - data_.get());
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
