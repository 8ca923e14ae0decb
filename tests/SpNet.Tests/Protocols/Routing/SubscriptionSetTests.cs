using SpNet.Protocols.Routing;

namespace SpNet.Tests.Protocols.Routing;

public class SubscriptionSetTests
{
    [Fact]
    public void No_subscription_matches_nothing()
    {
        var set = new SubscriptionSet();
        Assert.False(set.Matches("anything"u8));
        Assert.False(set.Matches(""u8));
        Assert.Equal(0, set.Count);
    }

    [Fact]
    public void Empty_prefix_matches_everything()
    {
        var set = new SubscriptionSet();
        Assert.True(set.Add(""u8));
        Assert.True(set.Matches("anything"u8));
        Assert.True(set.Matches(""u8));
    }

    [Fact]
    public void Prefixes_match_by_leading_bytes()
    {
        var set = new SubscriptionSet();
        set.Add("topic"u8);
        set.Add("ab"u8);
        Assert.True(set.Matches("topic|data"u8));
        Assert.True(set.Matches("topic"u8));
        Assert.True(set.Matches("abc"u8));
        Assert.False(set.Matches("topi"u8)); // shorter than the prefix
        Assert.False(set.Matches("a"u8));
        Assert.False(set.Matches("xtopic"u8));
        Assert.False(set.Matches("Topic"u8));
        Assert.False(set.Matches(""u8));
    }

    [Fact]
    public void Nested_prefixes_and_binary_bytes()
    {
        var set = new SubscriptionSet();
        set.Add(new byte[] { 0x00, 0xFF });
        set.Add(new byte[] { 0x00, 0xFF, 0x01 });
        Assert.Equal(2, set.Count);
        Assert.True(set.Matches(new byte[] { 0x00, 0xFF, 0x02 }));
        Assert.True(set.Remove(new byte[] { 0x00, 0xFF }));
        Assert.False(set.Matches(new byte[] { 0x00, 0xFF, 0x02 }));
        Assert.True(set.Matches(new byte[] { 0x00, 0xFF, 0x01, 0x09 }));
    }

    [Fact]
    public void Add_twice_counts_once_and_remove_reports_absence()
    {
        var set = new SubscriptionSet();
        Assert.True(set.Add("a"u8));
        Assert.False(set.Add("a"u8));
        Assert.Equal(1, set.Count);
        Assert.True(set.Remove("a"u8));
        Assert.False(set.Remove("a"u8));
        Assert.False(set.Remove("never"u8));
        Assert.False(set.Remove("abc"u8)); // a longer key under a removed node
        Assert.Equal(0, set.Count);
        Assert.False(set.Matches("a"u8));
    }

    [Fact]
    public void Removing_a_longer_prefix_keeps_the_shorter_one()
    {
        var set = new SubscriptionSet();
        set.Add("ab"u8);
        set.Add("abcd"u8);
        Assert.True(set.Remove("abcd"u8));
        Assert.True(set.Matches("abzz"u8));
        Assert.False(set.Remove("abc"u8)); // an inner node that was never subscribed
        Assert.True(set.Matches("abc"u8));
        Assert.Equal(1, set.Count);
    }

    [Fact]
    public void Removing_the_empty_prefix_stops_matching_everything()
    {
        var set = new SubscriptionSet();
        set.Add(""u8);
        set.Add("x"u8);
        Assert.True(set.Remove(""u8));
        Assert.False(set.Matches("y"u8));
        Assert.True(set.Matches("x1"u8));
    }
}
