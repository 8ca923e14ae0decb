using System.Reflection;
using SpNet.TestKit;

namespace SpNet.Interop.Tests;

/// <summary>
/// The two theory rows of one peer, SpNet listening and SpNet dialing: <c>[PeerSides("nngcat")]</c> stands for
/// <c>[PeerData("nngcat", Side.SpNetListens)]</c> and <c>[PeerData("nngcat", Side.SpNetDials)]</c>. Both rows are
/// skipped when the peer is missing (unless <c>SPNET_REQUIRE_PEERS=1</c>), as a <see cref="PeerDataAttribute"/> row is.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class PeerSidesAttribute(string peer) : PeerRowsAttribute(peer)
{

    /// <inheritdoc />
    public override IEnumerable<object?[]> GetData(MethodInfo testMethod) => [[Peer, Side.SpNetListens], [Peer, Side.SpNetDials]];
}
