using System.Globalization;
using NodaTime;

namespace OrleansReminders.Domain.Policy;

/// <summary>
/// A daily window of local time, <see cref="Start"/> inclusive to <see cref="End"/> exclusive, within one
/// calendar day (no wrap past midnight). "Quiet hours 22:00–08:00" are the complement of the window 08:00–22:00.
/// </summary>
public sealed record TimeWindow(LocalTime Start, LocalTime End)
{
    public static TimeWindow Of(int startHour, int endHour) => new(new LocalTime(startHour, 0), new LocalTime(endHour, 0));

    public bool IsValid => Start < End;

    public bool Contains(LocalTime time) => time >= Start && time < End;

    /// <summary>The overlap of two windows, or null when they do not overlap.</summary>
    public TimeWindow? Intersect(TimeWindow other)
    {
        var start = LocalTime.Max(Start, other.Start);
        var end = LocalTime.Min(End, other.End);
        return start < end ? new TimeWindow(start, end) : null;
    }

    public bool IsInside(TimeWindow outer) => Start >= outer.Start && End <= outer.End;

    public override string ToString() => $"{Format(Start)}–{Format(End)}";

    internal static string Format(LocalTime time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);
}
