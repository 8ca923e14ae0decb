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
    private void WriteStats(SocketStatistics s) => WriteError(FormatStats(s));

    /// <summary>
    /// --pipe-events: one line per pipe added or removed, e.g. <c>pipe: removed id=42 remote=tcp://10.0.0.2:5555
    /// endpoint=tcp://10.0.0.2:5555</c>, flushed at once so a watcher sees it when it happens. Raised on I/O threads,
    /// so writes are serialized.
    /// </summary>
    private void WritePipeEvent(string what, PipeEventArgs e)
    {
        WriteError(string.Create(CultureInfo.InvariantCulture, $"pipe: {what} id={e.PipeId} remote={e.RemoteAddress} endpoint={e.EndpointUrl}\n"));
    }

    /// <summary>
    /// Writes and flushes <paramref name="text"/> on standard error as one piece: pipe events arrive on I/O threads,
    /// and a line of theirs must never split a stats or error line (an injected writer need not be thread-safe).
    /// </summary>
    private void WriteError(string text)
    {
        lock (_stderrGate)
        {
            _stderr.Write(text);
            _stderr.Flush();
        }
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
