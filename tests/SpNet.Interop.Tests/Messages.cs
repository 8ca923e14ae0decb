using SpNet.TestKit;

namespace SpNet.Interop.Tests;

internal static class Messages
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary><c>prefix-1</c> … <c>prefix-count</c>.</summary>
    public static string[] Numbered(string prefix, int count) =>
        [.. Enumerable.Range(1, count).Select(i => $"{prefix}-{i}")];

    public static async Task SendTextAsync(this Socket socket, string text) =>
        await socket.SendAsync(System.Text.Encoding.UTF8.GetBytes(text)).ConfigureAwait(false);

    public static async Task<string> ReceiveTextAsync(this Socket socket)
    {
        using Message message = await socket.ReceiveAsync().ConfigureAwait(false);
        return message.ToString();
    }

    /// <summary>
    /// Receives on <paramref name="socket"/> (failing fast if <paramref name="peer"/> dies) and checks the text; a
    /// mismatch fails with the peer's description.
    /// </summary>
    public static async Task ExpectReceiveAsync(this PeerProcess peer, Socket socket, string expected)
    {
        string actual = await peer.GuardAsync(socket.ReceiveTextAsync(), what: $"receive <{expected}>").ConfigureAwait(false);
        Assert.True(actual == expected, $"SpNet received <{actual}> where <{expected}> was expected; peer {peer.Describe()}");
    }

    /// <summary>
    /// Waits until <paramref name="peer"/> (a receiving <paramref name="cat"/>) has printed exactly <paramref name="expected"/>,
    /// in order; a peer that was given <c>--count</c> must then exit successfully having printed nothing more.
    /// </summary>
    public static async Task ExpectAllMessagesAsync(this PeerProcess peer, Cat cat, string[] expected)
    {
        await peer.ExpectMessagesAsync(expected).ConfigureAwait(false);
        if (cat.HasCount)
        {
            await peer.WaitForSuccessAsync().ConfigureAwait(false);
            Assert.Equal(expected.Length, peer.OutputLines.Count);
        }
    }
}
