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
    private readonly Sub _sub;

    /// <summary>Creates an unconnected SUB socket with no subscriptions.</summary>
    public SubSocket() : this(new SocketStatistics())
    {
    }

    private SubSocket(SocketStatistics statistics) : this(new Sub(statistics, DefaultReceiveBufferSize), statistics)
    {
    }

    private SubSocket(Sub sub, SocketStatistics statistics) : base(sub, statistics) => _sub = sub;

    /// <summary>Number of distinct prefixes subscribed.</summary>
    public int SubscriptionCount => _sub.Subscriptions.Count;

    /// <summary>Subscribes to messages starting with <paramref name="prefix"/> (empty = all). Subscribing twice has no further effect.</summary>
    public void Subscribe(ReadOnlySpan<byte> prefix) => _sub.Subscriptions.Add(prefix);

    /// <summary>Subscribes to messages starting with the UTF-8 bytes of <paramref name="prefix"/>.</summary>
    public void Subscribe(string prefix) => Subscribe(Encoding.UTF8.GetBytes(prefix ?? throw new ArgumentNullException(nameof(prefix))));

    /// <summary>Removes a subscription.</summary>
    /// <exception cref="SpNetException"><see cref="SpError.NoEntry"/> when the prefix was not subscribed (as NNG).</exception>
    public void Unsubscribe(ReadOnlySpan<byte> prefix)
    {
        if (!_sub.Subscriptions.Remove(prefix))
        {
            throw new SpNetException(SpError.NoEntry, "not subscribed to that prefix");
        }
    }

    /// <summary>Removes a subscription given as UTF-8 text.</summary>
    public void Unsubscribe(string prefix) => Unsubscribe(Encoding.UTF8.GetBytes(prefix ?? throw new ArgumentNullException(nameof(prefix))));
}
