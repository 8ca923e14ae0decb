namespace SpNet.Discovery;

/// <summary>One member's answer to <see cref="ServiceClient.GatherAsync"/>: its reply, or the error its handler reported.</summary>
/// <param name="Member">The member that answered.</param>
/// <param name="Reply">Its reply body; null when <paramref name="Error"/> is set.</param>
/// <param name="Error">The member's handler failure text; null on success.</param>
public sealed record GatherReply(ServiceMember Member, byte[]? Reply, string? Error)
{
    /// <summary>True when the member replied (its handler did not throw).</summary>
    public bool Succeeded => Error is null;
}
