using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;

namespace SpNet.Transports.Ws;

/// <summary>
/// The RFC 6455 opening handshake as the SP WebSocket mapping uses it: the subprotocol names the listener's
/// protocol (<c>rep.sp.nanomsg.org</c> when a REQ dials), no SP header follows.
/// </summary>
internal static class WsHandshake
{
    private const string Guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>The WebSocket over <paramref name="stream"/> once the upgrade succeeded, on either side.</summary>
    public static WebSocket Open(Stream stream, bool isServer, string subProtocol) =>
        WebSocket.CreateFromStream(stream, new WebSocketCreationOptions
        {
            IsServer = isServer,
            SubProtocol = subProtocol,
            KeepAliveInterval = TimeSpan.Zero, // NNG and nanomsg send no pings; neither do we
        });

    /// <summary>
    /// Throws what a failed upgrade means to the endpoint, on either side: a cancellation when the caller had not
    /// canceled (<paramref name="callerCanceled"/> false) is the handshake timeout running out (<paramref name="notDone"/> within it), an I/O error a lost connection
    /// (<paramref name="connectionFailed"/>). Returns for anything else, which the caller rethrows unchanged.
    /// </summary>
    public static void ThrowIfTimedOutOrReset(Exception ex, bool callerCanceled, TimeSpan handshakeTimeout, string notDone, string connectionFailed)
    {
        if (ex is OperationCanceledException && !callerCanceled)
        {
            throw new SpNetException(SpError.TimedOut, $"{notDone} within {handshakeTimeout.TotalSeconds:0.###} s", ex);
        }
        if (ex is IOException)
        {
            throw new SpNetException(SpError.ConnectionReset, $"{connectionFailed}: {ex.Message}", ex);
        }
    }

    /// <summary>The subprotocol for an SP protocol name, e.g. <c>rep.sp.nanomsg.org</c>.</summary>
    public static string SubProtocol(string protocolName) => $"{protocolName}.sp.nanomsg.org";

    /// <summary>A fresh random <c>Sec-WebSocket-Key</c> (16 random bytes, base64: 24 characters).</summary>
    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));

    /// <summary>The <c>Sec-WebSocket-Accept</c> answer to <paramref name="key"/>: base64(SHA-1(key ‖ GUID)).</summary>
#pragma warning disable CA5350 // RFC 6455 prescribes SHA-1 here; it proves a WebSocket-aware server, not secrecy
    public static string AcceptFor(string key) => Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + Guid)));
#pragma warning restore CA5350

    /// <summary>True when <paramref name="key"/> is base64 for exactly 16 bytes, as RFC 6455 requires.</summary>
    public static bool IsValidKey(string? key)
    {
        if (key is null || key.Length != 24)
        {
            return false;
        }
        Span<byte> decoded = stackalloc byte[18];
        return Convert.TryFromBase64String(key, decoded, out int written) && written == 16;
    }

    /// <summary>The <c>Host</c> value NNG sends: host (IPv6 in brackets), then <c>:port</c> unless it is the scheme's default.</summary>
    public static string HostField(SpUrl url, int defaultPort)
    {
        string host = url.Host.Contains(':', StringComparison.Ordinal) ? $"[{url.Host}]" : url.Host;
        return url.Port == defaultPort ? host : $"{host}:{url.Port.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>The upgrade request a dialer sends, field for field in NNG's order.</summary>
    public static byte[] Request(string path, string host, string key, string subProtocol) => Encoding.ASCII.GetBytes(
        $"GET {path} HTTP/1.1\r\n" +
        $"Host: {host}\r\n" +
        "Upgrade: websocket\r\n" +
        "Connection: Upgrade\r\n" +
        $"Sec-WebSocket-Key: {key}\r\n" +
        "Sec-WebSocket-Version: 13\r\n" +
        $"Sec-WebSocket-Protocol: {subProtocol}\r\n" +
        "\r\n");

    /// <summary>The 101 answer a listener sends.</summary>
    public static byte[] Accepted(string key, string subProtocol) => Encoding.ASCII.GetBytes(
        "HTTP/1.1 101 Switching Protocols\r\n" +
        "Upgrade: websocket\r\n" +
        "Connection: Upgrade\r\n" +
        $"Sec-WebSocket-Accept: {AcceptFor(key)}\r\n" +
        $"Sec-WebSocket-Protocol: {subProtocol}\r\n" +
        "\r\n");

    /// <summary>A path for matching: query and fragment removed, trailing <c>/</c> ignored (so <c>/</c> and empty are equal).</summary>
    public static string NormalizePath(string path)
    {
        int cut = path.IndexOfAny(['?', '#']);
        if (cut >= 0)
        {
            path = path[..cut];
        }
        return path.TrimEnd('/');
    }

    /// <summary>
    /// NNG's Host check: a listener whose URL names a host serves only requests whose <c>Host</c> (port removed)
    /// names the same host: IP literals compared as addresses, names case-insensitively. A wildcard host serves any.
    /// </summary>
    public static bool HostMatches(string? listenerHost, string? hostField)
    {
        if (string.IsNullOrEmpty(listenerHost) || listenerHost == "*")
        {
            return true;
        }
        if (string.IsNullOrEmpty(hostField))
        {
            return false;
        }
        string host = hostField;
        if (host.StartsWith('['))
        {
            int close = host.IndexOf(']', StringComparison.Ordinal);
            host = close > 0 ? host[1..close] : host;
        }
        else
        {
            int colon = host.LastIndexOf(':');
            if (colon >= 0 && host.IndexOf(':', StringComparison.Ordinal) == colon)
            {
                host = host[..colon];
            }
        }
        if (IPAddress.TryParse(host, out IPAddress? requested) && IPAddress.TryParse(listenerHost, out IPAddress? own))
        {
            return requested.Equals(own);
        }
        return host.Equals(listenerHost, StringComparison.OrdinalIgnoreCase);
    }
}
