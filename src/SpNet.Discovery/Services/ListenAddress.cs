namespace SpNet.Discovery;

/// <summary>Derives the address of a host's further listeners from its request address.</summary>
internal static class ListenAddress
{
    /// <summary>
    /// The same scheme and host with port 0 for TCP-like URLs (<c>tcp://h:5555</c> → <c>tcp://h:0</c>); for path-like
    /// URLs (ipc, inproc) the path with <paramref name="suffix"/> appended.
    /// </summary>
    public static string Sibling(string url, string suffix)
    {
        int scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0 && url[..scheme] is "tcp" or "tcp4" or "tcp6" or "tls+tcp" or "tls+tcp4" or "tls+tcp6" or "ws" or "wss")
        {
            int hostStart = scheme + 3;
            int pathStart = url.IndexOf('/', hostStart);
            string authority = pathStart < 0 ? url[hostStart..] : url[hostStart..pathStart];
            int colon = authority.LastIndexOf(':');
            string host = colon > 0 && !authority.EndsWith(']') ? authority[..colon] : authority;
            return $"{url[..hostStart]}{host}:0{(pathStart < 0 ? "" : url[pathStart..])}";
        }
        return $"{url}.{suffix}";
    }
}
