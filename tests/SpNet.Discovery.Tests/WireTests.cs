using System.Text;

namespace SpNet.Discovery.Tests;

public sealed class WireTests
{
    [Fact]
    public void Announcement_is_the_documented_json()
    {
        var member = new ServiceMember("cache", "tcp://10.0.0.5:5555", new Dictionary<string, string> { ["zone"] = "eu-1" });
        string json = Encoding.UTF8.GetString(DiscoveryFormat.EncodeAnnouncement(member));
        Assert.Equal("""{"service":"cache","address":"tcp://10.0.0.5:5555","meta":{"zone":"eu-1"}}""", json);
        Assert.Equal(member, DiscoveryFormat.DecodeAnnouncement(Encoding.UTF8.GetBytes(json)));
        Assert.Equal("""{"service":"a","address":"inproc://a"}""", Encoding.UTF8.GetString(DiscoveryFormat.EncodeAnnouncement(new ServiceMember("a", "inproc://a"))));
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{\"service\":\"\",\"address\":\"tcp://x:1\"}")]
    [InlineData("{\"service\":\"a\"}")]
    [InlineData("{\"service\":\"a\",\"address\":\"tcp://x:1\",\"meta\":[1]}")]
    [InlineData("{\"service\":1,\"address\":\"tcp://x:1\"}")]
    [InlineData("{\"service\":\"a\",\"address\":\"tcp://x:1\",\"meta\":{\"k\":null}}")] // null is not a string (found by the fuzzer)
    public void Malformed_announcements_decode_to_null(string text) =>
        Assert.Null(DiscoveryFormat.DecodeAnnouncement(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void Unknown_fields_are_ignored_for_forward_compatibility() =>
        Assert.NotNull(DiscoveryFormat.DecodeAnnouncement("""{"service":"a","address":"tcp://x:1","weight":3}"""u8));

    /// <summary>Found by the discovery fuzzer (tests/SpNet.Reliability.Tests/Fuzz/DiscoveryFuzzTests.cs).</summary>
    [Theory]
    [InlineData("{\"epoch\":1735689600123,\"version\":0,\"members\":[null]}")] // used to throw NullReferenceException
    [InlineData("{\"epoch\":1,\"version\":1,\"members\":[{\"service\":\"s\",\"address\":\"a\"},null]}")]
    [InlineData("{\"epoch\":1,\"version\":1,\"members\":[{\"service\":\"s\",\"address\":\"a\",\"meta\":{\"k\":null}}]}")] // used to be accepted
    public void Malformed_snapshots_decode_to_null(string text) =>
        Assert.Null(DiscoveryFormat.DecodeSnapshot(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void Snapshot_round_trips_sorted()
    {
        var snapshot = new ServiceSnapshot(42, 7, [new ServiceMember("b", "tcp://b:1"), new ServiceMember("a", "tcp://a:2", new Dictionary<string, string> { ["zone"] = "z" })]);
        string json = Encoding.UTF8.GetString(DiscoveryFormat.EncodeSnapshot(snapshot));
        Assert.Equal("""{"epoch":42,"version":7,"members":[{"service":"a","address":"tcp://a:2","meta":{"zone":"z"}},{"service":"b","address":"tcp://b:1"}]}""", json);
        ServiceSnapshot back = DiscoveryFormat.DecodeSnapshot(Encoding.UTF8.GetBytes(json))!;
        Assert.Equal(42, back.Epoch);
        Assert.Equal(7, back.Version);
        Assert.True(back.SameMembersAs(snapshot));
    }
}
