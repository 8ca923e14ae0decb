namespace SpNet.Tests.Api;

public class SocketSyncTests
{
    /// <summary>Sends <paramref name="text"/> from another thread a moment from now, so that a blocking receive started meanwhile has to wait for it.</summary>
    private static Task SendSoon(PairSocket socket, string text) => Task.Run(async () =>
    {
        await Task.Delay(50);
        socket.Send(System.Text.Encoding.UTF8.GetBytes(text));
    });

    [Fact]
    public async Task Blocking_receive_times_out_then_keeps_working_and_waits_for_a_later_message()
    {
        string url = $"inproc://sync-{Guid.NewGuid():N}";
        using var a = new PairSocket { ReceiveTimeout = TimeSpan.FromMilliseconds(100) };
        using var b = new PairSocket();
        a.Listen(url);
        await b.DialAsync(url);
        for (int i = 0; i < 2; i++)
        {
            var ex = Assert.Throws<SpNetException>(() => a.Receive());
            Assert.Equal(SpError.TimedOut, ex.Error);
        }
        a.ReceiveTimeout = TimeSpan.FromSeconds(5);
        for (int i = 0; i < 3; i++)
        {
            Task later = SendSoon(b, "late");
            using Message m = a.Receive();
            Assert.Equal("late", m.ToString());
            await later;
        }
        a.ReceiveTimeout = Timeout.InfiniteTimeSpan;
        Task last = SendSoon(b, "last");
        using Message n = a.Receive();
        Assert.Equal("last", n.ToString());
        await last;
    }

    [Fact]
    public async Task Blocking_receive_ends_with_closed_when_the_socket_closes()
    {
        var a = new PairSocket();
        Task<SpError> receiving = Task.Factory.StartNew(() =>
        {
            try
            {
                a.Receive().Dispose();
                return SpError.None;
            }
            catch (SpNetException ex)
            {
                return ex.Error;
            }
        }, TaskCreationOptions.LongRunning);
        await Task.Delay(100);
        await a.DisposeAsync();
        Assert.Equal(SpError.Closed, await receiving.WaitAsync(TimeSpan.FromSeconds(5)));
    }
}
