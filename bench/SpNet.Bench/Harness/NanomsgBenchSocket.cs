using SpNet.Bench.Native;

namespace SpNet.Bench.Harness;

/// <summary>nanomsg 1.1.5 (libnanomsg.so.5) behind the harness: nn_send/nn_recv with caller buffers.</summary>
internal sealed unsafe class NanomsgBenchSocket : BenchSocket
{
    private readonly int _socket;
    private int _closed;

    public NanomsgBenchSocket(SocketKind kind)
    {
        int protocol = kind switch
        {
            SocketKind.Pair0 => NanomsgNative.NnPair,
            SocketKind.Pair1 => throw new BenchException("nanomsg has no PAIR1 (its PAIR is PAIR0)"),
            SocketKind.Push => NanomsgNative.NnPush,
            SocketKind.Pull => NanomsgNative.NnPull,
            SocketKind.Pub => NanomsgNative.NnPub,
            SocketKind.Sub => NanomsgNative.NnSub,
            SocketKind.Req => NanomsgNative.NnReq,
            SocketKind.Rep => NanomsgNative.NnRep,
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        try
        {
            _socket = NanomsgNative.nn_socket(NanomsgNative.AfSp, protocol);
        }
        catch (DllNotFoundException ex)
        {
            throw new BenchException($"{NanomsgNative.Library} not found: install nanomsg 1.1.5 (Debian libnanomsg5)", ex);
        }
        Check(_socket, "nn_socket");
        // nanomsg caps received messages at 1 MiB by default, as SpNet does; nothing to change for these sizes.
    }

    /// <summary>True when libnanomsg.so.5 loads.</summary>
    public static bool IsAvailable => NativeProbe.CanLoad(NanomsgNative.Library);

    public override string Listen(string url)
    {
        if (url.StartsWith("tcp://", StringComparison.Ordinal) && url.EndsWith(":0", StringComparison.Ordinal))
        {
            // nanomsg cannot report the port it bound; pick a free one first.
            url = string.Concat(url.AsSpan(0, url.Length - 1), FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        Check(NanomsgNative.nn_bind(_socket, url), "nn_bind");
        return url;
    }

    public override void Dial(string url) => Check(NanomsgNative.nn_connect(_socket, url), "nn_connect");

    public override void Send(ReadOnlySpan<byte> body)
    {
        int rv;
        byte dummy = 0;
        fixed (byte* p = body)
        {
            rv = NanomsgNative.nn_send(_socket, p is null ? &dummy : p, (nuint)body.Length, 0);
        }
        Check(rv, "nn_send");
    }

    public override int Receive(Span<byte> buffer)
    {
        int rv;
        byte dummy = 0;
        fixed (byte* p = buffer)
        {
            rv = NanomsgNative.nn_recv(_socket, p is null ? &dummy : p, (nuint)buffer.Length, 0);
        }
        Check(rv, "nn_recv");
        return rv;
    }

    public override void SetReceiveTimeout(int milliseconds) =>
        Check(NanomsgNative.SetInt(_socket, NanomsgNative.SolSocket, NanomsgNative.ReceiveTimeout, milliseconds < 0 ? -1 : milliseconds), "nn_setsockopt(NN_RCVTIMEO)");

    public override void SetSendTimeout(int milliseconds) =>
        Check(NanomsgNative.SetInt(_socket, NanomsgNative.SolSocket, NanomsgNative.SendTimeout, milliseconds < 0 ? -1 : milliseconds), "nn_setsockopt(NN_SNDTIMEO)");

    public override void SetQueueDepth(int messages)
    {
        // NN_SNDBUF/NN_RCVBUF are bytes (default 128 KiB), not messages: give 1 KiB per message asked for, never
        // less than the default, so deep queues (PUB/SUB) get room and the perf runs keep nanomsg's defaults.
        int bytes = (int)Math.Min(int.MaxValue, Math.Max(128L * 1024, messages * 1024L));
        _ = NanomsgNative.SetInt(_socket, NanomsgNative.SolSocket, NanomsgNative.SendBuffer, bytes);
        _ = NanomsgNative.SetInt(_socket, NanomsgNative.SolSocket, NanomsgNative.ReceiveBuffer, bytes);
    }

    public override void Subscribe(ReadOnlySpan<byte> prefix)
    {
        byte dummy = 0;
        fixed (byte* p = prefix)
        {
            Check(NanomsgNative.nn_setsockopt(_socket, NanomsgNative.NnSub, NanomsgNative.SubSubscribe, p is null ? &dummy : p, (nuint)prefix.Length), "nn_setsockopt(NN_SUB_SUBSCRIBE)");
        }
    }

    public override void Dispose()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            _ = NanomsgNative.nn_close(_socket);
        }
    }

    private static void Check(int rv, string what)
    {
        if (rv < 0)
        {
            int errno = NanomsgNative.nn_errno();
            if (errno == NanomsgNative.ETimedOut)
            {
                throw new BenchTimeoutException($"{what} timed out");
            }
            throw new BenchException($"{what}: {NanomsgNative.Error(errno)}");
        }
    }
}
