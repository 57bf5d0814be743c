#!/usr/bin/env bash
# Configures and builds nstopo into ./build (warnings are errors). Extra arguments go to cmake's
# configure step, e.g. scripts/build.sh -DNSTOPO_SANITIZE=address,undefined
set -euo pipefail
cd "$(dirname "$0")/.."
build=${NSTOPO_BUILD_DIR:-build}
cmake -S . -B "$build" -DNSTOPO_WERROR=ON "$@" >/dev/null
cmake --build "$build" -j"$(nproc)"
