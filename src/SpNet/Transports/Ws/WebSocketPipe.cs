using System.Net.WebSockets;
using SpNet.Core;

namespace SpNet.Transports.Ws;

/// <summary>
/// A pipe over one WebSocket connection (the SP WebSocket mapping): one SP message (header ‖ body, no length
/// prefix) per binary WebSocket message. Sent messages are split into frames of at most <see cref="MaxFrameSize"/>;
/// received ones are reassembled from however many frames the peer used. Text messages close the pipe (1003), as NNG.
/// </summary>
internal sealed class WebSocketPipe : Pipe
{
    /// <summary>Largest frame we send (NNG's listener uses 64 KiB; NNG accepts at most 1 MiB per frame).</summary>
    internal const int MaxFrameSize = 64 * 1024;

    /// <summary>
    /// Room for the first receive of a message: the wait for the next message happens in it, so an idle pipe holds
    /// 1 KiB rather than a full chunk (a 16 KiB room took a 32 KiB buffer: ~92 KiB per idle ws pipe with the write
    /// buffer, against NNG's ~13 KiB), and most SP messages fit.
    /// </summary>
    private const int FirstReceive = 1024 - 16;

    /// <summary>Free space made in the message buffer before each later receive, at least.</summary>
    private const int ReceiveChunk = 16 * 1024;

    private readonly WebSocket _socket;
    private readonly Stream _stream;
    private readonly long _maxReceiveSize;

    public WebSocketPipe(WebSocket socket, Stream stream, ushort peerProtocol, string localAddress, string remoteAddress, long maxReceiveSize, int sendQueueCapacity)
        : base(peerProtocol, localAddress, remoteAddress, sendQueueCapacity)
    {
        _socket = socket;
        _stream = stream;
        _maxReceiveSize = maxReceiveSize;
    }

    protected override void CloseTransport()
    {
        _socket.Abort();
        try
        {
            _stream.Dispose();
        }
        catch (IOException)
        {
            // Already broken: nothing more to release.
        }
    }

    protected override async Task ReadLoopAsync()
    {
        while (true)
        {
            Message? message = await ReceiveMessageAsync().ConfigureAwait(false);
            if (message is null)
            {
                return;
            }
            Host.Statistics.CountReceived(message.Length);
            await Host.DeliverAsync(this, message).ConfigureAwait(false);
        }
    }

    /// <summary>Receives one whole binary message, or null when the peer closed.</summary>
    private async ValueTask<Message?> ReceiveMessageAsync()
    {
        Message message = Message.Create(0);
        try
        {
            int used = 0;
            while (true)
            {
                long room = used == 0 ? FirstReceive : Math.Max(ReceiveChunk, used);
                if (_maxReceiveSize > 0)
                {
                    room = Math.Min(room, _maxReceiveSize + 1 - used); // one byte over the limit proves the breach
                }
                message.Resize(used + (int)Math.Min(room, int.MaxValue - used));
                ValueWebSocketReceiveResult result = await _socket.ReceiveAsync(message.BodyMemory[used..], CancellationToken.None).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    message.Dispose();
                    return null;
                }
                if (result.MessageType == WebSocketMessageType.Text)
                {
                    Host.Statistics.RecordProtocolError();
                    await CloseOutputQuietlyAsync(WebSocketCloseStatus.InvalidMessageType, "SP needs binary messages").ConfigureAwait(false);
                    throw new SpNetException(SpError.Protocol, "peer sent a text WebSocket message (SP needs binary)");
                }
                used += result.Count;
                if (_maxReceiveSize > 0 && used > _maxReceiveSize)
                {
                    Host.Statistics.RecordOversized();
                    await CloseOutputQuietlyAsync(WebSocketCloseStatus.MessageTooBig, "message too large").ConfigureAwait(false);
                    throw new SpNetException(SpError.MessageTooLarge, $"peer sent a message over the receive limit of {_maxReceiveSize} bytes");
                }
                if (result.EndOfMessage)
                {
                    message.Resize(used);
                    return message;
                }
            }
        }
        catch
        {
            message.Dispose();
            throw;
        }
    }

    private async ValueTask CloseOutputQuietlyAsync(WebSocketCloseStatus status, string reason)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await _socket.CloseOutputAsync(status, reason, bound.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            _ = ex; // best effort: the pipe closes either way
        }
    }

    protected override async Task WriteLoopAsync()
    {
        var queue = SendQueue;
        while (await queue.WaitToReadAsync().ConfigureAwait(false))
        {
            // Rented per burst, not for the pipe's life, and no larger than the burst's frames need: an idle pipe
            // holds no frame buffer, and a pipe sending a small reply now and then takes a small one from the pool
            // (a 64 KiB buffer per burst from the runtime's shared pool cost ~30 KiB per idle ws pipe, NNG ~13 KiB).
            byte[]? buffer = null;
            try
            {
                while (queue.TryRead(out Message? message))
                {
                    try
                    {
                        int length = message.Length;
                        int frame = Math.Min(length, MaxFrameSize);
                        if (buffer is null || buffer.Length < frame)
                        {
                            if (buffer is not null)
                            {
                                BufferPool.Return(buffer);
                            }
                            buffer = BufferPool.Rent(Math.Max(frame, 1));
                        }
                        await SendMessageAsync(message, buffer).ConfigureAwait(false);
                        Host.Statistics.CountSent(length);
                    }
                    finally
                    {
                        message.Dispose();
                    }
                }
            }
            finally
            {
                if (buffer is not null)
                {
                    BufferPool.Return(buffer);
                }
            }
            Host.OnWritable(this);
        }
    }

    /// <summary>Sends header ‖ body as one binary message in frames of at most <see cref="MaxFrameSize"/> bytes.</summary>
    private async ValueTask SendMessageAsync(Message message, byte[] buffer)
    {
        // First frame: the header and as much of the body as fits, copied together.
        int header = message.HeaderLength;
        if (header > MaxFrameSize)
        {
            // Only raw mode can build such a header; give it a frame of its own.
            await _socket.SendAsync(message.Header.ToArray(), WebSocketMessageType.Binary, message.BodyLength == 0, CancellationToken.None).ConfigureAwait(false);
            header = 0;
        }
        else
        {
            message.Header.CopyTo(buffer);
        }
        int first = Math.Min(message.BodyLength, MaxFrameSize - header);
        message.Body[..first].CopyTo(buffer.AsSpan(header));
        bool done = first == message.BodyLength;
        if (header + first == 0 && message.HeaderLength > 0)
        {
            return; // the header frame above already ended the (body-less) message
        }
        await _socket.SendAsync(buffer.AsMemory(0, header + first), WebSocketMessageType.Binary, done, CancellationToken.None).ConfigureAwait(false);
        // The rest straight from the body.
        ReadOnlyMemory<byte> rest = message.BodyMemory[first..];
        while (rest.Length > 0)
        {
            int n = Math.Min(rest.Length, MaxFrameSize);
            await _socket.SendAsync(rest[..n], WebSocketMessageType.Binary, n == rest.Length, CancellationToken.None).ConfigureAwait(false);
            rest = rest[n..];
        }
    }
}
