namespace SpNet.Discovery;

/// <summary>A message whose first body byte says what the rest is (reply status, tunnel frame kind).</summary>
internal static class KindedMessage
{
    public static Message Create(byte kind, ReadOnlySpan<byte> rest)
    {
        Message message = Message.Create(rest.Length + 1);
        message.Body[0] = kind;
        rest.CopyTo(message.Body[1..]);
        return message;
    }
}
