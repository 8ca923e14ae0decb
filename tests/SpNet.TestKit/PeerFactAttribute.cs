using Xunit;

namespace SpNet.TestKit;

/// <summary>
/// A fact that needs external peers (<c>[PeerFact("nngcat")]</c>). It is skipped, with the install command as the
/// reason, when a peer is missing, unless <c>SPNET_REQUIRE_PEERS=1</c>: then it runs and fails on the missing peer.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class PeerFactAttribute : FactAttribute
{
    /// <summary>Creates the attribute for tests needing every peer in <paramref name="peers"/>.</summary>
    public PeerFactAttribute(params string[] peers)
    {
        Peers = peers;
        string? reason = TestKit.Peers.SkipReason(peers);
        if (reason is not null)
        {
            Skip = reason;
        }
    }

    /// <summary>The peers the test needs.</summary>
    public IReadOnlyList<string> Peers { get; }
}
