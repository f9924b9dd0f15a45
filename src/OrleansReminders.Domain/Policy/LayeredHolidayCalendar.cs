using NodaTime;

namespace OrleansReminders.Domain.Policy;

/// <summary>
/// An operator's calendar file over the shipped calendar of the same region: the file answers for the
/// dates it covers, the shipped calendar for the rest. Together they must still cover one span.
/// </summary>
internal sealed class LayeredHolidayCalendar : HolidayCalendar
{
    private readonly HolidayCalendar _top;
    private readonly HolidayCalendar _below;

    private LayeredHolidayCalendar(HolidayCalendar top, HolidayCalendar below)
        : base(top.Region, $"{top.Source} | dates it does not cover: {below.Source}")
    {
        _top = top;
        _below = below;
        CoverageStart = LocalDate.Min(top.CoverageStart, below.CoverageStart);
        CoverageEnd = top.CoverageEnd is { } a && below.CoverageEnd is { } b ? LocalDate.Max(a, b) : null;
    }

    public override LocalDate CoverageStart { get; }

    public override LocalDate? CoverageEnd { get; }

    /// <summary>
    /// <paramref name="top"/> over <paramref name="below"/>; null when their spans neither overlap nor
    /// adjoin (the result would have a hole).
    /// </summary>
    public static HolidayCalendar? Over(HolidayCalendar top, HolidayCalendar below)
    {
        var (first, second) = top.CoverageStart <= below.CoverageStart ? (top, below) : (below, top);
        var joined = first.CoverageEnd is not { } end || second.CoverageStart <= end.PlusDays(1);
        return joined ? new LayeredHolidayCalendar(top, below) : null;
    }

    public override string? HolidayName(LocalDate date) => Pick(date).HolidayName(date);

    public override bool IsMakeUpWorkday(LocalDate date) => Pick(date).IsMakeUpWorkday(date);

    public override IReadOnlyDictionary<LocalDate, string> HolidaysIn(int year)
    {
        var days = new Dictionary<LocalDate, string>();
        for (var date = new LocalDate(year, 1, 1); date.Year == year; date = date.PlusDays(1))
        {
            if (HolidayName(date) is { } name)
            {
                days[date] = name;
            }
        }

        return days;
    }

    private HolidayCalendar Pick(LocalDate date) => _top.Covers(date) ? _top : _below;
}
