using System.Buffers.Binary;
using System.Text;

namespace SpNet.Discovery;

/// <summary>
/// The status byte a <see cref="ServiceHost"/> puts before every reply (request and gather): 0 then the handler's reply,
/// or 1 then the UTF-8 error text when the handler threw. One byte keeps a reply a single SP message, so REQ resend
/// and SURVEYOR matching work unchanged. A gather reply is preceded by the member's request address (2-byte big-endian
/// length, UTF-8), since a surveyor's answers do not say which connection they came on.
/// </summary>
internal static class ServiceReply
{
    private const byte OkStatus = 0;
    private const byte ErrorStatus = 1;

    public static Message Ok(ReadOnlySpan<byte> body) => KindedMessage.Create(OkStatus, body);

    public static Message Error(string text) => KindedMessage.Create(ErrorStatus, Encoding.UTF8.GetBytes(text));

    /// <summary>Puts the member's request address before <paramref name="reply"/> (disposed).</summary>
    public static Message FromMember(byte[] address, Message reply)
    {
        using (reply)
        {
            Message framed = Message.Create(2 + address.Length + reply.BodyLength);
            BinaryPrimitives.WriteUInt16BigEndian(framed.Body, (ushort)address.Length);
            address.CopyTo(framed.Body[2..]);
            reply.Body.CopyTo(framed.Body[(2 + address.Length)..]);
            return framed;
        }
    }

    /// <summary>Splits a gather reply into the member's request address and the status-framed reply; null address when malformed.</summary>
    public static (string? Address, ReadOnlyMemory<byte> Reply) SplitMember(ReadOnlyMemory<byte> gathered)
    {
        ReadOnlySpan<byte> span = gathered.Span;
        int length = span.Length < 2 ? int.MaxValue : BinaryPrimitives.ReadUInt16BigEndian(span);
        if (span.Length - 2 < length)
        {
            return (null, gathered);
        }
        return (Encoding.UTF8.GetString(span.Slice(2, length)), gathered[(2 + length)..]);
    }

    /// <summary>The reply body, or the error text (null body) a failed handler sent; a malformed reply is an error too.</summary>
    public static (byte[]? Body, string? Error) Decode(ReadOnlySpan<byte> reply)
    {
        if (reply.IsEmpty)
        {
            return (null, "empty reply (no status byte)");
        }
        return reply[0] switch
        {
            OkStatus => (reply[1..].ToArray(), null),
            ErrorStatus => (null, Encoding.UTF8.GetString(reply[1..])),
            byte other => (null, $"unknown reply status {other}"),
        };
    }
}
