using System.Net.Sockets;

namespace SpNet.Transports.Tcp;

/// <summary>
/// Applies a socket's <see cref="TcpOptions"/> (<see cref="Socket.Tcp"/>) to every TCP connection that tcp://,
/// tls+tcp://, ws:// and wss:// dial or accept. Zero values leave the operating system's own setting in place.
/// </summary>
internal static class TcpTuning
{
    /// <summary>Linux's <c>IPPROTO_TCP</c>.</summary>
    private const int IpProtoTcp = 6;

    /// <summary>Linux's <c>TCP_USER_TIMEOUT</c> (linux/tcp.h): milliseconds, as a 32-bit unsigned int.</summary>
    private const int TcpUserTimeoutOption = 18;

    /// <summary>True when <see cref="TcpOptions.UserTimeout"/> can take effect here: <c>TCP_USER_TIMEOUT</c> is Linux's option.</summary>
    public static bool UserTimeoutSupported => OperatingSystem.IsLinux();

    /// <summary>
    /// Sets the options on <paramref name="socket"/>: call it before connecting a dialed socket (so a user timeout
    /// also bounds the handshake's retransmissions) and right after accepting one.
    /// </summary>
    public static void Apply(this TcpOptions options, System.Net.Sockets.Socket socket)
    {
        socket.NoDelay = options.NoDelay;
        if (options.KeepAlive)
        {
            // SO_KEEPALIVE exists everywhere sockets do; a failure here is a real error, so it is not swallowed.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            TrySet(socket, SocketOptionName.TcpKeepAliveTime, (int)options.KeepAliveTime.TotalSeconds);
            TrySet(socket, SocketOptionName.TcpKeepAliveInterval, (int)options.KeepAliveInterval.TotalSeconds);
            TrySet(socket, SocketOptionName.TcpKeepAliveRetryCount, options.KeepAliveRetryCount);
        }
        if (options.UserTimeout > TimeSpan.Zero && UserTimeoutSupported)
        {
            Span<byte> value = stackalloc byte[4];
            // Native byte order, as the kernel reads its unsigned int.
            BitConverter.TryWriteBytes(value, (int)Math.Ceiling(options.UserTimeout.TotalMilliseconds));
            socket.SetRawSocketOption(IpProtoTcp, TcpUserTimeoutOption, value);
        }
    }

    /// <summary>Reads back Linux's <c>TCP_USER_TIMEOUT</c> from <paramref name="socket"/>, in milliseconds (for tests and diagnostics).</summary>
    public static int ReadUserTimeoutMilliseconds(System.Net.Sockets.Socket socket)
    {
        Span<byte> value = stackalloc byte[4];
        int length = socket.GetRawSocketOption(IpProtoTcp, TcpUserTimeoutOption, value);
        return length == 4 ? BitConverter.ToInt32(value) : -1;
    }

    /// <summary>
    /// Sets one keepalive tuning value when one was asked (non-zero). An OS without the option (older Windows lacks
    /// the retry count) refuses it; the connection then keeps that OS default rather than failing, since keepalive
    /// itself is on and a refused tuning knob is no reason to refuse the peer.
    /// </summary>
    private static void TrySet(System.Net.Sockets.Socket socket, SocketOptionName option, int value)
    {
        if (value <= 0)
        {
            return;
        }
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Tcp, option, value);
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ProtocolOption or SocketError.OperationNotSupported or SocketError.InvalidArgument)
        {
            _ = ex; // see the summary: kept at the OS default
        }
    }
}
