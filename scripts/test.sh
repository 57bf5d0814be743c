#!/usr/bin/env bash
# The README's second command: installs missing dependencies, builds, and runs the whole test suite
# (unit tests, kernel tests and end-to-end tests, each kernel-touching test in its own private
# network + mount namespace sandbox).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
cd "${NSTOPO_BUILD_DIR:-build}"
ctest --output-on-failure -j"$(nproc)"
