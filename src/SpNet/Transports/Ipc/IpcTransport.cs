using System.Net.Sockets;
using System.Text;

namespace SpNet.Transports.Ipc;

/// <summary>
/// <c>ipc://path</c> (and NNG's alias <c>unix://path</c>): the SP IPC mapping over a Unix domain stream socket, with the
/// type byte 0x01 before each message. <c>ipc:///tmp/x.sock</c> is absolute, <c>ipc://x.sock</c> relative to the working
/// directory. Windows named pipes are not implemented.
/// </summary>
internal sealed class IpcTransport : ITransport
{
    /// <summary>Bytes of <c>sun_path</c> usable for a path (108 minus the terminating NUL).</summary>
    internal const int MaxPathBytes = 107;

    public IReadOnlyList<string> Schemes { get; } = ["ipc", "unix"];

    public ITransportDialer CreateDialer(SpUrl url, TransportSettings settings) => new IpcDialer(url.Original, Endpoint(url), settings);

    public ITransportListener CreateListener(SpUrl url, TransportSettings settings)
    {
        var endpoint = Endpoint(url);
        return new IpcListener(url.Original, endpoint, filePath: url.Rest, settings);
    }

    private static UnixDomainSocketEndPoint Endpoint(SpUrl url)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
        {
            throw new SpNetException(SpError.NotSupported, $"{url}: ipc:// is implemented only on Unix (Windows named pipes are not supported)");
        }
        string path = url.Rest;
        if (path.Length == 0)
        {
            throw new SpNetException(SpError.AddressInvalid, $"invalid address '{url}': an ipc path is required");
        }
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new SpNetException(SpError.AddressInvalid, $"invalid address '{url}': NUL in an ipc path");
        }
        if (Encoding.UTF8.GetByteCount(path) > MaxPathBytes)
        {
            throw new SpNetException(SpError.AddressInvalid, $"invalid address '{url}': the path is longer than {MaxPathBytes} bytes");
        }
        return new UnixDomainSocketEndPoint(path);
    }

    /// <summary>Turns a socket error on a Unix socket into an SpNet error code; a missing path is a refusal, as in NNG.</summary>
    internal static SpError Translate(SocketError error) => error switch
    {
        SocketError.ConnectionRefused or SocketError.AddressNotAvailable => SpError.ConnectionRefused,
        SocketError.AddressAlreadyInUse => SpError.AddressInUse,
        SocketError.AccessDenied => SpError.Permission,
        SocketError.ConnectionReset => SpError.ConnectionReset,
        SocketError.TimedOut => SpError.TimedOut,
        _ => SpError.ConnectionAborted,
    };
}
