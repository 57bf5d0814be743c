#!/usr/bin/env bash
# The README's first command: installs what running nstopo needs (Debian 12 packages, and the
# tools the README's examples use), builds only nstopo, its man pages and its completions (the
# tests are built by scripts/test.sh), installs them under /usr/local, brings up the two-routers
# demo lab with a ping across it, and says how long it all took.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
scripts/install-deps.sh setup
scripts/build.sh -DNSTOPO_TESTS=OFF
cmake --install "${NSTOPO_BUILD_DIR:-build}" --prefix /usr/local >/dev/null
# Debian's zsh looks for completions of /usr/local in site-functions (the package's
# vendor-completions is for /usr only).
install -D -m 0644 "${NSTOPO_BUILD_DIR:-build}/completions/_nstopo" \
  /usr/local/share/zsh/site-functions/_nstopo
echo "installed: /usr/local/bin/nstopo, man nstopo, man nstopo-topology, completions for bash, zsh and fish"
echo
echo "== nstopo apply topologies/two-routers.yaml"
nstopo apply topologies/two-routers.yaml
echo
echo "== nstopo status two-routers"
nstopo status two-routers
echo
echo "== ip netns exec ns01 ping -c 3 -I 192.168.0.1 10.0.0.1   (ttl 62: two routers on the way)"
ip netns exec ns01 ping -c 3 -I 192.168.0.1 10.0.0.1
echo
echo "The lab is up. Look around with 'nstopo status', 'ip netns exec ns01 ...';"
echo "remove it with: nstopo destroy two-routers"
elapsed=$((SECONDS - start))
echo "setup: done in $((elapsed / 60)) min $((elapsed % 60)) s"
