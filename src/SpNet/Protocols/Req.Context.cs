using SpNet.Core;
using SpNet.Protocols.Routing;

namespace SpNet.Protocols;

internal sealed partial class Req
{
    /// <summary>One request/reply state machine. Fields other than <c>Inbox</c> (the reply, once it came) are guarded by the socket's lock.</summary>
    internal sealed class ReqContext(Req owner, TimeSpan resendTime) : ContextBase(owner, inboxCapacity: 1), IProtocolContext, ISendOutcome
    {
        private TimeSpan _resendTime = resendTime;

        public uint CurrentId;
        public volatile bool Awaiting;
        public Message? Request;
        public Pipe? SentOn;
        public bool ResendWhenPossible;
        public long ResendAt;

        public TimeSpan ResendTime
        {
            get => _resendTime;
            set => _resendTime = value;
        }

        public bool TrySend(Message message)
        {
            Prepare(message);
            if (owner._pipes.TrySend(message, out Pipe? pipe))
            {
                Sent(message, pipe!);
                return true;
            }
            Unprepare(message);
            return false;
        }

        public ValueTask SendAsync(Message message, CancellationToken cancellationToken)
        {
            Prepare(message);
            return owner._pipes.SendAsync(message, this, cancellationToken);
        }

        void ISendOutcome.Sent(Message message, Pipe? pipe) => Sent(message, pipe!);

        void ISendOutcome.Failed(Message message) => Unprepare(message);

        public bool TryReceive(out Message? message)
        {
            // Read 'awaiting' before looking for the reply: DeliverAsync queues a reply before clearing it, so a
            // request outstanding at this read has its reply in the queue below or is not answered yet. Checking
            // after the take instead fails a receive whose reply lands in between.
            bool awaiting = Awaiting;
            if (Inbox.TryTake(out message))
            {
                return true;
            }
            if (!awaiting)
            {
                ThrowIfNothingOutstanding();
            }
            else
            {
                ThrowIfClosed();
            }
            return false;
        }

        public override void OnExpired() => owner.OnResendDue(this);

        protected override void ThrowIfNothingOutstanding()
        {
            ThrowIfClosed();
            if (!Awaiting)
            {
                throw new SpNetException(SpError.IncorrectState, "no request is outstanding: send a request before receiving");
            }
        }

        private void Prepare(Message message)
        {
            lock (owner.Gate)
            {
                if (Closed || owner.IsClosed)
                {
                    throw new SpNetException(SpError.Closed, Closed ? "context is closed" : "socket is closed");
                }
                owner.PrepareLocked(this, message);
            }
        }

        private void Sent(Message message, Pipe pipe)
        {
            lock (owner.Gate)
            {
                if (Request == message)
                {
                    SentOn = pipe;
                    owner.ArmLocked(this);
                    if (pipe.IsClosed)
                    {
                        // The pipe died between taking the request and our noting it: RemovePipe already ran and
                        // could not know, so resend now rather than after a whole resend time.
                        SentOn = null;
                        owner.ResendLocked(this);
                    }
                }
            }
        }

        private void Unprepare(Message message)
        {
            lock (owner.Gate)
            {
                if (Request == message)
                {
                    owner.EndLocked(this); // drops our resend reference; the caller keeps theirs
                }
            }
            message.ClearHeader();
        }
    }
}
