using System.Net;
using System.Net.Sockets;
using SpNet.Core;
using SpNet.Transports.Framing;

namespace SpNet.Transports.Tcp;

/// <summary>Connects to a tcp:// address, trying each resolved address in turn, then performs the SP handshake.</summary>
internal sealed class TcpDialer : ITransportDialer
{
    private readonly SpUrl _url;
    private readonly TransportSettings _settings;

    public TcpDialer(SpUrl url, TransportSettings settings)
    {
        _url = url;
        _settings = settings;
    }

    public async ValueTask<Pipe> ConnectAsync(CancellationToken cancellationToken)
    {
        System.Net.Sockets.Socket socket = await ConnectSocketAsync(cancellationToken).ConfigureAwait(false);
        return await TcpListener.NegotiateAsync(socket, _url.Original, _settings, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Makes the TCP connection only (tls+tcp layers TLS on it); throws <see cref="SpNetException"/> naming the URL.</summary>
    internal async ValueTask<System.Net.Sockets.Socket> ConnectSocketAsync(CancellationToken cancellationToken)
    {
        IPAddress[] addresses = await TcpTransport.ResolveAsync(_url, cancellationToken).ConfigureAwait(false);
        return await ConnectAnyAsync(_url, addresses, _settings, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Connects to the first of <paramref name="addresses"/> that accepts (ws and wss resolve their own way, then
    /// connect as tcp does); throws <see cref="SpNetException"/> naming the URL with the last failure.
    /// </summary>
    internal static async ValueTask<System.Net.Sockets.Socket> ConnectAnyAsync(SpUrl url, IPAddress[] addresses, TransportSettings settings, CancellationToken cancellationToken)
    {
        SocketException? last = null;
        foreach (IPAddress address in addresses)
        {
            var socket = new System.Net.Sockets.Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                // Before connecting, so a user timeout also bounds the SYN retransmissions of a silent network.
                settings.Tcp.Apply(socket);
                await socket.ConnectAsync(new IPEndPoint(address, url.Port), cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
                continue;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
            return socket;
        }
        SpError error = last is null ? SpError.Unreachable : TcpTransport.Translate(last.SocketErrorCode);
        string cause = error == SpError.ConnectionRefused ? "connection refused" : last?.Message ?? "no address";
        throw new SpNetException(error, $"{url}: {cause}", last);
    }
}
