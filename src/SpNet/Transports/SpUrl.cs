using System.Globalization;

namespace SpNet.Transports;

/// <summary>
/// A parsed SP address: <c>scheme://host:port/path</c> for network transports, <c>scheme://name</c> for inproc and ipc.
/// The parser accepts NNG's spellings: <c>[::1]</c> for IPv6, <c>*</c> or an empty host for "all interfaces".
/// </summary>
internal sealed class SpUrl
{
    private SpUrl(string original, string scheme, string rest)
    {
        Original = original;
        Scheme = scheme;
        Rest = rest;
    }

    /// <summary>The URL as given.</summary>
    public string Original { get; }

    /// <summary>Lower-case scheme, e.g. <c>tcp</c>.</summary>
    public string Scheme { get; }

    /// <summary>Everything after <c>://</c>.</summary>
    public string Rest { get; }

    /// <summary>Host part without brackets; empty or <c>*</c> means any interface.</summary>
    public string Host { get; private set; } = "";

    /// <summary>Port, or -1 when none was given.</summary>
    public int Port { get; private set; } = -1;

    /// <summary>Path starting with '/', or empty.</summary>
    public string Path { get; private set; } = "";

    /// <summary>True when the host is empty or <c>*</c>.</summary>
    public bool IsWildcardHost => Host.Length == 0 || Host == "*";

    /// <summary>Splits off the scheme; throws <see cref="SpNetException"/> (AddressInvalid) when there is none.</summary>
    public static SpUrl Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        int sep = url.IndexOf("://", StringComparison.Ordinal);
        if (sep <= 0)
        {
            throw new SpNetException(SpError.AddressInvalid, $"'{url}' is not an SP URL (expected scheme://address)");
        }
        return new SpUrl(url, url[..sep].ToLowerInvariant(), url[(sep + 3)..]);
    }

    /// <summary>Parses <see cref="Rest"/> as <c>host:port[/path]</c>; the port is required unless <paramref name="defaultPort"/> is given.</summary>
    public SpUrl WithHostPort(int defaultPort = -1)
    {
        string rest = Rest;
        int slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            Path = rest[slash..];
            rest = rest[..slash];
        }
        string portText;
        if (rest.StartsWith('['))
        {
            int close = rest.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw Invalid("unterminated IPv6 address");
            }
            Host = rest[1..close];
            string after = rest[(close + 1)..];
            if (after.Length > 0 && after[0] != ':')
            {
                throw Invalid("junk after the IPv6 address");
            }
            portText = after.Length > 0 ? after[1..] : "";
        }
        else
        {
            int colon = rest.LastIndexOf(':');
            if (colon < 0)
            {
                Host = rest;
                portText = "";
            }
            else
            {
                Host = rest[..colon];
                portText = rest[(colon + 1)..];
                if (Host.Contains(':', StringComparison.Ordinal))
                {
                    throw Invalid("an IPv6 address must be written in brackets, e.g. [::1]:5555");
                }
            }
        }
        if (portText.Length == 0)
        {
            if (defaultPort < 0)
            {
                throw Invalid("a port is required");
            }
            Port = defaultPort;
        }
        else if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
        {
            throw Invalid($"'{portText}' is not a valid port");
        }
        else
        {
            Port = port;
        }
        return this;
    }

    /// <summary>Builds the URL text for a bound listener (same scheme and host as given, with the real port).</summary>
    public string WithPort(int port)
    {
        string host = Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;
        return $"{Scheme}://{host}:{port.ToString(CultureInfo.InvariantCulture)}{Path}";
    }

    /// <inheritdoc />
    public override string ToString() => Original;

    private SpNetException Invalid(string why) => new(SpError.AddressInvalid, $"invalid address '{Original}': {why}");
}
