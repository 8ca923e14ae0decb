namespace SpNet.Core;

/// <summary>
/// What a pipe may call on the socket that owns it. Pipes never see the socket type itself, so a
/// transport cannot re-enter the public API.
/// </summary>
internal interface IPipeHost
{
    /// <summary>A whole message arrived; ownership passes to the host. Completes synchronously unless the host applies backpressure.</summary>
    ValueTask DeliverAsync(Pipe pipe, Message message);

    /// <summary>The pipe's send queue drained; senders waiting for room may retry.</summary>
    void OnWritable(Pipe pipe);

    /// <summary>The pipe closed (called once).</summary>
    void OnClosed(Pipe pipe);

    /// <summary>Counters shared by the socket's pipes.</summary>
    SocketStatistics Statistics { get; }
}
