using SpNet.Core;
using SpNet.Internal;
using SpNet.Transports;

namespace SpNet;

/// <summary>
/// Accepts connections on a bound address; any number of peers may connect. Created by <see cref="Socket.Listen"/>.
/// Each new connection completes its SP handshake on its own task, so a peer that never sends its header only
/// delays itself (and is dropped after <see cref="Socket.HandshakeTimeout"/>).
/// </summary>
public sealed class Listener : IEndpoint
{
    private readonly Socket _socket;
    private readonly ITransportListener _transport;
    private readonly Socket.PipeHost _host;
    private readonly EndpointLoop _loop;
    private int _pending;

    internal Listener(Socket socket, ITransportListener transport, Socket.PipeHost host)
    {
        _socket = socket;
        _transport = transport;
        _host = host;
        _loop = new EndpointLoop(OnStopped);
    }

    /// <summary>The bound address; when the URL asked for port 0 this names the port actually bound.</summary>
    public string Url => _transport.Url;

    /// <summary>Stops accepting. Pipes already made stay open until the socket closes. Idempotent.</summary>
    public void Close() => _loop.Stop();

    /// <summary>Closes the listener and waits for its accept loop to end.</summary>
    public ValueTask DisposeAsync() => _loop.DisposeAsync();

    /// <inheritdoc />
    public override string ToString() => $"listener {Url}";

    internal void Start() => _loop.Start(AcceptLoopAsync);

    private void OnStopped()
    {
        _transport.Dispose();
        _socket.ForgetEndpoint(this);
    }

    private async Task AcceptLoopAsync()
    {
        CancellationToken stop = _loop.Token;
        while (!stop.IsCancellationRequested)
        {
            IPendingPipe pending;
            try
            {
                pending = await _transport.AcceptAsync(stop).ConfigureAwait(false);
            }
            catch (Exception ex) when (stop.IsCancellationRequested || ex is ObjectDisposedException)
            {
                return;
            }
            catch (Exception ex)
            {
                // Out of file descriptors and the like: log, pause briefly, keep serving.
                if (_host.Logger is not null)
                {
                    Log.AcceptFailed(_host.Logger, Url, ex.Message);
                }
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                continue;
            }
            Interlocked.Increment(ref _pending);
            _ = NegotiateAsync(pending, stop);
        }
    }

    private async Task NegotiateAsync(IPendingPipe pending, CancellationToken stop)
    {
        try
        {
            Pipe pipe = await pending.NegotiateAsync(stop).ConfigureAwait(false);
            if (_loop.IsStopped)
            {
                pipe.Close();
                return;
            }
            _host.Attach(pipe, this);
        }
        catch (Exception ex) when (!stop.IsCancellationRequested)
        {
            _host.Statistics.RecordHandshakeFailure();
            if (ex is SpNetException { Error: SpError.Protocol })
            {
                _host.Statistics.RecordProtocolError();
            }
            if (_host.Logger is not null)
            {
                Log.HandshakeFailed(_host.Logger, Url, pending.RemoteAddress, ex.Message);
            }
        }
        catch (Exception)
        {
            // Shutting down: the connection is already being torn down.
        }
        finally
        {
            Interlocked.Decrement(ref _pending);
        }
    }
}
