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
}
