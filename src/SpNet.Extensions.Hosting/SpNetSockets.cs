using Microsoft.Extensions.Logging;

namespace SpNet.Extensions.Hosting;

/// <summary>
/// The host's named sockets, created from their <see cref="SocketSettings"/> with a logger from the host's
/// <see cref="ILoggerFactory"/> (category <c>SpNet.Sockets.&lt;name&gt;</c>). Each socket is also a keyed service:
/// <c>[FromKeyedServices("name")] Socket socket</c>. Listening and dialing start with the host; disposing closes all.
/// </summary>
public sealed class SpNetSockets : IAsyncDisposable
{
    private readonly Dictionary<string, (Socket Socket, SocketSettings Settings)> _sockets = new(StringComparer.Ordinal);

    internal SpNetSockets(SpNetSetup setup, ILoggerFactory loggerFactory)
    {
        try
        {
            foreach (var (name, settings) in setup.Sockets)
            {
                _sockets[name] = (Create(name, settings, loggerFactory.CreateLogger($"SpNet.Sockets.{name}")), settings);
            }
        }
        catch
        {
            foreach (var (socket, _) in _sockets.Values)
            {
                socket.Dispose();
            }
            throw;
        }
    }

    /// <summary>The configured socket names.</summary>
    public IReadOnlyCollection<string> Names => _sockets.Keys;

    /// <summary>The socket named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No socket has that name (the message lists the names that exist).</exception>
    public Socket this[string name] => _sockets.TryGetValue(name, out var entry)
        ? entry.Socket
        : throw new KeyNotFoundException($"no SpNet socket named '{name}' (configured: {string.Join(", ", _sockets.Keys)})");

    /// <summary>The socket named <paramref name="name"/> as its concrete type (e.g. <see cref="RepSocket"/>).</summary>
    /// <exception cref="InvalidCastException">It is another protocol.</exception>
    public T Get<T>(string name) where T : Socket => this[name] as T
        ?? throw new InvalidCastException($"SpNet socket '{name}' is a {this[name].ProtocolName} socket, not {typeof(T).Name}");

    /// <summary>Closes every socket (lingering as each socket's <see cref="Socket.Linger"/> says). Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var (socket, _) in _sockets.Values)
        {
            await socket.DisposeAsync().ConfigureAwait(false);
        }
    }

    internal IEnumerable<(string Name, Socket Socket, SocketSettings Settings)> All =>
        _sockets.Select(e => (e.Key, e.Value.Socket, e.Value.Settings));

    internal void StartAll()
    {
        foreach (var (_, socket, settings) in All)
        {
            foreach (string url in settings.Listen)
            {
                socket.Listen(url);
            }
            foreach (string url in settings.Dial)
            {
                socket.Dial(url);
            }
        }
    }

    private static Socket Create(string name, SocketSettings settings, ILogger logger)
    {
        Socket socket = SocketFactory.Create(settings.Protocol, settings.Raw);
        try
        {
            socket.Logger = logger;
            foreach (var (option, text) in settings.Options)
            {
                socket.SetOption(option, SocketFactory.OptionValue(text));
            }
            if (settings.Subscribe.Count > 0)
            {
                if (socket is not SubSocket sub)
                {
                    throw new SpNetException(SpError.InvalidArgument, $"SpNet socket '{name}': Subscribe needs a sub socket, not {socket.ProtocolName}");
                }
                foreach (string prefix in settings.Subscribe)
                {
                    sub.Subscribe(prefix);
                }
            }
            if (settings.Tls is not null)
            {
                socket.Tls = settings.Tls.ToOptions();
            }
            settings.Configure?.Invoke(socket);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
