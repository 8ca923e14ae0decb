#!/usr/bin/env bash
# Chaos soak on the five-namespace cluster of run.sh: random member kills and restarts, host partitions and registry
# kills under a REQ/REP and a PUB/SUB load, for SECONDS (default 1800, the long mode's 30 minutes; CI runs 60).
# Prints requests sent/answered/failed/resent, messages lost per subscriber, the longest time a client went without
# an answer, RSS and threads of every process at start and end, and the list of faults with their times.
#
# usage: sudo samples/Cluster.Namespaces/soak.sh [SECONDS] [SEED] [registries|etcd|all]   (needs root and iproute2)
#
# The third argument picks the discovery plane: two SP registries (default), a three-node etcd, or both in turn.
#
# The soak is the test ChaosSoakTests (tests/SpNet.Reliability.Tests/Soak); this script runs it with the duration
# and seed given and shows its report. The same seed draws the same faults (their timing still varies with load).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

seconds="${1:-1800}"
case "$seconds" in ''|*[!0-9]*) echo "usage: $0 [SECONDS] [SEED] [registries|etcd|all]" >&2; exit 2 ;; esac
case "${3:-registries}" in
  registries) filter="FullyQualifiedName~Soak.ChaosSoakTests.Members_registries" ;;
  etcd) filter="FullyQualifiedName~Soak.ChaosSoakTests.Members_etcd" ;;
  all) filter="FullyQualifiedName~Soak.ChaosSoakTests" ;;
  *) echo "usage: $0 [SECONDS] [SEED] [registries|etcd|all]" >&2; exit 2 ;;
esac
if [ "$(id -u)" -ne 0 ]; then
  echo "soak.sh: needs root to create network namespaces (ip netns add)" >&2
  exit 2
fi
command -v ip >/dev/null || { echo "soak.sh: needs the ip tool (apt-get install iproute2)" >&2; exit 2; }

echo "load before: $(uptime)"
export SPNET_REQUIRE_PEERS=1 SPNET_SOAK_SECONDS="$seconds"
[ -n "${2:-}" ] && export SPNET_SOAK_SEED="$2"
# Partitions last up to 30 s in long mode (SPNET_LONG=1), up to 10 s otherwise.
[ "$seconds" -ge 600 ] && export SPNET_LONG=1
dotnet test tests/SpNet.Reliability.Tests -c Release --filter "$filter" \
  --logger "console;verbosity=detailed"
echo "load after: $(uptime)"
