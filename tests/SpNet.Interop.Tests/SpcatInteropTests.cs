using SpNet.TestKit;

namespace SpNet.Interop.Tests;

// spcat (src/SpNet.Cli) is an nngcat drop-in: these run the real spcat process with nngcat's flags against nngcat
// and nanocat, spcat listening and dialing, in each role. They skip (or fail under SPNET_REQUIRE_PEERS=1) if spcat is not built (see Peers.SkipReason);
// SPNET_SPCAT may name another spcat build (a .dll or a native executable) to test.
// Separate classes so that xunit runs them in parallel.

/// <summary>spcat PAIR0 and PUSH/PULL against nngcat and nanocat.</summary>
public sealed class SpcatInteropTests
{
    [PeerTheory(Peers.SpCat)]
    [PeerSides(Peers.NngCat)]
    [PeerSides(Peers.NanoCat)]
    public Task Pair(string peerName, Side spcatSide)
    {
        (Cat listener, Cat dialer) = SpcatEnds.ListenerAndDialer(peerName, spcatSide);
        return CatVsCat.PairAsync(listener, dialer);
    }

    [PeerTheory(Peers.SpCat)]
    [PeerSidesAndRoles(Peers.NngCat)]
    [PeerSidesAndRoles(Peers.NanoCat)]
    public Task PushPull(string peerName, Side spcatSide, bool spcatPushes)
    {
        (Cat pusher, Cat puller, bool pusherListens) = SpcatEnds.Of(peerName, spcatSide, spcatPushes);
        return CatVsCat.PushPullAsync(pusher, puller, pusherListens);
    }
}

/// <summary>spcat PUB/SUB against nngcat and nanocat.</summary>
public sealed class SpcatPubSubInteropTests
{
    [PeerTheory(Peers.SpCat)]
    [PeerSidesAndRoles(Peers.NngCat)]
    [PeerSidesAndRoles(Peers.NanoCat)]
    public Task PubSub(string peerName, Side spcatSide, bool spcatPublishes)
    {
        (Cat publisher, Cat subscriber, bool publisherListens) = SpcatEnds.Of(peerName, spcatSide, spcatPublishes);
        return CatVsCat.PubSubAsync(publisher, subscriber, publisherListens);
    }
}

/// <summary>spcat REQ/REP against nngcat and nanocat.</summary>
public sealed class SpcatReqRepInteropTests
{
    [PeerTheory(Peers.SpCat)]
    [PeerSidesAndRoles(Peers.NngCat)]
    [PeerSidesAndRoles(Peers.NanoCat)]
    public Task ReqRep(string peerName, Side spcatSide, bool spcatRequests)
    {
        (Cat requester, Cat replier, bool requesterListens) = SpcatEnds.Of(peerName, spcatSide, spcatRequests);
        return CatVsCat.ReqRepAsync(requester, replier, requesterListens);
    }
}

/// <summary>spcat PAIR1 against nngcat (nanocat has no pair1) and BUS against nngcat (<c>--bus0</c>) and nanocat (<c>--bus</c>).</summary>
public sealed class SpcatPair1BusInteropTests
{
    [PeerTheory(Peers.SpCat)]
    [PeerSides(Peers.NngCat)]
    public Task Pair1(string peerName, Side spcatSide)
    {
        (Cat listener, Cat dialer) = SpcatEnds.ListenerAndDialer(peerName, spcatSide);
        return CatVsCat.PairAsync(listener, dialer, "--pair1");
    }

    [PeerTheory(Peers.SpCat)]
    [PeerSides(Peers.NngCat)]
    [PeerSides(Peers.NanoCat)]
    public Task Bus(string peerName, Side spcatSide)
    {
        (Cat listener, Cat dialer) = SpcatEnds.ListenerAndDialer(peerName, spcatSide);
        return CatVsCat.BusAsync(listener, dialer);
    }
}

/// <summary>Which process takes which end of a spcat-against-peer exchange.</summary>
internal static class SpcatEnds
{
    /// <summary>
    /// The process in the pattern's first role, the one in the second, and
    /// whether the first listens: spcat is first when <paramref name="spcatFirst"/>, and listens on <see cref="Side.SpNetListens"/>.
    /// </summary>
    public static (Cat First, Cat Second, bool FirstListens) Of(string peerName, Side spcatSide, bool spcatFirst)
    {
        Cat spcat = Cat.For(Peers.SpCat);
        Cat peer = Cat.For(peerName);
        bool spcatListens = spcatSide == Side.SpNetListens;
        return spcatFirst ? (spcat, peer, spcatListens) : (peer, spcat, !spcatListens);
    }

    /// <summary>For the symmetric patterns: the listening process, spcat on <see cref="Side.SpNetListens"/>, and the dialing one.</summary>
    public static (Cat Listener, Cat Dialer) ListenerAndDialer(string peerName, Side spcatSide)
    {
        (Cat listener, Cat dialer, _) = Of(peerName, spcatSide, spcatFirst: spcatSide == Side.SpNetListens);
        return (listener, dialer);
    }
}
