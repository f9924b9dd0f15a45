using Microsoft.Extensions.Time.Testing;
using OrleansReminders.Grains.Time;

namespace OrleansReminders.Grains.Tests.Time;

public sealed class ScaledTimeProviderTests
{
    private static readonly DateTimeOffset RealStart = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset BusinessStart = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void BusinessTimeAdvancesScaleTimesFasterThanRealTime()
    {
        var real = new FakeTimeProvider(RealStart);
        var clock = new ScaledTimeProvider(real, scale: 86_400, BusinessStart);

        var started = clock.GetTimestamp();

        real.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(BusinessStart.AddDays(3), clock.GetUtcNow());
        Assert.Equal(TimeSpan.FromDays(3), clock.GetElapsedTime(started));
    }

    [Fact]
    public void TimerDueInBusinessDaysFiresAfterTheScaledRealDelay()
    {
        var real = new FakeTimeProvider(RealStart);
        var clock = new ScaledTimeProvider(real, scale: 86_400, BusinessStart);
        var fired = 0;
        using var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromDays(2), Timeout.InfiniteTimeSpan);

        real.Advance(TimeSpan.FromSeconds(1.9));
        Assert.Equal(0, fired);

        real.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(1, fired);
    }

    [Fact]
    public void ChangingATimerScalesTheNewDueTimeAndPeriod()
    {
        var real = new FakeTimeProvider(RealStart);
        var clock = new ScaledTimeProvider(real, scale: 3_600, BusinessStart);
        var fired = 0;
        using var timer = clock.CreateTimer(_ => fired++, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        timer.Change(TimeSpan.FromHours(1), TimeSpan.FromHours(2));
        real.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, fired);

        real.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(2, fired);
    }

    [Fact]
    public void ScaleOneIsTheRealClock()
    {
        var real = new FakeTimeProvider(RealStart);
        var clock = new ScaledTimeProvider(real, scale: 1);

        real.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(RealStart.AddMinutes(5), clock.GetUtcNow());
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void ScaleBelowOneOrNotFiniteIsRejected(double scale) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScaledTimeProvider(new FakeTimeProvider(), scale));
}
