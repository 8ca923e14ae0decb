using SpNet.Options;
using System.Text;
using SpNet.Protocols;

namespace SpNet;

/// <summary>
/// SUB (0x21): receives the messages from its PUB peers whose body starts with a subscribed prefix. With no
/// subscription it receives nothing; subscribe to the empty prefix for everything. Filtering is local (nothing
/// goes on the wire). When the receive queue is full the oldest message is dropped. Cannot send.
/// </summary>
public sealed class SubSocket : Socket
{
    private static readonly Option<SubSocket, bool> s_preferNew = new(OptionNames.SubPreferNew, OptionKind.Boolean,
        s => s.Sub.PreferNew, (s, v) => s.Sub.PreferNew = v);

    /// <summary>SUB's options (NNG's sub0 table): the common ones, the write-only subscribe and unsubscribe, and prefer-new.</summary>
    private static readonly OptionTable<SubSocket> s_options = CommonOptions.With(
        s_preferNew,
        new Option<SubSocket, byte[]>(OptionNames.SubSubscribe, OptionKind.Bytes, null, (s, v) => s.Subscribe(v)),
        new Option<SubSocket, byte[]>(OptionNames.SubUnsubscribe, OptionKind.Bytes, null, (s, v) => s.Unsubscribe(v)));

    /// <summary>Creates an unconnected SUB socket with no subscriptions.</summary>
    public SubSocket() : this(raw: false)
    {
    }

    private SubSocket(bool raw) : base(statistics => new Sub(statistics, DefaultReceiveBufferSize, raw), s_options)
    {
    }

    /// <summary>
    /// Creates a raw (device) SUB socket: it does no filtering (every message is received) and has no subscriptions;
    /// <see cref="Subscribe(ReadOnlySpan{byte})"/> fails with <see cref="SpError.NotSupported"/>, as on NNG's raw SUB.
    /// </summary>
    public static SubSocket CreateRaw() => new(raw: true);

    /// <summary>
    /// What a full receive queue (<see cref="Socket.ReceiveBufferSize"/>) does with a new message (NNG <c>sub:prefnew</c>):
    /// true (default) drops the oldest queued message so the reader sees the newest data; false drops the new message.
    /// Either way the drop is counted in <see cref="SocketStatistics.MessagesDropped"/>.
    /// </summary>
    public bool PreferNew
    {
        get => s_preferNew.Get(this);
        set => s_preferNew.Set(this, value);
    }

    /// <summary>Number of distinct prefixes subscribed.</summary>
    public int SubscriptionCount => Sub.Subscriptions.Count;

    /// <summary>Subscribes to messages starting with <paramref name="prefix"/> (empty = all). Subscribing twice has no further effect.</summary>
    /// <exception cref="SpNetException"><see cref="SpError.NotSupported"/> on a raw SUB.</exception>
    public void Subscribe(ReadOnlySpan<byte> prefix)
    {
        ThrowIfRawSubscription();
        Sub.Subscriptions.Add(prefix);
    }

    /// <summary>Subscribes to messages starting with the UTF-8 bytes of <paramref name="prefix"/>.</summary>
    public void Subscribe(string prefix) => Subscribe(Encoding.UTF8.GetBytes(prefix ?? throw new ArgumentNullException(nameof(prefix))));

    /// <summary>Removes a subscription.</summary>
    /// <exception cref="SpNetException"><see cref="SpError.NoEntry"/> when the prefix was not subscribed (as NNG).</exception>
    public void Unsubscribe(ReadOnlySpan<byte> prefix)
    {
        ThrowIfRawSubscription();
        Sub.Subscriptions.Unsubscribe(prefix);
    }

    /// <summary>Removes a subscription given as UTF-8 text.</summary>
    public void Unsubscribe(string prefix) => Unsubscribe(Encoding.UTF8.GetBytes(prefix ?? throw new ArgumentNullException(nameof(prefix))));

    /// <summary>
    /// Opens an independent subscriber on this socket's pipes (NNG's sub0 context): it starts with no subscriptions
    /// (use <see cref="SubContext.Subscribe(ReadOnlySpan{byte})"/>), has its own receive queue of
    /// <see cref="Socket.ReceiveBufferSize"/> messages and starts with the socket's <see cref="PreferNew"/>. Every
    /// context whose subscriptions match a message gets its own copy; a full context drops (counted in
    /// <see cref="SocketStatistics.MessagesDropped"/>) without holding up the pipes or other contexts. The socket's
    /// own <see cref="Subscribe(ReadOnlySpan{byte})"/> and receive act on its default context.
    /// </summary>
    /// <exception cref="SpNetException"><see cref="SpError.NotSupported"/> on a raw SUB; <see cref="SpError.Closed"/>.</exception>
    public SubContext OpenContext() => new(this, (Sub.SubContext)OpenContextCore());

    /// <summary>The protocol, cooked or raw (one class; raw does no filtering).</summary>
    private Sub Sub => (Sub)Protocol;

    private void ThrowIfRawSubscription()
    {
        if (IsRaw)
        {
            throw new SpNetException(SpError.NotSupported, "a raw SUB socket does no filtering and has no subscriptions");
        }
    }
}
