using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace SpNet.Bench.Memory;

/// <summary>
/// One SP connection made by hand (tcp, ipc, tls+tcp or ws): the handshake, then whatever frames a memory case needs. The peer under
/// measurement sees an ordinary SP peer; this side holds no library state, so the memory it costs is the peer's alone.
/// </summary>
internal sealed class RawSpConnection : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _ipc;
    private readonly bool _ws;

    private RawSpConnection(Stream stream, bool ipc, bool ws)
    {
        _stream = stream;
        _ipc = ipc;
        _ws = ws;
    }

    /// <summary>
    /// Connects to <paramref name="url"/> (tcp://host:port, ipc://path, tls+tcp://host:port with the server's
    /// certificate pinned by <paramref name="pinnedThumbprint"/>, or ws://host:port/path) and opens SP as
    /// <paramref name="protocol"/>: the SP handshake, or for ws the HTTP upgrade naming <paramref name="peerName"/>'s
    /// subprotocol (as NNG's dialer does).
    /// </summary>
    public static RawSpConnection Open(string url, ushort protocol, string peerName = "rep", string? pinnedThumbprint = null)
    {
        bool ipc = url.StartsWith("ipc://", StringComparison.Ordinal);
        bool ws = url.StartsWith("ws://", StringComparison.Ordinal);
        System.Net.Sockets.Socket socket;
        var uri = ipc ? null : new Uri(url);
        if (ipc)
        {
            socket = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(url["ipc://".Length..]));
        }
        else
        {
            socket = new System.Net.Sockets.Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Connect(new IPEndPoint(IPAddress.Parse(uri!.Host), uri.Port));
        }
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        if (url.StartsWith("tls+tcp://", StringComparison.Ordinal))
        {
            // The server is the throwaway certificate the case made: trust exactly that one.
            var tls = new SslStream(stream, leaveInnerStreamOpen: false,
                (_, certificate, _, _) => certificate is not null && string.Equals(certificate.GetCertHashString(), pinnedThumbprint, StringComparison.OrdinalIgnoreCase));
            tls.AuthenticateAsClient("localhost");
            stream = tls;
        }
        var connection = new RawSpConnection(stream, ipc, ws);
        if (ws)
        {
            string key = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
            connection.SendRaw(System.Text.Encoding.ASCII.GetBytes(
                $"GET {uri!.AbsolutePath} HTTP/1.1\r\nHost: {uri.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: {peerName}.sp.nanomsg.org\r\n\r\n"));
            connection.ReadHttpHead();
            return connection;
        }
        Span<byte> hello = [0, (byte)'S', (byte)'P', 0, (byte)(protocol >> 8), (byte)protocol, 0, 0];
        stream.Write(hello);
        connection.ReadExactly(8);
        return connection;
    }

    /// <summary>
    /// Sends one frame whose header announces <paramref name="announced"/> bytes, followed by <paramref name="bytes"/>
    /// of them, in one write: NNG (writev) and SpNet (coalescing) put a small frame in one segment too, and a frame
    /// split across segments costs the receiver more while it waits for the rest.
    /// </summary>
    public void SendFrame(long announced, ReadOnlySpan<byte> bytes)
    {
        int prefixSize = _ipc ? 9 : 8;
        byte[] frame = new byte[prefixSize + bytes.Length];
        if (_ipc)
        {
            frame[0] = 1;
        }
        BinaryPrimitives.WriteInt64BigEndian(frame.AsSpan(prefixSize - 8), announced);
        bytes.CopyTo(frame.AsSpan(prefixSize));
        SendRaw(frame);
    }

    /// <summary>Sends bytes with no framing (the rest of a frame already announced).</summary>
    public void SendRaw(ReadOnlySpan<byte> bytes)
    {
        _stream.Write(bytes);
    }

    /// <summary>Sends a REQ request (request id, then <paramref name="body"/>) and waits for the whole reply.</summary>
    public void Request(uint id, ReadOnlySpan<byte> body)
    {
        byte[] frame = new byte[4 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, id | 0x8000_0000u);
        body.CopyTo(frame.AsSpan(4));
        if (_ws)
        {
            // One masked binary frame (a client's frames are masked; small messages only here).
            byte[] wsFrame = new byte[6 + frame.Length];
            wsFrame[0] = 0x82;
            wsFrame[1] = (byte)(0x80 | frame.Length);
            ReadOnlySpan<byte> mask = [1, 2, 3, 4];
            mask.CopyTo(wsFrame.AsSpan(2));
            for (int i = 0; i < frame.Length; i++)
            {
                wsFrame[6 + i] = (byte)(frame[i] ^ mask[i % 4]);
            }
            SendRaw(wsFrame);
            byte[] head = ReadExactly(2);
            ReadExactly(head[1] & 0x7f);
            return;
        }
        SendFrame(frame.Length, frame);
        byte[] prefix = ReadExactly(_ipc ? 9 : 8);
        long length = BinaryPrimitives.ReadInt64BigEndian(prefix.AsSpan(_ipc ? 1 : 0));
        ReadExactly((int)length);
    }

    private void ReadHttpHead()
    {
        var head = new List<byte>();
        while (head.Count < 4 || head[^1] != '\n' || head[^2] != '\r' || head[^3] != '\n' || head[^4] != '\r')
        {
            head.Add(ReadExactly(1)[0]);
        }
        string status = System.Text.Encoding.ASCII.GetString([.. head]).Split("\r\n")[0];
        if (!status.Contains(" 101 ", StringComparison.Ordinal))
        {
            throw new Harness.BenchException($"ws upgrade refused: {status}");
        }
    }

    private byte[] ReadExactly(int count)
    {
        byte[] buffer = new byte[count];
        int read = 0;
        while (read < count)
        {
            int n = _stream.Read(buffer.AsSpan(read));
            if (n == 0)
            {
                throw new Harness.BenchException("the peer closed the connection");
            }
            read += n;
        }
        return buffer;
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
