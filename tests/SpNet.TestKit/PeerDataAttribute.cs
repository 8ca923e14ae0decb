using System.Reflection;
using Xunit.Sdk;

namespace SpNet.TestKit;

/// <summary>
/// One theory row whose first argument is a peer name (<c>[PeerData("nanocat", Side.SpNetDials)]</c>). Only that row is
/// skipped when the peer is missing (unless <c>SPNET_REQUIRE_PEERS=1</c>), so one theory can cover several peers.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class PeerDataAttribute : PeerRowsAttribute
{
    private readonly object?[] _row;

    /// <summary>A row passing <paramref name="peer"/> followed by <paramref name="rest"/>.</summary>
    public PeerDataAttribute(string peer, params object?[] rest) : base(peer) => _row = [peer, .. rest];

    /// <inheritdoc />
    public override IEnumerable<object?[]> GetData(MethodInfo testMethod) => [_row];
}
