#!/usr/bin/env bash
# Fuzzes the topology loader (load + validate, tests/fuzz/fuzz_load.cpp) with libFuzzer for
# SECONDS seconds (default 60), starting from every lab in topologies/ and every hostile file in
# tests/hostile/. Builds with clang into ./build-fuzz. New inputs that reach new code go to
# ./build-fuzz/corpus (kept between runs); a crash or hang is written to ./build-fuzz/ as
# crash-*/timeout-* and the script exits non-zero. Reproduce one with:
#   build-fuzz/tests/fuzz/fuzz_load build-fuzz/crash-...
# Needs the Debian packages clang-14 and libclang-rt-14-dev (libFuzzer).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
for p in clang-14 libclang-rt-14-dev; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    echo "fuzz: the package $p is missing: apt-get install clang-14 libclang-rt-14-dev" >&2
    exit 1
  fi
done
cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DNSTOPO_FUZZ=ON -DNSTOPO_TESTS=OFF \
  -DNSTOPO_WERROR=ON >/dev/null
cmake --build build-fuzz --target fuzz_load -j"$(nproc)"
mkdir -p build-fuzz/corpus
cd build-fuzz
# -max_len: larger than every seed (the 4 MiB file limit is exercised by the unit tests).
# -timeout: one input taking a second is a hang.
tests/fuzz/fuzz_load -max_total_time="$seconds" -timeout=1 -rss_limit_mb=2048 -max_len=65536 \
  -print_final_stats=1 corpus ../topologies ../tests/hostile
