using System.Buffers.Binary;
using System.Text;
using CsCheck;
using SpNet.TestKit;

namespace SpNet.Model.Tests.Protocols;

/// <summary>
/// REQ against a tiny model of its rule: one request outstanding; a reply counts only if it echoes the id in flight;
/// a new request abandons the old one (its late replies are dropped, and it is never sent again); the request is
/// resent with the same id and bytes after the resend time and at once when the pipe that carried it dies (or as
/// soon as a pipe comes, if none is left); a cancelled receive leaves the request outstanding. The peers are raw REP
/// sockets that come and go, so the test sees every copy of every request and can answer any of them, stale or not.
/// </summary>
/// <remarks>
/// Half the sequences run with a one-minute resend time: there every copy of a request is accounted for exactly
/// (the first send, one per lost pipe), and a copy that arrives within the 10 s bound after a pipe loss can only
/// be the pipe-loss resend. The other half use 100 ms, so timed resends race with everything else.
/// </remarks>
public class ReqModelTests
{
    private const int SequencesPerRun = 30;
    private const int MaxPeers = 3;
    private static readonly TimeSpan s_shortResend = TimeSpan.FromMilliseconds(100);

    internal enum Kind { Send, Reply, CancelReceive, KillPeer, AddPeer, WaitResend }

    internal readonly record struct Op(Kind Kind, int Pick = 0)
    {
        public override string ToString() => Kind is Kind.Reply or Kind.KillPeer ? $"{Kind}({Pick})" : Kind.ToString();
    }

    internal sealed record Sequence(bool ShortResend, Op[] Ops)
    {
        public override string ToString() => $"{(ShortResend ? "short" : "long")} resend: {string.Join(", ", Ops)}";
    }

    private static readonly Gen<Op> s_op = Gen.Frequency(
        (4, Gen.Const(new Op(Kind.Send))),
        (5, Gen.Int[0, 15].Select(p => new Op(Kind.Reply, p))),
        (1, Gen.Const(new Op(Kind.CancelReceive))),
        (2, Gen.Int[0, 15].Select(p => new Op(Kind.KillPeer, p))),
        (2, Gen.Const(new Op(Kind.AddPeer))),
        (1, Gen.Const(new Op(Kind.WaitResend))));

    private static readonly Gen<Sequence> s_sequence = Gen.Select(Gen.Bool, s_op.Array[1, 40], (s, ops) => new Sequence(s, ops));

    [Fact]
    public void Req_matches_the_model_over_random_sends_replies_and_pipe_loss()
    {
        ModelRun.Sample(s_sequence, s => new Run(s).Execute(), SequencesPerRun, s => s.ToString());
    }

    [Fact]
    public void Scenario_a_lost_pipe_with_no_other_peer_resends_when_one_comes()
    {
        new Run(new Sequence(false, [new(Kind.AddPeer), new(Kind.Send), new(Kind.KillPeer), new(Kind.Reply), new(Kind.AddPeer),
            new(Kind.Reply), new(Kind.Reply)])).Execute();
    }

    [Fact]
    public void Scenario_an_abandoned_request_is_never_resent_and_its_reply_dropped()
    {
        new Run(new Sequence(false, [new(Kind.AddPeer), new(Kind.AddPeer), new(Kind.Send), new(Kind.Send), new(Kind.KillPeer, 0),
            new(Kind.KillPeer, 0), new(Kind.AddPeer), new(Kind.Reply, 0), new(Kind.Reply, 1), new(Kind.CancelReceive)])).Execute();
    }

    private sealed class Peer(RepSocket socket, int number)
    {
        public RepSocket Socket { get; } = socket;
        public int Number { get; } = number;
        public bool Alive { get; set; } = true;
    }

    private sealed record Copy(Peer Peer, byte[] Header, uint Id, string Body);

    /// <summary>One sequence: the system (a REQ and its raw REP peers) and the model, stepped together.</summary>
    private sealed class Run(Sequence sequence)
    {
        private readonly List<Peer> _peers = [];
        private readonly List<Copy> _copies = [];
        private readonly Dictionary<uint, string> _bodyOfId = [];
        private readonly Dictionary<uint, int> _expectedCopies = [];
        private ReqSocket _req = null!;
        private int _counter;

