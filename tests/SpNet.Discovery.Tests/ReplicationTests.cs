using SpNet.TestKit;

namespace SpNet.Discovery.Tests;

/// <summary>Members registered with several registries; clients following several and merging their views.</summary>
public sealed class ReplicationTests
{
    [Fact]
    public async Task A_member_registered_with_two_registries_stays_listed_when_one_stops()
    {
        // About replication, not liveness: with the default 2 missed rounds a stall of ~400 ms on a loaded machine
        // (.ci/stress, load ~150) dropped the member from the live registry for a round, which this test counted as
        // a removal. Ten rounds tolerate two-second stalls; removal after missed rounds is proved elsewhere.
        RegistryOptions Tolerant()
        {
            RegistryOptions options = Timing.Options();
            options.MissedRounds = 10;
            return options;
        }
        var first = new Registry(Tolerant());
        await first.StartAsync();
        await using var second = new Registry(Tolerant());
        await second.StartAsync();
        RegistryEndpoint[] registries = [new(first.SurveyUrl, first.PublishUrl), new(second.SurveyUrl, second.PublishUrl)];
        await using var discovery = DiscoveryClient.Start(registries);
        await using var registration = ServiceRegistration.Start(registries, new ServiceMember("kv", "tcp://10.0.0.5:5555"));

        await discovery.WaitForAsync(s => s.Members.Count == 1, Timing.Within(Timing.Hang));
        await Eventually.True(() => first.Current.Members.Count == 1 && second.Current.Members.Count == 1, "listed by both registries", Timing.Hang);
        await Eventually.True(() => discovery.Sources.Count == 2, "both registries followed", Timing.Hang);

        var removals = 0;
        discovery.Changed += (_, s) => Interlocked.Add(ref removals, s.Members.Count == 0 ? 1 : 0);
        await first.DisposeAsync();
        await Eventually.True(() => discovery.Sources[first.PublishUrl].Lost, "the stopped registry is marked lost", Timing.Hang);
        long seen = discovery.SnapshotsReceived;
        await Eventually.True(() => discovery.SnapshotsReceived >= seen + 3, "more snapshots from the live registry", Timing.Hang);
        Assert.Single(discovery.Current.Members);
        Assert.Equal(0, Volatile.Read(ref removals));

        await registration.DisposeAsync();
        await discovery.WaitForAsync(s => s.Members.Count == 0, Timing.Within(Timing.Hang));
    }

    [Fact]
    public void A_backend_needs_an_address_for_its_side()
    {
        Assert.Throws<ArgumentException>(() => new RegistryBackend([]));
        var onlyPublish = new RegistryBackend([RegistryEndpoint.Publish("tcp://127.0.0.1:1")]);
        Assert.Throws<ArgumentException>(() => onlyPublish.Announce(new ServiceMember("s", "tcp://h:1")));
        var onlySurvey = new RegistryBackend([RegistryEndpoint.Survey("tcp://127.0.0.1:1")]);
        Assert.Throws<ArgumentException>(() => DiscoveryClient.Start(onlySurvey));
    }
}
