using Xunit;

namespace SpNet.TestKit;

/// <summary>Checks on <see cref="TcpOptions"/> shared by the socket tests and spcat's option tests.</summary>
public static class TcpOptionsAssert
{
    /// <summary>Nothing set, as in NNG: keepalive off and every keepalive and timeout figure zero (the kernel's own apply).</summary>
    public static void SetsNothing(TcpOptions tcp)
    {
        ArgumentNullException.ThrowIfNull(tcp);
        Assert.False(tcp.KeepAlive);
        Assert.Equal(TimeSpan.Zero, tcp.KeepAliveTime);
        Assert.Equal(TimeSpan.Zero, tcp.KeepAliveInterval);
        Assert.Equal(0, tcp.KeepAliveRetryCount);
        Assert.Equal(TimeSpan.Zero, tcp.UserTimeout);
    }
}
