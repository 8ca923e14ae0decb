using System.Buffers.Binary;

namespace SpNet.Discovery;

/// <summary>
/// The frames of a tunnel, one SP message each, first byte the kind: Open (client's first message, with the window it
/// grants), Data (an application message), Credit (more messages the sender may send), Close (no more data from this
/// side), Blocked (the sender ran out of credit at the credit total it names; the receiver may grow its window).
/// </summary>
internal static class TunnelFrame
{
    public const byte Open = 0;
    public const byte Data = 1;
    public const byte Credit = 2;
    public const byte Close = 3;
    public const byte Blocked = 4;

    public static Message CreateData(ReadOnlySpan<byte> body) => KindedMessage.Create(Data, body);

    /// <summary>An Open or Credit frame carrying <paramref name="count"/> messages of credit.</summary>
    public static Message CreateGrant(byte kind, int count)
    {
        Message message = Message.Create(5);
        message.Body[0] = kind;
        BinaryPrimitives.WriteInt32BigEndian(message.Body[1..], count);
        return message;
    }

    public static Message CreateClose() => KindedMessage.Create(Close, []);

    /// <summary>A Blocked frame: the sender's credit total (every message of credit granted it so far) when it ran out, big-endian int64.</summary>
    public static Message CreateBlocked(long limit)
    {
        Message message = Message.Create(9);
        message.Body[0] = Blocked;
        BinaryPrimitives.WriteInt64BigEndian(message.Body[1..], limit);
        return message;
    }

    /// <summary>The credit total a Blocked frame names, or -1 when the frame is malformed.</summary>
    public static long ReadBlocked(ReadOnlySpan<byte> frame) =>
        frame.Length == 9 && BinaryPrimitives.ReadInt64BigEndian(frame[1..]) is long limit and > 0 ? limit : -1;

    /// <summary>The credit an Open or Credit frame grants, or -1 when the frame is malformed.</summary>
    public static int ReadGrant(ReadOnlySpan<byte> frame) =>
        frame.Length == 5 && BinaryPrimitives.ReadInt32BigEndian(frame[1..]) is int count and > 0 ? count : -1;
}
