namespace SpNet.Bench.Harness.Sides;

/// <summary>Sides as threads of one process (inproc, or <c>compare --one-process</c>): signals go straight to the other sides' links.</summary>
internal sealed class LocalSideLink(string side, LocalSideLink.Hub hub) : SideLink(side)
{
    public override void Ready(string url) => hub.SetUrl(url);

    public override void Signal(string name)
    {
        foreach (LocalSideLink other in hub.Links)
        {
            if (!ReferenceEquals(other, this))
            {
                other.Deliver(name);
            }
        }
    }

    /// <summary>The links of one case, and the URL its listening side announced.</summary>
    internal sealed class Hub
    {
        private readonly TaskCompletionSource<string> _url = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<LocalSideLink> Links { get; } = [];

        public void SetUrl(string url) => _url.TrySetResult(url);

        /// <summary>The listening side's URL; throws when it has not come within the limit (or <paramref name="failed"/> ended first).</summary>
        public string WaitForUrl(Task failed)
        {
            int which = Task.WaitAny([_url.Task, failed], SignalLimit);
            if (which == 0)
            {
                return _url.Task.Result;
            }
            if (which == 1)
            {
                failed.GetAwaiter().GetResult(); // the listening side's own error
            }
            throw new BenchException($"the listening side did not bind within {SignalLimit.TotalSeconds:F0} s");
        }
    }
}
