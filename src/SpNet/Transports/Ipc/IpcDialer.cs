using System.Net.Sockets;
using SpNet.Core;
using SpNet.Transports.Framing;

namespace SpNet.Transports.Ipc;

/// <summary>Connects to an ipc:// or abstract:// address, then performs the SP handshake.</summary>
internal sealed class IpcDialer(string url, UnixDomainSocketEndPoint endpoint, TransportSettings settings) : ITransportDialer
{
    public async ValueTask<Pipe> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            SpError error = IpcTransport.Translate(ex.SocketErrorCode);
            string cause = error == SpError.ConnectionRefused ? "connection refused" : ex.Message;
            throw new SpNetException(error, $"{url}: {cause}", ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return await IpcListener.NegotiateAsync(socket, url, settings, cancellationToken).ConfigureAwait(false);
    }
}
