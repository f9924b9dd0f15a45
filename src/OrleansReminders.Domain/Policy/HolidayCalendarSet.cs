using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Policy;

/// <summary>Holiday calendars by region code (case-insensitive). Immutable; load once and share.</summary>
public sealed class HolidayCalendarSet
{
    private const string ResourcePrefix = "OrleansReminders.Domain.Data.Policy.holidays.";

    private readonly Dictionary<string, HolidayCalendar> _calendars;

    /// <exception cref="ArgumentException">Two calendars name the same region.</exception>
    public HolidayCalendarSet(IEnumerable<HolidayCalendar> calendars)
    {
        _calendars = calendars.ToDictionary(c => c.Region, StringComparer.OrdinalIgnoreCase);
    }

    public static HolidayCalendarSet Empty { get; } = new([]);

    public IReadOnlyCollection<HolidayCalendar> Calendars => _calendars.Values;

    public HolidayCalendar? For(string? region) =>
        region is not null && _calendars.TryGetValue(region, out var calendar) ? calendar : null;

    /// <summary>
    /// The calendars this build ships: US federal holidays by rule, and the announced calendars in
    /// Data/Policy/holidays.*.json (CN, IN). Throws <see cref="DomainValidationException"/> if a shipped file is broken.
    /// </summary>
    public static HolidayCalendarSet LoadShipped()
    {
        var assembly = typeof(HolidayCalendarSet).Assembly;
        var calendars = new List<HolidayCalendar> { new UsFederalHolidayCalendar() };
        foreach (var name in assembly.GetManifestResourceNames().Where(IsCalendarResource).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var text = new StreamReader(stream);
            calendars.Add(HolidayCalendarParser.Parse(text.ReadToEnd(), name).GetValueOrThrow());
        }

        return new HolidayCalendarSet(calendars);
    }

    /// <summary>
    /// This set with <paramref name="calendar"/> (an operator's file) added: for a region already here the file
    /// answers for the dates it covers and the existing calendar for the rest, so a file listing only the next
    /// year extends coverage. Null, with <paramref name="problem"/>, when the two spans would leave a hole.
    /// </summary>
    public HolidayCalendarSet? With(HolidayCalendar calendar, out string? problem)
    {
        problem = null;
        var merged = calendar;
        if (For(calendar.Region) is { } existing)
        {
            if (LayeredHolidayCalendar.Over(calendar, existing) is not { } layered)
            {
                problem = $"covers {calendar.CoverageText}, which neither overlaps nor adjoins the {existing.Region} calendar "
                    + $"it extends ({existing.CoverageText}); list the years in between too";
                return null;
            }

            merged = layered;
        }

        return new HolidayCalendarSet(_calendars.Values.Where(c => !string.Equals(c.Region, calendar.Region, StringComparison.OrdinalIgnoreCase))
            .Append(merged));
    }

    private static bool IsCalendarResource(string name) =>
        name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".json", StringComparison.Ordinal);
}
