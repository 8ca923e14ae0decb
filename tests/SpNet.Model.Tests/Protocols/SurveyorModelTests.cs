using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using CsCheck;
using SpNet.TestKit;

namespace SpNet.Model.Tests.Protocols;

/// <summary>
/// SURVEYOR against a tiny model: an answer is kept only if it carries the id of the survey still running and the
/// survey holds fewer answers than its capacity (drop the newest, counted); a new survey discards the old one's
/// answers; once the deadline passes a waiting receive fails with TimedOut and later receives with IncorrectState;
/// late answers (to an expired or replaced survey) are dropped and counted. The respondents are raw RESPONDENT
/// sockets, so the test can answer any survey it ever saw, any number of times.
/// </summary>
/// <remarks>
/// Answers travel on different pipes, so two answers sent one after the other may arrive in either order. After
/// each answer the same respondent answers a second, long-running survey of a separate context (the marker); the
/// marker's arrival proves the answer before it on that pipe was handled, which makes the model's order the real one.
/// </remarks>
public class SurveyorModelTests
{
    private const int SequencesPerRun = 30;
    private static readonly TimeSpan s_long = TimeSpan.FromHours(1);
    private static readonly TimeSpan s_short = TimeSpan.FromMilliseconds(300);

    internal enum Kind { Survey, SurveyAndExpire, Answer, Receive }

    internal readonly record struct Op(Kind Kind, int Pick = 0)
    {
        public override string ToString() => Kind == Kind.Answer ? $"Answer({Pick})" : Kind.ToString();
    }

    internal sealed record Sequence(int Respondents, int Capacity, Op[] Ops)
    {
        public override string ToString() => $"{Respondents} respondent(s), capacity {Capacity}: {string.Join(", ", Ops)}";
    }

    private static readonly Gen<Op> s_op = Gen.Frequency(
        (2, Gen.Const(new Op(Kind.Survey))),
        (1, Gen.Const(new Op(Kind.SurveyAndExpire))),
        (6, Gen.Int[0, 30].Select(p => new Op(Kind.Answer, p))),
        (3, Gen.Const(new Op(Kind.Receive))));

    private static readonly Gen<Sequence> s_sequence =
        Gen.Select(Gen.Int[1, 3], Gen.Int[1, 4], s_op.Array[1, 40], (r, c, ops) => new Sequence(r, c, ops));

    [Fact]
    public void Surveyor_matches_the_model_over_random_surveys_deadlines_and_late_answers()
    {
        ModelRun.Sample(s_sequence, s => new Run(s).Execute(), SequencesPerRun, s => s.ToString());
    }

    [Fact]
    public void Scenario_answers_beyond_capacity_then_late_answers_after_the_deadline()
    {
        new Run(new Sequence(2, 1, [new(Kind.Survey), new(Kind.Answer, 0), new(Kind.Answer, 1), new(Kind.Receive), new(Kind.Receive),
            new(Kind.SurveyAndExpire), new(Kind.Answer, 2), new(Kind.Answer, 3), new(Kind.Receive)])).Execute();
    }

    private sealed record Copy(int Respondent, byte[] Header, int Survey);

    private sealed class Run(Sequence sequence)
    {
        private readonly List<RespondentSocket> _respondents = [];
        private readonly List<byte[]> _markerHeaders = [];
        private readonly List<Copy> _copies = [];
        private SurveyorSocket _surveyor = null!;
        private SocketContext _marker = null!;
        private int _counter;

        // The model.
        private int _survey = -1;
        private bool _active;
        private readonly Queue<string> _answers = new();
        private long _dropped;

        public void Execute() => ExecuteAsync().GetAwaiter().GetResult();

        private async Task ExecuteAsync()
        {
            await using var surveyor = new SurveyorSocket { SurveyTime = s_long, ReceiveBufferSize = sequence.Capacity };
            _surveyor = surveyor;
            try
            {
                for (int r = 0; r < sequence.Respondents; r++)
                {
                    RespondentSocket respondent = RespondentSocket.CreateRaw();
                    _respondents.Add(respondent);
                    surveyor.Dial(respondent.Listen(Addresses.Inproc("survey-model")).Url);
                }
                await Eventually.True(() => surveyor.PipeCount == sequence.Respondents, "the surveyor sees every respondent");
                using SocketContext marker = surveyor.OpenContext();
                _marker = marker;
                await marker.SendAsync("marker"u8.ToArray());
                foreach (RespondentSocket respondent in _respondents)
                {
                    using Message m = await Eventually.Within(respondent.ReceiveAsync(), "the marker survey");
                    _markerHeaders.Add(m.Header.ToArray());
                }
                for (int i = 0; i < sequence.Ops.Length; i++)
                {
                    Op op = sequence.Ops[i];
                    try
                    {
                        await StepAsync(op);
                        Assert.Equal(_dropped, surveyor.Statistics.MessagesDropped);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        throw new InvalidOperationException($"op {i} {op} of [{sequence}] failed: {ex.Message}", ex);
                    }
                }
            }
            finally
            {
                foreach (RespondentSocket respondent in _respondents)
                {
                    await respondent.DisposeAsync();
                }
            }
        }

