using System.Collections.Concurrent;

namespace OrleansReminders.Grains.Time;

/// <summary>
/// A clock that runs <see cref="Scale"/> business seconds per real second: <c>GetUtcNow</c> starts at a
/// chosen business instant and advances <c>scale</c> times faster than the underlying clock, and every
/// timer created through it fires after <c>dueTime / scale</c> real time. Registered as the reminder
/// subsystem's clock and injected into grains, it lets a 30-day ladder run in seconds on real Orleans
/// reminders: the same code, the same reminders, just a faster clock. At scale 1 it is the real clock.
/// <see cref="ChangeScale"/> changes the rate from the current business instant on (the demo returns to
/// real time when it ends); time never jumps or runs backwards, and armed timers keep their business due
/// times.
/// </summary>
public sealed class ScaledTimeProvider : TimeProvider
{
    private readonly TimeProvider _real;
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<ScaledTimer, byte> _armed = new();
    private Segment _segment;
    private long _latestUtcTicks = long.MinValue;
    private long _latestTimestamp = long.MinValue;

    public ScaledTimeProvider(TimeProvider real, double scale, DateTimeOffset? businessStart = null)
    {
        CheckScale(scale);
        _real = real;
        var realStart = real.GetTimestamp();
        _segment = new Segment(realStart, businessStart ?? real.GetUtcNow(), realStart, scale);
    }

    /// <summary>Business seconds per real second, now.</summary>
    public double Scale => Volatile.Read(ref _segment).Scale;

    public override TimeZoneInfo LocalTimeZone => _real.LocalTimeZone;

    public override long TimestampFrequency => _real.TimestampFrequency;

    public override DateTimeOffset GetUtcNow()
    {
        var segment = Volatile.Read(ref _segment);
        var now = segment.BusinessAt(_real.GetTimestamp(), _real.TimestampFrequency);
        return new DateTimeOffset(Monotonic(ref _latestUtcTicks, now.UtcTicks), TimeSpan.Zero);
    }

    public override long GetTimestamp()
    {
        var segment = Volatile.Read(ref _segment);
        return Monotonic(ref _latestTimestamp, segment.TimestampAt(_real.GetTimestamp()));
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new ScaledTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>
    /// From the current business instant on, business time runs <paramref name="scale"/> times as fast as
    /// real time (1: real time). Every armed timer created by this clock is re-armed so that it fires at
    /// the business instant it was due at, at the new rate, and keeps its business period.
    /// </summary>
    public void ChangeScale(double scale)
    {
        CheckScale(scale);
        lock (_gate)
        {
            var realNow = _real.GetTimestamp();
            var old = _segment;
            var business = old.BusinessAt(realNow, _real.TimestampFrequency);
            Volatile.Write(ref _segment, new Segment(realNow, business, old.TimestampAt(realNow), scale));
        }

        foreach (var timer in _armed.Keys)
        {
            timer.Rearm();
        }
    }

    /// <summary>Real time that passes while <paramref name="business"/> passes on this clock at its current scale.</summary>
    public TimeSpan ToReal(TimeSpan business)
    {
        var scale = Scale;
        return business == Timeout.InfiniteTimeSpan || business <= TimeSpan.Zero || scale == 1
            ? business
            : TimeSpan.FromTicks(Math.Max(1, (long)(business.Ticks / scale)));
    }

    private static void CheckScale(double scale)
    {
        if (!double.IsFinite(scale) || scale < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The time scale must be a finite number ≥ 1.");
        }
    }

    /// <summary>
    /// A read that began before a scale change may compute a later instant than one that follows it: every
    /// caller sees the latest value handed out so far, so time never runs backwards.
    /// </summary>
    private static long Monotonic(ref long latest, long value)
    {
        while (true)
        {
            var seen = Volatile.Read(ref latest);
            if (value <= seen)
            {
                return seen;
            }

            if (Interlocked.CompareExchange(ref latest, value, seen) == seen)
            {
                return value;
            }
        }
    }

    /// <summary>From real timestamp <see cref="RealStart"/> on, business time runs <see cref="Scale"/> times as fast.</summary>
    private sealed record Segment(long RealStart, DateTimeOffset BusinessStart, long TimestampStart, double Scale)
    {
        public DateTimeOffset BusinessAt(long realTimestamp, long frequency)
        {
            var real = TimeSpan.FromTicks((long)((realTimestamp - RealStart) * ((double)TimeSpan.TicksPerSecond / frequency)));
            return BusinessStart + (Scale == 1 ? real : TimeSpan.FromTicks((long)(real.Ticks * Scale)));
        }

        public long TimestampAt(long realTimestamp) =>
            TimestampStart + (Scale == 1 ? realTimestamp - RealStart : (long)((realTimestamp - RealStart) * Scale));
    }

    /// <summary>
    /// A real timer armed for <c>due / scale</c>. It remembers its business due instant and period, so that
    /// <see cref="ChangeScale"/> can re-arm it at the new rate; it is in the clock's armed set while a tick is
    /// still to come.
    /// </summary>
    private sealed class ScaledTimer : ITimer
    {
        private readonly ScaledTimeProvider _clock;
        private readonly TimerCallback _callback;
        private readonly ITimer _inner;
        private readonly Lock _gate = new();
        private DateTimeOffset? _dueAt;
        private TimeSpan _period = Timeout.InfiniteTimeSpan;
        private double _armedScale;
        private bool _disposed;

        public ScaledTimer(ScaledTimeProvider clock, TimerCallback callback, object? state)
        {
            _clock = clock;
            _callback = callback;
            _inner = clock._real.CreateTimer(Fire, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_gate)
            {
                if (_disposed)
                {
                    return false;
                }

                _dueAt = dueTime == Timeout.InfiniteTimeSpan ? null : _clock.GetUtcNow() + (dueTime < TimeSpan.Zero ? TimeSpan.Zero : dueTime);
                _period = period;
                _armedScale = _clock.Scale;
                Track();
                return _inner.Change(_clock.ToReal(dueTime), _clock.ToReal(period));
            }
        }

        /// <summary>
        /// After a scale change: the rest of the business wait, at the new rate. A tick already due is left to
        /// fire as armed (re-arming it could fire it twice); a periodic timer then takes the new rate when it fires.
        /// </summary>
        public void Rearm()
        {
            lock (_gate)
            {
                if (_disposed || _dueAt is not { } dueAt)
                {
                    return;
                }

                var remaining = dueAt - _clock.GetUtcNow();
                if (remaining > TimeSpan.Zero)
                {
                    _armedScale = _clock.Scale;
                    _inner.Change(_clock.ToReal(remaining), _clock.ToReal(_period));
                }
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _disposed = true;
                _dueAt = null;
                Track();
            }

            _inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }

        private void Fire(object? state)
        {
            lock (_gate)
            {
                var periodic = _period != Timeout.InfiniteTimeSpan && _period > TimeSpan.Zero;
                var now = _clock.GetUtcNow();
                var next = (_dueAt ?? now) + _period;
                _dueAt = !periodic || _disposed ? null : next < now ? now + _period : next;
                if (_dueAt is not null && _armedScale != _clock.Scale)
                {
                    _armedScale = _clock.Scale;
                    _inner.Change(_clock.ToReal(_period), _clock.ToReal(_period));
                }

                Track();
            }

            _callback(state);
        }

        private void Track()
        {
            if (_dueAt is null)
            {
                _clock._armed.TryRemove(this, out _);
            }
            else
            {
                _clock._armed.TryAdd(this, 0);
            }
        }
    }
}
