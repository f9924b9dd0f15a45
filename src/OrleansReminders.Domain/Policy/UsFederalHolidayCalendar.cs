using System.Collections.Concurrent;
using NodaTime;

namespace OrleansReminders.Domain.Policy;

/// <summary>
/// The eleven U.S. federal holidays of 5 U.S.C. 6103(a), computed by rule for every year from 2021 (the year
/// Juneteenth was added; earlier dates are not covered). A holiday on a Saturday is observed on the Friday
/// before (for New Year's Day that is 31 December of the year before), one on a Sunday on the Monday after.
/// Both the actual and the observed day block contact, as the data file this replaces did.
/// </summary>
public sealed class UsFederalHolidayCalendar : HolidayCalendar
{
    public const string RegionCode = "US";

    /// <summary>The first year covered: Juneteenth became a federal holiday in June 2021.</summary>
    public const int FirstYear = 2021;

    private const string SourceText =
        "5 U.S.C. 6103(a): the eleven legal public holidays (Juneteenth added by Pub. L. 117-17, 2021), computed by rule; "
        + "a Saturday holiday is observed on the Friday before and a Sunday holiday on the Monday after, as OPM lists them "
        + "(https://www.opm.gov/policy-data-oversight/pay-leave/federal-holidays/). One-off closures by executive order "
        + "and Inauguration Day (Washington DC area only) are not included.";

    private readonly ConcurrentDictionary<int, IReadOnlyDictionary<LocalDate, string>> _years = new();

    public UsFederalHolidayCalendar()
        : base(RegionCode, SourceText)
    {
    }

    public override LocalDate CoverageStart { get; } = new(FirstYear, 1, 1);

    public override LocalDate? CoverageEnd => null;

    public override string? HolidayName(LocalDate date) => HolidaysIn(date.Year).TryGetValue(date, out var name) ? name : null;

    public override bool IsMakeUpWorkday(LocalDate date) => false;

    public override IReadOnlyDictionary<LocalDate, string> HolidaysIn(int year) =>
        year < FirstYear ? new Dictionary<LocalDate, string>() : _years.GetOrAdd(year, Compute);

    private static Dictionary<LocalDate, string> Compute(int year)
    {
        var days = new Dictionary<LocalDate, string>();
        // The next year's New Year's Day can be observed on 31 December of this one.
        foreach (var (date, name) in Actual(year).Concat(Actual(year + 1)))
        {
            if (date.Year == year)
            {
                days[date] = name;
            }

            var observed = Observed(date);
            if (observed != date && observed.Year == year)
            {
                days[observed] = name + " (observed)";
            }
        }

        return days;
    }

    private static IEnumerable<(LocalDate Date, string Name)> Actual(int year)
    {
        yield return (new LocalDate(year, 1, 1), "New Year's Day");
        yield return (Nth(year, 1, IsoDayOfWeek.Monday, 3), "Birthday of Martin Luther King, Jr.");
        yield return (Nth(year, 2, IsoDayOfWeek.Monday, 3), "Washington's Birthday");
        yield return (new LocalDate(year, 5, 31).With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Monday)), "Memorial Day");
        yield return (new LocalDate(year, 6, 19), "Juneteenth National Independence Day");
        yield return (new LocalDate(year, 7, 4), "Independence Day");
        yield return (Nth(year, 9, IsoDayOfWeek.Monday, 1), "Labor Day");
        yield return (Nth(year, 10, IsoDayOfWeek.Monday, 2), "Columbus Day");
        yield return (new LocalDate(year, 11, 11), "Veterans Day");
        yield return (Nth(year, 11, IsoDayOfWeek.Thursday, 4), "Thanksgiving Day");
        yield return (new LocalDate(year, 12, 25), "Christmas Day");
    }

    /// <summary>The <paramref name="n"/>-th given weekday of a month.</summary>
    private static LocalDate Nth(int year, int month, IsoDayOfWeek day, int n) =>
        new LocalDate(year, month, 1).With(DateAdjusters.NextOrSame(day)).PlusWeeks(n - 1);

    private static LocalDate Observed(LocalDate date) => date.DayOfWeek switch
    {
        IsoDayOfWeek.Saturday => date.PlusDays(-1),
        IsoDayOfWeek.Sunday => date.PlusDays(1),
        _ => date,
    };
}
