#!/usr/bin/env bash
# Runs clang-tidy (Debian's clang-tidy-14) with the project's .clang-tidy over src/, on two cores,
# using the compile database of ./build (scripts/build.sh makes it). Exit 0 only when clean.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${NSTOPO_BUILD_DIR:-build}
[ -f "$build/compile_commands.json" ] || scripts/build.sh
# clang-tidy counts the warnings it suppressed in system headers on stderr: not ours to read.
git ls-files 'src/*.cpp' | xargs -P"$(nproc)" -n4 clang-tidy -p "$build" --quiet \
  2> >(grep -v -e 'warnings generated' -e '^Suppressed' -e 'Use -header-filter' >&2)
echo "tidy: clean"
