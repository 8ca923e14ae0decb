using System.Reflection;
using SpNet.TestKit;

namespace SpNet.Interop.Tests;

/// <summary>
/// The four theory rows of one peer against spcat: spcat listening or dialing (<see cref="Side"/>, from spcat's point
/// of view) × spcat taking the pattern's first role (pushes, publishes, requests) or the second. All four are skipped
/// when the peer is missing (unless <c>SPNET_REQUIRE_PEERS=1</c>), as a <see cref="PeerDataAttribute"/> row is.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class PeerSidesAndRolesAttribute(string peer) : PeerRowsAttribute(peer)
{
    /// <inheritdoc />
    public override IEnumerable<object?[]> GetData(MethodInfo testMethod) =>
        from side in new[] { Side.SpNetListens, Side.SpNetDials }
        from spcatFirst in new[] { true, false }
        select new object?[] { Peer, side, spcatFirst };
}
