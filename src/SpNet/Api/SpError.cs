namespace SpNet;

/// <summary>
/// Error codes carried by <see cref="SpNetException"/>. The numeric values match NNG's <c>nng_errno_enum</c>
/// so that logs and tools can be compared with NNG's output directly.
/// </summary>
public enum SpError
{
    /// <summary>No error.</summary>
    None = 0,
    /// <summary>The operation was interrupted (NNG_EINTR).</summary>
    Interrupted = 1,
    /// <summary>Out of memory (NNG_ENOMEM).</summary>
    NoMemory = 2,
    /// <summary>An argument was invalid, for example a malformed URL (NNG_EINVAL).</summary>
    InvalidArgument = 3,
    /// <summary>The resource is busy, for example a second peer on a PAIR0 socket (NNG_EBUSY).</summary>
    Busy = 4,
    /// <summary>The operation timed out (NNG_ETIMEDOUT).</summary>
    TimedOut = 5,
    /// <summary>The remote peer refused the connection (NNG_ECONNREFUSED).</summary>
    ConnectionRefused = 6,
    /// <summary>The socket, dialer or listener is closed (NNG_ECLOSED).</summary>
    Closed = 7,
    /// <summary>The operation would block (NNG_EAGAIN).</summary>
    TryAgain = 8,
    /// <summary>The operation is not supported (NNG_ENOTSUP).</summary>
    NotSupported = 9,
    /// <summary>The address is already in use (NNG_EADDRINUSE).</summary>
    AddressInUse = 10,
    /// <summary>The protocol is in the wrong state for the operation, e.g. REP send without a request (NNG_ESTATE).</summary>
    IncorrectState = 11,
    /// <summary>An entry was not found, e.g. an unknown transport scheme (NNG_ENOENT).</summary>
    NoEntry = 12,
    /// <summary>The peer violated the SP protocol (NNG_EPROTO).</summary>
    Protocol = 13,
    /// <summary>The destination is unreachable (NNG_EUNREACHABLE).</summary>
    Unreachable = 14,
    /// <summary>The address is invalid (NNG_EADDRINVAL).</summary>
    AddressInvalid = 15,
    /// <summary>Permission denied (NNG_EPERM).</summary>
    Permission = 16,
    /// <summary>The message is larger than allowed (NNG_EMSGSIZE).</summary>
    MessageTooLarge = 17,
    /// <summary>The connection was aborted (NNG_ECONNABORTED).</summary>
    ConnectionAborted = 18,
    /// <summary>The connection was reset by the peer (NNG_ECONNRESET).</summary>
    ConnectionReset = 19,
    /// <summary>The operation was canceled (NNG_ECANCELED).</summary>
    Canceled = 20,
    /// <summary>The option is read-only (NNG_EREADONLY).</summary>
    ReadOnly = 24,
    /// <summary>The option is write-only (NNG_EWRITEONLY).</summary>
    WriteOnly = 25,
    /// <summary>A cryptographic (TLS) failure: the handshake failed or the peer's certificate was not trusted (NNG_ECRYPTO).</summary>
    Crypto = 26,
    /// <summary>Peer authentication failed, e.g. a required client certificate was missing or refused (NNG_EPEERAUTH).</summary>
    PeerAuth = 27,
    /// <summary>A value of the wrong type for an option, e.g. text for a duration (NNG_EBADTYPE).</summary>
    BadType = 30,
    /// <summary>The connection was shut down (NNG_ECONNSHUT).</summary>
    ConnectionShutdown = 31,
    /// <summary>An internal error (NNG_EINTERNAL).</summary>
    Internal = 1000,
}
