namespace SpNet.Cli.Demo;

/// <summary>One line of the demo table.</summary>
/// <param name="Pattern">e.g. <c>PUSH/PULL</c>.</param>
/// <param name="Transport">e.g. <c>tcp</c>.</param>
/// <param name="Messages">Messages moved, or <c>-</c> when the scenario failed.</param>
/// <param name="Figure">msg/s or mean round trip, or <c>-</c>.</param>
/// <param name="Passed">True when every check passed.</param>
/// <param name="Check">What was verified, or why it failed.</param>
internal sealed record DemoRow(string Pattern, string Transport, string Messages, string Figure, bool Passed, string Check);
