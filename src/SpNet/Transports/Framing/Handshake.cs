using System.Buffers.Binary;

namespace SpNet.Transports.Framing;

/// <summary>
/// The 8-byte SP connection header of the TCP, TLS and IPC mappings: <c>00 'S' 'P' 00 proto-hi proto-lo 00 00</c>.
/// Both sides send theirs at once, then read the peer's.
/// </summary>
internal static class Handshake
{
    public const int Size = 8;

    /// <summary>Writes our header for <paramref name="protocol"/> into <paramref name="destination"/>.</summary>
    public static void Write(Span<byte> destination, ushort protocol)
    {
        destination[0] = 0;
        destination[1] = (byte)'S';
        destination[2] = (byte)'P';
        destination[3] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], protocol);
        destination[6] = 0;
        destination[7] = 0;
    }

    /// <summary>Validates a received header and returns the peer's protocol id; throws <see cref="SpNetException"/> (Protocol) if malformed.</summary>
    public static ushort Parse(ReadOnlySpan<byte> header)
    {
        if (header.Length < Size)
        {
            throw new SpNetException(SpError.Protocol, "SP header truncated");
        }
        if (header[0] != 0 || header[1] != (byte)'S' || header[2] != (byte)'P')
        {
            throw new SpNetException(SpError.Protocol, $"not an SP peer (header {Convert.ToHexString(header[..Size])})");
        }
        if (header[3] != 0)
        {
            throw new SpNetException(SpError.Protocol, $"unsupported SP version {header[3]}");
        }
        if (header[6] != 0 || header[7] != 0)
        {
            throw new SpNetException(SpError.Protocol, "reserved bytes of the SP header are not zero");
        }
        return BinaryPrimitives.ReadUInt16BigEndian(header[4..]);
    }

    /// <summary>
    /// Sends <paramref name="header"/> with one synchronous socket send and returns how many bytes the kernel took (the
    /// caller writes the rest asynchronously). These are the connection's first bytes, so its send buffer is empty and
    /// the kernel takes all 8 at once. Sending them through the stream's async path instead gave the socket a send
    /// operation (~0.4 KB) that a pipe which never sends again (PULL, SUB) or only writes inline kept for its life.
    /// </summary>
    private static int SendAtOnce(System.Net.Sockets.Socket socket, byte[] header, string url)
    {
        int sent = socket.Send(header, System.Net.Sockets.SocketFlags.None, out System.Net.Sockets.SocketError error);
        return error switch
        {
            System.Net.Sockets.SocketError.Success => sent,
            System.Net.Sockets.SocketError.WouldBlock => 0,
            _ => throw new SpNetException(SpError.ConnectionReset, $"{url}: connection failed during the SP handshake: {error}"),
        };
    }

    /// <summary>
    /// Exchanges headers over <paramref name="stream"/> within <paramref name="timeout"/> and returns the peer's protocol id.
    /// </summary>
    public static async ValueTask<ushort> ExchangeAsync(Stream stream, ushort selfProtocol, TimeSpan timeout, string url, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[Size];
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout > TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            cts.CancelAfter(timeout);
        }
        try
        {
            Write(buffer, selfProtocol);
            int sent = stream is System.Net.Sockets.NetworkStream network ? SendAtOnce(network.Socket, buffer, url) : 0;
            if (sent < Size)
            {
                await stream.WriteAsync(buffer.AsMemory(sent), cts.Token).ConfigureAwait(false);
            }
            await stream.ReadExactlyAsync(buffer, cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SpNetException(SpError.TimedOut, $"{url}: no SP header from the peer within {timeout.TotalSeconds:0.###} s");
        }
        catch (EndOfStreamException ex)
        {
            throw new SpNetException(SpError.ConnectionShutdown, $"{url}: peer closed during the SP handshake", ex);
        }
        catch (IOException ex)
        {
            throw new SpNetException(SpError.ConnectionReset, $"{url}: connection failed during the SP handshake: {ex.Message}", ex);
        }
        try
        {
            return Parse(buffer);
        }
        catch (SpNetException ex)
        {
            throw new SpNetException(ex.Error, $"{url}: {ex.Message}", ex);
        }
    }
}
