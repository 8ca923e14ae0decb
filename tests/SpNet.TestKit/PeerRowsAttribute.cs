using Xunit.Sdk;

namespace SpNet.TestKit;

/// <summary>
/// Theory rows for one peer process (nngcat, nanocat, spcat…), skipped together when that peer is missing (unless
/// <c>SPNET_REQUIRE_PEERS=1</c>), so one theory can cover several peers and each peer's rows stand or fall alone.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public abstract class PeerRowsAttribute : DataAttribute
{
    /// <summary>Rows for <paramref name="peer"/>; skipped with the reason <see cref="Peers.SkipReason"/> gives.</summary>
    protected PeerRowsAttribute(string peer)
    {
        Peer = peer;
        string? reason = Peers.SkipReason(peer);
        if (reason is not null)
        {
            Skip = reason;
        }
    }

    /// <summary>The peer every row names first.</summary>
    protected string Peer { get; }
}
