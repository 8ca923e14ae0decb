using System.Diagnostics;
using SpNet.TestKit;
using Xunit.Abstractions;

namespace SpNet.Discovery.Tests;

/// <summary>
/// 1,000 members in this process with one registry and with three: every member is listed, and the figures in
/// docs/discovery.md (time to the full snapshot, its size, a join at full size, CPU per round) are printed.
/// </summary>
public sealed class ScaleTests(ITestOutputHelper output)
{
    private const int Members = 1000;
    private static readonly TimeSpan FullBound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_thousand_members_with_one_registry_are_all_listed()
    {
        await RunAsync(registries: 1);
    }

    [Fact]
    public async Task A_thousand_members_with_three_registries_are_all_listed_by_each_and_merged()
    {
        await RunAsync(registries: 3);
    }

    private async Task RunAsync(int registries)
    {
        var running = new List<Registry>();
        var registrations = new List<ServiceRegistration>(Members + 1);
        try
        {
            for (int i = 0; i < registries; i++)
            {
                // The default heartbeat (1 s): the figures are for a registry as shipped.
                var registry = new Registry(new RegistryOptions { SurveyUrl = "tcp://127.0.0.1:0", PublishUrl = "tcp://127.0.0.1:0" });
                running.Add(registry);
                await registry.StartAsync();
            }
            RegistryEndpoint[] endpoints = [.. running.Select(r => new RegistryEndpoint(r.SurveyUrl, r.PublishUrl))];
            await using var client = DiscoveryClient.Start(endpoints);

            var clock = Stopwatch.StartNew();
            for (int i = 0; i < Members; i++)
            {
                registrations.Add(ServiceRegistration.Start(endpoints, Member(i)));
            }
            TimeSpan started = clock.Elapsed;
            ServiceSnapshot full = await client.WaitForAsync(s => s.Members.Count == Members, Timing.Within(FullBound));
            TimeSpan listed = clock.Elapsed;
            await Eventually.True(() => running.All(r => r.Current.Members.Count == Members), "every registry lists every member", FullBound);
            int size = DiscoveryFormat.EncodeSnapshot(running[0].Current).Length;

            // Steady state: CPU of this whole process (registries, 1,000 members, the client) per registry round.
            using Process self = Process.GetCurrentProcess();
            self.Refresh();
            TimeSpan cpuBefore = self.TotalProcessorTime;
            long roundsBefore = running[0].Statistics.Rounds;
            var steady = Stopwatch.StartNew();
            await Eventually.True(() => running[0].Statistics.Rounds >= roundsBefore + 5, "five more rounds", FullBound);
            self.Refresh();
            long rounds = running[0].Statistics.Rounds - roundsBefore;
            TimeSpan cpuPerRound = (self.TotalProcessorTime - cpuBefore) / rounds;
            TimeSpan wallPerRound = steady.Elapsed / rounds;

            clock.Restart();
            registrations.Add(ServiceRegistration.Start(endpoints, Member(Members)));
            await client.WaitForAsync(s => s.Members.Count == Members + 1, Timing.Within(FullBound));
            TimeSpan join = clock.Elapsed;

            output.WriteLine($"{Members} members, {registries} registr{(registries == 1 ? "y" : "ies")}: started in {started.TotalMilliseconds:0} ms, " +
                $"all in the client's view after {listed.TotalSeconds:0.0} s; snapshot {size:N0} bytes; one more member visible after {join.TotalMilliseconds:0} ms; " +
                $"process CPU per round {cpuPerRound.TotalMilliseconds:0} ms ({Environment.ProcessorCount} cores, round {wallPerRound.TotalMilliseconds:0} ms); " +
                $"registry 1: {running[0].Statistics}");
            Assert.Equal(Members, full.Members.Count);
            Assert.All(running, r => Assert.Equal(0, r.Statistics.MembersRefused));
        }
        finally
        {
            await Task.WhenAll(registrations.Select(r => r.DisposeAsync().AsTask()));
            foreach (Registry registry in running)
            {
                await registry.DisposeAsync();
            }
        }
    }

    private static ServiceMember Member(int i) =>
        new($"svc{i % 10}", $"tcp://10.0.{i / 250}.{i % 250}:5555", new Dictionary<string, string> { ["zone"] = $"z{i % 3}" });
}
