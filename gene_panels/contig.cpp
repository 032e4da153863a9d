// Contig-name normalisation for panel and VCF chromosome names.
#include "contig.h"

#include <cctype>
#include <cstdlib>

namespace healcap {

namespace {
bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}
}  // namespace

std::string normalise_contig(std::string_view name) {
  std::string_view s = name;
  if (s.size() > 3 && (s[0] == 'c' || s[0] == 'C') && (s[1] == 'h' || s[1] == 'H') && (s[2] == 'r' || s[2] == 'R'))
    s.remove_prefix(3);
  if (s.substr(0, 3) == "NC_") {
    std::string_view acc = s.substr(3);
    const size_t dot = acc.find('.');
    std::string_view num = acc.substr(0, dot);
    if (all_digits(num)) {
      const long n = std::strtol(std::string(num).c_str(), nullptr, 10);
      if (n >= 1 && n <= 22) return std::to_string(n);
      if (n == 23) return "X";
      if (n == 24) return "Y";
      if (n == 12920) return "MT";
    }
    return std::string(name);
  }
  // GenBank accessions of the assembled chromosomes: CM000663 (chr1) to CM000684 (chr22), CM000685 (X) and
  // CM000686 (Y), version .1 in GRCh37 and .2 in GRCh38 (NCBI's assembly reports, GCA_000001405).
  if (name.substr(0, 5) == "CM000") {
    std::string_view acc = name.substr(5);
    const std::string_view num = acc.substr(0, acc.find('.'));
    if (all_digits(num) && num.size() == 3) {
      const long n = std::strtol(std::string(num).c_str(), nullptr, 10) - 662;
      if (n >= 1 && n <= 22) return std::to_string(n);
      if (n == 23) return "X";
      if (n == 24) return "Y";
    }
    return std::string(name);
  }
  if (s == "M" || s == "m" || s == "MT" || s == "mt") return "MT";
  if (s == "x") return "X";
  if (s == "y") return "Y";
  if (all_digits(s)) {
    const long n = std::strtol(std::string(s).c_str(), nullptr, 10);
    if (n >= 1 && n <= 22) return std::to_string(n);  // also drops leading zeros: chr01 -> 1
  }
  if (s == "X" || s == "Y") return std::string(s);
  return std::string(name);
}

int contig_rank(std::string_view c) {
  if (all_digits(c)) {
    const long n = std::strtol(std::string(c).c_str(), nullptr, 10);
    if (n >= 1 && n <= 22) return static_cast<int>(n);
  }
  if (c == "X") return 23;
  if (c == "Y") return 24;
  if (c == "MT") return 25;
  return 1000;
}

}  // namespace healcap
