using NodaTime;
using OrleansReminders.Domain.Policy;
using static OrleansReminders.Domain.Tests.Policy.PolicyTestKit;

namespace OrleansReminders.Domain.Tests.Policy;

public sealed class HolidayCalendarTests
{
    private static readonly HolidayCalendar China = Calendars.For("cn")!;
    private static readonly HolidayCalendar UnitedStates = Calendars.For("US")!;

    [Fact]
    public void ShippedCalendarsNameTheirSourceAndCoverTwoYears()
    {
        Assert.Equal(new[] { "CN", "US" }, Calendars.Calendars.Select(c => c.Region).Order().ToArray());
        Assert.Contains("国务院办公厅", China.Source);
        Assert.Contains("opm.gov", UnitedStates.Source);
        Assert.All(Calendars.Calendars, c => Assert.Equal(new[] { 2025, 2026 }, c.Years.Order().ToArray()));
    }

    [Theory]
    [InlineData(2025, 28)] // 1 + 8 + 3 + 5 + 3 + 8
    [InlineData(2026, 33)] // 3 + 9 + 3 + 5 + 3 + 3 + 7
    public void ChinaHasTheNoticedNumberOfDaysOff(int year, int days)
    {
        Assert.Equal(days, China.Holidays.Keys.Count(d => d.Year == year));
    }

    [Theory]
    [InlineData("2025-01-28", true)]
    [InlineData("2025-02-04", true)]
    [InlineData("2025-02-05", false)]
    [InlineData("2025-10-08", true)]
    [InlineData("2026-02-15", true)]
    [InlineData("2026-02-23", true)]
    [InlineData("2026-02-14", false)]
    [InlineData("2026-10-07", true)]
    [InlineData("2026-10-08", false)]
    public void ChinaHolidayDays(string date, bool holiday)
    {
        Assert.Equal(holiday, China.IsHoliday(LocalDate.FromDateTime(DateTime.Parse(date, System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Fact]
    public void ChinaMakeUpWorkingDaysAreWeekendsAndNotHolidays()
    {
        Assert.Equal(11, China.MakeUpWorkdays.Count);
        Assert.All(China.MakeUpWorkdays.Keys, d => Assert.True(d.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday, $"{d}"));
        Assert.All(China.MakeUpWorkdays.Keys, d => Assert.False(China.IsHoliday(d)));
    }

    [Fact]
    public void UsMondayHolidaysFallOnMondaysAndThanksgivingOnThursday()
    {
        string[] mondays = ["Martin Luther King", "Washington", "Memorial", "Labor", "Columbus"];
        var byName = UnitedStates.Holidays.Where(h => mondays.Any(h.Value.Contains)).ToArray();

        Assert.Equal(10, byName.Length);
        Assert.All(byName, h => Assert.Equal(IsoDayOfWeek.Monday, h.Key.DayOfWeek));
        Assert.All(UnitedStates.Holidays.Where(h => h.Value.StartsWith("Thanksgiving", StringComparison.Ordinal)),
            h => Assert.Equal(IsoDayOfWeek.Thursday, h.Key.DayOfWeek));
        Assert.Equal(23, UnitedStates.Holidays.Count);
    }

    [Fact]
    public void ParserReadsRangesAndSingleDays()
    {
        var result = HolidayCalendarParser.Parse("""
        { "region": "XX", "years": [2030], "source": "test",
          "holidays": [ { "name": "Long weekend", "from": "2030-05-03", "to": "2030-05-06" }, { "name": "One day", "date": "2030-12-01" } ],
          "makeUpWorkdays": [ { "name": "Swap", "date": "2030-05-11" } ] }
        """);

        var calendar = result.GetValueOrThrow();
        Assert.Equal(5, calendar.Holidays.Count);
        Assert.True(calendar.IsHoliday(new LocalDate(2030, 5, 5)));
        Assert.Equal("One day", calendar.HolidayName(new LocalDate(2030, 12, 1)));
        Assert.True(calendar.Covers(new LocalDate(2030, 1, 1)));
        Assert.False(calendar.Covers(new LocalDate(2031, 1, 1)));
    }

    [Fact]
    public void ParserReportsEveryBadEntry()
    {
        var result = HolidayCalendarParser.Parse("""
        { "region": "XX", "years": [2030],
          "holidays": [ { "name": "Backwards", "from": "2030-05-06", "to": "2030-05-03" },
                        { "name": "Bad", "date": "2030-13-01" },
                        { "date": "2030-01-01" },
                        { "name": "Elsewhere", "date": "2031-01-01" } ],
          "extra": true }
        """, "calendar");

        var paths = result.Errors.Select(e => e.Path).ToArray();
        Assert.Null(result.Value);
        Assert.Contains("calendar.source", paths);
        Assert.Contains("calendar.holidays[0].to", paths);
        Assert.Contains("calendar.holidays[1].date", paths);
        Assert.Contains("calendar.holidays[2].name", paths);
        Assert.Contains("calendar.holidays", paths);
        Assert.Contains("calendar.extra", paths);
    }

    [Fact]
    public void BrokenJsonIsAnErrorNotAnException()
    {
        Assert.Single(HolidayCalendarParser.Parse("{ not json").Errors);
    }

    [Fact]
    public void CustomCalendarBlocksItsDays()
    {
        var calendar = HolidayCalendarParser.Parse("""
            { "region": "DE", "years": [2025], "source": "test", "holidays": [ { "name": "Tag der Deutschen Einheit", "date": "2025-10-03" } ] }
            """).GetValueOrThrow();
        var policy = new ContactPolicy(ContactPolicySettings.Default, new HolidayCalendarSet([calendar]));
        var profile = Profile("DE", "Europe/Berlin");

        var decision = policy.Evaluate(profile, [], Proposal(Local("Europe/Berlin", "2025-10-03T10:00")));

        Assert.Equal(PolicyReason.Holiday, decision.Reason);
        Assert.Contains("Tag der Deutschen Einheit", decision.Explanation);
        Assert.True(policy.Evaluate(profile, [], Proposal(Local("Europe/Berlin", "2025-10-06T10:00"))).Allowed);
    }
}
