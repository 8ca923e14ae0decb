namespace SpNet.Tests.Api;

public class SocketOptionsTests
{
    public static TheoryData<string, object, object> RoundTrips => new()
    {
        { OptionNames.ReceiveTimeout, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250) },
        { OptionNames.ReceiveTimeout, 250, TimeSpan.FromMilliseconds(250) },
        { OptionNames.ReceiveTimeout, -1, Timeout.InfiniteTimeSpan },
        { OptionNames.SendTimeout, 1500, TimeSpan.FromMilliseconds(1500) },
        { OptionNames.SendTimeout, TimeSpan.Zero, TimeSpan.Zero },
        { OptionNames.ReceiveBuffer, 0, 0 },
        { OptionNames.ReceiveBuffer, 8192, 8192 },
        { OptionNames.SendBuffer, 16, 16 },
        { OptionNames.ReceiveSizeMax, 4096, 4096L },
        { OptionNames.ReceiveSizeMax, 0L, 0L },
        { OptionNames.ReconnectTimeMin, 20, TimeSpan.FromMilliseconds(20) },
        { OptionNames.ReconnectTimeMax, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3) },
    };

    [Theory]
    [MemberData(nameof(RoundTrips))]
    public void Common_options_round_trip(string name, object value, object expected)
    {
        using var socket = new PairSocket();
        socket.SetOption(name, value);
        Assert.Equal(expected, socket.GetOption(name));
    }

    [Fact]
    public void Common_options_reach_the_typed_properties()
    {
        using var socket = new PullSocket();
        socket.SetOption("recv-timeout", 100);
        socket.SetOption("recv-buffer", 3);
        socket.SetOption("recv-size-max", 1000);
        Assert.Equal(TimeSpan.FromMilliseconds(100), socket.ReceiveTimeout);
        Assert.Equal(3, socket.ReceiveBufferSize);
        Assert.Equal(1000, socket.MaxReceiveSize);
    }

    [Fact]
    public void Identity_options_are_read_only()
    {
        using var socket = new Pair1Socket();
        Assert.Equal(0x11, socket.GetOption("protocol"));
        Assert.Equal(0x11, socket.GetOption("peer"));
        Assert.Equal("pair1", socket.GetOption("protocol-name"));
        Assert.Equal("pair1", socket.GetOption("peer-name"));
        Assert.Equal(false, socket.GetOption("raw"));
        using var req = new ReqSocket();
        Assert.Equal(0x30, req.GetOption("protocol"));
        Assert.Equal("rep", req.GetOption("peer-name"));
        foreach (string name in new[] { "protocol", "peer", "protocol-name", "peer-name", "raw" })
        {
            Assert.Equal(SpError.ReadOnly, Assert.Throws<SpNetException>(() => socket.SetOption(name, 1)).Error);
        }
    }

    [Fact]
    public void Protocol_options_round_trip_on_their_sockets()
    {
        using var req = new ReqSocket();
        req.SetOption("req:resend-time", 5000);
        Assert.Equal(TimeSpan.FromSeconds(5), req.GetOption("req:resend-time"));
        Assert.Equal(TimeSpan.FromSeconds(5), req.ResendTime);

        using var rep = new RepSocket();
        rep.SetOption("ttl-max", 12);
        Assert.Equal(12, rep.GetOption("ttl-max"));

        using var pair1 = new Pair1Socket();
        pair1.SetOption("ttl-max", 15);
        Assert.Equal(15, pair1.GetOption("ttl-max"));
        Assert.Equal(false, pair1.GetOption("pair1:polyamorous"));
        using var poly = Pair1Socket.CreatePolyamorous();
        poly.SetOption("ttl-max", 2);
        Assert.Equal(2, poly.MaxTtl);
        Assert.Equal(true, poly.GetOption("pair1:polyamorous"));

        using var surveyor = new SurveyorSocket();
        surveyor.SetOption("surveyor:survey-time", 250);
        Assert.Equal(TimeSpan.FromMilliseconds(250), surveyor.GetOption("surveyor:survey-time"));
        surveyor.SetOption("ttl-max", 4);
        Assert.Equal(4, surveyor.GetOption("ttl-max"));
        using var respondent = new RespondentSocket();
        respondent.SetOption("ttl-max", 9);
        Assert.Equal(9, respondent.GetOption("ttl-max"));

        using var star = new StarSocket();
        star.SetOption("ttl-max", 255);
        Assert.Equal(255, star.GetOption("ttl-max"));

        using var sub = new SubSocket();
        Assert.Equal(true, sub.GetOption("sub:prefnew"));
        sub.SetOption("sub:prefnew", false);
        Assert.Equal(false, sub.GetOption("sub:prefnew"));
        sub.SetOption("sub:subscribe", "topic");
        sub.SetOption("sub:subscribe", new byte[] { 1, 2 });
        Assert.Equal(2, sub.SubscriptionCount);
        sub.SetOption("sub:unsubscribe", "topic");
        Assert.Equal(1, sub.SubscriptionCount);
        Assert.Equal(SpError.NoEntry, Assert.Throws<SpNetException>(() => sub.SetOption("sub:unsubscribe", "never")).Error);
        Assert.Equal(SpError.WriteOnly, Assert.Throws<SpNetException>(() => sub.GetOption("sub:subscribe")).Error);
    }

    [Theory]
    [InlineData("no-such-option")]
    [InlineData("req:resend-time")]
    [InlineData("sub:prefnew")]
    [InlineData("ttl-max")]
    [InlineData("surveyor:survey-time")]
    public void Unknown_or_foreign_names_are_not_supported_and_named(string name)
    {
        using var push = new PushSocket();
        var set = Assert.Throws<SpNetException>(() => push.SetOption(name, 1));
        Assert.Equal(SpError.NotSupported, set.Error);
        Assert.Contains(name, set.Message, StringComparison.Ordinal);
        Assert.Equal(SpError.NotSupported, Assert.Throws<SpNetException>(() => push.GetOption(name)).Error);
    }

    [Theory]
    [InlineData("recv-timeout", "soon")]
    [InlineData("recv-timeout", -5)]
    [InlineData("recv-buffer", 8193)]
    [InlineData("recv-buffer", true)]
    [InlineData("send-buffer", 0)]
    [InlineData("recv-size-max", -1)]
    [InlineData("reconnect-time-min", 0)]
    public void Wrong_types_and_values_are_invalid_arguments(string name, object value)
    {
        using var pair = new PairSocket();
        Assert.Equal(SpError.InvalidArgument, Assert.Throws<SpNetException>(() => pair.SetOption(name, value)).Error);
    }

    [Fact]
    public void Ttl_out_of_range_is_an_invalid_argument()
    {
        using var pair1 = new Pair1Socket();
        Assert.Equal(SpError.InvalidArgument, Assert.Throws<SpNetException>(() => pair1.SetOption("ttl-max", 16)).Error);
        using var sub = new SubSocket();
        Assert.Equal(SpError.InvalidArgument, Assert.Throws<SpNetException>(() => sub.SetOption("sub:prefnew", 1)).Error);
    }
}
