#!/usr/bin/env bash
# Installs what nstopo needs on Debian 12, from Debian's archive only.
#   scripts/install-deps.sh          everything: build, run, document, package and test
#   scripts/install-deps.sh setup    only what scripts/setup.sh needs: build and run nstopo, and
#                                    the tools the README's examples use
set -euo pipefail

setup_packages=(
  # build
  build-essential cmake pkg-config
  # libraries the product links
  libyaml-cpp-dev libnl-3-dev libnl-route-3-dev libspdlog-dev libfmt-dev
  libcli11-dev nlohmann-json3-dev libnftables-dev
  # the man pages are made from docs/man/*.scd; man shows them
  scdoc man-db
  # drawing: `nstopo graph --format svg` runs Graphviz's dot
  graphviz
  # the README's examples: ip netns exec, ping, tcpdump, traceroute; nstopo <TAB> in bash
  iproute2 iputils-ping tcpdump traceroute bash-completion
)
test_packages=(
  # style: the format check of the suite, scripts/tidy.sh
  clang-format clang-tidy
  # tests
  catch2 util-linux python3 python3-yaml python3-jsonschema
  # the nftables tests read what nstopo loaded with nft
  nftables
  # completion tests: the zsh and fish scripts are loaded by their shells
  zsh fish
  # the Debian package (scripts/package.sh): cpack's DEB generator computes the dependencies
  # with dpkg-shlibdeps (dpkg-dev) and finds the binaries with file
  dpkg-dev file
  # the OSPF lab's routing daemons (topologies/ospf.yaml; the tests run them in lab namespaces)
  frr
  # benchmark (tests/bench): peak RSS and the plot
  time gnuplot-nox
)

packages=("${setup_packages[@]}")
[ "${1:-all}" = setup ] || packages+=("${test_packages[@]}")

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
# Packages with a service (frr) must not start it on this machine: the labs run their own
# daemons in their namespaces, and a routing daemon on the host would change the host's routes.
# A policy-rc.d that denies every start does that for the length of the install (invoke-rc.d
# and deb-systemd-invoke both ask it); one the machine already has is left alone.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\n# install-deps: no service starts while nstopo installs its packages\nexit 101\n' \
    >/usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
