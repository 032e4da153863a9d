#!/usr/bin/env bash
# Sets up, builds and runs every test (doctest unit tests and command-line tests, through CTest):
# first on the Release build, then on an AddressSanitizer/UBSan build (skip with HEALCAP_SANITIZE_TESTS=0), then
# the unit tests (the pipeline driver at 1-4 threads) under ThreadSanitizer (skip with HEALCAP_TSAN_TESTS=0), then
# the libFuzzer targets for 60 s each and their regressions (skip with HEALCAP_FUZZ_TESTS=0).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${HEALCAP_JOBS:-2}
bash scripts/build.sh
(cd build && ctest --output-on-failure -j"$jobs")
if [ "${HEALCAP_SANITIZE_TESTS:-1}" = 1 ]; then
  echo "== the same tests under AddressSanitizer and UndefinedBehaviorSanitizer =="
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DHEALCAP_SANITIZE=ON >/dev/null
  cmake --build build-asan -j"$jobs"
  (cd build-asan && ctest --output-on-failure -j"$jobs")
fi
if [ "${HEALCAP_TSAN_TESTS:-1}" = 1 ]; then
  echo "== the pipeline unit tests under ThreadSanitizer =="
  cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHEALCAP_TSAN=ON >/dev/null
  cmake --build build-tsan -j"$jobs" --target healcap_tests
  # history_size=7: the longest history, so that the stacks the suppressions match are never lost.
  TSAN_OPTIONS="suppressions=$PWD/tests/tsan.supp halt_on_error=1 exitcode=66 history_size=7" build-tsan/tests/healcap_tests
fi
if [ "${HEALCAP_FUZZ_TESTS:-1}" = 1 ]; then
  echo "== each libFuzzer target for 60 seconds, and every reproducer the fuzzers found (clang) =="
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHEALCAP_FUZZ=ON >/dev/null
  cmake --build build-fuzz -j"$jobs" --target fuzz_seeds fuzz_text_records fuzz_panel_loader fuzz_partial fuzz_biomarker_input
  (cd build-fuzz && ctest --output-on-failure -j"$jobs" -L fuzz)
fi
