using NodaTime;
using OrleansReminders.Domain.Policy;
using static OrleansReminders.Domain.Tests.Policy.PolicyTestKit;

namespace OrleansReminders.Domain.Tests.Policy;

public sealed class HolidayCalendarTests
{
    private static readonly ListedHolidayCalendar China = Assert.IsType<ListedHolidayCalendar>(Calendars.For("cn"));
    private static readonly ListedHolidayCalendar India = Assert.IsType<ListedHolidayCalendar>(Calendars.For("IN"));

    [Fact]
    public void ShippedCalendarsNameTheirSourceAndStateTheirSpan()
    {
        Assert.Equal(new[] { "CN", "IN", "US" }, Calendars.Calendars.Select(c => c.Region).Order().ToArray());
        Assert.Contains("国务院办公厅", China.Source);
        Assert.Contains("Department of Personnel and Training", India.Source);
        Assert.Contains("6103", Calendars.For("US")!.Source);
        Assert.Equal((new LocalDate(2025, 1, 1), new LocalDate(2026, 12, 31)), (China.CoverageStart, China.CoverageEnd!.Value));
        Assert.Equal((new LocalDate(2026, 1, 1), new LocalDate(2026, 12, 31)), (India.CoverageStart, India.CoverageEnd!.Value));
        Assert.Null(Calendars.For("US")!.CoverageEnd);
        Assert.False(China.Covers(new LocalDate(2027, 1, 1)));
        Assert.False(India.Covers(new LocalDate(2025, 12, 31)));
    }

    /// <summary>
    /// DoPT Office Memorandum of 3 July 2025, paragraph 2 (compulsory throughout India), dates and weekdays as in
    /// its Annexure-I; the weekday check catches a transcription slip.
    /// </summary>
    [Theory]
    [InlineData("2026-01-26", IsoDayOfWeek.Monday, "Republic Day")]
    [InlineData("2026-03-21", IsoDayOfWeek.Saturday, "Id-ul-Fitr")]
    [InlineData("2026-03-31", IsoDayOfWeek.Tuesday, "Mahavir Jayanti")]
    [InlineData("2026-04-03", IsoDayOfWeek.Friday, "Good Friday")]
    [InlineData("2026-05-01", IsoDayOfWeek.Friday, "Buddha Purnima")]
    [InlineData("2026-05-27", IsoDayOfWeek.Wednesday, "Id-ul-Zuha")]
    [InlineData("2026-06-26", IsoDayOfWeek.Friday, "Muharram")]
    [InlineData("2026-08-15", IsoDayOfWeek.Saturday, "Independence Day")]
    [InlineData("2026-08-26", IsoDayOfWeek.Wednesday, "Milad-un-Nabi")]
    [InlineData("2026-10-02", IsoDayOfWeek.Friday, "Mahatma Gandhi")]
    [InlineData("2026-10-20", IsoDayOfWeek.Tuesday, "Dussehra")]
    [InlineData("2026-11-08", IsoDayOfWeek.Sunday, "Diwali")]
    [InlineData("2026-11-24", IsoDayOfWeek.Tuesday, "Guru Nanak")]
    [InlineData("2026-12-25", IsoDayOfWeek.Friday, "Christmas")]
    public void IndiaHasTheFourteenCompulsoryCentralGovernmentHolidaysOf2026(string date, IsoDayOfWeek weekday, string name)
    {
        var day = Date(date);

        Assert.Equal(weekday, day.DayOfWeek);
        Assert.Contains(name, India.HolidayName(day));
        Assert.Equal(14, India.Holidays.Count);
        Assert.Empty(India.MakeUpWorkdays);
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
        Assert.Equal(holiday, China.IsHoliday(Date(date)));
    }

    [Fact]
    public void ChinaMakeUpWorkingDaysAreWeekendsAndNotHolidays()
    {
        Assert.Equal(11, China.MakeUpWorkdays.Count);
        Assert.All(China.MakeUpWorkdays.Keys, d => Assert.True(d.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday, $"{d}"));
        Assert.All(China.MakeUpWorkdays.Keys, d => Assert.False(China.IsHoliday(d)));
    }

