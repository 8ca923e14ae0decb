#!/usr/bin/env bash
# A discovery cluster on five hosts, each a network namespace on one bridge: two SP registries (or a three-node
# etcd), services a, b and c with three members each, clients calling them by name; then a member is killed and
# restarted, a registry is killed and a host is cut off the LAN and put back. Prints requests answered, failed and
# resent and the time to notice a leave and a join. Every process is spcat (or etcd) started with `ip netns exec`.
#
# usage: sudo samples/Cluster.Namespaces/run.sh [registries|etcd|all]     (default: all; needs root and iproute2)
#
# The namespaces are built and torn down by the test ClusterTests (tests/SpNet.Reliability.Tests/Cluster), the one
# implementation of this scenario; this script runs it and shows its report.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

case "${1:-all}" in
  registries) filter="FullyQualifiedName~Cluster.ClusterTests.Two_registries" ;;
  etcd) filter="FullyQualifiedName~Cluster.ClusterTests.Etcd" ;;
  all) filter="FullyQualifiedName~Cluster.ClusterTests" ;;
  *) echo "usage: $0 [registries|etcd|all]" >&2; exit 2 ;;
esac
if [ "$(id -u)" -ne 0 ]; then
  echo "run.sh: needs root to create network namespaces (ip netns add)" >&2
  exit 2
fi
command -v ip >/dev/null || { echo "run.sh: needs the ip tool (apt-get install iproute2)" >&2; exit 2; }

echo "load before: $(uptime)"
# SPNET_REQUIRE_PEERS=1: a missing spcat or etcd fails the run instead of skipping it.
SPNET_REQUIRE_PEERS=1 dotnet test tests/SpNet.Reliability.Tests -c Release --filter "$filter" \
  --logger "console;verbosity=detailed"
echo "load after: $(uptime)"
