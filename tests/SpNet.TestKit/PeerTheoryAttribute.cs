using Xunit;

namespace SpNet.TestKit;

/// <summary>
/// A theory whose every row needs the same external peers; skipped or failing as <see cref="PeerFactAttribute"/>.
/// For rows that need different peers use a plain <see cref="TheoryAttribute"/> with <see cref="PeerDataAttribute"/> rows.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class PeerTheoryAttribute : TheoryAttribute
{
    /// <summary>Creates the attribute for a theory needing every peer in <paramref name="peers"/>.</summary>
    public PeerTheoryAttribute(params string[] peers)
    {
        Peers = peers;
        string? reason = TestKit.Peers.SkipReason(peers);
        if (reason is not null)
        {
            Skip = reason;
        }
    }

    /// <summary>The peers the theory needs.</summary>
    public IReadOnlyList<string> Peers { get; }
}
