#!/usr/bin/env bash
# Installs everything nstopo needs to build, run and test on Debian 12, from Debian's archive only.
set -euo pipefail

packages=(
  # build
  build-essential cmake pkg-config
  # style: the format check of the suite, scripts/tidy.sh
  clang-format clang-tidy
  # libraries the product links
  libyaml-cpp-dev libnl-3-dev libnl-route-3-dev libspdlog-dev libfmt-dev
  libcli11-dev nlohmann-json3-dev libnftables-dev
  # drawing: `nstopo graph --format svg` runs Graphviz's dot
  graphviz
  # tests
  catch2 iproute2 iputils-ping util-linux python3 python3-yaml python3-jsonschema nftables
  # benchmark (tests/bench): peak RSS and the plot
  time gnuplot-nox
)

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: run as root (sudo $0)" >&2
  exit 1
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
