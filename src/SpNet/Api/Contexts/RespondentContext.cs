using SpNet.Protocols;

namespace SpNet;

/// <summary>
/// A RESPONDENT context (from <see cref="RespondentSocket.OpenContext"/>): receives one survey and answers it with
/// its own saved backtrace, so several workers can each hold a survey at once. RESPONDENT has no per-context
/// options; the I/O is <see cref="SocketContext"/>'s.
/// </summary>
public sealed class RespondentContext : SocketContext
{
    internal RespondentContext(RespondentSocket socket, IProtocolContext survey) : base(socket, survey)
    {
    }
}
