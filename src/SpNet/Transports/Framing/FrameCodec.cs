using System.Buffers.Binary;

namespace SpNet.Transports.Framing;

/// <summary>Outcome of looking at the start of a frame.</summary>
internal enum FramePrefixStatus
{
    /// <summary>The prefix is complete and valid; the length is known.</summary>
    Ready,
    /// <summary>More bytes are needed before the prefix can be read.</summary>
    NeedMoreData,
    /// <summary>The length exceeds the receive limit.</summary>
    TooLarge,
    /// <summary>The IPC message-type byte was not 1.</summary>
    BadType,
}

/// <summary>
/// The per-message framing of the stream mappings: an optional IPC type byte (0x01), then a u64 big-endian
/// length, then header ‖ body.
/// </summary>
internal static class FrameCodec
{
    public const byte IpcMessageType = 1;

    /// <summary>Bytes before the payload: 8, or 9 with the IPC type byte.</summary>
    public static int PrefixSize(bool ipc) => ipc ? 9 : 8;

    /// <summary>Writes the prefix for a payload of <paramref name="length"/> bytes and returns its size.</summary>
    public static int WritePrefix(Span<byte> destination, ulong length, bool ipc)
    {
        if (ipc)
        {
            destination[0] = IpcMessageType;
            BinaryPrimitives.WriteUInt64BigEndian(destination[1..], length);
            return 9;
        }
        BinaryPrimitives.WriteUInt64BigEndian(destination, length);
        return 8;
    }

    /// <summary>
    /// Reads a prefix from <paramref name="source"/>. <paramref name="maxLength"/> of 0 means unlimited;
    /// otherwise a larger length is refused before anything is allocated (a length equal to the limit is accepted, as NNG).
    /// </summary>
    public static FramePrefixStatus TryReadPrefix(ReadOnlySpan<byte> source, bool ipc, long maxLength, out ulong length)
    {
        length = 0;
        int size = PrefixSize(ipc);
        if (source.Length < size)
        {
            return FramePrefixStatus.NeedMoreData;
        }
        if (ipc && source[0] != IpcMessageType)
        {
            return FramePrefixStatus.BadType;
        }
        length = BinaryPrimitives.ReadUInt64BigEndian(source[(ipc ? 1 : 0)..]);
        // Array.MaxLength bounds what one message can be in .NET even when the user asks for "unlimited".
        ulong hardLimit = maxLength > 0 ? (ulong)maxLength : (ulong)Array.MaxLength;
        return length > hardLimit ? FramePrefixStatus.TooLarge : FramePrefixStatus.Ready;
    }
}