        private async Task StepAsync(Op op)
        {
            switch (op.Kind)
            {
                case Kind.Survey:
                    await _surveyor.SendAsync(Encoding.ASCII.GetBytes($"s{_survey + 1}"));
                    StartSurvey();
                    await CollectCopiesAsync();
                    break;
                case Kind.SurveyAndExpire:
                    await SurveyAndExpireAsync();
                    break;
                case Kind.Answer:
                    await AnswerAsync(op.Pick);
                    break;
                case Kind.Receive:
                    Receive();
                    break;
            }
        }

        private void StartSurvey()
        {
            _survey++;
            _active = true;
            _answers.Clear();
        }

        private async Task SurveyAndExpireAsync()
        {
            _surveyor.SurveyTime = s_short;
            var clock = Stopwatch.StartNew();
            await _surveyor.SendAsync(Encoding.ASCII.GetBytes($"s{_survey + 1}"));
            StartSurvey();
            TimeSpan startedAfter = clock.Elapsed;
            SpNetException ended = await Assert.ThrowsAsync<SpNetException>(() => Eventually.Within(_surveyor.ReceiveAsync(), "the survey deadline"));
            _surveyor.SurveyTime = s_long;
            // A receive started before the deadline waits for it (TimedOut); on a stalled machine the deadline may
            // pass before the receive starts, and then it is refused (IncorrectState), as NNG.
            bool late = startedAfter >= s_short - TimeSpan.FromMilliseconds(20);
            Assert.True(ended.Error == SpError.TimedOut || (late && ended.Error == SpError.IncorrectState),
                $"the receive ended with {ended.Error}, started {startedAfter.TotalMilliseconds:0} ms after the survey");
            Assert.True(clock.Elapsed >= s_short - TimeSpan.FromMilliseconds(20), $"the survey ended after only {clock.Elapsed.TotalMilliseconds:0} ms");
            _active = false;
            _answers.Clear();
            await CollectCopiesAsync();
        }

        private async Task CollectCopiesAsync()
        {
            for (int r = 0; r < _respondents.Count; r++)
            {
                using Message m = await Eventually.Within(_respondents[r].ReceiveAsync(), $"survey s{_survey} at respondent {r}");
                Assert.Equal($"s{_survey}", m.ToString());
                Assert.Equal(8, m.HeaderLength); // [pipe id][survey id]
                Assert.True((BinaryPrimitives.ReadUInt32BigEndian(m.Header[4..]) & 0x80000000u) != 0, "survey id lacks bit 31");
                _copies.Add(new Copy(r, m.Header.ToArray(), _survey));
            }
        }

        private async Task AnswerAsync(int pick)
        {
            if (_copies.Count == 0)
            {
                return;
            }
            Copy copy = _copies[pick % _copies.Count];
            string answer = $"a{++_counter}";
            RespondentSocket respondent = _respondents[copy.Respondent];
            await respondent.SendAsync(Routed(copy.Header, answer));
            await respondent.SendAsync(Routed(_markerHeaders[copy.Respondent], "mark"));
            using (Message mark = await Eventually.Within(_marker.ReceiveAsync(), "the marker answer"))
            {
                Assert.Equal("mark", mark.ToString());
            }
            if (_active && copy.Survey == _survey && _answers.Count < sequence.Capacity)
            {
                _answers.Enqueue(answer);
            }
            else
            {
                _dropped++;
            }
        }

        private void Receive()
        {
            if (_answers.Count > 0)
            {
                Assert.True(_surveyor.TryReceive(out Message? m), $"no answer, the model holds {string.Join(",", _answers)}");
                using (m)
                {
                    Assert.Equal(_answers.Dequeue(), m.ToString());
                }
            }
            else if (_active)
            {
                Assert.False(_surveyor.TryReceive(out Message? m), $"an answer the model dropped: {m}");
            }
            else
            {
                SpNetException refused = Assert.Throws<SpNetException>(() => _surveyor.TryReceive(out _));
                Assert.Equal(SpError.IncorrectState, refused.Error);
            }
        }

        /// <summary>A raw answer: the header the respondent received (pipe id, survey id) routes it back.</summary>
        private static Message Routed(byte[] header, string body)
        {
            Message m = Message.Create(Encoding.ASCII.GetBytes(body));
            m.AppendHeader(header);
            return m;
        }
    }
}
