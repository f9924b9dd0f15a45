namespace OrleansReminders.Testing;

public static class TestZones
{
    /// <summary>A fixed-offset zone where <paramref name="now"/> is 10:00 local, inside every allowed and preferred window.</summary>
    public static string WhereItIsMorning(DateTimeOffset now)
    {
        var offset = (10 - now.UtcDateTime.Hour + 24) % 24;
        offset = offset > 12 ? offset - 24 : offset;
        // Etc/GMT signs are inverted: Etc/GMT-8 is UTC+8.
        return offset == 0 ? "Etc/UTC" : $"Etc/GMT{(offset > 0 ? "-" : "+")}{Math.Abs(offset)}";
    }
}
