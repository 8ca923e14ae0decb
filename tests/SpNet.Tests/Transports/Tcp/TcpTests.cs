using SpNet.TestKit;

namespace SpNet.Tests.Transports.Tcp;

/// <summary>The shared transport suite over tcp:// (IPv4 loopback, port 0) and inproc://.</summary>
public sealed class TcpTests
{
    private static TransportPatterns OverTcp => new(() => Addresses.TcpLoopback);

    private static TransportPatterns OverInproc => new(() => Addresses.Inproc("suite"));

    [Theory, MemberData(nameof(TransportPatterns.Names), MemberType = typeof(TransportPatterns))]
    public Task Pattern_over_tcp(string pattern) => OverTcp.RunAsync(pattern);

    [Fact] public Task Ten_MiB_message_over_tcp_arrives_intact() => OverTcp.LargeMessageAsync(10 * 1024 * 1024);

    [Fact] public Task Ten_MiB_message_over_inproc_arrives_intact() => OverInproc.LargeMessageAsync(10 * 1024 * 1024);
}
