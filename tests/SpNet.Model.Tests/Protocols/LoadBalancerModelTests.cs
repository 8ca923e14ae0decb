using System.Text;
using CsCheck;
using SpNet.TestKit;

namespace SpNet.Model.Tests.Protocols;

/// <summary>
/// The load balancer (PUSH, REQ and PAIR share it) against the rule it promises: with k pipes that all have room,
/// messages take turns — any k consecutive sends reach k different pipes — whatever pipes came and went before.
/// That is both fairness (in a batch of n, each pipe gets n/k rounded down or up) and no starvation (a pipe present
/// for k sends gets one). PULL peers join and leave between batches; each batch is drained completely before the
/// next operation, so every pipe always has room and the model's rotation is the only possible one.
/// </summary>
public class LoadBalancerModelTests
{
    private const int SequencesPerRun = 40;
    private const int MaxPulls = 5;

    internal enum Kind { AddPull, RemovePull, Send }

    internal readonly record struct Op(Kind Kind, int N = 0)
    {
        public override string ToString() => Kind == Kind.AddPull ? "AddPull" : $"{Kind}({N})";
    }

    private static readonly Gen<Op> s_op = Gen.Frequency(
        (2, Gen.Const(new Op(Kind.AddPull))),
        (1, Gen.Int[0, 15].Select(p => new Op(Kind.RemovePull, p))),
        (4, Gen.Int[1, 16].Select(n => new Op(Kind.Send, n))));

    [Fact]
    public void Push_takes_turns_over_pipes_that_come_and_go()
    {
        ModelRun.Sample(s_op.Array[1, 40], ops => RunAsync(ops).GetAwaiter().GetResult(), SequencesPerRun, ops => string.Join(", ", ops));
    }

    [Fact]
    public Task Scenario_a_pipe_that_joins_mid_sequence_gets_its_turn_at_once() =>
        RunAsync([new(Kind.AddPull), new(Kind.AddPull), new(Kind.Send, 5), new(Kind.AddPull), new(Kind.Send, 3), new(Kind.RemovePull, 0),
            new(Kind.Send, 4), new(Kind.RemovePull, 1), new(Kind.Send, 2)]);

    private static async Task RunAsync(Op[] ops)
    {
        var pulls = new List<PullSocket>();
        await using var push = new PushSocket();
        int counter = 0;
        try
        {
            for (int i = 0; i < ops.Length; i++)
            {
                Op op = ops[i];
                string where = $"op {i} {op} of [{string.Join(", ", ops)}]";
                switch (op.Kind)
                {
                    case Kind.AddPull when pulls.Count < MaxPulls:
                        var pull = new PullSocket();
                        pulls.Add(pull);
                        push.Dial(pull.Listen(Addresses.Inproc("lb-model")).Url);
                        await Eventually.True(() => push.PipeCount == pulls.Count, $"{where}: PUSH sees {pulls.Count} pipe(s)");
                        break;
                    case Kind.RemovePull when pulls.Count > 0:
                        PullSocket gone = pulls[op.N % pulls.Count];
                        pulls.Remove(gone);
                        await gone.DisposeAsync();
                        await Eventually.True(() => push.PipeCount == pulls.Count, $"{where}: PUSH sees {pulls.Count} pipe(s)");
                        break;
                    case Kind.Send when pulls.Count > 0:
                        int first = counter;
                        for (int n = 0; n < op.N; n++)
                        {
                            await Eventually.Within(push.SendAsync(Encoding.ASCII.GetBytes($"{counter++}")), $"{where}: send");
                        }
                        int[] owner = await DrainAsync(pulls, first, op.N, where);
                        CheckTurns(owner, pulls.Count, where);
                        break;
                }
            }
        }
        finally
        {
            foreach (PullSocket pull in pulls)
            {
                await pull.DisposeAsync();
            }
        }
    }

    /// <summary>Receives the batch from every PULL; returns, per message of the batch, the index of the PULL that got it.</summary>
    private static async Task<int[]> DrainAsync(List<PullSocket> pulls, int first, int count, string where)
    {
        int[] owner = Enumerable.Repeat(-1, count).ToArray();
        int received = 0;
        await Eventually.True(() =>
        {
            for (int p = 0; p < pulls.Count; p++)
            {
                while (pulls[p].TryReceive(out Message? m))
                {
                    using (m)
                    {
                        int index = int.Parse(m.ToString(), System.Globalization.CultureInfo.InvariantCulture) - first;
                        Assert.True(index >= 0 && index < count && owner[index] < 0, $"{where}: unexpected or repeated message {m}");
                        owner[index] = p;
                        received++;
                    }
                }
            }
            return received == count;
        }, $"{where}: every message of the batch arrives once");
        return owner;
    }

    private static void CheckTurns(int[] owner, int pipes, string where)
    {
        int window = Math.Min(pipes, owner.Length);
        for (int start = 0; start + window <= owner.Length; start++)
        {
            int distinct = owner.Skip(start).Take(window).Distinct().Count();
            Assert.True(distinct == window, $"{where}: sends {start}..{start + window - 1} went to [{string.Join(",", owner)}], not {window} different pipes");
        }
        if (owner.Length >= pipes)
        {
            int[] perPipe = [.. Enumerable.Range(0, pipes).Select(p => owner.Count(o => o == p))];
            Assert.True(perPipe.Max() - perPipe.Min() <= 1, $"{where}: unfair split [{string.Join(",", perPipe)}]");
        }
    }
}
