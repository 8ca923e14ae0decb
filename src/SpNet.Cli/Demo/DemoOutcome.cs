namespace SpNet.Cli.Demo;

/// <summary>What a scenario that passed every check measured.</summary>
/// <param name="Messages">Messages moved, as shown in the table (e.g. <c>2x20000</c>).</param>
/// <param name="Figure">The speed: msg/s for streams, mean round trip for REQ/REP.</param>
/// <param name="Detail">What was verified, for the check column.</param>
internal sealed record DemoOutcome(string Messages, string Figure, string Detail);