    [Fact]
    public void ParserReadsRangesAndSingleDays()
    {
        var result = HolidayCalendarParser.Parse("""
        { "region": "XX", "years": [2030], "source": "test",
          "holidays": [ { "name": "Long weekend", "from": "2030-05-03", "to": "2030-05-06" }, { "name": "One day", "date": "2030-12-01" } ],
          "makeUpWorkdays": [ { "name": "Swap", "date": "2030-05-11" } ] }
        """);

        var calendar = Assert.IsType<ListedHolidayCalendar>(result.GetValueOrThrow());
        Assert.Equal(5, calendar.Holidays.Count);
        Assert.True(calendar.IsMakeUpWorkday(new LocalDate(2030, 5, 11)));
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
        Assert.Contains("calendar.holidays[3]", paths);
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

    [Fact]
    public void AnErrorNamesTheLineOfTheBadValue()
    {
        var result = HolidayCalendarParser.Parse("""
            {
              "region": "XX",
              "years": [2030],
              "source": "test",
              "holidays": [
                { "name": "Fine", "date": "2030-01-01" },
                { "name": "Bad",
                  "date": "2030-02-30" }
              ]
            }
            """, "holidays.XX.json");

        var error = Assert.Single(result.Errors);
        Assert.Equal("holidays.XX.json.holidays[1].date", error.Path);
        Assert.Equal(8, error.Line);
        Assert.StartsWith("line 8: holidays.XX.json.holidays[1].date: must be a date", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ABrokenDocumentNamesTheLineTheReaderStoppedOn()
    {
        var error = Assert.Single(HolidayCalendarParser.Parse("{\n  \"region\": \"XX\",\n  \"years\": [2030,,]\n}").Errors);

        Assert.Equal(3, error.Line);
        Assert.Contains("is not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingSettingIsReportedOnTheLineOfItsObject()
    {
        var error = Assert.Single(HolidayCalendarParser.Parse("\n\n{ \"region\": \"XX\", \"years\": [2030] }").Errors);

        Assert.Equal(("source", 3), (error.Path, error.Line));
    }

    [Fact]
    public void YearsMustFormOneSpan()
    {
        var result = HolidayCalendarParser.Parse("""{ "region": "XX", "years": [2030, 2032], "source": "test" }""");

        Assert.Contains(result.Errors, e => e.Path == "years" && e.Message.Contains("consecutive", StringComparison.Ordinal));
    }

    [Fact]
    public void AFileForTheNextYearExtendsTheCalendarItLiesOver()
    {
        var next = Listed("""{ "region": "CN", "years": [2027], "source": "test 2027", "holidays": [ { "name": "Test day", "date": "2027-01-04" } ] }""");

        var set = Calendars.With(next, out var problem)!;
        var china = set.For("CN")!;

        Assert.Null(problem);
        Assert.Equal((new LocalDate(2025, 1, 1), new LocalDate(2027, 12, 31)), (china.CoverageStart, china.CoverageEnd!.Value));
        Assert.Equal("Test day", china.HolidayName(new LocalDate(2027, 1, 4)));
        Assert.Contains("Spring Festival", china.HolidayName(new LocalDate(2026, 2, 16)));
        Assert.True(china.IsMakeUpWorkday(new LocalDate(2026, 2, 14)));
        Assert.Same(Calendars.For("US"), set.For("US"));
    }

    [Fact]
    public void AFileOverlappingTheShippedYearsWinsForThem()
    {
        var corrected = Listed("""{ "region": "IN", "years": [2026, 2027], "source": "corrected", "holidays": [ { "name": "Moved", "date": "2026-03-20" } ] }""");

        var india = Calendars.With(corrected, out _)!.For("IN")!;

        Assert.Equal("Moved", india.HolidayName(new LocalDate(2026, 3, 20)));
        Assert.Null(india.HolidayName(new LocalDate(2026, 3, 21)));
        Assert.Equal(new LocalDate(2027, 12, 31), india.CoverageEnd);
    }

    [Fact]
    public void AFileThatWouldLeaveAHoleIsRefused()
    {
        var later = Listed("""{ "region": "CN", "years": [2028], "source": "test" }""");

        Assert.Null(Calendars.With(later, out var problem));
        Assert.Contains("2025-01-01 to 2026-12-31", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileForANewRegionIsAdded()
    {
        var germany = Listed("""{ "region": "DE", "years": [2026], "source": "test" }""");

        Assert.Same(germany, Calendars.With(germany, out _)!.For("de"));
    }

    [Theory]
    [InlineData("2026-12-02", 30)]
    [InlineData("2026-12-31", 1)]
    [InlineData("2027-01-01", 0)]
    public void DaysLeftCountsTheCoveredDaysFromToday(string today, int left)
    {
        Assert.Equal(left, China.DaysLeft(Date(today)));
        Assert.Null(Calendars.For("US")!.DaysLeft(Date(today)));
    }

    private static LocalDate Date(string text) => NodaTime.Text.LocalDatePattern.Iso.Parse(text).GetValueOrThrow();

    private static HolidayCalendar Listed(string json) => HolidayCalendarParser.Parse(json).GetValueOrThrow();
}
