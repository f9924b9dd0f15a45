using NodaTime;
using NodaTime.Text;
using OrleansReminders.Domain.Policy;

namespace OrleansReminders.Domain.Tests.Policy;

/// <summary>The U.S. federal holidays by rule, checked against dates worked out by hand from 5 U.S.C. 6103.</summary>
public sealed class UsFederalHolidayCalendarTests
{
    private static readonly UsFederalHolidayCalendar Us = new();

    /// <summary>Every blocked day of 2027 and 2028 with its weekday: actual days, and observed days for weekend ones.</summary>
    public static TheoryData<string, IsoDayOfWeek, string> Expected => new()
    {
        { "2027-01-01", IsoDayOfWeek.Friday, "New Year's Day" },
        { "2027-01-18", IsoDayOfWeek.Monday, "Birthday of Martin Luther King, Jr." },
        { "2027-02-15", IsoDayOfWeek.Monday, "Washington's Birthday" },
        { "2027-05-31", IsoDayOfWeek.Monday, "Memorial Day" },
        { "2027-06-18", IsoDayOfWeek.Friday, "Juneteenth National Independence Day (observed)" },
        { "2027-06-19", IsoDayOfWeek.Saturday, "Juneteenth National Independence Day" },
        { "2027-07-04", IsoDayOfWeek.Sunday, "Independence Day" },
        { "2027-07-05", IsoDayOfWeek.Monday, "Independence Day (observed)" },
        { "2027-09-06", IsoDayOfWeek.Monday, "Labor Day" },
        { "2027-10-11", IsoDayOfWeek.Monday, "Columbus Day" },
        { "2027-11-11", IsoDayOfWeek.Thursday, "Veterans Day" },
        { "2027-11-25", IsoDayOfWeek.Thursday, "Thanksgiving Day" },
        { "2027-12-24", IsoDayOfWeek.Friday, "Christmas Day (observed)" },
        { "2027-12-25", IsoDayOfWeek.Saturday, "Christmas Day" },
        { "2027-12-31", IsoDayOfWeek.Friday, "New Year's Day (observed)" },
        { "2028-01-01", IsoDayOfWeek.Saturday, "New Year's Day" },
        { "2028-01-17", IsoDayOfWeek.Monday, "Birthday of Martin Luther King, Jr." },
        { "2028-02-21", IsoDayOfWeek.Monday, "Washington's Birthday" },
        { "2028-05-29", IsoDayOfWeek.Monday, "Memorial Day" },
        { "2028-06-19", IsoDayOfWeek.Monday, "Juneteenth National Independence Day" },
        { "2028-07-04", IsoDayOfWeek.Tuesday, "Independence Day" },
        { "2028-09-04", IsoDayOfWeek.Monday, "Labor Day" },
        { "2028-10-09", IsoDayOfWeek.Monday, "Columbus Day" },
        { "2028-11-10", IsoDayOfWeek.Friday, "Veterans Day (observed)" },
        { "2028-11-11", IsoDayOfWeek.Saturday, "Veterans Day" },
        { "2028-11-23", IsoDayOfWeek.Thursday, "Thanksgiving Day" },
        { "2028-12-25", IsoDayOfWeek.Monday, "Christmas Day" },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public void EachHolidayOf2027And2028FallsOnItsDay(string date, IsoDayOfWeek weekday, string name)
    {
        var day = Date(date);

        Assert.Equal(weekday, day.DayOfWeek);
        Assert.Equal(name, Us.HolidayName(day));
    }

    [Theory]
    [InlineData(2027, 15)]
    [InlineData(2028, 12)]
    public void NoOtherDayOfTheYearIsBlocked(int year, int days)
    {
        var expected = Expected.Select(row => Date((string)row[0])).Where(d => d.Year == year).Order().ToArray();

        Assert.Equal(days, expected.Length);
        Assert.Equal(expected, Us.HolidaysIn(year).Keys.Order().ToArray());
    }

    [Fact]
    public void ASundayNewYearIsObservedOnMondayInTheSameYear()
    {
        // 2023-01-01 was a Sunday: observed Monday 2 January; 2022-12-31 stays a working day.
        Assert.Equal("New Year's Day (observed)", Us.HolidayName(new LocalDate(2023, 1, 2)));
        Assert.Null(Us.HolidayName(new LocalDate(2022, 12, 31)));
        // 2022-01-01 was a Saturday: observed Friday 2021-12-31.
        Assert.Equal("New Year's Day (observed)", Us.HolidayName(new LocalDate(2021, 12, 31)));
    }

    [Fact]
    public void TheRuleCoversEveryYearFrom2021AndNothingBefore()
    {
        Assert.Equal(new LocalDate(2021, 1, 1), Us.CoverageStart);
        Assert.Null(Us.CoverageEnd);
        Assert.False(Us.Covers(new LocalDate(2020, 12, 31)));
        Assert.True(Us.Covers(new LocalDate(2121, 6, 1)));
        Assert.Empty(Us.HolidaysIn(2020));
        Assert.Equal("Juneteenth National Independence Day (observed)", Us.HolidayName(new LocalDate(2021, 6, 18)));
    }

    [Fact]
    public void EveryYearHasElevenHolidaysAndTheirWeekdaysFollowTheRules()
    {
        for (var year = 2021; year <= 2060; year++)
        {
            var days = Us.HolidaysIn(year);
            var actual = days.Where(d => !d.Value.EndsWith("(observed)", StringComparison.Ordinal)).ToArray();
            Assert.Equal(11, actual.Length);
            Assert.All(days.Where(d => d.Value.EndsWith("(observed)", StringComparison.Ordinal)),
                d => Assert.True(d.Key.DayOfWeek is IsoDayOfWeek.Friday or IsoDayOfWeek.Monday, $"{d.Key} {d.Value}"));
            Assert.Equal(5, actual.Count(d => d.Key.DayOfWeek == IsoDayOfWeek.Monday && !IsFixedDate(d.Value)));
            Assert.Equal(IsoDayOfWeek.Thursday, actual.Single(d => d.Value == "Thanksgiving Day").Key.DayOfWeek);
        }
    }

    private static bool IsFixedDate(string name) =>
        name is "New Year's Day" or "Juneteenth National Independence Day" or "Independence Day" or "Veterans Day" or "Christmas Day";

    private static LocalDate Date(string text) => LocalDatePattern.Iso.Parse(text).GetValueOrThrow();
}
