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
    public Task Pair(string peerName, Side spcatSide) => spcatSide == Side.SpNetListens
        ? CatVsCat.PairAsync(Cat.For(Peers.SpCat), Cat.For(peerName))
        : CatVsCat.PairAsync(Cat.For(peerName), Cat.For(Peers.SpCat));

    [PeerTheory(Peers.SpCat)]
    [PeerSides(Peers.NngCat)]
    [PeerSides(Peers.NanoCat)]
    public Task SpcatPush_PeerPull(string peerName, Side spcatSide) =>
        CatVsCat.PushPullAsync(Cat.For(Peers.SpCat), Cat.For(peerName), pusherListens: spcatSide == Side.SpNetListens);

    [PeerTheory(Peers.SpCat)]
    [PeerSides(Peers.NngCat)]
    [PeerSides(Peers.NanoCat)]
    public Task PeerPush_SpcatPull(string peerName, Side spcatSide) =>
        CatVsCat.PushPullAsync(Cat.For(peerName), Cat.For(Peers.SpCat), pusherListens: spcatSide == Side.SpNetDials);
}

/// <summary>spcat PUB/SUB against nngcat and nanocat.</summary>
public sealed class SpcatPubSubInteropTests
{
    [PeerTheory(Peers.SpCat)]
    [PeerSides(Peers.NngCat)]
    [PeerSides(Peers.NanoCat)]
    public Task SpcatPub_PeerSub(string peerName, Side spcatSide) =>
        CatVsCat.PubSubAsync(Cat.For(Peers.SpCat), Cat.For(peerName), publisherListens: spcatSide == Side.SpNetListens);

    [PeerTheory(Peers.SpCat)]
    [PeerSides(Peers.NngCat)]
    [PeerSides(Peers.NanoCat)]
    public Task PeerPub_SpcatSub(string peerName, Side spcatSide) =>
        CatVsCat.PubSubAsync(Cat.For(peerName), Cat.For(Peers.SpCat), publisherListens: spcatSide == Side.SpNetDials);
}

/// <summary>spcat REQ/REP against nngcat and nanocat.</summary>
public sealed class SpcatReqRepInteropTests
{
    [PeerTheory(Peers.SpCat)]
    [PeerSides(Peers.NngCat)]
    [PeerSides(Peers.NanoCat)]
    public Task SpcatReq_PeerRep(string peerName, Side spcatSide) =>
        CatVsCat.ReqRepAsync(Cat.For(Peers.SpCat), Cat.For(peerName), requesterListens: spcatSide == Side.SpNetListens);

    [PeerTheory(Peers.SpCat)]
    [PeerSides(Peers.NngCat)]
    [PeerSides(Peers.NanoCat)]
    public Task PeerReq_SpcatRep(string peerName, Side spcatSide) =>
        CatVsCat.ReqRepAsync(Cat.For(peerName), Cat.For(Peers.SpCat), requesterListens: spcatSide == Side.SpNetDials);
}

/// <summary>spcat PAIR1 against nngcat (nanocat has no pair1) and BUS against nngcat (<c>--bus0</c>) and nanocat (<c>--bus</c>).</summary>
public sealed class SpcatPair1BusInteropTests
{
    [PeerTheory(Peers.SpCat)]
    [PeerSides(Peers.NngCat)]
    public Task Pair1(string peerName, Side spcatSide) => spcatSide == Side.SpNetListens
        ? CatVsCat.PairAsync(Cat.For(Peers.SpCat), Cat.For(peerName), "--pair1")
        : CatVsCat.PairAsync(Cat.For(peerName), Cat.For(Peers.SpCat), "--pair1");

    [PeerTheory(Peers.SpCat)]
    [PeerSides(Peers.NngCat)]
    [PeerSides(Peers.NanoCat)]
    public Task Bus(string peerName, Side spcatSide) => spcatSide == Side.SpNetListens
        ? CatVsCat.BusAsync(Cat.For(Peers.SpCat), Cat.For(peerName))
        : CatVsCat.BusAsync(Cat.For(peerName), Cat.For(Peers.SpCat));
}
