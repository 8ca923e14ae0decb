using System.Buffers;

namespace SpNet.Cli;

/// <summary>Renders message bodies exactly as nngcat 1.5.2 prints them (C locale: printable means 0x20 to 0x7e).</summary>
public static class OutputFormatter
{
    private static ReadOnlySpan<byte> HexDigits => "0123456789abcdef"u8;

    /// <summary>Writes <paramref name="body"/> in <paramref name="format"/> to <paramref name="output"/> and flushes it.</summary>
    public static void Write(Stream output, ReadOnlySpan<byte> body, OutputFormat format)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (format is OutputFormat.None or OutputFormat.No)
        {
            return;
        }
        byte[] rented = ArrayPool<byte>.Shared.Rent(MaxLength(body.Length, format));
        try
        {
            int length = Format(body, format, rented);
            output.Write(rented, 0, length);
            output.Flush();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Returns the bytes <see cref="Write"/> would print for <paramref name="body"/>.</summary>
    public static byte[] Format(ReadOnlySpan<byte> body, OutputFormat format)
    {
        if (format is OutputFormat.None or OutputFormat.No)
        {
            return [];
        }
        byte[] buffer = new byte[MaxLength(body.Length, format)];
        int length = Format(body, format, buffer);
        return buffer.AsSpan(0, length).ToArray();
    }

    private static int MaxLength(int bodyLength, OutputFormat format) => format switch
    {
        OutputFormat.Quoted or OutputFormat.Hex => (bodyLength * 4) + 3,
        OutputFormat.MsgPack => bodyLength + 5,
        _ => bodyLength,
    };

    private static bool IsPrintable(byte b) => b is >= 0x20 and <= 0x7e;

    private static int Format(ReadOnlySpan<byte> body, OutputFormat format, Span<byte> to)
    {
        int n = 0;
        switch (format)
        {
            case OutputFormat.Raw:
                body.CopyTo(to);
                return body.Length;
            case OutputFormat.Ascii:
                foreach (byte b in body)
                {
                    to[n++] = IsPrintable(b) ? b : (byte)'.';
                }
                return n;
            case OutputFormat.Quoted:
                to[n++] = (byte)'"';
                foreach (byte b in body)
                {
                    switch (b)
                    {
                        case (byte)'\n': to[n++] = (byte)'\\'; to[n++] = (byte)'n'; break;
                        case (byte)'\r': to[n++] = (byte)'\\'; to[n++] = (byte)'r'; break;
                        case (byte)'\t': to[n++] = (byte)'\\'; to[n++] = (byte)'t'; break;
                        case (byte)'"' or (byte)'\\': to[n++] = (byte)'\\'; to[n++] = b; break;
                        default:
                            if (IsPrintable(b))
                            {
                                to[n++] = b;
                            }
                            else
                            {
                                n = WriteHexEscape(b, to, n);
                            }
                            break;
                    }
                }
                to[n++] = (byte)'"';
                to[n++] = (byte)'\n';
                return n;
            case OutputFormat.Hex:
                to[n++] = (byte)'"';
                foreach (byte b in body)
                {
                    n = WriteHexEscape(b, to, n);
                }
                to[n++] = (byte)'"';
                to[n++] = (byte)'\n';
                return n;
            case OutputFormat.MsgPack:
                int length = body.Length;
                if (length < 256)
                {
                    to[n++] = 0xc4;
                    to[n++] = (byte)length;
                }
                else if (length < 65536)
                {
                    to[n++] = 0xc5;
                    to[n++] = (byte)(length >> 8);
                    to[n++] = (byte)length;
                }
                else
                {
                    to[n++] = 0xc6;
                    to[n++] = (byte)(length >> 24);
                    to[n++] = (byte)(length >> 16);
                    to[n++] = (byte)(length >> 8);
                    to[n++] = (byte)length;
                }
                body.CopyTo(to[n..]);
                return n + length;
            default:
                return 0;
        }
    }

    private static int WriteHexEscape(byte b, Span<byte> to, int n)
    {
        to[n++] = (byte)'\\';
        to[n++] = (byte)'x';
        to[n++] = HexDigits[b >> 4];
        to[n++] = HexDigits[b & 0xf];
        return n;
    }
}
