namespace SpNet.Bench.Harness;

/// <summary>
/// One socket of one library, driven the same way whichever library it is: blocking calls on the caller's thread,
/// bodies copied from and into caller buffers (nng_send/nng_recv, nn_send/nn_recv, Socket.Send(span)/Receive()).
/// </summary>
internal abstract class BenchSocket : IDisposable
{
    /// <summary>Opens a socket of <paramref name="kind"/> in <paramref name="library"/>.</summary>
    public static BenchSocket Open(Library library, SocketKind kind) => library switch
    {
        Library.SpNet => new SpNetBenchSocket(kind, asynchronous: false),
        Library.SpNetAsync => new SpNetBenchSocket(kind, asynchronous: true),
        Library.Nng => new NngBenchSocket(kind),
        Library.Nanomsg => new NanomsgBenchSocket(kind),
        Library.NetMQ => new NetMQBenchSocket(kind),
        _ => throw new ArgumentOutOfRangeException(nameof(library)),
    };

    /// <summary>Binds <paramref name="url"/>; returns the URL peers should dial (tcp port 0 resolved where the library can tell).</summary>
    public abstract string Listen(string url);

    /// <summary>Dials <paramref name="url"/>; waits for the first connection where the library can (SpNet, NNG), else returns at once (nanomsg).</summary>
    public abstract void Dial(string url);

    /// <summary>Sends a copy of <paramref name="body"/>, blocking as the pattern requires.</summary>
    public abstract void Send(ReadOnlySpan<byte> body);

    /// <summary>Receives one message into <paramref name="buffer"/> and returns its full length; throws <see cref="BenchTimeoutException"/> on timeout.</summary>
    public abstract int Receive(Span<byte> buffer);

    /// <summary>Async form; native libraries and SpNet in sync mode complete synchronously.</summary>
    public virtual ValueTask SendAsync(ReadOnlyMemory<byte> body)
    {
        Send(body.Span);
        return default;
    }

    /// <summary>Async form; native libraries and SpNet in sync mode complete synchronously.</summary>
    public virtual ValueTask<int> ReceiveAsync(Memory<byte> buffer) => new(Receive(buffer.Span));

    /// <summary>Receive timeout in milliseconds; negative waits forever.</summary>
    public abstract void SetReceiveTimeout(int milliseconds);

    /// <summary>Send timeout in milliseconds; negative waits forever.</summary>
    public abstract void SetSendTimeout(int milliseconds);

    /// <summary>Queue depth in messages (NNG_OPT_RECVBUF/SENDBUF = 128 in perf). nanomsg sizes its buffers in bytes and keeps its defaults.</summary>
    public abstract void SetQueueDepth(int messages);

    /// <summary>Adds a SUB prefix.</summary>
    public abstract void Subscribe(ReadOnlySpan<byte> prefix);

    /// <summary>Closes the socket.</summary>
    public abstract void Dispose();
}
