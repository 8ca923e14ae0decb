using System.Buffers.Binary;
using SpNet.Fuzz.Support;
using SpNet.Protocols;
using SpNet.Protocols.Routing;

namespace SpNet.Fuzz.Targets;

/// <summary>
/// REQ/REP backtraces and request/survey ids. The input is one message as it arrives: through the backtrace reader
/// (REP, RESPONDENT, raw REQ and SURVEYOR) with a TTL chosen by its length, then as a reply to a REQ and an answer
/// to a SURVEYOR that each have a request/survey in flight. The first four bytes are XORed with that id, so inputs
/// starting with zeros hit the id in flight and the rest are stale: a short message closes the pipe (Protocol), a
/// stale one is dropped and counted, a matching one is delivered without its id.
/// </summary>
internal static class BacktraceTarget
{
    public static void Run(byte[] input)
    {
        CheckBacktrace(input);
        CheckReply(input, survey: false);
        CheckReply(input, survey: true);
    }

    /// <summary>The backtrace reader and its reject path on one message; shared with the reliability suite's decoder fuzzing.</summary>
    public static void CheckBacktrace(byte[] input)
    {
        int ttl = 1 + (input.Length % Backtrace.MaxMaxTtl);
        using (Message message = Message.Create(input))
        {
            BacktraceResult result = Backtrace.Extract(message, ttl);
            Contract.Require(message.HeaderLength + message.BodyLength == input.Length, "bytes lost or invented");
            Contract.Require(message.HeaderLength % 4 == 0, "header not whole hops");
            Contract.Require(message.HeaderLength <= 4 * ttl, $"header of {message.HeaderLength} bytes with TTL {ttl}");
            if (result == BacktraceResult.Ok)
            {
                Contract.Require((message.Header[^4] & 0x80) != 0, "accepted without an id");
                for (int i = 0; i < message.HeaderLength - 4; i += 4)
                {
                    Contract.Require((message.Header[i] & 0x80) == 0, "read past the id");
                }
            }
            else
            {
                Contract.Require(result is BacktraceResult.Truncated or BacktraceResult.TooManyHops, result.ToString());
            }

            var pipe = new NullPipe(0x30);
            bool usable = Backtrace.ExtractOrReject(pipe, Message.Create(input), ttl, new SocketStatistics());
            Contract.Require(usable == (result == BacktraceResult.Ok), "reject path disagrees with the reader");
            Contract.Require(pipe.IsClosed == (result == BacktraceResult.Truncated), "a truncated backtrace must close the pipe, nothing else");
            Contract.Require(!pipe.IsClosed || pipe.CloseReason == SpError.Protocol, $"a truncated backtrace closed the pipe with {pipe.CloseReason}");
        }
    }

    private static void CheckReply(byte[] input, bool survey)
    {
        var statistics = new SocketStatistics();
        var pipe = new NullPipe(survey ? (ushort)0x63 : (ushort)0x31);
        using var protocol = survey ? (IDisposable)new Surveyor(statistics, 4) : new Req(statistics);
        var base_ = (ProtocolBase)protocol;
        base_.AddPipe(pipe);
        Contract.Require(base_.TrySend(Message.Create("q"u8)), "the request could not be placed");
        uint id = survey ? ((Surveyor)protocol).CurrentId : ((Req)protocol).CurrentId;

        byte[] reply = (byte[])input.Clone();
        if (reply.Length >= 4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(reply, BinaryPrimitives.ReadUInt32BigEndian(reply) ^ id);
        }
        bool matches = input.Length >= 4 && BinaryPrimitives.ReadUInt32BigEndian(input) == 0;
        var replyPipe = new NullPipe(pipe.PeerProtocol);
        ValueTask delivering = base_.DeliverAsync(replyPipe, Message.Create(reply));
        Contract.Require(delivering.IsCompletedSuccessfully, "delivery waited");
        if (input.Length < 4)
        {
            Contract.Require(replyPipe.IsClosed && replyPipe.CloseReason == SpError.Protocol, "a reply shorter than an id kept its pipe");
            return;
        }
        Contract.Require(!replyPipe.IsClosed, "a reply with an id closed its pipe");
        bool got = base_.TryReceive(out Message? answer);
        Contract.Require(got == matches, $"reply {(got ? "delivered" : "not delivered")}, id {(matches ? "in flight" : "stale")}");
        Contract.Require(statistics.MessagesDropped == (matches ? 0 : 1), $"{statistics.MessagesDropped} dropped");
        if (answer is not null)
        {
            using (answer)
            {
                Contract.Require(answer.Body.SequenceEqual(input.AsSpan(4)), "the reply's body is not the bytes after its id");
            }
        }
    }
}