        // The model.
        private bool _outstanding;
        private uint _currentId;
        private Peer? _sentOn;
        private bool _waitingForPipe;
        private long _dropped;

        public void Execute() => ExecuteAsync().GetAwaiter().GetResult();

        private async Task ExecuteAsync()
        {
            await using var req = new ReqSocket { ResendTime = sequence.ShortResend ? s_shortResend : TimeSpan.FromMinutes(1) };
            _req = req;
            try
            {
                for (int i = 0; i < sequence.Ops.Length; i++)
                {
                    Op op = sequence.Ops[i];
                    try
                    {
                        await StepAsync(op);
                        CheckCopyCounts();
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        throw new InvalidOperationException($"op {i} {op} of [{sequence}] failed: {ex.Message}", ex);
                    }
                }
            }
            finally
            {
                foreach (Peer peer in _peers)
                {
                    await peer.Socket.DisposeAsync();
                }
            }
        }

        private int LiveCount => _peers.Count(p => p.Alive);

        private async Task StepAsync(Op op)
        {
            switch (op.Kind)
            {
                case Kind.Send:
                    await SendAsync();
                    break;
                case Kind.Reply:
                    await ReplyAsync(op.Pick);
                    break;
                case Kind.CancelReceive:
                    await CancelReceiveAsync();
                    break;
                case Kind.KillPeer:
                    await KillPeerAsync(op.Pick);
                    break;
                case Kind.AddPeer:
                    await AddPeerAsync();
                    break;
                case Kind.WaitResend:
                    if (sequence.ShortResend && _outstanding && LiveCount > 0)
                    {
                        await ExpectNewCopyAsync("a timed resend");
                    }
                    break;
            }
        }

        private async Task SendAsync()
        {
            string body = $"q{++_counter}";
            if (LiveCount == 0)
            {
                // No pipe: the request cannot be placed; preparing it already abandoned the one before (as NNG's reset).
                Assert.False(_req.TrySend(Encoding.ASCII.GetBytes(body)), "TrySend with no pipe");
                _outstanding = false;
                return;
            }
            await Eventually.Within(_req.SendAsync(Encoding.ASCII.GetBytes(body)), "the request is placed");
            _outstanding = true;
            _waitingForPipe = false;
            Copy first = await WaitForCopyAsync(c => c.Body == body, $"request {body} reaches a peer");
            Assert.True((first.Id & 0x80000000u) != 0, $"id {first.Id:x8} lacks bit 31");
            Assert.False(_expectedCopies.ContainsKey(first.Id), $"id {first.Id:x8} reused for {body}");
            _currentId = first.Id;
            _expectedCopies[first.Id] = 1;
            _sentOn = _copies.Last(c => c.Id == first.Id).Peer;
        }

        private async Task ReplyAsync(int pick)
        {
            Drain();
            Copy[] live = [.. _copies.Where(c => c.Peer.Alive)];
            if (live.Length == 0)
            {
                return;
            }
            Copy copy = live[pick % live.Length];
            string answer = $"a{++_counter}";
            Message reply = Message.Create(Encoding.ASCII.GetBytes(answer));
            reply.AppendHeader(copy.Header);
            await copy.Peer.Socket.SendAsync(reply); // SpNet owns it now
            if (_outstanding && copy.Id == _currentId)
            {
                using Message got = await Eventually.Within(_req.ReceiveAsync(), $"the reply {answer} to {copy.Body}");
                Assert.Equal(answer, got.ToString());
                _outstanding = false;
                _waitingForPipe = false;
                return;
            }
            _dropped++;
            await Eventually.True(() => _req.Statistics.MessagesDropped == _dropped,
                $"the reply to {copy.Body} ({copy.Id:x8}, not in flight) is dropped: {_dropped} drops expected, saw {_req.Statistics.MessagesDropped}");
            if (_outstanding)
            {
                Assert.False(_req.TryReceive(out Message? wrong), $"a stale reply was delivered: {wrong}");
            }
        }

