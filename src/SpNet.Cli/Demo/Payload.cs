using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace SpNet.Cli.Demo;

/// <summary>
/// Builds and checks demo message bodies: a short ASCII prefix (direction or topic), a 4-byte big-endian
/// sequence number, then filler bytes computed from the sequence number. Every byte is checked on receipt,
/// so a corrupted, truncated, misrouted or reordered message cannot pass.
/// </summary>
internal static class Payload
{
    /// <summary>Smallest body the demo accepts: a 3-byte prefix plus the sequence number.</summary>
    public const int MinimumSize = 8;

    /// <summary>Creates a message of exactly <paramref name="size"/> bytes carrying <paramref name="prefix"/> and <paramref name="sequence"/>.</summary>
    public static Message Create(string prefix, int sequence, int size)
    {
        Message message = Message.Create(size);
        Span<byte> body = message.Body;
        int at = Encoding.ASCII.GetBytes(prefix, body);
        BinaryPrimitives.WriteInt32BigEndian(body[at..], sequence);
        at += sizeof(int);
        for (int i = at; i < body.Length; i++)
        {
            body[i] = Filler(sequence, i);
        }
        return message;
    }

    /// <summary>Sends <paramref name="count"/> payloads numbered from 0 on <paramref name="port"/>, in order.</summary>
    public static async Task SendAllAsync(MessagePort port, string prefix, int count, int size, CancellationToken cancellationToken)
    {
        for (int i = 0; i < count; i++)
        {
            Message message = Create(prefix, i, size);
            try
            {
                await port.SendAsync(message, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                message.Dispose(); // a failed send leaves the message with the caller
                throw;
            }
        }
    }

    /// <summary>
    /// Checks that <paramref name="body"/> is a whole payload of <paramref name="size"/> bytes with
    /// <paramref name="prefix"/> and returns its sequence number.
    /// </summary>
    /// <exception cref="DemoCheckException">Wrong length, prefix or filler byte.</exception>
    public static int Read(ReadOnlySpan<byte> body, string prefix, int size)
    {
        if (body.Length != size)
        {
            throw Fail($"a message of {body.Length} bytes, expected {size}");
        }
        int at = prefix.Length;
        for (int i = 0; i < at; i++)
        {
            if (body[i] != (byte)prefix[i])
            {
                throw Fail($"a message not starting with '{prefix}' (got '{Printable(body[..at])}')");
            }
        }
        int sequence = BinaryPrimitives.ReadInt32BigEndian(body[at..]);
        for (int i = at + sizeof(int); i < body.Length; i++)
        {
            if (body[i] != Filler(sequence, i))
            {
                throw Fail($"message #{sequence} corrupted at byte {i}");
            }
        }
        return sequence;
    }

    private static byte Filler(int sequence, int offset) => (byte)((sequence * 31) + offset);

    private static string Printable(ReadOnlySpan<byte> bytes) =>
        string.Concat(bytes.ToArray().Select(b => b is >= 0x20 and < 0x7f ? ((char)b).ToString() : string.Create(CultureInfo.InvariantCulture, $"\\x{b:x2}")));

    private static DemoCheckException Fail(string what) => new($"received {what}");
}
