using SpNet.Discovery;

namespace SpNet.Fuzz.Targets;

/// <summary>
/// The discovery JSON decoders: every input as a member's answer (the registry's reading) and as a snapshot (a
/// client's). Either may refuse with null; never throw. Whatever is accepted has the documented shape and comes
/// back unchanged through encode and decode.
/// </summary>
internal static class DiscoveryTarget
{
    public static void Run(byte[] input)
    {
        ServiceMember? member = DiscoveryFormat.DecodeAnnouncement(input);
        if (member is not null)
        {
            CheckShape(member);
            Contract.Require(member.Equals(DiscoveryFormat.DecodeAnnouncement(DiscoveryFormat.EncodeAnnouncement(member))), "answer changed through encode and decode");
        }
        ServiceSnapshot? snapshot = DiscoveryFormat.DecodeSnapshot(input);
        if (snapshot is not null)
        {
            foreach (ServiceMember m in snapshot.Members)
            {
                CheckShape(m);
            }
            ServiceSnapshot? again = DiscoveryFormat.DecodeSnapshot(DiscoveryFormat.EncodeSnapshot(snapshot));
            Contract.Require(again is not null && again.Epoch == snapshot.Epoch && again.Version == snapshot.Version && again.SameMembersAs(snapshot),
                "snapshot changed through encode and decode");
        }
    }

    private static void CheckShape(ServiceMember member)
    {
        Contract.Require(!string.IsNullOrWhiteSpace(member.Service), "accepted a blank service");
        Contract.Require(!string.IsNullOrWhiteSpace(member.Address), "accepted a blank address");
        foreach ((string key, string value) in member.Meta)
        {
            Contract.Require(key is not null && value is not null, "accepted a null meta key or value");
        }
    }
}
