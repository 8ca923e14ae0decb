using System.Text;

namespace SpNet.Discovery;

/// <summary>
/// A topic message on the wire: the topic in UTF-8, a zero byte, then the body. SUB filters on the topic plus the zero
/// byte, so topic "a" never matches "ab". Any SP subscriber can follow a topic this way (nngcat: <c>--subscribe</c>).
/// </summary>
internal static class TopicFormat
{
    public static byte[] Prefix(string topic)
    {
        Check(topic);
        byte[] prefix = new byte[Encoding.UTF8.GetByteCount(topic) + 1];
        Encoding.UTF8.GetBytes(topic, prefix);
        return prefix;
    }

    public static Message Encode(byte[] prefix, ReadOnlySpan<byte> body)
    {
        Message message = Message.Create(prefix.Length + body.Length);
        prefix.CopyTo(message.Body);
        body.CopyTo(message.Body[prefix.Length..]);
        return message;
    }

    /// <summary>Splits a message into topic and body; false when it has no zero byte.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> message, out string topic, out byte[] body)
    {
        int zero = message.IndexOf((byte)0);
        if (zero < 0)
        {
            topic = "";
            body = [];
            return false;
        }
        topic = Encoding.UTF8.GetString(message[..zero]);
        body = message[(zero + 1)..].ToArray();
        return true;
    }

    public static void Check(string topic)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        if (topic.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("a topic cannot contain a zero character", nameof(topic));
        }
    }
}
