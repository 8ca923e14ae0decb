using SpNet.TestKit;
using SpNet.Transports.Ipc;

namespace SpNet.Tests.Transports.Ipc;

/// <summary>
/// The Windows form of ipc:// (named pipes), run here through .NET's portable named pipes: same framing, every pattern,
/// a large message, a name already served, and a refused dial.
/// </summary>
public sealed class NamedPipeTests
{
    private static TransportPatterns OverPipes => new(() => $"ipc://spnet-{Guid.NewGuid():N}");

    [Fact] public Task Pair_over_named_pipes() => InPipeMode(() => OverPipes.PairAsync());

    [Fact] public Task PushPull_over_named_pipes() => InPipeMode(() => OverPipes.PushPullAsync());

    [Fact] public Task ReqRep_over_named_pipes() => InPipeMode(() => OverPipes.ReqRepAsync());

    [Fact] public Task PubSub_over_named_pipes() => InPipeMode(() => OverPipes.PubSubAsync());

    [Fact] public Task One_MiB_message_over_named_pipes() => InPipeMode(() => OverPipes.LargeMessageAsync(1024 * 1024));

    [Fact]
    public Task Dialing_a_name_nobody_serves_is_refused() => InPipeMode(async () =>
    {
        await using var req = new ReqSocket();
        string url = $"ipc://spnet-nobody-{Guid.NewGuid():N}";
        var ex = await Assert.ThrowsAsync<SpNetException>(async () => await req.DialAsync(url));
        Assert.Equal(SpError.ConnectionRefused, ex.Error);
        Assert.Contains(url, ex.Message, StringComparison.Ordinal);
    });

    [Fact]
    public Task Pipe_prefix_in_the_url_names_the_same_pipe() => InPipeMode(async () =>
    {
        string name = $"spnet-prefix-{Guid.NewGuid():N}";
        await using var pull = new PullSocket();
        await using var push = new PushSocket();
        pull.Listen($"ipc://{name}");
        if (!OperatingSystem.IsWindows())
        {
            // Proof that the named-pipe path ran: .NET emulates a pipe named N by a Unix socket at TMPDIR/CoreFxPipe_N.
            Assert.True(File.Exists(Path.Combine(Path.GetTempPath(), "CoreFxPipe_" + name)), "no emulated named pipe was created");
        }
        await push.DialAsync($@"ipc://\\.\pipe\{name}");
        await push.SendAsync("via prefix"u8.ToArray());
        using Message m = await Eventually.Within(pull.ReceiveAsync(), "message over the prefixed pipe name");
        Assert.Equal("via prefix", m.ToString());
    });

    private static async Task InPipeMode(Func<Task> body)
    {
        IpcTransport.NamedPipesForTesting.Value = true;
        try
        {
            await body();
        }
        finally
        {
            IpcTransport.NamedPipesForTesting.Value = false;
        }
    }
}
