using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;

namespace SpNet;

/// <summary>
/// One SP message: a small protocol <see cref="Header"/> (request ids, backtraces, hop counts) and a
/// <see cref="Body"/> held in pooled memory. On the wire the two are simply concatenated.
/// </summary>
/// <remarks>
/// <para>Ownership: a message belongs to exactly one owner. A successful send transfers it to SpNet; after a
/// failed send the caller still owns it. A received message belongs to the caller, who should
/// <see cref="Dispose"/> it to return its buffer to the pool (forgetting to is safe, just slower).</para>
/// <para>Misuse is detected: after a successful send, every member (reading <see cref="Body"/>,
/// <see cref="BodyMemory"/> or <see cref="Header"/>, appending, sending it again…) throws
/// <see cref="ObjectDisposedException"/> saying "this message was sent; a sent message belongs to the socket"; after
/// <see cref="Dispose"/>, "this message was disposed"; while an awaited send is still pending, "this message is being
/// sent". <see cref="Dispose"/> itself never throws: a second Dispose, or one after a send (a <c>using</c> around a
/// send), does nothing. A send never hands this object to the pipeline: the contents move to a shell only SpNet can
/// reach, so neither a sender (inproc included) nor a later Dispose can change what a receiver holds.</para>
/// <para>What is not detected: message objects are pooled. The pool is first in, first out and hands a released
/// object out again only after 1,024 other messages were released after it in the process (fewer only by threads
/// taking one at that very instant), so a mistake in the lines right after a send or Dispose is caught; a reference
/// kept longer may by then name another message, which it would read, change or dispose. Nor is a
/// <see cref="Span{T}"/> or <see cref="Memory{T}"/> taken
/// from <see cref="Body"/> or <see cref="BodyMemory"/> tracked: after the send or Dispose it points into a pooled
/// buffer that may already hold another message. A message is not thread-safe.</para>
/// </remarks>
public sealed class Message : IDisposable
{
    private const int InitialHeaderCapacity = 64;

    /// <summary>Spare bytes kept before the body so a header can be put in front of it without copying the body (inproc).</summary>
    private const int Headroom = 16;
    private static readonly byte[] s_empty = [];

    private byte[] _header = new byte[InitialHeaderCapacity];
    private int _headerLength;
    private byte[] _body = s_empty;
    private int _bodyOffset;
    private int _bodyLength;
    private int _refCount = 1;
    private int _state;

    /// <summary>Where a message is in its life; every public member but <see cref="Dispose"/> needs <see cref="Live"/>.</summary>
    private const int Live = 0, Sending = 1, Sent = 2, Disposed = 3;

    internal Message() { }

