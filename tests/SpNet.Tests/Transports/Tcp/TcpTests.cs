using SpNet.TestKit;

namespace SpNet.Tests.Transports.Tcp;

/// <summary>The shared transport suite over tcp:// (IPv4 loopback, port 0) and inproc://.</summary>
public sealed class TcpTests
{
    private static TransportPatterns OverTcp => new(() => Addresses.TcpLoopback);

    private static TransportPatterns OverInproc => new(() => Addresses.Inproc("suite"));

    [Fact] public Task Pair_over_tcp() => OverTcp.PairAsync();

    [Fact] public Task PushPull_over_tcp() => OverTcp.PushPullAsync();

    [Fact] public Task PubSub_over_tcp() => OverTcp.PubSubAsync();

    [Fact] public Task ReqRep_over_tcp() => OverTcp.ReqRepAsync();

    [Fact] public Task Ten_MiB_message_over_tcp_arrives_intact() => OverTcp.LargeMessageAsync(10 * 1024 * 1024);

    [Fact] public Task Ten_MiB_message_over_inproc_arrives_intact() => OverInproc.LargeMessageAsync(10 * 1024 * 1024);
}
