using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using SpNet.Discovery;
using Xunit.Abstractions;

namespace SpNet.Reliability.Tests.Fuzz;

/// <summary>
/// The discovery JSON decoders (<see cref="DiscoveryFormat.DecodeAnnouncement"/>, the registry's reading of a
/// member's answer, and <see cref="DiscoveryFormat.DecodeSnapshot"/>, a client's reading of the PUB snapshot), fed
/// <see cref="Mode.FuzzInputs"/> mutated valid messages each. Both decoders see every input. The contract: each
/// input is accepted or refused (null), never another outcome; what is accepted has the documented shape (non-blank
/// service and address, string meta values) and survives encoding and decoding again unchanged; no input allocates
/// more than a bound proportional to its length; and the run ends within its time limit (no hang).
/// </summary>
public sealed class DiscoveryFuzzTests(ITestOutputHelper output)
{
    /// <summary>Bytes a decode may allocate: a fixed allowance plus this many per input byte (UTF-16 strings, lists, dictionaries).</summary>
    private const long AllocationPerByte = 64;
    private const long AllocationAllowance = 64 * 1024;

    private static readonly byte[][] s_corpus = BuildCorpus();

    /// <summary>
    /// JSON fragments spliced in at token boundaries: every kind of value in the wrong place, edge numbers, strings
    /// that are empty, blank, NUL, lone surrogates or long, deep nesting, and pieces of the real shape.
    /// </summary>
    private static readonly string[] s_fragments =
    [
        "null", "true", "false", "0", "-0", "-1", "1e400", "-1e400", "1.5", "9223372036854775807", "9223372036854775808",
        "-9223372036854775809", "18446744073709551616", "0x10", "NaN", "Infinity", "\"\"", "\" \"", "\"\\t\"", "\"\\u0000\"",
        "\"\\ud800\"", "\"\\udc00\\ud800\"", "\"\\uDBFF\\uDFFF\"", "\"\\u00e9\"", "\"é\"", "\"\\\"\"", "\"\\x\"", "{}", "[]", "[null]", "[{}]",
        "{\"service\":null}", "{\"service\":\"s\",\"address\":\"a\"}", "{\"service\":\"s\",\"address\":\"a\",\"meta\":{\"k\":null}}",
        "\"service\":\"dup\",", "\"meta\":{\"zone\":1},", "\"members\":null,", "\"epoch\":\"1\",", "\"version\":-1,",
        ",", ":", "{", "}", "[", "]", "\"", "\\", " ", "\r\n", "/*c*/", "//c\n", "\u00a0", "\ufeff",
    ];

    private static readonly byte[] s_structural = "{}[]:,\""u8.ToArray();

    [Fact]
    public async Task Registration_answers_and_snapshots()
    {
        int count = Mode.FuzzInputs;
        long acceptedAnswers = 0;
        long acceptedSnapshots = 0;
        long largestAllocation = 0;
        long slowestTicks = 0;
        TimeSpan limit = TimeSpan.FromSeconds(Math.Max(120, count / 2_000)); // ~20 µs per input here; bounds a hang
        Task run = Task.Run(() => Fuzzer.Run(output, "DiscoveryFormat.DecodeAnnouncement + DecodeSnapshot", count, Generate, input =>
        {
            long start = Stopwatch.GetTimestamp();
            long before = GC.GetAllocatedBytesForCurrentThread();
            ServiceMember? member = DiscoveryFormat.DecodeAnnouncement(input);
            ServiceSnapshot? snapshot = DiscoveryFormat.DecodeSnapshot(input);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            slowestTicks = Math.Max(slowestTicks, Stopwatch.GetTimestamp() - start);
            largestAllocation = Math.Max(largestAllocation, allocated);
            Assert.True(allocated <= AllocationAllowance + (AllocationPerByte * input.Length), $"{allocated:N0} bytes allocated for a {input.Length}-byte input");
            if (member is not null)
            {
                acceptedAnswers++;
                AssertDocumentedShape(member);
                Assert.Equal(member, DiscoveryFormat.DecodeAnnouncement(DiscoveryFormat.EncodeAnnouncement(member)));
            }
            if (snapshot is not null)
            {
                acceptedSnapshots++;
                foreach (ServiceMember m in snapshot.Members)
                {
                    AssertDocumentedShape(m);
                }
                ServiceSnapshot again = DiscoveryFormat.DecodeSnapshot(DiscoveryFormat.EncodeSnapshot(snapshot))
                    ?? throw new InvalidOperationException("an accepted snapshot did not decode after encoding");
                Assert.Equal(snapshot.Epoch, again.Epoch);
                Assert.Equal(snapshot.Version, again.Version);
                Assert.True(again.SameMembersAs(snapshot), "snapshot changed through encode and decode");
            }
        }));
        if (await Task.WhenAny(run, Task.Delay(limit)) != run)
        {
            Assert.Fail($"the discovery fuzz run did not end within {limit.TotalSeconds:0} s (seed {Mode.FuzzSeed}): a decoder hangs or is pathologically slow");
        }
        await run;
        output.WriteLine($"accepted as answers: {acceptedAnswers:N0}, as snapshots: {acceptedSnapshots:N0}, refused by both: the rest; " +
            $"largest allocation for one input: {largestAllocation:N0} B; slowest input: {Stopwatch.GetElapsedTime(0, slowestTicks).TotalMilliseconds:0.0} ms");
    }

