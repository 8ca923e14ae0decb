using SpNet.Fuzz.Support;
using SpNet.Transports.Framing;

namespace SpNet.Reliability.Tests.Fuzz;

/// <summary>Inputs the fuzzer found, kept as plain tests.</summary>
public sealed class StreamPipeRegressionTests
{
    /// <summary>
    /// A frame larger than the 64 KiB chunk, cut short by EOF: the pipe closes as ConnectionShutdown with an SP
    /// reason, like a small frame cut short. It used to escape as EndOfStreamException and close as ConnectionReset.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Large_frame_cut_short_closes_as_shutdown(bool ipc)
    {
        int prefix = FrameCodec.PrefixSize(ipc);
        byte[] input = new byte[prefix + (80 * 1024)];
        FrameCodec.WritePrefix(input, 100 * 1024, ipc);
        var host = new CollectingHost();
        var pipe = new StreamPipe(new ChunkedStream(input, 1), ipc, 0x51, "mem://l", "mem://r", 1024 * 1024, 4);
        pipe.Start(host, logger: null);
        await pipe.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(SpError.ConnectionShutdown, pipe.CloseReason);
        Assert.Contains("middle of a", pipe.CloseDetail, StringComparison.Ordinal);
        Assert.Empty(host.Sizes);
        Assert.Equal(1, host.Statistics.ConnectionErrors);
    }
}
