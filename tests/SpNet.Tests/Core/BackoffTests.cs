using SpNet.Core;

namespace SpNet.Tests.Core;

public class BackoffTests
{
    private static readonly TimeSpan Min = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void Grows_by_doubling_up_to_the_cap()
    {
        var backoff = new Backoff(Min, TimeSpan.FromMilliseconds(500), () => 1.0);
        Assert.Equal(100, backoff.Next().TotalMilliseconds);
        Assert.Equal(200, backoff.Next().TotalMilliseconds);
        Assert.Equal(400, backoff.Next().TotalMilliseconds);
        Assert.Equal(500, backoff.Next().TotalMilliseconds); // capped
        Assert.Equal(500, backoff.Next().TotalMilliseconds);
        Assert.Equal(TimeSpan.FromMilliseconds(500), backoff.Current);
    }

    [Fact]
    public void Jitter_stays_within_half_and_full()
    {
        var low = new Backoff(Min, TimeSpan.Zero, () => 0.0);
        Assert.Equal(50, low.Next().TotalMilliseconds);
        var high = new Backoff(Min, TimeSpan.Zero, () => 1.0);
        Assert.Equal(100, high.Next().TotalMilliseconds);
        var mid = new Backoff(Min, TimeSpan.Zero, () => 0.5);
        Assert.Equal(75, mid.Next().TotalMilliseconds);

        var random = new Random(1234);
        var real = new Backoff(Min, TimeSpan.FromSeconds(2), random.NextDouble);
        for (int i = 0; i < 200; i++)
        {
            TimeSpan nominal = real.Current;
            TimeSpan wait = real.Next();
            Assert.InRange(wait, nominal / 2, nominal);
            Assert.True(wait > TimeSpan.Zero);
        }
    }

    [Fact]
    public void Reset_returns_to_the_minimum()
    {
        var backoff = new Backoff(Min, TimeSpan.FromSeconds(10), () => 1.0);
        backoff.Next();
        backoff.Next();
        backoff.Next();
        Assert.Equal(TimeSpan.FromMilliseconds(800), backoff.Current);
        backoff.Reset();
        Assert.Equal(Min, backoff.Current);
        Assert.Equal(Min, backoff.Next());
    }

    [Theory]
    [InlineData(0)] // max 0 = no growth (NNG, nanomsg, mangos)
    [InlineData(50)] // a max below the min does not grow either
    [InlineData(100)] // max == min
    public void No_growth_when_max_is_not_above_min(int maxMs)
    {
        var backoff = new Backoff(Min, TimeSpan.FromMilliseconds(maxMs), () => 1.0);
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(Min, backoff.Next());
        }
        Assert.Equal(Min, backoff.Current);
    }
}
