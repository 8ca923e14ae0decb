using SpNet.Transports.Inproc;
using SpNet.Transports.Ipc;
using SpNet.Transports.Tcp;
using SpNet.Transports.Tls;
using SpNet.Transports.Ws;

namespace SpNet.Transports;

/// <summary>
/// Maps URL schemes to transports. Registration is explicit (no reflection) so trimming and AOT keep working.
/// </summary>
internal static class TransportRegistry
{
    private static readonly Dictionary<string, ITransport> s_bySchema = Build();

    private static Dictionary<string, ITransport> Build()
    {
        var map = new Dictionary<string, ITransport>(StringComparer.Ordinal);
        foreach (ITransport t in new ITransport[] { new TcpTransport(), new InprocTransport(), new TlsTransport(), new IpcTransport(), new AbstractNamespaceTransport(), new WsTransport(), new WsTransport(secure: true) })
        {
            foreach (string scheme in t.Schemes)
            {
                map[scheme] = t;
            }
        }
        return map;
    }

    /// <summary>All schemes known, for error messages and docs.</summary>
    public static IEnumerable<string> Schemes => s_bySchema.Keys;

    /// <summary>Finds the transport for <paramref name="url"/> or throws <see cref="SpNetException"/> (NotSupported).</summary>
    public static ITransport Find(SpUrl url) =>
        s_bySchema.TryGetValue(url.Scheme, out ITransport? t)
            ? t
            : throw new SpNetException(SpError.NotSupported, $"{url}: unsupported transport '{url.Scheme}' (supported: {string.Join(", ", s_bySchema.Keys.Order())})");
}
