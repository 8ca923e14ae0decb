using System.Text;
using System.Threading.Channels;
using CsCheck;
using SpNet.TestKit;

namespace SpNet.Model.Tests.Protocols;

/// <summary>
/// The bounded receive queues under each full-policy, against a plain queue and a capacity, while the capacity
/// changes (NNG_OPT_RECVBUF may be set at any time; shrinking keeps what is queued, 0 means one):
/// backpressure (PULL: nothing lost, order kept, a waiting sender always resumes once there is room), drop the newest
/// and drop the oldest (SUB with <see cref="SubSocket.PreferNew"/> off and on, toggled mid-sequence).
/// </summary>
public class QueueModelTests
{
    private const int SequencesPerRun = 60;

    internal enum Kind { Send, Receive, Resize, TogglePolicy }

    internal readonly record struct Op(Kind Kind, int N)
    {
        public override string ToString() => Kind == Kind.TogglePolicy ? "TogglePolicy" : $"{Kind}({N})";
    }

    private static readonly Gen<Op> s_op = Gen.Frequency(
        (4, Gen.Int[1, 8].Select(n => new Op(Kind.Send, n))),
        (4, Gen.Int[1, 8].Select(n => new Op(Kind.Receive, n))),
        (2, Gen.Int[0, 6].Select(n => new Op(Kind.Resize, n))),
        (1, Gen.Const(new Op(Kind.TogglePolicy, 0))));

    private static readonly Gen<(bool PreferNew, int Capacity, Op[] Ops)> s_subSequence =
        Gen.Select(Gen.Bool, Gen.Int[0, 6], s_op.Array[1, 60]);

    [Fact]
    public void Sub_drops_newest_or_oldest_as_the_model_while_the_capacity_changes()
    {
        ModelRun.Sample(s_subSequence, s => RunSubAsync(s.PreferNew, s.Capacity, s.Ops).GetAwaiter().GetResult(), SequencesPerRun,
            s => $"preferNew {s.PreferNew}, capacity {s.Capacity}: {string.Join(", ", s.Ops)}");
    }

    [Fact]
    public void Pull_backpressure_loses_nothing_and_keeps_order_while_the_capacity_changes()
    {
        ModelRun.Sample(Gen.Select(Gen.Int[0, 6], s_op.Array[1, 60]), s => RunPullAsync(s.Item1, s.Item2).GetAwaiter().GetResult(), SequencesPerRun,
            s => $"capacity {s.Item1}: {string.Join(", ", s.Item2)}");
    }

    [Fact]
    public Task Scenario_shrinking_a_full_drop_oldest_queue_keeps_the_newest_within_the_new_bound() =>
        RunSubAsync(true, 4, [new(Kind.Send, 6), new(Kind.Resize, 2), new(Kind.Send, 1), new(Kind.Receive, 3), new(Kind.Resize, 0),
            new(Kind.Send, 3), new(Kind.TogglePolicy, 0), new(Kind.Send, 2), new(Kind.Receive, 2)]);

