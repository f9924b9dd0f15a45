namespace OrleansReminders.Grains.Time;

/// <summary>
/// The keyed <see cref="TimeProvider"/> every business decision reads. Unregistered, Orleans' keyed
/// fallback resolves it to the silo's default clock (real time); the scaled mode and the tests register
/// their clock under this key and under the reminder service's key, so both see the same time.
/// </summary>
public static class BusinessClock
{
    public const string Key = "OrleansReminders.Business";
}
