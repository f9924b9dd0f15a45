using System.Globalization;
using NodaTime;

namespace OrleansReminders.Domain.Policy;

/// <summary>
/// Public holidays of one region, the span of local dates it covers and the source it was taken from.
/// Outside <see cref="CoverageStart"/>..<see cref="CoverageEnd"/> the calendar knows nothing: a date there is
/// not "no holiday" but "unknown", and the contact policy holds it (<see cref="PolicyReason.CalendarNotCovered"/>).
/// Make-up working days (CN 调休: a weekend day worked in exchange for a holiday) count as working days.
/// </summary>
public abstract class HolidayCalendar
{
    protected HolidayCalendar(string region, string source)
    {
        Region = region;
        Source = source;
    }

    /// <summary>Region code the calendar is looked up by (a borrower profile's Region), e.g. "CN".</summary>
    public string Region { get; }

    /// <summary>Where the holidays come from (a notice, a law, a file).</summary>
    public string Source { get; }

    /// <summary>The first local date the calendar covers.</summary>
    public abstract LocalDate CoverageStart { get; }

    /// <summary>The last local date the calendar covers; null when it is computed by rule for every later year.</summary>
    public abstract LocalDate? CoverageEnd { get; }

    /// <summary>False when the calendar cannot say whether the date is a holiday.</summary>
    public bool Covers(LocalDate date) => date >= CoverageStart && (CoverageEnd is not { } end || date <= end);

    /// <summary>The holiday's name, or null when the date is not a holiday (or not covered).</summary>
    public abstract string? HolidayName(LocalDate date);

    public bool IsHoliday(LocalDate date) => HolidayName(date) is not null;

    /// <summary>A weekend day worked in exchange for a holiday (a working day for contact).</summary>
    public abstract bool IsMakeUpWorkday(LocalDate date);

    /// <summary>Every holiday of one year (empty for a year the calendar does not cover).</summary>
    public abstract IReadOnlyDictionary<LocalDate, string> HolidaysIn(int year);

    /// <summary>
    /// Days of coverage left from <paramref name="today"/>: the covered days from today through
    /// <see cref="CoverageEnd"/> (1 on the last covered day, 0 once today is not covered); null when open-ended.
    /// </summary>
    public int? DaysLeft(LocalDate today)
    {
        if (CoverageEnd is not { } end)
        {
            return null;
        }

        return today > end ? 0 : Period.Between(today, end, PeriodUnits.Days).Days + 1;
    }

    /// <summary>The covered span as text, e.g. "2025-01-01 to 2026-12-31" or "from 2021-01-01 (by rule)".</summary>
    public string CoverageText => CoverageEnd is { } end
        ? $"{Day(CoverageStart)} to {Day(end)}"
        : $"from {Day(CoverageStart)} (by rule)";

    internal static string Day(LocalDate date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
