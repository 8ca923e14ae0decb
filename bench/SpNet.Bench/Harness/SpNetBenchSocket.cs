using System.Runtime.CompilerServices;
using SpNet.Transports;

namespace SpNet.Bench.Harness;

/// <summary>SpNet behind the harness, in sync mode (blocking wrappers) or async mode (SendAsync/ReceiveAsync).</summary>
internal sealed class SpNetBenchSocket : BenchSocket
{
    private readonly Socket _socket;
    private readonly bool _asynchronous;

    public SpNetBenchSocket(SocketKind kind, bool asynchronous)
    {
        _asynchronous = asynchronous;
        _socket = Create(kind);
    }

    /// <summary>True when SpNet registers the ipc:// transport.</summary>
    public static bool HasIpc => TransportRegistry.Schemes.Contains("ipc");

    /// <summary>The socket itself (statistics, Linger…).</summary>
    public Socket Socket => _socket;

    public override string Listen(string url) => _socket.Listen(url).Url;

    public override void Dial(string url)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        _socket.DialAsync(url, timeout.Token).AsTask().GetAwaiter().GetResult();
    }

    public override void Send(ReadOnlySpan<byte> body)
    {
        try
        {
            _socket.Send(body);
        }
        catch (SpNetException ex) when (ex.Error == SpError.TimedOut)
        {
            throw new BenchTimeoutException("send timed out", ex);
        }
    }

    public override int Receive(Span<byte> buffer)
    {
        Message message;
        try
        {
            message = _socket.Receive();
        }
        catch (SpNetException ex) when (ex.Error == SpError.TimedOut)
        {
            throw new BenchTimeoutException("receive timed out", ex);
        }
        return CopyOut(message, buffer.Length == 0 ? [] : buffer);
    }

    public override ValueTask SendAsync(ReadOnlyMemory<byte> body)
    {
        if (!_asynchronous)
        {
            return base.SendAsync(body);
        }
        ValueTask sent = _socket.SendAsync(body);
        return sent.IsCompletedSuccessfully ? default : Await(sent);

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        static async ValueTask Await(ValueTask pending)
        {
            try
            {
                await pending;
            }
            catch (SpNetException ex) when (ex.Error == SpError.TimedOut)
            {
                throw new BenchTimeoutException("send timed out", ex);
            }
        }
    }

    public override ValueTask<int> ReceiveAsync(Memory<byte> buffer)
    {
        if (!_asynchronous)
        {
            return base.ReceiveAsync(buffer);
        }
        ValueTask<Message> received = _socket.ReceiveAsync();
        return received.IsCompletedSuccessfully ? new(CopyOut(received.Result, buffer.Span)) : Await(received, buffer);

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        static async ValueTask<int> Await(ValueTask<Message> pending, Memory<byte> buffer)
        {
            Message message;
            try
            {
                message = await pending;
            }
            catch (SpNetException ex) when (ex.Error == SpError.TimedOut)
            {
                throw new BenchTimeoutException("receive timed out", ex);
            }
            return CopyOut(message, buffer.Span);
        }
    }

    public override void SetReceiveTimeout(int milliseconds) =>
        _socket.ReceiveTimeout = milliseconds < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(milliseconds);

    public override void SetSendTimeout(int milliseconds) =>
        _socket.SendTimeout = milliseconds < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(milliseconds);

    public override void SetQueueDepth(int messages)
    {
        // As NNG's SENDBUF + RECVBUF: both queues, where the protocol has them.
        _socket.SendBufferSize = messages;
        _socket.ReceiveBufferSize = messages;
    }

    public override void Subscribe(ReadOnlySpan<byte> prefix) => ((SubSocket)_socket).Subscribe(prefix);

    public override void Dispose() => _socket.Dispose();

    private static int CopyOut(Message message, Span<byte> buffer)
    {
        using (message)
        {
            ReadOnlySpan<byte> body = message.Body;
            body[..Math.Min(body.Length, buffer.Length)].CopyTo(buffer);
            return body.Length;
        }
    }

    private static Socket Create(SocketKind kind) => kind switch
    {
        SocketKind.Pair0 => new PairSocket(),
        SocketKind.Pair1 => new Pair1Socket(),
        SocketKind.Push => new PushSocket(),
        SocketKind.Pull => new PullSocket(),
        SocketKind.Pub => new PubSocket(),
        SocketKind.Sub => new SubSocket(),
        SocketKind.Req => new ReqSocket(),
        SocketKind.Rep => new RepSocket(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
