namespace SpNet;

/// <summary>
/// Forwards messages between two raw sockets whose protocols are each other's peers (a raw REP front and a raw REQ
/// back, a raw RESPONDENT and a raw SURVEYOR, …), as <c>nng_device</c>: one loop per direction moves header and
/// body unchanged, best effort. Raw REP/RESPONDENT add their pipe id on the way in and consume it on the way out,
/// so replies find their way back through any number of devices, each hop counted against MaxTtl.
/// </summary>
public static class Device
{
    /// <summary>
    /// Runs the device until <paramref name="cancellationToken"/> is canceled (the task then ends canceled) or either
    /// socket closes (the task completes). With <paramref name="b"/> null the device is a reflector: what
    /// <paramref name="a"/> receives it sends back out (only for protocols that are their own peer, such as raw PAIR or BUS).
    /// </summary>
    /// <exception cref="SpNetException"><see cref="SpError.InvalidArgument"/>: a socket is not raw, or the protocols are not peers.</exception>
    public static Task RunAsync(Socket a, Socket? b, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(a);
        Validate(a, b);
        return RunCoreAsync(a, b ?? a, b is null, cancellationToken);
    }

    private static async Task RunCoreAsync(Socket a, Socket b, bool reflector, CancellationToken cancellationToken)
    {
        // When one direction ends (a socket closed) the other is stopped through 'stop'; the caller's token
        // cancels both and the task then ends canceled.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task forward = ForwardAsync(a, b, stop);
        Task backward = reflector ? Task.CompletedTask : ForwardAsync(b, a, stop);
        try
        {
            await Task.WhenAll(forward, backward).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    private static void Validate(Socket a, Socket? b)
    {
        if (!a.IsRaw || (b is not null && !b.IsRaw))
        {
            throw new SpNetException(SpError.InvalidArgument, "a device needs raw sockets (CreateRaw)");
        }
        Socket other = b ?? a;
        if (a.PeerId != other.ProtocolId || other.PeerId != a.ProtocolId)
        {
            throw new SpNetException(SpError.InvalidArgument, b is null
                ? $"a reflector needs a protocol that is its own peer; {a.ProtocolName} is not"
                : $"{a.ProtocolName} and {b.ProtocolName} are not peers");
        }
    }

    /// <summary>Moves messages one way until a socket closes or <paramref name="stop"/> is canceled; either way ends both directions.</summary>
    private static async Task ForwardAsync(Socket from, Socket to, CancellationTokenSource stop)
    {
        await Task.Yield();
        CancellationToken token = stop.Token;
        while (true)
        {
            Message message;
            try
            {
                message = await from.ReceiveAsync(token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException || (ex is SpNetException sp && sp.Error == SpError.Closed))
            {
                await stop.CancelAsync().ConfigureAwait(false);
                return;
            }
            try
            {
                await to.SendAsync(message, token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException || (ex is SpNetException sp && sp.Error == SpError.Closed))
            {
                message.Dispose();
                await stop.CancelAsync().ConfigureAwait(false);
                return;
            }
            catch (SpNetException)
            {
                message.Dispose(); // best effort: one message lost, the device goes on
            }
            catch
            {
                message.Dispose();
                throw;
            }
        }
    }
}
