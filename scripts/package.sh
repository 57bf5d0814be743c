#!/usr/bin/env bash
# Makes the Debian package, nstopo_VERSION_ARCH.deb, with CPack: builds what it holds (the binary,
# the man pages, the completions) in the build folder (NSTOPO_BUILD_DIR, default build), then runs
# `cpack -G DEB`, which computes the dependencies with dpkg-shlibdeps. Prints the package's path.
# Usage: scripts/package.sh [OUTDIR]   (default: BUILD/package)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${NSTOPO_BUILD_DIR:-build}
out=$(realpath -m "${1:-$build/package}")
[ -f "$build/CMakeCache.txt" ] || cmake -S . -B "$build" -DNSTOPO_WERROR=ON >/dev/null
cmake --build "$build" -j"$(nproc)" --target nstopo man completions >&2
mkdir -p "$out"
rm -f "$out"/nstopo_*.deb
(cd "$build" && cpack -G DEB -B "$out" >&2)
rm -rf "$out/_CPack_Packages"
ls "$out"/nstopo_*.deb
