namespace OrleansReminders.Domain.Dispatching;

/// <summary>
/// The one cluster-wide send rate of a provider account, as a ledger of send slots spaced 1/R apart.
/// A dispatcher leases the next free slots (at most <c>maxLease</c>, never starting further ahead than the
/// horizon) and sends message k of its lease no earlier than <c>Start + k × Spacing</c>. Slots are handed
/// out once, so in any interval of length T at most R·T + 1 sends can happen, however many dispatchers
/// there are and however the demand is skewed between them; whoever has work takes the next slots, so an
/// idle dispatcher's share is never stranded (work-conserving). A slot nobody leased in time is lost: that
/// is idle capacity, never a debt paid later as a burst.
/// </summary>
public sealed class SendSlotLedger
{
    private readonly TimeSpan _horizon;
    private readonly long _originTicks;

    // Ticks after the origin, as a double so fractional spacings (1/R s) add up without drift; kept
    // relative to the origin so the double's precision stays far below a tick.
    private double _nextFree;

    /// <param name="ratePerSecond">Slots per second (R), &gt; 0.</param>
    /// <param name="horizon">How far ahead of now a lease may start.</param>
    /// <param name="notBefore">
    /// The first slot. A ledger that replaces another (its grain moved to another silo) starts after
    /// every slot the old one can have leased: <c>now + horizon + longest lease</c>.
    /// </param>
    public SendSlotLedger(double ratePerSecond, TimeSpan horizon, DateTimeOffset notBefore)
    {
        if (horizon <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(horizon), horizon, "must be positive");
        }

        _horizon = horizon;
        _originTicks = notBefore.UtcTicks;
        SetRate(ratePerSecond);
    }

    /// <summary>The current rate in slots per second.</summary>
    public double RatePerSecond { get; private set; }

    /// <summary>The time between two consecutive slots at the current rate.</summary>
    public TimeSpan Spacing => TimeSpan.FromTicks((long)Math.Ceiling(TimeSpan.TicksPerSecond / RatePerSecond));

    /// <summary>Changes the rate for slots not yet leased.</summary>
    public void SetRate(double ratePerSecond)
    {
        if (!(ratePerSecond > 0) || double.IsInfinity(ratePerSecond))
        {
            throw new ArgumentOutOfRangeException(nameof(ratePerSecond), ratePerSecond, "must be a positive number");
        }

        RatePerSecond = ratePerSecond;
    }

    /// <summary>Leases up to <paramref name="wanted"/> (at most <paramref name="maxLease"/>) consecutive slots.</summary>
    public SlotLease Lease(DateTimeOffset now, int wanted, int maxLease)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(wanted);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLease, 1);
        var start = Math.Max(now.UtcTicks - _originTicks, _nextFree);
        var limit = now.UtcTicks - _originTicks + _horizon.Ticks;
        if (start >= limit)
        {
            return SlotLease.None(At(start) - _horizon);
        }

        if (wanted == 0)
        {
            return SlotLease.None(now);
        }

        var count = Math.Min(wanted, maxLease);
        var spacing = TimeSpan.TicksPerSecond / RatePerSecond;
        _nextFree = start + (count * spacing);
        return new SlotLease(count, At(start), Spacing, null);
    }

    private DateTimeOffset At(double offset) => new(_originTicks + (long)Math.Ceiling(offset - 1e-3), TimeSpan.Zero);
}

/// <summary>
/// Consecutive send slots: the k-th (from 0) may be used from <see cref="Start"/> + k × <see cref="Spacing"/>.
/// An empty lease says when to ask again.
/// </summary>
public sealed record SlotLease(int Count, DateTimeOffset Start, TimeSpan Spacing, DateTimeOffset? RetryAt)
{
    public static SlotLease None(DateTimeOffset retryAt) => new(0, retryAt, TimeSpan.Zero, retryAt);

    /// <summary>When slot <paramref name="index"/> opens.</summary>
    public DateTimeOffset SlotAt(int index) => Start + (Spacing * index);
}
