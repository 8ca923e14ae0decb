using System.Buffers.Binary;
using System.Text;
using SpNet.Core;
using SpNet.Protocols;
using SpNet.Protocols.Routing;
using SpNet.Transports.Framing;
using SpNet.Transports.Ws;
using SpNet.Fuzz;
using SpNet.Fuzz.Support;
using SpNet.Fuzz.Targets;
using Xunit.Abstractions;

namespace SpNet.Reliability.Tests.Fuzz;

/// <summary>
/// The in-process decoders, fed seeded random and mutated valid inputs (<see cref="Mode.FuzzInputs"/> each). The
/// contract for every input: accepted, or refused with <see cref="SpNetException"/> / a null result / a closed
/// pipe with a protocol reason. Any other exception, a hang or an implausible allocation fails and prints the seed.
/// </summary>
public sealed class DecoderFuzzTests(ITestOutputHelper output)
{
    // A pipe whose stream has ended closes within a thread-pool hop or two; the bound only has to tell a hang from
    // a stall of a loaded machine, where the pool has left work queued for 0.5-1 s (docs/reliability.md).
    private static readonly TimeSpan s_pipeEnd = TimeSpan.FromSeconds(30);

    // StreamPipe inputs checked side by side (see Fuzzer.RunConcurrentAsync).
    private const int PipesInFlight = 32;

