using System.Diagnostics;

namespace SpNet.Cli;

// The send and receive loops, one per protocol shape, timed as nngcat times them.
public sealed partial class CatApp
{
    private Task RunLoopAsync(Socket socket, CancellationToken cancellationToken)
    {
        CatOptions o = _options;
        switch (o.Protocol)
        {
            case CatProtocol.Sub0:
            case CatProtocol.Pull0:
                return ReceiveLoopAsync(socket, cancellationToken);
            case CatProtocol.Rep0:
            case CatProtocol.Respondent0:
                return o.Data is null ? ReceiveLoopAsync(socket, cancellationToken) : ReplyLoopAsync(socket, o.Data, cancellationToken);
            case CatProtocol.Push0:
            case CatProtocol.Pub0:
                return SendLoopAsync(socket, o.Data!, cancellationToken);
            case CatProtocol.Pair0:
            case CatProtocol.Pair1:
            case CatProtocol.Bus0:
            case CatProtocol.Star:
                return o.Data is null ? ReceiveLoopAsync(socket, cancellationToken) : SendReceiveLoopAsync(socket, o.Data, cancellationToken);
            default:
                return SendReceiveLoopAsync(socket, o.Data!, cancellationToken);
        }
    }

    /// <summary>Prints messages until --count is reached, or a receive times out or has nothing more to wait for.</summary>
    private async Task ReceiveLoopAsync(Socket socket, CancellationToken cancellationToken)
    {
        int count = _options.Count;
        for (int iterations = 0; count <= 0 || iterations < count; iterations++)
        {
            if (await ReceiveOrEndAsync(socket, cancellationToken).ConfigureAwait(false) is not { } message)
            {
                return;
            }
            Print(message);
        }
    }

    /// <summary>
    /// The next message to print, or null once a receive times out or has nothing more to wait for (no request or
    /// survey outstanding): the loop then ends quietly. Any other error ends the run as a receive error.
    /// </summary>
    private static async Task<Message?> ReceiveOrEndAsync(Socket socket, CancellationToken cancellationToken)
    {
        try
        {
            return await socket.ReceiveAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SpNetException ex) when (ex.Error is SpError.TimedOut or SpError.IncorrectState)
        {
            return null;
        }
        catch (SpNetException ex)
        {
            throw new CatUsageException($"Receive error: {ErrorText.Of(ex)}", ex);
        }
    }

    /// <summary>REP with data: print each request and answer it with the data.</summary>
    private async Task ReplyLoopAsync(Socket socket, byte[] data, CancellationToken cancellationToken)
    {
        int count = _options.Count;
        for (int iterations = 0; count <= 0 || iterations < count; iterations++)
        {
            Message message;
            try
            {
                message = await socket.ReceiveAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SpNetException ex)
            {
                throw new CatUsageException($"Receive error: {ErrorText.Of(ex)}", ex);
            }
            Print(message);
            await SendAsync(socket, data, last: false, cancellationToken).ConfigureAwait(false);
        }
        await Task.Delay(DrainTime, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>PUB and PUSH: send the data once, or --count times, every --interval.</summary>
    private async Task SendLoopAsync(Socket socket, byte[] data, CancellationToken cancellationToken)
    {
        CatOptions o = _options;
        if (o.Delay > TimeSpan.Zero)
        {
            await Task.Delay(o.Delay, cancellationToken).ConfigureAwait(false);
        }
        for (int iterations = 1; ; iterations++)
        {
            long start = Stopwatch.GetTimestamp();
            bool last = (o.Interval is null && o.Count == 0) || (o.Count > 0 && iterations >= o.Count);
            await SendAsync(socket, data, last, cancellationToken).ConfigureAwait(false);
            if (last)
            {
                break;
            }
            await SleepRestOfIntervalAsync(start, cancellationToken).ConfigureAwait(false);
        }
        await Task.Delay(DrainTime, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// REQ, SURVEYOR and PAIR with data: send, print what comes back until the next send is due, repeat. A survey's
    /// answers end with its survey time (TimedOut, or IncorrectState once it has passed), as in nngcat.
    /// </summary>
    private async Task SendReceiveLoopAsync(Socket socket, byte[] data, CancellationToken cancellationToken)
    {
        CatOptions o = _options;
        if (o.Delay > TimeSpan.Zero)
        {
            await Task.Delay(o.Delay, cancellationToken).ConfigureAwait(false);
        }
        TimeSpan? receiveTimeout = o.ReceiveTimeout is { } t && t > TimeSpan.Zero ? t : null;
        for (int iterations = 1; ; iterations++)
        {
            long start = Stopwatch.GetTimestamp();
            await SendAsync(socket, data, (o.Interval is null && o.Count == 0) || (o.Count > 0 && iterations >= o.Count), cancellationToken).ConfigureAwait(false);
            if (o.Interval is null && o.Count == 0)
            {
                await ReceiveLoopAsync(socket, cancellationToken).ConfigureAwait(false);
                return;
            }
            while (true)
            {
                // Receive until the next send is due (or --recv-timeout, if shorter). nngcat 1.5.2 fails here with
                // "Cannot set recv timeout" when --count comes without --interval; spcat then waits for the reply.
                TimeSpan expire = Timeout.InfiniteTimeSpan;
                if (o.Interval is { } interval)
                {
                    expire = interval - Stopwatch.GetElapsedTime(start);
                    if (expire < TimeSpan.Zero)
                    {
                        expire = TimeSpan.Zero;
                    }
                }
                if (receiveTimeout is { } limit && (expire == Timeout.InfiniteTimeSpan || expire > limit))
                {
                    expire = limit;
                }
                socket.ReceiveTimeout = expire;
                if (await ReceiveOrEndAsync(socket, cancellationToken).ConfigureAwait(false) is not { } message)
                {
                    break;
                }
                Print(message);
            }
            if (o.Count > 0 && iterations >= o.Count)
            {
                return;
            }
            await SleepRestOfIntervalAsync(start, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SleepRestOfIntervalAsync(long start, CancellationToken cancellationToken)
    {
        if (_options.Interval is not { } interval)
        {
            return;
        }
        TimeSpan rest = interval - Stopwatch.GetElapsedTime(start);
        if (rest > TimeSpan.Zero)
        {
            await Task.Delay(rest, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends the data. The last send gives the array itself away instead of copying it, so a large --file is held
    /// once, not twice; the data must not be used after it (a file sent repeatedly is copied for each earlier send).
    /// </summary>
    private static async Task SendAsync(Socket socket, byte[] data, bool last, CancellationToken cancellationToken)
    {
        try
        {
            if (last && data.Length > 0)
            {
                Message message = Message.Adopt(data);
                try
                {
                    await socket.SendAsync(message, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    message.Dispose();
                    throw;
                }
            }
            else
            {
                await socket.SendAsync(data, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (SpNetException ex)
        {
            throw new CatUsageException($"Send error: {ErrorText.Of(ex)}", ex);
        }
    }

    private void Print(Message message)
    {
        using (message)
        {
            OutputFormatter.Write(_stdout, message.Body, _options.Format);
        }
    }
}
