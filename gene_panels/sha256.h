// SHA-256 (FIPS 180-4) of a byte string, for the panel's content hash.
#pragma once

#include <string>
#include <string_view>

namespace healcap {

// Returns the lowercase hexadecimal SHA-256 digest of `data`.
std::string sha256_hex(std::string_view data);

}  // namespace healcap
