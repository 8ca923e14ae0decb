namespace SpNet.Discovery;

/// <summary>One member's outcome of <see cref="ServiceClient.BroadcastAsync"/>: its reply, or the error.</summary>
/// <param name="Member">The member asked.</param>
/// <param name="Reply">Its reply body; null when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why no reply came (connect failure, timeout); null on success.</param>
public sealed record BroadcastReply(ServiceMember Member, byte[]? Reply, Exception? Error)
{
    /// <summary>True when a reply came.</summary>
    public bool Succeeded => Error is null;
}
