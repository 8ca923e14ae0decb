namespace SpNet.Discovery;

/// <summary>
/// A node's topic publisher: one PUB socket listening on its own address, listed with every registry (or the backend) under
/// <see cref="ServiceMeta.TopicsService"/> so every subscriber dials it. Fire-and-forget, like PUB: a subscriber not yet
/// connected, or one too slow to keep up, misses messages.
/// </summary>
internal sealed class TopicPublisher : IAsyncDisposable
{
    private readonly PubSocket _socket = new() { Linger = TimeSpan.Zero };
    private readonly ServiceRegistration _registration;

    public TopicPublisher(string address, TlsOptions? tls, IDiscoveryBackend backend)
    {
        _socket.Tls = tls;
        Url = _socket.Listen(address).Url;
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        if (ClusterTls.NameOf(tls) is { } name)
        {
            meta[ServiceMeta.TlsName] = name;
        }
        var member = new ServiceMember(ServiceMeta.TopicsService, Url, meta);
        _registration = ServiceRegistration.Start(backend, member);
    }

    public string Url { get; }

    public PubSocket Socket => _socket;

    public ValueTask PublishAsync(byte[] prefix, ReadOnlySpan<byte> body, CancellationToken cancellationToken) =>
        _socket.SendAsync(TopicFormat.Encode(prefix, body), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _registration.DisposeAsync().ConfigureAwait(false);
        await _socket.DisposeAsync().ConfigureAwait(false);
    }
}
