using OrleansReminders.Domain.Dispatching;

namespace OrleansReminders.Domain.Tests.Dispatching;

public sealed class AdaptiveRateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ThrottlingHalvesTheRateOncePerCooldownAndQuietSecondsGiveItBackStepByStep()
    {
        var rate = new AdaptiveRate(100, new AdaptiveRateOptions());

        Assert.True(rate.OnThrottled(T0));
        Assert.False(rate.OnThrottled(T0 + TimeSpan.FromMilliseconds(300))); // same burst of 429s
        Assert.Equal(50, rate.Current);

        Assert.False(rate.OnQuiet(T0 + TimeSpan.FromMilliseconds(900)));
        Assert.True(rate.OnQuiet(T0 + TimeSpan.FromSeconds(1)));
        Assert.Equal(60, rate.Current, 6);
        for (var s = 2; s <= 10; s++)
        {
            rate.OnQuiet(T0 + TimeSpan.FromSeconds(s));
        }

        Assert.Equal(100, rate.Current); // back to the configured rate, never above
    }

    [Fact]
    public void TheRateNeverFallsBelowItsFloor()
    {
        var rate = new AdaptiveRate(100, new AdaptiveRateOptions { FloorFraction = 0.2 });
        for (var s = 0; s < 10; s++)
        {
            rate.OnThrottled(T0 + TimeSpan.FromSeconds(s));
        }

        Assert.Equal(20, rate.Current);
    }

    [Fact]
    public void InvalidOptionsNameTheOption()
    {
        var error = Assert.Throws<ArgumentException>(() => new AdaptiveRate(100, new AdaptiveRateOptions { DecreaseFactor = 1.5 }));
        Assert.Contains("DecreaseFactor", error.Message, StringComparison.Ordinal);
    }
}

public sealed class RetryBackoffTests
{
    [Theory]
    [InlineData(1, 0.0, 500)]
    [InlineData(1, 1.0, 1_000)]
    [InlineData(3, 0.0, 2_000)]
    [InlineData(3, 0.5, 3_000)]
    [InlineData(20, 1.0, 120_000)]
    public void EachRetryWaitsBetweenHalfAndAllOfTheCappedExponentialDelay(int attempt, double jitter, int expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), RetryBackoff.Default.Delay(attempt, jitter));
}