    [Fact]
    public void Sp_handshake_parse()
    {
        byte[][] corpus = [.. new ushort[] { 0x10, 0x11, 0x20, 0x21, 0x30, 0x31, 0x50, 0x51, 0x62, 0x63, 0x70, 0x71 }.Select(p =>
        {
            byte[] h = new byte[8];
            Handshake.Write(h, p);
            return h;
        })];
        Fuzzer.Run(output, "Handshake.Parse", Mode.FuzzInputs, r => Fuzzer.Next(r, corpus, 16), input =>
        {
            try
            {
                ushort protocol = Handshake.Parse(input);
                Assert.True(input.Length >= 8 && input[0] == 0 && input[1] == 'S' && input[2] == 'P' && input[3] == 0 && input[6] == 0 && input[7] == 0, "accepted a bad header");
                Assert.Equal(BinaryPrimitives.ReadUInt16BigEndian(input.AsSpan(4)), protocol);
            }
            catch (SpNetException ex)
            {
                Assert.Equal(SpError.Protocol, ex.Error);
            }
        });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Frame_prefix(bool ipc)
    {
        byte[][] corpus = [.. new ulong[] { 0, 1, 100, 1024 * 1024, ulong.MaxValue }.Select(n =>
        {
            byte[] p = new byte[9];
            int size = FrameCodec.WritePrefix(p, n, ipc);
            return p[..size];
        })];
        Fuzzer.Run(output, $"FrameCodec.TryReadPrefix(ipc: {ipc})", Mode.FuzzInputs, r => Fuzzer.Next(r, corpus, 12), input =>
        {
            foreach (long max in new long[] { 0, 1024 * 1024 })
            {
                FramePrefixStatus status = FrameCodec.TryReadPrefix(input, ipc, max, out ulong length);
                ulong limit = max > 0 ? (ulong)max : (ulong)Array.MaxLength;
                switch (status)
                {
                    case FramePrefixStatus.Ready:
                        Assert.True(length <= limit, $"length {length} accepted over the limit {limit}");
                        break;
                    case FramePrefixStatus.NeedMoreData:
                        Assert.True(input.Length < FrameCodec.PrefixSize(ipc));
                        break;
                    case FramePrefixStatus.TooLarge:
                        Assert.True(length > limit);
                        break;
                    case FramePrefixStatus.BadType:
                        Assert.True(ipc && input[0] != FrameCodec.IpcMessageType);
                        break;
                    default:
                        Assert.Fail($"unknown status {status}");
                        break;
                }
            }
        });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Stream_pipe_read_loop(bool ipc)
    {
        const long maxReceive = 100 * 1024;
        var corpus = new List<byte[]>();
        var seedRandom = new Random(1);
        foreach (int[] sizes in new[] { new[] { 0 }, [5], [4, 4, 12], [100, 0, 3], [70 * 1024], [3, 70 * 1024, 8] })
        {
            var frames = new List<byte>();
            foreach (int size in sizes)
            {
                byte[] prefix = new byte[9];
                frames.AddRange(prefix.AsSpan(0, FrameCodec.WritePrefix(prefix, (ulong)size, ipc)).ToArray());
                byte[] body = new byte[size];
                seedRandom.NextBytes(body);
                frames.AddRange(body);
            }
            corpus.Add([.. frames]);
        }
        int count = Mode.FuzzInputs;
        await Fuzzer.RunConcurrentAsync(output, $"StreamPipe read loop (ipc: {ipc})", count, PipesInFlight, r => Fuzzer.Next(r, corpus, 256), async input =>
        {
            var host = new CollectingHost();
            var pipe = new StreamPipe(new ChunkedStream(input, input.Length), ipc, 0x51, "mem://local", "mem://remote", maxReceive, 4);
            pipe.Start(host, logger: null);
            try
            {
                await pipe.Completion.WaitAsync(s_pipeEnd);
            }
            catch (TimeoutException)
            {
                pipe.Close();
                Assert.Fail($"pipe still open {s_pipeEnd.TotalSeconds} s after its stream ended");
            }
            Assert.True(pipe.IsClosed);
            // EOF after whole frames, EOF mid-frame, an oversized length, a bad IPC type: nothing else.
            Contract.Delivered(pipe, host, maxReceive, input.Length, SpError.ConnectionShutdown, SpError.MessageTooLarge, SpError.Protocol);
        });
    }

    [Fact]
    public void Req_and_survey_backtrace()
    {
        byte[][] corpus =
        [
            RawTags([0x80000001], "body"),
            RawTags([0x00000001, 0x80000002], ""),
            RawTags([1, 2, 3, 4, 5, 6, 7, 0x80000009], "deep"),
            RawTags([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 0x80000001], "too deep"),
            RawTags([], "no id"),
        ];
        Fuzzer.Run(output, "Backtrace.Extract", Mode.FuzzInputs, r => Fuzzer.Next(r, corpus, 80), BacktraceTarget.CheckBacktrace);
    }

    [Fact]
    public void Pair1_hop_count_header()
    {
        byte[][] corpus = [RawTags([1], "x"), RawTags([0], ""), RawTags([8], "ttl"), RawTags([0xFF], "max"), RawTags([0x100], "over"), [0, 0, 1]];
        Fuzzer.Run(output, "Pair1.Accept", Mode.FuzzInputs, r => Fuzzer.Next(r, corpus, 16), Pair1Target.Run);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Http_head_parse(bool response)
    {
        byte[][] corpus = response
            ?
            [
                Encoding.ASCII.GetBytes("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: pair.sp.nanomsg.org"),
                Encoding.ASCII.GetBytes("HTTP/1.1 404 Not Found\r\nContent-Length: 0"),
            ]
            :
            [
                Encoding.ASCII.GetBytes("GET /sp HTTP/1.1\r\nHost: 127.0.0.1:5555\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: pair.sp.nanomsg.org"),
                Encoding.ASCII.GetBytes("GET / HTTP/1.0\r\nHost: x"),
            ];
        Fuzzer.Run(output, $"HttpHead.Parse(response: {response})", Mode.FuzzInputs, r => Fuzzer.Next(r, corpus, 300), input =>
        {
            HttpHead? head = HttpHead.Parse(input, response);
            if (head is not null)
            {
                // Everything the listener and dialer ask of a head must work on whatever was accepted.
                _ = head["Host"];
                _ = head.HasToken("Connection", "Upgrade");
                _ = head.HasToken("Upgrade", "websocket");
                _ = WsHandshake.IsValidKey(head["Sec-WebSocket-Key"]);
                _ = WsHandshake.HostMatches("127.0.0.1", head["Host"]);
                Assert.NotNull(head.First);
            }
        });
    }

    private static byte[] RawTags(uint[] tags, string body) => [.. TestKit.RawSpPeer.Tagged(tags, Encoding.ASCII.GetBytes(body))];
}
