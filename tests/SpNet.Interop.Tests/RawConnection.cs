using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SpNet.TestKit;

namespace SpNet.Interop.Tests;

/// <summary>
/// A plain TCP connection speaking SP by hand, to see the exact bytes a peer (or SpNet) puts on the wire.
/// Every read is bounded by <see cref="Messages.Timeout"/>.
/// </summary>
internal sealed class RawConnection : IDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;

    private RawConnection(TcpClient client)
    {
        _client = client;
        _client.NoDelay = true;
        _stream = client.GetStream();
    }

    /// <summary>The 8-byte SP connection header for <paramref name="protocol"/>: <c>00 53 50 00 PP PP 00 00</c>.</summary>
    public static byte[] Header(ushort protocol) => [0x00, 0x53, 0x50, 0x00, (byte)(protocol >> 8), (byte)protocol, 0x00, 0x00];

    /// <summary>A TCP frame: u64 big-endian length, then <paramref name="payload"/>.</summary>
    public static byte[] Frame(params byte[][] payload)
    {
        byte[] body = [.. payload.SelectMany(p => p)];
        byte[] frame = new byte[8 + body.Length];
        BinaryPrimitives.WriteUInt64BigEndian(frame, (ulong)body.Length);
        body.CopyTo(frame, 8);
        return frame;
    }

    /// <summary>Connects to <paramref name="port"/> on 127.0.0.1, retrying while it refuses (a peer still starting).</summary>
    public static async Task<RawConnection> ConnectAsync(int port, PeerProcess? peer = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var client = new TcpClient(AddressFamily.InterNetwork);
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port).WaitAsync(Messages.Timeout);
                return new RawConnection(client);
            }
            catch (SocketException) when (clock.Elapsed < Messages.Timeout && peer is not { HasExited: true })
            {
                client.Dispose();
                await Task.Delay(20);
            }
            catch
            {
                client.Dispose();
                throw;
            }
        }
    }

    /// <summary>Accepts one connection from <paramref name="listener"/> within the timeout.</summary>
    public static async Task<RawConnection> AcceptAsync(TcpListener listener)
    {
        using var cts = new CancellationTokenSource(Messages.Timeout);
        TcpClient client = await listener.AcceptTcpClientAsync(cts.Token);
        return new RawConnection(client);
    }

    /// <summary>A raw listener on 127.0.0.1 with an OS-chosen port.</summary>
    public static TcpListener Listen(out string url)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        url = $"tcp://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        return listener;
    }

    public async Task<byte[]> ReadExactlyAsync(int count)
    {
        byte[] buffer = new byte[count];
        using var cts = new CancellationTokenSource(Messages.Timeout);
        await _stream.ReadExactlyAsync(buffer, cts.Token);
        return buffer;
    }

    /// <summary>Reads the 8-byte SP header.</summary>
    public Task<byte[]> ReadHeaderAsync() => ReadExactlyAsync(8);

    /// <summary>Reads one whole frame, length prefix included.</summary>
    public async Task<byte[]> ReadFrameAsync()
    {
        byte[] length = await ReadExactlyAsync(8);
        ulong size = BinaryPrimitives.ReadUInt64BigEndian(length);
        Assert.InRange(size, 0UL, 1UL << 20);
        byte[] payload = await ReadExactlyAsync((int)size);
        return [.. length, .. payload];
    }

    public async Task WriteAsync(byte[] bytes)
    {
        using var cts = new CancellationTokenSource(Messages.Timeout);
        await _stream.WriteAsync(bytes, cts.Token);
        await _stream.FlushAsync(cts.Token);
    }

    public void Dispose()
    {
        _stream.Dispose();
        _client.Dispose();
    }
}