    /// <summary>
    /// SUB's default context takes "m…" messages under test; a second context takes only the "z" marker published
    /// after each batch. Both are fed in order by the one pipe, so the marker's arrival means the whole batch met the
    /// queue: the model's order of arrivals and receives is the real one.
    /// </summary>
    private static async Task RunSubAsync(bool preferNew, int capacity, Op[] ops)
    {
        await using var pub = new PubSocket();
        await using var sub = new SubSocket { PreferNew = preferNew, ReceiveBufferSize = capacity };
        sub.Subscribe("m");
        using SubContext marker = sub.OpenContext();
        marker.Subscribe("z");
        sub.Dial(pub.Listen(Addresses.Inproc("queue-model")).Url);
        await Eventually.True(() => pub.PipeCount == 1, "PUB sees the SUB");

        var model = new Queue<string>();
        int bound = Math.Max(1, capacity);
        long dropped = 0;
        int counter = 0;
        for (int i = 0; i < ops.Length; i++)
        {
            Op op = ops[i];
            string where = $"op {i} {op} of [preferNew {preferNew}, capacity {capacity}: {string.Join(", ", ops)}]";
            switch (op.Kind)
            {
                case Kind.Send:
                    for (int n = 0; n < op.N; n++)
                    {
                        string body = $"m{counter++}";
                        await pub.SendAsync(Encoding.ASCII.GetBytes(body));
                        if (model.Count >= bound && !preferNew)
                        {
                            dropped++; // the new one
                            continue;
                        }
                        while (model.Count >= bound)
                        {
                            model.Dequeue(); // as many of the oldest as a shrunk bound needs
                            dropped++;
                        }
                        model.Enqueue(body);
                    }
                    await pub.SendAsync("z"u8.ToArray());
                    using (Message z = await Eventually.Within(marker.ReceiveAsync(), $"{where}: the marker"))
                    {
                        Assert.Equal("z", z.ToString());
                    }
                    break;
                case Kind.Receive:
                    for (int n = 0; n < op.N; n++)
                    {
                        if (model.Count == 0)
                        {
                            Assert.False(sub.TryReceive(out Message? extra), $"{where}: received {extra}, the model holds nothing");
                            break;
                        }
                        Assert.True(sub.TryReceive(out Message? m), $"{where}: nothing, the model holds {string.Join(",", model)}");
                        using (m)
                        {
                            Assert.Equal(model.Dequeue(), m.ToString());
                        }
                    }
                    break;
                case Kind.Resize:
                    sub.ReceiveBufferSize = op.N;
                    bound = Math.Max(1, op.N);
                    break;
                case Kind.TogglePolicy:
                    preferNew = !preferNew;
                    sub.PreferNew = preferNew;
                    break;
            }
            Assert.True(dropped == sub.Statistics.MessagesDropped, $"{where}: {sub.Statistics.MessagesDropped} dropped, the model {dropped}");
        }
    }

    /// <summary>
    /// One producer task sends every queued body in order (a sender blocked by a full queue is the point); the test
    /// receives what the model says is there and resizes meanwhile. At the end everything sent must arrive, in order.
    /// </summary>
    private static async Task RunPullAsync(int capacity, Op[] ops)
    {
        await using var push = new PushSocket();
        await using var pull = new PullSocket { ReceiveBufferSize = capacity };
        push.Dial(pull.Listen(Addresses.Inproc("queue-model")).Url);
        await Eventually.True(() => push.PipeCount == 1, "PUSH sees the PULL");

        var toSend = Channel.CreateUnbounded<string>();
        Task producer = Task.Run(async () =>
        {
            await foreach (string body in toSend.Reader.ReadAllAsync())
            {
                await push.SendAsync(Encoding.ASCII.GetBytes(body));
            }
        });
        var model = new Queue<string>();
        int counter = 0;
        string trace = $"capacity {capacity}: {string.Join(", ", ops)}";
        for (int i = 0; i < ops.Length; i++)
        {
            Op op = ops[i];
            switch (op.Kind)
            {
                case Kind.Send:
                    for (int n = 0; n < op.N; n++)
                    {
                        string body = $"m{counter++}";
                        model.Enqueue(body);
                        await toSend.Writer.WriteAsync(body);
                    }
                    break;
                case Kind.Receive:
                    for (int n = 0; n < op.N && model.Count > 0; n++)
                    {
                        using Message m = await Eventually.Within(pull.ReceiveAsync(), $"op {i} {op} of [{trace}]: {model.Peek()}");
                        Assert.Equal(model.Dequeue(), m.ToString());
                    }
                    break;
                case Kind.Resize:
                    pull.ReceiveBufferSize = op.N;
                    break;
            }
        }
        toSend.Writer.Complete();
        while (model.Count > 0)
        {
            using Message m = await Eventually.Within(pull.ReceiveAsync(), $"the rest of [{trace}]: {model.Peek()}");
            Assert.Equal(model.Dequeue(), m.ToString());
        }
        await Eventually.Within(producer, $"every send of [{trace}] completed");
        Assert.Equal(0, pull.Statistics.MessagesDropped);
        Assert.False(pull.TryReceive(out Message? extra), $"[{trace}]: an extra message {extra}");
    }
}
