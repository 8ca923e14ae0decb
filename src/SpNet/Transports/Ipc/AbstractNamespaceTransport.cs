using System.Net.Sockets;
using System.Text;

namespace SpNet.Transports.Ipc;

/// <summary>
/// <c>abstract://name</c>: the SP IPC mapping over a Linux abstract-namespace Unix socket (no file). The name is URL-decoded,
/// so <c>%00</c> is a NUL byte, as in NNG. Linux only; an empty name (kernel autobind) is not supported.
/// </summary>
internal sealed class AbstractNamespaceTransport : ITransport
{
    public IReadOnlyList<string> Schemes { get; } = ["abstract"];

    public ITransportDialer CreateDialer(SpUrl url, TransportSettings settings) => new IpcDialer(url.Original, Endpoint(url), settings);

    public ITransportListener CreateListener(SpUrl url, TransportSettings settings) => new IpcListener(url.Original, Endpoint(url), filePath: null, settings);

    private static UnixDomainSocketEndPoint Endpoint(SpUrl url)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new SpNetException(SpError.NotSupported, $"{url}: abstract:// sockets exist only on Linux");
        }
        string name;
        try
        {
            name = Uri.UnescapeDataString(url.Rest);
        }
        catch (UriFormatException ex)
        {
            throw new SpNetException(SpError.AddressInvalid, $"invalid address '{url}': {ex.Message}", ex);
        }
        if (name.Length == 0)
        {
            throw new SpNetException(SpError.NotSupported, $"{url}: an empty abstract name (autobind) is not supported");
        }
        if (Encoding.UTF8.GetByteCount(name) > IpcTransport.MaxPathBytes)
        {
            throw new SpNetException(SpError.AddressInvalid, $"invalid address '{url}': the name is longer than {IpcTransport.MaxPathBytes} bytes");
        }
        return new UnixDomainSocketEndPoint("\0" + name);
    }
}
