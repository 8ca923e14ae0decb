using System.Buffers.Binary;
using System.Net.Sockets;
using TcpSocket = System.Net.Sockets.Socket;
using SpNet.TestKit;

namespace SpNet.Cli.Tests;

/// <summary>
/// A length header alone never reserves the size it announces: spcat answering requests under a 384 MiB .NET heap
/// limit keeps answering while 500 connections each announce a 1,000,000-byte request and trickle a few KiB of it
/// (were each announcement honoured up front, they would ask for ~477 MiB). spcat runs as its own process, since the
/// heap limit is per process.
/// </summary>
public sealed class TrickleUnderHeapLimitTests
{
    private const int Tricklers = 500;
    private const int Announced = 1_000_000;
    private const int Sent = 3 * 1024;
    private const ushort Req = 0x30;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [PeerFact(Peers.SpCat)]
    public async Task A_rep_under_a_384_MiB_heap_limit_keeps_answering_while_500_peers_trickle_1_MB_requests()
    {
        int port = TestNetwork.FreePort();
        string url = $"tcp://127.0.0.1:{port}";
        PeerTool spcat = Peers.Require(Peers.SpCat);
        await using PeerProcess rep = PeerProcess.Start("env",
            ["DOTNET_GCHeapHardLimit=0x18000000", spcat.FileName, .. spcat.Arguments(["--rep", "--listen", url, "--data", "pong"])],
            TimeSpan.FromMinutes(3));
        var tricklers = new List<TcpSocket>();
        try
        {
            // spcat may not listen yet: the dialer retries in the background until it does.
            await using var req = new ReqSocket { ReceiveTimeout = Bound, SendTimeout = Bound, ReconnectMinTime = TimeSpan.FromMilliseconds(50) };
            req.Dial(url);
            Assert.Equal("pong", await AskAsync(req)); // spcat is up and answering

            byte[] partial = new byte[8 + 4 + Sent];
            BinaryPrimitives.WriteUInt64BigEndian(partial, Announced);
            BinaryPrimitives.WriteUInt32BigEndian(partial.AsSpan(8), 0x80000001);
            for (int i = 0; i < Tricklers; i++)
            {
                var socket = new TcpSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                tricklers.Add(socket);
                await socket.ConnectAsync(System.Net.IPAddress.Loopback, port).WaitAsync(Bound);
                await socket.SendAsync(RawSpPeer.Header(Req));
                byte[] header = new byte[8];
                await ReceiveExactlyAsync(socket, header);
                await socket.SendAsync(partial);
            }

            // Every trickler holds a partly received 1 MB request now; normal requests still get answers.
            for (int i = 0; i < 20; i++)
            {
                Assert.Equal("pong", await AskAsync(req));
            }
            Assert.False(rep.HasExited, rep.Describe());
        }
        finally
        {
            foreach (TcpSocket socket in tricklers)
            {
                socket.Dispose();
            }
        }
    }

    private static async Task<string> AskAsync(ReqSocket req)
    {
        await req.SendAsync("ping"u8.ToArray());
        using Message reply = await req.ReceiveAsync();
        return System.Text.Encoding.UTF8.GetString(reply.Body);
    }

    private static async Task ReceiveExactlyAsync(TcpSocket socket, byte[] buffer)
    {
        for (int read = 0; read < buffer.Length;)
        {
            int n = await socket.ReceiveAsync(buffer.AsMemory(read)).AsTask().WaitAsync(Bound);
            Assert.True(n > 0, "spcat closed a trickling connection during the handshake");
            read += n;
        }
    }
}