    /// <summary>What docs/discovery.md promises of anything accepted.</summary>
    private static void AssertDocumentedShape(ServiceMember member)
    {
        Assert.False(string.IsNullOrWhiteSpace(member.Service), "accepted a blank service");
        Assert.False(string.IsNullOrWhiteSpace(member.Address), "accepted a blank address");
        foreach ((string key, string value) in member.Meta)
        {
            Assert.True(key is not null && value is not null, $"accepted a null meta key or value (key '{key}')");
        }
        _ = member.Zone;
        _ = member.GetHashCode();
        _ = member.ToString();
    }

    /// <summary>
    /// A third of the inputs: the byte-level mutations shared with the other decoders. A third: 1 to 3 JSON-aware
    /// splices (a fragment inserted at, or replacing the token after, a structural character), sometimes followed by
    /// a byte-level mutation. A third: still well-formed JSON with the tree changed (values of every type in every
    /// place, members removed, duplicated or added); these reach the decoders' shape checks, which random bytes rarely
    /// get past the parser to.
    /// </summary>
    private static byte[] Generate(Random random)
    {
        switch (random.Next(3))
        {
            case 0:
                return Fuzzer.Next(random, s_corpus, 200);
            case 1:
                return MutateTree(random);
        }
        var data = new List<byte>(s_corpus[random.Next(s_corpus.Length)]);
        int splices = 1 + random.Next(3);
        for (int i = 0; i < splices; i++)
        {
            Splice(random, data);
        }
        byte[] result = [.. data];
        return random.Next(4) == 0 ? Fuzzer.Next(random, [result], 0) : result;
    }

    private static void Splice(Random random, List<byte> data)
    {
        var boundaries = new List<int>();
        for (int i = 0; i < data.Count; i++)
        {
            if (Array.IndexOf(s_structural, data[i]) >= 0)
            {
                boundaries.Add(i);
            }
        }
        int at = boundaries.Count == 0 ? random.Next(data.Count + 1) : boundaries[random.Next(boundaries.Count)] + 1;
        at = Math.Min(at, data.Count);
        byte[] fragment = random.Next(8) switch
        {
            0 => Nesting(random),
            1 => Encoding.UTF8.GetBytes("\"" + new string((char)('a' + random.Next(26)), random.Next(1, 5000)) + "\""),
            _ => Encoding.UTF8.GetBytes(s_fragments[random.Next(s_fragments.Length)]),
        };
        if (random.Next(2) == 0)
        {
            // Replace the token that starts here (up to the next structural character) rather than insert.
            int end = at;
            while (end < data.Count && Array.IndexOf(s_structural, data[end]) < 0)
            {
                end++;
            }
            if (end < data.Count && data[end] == '"' && end == at)
            {
                // A string token: take it whole, up to its closing quote.
                end = data.IndexOf((byte)'"', at + 1);
                end = end < 0 ? data.Count : end + 1;
            }
            data.RemoveRange(at, end - at);
        }
        data.InsertRange(at, fragment);
    }