        private async Task CancelReceiveAsync()
        {
            if (!_outstanding)
            {
                SpNetException refused = await Assert.ThrowsAsync<SpNetException>(async () => await _req.ReceiveAsync());
                Assert.Equal(SpError.IncorrectState, refused.Error);
                return;
            }
            using var cancel = new CancellationTokenSource();
            Task<Message> receive = _req.ReceiveAsync(cancel.Token).AsTask();
            Assert.False(receive.IsCompleted, "a receive completed with no reply sent");
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.Within(receive, "the cancelled receive ends"));
            // The request stays outstanding: a later reply to it still counts (the model's state is unchanged).
        }

        private async Task KillPeerAsync(int pick)
        {
            Peer[] live = [.. _peers.Where(p => p.Alive)];
            if (live.Length == 0)
            {
                return;
            }
            Drain();
            Peer victim = live[pick % live.Length];
            victim.Alive = false;
            await victim.Socket.DisposeAsync();
            await Eventually.True(() => _req.PipeCount == LiveCount, $"REQ sees {LiveCount} pipe(s)");
            bool carried = sequence.ShortResend || _sentOn == victim;
            if (_outstanding && carried)
            {
                if (LiveCount > 0)
                {
                    await ExpectNewCopyAsync($"the resend after peer {victim.Number} died");
                }
                else
                {
                    _waitingForPipe = true;
                }
            }
        }

        private async Task AddPeerAsync()
        {
            if (LiveCount >= MaxPeers)
            {
                return;
            }
            var peer = new Peer(RepSocket.CreateRaw(), _peers.Count);
            _peers.Add(peer);
            string url = peer.Socket.Listen(Addresses.Inproc("req-model")).Url;
            bool hadNone = LiveCount == 1;
            _req.Dial(url);
            await Eventually.True(() => _req.PipeCount == LiveCount, $"REQ sees {LiveCount} pipe(s)");
            if (_outstanding && (_waitingForPipe || (sequence.ShortResend && hadNone)))
            {
                await ExpectNewCopyAsync($"the held request reaches new peer {peer.Number}");
                _waitingForPipe = false;
            }
        }

        private async Task ExpectNewCopyAsync(string what)
        {
            uint id = _currentId;
            int before = _copies.Count(c => c.Id == id);
            await WaitForCopyAsync(_ => _copies.Count(c => c.Id == id) > before, what);
            _expectedCopies[id] = _copies.Count(c => c.Id == id);
            if (!sequence.ShortResend)
            {
                Assert.Equal(before + 1, _expectedCopies[id]);
            }
            _sentOn = _copies.Last(c => c.Id == id).Peer;
        }

        private async Task<Copy> WaitForCopyAsync(Func<Copy, bool> match, string what)
        {
            Copy? found = null;
            await Eventually.True(() =>
            {
                Drain();
                found = _copies.LastOrDefault(match);
                return found is not null;
            }, what);
            return found!;
        }

        /// <summary>Collects every request copy the live peers hold; each must carry the bytes first sent under its id.</summary>
        private void Drain()
        {
            foreach (Peer peer in _peers.Where(p => p.Alive))
            {
                while (peer.Socket.TryReceive(out Message? m))
                {
                    using (m)
                    {
                        Assert.Equal(8, m.HeaderLength); // [pipe id][request id]
                        uint id = BinaryPrimitives.ReadUInt32BigEndian(m.Header[4..]);
                        string body = m.ToString();
                        if (_bodyOfId.TryGetValue(id, out string? first))
                        {
                            Assert.True(first == body, $"id {id:x8} resent with \"{body}\", first sent with \"{first}\"");
                        }
                        else
                        {
                            _bodyOfId[id] = body;
                        }
                        _copies.Add(new Copy(peer, m.Header.ToArray(), id, body));
                    }
                }
            }
        }

        /// <summary>With the long resend time, each request has exactly the copies the model accounts for: none of an abandoned one appears later.</summary>
        private void CheckCopyCounts()
        {
            if (sequence.ShortResend)
            {
                return;
            }
            Drain();
            foreach ((uint id, int expected) in _expectedCopies)
            {
                int seen = _copies.Count(c => c.Id == id);
                Assert.True(expected == seen, $"request {_bodyOfId[id]} ({id:x8}): {seen} copies, the model expects {expected}");
            }
        }
    }
}
