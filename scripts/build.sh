#!/usr/bin/env bash
# Configures and builds healcap in ./build (Release), after installing what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE="${HEALCAP_BUILD_TYPE:-Release}" ${HEALCAP_CMAKE_ARGS:-} >/dev/null
cmake --build build -j"${HEALCAP_JOBS:-2}"
