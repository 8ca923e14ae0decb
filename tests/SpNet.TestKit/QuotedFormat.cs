using System.Globalization;
using System.Text;

namespace SpNet.TestKit;

/// <summary>
/// Reads the <c>--quoted</c>/<c>-Q</c> output of nngcat and nanocat: one message per line, in double quotes, with
/// C escapes (<c>\"</c>, <c>\\</c>, <c>\n</c>, <c>\r</c>, <c>\t</c>, <c>\xHH</c>) for everything else.
/// </summary>
public static class QuotedFormat
{
    /// <summary>The message bytes of one quoted line.</summary>
    /// <exception cref="FormatException">The line is not a quoted message.</exception>
    public static byte[] DecodeBytes(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Length < 2 || line[0] != '"' || line[^1] != '"')
        {
            throw new FormatException($"not a quoted message: <{line}>");
        }
        var bytes = new List<byte>(line.Length);
        for (int i = 1; i < line.Length - 1; i++)
        {
            char c = line[i];
            if (c != '\\')
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
                continue;
            }
            if (++i >= line.Length - 1)
            {
                throw new FormatException($"dangling escape in <{line}>");
            }
            switch (line[i])
            {
                case 'n': bytes.Add((byte)'\n'); break;
                case 'r': bytes.Add((byte)'\r'); break;
                case 't': bytes.Add((byte)'\t'); break;
                case '0': bytes.Add(0); break;
                case 'x' when i + 2 <= line.Length - 2:
                    bytes.Add(byte.Parse(line.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 2;
                    break;
                default: bytes.Add((byte)line[i]); break;
            }
        }
        return [.. bytes];
    }

    /// <summary>The message of one quoted line as UTF-8 text.</summary>
    public static string Decode(string line) => Encoding.UTF8.GetString(DecodeBytes(line));

    /// <summary>The messages of several quoted lines as UTF-8 text.</summary>
    public static IReadOnlyList<string> DecodeAll(IEnumerable<string> lines) => [.. lines.Select(Decode)];
}
