using SpNet.Transports.Ws;

namespace SpNet.Fuzz.Targets;

/// <summary>
/// The ws upgrade head, as the listener reads it off a connection (HttpHead.ReadAsync: up to the blank line, bounded)
/// and then parses it as a request, and as the dialer parses the listener's answer. Whatever is accepted must answer
/// every question the listener and dialer ask of it.
/// </summary>
internal static class WsHeadTarget
{
    public static void Run(byte[] input)
    {
        using var stream = new Support.ChunkedStream(input, input.Length);
        (byte[]? head, ArraySegment<byte> extra, bool tooLarge) = HttpHead.ReadAsync(stream, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        if (head is null)
        {
            Contract.Require(tooLarge == (input.Length >= HttpHead.MaxSize && input.AsSpan(0, HttpHead.MaxSize).IndexOf("\r\n\r\n"u8) < 0),
                $"no head, too large: {tooLarge}, for {input.Length} bytes");
            Contract.Require(tooLarge || input.AsSpan().IndexOf("\r\n\r\n"u8) < 0, "a complete head was not found");
        }
        else
        {
            Contract.Require(head.Length + 4 + extra.Count <= input.Length, "head and extra exceed the input");
            Contract.Require(input.AsSpan(0, head.Length).SequenceEqual(head), "the head is not the input's start");
        }
        foreach (bool response in new[] { false, true })
        {
            HttpHead? parsed = HttpHead.Parse(head ?? input, response);
            if (parsed is null)
            {
                continue;
            }
            Contract.Require(parsed.First is not null, "accepted a head without a first token");
            _ = parsed["Host"];
            _ = parsed.HasToken("Connection", "Upgrade");
            _ = parsed.HasToken("Upgrade", "websocket");
            _ = WsHandshake.IsValidKey(parsed["Sec-WebSocket-Key"]);
            _ = WsHandshake.HostMatches("127.0.0.1", parsed["Host"]);
            if (!response)
            {
                _ = WsHandshake.NormalizePath(parsed.Second); // the listener routes on it
            }
        }
    }
}
