using SpNet.TestKit;
using Xunit.Abstractions;

namespace SpNet.Discovery.Tests;

/// <summary>Any SP implementation can register with the documented JSON; here NNG 1.5.2's nngcat.</summary>
public sealed class NngcatTests(ITestOutputHelper output)
{
    [PeerFact(Peers.NngCat)]
    public async Task An_nngcat_respondent_registers_like_a_dotnet_member()
    {
        await using Registry registry = await Timing.StartRegistryAsync();
        await using var discovery = DiscoveryClient.Start(registry.PublishUrl);
        await using var dotnet = TestMember.Start(registry.SurveyUrl, "cache", "dotnet0");

        // The exact command line documented in docs/discovery.md.
        const string json = """{"service":"cache","address":"tcp://127.0.0.1:7999","meta":{"zone":"eu-1","impl":"nngcat"}}""";
        await using PeerProcess nngcat = PeerProcess.Start(Peers.Require(Peers.NngCat), TimeSpan.FromSeconds(30),
            "--respondent", "--dial", registry.SurveyUrl, "--data", json);
        output.WriteLine(nngcat.CommandLine);

        ServiceSnapshot snapshot = await discovery.WaitForAsync(s => s.MembersOf("cache").Count == 2, Timing.Within(Timing.Hang));
        ServiceMember member = Assert.Single(snapshot.Members, m => m.Address == "tcp://127.0.0.1:7999");
        Assert.Equal("cache", member.Service);
        Assert.Equal("eu-1", member.Zone);
        Assert.Equal("nngcat", member.Meta["impl"]);
        Assert.Equal(0, registry.Statistics.MalformedAnswers);

        nngcat.Kill();
        await discovery.WaitForAsync(s => s.MembersOf("cache").Count == 1, Timing.Within(Timing.Hang));
    }
}
