#!/usr/bin/env bash
# The README's second command: installs missing dependencies, builds everything (nstopo and the
# test suite), and runs the whole suite (unit tests, kernel tests, end-to-end tests, the man
# pages, completion and the Debian package; each kernel-touching test in its own private
# network + mount namespace sandbox).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh -DNSTOPO_TESTS=ON
cd "${NSTOPO_BUILD_DIR:-build}"
ctest --output-on-failure -j"$(nproc)"
