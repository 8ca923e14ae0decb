namespace SpNet.Protocols.Routing;

/// <summary>
/// A SUB socket's topic prefixes as a byte trie: matching walks the message's first bytes once, so its cost
/// depends on the topic length, never on how many subscriptions there are. The empty prefix matches all.
/// </summary>
internal sealed class SubscriptionSet
{
    private readonly object _gate = new();
    private readonly Node _root = new();
    private int _count;

    /// <summary>Number of distinct prefixes.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Adds a prefix; adding one already present changes nothing (as NNG).</summary>
    public bool Add(ReadOnlySpan<byte> prefix)
    {
        lock (_gate)
        {
            Node node = _root;
            foreach (byte b in prefix)
            {
                node.Children ??= [];
                if (!node.Children.TryGetValue(b, out Node? next))
                {
                    next = new Node();
                    node.Children.Add(b, next);
                }
                node = next;
            }
            if (node.IsTerminal)
            {
                return false;
            }
            node.IsTerminal = true;
            _count++;
            return true;
        }
    }

    /// <summary>Removes a prefix the application unsubscribes (socket or context alike).</summary>
    /// <exception cref="SpNetException"><see cref="SpError.NoEntry"/> when it was not subscribed, as NNG.</exception>
    public void Unsubscribe(ReadOnlySpan<byte> prefix)
    {
        if (!Remove(prefix))
        {
            throw new SpNetException(SpError.NoEntry, "not subscribed to that prefix");
        }
    }

    /// <summary>Removes a prefix; returns false if it was not subscribed.</summary>
    public bool Remove(ReadOnlySpan<byte> prefix)
    {
        lock (_gate)
        {
            if (!Remove(_root, prefix))
            {
                return false;
            }
            _count--;
            return true;
        }
    }

    /// <summary>True when some subscribed prefix is a prefix of <paramref name="body"/>.</summary>
    public bool Matches(ReadOnlySpan<byte> body)
    {
        lock (_gate)
        {
            Node node = _root;
            if (node.IsTerminal)
            {
                return true;
            }
            foreach (byte b in body)
            {
                if (node.Children is null || !node.Children.TryGetValue(b, out Node? next))
                {
                    return false;
                }
                node = next;
                if (node.IsTerminal)
                {
                    return true;
                }
            }
            return false;
        }
    }

    /// <summary>Removes the prefix below <paramref name="node"/> and prunes branches left empty.</summary>
    private static bool Remove(Node node, ReadOnlySpan<byte> prefix)
    {
        if (prefix.IsEmpty)
        {
            if (!node.IsTerminal)
            {
                return false;
            }
            node.IsTerminal = false;
            return true;
        }
        if (node.Children is null || !node.Children.TryGetValue(prefix[0], out Node? child) || !Remove(child, prefix[1..]))
        {
            return false;
        }
        if (!child.IsTerminal && (child.Children is null || child.Children.Count == 0))
        {
            node.Children.Remove(prefix[0]);
        }
        return true;
    }

    private sealed class Node
    {
        public Dictionary<byte, Node>? Children;
        public bool IsTerminal;
    }
}
