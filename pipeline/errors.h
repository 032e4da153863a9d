// The exception types main() turns into exit codes: UsageError -> 2, every other std::exception -> 1.
#pragma once

#include <stdexcept>

namespace healcap {

// A bad command line: unknown command or option, a missing or malformed value. Exit code 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Bad input data or a failed read/write. Exit code 1. The message names the file (and CHROM:POS).
class DataError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace healcap
