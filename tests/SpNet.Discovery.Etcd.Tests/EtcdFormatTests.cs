using dotnet_etcd;
using SpNet.TestKit;

namespace SpNet.Discovery.Etcd.Tests;

/// <summary>The documented key layout: anything that writes it (etcdctl, another language) lists a member; anything else is ignored and counted.</summary>
public sealed class EtcdFormatTests
{
    [PeerFact(Peers.Etcd)]
    public async Task A_key_written_by_hand_is_a_member_and_malformed_keys_are_counted_and_ignored()
    {
        await using EtcdCluster cluster = await EtcdCluster.StartAsync(1);
        using var backend = new EtcdBackend(Timing.Options(cluster));
        await using var client = DiscoveryClient.Start(backend);
        using var etcd = new EtcdClient(cluster.ClientUrls[0]);

        // What docs/discovery.md shows for etcdctl.
        await etcd.PutAsync("/spnet/services/cache/10.0.0.5-5555", """{"address":"tcp://10.0.0.5:5555","meta":{"zone":"eu-1"}}""");
        ServiceSnapshot snapshot = await client.WaitForAsync(s => s.MembersOf("cache").Count == 1, Timing.Within(Timing.Hang));
        ServiceMember member = Assert.Single(snapshot.Members);
        Assert.Equal("tcp://10.0.0.5:5555", member.Address);
        Assert.Equal("eu-1", member.Zone);
        Assert.Equal(0, client.MalformedSnapshots);

        string tooBig = new('x', DiscoveryFormat.MaxMetaSize + 1);
        string[] malformed =
        [
            "not json",
            """{"meta":{"zone":"eu-1"}}""",
            """{"address":"tcp://10.0.0.6:1","meta":{"n":1}}""",
            $$$"""{"address":"tcp://10.0.0.6:1","meta":{"big":"{{{tooBig}}}"}}""",
        ];
        for (int i = 0; i < malformed.Length; i++)
        {
            await etcd.PutAsync($"/spnet/services/cache/bad{i}", malformed[i]);
        }
        await etcd.PutAsync("/spnet/services/no-member-id", """{"address":"tcp://10.0.0.6:1"}""");
        await Eventually.True(() => client.MalformedSnapshots == malformed.Length + 1, "every malformed key is counted", Timing.Hang);
        Assert.Single(client.Current.Members);

        await etcd.DeleteAsync("/spnet/services/cache/10.0.0.5-5555");
        await client.WaitForAsync(s => s.Members.Count == 0, Timing.Within(Timing.Hang));
    }
}
