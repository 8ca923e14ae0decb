using System.Buffers.Binary;

namespace SpNet.Protocols.Routing;

/// <summary>Outcome of reading a PAIR1 or STAR hop-count header off the front of a message.</summary>
internal enum HopCheck
{
    /// <summary>The hop count is acceptable.</summary>
    Ok,
    /// <summary>More hops than the TTL allows: drop the message, keep the pipe.</summary>
    TooManyHops,
    /// <summary>Shorter than 4 bytes or a value no hop count can have.</summary>
    Malformed,
}

/// <summary>The 4-byte big-endian hop count that PAIR1 and STAR put before the body (top 24 bits zero).</summary>
internal static class HopCount
{
    /// <summary>Default hop limit (NNG_OPT_MAXTTL, mangos OptionTTL).</summary>
    public const int DefaultMaxTtl = 8;

    /// <summary>Reads the hop count at the front of the body without consuming it.</summary>
    public static bool TryPeek(Message message, out uint hops)
    {
        if (message.BodyLength < 4)
        {
            hops = 0;
            return false;
        }
        hops = BinaryPrimitives.ReadUInt32BigEndian(message.Body);
        return true;
    }

    /// <summary>Replaces the header with a single hop count.</summary>
    public static void SetHeader(Message message, uint hops)
    {
        message.ClearHeader();
        message.AppendHeaderUInt32(hops);
    }

    /// <summary>The hop count in a 4-byte header, or null when the header is not exactly 4 bytes.</summary>
    public static uint? ReadHeader(Message message) =>
        message.HeaderLength == 4 ? BinaryPrimitives.ReadUInt32BigEndian(message.Header) : null;
}
