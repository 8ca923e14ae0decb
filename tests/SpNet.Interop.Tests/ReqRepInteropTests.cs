using SpNet.TestKit;

namespace SpNet.Interop.Tests;

/// <summary>REQ/REP over tcp, ipc and ws against nngcat and nanocat, and over tls+tcp and wss against nngcat, SpNet on either end of the connection and in either role.</summary>
public sealed class ReqRepInteropTests
{
    [Theory]
    [PeerMatrix(Peers.NngCat)]
    [PeerMatrix(Peers.NanoCat)]
    public async Task SpNetReq_PeerRep(string peerName, Side side, Carrier carrier = Carrier.Tcp)
    {
        Cat cat = Cat.For(peerName);
        string reply = $"pong-from-{cat.Name}";
        string[] requests = Messages.Numbered("ping", 3);
        await using var req = new ReqSocket { SendTimeout = Messages.Timeout, ReceiveTimeout = Messages.Timeout };
        var link = new Link(req, side, carrier);
        // The peer REP answers every request with its --data and prints each request (-Q).
        await using PeerProcess peer = link.Start(cat, "--rep", ["--data", reply, "-Q", .. cat.Count(requests.Length)]);

        foreach (string request in requests)
        {
            await peer.GuardAsync(req.SendTextAsync(request), what: $"send {request}");
            await peer.ExpectReceiveAsync(req, reply);
        }

        await peer.ExpectAllMessagesAsync(cat, requests);
    }

    [Theory]
    [PeerMatrix(Peers.NngCat)]
    [PeerMatrix(Peers.NanoCat)]
    public async Task PeerReq_SpNetRep(string peerName, Side side, Carrier carrier = Carrier.Tcp)
    {
        Cat cat = Cat.For(peerName);
        await using var rep = new RepSocket { SendTimeout = Messages.Timeout, ReceiveTimeout = Messages.Timeout };
        var link = new Link(rep, side, carrier);

        // One peer REQ per request: it sends its --data once, prints the reply (-Q) and exits. (nngcat's --req
        // with --count can fail with "Cannot set recv timeout", so no --count.)
        foreach (string request in Messages.Numbered("peer-req", 3))
        {
            await using PeerProcess peer = link.Start(cat, "--req", "--data", request, "-Q");
            await peer.ExpectReceiveAsync(rep, request);
            await rep.SendTextAsync($"reply-to-{request}");

            await peer.WaitForSuccessAsync();
            peer.ExpectMessages([$"reply-to-{request}"]);
        }
    }
}
