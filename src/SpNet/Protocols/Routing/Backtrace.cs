using SpNet.Core;

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

    /// <summary>Largest hop limit NNG accepts (NNI_MAX_MAX_TTL).</summary>
    public const int MaxMaxTtl = 15;

    /// <summary>Validates a hop limit (1–15, as NNG).</summary>
    public static int CheckTtl(int value) =>
        value is >= 1 and <= MaxMaxTtl ? value : throw new ArgumentOutOfRangeException(nameof(value), "1 to 15");

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

    /// <summary>
    /// <see cref="Extract"/> with the usual reactions: over the limit → freed and counted as dropped (pipe kept);
    /// no id → freed, counted as a protocol error, and the pipe closed (as NNG). True when the message is usable.
    /// </summary>
    public static bool ExtractOrReject(Pipe pipe, Message message, int maxTtl, SocketStatistics statistics)
    {
        switch (Extract(message, maxTtl))
        {
            case BacktraceResult.Ok:
                return true;
            case BacktraceResult.TooManyHops:
                statistics.RecordDropped();
                message.Dispose();
                return false;
            default:
                message.Dispose();
                statistics.RecordProtocolError();
                pipe.Close(SpError.Protocol, "message without a request or survey id (no tag with bit 31 set)");
                return false;
        }
    }
}
