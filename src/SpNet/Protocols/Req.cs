using SpNet.Core;
using SpNet.Protocols.Routing;

namespace SpNet.Protocols;

/// <summary>
/// REQ: each context has one request outstanding at a time. Each request gets an id with bit 31 set, carried in
/// the header; a reply counts only if it echoes an id in flight, and goes to the context that sent it. The request
/// is sent again, with the same id and bytes, after the context's resend time without a reply, and at once when the
/// pipe that carried it dies. A new request on a context abandons its old one (the late reply is dropped). Resend
/// deadlines of all contexts share one timer.
/// </summary>
internal sealed partial class Req : RequestProtocol<Req.ReqContext>
{
    private readonly LoadBalancer _pipes = new();
    private readonly List<ReqContext> _awaitingRoom = [];

    public Req(SocketStatistics statistics) : base(ProtocolIds.Req, statistics) => Default = new ReqContext(this, TimeSpan.FromMinutes(1));

    /// <summary>Resend interval of the socket's own context, and the initial one of new contexts; zero or infinite disables timed resends.</summary>
    public TimeSpan ResendTime
    {
        get => Default.ResendTime;
        set => Default.ResendTime = value;
    }

    /// <summary>Requests in flight on all contexts.</summary>
    internal int InFlightCount
    {
        get
        {
            lock (Gate)
            {
                return InFlight.Count;
            }
        }
    }

    protected override ReqContext CreateContext() => new(this, Default.ResendTime);

    protected override uint IdOf(ReqContext context) => context.CurrentId;

    public override bool AddPipe(Pipe pipe)
    {
        _pipes.Add(pipe);
        RetryPendingResends();
        return true;
    }

    public override void RemovePipe(Pipe pipe)
    {
        _pipes.Remove(pipe);
        lock (Gate)
        {
            foreach (ReqContext context in InFlight.Owners)
            {
                if (context.SentOn == pipe)
                {
                    // The pipe that carried the request is gone: its reply can never come, so resend at once.
                    context.SentOn = null;
                    ResendLocked(context);
                }
            }
        }
    }

    public override void OnPipeWritable(Pipe pipe)
    {
        _pipes.OnWritable();
        RetryPendingResends();
    }

    private static readonly Action<object?> s_answered = static state => ((ReqContext)state!).Awaiting = false;

    public override ValueTask DeliverAsync(Pipe pipe, Message message)
    {
        if (!TryReadId(pipe, message, "reply shorter than a request id", out uint id))
        {
            return ValueTask.CompletedTask;
        }
        lock (Gate)
        {
            if (!InFlight.TryGet(id, out ReqContext? context))
            {
                Drop(message); // stale or unknown: a reply to an abandoned request
                return ValueTask.CompletedTask;
            }
            message.TrimBodyUInt32();
            message.ClearHeader();
            message.Pipe = null;
            // 'Awaiting' is cleared under the mailbox lock as the reply is placed, so a receive's outstanding-request
            // check sees the reply queued (or handed to an earlier receive) and the request answered together: never
            // neither (a wrong IncorrectState), and never the request still outstanding with its reply already taken
            // (a receive from the first one's continuation, on another thread before EndLocked, waited forever).
            // EndLocked then drops the rest of the request's state; it no longer sees 'Awaiting', so the id leaves
            // the in-flight table here.
            InFlight.Remove(id);
            context.Inbox.Post(message, dropOldest: true, s_answered, context);
            EndLocked(context);
        }
        return ValueTask.CompletedTask;
    }

    protected override void OnClosing() => _pipes.Close();

    /// <summary>Gives the message a fresh id and makes it the context's request, abandoning any earlier one.</summary>
    private void PrepareLocked(ReqContext context, Message message)
    {
        EndLocked(context);
        context.Inbox.Clear();
        uint id = InFlight.Allocate(context);
        context.CurrentId = id;
        message.ClearHeader();
        message.AppendHeaderUInt32(id);
        message.AddReference(); // our reference, kept for resending
        context.Request = message;
        context.Awaiting = true;
    }

    /// <summary>Ends the context's request: forget its id, timer and saved copy.</summary>
    protected override void EndLocked(ReqContext context)
    {
        if (context.Awaiting)
        {
            InFlight.Remove(context.CurrentId);
        }
        context.Awaiting = false;
        Timers.Disarm(context);
        context.Request?.Dispose();
        context.Request = null;
        context.SentOn = null;
        if (context.ResendWhenPossible)
        {
            context.ResendWhenPossible = false;
            _awaitingRoom.Remove(context);
        }
    }

    private void ArmLocked(ReqContext context)
    {
        TimeSpan resend = context.ResendTime;
        if (resend > TimeSpan.Zero && resend != Timeout.InfiniteTimeSpan && !IsClosed)
        {
            context.ResendAt = Environment.TickCount64 + (long)resend.TotalMilliseconds;
            Timers.Arm(context, resend);
        }
    }

    private void OnResendDue(ReqContext context)
    {
        lock (Gate)
        {
            if (context.Awaiting && !IsClosed && Environment.TickCount64 >= context.ResendAt)
            {
                ResendLocked(context);
            }
        }
    }

    private void RetryPendingResends()
    {
        lock (Gate)
        {
            if (_awaitingRoom.Count == 0 || IsClosed)
            {
                return;
            }
            ReqContext[] waiting = [.. _awaitingRoom];
            foreach (ReqContext context in waiting)
            {
                if (context.Awaiting)
                {
                    ResendLocked(context);
                }
            }
        }
    }

    /// <summary>Queues the context's request again on some pipe, or remembers to when one has room.</summary>
    private void ResendLocked(ReqContext context)
    {
        Message? request = context.Request;
        if (request is null)
        {
            return;
        }
        request.AddReference();
        if (_pipes.TrySend(request, out Pipe? pipe))
        {
            context.SentOn = pipe;
            if (context.ResendWhenPossible)
            {
                context.ResendWhenPossible = false;
                _awaitingRoom.Remove(context);
            }
            ArmLocked(context);
        }
        else
        {
            request.Dispose();
            if (!context.ResendWhenPossible)
            {
                context.ResendWhenPossible = true;
                _awaitingRoom.Add(context);
            }
        }
    }
}
