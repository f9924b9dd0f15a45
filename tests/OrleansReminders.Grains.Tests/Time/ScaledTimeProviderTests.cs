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

    [Fact]
    public void ChangingTheScaleKeepsTheBusinessInstantAndGoesOnAtTheNewRate()
    {
        var real = new FakeTimeProvider(RealStart);
        var clock = new ScaledTimeProvider(real, scale: 86_400, BusinessStart);
        var started = clock.GetTimestamp();
        real.Advance(TimeSpan.FromSeconds(2));

        clock.ChangeScale(1);
        var switched = clock.GetUtcNow();
        real.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(1, clock.Scale);
        Assert.Equal(BusinessStart.AddDays(2), switched);
        Assert.Equal(BusinessStart.AddDays(2).AddMinutes(10), clock.GetUtcNow());
        Assert.Equal(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(10), clock.GetElapsedTime(started));
    }

    [Fact]
    public void AnArmedTimerKeepsItsBusinessDueTimeWhenTheScaleChanges()
    {
        var real = new FakeTimeProvider(RealStart);
        var clock = new ScaledTimeProvider(real, scale: 86_400, BusinessStart);
        var fired = 0;
        using var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromDays(2), Timeout.InfiniteTimeSpan);
        real.Advance(TimeSpan.FromSeconds(1));

        clock.ChangeScale(1);

        // Armed at the old rate it would fire one real second later; it is due one business day later.
        real.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, fired);
        real.Advance(TimeSpan.FromHours(23));
        Assert.Equal(0, fired);
        real.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, fired);
    }

    [Fact]
    public void APeriodicTimerTicksAtItsBusinessPeriodAfterTheScaleChanges()
    {
        var real = new FakeTimeProvider(RealStart);
        var clock = new ScaledTimeProvider(real, scale: 86_400, BusinessStart);
        var fired = 0;
        using var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromDays(1), TimeSpan.FromDays(1));
        real.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Equal(1, fired);

        clock.ChangeScale(1);
        real.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, fired);
        real.Advance(TimeSpan.FromHours(12));
        Assert.Equal(2, fired);
        real.Advance(TimeSpan.FromDays(1));
        Assert.Equal(3, fired);
    }

    [Fact]
    public async Task ADelayOnTheClockWaitsTheRestOfItsBusinessTimeAfterTheScaleChanges()
    {
        var real = new FakeTimeProvider(RealStart);
        var clock = new ScaledTimeProvider(real, scale: 3_600, BusinessStart);
        var delay = Task.Delay(TimeSpan.FromHours(2), clock);
        real.Advance(TimeSpan.FromSeconds(1));

        clock.ChangeScale(1);
        real.Advance(TimeSpan.FromSeconds(2));
        Assert.False(delay.IsCompleted);
        real.Advance(TimeSpan.FromHours(1));

        await delay.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(BusinessStart.AddHours(2).AddSeconds(2), clock.GetUtcNow());
    }

    [Fact]
    public void ScaleChangesAcceptOnlyValidScalesAndSpareDisposedAndFiredTimers()
    {
        var real = new FakeTimeProvider(RealStart);
        var clock = new ScaledTimeProvider(real, scale: 1_000, BusinessStart);
        var fired = 0;
        var disposed = clock.CreateTimer(_ => fired++, null, TimeSpan.FromHours(1), Timeout.InfiniteTimeSpan);
        disposed.Dispose();
        using var once = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        real.Advance(TimeSpan.FromSeconds(1));

        Assert.Throws<ArgumentOutOfRangeException>(() => clock.ChangeScale(0.5));
        clock.ChangeScale(1);
        real.Advance(TimeSpan.FromDays(1));

        Assert.Equal(1, fired);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void ScaleBelowOneOrNotFiniteIsRejected(double scale) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScaledTimeProvider(new FakeTimeProvider(), scale));
}
