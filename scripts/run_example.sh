#!/usr/bin/env bash
# Sets up, builds and runs healcap's main job on the bundled example (until the scan lands: the panel summary).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
./build/pipeline/healcap panel list
