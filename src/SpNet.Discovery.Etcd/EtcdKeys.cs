using System.Text;
using System.Text.Json;

namespace SpNet.Discovery.Etcd;

/// <summary>
/// The key layout: a member is <c>&lt;prefix&gt;&lt;service&gt;/&lt;member-id&gt;</c> with the JSON value
/// <c>{"address":"…","meta":{"k":"v"}}</c>. The member id is the address, URL-escaped into one path segment, so a
/// restarted member rewrites its own key instead of adding a second one; the service is escaped the same way.
/// </summary>
internal static class EtcdKeys
{
    public static string Key(string prefix, ServiceMember member) =>
        prefix + Uri.EscapeDataString(member.Service) + "/" + Uri.EscapeDataString(member.Address);

    /// <summary>The end of the range holding every key that starts with <paramref name="prefix"/> (etcd's prefix rule: last byte + 1).</summary>
    public static byte[] RangeEnd(string prefix)
    {
        byte[] end = Encoding.UTF8.GetBytes(prefix);
        end[^1]++; // a prefix ends with '/', so no overflow
        return end;
    }

    public static byte[] Value(ServiceMember member)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("address", member.Address);
            if (member.Meta.Count > 0)
            {
                writer.WriteStartObject("meta");
                foreach (var (key, value) in member.Meta)
                {
                    writer.WriteString(key, value);
                }
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>The member a key and value describe, or null when either is not of the documented shape or above the size limits.</summary>
    public static ServiceMember? Decode(string prefix, string key, ReadOnlySpan<byte> value)
    {
        if (!key.StartsWith(prefix, StringComparison.Ordinal) || value.Length > DiscoveryFormat.MaxMemberSize)
        {
            return null;
        }
        string rest = key[prefix.Length..];
        int slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash != rest.LastIndexOf('/') || slash == rest.Length - 1)
        {
            return null;
        }
        try
        {
            using JsonDocument document = JsonDocument.Parse(value.ToArray());
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("address", out JsonElement address) || address.ValueKind != JsonValueKind.String)
            {
                return null;
            }
            Dictionary<string, string>? meta = null;
            if (root.TryGetProperty("meta", out JsonElement metaElement))
            {
                if (metaElement.ValueKind != JsonValueKind.Object)
                {
                    return null;
                }
                meta = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (JsonProperty property in metaElement.EnumerateObject())
                {
                    if (property.Value.ValueKind != JsonValueKind.String)
                    {
                        return null;
                    }
                    meta[property.Name] = property.Value.GetString()!;
                }
            }
            var member = new ServiceMember(Uri.UnescapeDataString(rest[..slash]), address.GetString()!, meta);
            return DiscoveryFormat.CheckLimits(member) is null ? member : null;
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
}
