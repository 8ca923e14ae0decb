using System.Buffers.Binary;
using SpNet.Fuzz.Support;
using SpNet.Protocols;

namespace SpNet.Fuzz.Targets;

/// <summary>
/// The PAIR1 hop-count header: a well-formed count (at most 0xFF) within the TTL is accepted and stripped (kept in
/// the header on a raw socket); one over the TTL is dropped and counted; anything malformed closes the pipe (Protocol).
/// The input's length picks raw or cooked.
/// </summary>
internal static class Pair1Target
{
    private const int MaxTtl = 8;

    public static void Run(byte[] input)
    {
        bool raw = (input.Length & 1) == 0;
        var pipe = new NullPipe(0x11);
        var statistics = new SocketStatistics();
        Message message = Message.Create(input);
        bool accepted = Pair1.Accept(pipe, message, raw, MaxTtl, statistics);
        bool wellFormed = input.Length >= 4 && BinaryPrimitives.ReadUInt32BigEndian(input) <= 0xFF;
        if (accepted)
        {
            using (message)
            {
                Contract.Require(wellFormed && BinaryPrimitives.ReadUInt32BigEndian(input) <= MaxTtl, "accepted a bad or expired hop count");
                Contract.Require(message.HeaderLength == (raw ? 4 : 0), $"header of {message.HeaderLength} bytes");
                Contract.Require(message.Body.SequenceEqual(input.AsSpan(4)), "the body is not the bytes after the count");
            }
        }
        else if (wellFormed)
        {
            Contract.Require(!pipe.IsClosed, "a TTL drop closed the pipe");
            Contract.Require(statistics.MessagesDropped == 1, "a TTL drop was not counted");
        }
        else
        {
            Contract.Require(pipe.IsClosed && pipe.CloseReason == SpError.Protocol, "a malformed hop count kept the pipe");
        }
    }
}
