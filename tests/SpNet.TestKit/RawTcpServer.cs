using System.Net;
using System.Net.Sockets;

namespace SpNet.TestKit;

/// <summary>
/// A plain TCP server on 127.0.0.1 port 0 that runs <c>onConnection</c> for every accepted connection, so a
/// SpNet dialer can be pointed at a peer that misbehaves on purpose. Counts connections.
/// </summary>
public sealed class RawTcpServer : IAsyncDisposable
{
    private readonly System.Net.Sockets.Socket _listener;
    private readonly Func<RawSpPeer, Task> _onConnection;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<RawSpPeer> _peers = [];
    private int _accepted;

    /// <summary>Binds and starts accepting.</summary>
    public RawTcpServer(Func<RawSpPeer, Task> onConnection)
    {
        _onConnection = onConnection;
        _listener = new System.Net.Sockets.Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(16);
        Url = $"tcp://127.0.0.1:{((IPEndPoint)_listener.LocalEndPoint!).Port}";
        _loop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The URL to dial.</summary>
    public string Url { get; }

    /// <summary>Connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            System.Net.Sockets.Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception)
            {
                return;
            }
            var peer = RawSpPeer.Wrap(socket);
            lock (_peers)
            {
                _peers.Add(peer);
            }
            Interlocked.Increment(ref _accepted);
            _ = Task.Run(async () =>
            {
                try
                {
                    await _onConnection(peer).ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // The peer's behaviour is the test's business; failures show up in its assertions.
                }
            });
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        await _loop.ConfigureAwait(false);
        lock (_peers)
        {
            foreach (RawSpPeer peer in _peers)
            {
                peer.Dispose();
            }
        }
        _stop.Dispose();
    }
}
