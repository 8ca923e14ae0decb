using System.Text;
using System.Text.RegularExpressions;
using SpNet.TestKit;

namespace SpNet.Interop.Tests;

/// <summary>
/// The WebSocket upgrade request on the wire: SpNet's, captured with a plain socket, must equal nngcat's and
/// nanocat's for every role (the random Sec-WebSocket-Key apart), and REQ's must be wire-protocol.md vector 13.
/// </summary>
public sealed partial class WsRawWireTests
{
    public static TheoryData<string, string> PeersAndRoles() => RawWireTests.PeersAndRoles();

    [PeerTheory(Peers.NngCat, Peers.NanoCat)]
    [MemberData(nameof(PeersAndRoles))]
    public async Task DialerUpgradeRequest_SameBytesAsPeer(string peerName, string roleName)
    {
        Cat cat = Cat.For(peerName);
        Role role = Role.All[roleName];

        using var peerListener = RawConnection.Listen(out string peerTcpUrl);
        string peerUrl = peerTcpUrl.Replace("tcp://", "ws://", StringComparison.Ordinal) + "/test";
        await using PeerProcess peer = cat.Start([.. role.PeerArguments(cat), cat.DialFlag, peerUrl]);
        using RawConnection fromPeer = await peer.GuardAsync(RawConnection.AcceptAsync(peerListener), what: "accept the peer");
        string peerRequest = await peer.GuardAsync(ReadHeadAsync(fromPeer), what: "read the peer's upgrade request");

        using var spnetListener = RawConnection.Listen(out string spnetTcpUrl);
        string spnetUrl = spnetTcpUrl.Replace("tcp://", "ws://", StringComparison.Ordinal) + "/test";
        await using Socket socket = role.Create();
        socket.Dial(spnetUrl);
        using RawConnection fromSpNet = await RawConnection.AcceptAsync(spnetListener);
        string spnetRequest = await ReadHeadAsync(fromSpNet);

        Assert.Equal(Normalize(peerRequest, peerUrl), Normalize(spnetRequest, spnetUrl));
    }

    [Fact]
    public async Task ReqUpgradeRequest_IsVector13()
    {
        using var listener = RawConnection.Listen(out string tcpUrl);
        string port = tcpUrl[(tcpUrl.LastIndexOf(':') + 1)..];
        await using var req = new ReqSocket();
        req.Dial($"ws://127.0.0.1:{port}/test");
        using RawConnection fromSpNet = await RawConnection.AcceptAsync(listener);
        string request = await ReadHeadAsync(fromSpNet);
        Assert.Equal(
            $"GET /test HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ‹key›\r\n" +
            "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: rep.sp.nanomsg.org\r\n\r\n",
            KeyPattern().Replace(request, "Sec-WebSocket-Key: ‹key›\r\n"));
    }

    /// <summary>The request with its key replaced and its port replaced by a placeholder, so two captures compare.</summary>
    private static string Normalize(string request, string url)
    {
        string port = new Uri(url).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Matches(KeyPattern(), request);
        return KeyPattern().Replace(request, "Sec-WebSocket-Key: ‹key›\r\n").Replace($":{port}\r\n", ":‹port›\r\n", StringComparison.Ordinal);
    }

    private static async Task<string> ReadHeadAsync(RawConnection connection)
    {
        var head = new StringBuilder();
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (head.Length > 8192)
            {
                throw new InvalidDataException($"no end of HTTP head in 8 KiB: {head}");
            }
            head.Append((char)(await connection.ReadExactlyAsync(1))[0]);
        }
        return head.ToString();
    }

    [GeneratedRegex("Sec-WebSocket-Key: [A-Za-z0-9+/]{22}==\r\n")]
    private static partial Regex KeyPattern();
}
