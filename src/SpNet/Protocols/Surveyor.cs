using SpNet.Core;
using SpNet.Protocols.Routing;

namespace SpNet.Protocols;

/// <summary>
/// SURVEYOR: a survey goes to every pipe at once (one shared message; a pipe whose queue is full misses it) with a
/// fresh id (bit 31 set, random start, +1). Answers count until the context's survey time has passed: a receiver
/// waiting then fails with <see cref="SpError.TimedOut"/>, and a receive started afterwards with
/// <see cref="SpError.IncorrectState"/>, as NNG. A new survey on the context cancels the old one: its queued answers
/// are discarded, and late answers to it (or to any unknown id) are dropped. Deadlines share one timer.
/// </summary>
internal sealed class Surveyor : RequestProtocol<Surveyor.SurveyContext>
{
    private Pipe[] _pipes = [];
    private int _answerCapacity;

    public Surveyor(SocketStatistics statistics, int receiveCapacity) : base(ProtocolIds.Surveyor, statistics)
    {
        _answerCapacity = receiveCapacity;
        Default = new SurveyContext(this, TimeSpan.FromSeconds(1), receiveCapacity);
    }

    /// <summary>
    /// Answers each context holds per survey (NNG_OPT_RECVBUF, default 128); further answers to the same survey are
    /// dropped (counted), since a surveyor must never hold up its respondents' pipes. The default context takes the
    /// new size at once, every context at its next survey.
    /// </summary>
    public override void SetReceiveBufferSize(int messages)
    {
        lock (Gate)
        {
            _answerCapacity = messages;
            Default.Inbox.Capacity = messages;
        }
    }

    /// <summary>Survey time of the socket's own context, and the initial one of new contexts (NNG_OPT_SURVEYOR_SURVEYTIME, default 1 s).</summary>
    public TimeSpan SurveyTime
    {
        get => Default.SurveyTime;
        set => Default.SurveyTime = value;
    }

    protected override SurveyContext CreateContext() => new(this, Default.SurveyTime, Volatile.Read(ref _answerCapacity));

    protected override uint IdOf(SurveyContext context) => context.SurveyId;

    public override bool AddPipe(Pipe pipe)
    {
        lock (Gate)
        {
            _pipes = [.. _pipes, pipe];
        }
        return true;
    }

    public override void RemovePipe(Pipe pipe)
    {
        lock (Gate)
        {
            _pipes = Array.FindAll(_pipes, p => p != pipe);
        }
    }

    public override ValueTask DeliverAsync(Pipe pipe, Message message)
    {
        if (!TryReadId(pipe, message, "answer shorter than a survey id", out uint id))
        {
            return ValueTask.CompletedTask;
        }
        lock (Gate)
        {
            // Under the lock, so an answer cannot slip into the queue of a survey that just ended or was replaced.
            if (!InFlight.TryGet(id, out SurveyContext? context))
            {
                Drop(message); // after the deadline, after a newer survey, or never ours
                return ValueTask.CompletedTask;
            }
            message.TrimBodyUInt32();
            message.ClearHeader();
            message.PipeId = pipe.Id; // keeps which pipe answered (nng_msg_get_pipe) without holding the pipe
            if (!context.Inbox.Post(message, dropOldest: false))
            {
                Statistics.RecordDropped();
            }
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Starts a survey on <paramref name="context"/>: new id, old one cancelled, deadline armed, sent to every pipe.</summary>
    private void Survey(SurveyContext context, Message message)
    {
        Pipe[] pipes;
        lock (Gate)
        {
            if (context.Closed || IsClosed)
            {
                throw new SpNetException(SpError.Closed, context.Closed ? "context is closed" : "socket is closed");
            }
            EndLocked(context);
            context.Inbox.Capacity = _answerCapacity;
            uint id = InFlight.Allocate(context);
            context.SurveyId = id;
            TimeSpan time = context.SurveyTime;
            context.ExpiresAt = time == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)time.TotalMilliseconds;
            if (time != Timeout.InfiniteTimeSpan)
            {
                Timers.Arm(context, time);
            }
            message.ClearHeader();
            message.AppendHeaderUInt32(id);
            pipes = _pipes;
            // A waiter of the old survey is cancelled, as NNG does; queued answers to it were discarded above.
            context.Inbox.FailWaiters(SpError.Canceled, "a new survey replaced the one being received");
        }
        foreach (Pipe pipe in pipes)
        {
            message.AddReference();
            if (!pipe.TrySend(message))
            {
                Drop(message); // best effort: a full pipe misses this survey
            }
        }
        message.Dispose();
    }

    /// <summary>Forgets the context's survey (id, queued answers, deadline).</summary>
    protected override void EndLocked(SurveyContext context)
    {
        if (context.SurveyId != 0)
        {
            InFlight.Remove(context.SurveyId);
            context.SurveyId = 0;
        }
        Timers.Disarm(context);
        context.Inbox.Clear();
    }

    private void OnDeadline(SurveyContext context)
    {
        lock (Gate)
        {
            if (context.SurveyId == 0 || Environment.TickCount64 < context.ExpiresAt)
            {
                return; // already ended, or a newer survey with a later deadline
            }
            EndLocked(context);
            context.Inbox.FailWaiters(SpError.TimedOut, "the survey time has passed");
        }
    }

    /// <summary>One survey state machine. Fields other than <c>Inbox</c> (its answers) are guarded by the socket's lock.</summary>
    internal sealed class SurveyContext(Surveyor owner, TimeSpan surveyTime, int answerCapacity) : ContextBase(owner, answerCapacity), IProtocolContext
    {
        private TimeSpan _surveyTime = surveyTime;

        public volatile uint SurveyId;
        public long ExpiresAt;

        public TimeSpan SurveyTime
        {
            get => _surveyTime;
            set => _surveyTime = value > TimeSpan.Zero || value == Timeout.InfiniteTimeSpan ? value : throw new ArgumentOutOfRangeException(nameof(value), "positive or infinite");
        }

        public bool TrySend(Message message)
        {
            owner.Survey(this, message);
            return true;
        }

        public ValueTask SendAsync(Message message, CancellationToken cancellationToken)
        {
            owner.Survey(this, message);
            return ValueTask.CompletedTask;
        }

        public bool TryReceive(out Message? message)
        {
            if (Inbox.TryTake(out message))
            {
                return true;
            }
            ThrowIfNothingOutstanding();
            return false;
        }

        public override void OnExpired() => owner.OnDeadline(this);

        protected override void ThrowIfNothingOutstanding()
        {
            ThrowIfClosed();
            if (SurveyId == 0)
            {
                throw new SpNetException(SpError.IncorrectState, "no survey is running: send a survey first (or its survey time has passed)");
            }
        }
    }
}
