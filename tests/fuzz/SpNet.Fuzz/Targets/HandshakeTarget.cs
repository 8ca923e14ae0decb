using System.Buffers.Binary;
using SpNet.Transports.Framing;

namespace SpNet.Fuzz.Targets;

/// <summary>The SP handshake header (<c>00 'S' 'P' 00 pp pp 00 00</c>): accepted exactly when well-formed, else SpError.Protocol.</summary>
internal static class HandshakeTarget
{
    public static void Run(byte[] input)
    {
        bool wellFormed = input.Length >= 8 && input[0] == 0 && input[1] == 'S' && input[2] == 'P' && input[3] == 0 && input[6] == 0 && input[7] == 0;
        try
        {
            ushort protocol = Handshake.Parse(input);
            Contract.Require(wellFormed, "accepted a malformed header");
            Contract.Require(protocol == BinaryPrimitives.ReadUInt16BigEndian(input.AsSpan(4)), "protocol read from the wrong bytes");
        }
        catch (SpNetException ex)
        {
            Contract.Require(ex.Error == SpError.Protocol, $"refused with {ex.Error}, not Protocol");
            Contract.Require(!wellFormed, "refused a well-formed header");
        }
    }
}
