using System.Text;

namespace SpNet.Discovery.Tests;

/// <summary>
/// A request's reply is read by the view the request was sent under: a view that changes while the reply is on its
/// way (a registry that just restarted, a member listed again with other metadata) must not change how it is read.
/// The views come from a backend the test drives by hand.
/// </summary>
public sealed class ServiceClientViewTests
{
    [Fact]
    public async Task A_view_that_changes_while_a_reply_is_on_its_way_does_not_change_how_it_is_read()
    {
        var backend = new ManualBackend();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using ServiceHost host = await ServiceHost.StartAsync(new ServiceHostOptions { Service = "kv", Backend = backend });
        host.OnRequest(async (request, _) =>
        {
            entered.TrySetResult();
            await release.Task;
            return Message.Create($"kv:{request}");
        });
        ServiceMember announced = await backend.Announced.Task.WaitAsync(Timing.Hang);
        Assert.True(announced.Meta.ContainsKey(ServiceMeta.Status)); // a host's replies carry a status byte
        await using DiscoveryClient discovery = DiscoveryClient.Start(backend);
        await using var client = new ServiceClient(discovery, new ServiceClientOptions { RequestTimeout = Timing.Hang });
        backend.Publish(announced);
        await discovery.WaitForAsync(s => s.MembersOf("kv").Count == 1, Timing.Within(Timing.Hang));

        Task<byte[]> reply = client.RequestAsync("kv", "x"u8.ToArray());
        await entered.Task.WaitAsync(Timing.Hang);
        // The same address listed without the host's metadata: the reply on its way still has its status byte.
        backend.Publish(new ServiceMember("kv", announced.Address));
        await discovery.WaitForAsync(s => s.MembersOf("kv") is [{ Meta.Count: 0 }], Timing.Within(Timing.Hang));
        release.SetResult();
        Assert.Equal("kv:x", Encoding.UTF8.GetString(await reply.WaitAsync(Timing.Hang)));
    }

    /// <summary>A backend whose views the test publishes; it records what a host announces.</summary>
    private sealed class ManualBackend : IDiscoveryBackend
    {
        private IDiscoveryObserver? _observer;
        private long _version;

        public TaskCompletionSource<ServiceMember> Announced { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Description => "manual";

        public IDiscoveryAnnouncement Announce(ServiceMember member)
        {
            Announced.TrySetResult(member);
            return new Announcement();
        }

        public IAsyncDisposable Watch(IDiscoveryObserver observer)
        {
            _observer = observer;
            return new Announcement();
        }

        public void Publish(params ServiceMember[] members) =>
            _observer!.OnSnapshot("manual", new ServiceSnapshot(1, Interlocked.Increment(ref _version), members));
    }

    private sealed class Announcement : IDiscoveryAnnouncement
    {
        public bool IsConnected => true;

        public long Renewals => 0;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
