using SpNet.Protocols.Routing;

namespace SpNet.Protocols;

internal abstract partial class RequestProtocol<TContext>
{
    /// <summary>
    /// What a REQ and a SURVEYOR context share: its replies or answers wait in <see cref="Inbox"/>, closing it ends
    /// its outstanding request or survey under the socket's lock, and a receive that would wait with nothing
    /// outstanding fails (closed first, then the protocol's own reason) instead of waiting forever.
    /// </summary>
    internal abstract class ContextBase(RequestProtocol<TContext> owner, int inboxCapacity) : DeadlineScheduler.Entry
    {
        private static readonly Action<object?> s_checkOutstanding = static state => ((ContextBase)state!).ThrowIfNothingOutstanding();

        /// <summary>Set once by <see cref="Close"/>, under the socket's lock.</summary>
        public volatile bool Closed;

        /// <summary>The replies (REQ) or answers (SURVEYOR) to the outstanding request or survey.</summary>
        public Mailbox Inbox { get; } = new(inboxCapacity);

        public ValueTask<Message> ReceiveAsync(CancellationToken cancellationToken) =>
            Inbox.TakeAsync(cancellationToken, s_checkOutstanding, this);

        public void Close()
        {
            lock (owner.Gate)
            {
                Closed = true;
                owner.EndLocked((TContext)(object)this);
            }
            Inbox.Close();
        }

        /// <summary>Throws <see cref="SpError.Closed"/> once this context or its socket has closed.</summary>
        protected void ThrowIfClosed()
        {
            if (Closed || owner.IsClosed)
            {
                throw new SpNetException(SpError.Closed, "context is closed");
            }
        }

        /// <summary>Refuses a receive that would wait: closed, or no request or survey outstanding (as NNG).</summary>
        protected abstract void ThrowIfNothingOutstanding();
    }
}
