namespace SpNet.Reliability.Tests;

/// <summary>
/// Base for tests that must raise nothing in user code: collects unobserved task exceptions during the test and
/// fails on any at the end.
/// </summary>
public abstract class UnobservedWatch : IDisposable
{
    private readonly List<Exception> _unobserved = [];

    protected UnobservedWatch() => TaskScheduler.UnobservedTaskException += OnUnobserved;

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
