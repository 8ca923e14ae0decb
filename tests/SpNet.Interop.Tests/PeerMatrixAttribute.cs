using System.Reflection;
using SpNet.TestKit;

namespace SpNet.Interop.Tests;

/// <summary>
/// Every row a peer supports, as (peer, side, carrier): both sides × tcp, ipc and ws, plus tls+tcp and wss for nngcat
/// (nanocat has no TLS). The rows are skipped together when the peer is missing (unless <c>SPNET_REQUIRE_PEERS=1</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class PeerMatrixAttribute(string peer) : PeerRowsAttribute(peer)
{

    /// <summary>The carriers <paramref name="peer"/> speaks.</summary>
    public static Carrier[] CarriersOf(string peer) => peer == Peers.NngCat
        ? [Carrier.Tcp, Carrier.Ipc, Carrier.Tls, Carrier.Ws, Carrier.Wss]
        : [Carrier.Tcp, Carrier.Ipc, Carrier.Ws];

    /// <inheritdoc />
    public override IEnumerable<object?[]> GetData(MethodInfo testMethod) =>
        from carrier in CarriersOf(Peer)
        from side in new[] { Side.SpNetListens, Side.SpNetDials }
        select new object?[] { Peer, side, carrier };
}
