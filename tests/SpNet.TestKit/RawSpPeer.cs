using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace SpNet.TestKit;

/// <summary>
/// A hand-driven SP peer over a plain <see cref="System.Net.Sockets.Socket"/>: it writes exactly the bytes a test
/// asks for (good or bad), so tests can check the wire format and how SpNet treats misbehaving peers.
/// Every read is bounded in time.
/// </summary>
public sealed class RawSpPeer : IDisposable
{
    private readonly System.Net.Sockets.Socket _socket;

    private RawSpPeer(System.Net.Sockets.Socket socket) => _socket = socket;

    /// <summary>The underlying socket.</summary>
    public System.Net.Sockets.Socket Socket => _socket;

    /// <summary>Connects to a bound <c>tcp://</c> URL without sending anything.</summary>
    public static Task<RawSpPeer> ConnectAsync(string url) => ConnectAsync(Addresses.EndPointOf(url), ProtocolType.Tcp);

    /// <summary>Connects to the socket file of an <c>ipc://</c> listener without sending anything.</summary>
    public static Task<RawSpPeer> ConnectUnixAsync(string path) => ConnectAsync(new UnixDomainSocketEndPoint(path), ProtocolType.Unspecified);

    private static async Task<RawSpPeer> ConnectAsync(EndPoint endPoint, ProtocolType protocol)
    {
        var socket = new System.Net.Sockets.Socket(endPoint.AddressFamily, SocketType.Stream, protocol);
        try
        {
            if (protocol == ProtocolType.Tcp)
            {
                socket.NoDelay = true;
            }
            await socket.ConnectAsync(endPoint).WaitAsync(Eventually.DefaultTimeout).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new RawSpPeer(socket);
    }

    /// <summary>Wraps an accepted socket (for raw servers).</summary>
    public static RawSpPeer Wrap(System.Net.Sockets.Socket socket) => new(socket);

    /// <summary>Connects, sends the SP header for <paramref name="protocol"/>, and reads and returns the peer's header.</summary>
    public static async Task<(RawSpPeer Peer, byte[] PeerHeader)> ConnectAndHandshakeAsync(string url, ushort protocol)
    {
        RawSpPeer peer = await ConnectAsync(url).ConfigureAwait(false);
        try
        {
            return (peer, await peer.HandshakeAsync(protocol).ConfigureAwait(false));
        }
        catch
        {
            peer.Dispose();
            throw;
        }
    }

    /// <summary>Sends the SP header for <paramref name="protocol"/> and reads and returns the peer's header.</summary>
    public async Task<byte[]> HandshakeAsync(ushort protocol)
    {
        await SendAsync(Header(protocol)).ConfigureAwait(false);
        return await ReceiveExactlyAsync(8).ConfigureAwait(false);
    }

    /// <summary>The 8-byte SP header: <c>00 53 50 00 pp pp 00 00</c>.</summary>
    public static byte[] Header(ushort protocol) => [0x00, 0x53, 0x50, 0x00, (byte)(protocol >> 8), (byte)protocol, 0x00, 0x00];

    /// <summary>A TCP frame: u64 BE length, then the payload.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> payload)
    {
        byte[] frame = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt64BigEndian(frame, (ulong)payload.Length);
        payload.CopyTo(frame.AsSpan(8));
        return frame;
    }

    /// <summary>Concatenates u32 BE tags and a body: a request as REQ or a device would send it.</summary>
    public static byte[] Tagged(ReadOnlySpan<uint> tags, ReadOnlySpan<byte> body)
    {
        byte[] payload = new byte[(4 * tags.Length) + body.Length];
        for (int i = 0; i < tags.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(4 * i), tags[i]);
        }
        body.CopyTo(payload.AsSpan(4 * tags.Length));
        return payload;
    }

    /// <summary>Writes raw bytes.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        int sent = 0;
        while (sent < bytes.Length)
        {
            sent += await _socket.SendAsync(bytes[sent..]).AsTask().WaitAsync(Eventually.DefaultTimeout).ConfigureAwait(false);
        }
    }

    /// <summary>Writes one TCP frame holding <paramref name="payload"/>.</summary>
    public Task SendFrameAsync(ReadOnlySpan<byte> payload) => SendAsync(Frame(payload));

    /// <summary>Reads exactly <paramref name="count"/> bytes; throws <see cref="EndOfStreamException"/> if the peer closes first, <see cref="TimeoutException"/> after the bound.</summary>
    public async Task<byte[]> ReceiveExactlyAsync(int count, TimeSpan? timeout = null)
    {
        byte[] buffer = new byte[count];
        using var cts = new CancellationTokenSource(timeout ?? Eventually.DefaultTimeout);
        int got = 0;
        try
        {
            while (got < count)
            {
                int n = await _socket.ReceiveAsync(buffer.AsMemory(got), SocketFlags.None, cts.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    throw new EndOfStreamException($"peer closed after {got} of {count} bytes");
                }
                got += n;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"only {got} of {count} bytes arrived in time");
        }
        return buffer;
    }

    /// <summary>Reads one TCP frame and returns its payload (SP header ‖ body).</summary>
    public async Task<byte[]> ReceiveFrameAsync(TimeSpan? timeout = null)
    {
        byte[] prefix = await ReceiveExactlyAsync(8, timeout).ConfigureAwait(false);
        ulong length = BinaryPrimitives.ReadUInt64BigEndian(prefix);
        if (length > 16 * 1024 * 1024)
        {
            throw new InvalidDataException($"implausible frame length {length}");
        }
        return await ReceiveExactlyAsync((int)length, timeout).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads and discards until the remote end closes the connection (EOF or reset). True if it closed within
    /// the bound, false if it was still open.
    /// </summary>
    public async Task<bool> WaitForRemoteCloseAsync(TimeSpan? timeout = null)
    {
        byte[] sink = new byte[4096];
        using var cts = new CancellationTokenSource(timeout ?? Eventually.DefaultTimeout);
        try
        {
            while (true)
            {
                int n = await _socket.ReceiveAsync(sink, SocketFlags.None, cts.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    return true;
                }
            }
        }
        catch (SocketException)
        {
            return true; // reset by the remote end
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Kills the connection abruptly: linger 0, so the kernel sends RST instead of FIN.</summary>
    public void Abort()
    {
        try
        {
            _socket.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException)
        {
            // Already gone.
        }
        _socket.Dispose();
    }

    /// <inheritdoc />
    public void Dispose() => _socket.Dispose();
}
