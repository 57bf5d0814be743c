#!/usr/bin/env bash
# Builds nstopo and its tests with AddressSanitizer and UndefinedBehaviorSanitizer into
# ./build-asan (warnings are errors) and runs the whole suite there. Extra arguments go to ctest,
# e.g. scripts/sanitize.sh -R config_test
set -euo pipefail
cd "$(dirname "$0")/.."
NSTOPO_BUILD_DIR=build-asan scripts/build.sh -DNSTOPO_SANITIZE=address,undefined
# Leaks, UB and bad accesses stop the test with a report; nothing is recovered from.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --test-dir build-asan -j"$(nproc)" --output-on-failure "$@"
