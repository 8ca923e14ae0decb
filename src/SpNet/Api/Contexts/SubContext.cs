using System.Text;
using SpNet.Protocols;

namespace SpNet;

/// <summary>
/// A SUB context (from <see cref="SubSocket.OpenContext"/>, NNG's sub0 context): an independent subscriber on the
/// socket's connections with its own subscriptions (none at first) and its own receive queue. Every context whose
/// subscriptions match a message gets its own copy.
/// </summary>
public sealed class SubContext : SocketContext
{
    private readonly Sub.SubContext _sub;

    internal SubContext(SubSocket socket, Sub.SubContext sub) : base(socket, sub) => _sub = sub;

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
        get => _sub.PreferNew;
        set => _sub.PreferNew = value;
    }
}