    /// <summary>Creates a message with an empty header and a body of <paramref name="bodyLength"/> bytes (contents unspecified).</summary>
    public static Message Create(int bodyLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bodyLength);
        Message m = MessagePool.Rent();
        m.Reserve(bodyLength);
        m._bodyLength = bodyLength;
        return m;
    }

    /// <summary>
    /// Creates a message whose body is <paramref name="body"/> itself, not a copy: the message owns the array from
    /// then on (it may go to the buffer pool when the message is disposed), so the caller must not touch it again.
    /// For spcat's last send of a file, which must not hold two copies of a large file.
    /// </summary>
    internal static Message Adopt(byte[] body)
    {
        Message m = MessagePool.Rent();
        m._body = body;
        m._bodyOffset = 0;
        m._bodyLength = body.Length;
        return m;
    }

    /// <summary>Creates a message whose body is a copy of <paramref name="body"/>.</summary>
    public static Message Create(ReadOnlySpan<byte> body)
    {
        Message m = Create(body.Length);
        body.CopyTo(m.Body);
        return m;
    }

    /// <summary>Creates a message whose body is the UTF-8 encoding of <paramref name="text"/>.</summary>
    public static Message Create(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Message m = Create(Encoding.UTF8.GetByteCount(text));
        Encoding.UTF8.GetBytes(text, m.Body);
        return m;
    }

    /// <summary>The body: the application payload.</summary>
    public Span<byte> Body
    {
        get
        {
            ThrowIfNotLive();
            return _body.AsSpan(_bodyOffset, _bodyLength);
        }
    }

    /// <summary>The body as <see cref="Memory{T}"/>, valid until the message is disposed or sent.</summary>
    public Memory<byte> BodyMemory
    {
        get
        {
            ThrowIfNotLive();
            return _body.AsMemory(_bodyOffset, _bodyLength);
        }
    }

    /// <summary>The protocol header. Empty for cooked sockets except in raw mode.</summary>
    public Span<byte> Header
    {
        get
        {
            ThrowIfNotLive();
            return _header.AsSpan(0, _headerLength);
        }
    }

    /// <summary>Body length in bytes.</summary>
    public int BodyLength
    {
        get
        {
            ThrowIfNotLive();
            return _bodyLength;
        }
    }

    /// <summary>Header length in bytes.</summary>
    public int HeaderLength
    {
        get
        {
            ThrowIfNotLive();
            return _headerLength;
        }
    }

    /// <summary>Total length on the wire: header plus body.</summary>
    public int Length
    {
        get
        {
            ThrowIfNotLive();
            return _headerLength + _bodyLength;
        }
    }

    /// <summary>Returns the body as a new array (allocates; for convenience code, not hot paths).</summary>
    public byte[] ToArray() => Body.ToArray();

    /// <summary>Decodes the body as UTF-8.</summary>
    public override string ToString() => Encoding.UTF8.GetString(Body);

    /// <summary>Appends bytes to the end of the body, growing it as needed.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        ThrowIfNotLive();
        int old = _bodyLength;
        Resize(old + data.Length);
        data.CopyTo(_body.AsSpan(_bodyOffset + old));
    }

    /// <summary>Appends a big-endian 32-bit value to the body.</summary>
    public void AppendUInt32(uint value)
    {
        Span<byte> tmp = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(tmp, value);
        Append(tmp);
    }

    /// <summary>Sets the body length, keeping existing bytes and growing the buffer when needed.</summary>
    public void Resize(int bodyLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bodyLength);
        ThrowIfNotLive();
        if (_bodyOffset + bodyLength > _body.Length)
        {
            int size = Math.Max(bodyLength, _bodyLength * 2);
            int headroom = HeadroomFor(size);
            byte[] bigger = BufferPool.Rent(headroom + size);
            int keep = _bodyLength;
            Body.CopyTo(bigger.AsSpan(headroom));
            ReturnBody();
            _body = bigger;
            _bodyOffset = headroom;
            _bodyLength = keep;
        }
        _bodyLength = bodyLength;
    }

    /// <summary>Empties header and body (the buffers are kept for reuse).</summary>
    public void Clear()
    {
        ThrowIfNotLive();
        _headerLength = 0;
        _bodyLength = 0;
        _bodyOffset = 0;
    }

    /// <summary>Empties the header.</summary>
    public void ClearHeader()
    {
        ThrowIfNotLive();
        _headerLength = 0;
    }

    /// <summary>Appends bytes to the end of the header.</summary>
    public void AppendHeader(ReadOnlySpan<byte> data)
    {
        ThrowIfNotLive();
        EnsureHeaderCapacity(_headerLength + data.Length);
        data.CopyTo(_header.AsSpan(_headerLength));
        _headerLength += data.Length;
    }

    /// <summary>Appends a big-endian 32-bit value to the header.</summary>
    public void AppendHeaderUInt32(uint value)
    {
        ThrowIfNotLive();
        EnsureHeaderCapacity(_headerLength + 4);
        BinaryPrimitives.WriteUInt32BigEndian(_header.AsSpan(_headerLength), value);
        _headerLength += 4;
    }

    /// <summary>Inserts a big-endian 32-bit value at the front of the header (used by devices adding a hop).</summary>
    public void PrependHeaderUInt32(uint value)
    {
        ThrowIfNotLive();
        EnsureHeaderCapacity(_headerLength + 4);
        Buffer.BlockCopy(_header, 0, _header, 4, _headerLength);
        BinaryPrimitives.WriteUInt32BigEndian(_header, value);
        _headerLength += 4;
    }

    /// <summary>Removes and returns the first 32-bit value of the header.</summary>
    public uint TrimHeaderUInt32()
    {
        ThrowIfNotLive();
        if (_headerLength < 4) throw new SpNetException(SpError.Protocol, "message header is shorter than 4 bytes");
        uint value = BinaryPrimitives.ReadUInt32BigEndian(_header);
        _headerLength -= 4;
        Buffer.BlockCopy(_header, 4, _header, 0, _headerLength);
        return value;
    }

    /// <summary>Removes and returns the first 32-bit value of the body.</summary>
    public uint TrimBodyUInt32()
    {
        ThrowIfNotLive();
        if (_bodyLength < 4) throw new SpNetException(SpError.Protocol, "message body is shorter than 4 bytes");
        uint value = BinaryPrimitives.ReadUInt32BigEndian(Body);
        _bodyOffset += 4;
        _bodyLength -= 4;
        return value;
    }

    /// <summary>Moves the first <paramref name="count"/> bytes of the body to the end of the header.</summary>
    internal void MoveBodyPrefixToHeader(int count)
    {
        AppendHeader(_body.AsSpan(_bodyOffset, count));
        _bodyOffset += count;
        _bodyLength -= count;
    }

    /// <summary>Puts the header back in front of the body, as it would arrive off the wire (inproc delivery).</summary>
    internal void MoveHeaderToBodyFront()
    {
        if (_headerLength == 0)
        {
            return;
        }
        if (_bodyOffset < _headerLength)
        {
            byte[] bigger = BufferPool.Rent(_headerLength + _bodyLength + Headroom);
            Body.CopyTo(bigger.AsSpan(_headerLength + Headroom));
            int length = _bodyLength;
            ReturnBody();
            _body = bigger;
            _bodyOffset = _headerLength + Headroom;
            _bodyLength = length;
        }
        _bodyOffset -= _headerLength;
        _bodyLength += _headerLength;
        Header.CopyTo(_body.AsSpan(_bodyOffset));
        _headerLength = 0;
    }

    /// <summary>True while more than one queue holds this message (fan-out, or REQ keeping it for a resend).</summary>
    internal bool IsShared => Volatile.Read(ref _refCount) > 1;

    /// <summary>The pipe this message arrived on, while a protocol needs it (REP's backtrace, raw mode).</summary>
    internal Core.Pipe? Pipe { get; set; }

    private uint _pipeId;

    /// <summary>
    /// The pipe (connection) this message concerns, as NNG's <c>nng_msg_get_pipe</c>/<c>nng_msg_set_pipe</c>: on a
    /// received message the id of the pipe it arrived on; set it before sending to pick the pipe where the protocol
    /// lets the application choose (polyamorous PAIR1). 0 = none. Pipe ids are 31-bit and unique within the process.
    /// </summary>
    public uint PipeId
    {
        get
        {
            ThrowIfNotLive();
            return Pipe?.Id ?? _pipeId;
        }
        set
        {
            ThrowIfNotLive();
            _pipeId = value;
            Pipe = null;
        }
    }

    /// <summary>Returns a deep copy (header and body) that the caller owns.</summary>
    public Message Clone()
    {
        Message copy = Create(Body);
        copy.AppendHeader(Header);
        return copy;
    }

    /// <summary>
    /// Returns the buffers to the pool. Harmless when repeated or after a send (which already gave the message away);
    /// see the class remarks for how long that holds.
    /// </summary>
    public void Dispose()
    {
        if (_state != Live)
        {
            return; // sent, being sent or disposed: nothing of the caller's is left to release
        }
        if (Interlocked.Decrement(ref _refCount) == 0)
        {
            _state = Disposed;
            ReturnBody();
            _headerLength = 0;
            Pipe = null;
            _pipeId = 0;
            MessagePool.Return(this);
        }
    }

    /// <summary>
    /// Starts the caller's send: moves the contents into a pooled shell that only SpNet can reach and returns it, so
    /// the caller's reference can no longer read or change what travels. Follow with <see cref="EndSend"/> or
    /// <see cref="AbortSend"/>.
    /// </summary>
    internal Message BeginSend()
    {
        ThrowIfNotLive();
        Message inFlight = MessagePool.Rent();
        MoveContentsTo(inFlight);
        _state = Sending;
        return inFlight;
    }

    /// <summary>The send succeeded: this shell stays inert and goes back to the pool (its contents travel in the other).</summary>
    internal void EndSend()
    {
        _state = Sent;
        MessagePool.Return(this);
    }

    /// <summary>The send failed, so the caller still owns the message: the contents come back from <paramref name="inFlight"/>.</summary>
    internal void AbortSend(Message inFlight)
    {
        inFlight.MoveContentsTo(this);
        _state = Live;
        inFlight._state = Disposed;
        MessagePool.Return(inFlight);
    }

    /// <summary>
    /// Ends a send of <paramref name="inFlight"/>: for a copy made of the caller's bytes (<paramref name="caller"/>
    /// null), a failure disposes it; for the caller's own message, success leaves it inert and failure gives its
    /// contents back.
    /// </summary>
    internal static void SettleSend(Message inFlight, Message? caller, bool sent)
    {
        if (caller is null)
        {
            if (!sent)
            {
                inFlight.Dispose();
            }
        }
        else if (sent)
        {
            caller.EndSend();
        }
        else
        {
            caller.AbortSend(inFlight);
        }
    }

    /// <summary>Moves header, body and pipe to <paramref name="target"/>, leaving this shell empty (header arrays are swapped, not copied).</summary>
    private void MoveContentsTo(Message target)
    {
        (target._header, _header) = (_header, target._header);
        target._headerLength = _headerLength;
        target._body = _body;
        target._bodyOffset = _bodyOffset;
        target._bodyLength = _bodyLength;
        target.Pipe = Pipe;
        target._pipeId = _pipeId;
        _headerLength = 0;
        _body = s_empty;
        _bodyOffset = 0;
        _bodyLength = 0;
        Pipe = null;
        _pipeId = 0;
    }

    private void ThrowIfNotLive()
    {
        if (_state != Live)
        {
            ThrowNotLive(_state);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotLive(int state) => throw new ObjectDisposedException(nameof(Message), state switch
    {
        Sending => "this message is being sent; until the send completes it belongs to the socket",
        Sent => "this message was sent; a sent message belongs to the socket",
        _ => "this message was disposed",
    });

    /// <summary>Adds a reference so one message can sit in several pipe queues (fan-out without copies).</summary>
    internal void AddReference() => Interlocked.Increment(ref _refCount);

    internal void ResetForReuse()
    {
        _state = Live;
        _refCount = 1;
        Pipe = null;
        _pipeId = 0;
        _headerLength = 0;
        _bodyOffset = 0;
        _bodyLength = 0;
    }

    /// <summary>The whole body buffer, for transports that read straight into it.</summary>
    internal byte[] BodyBuffer => _body;

    internal int BodyOffset => _bodyOffset;

    internal byte[] HeaderBuffer => _header;

    private void Reserve(int bodyLength)
    {
        int headroom = HeadroomFor(bodyLength);
        if (bodyLength + headroom > _body.Length)
        {
            ReturnBody();
            _body = BufferPool.Rent(bodyLength + headroom);
        }
        _bodyOffset = headroom;
    }

    /// <summary>
    /// <see cref="Headroom"/>, unless those few bytes would move a pooled body into the next size class: a 64 KiB or
    /// 1 MiB body (the common power-of-two sizes) would then take a buffer twice its size, and a queue of them twice
    /// the memory. Without headroom, putting a header in front (inproc only) copies the body instead.
    /// </summary>
    private static int HeadroomFor(int bodyLength) =>
        bodyLength > BufferPool.LargestPooled
            ? (bodyLength <= Array.MaxLength - Headroom ? Headroom : 0)
            : (BufferPool.CapacityFor(bodyLength + Headroom) == BufferPool.CapacityFor(bodyLength) ? Headroom : 0);

    private void ReturnBody()
    {
        if (_body.Length != 0)
        {
            BufferPool.Return(_body);
            _body = s_empty;
        }
        _bodyOffset = 0;
        _bodyLength = 0;
    }

    private void EnsureHeaderCapacity(int needed)
    {
        if (needed > _header.Length)
        {
            Array.Resize(ref _header, Math.Max(needed, _header.Length * 2));
        }
    }
}
