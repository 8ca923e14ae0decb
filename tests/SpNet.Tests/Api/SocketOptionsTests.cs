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
    public void Pair1_reports_polyamory_and_sub_takes_subscriptions_by_name()
    {
        // The typed-property round trips of every writable name are in Every_nng_name_and_its_typed_property_are_one_option.
        using var pair1 = new Pair1Socket();
        Assert.Equal(false, pair1.GetOption("pair1:polyamorous"));
        using var poly = Pair1Socket.CreatePolyamorous();
        Assert.Equal(true, poly.GetOption("pair1:polyamorous"));
        Assert.Equal(SpError.ReadOnly, Assert.Throws<SpNetException>(() => poly.SetOption("pair1:polyamorous", false)).Error);

        using var sub = new SubSocket();
        Assert.Equal(true, sub.GetOption("sub:prefnew"));
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
    [InlineData("recv-buffer", true)]
    [InlineData("recv-size-max", 1.5)]
    [InlineData("tcp-keepalive", 1)]
    [InlineData("reconnect-time-max", "1s")]
    public void Wrong_types_are_bad_types_as_in_nng(string name, object value)
    {
        using var pair = new PairSocket();
        var ex = Assert.Throws<SpNetException>(() => pair.SetOption(name, value));
        Assert.Equal(SpError.BadType, ex.Error);
        Assert.Contains(name, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("recv-timeout", -5)]
    [InlineData("recv-timeout", 3_000_000_000L)]
    [InlineData("recv-buffer", 8193)]
    [InlineData("recv-buffer", 5_000_000_000L)]
    [InlineData("send-buffer", 0)]
    [InlineData("recv-size-max", -1)]
    [InlineData("reconnect-time-min", 0)]
    public void Values_out_of_range_are_invalid_arguments_and_change_nothing(string name, object value)
    {
        using var pair = new PairSocket();
        object before = pair.GetOption(name);
        Assert.Equal(SpError.InvalidArgument, Assert.Throws<SpNetException>(() => pair.SetOption(name, value)).Error);
        Assert.Equal(before, pair.GetOption(name));
    }

    [Fact]
    public void Ttl_out_of_range_is_an_invalid_argument()
    {
        using var pair1 = new Pair1Socket();
        Assert.Equal(SpError.InvalidArgument, Assert.Throws<SpNetException>(() => pair1.SetOption("ttl-max", 16)).Error);
        Assert.Throws<ArgumentOutOfRangeException>(() => pair1.MaxTtl = 0);
        using var star = new StarSocket();
        Assert.Equal(SpError.InvalidArgument, Assert.Throws<SpNetException>(() => star.SetOption("ttl-max", 256)).Error);
        using var sub = new SubSocket();
        Assert.Equal(SpError.BadType, Assert.Throws<SpNetException>(() => sub.SetOption("sub:prefnew", 1)).Error);
    }

    [Fact]
    public void Raw_req_and_surveyor_share_the_table_but_have_no_cooked_timers()
    {
        using var req = ReqSocket.CreateRaw();
        req.SetOption("ttl-max", 3);
        Assert.Equal(3, req.MaxTtl);
        Assert.Equal(SpError.NotSupported, Assert.Throws<SpNetException>(() => req.GetOption("req:resend-time")).Error);
        using var surveyor = SurveyorSocket.CreateRaw();
        surveyor.MaxTtl = 5;
        Assert.Equal(5, surveyor.GetOption("ttl-max"));
        Assert.Equal(SpError.NotSupported, Assert.Throws<SpNetException>(() => surveyor.SetOption("surveyor:survey-time", 100)).Error);
    }

    [Fact]
    public void Cooked_req_keeps_one_hop_limit()
    {
        using var req = new ReqSocket();
        Assert.Equal(8, req.MaxTtl);
        req.MaxTtl = 4;
        Assert.Equal(4, req.GetOption("ttl-max"));
        req.SetOption("ttl-max", 6);
        Assert.Equal(6, req.MaxTtl);
    }

    /// <summary>One NNG name with its typed property, on a socket type that has it, and two values it accepts.</summary>
    public sealed record Named(Func<Socket> Open, string Name, object First, object Second, Func<Socket, object> Get, Action<Socket, object> Set)
    {
        public override string ToString() => Name;
    }

    private static readonly Named[] s_named =
    [
        new(() => new PairSocket(), OptionNames.ReceiveTimeout, TimeSpan.FromSeconds(2), TimeSpan.Zero, s => s.ReceiveTimeout, (s, v) => s.ReceiveTimeout = (TimeSpan)v),
        new(() => new PairSocket(), OptionNames.SendTimeout, TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan, s => s.SendTimeout, (s, v) => s.SendTimeout = (TimeSpan)v),
        new(() => new PairSocket(), OptionNames.ReceiveBuffer, 7, 0, s => s.ReceiveBufferSize, (s, v) => s.ReceiveBufferSize = (int)v),
        new(() => new PairSocket(), OptionNames.SendBuffer, 9, 8192, s => s.SendBufferSize, (s, v) => s.SendBufferSize = (int)v),
        new(() => new PairSocket(), OptionNames.ReceiveSizeMax, 77L, 0L, s => s.MaxReceiveSize, (s, v) => s.MaxReceiveSize = (long)v),
        new(() => new PairSocket(), OptionNames.ReconnectTimeMin, TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1), s => s.ReconnectMinTime, (s, v) => s.ReconnectMinTime = (TimeSpan)v),
        new(() => new PairSocket(), OptionNames.ReconnectTimeMax, TimeSpan.FromSeconds(4), TimeSpan.Zero, s => s.ReconnectMaxTime, (s, v) => s.ReconnectMaxTime = (TimeSpan)v),
        new(() => new PairSocket(), OptionNames.TcpKeepAlive, true, false, s => s.Tcp.KeepAlive, (s, v) => s.Tcp.KeepAlive = (bool)v),
        new(() => new PairSocket(), OptionNames.TcpNoDelay, false, true, s => s.Tcp.NoDelay, (s, v) => s.Tcp.NoDelay = (bool)v),
        new(() => new ReqSocket(), OptionNames.ReqResendTime, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan, s => ((ReqSocket)s).ResendTime, (s, v) => ((ReqSocket)s).ResendTime = (TimeSpan)v),
        new(() => new ReqSocket(), OptionNames.MaxTtl, 2, 15, s => ((ReqSocket)s).MaxTtl, (s, v) => ((ReqSocket)s).MaxTtl = (int)v),
        new(() => new RepSocket(), OptionNames.MaxTtl, 3, 1, s => ((RepSocket)s).MaxTtl, (s, v) => ((RepSocket)s).MaxTtl = (int)v),
        new(() => RepSocket.CreateRaw(), OptionNames.MaxTtl, 4, 14, s => ((RepSocket)s).MaxTtl, (s, v) => ((RepSocket)s).MaxTtl = (int)v),
        new(() => new SurveyorSocket(), OptionNames.SurveyorSurveyTime, TimeSpan.FromMilliseconds(250), Timeout.InfiniteTimeSpan, s => ((SurveyorSocket)s).SurveyTime, (s, v) => ((SurveyorSocket)s).SurveyTime = (TimeSpan)v),
        new(() => new SurveyorSocket(), OptionNames.MaxTtl, 5, 13, s => ((SurveyorSocket)s).MaxTtl, (s, v) => ((SurveyorSocket)s).MaxTtl = (int)v),
        new(() => new RespondentSocket(), OptionNames.MaxTtl, 6, 12, s => ((RespondentSocket)s).MaxTtl, (s, v) => ((RespondentSocket)s).MaxTtl = (int)v),
        new(() => Pair1Socket.CreatePolyamorous(), OptionNames.MaxTtl, 7, 11, s => ((Pair1Socket)s).MaxTtl, (s, v) => ((Pair1Socket)s).MaxTtl = (int)v),
        new(() => new StarSocket(), OptionNames.MaxTtl, 200, 1, s => ((StarSocket)s).MaxTtl, (s, v) => ((StarSocket)s).MaxTtl = (int)v),
        new(() => new SubSocket(), OptionNames.SubPreferNew, false, true, s => ((SubSocket)s).PreferNew, (s, v) => ((SubSocket)s).PreferNew = (bool)v),
    ];

    public static TheoryData<Named> NamedOptions => [.. s_named];

    [Theory]
    [MemberData(nameof(NamedOptions))]
    public void Every_nng_name_and_its_typed_property_are_one_option(Named option)
    {
        using Socket socket = option.Open();
        socket.SetOption(option.Name, option.First);
        Assert.Equal(option.First, option.Get(socket));
        option.Set(socket, option.Second);
        Assert.Equal(option.Second, socket.GetOption(option.Name));
    }

    [Fact]
    public void Every_writable_nng_name_is_covered_by_the_round_trip()
    {
        string[] readOnly = [OptionNames.Protocol, OptionNames.Peer, OptionNames.ProtocolName, OptionNames.PeerName, OptionNames.Raw, OptionNames.Pair1Polyamorous];
        string[] writeOnly = [OptionNames.SubSubscribe, OptionNames.SubUnsubscribe];
        IEnumerable<string> all = typeof(OptionNames).GetFields().Select(f => (string)f.GetValue(null)!);
        Assert.Equal(
            all.Except(readOnly).Except(writeOnly).Order(StringComparer.Ordinal),
            s_named.Select(n => n.Name).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Contexts_have_their_protocols_options_by_name()
    {
        using var req = new ReqSocket();
        using ReqContext reqContext = req.OpenContext();
        reqContext.SetOption(OptionNames.ReqResendTime, 1500);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), reqContext.ResendTime);
        Assert.Equal(TimeSpan.FromMinutes(1), req.ResendTime); // the socket's own is untouched
        reqContext.ReceiveTimeout = TimeSpan.FromSeconds(2);
        Assert.Equal(TimeSpan.FromSeconds(2), reqContext.GetOption(OptionNames.ReceiveTimeout));
        reqContext.SetOption(OptionNames.SendTimeout, -1);
        Assert.Equal(Timeout.InfiniteTimeSpan, reqContext.SendTimeout);

        using var surveyor = new SurveyorSocket();
        using SurveyorContext survey = surveyor.OpenContext();
        survey.SurveyTime = TimeSpan.FromMilliseconds(300);
        Assert.Equal(TimeSpan.FromMilliseconds(300), survey.GetOption(OptionNames.SurveyorSurveyTime));
        Assert.Equal(SpError.InvalidArgument, Assert.Throws<SpNetException>(() => survey.SetOption(OptionNames.SurveyorSurveyTime, 0)).Error);

        using var sub = new SubSocket();
        using SubContext subContext = sub.OpenContext();
        subContext.SetOption(OptionNames.SubPreferNew, false);
        Assert.False(subContext.PreferNew);
        Assert.True(sub.PreferNew);
        subContext.SetOption(OptionNames.SubSubscribe, "a");
        Assert.Equal(SpError.NoEntry, Assert.Throws<SpNetException>(() => subContext.SetOption(OptionNames.SubUnsubscribe, "b")).Error);
        subContext.SetOption(OptionNames.SubUnsubscribe, "a");
        Assert.Equal(SpError.WriteOnly, Assert.Throws<SpNetException>(() => subContext.GetOption(OptionNames.SubSubscribe)).Error);

        using var rep = new RepSocket();
        using RepContext repContext = rep.OpenContext();
        var unknown = Assert.Throws<SpNetException>(() => repContext.SetOption(OptionNames.MaxTtl, 3));
        Assert.Equal(SpError.NotSupported, unknown.Error);
        Assert.Contains("ttl-max", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(SpError.BadType, Assert.Throws<SpNetException>(() => repContext.SetOption(OptionNames.ReceiveTimeout, "x")).Error);
    }
}
