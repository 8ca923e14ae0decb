using System.Text;
using SpNet.Options;
using SpNet.Protocols;

namespace SpNet;

/// <summary>
/// A SUB context (from <see cref="SubSocket.OpenContext"/>, NNG's sub0 context): an independent subscriber on the
/// socket's connections with its own subscriptions (none at first) and its own receive queue. Every context whose
/// subscriptions match a message gets its own copy.
/// </summary>
public sealed class SubContext : SocketContext
{
    private static readonly Option<SubContext, bool> s_preferNew = new(OptionNames.SubPreferNew, OptionKind.Boolean,
        c => c._sub.PreferNew, (c, v) => c._sub.PreferNew = v);

    /// <summary>A SUB context's options (NNG's sub0 context table): the timeouts, subscribe, unsubscribe and prefer-new.</summary>
    private static readonly OptionTable<SubContext> s_options = CommonOptions.With(
        s_preferNew,
        new Option<SubContext, byte[]>(OptionNames.SubSubscribe, OptionKind.Bytes, null, (c, v) => c.Subscribe(v)),
        new Option<SubContext, byte[]>(OptionNames.SubUnsubscribe, OptionKind.Bytes, null, (c, v) => c.Unsubscribe(v)));

    private readonly Sub.SubContext _sub;

    internal SubContext(SubSocket socket, Sub.SubContext sub) : base(socket, sub, s_options) => _sub = sub;

    /// <summary>Subscribes this context to messages starting with <paramref name="prefix"/> (empty = all); other contexts and the socket are unaffected.</summary>
    /// <exception cref="SpNetException"><see cref="SpError.Closed"/> after dispose or socket close.</exception>
    public void Subscribe(ReadOnlySpan<byte> prefix)
    {
        ThrowIfClosed();
        _sub.Subscriptions.Add(prefix);
    }

    /// <summary>Subscribes this context to messages starting with the UTF-8 bytes of <paramref name="prefix"/>.</summary>
    public void Subscribe(string prefix) => Subscribe(Encoding.UTF8.GetBytes(prefix ?? throw new ArgumentNullException(nameof(prefix))));

    /// <summary>Removes one of this context's subscriptions; other contexts keep theirs.</summary>
    /// <exception cref="SpNetException"><see cref="SpError.NoEntry"/> when this context had not subscribed to it (as NNG); <see cref="SpError.Closed"/>.</exception>
    public void Unsubscribe(ReadOnlySpan<byte> prefix)
    {
        ThrowIfClosed();
        _sub.Subscriptions.Unsubscribe(prefix);
    }

    /// <summary>Removes a subscription given as UTF-8 text.</summary>
    public void Unsubscribe(string prefix) => Unsubscribe(Encoding.UTF8.GetBytes(prefix ?? throw new ArgumentNullException(nameof(prefix))));

    /// <summary>
    /// What this context's full queue does with a new message (NNG <c>sub:prefnew</c>, starts as the socket's
    /// <see cref="SubSocket.PreferNew"/>): true drops the oldest queued message, false the new one. Either is counted.
    /// </summary>
    public bool PreferNew
    {
        get => s_preferNew.Get(this);
        set => s_preferNew.Set(this, value);
    }
}
