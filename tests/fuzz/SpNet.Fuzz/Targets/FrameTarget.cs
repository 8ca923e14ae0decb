using SpNet.Fuzz.Support;
using SpNet.Transports.Framing;

namespace SpNet.Fuzz.Targets;

/// <summary>
/// The frame and length decoder: the first input byte picks tcp or ipc framing (bit 0) and how reads are chunked;
/// the rest is what the peer sent after the handshake. The prefix decoder is checked on it directly, then the whole
/// StreamPipe read loop runs over it: it must deliver only messages within the receive limit, never more bytes than
/// arrived, and close exactly once, for a documented reason, when the bytes run out.
/// </summary>
internal static class FrameTarget
{
    private const long MaxReceive = 100 * 1024;

    public static void Run(byte[] input)
    {
        // An empty input is run too (tcp framing, no bytes: the pipe sees EOF at once). SharpFuzz reads the first input
        // as soon as it has greeted afl-fuzz, which may be before afl-fuzz has written it: on a loaded machine that
        // first execution saw nothing, and a target that then ran no decoder code made afl-fuzz abort with "No
        // instrumentation detected".
        byte mode = input.Length > 0 ? input[0] : (byte)0;
        bool ipc = (mode & 1) != 0;
        byte[] stream = input.Length > 0 ? input[1..] : [];
        CheckPrefix(stream, ipc);

        var host = new CollectingHost();
        var pipe = new StreamPipe(new ChunkedStream(stream, mode), ipc, 0x51, "fuzz://local", "fuzz://remote", MaxReceive, 4);
        pipe.Start(host, logger: null);
        Contract.Closes(pipe, TimeSpan.FromSeconds(5));
        // EOF after whole frames or mid-frame, an oversized length, a bad IPC type: nothing else.
        Contract.Delivered(pipe, host, MaxReceive, stream.Length, SpError.ConnectionShutdown, SpError.MessageTooLarge, SpError.Protocol);
    }

    private static void CheckPrefix(byte[] bytes, bool ipc)
    {
        foreach (long max in new long[] { 0, MaxReceive })
        {
            FramePrefixStatus status = FrameCodec.TryReadPrefix(bytes, ipc, max, out ulong length);
            ulong limit = max > 0 ? (ulong)max : (ulong)Array.MaxLength;
            Contract.Require(status switch
            {
                FramePrefixStatus.Ready => length <= limit && bytes.Length >= FrameCodec.PrefixSize(ipc),
                FramePrefixStatus.NeedMoreData => bytes.Length < FrameCodec.PrefixSize(ipc),
                FramePrefixStatus.TooLarge => length > limit,
                FramePrefixStatus.BadType => ipc && bytes[0] != FrameCodec.IpcMessageType,
                _ => false,
            }, $"prefix status {status} (length {length}, limit {limit}) does not fit the input");
        }
    }
}
