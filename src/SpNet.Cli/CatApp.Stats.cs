using System.Globalization;

namespace SpNet.Cli;

// --stats: the socket's counters on standard error when the run ends (normally or with an error).
public sealed partial class CatApp
{
    /// <summary>
    /// Writes five "stats:" lines, one per group of counters (pipes, messages, bytes, errors, connects), each as
    /// <c>name=value</c> pairs, so <c>grep '^stats:'</c> picks them out of stderr. Written after the socket closed,
    /// before any error line.
    /// </summary>
    private async Task WriteStatsAsync(SocketStatistics s)
    {
        string text = FormatStats(s);
        await _stderr.WriteAsync(text).ConfigureAwait(false);
        await _stderr.FlushAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>The --stats block for <paramref name="s"/>, newline-terminated.</summary>
    public static string FormatStats(SocketStatistics s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"stats: pipes opened={s.PipesOpened} closed={s.PipesClosed} rejected={s.PipesRejected}\n" +
            $"stats: messages sent={s.MessagesSent} received={s.MessagesReceived} dropped={s.MessagesDropped}\n" +
            $"stats: bytes sent={s.BytesSent} received={s.BytesReceived}\n" +
            $"stats: errors protocol={s.ProtocolErrors} oversized={s.OversizedMessages} handshake={s.HandshakeFailures} connection={s.ConnectionErrors}\n" +
            $"stats: connects attempts={s.ConnectAttempts} failed={s.ConnectFailures}\n");
    }
}
