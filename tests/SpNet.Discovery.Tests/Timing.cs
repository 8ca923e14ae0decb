namespace SpNet.Discovery.Tests;

internal static class Timing
{
    /// <summary>The heartbeat used by the tests.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Scheduling slack added to every protocol bound: the machine is a shared 2-core box, so a timer or a
    /// continuation can run late by a few tens of milliseconds. The bound asserted is protocol bound + slack.
    /// </summary>
    public static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(150);

    /// <summary>An upper bound for waits that should never come near it (fail fast on a hang).</summary>
    public static readonly TimeSpan Hang = TimeSpan.FromSeconds(10);

    public static RegistryOptions Options(string survey = "tcp://127.0.0.1:0", string publish = "tcp://127.0.0.1:0") => new()
    {
        SurveyUrl = survey,
        PublishUrl = publish,
        Interval = Interval,
    };

    public static CancellationToken Within(TimeSpan timeout) => new CancellationTokenSource(timeout).Token;
}
