namespace SpNet.Cli;

/// <summary>One --dial or --listen address, in command-line order.</summary>
/// <param name="IsListen">True for --listen/--bind (and -L, -X), false for --dial/--connect.</param>
/// <param name="Url">The SP URL.</param>
public sealed record CatAddress(bool IsListen, string Url);
