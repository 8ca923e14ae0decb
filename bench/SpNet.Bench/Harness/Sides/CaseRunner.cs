using System.Diagnostics;
using System.Globalization;

namespace SpNet.Bench.Harness.Sides;

/// <summary>Where the sides of a case run.</summary>
internal enum Placement
{
    /// <summary>Each side in its own child process, as deployed (spbench starts itself once per side).</summary>
    Processes,

    /// <summary>All sides as threads of one child process (inproc, which cannot cross processes, or <c>--one-process</c>).</summary>
    OneProcess,

    /// <summary>All sides as threads of the calling process (the inproc perf roles).</summary>
    ThisProcess,
}

/// <summary>
/// Runs one case: starts its listening side, then the dialing sides with the URL it announced, relays signals between
/// them, collects what they report, and bounds the whole run. Every library goes through the same sides and the same
/// placement; only inproc (one process by definition) runs its sides as threads.
/// </summary>
internal static class CaseRunner
{
    public static CaseReports Run(BenchCase c, Placement placement, TimeSpan limit)
    {
        if (c.Transport == "inproc" && placement == Placement.Processes)
        {
            placement = Placement.OneProcess;
        }
        return placement switch
        {
            Placement.ThisProcess => RunHere(CaseSides.For(c), Addresses.For(c.Transport), limit),
            _ => RunChildren(c, placement == Placement.OneProcess, limit),
        };
    }

    /// <summary>The sides as threads of this process; the first listens on <paramref name="listenUrl"/>.</summary>
    public static CaseReports RunHere(IReadOnlyList<Side> sides, string listenUrl, TimeSpan limit)
    {
        var hub = new LocalSideLink.Hub();
        hub.Links.AddRange(sides.Select(s => new LocalSideLink(s.Name, hub)));
        var tasks = new List<Task> { Workers.Dedicated(sides[0].Name, () => sides[0].Body(hub.Links[0], listenUrl)) };
        string url = hub.WaitForUrl(tasks[0]);
        try
        {
            for (int i = 1; i < sides.Count; i++)
            {
                int index = i;
                tasks.Add(Workers.Dedicated(sides[i].Name, () => sides[index].Body(hub.Links[index], url)));
            }
            Workers.Join(limit, "case", [.. tasks]);
        }
        finally
        {
            Addresses.CleanUp(url);
        }
        var reports = new CaseReports();
        foreach (LocalSideLink link in hub.Links)
        {
            foreach ((string key, double value) in link.Reports)
            {
                reports.Add(link.Side, key, value);
            }
        }
        return reports;
    }

    private static CaseReports RunChildren(BenchCase c, bool together, TimeSpan limit)
    {
        var reports = new CaseReports();
        var group = new ChildGroup(reports);
        long deadline = Environment.TickCount64 + (long)limit.TotalMilliseconds;
        string? url = null;
        try
        {
            if (together)
            {
                group.Start([.. c.ToArgs(), "all"]);
            }
            else
            {
                int sides = CaseSides.For(c).Count;
                Child listener = group.Start([.. c.ToArgs(), "0"]);
                url = group.WaitForReady(listener, deadline);
                for (int i = 1; i < sides; i++)
                {
                    group.Start([.. c.ToArgs(), i.ToString(CultureInfo.InvariantCulture), url]);
                }
            }
            group.WaitForAll(deadline, limit);
        }
        finally
        {
            group.KillAll();
            if (url is not null)
            {
                Addresses.CleanUp(url);
            }
        }
        return reports;
    }

    /// <summary>How this process starts spbench again: the same host (dotnet) on the same assembly.</summary>
    private static ProcessStartInfo ChildStart(IEnumerable<string> args)
    {
        ProcessStartInfo start = DotnetHost.Start(typeof(CaseRunner).Assembly.Location, ["side", .. args]);
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        return start;
    }

    /// <summary>The children of one case: relays each one's signals to the others (also to those started later).</summary>
    private sealed class ChildGroup(CaseReports reports)
    {
        private readonly List<Child> _children = [];
        private readonly List<(Child From, string Name)> _signals = [];

        public Child Start(IEnumerable<string> args)
        {
            var child = new Child(ChildStart(args), this);
            lock (_children)
            {
                _children.Add(child);
                foreach ((Child from, string name) in _signals)
                {
                    child.Tell(name);
                }
            }
            child.BeginReading();
            return child;
        }

