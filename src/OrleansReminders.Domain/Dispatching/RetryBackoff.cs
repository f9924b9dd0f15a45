namespace OrleansReminders.Domain.Dispatching;

/// <summary>
/// Exponential backoff with "equal jitter": attempt n waits between half and all of
/// min(cap, base × 2^(n-1)), so retries of many messages spread out instead of returning together.
/// </summary>
public sealed record RetryBackoff(TimeSpan Base, TimeSpan Cap)
{
    public static RetryBackoff Default { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2));

    /// <param name="attempt">1 for the first retry.</param>
    /// <param name="jitter">A uniform random number in [0, 1).</param>
    public TimeSpan Delay(int attempt, double jitter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var exponential = Base.Ticks * Math.Pow(2, Math.Min(attempt - 1, 30));
        var ceiling = Math.Min(Cap.Ticks, exponential);
        return TimeSpan.FromTicks((long)((ceiling / 2) + (ceiling / 2 * Math.Clamp(jitter, 0, 1))));
    }
}
