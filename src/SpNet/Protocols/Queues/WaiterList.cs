namespace SpNet.Protocols.Routing;

/// <summary>A waiter that can sit in a <see cref="WaiterList{T}"/>; the links are guarded by the list owner's lock.</summary>
internal abstract class WaiterNode<T> where T : WaiterNode<T>
{
    /// <summary>Neighbours in the owner's list (a spare list may reuse <see cref="Next"/>).</summary>
    internal T? Previous;
    internal T? Next;

    /// <summary>True while in the list, i.e. not yet claimed by a completer or a cancellation.</summary>
    internal bool Linked;
}

/// <summary>
/// The waiting receivers or senders of one queue, in arrival order, doubly linked so a cancellation can leave from
/// the middle. Adding and removing happen under the owner's lock; <see cref="Count"/> may be read without it, so a
/// wake-up with nobody waiting costs one read. A mutable struct: keep it in a non-readonly field.
/// </summary>
internal struct WaiterList<T> where T : WaiterNode<T>
{
    private T? _tail;
    private int _count;

    /// <summary>The longest-waiting waiter, or null.</summary>
    public T? Head { get; private set; }

    /// <summary>Linked waiters, readable without the lock.</summary>
    public readonly int Count => Volatile.Read(in _count);

    /// <summary>Links <paramref name="waiter"/> at the end. The count is raised with a full fence: callers announce a waiter before they look for work.</summary>
    public void AddLast(T waiter)
    {
        waiter.Linked = true;
        waiter.Previous = _tail;
        waiter.Next = null;
        if (_tail is null)
        {
            Head = waiter;
        }
        else
        {
            _tail.Next = waiter;
        }
        _tail = waiter;
        Interlocked.Increment(ref _count);
    }

    /// <summary>Unlinks a linked <paramref name="waiter"/>.</summary>
    public void Remove(T waiter)
    {
        if (waiter.Previous is null)
        {
            Head = waiter.Next;
        }
        else
        {
            waiter.Previous.Next = waiter.Next;
        }
        if (waiter.Next is null)
        {
            _tail = waiter.Previous;
        }
        else
        {
            waiter.Next.Previous = waiter.Previous;
        }
        waiter.Previous = waiter.Next = null;
        waiter.Linked = false;
        Interlocked.Decrement(ref _count);
    }
}
