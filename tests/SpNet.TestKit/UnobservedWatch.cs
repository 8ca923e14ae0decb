using Xunit;

namespace SpNet.TestKit;

/// <summary>
/// Base for tests that must raise nothing in user code: collects unobserved task exceptions during the test and
/// fails on any at the end.
/// </summary>
public abstract class UnobservedWatch : IDisposable
{
    private readonly List<Exception> _unobserved = [];

    /// <summary>Starts collecting unobserved task exceptions.</summary>
    protected UnobservedWatch() => TaskScheduler.UnobservedTaskException += OnUnobserved;

    /// <summary>Stops collecting, after a collection that surfaces what the test left unobserved, and fails on any.</summary>
    public void Dispose()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        TaskScheduler.UnobservedTaskException -= OnUnobserved;
        Dispose(true);
        GC.SuppressFinalize(this);
        lock (_unobserved)
        {
            Assert.Empty(_unobserved);
        }
    }

    /// <summary>Disposes what a derived test holds; runs before the check.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }

    private void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e)
    {
        lock (_unobserved)
        {
            _unobserved.Add(e.Exception);
        }
    }
}
