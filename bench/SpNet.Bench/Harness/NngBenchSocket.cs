using SpNet.Bench.Native;

namespace SpNet.Bench.Harness;

/// <summary>NNG 1.5.2 (libnng.so.1) behind the harness: nng_send/nng_recv with caller buffers.</summary>
internal sealed unsafe class NngBenchSocket : BenchSocket
{
    private readonly uint _socket;
    private int _closed;

    public NngBenchSocket(SocketKind kind)
    {
        int rv;
        uint socket;
        try
        {
            rv = kind switch
            {
                SocketKind.Pair0 => NngNative.nng_pair0_open(out socket),
                SocketKind.Pair1 => NngNative.nng_pair1_open(out socket),
                SocketKind.Push => NngNative.nng_push0_open(out socket),
                SocketKind.Pull => NngNative.nng_pull0_open(out socket),
                SocketKind.Pub => NngNative.nng_pub0_open(out socket),
                SocketKind.Sub => NngNative.nng_sub0_open(out socket),
                SocketKind.Req => NngNative.nng_req0_open(out socket),
                SocketKind.Rep => NngNative.nng_rep0_open(out socket),
                _ => throw new ArgumentOutOfRangeException(nameof(kind)),
            };
        }
        catch (DllNotFoundException ex)
        {
            throw new BenchException($"{NngNative.Library} not found: install NNG 1.5.2 (Debian libnng1)", ex);
        }
        Check(rv, "nng_socket");
        _socket = socket;
    }

    /// <summary>True when libnng.so.1 loads.</summary>
    public static bool IsAvailable => NativeProbe.CanLoad(NngNative.Library);

    public override string Listen(string url)
    {
        Check(NngNative.nng_listen(_socket, url, out uint listener, 0), "nng_listen");
        if (url.StartsWith("tcp://", StringComparison.Ordinal) && url.EndsWith(":0", StringComparison.Ordinal))
        {
            Check(NngNative.nng_listener_get_int(listener, NngNative.OptTcpBoundPort, out int port), "nng_listener_get_int(tcp-bound-port)");
            return string.Concat(url.AsSpan(0, url.Length - 1), port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return url;
    }

    public override void Dial(string url) => Check(NngNative.nng_dial(_socket, url, out _, 0), "nng_dial");

    public override void Send(ReadOnlySpan<byte> body)
    {
        int rv;
        fixed (byte* p = body)
        {
            rv = NngNative.nng_send(_socket, p, (nuint)body.Length, 0);
        }
        if (rv == NngNative.ETimedOut)
        {
            throw new BenchTimeoutException("nng_send timed out");
        }
        Check(rv, "nng_send");
    }

    public override int Receive(Span<byte> buffer)
    {
        nuint size = (nuint)buffer.Length;
        int rv;
        byte dummy = 0;
        fixed (byte* p = buffer)
        {
            rv = NngNative.nng_recv(_socket, p is null ? &dummy : p, ref size, 0);
        }
        if (rv == NngNative.ETimedOut)
        {
            throw new BenchTimeoutException("nng_recv timed out");
        }
        Check(rv, "nng_recv");
        return (int)size;
    }

    public override void SetReceiveTimeout(int milliseconds) =>
        Check(NngNative.nng_socket_set_ms(_socket, NngNative.OptRecvTimeout, milliseconds < 0 ? -1 : milliseconds), "nng_socket_set_ms(recv-timeout)");

    public override void SetSendTimeout(int milliseconds) =>
        Check(NngNative.nng_socket_set_ms(_socket, NngNative.OptSendTimeout, milliseconds < 0 ? -1 : milliseconds), "nng_socket_set_ms(send-timeout)");

    public override void SetQueueDepth(int messages)
    {
        // Not every protocol has both queues (PUSH has no receive side): as perf, set what exists.
        _ = NngNative.nng_socket_set_int(_socket, NngNative.OptRecvBuf, messages);
        _ = NngNative.nng_socket_set_int(_socket, NngNative.OptSendBuf, messages);
    }

    public override void Subscribe(ReadOnlySpan<byte> prefix)
    {
        byte dummy = 0;
        fixed (byte* p = prefix)
        {
            Check(NngNative.nng_socket_set(_socket, NngNative.OptSubSubscribe, p is null ? &dummy : p, (nuint)prefix.Length), "nng_socket_set(sub:subscribe)");
        }
    }

    public override void Dispose()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            _ = NngNative.nng_close(_socket);
        }
    }

    private static void Check(int rv, string what)
    {
        if (rv != 0)
        {
            throw new BenchException($"{what}: {NngNative.Error(rv)}");
        }
    }
}
