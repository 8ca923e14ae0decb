using System.Text;

namespace SpNet.Discovery.Tests;

public sealed class ServiceClientTests
{
    [Fact]
    public async Task Zone_members_are_preferred_and_others_used_when_none_is_left()
    {
        await using Registry registry = await Timing.StartRegistryAsync();
        await using var discovery = DiscoveryClient.Start(registry.PublishUrl);
        var east = new Dictionary<string, string> { ["zone"] = "east" };
        var west = new Dictionary<string, string> { ["zone"] = "west" };
        TestMember local = TestMember.Start(registry.SurveyUrl, "kv", "local", meta: east);
        await using TestMember remote1 = TestMember.Start(registry.SurveyUrl, "kv", "remote1", meta: west);
        await using TestMember remote2 = TestMember.Start(registry.SurveyUrl, "kv", "remote2", meta: west);
        try
        {
            await discovery.WaitForAsync(s => s.MembersOf("kv").Count == 3, Timing.Within(Timing.Hang));
            await using var client = new ServiceClient(discovery, new ServiceClientOptions { Zone = "east", RequestTimeout = TimeSpan.FromSeconds(5) });
            Assert.Equal([local.Address], client.DialedAddresses("kv"));
            for (int i = 0; i < 10; i++)
            {
                Assert.Equal("local:q", Encoding.UTF8.GetString(await client.RequestAsync("kv", "q"u8.ToArray())));
            }

            await local.DisposeAsync();
            await discovery.WaitForAsync(s => s.MembersOf("kv").Count == 2, Timing.Within(Timing.Hang));
            await TestKit.Eventually.True(() => client.DialedAddresses("kv").Count == 2, "falls back to the other zone", Timing.Hang);
            Assert.StartsWith("remote", Encoding.UTF8.GetString(await client.RequestAsync("kv", "q"u8.ToArray())), StringComparison.Ordinal);
        }
        finally
        {
            await local.DisposeAsync();
        }
    }

    [Fact]
    public async Task Resolve_round_robins_and_watch_reports_changes_only()
    {
        await using Registry registry = await Timing.StartRegistryAsync();
        await using var discovery = DiscoveryClient.Start(registry.PublishUrl);
        Assert.Null(discovery.Resolve("svc"));
        await using TestMember a = TestMember.Start(registry.SurveyUrl, "svc", "a");
        await using TestMember b = TestMember.Start(registry.SurveyUrl, "svc", "b");
        await discovery.WaitForAsync(s => s.MembersOf("svc").Count == 2, Timing.Within(Timing.Hang));

        var picks = Enumerable.Range(0, 10).Select(_ => discovery.Resolve("svc")!.Address).ToList();
        Assert.Equal(5, picks.Count(p => p == a.Address));
        Assert.Equal(5, picks.Count(p => p == b.Address));

        // Three periodic repeats go by; a watcher sees the current snapshot once, and after it only real changes (on a
        // loaded machine a member can miss a survey deadline and be dropped and listed again: that is a change).
        using var cts = new CancellationTokenSource(Timing.Hang);
        var seen = new System.Collections.Concurrent.ConcurrentQueue<ServiceSnapshot>();
        Task watching = Task.Run(async () =>
        {
            try
            {
                await foreach (ServiceSnapshot s in discovery.WatchAsync(cts.Token))
                {
                    seen.Enqueue(s);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        long received = discovery.SnapshotsReceived;
        await TestKit.Eventually.True(() => discovery.SnapshotsReceived >= received + 3, "three periodic repeats", Timing.Hang);
        await cts.CancelAsync();
        await watching.WaitAsync(Timing.Hang);
        ServiceSnapshot[] all = [.. seen];
        Assert.NotEmpty(all);
        for (int i = 1; i < all.Length; i++)
        {
            Assert.False(SameMembers(all[i - 1], all[i]), $"snapshot {i} repeats the one before it: {all[i]}");
        }
    }

    [Fact]
    public async Task A_request_with_no_registry_answering_names_the_registries_it_waited_for()
    {
        // Nothing listens on either address: the client never gets a first snapshot.
        var unreachable = new RegistryEndpoint(TestKit.TestNetwork.FreeTcpUrl(), TestKit.TestNetwork.FreeTcpUrl());
        await using ServiceClient client = ServiceClient.Start(new ServiceClientOptions
        {
            Registries = [unreachable],
            RequestTimeout = TimeSpan.FromMilliseconds(300),
        });

        var ex = await Assert.ThrowsAsync<SpNetException>(async () => await client.RequestAsync("kv", "q"u8.ToArray()));

        Assert.Equal(SpError.TimedOut, ex.Error);
        Assert.Contains(unreachable.PublishUrl!, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(RegistryBackend), ex.Message, StringComparison.Ordinal);
    }

    private static bool SameMembers(ServiceSnapshot x, ServiceSnapshot y) =>
        x.Members.ToHashSet().SetEquals(y.Members);
}
