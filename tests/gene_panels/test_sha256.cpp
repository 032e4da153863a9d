// SHA-256 against the FIPS 180-4 example digests.
#include <doctest/doctest.h>

#include <string>

#include "sha256.h"

using healcap::sha256_hex;

TEST_CASE("sha256 of the empty string, 'abc' and the two-block FIPS message match the published digests") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("sha256 of one million 'a' characters matches the published digest") {
  CHECK(sha256_hex(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256 padding boundaries at 55, 56 and 64 bytes give distinct digests of the right length") {
  const auto a = sha256_hex(std::string(55, 'x')), b = sha256_hex(std::string(56, 'x')), c = sha256_hex(std::string(64, 'x'));
  CHECK(a.size() == 64);
  CHECK(a != b);
  CHECK(b != c);
}
