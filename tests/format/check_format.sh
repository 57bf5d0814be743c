#!/usr/bin/env bash
# Fails when a C++ file of the tree differs from what the project's .clang-format makes of it,
# naming each such file and showing clang-format's first complaint. Fix: clang-format -i FILE.
set -u
top=$1
cd "$top" || exit 1
if ! command -v clang-format >/dev/null; then
  echo "FAIL: clang-format is not installed (scripts/install-deps.sh installs it)" >&2
  exit 1
fi
if [ -d .git ] || git rev-parse --git-dir >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files '*.cpp' '*.hpp')
else
  mapfile -t files < <(find include src tests -name '*.cpp' -o -name '*.hpp' | sort)
fi
bad=0
for f in "${files[@]}"; do
  [ -f "$f" ] || continue
  if ! out=$(clang-format --dry-run --Werror "$f" 2>&1); then
    echo "not formatted: $f" >&2
    echo "$out" | head -3 >&2
    bad=$((bad + 1))
  fi
done
if [ "$bad" -gt 0 ]; then
  echo "FAIL: $bad of ${#files[@]} files differ from .clang-format (clang-format -i FILE)" >&2
  exit 1
fi
echo "all ${#files[@]} C++ files match .clang-format"
