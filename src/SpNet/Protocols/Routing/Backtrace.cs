namespace SpNet.Protocols.Routing;

/// <summary>Outcome of moving a request's routing tags from the body into the header.</summary>
internal enum BacktraceResult
{
    /// <summary>Tags up to and including the request id (bit 31 set) are now the header.</summary>
    Ok,
    /// <summary>More hops than the TTL allows: drop the message, keep the pipe.</summary>
    TooManyHops,
    /// <summary>The body ended before a tag with bit 31 set: the peer is broken, close the pipe.</summary>
    Truncated,
}

/// <summary>
/// The REQ/REP and SURVEYOR/RESPONDENT routing stack: zero or more 4-byte hop ids (bit 31 clear) ending with
/// the request or survey id (bit 31 set).
/// </summary>
internal static class Backtrace
{
    /// <summary>Default and bounds of the hop limit (NNG_OPT_MAXTTL).</summary>
    public const int DefaultMaxTtl = 8;

    /// <summary>Moves the tag stack from the front of the body into the header, checking it.</summary>
    public static BacktraceResult Extract(Message message, int maxTtl)
    {
        message.ClearHeader();
        for (int hops = 1; ; hops++)
        {
            if (message.BodyLength < 4)
            {
                return BacktraceResult.Truncated;
            }
            if (hops > maxTtl)
            {
                return BacktraceResult.TooManyHops;
            }
            bool last = (message.Body[0] & 0x80) != 0;
            message.MoveBodyPrefixToHeader(4);
            if (last)
            {
                return BacktraceResult.Ok;
            }
        }
    }
}
