#!/usr/bin/env bash
# Sets up, builds and runs every test (doctest unit tests and command-line tests, through CTest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
cd build
ctest --output-on-failure -j"${HEALCAP_JOBS:-2}"
