namespace SpNet.Interop.Tests;

/// <summary>Which end of the TCP connection SpNet takes in an interop test.</summary>
public enum Side
{
    /// <summary>SpNet listens on 127.0.0.1:0; the peer process dials it (the listener is up before the peer starts).</summary>
    SpNetListens,

    /// <summary>The peer process listens on a free port; SpNet dials it (in the background, redialing until it is up).</summary>
    SpNetDials,
}
