namespace SpNet.Discovery;

/// <summary>The connection under a <see cref="Tunnel"/>: the client's own PAIR1 socket, or one pipe of the host's polyamorous PAIR1 socket.</summary>
internal interface ITunnelLink : IAsyncDisposable
{
    /// <summary>Sends one frame (ownership passes on success). Throws <see cref="SpNetException"/> when the connection is gone.</summary>
    ValueTask SendAsync(Message frame, CancellationToken cancellationToken);
}
