using System.Threading.Tasks.Sources;

namespace SpNet.Protocols.Routing;

/// <summary>
/// A waiter's outcome, kept from the moment it is decided (under the completer's locks, on a read loop) until the
/// waiter, queued as its own thread-pool work item, completes its awaitable with it there. A mutable struct: keep it
/// in a non-readonly field.
/// </summary>
internal struct DeferredCompletion<T>
{
    private T? _result;
    private Exception? _error;

    /// <summary>Keeps the outcome: <paramref name="error"/> if not null, else <paramref name="result"/>.</summary>
    public void Set(T? result, Exception? error)
    {
        _result = result;
        _error = error;
    }

    /// <summary>Completes <paramref name="core"/> with the kept outcome and forgets it.</summary>
    public void CompleteInto(ref ManualResetValueTaskSourceCore<T> core)
    {
        T? result = _result;
        Exception? error = _error;
        _result = default;
        _error = null;
        if (error is null)
        {
            core.SetResult(result!);
        }
        else
        {
            core.SetException(error);
        }
    }
}
