using NodaTime;

namespace OrleansReminders.Domain.Policy;

/// <summary>
/// A calendar read from a data file (<see cref="HolidayCalendarParser"/>): the holidays and make-up working
/// days an authority announced for the consecutive <see cref="Years"/> it lists, which are its coverage.
/// </summary>
public sealed class ListedHolidayCalendar : HolidayCalendar
{
    public ListedHolidayCalendar(
        string region, string source, IReadOnlyCollection<int> years,
        IReadOnlyDictionary<LocalDate, string> holidays, IReadOnlyDictionary<LocalDate, string> makeUpWorkdays)
        : base(region, source)
    {
        if (years.Count == 0 || years.Max() - years.Min() + 1 != years.Distinct().Count())
        {
            throw new ArgumentException("A calendar covers one span: its years must be consecutive.", nameof(years));
        }

        Years = years.Order().Distinct().ToArray();
        Holidays = holidays;
        MakeUpWorkdays = makeUpWorkdays;
        CoverageStart = new LocalDate(Years[0], 1, 1);
        CoverageEnd = new LocalDate(Years[^1], 12, 31);
    }

    /// <summary>The years covered, ascending and consecutive.</summary>
    public IReadOnlyList<int> Years { get; }

    public IReadOnlyDictionary<LocalDate, string> Holidays { get; }

    public IReadOnlyDictionary<LocalDate, string> MakeUpWorkdays { get; }

    public override LocalDate CoverageStart { get; }

    public override LocalDate? CoverageEnd { get; }

    public override string? HolidayName(LocalDate date) => Holidays.TryGetValue(date, out var name) ? name : null;

    public override bool IsMakeUpWorkday(LocalDate date) => MakeUpWorkdays.ContainsKey(date);

    public override IReadOnlyDictionary<LocalDate, string> HolidaysIn(int year) =>
        Holidays.Where(h => h.Key.Year == year).ToDictionary(h => h.Key, h => h.Value);
}
