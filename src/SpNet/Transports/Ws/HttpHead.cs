using System.Globalization;
using System.Text;

namespace SpNet.Transports.Ws;

/// <summary>
/// The head of an HTTP/1.1 request or response, as far as a WebSocket upgrade needs it: the start line and the
/// header fields (names compared case-insensitively; repeated fields joined with <c>, </c>).
/// </summary>
internal sealed class HttpHead
{
    /// <summary>Largest head accepted, in bytes (request line, fields and the blank line).</summary>
    public const int MaxSize = 8 * 1024;

    private readonly Dictionary<string, string> _fields = new(StringComparer.OrdinalIgnoreCase);

    private HttpHead(string first, string second, string third)
    {
        First = first;
        Second = second;
        Third = third;
    }

    /// <summary>Request: the method. Response: the version.</summary>
    public string First { get; }

    /// <summary>Request: the target (path). Response: the status code.</summary>
    public string Second { get; }

    /// <summary>Request: the version. Response: the reason phrase.</summary>
    public string Third { get; }

    /// <summary>The value of a field, or null when absent.</summary>
    public string? this[string name] => _fields.TryGetValue(name, out string? value) ? value : null;

    /// <summary>True when the comma-separated field <paramref name="name"/> contains <paramref name="token"/> (case-insensitive).</summary>
    public bool HasToken(string name, string token)
    {
        string? value = this[name];
        if (value is null)
        {
            return false;
        }
        foreach (string part in value.Split(','))
        {
            if (part.Trim().Equals(token, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Parses a head (without the final blank line). Returns null when it is not HTTP/1.x: a malformed start line,
    /// a field without a colon, or control characters.
    /// </summary>
    public static HttpHead? Parse(ReadOnlySpan<byte> bytes, bool response)
    {
        foreach (byte b in bytes)
        {
            if (b < 0x20 && b is not ((byte)'\t' or (byte)'\r' or (byte)'\n') || b == 0x7F)
            {
                return null; // control characters: not HTTP (bytes 0x80 and up are allowed, as obs-text)
            }
        }
        string text = Encoding.Latin1.GetString(bytes);
        string[] lines = text.Split("\r\n");
        string[] start = lines[0].Split(' ', 3);
        if (start.Length < (response ? 2 : 3))
        {
            return null;
        }
        string version = response ? start[0] : start[2];
        if (!version.StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            return null;
        }
        if (response && (start[1].Length != 3 || !int.TryParse(start[1], NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            return null;
        }
        if (!response && (start[0].Length == 0 || start[1].Length == 0))
        {
            return null;
        }
        var head = new HttpHead(start[0], start[1], start.Length > 2 ? start[2] : "");
        for (int i = 1; i < lines.Length; i++)
        {
            string line = lines[i];
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || line[..colon].Contains(' ', StringComparison.Ordinal))
            {
                return null;
            }
            string name = line[..colon];
            string value = line[(colon + 1)..].Trim();
            head._fields[name] = head._fields.TryGetValue(name, out string? earlier) ? $"{earlier}, {value}" : value;
        }
        return head;
    }

    /// <summary>
    /// Reads a head from <paramref name="stream"/> up to and including the blank line; bytes read past it come back
    /// as <c>Extra</c>. <c>Head</c> is null when the peer closed first or the head exceeds <see cref="MaxSize"/>
    /// (<c>TooLarge</c> tells which). The read buffer goes back to the pool: <c>Head</c> and <c>Extra</c> are copies,
    /// since the stream that replays <c>Extra</c> lives as long as the connection (holding the 8 KiB buffer there
    /// cost every idle ws pipe 8 KiB).
    /// </summary>
    public static async ValueTask<(byte[]? Head, ArraySegment<byte> Extra, bool TooLarge)> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        byte[] buffer = BufferPool.Rent(MaxSize);
        try
        {
            int used = 0;
            while (true)
            {
                int read = await stream.ReadAsync(buffer.AsMemory(used, MaxSize - used), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return (null, default, false);
                }
                int from = Math.Max(0, used - 3);
                used += read;
                int end = buffer.AsSpan(from, used - from).IndexOf("\r\n\r\n"u8);
                if (end >= 0)
                {
                    end += from;
                    return (buffer[..end], new ArraySegment<byte>(buffer[(end + 4)..used]), false);
                }
                if (used == MaxSize)
                {
                    return (null, default, true);
                }
            }
        }
        finally
        {
            BufferPool.Return(buffer);
        }
    }

    /// <summary>Encodes a short error response that closes the connection: status line, a plain-text body naming the problem.</summary>
    public static byte[] ErrorResponse(int status, string reason, string detail, params string[] extraFields)
    {
        string body = $"{status.ToString(CultureInfo.InvariantCulture)} {reason}: {detail}\n";
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {reason}\r\n");
        foreach (string field in extraFields)
        {
            sb.Append(field).Append("\r\n");
        }
        sb.Append("Content-Type: text/plain; charset=UTF-8\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n");
        sb.Append("Connection: close\r\n\r\n");
        sb.Append(body);
        return Encoding.UTF8.GetBytes(sb.ToString());
    }
}
