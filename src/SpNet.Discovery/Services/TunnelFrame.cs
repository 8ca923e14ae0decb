using System.Buffers.Binary;

namespace SpNet.Discovery;

/// <summary>
/// The frames of a tunnel, one SP message each, first byte the kind: Open (client's first message, with the window it
/// grants), Data (an application message), Credit (more messages the sender may send), Close (no more data from this side).
/// </summary>
internal static class TunnelFrame
{
    public const byte Open = 0;
    public const byte Data = 1;
    public const byte Credit = 2;
    public const byte Close = 3;

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

    /// <summary>The credit an Open or Credit frame grants, or -1 when the frame is malformed.</summary>
    public static int ReadGrant(ReadOnlySpan<byte> frame) =>
        frame.Length == 5 && BinaryPrimitives.ReadInt32BigEndian(frame[1..]) is int count and > 0 ? count : -1;
}
