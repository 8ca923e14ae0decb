namespace SpNet.Bench.Harness.Sides;

/// <summary>
/// A side running in its own child process: it speaks to the parent (<see cref="CaseRunner"/>) in lines. Out on
/// stdout: <c>@ready URL</c>, <c>@signal NAME</c>, <c>@result SIDE KEY VALUE</c>; in on stdin: one signal name per
/// line, which the parent relays from the other sides.
/// </summary>
internal sealed class ProcessSideLink : SideLink
{
    private readonly TextWriter _out;

    public ProcessSideLink(string side, TextReader input, TextWriter output) : base(side)
    {
        _out = output;
        var reader = new Thread(() =>
        {
            while (input.ReadLine() is string line)
            {
                if (line.Length > 0)
                {
                    Deliver(line);
                }
            }
        })
        { IsBackground = true, Name = "side link" };
        reader.Start();
    }

    public override void Ready(string url) => Write($"@ready {url}");

    public override void Signal(string name) => Write($"@signal {name}");

    public override void Report(string key, double value)
    {
        base.Report(key, value);
        Write(ResultLine(Side, key, value));
    }

    private void Write(string line)
    {
        lock (_out)
        {
            _out.WriteLine(line);
            _out.Flush();
        }
    }
}
