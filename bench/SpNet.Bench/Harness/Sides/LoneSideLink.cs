namespace SpNet.Bench.Harness.Sides;

/// <summary>
/// A perf role on its own (<c>local_thr</c>, <c>remote_lat</c>…), facing a peer that may be NNG's perf: nothing to
/// hear from the other side but the socket itself. A wait for the other side's signal gives it 200 ms, as perf's
/// own pauses do; a listener on port 0 prints the URL it bound on stderr.
/// </summary>
internal sealed class LoneSideLink(string side, string requestedUrl, TextWriter error) : SideLink(side)
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(200);

    public override void Ready(string url)
    {
        if (url != requestedUrl)
        {
            error.WriteLine($"listening on {url}");
            error.Flush();
        }
    }

    public override void Signal(string name)
    {
        // nobody to tell
    }

    public override void WaitFor(string name, int count = 1) => Thread.Sleep(Pause);
}