        public void OnLine(Child from, string line)
        {
            string[] parts = line.Split(' ', 4);
            switch (parts[0])
            {
                case "@ready" when parts.Length >= 2:
                    from.SetReady(line["@ready ".Length..]);
                    break;
                case "@signal" when parts.Length >= 2:
                    lock (_children)
                    {
                        _signals.Add((from, parts[1]));
                        foreach (Child other in _children.Where(c => c != from))
                        {
                            other.Tell(parts[1]);
                        }
                    }
                    break;
                case "@result" when parts.Length == 4:
                    reports.Add(parts[1], parts[2], double.Parse(parts[3], CultureInfo.InvariantCulture));
                    break;
                default:
                    break;
            }
        }

        public string WaitForReady(Child listener, long deadline)
        {
            while (true)
            {
                if (listener.Ready.Wait(50))
                {
                    return listener.Ready.Result;
                }
                if (listener.HasExited)
                {
                    throw listener.Failure("exited before listening");
                }
                if (Environment.TickCount64 > deadline)
                {
                    throw new BenchException("the listening side did not bind in time");
                }
            }
        }

        /// <summary>Until every child has exited: the first failure kills the rest (they may be waiting for it).</summary>
        public void WaitForAll(long deadline, TimeSpan limit)
        {
            while (true)
            {
                Child[] children;
                lock (_children)
                {
                    children = [.. _children];
                }
                if (children.FirstOrDefault(c => c.HasExited && c.ExitCode != 0) is Child failed)
                {
                    throw failed.Failure($"exit {failed.ExitCode}");
                }
                if (children.All(c => c.HasExited))
                {
                    foreach (Child child in children)
                    {
                        child.WaitForOutput();
                    }
                    return;
                }
                if (Environment.TickCount64 > deadline)
                {
                    throw new BenchException($"stalled: no result within {limit.TotalSeconds:F0} s");
                }
                Thread.Sleep(20);
            }
        }

        public void KillAll()
        {
            lock (_children)
            {
                foreach (Child child in _children)
                {
                    child.Dispose();
                }
            }
        }
    }

    /// <summary>One child process running one side (or all of them).</summary>
    private sealed class Child : IDisposable
    {
        private readonly Process _process;
        private readonly ChildGroup _group;
        private readonly Queue<string> _errors = new();
        private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Child(ProcessStartInfo start, ChildGroup group)
        {
            _group = group;
            _process = new Process { StartInfo = start };
            _process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is string line)
                {
                    _group.OnLine(this, line);
                }
            };
            _process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is string line)
                {
                    lock (_errors)
                    {
                        _errors.Enqueue(line);
                        if (_errors.Count > 20)
                        {
                            _ = _errors.Dequeue();
                        }
                    }
                }
            };
            if (!_process.Start())
            {
                throw new BenchException($"could not start {start.FileName}");
            }
        }

        public Task<string> Ready => _ready.Task;

        public bool HasExited => _process.HasExited;

        public int ExitCode => _process.ExitCode;

        public void BeginReading()
        {
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public void SetReady(string url) => _ready.TrySetResult(url);

        /// <summary>Passes a signal on; a child that has gone already does not need it.</summary>
        public void Tell(string name)
        {
            try
            {
                lock (_process)
                {
                    _process.StandardInput.WriteLine(name);
                    _process.StandardInput.Flush();
                }
            }
            catch (IOException)
            {
                // exited
            }
        }

        /// <summary>The child's own message (its last stderr line), for the cell of a failed case.</summary>
        public BenchException Failure(string what)
        {
            WaitForOutput();
            string last;
            lock (_errors)
            {
                last = _errors.LastOrDefault(l => l.Length > 0) ?? "";
            }
            return new BenchException(last.Length > 0 ? last : $"side {what}");
        }

        /// <summary>Lets the asynchronous readers drain what the child printed before it exited.</summary>
        public void WaitForOutput()
        {
            if (_process.HasExited)
            {
                _process.WaitForExit();
            }
        }

        public void Dispose()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(5000);
                }
            }
            catch (InvalidOperationException)
            {
                // not started or gone
            }
            _process.Dispose();
        }
    }
}
