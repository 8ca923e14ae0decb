using System.Diagnostics;
using System.Text;
using Xunit.Abstractions;

namespace SpNet.Discovery.Tests;

/// <summary>Three services × three instances over tcp loopback, with a 200 ms heartbeat.</summary>
public sealed class ClusterTests(ITestOutputHelper output)
{
    private static readonly string[] s_services = ["alpha", "beta", "gamma"];

    [Fact]
    public async Task Nine_members_found_one_killed_removed_while_requests_succeed_then_back()
    {
        await using Registry registry = await Timing.StartRegistryAsync();
        // Heartbeat bounds are checked in registry rounds (immune to a loaded machine), wall-clock bounds with slack.
        var changes = new System.Collections.Concurrent.ConcurrentQueue<(long Round, int Members)>();
        registry.Changed += (_, s) => changes.Enqueue((registry.Statistics.Rounds, s.Members.Count));
        await using var discovery = DiscoveryClient.Start(registry.PublishUrl);
        await discovery.WaitForAsync(s => s.Epoch == registry.Epoch, Timing.Within(Timing.Hang));

        var members = new List<TestMember>();
        try
        {
            long start = Stopwatch.GetTimestamp();
            long startRound = registry.Statistics.Rounds;
            foreach (string service in s_services)
            {
                for (int i = 0; i < 3; i++)
                {
                    members.Add(TestMember.Start(registry.SurveyUrl, service, $"{service}{i}"));
                }
            }
            // Rounds are counted from the round under way when the last member's connection was up: a loaded
            // machine (load ~150 under .ci/stress) takes rounds to start nine dialers, which is not discovery's time.
            await Eventually(() => members.All(m => m.Registration.IsConnected), "all 9 members connected");
            long connectedRound = registry.Statistics.Rounds;
            TimeSpan connected = Stopwatch.GetElapsedTime(start);
            await discovery.WaitForAsync(s => s.Members.Count == 9, Timing.Within(Timing.Hang));
            TimeSpan found = Stopwatch.GetElapsedTime(start);
            output.WriteLine($"all 9 discovered in {found.TotalMilliseconds:F0} ms, {(found - connected).TotalMilliseconds:F0} ms after all were connected (interval {Timing.Interval.TotalMilliseconds} ms)");
            // The client can see a snapshot before the registry's Changed handler has run: wait for the record.
            await Eventually(() => changes.Any(c => c.Members == 9), "the 9-member change recorded");
            long foundRound = changes.First(c => c.Members == 9).Round;
            output.WriteLine($"  = {foundRound - startRound} rounds after the start, {foundRound - connectedRound} after all were connected");
            Assert.True(foundRound - connectedRound <= 2, $"discovery took {foundRound - connectedRound} rounds after all 9 were connected");
            Assert.True(found - connected <= Timing.Loose(2 * Timing.Interval), $"discovery took {(found - connected).TotalMilliseconds:F0} ms after all 9 were connected");
            Assert.Equal(s_services, discovery.Current.Services);
            Assert.All(s_services, s => Assert.Equal(3, discovery.Current.MembersOf(s).Count));

            await using var client = new ServiceClient(discovery, new ServiceClientOptions { RequestTimeout = TimeSpan.FromSeconds(5) });
            await Eventually(() => client.DialedAddresses("beta").Count == 3, "3 beta dialers");

            // Requests run the whole time a member dies and comes back; every one must succeed.
            using var stopRequests = new CancellationTokenSource();
            var answeredBy = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
            int sent = 0;
            Task requests = Task.Run(async () =>
            {
                while (!stopRequests.IsCancellationRequested)
                {
                    int n = Interlocked.Increment(ref sent);
                    byte[] reply = await client.RequestAsync("beta", Encoding.UTF8.GetBytes($"r{n}"));
                    string text = Encoding.UTF8.GetString(reply);
                    Assert.EndsWith($":r{n}", text, StringComparison.Ordinal);
                    answeredBy.AddOrUpdate(text[..text.IndexOf(':', StringComparison.Ordinal)], 1, (_, c) => c + 1);
                    await Task.Delay(5);
                }
            });

            TestMember victim = members.Single(m => m.Name == "beta1");
            string victimAddress = victim.Address;
            long killed = Stopwatch.GetTimestamp();
            long killedRound = registry.Statistics.Rounds;
            await victim.DisposeAsync();
            members.Remove(victim);
            await discovery.WaitForAsync(s => s.Members.Count == 8, Timing.Within(Timing.Hang));
            TimeSpan removed = Stopwatch.GetElapsedTime(killed);
            output.WriteLine($"killed member removed in {removed.TotalMilliseconds:F0} ms (bound {(RegistryOptions.DefaultMissedRounds + 1) * Timing.Interval.TotalMilliseconds} ms)");
            await Eventually(() => changes.Any(c => c.Members == 8 && c.Round >= killedRound), "the 8-member change recorded");
            long removedRound = changes.First(c => c.Members == 8 && c.Round >= killedRound).Round;
            output.WriteLine($"  = {removedRound - killedRound} rounds");
            Assert.True(removedRound - killedRound <= RegistryOptions.DefaultMissedRounds + 1, $"removal took {removedRound - killedRound} rounds");
            Assert.True(removed <= Timing.Loose((RegistryOptions.DefaultMissedRounds + 1) * Timing.Interval), $"removal took {removed.TotalMilliseconds:F0} ms");
            Assert.DoesNotContain(discovery.Current.Members, m => m.Address == victimAddress);
            await Eventually(() => client.DialedAddresses("beta").Count == 2, "2 beta dialers");

            long restarted = Stopwatch.GetTimestamp();
            members.Add(TestMember.Start(registry.SurveyUrl, "beta", "beta1again", victimAddress));
            await discovery.WaitForAsync(s => s.Members.Count == 9, Timing.Within(Timing.Hang));
            TimeSpan back = Stopwatch.GetElapsedTime(restarted);
            output.WriteLine($"restarted member back in {back.TotalMilliseconds:F0} ms");
            Assert.True(back <= Timing.Loose(2 * Timing.Interval), $"rejoin took {back.TotalMilliseconds:F0} ms");
            await Eventually(() => answeredBy.ContainsKey("beta1again"), "a request answered by the restarted member");

            await stopRequests.CancelAsync();
            await requests.WaitAsync(Timing.Hang);
            output.WriteLine($"{sent} requests, all answered: {string.Join(", ", answeredBy.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}"))}");
            Assert.True(answeredBy.Count >= 3, "load spread over the members");
            Assert.Equal(0, registry.Statistics.MalformedAnswers);
        }
        finally
        {
            foreach (TestMember member in members)
            {
                await member.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Registry_restart_on_the_same_ports_rebuilds_the_snapshot_and_clients_reconnect()
    {
        var registry = new Registry(Timing.Options());
        await registry.StartAsync();
        string survey = registry.SurveyUrl, publish = registry.PublishUrl;
        long firstEpoch = registry.Epoch;
        await using var discovery = DiscoveryClient.Start(publish);
        var members = s_services.SelectMany(s => Enumerable.Range(0, 3).Select(i => TestMember.Start(survey, s, $"{s}{i}"))).ToList();
        try
        {
            await discovery.WaitForAsync(s => s.Members.Count == 9, Timing.Within(Timing.Hang));
            await using var client = new ServiceClient(discovery, new ServiceClientOptions { RequestTimeout = TimeSpan.FromSeconds(5) });
            Assert.StartsWith("gamma", Encoding.UTF8.GetString(await client.RequestAsync("gamma", "x"u8.ToArray())), StringComparison.Ordinal);

            await registry.DisposeAsync();
            await Task.Delay(Timing.Interval * 2); // the registry is really gone for a while
            long restart = Stopwatch.GetTimestamp();
            registry = new Registry(Timing.Options(survey, publish));
            await registry.StartAsync();
            Assert.NotEqual(firstEpoch, registry.Epoch);
            try
            {
                await discovery.WaitForAsync(s => s.Epoch == registry.Epoch && s.Members.Count == 9, Timing.Within(Timing.Hang));
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"not rebuilt: client has epoch {discovery.Current.Epoch} (registry {registry.Epoch}) {discovery.Current}; registry {registry.Current}; {registry.Statistics}; "
                    + string.Join("; ", members.Select(m => $"{m.Name} connected={m.Registration.IsConnected} answered={m.Registration.Renewals}")));
            }
            TimeSpan rebuilt = Stopwatch.GetElapsedTime(restart);
            output.WriteLine($"snapshot rebuilt {rebuilt.TotalMilliseconds:F0} ms after the registry restarted");
            // Bound: the members' and the client's redial wait (grown to at most its maximum while the registry was
            // down), then the next survey (one interval), its deadline (half an interval) and the next publish (one
            // interval: a client that reconnects just after a publish waits for the next). CI runs the test projects
            // side by side on two cores, where 2.5 s was seen against the 2.2 s this allowed without the last interval.
            TimeSpan bound = Timing.Loose(ServiceRegistration.DefaultReconnectMaxTime + Timing.Interval * 2.5);
            Assert.True(rebuilt <= bound, $"rebuild took {rebuilt.TotalMilliseconds:F0} ms (bound {bound.TotalMilliseconds:F0} ms)");
            await Eventually(() => client.DialedAddresses("gamma").Count == 3, "3 gamma dialers");
            Assert.StartsWith("gamma", Encoding.UTF8.GetString(await client.RequestAsync("gamma", "y"u8.ToArray())), StringComparison.Ordinal);
        }
        finally
        {
            foreach (TestMember member in members)
            {
                await member.DisposeAsync();
            }
            await registry.DisposeAsync();
        }
    }

    private static Task Eventually(Func<bool> condition, string what) => TestKit.Eventually.True(condition, what, Timing.Hang);
}
