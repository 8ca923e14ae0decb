using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace SpNet.TestKit;

/// <summary>
/// An external peer process (nngcat, nanocat, spcat) started for one test. Standard output is captured line by line
/// and standard error as text, both asynchronously; standard input is closed at once. The process is killed when
/// its <see cref="Lifetime"/> runs out, when the object is disposed, and when the test process exits, so no test
/// leaves it behind. Every failure message names the command line, the exit state, stdout and stderr.
/// </summary>
public sealed class PeerProcess : IAsyncDisposable, IDisposable
{
    /// <summary>How long a peer may live unless the test says otherwise.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(60);

    /// <summary>How long a wait that names no timeout may take.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private static readonly ConcurrentDictionary<PeerProcess, byte> Live = new();

    private readonly Process _process;
    private readonly object _gate = new();
    private readonly List<string> _lines = [];
    private readonly StringBuilder _stderr = new();
    private readonly Timer _lifetimeTimer;
    private readonly Stopwatch _age = Stopwatch.StartNew();
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _stdoutClosed;
    private bool _stderrClosed;
    private bool _exited;
    private volatile bool _killedByLifetime;
    private volatile bool _killedByTest;
    private int _disposed;

    static PeerProcess()
    {
        // Last line of defence: a crashed or aborted test run still takes its peers down with it.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (PeerProcess peer in Live.Keys)
            {
                peer.Kill();
            }
        };
    }

    private PeerProcess(string fileName, IReadOnlyList<string> arguments, TimeSpan lifetime)
    {
        CommandLine = FormatCommandLine(fileName, arguments);
        Lifetime = lifetime;
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        _process = new Process { StartInfo = info, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnOutput(e.Data);
        _process.ErrorDataReceived += (_, e) => OnError(e.Data);
        _process.Exited += (_, _) => Update(() => _exited = true);
        _lifetimeTimer = new Timer(static s => ((PeerProcess)s!).OnLifetimeOver(), this, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>The command line as a shell would take it (for messages).</summary>
    public string CommandLine { get; }

    /// <summary>After this long the process is killed whatever the test is doing.</summary>
    public TimeSpan Lifetime { get; }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>True once the process has exited (its output may still be draining).</summary>
    public bool HasExited
    {
        get
        {
            lock (_gate)
            {
                return _exited;
            }
        }
    }

    /// <summary>The exit code; throws while the process runs.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>The lines written to standard output so far.</summary>
    public IReadOnlyList<string> OutputLines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>The lines written to standard output from index <paramref name="start"/> on (cheap to poll for new lines of a long run).</summary>
    public IReadOnlyList<string> OutputLinesFrom(int start)
    {
        lock (_gate)
        {
            return start >= _lines.Count ? [] : _lines.GetRange(start, _lines.Count - start);
        }
    }

    /// <summary>Standard error so far.</summary>
    public string StandardError
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="tool"/> with <paramref name="arguments"/>.</summary>
    public static PeerProcess Start(PeerTool tool, params string[] arguments) => Start(tool, DefaultLifetime, arguments);

    /// <summary>Starts <paramref name="tool"/> with <paramref name="arguments"/>, killed after <paramref name="lifetime"/>.</summary>
    public static PeerProcess Start(PeerTool tool, TimeSpan lifetime, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(tool);
        return Start(tool.FileName, tool.Arguments(arguments), lifetime);
    }

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/>, killed after <paramref name="lifetime"/>.</summary>
    public static PeerProcess Start(string fileName, IReadOnlyList<string> arguments, TimeSpan lifetime)
    {
        var peer = new PeerProcess(fileName, arguments, lifetime);
        try
        {
            peer._process.Start();
        }
        catch (Exception ex)
        {
            peer._lifetimeTimer.Dispose();
            peer._process.Dispose();
            throw new InvalidOperationException($"cannot start `{peer.CommandLine}`: {ex.Message}", ex);
        }
        Live.TryAdd(peer, 0);
        peer._lifetimeTimer.Change(lifetime, Timeout.InfiniteTimeSpan);
        peer._process.StandardInput.Close();
        peer._process.BeginOutputReadLine();
        peer._process.BeginErrorReadLine();
        return peer;
    }

    /// <summary>
    /// Waits until <paramref name="condition"/> holds for the output lines and returns them. Throws, describing the
    /// process, when it ends first (all output read) or <paramref name="timeout"/> passes.
    /// </summary>
    public async Task<IReadOnlyList<string>> WaitForOutputAsync(Func<IReadOnlyList<string>, bool> condition, TimeSpan timeout, string? what = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (condition(_lines))
                {
                    return [.. _lines];
                }
                if (IsFinishedLocked())
                {
                    throw Failure($"ended before {what ?? "the expected output"}");
                }
                changed = _changed.Task;
            }
            TimeSpan left = timeout - deadline.Elapsed;
            if (left <= TimeSpan.Zero || !await Completes(changed, left).ConfigureAwait(false))
            {
                throw Failure($"did not produce {what ?? "the expected output"} within {timeout.TotalSeconds:0.#} s", timedOut: true);
            }
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> lines were printed; returns all lines so far.</summary>
    public Task<IReadOnlyList<string>> WaitForLinesAsync(int count, TimeSpan? timeout = null) =>
        WaitForOutputAsync(lines => lines.Count >= count, timeout ?? DefaultTimeout, $"{count} output line(s)");

    /// <summary>
    /// Waits until the peer has printed as many <c>-Q</c> lines as <paramref name="expected"/> has messages, then
    /// asserts that they are exactly those messages, in order; a mismatch fails with this process's description.
    /// </summary>
    public async Task ExpectMessagesAsync(IEnumerable<string> expected, TimeSpan? timeout = null)
    {
        string[] wanted = [.. expected];
        IReadOnlyList<string> lines = await WaitForLinesAsync(wanted.Length, timeout).ConfigureAwait(false);
        ExpectMessages(wanted, lines);
    }

    /// <summary>
    /// As <see cref="ExpectMessagesAsync"/>, in any order: for messages that came over different connections, which
    /// SP orders only per pipe.
    /// </summary>
    public async Task ExpectMessagesInAnyOrderAsync(IEnumerable<string> expected, TimeSpan? timeout = null)
    {
        string[] wanted = [.. expected.Order(StringComparer.Ordinal)];
        IReadOnlyList<string> lines = await WaitForLinesAsync(wanted.Length, timeout).ConfigureAwait(false);
        string[] sorted;
        try
        {
            sorted = [.. QuotedFormat.DecodeAll(lines).Order(StringComparer.Ordinal)];
        }
        catch (FormatException ex)
        {
            throw Failure($"printed something that is not a -Q message ({ex.Message})");
        }
        if (!sorted.SequenceEqual(wanted))
        {
            throw Failure($"printed [{string.Join(", ", sorted)}] where [{string.Join(", ", wanted)}] (in any order) was expected");
        }
    }

    /// <summary>Asserts that the <c>-Q</c> lines printed so far are exactly <paramref name="expected"/>.</summary>
    public void ExpectMessages(IEnumerable<string> expected) => ExpectMessages([.. expected], OutputLines);

    private void ExpectMessages(string[] wanted, IReadOnlyList<string> lines)
    {
        string[] actual;
        try
        {
            actual = [.. QuotedFormat.DecodeAll(lines)];
        }
        catch (FormatException ex)
        {
            throw Failure($"printed something that is not a -Q message ({ex.Message})");
        }
        if (!actual.SequenceEqual(wanted))
        {
            throw Failure($"printed [{string.Join(", ", actual)}] where [{string.Join(", ", wanted)}] was expected");
        }
    }

    /// <summary>
    /// Waits for the process to exit and its output to be read; returns the exit code. On timeout the process is
    /// killed and a <see cref="PeerProcessException"/> describing it is thrown.
    /// </summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        TimeSpan limit = timeout ?? DefaultTimeout;
        if (!await Completes(_finished.Task, limit).ConfigureAwait(false))
        {
            PeerProcessException failure = Failure($"did not exit within {limit.TotalSeconds:0.#} s", timedOut: true);
            Kill();
            throw failure;
        }
        await _process.WaitForExitAsync().ConfigureAwait(false);
        return _process.ExitCode;
    }

    /// <summary>Waits for exit (see <see cref="WaitForExitAsync"/>) and fails unless the exit code is 0.</summary>
    public async Task WaitForSuccessAsync(TimeSpan? timeout = null)
    {
        int code = await WaitForExitAsync(timeout).ConfigureAwait(false);
        if (code != 0)
        {
            throw Failure($"exited with code {code}");
        }
    }

    /// <summary>
    /// Awaits <paramref name="task"/> (the SpNet side of the exchange), failing fast with this process's description
    /// when the process ends and the task then still does not finish within <paramref name="grace"/> (default 2 s),
    /// or when <paramref name="timeout"/> passes.
    /// </summary>
    public async Task<T> GuardAsync<T>(Task<T> task, TimeSpan? timeout = null, TimeSpan? grace = null, string? what = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        await GuardAsync((Task)task, timeout, grace, what).ConfigureAwait(false);
        return await task.ConfigureAwait(false);
    }

    /// <inheritdoc cref="GuardAsync{T}(Task{T}, TimeSpan?, TimeSpan?, string?)"/>
    public async Task GuardAsync(Task task, TimeSpan? timeout = null, TimeSpan? grace = null, string? what = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        TimeSpan limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        using var cts = new CancellationTokenSource();
        Task expired = Task.Delay(limit, cts.Token);
        Task first = await Task.WhenAny(task, _finished.Task, expired).ConfigureAwait(false);
        if (first == _finished.Task)
        {
            TimeSpan left = Min(grace ?? TimeSpan.FromSeconds(2), limit - clock.Elapsed);
            first = left > TimeSpan.Zero && await Completes(task, left).ConfigureAwait(false) ? task : _finished.Task;
            if (first != task)
            {
                throw Failure($"ended while the SpNet side ({what ?? "operation"}) was still waiting");
            }
        }
        await cts.CancelAsync().ConfigureAwait(false);
        if (first != task)
        {
            throw Failure($"is running but the SpNet side ({what ?? "operation"}) did not finish within {limit.TotalSeconds:0.#} s", timedOut: true);
        }
        await task.ConfigureAwait(false);
    }

    /// <summary>Kills the process (and any children). Safe to call at any time, repeatedly.</summary>
    public void Kill()
    {
        _killedByTest = true;
        KillCore();
    }

    /// <summary>A multi-line description: command line, pid, state, stdout and stderr.</summary>
    public string Describe()
    {
        string state;
        lock (_gate)
        {
            state = !_exited ? "still running"
                : _killedByLifetime ? $"killed after its lifetime of {Lifetime.TotalSeconds:0.#} s"
                : _killedByTest ? "killed by the test"
                : $"exited with code {SafeExitCode()}";
            return $"`{CommandLine}` (pid {SafePid()}, {state}, age {_age.Elapsed.TotalSeconds:0.00} s)\n" +
                   $"--- stdout ({_lines.Count} line(s)) ---\n{string.Join('\n', _lines)}\n" +
                   $"--- stderr ---\n{_stderr}";
        }
    }

    /// <inheritdoc />
    public override string ToString() => CommandLine;

    /// <summary>Kills the process if it still runs and waits (bounded) for it to go.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        if (!HasExited)
        {
            Kill();
        }
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try
            {
                await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Reported by nobody: the kill was sent; nothing more can be done.
            }
        }
        Cleanup();
    }

    /// <summary>Same as <see cref="DisposeAsync"/>, blocking.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Quotes <paramref name="arguments"/> the way a POSIX shell would need them.</summary>
    public static string FormatCommandLine(string fileName, IEnumerable<string> arguments) =>
        string.Join(' ', new[] { fileName }.Concat(arguments).Select(Quote));

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=@+,%".Contains(c))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static async Task<bool> Completes(Task task, TimeSpan within)
    {
        using var cts = new CancellationTokenSource();
        Task delay = Task.Delay(within, cts.Token);
        Task first = await Task.WhenAny(task, delay).ConfigureAwait(false);
        await cts.CancelAsync().ConfigureAwait(false);
        return first == task;
    }

    private PeerProcessException Failure(string what, bool timedOut = false) =>
        new($"peer {what}:\n{Describe()}", timedOut);

    private bool IsFinishedLocked() => _exited && _stdoutClosed && _stderrClosed;

    private void OnOutput(string? line) => Update(() =>
    {
        if (line is null)
        {
            _stdoutClosed = true;
        }
        else
        {
            _lines.Add(line);
        }
    });

    private void OnError(string? line) => Update(() =>
    {
        if (line is null)
        {
            _stderrClosed = true;
        }
        else
        {
            _stderr.AppendLine(line);
        }
    });

    private void Update(Action change)
    {
        TaskCompletionSource previous;
        bool finished;
        lock (_gate)
        {
            change();
            previous = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            finished = IsFinishedLocked();
        }
        previous.TrySetResult();
        if (finished)
        {
            _finished.TrySetResult();
        }
    }

    private void OnLifetimeOver()
    {
        _killedByLifetime = true;
        KillCore();
    }

    private void KillCore()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited (or never started).
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Exiting right now.
        }
    }

    private void Cleanup()
    {
        Live.TryRemove(this, out _);
        _lifetimeTimer.Dispose();
        _process.Dispose();
    }

    private string SafeExitCode()
    {
        try
        {
            return _process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }

    private string SafePid()
    {
        try
        {
            return _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }
}

/// <summary>A peer process did not behave as the test expected; the message describes the process.</summary>
public sealed class PeerProcessException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PeerProcessException(string message, bool timedOut) : base(message) => TimedOut = timedOut;

    /// <summary>Creates the exception.</summary>
    public PeerProcessException() : this("peer process failed", false)
    {
    }

    /// <summary>Creates the exception.</summary>
    public PeerProcessException(string message) : this(message, false)
    {
    }

    /// <summary>Creates the exception.</summary>
    public PeerProcessException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>True when a wait ran out of time (rather than the process ending early).</summary>
    public bool TimedOut { get; }
}
