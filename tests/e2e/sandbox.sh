#!/usr/bin/env bash
# Runs a test script inside a private network + mount namespace with tmpfs over /run (and so over
# /run/netns and /run/nstopo): the test sees none of the machine's interfaces or namespaces, and
# everything it makes dies with it. Exit 77 (CTest: skipped) where the sandbox cannot be made,
# except under CI=true, which must be able to make it.
set -u
if [ "${NSTOPO_IN_SANDBOX:-}" != 1 ]; then
  export NSTOPO_IN_SANDBOX=1
  if ! unshare --net --mount --propagation private true 2>/dev/null; then
    if [ "${CI:-}" = true ]; then
      echo "FAIL: cannot make the test sandbox (unshare --net --mount); run the tests as root" >&2
      exit 1
    fi
    echo "SKIP: cannot make the test sandbox (unshare --net --mount needs root)" >&2
    exit 77
  fi
  exec unshare --net --mount --propagation private "$0" "$@"
fi
mount -t tmpfs nstopo-test /run
mkdir -p /run/netns /run/nstopo
ip link set lo up
exec bash "$@"
