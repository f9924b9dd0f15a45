using System.Text.Json;
using NodaTime;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Policy;
using static OrleansReminders.Domain.Tests.Policy.PolicyTestKit;

namespace OrleansReminders.Domain.Tests.Policy;

/// <summary>A date the borrower's calendar does not cover is unknown: held (the default) or, if the lender says so, allowed.</summary>
public sealed class CalendarCoverageTests
{
    private const string Shanghai = "Asia/Shanghai";
    private static readonly ContactProfile China = Profile("CN", Shanghai);
    private static readonly ContactPolicy Allowing = PolicyWith(ContactPolicySettings.Default with { OnUncoveredDate = UncoveredDateAction.Allow });

    [Fact]
    public void ADateAfterTheCalendarEndsIsHeldUntilTheNextDayNotForGood()
    {
        var at = Local(Shanghai, "2027-01-04T10:00");

        var decision = DefaultPolicy.Evaluate(China, [], Proposal(at));

        Assert.False(decision.Allowed);
        Assert.Equal(PolicyReason.CalendarNotCovered, decision.Reason);
        Assert.False(decision.IsAbsolute);
        Assert.Equal(Local(Shanghai, "2027-01-05T00:00"), decision.ClearsAt);
        Assert.Contains("2027-01-04", decision.Explanation, StringComparison.Ordinal);
        Assert.Contains("CN holiday calendar", decision.Explanation, StringComparison.Ordinal);
        Assert.Contains("2025-01-01 to 2026-12-31", decision.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void TheLastCoveredDayIsAnOrdinaryDayAndTheNextIsHeld()
    {
        Assert.True(DefaultPolicy.Evaluate(China, [], Proposal(Local(Shanghai, "2026-12-31T10:00"))).Allowed);
        Assert.Equal(PolicyReason.CalendarNotCovered, DefaultPolicy.Evaluate(China, [], Proposal(Local(Shanghai, "2027-01-01T10:00"))).Reason);
    }

    [Fact]
    public void TheCoveredDateIsTheBorrowersLocalDate()
    {
        // 2026-12-31T20:00Z is already 1 January 2027 in Shanghai, still 31 December in New York.
        var at = Utc("2026-12-31T20:00:00Z");
        var settings = AllowedHoursOnly.With().Jurisdiction("CN", j => j with { AllowedWindow = TimeWindow.Of(0, 23) });

        Assert.Equal(PolicyReason.CalendarNotCovered, PolicyWith(settings).Evaluate(China, [], Proposal(at)).Reason);
        Assert.True(PolicyWith(settings).Evaluate(Profile("CN", "America/New_York") with { Jurisdiction = "CN" }, [], Proposal(at)).Allowed);
    }

    [Fact]
    public void NothingIsAllowedWithinTheHorizonOnceTheCalendarHasEnded()
    {
        var next = DefaultPolicy.NextAllowed(China, [], Proposal(Local(Shanghai, "2026-12-31T18:00")));

        Assert.False(next.Found);
        Assert.False(next.AtProposed.IsAbsolute);
    }

    [Fact]
    public void ALenderWhoAllowsUncoveredDatesContactsAsOnAnyWorkingDay()
    {
        var decision = Allowing.Evaluate(China, [], Proposal(Local(Shanghai, "2027-01-04T10:00")));

        Assert.True(decision.Allowed, decision.Explanation);
        Assert.Equal(Local(Shanghai, "2027-01-04T10:00"), Allowing.NextAllowed(China, [], Proposal(Local(Shanghai, "2027-01-04T10:00"))).At);
    }

    [Fact]
    public void HolidaysStillBlockInsideTheCoverageWhenUncoveredDatesAreAllowed()
    {
        Assert.Equal(PolicyReason.Holiday, Allowing.Evaluate(China, [], Proposal(Local(Shanghai, "2026-10-02T10:00"))).Reason);
    }

    [Fact]
    public void TransactionalMessagesDoNotWaitForACalendar()
    {
        var proposal = new ContactProposal(Local(Shanghai, "2027-01-04T10:00"), Channel.Sms, MessageKind.Transactional, Urgency.Normal);

        Assert.True(DefaultPolicy.Evaluate(China, [], proposal).Allowed);
    }

    [Fact]
    public void ARegionWithoutACalendarAndAPolicyThatSkipsNoHolidaysAreNotAffected()
    {
        var at = Local("Europe/Berlin", "2027-01-04T10:00");

        Assert.True(DefaultPolicy.Evaluate(Profile("DE", "Europe/Berlin"), [], Proposal(at)).Allowed);
        Assert.True(PolicyWith(ContactPolicySettings.Default with { SkipHolidays = false })
            .Evaluate(China, [], Proposal(Local(Shanghai, "2027-01-04T10:00"))).Allowed);
    }

    [Fact]
    public void TheUsRuleCoversTheFutureButNotTheYearsBeforeJuneteenth()
    {
        var newYork = Profile("US", "America/New_York");

        Assert.True(DefaultPolicy.Evaluate(newYork, [], Proposal(Local("America/New_York", "2031-03-04T10:00"))).Allowed);
        Assert.Equal(PolicyReason.Holiday, DefaultPolicy.Evaluate(newYork, [], Proposal(Local("America/New_York", "2027-12-31T10:00"))).Reason);
        Assert.Equal(PolicyReason.CalendarNotCovered,
            DefaultPolicy.Evaluate(newYork, [], Proposal(Local("America/New_York", "2020-03-04T10:00"))).Reason);
    }

    [Fact]
    public void IndiaIsCoveredFor2026Only()
    {
        var india = Profile("IN", "Asia/Kolkata");

        Assert.Equal(PolicyReason.Holiday, DefaultPolicy.Evaluate(india, [], Proposal(Local("Asia/Kolkata", "2026-10-20T10:00"))).Reason);
        Assert.True(DefaultPolicy.Evaluate(india, [], Proposal(Local("Asia/Kolkata", "2026-10-21T10:00"))).Allowed);
        Assert.Equal(PolicyReason.CalendarNotCovered, DefaultPolicy.Evaluate(india, [], Proposal(Local("Asia/Kolkata", "2027-01-04T10:00"))).Reason);
    }

    [Theory]
    [InlineData("\"hold\"", UncoveredDateAction.Hold)]
    [InlineData("\"Allow\"", UncoveredDateAction.Allow)]
    public void TheStrategyDocumentSetsTheRule(string value, UncoveredDateAction expected)
    {
        using var json = JsonDocument.Parse($$"""{ "onUncoveredDate": {{value}} }""");

        Assert.Equal(expected, ContactPolicySettings.FromJson(json.RootElement, "contactPolicy").GetValueOrThrow().OnUncoveredDate);
        Assert.Equal(UncoveredDateAction.Hold, ContactPolicySettings.Default.OnUncoveredDate);
    }

    [Theory]
    [InlineData("\"maybe\"")]
    [InlineData("\"1\"")]
    [InlineData("true")]
    public void AnythingElseIsAnError(string value)
    {
        using var json = JsonDocument.Parse($$"""{ "onUncoveredDate": {{value}} }""");

        var error = Assert.Single(ContactPolicySettings.FromJson(json.RootElement, "contactPolicy").Errors);
        Assert.Equal("contactPolicy.onUncoveredDate", error.Path);
    }

    [Fact]
    public void AnUndefinedRuleInCodeIsRefused()
    {
        var error = Assert.Throws<DomainValidationException>(() =>
            new ContactPolicy(ContactPolicySettings.Default with { OnUncoveredDate = (UncoveredDateAction)7 }, Calendars));

        Assert.Contains(error.Errors, e => e.Path == "contactPolicy.onUncoveredDate");
    }

    [Theory]
    [InlineData(PolicyReason.CalendarNotCovered, "calendar-not-covered")]
    [InlineData(PolicyReason.Weekend, "weekend")]
    [InlineData(PolicyReason.QuietHours, "quiet-hours")]
    [InlineData(PolicyReason.Rolling7DayCap, "rolling-7-day-cap")]
    [InlineData(PolicyReason.OutsidePreferredWindow, "outside-preferred-window")]
    public void ReasonsAppearAsKebabCaseCodes(PolicyReason reason, string code)
    {
        Assert.Equal(code, reason.Code());
    }

    [Fact]
    public void NewReasonsAreAppendedSoStoredNumbersKeepTheirMeaning()
    {
        Assert.Equal(17, (int)PolicyReason.CalendarNotCovered);
        Assert.Equal(18, (int)PolicyReason.Weekend);
        Assert.Equal(16, (int)PolicyReason.Bankruptcy);
    }
}
