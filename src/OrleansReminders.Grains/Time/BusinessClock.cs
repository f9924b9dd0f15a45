namespace OrleansReminders.Grains.Time;

/// <summary>
/// The keyed <see cref="TimeProvider"/> every business decision reads. Unregistered, Orleans' keyed
/// fallback resolves it to the silo's default clock (real time); the scaled mode and the tests register
/// their clock under this key and under the reminder service's key, so both see the same time.
/// </summary>
public static class BusinessClock
{
    public const string Key = "OrleansReminders.Business";

    /// <summary>A real-time span as business time on <paramref name="clock"/> (scaled when the clock is).</summary>
    public static TimeSpan FromReal(TimeProvider clock, TimeSpan real) => clock is ScaledTimeProvider scaled ? real * scaled.Scale : real;

    /// <summary>A business-time span as real time on <paramref name="clock"/> (what a grain timer waits).</summary>
    public static TimeSpan ToReal(TimeProvider clock, TimeSpan business) => clock is ScaledTimeProvider scaled ? scaled.ToReal(business) : business;
}
