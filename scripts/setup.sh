#!/usr/bin/env bash
# The README's first command: installs the dependencies (Debian 12 packages), builds nstopo,
# installs it to /usr/local/bin, and brings up the two-routers demo lab with a ping across it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
install -m 0755 build/src/cli/nstopo /usr/local/bin/nstopo
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
