using System.Globalization;
using System.Text.RegularExpressions;

namespace SpNet.Bench.Tests;

/// <summary><c>spbench pubsub</c>: one PUB to one SUB, flooding or paced, reporting both rates and the loss.</summary>
public sealed partial class PubSubCommandTests
{
    [Fact]
    public void Paced_run_well_below_capacity_loses_nothing()
    {
        // 2,000 messages at 20,000 msg/s (0.1 s) with deep queues: far below what any transport here sustains.
        SpBench.Result result = SpBench.Run("pubsub", "--count", "2000", "--size", "256", "--rate", "20000", "--depth", "4096", "--lib", "spnet", "--transport", "tcp");
        Assert.True(result.ExitCode == 0, result.Error);
        Match line = Line().Match(result.Output);
        Assert.True(line.Success, result.Output);
        Assert.Equal(2000, int.Parse(line.Groups["sent"].Value, CultureInfo.InvariantCulture));
        Assert.Equal(2000, int.Parse(line.Groups["received"].Value, CultureInfo.InvariantCulture));
        double sender = double.Parse(line.Groups["sender"].Value, CultureInfo.InvariantCulture);
        Assert.InRange(sender, 1_000, 21_000); // paced: never faster than asked
        Assert.Equal("0.00", line.Groups["loss"].Value);
    }

    [Fact]
    public void Flood_reports_rates_and_loss()
    {
        SpBench.Result result = SpBench.Run("pubsub", "--count", "20000", "--size", "64", "--lib", "spnet", "--transport", "inproc");
        Assert.True(result.ExitCode == 0, result.Error);
        Match line = Line().Match(result.Output);
        Assert.True(line.Success, result.Output);
        long received = long.Parse(line.Groups["received"].Value, CultureInfo.InvariantCulture);
        Assert.InRange(received, 1, 20_000);
        double loss = double.Parse(line.Groups["loss"].Value, CultureInfo.InvariantCulture);
        Assert.InRange(loss - (100.0 * (20_000 - received) / 20_000), -0.006, 0.006); // printed with two decimals
    }

    [GeneratedRegex(@"sent: (?<sent>\d+), sender: (?<sender>\d+) \[msg/s\], received: (?<received>\d+), receiver: \d+ \[msg/s\], loss: (?<loss>[\d.]+) \[%\]")]
    private static partial Regex Line();
}
