using System.Text.Json;
using System.Text.Json.Serialization;

namespace SpNet.Discovery;

/// <summary>A member's answer to a survey, as JSON: <c>{"service":"…","address":"…","meta":{"k":"v"}}</c>.</summary>
internal sealed class AnnouncementDto
{
    [JsonPropertyName("service")]
    public string? Service { get; set; }

    [JsonPropertyName("address")]
    public string? Address { get; set; }

    [JsonPropertyName("meta")]
    public Dictionary<string, string>? Meta { get; set; }
}

/// <summary>A snapshot on the PUB socket: <c>{"epoch":…,"version":…,"members":[announcement…]}</c>.</summary>
internal sealed class SnapshotDto
{
    [JsonPropertyName("epoch")]
    public long Epoch { get; set; }

    [JsonPropertyName("version")]
    public long Version { get; set; }

    [JsonPropertyName("members")]
    public List<AnnouncementDto?>? Members { get; set; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AnnouncementDto))]
[JsonSerializable(typeof(SnapshotDto))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class DiscoveryJsonContext : JsonSerializerContext
{
}

/// <summary>
/// The two discovery messages (docs/discovery.md): a member's answer
/// <c>{"service":"…","address":"…","meta":{"k":"v"}}</c> and the registry's snapshot
/// <c>{"epoch":…,"version":…,"members":[answer…]}</c>, both UTF-8 JSON. Use it to build answers for other sockets or
/// to read snapshots without a <see cref="DiscoveryClient"/>. Thread-safe.
/// </summary>
public static class DiscoveryFormat
{
    /// <summary>Largest meta of one member, encoded as its JSON object: 4 KiB. Larger answers are refused by registries.</summary>
    public const int MaxMetaSize = 4 * 1024;

    /// <summary>
    /// Largest member, encoded as its JSON answer (service, address and meta): 5 KiB, which leaves 1 KiB for the
    /// service name and address. Larger answers are refused by registries, so a snapshot never holds a larger member.
    /// </summary>
    public const int MaxMemberSize = MaxMetaSize + 1024;

    // {"epoch":<20 digits>,"version":<20 digits>,"members":[]} with room to spare.
    private const int SnapshotOverhead = 128;

    /// <summary>
    /// The largest snapshot a registry holding at most <paramref name="maxMembers"/> members can publish: each member
    /// at most <see cref="MaxMemberSize"/> plus a comma. With the default 10,000 members: 51.2 MB.
    /// </summary>
    public static long MaxSnapshotSize(int maxMembers)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxMembers);
        return SnapshotOverhead + (long)maxMembers * (MaxMemberSize + 1);
    }

    /// <summary>
    /// Null when <paramref name="member"/> fits the limits (<see cref="MaxMetaSize"/>, <see cref="MaxMemberSize"/>);
    /// otherwise why not.
    /// </summary>
    public static string? CheckLimits(ServiceMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        int size = EncodeAnnouncement(member).Length;
        if (size > MaxMemberSize)
        {
            return $"{member} is {size} bytes encoded, above the {MaxMemberSize}-byte limit";
        }
        if (member.Meta.Count > 0)
        {
            int meta = JsonSerializer.SerializeToUtf8Bytes(ToDto(member).Meta!, DiscoveryJsonContext.Default.DictionaryStringString).Length;
            if (meta > MaxMetaSize)
            {
                return $"{member}'s meta is {meta} bytes encoded, above the {MaxMetaSize}-byte limit";
            }
        }
        return null;
    }

    /// <summary>Encodes <paramref name="member"/> as a survey answer (meta omitted when empty).</summary>
    public static byte[] EncodeAnnouncement(ServiceMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        return JsonSerializer.SerializeToUtf8Bytes(ToDto(member), DiscoveryJsonContext.Default.AnnouncementDto);
    }

    /// <summary>Parses an answer; null when it is not valid UTF-8 JSON of the documented shape.</summary>
    public static ServiceMember? DecodeAnnouncement(ReadOnlySpan<byte> body)
    {
        try
        {
            AnnouncementDto? dto = JsonSerializer.Deserialize(body, DiscoveryJsonContext.Default.AnnouncementDto);
            return dto is null ? null : FromDto(dto);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Encodes <paramref name="snapshot"/> as published on the PUB socket.</summary>
    public static byte[] EncodeSnapshot(ServiceSnapshot snapshot) =>
        JsonSerializer.SerializeToUtf8Bytes(new SnapshotDto
        {
            Epoch = snapshot.Epoch,
            Version = snapshot.Version,
            Members = [.. snapshot.Members.Select(ToDto)],
        }, DiscoveryJsonContext.Default.SnapshotDto);

    /// <summary>Parses a snapshot; null when malformed.</summary>
    public static ServiceSnapshot? DecodeSnapshot(ReadOnlySpan<byte> body)
    {
        try
        {
            SnapshotDto? dto = JsonSerializer.Deserialize(body, DiscoveryJsonContext.Default.SnapshotDto);
            if (dto?.Members is null)
            {
                return null;
            }
            var members = new List<ServiceMember>(dto.Members.Count);
            foreach (AnnouncementDto? m in dto.Members)
            {
                // "members":[null] deserializes to a null element; it used to escape as NullReferenceException and
                // end the DiscoveryClient's receive loop (found by the discovery fuzzer).
                ServiceMember? member = m is null ? null : FromDto(m);
                if (member is null)
                {
                    return null;
                }
                members.Add(member);
            }
            return new ServiceSnapshot(dto.Epoch, dto.Version, members);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static AnnouncementDto ToDto(ServiceMember member) => new()
    {
        Service = member.Service,
        Address = member.Address,
        Meta = member.Meta.Count == 0 ? null : new Dictionary<string, string>(member.Meta, StringComparer.Ordinal),
    };

    /// <summary>
    /// The member an answer describes, or null when it breaks the documented rules: a blank service or address, or
    /// a meta value that is not a string. JSON <c>null</c> is not a string, but the deserializer puts it in a
    /// <c>Dictionary&lt;string, string&gt;</c> all the same, so it is refused here (found by the discovery fuzzer).
    /// </summary>
    private static ServiceMember? FromDto(AnnouncementDto dto)
    {
        if (string.IsNullOrWhiteSpace(dto.Service) || string.IsNullOrWhiteSpace(dto.Address))
        {
            return null;
        }
        if (dto.Meta is not null)
        {
            foreach (string? value in dto.Meta.Values)
            {
                if (value is null)
                {
                    return null;
                }
            }
        }
        return new ServiceMember(dto.Service, dto.Address, dto.Meta);
    }
}
