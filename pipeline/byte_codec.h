// Little helpers to write and read the compact binary records of partial files: LEB128 varints, zigzag
// signed values, length-prefixed strings. Readers throw std::runtime_error when the bytes run out.
#pragma once

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

namespace healcap {

inline void put_u(std::string& o, uint64_t v) {
  while (v >= 0x80) {
    o.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  o.push_back(static_cast<char>(v));
}
inline void put_i(std::string& o, int64_t v) { put_u(o, (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63)); }
inline void put_s(std::string& o, const std::string& s) {
  put_u(o, s.size());
  o += s;
}
inline void put_f(std::string& o, float f) {
  char b[4];
  std::memcpy(b, &f, 4);
  o.append(b, 4);
}
inline void put_d(std::string& o, double f) {
  char b[8];
  std::memcpy(b, &f, 8);
  o.append(b, 8);
}

[[noreturn]] inline void short_bytes() { throw std::runtime_error("record ends early"); }

inline uint64_t get_u(const std::string& in, size_t& at) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (at >= in.size()) short_bytes();
    const auto c = static_cast<uint8_t>(in[at++]);
    v |= static_cast<uint64_t>(c & 0x7f) << shift;
    if (!(c & 0x80)) return v;
  }
  throw std::runtime_error("bad varint");
}
inline int64_t get_i(const std::string& in, size_t& at) {
  const uint64_t u = get_u(in, at);
  return static_cast<int64_t>(u >> 1) ^ -static_cast<int64_t>(u & 1);
}
inline std::string get_s(const std::string& in, size_t& at) {
  const uint64_t n = get_u(in, at);
  if (n > in.size() - at) short_bytes();
  std::string s = in.substr(at, n);
  at += n;
  return s;
}
inline float get_f(const std::string& in, size_t& at) {
  if (in.size() - at < 4) short_bytes();
  float f;
  std::memcpy(&f, in.data() + at, 4);
  at += 4;
  return f;
}
inline double get_d(const std::string& in, size_t& at) {
  if (in.size() - at < 8) short_bytes();
  double f;
  std::memcpy(&f, in.data() + at, 8);
  at += 8;
  return f;
}

}  // namespace healcap
