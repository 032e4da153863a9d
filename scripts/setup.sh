#!/usr/bin/env bash
# Installs the Debian 12 packages healcap needs to build and test; a no-op when all are present.
set -euo pipefail

packages=(
  # build
  cmake g++ make pkg-config
  libhts-dev libdeflate-dev libtbb-dev libboost-program-options-dev zlib1g-dev doctest-dev
  # libFuzzer targets (tests/fuzz) and the ThreadSanitizer build
  clang libclang-rt-14-dev
  # peers used by the tests and benchmarks
  bcftools tabix plink2 time
  # panel build script and its consistency test
  python3
  # the man page (help2man at build time) and its test (groff, man); script(1) for the progress-line test
  help2man groff-base man-db bsdutils
  # the HTML report's tests and README screenshot: a real browser, headless
  chromium
  # the Snakemake workflow (scripts/workflow) and its test on a real single-node SLURM cluster
  snakemake slurmctld slurmd slurm-client munge
  # MultiQC (Debian's 1.14), run on healcap's custom-content files by tests/cli/test_multiqc.sh
  multiqc
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present" >&2
  exit 0
fi

echo "setup: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "setup: not root and no sudo; install as root: apt-get install ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done" >&2
