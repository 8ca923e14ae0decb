namespace SpNet.Discovery.Tests;

internal static class Timing
{
    /// <summary>The heartbeat used by the tests.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Scheduling slack added to every wall-clock bound: the machine is a shared 2-core box (load average near 10
    /// seen), where a timer or a continuation can run hundreds of milliseconds late. The strict heartbeat bounds are
    /// asserted in registry rounds; the wall-clock ones are protocol bound + this slack.
    /// </summary>
    public static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(600);

    /// <summary>
    /// A wall-clock bound for a protocol bound measured in heartbeats: under heavy load the registry's rounds themselves
    /// run late (a 200 ms round was seen taking 400 ms), so this allows twice the time plus <see cref="Slack"/>. The
    /// exact heartbeat bound is asserted in rounds.
    /// </summary>
    public static TimeSpan Loose(TimeSpan bound) => 2 * bound + Slack;

    /// <summary>An upper bound for waits that should never come near it (fail fast on a hang).</summary>
    public static readonly TimeSpan Hang = TimeSpan.FromSeconds(10);

    public static RegistryOptions Options(string survey = "tcp://127.0.0.1:0", string publish = "tcp://127.0.0.1:0") => new()
    {
        SurveyUrl = survey,
        PublishUrl = publish,
        Interval = Interval,
    };

    /// <summary>A registry with <see cref="Options"/> (the tests' heartbeat, loopback port 0), changed by <paramref name="configure"/>, started.</summary>
    public static async Task<Registry> StartRegistryAsync(Action<RegistryOptions>? configure = null)
    {
        RegistryOptions options = Options();
        configure?.Invoke(options);
        var registry = new Registry(options);
        try
        {
            await registry.StartAsync();
        }
        catch
        {
            await registry.DisposeAsync();
            throw;
        }
        return registry;
    }

    public static CancellationToken Within(TimeSpan timeout) => new CancellationTokenSource(timeout).Token;
}
