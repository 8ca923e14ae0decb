namespace SpNet.Interop.Tests;

/// <summary>The socket types both SpNet and the *cat peers have, with their wire ids.</summary>
internal sealed record Role(string Name, ushort Id, ushort PeerId, Func<Socket> Create)
{
    public static readonly IReadOnlyDictionary<string, Role> All = new Role[]
    {
        new("pair0", 0x10, 0x10, () => new PairSocket()),
        new("pub", 0x20, 0x21, () => new PubSocket()),
        new("sub", 0x21, 0x20, () => new SubSocket()),
        new("req", 0x30, 0x31, () => new ReqSocket()),
        new("rep", 0x31, 0x30, () => new RepSocket()),
        new("push", 0x50, 0x51, () => new PushSocket()),
        new("pull", 0x51, 0x50, () => new PullSocket()),
    }.ToDictionary(r => r.Name);

    /// <summary>
    /// The peer's protocol flag plus options that keep it alive and talking long enough for a raw test:
    /// senders get --data (a PUB also --interval, else it publishes once to nobody and exits).
    /// </summary>
    public string[] PeerArguments(Cat cat) => Name switch
    {
        "pair0" => [cat.PairFlag, "--data", "x"],
        "pub" => ["--pub", "--data", "x", "--interval", "1"],
        "sub" => ["--sub"],
        "req" => ["--req", "--data", "x"],
        "rep" => ["--rep", "--data", "x"],
        "push" => ["--push", "--data", "x"],
        "pull" => ["--pull"],
        _ => throw new ArgumentOutOfRangeException(nameof(cat)),
    };

    public override string ToString() => Name;
}
