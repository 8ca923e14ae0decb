using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace SpNet.Bench.Memory;

/// <summary>
/// One SP connection made by hand (tcp or ipc): the handshake, then whatever frames a memory case needs. The peer under
/// measurement sees an ordinary SP peer; this side holds no library state, so the memory it costs is the peer's alone.
/// </summary>
internal sealed class RawSpConnection : IDisposable
{
    private readonly System.Net.Sockets.Socket _socket;
    private readonly bool _ipc;

    private RawSpConnection(System.Net.Sockets.Socket socket, bool ipc)
    {
        _socket = socket;
        _ipc = ipc;
    }

    /// <summary>Connects to <paramref name="url"/> (tcp://host:port or ipc://path) and exchanges the SP handshake as <paramref name="protocol"/>.</summary>
    public static RawSpConnection Open(string url, ushort protocol)
    {
        bool ipc = url.StartsWith("ipc://", StringComparison.Ordinal);
        System.Net.Sockets.Socket socket;
        if (ipc)
        {
            socket = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(url["ipc://".Length..]));
        }
        else
        {
            var uri = new Uri(url);
            socket = new System.Net.Sockets.Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Connect(new IPEndPoint(IPAddress.Parse(uri.Host), uri.Port));
        }
        var connection = new RawSpConnection(socket, ipc);
        Span<byte> hello = [0, (byte)'S', (byte)'P', 0, (byte)(protocol >> 8), (byte)protocol, 0, 0];
        socket.Send(hello);
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
        while (!bytes.IsEmpty)
        {
            bytes = bytes[_socket.Send(bytes)..];
        }
    }

    /// <summary>Sends a REQ request (request id, then <paramref name="body"/>) and waits for the whole reply frame.</summary>
    public void Request(uint id, ReadOnlySpan<byte> body)
    {
        byte[] frame = new byte[4 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, id | 0x8000_0000u);
        body.CopyTo(frame.AsSpan(4));
        SendFrame(frame.Length, frame);
        byte[] prefix = ReadExactly(_ipc ? 9 : 8);
        long length = BinaryPrimitives.ReadInt64BigEndian(prefix.AsSpan(_ipc ? 1 : 0));
        ReadExactly((int)length);
    }

    private byte[] ReadExactly(int count)
    {
        byte[] buffer = new byte[count];
        int read = 0;
        while (read < count)
        {
            int n = _socket.Receive(buffer.AsSpan(read));
            if (n == 0)
            {
                throw new Harness.BenchException("the peer closed the connection");
            }
            read += n;
        }
        return buffer;
    }

    /// <inheritdoc />
    public void Dispose() => _socket.Dispose();
}
