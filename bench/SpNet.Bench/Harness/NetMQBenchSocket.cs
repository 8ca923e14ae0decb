using NetMQ;
using Mq = NetMQ.Sockets;

namespace SpNet.Bench.Harness;

/// <summary>
/// NetMQ 4.0.4.5 (the pure-C# ZeroMQ port) behind the harness: <c>TrySend</c>/<c>TryReceive</c> of a <see cref="Msg"/>
/// copied from and into caller buffers. NetMQ speaks ZeroMQ's own wire (ZMTP), not SP: it only ever faces itself.
/// </summary>
internal sealed class NetMQBenchSocket : BenchSocket
{
    private readonly NetMQSocket _socket;
    private TimeSpan _receiveTimeout = TimeSpan.FromSeconds(10);
    private TimeSpan _sendTimeout = TimeSpan.FromSeconds(10);
    private int _closed;

    public NetMQBenchSocket(SocketKind kind)
    {
        _socket = kind switch
        {
            SocketKind.Pair0 => new Mq.PairSocket(),
            SocketKind.Pair1 => throw new BenchException("NetMQ has no SP PAIR1 (its PAIR is ZeroMQ's)"),
            SocketKind.Push => new Mq.PushSocket(),
            SocketKind.Pull => new Mq.PullSocket(),
            SocketKind.Pub => new Mq.PublisherSocket(),
            SocketKind.Sub => new Mq.SubscriberSocket(),
            SocketKind.Req => new Mq.RequestSocket(),
            SocketKind.Rep => new Mq.ResponseSocket(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        _socket.Options.Linger = TimeSpan.FromSeconds(1);
    }

    public override string Listen(string url)
    {
        if (url.StartsWith("tcp://", StringComparison.Ordinal) && url.EndsWith(":0", StringComparison.Ordinal))
        {
            int port = _socket.BindRandomPort(url[..^2]);
            return string.Concat(url.AsSpan(0, url.Length - 1), port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        _socket.Bind(url);
        return url;
    }

    /// <summary>Connects in the background (as ZeroMQ does): returns at once; the first send waits for the peer.</summary>
    public override void Dial(string url) => _socket.Connect(url);

    public override void Send(ReadOnlySpan<byte> body)
    {
        var msg = new Msg();
        msg.InitPool(body.Length);
        body.CopyTo(msg.Slice());
        try
        {
            if (!_socket.TrySend(ref msg, _sendTimeout, more: false))
            {
                throw new BenchTimeoutException("NetMQ send timed out");
            }
        }
        finally
        {
            msg.Close();
        }
    }

    public override int Receive(Span<byte> buffer)
    {
        var msg = new Msg();
        msg.InitEmpty();
        try
        {
            if (!_socket.TryReceive(ref msg, _receiveTimeout))
            {
                throw new BenchTimeoutException("NetMQ receive timed out");
            }
            Span<byte> body = msg.Slice();
            body[..Math.Min(body.Length, buffer.Length)].CopyTo(buffer);
            return msg.Size;
        }
        finally
        {
            msg.Close();
        }
    }

    public override void SetReceiveTimeout(int milliseconds) =>
        _receiveTimeout = milliseconds < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(milliseconds);

    public override void SetSendTimeout(int milliseconds) =>
        _sendTimeout = milliseconds < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(milliseconds);

    /// <summary>ZeroMQ's high-water marks count messages, as NNG's SENDBUF/RECVBUF do.</summary>
    public override void SetQueueDepth(int messages)
    {
        _socket.Options.SendHighWatermark = messages;
        _socket.Options.ReceiveHighWatermark = messages;
    }

    public override void Subscribe(ReadOnlySpan<byte> prefix) => ((Mq.SubscriberSocket)_socket).Subscribe(prefix.ToArray());

    public override void Dispose()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            _socket.Dispose();
        }
    }
}
