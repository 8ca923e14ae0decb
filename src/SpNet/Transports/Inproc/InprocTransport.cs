using System.Collections.Concurrent;
using System.Threading.Channels;
using SpNet.Core;

namespace SpNet.Transports.Inproc;

/// <summary>
/// <c>inproc://name</c>: two sockets in one process, joined by a pair of in-memory pipes. Messages move as
/// objects; nothing is serialized. Names form one process-wide namespace, as in NNG.
/// </summary>
internal sealed class InprocTransport : ITransport
{
    private static readonly ConcurrentDictionary<string, InprocListener> s_listeners = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Schemes { get; } = ["inproc"];

    public ITransportDialer CreateDialer(SpUrl url, TransportSettings settings) => new InprocDialer(Name(url), url.Original, settings);

    public ITransportListener CreateListener(SpUrl url, TransportSettings settings) => new InprocListener(Name(url), url.Original, settings);

    private static string Name(SpUrl url) =>
        url.Rest.Length > 0 ? url.Rest : throw new SpNetException(SpError.AddressInvalid, $"{url}: inproc needs a name");

    private sealed class InprocDialer(string name, string url, TransportSettings settings) : ITransportDialer
    {
        public ValueTask<Pipe> ConnectAsync(CancellationToken cancellationToken)
        {
            if (!s_listeners.TryGetValue(name, out InprocListener? listener) || !listener.TryConnect(settings, out Pipe? ours))
            {
                throw new SpNetException(SpError.ConnectionRefused, $"{url}: connection refused (no inproc listener)");
            }
            return ValueTask.FromResult(ours);
        }
    }

    private sealed class InprocListener(string name, string url, TransportSettings settings) : ITransportListener
    {
        private readonly Channel<Pipe> _accepted = Channel.CreateUnbounded<Pipe>();
        private int _bound;

        public string Url => url;

        public void Bind()
        {
            if (!s_listeners.TryAdd(name, this))
            {
                throw new SpNetException(SpError.AddressInUse, $"{url}: cannot listen: address in use");
            }
            _bound = 1;
        }

        public bool TryConnect(TransportSettings dialerSettings, out Pipe dialerEnd)
        {
            var (client, server) = InprocPipe.CreatePair(dialerSettings.SelfProtocol, settings.SelfProtocol, url, dialerSettings.SendQueueCapacity, settings.SendQueueCapacity);
            dialerEnd = client;
            if (!_accepted.Writer.TryWrite(server))
            {
                client.Close();
                return false;
            }
            return true;
        }

        public async ValueTask<IPendingPipe> AcceptAsync(CancellationToken cancellationToken)
        {
            Pipe pipe = await _accepted.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return new Ready(pipe);
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _bound, 0) == 1)
            {
                s_listeners.TryRemove(new KeyValuePair<string, InprocListener>(name, this));
            }
            _accepted.Writer.TryComplete();
            while (_accepted.Reader.TryRead(out Pipe? p))
            {
                p.Close();
            }
        }
    }

    private sealed class Ready(Pipe pipe) : IPendingPipe
    {
        public string RemoteAddress => pipe.RemoteAddress;

        public ValueTask<Pipe> NegotiateAsync(CancellationToken cancellationToken) => ValueTask.FromResult(pipe);
    }
}
