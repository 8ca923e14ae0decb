using SpNet.Protocols;

namespace SpNet;

/// <summary>
/// A REP context (from <see cref="RepSocket.OpenContext"/>): receives one request and answers it with its own saved
/// backtrace, so several workers can each hold a request at once. REP has no per-context options; the I/O is
/// <see cref="SocketContext"/>'s.
/// </summary>
public sealed class RepContext : SocketContext
{
    internal RepContext(RepSocket socket, IProtocolContext reply) : base(socket, reply)
    {
    }
}
