namespace OrleansReminders.Grains.Time;

/// <summary>
/// A clock that runs <see cref="Scale"/> business seconds per real second: <c>GetUtcNow</c> starts at a
/// chosen business instant and advances <c>scale</c> times faster than the underlying clock, and every
/// timer created through it fires after <c>dueTime / scale</c> real time. Registered as the reminder
/// subsystem's clock and injected into grains, it lets a 30-day ladder run in seconds on real Orleans
/// reminders: the same code, the same reminders, just a faster clock. At scale 1 it is the real clock.
/// </summary>
public sealed class ScaledTimeProvider : TimeProvider
{
    private readonly TimeProvider _real;
    private readonly long _realStart;
    private readonly DateTimeOffset _businessStart;

    public ScaledTimeProvider(TimeProvider real, double scale, DateTimeOffset? businessStart = null)
    {
        if (!double.IsFinite(scale) || scale < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The time scale must be a finite number ≥ 1.");
        }

        _real = real;
        Scale = scale;
        _realStart = real.GetTimestamp();
        _businessStart = businessStart ?? real.GetUtcNow();
    }

    /// <summary>Business seconds per real second.</summary>
    public double Scale { get; }

    public override TimeZoneInfo LocalTimeZone => _real.LocalTimeZone;

    public override long TimestampFrequency => _real.TimestampFrequency;

    public override DateTimeOffset GetUtcNow() => _businessStart + ToBusiness(_real.GetElapsedTime(_realStart));

    public override long GetTimestamp() =>
        _realStart + (long)((_real.GetTimestamp() - _realStart) * Scale);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new ScaledTimer(_real.CreateTimer(callback, state, ToReal(dueTime), ToReal(period)), this);

    /// <summary>Real time that passes while <paramref name="business"/> passes on this clock.</summary>
    public TimeSpan ToReal(TimeSpan business) =>
        business == Timeout.InfiniteTimeSpan || business <= TimeSpan.Zero || Scale == 1
            ? business
            : TimeSpan.FromTicks(Math.Max(1, (long)(business.Ticks / Scale)));

    private TimeSpan ToBusiness(TimeSpan real) => Scale == 1 ? real : TimeSpan.FromTicks((long)(real.Ticks * Scale));

    private sealed class ScaledTimer(ITimer inner, ScaledTimeProvider clock) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(clock.ToReal(dueTime), clock.ToReal(period));

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
