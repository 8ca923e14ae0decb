using dotnet_etcd;
using Etcdserverpb;
using SpNet.TestKit;

namespace SpNet.Discovery.Etcd.Tests;

/// <summary>etcd with authentication enabled: a user with a role on the prefix registers and watches; no one else does.</summary>
public sealed class EtcdAuthTests
{
    [PeerFact(Peers.Etcd)]
    public async Task With_auth_enabled_only_a_user_granted_the_prefix_registers_and_watches()
    {
        await using EtcdCluster cluster = await EtcdCluster.StartAsync(1);
        using (var admin = new EtcdClient(cluster.ClientUrls[0]))
        {
            var auth = admin.GetConnection().AuthClient;
            await auth.UserAddAsync(new AuthUserAddRequest { Name = "root", Password = "root-secret" });
            await auth.UserGrantRoleAsync(new AuthUserGrantRoleRequest { User = "root", Role = "root" });
            await auth.RoleAddAsync(new AuthRoleAddRequest { Name = "spnet" });
            await auth.RoleGrantPermissionAsync(new AuthRoleGrantPermissionRequest
            {
                Name = "spnet",
                Perm = new Authpb.Permission
                {
                    Key = Google.Protobuf.ByteString.CopyFromUtf8(EtcdBackendOptions.DefaultPrefix),
                    RangeEnd = Google.Protobuf.ByteString.CopyFromUtf8("/spnet/services0"), // the prefix's range end ('/' + 1)
                    PermType = Authpb.Permission.Types.Type.Readwrite,
                },
            });
            await auth.UserAddAsync(new AuthUserAddRequest { Name = "member", Password = "member-secret" });
            await auth.UserGrantRoleAsync(new AuthUserGrantRoleRequest { User = "member", Role = "spnet" });
            await auth.AuthEnableAsync(new AuthEnableRequest());
        }

        EtcdBackendOptions Options(string? user, string? password) => new()
        {
            Endpoints = cluster.ClientUrls,
            LeaseTtl = Timing.LeaseTtl,
            Username = user,
            Password = password,
        };
        using var granted = new EtcdBackend(Options("member", "member-secret"));
        using var anonymous = new EtcdBackend(Options(null, null));
        using var wrongPassword = new EtcdBackend(Options("member", "guess"));
        await using var client = DiscoveryClient.Start(granted);
        await using var blindClient = DiscoveryClient.Start(anonymous);
        await using ServiceRegistration refused = ServiceRegistration.Start(anonymous, new ServiceMember("kv", "tcp://10.0.0.66:1"));
        await using ServiceRegistration refusedToo = ServiceRegistration.Start(wrongPassword, new ServiceMember("kv", "tcp://10.0.0.67:1"));
        await using ServiceRegistration member = ServiceRegistration.Start(granted, new ServiceMember("kv", "tcp://10.0.0.1:1"));

        ServiceSnapshot snapshot = await client.WaitForAsync(s => s.MembersOf("kv").Count >= 1, Timing.Within(Timing.Hang));
        // The refused ones started first; by the time a later member is listed, they have had their chance.
        await using ServiceRegistration later = ServiceRegistration.Start(granted, new ServiceMember("kv", "tcp://10.0.0.2:1"));
        snapshot = await client.WaitForAsync(s => s.MembersOf("kv").Count >= 2, Timing.Within(Timing.Hang));
        Assert.Equal(["tcp://10.0.0.1:1", "tcp://10.0.0.2:1"], snapshot.Members.Select(m => m.Address).Order());
        Assert.False(refused.IsConnected);
        Assert.False(refusedToo.IsConnected);
        Assert.Equal(0, refused.Renewals);
        Assert.Equal(0, blindClient.SnapshotsReceived);
    }
}
