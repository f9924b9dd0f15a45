using NodaTime;

namespace OrleansReminders.Domain.Policy;

/// <summary>
/// Public holidays of one region for the years it covers, with the source they were taken from. Make-up
/// working days (CN 调休: a weekend day worked in exchange for a holiday) are kept as data; they do not block contact.
/// </summary>
public sealed record HolidayCalendar(
    string Region,
    string Source,
    IReadOnlySet<int> Years,
    IReadOnlyDictionary<LocalDate, string> Holidays,
    IReadOnlyDictionary<LocalDate, string> MakeUpWorkdays)
{
    public bool IsHoliday(LocalDate date) => Holidays.ContainsKey(date);

    /// <summary>False when the date lies in a year the calendar does not cover (it then knows no holidays).</summary>
    public bool Covers(LocalDate date) => Years.Contains(date.Year);

    public string? HolidayName(LocalDate date) => Holidays.TryGetValue(date, out var name) ? name : null;
}

/// <summary>Holiday calendars by region code (case-insensitive).</summary>
public sealed class HolidayCalendarSet
{
    private const string ResourcePrefix = "OrleansReminders.Domain.Data.Policy.holidays.";

    private readonly Dictionary<string, HolidayCalendar> _calendars;

    public HolidayCalendarSet(IEnumerable<HolidayCalendar> calendars)
    {
        _calendars = calendars.ToDictionary(c => c.Region, StringComparer.OrdinalIgnoreCase);
    }

    public static HolidayCalendarSet Empty { get; } = new([]);

    public IReadOnlyCollection<HolidayCalendar> Calendars => _calendars.Values;

    public HolidayCalendar? For(string? region) =>
        region is not null && _calendars.TryGetValue(region, out var calendar) ? calendar : null;

    /// <summary>
    /// The calendars shipped inside this assembly (Data/Policy/holidays.*.json). Throws
    /// <see cref="Common.DomainValidationException"/> if a shipped file is broken.
    /// </summary>
    public static HolidayCalendarSet LoadEmbedded()
    {
        var assembly = typeof(HolidayCalendarSet).Assembly;
        var calendars = new List<HolidayCalendar>();
        foreach (var name in assembly.GetManifestResourceNames().Where(IsCalendarResource).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var text = new StreamReader(stream);
            calendars.Add(HolidayCalendarParser.Parse(text.ReadToEnd(), name).GetValueOrThrow());
        }

        return new HolidayCalendarSet(calendars);
    }

    private static bool IsCalendarResource(string name) =>
        name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".json", StringComparison.Ordinal);
}
