using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using NetworkStream = System.Net.Sockets.NetworkStream;
using SpNet.Core;
using SpNet.Transports.Framing;
using SpNet.Transports.Tcp;

namespace SpNet.Transports.Tls;

/// <summary>
/// <c>tls+tcp://host:port</c> (and NNG's <c>tls+tcp4://</c>, <c>tls+tcp6://</c>): TCP connect, then a TLS 1.2/1.3 handshake,
/// then the TCP mapping unchanged inside the TLS stream. Settings come from <see cref="Socket.Tls"/>.
/// </summary>
internal sealed class TlsTransport : ITransport
{
    private readonly TcpTransport _tcp = new();

    public IReadOnlyList<string> Schemes { get; } = ["tls+tcp", "tls+tcp4", "tls+tcp6"];

    public ITransportDialer CreateDialer(SpUrl url, TransportSettings settings) =>
        new TlsDialer(url, settings, (TcpDialer)_tcp.CreateDialer(url, settings));

    public ITransportListener CreateListener(SpUrl url, TransportSettings settings)
    {
        TlsStreamFactory.RequireServerCertificate(settings.Tls, url.Original);
        return new TlsListener(settings, (TcpListener)_tcp.CreateListener(url, settings));
    }

    /// <summary>Runs TLS then the SP handshake over a connected socket, both within the handshake timeout; closes the socket on failure.</summary>
    internal static async ValueTask<Pipe> NegotiateAsync(System.Net.Sockets.Socket socket, string url, string? serverHost, TransportSettings settings, CancellationToken cancellationToken)
    {
        string local = socket.LocalEndPoint?.ToString() ?? "";
        string remote = socket.RemoteEndPoint?.ToString() ?? "";
        var tcp = new NetworkStream(socket, ownsSocket: true);
        SslStream tls = serverHost is null
            ? await TlsStreamFactory.AuthenticateAsServerAsync(tcp, url, settings.Tls!, settings.HandshakeTimeout, cancellationToken).ConfigureAwait(false)
            : await TlsStreamFactory.AuthenticateAsClientAsync(tcp, url, serverHost, settings.Tls, settings.HandshakeTimeout, cancellationToken).ConfigureAwait(false);
        Pipe pipe = await StreamPipe.OpenAsync(tls, ipc: false, url, $"tls+tcp://{local}", $"tls+tcp://{remote}", settings, cancellationToken).ConfigureAwait(false);
        pipe.TcpSocket = socket;
        // A copy: the SslStream disposes its own when the pipe closes, and PipeRemoved handlers may still read it.
        pipe.RemoteCertificate = tls.RemoteCertificate is { } peer ? X509CertificateLoader.LoadCertificate(peer.GetRawCertData()) : null;
        return pipe;
    }

    private sealed class TlsDialer(SpUrl url, TransportSettings settings, TcpDialer tcp) : ITransportDialer
    {
        public async ValueTask<Pipe> ConnectAsync(CancellationToken cancellationToken)
        {
            System.Net.Sockets.Socket socket = await tcp.ConnectSocketAsync(cancellationToken).ConfigureAwait(false);
            return await NegotiateAsync(socket, url.Original, url.Host, settings, cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class TlsListener(TransportSettings settings, TcpListener tcp) : ITransportListener
    {
        public string Url => tcp.Url;

        public void Bind() => tcp.Bind();

        public async ValueTask<IPendingPipe> AcceptAsync(CancellationToken cancellationToken)
        {
            System.Net.Sockets.Socket accepted = await tcp.AcceptSocketAsync(cancellationToken).ConfigureAwait(false);
            return new Pending(accepted, Url, settings);
        }

        public void Dispose() => tcp.Dispose();
    }

    private sealed class Pending(System.Net.Sockets.Socket socket, string url, TransportSettings settings) : IPendingPipe
    {
        public string RemoteAddress { get; } = socket.RemoteEndPoint?.ToString() ?? "";

        public ValueTask<Pipe> NegotiateAsync(CancellationToken cancellationToken)
        {
            TcpListener.Tune(socket, settings);
            return TlsTransport.NegotiateAsync(socket, url, serverHost: null, settings, cancellationToken);
        }
    }
}
