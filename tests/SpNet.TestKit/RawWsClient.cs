using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SpNet.TestKit;

/// <summary>
/// A hand-driven WebSocket client for tests: writes HTTP requests and frames byte by byte and reads the answers
/// raw, so tests can see status lines, frame sizes and opcodes that a real client library hides.
/// </summary>
public sealed class RawWsClient : IDisposable
{
    private RawWsClient(RawSpPeer peer) => Peer = peer;

    /// <summary>The underlying connection (raw reads and writes, close detection).</summary>
    public RawSpPeer Peer { get; }

    /// <summary>Connects to 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task<RawWsClient> ConnectAsync(int port)
    {
        var socket = new System.Net.Sockets.Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).WaitAsync(Eventually.DefaultTimeout).ConfigureAwait(false);
        return new RawWsClient(RawSpPeer.Wrap(socket));
    }

    /// <summary>The upgrade request an SP dialer sends, with a fixed key (<c>dGhlIHNhbXBsZSBub25jZQ==</c>).</summary>
    public static string UpgradeRequest(string path, string host, string? subProtocol) =>
        $"GET {path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
        (subProtocol is null ? "" : $"Sec-WebSocket-Protocol: {subProtocol}\r\n") + "\r\n";

    /// <summary>Writes text as Latin-1 bytes.</summary>
    public Task SendTextAsync(string text) => Peer.SendAsync(Encoding.Latin1.GetBytes(text));

    /// <summary>Reads an HTTP head up to the blank line and returns it (without the blank line).</summary>
    public async Task<string> ReadHeadAsync(TimeSpan? timeout = null)
    {
        var head = new StringBuilder();
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (head.Length > 16 * 1024)
            {
                throw new InvalidDataException("HTTP head over 16 KiB");
            }
            byte[] one = await Peer.ReceiveExactlyAsync(1, timeout).ConfigureAwait(false);
            head.Append((char)one[0]);
        }
        return head.ToString(0, head.Length - 4);
    }

    /// <summary>Reads a head and returns the status code of its status line.</summary>
    public async Task<int> ReadStatusAsync(TimeSpan? timeout = null)
    {
        string head = await ReadHeadAsync(timeout).ConfigureAwait(false);
        string[] parts = head.Split(' ', 3);
        return int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Reads one frame (unmasked, as a server sends): FIN bit, opcode and payload.</summary>
    public async Task<(bool Fin, int Opcode, byte[] Payload)> ReadFrameAsync(TimeSpan? timeout = null)
    {
        byte[] start = await Peer.ReceiveExactlyAsync(2, timeout).ConfigureAwait(false);
        bool fin = (start[0] & 0x80) != 0;
        int opcode = start[0] & 0x0F;
        if ((start[1] & 0x80) != 0)
        {
            throw new InvalidDataException("a server frame must not be masked");
        }
        long length = start[1] & 0x7F;
        if (length == 126)
        {
            length = BinaryPrimitives.ReadUInt16BigEndian(await Peer.ReceiveExactlyAsync(2, timeout).ConfigureAwait(false));
        }
        else if (length == 127)
        {
            length = (long)BinaryPrimitives.ReadUInt64BigEndian(await Peer.ReceiveExactlyAsync(8, timeout).ConfigureAwait(false));
        }
        if (length > 64 * 1024 * 1024)
        {
            throw new InvalidDataException($"implausible frame length {length}");
        }
        byte[] payload = length == 0 ? [] : await Peer.ReceiveExactlyAsync((int)length, timeout).ConfigureAwait(false);
        return (fin, opcode, payload);
    }

    /// <summary>The bytes of a client frame (masked with <c>01 02 03 04</c>).</summary>
    public static byte[] Frame(int opcode, bool fin, ReadOnlySpan<byte> payload)
    {
        var frame = new List<byte> { (byte)((fin ? 0x80 : 0) | opcode) };
        if (payload.Length < 126)
        {
            frame.Add((byte)(0x80 | payload.Length));
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            frame.Add(0x80 | 126);
            frame.Add((byte)(payload.Length >> 8));
            frame.Add((byte)payload.Length);
        }
        else
        {
            frame.Add(0x80 | 127);
            byte[] len = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(len, (ulong)payload.Length);
            frame.AddRange(len);
        }
        byte[] mask = [1, 2, 3, 4];
        frame.AddRange(mask);
        for (int i = 0; i < payload.Length; i++)
        {
            frame.Add((byte)(payload[i] ^ mask[i % 4]));
        }
        return [.. frame];
    }

    /// <summary>Writes one masked client frame.</summary>
    public Task SendFrameAsync(int opcode, bool fin, ReadOnlySpan<byte> payload) => Peer.SendAsync(Frame(opcode, fin, payload));

    /// <inheritdoc />
    public void Dispose() => Peer.Dispose();
}
