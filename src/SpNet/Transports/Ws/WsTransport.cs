using System.Net;
using System.Net.Sockets;
using SpNet.Transports.Tls;

namespace SpNet.Transports.Ws;

/// <summary>
/// <c>ws://host[:port][/path]</c> (and NNG's <c>ws4://</c>, <c>ws6://</c>): the SP WebSocket mapping. Default port 80,
/// default path <c>/</c>. <c>wss://</c> (<c>wss4</c>, <c>wss6</c>; default port 443) is the same over TLS, configured by
/// <see cref="Socket.Tls"/>; <c>ws://*:port/path</c> listens on every interface. Listeners in one process may share a
/// port on different paths.
/// </summary>
internal sealed class WsTransport : ITransport
{
    /// <summary>Port used when a ws:// URL names none.</summary>
    public const int DefaultPort = 80;

    /// <summary>Port used when a wss:// URL names none.</summary>
    public const int DefaultSecurePort = 443;

    private readonly bool _secure;

    /// <summary>ws:// when <paramref name="secure"/> is false, wss:// (TLS under HTTP) when true.</summary>
    public WsTransport(bool secure = false)
    {
        _secure = secure;
        Schemes = secure ? ["wss", "wss4", "wss6"] : ["ws", "ws4", "ws6"];
    }

    public IReadOnlyList<string> Schemes { get; }

    private int Port => _secure ? DefaultSecurePort : DefaultPort;

    public ITransportDialer CreateDialer(SpUrl url, TransportSettings settings)
    {
        url.WithHostPort(Port);
        if (url.IsWildcardHost)
        {
            throw new SpNetException(SpError.AddressInvalid, $"{url}: a dialer needs a host name or address");
        }
        if (url.Port == 0)
        {
            throw new SpNetException(SpError.AddressInvalid, $"{url}: cannot dial port 0");
        }
        return new WsDialer(url, settings, Port, _secure);
    }

    public ITransportListener CreateListener(SpUrl url, TransportSettings settings)
    {
        url.WithHostPort(Port);
        if (_secure)
        {
            TlsStreamFactory.RequireServerCertificate(settings.Tls, url.Original);
        }
        return new WsListener(url, settings, _secure);
    }

    /// <summary>The address family a scheme ending in 4 or 6 restricts to, if any.</summary>
    internal static AddressFamily? FamilyOf(SpUrl url) => url.Scheme[^1] switch
    {
        '4' => AddressFamily.InterNetwork,
        '6' => AddressFamily.InterNetworkV6,
        _ => null,
    };

    /// <summary>Resolves the URL's host, honouring ws4/ws6; throws <see cref="SpNetException"/> (AddressInvalid) naming the host.</summary>
    internal static async ValueTask<IPAddress[]> ResolveAsync(SpUrl url, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(url.Host, out IPAddress? literal))
        {
            return [literal];
        }
        try
        {
            IPAddress[] all = await Dns.GetHostAddressesAsync(url.Host, FamilyOf(url) ?? AddressFamily.Unspecified, cancellationToken).ConfigureAwait(false);
            return all.Length > 0 ? all : throw new SpNetException(SpError.AddressInvalid, $"{url}: host '{url.Host}' has no addresses");
        }
        catch (SocketException ex)
        {
            throw new SpNetException(SpError.AddressInvalid, $"{url}: cannot resolve host '{url.Host}': {ex.Message}", ex);
        }
    }
}
