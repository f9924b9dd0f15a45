using NodaTime;

namespace OrleansReminders.Domain.Policy;

/// <summary>
/// Local-window arithmetic that stays correct across DST: a window boundary that falls in a gap starts at the
/// end of the gap; one that falls in an overlap is met at its first occurrence after the given instant.
/// </summary>
internal static class ZoneMath
{
    /// <summary>The first instant after <paramref name="after"/> whose local time reaches <paramref name="local"/>.</summary>
    public static Instant? FirstReaching(DateTimeZone zone, LocalDateTime local, Instant after)
    {
        var mapping = zone.MapLocal(local);
        if (mapping.Count == 0)
        {
            var gapEnd = mapping.LateInterval.Start;
            return gapEnd > after ? gapEnd : null;
        }

        var early = mapping.First().ToInstant();
        if (early > after)
        {
            return early;
        }

        var late = mapping.Last().ToInstant();
        return late > after ? late : null;
    }

    /// <summary>
    /// For an instant outside <paramref name="window"/>: an instant after it before which the local time cannot
    /// enter the window (the next window start, or an earlier offset change after which it is checked again).
    /// </summary>
    public static Instant NextEntry(DateTimeZone zone, TimeWindow window, Instant t)
    {
        var local = t.InZone(zone).LocalDateTime;
        var date = local.TimeOfDay < window.Start ? local.Date : local.Date.PlusDays(1);
        Instant? candidate = null;
        for (var i = 0; i < 3 && candidate is null; i++, date = date.PlusDays(1))
        {
            candidate = FirstReaching(zone, date.At(window.Start), t);
        }

        return EarlierTransition(zone, t, candidate ?? t + Duration.FromDays(1));
    }

    /// <summary>For an instant inside <paramref name="window"/>: the first instant after it outside the window.</summary>
    public static Instant Exit(DateTimeZone zone, TimeWindow window, Instant t)
    {
        var local = t.InZone(zone).LocalDateTime;
        var exit = FirstReaching(zone, local.Date.At(window.End), t)
            ?? FirstReaching(zone, local.Date.PlusDays(1).At(window.End), t)!.Value;
        var interval = zone.GetZoneInterval(t);
        if (!interval.HasEnd || interval.End >= exit)
        {
            return exit;
        }

        var afterJump = interval.End.InZone(zone).TimeOfDay;
        return window.Contains(afterJump) ? Exit(zone, window, interval.End) : interval.End;
    }

    public static Instant StartOfDay(DateTimeZone zone, LocalDate date) => zone.AtStartOfDay(date).ToInstant();

    private static Instant EarlierTransition(DateTimeZone zone, Instant t, Instant candidate)
    {
        var interval = zone.GetZoneInterval(t);
        return interval.HasEnd && interval.End < candidate ? interval.End : candidate;
    }
}
