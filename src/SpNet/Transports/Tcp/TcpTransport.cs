using System.Net;
using System.Net.Sockets;

namespace SpNet.Transports.Tcp;

/// <summary>
/// <c>tcp://</c> (and NNG's <c>tcp4://</c>, <c>tcp6://</c>): the SP TCP mapping over loopback or the network,
/// with TCP_NODELAY on so an idle pipe sends at once.
/// </summary>
internal sealed class TcpTransport : ITransport
{
    public IReadOnlyList<string> Schemes { get; } = ["tcp", "tcp4", "tcp6"];

    public ITransportDialer CreateDialer(SpUrl url, TransportSettings settings)
    {
        url.WithHostPort();
        if (url.IsWildcardHost)
        {
            throw new SpNetException(SpError.AddressInvalid, $"{url}: a dialer needs a host name or address");
        }
        if (url.Port == 0)
        {
            throw new SpNetException(SpError.AddressInvalid, $"{url}: cannot dial port 0");
        }
        return new TcpDialer(url, settings);
    }

    public ITransportListener CreateListener(SpUrl url, TransportSettings settings)
    {
        url.WithHostPort();
        return new TcpListener(url, settings);
    }

    /// <summary>The address family that the scheme restricts to, if any.</summary>
    internal static AddressFamily? FamilyOf(SpUrl url) => url.Scheme switch
    {
        "tcp4" or "tls+tcp4" => AddressFamily.InterNetwork,
        "tcp6" or "tls+tcp6" => AddressFamily.InterNetworkV6,
        _ => null,
    };

    /// <summary>Resolves a host to addresses, honouring tcp4/tcp6; throws <see cref="SpNetException"/> (AddressInvalid) naming the host.</summary>
    internal static async ValueTask<IPAddress[]> ResolveAsync(SpUrl url, CancellationToken cancellationToken)
    {
        AddressFamily? family = FamilyOf(url);
        if (IPAddress.TryParse(url.Host, out IPAddress? literal))
        {
            return [literal];
        }
        try
        {
            IPAddress[] all = await Dns.GetHostAddressesAsync(url.Host, family ?? AddressFamily.Unspecified, cancellationToken).ConfigureAwait(false);
            if (all.Length == 0)
            {
                throw new SpNetException(SpError.AddressInvalid, $"{url}: host '{url.Host}' has no addresses");
            }
            return all;
        }
        catch (SocketException ex)
        {
            throw new SpNetException(SpError.AddressInvalid, $"{url}: cannot resolve host '{url.Host}': {ex.Message}", ex);
        }
    }

    /// <summary>Turns a socket error into an SpNet error code.</summary>
    internal static SpError Translate(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => SpError.ConnectionRefused,
        SocketError.AddressAlreadyInUse => SpError.AddressInUse,
        SocketError.AddressNotAvailable => SpError.AddressInvalid,
        SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.HostNotFound => SpError.Unreachable,
        SocketError.TimedOut => SpError.TimedOut,
        SocketError.ConnectionReset => SpError.ConnectionReset,
        SocketError.ConnectionAborted => SpError.ConnectionAborted,
        SocketError.AccessDenied => SpError.Permission,
        _ => SpError.ConnectionAborted,
    };
}