    /// <summary>Parses a corpus entry and changes 1 to 3 nodes of its tree; the result is valid JSON of the wrong shape (or, by chance, the right one).</summary>
    private static byte[] MutateTree(Random random)
    {
        JsonNode root = JsonNode.Parse(s_corpus[random.Next(s_corpus.Length)])!;
        int changes = 1 + random.Next(3);
        for (int c = 0; c < changes; c++)
        {
            var nodes = new List<JsonNode>();
            Collect(root, nodes);
            JsonNode target = nodes[random.Next(nodes.Count)];
            JsonNode? parent = target.Parent;
            switch (random.Next(5))
            {
                case 0 when parent is JsonObject o: // remove a property
                    o.Remove(target.GetPropertyName());
                    break;
                case 1 when parent is JsonArray a: // duplicate an array element
                    a.Add(target.DeepClone());
                    break;
                case 2 when target is JsonObject o: // add a property: unknown, a known name with a case change, or a known one again
                    string name = random.Next(3) switch { 0 => "x" + random.Next(10), 1 => "Service", _ => "meta" };
                    o[name] = RandomValue(random, 0);
                    break;
                default: // replace the value in place
                    if (parent is JsonObject po)
                    {
                        po[target.GetPropertyName()] = RandomValue(random, 0);
                    }
                    else if (parent is JsonArray pa)
                    {
                        pa[target.GetElementIndex()] = RandomValue(random, 0);
                    }
                    break;
            }
        }
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    private static void Collect(JsonNode node, List<JsonNode> nodes)
    {
        nodes.Add(node);
        if (node is JsonObject o)
        {
            foreach (KeyValuePair<string, JsonNode?> property in o)
            {
                if (property.Value is not null)
                {
                    Collect(property.Value, nodes);
                }
            }
        }
        else if (node is JsonArray a)
        {
            foreach (JsonNode? item in a)
            {
                if (item is not null)
                {
                    Collect(item, nodes);
                }
            }
        }
    }

    /// <summary>A value of any JSON type: edge numbers, blank, control, non-ASCII and long strings, small objects and arrays (members of the real shape among them).</summary>
    private static JsonNode? RandomValue(Random random, int depth) => random.Next(depth < 3 ? 12 : 9) switch
    {
        0 => null,
        1 => JsonValue.Create(random.Next(2) == 0),
        2 => JsonValue.Create(random.Next(4) switch { 0 => long.MaxValue, 1 => long.MinValue, 2 => 0L, _ => random.NextInt64() }),
        3 => JsonValue.Create(random.Next(3) switch { 0 => double.Epsilon, 1 => -0.0, _ => random.NextDouble() * 1e300 }),
        4 => JsonValue.Create(random.Next(6) switch { 0 => "", 1 => " \t\r\n", 2 => "\0", 3 => "tcp://h:1", 4 => "z\u263a\U0001F600", _ => new string('s', random.Next(1, 3000)) }),
        5 => JsonValue.Create("cache"),
        6 => new JsonObject(),
        7 => new JsonArray(),
        8 => JsonValue.Create(decimal.MaxValue),
        9 => new JsonObject { ["service"] = RandomValue(random, depth + 1), ["address"] = RandomValue(random, depth + 1), ["meta"] = RandomValue(random, depth + 1) },
        10 => new JsonObject { ["zone"] = RandomValue(random, depth + 1) },
        _ => new JsonArray(RandomValue(random, depth + 1), RandomValue(random, depth + 1)),
    };

    /// <summary>Arrays or objects nested 1 to 300 deep (the parser's limit is 64), closed or not.</summary>
    private static byte[] Nesting(Random random)
    {
        int depth = 1 + random.Next(300);
        bool objects = random.Next(2) == 0;
        var text = new StringBuilder();
        for (int i = 0; i < depth; i++)
        {
            text.Append(objects ? "{\"a\":" : "[");
        }
        text.Append("null");
        if (random.Next(2) == 0)
        {
            text.Append(objects ? '}' : ']', depth);
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static byte[][] BuildCorpus()
    {
        var zone = new Dictionary<string, string> { ["zone"] = "eu-1" };
        var rich = new Dictionary<string, string> { ["zone"] = "us-2", ["weight"] = "3", ["é"] = "\u263a", ["empty"] = "" };
        ServiceMember[] members =
        [
            new("cache", "tcp://10.0.0.5:5555", zone),
            new("web", "tcp://10.0.0.6:80"),
            new("db", "ws://[::1]:8080/sp", rich),
            new("q", "ipc:///tmp/q.sock"),
        ];
        var corpus = new List<byte[]>();
        corpus.AddRange(members.Select(DiscoveryFormat.EncodeAnnouncement));
        corpus.Add(DiscoveryFormat.EncodeSnapshot(new ServiceSnapshot(1735689600123, 0, [])));
        corpus.Add(DiscoveryFormat.EncodeSnapshot(new ServiceSnapshot(1735689600123, 1, members[..1])));
        corpus.Add(DiscoveryFormat.EncodeSnapshot(new ServiceSnapshot(1735689600123, 7, members)));
        // Valid but not as SpNet writes them: other key order, whitespace, escapes, unknown fields (ignored by design).
        corpus.Add(Encoding.UTF8.GetBytes("""{ "address" : "tcp://h:1", "meta" : { "zone" : "z" }, "service" : "s", "weight" : [1, {"x": null}] }"""));
        corpus.Add(Encoding.UTF8.GetBytes("""{"service":"\u0073\u00e9","address":"tcp:\/\/h:1","meta":{}}"""));
        corpus.Add(Encoding.UTF8.GetBytes("""{"members":[{"service":"a","address":"inproc://a"}],"version":2,"epoch":-5,"extra":"x"}"""));
        return [.. corpus];
    }
}
