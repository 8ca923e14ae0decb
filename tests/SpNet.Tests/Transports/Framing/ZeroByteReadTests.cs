using System.IO.Pipes;
using System.Net.Security;
using System.Net.Sockets;
using SpNet.TestKit;
using SpNet.Transports.Framing;
using SpNet.Transports.Tls;
using NetSocket = System.Net.Sockets.Socket;

namespace SpNet.Tests.Transports.Framing;

/// <summary>
/// StreamPipe's read loop gives its chunk back while idle and waits with a zero-byte read, but only on streams
/// where that read really waits: these tests hold the runtime to it for every stream type a pipe is built on, and
/// show why named pipes are left out (their zero-byte read returns at once, which would look like a wake-up).
/// </summary>
public sealed class ZeroByteReadTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task Tcp_zero_byte_read_waits_for_data()
    {
        var (a, b) = StreamPair.Create();
        await using (a)
        await using (b)
        {
            Assert.True(StreamPipe.WaitsOnZeroByteRead(b));
            await AssertWaitsThenReadsAsync(a, b);
        }
    }

    [Fact]
    public async Task Unix_socket_zero_byte_read_waits_for_data()
    {
        if (!NetSocket.OSSupportsUnixDomainSockets)
        {
            return;
        }
        string path = Path.Combine(Path.GetTempPath(), $"spnet-zbr-{Environment.ProcessId}-{Guid.NewGuid():N}.sock");
        try
        {
            using var listener = new NetSocket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(1);
            var client = new NetSocket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await client.ConnectAsync(new UnixDomainSocketEndPoint(path));
            NetSocket server = await listener.AcceptAsync();
            await using var a = new NetworkStream(client, ownsSocket: true);
            await using var b = new NetworkStream(server, ownsSocket: true);
            Assert.True(StreamPipe.WaitsOnZeroByteRead(b));
            await AssertWaitsThenReadsAsync(a, b);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Tls_zero_byte_read_waits_for_data()
    {
        using TestCertificates certs = TestCertificates.Create();
        var (a, b) = StreamPair.Create();
        ValueTask<SslStream> server = TlsStreamFactory.AuthenticateAsServerAsync(b, "tls+tcp://test", certs.ServerOptions(), Limit, CancellationToken.None);
        await using SslStream client = await TlsStreamFactory.AuthenticateAsClientAsync(a, "tls+tcp://test", "localhost", certs.ClientOptions(), Limit, CancellationToken.None);
        await using SslStream tls = await server;
        Assert.True(StreamPipe.WaitsOnZeroByteRead(tls));
        await AssertWaitsThenReadsAsync(client, tls);
        // And the other way (the client may first see the server's post-handshake records: the wait still ends with data).
        await AssertWaitsThenReadsAsync(tls, client, strictQuiet: false);
    }

    [Fact]
    public async Task Named_pipe_zero_byte_read_returns_at_once_so_it_keeps_its_buffer()
    {
        string name = $"spnet-zbr-{Environment.ProcessId}-{Guid.NewGuid():N}";
        await using var server = new NamedPipeServerStream(name, PipeDirection.InOut, 1, PipeTransmissionMode.Byte, PipeOptions.Asynchronous);
        await using var client = new NamedPipeClientStream(".", name, PipeDirection.InOut, PipeOptions.Asynchronous);
        Task accepted = server.WaitForConnectionAsync();
        await client.ConnectAsync((int)Limit.TotalMilliseconds);
        await accepted.WaitAsync(Limit);
        Assert.False(StreamPipe.WaitsOnZeroByteRead(server));
        ValueTask<int> read = server.ReadAsync(Memory<byte>.Empty);
        Assert.True(read.IsCompleted, "a named pipe's zero-byte read used to return at once; if it waits now, StreamPipe could release its buffer on it too");
        Assert.Equal(0, await read);
    }

    [Fact]
    public void Unknown_streams_keep_their_buffer()
    {
        using var memory = new MemoryStream();
        Assert.False(StreamPipe.WaitsOnZeroByteRead(memory));
    }

    /// <summary>A zero-byte read on <paramref name="reader"/> stays pending while nothing is sent, ends when data arrives, and consumes none of it.</summary>
    private static async Task AssertWaitsThenReadsAsync(Stream writer, Stream reader, bool strictQuiet = true)
    {
        ValueTask<int> wait = reader.ReadAsync(Memory<byte>.Empty);
        Task<int> waiting = wait.AsTask();
        Task first = await Task.WhenAny(waiting, Task.Delay(Quiet));
        if (strictQuiet)
        {
            Assert.NotSame(waiting, first);
        }
        else if (first == waiting)
        {
            Assert.Equal(0, await waiting); // a record with no application data; wait again
            waiting = reader.ReadAsync(Memory<byte>.Empty).AsTask();
        }
        await writer.WriteAsync("abc"u8.ToArray());
        await writer.FlushAsync();
        Assert.Equal(0, await waiting.WaitAsync(Limit));
        byte[] buffer = new byte[16];
        int read = 0;
        long deadline = Environment.TickCount64 + (long)Limit.TotalMilliseconds;
        while (read < 3 && Environment.TickCount64 < deadline)
        {
            int n = await reader.ReadAsync(buffer.AsMemory(read)).AsTask().WaitAsync(Limit);
            Assert.True(n > 0, "stream ended");
            read += n;
        }
        Assert.Equal("abc"u8.ToArray(), buffer[..read]);
    }
}

/// <summary>
/// A tcp StreamPipe's buffers: none while the pipe has never received or sent; first-size ones go back to the pool
/// after each use; grown ones (a busy pipe's) are parked while the pipe waits, given back by the sweeper after about a
/// second, and rented again when data comes.
/// </summary>
public sealed class IdleChunkTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    private sealed class Host : SpNet.Core.IPipeHost
    {
        public System.Threading.Channels.Channel<string> Received { get; } = System.Threading.Channels.Channel.CreateUnbounded<string>();

        public SocketStatistics Statistics { get; } = new();

        public ValueTask DeliverAsync(SpNet.Core.Pipe pipe, Message message)
        {
            using (message)
            {
                Received.Writer.TryWrite(message.ToString());
            }
            return ValueTask.CompletedTask;
        }

        public void OnWritable(SpNet.Core.Pipe pipe)
        {
        }

        public void OnClosed(SpNet.Core.Pipe pipe)
        {
        }
    }

    [Fact]
    public async Task A_pipe_returns_a_first_size_chunk_at_once_and_parks_a_grown_one_until_the_sweeper_takes_it()
    {
        await WithPipeAsync(async (a, pipe, host) =>
        {
            await Task.Delay(100);
            Assert.False(pipe.HasParkedChunk); // never received: never rented

            // Small messages: the first-size chunk goes back to the pool while the pipe waits.
            await SendFrameAsync(a, "one");
            Assert.Equal("one", await host.Received.Reader.ReadAsync().AsTask().WaitAsync(Limit));
            await SendFrameAsync(a, "two");
            Assert.Equal("two", await host.Received.Reader.ReadAsync().AsTask().WaitAsync(Limit));
            Assert.False(pipe.HasParkedChunk);

            // A frame larger than the first chunk grows it; a grown chunk is parked between messages.
            string large = new('x', 3 * StreamPipe.MinBufferSize);
            await SendFrameAsync(a, large);
            Assert.Equal(large, await host.Received.Reader.ReadAsync().AsTask().WaitAsync(Limit));
            await Eventually.True(() => pipe.HasParkedChunk, "grown chunk parked while waiting");

            IdleChunkSweeper.SweepNow(parkedBefore: long.MaxValue);
            Assert.False(pipe.HasParkedChunk);
            await SendFrameAsync(a, large); // rents a chunk again
            Assert.Equal(large, await host.Received.Reader.ReadAsync().AsTask().WaitAsync(Limit));

            // The timer does the same on its own once the chunk has waited a period.
            await Eventually.True(() => pipe.HasParkedChunk, "chunk parked again");
            await Eventually.True(() => !pipe.HasParkedChunk, "chunk swept by the timer", TimeSpan.FromSeconds(10));
            await SendFrameAsync(a, "three");
            Assert.Equal("three", await host.Received.Reader.ReadAsync().AsTask().WaitAsync(Limit));
        });
    }

    [Fact]
    public async Task A_pipe_returns_a_first_size_write_buffer_after_each_write_and_keeps_a_grown_one_until_quiet()
    {
        await WithPipeAsync(async (a, pipe, host) =>
        {
            Assert.False(pipe.HasWriteBuffer); // never sent: never rented
            Assert.True(pipe.TrySend(Message.Create("one")));
            Assert.Equal("one", await ReadFrameAsync(a));
            // The writer may still hold its role for a moment after the peer has the bytes.
            await Eventually.True(() => !pipe.HasWriteBuffer, "first-size write buffer returned after the write");

            // A message larger than the first buffer grows it; the grown buffer stays until the pipe is quiet.
            string large = new('y', 3 * StreamPipe.MinBufferSize);
            Assert.True(pipe.TrySend(Message.Create(large)));
            Assert.Equal(large, await ReadFrameAsync(a));
            Assert.True(pipe.HasWriteBuffer);
            await Eventually.True(() =>
            {
                IdleChunkSweeper.SweepNow(parkedBefore: long.MaxValue);
                return !pipe.HasWriteBuffer;
            }, "write buffer swept on demand");

            // The timer does the same on its own once the pipe has been quiet for a period.
            Assert.True(pipe.TrySend(Message.Create(large)));
            Assert.Equal(large, await ReadFrameAsync(a));
            await Eventually.True(() => !pipe.HasWriteBuffer, "write buffer swept by the timer", TimeSpan.FromSeconds(10));
            Assert.True(pipe.TrySend(Message.Create("three")));
            Assert.Equal("three", await ReadFrameAsync(a));
        });
    }

    [Theory]
    [InlineData(0)] // the prefix alone
    [InlineData(3)] // the prefix and 3 bytes of the body
    public async Task A_frame_cut_short_waits_for_the_rest_holding_only_its_bytes(int bodyBytesFirst)
    {
        await WithPipeAsync(async (a, pipe, host) =>
        {
            const string text = "cut short, then finished";
            byte[] frame = new byte[8 + text.Length];
            FrameCodec.WritePrefix(frame, (ulong)text.Length, ipc: false);
            System.Text.Encoding.ASCII.GetBytes(text, frame.AsSpan(8));
            int first = 8 + bodyBytesFirst;

            await a.WriteAsync(frame.AsMemory(0, first));
            await Eventually.True(() => pipe.WaitingPartialLength == first, "waiting with only the frame's first bytes");
            Assert.False(pipe.HasParkedChunk);

            await a.WriteAsync(frame.AsMemory(first));
            Assert.Equal(text, await host.Received.Reader.ReadAsync().AsTask().WaitAsync(Limit));
            Assert.Equal(0, pipe.WaitingPartialLength);

            // And again with a whole frame after it, in one write: both arrive intact.
            await a.WriteAsync(frame.AsMemory(0, first));
            await Eventually.True(() => pipe.WaitingPartialLength == first, "waiting again");
            await a.WriteAsync(frame.AsMemory(first).ToArray().Concat(frame).ToArray());
            Assert.Equal(text, await host.Received.Reader.ReadAsync().AsTask().WaitAsync(Limit));
            Assert.Equal(text, await host.Received.Reader.ReadAsync().AsTask().WaitAsync(Limit));
        });
    }

    [Fact]
    public async Task A_frame_announced_large_reserves_what_arrived_once_the_budget_is_taken()
    {
        // Other peers' large frames hold the whole budget: this one must grow with what arrives.
        LargeFrameBudget.Hold(LargeFrameBudget.Budget);
        try
        {
            await TrickleOneMegabyteAsync(fullAtOnce: false);
        }
        finally
        {
            LargeFrameBudget.Hold(-LargeFrameBudget.Budget);
        }
    }

    [Fact]
    public async Task A_large_frame_within_the_budget_takes_its_full_size_at_once()
    {
        await TrickleOneMegabyteAsync(fullAtOnce: true);
    }

    private static async Task TrickleOneMegabyteAsync(bool fullAtOnce)
    {
        await WithPipeAsync(async (a, pipe, host) =>
        {
            const int size = 1 << 20;
            byte[] body = new byte[size];
            body.AsSpan().Fill((byte)'x');
            byte[] prefix = new byte[8];
            FrameCodec.WritePrefix(prefix, size, ipc: false);
            await a.WriteAsync(prefix);
            await a.WriteAsync(body.AsMemory(0, 100));
            await Eventually.True(() => pipe.PartialMessageCapacity > 0, "partial message started");
            if (fullAtOnce)
            {
                Assert.Equal(size, pipe.PartialMessageCapacity);
                Assert.True(LargeFrameBudget.Reserved >= size);
            }
            else
            {
                Assert.InRange(pipe.PartialMessageCapacity, 100, 4 * 1024);
            }

            await a.WriteAsync(body.AsMemory(100, 20_000));
            await Eventually.True(() => pipe.PartialMessageCapacity >= 20_100, "partial message grown");
            Assert.InRange(pipe.PartialMessageCapacity, 20_100, fullAtOnce ? size : 2 * 20_100);

            await a.WriteAsync(body.AsMemory(20_100));
            string received = await host.Received.Reader.ReadAsync().AsTask().WaitAsync(Limit);
            Assert.Equal(size, received.Length);
            Assert.All(received, c => Assert.Equal('x', c));
            Assert.Equal(0, pipe.PartialMessageCapacity);
        });
    }

    /// <summary>Runs <paramref name="test"/> with a started pipe over one end of a loopback pair and the other end.</summary>
    private static async Task WithPipeAsync(Func<Stream, StreamPipe, Host, Task> test)
    {
        var (a, b) = StreamPair.Create();
        await using (a)
        {
            var host = new Host();
            var pipe = new StreamPipe(b, ipc: false, 0x10, "tcp://local", "tcp://remote", maxReceiveSize: 0, sendQueueCapacity: 4);
            pipe.Start(host, null);
            try
            {
                await test(a, pipe, host);
            }
            finally
            {
                pipe.Close();
            }
        }
    }

    private static async Task<string> ReadFrameAsync(Stream stream)
    {
        byte[] prefix = new byte[8];
        await stream.ReadExactlyAsync(prefix).AsTask().WaitAsync(Limit);
        byte[] body = new byte[(int)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(prefix)];
        await stream.ReadExactlyAsync(body).AsTask().WaitAsync(Limit);
        return System.Text.Encoding.UTF8.GetString(body);
    }

    private static async Task SendFrameAsync(Stream stream, string text)
    {
        byte[] body = System.Text.Encoding.UTF8.GetBytes(text);
        byte[] frame = new byte[8 + body.Length];
        FrameCodec.WritePrefix(frame, (ulong)body.Length, ipc: false);
        body.CopyTo(frame, 8);
        await stream.WriteAsync(frame);
        await stream.FlushAsync();
    }
}
