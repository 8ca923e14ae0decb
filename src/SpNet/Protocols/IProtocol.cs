using SpNet.Core;

namespace SpNet.Protocols;

/// <summary>
/// One SP pattern's semantics behind a narrow seam. A protocol sees pipes only as peers it can offer a message
/// to and that deliver messages to it; it never touches the socket, dialers, listeners or any transport.
/// </summary>
/// <remarks>
/// The socket's own send and receive are the protocol's default context (<see cref="IProtocolContext"/>).
/// Methods may be called from any thread at once. A protocol never holds a lock while calling into a pipe's
/// send queue from a path that could wait, nor while completing a waiter.
/// </remarks>
internal interface IProtocol : IProtocolContext
{
    /// <summary>Our id and name, and the id and name a peer must have.</summary>
    ProtocolInfo Info { get; }

    /// <summary>True for raw (device) mode: headers pass through to the application, no protocol state.</summary>
    bool IsRaw => false;

    /// <summary>Offers a new pipe. Returns false to refuse it (the socket then closes it), e.g. PAIR0's second peer.</summary>
    bool AddPipe(Pipe pipe);

    /// <summary>The pipe closed; forget it and recover what it carried (REQ resends).</summary>
    void RemovePipe(Pipe pipe);

    /// <summary>A message arrived on <paramref name="pipe"/>; the protocol owns it now. Waiting here applies backpressure to that pipe.</summary>
    ValueTask DeliverAsync(Pipe pipe, Message message);

    /// <summary>The pipe's send queue has room again.</summary>
    void OnPipeWritable(Pipe pipe);

    /// <summary>Resizes the socket-level receive queue (NNG_OPT_RECVBUF, messages). Protocols without one ignore it.</summary>
    void SetReceiveBufferSize(int messages)
    {
    }
}

/// <summary>Identity of a protocol: ids as on the wire, names as in the WebSocket subprotocol.</summary>
internal sealed record ProtocolInfo(ushort SelfId, string SelfName, ushort PeerId, string PeerName);

/// <summary>The protocol ids of the SP patterns (protocol number × 16 + role).</summary>
internal static class ProtocolIds
{
    public static readonly ProtocolInfo Pair0 = new(0x10, "pair", 0x10, "pair");
    public static readonly ProtocolInfo Pub = new(0x20, "pub", 0x21, "sub");
    public static readonly ProtocolInfo Sub = new(0x21, "sub", 0x20, "pub");
    public static readonly ProtocolInfo Req = new(0x30, "req", 0x31, "rep");
    public static readonly ProtocolInfo Rep = new(0x31, "rep", 0x30, "req");
    public static readonly ProtocolInfo Push = new(0x50, "push", 0x51, "pull");
    public static readonly ProtocolInfo Pull = new(0x51, "pull", 0x50, "push");
    public static readonly ProtocolInfo Pair1 = new(0x11, "pair1", 0x11, "pair1");
    public static readonly ProtocolInfo Bus = new(0x70, "bus", 0x70, "bus");
    public static readonly ProtocolInfo Star = new(0x640, "star", 0x640, "star");
    public static readonly ProtocolInfo Surveyor = new(0x62, "surveyor", 0x63, "respondent");
    public static readonly ProtocolInfo Respondent = new(0x63, "respondent", 0x62, "surveyor");
}
